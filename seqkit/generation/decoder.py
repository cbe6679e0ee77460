"""The one recurrent decoder of the generating estimators, with soft attention.

Captioner, translator and text generator all write their output with the network built
here; they differ only in what conditions it (a :class:`Condition`):

* ``memory`` ``(b, L, d)``: what attention reads at every step (image locations, the
  encoded source words), with ``memory_mask`` ``(b, L)`` marking real entries;
* ``context`` ``(b, c)``: one vector that sets each layer's initial state and joins
  every step's input (the image vector, the source summary);
* nothing at all (a language model).

:func:`decoder_outputs` builds the teacher-forcing graph (``ids`` -> next-token
probabilities); :func:`inference_models` takes its layers, by name, into a model that
computes the condition once and a one-step model run once per generated token: the
``step`` that :mod:`seqkit.decoding` drives.
"""

from __future__ import annotations

from typing import NamedTuple

import keras
from keras import ops

from seqkit.networks import PaddingMask, SeedStream, TagSoftmax, recurrent_layer

N_STATES = {"lstm": 2, "gru": 1, "rnn": 1}
ATTENTION_SCORES = ("additive", "multiplicative")


class Condition(NamedTuple):
    """What the decoder is conditioned on; any part may be None."""

    memory: object = None
    memory_mask: object = None
    context: object = None


class SoftAttention(keras.layers.Layer):
    """Soft attention of the decoder states over the ``L`` entries of a memory.

    For queries ``q`` ``(b, T, units)`` and memory ``g`` ``(b, L, d)`` the score is
    additive (Bahdanau), ``v . tanh(W_q q + W_g g)``, or multiplicative (Luong's
    "general"), ``q . W g / sqrt(units)``; the weights are a softmax over the real
    entries (an optional third input ``(b, L)`` marks them) and the context is
    ``sum_l weights_l g_l``. Returns ``[context (b, T, d), weights (b, T, L)]``.
    """

    def __init__(self, units: int, score: str = "additive", seed: int | None = None,
                 **kwargs):
        super().__init__(**kwargs)
        if score not in ATTENTION_SCORES:
            raise ValueError(f"attention={score!r}; expected one of {list(ATTENTION_SCORES)}")
        self.supports_masking = True
        seeds = SeedStream(seed if seed is not None else 0)
        self.units, self.score = units, score
        dense = dict(kernel_initializer=keras.initializers.GlorotUniform(seed=seeds()))
        if score == "additive":
            self.query = keras.layers.Dense(units, use_bias=False, **dense)
            self.key = keras.layers.Dense(units, **dense)
            self.energy = keras.layers.Dense(1, use_bias=False, **dense)
        else:
            self.key = keras.layers.Dense(units, use_bias=False, **dense)

    def compute_mask(self, inputs, mask=None):
        return None  # padded steps are the loss's business (targets of -1)

    def build(self, input_shapes):
        query_shape, memory_shape = input_shapes[:2]
        self.key.build(memory_shape)
        if self.score == "additive":
            self.query.build(query_shape)
            self.energy.build(tuple(memory_shape[:-1]) + (self.units,))

    def call(self, inputs):
        queries, memory = inputs[:2]
        if self.score == "additive":
            hidden = ops.tanh(ops.expand_dims(self.query(queries), 2)
                              + ops.expand_dims(self.key(memory), 1))  # (b, T, L, units)
            scores = ops.squeeze(self.energy(hidden), -1)
        else:
            keys = ops.transpose(self.key(memory), (0, 2, 1))  # (b, units, L)
            scores = ops.matmul(queries, keys) / (self.units ** 0.5)
        if len(inputs) > 2:
            real = ops.expand_dims(ops.cast(inputs[2], "bool"), 1)  # (b, 1, L)
            scores = ops.where(real, scores, ops.full_like(scores, -1e9))
        weights = ops.softmax(scores, axis=-1)
        return [ops.matmul(weights, memory), weights]

    def compute_output_shape(self, input_shapes):
        query_shape, memory_shape = input_shapes[:2]
        return [tuple(query_shape[:-1]) + (memory_shape[-1],),
                tuple(query_shape[:-1]) + (memory_shape[1],)]

    def get_config(self):
        return {**super().get_config(), "units": self.units, "score": self.score}


