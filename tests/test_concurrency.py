"""predict from several threads: the results of serial calls, no error."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from seqkit import SequenceClassifier

from conftest import FAST, make_sign_data

THREADS, CALLS = 8, 200


def test_predict_from_eight_threads_matches_serial_calls(rng):
    X, y = make_sign_data(rng, n=40, ragged=True)
    clf = SequenceClassifier(**FAST).fit(X, y)
    inputs = [[X[(i * 7 + j) % 40] for j in range(1 + i % 5)] for i in range(THREADS * CALLS)]
    serial = [clf.predict_proba(x) for x in inputs]

    def calls(thread):
        return [clf.predict_proba(inputs[i]) for i in range(thread, len(inputs), THREADS)]

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(calls, range(THREADS)))
    for thread, outputs in enumerate(results):
        for i, output in zip(range(thread, len(inputs), THREADS), outputs, strict=True):
            np.testing.assert_array_equal(output, serial[i])


def test_predict_while_another_estimator_fits(rng):
    X, y = make_sign_data(rng, n=40, ragged=True)
    clf = SequenceClassifier(**FAST).fit(X, y)
    expected = clf.predict_proba(X)
    with ThreadPoolExecutor(2) as pool:
        fitting = pool.submit(SequenceClassifier(**FAST).fit, X, y)
        predicted = []
        while not fitting.done():
            predicted.append(clf.predict_proba(X))
        fitting.result()
    assert predicted
    for output in predicted:
        np.testing.assert_array_equal(output, expected)
