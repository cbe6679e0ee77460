"""Prediction streams its batches: a set predicts as its parts do, and memory stays bounded.

``predict`` standardises and pads one batch at a time (``BaseSequenceEstimator.
_predict_batches``); these tests check that a sequence's output does not depend on the
other sequences it is predicted with, that the streamed outputs equal those of the whole
set standardised and padded at once, and that no copy of the whole input is made.
"""

import tracemalloc

import numpy as np
import pytest
from conftest import FAST, make_sign_data

from seqkit import SequenceClassifier, SequenceRegressor
from seqkit._backend import supports_float64

# float64 prediction: the same sequence's output agrees to rounding in any batch.
RTOL = 1e-12 if supports_float64() else 1e-5


def float32_tolerance() -> float:
    """How far a sequence's float32 output may move with its batch: a few float32 ulps
    under TensorFlow, where fixed batch shapes leave only the GEMM kernels' choice by a
    batch's row count (bit for bit on the machine of session 16; within 3e-7 relative on
    an AMD EPYC with AVX2, 2026-12-05); without fixed shapes it moved by up to 8e-6.
    1e-5 on other backends."""
    import keras

    return 1e-6 if keras.backend.backend() == "tensorflow" else 1e-5


def parts(X, indices):
    return [X[i] for i in indices] if isinstance(X, list) else X[indices]


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(0)
    X, y = make_sign_data(rng, n=90, T=12, F=2, ragged=True)
    clf = SequenceClassifier(**FAST, conv_filters=None).fit(X, y)
    table = rng.normal(size=(90, 9))
    reg = SequenceRegressor(**FAST, conv_filters=None).fit(table, table.sum(axis=1))
    return [(clf, X, clf.predict_proba), (reg, table, reg.predict)]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("case", [0, 1], ids=["classifier, ragged", "regressor, table"])
def test_a_set_predicts_as_its_parts_in_any_order(fitted, case, dtype):
    """float64: equal to rounding. float32: equal to a few ulps (fixed batch shapes)."""
    estimator, X, predict = fitted[case]
    estimator.set_params(predict_dtype=dtype)
    n = len(X)
    try:
        whole = predict(X)
        one_by_one = np.concatenate([predict(parts(X, [i])) for i in range(n)])
        order = np.random.default_rng(1).permutation(n)
        shuffled = np.empty_like(whole)
        shuffled[order] = predict(parts(X, order))
        chunks = np.concatenate([predict(parts(X, np.arange(s, min(s + 23, n))))
                                 for s in range(0, n, 23)])
        labels = estimator.predict(X)
    finally:
        estimator.set_params(predict_dtype="float32")  # the default; the fixture is shared
    np.testing.assert_array_equal(shuffled, whole)  # batches follow contents, not order
    tolerance = RTOL if dtype == "float64" else float32_tolerance()
    for other in (one_by_one, chunks):
        np.testing.assert_allclose(other, whole, rtol=tolerance, atol=tolerance)
    if case == 0:
        np.testing.assert_array_equal(labels, estimator.classes_[np.argmax(one_by_one, 1)])


def test_float32_outputs_stay_within_float32_rounding_of_float64(fitted):
    clf, X, _ = fitted[0]
    fast = clf.predict_proba(X)
    try:
        exact = clf.set_params(predict_dtype="float64").predict_proba(X)
    finally:
        clf.set_params(predict_dtype="float32")
    np.testing.assert_allclose(fast, exact, rtol=0, atol=1e-5)


def test_streamed_batches_equal_the_whole_set_padded_at_once(fitted):
    clf, X, _ = fitted[0]
    sequences = clf._scaled(clf._to_sequences(X, reset=False))
    everything = sequences.model_inputs(np.arange(len(X)))  # the old way: all at once
    at_once = clf._current_predictor()(everything)  # float32, the default
    tolerance = float32_tolerance()
    np.testing.assert_allclose(clf._predict_outputs(X), at_once, rtol=tolerance,
                               atol=tolerance)


def test_a_bad_value_is_named_by_its_index_in_x_not_in_its_batch(rng):
    X, y = make_sign_data(rng, n=60, T=6, ragged=True)
    X = [x * 1e-3 for x in X]
    clf = SequenceClassifier(**dict(FAST, epochs=1), conv_filters=None).fit(X, y)
    X[57] = X[57].copy()
    X[57][1, 0] = 1e38  # within float32, beyond it once standardised with a spread of 1e-3
    with pytest.raises(ValueError, match=r"X\[57\] contains 1e\+38 at index \(1, 0\)"):
        clf.predict(X)


def test_prediction_never_copies_the_whole_input():
    """20,000 sequences of up to 128 steps x 8 features hold ~41 MB; padded all at once
    they would take ~82 MB, and a standardised copy as much as the input. Streamed,
    NumPy's peak beyond the input is the outputs, the sort keys and a few batches."""
    rng = np.random.default_rng(0)
    n, features = 20_000, 8
    lengths = rng.integers(1, 129, n)
    X = [rng.normal(size=(int(t), features)).astype(np.float32) for t in lengths]
    y = np.arange(n) % 2
    clf = SequenceClassifier(units=4, epochs=1, conv_filters=None, random_state=0,
                             early_stopping=False).fit(X[:64], y[:64])
    input_mb = sum(x.nbytes for x in X) / 2**20
    tracemalloc.start()
    try:
        labels = clf.predict(X)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert labels.shape == (n,)
    assert input_mb > 35
    assert peak / 2**20 < 8, f"peak {peak / 2**20:.1f} MB beyond the {input_mb:.0f} MB input"


def test_tagger_float32_tags_a_set_as_its_sentences():
    from seqkit import SequenceTagger

    rng = np.random.default_rng(0)
    words = [["the", "cat", "sat"][: int(k)] + ["on", "a", "mat"] * int(m)
             for k, m in zip(rng.integers(1, 4, 40), rng.integers(1, 4, 40), strict=True)]
    tags = [["D" if w in ("the", "a") else "N" for w in s] for s in words]
    tagger = SequenceTagger(units=8, epochs=1, random_state=0,
                            predict_dtype="float32").fit(words, tags)
    whole = tagger.predict_proba(words)
    one_by_one = [tagger.predict_proba([s])[0] for s in words]
    tolerance = float32_tolerance()
    for a, b in zip(whole, one_by_one, strict=True):
        np.testing.assert_allclose(a, b, rtol=tolerance, atol=tolerance)
