"""Networks: pure functions that build Keras models from plain parameters.

No scikit-learn here, and only ``keras`` layers and ``keras.ops``, so each builder can be
tested alone and runs on any Keras backend. Every random initialiser and dropout gets
its own seed drawn from one integer, which makes a build reproducible without touching
process-wide seeds.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import keras
import numpy as np
from keras import ops

from seqkit.augmentation import WindowSlice

RECURRENT_LAYERS = {"rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}
POOLINGS = ("last", "mean", "max")
TOKEN_EMBEDDING = "token_embedding"  # the layer that embeds token ids (see sequence_inputs)


@contextlib.contextmanager
def float64_layers() -> Iterator[None]:
    """Build layers, inputs and weights in float64 inside this block.

    Sets Keras's default float type and dtype policy, and restores both on exit. On a
    backend that cannot compute in float64 (JAX without ``jax_enable_x64``) it changes
    nothing, and what is built inside stays float32.
    """
    from seqkit._backend import supports_float64

    if not supports_float64():
        yield
        return
    floatx, policy = keras.config.floatx(), keras.config.dtype_policy()
    keras.config.set_floatx("float64")
    keras.config.set_dtype_policy("float64")
    try:
        yield
    finally:
        keras.config.set_floatx(floatx)
        keras.config.set_dtype_policy(policy)


class SeedStream:
    """Hands out distinct integer seeds derived from one seed."""

    def __init__(self, seed: int):
        self._rng = np.random.default_rng(seed)

    def __call__(self) -> int:
        return int(self._rng.integers(0, 2**31 - 1))


class PaddingMask(keras.layers.Layer):
    """``ids != 0``: which entries of a padded id sequence are real.

    A layer rather than ``ops.not_equal``: a graph built on a loaded network (a
    predictor) must not add an operation whose automatic name the loaded network
    already holds, and a layer can be given its own name.
    """

    def call(self, ids):
        return ops.not_equal(ids, 0)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)


class MemberMean(keras.layers.Layer):
    """Mean of an ensemble's outputs over the member axis 1."""

    def call(self, outputs):
        return ops.mean(outputs, axis=1)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:1]) + tuple(input_shape[2:])


