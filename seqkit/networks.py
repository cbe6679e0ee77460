"""Networks: pure functions that build Keras models from plain parameters.

No scikit-learn here, and only ``keras`` layers and ``keras.ops``, so each builder can be
tested alone and runs on any Keras backend. Every random initialiser and dropout gets
its own seed drawn from one integer, which makes a build reproducible without touching
process-wide seeds.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

RECURRENT_LAYERS = {"rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}
POOLINGS = ("last", "mean", "max")


class SeedStream:
    """Hands out distinct integer seeds derived from one seed."""

    def __init__(self, seed: int):
        self._rng = np.random.default_rng(seed)

    def __call__(self) -> int:
        return int(self._rng.integers(0, 2**31 - 1))


class MaskedMaxPooling(keras.layers.Layer):
    """Maximum over the real (unmasked) time steps of a ``(batch, T, units)`` tensor."""

    def call(self, inputs, mask):
        hidden = ops.where(ops.expand_dims(mask, -1), inputs, ops.full_like(inputs, -1e9))
        return ops.max(hidden, axis=1)


def sequence_inputs(n_features: int, embedding_dim: int | None, n_token_ids: int, seeds):
    """Create the model inputs and the embedded steps with their mask.

    Returns
    -------
    inputs : dict of KerasTensor
        ``{"ids"}`` for token input, ``{"values", "mask"}`` otherwise (the names
        :meth:`seqkit.inputs.Sequences.model_inputs` produces).
    steps : KerasTensor of shape (batch, T, features)
    mask : KerasTensor of shape (batch, T), bool
    """
    if embedding_dim:
        ids = keras.Input((None,), dtype="int32", name="ids")
        embedding = keras.layers.Embedding(
            n_token_ids,
            embedding_dim,
            embeddings_initializer=keras.initializers.RandomUniform(-0.05, 0.05, seed=seeds()),
        )
        return {"ids": ids}, embedding(ids), ops.not_equal(ids, 0)
    values = keras.Input((None, n_features), name="values")
    mask = keras.Input((None,), dtype="bool", name="mask")
    return {"values": values, "mask": mask}, values, mask


def recurrent_layer(cell: str, units: int, *, return_sequences: bool, dropout: float,
                    recurrent_dropout: float, seeds, go_backwards: bool = False):
    """One SimpleRNN / LSTM / GRU layer with seeded initialisers and dropout."""
    layer_class = getattr(keras.layers, RECURRENT_LAYERS[cell])
    return layer_class(
        units,
        return_sequences=return_sequences,
        go_backwards=go_backwards,
        dropout=dropout,
        recurrent_dropout=recurrent_dropout,
        kernel_initializer=keras.initializers.GlorotUniform(seed=seeds()),
        recurrent_initializer=keras.initializers.Orthogonal(seed=seeds()),
        seed=seeds(),
    )


def recurrent_stack(steps, mask, *, cell: str, units: int, num_layers: int,
                    bidirectional: bool, dropout: float, recurrent_dropout: float,
                    return_sequences: bool, seeds):
    """Stack ``num_layers`` recurrent layers, optionally bidirectional, honouring ``mask``.

    Parameters
    ----------
    steps : KerasTensor of shape (batch, T, features)
    mask : KerasTensor of shape (batch, T), bool
        False at padding; padded steps never change an output.
    return_sequences : bool
        Whether the last layer returns every step ``(batch, T, units)`` or only the
        final state ``(batch, units)``.

    Returns
    -------
    KerasTensor
    """
    hidden = steps
    for depth in range(num_layers):
        options = dict(
            return_sequences=return_sequences or depth < num_layers - 1,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seeds=seeds,
        )
        layer = recurrent_layer(cell, units, **options)
        if bidirectional:
            backward = recurrent_layer(cell, units, go_backwards=True, **options)
            layer = keras.layers.Bidirectional(layer, backward_layer=backward)
        hidden = layer(hidden, mask=mask)
    return hidden


def many_to_one_network(*, n_features: int, embedding_dim: int | None, n_token_ids: int,
                        recurrent: dict, pooling: str, n_outputs: int,
                        output_activation: str | None, seed: int) -> keras.Model:
    """A recurrent encoder whose pooled summary feeds one dense output layer.

    Parameters
    ----------
    n_features, embedding_dim, n_token_ids
        See :func:`sequence_inputs`.
    recurrent : dict
        Keyword arguments of :func:`recurrent_stack` (``cell``, ``units``, ...).
    pooling : {"last", "mean", "max"}
        How the step outputs become one vector: the final state, or the mean or
        maximum over real steps.
    n_outputs : int
        Units of the output layer.
    output_activation : str or None
        E.g. ``"softmax"`` for classes, ``None`` for regression.
    seed : int
        Seeds every initialiser and dropout.
    """
    seeds = SeedStream(seed)
    inputs, steps, mask = sequence_inputs(n_features, embedding_dim, n_token_ids, seeds)
    hidden = recurrent_stack(
        steps, mask, return_sequences=pooling != "last", seeds=seeds, **recurrent
    )
    if pooling == "mean":
        hidden = keras.layers.GlobalAveragePooling1D()(hidden, mask=mask)
    elif pooling == "max":
        hidden = MaskedMaxPooling()(hidden, mask=mask)
    outputs = keras.layers.Dense(
        n_outputs,
        activation=output_activation,
        kernel_initializer=keras.initializers.GlorotUniform(seed=seeds()),
    )(hidden)
    return keras.Model(inputs, outputs)
