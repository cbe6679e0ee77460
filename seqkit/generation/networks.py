"""The three generating networks: what conditions the shared decoder, and nothing else.

* :func:`caption_network`: an image encoder (a small CNN, a user model, or features);
  its locations are the memory, a dense summary of them the context.
* :func:`translation_network`: a (bidirectional, stacked) recurrent encoder of the source
  tokens; its outputs are the memory, their masked mean (through a dense layer) the
  context.
* :func:`language_model_network`: nothing; optionally stateful, or with explicit initial
  states in and final states out (for scoring long texts window by window).

Each builds its condition and calls :func:`seqkit.generation.decoder.decoder_outputs`.
"""

from __future__ import annotations

import keras
from keras import ops

from seqkit.generation.decoder import (
    Condition,
    decoder_outputs,
    state_names,
)
from seqkit.networks import PaddingMask, SeedStream, recurrent_stack


def _glorot(seeds):
    return keras.initializers.GlorotUniform(seed=seeds())


# --------------------------------------------------------------------------- images
class GridCoordinates(keras.layers.Layer):
    """Flatten a feature map ``(b, h, w, d)`` to ``(b, h * w, d + 2)`` locations.

    Two channels with each location's row and column (from -1 to 1) are added, so that
    what attention reads from a location also says where it is.
    """

    def build(self, input_shape):
        # Static sizes from the build: a training batch may arrive with unknown height.
        self.height, self.width, self.depth = (int(d) for d in input_shape[1:])

    def call(self, grid):
        height, width = self.height, self.width
        rows = ops.repeat(ops.linspace(-1.0, 1.0, height), width)
        cols = ops.tile(ops.linspace(-1.0, 1.0, width), [height])
        where = ops.cast(ops.stack([rows, cols], axis=-1), grid.dtype)  # (h * w, 2)
        flat = ops.reshape(grid, (-1, height * width, self.depth))
        where = ops.expand_dims(where, 0) + ops.zeros_like(flat[..., :1])  # (b, L, 2)
        return ops.concatenate([flat, where], axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[1] * input_shape[2], input_shape[3] + 2)


def _cnn(images, filters, seeds):
    hidden = images
    for i, n_filters in enumerate(filters):
        hidden = keras.layers.Conv2D(
            n_filters, 3, padding="same", activation="relu", name=f"conv_{i}",
            kernel_initializer=keras.initializers.HeUniform(seed=seeds()))(hidden)
        hidden = keras.layers.MaxPooling2D(2, padding="same")(hidden)
    return hidden


def _locations(features):
    """Encoder output as ``(b, L, d)`` locations (the layer ``"memory"``)."""
    if len(features.shape) == 4:
        return GridCoordinates(name="memory")(features)
    if len(features.shape) == 2:
        features = keras.layers.Reshape((1, features.shape[-1]))(features)
    if len(features.shape) != 3:
        raise ValueError(f"the encoder gives outputs of shape {features.shape}; expected "
                         "(batch, D), (batch, L, D) or (batch, h, w, D)")
    return keras.layers.Identity(name="memory")(features)


def caption_network(*, input_shape: tuple, encoder: str, cnn_filters: tuple,
                    n_token_ids: int, embedding_dim: int, recurrent: dict, attention: bool,
                    seed: int, user_encoder=None, **_base_options) -> keras.Model:
    """The captioning network trained by teacher forcing.

    Parameters
    ----------
    input_shape : tuple
        Shape of one image ``(H, W, C)`` or of its features ``(D,)`` / ``(L, D)``.
    encoder : {"cnn", "user", "none"}
        A small CNN (``cnn_filters``: 3 x 3 convolutions, each followed by 2 x 2 max
        pooling), ``user_encoder``, or no encoder (the input is already features).
    cnn_filters : tuple of int
        Filters of each convolution of the CNN.
    n_token_ids, embedding_dim, recurrent, seed
        As in :func:`seqkit.generation.decoder.decoder_outputs`.
    attention : bool
        Additive soft attention over the locations (only when there are several).
    user_encoder : keras.Model, optional
        The encoder when ``encoder="user"``.

    Returns
    -------
    keras.Model
        Inputs ``{"images": (b, *input_shape), "ids": (b, T)}``, output the next-word
        probabilities ``(b, T, n_token_ids)``.
    """
    seeds = SeedStream(seed)
    images = keras.Input(input_shape, name="images")
    ids = keras.Input((None,), dtype="int32", name="ids")
    if encoder == "cnn":
        features = _cnn(images, cnn_filters, seeds)
    elif encoder == "user":
        features = user_encoder(images)
    else:
        features = images
    grid = _locations(features)
    image = keras.layers.Dense(recurrent["units"], activation="tanh",
                               kernel_initializer=_glorot(seeds),
                               name="context")(keras.layers.Flatten()(grid))
    probs, _ = decoder_outputs(ids, Condition(memory=grid, context=image),
                               n_token_ids=n_token_ids, embedding_dim=embedding_dim,
                               recurrent=recurrent, attention="additive" if attention else None,
                               seeds=seeds)
    return keras.Model({"images": images, "ids": ids}, probs)


