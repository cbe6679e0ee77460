"""Text input: a scikit-learn transformer from raw strings to integer id sequences."""

from __future__ import annotations

import re
import warnings
from collections import Counter
from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from seqkit.inputs import PADDING_ID, describe_value, is_whole_number
from seqkit.persistence import SaveMixin

UNKNOWN_ID = 1
FIRST_WORD_ID = 2
# Chinese and Japanese characters (ideographs, hiragana, katakana), written without
# spaces: each one is a token (BERT's tokenizer splits off the ideographs the same way)
CJK_CHARACTERS = ("\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
                  "\U00020000-\U0002fa1f")
# a token: one such character; letters and digits (none of them) with an optional clitic
# (don't, l'eau); or a mark or symbol with its emoji / text variation selector
WORD_PATTERN = (rf"[{CJK_CHARACTERS}]|[^\W{CJK_CHARACTERS}]+(?:'[^\W{CJK_CHARACTERS}]+)?"
                r"|[^\w\s][\ufe0e\ufe0f]?")
# the pattern of tokenizers fitted before ideographs and variation selectors were split
# off (a saved one keeps splitting as it was fitted)
FIRST_WORD_PATTERN = r"\w+(?:'\w+)?|[^\w\s]"


class Tokenizer(SaveMixin, TransformerMixin, BaseEstimator):
    """Turn strings into sequences of integer ids for a recurrent estimator.

    Id 0 is padding and never emitted, id 1 stands for every unknown (or too rare)
    token, and ids 2, 3, ... number the vocabulary from the most frequent token down
    (ties broken alphabetically), so the output feeds straight into an estimator
    with ``embedding_dim`` set::

        make_pipeline(Tokenizer(), SequenceClassifier(embedding_dim=64))

    Parameters
    ----------
    level : {"word", "char"}, default="word"
        Words (runs of letters and digits, with a clitic such as ``n't``; single
        punctuation marks and symbols, an emoji with its variation selector; and each
        Chinese or Japanese character (ideograph, hiragana, katakana) on its own, since
        those scripts are written without spaces) or single characters.
    lowercase : bool, default=True
        Lowercase before splitting.
    max_features : int or None, default=None
        Keep only the most frequent tokens.
    min_df : int, default=1
        Keep only tokens found in at least this many documents.
    max_length : int or None, default=None
        Keep only the first ``max_length`` tokens of each document.
    vocabulary : list of str or None, default=None
        A fixed vocabulary: its token ``i`` gets id ``2 + i`` and every other token the
        unknown id, whatever the documents hold, so ``fit`` learns nothing from them.
        It lines the ids up with the rows of pretrained word vectors (see
        :func:`seqkit.word_vectors.embedding_matrix`); ``max_features`` and ``min_df``
        must then stay at their defaults. Tokens are matched as given, after the
        documents are lowercased when ``lowercase`` is on.

    Attributes
    ----------
    vocabulary_ : dict of str to int
        Token to id.
    n_ids_ : int
        Number of ids in use, padding and unknown included.
    pattern_ : str
        The regular expression that splits words; a tokenizer saved by an earlier
        version keeps the one it was fitted with (Chinese and Japanese characters and
        variation selectors not split off).

    Examples
    --------
    >>> from seqkit.text import Tokenizer
    >>> tok = Tokenizer().fit(["a good film", "a bad film"])
    >>> tok.transform(["a good plot"])
    [[2, 5, 1]]

    Notes
    -----
    A document with no token (an empty string) becomes ``[1]``, the unknown id, so
    that every document is a sequence of at least one step. ``fit`` raises ValueError
    when it would learn an empty vocabulary (no documents, no tokens, or none kept by
    ``min_df``).
    """

    _parameter_constraints = {
        "level": [StrOptions({"word", "char"})],
        "lowercase": ["boolean"],
        "max_features": [Interval(Integral, 1, None, closed="left"), None],
        "min_df": [Interval(Integral, 1, None, closed="left")],
        "max_length": [Interval(Integral, 1, None, closed="left"), None],
        "vocabulary": [list, tuple, np.ndarray, None],
    }

    def __init__(self, *, level="word", lowercase=True, max_features=None, min_df=1,
                 max_length=None, vocabulary=None):
        self.level = level
        self.lowercase = lowercase
        self.max_features = max_features
        self.min_df = min_df
        self.max_length = max_length
        self.vocabulary = vocabulary

    def fit(self, X, y=None):
        """Learn the vocabulary of the documents ``X``.

        Parameters
        ----------
        X : iterable of str
            Documents.
        y : ignored

        Returns
        -------
        self
        """
        self._validate_params()
        texts = _check_texts(X)
        if not texts:
            raise ValueError("X is empty: found 0 documents, a minimum of 1 is required")
        self.pattern_ = WORD_PATTERN
        kept = (self._learned_tokens([self._split(text) for text in texts])
                if self.vocabulary is None else self._fixed_tokens())
        self.vocabulary_ = {token: FIRST_WORD_ID + i for i, token in enumerate(kept)}
        self.n_ids_ = FIRST_WORD_ID + len(kept)
        return self

    def _learned_tokens(self, documents: list[list[str]]) -> list[str]:
        """The tokens kept from ``documents``, most frequent first."""
        document_frequency = Counter(token for tokens in documents for token in set(tokens))
        counts = Counter(token for tokens in documents for token in tokens)
        kept = [t for t in counts if document_frequency[t] >= self.min_df]
        kept.sort(key=lambda token: (-counts[token], token))
        kept = kept[: self.max_features]
        if not kept:
            # every id would be the unknown id: the model downstream could learn nothing
            raise ValueError(
                "the vocabulary is empty: " + (
                    f"no token is in {self.min_df} or more of the {len(documents)} documents "
                    "(min_df); lower min_df" if counts else
                    f"the {len(documents)} documents hold no {self.level} tokens"))
        return kept

    def _fixed_tokens(self) -> list[str]:
        """The checked ``vocabulary`` parameter."""
        for name, default in (("max_features", None), ("min_df", 1)):
            if getattr(self, name) != default:
                raise ValueError(
                    f"{name}={getattr(self, name)!r} would be ignored: vocabulary is given; "
                    f"leave {name} at its default {default!r}")
        tokens = list(self.vocabulary)
        if not tokens:
            raise ValueError("vocabulary is empty; give at least one token")
        check_strings(tokens, "vocabulary")
        first_seen = {}
        for i, token in enumerate(tokens):
            if token in first_seen:
                raise ValueError(f"vocabulary[{i}] repeats {token!r} "
                                 f"(vocabulary[{first_seen[token]}])")
            first_seen[token] = i
        tokens = [str(token) for token in tokens]  # plain str also from a NumPy array
        if self.lowercase:
            cased = sum(token != token.lower() for token in tokens)
            if cased:
                warnings.warn(
                    f"{cased} of the {len(tokens)} vocabulary tokens hold capitals and never "
                    "match a token of the lowercased documents; pass lowercase=False for a "
                    "cased vocabulary", UserWarning, stacklevel=3)
        return tokens

    def transform(self, X) -> list[list[int]]:
        """Map each document to its list of token ids.

        Parameters
        ----------
        X : iterable of str
            Documents.

        Returns
        -------
        list of list of int
        """
        check_is_fitted(self, "vocabulary_")
        lookup = self.vocabulary_.get
        return [[lookup(token, UNKNOWN_ID) for token in self._split(text)] or [UNKNOWN_ID]
                for text in _check_texts(X)]

    def inverse_transform(self, X) -> list[list[str]]:
        """Map id sequences back to tokens (unknown ids become ``"<unk>"``).

        Parameters
        ----------
        X : iterable of sequences of int
            Id sequences; padding ids are dropped. Ids are ints (or floats of integer
            value) >= 0; the unknown id and ids beyond the vocabulary become ``"<unk>"``.

        Returns
        -------
        list of list of str
        """
        check_is_fitted(self, "vocabulary_")
        tokens = {i: t for t, i in self.vocabulary_.items()}
        return [[tokens.get(i, "<unk>") for i in ids if i != PADDING_ID]
                for ids in _check_id_sequences(X)]

    def _split(self, text: str) -> list[str]:
        if self.lowercase:
            text = text.lower()
        tokens = list(text) if self.level == "char" else re.findall(
            getattr(self, "pattern_", FIRST_WORD_PATTERN), text)  # saved before pattern_
        return tokens[: self.max_length]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.requires_fit = True
        return tags


