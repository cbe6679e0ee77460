"""SequenceClassifier and SequenceRegressor: what they learn and what they keep."""

import random

import keras
import numpy as np
import pytest

from seqkit import SequenceClassifier, SequenceRegressor

from conftest import FAST, assert_float32_arithmetic, make_sign_data


def test_classifier_learns_ragged_sequences(rng):
    X, y = make_sign_data(rng, n=200, T=15, ragged=True)
    clf = SequenceClassifier(units=16, epochs=40, learning_rate=0.01, random_state=0).fit(X, y)
    assert clf.score(X, y) > 0.9
    proba = clf.predict_proba(X[:5])
    assert proba.shape == (5, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert set(clf.predict(X)) <= {"neg", "pos"}
    assert list(clf.classes_) == ["neg", "pos"]


def test_classifier_multiclass_with_integer_labels(rng):
    X = rng.normal(size=(150, 8, 1))
    y = np.digitize(X[:, :, 0].mean(axis=1), [-0.2, 0.2]) * 10  # labels 0, 10, 20
    clf = SequenceClassifier(units=16, epochs=40, learning_rate=0.01, random_state=0).fit(X, y)
    assert list(clf.classes_) == [0, 10, 20]
    assert clf.predict_proba(X).shape == (150, 3)
    assert clf.score(X, y) > 0.7


def test_class_weight_shifts_predictions(rng):
    X = rng.normal(size=(120, 6, 1))
    y = np.where(rng.random(120) < 0.2, "rare", "common")  # labels unrelated to X
    plain = SequenceClassifier(**FAST).fit(X, y)
    weighted = SequenceClassifier(**FAST, class_weight={"rare": 20.0, "common": 1.0}).fit(X, y)
    rare = list(plain.classes_).index("rare")
    assert weighted.predict_proba(X)[:, rare].mean() > plain.predict_proba(X)[:, rare].mean()


def test_sample_weight_zero_ignores_samples(rng):
    X, y = make_sign_data(rng, n=60)
    flipped = np.where(y == "pos", "neg", "pos")
    X2, y2 = np.concatenate([X, X]), np.concatenate([y, flipped])
    weights = np.r_[np.ones(60), np.zeros(60)]
    clf = SequenceClassifier(units=16, epochs=30, learning_rate=0.01, random_state=0)
    clf.fit(X2, y2, sample_weight=weights)
    assert clf.score(X, y) > 0.85


def test_regressor_single_and_multi_output(rng):
    X = rng.normal(size=(200, 10, 2))
    y = np.c_[X[:, :, 0].mean(axis=1) * 100, X[:, :, 1].max(axis=1)]
    params = dict(units=16, epochs=40, learning_rate=0.01, random_state=0)
    single = SequenceRegressor(**params).fit(X, y[:, 0])
    assert single.predict(X).shape == (200,)
    assert single.score(X, y[:, 0]) > 0.8  # targets in the hundreds: scaling works
    multi = SequenceRegressor(**params).fit(X, y)
    assert multi.predict(X).shape == (200, 2)
    assert multi.score(X, y) > 0.6


def test_same_random_state_same_predictions_and_no_global_seeds_changed(rng):
    X, y = make_sign_data(rng, n=80, ragged=True)
    random.seed(123)
    np.random.seed(123)
    python_state, numpy_state = random.getstate(), np.random.get_state()
    params = dict(units=8, epochs=4, dropout=0.2, random_state=7)
    first = SequenceClassifier(**params).fit(X, y).predict_proba(X)
    second = SequenceClassifier(**params).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(first, second)
    assert random.getstate() == python_state
    assert np.all(np.random.get_state()[1] == numpy_state[1])
    other = SequenceClassifier(**{**params, "random_state": 8}).fit(X, y).predict_proba(X)
    assert not np.allclose(first, other)


def test_equal_lengths_train_without_mask_and_still_predict_any_length(rng):
    X, y = make_sign_data(rng, n=60, T=8)
    params = dict(units=8, epochs=3, patience=None, random_state=3)
    clf = SequenceClassifier(**params, warm_start=True).fit(X, y)
    assert clf.network_spec_["masked"] is False
    assert [tensor.name for tensor in clf.model_.inputs] == ["values"]
    np.testing.assert_array_equal(
        clf.predict_proba(X), SequenceClassifier(**params).fit(X, y).predict_proba(X))
    # Sequences of other lengths: batches of one length each, so no padding is seen.
    ragged = [X[0][:3], X[1], np.vstack([X[2], X[3]]), X[4][:3]]
    together = clf.predict_proba(ragged)
    alone = np.vstack([clf.predict_proba([x]) for x in ragged])
    np.testing.assert_allclose(together, alone, atol=1e-6)
    # warm start on sequences of mixed lengths continues the same network
    model = clf.model_
    clf.fit([x[: 4 + i % 5] for i, x in enumerate(X)], y)
    assert clf.model_ is model and clf.n_iter_ == 6


def test_ensemble_members_learn_apart_and_are_averaged(rng):
    import pickle

    X, y = make_sign_data(rng, n=80)
    clf = SequenceClassifier(units=8, epochs=8, ensemble_size=3, learning_rate=0.01,
                             random_state=0).fit(X, y)
    members = clf._predict_outputs(X)
    assert members.shape == (80, 3, 2)
    assert not np.allclose(members[:, 0], members[:, 1])  # own initial weights
    np.testing.assert_allclose(clf.predict_proba(X), members.mean(axis=1), rtol=1e-6)
    assert clf.score(X, y) > 0.8
    copy = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(copy.predict_proba(X), clf.predict_proba(X))
    targets = np.c_[X[:, :, 0].sum(axis=1), X[:, :, 1].mean(axis=1)]
    reg = SequenceRegressor(units=8, epochs=8, ensemble_size=2, random_state=0)
    assert reg.fit(X, targets, sample_weight=np.ones(80)).predict(X).shape == (80, 2)


def test_conv_summary_feeds_the_output_layer_beside_the_recurrent_summary(rng):
    X, y = make_sign_data(rng, n=40, T=12)
    params = dict(FAST, conv_filters=5, epochs=15, learning_rate=0.01)
    plain = SequenceClassifier(**params, conv_summary=False).fit(X, y)
    both = SequenceClassifier(**params, conv_summary=True).fit(X, y)

    def output_width(clf):
        return clf.model_.layers[-1].kernel.shape[0]

    assert output_width(plain) == 8  # the recurrent summary
    assert output_width(both) == 8 + 5  # and the averaged convolution features
    assert both.score(X, y) > 0.85


def test_summary_dropout_drops_the_recurrent_summary_only_while_training(rng):
    X, y = make_sign_data(rng, n=40, T=12)
    params = dict(FAST, conv_filters=5, epochs=15, learning_rate=0.01)
    clf = SequenceClassifier(**params, summary_dropout=0.8).fit(X, y)
    dropouts = [layer for layer in clf.model_.layers if isinstance(layer, keras.layers.Dropout)]
    assert [layer.rate for layer in dropouts] == [0.8]
    assert dropouts[0].output.shape[-1] == 8  # the recurrent summary, not the conv average
    inputs = X[:8].astype("float32")
    training = [keras.ops.convert_to_numpy(clf.model_(inputs, training=True)) for _ in range(2)]
    assert not np.allclose(*training)  # dropped at random while training
    np.testing.assert_array_equal(clf.predict_proba(X), clf.predict_proba(X))
    plain = SequenceClassifier(**params).fit(X, y)
    assert not any(isinstance(layer, keras.layers.Dropout) for layer in plain.model_.layers)
    with pytest.raises(ValueError, match="summary_dropout"):
        SequenceClassifier(summary_dropout=1.0).fit(X, y)


def test_predict_dtype_float32_changes_precision_only_and_applies_after_fit(rng):
    import pickle

    X, y = make_sign_data(rng, n=60)
    clf = SequenceClassifier(**FAST).fit(X, y)
    assert clf.predict_dtype == "float32"  # the default
    fast = clf.predict_proba(X)
    exact = clf.set_params(predict_dtype="float64").predict_proba(X)
    assert fast.dtype == exact.dtype == np.float64  # scikit-learn's output type either way
    assert_float32_arithmetic(fast, exact)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(clf)).predict_proba(X), exact)
    np.testing.assert_array_equal(clf.set_params(predict_dtype="float32").predict_proba(X),
                                  fast)