def state_names(cell: str, num_layers: int) -> list[str]:
    """Names of the states the decoder carries: ``state_<layer>_<k>``."""
    return [f"state_{d}_{k}" for d in range(num_layers) for k in range(N_STATES[cell])]


def decoder_outputs(ids, condition: Condition, *, n_token_ids: int, embedding_dim: int,
                    recurrent: dict, attention: str | None, seeds: SeedStream,
                    masked: bool = True, stateful: bool = False, initial_states=None):
    """Next-token probabilities of the teacher-forced decoder.

    Parameters
    ----------
    ids : KerasTensor of shape (b, T), int
        Input tokens (starting with the start token; 0 pads).
    condition : Condition
        The memory to attend over and the context vector; parts may be None.
    n_token_ids, embedding_dim : int
        Vocabulary size and size of the token embeddings.
    recurrent : dict
        ``cell``, ``units``, ``num_layers``, ``dropout``, ``recurrent_dropout``.
    attention : {"additive", "multiplicative"} or None
        Score of the attention over ``condition.memory`` (None: no attention).
    seeds : SeedStream
        Seeds every initialiser and dropout, in a fixed order.
    masked : bool
        Whether ``ids`` holds padding (0) that the recurrent layers must skip.
    stateful : bool
        Keras ``stateful`` recurrent layers (their final states start the next batch).
    initial_states : dict of str to KerasTensor, optional
        Explicit initial states by :func:`state_names`; the layers then also return
        their final states.

    Returns
    -------
    probs : KerasTensor of shape (b, T, n_token_ids)
    states : dict of str to KerasTensor
        Final states (only with ``initial_states``; else empty).
    """
    cell, units = recurrent["cell"], recurrent["units"]
    dropout = recurrent.get("dropout", 0.0)
    glorot = lambda: keras.initializers.GlorotUniform(seed=seeds())  # noqa: E731
    words = keras.layers.Embedding(
        n_token_ids, embedding_dim, name="embedding",
        embeddings_initializer=keras.initializers.RandomUniform(-0.1, 0.1, seed=seeds()))(ids)
    mask = PaddingMask()(ids) if masked else None
    hidden = words
    if condition.context is not None:
        # The context joins every step's input and sets each layer's initial state.
        every_step = ops.expand_dims(condition.context, 1) + ops.zeros_like(words[..., :1])
        hidden = ops.concatenate([words, every_step], axis=-1)
    final_states = {}
    for depth in range(recurrent["num_layers"]):
        names = [f"state_{depth}_{k}" for k in range(N_STATES[cell])]
        initial = None
        if condition.context is not None:
            initial = [keras.layers.Dense(units, activation="tanh", kernel_initializer=glorot(),
                                          name=f"init_{depth}_{k}")(condition.context)
                       for k in range(N_STATES[cell])]
        elif initial_states is not None:
            initial = [initial_states[name] for name in names]
        layer = recurrent_layer(cell, units, return_sequences=True, dropout=dropout,
                                recurrent_dropout=recurrent.get("recurrent_dropout", 0.0),
                                seeds=seeds, name=f"decoder_{depth}", stateful=stateful,
                                return_state=initial_states is not None)
        layer.cell.name = f"decoder_{depth}_cell"  # the step model calls each cell by name
        hidden = layer(hidden, mask=mask, initial_state=initial)
        if initial_states is not None:
            hidden, *states = hidden
            final_states.update(zip(names, states, strict=True))
    probs = _output_layers(hidden, words, condition, attention, units, dropout, n_token_ids,
                           seeds)
    return probs, final_states


