"""Pickle, clone, joblib, model selection and memory across many fits."""

import pickle
import subprocess
import sys

import joblib
import numpy as np
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline

from seqkit import SequenceClassifier, SequenceRegressor
from seqkit.text import Tokenizer

from conftest import FAST, make_sign_data

FRESH_PROCESS = """
import os, pickle, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np
with open(sys.argv[1], "rb") as f:
    model, X = pickle.load(f)
np.save(sys.argv[2], model.predict(X))
np.savez(sys.argv[3], *model.model_.get_weights())
"""


def test_pickle_round_trip_in_a_fresh_process(rng, tmp_path):
    X = [rng.normal(size=(int(n), 2)) for n in rng.integers(3, 12, size=50)]
    y = np.array([[x[:, 0].sum(), x[:, 1].max()] for x in X])
    reg = SequenceRegressor(**FAST, bidirectional=True).fit(X, y)
    path = tmp_path / "model.pkl"
    path.write_bytes(pickle.dumps((reg, X)))
    out, weights = tmp_path / "pred.npy", tmp_path / "weights.npz"
    subprocess.run([sys.executable, "-c", FRESH_PROCESS, str(path), str(out), str(weights)],
                   check=True)
    # The weights come back bit for bit; the (float32) predictions agree to float32
    # rounding only, because the order of oneDNN's reductions depends on the thread
    # count, which other tests in this worker (tests/test_threads.py) may have changed.
    restored = np.load(weights)
    for i, w in enumerate(reg.model_.get_weights()):
        np.testing.assert_array_equal(restored[f"arr_{i}"], w)
    np.testing.assert_allclose(np.load(out), reg.predict(X), rtol=1e-5, atol=1e-5)


def test_joblib_and_clone(rng, tmp_path):
    X, y = make_sign_data(rng, n=30)
    clf = SequenceClassifier(**FAST).fit(X, y)
    joblib.dump(clf, tmp_path / "clf.joblib")
    np.testing.assert_array_equal(joblib.load(tmp_path / "clf.joblib").predict_proba(X),
                                  clf.predict_proba(X))
    fresh = clone(clf)
    assert fresh.get_params() == clf.get_params()
    assert not hasattr(fresh, "model_")


def test_grid_search_in_two_processes(rng):
    X, y = make_sign_data(rng, n=60)
    search = GridSearchCV(SequenceClassifier(epochs=3, random_state=0),
                          {"units": [4, 8], "cell": ["gru"]}, cv=2, n_jobs=2)
    search.fit(X, y)
    assert search.best_params_["units"] in (4, 8)
    assert search.predict(X).shape == (60,)


def test_cross_val_score(rng):
    X, y = make_sign_data(rng, n=60, ragged=True)
    scores = cross_val_score(SequenceClassifier(**FAST), X, y, cv=3)
    assert scores.shape == (3,) and np.all((0 <= scores) & (scores <= 1))


def test_pipeline_with_tokenizer_in_grid_search():
    good = ["a good film", "great acting", "good fun", "a great plot", "fun and good"]
    bad = ["a bad film", "awful acting", "bad fun", "an awful plot", "dull and bad"]
    texts, labels = good * 4 + bad * 4, ["pos"] * 20 + ["neg"] * 20
    pipe = make_pipeline(Tokenizer(), SequenceClassifier(embedding_dim=8, units=8, epochs=30,
                                                         learning_rate=0.02, random_state=0))
    search = GridSearchCV(pipe, {"tokenizer__lowercase": [True, False]}, cv=2)
    search.fit(texts, labels)
    assert search.score(texts, labels) > 0.9
    assert list(search.predict(["good acting", "awful film"])) == ["pos", "neg"]


def test_fits_leave_no_graph_entries_behind(rng):
    from tensorflow.python.framework import ops

    X, y = make_sign_data(rng, n=30)
    SequenceClassifier(**FAST).fit(X, y)
    before = len(ops._gradient_registry._registry)
    for _ in range(3):
        SequenceClassifier(**FAST).fit(X, y)
    assert len(ops._gradient_registry._registry) == before