# ------------------------------------------------------------------------ sequences
class MaskedMean(keras.layers.Layer):
    """Mean of ``(b, L, d)`` over the entries a ``(b, L)`` mask marks as real."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True  # the mask is an explicit input

    def compute_mask(self, inputs, mask=None):
        return None

    def call(self, inputs):
        values, mask = inputs
        weights = ops.expand_dims(ops.cast(mask, values.dtype), -1)
        return ops.sum(values * weights, axis=1) / ops.maximum(ops.sum(weights, axis=1), 1.0)

    def compute_output_shape(self, input_shapes):
        return (input_shapes[0][0], input_shapes[0][-1])


def translation_network(*, n_source_ids: int, source_embedding_dim: int, n_token_ids: int,
                        embedding_dim: int, recurrent: dict, attention: str | None,
                        seed: int, **_base_options) -> keras.Model:
    """The encoder-decoder network with attention, trained by teacher forcing.

    Parameters
    ----------
    n_source_ids, source_embedding_dim : int
        Source vocabulary size (0 pads, 1 is the unknown token) and embedding size.
    recurrent : dict
        As in :func:`seqkit.generation.decoder.decoder_outputs`; ``bidirectional`` and
        ``num_layers`` shape the encoder too.
    attention : {"additive", "multiplicative"} or None

    Returns
    -------
    keras.Model
        Inputs ``{"source": (b, S), "ids": (b, T)}`` (0 pads both), output the next-token
        probabilities ``(b, T, n_token_ids)``.
    """
    seeds = SeedStream(seed)
    source = keras.Input((None,), dtype="int32", name="source")
    ids = keras.Input((None,), dtype="int32", name="ids")
    mask = PaddingMask(name="memory_mask")(source)
    embedded = keras.layers.Embedding(
        n_source_ids, source_embedding_dim, name="source_embedding",
        embeddings_initializer=keras.initializers.RandomUniform(-0.1, 0.1, seed=seeds()))(source)
    encoded = recurrent_stack(
        embedded, mask, cell=recurrent["cell"], units=recurrent["units"],
        num_layers=recurrent["num_layers"], bidirectional=recurrent["bidirectional"],
        dropout=recurrent.get("dropout", 0.0),
        recurrent_dropout=recurrent.get("recurrent_dropout", 0.0), return_sequences=True,
        seeds=seeds)
    memory = keras.layers.Identity(name="memory")(encoded)
    summary = keras.layers.Dense(recurrent["units"], activation="tanh", name="context",
                                 kernel_initializer=_glorot(seeds))(
        MaskedMean()([memory, mask]))
    probs, _ = decoder_outputs(ids, Condition(memory, mask, summary), n_token_ids=n_token_ids,
                               embedding_dim=embedding_dim, recurrent=recurrent,
                               attention=attention, seeds=seeds)
    return keras.Model({"source": source, "ids": ids}, probs)


# --------------------------------------------------------------------------- nothing
def language_model_network(*, n_token_ids: int, embedding_dim: int, recurrent: dict,
                           seed: int, masked: bool, stateful_batch: int | None = None,
                           explicit_states: bool = False, **_base_options) -> keras.Model:
    """The unconditioned decoder: a token-level language model.

    Parameters
    ----------
    n_token_ids, embedding_dim, recurrent, seed, masked
        As in :func:`seqkit.generation.decoder.decoder_outputs`.
    stateful_batch : int, optional
        Build stateful recurrent layers for batches of exactly this many rows (truncated
        backpropagation through time with the state carried from batch to batch).
    explicit_states : bool
        Take the initial states as inputs ``state_<layer>_<k>`` and return the final
        ones: the output is then ``{"probs", "state_..."}``.

    Returns
    -------
    keras.Model
        Input ``{"ids": (b, T)}`` (plus the states), output the next-token probabilities.
    """
    seeds = SeedStream(seed)
    shape = dict(batch_shape=(stateful_batch, None)) if stateful_batch else dict(shape=(None,))
    ids = keras.Input(dtype="int32", name="ids", **shape)
    inputs = {"ids": ids}
    initial = None
    if explicit_states:
        initial = {name: keras.Input((recurrent["units"],), name=name)
                   for name in state_names(recurrent["cell"], recurrent["num_layers"])}
        inputs.update(initial)
    probs, states = decoder_outputs(ids, Condition(), n_token_ids=n_token_ids,
                                    embedding_dim=embedding_dim, recurrent=recurrent,
                                    attention=None, seeds=seeds, masked=masked,
                                    stateful=bool(stateful_batch), initial_states=initial)
    return keras.Model(inputs, {"probs": probs, **states} if explicit_states else probs)
