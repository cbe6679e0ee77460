"""seqkit.augmentation: training-time changes of the input, none at prediction."""

import numpy as np
import pytest

from seqkit import SequenceClassifier
from seqkit.augmentation import WindowSlice

from conftest import FAST, make_sign_data


def ramps(lengths, width, padding_value=1e6):
    """Series ``0, 1, 2, ...`` of the given real lengths, in two features, padded to ``width``."""
    values = np.full((len(lengths), width, 2), padding_value, dtype="float32")
    mask = np.zeros((len(lengths), width), dtype=bool)
    for i, length in enumerate(lengths):
        values[i, :length, 0] = np.arange(length)
        values[i, :length, 1] = -np.arange(length)
        mask[i, :length] = True
    return values, mask


def test_window_slice_passes_input_through_at_prediction():
    values, mask = ramps([10, 6], 10)
    layer = WindowSlice(0.8, seed=0)
    np.testing.assert_array_equal(np.asarray(layer(values, mask=mask)), values)
    np.testing.assert_array_equal(np.asarray(layer(values, mask=mask, training=False)), values)


@pytest.mark.parametrize("keep", [0.9, 0.5])
def test_window_slice_stretches_a_window_of_the_real_steps(keep):
    lengths = [10, 6, 3, 1]
    values, mask = ramps(lengths, 10)
    sliced = np.asarray(WindowSlice(keep, seed=1)(values, mask=mask, training=True))
    for row, length in zip(sliced, lengths, strict=True):
        real = row[:length, 0]
        # a ramp resampled linearly stays a ramp, with slope ``keep``, inside the series
        np.testing.assert_allclose(np.diff(real), keep, rtol=1e-5)
        assert 0 <= real[0] <= (1 - keep) * (length - 1) + 1e-5
        assert real[-1] <= length - 1 + 1e-5
        np.testing.assert_allclose(row[:length, 1], -real, rtol=1e-5)  # one window per series
        assert np.all(np.abs(row) < 1e5)  # padded values are never read


def test_window_slice_draws_new_windows_and_is_seeded():
    values, mask = ramps([20] * 8, 20)
    first, second = WindowSlice(0.7, seed=3), WindowSlice(0.7, seed=3)
    draws = [np.asarray(first(values, mask=mask, training=True)) for _ in range(2)]
    assert not np.allclose(draws[0], draws[1])  # a new window at every training step
    assert len({round(float(row[0, 0]), 4) for row in draws[0]}) > 1  # and per series
    np.testing.assert_array_equal(np.asarray(second(values, mask=mask, training=True)), draws[0])


def test_window_slice_without_mask_uses_all_steps():
    values, _ = ramps([12] * 3, 12)
    sliced = np.asarray(WindowSlice(0.75, seed=0)(values, training=True))
    np.testing.assert_allclose(np.diff(sliced[..., 0], axis=1), 0.75, rtol=1e-5)
    assert np.all(sliced[:, -1, 0] <= 11 + 1e-5)


def test_classifier_trains_on_slices_and_predicts_deterministically(rng):
    X, y = make_sign_data(rng, n=60, T=12, ragged=True)
    clf = SequenceClassifier(**FAST, window_slice=0.8).fit(X, y)
    assert sum(isinstance(layer, WindowSlice) for layer in clf.model_.layers) == 1
    np.testing.assert_array_equal(clf.predict_proba(X), clf.predict_proba(X))
    plain = SequenceClassifier(**FAST).fit(X, y)
    assert not np.allclose(plain.predict_proba(X), clf.predict_proba(X))  # it trained on slices
