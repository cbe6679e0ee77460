"""The generating estimators, on one recurrent decoder with attention.

:class:`ImageCaptioner` (conditioned on an image), :class:`SequenceTranslator` (on an
encoded source sequence) and :class:`TextGenerator` (on nothing) share the decoder of
:mod:`seqkit.generation.decoder`, the target vocabulary of
:mod:`seqkit.generation.vocabulary` and the searches of :mod:`seqkit.decoding`; each
only builds its condition (:mod:`seqkit.generation.networks`).
"""

from __future__ import annotations

import importlib

_LAZY = {
    "ImageCaptioner": "seqkit.generation.captioner",
    "SequenceTranslator": "seqkit.generation.translator",
    "TextGenerator": "seqkit.generation.text_generator",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'seqkit.generation' has no attribute {name!r}")
