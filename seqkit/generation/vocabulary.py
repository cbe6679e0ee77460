"""The target vocabulary every generating estimator writes with, and text checks."""

from __future__ import annotations

import numpy as np

from seqkit.generation.spacing import Spacing
from seqkit.text import Tokenizer

START, END = "<start>", "<end>"


class Vocabulary:
    """Tokens of the training texts, with padding, unknown, start and end ids.

    A fitted :class:`seqkit.text.Tokenizer` (``level``, lowercasing, a minimum count)
    gives ids 0 (padding), 1 (unknown token) and 2, 3, ... for the tokens, most frequent
    first; the start and end tokens take the next two ids. Word-level output is spaced
    as the training texts were (:class:`seqkit.generation.spacing.Spacing`).
    """

    def __init__(self, texts: list[str], *, lowercase: bool, min_count: int,
                 level: str = "word"):
        self.tokenizer = Tokenizer(level=level, lowercase=lowercase, min_df=min_count).fit(texts)
        self.level = level
        self.start_id = self.tokenizer.n_ids_
        self.end_id = self.start_id + 1
        self.size = self.end_id + 1
        self.words = {i: w for w, i in self.tokenizer.vocabulary_.items()}
        self.spacing = (Spacing.learn(texts, self.tokenizer.pattern_, lowercase) if level == "word"
                        else None)

    @property
    def word_to_id(self) -> dict:
        return dict(self.tokenizer.vocabulary_, **{START: self.start_id, END: self.end_id})

    def tokens(self, texts: list[str]) -> list[np.ndarray]:
        """The token ids of each text (unknown tokens get id 1), without start or end."""
        return [np.asarray(ids, dtype=np.int32) for ids in self.tokenizer.transform(texts)]

    def encode(self, texts: list[str]) -> list[np.ndarray]:
        """Each text as ``[start, token ids..., end]``."""
        return [np.array([self.start_id, *ids, self.end_id], dtype=np.int32)
                for ids in self.tokens(texts)]

    def decode(self, ids, after: str | None = None) -> str:
        """Token ids (up to the end token) as text: words spaced as in the training
        texts, characters joined as they are. With ``after`` (the token the text
        follows), word-level text starts with the space that belongs after it, if any."""
        tokens = []
        for i in ids:
            if int(i) == self.end_id:
                break
            tokens.append(self.words.get(int(i), "<unk>"))
        if self.level == "char":
            return "".join(tokens)
        # a vocabulary saved before spacing was learnt writes words joined by spaces
        spacing = getattr(self, "spacing", None) or Spacing()
        text = spacing.join(tokens)
        if after is not None and tokens:
            text = spacing.separator(after, tokens[0]) + text
        return text

    def log_prior(self, targets: list[np.ndarray]) -> np.ndarray:
        """Log-frequency of each id among the ``targets`` (add-one smoothed): the output
        bias a decoder starts from, so training begins at the unigram distribution."""
        counts = np.bincount(np.concatenate(targets), minlength=self.size) + 1.0
        return np.log(counts / counts.sum()).astype(np.float32)

    def never_generated(self) -> list[int]:
        """Ids an output must not contain: padding, unknown and start."""
        return [0, 1, self.start_id]


def check_texts(X, name: str = "X", *, allow_tokens: bool = False) -> list[str]:
    """``X`` as a list of non-empty strings, or TypeError / ValueError naming the entry.

    With ``allow_tokens`` an entry may also be a list of string tokens, joined by spaces.
    """
    if X is None:
        raise TypeError(f"{name} is None; expected a list of strings")
    if isinstance(X, str):
        raise TypeError(f"{name} is a single string; expected a list of strings, e.g. [text]")
    items = list(np.asarray(X, dtype=object).ravel()) if hasattr(X, "shape") else list(X)
    if not items:
        raise ValueError(f"{name} is empty: found 0 texts, a minimum of 1 is required")
    texts = []
    for i, item in enumerate(items):
        if allow_tokens and isinstance(item, (list, tuple)) and all(
                isinstance(token, str) for token in item):
            item = " ".join(item)
        if not isinstance(item, str):
            expected = "a str or a list of str tokens" if allow_tokens else "a str"
            raise TypeError(f"{name}[{i}] is {type(item).__name__} {item!r}; expected "
                            f"{expected}")
        if not item.strip():
            raise ValueError(f"{name}[{i}] is an empty text {item!r}; every text needs a token")
        texts.append(item)
    return texts
