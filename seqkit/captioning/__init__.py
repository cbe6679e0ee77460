"""Image captioning: the old import path of :class:`seqkit.generation.ImageCaptioner`.

The captioner lives with the translator and the text generator in
:mod:`seqkit.generation`, on their shared decoder; ``from seqkit.captioning import
ImageCaptioner`` keeps working.
"""

from seqkit.generation.captioner import ImageCaptioner

__all__ = ["ImageCaptioner"]
