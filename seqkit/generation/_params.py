"""Parameters of the text-generating estimators (translator and text generator), declared once."""

from __future__ import annotations

from numbers import Real

from sklearn.utils._param_validation import Interval, StrOptions

from seqkit.params import Param, flag, positive_int


def text_parameters(level: str, lowercase: bool) -> dict:
    """How texts become tokens: ``level``, ``lowercase``, ``min_count``, ``embedding_dim``."""
    return {
        "level": Param(level, [StrOptions({"word", "char"})], '{"word", "char"}',
                       "Tokens: words (the :class:`seqkit.text.Tokenizer`'s: runs of letters "
                       "and digits, and single punctuation marks; output words are joined by "
                       "spaces) or single characters (spaces and newlines included)."),
        "lowercase": flag(lowercase, "Lowercase texts before learning, generating and "
                                     "scoring them."),
        "min_count": positive_int(1, "Keep only tokens found in at least this many training "
                                     "texts; rarer ones become the unknown token, which is "
                                     "never generated."),
        "embedding_dim": positive_int(64, "Size of the token embeddings."),
    }


BEAM = {
    "beam_width": positive_int(5, "Outputs kept per input by the beam search of ``predict`` "
                                  "(1: greedy search)."),
    "length_penalty": Param(0.6, [Interval(Real, 0, None, closed="left")], "float",
                            "Length normalisation of the beam search: the best beam "
                            "maximises log-likelihood / length ** length_penalty."),
}