def test_history_n_iter_and_early_stopping(rng):
    X, y = make_sign_data(rng, n=60)
    clf = SequenceClassifier(units=8, epochs=7, patience=None, random_state=0).fit(X, y)
    assert clf.n_iter_ == 7 and len(clf.history_["loss"]) == 7
    clf = SequenceClassifier(units=8, epochs=50, early_stopping=True, patience=2,
                             learning_rate=0.05, random_state=0).fit(X, y)
    assert "val_loss" in clf.history_
    assert clf.n_iter_ < 50  # a noisy validation loss stalls long before 50 epochs


def test_warm_start_continues_training(rng):
    X, y = make_sign_data(rng, n=60)
    clf = SequenceClassifier(units=8, epochs=3, patience=None, warm_start=True, random_state=0)
    clf.fit(X, y)
    weights = [w.copy() for w in clf.model_.get_weights()]
    model = clf.model_
    clf.fit(X, y)
    assert clf.model_ is model and clf.n_iter_ == 6
    after = clf.model_.get_weights()
    assert any(not np.array_equal(a, b) for a, b in zip(weights, after, strict=True))
    with pytest.raises(ValueError, match="warm_start=True cannot continue"):
        clf.fit(X[:, :, :1], y)


def test_keras_callbacks_are_called(rng):
    X, y = make_sign_data(rng, n=40)
    seen = []
    callback = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(epoch))
    SequenceClassifier(units=8, epochs=3, patience=None, callbacks=[callback]).fit(X, y)
    assert seen == [0, 1, 2]


