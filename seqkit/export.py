"""Export a fitted estimator for serving: a TensorFlow SavedModel or an ONNX file, plus JSON.

:func:`export` writes, into a folder, the estimator's network in float32 with everything
``predict`` does around it that is arithmetic (input standardisation, the mean of an
ensemble's members, the regressor's target scaling), and ``seqkit_export.json``: what the
inputs and outputs are, the classes or tags, the vocabularies and token settings, the
scaling and the versions. Serving then needs TensorFlow or onnxruntime and NumPy only;
:func:`padded_inputs` and :func:`viterbi` below are the two pieces of Python it may want
(they import no Keras, so ``import seqkit.export`` stays cheap).

The CRF tagger exports its emission network; its tag path is :func:`viterbi` of the
emissions with the transition, start and end weights stored in the JSON.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

FORMATS = {"tf_saved_model": "saved_model", "onnx": "model.onnx"}
SIDECAR = "seqkit_export.json"
EXPORT_FORMAT_VERSION = 1
UNKNOWN_ID = 1  # the tagger's unknown word / character / feature value (0 pads)
_DIGITS = re.compile(r"\d")


class ExportMixin:
    """Adds :meth:`export` to an estimator."""

    def export(self, path, format: str = "tf_saved_model") -> Path:
        """Write the fitted network and a JSON sidecar for serving, into folder ``path``.

        See the "Saving, loading and serving" page and :func:`seqkit.export.export`.

        Parameters
        ----------
        path : str or path-like
            Folder to write (created if missing).
        format : {"tf_saved_model", "onnx"}, default="tf_saved_model"
            ``path/saved_model`` for ``tf.saved_model.load``, or ``path/model.onnx``
            for onnxruntime (needs ``pip install seqkit[export]``).

        Returns
        -------
        pathlib.Path
            ``path``.
        """
        return export(self, path, format=format)


# ------------------------------------------------------------------------ export
def export(estimator, path, format: str = "tf_saved_model") -> Path:
    """Export a fitted classifier, regressor or tagger for serving (see
    :meth:`ExportMixin.export`).

    Raises
    ------
    ValueError
        For an unknown ``format``.
    TypeError
        For an estimator seqkit cannot export (e.g. ``RNNForecaster``, whose forecast
        is not the network's output alone).
    sklearn.exceptions.NotFittedError
        If ``estimator`` is not fitted.
    """
    from sklearn.utils.validation import check_is_fitted

    if format not in FORMATS:
        raise ValueError(f"format={format!r} is not one of {sorted(FORMATS)}")
    task = _task(estimator)
    check_is_fitted(estimator, "model_")
    if format == "onnx":
        _check_onnx_installed()
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    artifact = path / FORMATS[format]
    model = serving_model(estimator)
    model(_dummy_inputs(model))  # Keras exports only a model that has been called
    model.export(str(artifact), format=format, verbose=False)
    sidecar = describe(estimator, task, model)
    sidecar["artifact"] = FORMATS[format]
    sidecar["format"] = format
    (path / SIDECAR).write_text(json.dumps(sidecar, indent=1, default=_plain))
    return path


def _task(estimator) -> str:
    names = {"SequenceClassifier": "classifier", "SequenceRegressor": "regressor",
             "SequenceTagger": "tagger"}
    for cls in type(estimator).__mro__:
        if cls.__module__.startswith("seqkit.") and cls.__name__ in names:
            return names[cls.__name__]
    raise TypeError(
        f"estimator={type(estimator).__name__} cannot be exported; seqkit exports "
        "SequenceClassifier, SequenceRegressor and SequenceTagger (an RNNForecaster's "
        "forecast also needs its per-series transforms and recursion, outside the network)")


def _check_onnx_installed() -> None:
    import importlib.util

    missing = [name for name in ("tf2onnx", "onnx") if importlib.util.find_spec(name) is None]
    if missing:
        raise ImportError(f"format='onnx' needs {' and '.join(missing)}: "
                          "pip install 'seqkit[export]'")


def serving_model(estimator):
    """The estimator's network in float32 with its input scaling and output head.

    Value input always takes a ``mask`` (also for a network trained without one: the
    weights are the same), so that a served batch may mix lengths.

    Returns
    -------
    keras.Model
        Inputs as :meth:`seqkit.inputs.Sequences.model_inputs` builds them; output
        described by :func:`describe` (``"outputs"``).
    """
    import keras
    from keras import ops

    spec = dict(estimator.network_spec_)
    if "masked" in spec:
        spec["masked"] = True
    network = estimator._build_network(spec)
    network.set_weights(estimator.model_.get_weights())
    inputs = {t.name.split(":")[0]: keras.Input(t.shape[1:], dtype=t.dtype,
                                                name=t.name.split(":")[0])
              for t in network.inputs}
    fed = dict(inputs)
    scaling = getattr(estimator, "input_scaling_", None)
    if scaling is not None and "values" in fed:
        mean, scale = (np.asarray(a, dtype=np.float32) for a in scaling)
        fed["values"] = ops.divide(ops.subtract(fed["values"], mean), scale)
    outputs = network(fed)
    if spec.get("ensemble_size", 1) > 1:
        outputs = ops.mean(outputs, axis=1)
    outputs = _head(estimator, outputs)
    return keras.Model(inputs, outputs, name=f"{type(estimator).__name__}_serving")


def _dummy_inputs(model) -> dict:
    """A batch of one sequence of one step (all-true mask), for every input of ``model``."""
    return {t.name.split(":")[0]: np.ones([1, 1] + [n or 1 for n in t.shape[2:]], dtype=t.dtype)
            for t in model.inputs}


def _head(estimator, outputs):
    """What ``predict`` / ``predict_proba`` compute from the members' mean output."""
    from keras import ops

    task = _task(estimator)
    if task == "regressor":
        mean, scale = (np.asarray(a, dtype=np.float32) for a in estimator.target_scaling_)
        outputs = ops.add(ops.multiply(outputs, scale), mean)
        return outputs[:, 0] if estimator.single_output_ else outputs
    if task == "tagger" and estimator.network_spec_["crf"]:
        return outputs  # emissions: the path is viterbi(...) of them
    return ops.divide(outputs, ops.sum(outputs, axis=-1, keepdims=True))


# ----------------------------------------------------------------------- sidecar
def describe(estimator, task: str, model) -> dict:
    """The JSON sidecar: how to feed the exported network and read its output."""
    import keras
    import sklearn

    from seqkit import __version__

    sidecar = dict(
        seqkit_export=EXPORT_FORMAT_VERSION,
        estimator=f"{type(estimator).__module__}:{type(estimator).__qualname__}",
        task=task,
        inputs={t.name.split(":")[0]: dict(shape=list(t.shape), dtype=str(t.dtype))
                for t in model.inputs},
        output=dict(shape=list(model.outputs[0].shape), dtype="float32",
                    meaning=_output_meaning(estimator, task)),
        input_kind=estimator.input_kind_,
        input_scaling=None,
        versions=dict(seqkit=__version__, keras=keras.__version__,
                      sklearn=sklearn.__version__, numpy=np.__version__),
    )
    scaling = getattr(estimator, "input_scaling_", None)
    if scaling is not None:
        sidecar["input_scaling"] = dict(mean=np.asarray(scaling[0]).tolist(),
                                        scale=np.asarray(scaling[1]).tolist(),
                                        applied_inside=True)
    if task == "classifier":
        sidecar["classes"] = estimator.classes_.tolist()
    elif task == "regressor":
        mean, scale = estimator.target_scaling_
        sidecar["target_scaling"] = dict(mean=np.asarray(mean).tolist(),
                                         scale=np.asarray(scale).tolist(), applied_inside=True)
    else:
        sidecar.update(_tagger_description(estimator))
    if getattr(estimator, "n_token_ids_", None) and estimator.input_kind_ == "tokens":
        sidecar["n_token_ids"] = int(estimator.n_token_ids_)
    return sidecar


def _output_meaning(estimator, task: str) -> str:
    if task == "classifier":
        return "(batch, n_classes) probabilities, columns in the order of 'classes'"
    if task == "regressor":
        return ("(batch,) predictions" if estimator.single_output_
                else "(batch, n_outputs) predictions")
    if estimator.network_spec_["crf"]:
        return ("(batch, T, n_tags) CRF emissions; the tags of a sentence of length L are "
                "viterbi(emissions[i, :L], **crf), see seqkit.export.viterbi")
    return "(batch, T, n_tags) tag probabilities, columns in the order of 'tags'"


def _tagger_description(estimator) -> dict:
    from seqkit.tagger import MAX_WORD_CHARS

    info = dict(tags=estimator.classes_.tolist(), crf=None)
    if estimator.network_spec_["crf"]:
        layers = estimator._crf_layers(estimator.model_)
        layers = layers if isinstance(layers, list) else [layers]
        info["crf"] = {name: np.mean([np.asarray(getattr(layer, name).numpy(), np.float64)
                                      for layer in layers], axis=0).tolist()
                       for name in ("transitions", "start", "end")}
    if estimator.input_kind_ == "strings":
        info["tokens"] = dict(
            vocabulary=estimator.vocabulary_, char_vocabulary=estimator.char_vocabulary_,
            feature_vocabularies=estimator.feature_vocabularies_,
            lowercase=bool(estimator.lowercase),
            normalize_digits=bool(estimator.normalize_digits),
            max_word_chars=MAX_WORD_CHARS, unknown_id=UNKNOWN_ID, padding_id=0)
    return info


def _plain(value):
    """JSON fallback for NumPy scalars (labels); anything else becomes its ``str``."""
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


# --------------------------------------------------------------- serving helpers
def read_sidecar(path) -> dict:
    """The JSON sidecar of an export folder ``path``."""
    return json.loads((Path(path) / SIDECAR).read_text())


def padded_inputs(sidecar: dict, X) -> dict:
    """The exported network's inputs for ``X``, padded to the longest sequence.

    Parameters
    ----------
    sidecar : dict
        :func:`read_sidecar` of the export.
    X : list
        Sequences as ``predict`` takes them: arrays ``(T_i, F)`` (unscaled: the network
        standardises), lists of token ids, or, for a tagger fitted on strings, lists of
        string tokens (or tuples ``(word, feature, ...)``).

    Returns
    -------
    dict of ndarray
        ``values`` float32 and ``mask`` bool, or ``ids`` int32 (plus ``chars`` and
        ``features`` for a tagger), each with a batch axis.
    """
    if sidecar["input_kind"] == "strings":
        return _token_inputs(sidecar["tokens"], X)
    if "ids" in sidecar["inputs"]:
        return {"ids": _pad([np.asarray(s, dtype=np.int32) for s in X], np.int32)}
    items = [np.asarray(s, dtype=np.float32) for s in X]
    items = [s[:, None] if s.ndim == 1 else s for s in items]
    lengths = np.array([len(s) for s in items])
    return {"values": _pad(items, np.float32),
            "mask": np.arange(lengths.max())[None, :] < lengths[:, None]}


def _pad(items: list, dtype) -> np.ndarray:
    width = max(len(s) for s in items)
    out = np.zeros((len(items), width) + items[0].shape[1:], dtype=dtype)
    for row, item in enumerate(items):
        out[row, : len(item)] = item
    return out


def _token_inputs(tokens: dict, sentences) -> dict:
    """Word, character and feature ids of string sentences, as the tagger computes them."""
    rows = [[(t,) if isinstance(t, str) else tuple(t) for t in s] for s in sentences]

    def word_id(word: str) -> int:
        if tokens["lowercase"]:
            word = word.lower()
        if tokens["normalize_digits"]:
            word = _DIGITS.sub("0", word)
        return tokens["vocabulary"].get(word, UNKNOWN_ID)

    inputs = {"ids": _pad([np.array([word_id(t[0]) for t in s], np.int32) for s in rows],
                          np.int32)}
    chars = tokens["char_vocabulary"]
    if chars is not None:
        width = tokens["max_word_chars"]
        half = width // 2
        inputs["chars"] = _pad([np.array(
            [[chars.get(c, UNKNOWN_ID) for c in (w if len(w) <= width else w[:half] + w[-half:])]
             + [0] * (width - min(len(w), width)) for w in (t[0] for t in s)], np.int32)
            for s in rows], np.int32)
    if tokens["feature_vocabularies"]:
        inputs["features"] = _pad([np.array(
            [[v.get(value, UNKNOWN_ID) for v, value in zip(tokens["feature_vocabularies"],
                                                           t[1:], strict=True)] for t in s],
            np.int32) for s in rows], np.int32)
    return inputs


def viterbi(emissions, transitions, start, end) -> np.ndarray:
    """The highest-scoring tag path of one sentence under a linear-chain CRF.

    The score of tags ``y`` is ``start[y_0] + sum_t emissions[t, y_t] + sum_t
    transitions[y_{t-1}, y_t] + end[y_L-1]``; ties go to the lower tag index, as in
    :func:`seqkit.crf.crf_viterbi`.

    Parameters
    ----------
    emissions : array-like of shape (L, n_tags)
        The exported network's output for one sentence, cut to its ``L`` real tokens.
    transitions : array-like of shape (n_tags, n_tags)
    start, end : array-like of shape (n_tags,)
        The sidecar's ``crf`` entries.

    Returns
    -------
    ndarray of shape (L,)
        Tag indices into the sidecar's ``tags``.
    """
    emissions = np.asarray(emissions, dtype=np.float64)
    transitions = np.asarray(transitions, dtype=np.float64)
    score = np.asarray(start, dtype=np.float64) + emissions[0]
    pointers = []
    for emission in emissions[1:]:
        total = score[:, None] + transitions  # (from, to)
        pointers.append(np.argmax(total, axis=0))
        score = np.max(total, axis=0) + emission
    path = [int(np.argmax(score + np.asarray(end, dtype=np.float64)))]
    for back in reversed(pointers):
        path.append(int(back[path[-1]]))
    return np.array(path[::-1])
