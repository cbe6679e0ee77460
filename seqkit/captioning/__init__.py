"""Image captioning: an image encoder, a recurrent decoder with soft attention, beam search.

See :class:`ImageCaptioner`; the decoding strategies live in :mod:`seqkit.decoding` and
the generated benchmark data in :mod:`seqkit.datasets`.
"""

from seqkit.captioning._estimator import ImageCaptioner

__all__ = ["ImageCaptioner"]
