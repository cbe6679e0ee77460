"""Metrics of generated text: corpus BLEU and exact match against several references.

BLEU follows the definition WMT uses, as computed by sacrebleu with its defaults
(``tokenize="13a"``, ``smooth_method="exp"``): n-gram precisions clipped by the largest
count in any reference, summed over the corpus, a brevity penalty from the reference
closest in length to each hypothesis (the shorter one on ties), and the geometric mean
of the 1- to 4-gram precisions. Unlike sacrebleu the score is a fraction in [0, 1].
"""

from __future__ import annotations

import math
import re
from collections import Counter

__all__ = ["corpus_bleu", "exact_match", "tokenize_13a"]

_PUNCTUATION = [
    (re.compile(r"([\{-\~\[-\` -\&\(-\+\:-\@\/])"), r" \1 "),
    (re.compile(r"([^0-9])([\.,])"), r"\1 \2 "),  # period and comma unless after a digit
    (re.compile(r"([\.,])([^0-9])"), r" \1 \2"),  # ... unless before a digit
    (re.compile(r"([0-9])(-)"), r"\1 \2 "),  # dash after a digit
]
_ENTITIES = {"&quot;": '"', "&amp;": "&", "&lt;": "<", "&gt;": ">"}


def tokenize_13a(text: str) -> list[str]:
    """Split ``text`` into tokens the way mteval-v13a (and sacrebleu's default) does."""
    text = text.replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
    for entity, char in _ENTITIES.items():
        text = text.replace(entity, char)
    text = f" {text} "
    for pattern, replacement in _PUNCTUATION:
        text = pattern.sub(replacement, text)
    return text.split()


def _tokens(text, tokenize: str, lowercase: bool) -> list[str]:
    if lowercase:
        text = text.lower()
    return tokenize_13a(text) if tokenize == "13a" else text.split()


def _check_corpus(hypotheses, references) -> list[list[str]]:
    """Check the shapes of a corpus; return the references as one list per hypothesis."""
    if isinstance(hypotheses, str):
        raise TypeError("hypotheses is a single string; expected a list of strings")
    hypotheses = list(hypotheses)
    if isinstance(references, str):
        raise TypeError("references is a single string; expected one string or list of "
                        "strings per hypothesis")
    references = [[r] if isinstance(r, str) else list(r) for r in references]
    if len(references) != len(hypotheses):
        raise ValueError(f"{len(hypotheses)} hypotheses but {len(references)} reference "
                         "entries; give one reference (or list of references) per hypothesis")
    for i, (hypothesis, refs) in enumerate(zip(hypotheses, references, strict=True)):
        if not isinstance(hypothesis, str):
            raise TypeError(f"hypotheses[{i}] is {type(hypothesis).__name__}; expected a str")
        if not refs:
            raise ValueError(f"references[{i}] is empty; every hypothesis needs a reference")
        for j, ref in enumerate(refs):
            if not isinstance(ref, str):
                raise TypeError(f"references[{i}][{j}] is {type(ref).__name__}; "
                                "expected a str")
    return references


def _ngrams(tokens: list[str], max_order: int) -> Counter:
    return Counter(tuple(tokens[i : i + n]) for n in range(1, max_order + 1)
                   for i in range(len(tokens) - n + 1))


def corpus_bleu(hypotheses, references, *, max_order: int = 4, smooth: str = "exp",
                lowercase: bool = False, tokenize: str = "13a") -> float:
    """Corpus-level BLEU of generated texts against one or several references each.

    Parameters
    ----------
    hypotheses : list of str
        Generated texts.
    references : list of str, or list of list of str
        For each hypothesis its reference, or all its references (any number).
    max_order : int, default=4
        Longest n-gram (BLEU-4).
    smooth : {"exp", "none"}, default="exp"
        What an n-gram order with no match contributes: ``"exp"`` the NIST
        smoothing of mteval-v13a (sacrebleu's default), ``"none"`` zero.
    lowercase : bool, default=False
        Compare case-insensitively.
    tokenize : {"13a", "none"}, default="13a"
        ``"13a"`` separates punctuation as mteval-v13a does; ``"none"`` splits on spaces.

    Returns
    -------
    float
        In [0, 1]; sacrebleu reports 100 times this value.

    Examples
    --------
    >>> from seqkit.metrics import corpus_bleu
    >>> round(corpus_bleu(["a red circle left of a blue square"],
    ...                   [["a blue square right of a red circle",
    ...                     "a red circle left of a blue square"]]), 3)
    1.0
    """
    if smooth not in ("exp", "none"):
        raise ValueError(f"smooth={smooth!r}; expected 'exp' or 'none'")
    if tokenize not in ("13a", "none"):
        raise ValueError(f"tokenize={tokenize!r}; expected '13a' or 'none'")
    references = _check_corpus(hypotheses, references)
    correct = [0] * max_order
    total = [0] * max_order
    hyp_length = ref_length = 0
    for hypothesis, refs in zip(hypotheses, references, strict=True):
        tokens = _tokens(hypothesis, tokenize, lowercase)
        ref_tokens = [_tokens(r, tokenize, lowercase) for r in refs]
        hyp_length += len(tokens)
        ref_length += min((len(r) for r in ref_tokens),
                          key=lambda n: (abs(n - len(tokens)), n))
        allowed = Counter()
        for ref in ref_tokens:
            allowed |= _ngrams(ref, max_order)  # the largest count in any reference
        for ngram, count in _ngrams(tokens, max_order).items():
            total[len(ngram) - 1] += count
            correct[len(ngram) - 1] += min(count, allowed[ngram])
    return _bleu_from_counts(correct, total, hyp_length, ref_length, smooth)


def _bleu_from_counts(correct, total, hyp_length, ref_length, smooth) -> float:
    if not any(correct):
        return 0.0
    log_precision = 0.0
    smoothing = 1.0
    for hits, count in zip(correct, total, strict=True):
        if count == 0:  # hypotheses too short for this order: BLEU is 0, as in sacrebleu
            return 0.0
        if hits:
            log_precision += math.log(hits / count)
        elif smooth == "exp":
            smoothing *= 2
            log_precision += math.log(1.0 / (smoothing * count))
        else:
            return 0.0
    brevity = 1.0 if hyp_length >= ref_length else math.exp(1 - ref_length / hyp_length)
    return brevity * math.exp(log_precision / len(correct))


def exact_match(hypotheses, references, *, lowercase: bool = True,
                tokenize: str = "13a") -> float:
    """Share of hypotheses equal to one of their references, token by token.

    Parameters
    ----------
    hypotheses : list of str
        Generated texts.
    references : list of str, or list of list of str
        For each hypothesis its reference, or all its references.
    lowercase : bool, default=True
        Compare case-insensitively.
    tokenize : {"13a", "none"}, default="13a"
        As in :func:`corpus_bleu`, so spacing around punctuation does not matter.

    Returns
    -------
    float
        In [0, 1].
    """
    references = _check_corpus(hypotheses, references)
    if not references:
        return 0.0
    hits = sum(_tokens(h, tokenize, lowercase) in [_tokens(r, tokenize, lowercase)
                                                    for r in refs]
               for h, refs in zip(hypotheses, references, strict=True))
    return hits / len(references)