def test_train_step_is_traced_once_per_fit(rng, monkeypatch):
    """The optimizer is built before training, so TensorFlow traces the step only once
    (with lazily created optimizer variables it traces it twice: double the overhead)."""
    if keras.backend.backend() != "tensorflow":
        pytest.skip("counts TensorFlow graph traces")
    traces = []
    original = keras.Model.train_step

    def counted(model, data):
        traces.append(1)
        return original(model, data)

    monkeypatch.setattr(keras.Model, "train_step", counted)
    X, y = make_sign_data(rng, n=40, ragged=True)
    SequenceClassifier(**FAST).fit(X, y)
    assert len(traces) == 1


def test_cosine_schedule_anneals_each_fit_from_learning_rate(rng):
    X, y = make_sign_data(rng, n=40)  # batches of 10: 4 steps per epoch, 12 in all
    rates = []

    class RecordRate(keras.callbacks.Callback):
        # Through ``self.model``, which under JAX syncs the training state into the
        # variables first (the estimator's ``model_`` holds no values mid-fit there).
        def on_train_batch_end(self, batch, logs=None):
            rates.append(float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate)))

    record = RecordRate()
    clf = SequenceClassifier(units=8, epochs=3, batch_size=10, patience=None,
                             early_stopping=False, learning_rate=0.01, lr_schedule="cosine",
                             warm_start=True, callbacks=[record])
    expected = [0.005 * (1 + np.cos(np.pi * step / 12)) for step in range(12)]
    for _ in range(2):  # a warm-started fit anneals anew from the same rate
        rates.clear()
        clf.fit(X, y)
        np.testing.assert_allclose(rates, expected, rtol=1e-6)
        assert float(clf.model_.optimizer.learning_rate) == pytest.approx(0.01)


def test_verbose_shows_progress(rng, capsys):
    X, y = make_sign_data(rng, n=40)
    SequenceClassifier(units=8, epochs=2, verbose=1).fit(X, y)
    assert "Epoch 2/2" in capsys.readouterr().out


def test_token_ids_with_padding_zeros(rng):
    ids = [list(rng.integers(1, 20, size=rng.integers(2, 9))) for _ in range(80)]
    y = [int(5 in s) for s in ids]
    clf = SequenceClassifier(embedding_dim=8, units=8, epochs=30, learning_rate=0.01,
                             random_state=0).fit(ids, y)
    assert clf.score(ids, y) > 0.85
    padded = np.zeros((3, 12), dtype=int)
    for row, seq in enumerate(ids[:3]):
        padded[row, : len(seq)] = seq
    np.testing.assert_allclose(clf.predict_proba(padded), clf.predict_proba(ids[:3]),
                               atol=1e-6)


