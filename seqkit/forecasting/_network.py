"""The forecasting network: a recurrent encoder with non-crossing quantile heads.

Only ``keras`` layers and ``keras.ops``; the encoder is
:func:`seqkit.networks.recurrent_stack`, shared with every other estimator.
"""

from __future__ import annotations

import keras
from keras import ops

from seqkit.member_rnn import PerMember, member_recurrent_stack
from seqkit.networks import SeedStream, recurrent_stack, sequence_inputs


class MonotoneQuantiles(keras.layers.Layer):
    """Turn raw outputs ``(batch, h, q)`` into quantiles that never cross.

    Channel ``median_index`` is the median; the others are the median minus (below) or
    plus (above) cumulative sums of softplus gaps, so quantile levels stay ordered.
    """

    def __init__(self, median_index: int, **kwargs):
        super().__init__(**kwargs)
        self.median_index = median_index

    def call(self, raw):
        m = self.median_index
        median = raw[..., m: m + 1]
        parts = []
        if m > 0:
            gaps = ops.softplus(raw[..., :m])
            parts.append(median - ops.flip(ops.cumsum(ops.flip(gaps, axis=-1), axis=-1),
                                           axis=-1))
        parts.append(median)
        if m < raw.shape[-1] - 1:
            parts.append(median + ops.cumsum(ops.softplus(raw[..., m + 1:]), axis=-1))
        return ops.concatenate(parts, axis=-1) if len(parts) > 1 else median

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "median_index": self.median_index}


class PinballLoss(keras.losses.Loss):
    """Mean pinball (quantile) loss over forecast steps and quantile levels.

    ``y_true`` has shape ``(..., h, 1)``, ``y_pred`` ``(..., h, q)``; ``call`` reduces the
    last two axes only, so :func:`seqkit.networks.ensemble_loss` can average it over
    ensemble members.
    """

    def __init__(self, quantiles, name="pinball", **kwargs):
        super().__init__(name=name, **kwargs)
        self.quantiles = [float(q) for q in quantiles]

    def call(self, y_true, y_pred):
        levels = ops.convert_to_tensor(self.quantiles, dtype=y_pred.dtype)
        error = ops.cast(y_true, y_pred.dtype) - y_pred
        loss = ops.maximum(levels * error, (levels - 1.0) * error)
        return ops.mean(loss, axis=(-2, -1))

    def get_config(self):
        return {**super().get_config(), "quantiles": self.quantiles}


def forecast_network(*, n_features: int, recurrent: dict, horizon: int, quantiles,
                     seed: int, ensemble_size: int = 1, masked: bool = True,
                     **ignored) -> keras.Model:
    """``ensemble_size`` independent encoders, each -> dense -> ordered quantiles.

    Each member is a recurrent encoder followed by a dense layer with
    ``horizon x len(quantiles)`` outputs made non-crossing by :class:`MonotoneQuantiles`;
    the members read the same inputs but share no weights and start from different
    initial weights. Their outputs are stacked on axis 1, so one ``fit`` trains them all
    (each on its own pinball loss, see :func:`seqkit.networks.ensemble_loss`).

    Parameters
    ----------
    n_features : int
        Features per input step.
    recurrent : dict
        Keyword arguments of :func:`seqkit.networks.recurrent_stack`.
    horizon : int
        Steps forecast at once.
    quantiles : sequence of float
        Increasing quantile levels, containing 0.5.
    seed : int
        Seeds every initialiser and dropout.
    ensemble_size : int, default=1
        Independent members, run side by side in one layer per depth
        (:mod:`seqkit.member_rnn`: traced once, one wide product per step).
    masked : bool, default=True
        Take a ``mask`` input (see :func:`seqkit.networks.sequence_inputs`).
    **ignored
        Keys of the shared network spec this builder does not use (``pooling``, ...).

    Returns
    -------
    keras.Model
        Inputs ``{"values", "mask"}``; output ``(batch, horizon, len(quantiles))`` for
        one member, else ``(batch, ensemble_size, horizon, len(quantiles))``.
    """
    seeds = SeedStream(seed)
    inputs, steps, mask = sequence_inputs(n_features, None, 0, seeds, masked=masked)
    if ensemble_size > 1:
        return keras.Model(inputs, _side_by_side_members(
            steps, mask, recurrent, horizon, quantiles, ensemble_size, seeds))
    # One member keeps Keras's own recurrent layers (and their cuDNN kernels on a GPU).
    hidden = recurrent_stack(steps, mask, return_sequences=False, seeds=seeds, **recurrent)
    raw = keras.layers.Dense(
        horizon * len(quantiles),
        kernel_initializer=keras.initializers.GlorotUniform(seed=seeds()),
    )(hidden)
    raw = keras.layers.Reshape((horizon, len(quantiles)))(raw)
    return keras.Model(inputs, MonotoneQuantiles(list(quantiles).index(0.5))(raw))


def _side_by_side_members(steps, mask, recurrent, horizon, quantiles, members, seeds):
    """The ensemble's quantile outputs ``(batch, members, horizon, len(quantiles))``."""
    hidden = member_recurrent_stack(steps, mask, members=members, seeds=seeds, **recurrent)
    outputs = horizon * len(quantiles)
    raw = keras.layers.EinsumDense(
        "bmu,muo->bmo", output_shape=(members, outputs), bias_axes="mo",
        kernel_initializer=PerMember("GlorotUniform", [seeds() for _ in range(members)]),
    )(hidden)
    raw = keras.layers.Reshape((members, horizon, len(quantiles)))(raw)
    return MonotoneQuantiles(list(quantiles).index(0.5))(raw)
