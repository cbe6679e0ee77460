"""Export for serving: the SavedModel and the ONNX file give what ``predict`` gives.

Every case exports a small fitted estimator in both formats, runs the export in
TensorFlow (``tf.saved_model.load``) and in onnxruntime on batches whose sequences
differ in length (and whose length differs from the batch size), and compares with
``predict_proba`` / ``predict`` to 1e-5.
"""

import json

import numpy as np
import pytest

from seqkit import RNNForecaster, SequenceClassifier, SequenceRegressor, SequenceTagger
from seqkit.export import padded_inputs, read_sidecar, viterbi

FORMATS = ["tf_saved_model", "onnx"]
TOLERANCE = 1e-5
RNG = np.random.default_rng(0)
RAGGED = [RNG.normal(size=(int(n), 3)) * [1.0, 50.0, 0.01] + [0.0, 100.0, -3.0]
          for n in RNG.integers(2, 12, size=40)]
WORDS = ["the", "cat", "dog", "sat", "ran", "on", "a", "mat", "Paris", "1984", "big"]
SENTENCES = [[WORDS[i] for i in RNG.integers(0, len(WORDS), size=int(n))]
             for n in RNG.integers(1, 9, size=30)]
TAGS = [["X" if w[0].isupper() else "N" if w[0].isdigit() else ("D" if len(w) < 3 else "W")
         for w in s] for s in SENTENCES]
TINY = dict(units=4, epochs=1, random_state=0)


def run_export(folder, format, inputs: dict) -> np.ndarray:
    """The exported network's output for ``inputs``, run by TensorFlow or onnxruntime."""
    sidecar = read_sidecar(folder)
    artifact = str(folder / sidecar["artifact"])
    if format == "onnx":
        import onnxruntime

        session = onnxruntime.InferenceSession(artifact, providers=["CPUExecutionProvider"])
        return session.run(None, inputs)[0]
    import tensorflow as tf

    loaded = tf.saved_model.load(artifact)  # held: its variables die with it
    return loaded.serve(inputs).numpy()


def exported(estimator, tmp_path, format):
    folder = tmp_path / format
    assert estimator.export(folder, format=format) == folder
    return folder


# Unseen words, a one-token sentence, a long word, and a batch of 5 whose lengths differ.
NEW_SENTENCES = [["the", "zebra", "sat", "on", "Lyon"], ["ran"],
                 ["a", "supercalifragilistic", "1999", "dog"], SENTENCES[0], ["big", "cat"]]


@pytest.fixture(scope="module")
def estimators():
    """Small fitted estimators, one per network shape the export must handle."""
    y = np.array(["p", "q", "r"])[RNG.integers(0, 3, size=len(RAGGED))]
    dense = np.stack([RNG.normal(size=(6, 3)) for _ in range(40)])
    ids = [RNG.integers(1, 20, size=int(n)) for n in RNG.integers(1, 9, size=40)]
    arrays = [RNG.normal(size=(len(s), 2)) * 10 for s in SENTENCES]
    return {
        # An ensemble: the exported network averages its members as predict does.
        "classifier, ragged, ensemble": SequenceClassifier(ensemble_size=2, **TINY).fit(
            RAGGED, y),
        # Trained without a mask input (all lengths equal); served on ragged batches.
        "classifier, equal lengths": SequenceClassifier(**TINY).fit(dense, y),
        "classifier, token ids": SequenceClassifier(embedding_dim=4, pooling="mean",
                                                    **TINY).fit(ids, y),
        "regressor": SequenceRegressor(**TINY).fit(RAGGED, RNG.normal(size=40) * 7 + 2),
        "regressor, 2 outputs": SequenceRegressor(pooling="max", **TINY).fit(
            RAGGED, RNG.normal(size=(40, 2))),
        "tagger": SequenceTagger(ensemble_size=2, **TINY).fit(SENTENCES, TAGS),
        "tagger, crf": SequenceTagger(crf=True, **TINY).fit(SENTENCES, TAGS),
        "tagger, crf ensemble": SequenceTagger(crf=True, ensemble_size=2, char_features=None,
                                               **TINY).fit(SENTENCES, TAGS),
        "tagger, arrays": SequenceTagger(**TINY).fit(arrays, TAGS),
    }


def serving_data(name):
    """The sequences each case is served with."""
    if name.startswith("classifier, token"):
        return [RNG.integers(1, 20, size=int(n)) for n in (3, 7, 1, 4, 4)]
    if name == "tagger, arrays":
        return [RNG.normal(size=(n, 2)) * 10 for n in (5, 1, 8, 2)]
    if name.startswith("tagger"):
        return NEW_SENTENCES
    return [RNG.normal(size=(n, 3)) * [1.0, 50.0, 0.01] + [0.0, 100.0, -3.0]
            for n in (4, 9, 1, 6, 13, 2, 2)]