def _check_texts(X) -> list[str]:
    if isinstance(X, str):
        raise TypeError(
            "X is a single string; Tokenizer expects an iterable of documents, e.g. [text]"
        )
    if X is None or np.isscalar(X) or not hasattr(X, "__iter__"):
        raise TypeError(f"X is {describe_value(X)}; Tokenizer expects an iterable of "
                        "documents (str)")
    texts = list(_one_column(X)) if hasattr(X, "shape") else list(X)
    check_strings(texts, "X")
    return texts


def _one_column(X) -> np.ndarray:
    """An array or table of documents as a 1-D object array: one column of a 2-D one
    (e.g. from a ColumnTransformer) is taken, any other shape is a ValueError."""
    array = np.asarray(X, dtype=object)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise ValueError(f"X is a {array.ndim}-D array of shape {array.shape}; Tokenizer "
                         "expects one document per row: pass a 1-D list or Series (e.g. "
                         "df['text'])")
    return array


def _check_id_sequences(X) -> list[list[int]]:
    """The id sequences ``X`` of ``inverse_transform`` as lists of int; TypeError or
    ValueError naming the first entry that is not a sequence of integer ids >= 0."""
    if isinstance(X, str) or not hasattr(X, "__iter__"):
        raise TypeError(f"X is {describe_value(X)}; inverse_transform expects id "
                        "sequences, e.g. [[2, 5, 1]]")
    sequences = []
    for i, ids in enumerate(X):
        if isinstance(ids, str) or not hasattr(ids, "__iter__"):
            raise TypeError(f"X[{i}] is {describe_value(ids)}; expected a sequence of ids "
                            "(for one sequence pass [ids])")
        values = ids.tolist() if hasattr(ids, "tolist") else ids  # plain int, not np.int64
        sequences.append([_checked_id(value, f"X[{i}][{j}]")
                          for j, value in enumerate(values)])
    return sequences


def _checked_id(value, name: str) -> int:
    """``value`` (called ``name``) as an int id: TypeError unless it is an integer (not a
    bool) or a float of integer value, ValueError if negative."""
    if not is_whole_number(value):
        raise TypeError(f"{name} is {describe_value(value)}; ids must be integers")
    if value < 0:
        raise ValueError(f"{name} is {value!r}; ids must be >= 0 (0 is padding)")
    return int(value)


def check_strings(items: list, name: str) -> None:
    """Raise TypeError naming the first entry of ``items`` (called ``name``) not a str."""
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise TypeError(f"{name}[{i}] is {describe_value(item)}; expected a str")