class MaskedMaxPooling(keras.layers.Layer):
    """Maximum over the real (unmasked) time steps of a ``(batch, T, units)`` tensor."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def compute_mask(self, inputs, mask=None):
        return None  # the time axis is gone

    def call(self, inputs, mask=None):
        if mask is None:
            return ops.max(inputs, axis=1)
        hidden = ops.where(ops.expand_dims(mask, -1), inputs, ops.full_like(inputs, -1e9))
        return ops.max(hidden, axis=1)


def convolution_front_end(steps, mask, *, filters: int, kernel_size: int, pool_size: int,
                          seeds, layers: int = 1, batch_norm: bool = False,
                          summary: bool = False):
    """Stacked 1-D convolutions (ReLU, "same" padding) over the steps, then max pooling.

    With ``batch_norm``, each convolution is followed by batch normalisation before its
    ReLU, as in the fully convolutional networks of time-series classification (FCN);
    its statistics are taken over real steps only (the mask), and the convolution then
    has no bias of its own (the normalisation's offset replaces it).

    Padding never changes an output at a real step: padded steps are zeroed before each
    convolution (so they look like the convolution's own zero padding beyond the end)
    and after the last; pooling then takes maxima of non-negative values, and a pooled step
    is real when its window holds a real step.

    With ``summary``, the last convolution's outputs are also averaged over the real
    steps (before the pooling), the global average pooling of FCN: a vector that LSTM-FCN
    sets beside the recurrent summary.

    Returns
    -------
    steps : KerasTensor of shape (batch, ceil(T / pool_size), filters)
    mask : KerasTensor of shape (batch, ceil(T / pool_size)), bool, or None
    features : KerasTensor of shape (batch, filters), or None without ``summary``
    """
    def zero_padding(tensor, mask):
        return tensor if mask is None else ops.multiply(
            tensor, ops.expand_dims(ops.cast(mask, tensor.dtype), -1))

    hidden = steps
    for _ in range(layers):
        hidden = keras.layers.Conv1D(
            filters, kernel_size, padding="same", use_bias=not batch_norm,
            activation=None if batch_norm else "relu",
            kernel_initializer=keras.initializers.HeUniform(seed=seeds()),
        )(zero_padding(hidden, mask))
        if batch_norm:
            hidden = keras.layers.BatchNormalization()(hidden, mask=mask)
            hidden = keras.layers.ReLU()(hidden)
    hidden = zero_padding(hidden, mask)
    features = keras.layers.GlobalAveragePooling1D()(hidden, mask=mask) if summary else None
    if pool_size > 1:
        def pool(tensor):
            # Windows start at step 0 whatever the padded width ("same" pooling would
            # centre them differently for another width): pad the end, pool "valid".
            tensor = ops.pad(tensor, [[0, 0], [0, pool_size - 1], [0, 0]])
            return ops.max_pool(tensor, pool_size, pool_size, padding="valid")

        hidden = pool(hidden)
        if mask is not None:
            mask = ops.squeeze(pool(ops.expand_dims(ops.cast(mask, "float32"), -1)), -1) > 0
    return hidden, mask, features


def sequence_inputs(n_features: int, embedding_dim: int | None, n_token_ids: int, seeds,
                    masked: bool = True, word_dropout: float = 0.0, input_noise: float = 0.0,
                    window_slice: float | None = None, freeze_embedding: bool = False):
    """Create the model inputs and the embedded steps with their mask.

    Parameters
    ----------
    masked : bool, default=True
        For value input: take a ``mask`` input. A network without one is faster to
        train (Keras's recurrent layers skip their per-step masking) and serves data
        whose sequences all share one length; it predicts sequences of other lengths
        exactly when each batch holds one length (no padding).
    word_dropout : float, default=0.0
        For token input: see :class:`WordDropout`.
    input_noise : float, default=0.0
        For value input: standard deviation of the Gaussian noise added to every value
        while training (``keras.layers.GaussianNoise``; none at prediction).
    window_slice : float, optional
        For value input: the share of the steps :class:`seqkit.augmentation.WindowSlice`
        keeps while training (before the noise); None: no slicing.
    freeze_embedding : bool, default=False
        For token input: make the embedding (the layer named ``TOKEN_EMBEDDING``)
        untrainable, e.g. to keep pretrained vectors set into it after the build.

    Returns
    -------
    inputs : dict of KerasTensor
        ``{"ids"}`` for token input, ``{"values", "mask"}`` (or ``{"values"}``)
        otherwise: the names :meth:`seqkit.inputs.Sequences.model_inputs` produces.
    steps : KerasTensor of shape (batch, T, features)
    mask : KerasTensor of shape (batch, T), bool, or None
    """
    if embedding_dim:
        ids = keras.Input((None,), dtype="int32", name="ids")
        embedding = keras.layers.Embedding(
            n_token_ids,
            embedding_dim,
            embeddings_initializer=keras.initializers.RandomUniform(-0.05, 0.05, seed=seeds()),
            trainable=not freeze_embedding,
            name=TOKEN_EMBEDDING,
        )
        word_ids = WordDropout(word_dropout, seed=seeds())(ids) if word_dropout else ids
        return {"ids": ids}, embedding(word_ids), ops.not_equal(ids, 0)
    values = keras.Input((None, n_features), name="values")
    inputs = {"values": values}
    mask = keras.Input((None,), dtype="bool", name="mask") if masked else None
    if mask is not None:
        inputs["mask"] = mask
    steps = values
    if window_slice:
        steps = WindowSlice(window_slice, seed=seeds())(steps, mask=mask)
    if input_noise:
        steps = keras.layers.GaussianNoise(input_noise, seed=seeds())(steps)
    return inputs, steps, mask


def recurrent_layer(cell: str, units: int, *, return_sequences: bool, dropout: float,
                    recurrent_dropout: float, seeds, go_backwards: bool = False,
                    name: str | None = None, stateful: bool = False,
                    return_state: bool = False):
    """One SimpleRNN / LSTM / GRU layer with seeded initialisers and dropout."""
    layer_class = getattr(keras.layers, RECURRENT_LAYERS[cell])
    return layer_class(
        units,
        return_sequences=return_sequences,
        go_backwards=go_backwards,
        stateful=stateful,
        return_state=return_state,
        dropout=dropout,
        recurrent_dropout=recurrent_dropout,
        kernel_initializer=keras.initializers.GlorotUniform(seed=seeds()),
        recurrent_initializer=keras.initializers.Orthogonal(seed=seeds()),
        seed=seeds(),
        name=name,
    )


def recurrent_stack(steps, mask, *, cell: str, units: int, num_layers: int,
                    bidirectional: bool, dropout: float, recurrent_dropout: float,
                    return_sequences: bool, seeds):
    """Stack ``num_layers`` recurrent layers, optionally bidirectional, honouring ``mask``.

    Parameters
    ----------
    steps : KerasTensor of shape (batch, T, features)
    mask : KerasTensor of shape (batch, T), bool, or None
        False at padding; padded steps never change an output. None: no padding.
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
                        output_activation: str | None, seed: int,
                        masked: bool = True, conv: dict | None = None,
                        word_dropout: float = 0.0, input_noise: float = 0.0,
                        window_slice: float | None = None, freeze_embedding: bool = False,
                        summary_dropout: float = 0.0, ensemble_size: int = 1) -> keras.Model:
    """A recurrent encoder whose pooled summary feeds one dense output layer.

    Parameters
    ----------
    n_features, embedding_dim, n_token_ids, masked
        See :func:`sequence_inputs`.
    word_dropout, input_noise, window_slice, freeze_embedding
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
    conv : dict, optional
        Keyword arguments of :func:`convolution_front_end` (``filters``,
        ``kernel_size``, ``pool_size``, ...); None: the recurrent layers read the steps.
        With ``summary=True`` the output layer reads the convolution's averaged
        features beside the recurrent summary.
    summary_dropout : float, default=0.0
        Dropout on the recurrent summary (not on the convolution's averaged features)
        before the output layer.
    ensemble_size : int, default=1
        Independent encoders and output layers on the same inputs (train them with
        :func:`ensemble_loss`). Output ``(batch, n_outputs)`` for one, else
        ``(batch, ensemble_size, n_outputs)``.
    """
    seeds = SeedStream(seed)
    inputs, steps, mask = sequence_inputs(n_features, embedding_dim, n_token_ids, seeds,
                                          masked, word_dropout, input_noise, window_slice,
                                          freeze_embedding)
    members = [_many_to_one_member(steps, mask, recurrent=recurrent, pooling=pooling,
                                   n_outputs=n_outputs, output_activation=output_activation,
                                   conv=conv, summary_dropout=summary_dropout, seeds=seeds)
               for _ in range(ensemble_size)]
    outputs = members[0] if ensemble_size == 1 else ops.stack(members, axis=1)
    return keras.Model(inputs, outputs)


def _many_to_one_member(steps, mask, *, recurrent, pooling, n_outputs, output_activation,
                        conv, summary_dropout, seeds):
    conv_features = None
    if conv:
        steps, mask, conv_features = convolution_front_end(steps, mask, seeds=seeds, **conv)
    hidden = recurrent_stack(
        steps, mask, return_sequences=pooling != "last", seeds=seeds, **recurrent
    )
    if pooling == "mean":
        hidden = keras.layers.GlobalAveragePooling1D()(hidden, mask=mask)
    elif pooling == "max":
        hidden = MaskedMaxPooling()(hidden, mask=mask)
    if summary_dropout:
        hidden = keras.layers.Dropout(summary_dropout, seed=seeds())(hidden)
    if conv_features is not None:
        hidden = keras.layers.Concatenate()([hidden, conv_features])
    return keras.layers.Dense(
        n_outputs,
        activation=output_activation,
        kernel_initializer=keras.initializers.GlorotUniform(seed=seeds()),
    )(hidden)


class EnsembleLoss(keras.losses.Loss):
    """A per-sample loss averaged over the members of an ensemble output.

    The targets ``(batch, ...)`` are compared with each member's outputs
    ``(batch, ensemble_size, ...)``; the result has one value per sample, so sample
    weights apply as usual. Members share no weights, so each learns as if alone.
    A ``Loss`` subclass rather than a plain function: Keras would otherwise reshape the
    targets to the rank of the predictions before they reach it.
    """

    def __init__(self, per_sample, ensemble_size: int, name: str):
        super().__init__(name=name)
        self.per_sample = per_sample
        self.ensemble_size = ensemble_size

    def call(self, y_true, y_pred):
        y_true = ops.repeat(ops.expand_dims(y_true, 1), self.ensemble_size, axis=1)
        return ops.mean(self.per_sample(y_true, y_pred), axis=1)


def ensemble_loss(loss, ensemble_size: int) -> EnsembleLoss:
    """The Keras loss ``loss`` averaged over the members of an ensemble output.

    Parameters
    ----------
    loss : str or keras.losses.Loss
        A Keras loss name, or a ``Loss`` whose ``call`` reduces only the axes after the
        member axis.
    ensemble_size : int
        Members on axis 1 of the predictions.
    """
    if isinstance(loss, keras.losses.Loss):
        per_sample, name = loss.call, loss.name
    else:
        per_sample, name = keras.losses.get(loss), loss
    return EnsembleLoss(per_sample, ensemble_size, f"{name}_over_{ensemble_size}_members")


# ------------------------------------------------------------------- many-to-many tagging
class WordDropout(keras.layers.Layer):
    """While training, replace each real word id by the unknown-word id with probability ``rate``.

    The unknown-word embedding is then learnt from the training data, so words never seen
    in ``fit`` are tagged from context and characters. Padding (0) is never replaced.
    """

    def __init__(self, rate: float, unknown_id: int = 1, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate
        self.unknown_id = unknown_id
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, ids, training=None):
        if not training or not self.rate:
            return ids
        drop = keras.random.uniform(ops.shape(ids), seed=self.seed_generator) < self.rate
        drop = ops.logical_and(drop, ops.greater(ids, self.unknown_id))
        return ops.where(drop, ops.full_like(ids, self.unknown_id), ids)

    def compute_output_shape(self, input_shape):
        return input_shape


class CharCNN(keras.layers.Layer):
    """Word features from characters: embed, convolve along each word, max over its chars.

    Input ``(batch, T, C)`` character ids (0 pads words and unused character slots);
    output ``(batch, T, filters)``, zeros at padded words.
    """

    def __init__(self, n_chars: int, embedding_dim: int, filters: int, kernel_size: int = 3,
                 seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        seeds = SeedStream(seed if seed is not None else 0)
        self.filters = filters
        self.embedding = keras.layers.Embedding(
            n_chars, embedding_dim,
            embeddings_initializer=keras.initializers.RandomUniform(-0.1, 0.1, seed=seeds()))
        self.convolution = keras.layers.Conv2D(
            filters, (1, kernel_size), padding="same", activation="tanh",
            kernel_initializer=keras.initializers.GlorotUniform(seed=seeds()))

    def build(self, input_shape):
        # Built here rather than on first call, so that a saved network loads its weights.
        self.embedding.build(input_shape)
        self.convolution.build(tuple(input_shape) + (self.embedding.output_dim,))

    def call(self, chars):
        real = ops.expand_dims(ops.not_equal(chars, 0), -1)  # (b, T, C, 1)
        hidden = self.convolution(self.embedding(chars))
        hidden = ops.max(ops.where(real, hidden, ops.full_like(hidden, -2.0)), axis=2)
        word = ops.any(real, axis=2)
        return ops.where(word, hidden, ops.zeros_like(hidden))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:2]) + (self.filters,)


class TagSoftmax(keras.layers.Layer):
    """Softmax over the tags at every step.

    Its own weights rather than a wrapped ``Dense``, so the output carries no Keras mask:
    the tag loss pads with -1 itself and returns one value per sentence.
    """

    def __init__(self, n_tags: int, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.n_tags = n_tags
        self.seed = seed

    def build(self, input_shape):
        self.kernel = self.add_weight(
            shape=(input_shape[-1], self.n_tags), name="kernel",
            initializer=keras.initializers.GlorotUniform(seed=self.seed))
        self.bias = self.add_weight(shape=(self.n_tags,), initializer="zeros", name="bias")

    def call(self, inputs):
        return ops.softmax(ops.matmul(inputs, self.kernel) + self.bias, axis=-1)

    def compute_mask(self, inputs, previous_mask=None):
        return None  # padding is the loss's business (tags of -1)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.n_tags,)

    def get_config(self):
        return {**super().get_config(), "n_tags": self.n_tags, "seed": self.seed}


def tagger_network(*, n_features: int, embedding_dim: int | None, n_token_ids: int,
                   recurrent: dict, n_tags: int, crf: bool, n_chars: int,
                   char_embedding_dim: int, char_filters: int, word_dropout: float,
                   seed: int, n_feature_ids=(), feature_embedding_dim: int = 16,
                   masked: bool = True, ensemble_size: int = 1) -> keras.Model:
    """A recurrent tagger: one output per step (many-to-many, aligned).

    Parameters
    ----------
    n_features : int
        Features per step when the input is per-step arrays (``embedding_dim`` None).
    embedding_dim : int or None
        Word-embedding size for word-id input ``{"ids"}``; None for ``{"values", "mask"}``.
    n_token_ids : int
        Word ids in use (0 pads, 1 is the unknown word).
    recurrent : dict
        Keyword arguments of :func:`recurrent_stack`; its ``dropout`` is also applied to
        the recurrent outputs.
    n_tags : int
        Number of tags.
    crf : bool
        End in a :class:`seqkit.crf.CRF` layer (output: emissions, named ``"crf"``)
        instead of a per-step softmax (output: probabilities).
    n_chars : int
        Character ids in use; 0 turns the character CNN off (input ``{"chars"}``
        of shape ``(batch, T, C)`` when on).
    char_embedding_dim, char_filters : int
        Sizes of the character CNN.
    word_dropout : float
        See :class:`WordDropout`.
    seed : int
        Seeds every initialiser and dropout.
    n_feature_ids : sequence of int, default=()
        Ids in use of each extra per-token feature column (e.g. POS tags; 0 pads, 1 is
        an unseen value). Each column is embedded in ``feature_embedding_dim`` and
        concatenated to the word embedding (input ``{"features"}`` of shape
        ``(batch, T, len(n_feature_ids))``); empty: no such input.
    feature_embedding_dim : int, default=16
        Embedding size of each feature column.
    masked : bool, default=True
        See :func:`sequence_inputs` (per-step array input only).
    ensemble_size : int, default=1
        Members that share the word, character and feature embeddings, each with its
        own recurrent stack and output layer (named ``"crf_<i>"`` / ``"tags_<i>"``).
        Output ``(batch, T, n_tags)`` for one member, else ``(batch, ensemble_size, T,
        n_tags)``.
    """

    seeds = SeedStream(seed)
    if embedding_dim:
        ids = keras.Input((None,), dtype="int32", name="ids")
        inputs = {"ids": ids}
        mask = ops.not_equal(ids, 0)
        word_ids = WordDropout(word_dropout, seed=seeds())(ids) if word_dropout else ids
        steps = keras.layers.Embedding(
            n_token_ids, embedding_dim,
            embeddings_initializer=keras.initializers.RandomUniform(-0.1, 0.1, seed=seeds()),
            name=TOKEN_EMBEDDING,
        )(word_ids)
        parts = [steps]
        if n_chars:
            chars = keras.Input((None, None), dtype="int32", name="chars")
            inputs["chars"] = chars
            parts.append(CharCNN(n_chars, char_embedding_dim, char_filters, seed=seeds())(chars))
        if len(n_feature_ids):
            features = keras.Input((None, len(n_feature_ids)), dtype="int32", name="features")
            inputs["features"] = features
            for column, n_ids in enumerate(n_feature_ids):
                parts.append(keras.layers.Embedding(
                    n_ids, feature_embedding_dim,
                    embeddings_initializer=keras.initializers.RandomUniform(
                        -0.1, 0.1, seed=seeds()),
                )(features[:, :, column]))
        if len(parts) > 1:
            steps = keras.layers.Concatenate()(parts)
    else:
        inputs, steps, mask = sequence_inputs(n_features, None, 0, seeds, masked)
    members = [_tagger_member(steps, mask, recurrent=recurrent, n_tags=n_tags, crf=crf,
                              seeds=seeds, suffix="" if ensemble_size == 1 else f"_{i}")
               for i in range(ensemble_size)]
    outputs = members[0] if ensemble_size == 1 else ops.stack(members, axis=1)
    return keras.Model(inputs, outputs)


def _tagger_member(steps, mask, *, recurrent, n_tags, crf, seeds, suffix):
    from seqkit.crf import CRF

    hidden = recurrent_stack(steps, mask, return_sequences=True, seeds=seeds, **recurrent)
    if recurrent.get("dropout"):
        hidden = keras.layers.Dropout(recurrent["dropout"], seed=seeds())(hidden)
    if crf:
        return CRF(n_tags, seed=seeds(), name="crf" + suffix)(hidden)
    return TagSoftmax(n_tags, seed=seeds(), name="tags" + suffix)(hidden)
