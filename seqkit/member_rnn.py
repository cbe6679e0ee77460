"""Recurrent layers that run the members of an ensemble side by side in one layer.

An ensemble of ``k`` independent recurrent networks built as ``k`` separate Keras layers
costs ``k`` times as much to trace and runs ``k`` small loops per batch. Here one cell
holds every member's weights with a leading member axis and updates all members in one
batched product per step, so the ensemble is traced once and each step is one wide
operation. The members share no weights, start from their own seeded initial weights
(those of Keras's ``SimpleRNN`` / ``LSTM`` / ``GRU``: Glorot uniform inputs, orthogonal
recurrence, zero bias, LSTM forget bias 1) and draw their own dropout masks, so each
follows the same equations as the matching Keras layer (GRU with ``reset_after=True``).

Only ``keras`` layers and ``keras.ops``.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops
from keras.src.layers.rnn.dropout_rnn_cell import DropoutRNNCell

GATES = {"rnn": 1, "gru": 3, "lstm": 4}


@keras.saving.register_keras_serializable(package="seqkit")
class PerMember(keras.initializers.Initializer):
    """Initialise a ``(members, ...)`` weight member by member with a seeded Keras
    initializer, so each member starts as a separate layer of its own would.

    Parameters
    ----------
    initializer : str
        A Keras initializer class name taking ``seed`` (e.g. ``"GlorotUniform"``).
    seeds : list of int
        One seed per member.
    """

    def __init__(self, initializer: str, seeds):
        self.initializer = initializer
        self.seeds = [int(seed) for seed in seeds]

    def __call__(self, shape, dtype=None):
        if shape[0] != len(self.seeds):
            raise ValueError(f"shape {tuple(shape)} has {shape[0]} members but "
                             f"{len(self.seeds)} seeds were given")
        return ops.stack([
            keras.initializers.get({"class_name": self.initializer,
                                    "config": {"seed": seed}})(shape[1:], dtype=dtype)
            for seed in self.seeds])

    def get_config(self):
        return {"initializer": self.initializer, "seeds": self.seeds}


@keras.saving.register_keras_serializable(package="seqkit")
class MemberCell(DropoutRNNCell, keras.layers.Layer):
    """One step of ``members`` independent SimpleRNN / LSTM / GRU cells.

    Inputs per step have shape ``(batch, members * features)``: member ``m`` reads
    features ``m * features .. (m + 1) * features - 1`` (tile shared inputs first, so each
    member draws its own input dropout mask). The state and output are
    ``(batch, members * units)``, member by member.

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}
    members, units : int
    dropout, recurrent_dropout : float
        As in Keras's recurrent layers: one mask per sequence, on the inputs and on the
        recurrent state.
    seed : int
        Seeds the initial weights and the dropout masks.
    """

    def __init__(self, cell: str, members: int, units: int, dropout: float = 0.0,
                 recurrent_dropout: float = 0.0, seed: int = 0, **kwargs):
        super().__init__(**kwargs)
        if cell not in GATES:
            raise ValueError(f"cell={cell!r}; expected one of {sorted(GATES)}")
        self.cell, self.members, self.units = cell, int(members), int(units)
        self.dropout, self.recurrent_dropout, self.seed = dropout, recurrent_dropout, seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        width = self.members * self.units
        self.state_size = [width, width] if cell == "lstm" else width
        self.output_size = width

    def build(self, input_shape):
        self.features = input_shape[-1] // self.members
        gates = GATES[self.cell] * self.units
        seeds = np.random.default_rng(self.seed).integers(0, 2**31 - 1, (2, self.members))
        self.kernel = self.add_weight(
            shape=(self.members, self.features, gates), name="kernel",
            initializer=PerMember("GlorotUniform", seeds[0].tolist()))
        self.recurrent_kernel = self.add_weight(
            shape=(self.members, self.units, gates), name="recurrent_kernel",
            initializer=PerMember("Orthogonal", seeds[1].tolist()))
        bias_shape = (self.members, 2 * gates if self.cell == "gru" else gates)
        self.bias = self.add_weight(shape=bias_shape, name="bias",
                                    initializer=self._bias_initializer)

    def _bias_initializer(self, shape, dtype=None):
        if self.cell != "lstm":
            return ops.zeros(shape, dtype=dtype)
        u = self.units
        forget = ops.concatenate([ops.zeros((u,)), ops.ones((u,)), ops.zeros((2 * u,))])
        return ops.cast(ops.tile(forget[None], (self.members, 1)), dtype)

    def _by_member(self, tensor, size):
        return ops.reshape(tensor, (-1, self.members, size))

    def call(self, inputs, states, training=False):
        h_prev = states[0] if isinstance(states, (list, tuple)) else states
        if training and self.dropout > 0:
            inputs = inputs * self.get_dropout_mask(inputs)
        if training and self.recurrent_dropout > 0:
            h_read = h_prev * self.get_recurrent_dropout_mask(h_prev)
        else:
            h_read = h_prev
        x = ops.einsum("bmf,mfg->bmg", self._by_member(inputs, self.features), self.kernel)
        h = self._by_member(h_read, self.units)
        recurrent = ops.einsum("bmu,mug->bmg", h, self.recurrent_kernel)
        if self.cell == "rnn":
            new = ops.tanh(x + recurrent + self.bias[None])
            out = ops.reshape(new, (-1, self.members * self.units))
            return out, [out] if isinstance(states, (list, tuple)) else out
        if self.cell == "lstm":
            c = self._by_member(states[1], self.units)
            i, f, g, o = ops.split(x + recurrent + self.bias[None], 4, axis=-1)
            c = ops.sigmoid(f) * c + ops.sigmoid(i) * ops.tanh(g)
            new = ops.sigmoid(o) * ops.tanh(c)
            out = ops.reshape(new, (-1, self.members * self.units))
            return out, [out, ops.reshape(c, (-1, self.members * self.units))]
        input_bias, recurrent_bias = ops.split(self.bias, 2, axis=-1)
        x_z, x_r, x_h = ops.split(x + input_bias[None], 3, axis=-1)
        r_z, r_r, r_h = ops.split(recurrent + recurrent_bias[None], 3, axis=-1)
        z = ops.sigmoid(x_z + r_z)
        r = ops.sigmoid(x_r + r_r)
        candidate = ops.tanh(x_h + r * r_h)
        new = z * self._by_member(h_prev, self.units) + (1 - z) * candidate
        out = ops.reshape(new, (-1, self.members * self.units))
        return out, [out] if isinstance(states, (list, tuple)) else out

    def get_config(self):
        return {**super().get_config(), "cell": self.cell, "members": self.members,
                "units": self.units, "dropout": self.dropout,
                "recurrent_dropout": self.recurrent_dropout, "seed": self.seed}


def member_recurrent_stack(steps, mask, *, members: int, cell: str, units: int,
                           num_layers: int, bidirectional: bool, dropout: float,
                           recurrent_dropout: float, seeds):
    """``members`` independent recurrent stacks over the same steps, as one stack.

    The counterpart of :func:`seqkit.networks.recurrent_stack` (same options) for an
    ensemble: returns each member's final state, shape ``(batch, members, units)``
    (``2 * units`` when bidirectional).
    """
    hidden = ops.tile(steps, (1, 1, members))
    for depth in range(num_layers):
        sequences = depth < num_layers - 1

        layers = [keras.layers.RNN(
            MemberCell(cell, members, units, dropout, recurrent_dropout, seeds()),
            return_sequences=sequences, go_backwards=go_backwards)
            for go_backwards in ((False, True) if bidirectional else (False,))]
        forward = layers[0](hidden, mask=mask)
        if not bidirectional:
            hidden = forward
            continue
        backward = layers[1](hidden, mask=mask)
        if sequences:
            # Keep each member's features together: [forward m, backward m] for each m.
            both = ops.concatenate([forward, ops.flip(backward, axis=1)], axis=-1)
            order = np.arange(2 * members * units).reshape(2, members, units)
            hidden = ops.take(both, order.transpose(1, 0, 2).ravel(), axis=-1)
        else:
            by_member = keras.layers.Reshape((members, units))
            hidden = ops.concatenate([by_member(forward), by_member(backward)], axis=-1)
    width = 2 * units if bidirectional else units
    return keras.layers.Reshape((members, width))(hidden)
