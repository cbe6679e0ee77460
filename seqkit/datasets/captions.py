"""Generated image-captioning data: seeded, offline, with every true caption as a reference.

* :func:`make_shapes_captions`: two coloured shapes in a scene, captioned with their
  spatial relation ("a red circle left of a blue square"); the references are both ways
  of saying it ("a blue square right of a red circle").
* :func:`make_digit_strips`: handwritten digits from scikit-learn's bundled ``load_digits``
  side by side, captioned with the digit words ("three one four").
"""

from __future__ import annotations

import numpy as np

COLORS = {"red": (220, 40, 40), "green": (40, 180, 60), "blue": (50, 80, 230),
          "yellow": (230, 210, 40)}
SHAPES = ("circle", "square", "triangle")
# relation -> (axis moved along: 0 rows / 1 columns, sign of the subject's offset)
RELATIONS = {"left of": (1, -1), "right of": (1, 1), "above": (0, -1), "below": (0, 1)}
INVERSE = {"left of": "right of", "right of": "left of", "above": "below", "below": "above"}
DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _shape_mask(shape: str, size: int) -> np.ndarray:
    """A boolean ``(size, size)`` stencil of the shape."""
    centre = (size - 1) / 2
    rows, cols = np.mgrid[:size, :size]
    if shape == "circle":
        return (rows - centre) ** 2 + (cols - centre) ** 2 <= (size / 2) ** 2
    if shape == "square":
        inset = max(1, size // 8)
        return (rows >= inset) & (rows < size - inset) & (cols >= inset) & (cols < size - inset)
    # triangle pointing up: wider towards the bottom
    return np.abs(cols - centre) <= (rows + 1) / 2


def make_shapes_captions(n_samples: int = 1000, *, image_size: int = 32,
                         object_size: int | None = None, noise: float = 8.0,
                         random_state=None):
    """Scenes of two coloured shapes captioned with their spatial relation.

    Each image shows two different objects (4 colours x 3 shapes) on a dark, noisy
    background, placed so that exactly one of "left of", "right of", "above", "below"
    holds between them (the offset along the other axis is small). The references of an
    image are both true sentences, e.g. ``"a red circle left of a blue square"`` and
    ``"a blue square right of a red circle"``.

    Parameters
    ----------
    n_samples : int, default=1000
        Number of images.
    image_size : int, default=32
        Height and width in pixels.
    object_size : int or None, default=None
        Side of each shape; None: ``image_size // 4 + 1``.
    noise : float, default=8.0
        Standard deviation of the pixel noise (0-255 scale).
    random_state : int, RandomState or None
        Seeds the scenes.

    Returns
    -------
    images : ndarray of shape (n_samples, image_size, image_size, 3), uint8
    captions : list of list of str
        The true captions of each image (two paraphrases).
    """
    from sklearn.utils import check_random_state

    rng = check_random_state(random_state)
    size = object_size or image_size // 4 + 1
    if not 4 <= size <= image_size // 2 - 1:
        raise ValueError(f"object_size={size} must lie between 4 and image_size // 2 - 1 "
                         f"= {image_size // 2 - 1}")
    objects = [(c, s) for c in COLORS for s in SHAPES]
    relations = list(RELATIONS)
    images = np.empty((n_samples, image_size, image_size, 3), dtype=np.uint8)
    captions = []
    for i in range(n_samples):
        first, second = rng.choice(len(objects), size=2, replace=False)
        relation = relations[rng.randint(len(relations))]
        canvas = rng.normal(30, noise, size=(image_size, image_size, 3))
        for (color, shape), (row, col) in zip(
            (objects[first], objects[second]), _positions(rng, relation, image_size, size),
            strict=True,
        ):
            stencil = _shape_mask(shape, size)
            canvas[row : row + size, col : col + size][stencil] = COLORS[color]
            canvas[row : row + size, col : col + size][stencil] += rng.normal(
                0, noise, size=(int(stencil.sum()), 3))
        images[i] = np.clip(np.rint(canvas), 0, 255)
        (c1, s1), (c2, s2) = objects[first], objects[second]
        captions.append([f"a {c1} {s1} {relation} a {c2} {s2}",
                         f"a {c2} {s2} {INVERSE[relation]} a {c1} {s1}"])
    return images, captions


def _positions(rng, relation: str, image_size: int, size: int):
    """Top-left corners of the subject and the object so that ``relation`` holds."""
    axis, sign = RELATIONS[relation]
    free = image_size - size  # largest corner coordinate
    gap = size + 2  # the objects never touch along the relation's axis
    along_subject = rng.randint(0, free - gap + 1)
    along_object = rng.randint(along_subject + gap, free + 1)
    if sign > 0:
        along_subject, along_object = along_object, along_subject
    across = rng.randint(0, free + 1)
    jitter = size // 3  # small offset across, so the other relations do not hold
    across_object = int(np.clip(across + rng.randint(-jitter, jitter + 1), 0, free))
    if axis == 1:
        return (across, along_subject), (across_object, along_object)
    return (along_subject, across), (along_object, across_object)


def make_digit_strips(n_samples: int = 1000, *, n_digits: int = 3, subset: str = "train",
                      scale: int = 2, random_state=None):
    """Strips of handwritten digits from ``sklearn.datasets.load_digits``, with their words.

    The 1,797 bundled 8 x 8 digit images are split once, by a fixed seed, into a
    ``"train"`` and a ``"test"`` half, so that strips made from ``subset="test"`` show
    handwriting never seen in training.

    Parameters
    ----------
    n_samples : int, default=1000
        Number of strips.
    n_digits : int, default=3
        Digits per strip.
    subset : {"train", "test"}, default="train"
        Which half of the digit images the strips are made of.
    scale : int, default=2
        Each digit pixel becomes ``scale x scale`` pixels.
    random_state : int, RandomState or None
        Seeds the choice of digits.

    Returns
    -------
    images : ndarray of shape (n_samples, 8 * scale, 8 * scale * n_digits, 1), uint8
    captions : list of str
        E.g. ``"three one four"``.
    """
    from sklearn.datasets import load_digits
    from sklearn.utils import check_random_state

    if subset not in ("train", "test"):
        raise ValueError(f"subset={subset!r}; expected 'train' or 'test'")
    if n_digits < 1 or scale < 1:
        raise ValueError(f"n_digits={n_digits} and scale={scale} must be at least 1")
    digits = load_digits()
    order = np.random.default_rng(0).permutation(len(digits.target))
    half = len(order) // 2
    chosen = order[:half] if subset == "train" else order[half:]
    pixels = np.rint(digits.images[chosen] * (255 / 16)).astype(np.uint8)
    pixels = np.kron(pixels, np.ones((1, scale, scale), dtype=np.uint8))
    labels = digits.target[chosen]
    rng = check_random_state(random_state)
    picks = rng.randint(len(chosen), size=(n_samples, n_digits))
    images = np.concatenate([pixels[picks[:, j]] for j in range(n_digits)], axis=2)
    captions = [" ".join(DIGIT_WORDS[d] for d in labels[row]) for row in picks]
    return images[..., None], captions
