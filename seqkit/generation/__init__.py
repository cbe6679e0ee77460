"""The generating estimators, on one recurrent decoder with attention.

:class:`ImageCaptioner` (conditioned on an image), :class:`SequenceTranslator` (on an
encoded source sequence) and :class:`TextGenerator` (on nothing) share the decoder of
:mod:`seqkit.generation.decoder`, the target vocabulary of
:mod:`seqkit.generation.vocabulary` and the searches of :mod:`seqkit.decoding`; each
only builds its condition (:mod:`seqkit.generation.networks`).
"""

from seqkit.generation.captioner import ImageCaptioner
from seqkit.generation.text_generator import TextGenerator
from seqkit.generation.translator import SequenceTranslator

__all__ = ["ImageCaptioner", "SequenceTranslator", "TextGenerator"]
