"""partial_fit: training by chunks (seqkit.incremental) and scikit-learn's conventions for
incremental estimators."""

import pickle

import numpy as np
import pytest
from conftest import make_sign_data
from sklearn.base import clone

import seqkit
from seqkit import SequenceClassifier, SequenceRegressor, SequenceTagger

# Tiny networks; a constant learning rate, as partial_fit trains.
SMALL = dict(units=8, conv_filters=None, batch_size=16, random_state=0)
CLASSES = ["neg", "pos"]
SENTENCES = [["the", "cat", "sat"], ["a", "dog", "ran", "off"], ["the", "dog", "sat"],
             ["a", "cat", "ran"]] * 6
TAGS = [["DET", "NOUN", "VERB"], ["DET", "NOUN", "VERB", "ADV"], ["DET", "NOUN", "VERB"],
        ["DET", "NOUN", "VERB"]] * 6
TAG_SET = ["ADV", "DET", "NOUN", "VERB"]
SMALL_TAGGER = dict(units=8, embedding_dim=8, char_features=None, random_state=0)


@pytest.fixture
def data(rng):
    return make_sign_data(rng, n=64, T=8)


def chunks(X, y, size):
    return [(X[i:i + size], y[i:i + size]) for i in range(0, len(y), size)]


# ------------------------------------------------------------------ classes
def test_first_call_requires_classes(data):
    X, y = data
    with pytest.raises(ValueError, match="classes is required on the first call"):
        SequenceClassifier(**SMALL).partial_fit(X, y)
    with pytest.raises(ValueError, match="classes is required"):
        SequenceTagger(**SMALL_TAGGER).partial_fit(SENTENCES, TAGS)


def test_a_first_chunk_may_hold_one_class_of_those_given(data):
    X, y = data
    clf = SequenceClassifier(**SMALL).partial_fit(X[y == "pos"], y[y == "pos"],
                                                  classes=CLASSES)
    assert clf.classes_.tolist() == CLASSES
    assert clf.predict_proba(X[:3]).shape == (3, 2)


def test_later_classes_must_equal_the_first(data):
    X, y = data
    clf = SequenceClassifier(**SMALL).partial_fit(X, y, classes=CLASSES)
    clf.partial_fit(X, y, classes=["pos", "neg"])  # the same set, in another order
    with pytest.raises(ValueError, match=r"classes=\['neg', 'pos', 'zero'\] differs from "
                                         r"classes_=\['neg', 'pos'\]"):
        clf.partial_fit(X, y, classes=["neg", "pos", "zero"])


def test_labels_outside_classes_are_named(data):
    X, y = data
    clf = SequenceClassifier(**SMALL).partial_fit(X, y, classes=CLASSES)
    y_new = y.copy().astype(object)
    y_new[:2] = ["zero", "up"]
    with pytest.raises(ValueError, match=r"label\(s\) \['up', 'zero'\], which are not in "
                                         r"classes_=\['neg', 'pos'\]"):
        clf.partial_fit(X, y_new)
    assert clf.n_iter_ == 1  # the refused chunk trained nothing
    tagger = SequenceTagger(**SMALL_TAGGER).partial_fit(SENTENCES, TAGS, classes=TAG_SET)
    with pytest.raises(ValueError, match=r"\['PRON'\], which are not in classes_"):
        tagger.partial_fit([["it", "ran"]], [["PRON", "VERB"]])


def test_regressor_takes_no_classes(data):
    X, _ = data
    with pytest.raises(ValueError, match=r"classes=\[0, 1\] was given, but SequenceRegressor "
                                         "has no classes"):
        SequenceRegressor(**SMALL).partial_fit(X, X[:, 0, 0], classes=[0, 1])


def test_balanced_class_weight_is_refused(data):
    X, y = data
    with pytest.raises(ValueError, match="class_weight='balanced' is not supported"):
        SequenceClassifier(class_weight="balanced", **SMALL).partial_fit(X, y, classes=CLASSES)
    weighted = SequenceClassifier(class_weight={"pos": 2.0}, **SMALL)
    weighted.partial_fit(X[y == "neg"], y[y == "neg"], classes=CLASSES)  # no "pos" here


# ---------------------------------------------------------- the fit lifecycle
def test_each_call_is_one_epoch_and_the_optimizer_persists(data):
    X, y = data
    clf = SequenceClassifier(**SMALL)
    for X_part, y_part in chunks(X, y, 32):
        clf.partial_fit(X_part, y_part, classes=CLASSES)
    optimizer = clf.model_.optimizer
    clf.partial_fit(X, y)
    assert clf.n_iter_ == 3 and len(clf.history_["loss"]) == 3
    assert clf.model_.optimizer is optimizer
    assert int(optimizer.iterations.numpy()) == 2 + 2 + 4  # batches of 16, in all calls
    assert float(optimizer.learning_rate.numpy()) == pytest.approx(clf.learning_rate)


