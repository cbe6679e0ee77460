"""Captioning inputs: checked images or features, checked captions, training pairs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seqkit.inputs import Sequences, check_finite
from seqkit.generation.vocabulary import Vocabulary


# ------------------------------------------------------------------------------ X
def check_images(X, *, expected_shape: tuple | None = None) -> np.ndarray:
    """``X`` as a float32 array of images ``(n, H, W, C)`` or features ``(n, D)`` / ``(n, L, D)``.

    Parameters
    ----------
    X : array-like or list of arrays
        Images (uint8 pixels are divided by 255) or precomputed features.
    expected_shape : tuple, optional
        The shape of one sample seen in ``fit``; predict inputs must match it.

    Raises
    ------
    ValueError or TypeError
        Naming the offending sample: mixed sizes, a wrong channel or feature count,
        non-numeric or non-finite values, an empty ``X``.
    """
    if X is None:
        raise TypeError("X is None; expected images (n, H, W, C) or features (n, D) / (n, L, D)")
    if isinstance(X, str):
        raise TypeError("X is a string; expected images (n, H, W, C) or features")
    if isinstance(X, (list, tuple)):
        X = _stack(X)
    array = np.asarray(X)
    if array.dtype == object:
        raise TypeError("X holds objects; expected numbers (images or features)")
    if array.ndim not in (2, 3, 4):
        raise ValueError(f"X has shape {array.shape}; expected images (n, H, W, C) or "
                         "features (n, D) / (n, L, D)")
    if len(array) == 0:
        raise ValueError("X is empty: found 0 images, a minimum of 1 is required")
    if array.dtype.kind not in "fiub":
        raise TypeError(f"X must hold numbers, but has dtype {array.dtype}")
    if expected_shape is not None and array.shape[1:] != tuple(expected_shape):
        raise ValueError(_shape_mismatch(array.shape[1:], tuple(expected_shape)))
    check_finite(array, "X")
    scale = 1 / 255 if array.dtype == np.uint8 else 1.0
    return array.astype(np.float32) * np.float32(scale)


def _stack(items) -> np.ndarray:
    arrays = [np.asarray(item) for item in items]
    if not arrays:
        raise ValueError("X is empty: found 0 images, a minimum of 1 is required")
    for i, array in enumerate(arrays):
        if array.shape != arrays[0].shape:
            raise ValueError(
                f"X[{i}] has shape {array.shape} but X[0] has shape {arrays[0].shape}; all "
                "images must have the same size and channels (resize them first)")
    return np.stack(arrays)


def _shape_mismatch(shape: tuple, expected: tuple) -> str:
    if len(shape) == 3 and len(expected) == 3 and shape[:2] == expected[:2]:
        return (f"X has {shape[2]} channels per pixel, but the captioner was fitted on "
                f"{expected[2]} (images {expected})")
    return f"X holds samples of shape {shape}, but the captioner was fitted on {expected}"


# ------------------------------------------------------------------------------ y
def check_captions(y, n_samples: int) -> list[list[str]]:
    """``y`` as one list of reference captions per image.

    Parameters
    ----------
    y : list of str, or list of list of str
        One caption, or several reference captions, per image.
    n_samples : int
        The number of images.

    Raises
    ------
    ValueError or TypeError
        For a length that differs from ``n_samples``, an empty caption or an image
        without one, or a caption that is not a string.
    """
    if y is None:
        raise ValueError("ImageCaptioner requires y: a caption (str) or a list of reference "
                         "captions per image")
    if isinstance(y, str):
        raise TypeError("y is a single string; expected one caption (or list of captions) "
                        "per image")
    y = list(y)
    if len(y) != n_samples:
        raise ValueError(f"X has {n_samples} images but y has {len(y)} entries; y needs one "
                         "caption (or list of captions) per image")
    references = []
    for i, entry in enumerate(y):
        captions = [entry] if isinstance(entry, str) else entry
        if not isinstance(captions, (list, tuple, np.ndarray)):
            raise TypeError(f"y[{i}] is {type(entry).__name__} {entry!r}; captions must be "
                            "strings (or lists of strings)")
        if len(captions) == 0:
            raise ValueError(f"y[{i}] is an empty list; every image needs at least one caption")
        for j, caption in enumerate(captions):
            where = f"y[{i}]" if isinstance(entry, str) else f"y[{i}][{j}]"
            if not isinstance(caption, str):
                raise TypeError(f"{where} is {type(caption).__name__} {caption!r}; captions "
                                "must be strings")
            if not caption.strip():
                raise ValueError(f"{where} is an empty caption; every caption needs a word")
        references.append(list(captions))
    return references


# ------------------------------------------------------------------- training pairs
@dataclass(frozen=True)
class CaptionSamples(Sequences):
    """One training sample per (image, reference caption) pair, for teacher forcing.

    ``items`` holds each caption's input ids (start token and words), ``lengths`` their
    lengths; ``images`` all images once and ``image_index`` the image of each pair.
    """

    images: np.ndarray | None = None
    image_index: np.ndarray | None = None

    def subset(self, indices: np.ndarray) -> CaptionSamples:
        return CaptionSamples([self.items[i] for i in indices], self.lengths[indices], True,
                              self.images, self.image_index[indices])

    def with_images(self, images: np.ndarray) -> CaptionSamples:
        return CaptionSamples(self.items, self.lengths, True, images, self.image_index)

    def model_inputs(self, indices: np.ndarray) -> dict:
        """``{"ids": (b, T) int32, "images": (b, ...) float32}``."""
        inputs = super().model_inputs(indices)
        inputs["images"] = self.images[self.image_index[indices]]
        return inputs


def training_pairs(images: np.ndarray, references: list[list[str]],
                   vocabulary: Vocabulary):
    """Teacher-forcing samples (caption[:-1] -> caption[1:]) for every reference.

    Returns
    -------
    samples : CaptionSamples
    targets : list of ndarray
        The next word at each step (ending with the end id).
    image_index : ndarray
        The image of each pair.
    """
    flat = [caption for captions in references for caption in captions]
    image_index = np.repeat(np.arange(len(references)), [len(c) for c in references])
    encoded = vocabulary.encode(flat)
    inputs = [ids[:-1] for ids in encoded]
    samples = CaptionSamples(inputs, np.array([len(ids) for ids in inputs]), True, images,
                             image_index)
    return samples, [ids[1:] for ids in encoded], image_index