def test_word_dropout_only_while_training(rng):
    from seqkit.networks import WordDropout

    ids = [list(rng.integers(1, 20, size=rng.integers(2, 9))) for _ in range(80)]
    y = [int(5 in s) for s in ids]
    clf = SequenceClassifier(embedding_dim=8, units=8, epochs=30, learning_rate=0.01,
                             word_dropout=0.1, random_state=0).fit(ids, y)
    assert any(isinstance(layer, WordDropout) for layer in clf.model_.layers)
    np.testing.assert_array_equal(clf.predict_proba(ids), clf.predict_proba(ids))
    assert clf.score(ids, y) > 0.8


def test_input_noise_only_while_training(rng):
    import keras

    X, y = make_sign_data(rng, n=60)
    clf = SequenceClassifier(**FAST, input_noise=0.5).fit(X, y)
    noise = [layer for layer in clf.model_.layers
             if isinstance(layer, keras.layers.GaussianNoise)]
    assert len(noise) == 1 and noise[0].stddev == 0.5
    values = keras.ops.convert_to_tensor(X[:5])
    noisy = [np.asarray(noise[0](values, training=True)) for _ in range(2)]
    assert not np.allclose(noisy[0], noisy[1])  # new noise at every training step
    np.testing.assert_array_equal(np.asarray(noise[0](values, training=False)), X[:5])
    np.testing.assert_array_equal(clf.predict_proba(X), clf.predict_proba(X))
    plain = SequenceClassifier(**FAST).fit(X, y)
    assert not np.allclose(plain.predict_proba(X), clf.predict_proba(X))  # it trained on noise


def test_2d_table_keeps_sklearn_feature_semantics(rng):
    X = rng.normal(size=(40, 6))
    y = (X.sum(axis=1) > 0).astype(int)
    clf = SequenceClassifier(**FAST).fit(X, y)
    assert clf.n_features_in_ == 6
    with pytest.raises(ValueError, match="X has 5 features"):
        clf.predict(X[:, :5])
    # The same univariate sequences as a 3-D array are accepted too.
    np.testing.assert_allclose(clf.predict_proba(X[:, :, None]), clf.predict_proba(X),
                               atol=1e-6)


def test_batches_padded_to_new_lengths_after_the_first_ones(rng):
    # Regression: the first two batches padded to 10 steps must not freeze the input
    # signature; later batches are padded to 5.
    X = [rng.normal(size=(10, 1)) for _ in range(60)] + [rng.normal(size=(5, 1))
                                                         for _ in range(40)]
    for seed in range(4):
        clf = SequenceClassifier(units=4, epochs=2, patience=None, random_state=seed)
        assert clf.fit(X, [0, 1] * 50).n_iter_ == 2


@pytest.mark.parametrize("n_outputs", [1, 2, 3])
def test_regressor_ensemble_with_members_unlike_outputs(rng, n_outputs):
    # Keras reshapes plain-function losses' targets to the predictions' rank; an ensemble
    # of 3 on 1 or 2 outputs broke that way (2 members on 2 outputs happened to work).
    X = rng.normal(size=(30, 6, 2))
    y = X.sum(axis=(1, 2)) if n_outputs == 1 else np.repeat(X.sum(axis=1)[:, :1], n_outputs, 1)
    reg = SequenceRegressor(units=4, conv_filters=4, epochs=2, ensemble_size=3, random_state=0)
    assert reg.fit(X, y).predict(X).shape == y.shape


@pytest.mark.parametrize("estimator", [SequenceRegressor, SequenceClassifier])
def test_diverged_training_is_an_error_not_nan_predictions(rng, estimator):
    """A learning rate far too high makes the weights NaN: fit says so instead of
    leaving a model whose every prediction is NaN (fit and partial_fit alike)."""
    X = rng.normal(size=(40, 5, 2))
    y = np.array([0, 1] * 20) if estimator is SequenceClassifier else rng.normal(size=40)
    diverging = dict(FAST, epochs=2, learning_rate=1e12, clipnorm=None, cell="rnn")
    # The first non-finite loss is named when the backend records one (TensorFlow
    # does; under JAX the recorded losses can stay finite while the weights diverge).
    message = (r"training diverged: the network's weights became NaN or infinite.* "
               r"lower learning_rate=1000000000000\.0, set clipnorm")
    with pytest.raises(ValueError, match=message):
        estimator(**diverging).fit(X, y)
    classes = dict(classes=[0, 1]) if estimator is SequenceClassifier else {}
    with pytest.raises(ValueError, match="training diverged"):
        estimator(**diverging).partial_fit(X, y, **classes)