CASES = ["classifier, ragged, ensemble", "classifier, equal lengths", "classifier, token ids",
         "regressor", "regressor, 2 outputs", "tagger", "tagger, crf", "tagger, crf ensemble",
         "tagger, arrays"]


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("name", CASES)
def test_export_matches_predict(estimators, tmp_path, name, format):
    estimator = estimators[name]
    X = serving_data(name)
    folder = exported(estimator, tmp_path, format)
    sidecar = read_sidecar(folder)
    out = run_export(folder, format, padded_inputs(sidecar, X))
    lengths = [len(s) for s in X]
    assert out.shape[0] == len(X)
    if name.startswith("classifier"):
        assert out.shape == (len(X), len(sidecar["classes"]))
        np.testing.assert_allclose(out, estimator.predict_proba(X), rtol=0, atol=TOLERANCE)
        labels = np.array(sidecar["classes"])[out.argmax(axis=1)]
        assert labels.tolist() == estimator.predict(X).tolist()
    elif name.startswith("regressor"):
        np.testing.assert_allclose(out, estimator.predict(X), rtol=TOLERANCE, atol=TOLERANCE)
    elif sidecar["crf"] is None:
        # The time axis keeps the padded width (no TimeDistributed shape pitfall).
        assert out.shape == (len(X), max(lengths), len(sidecar["tags"]))
        for row, length, proba in zip(out, lengths, estimator.predict_proba(X), strict=True):
            np.testing.assert_allclose(row[:length], proba, rtol=0, atol=TOLERANCE)
    else:
        crf = sidecar["crf"]
        tags = [np.array(sidecar["tags"])[viterbi(row[:length], **crf)].tolist()
                for row, length in zip(out, lengths, strict=True)]
        assert tags == estimator.predict(X)


def test_one_sequence_alone_and_in_a_batch(estimators, tmp_path):
    """Padding in a served batch does not change a sequence's output."""
    estimator = estimators["classifier, equal lengths"]
    folder = exported(estimator, tmp_path, "onnx")
    sidecar = read_sidecar(folder)
    X = serving_data("classifier")
    batch = run_export(folder, "onnx", padded_inputs(sidecar, X))
    for i, sequence in enumerate(X):
        alone = run_export(folder, "onnx", padded_inputs(sidecar, [sequence]))
        np.testing.assert_allclose(alone[0], batch[i], rtol=0, atol=1e-6)


def test_sidecar_describes_the_export(estimators, tmp_path):
    estimator = estimators["tagger, crf"]
    folder = exported(estimator, tmp_path, "tf_saved_model")
    sidecar = json.loads((folder / "seqkit_export.json").read_text())
    assert sidecar["task"] == "tagger" and sidecar["artifact"] == "saved_model"
    assert sidecar["tags"] == estimator.classes_.tolist()
    assert sidecar["tokens"]["vocabulary"] == estimator.vocabulary_
    assert set(sidecar["inputs"]) == {"ids", "chars"}
    assert np.shape(sidecar["crf"]["transitions"]) == (len(estimator.classes_),) * 2
    assert set(sidecar["versions"]) == {"seqkit", "keras", "sklearn", "numpy"}
    regressor = estimators["regressor"]
    sidecar = read_sidecar(exported(regressor, tmp_path / "r", "tf_saved_model"))
    assert sidecar["input_scaling"]["applied_inside"] is True
    np.testing.assert_allclose(sidecar["input_scaling"]["mean"], regressor.input_scaling_[0])


def test_viterbi_finds_the_best_path():
    rng = np.random.default_rng(1)
    emissions, transitions = rng.normal(size=(4, 3)), rng.normal(size=(3, 3))
    start, end = rng.normal(size=3), rng.normal(size=3)

    def score(path):
        return (start[path[0]] + emissions[np.arange(4), path].sum() + end[path[-1]]
                + sum(transitions[a, b] for a, b in zip(path[:-1], path[1:], strict=True)))

    paths = np.array(np.meshgrid(*[range(3)] * 4)).reshape(4, -1).T
    best = max(paths, key=score)
    assert viterbi(emissions, transitions, start, end).tolist() == best.tolist()
    assert viterbi(emissions[:1], transitions, start, end).tolist() == [
        int(np.argmax(start + emissions[0] + end))]


def test_refusals(estimators, tmp_path):
    with pytest.raises(ValueError, match="format='keras'"):
        estimators["regressor"].export(tmp_path, format="keras")
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        SequenceClassifier().export(tmp_path)
    import pandas as pd

    series = pd.Series(np.sin(np.arange(60.0)))
    forecaster = RNNForecaster(window=8, horizon=2, units=4, epochs=1, random_state=0)
    with pytest.raises(TypeError, match="estimator=RNNForecaster cannot be exported"):
        from seqkit.export import export

        export(forecaster.fit(series), tmp_path)