def test_input_scaling_is_fixed_by_the_first_call(data):
    X, y = data
    clf = SequenceClassifier(**SMALL).partial_fit(X[:32], y[:32], classes=CLASSES)
    mean, scale = clf.input_scaling_
    np.testing.assert_allclose(mean, X[:32].reshape(-1, 2).mean(axis=0), rtol=1e-5)
    clf.partial_fit(X[32:] * 10 + 5, y[32:])
    assert clf.input_scaling_[0] is mean and clf.input_scaling_[1] is scale


def test_later_chunks_must_have_the_same_features(data):
    X, y = data
    clf = SequenceClassifier(**SMALL).partial_fit(X, y, classes=CLASSES)
    with pytest.raises(ValueError, match="X has 3 features per step, but SequenceClassifier "
                                         "was fitted with 2"):
        clf.partial_fit(np.concatenate([X, X[:, :, :1]], axis=2), y)
    target = (y == "pos").astype(float)
    table = SequenceRegressor(**SMALL).partial_fit(X[:, :, 0], target)
    with pytest.raises(ValueError, match="X has 7 features"):
        table.partial_fit(X[:, :7, 0], target)


def test_partial_fit_after_fit_continues_from_the_fitted_network(data):
    X, y = data
    clf = SequenceClassifier(epochs=2, lr_schedule="constant", **SMALL).fit(X, y)
    model, optimizer, weights = clf.model_, clf.model_.optimizer, clf.model_.get_weights()
    steps = int(optimizer.iterations.numpy())
    clf.partial_fit(X[:16], y[:16])
    assert clf.model_ is model and clf.model_.optimizer is optimizer
    assert int(optimizer.iterations.numpy()) == steps + 1
    assert clf.n_iter_ == 3 and clf.classes_.tolist() == CLASSES
    assert not np.array_equal(clf.model_.get_weights()[0], weights[0])


def test_fit_after_partial_fit_starts_anew(data):
    X, y = data
    clf = SequenceClassifier(epochs=1, **SMALL).partial_fit(X, y, classes=CLASSES)
    clf.partial_fit(X, y)
    model = clf.model_
    labels = np.where(y == "pos", "a", "b")
    clf.fit(X, labels)
    assert clf.model_ is not model and clf.n_iter_ == 1
    assert clf.classes_.tolist() == ["a", "b"]
    fresh = SequenceClassifier(epochs=1, **SMALL).fit(X, labels)
    np.testing.assert_allclose(clf.predict_proba(X), fresh.predict_proba(X), atol=1e-6)


def test_clone_of_a_partially_fitted_estimator_is_unfitted(data):
    X, y = data
    clf = SequenceClassifier(**SMALL).partial_fit(X, y, classes=CLASSES)
    copy = clone(clf)
    assert not hasattr(copy, "model_") and not hasattr(copy, "classes_")
    with pytest.raises(ValueError, match="classes is required"):
        copy.partial_fit(X, y)


@pytest.mark.parametrize("how", ["pickle", "save"])
def test_saved_partial_fit_continues_with_its_optimizer_state(data, tmp_path, how):
    """Continuing after a round trip trains exactly as continuing without one: the Adam
    moments and step count travel in the network's ``.keras`` entry."""
    X, y = data
    clf = SequenceClassifier(**SMALL).partial_fit(X, y, classes=CLASSES)
    if how == "pickle":
        loaded = pickle.loads(pickle.dumps(clf))
    else:
        loaded = seqkit.load(clf.save(tmp_path / "partial.seqkit"))
    assert int(loaded.model_.optimizer.iterations.numpy()) == 4
    for estimator in (clf, loaded):
        estimator.partial_fit(X[:32], y[:32])
    assert loaded.n_iter_ == clf.n_iter_ == 2
    np.testing.assert_allclose(loaded.predict_proba(X), clf.predict_proba(X), atol=1e-5)
    # A fresh optimizer (what a loaded network had before) would train differently.
    restarted = pickle.loads(pickle.dumps(SequenceClassifier(**SMALL).partial_fit(
        X, y, classes=CLASSES)))
    restarted.model_.optimizer = None
    restarted.partial_fit(X[:32], y[:32])
    assert np.abs(restarted.predict_proba(X) - clf.predict_proba(X)).max() > 1e-4


