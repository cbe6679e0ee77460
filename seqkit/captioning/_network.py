"""The captioning network: an image encoder, a recurrent decoder and soft attention.

:func:`caption_network` builds the model trained by teacher forcing
(``{"images", "ids"}`` -> next-word probabilities per step); :func:`inference_models`
takes its layers, by name, into an encoder model (run once per image) and a one-step
decoder model (run once per generated word), the ``step`` that :mod:`seqkit.decoding`
drives.
"""

from __future__ import annotations

import keras
from keras import ops

from seqkit.networks import SeedStream, TagSoftmax, recurrent_layer

N_STATES = {"lstm": 2, "gru": 1, "rnn": 1}


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


class AdditiveAttention(keras.layers.Layer):
    """Soft attention over the ``L`` image locations with additive (Bahdanau) scores.

    For queries ``q`` (the decoder state at each step, ``(b, T, units)``) and locations
    ``g`` (``(b, L, d)``): ``score = v . tanh(W_q q + W_g g)``, weights ``softmax`` over
    the locations, context ``sum_l weights_l g_l``. Returns ``[context (b, T, d),
    weights (b, T, L)]``.
    """

    def __init__(self, units: int, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        seeds = SeedStream(seed if seed is not None else 0)
        self.units = units
        dense = dict(kernel_initializer=keras.initializers.GlorotUniform(seed=seeds()))
        self.query = keras.layers.Dense(units, use_bias=False, **dense)
        self.key = keras.layers.Dense(units, **dense)
        self.energy = keras.layers.Dense(1, use_bias=False, **dense)

    def compute_mask(self, inputs, mask=None):
        return None  # padded steps are the loss's business (targets of -1)

    def build(self, input_shapes):
        query_shape, grid_shape = input_shapes
        self.query.build(query_shape)
        self.key.build(grid_shape)
        self.energy.build(tuple(grid_shape[:-1]) + (self.units,))

    def call(self, inputs):
        queries, grid = inputs
        hidden = ops.tanh(ops.expand_dims(self.query(queries), 2)
                          + ops.expand_dims(self.key(grid), 1))  # (b, T, L, units)
        weights = ops.softmax(ops.squeeze(self.energy(hidden), -1), axis=-1)
        return [ops.matmul(weights, grid), weights]

    def compute_output_shape(self, input_shapes):
        query_shape, grid_shape = input_shapes
        return [tuple(query_shape[:-1]) + (grid_shape[-1],),
                tuple(query_shape[:-1]) + (grid_shape[1],)]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def _cnn(images, filters, seeds):
    hidden = images
    for i, n_filters in enumerate(filters):
        hidden = keras.layers.Conv2D(
            n_filters, 3, padding="same", activation="relu", name=f"conv_{i}",
            kernel_initializer=keras.initializers.HeUniform(seed=seeds()))(hidden)
        hidden = keras.layers.MaxPooling2D(2, padding="same")(hidden)
    return hidden


def _locations(features):
    """Encoder output as a ``(b, L, d)`` grid, and the ``(h, w)`` shape of a spatial grid."""
    if len(features.shape) == 4:
        return GridCoordinates(name="grid")(features), tuple(features.shape[1:3])
    if len(features.shape) == 2:
        features = keras.layers.Reshape((1, features.shape[-1]))(features)
    if len(features.shape) != 3:
        raise ValueError(f"the encoder gives outputs of shape {features.shape}; expected "
                         "(batch, D), (batch, L, D) or (batch, h, w, D)")
    return keras.layers.Identity(name="grid")(features), None


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
    n_token_ids : int
        Vocabulary size (padding, unknown, words, start and end).
    embedding_dim : int
        Size of the word embeddings.
    recurrent : dict
        ``cell``, ``units``, ``num_layers``, ``dropout``, ``recurrent_dropout``.
    attention : bool
        Soft attention over the locations (only when there are several).
    seed : int
        Seeds every initialiser and dropout.
    user_encoder : keras.Model, optional
        The encoder when ``encoder="user"``.

    Returns
    -------
    keras.Model
        Inputs ``{"images": (b, *input_shape), "ids": (b, T)}`` (``ids`` starts with the
        start token; 0 pads), output the next-word probabilities ``(b, T, n_token_ids)``.
    """
    seeds = SeedStream(seed)
    cell, units = recurrent["cell"], recurrent["units"]
    dropout = recurrent.get("dropout", 0.0)
    images = keras.Input(input_shape, name="images")
    ids = keras.Input((None,), dtype="int32", name="ids")
    if encoder == "cnn":
        features = _cnn(images, cnn_filters, seeds)
    elif encoder == "user":
        features = user_encoder(images)
    else:
        features = images
    grid, _ = _locations(features)
    glorot = lambda: keras.initializers.GlorotUniform(seed=seeds())  # noqa: E731
    image = keras.layers.Dense(units, activation="tanh", kernel_initializer=glorot(),
                               name="image_vector")(keras.layers.Flatten()(grid))
    words = keras.layers.Embedding(
        n_token_ids, embedding_dim, name="embedding",
        embeddings_initializer=keras.initializers.RandomUniform(-0.1, 0.1, seed=seeds()))(ids)
    mask = ops.not_equal(ids, 0)
    # The image vector joins every step's input and sets each layer's initial state.
    every_step = ops.expand_dims(image, 1) + ops.zeros_like(words[..., :1])  # (b, T, units)
    hidden = ops.concatenate([words, every_step], axis=-1)
    for depth in range(recurrent["num_layers"]):
        initial = [keras.layers.Dense(units, activation="tanh", kernel_initializer=glorot(),
                                      name=f"init_{depth}_{k}")(image)
                   for k in range(N_STATES[cell])]
        layer = recurrent_layer(cell, units, return_sequences=True, dropout=dropout,
                                recurrent_dropout=recurrent.get("recurrent_dropout", 0.0),
                                seeds=seeds, name=f"decoder_{depth}")
        hidden = layer(hidden, mask=mask, initial_state=initial)
    outputs = _output_layers(hidden, words, grid, attention, units, dropout, n_token_ids,
                             seeds)
    return keras.Model({"images": images, "ids": ids}, outputs)


def _output_layers(hidden, words, grid, attention, units, dropout, n_token_ids, seeds):
    """Next-word probabilities from the decoder state, the word read and the attended image.

    Called on the training graph's tensors at build time; :func:`_step_outputs` reuses
    the same layers (by name) one step at a time.
    """
    parts = [hidden, words]
    if attention and grid.shape[1] > 1:
        context, _ = AdditiveAttention(units, seed=seeds(), name="attention")([hidden, grid])
        parts.append(context)
    joined = keras.layers.Concatenate(name="joined")(parts)
    if dropout:
        joined = keras.layers.Dropout(dropout, seed=seeds())(joined)
    deep = keras.layers.Dense(units, activation="tanh", name="deep_output",
                              kernel_initializer=keras.initializers.GlorotUniform(
                                  seed=seeds()))(joined)
    return TagSoftmax(n_token_ids, seed=seeds(), name="words")(deep)


def has_attention(model: keras.Model) -> bool:
    """Whether ``model`` (from :func:`caption_network`) attends over locations."""
    return any(layer.name == "attention" for layer in model.layers)


def inference_models(model: keras.Model, cell: str, num_layers: int):
    """Split a trained captioning network into an encoder and a one-step decoder.

    Returns
    -------
    encoder : keras.Model
        ``{"images"}`` -> ``{"grid", "image", "state_<layer>_<k>"}``: everything the
        decoder carries from step to step, computed once per image.
    step : keras.Model
        ``{"token", "grid", "image", "state_..."}`` -> ``{"log_probs", "state_..."}``
        for one step of every row (no Keras mask: a row just continues).
    attention : keras.Model or None
        ``{"images", "ids"}`` -> attention weights ``(b, T, L)`` under teacher forcing.
    """
    grid = model.get_layer("grid").output
    image = model.get_layer("image_vector").output
    state_names = [f"state_{d}_{k}" for d in range(num_layers) for k in range(N_STATES[cell])]
    initial = {name: model.get_layer(name.replace("state", "init")).output
               for name in state_names}
    images = model.input["images"]
    encoder = keras.Model({"images": images}, {"grid": grid, "image": image, **initial})

    inputs = {"token": keras.Input((), dtype="int32", name="token"),
              "grid": keras.Input(tuple(grid.shape[1:]), name="grid"),
              "image": keras.Input(tuple(image.shape[1:]), name="image")}
    inputs.update({name: keras.Input(tuple(initial[name].shape[1:]), name=name)
                   for name in state_names})
    word = model.get_layer("embedding")(inputs["token"])
    hidden = ops.concatenate([word, inputs["image"]], axis=-1)
    new_states = {}
    for depth in range(num_layers):
        names = [n for n in state_names if n.startswith(f"state_{depth}_")]
        hidden, states = model.get_layer(f"decoder_{depth}").cell(
            hidden, [inputs[n] for n in names], training=False)
        new_states.update(zip(names, states, strict=True))
    probs = _step_outputs(model, hidden, word, inputs["grid"])
    log_probs = ops.log(ops.maximum(probs, 1e-30))
    step = keras.Model(inputs, {"log_probs": log_probs, **new_states})
    attention = None
    if has_attention(model):
        attention = keras.Model(model.input, model.get_layer("attention").output[1])
    return encoder, step, attention


def _step_outputs(model, hidden, word, grid):
    parts = [hidden, word]
    if has_attention(model):
        context, _ = model.get_layer("attention")([ops.expand_dims(hidden, 1), grid])
        parts.append(ops.squeeze(context, 1))
    joined = model.get_layer("joined")(parts)
    return model.get_layer("words")(model.get_layer("deep_output")(joined))
