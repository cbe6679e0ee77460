"""Pretrained word vectors: read them from a file and line them up with token ids.

A fixed vocabulary keeps the ids stable across fits, so one matrix serves every fold
of a cross-validation::

    words, vectors = read_word_vectors("glove.6B.100d.txt")
    model = make_pipeline(
        Tokenizer(vocabulary=words),
        SequenceClassifier(embedding_dim=100, embedding_weights=embedding_matrix(vectors)),
    )
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

from seqkit.inputs import check_finite, float32_matrix
from seqkit.text import check_strings


def read_word_vectors(path, *, max_words: int | None = None,
                      encoding: str = "utf-8") -> tuple[list[str], np.ndarray]:
    """Read word vectors in the text format of GloVe, word2vec or fastText.

    Each line holds a word and its values, separated by spaces (the first line sets
    the number of values; a word may hold spaces itself, as a few in GloVe's
    Common Crawl files do); an optional first line ``"<count> <dimension>"``
    (word2vec, fastText) and blank lines are skipped. A word seen twice keeps its
    first vector. Files ending in ``.gz`` are read through gzip.

    Parameters
    ----------
    path : str or path-like
        The vectors file.
    max_words : int, optional
        Read only the first ``max_words`` words (such files list the most frequent
        words first).
    encoding : str, default="utf-8"
        Text encoding of the file.

    Returns
    -------
    words : list of str
        The words, in file order: pass them as ``Tokenizer(vocabulary=words)``.
    vectors : ndarray of shape (len(words), dimension), float32
        Row ``i`` is the vector of ``words[i]``.

    Raises
    ------
    ValueError
        For a line whose number of values differs from the first vector's, a value
        that is not a finite number, or a file with no vectors; the message names the
        line.
    """
    if max_words is not None and not (isinstance(max_words, int) and max_words >= 1):
        raise ValueError(f"max_words must be an int of 1 or more, or None; got {max_words!r}")
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    words, rows, seen, width = [], [], set(), None
    with opener(path, "rt", encoding=encoding) as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            fields = line.rstrip().split(" ")
            if number == 1 and len(fields) == 2 and all(f.isdigit() for f in fields):
                continue  # the word2vec header: "<count> <dimension>"
            if width is None:
                width = len(fields) - 1
                if width < 1:
                    raise ValueError(f"{path}, line {number}: no values after the word")
            if len(fields) - 1 < width:
                raise ValueError(f"{path}, line {number}: {len(fields) - 1} values after "
                                 f"the word, expected {width}")
            word = " ".join(fields[:-width])  # a few GloVe words hold spaces
            if word not in seen:
                seen.add(word)
                words.append(word)
                rows.append(_values(fields[-width:], path, number))
            if max_words is not None and len(words) >= max_words:
                break
    if not words:
        raise ValueError(f"{path} holds no word vectors")
    return words, np.stack(rows)


def _values(fields: list[str], path: Path, number: int) -> np.ndarray:
    try:
        values = np.array(fields, dtype=np.float64)
    except ValueError:
        raise ValueError(f"{path}, line {number}: the values must be numbers, got "
                         f"{' '.join(fields[:3])} ...") from None
    check_finite(values, f"{path}, line {number}")
    return values.astype(np.float32)


def embedding_matrix(vectors, *, unknown: str = "mean") -> np.ndarray:
    """The ``embedding_weights`` for ``Tokenizer(vocabulary=words)`` ids.

    Rows follow the tokenizer's ids: row 0 (padding) is zeros, row 1 is the
    unknown-word vector, and row ``2 + i`` is ``vectors[i]``.

    Parameters
    ----------
    vectors : array-like of shape (n_words, dimension)
        One vector per vocabulary word, in vocabulary order.
    unknown : {"mean", "zeros"}, default="mean"
        The unknown-word vector: the mean of all vectors, or zeros.

    Returns
    -------
    ndarray of shape (n_words + 2, dimension), float32
    """
    if unknown not in ("mean", "zeros"):
        raise ValueError(f"unknown must be 'mean' or 'zeros', got {unknown!r}")
    vectors = float32_matrix(vectors, "vectors")
    unknown_row = (vectors.mean(axis=0, keepdims=True) if unknown == "mean"
                   else np.zeros((1, vectors.shape[1]), np.float32))
    padding_row = np.zeros((1, vectors.shape[1]), np.float32)
    return np.concatenate([padding_row, unknown_row, vectors])


def checked_word_vectors(word_vectors, embedding_dim: int) -> tuple[list[str], np.ndarray]:
    """The ``word_vectors`` parameter ``(words, vectors)``, checked and as float32.

    Raises TypeError or ValueError, naming the parameter, unless ``words`` are strings,
    one per row of a finite 2-D ``vectors`` that is ``embedding_dim`` wide.
    """
    if not (isinstance(word_vectors, tuple) and len(word_vectors) == 2):
        raise TypeError("word_vectors must be a tuple (words, vectors), as "
                        "read_word_vectors returns")
    words = list(word_vectors[0])
    check_strings(words, "word_vectors[0]")
    vectors = float32_matrix(word_vectors[1], "word_vectors[1]")
    if len(words) != len(vectors):
        raise ValueError(f"word_vectors holds {len(words)} words but {len(vectors)} vectors")
    if vectors.shape[1] != embedding_dim:
        raise ValueError(f"word_vectors has vectors of {vectors.shape[1]} values, but "
                         f"embedding_dim={embedding_dim}; they must agree")
    return words, vectors