# ------------------------------------------------------ what is fixed by the first call
def test_tagger_vocabulary_is_fixed_by_the_first_call():
    tagger = SequenceTagger(**SMALL_TAGGER).partial_fit(SENTENCES, TAGS, classes=TAG_SET)
    vocabulary = dict(tagger.vocabulary_)
    tagger.partial_fit([["the", "bird", "flew"]], [["DET", "NOUN", "VERB"]])
    assert tagger.vocabulary_ == vocabulary and "bird" not in vocabulary
    assert len(tagger.predict([["the", "bird", "flew"]])[0]) == 3


def test_token_ids_are_fixed_by_the_first_call(rng):
    X = rng.integers(1, 10, size=(32, 6))
    y = np.where(X.sum(axis=1) > 30, "hi", "lo")
    clf = SequenceClassifier(embedding_dim=4, **SMALL).partial_fit(X, y, classes=["hi", "lo"])
    assert clf.resolved_params_["ensemble_size"] == 3  # the token recipe's ensemble trains
    with pytest.raises(ValueError, match="token id 12, but the network knows ids 0 to 9"):
        clf.partial_fit(np.where(X == 9, 12, X), y)


# --------------------------------------------------------------- training by chunks
def test_streamed_from_disk_reaches_the_in_memory_accuracy(tmp_path):
    """Training by chunks read from a memory-mapped file reaches the test accuracy of an
    in-memory ``fit`` of the same epochs, constant learning rate, within 0.05 (both must
    exceed 0.85). The task: whether a sequence's first feature has the mean 0.5 or -0.5
    (noise of spread 1; the best possible accuracy is about 0.98)."""
    rng = np.random.default_rng(1)
    n_train, T, F, epochs, chunk = 480, 16, 2, 6, 120
    y_all = rng.choice(np.array(["neg", "pos"]), size=n_train + 300)
    X_all = rng.normal(size=(n_train + 300, T, F)).astype(np.float32)
    X_all[:, :, 0] += np.where(y_all == "pos", 0.5, -0.5)[:, None]
    path = tmp_path / "X.f32"
    on_disk = np.memmap(path, dtype=np.float32, mode="w+", shape=(n_train, T, F))
    on_disk[:] = X_all[:n_train]
    on_disk.flush()
    del on_disk
    y_train, X_test, y_test = y_all[:n_train], X_all[n_train:], y_all[n_train:]
    params = dict(units=16, conv_filters=None, pooling="mean", batch_size=32,
                  learning_rate=0.01, lr_schedule="constant", early_stopping=False,
                  patience=None, random_state=0)

    streamed = SequenceClassifier(**params)
    for _ in range(epochs):
        X_disk = np.memmap(path, dtype=np.float32, mode="r", shape=(n_train, T, F))
        for start in range(0, n_train, chunk):
            rows = slice(start, start + chunk)
            streamed.partial_fit(X_disk[rows], y_train[rows], classes=["neg", "pos"])
        del X_disk
    in_memory = SequenceClassifier(epochs=epochs, **params).fit(X_all[:n_train], y_train)

    streamed_accuracy = streamed.score(X_test, y_test)
    in_memory_accuracy = in_memory.score(X_test, y_test)
    print(f"streamed {streamed_accuracy:.3f}, in memory {in_memory_accuracy:.3f}")
    assert streamed.n_iter_ == epochs * n_train // chunk
    assert streamed_accuracy > 0.85 and in_memory_accuracy > 0.85
    assert abs(streamed_accuracy - in_memory_accuracy) <= 0.05


def test_regressor_chunks_reduce_the_loss(rng):
    X = rng.normal(size=(96, 8, 1)).astype("float32")
    y = X[:, :, 0].mean(axis=1)
    reg = SequenceRegressor(learning_rate=0.01, **SMALL)
    for _ in range(6):
        for X_part, y_part in chunks(X, y, 32):
            reg.partial_fit(X_part, y_part)
    losses = np.array(reg.history_["loss"]).reshape(6, 3).mean(axis=1)
    assert losses[-1] < 0.5 * losses[0]
    assert reg.score(X, y) > 0.5


def test_tagger_chunks_reduce_the_loss():
    tagger = SequenceTagger(learning_rate=0.1, **SMALL_TAGGER)
    for _ in range(6):
        for i in range(0, len(SENTENCES), 8):
            tagger.partial_fit(SENTENCES[i:i + 8], TAGS[i:i + 8], classes=TAG_SET)
    losses = np.array(tagger.history_["loss"]).reshape(6, 3).mean(axis=1)
    assert losses[-1] < 0.5 * losses[0]
    assert tagger.score(SENTENCES, TAGS) > 0.9
