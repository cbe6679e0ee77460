"""Tagging metrics: token accuracy and entity (chunk) precision, recall and F1.

Entities are read from tag sequences the way the CoNLL ``conlleval`` script (and
seqeval's default mode) reads them, which covers the three common span schemes:

* ``"BIO"`` (IOB2): ``B-X`` begins every entity, ``I-X`` continues it;
* ``"IOB1"``: ``I-X`` begins an entity unless it continues one of the same type, ``B-X``
  only separates two adjacent entities of the same type;
* ``"IOBES"``: ``B-X`` begin, ``I-X`` inside, ``E-X`` end, ``S-X`` single-token entity.

An ill-formed sequence is read leniently, as conlleval does: e.g. ``I-X`` after ``O``
begins an entity, and a change of type ends one. Tags without a type (``B``, ``I``) get
the type ``"_"``; ``O`` is outside. Scores are micro-averaged over all entities of all
sentences; an entity counts as correct only when its type and both ends match.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

SCHEMES = {"BIO": set("BIO"), "IOB1": set("BIO"), "IOBES": set("BIOES")}

__all__ = ["token_accuracy", "get_entities", "entity_precision", "entity_recall",
           "entity_f1", "entity_report"]


def token_accuracy(y_true, y_pred, sample_weight=None) -> float:
    """Share of tokens whose predicted tag equals the true one.

    Parameters
    ----------
    y_true, y_pred : list of list
        Tag sequences, pairwise of the same length.
    sample_weight : array-like of shape (n,), optional
        Weight of each sentence, given to each of its tokens.

    Returns
    -------
    float
    """
    _check_pairs(y_true, y_pred)
    weights = np.ones(len(y_true)) if sample_weight is None else np.asarray(sample_weight,
                                                                             dtype=float)
    correct = total = 0.0
    for weight, true, pred in zip(weights, y_true, y_pred, strict=False):
        correct += weight * sum(t == p for t, p in zip(true, pred, strict=False))
        total += weight * len(true)
    return float(correct / total) if total else 0.0


def get_entities(tags, scheme: str | None = None) -> list[tuple[str, int, int]]:
    """The entities of one tag sequence as ``(type, first, last)`` (inclusive positions).

    Parameters
    ----------
    tags : sequence of str
        E.g. ``["B-NP", "I-NP", "O"]``.
    scheme : {"BIO", "IOB1", "IOBES"} or None
        When given, tags whose prefix the scheme does not use raise a ``ValueError``.

    Returns
    -------
    list of tuple
    """
    allowed = None if scheme is None else SCHEMES[_check_scheme(scheme)]
    entities = []
    prev_prefix, prev_type, begin = "O", "", 0
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, type_ = _split(tag, i, allowed)
        if _ends(prev_prefix, prefix, prev_type, type_):
            entities.append((prev_type, begin, i - 1))
        if _starts(prev_prefix, prefix, prev_type, type_):
            begin = i
        prev_prefix, prev_type = prefix, type_
    return entities


def entity_precision(y_true, y_pred, scheme: str | None = None) -> float:
    """Share of predicted entities that are true entities (0 when none is predicted)."""
    return _counts(y_true, y_pred, scheme)[0]["all"]


def entity_recall(y_true, y_pred, scheme: str | None = None) -> float:
    """Share of true entities that are predicted (0 when there is none)."""
    return _counts(y_true, y_pred, scheme)[1]["all"]


def entity_f1(y_true, y_pred, scheme: str | None = None) -> float:
    """Micro-averaged entity F1, as reported for CoNLL chunking and NER.

    Parameters
    ----------
    y_true, y_pred : list of list of str
        True and predicted tag sequences, pairwise of the same length.
    scheme : {"BIO", "IOB1", "IOBES"} or None
        Only checks that every tag's prefix belongs to the scheme; the reading is the
        same lenient one for all (see the module docstring).

    Returns
    -------
    float
        ``2 P R / (P + R)``; 0 when there are no entities at all.

    Examples
    --------
    >>> from seqkit.metrics import entity_f1
    >>> entity_f1([["B-NP", "I-NP", "O", "B-VP"]], [["B-NP", "I-NP", "O", "O"]])
    0.6666666666666666
    """
    return _counts(y_true, y_pred, scheme)[2]["all"]


def entity_report(y_true, y_pred, scheme: str | None = None) -> dict:
    """Precision, recall, F1 and support per entity type, and over all (``"all"``).

    Returns
    -------
    dict of str to dict
        ``{type: {"precision", "recall", "f1", "support"}}``, types sorted, then ``"all"``.
    """
    precision, recall, f1, support = _counts(y_true, y_pred, scheme)
    return {name: {"precision": precision[name], "recall": recall[name], "f1": f1[name],
                   "support": support[name]} for name in precision}


def _counts(y_true, y_pred, scheme):
    _check_pairs(y_true, y_pred)
    true, pred = set(), set()
    for i, (t, p) in enumerate(zip(y_true, y_pred, strict=False)):
        true.update((i,) + e for e in get_entities(t, scheme))
        pred.update((i,) + e for e in get_entities(p, scheme))
    hits = Counter(e[1] for e in true & pred)
    n_true = Counter(e[1] for e in true)
    n_pred = Counter(e[1] for e in pred)
    names = sorted(set(n_true) | set(n_pred)) + ["all"]
    for counter, entities in ((hits, true & pred), (n_true, true), (n_pred, pred)):
        counter["all"] = len(entities)
    precision, recall, f1, support = {}, {}, {}, {}
    for name in names:
        precision[name] = hits[name] / n_pred[name] if n_pred[name] else 0.0
        recall[name] = hits[name] / n_true[name] if n_true[name] else 0.0
        total = precision[name] + recall[name]
        f1[name] = 2 * precision[name] * recall[name] / total if total else 0.0
        support[name] = n_true[name]
    return precision, recall, f1, support


def _check_pairs(y_true, y_pred) -> None:
    for name, value in (("y_true", y_true), ("y_pred", y_pred)):
        if isinstance(value, str):
            raise TypeError(f"{name} is a string; expected a list of tag lists")
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true has {len(y_true)} sentences but y_pred has {len(y_pred)}")
    for i, (t, p) in enumerate(zip(y_true, y_pred, strict=False)):
        if isinstance(t, str) or isinstance(p, str):
            raise TypeError(f"sample {i}: expected lists of tags, got a string")
        if len(t) != len(p):
            raise ValueError(f"sample {i}: y_true[{i}] has {len(t)} tags but y_pred[{i}] "
                             f"has {len(p)}")


def _check_scheme(scheme: str) -> str:
    if scheme not in SCHEMES:
        raise ValueError(f"scheme={scheme!r}; expected one of {sorted(SCHEMES)} or None")
    return scheme


def _split(tag, position: int, allowed) -> tuple[str, str]:
    tag = str(tag)
    if tag == "O" or not tag:
        return "O", ""
    prefix, _, type_ = tag.partition("-")
    if len(prefix) != 1 or prefix not in "BIOES" or (allowed is not None
                                                      and prefix not in allowed):
        expected = "".join(sorted(allowed or "BIOES"))
        raise ValueError(f"tag {tag!r} at position {position} does not start with one of "
                         f"{expected} followed by '-' and a type")
    return prefix, type_ or "_"


def _ends(prev_prefix, prefix, prev_type, type_) -> bool:
    """Whether an entity ended at the previous token (conlleval's endOfChunk)."""
    if prev_prefix in ("E", "S"):
        return True
    if prev_prefix in ("B", "I") and prefix in ("B", "S", "O"):
        return True
    return prev_prefix != "O" and prev_type != type_


def _starts(prev_prefix, prefix, prev_type, type_) -> bool:
    """Whether an entity starts at this token (conlleval's startOfChunk)."""
    if prefix in ("B", "S"):
        return True
    if prev_prefix in ("E", "S", "O") and prefix in ("E", "I"):
        return True
    return prefix != "O" and prev_type != type_


# Forecast metrics live in seqkit.forecast_metrics; re-exported here so that
# ``seqkit.metrics`` is the one place for every metric.
from seqkit.forecast_metrics import mae, mape, mase, pinball_loss, rmse, smape  # noqa: E402

__all__ += ["mae", "rmse", "mape", "smape", "mase", "pinball_loss"]

# Metrics of generated text (captions, translations) live in seqkit.text_metrics.
from seqkit.text_metrics import corpus_bleu, exact_match, tokenize_13a  # noqa: E402

__all__ += ["corpus_bleu", "exact_match", "tokenize_13a"]
