"""The side-by-side ensemble layers follow Keras's recurrent layers member by member."""

import keras
import numpy as np
import pytest
from keras import ops

from seqkit.member_rnn import MemberCell, PerMember, member_recurrent_stack
from seqkit.networks import SeedStream

KERAS_LAYERS = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU,
                "rnn": keras.layers.SimpleRNN}


def numpy(tensor):
    return ops.convert_to_numpy(tensor)


@pytest.mark.parametrize("cell", sorted(KERAS_LAYERS))
def test_each_member_is_the_keras_layer_with_its_weights(cell, rng):
    x = rng.normal(size=(4, 7, 3)).astype("float32")
    layer = keras.layers.RNN(MemberCell(cell, members=3, units=5, seed=1))
    out = numpy(layer(np.tile(x, (1, 1, 3)))).reshape(4, 3, 5)
    grouped = layer.cell
    for member in range(3):
        reference = KERAS_LAYERS[cell](5)
        reference.build((None, 7, 3))
        bias = numpy(grouped.bias[member])
        reference.set_weights([numpy(grouped.kernel[member]),
                               numpy(grouped.recurrent_kernel[member]),
                               bias.reshape(2, -1) if cell == "gru" else bias])
        np.testing.assert_allclose(numpy(reference(x)), out[:, member], atol=1e-6)


def test_members_start_from_different_weights_like_separate_layers():
    cell = MemberCell("lstm", members=2, units=4, seed=0)
    keras.layers.RNN(cell)(np.zeros((1, 3, 2), dtype="float32"))
    kernel = numpy(cell.kernel)
    assert not np.allclose(kernel[0], kernel[1])
    bias = numpy(cell.bias)
    np.testing.assert_array_equal(bias[:, 4:8], 1.0)  # the LSTM forget gate starts open
    np.testing.assert_array_equal(np.delete(bias, np.s_[4:8], axis=1), 0.0)


def stack_model(members=3, bidirectional=True, num_layers=2, dropout=0.0, masked=False):
    values = keras.Input((None, 2))
    mask = keras.Input((None,), dtype="bool") if masked else None
    hidden = member_recurrent_stack(
        values, mask, members=members, cell="lstm", units=4, num_layers=num_layers,
        bidirectional=bidirectional, dropout=dropout, recurrent_dropout=0.0,
        seeds=SeedStream(0))
    return keras.Model([values, mask] if masked else values, hidden)


def test_stacked_bidirectional_members_stay_independent(rng):
    model = stack_model()
    x = rng.normal(size=(5, 6, 2)).astype("float32")
    before = numpy(model(x))
    assert before.shape == (5, 3, 8)
    # Zero every weight of member 0: members 1 and 2 must not change.
    for weight in model.weights:
        value = numpy(weight)
        value[0] = 0.0
        weight.assign(value)
    after = numpy(model(x))
    np.testing.assert_allclose(after[:, 1:], before[:, 1:], atol=1e-6)
    assert not np.allclose(after[:, 0], before[:, 0])


def test_padded_steps_change_nothing(rng):
    model = stack_model(masked=True)
    x = rng.normal(size=(1, 4, 2)).astype("float32")
    padded = np.concatenate([x, rng.normal(size=(1, 3, 2)).astype("float32")], axis=1)
    short = numpy(model([x, np.ones((1, 4), bool)]))
    long = numpy(model([padded, np.array([[True] * 4 + [False] * 3])]))
    np.testing.assert_allclose(long, short, atol=1e-5)


def test_each_member_draws_its_own_dropout_mask(rng):
    model = stack_model(members=2, bidirectional=False, num_layers=1, dropout=0.5)
    for weight in model.weights:  # make both members identical
        value = numpy(weight)
        value[1] = value[0]
        weight.assign(value)
    x = rng.normal(size=(8, 5, 2)).astype("float32")
    inference = numpy(model(x))
    np.testing.assert_allclose(inference[:, 0], inference[:, 1], atol=1e-6)
    training = numpy(model(x, training=True))
    assert not np.allclose(training[:, 0], training[:, 1])


def test_saved_and_loaded_in_safe_mode(tmp_path, rng):
    model = stack_model()
    x = rng.normal(size=(2, 5, 2)).astype("float32")
    path = tmp_path / "members.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    np.testing.assert_allclose(numpy(loaded(x)), numpy(model(x)), atol=1e-6)


def test_bad_member_count_and_cell_are_named():
    with pytest.raises(ValueError, match="3 members but 2 seeds"):
        PerMember("GlorotUniform", [1, 2])((3, 4, 5))
    with pytest.raises(ValueError, match="cell='cnn'"):
        MemberCell("cnn", members=2, units=3)
