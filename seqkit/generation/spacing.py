"""Spacing learnt from the training texts: which tokens a generated text writes together.

The word tokens of :class:`seqkit.text.Tokenizer` drop the spaces of a text, so
``"est-ce vrai ?"`` and ``"porte."`` become ``est - ce vrai ?`` and ``porte .``; a decoder
that joins its tokens with spaces writes text that still looks tokenised. :class:`Spacing`
learns from the texts an estimator is fitted on where they had no space between two
tokens, and writes its output the same way. No language's rules are built in: French
``vrai ?`` keeps its space where the training texts have it.

Each gap between two tokens is decided by the pair when the training texts hold it at
least ``MIN_COUNT`` times (most common spacing wins), else by its punctuation: no space
when the second token is a mark usually written against the token before it (``.``,
``,``, ``-``) or the first a mark usually written against the next (``(``, ``-``). A
word followed by a word always gets a space, so two words never run together; two
Chinese or Japanese characters (each its own token) or their punctuation marks never get
one, as those scripts are written.
"""

from __future__ import annotations

import re
from collections import Counter

from seqkit.text import CJK_CHARACTERS

MIN_COUNT = 3  # times a pair or token must occur before its spacing is learnt
CJK_PUNCTUATION = "\u3001-\u303f\uff01-\uff65"  # ideographic and full-width marks
_CJK = re.compile(f"[{CJK_CHARACTERS}{CJK_PUNCTUATION}]")


class Spacing:
    """Where to write no space between two tokens, learnt from texts.

    Parameters
    ----------
    glued_after : list of str
        Tokens usually written against the token after them.
    glued_before : list of str
        Tokens usually written against the token before them.
    pairs : dict of (str, str) to bool
        Pairs whose learnt spacing differs from what their tokens say: True for no space.
    """

    def __init__(self, glued_after=(), glued_before=(), pairs=None):
        # plain lists and a dict, so seqkit's safe format stores them as they are
        self.glued_after = sorted(glued_after)
        self.glued_before = sorted(glued_before)
        self.pairs = dict(pairs or {})

    @classmethod
    def learn(cls, texts, pattern: str, lowercase: bool) -> Spacing:
        """Learn the spacing of ``texts``, split into tokens by the regular expression
        ``pattern`` (after lowercasing, with ``lowercase``)."""
        pair_total, pair_glued = Counter(), Counter()
        after_total, after_glued = Counter(), Counter()
        before_total, before_glued = Counter(), Counter()
        for text in texts:
            previous = None
            for match in re.finditer(pattern, text.lower() if lowercase else text):
                if previous is not None:
                    first, second = previous.group(), match.group()
                    glued = previous.end() == match.start()
                    pair_total[first, second] += 1
                    pair_glued[first, second] += glued
                    after_total[first] += 1
                    after_glued[first] += glued
                    before_total[second] += 1
                    before_glued[second] += glued
                previous = match
        # a word's habit says nothing (a word before "." is glued by the "."'s habit):
        # only punctuation and symbols have habits of their own
        by_tokens = cls([t for t in _mostly(after_glued, after_total) if not _is_word(t[0])],
                        [t for t in _mostly(before_glued, before_total) if not _is_word(t[0])])
        learnt = set(_mostly(pair_glued, pair_total))
        exceptions = {pair: pair in learnt for pair, count in pair_total.items()
                      if count >= MIN_COUNT and (pair in learnt) != by_tokens._by_tokens(*pair)}
        return cls(by_tokens.glued_after, by_tokens.glued_before, exceptions)

    def join(self, tokens) -> str:
        """The tokens as text, spaced as the training texts were."""
        tokens = list(tokens)
        if not tokens:
            return ""
        return tokens[0] + "".join(self.separator(first, second) + second
                                   for first, second in zip(tokens[:-1], tokens[1:], strict=True))

    def separator(self, first: str, second: str) -> str:
        """``""`` where ``second`` is written against ``first``, else ``" "``."""
        if _is_cjk(first[-1]) and _is_cjk(second[0]):
            return ""
        if _is_word(first[-1]) and _is_word(second[0]):
            return " "
        glued = self.pairs.get((first, second))
        if glued is None:
            glued = self._by_tokens(first, second)
        return "" if glued else " "

    def _by_tokens(self, first: str, second: str) -> bool:
        return first in self.glued_after or second in self.glued_before


def _mostly(glued: Counter, total: Counter) -> list:
    """Keys seen at least ``MIN_COUNT`` times and glued more often than not."""
    return [key for key, count in total.items()
            if count >= MIN_COUNT and 2 * glued[key] > count]


def _is_cjk(char: str) -> bool:
    """Whether ``char`` is a Chinese or Japanese character (:data:`seqkit.text.CJK_CHARACTERS`)
    or one of their punctuation marks (``。``, ``、``, ``「``, full-width ``，``, ...)."""
    return _CJK.fullmatch(char) is not None


def _is_word(char: str) -> bool:
    """Whether ``char`` is a word character (``\\w``: letters, digits, underscore)."""
    return char.isalnum() or char == "_"
