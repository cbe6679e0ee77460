"""Training-time augmentation layers for value sequences (``keras.ops`` only).

Each layer changes its input only while training (``training=True``) and passes it
through unchanged at prediction, so a fitted network predicts deterministically.
"""

from __future__ import annotations

import keras
from keras import ops


class WindowSlice(keras.layers.Layer):
    """While training, replace each series by a random window of it, stretched to its length.

    Window slicing (Le Guennec et al., 2016, in the interpolating form of Iwana and
    Uchida's 2021 survey): a window spanning ``keep`` of a series' real steps, at a
    random start drawn anew for each series at every step, is resampled by linear
    interpolation to the series' own length. The network thus sees each training
    series shifted and slightly stretched in time, every epoch a new way.

    Parameters
    ----------
    keep : float
        Share of the real steps the window spans, in (0, 1].
    seed : int, optional
        Seeds the window starts.

    Notes
    -----
    Call it as ``layer(values, mask=mask)`` with ``values`` of shape
    ``(batch, T, features)`` and a boolean ``mask`` of shape ``(batch, T)`` marking the
    real steps (None: all steps are real). Only real steps are read; the padded steps of
    the output repeat the last real value, and every later layer ignores them.
    """

    def __init__(self, keep: float, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.keep = keep
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.supports_masking = True

    def call(self, values, mask=None, training=None):
        if not training or self.keep >= 1:
            return values
        shape = ops.shape(values)
        dtype = values.dtype
        if mask is None:
            lengths = ops.full((shape[0],), ops.cast(shape[1], dtype), dtype=dtype)
        else:
            lengths = ops.sum(ops.cast(mask, dtype), axis=1)
        last = ops.maximum(lengths - 1, 0)  # position of each series' last real step
        start = keras.random.uniform((shape[0],), dtype=dtype, seed=self.seed_generator)
        start = start * last * (1 - self.keep)
        # output step t reads position start + keep * t: real step L - 1 maps to the
        # window's end, start + keep * (L - 1) <= L - 1
        steps = ops.cast(ops.arange(shape[1]), dtype)
        position = ops.minimum(start[:, None] + self.keep * steps[None, :], last[:, None])
        lower = ops.floor(position)
        upper = ops.minimum(lower + 1, last[:, None])
        weight = ops.expand_dims(position - lower, -1)
        return (1 - weight) * self._gather(values, lower) + weight * self._gather(values, upper)

    @staticmethod
    def _gather(values, positions):
        """``values[b, positions[b, t], :]`` for integral float ``positions``."""
        index = ops.expand_dims(ops.cast(positions, "int32"), -1)
        return ops.take_along_axis(values, ops.broadcast_to(index, ops.shape(values)), axis=1)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "keep": self.keep, "seed": self.seed}