def _output_layers(hidden, words, condition, attention, units, dropout, n_token_ids, seeds):
    """Next-token probabilities from the decoder state, the token read and the context
    attended to. :func:`_step_outputs` reuses the same layers (by name) one step at a time.
    """
    parts = [hidden, words]
    memory = condition.memory
    if attention and memory is not None and memory.shape[1] != 1:
        inputs = [hidden, memory] + ([condition.memory_mask]
                                     if condition.memory_mask is not None else [])
        context, _ = SoftAttention(units, attention, seed=seeds(), name="attention")(inputs)
        parts.append(context)
    joined = keras.layers.Concatenate(name="joined")(parts)
    if dropout:
        joined = keras.layers.Dropout(dropout, seed=seeds())(joined)
    deep = keras.layers.Dense(units, activation="tanh", name="deep_output",
                              kernel_initializer=keras.initializers.GlorotUniform(
                                  seed=seeds()))(joined)
    return TagSoftmax(n_token_ids, seed=seeds(), name="words")(deep)


def _layer_names(model: keras.Model) -> set:
    return {layer.name for layer in model.layers}


def has_attention(model: keras.Model) -> bool:
    """Whether the decoder of ``model`` attends over a memory."""
    return "attention" in _layer_names(model)


def inference_models(model: keras.Model, cell: str, num_layers: int,
                     condition_inputs: dict | None = None):
    """Split a trained network into a condition model and a one-step decoder.

    The condition's tensors are found by layer name: ``"memory"``, ``"memory_mask"`` and
    ``"context"`` (each optional).

    Parameters
    ----------
    model : keras.Model
        A network whose decoder was built by :func:`decoder_outputs`.
    cell : str
    num_layers : int
    condition_inputs : dict of str to KerasTensor, optional
        The inputs of ``model`` the condition is computed from (None: unconditioned).

    Returns
    -------
    encoder : keras.Model or None
        ``condition_inputs`` -> ``{"memory", "memory_mask", "context", "state_..."}``
        (those that exist): everything the decoder carries, computed once per input.
        None for an unconditioned decoder, whose states start at zero.
    step : keras.Model
        ``{"token", "state_...", condition...}`` -> ``{"log_probs", "state_..."}`` for one
        step of every row (no Keras mask: a row just continues).
    attention : keras.Model or None
        ``model``'s inputs -> attention weights ``(b, T, L)`` under teacher forcing.
    """
    names = _layer_names(model)
    parts = {name: model.get_layer(name).output
             for name in ("memory", "memory_mask", "context") if name in names}
    units = model.get_layer("decoder_0").cell.units
    states = state_names(cell, num_layers)
    encoder = None
    if condition_inputs is not None:
        initial = {name: model.get_layer(name.replace("state", "init")).output
                   for name in states}
        encoder = keras.Model(condition_inputs, {**parts, **initial})

    inputs = {"token": keras.Input((), dtype="int32", name="token")}
    inputs.update({name: keras.Input(tuple(tensor.shape[1:]), name=name,
                                     dtype=tensor.dtype)
                   for name, tensor in parts.items()})
    inputs.update({name: keras.Input((units,), name=name) for name in states})
    word = model.get_layer("embedding")(inputs["token"])
    hidden = word
    if "context" in inputs:
        hidden = ops.concatenate([word, inputs["context"]], axis=-1)
    new_states = {}
    for depth in range(num_layers):
        layer_states = [n for n in states if n.startswith(f"state_{depth}_")]
        hidden, updated = model.get_layer(f"decoder_{depth}").cell(
            hidden, [inputs[n] for n in layer_states], training=False)
        new_states.update(zip(layer_states, updated, strict=True))
    probs = _step_outputs(model, hidden, word, inputs)
    log_probs = ops.log(ops.maximum(probs, 1e-30))
    step = keras.Model(inputs, {"log_probs": log_probs, **new_states})
    attention = None
    if has_attention(model):
        attention = keras.Model(model.input, model.get_layer("attention").output[1])
    return encoder, step, attention


def _step_outputs(model, hidden, word, inputs):
    parts = [hidden, word]
    if has_attention(model):
        attend = [ops.expand_dims(hidden, 1), inputs["memory"]]
        if "memory_mask" in inputs:
            attend.append(inputs["memory_mask"])
        context, _ = model.get_layer("attention")(attend)
        parts.append(ops.squeeze(context, 1))
    joined = model.get_layer("joined")(parts)
    return model.get_layer("words")(model.get_layer("deep_output")(joined))
