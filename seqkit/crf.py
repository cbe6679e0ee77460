"""A linear-chain conditional random field written with ``keras.ops`` (any Keras backend).

The CRF scores a tag path ``y_1 .. y_T`` of a sentence as::

    score(y) = start[y_1] + sum_t emissions[t, y_t] + sum_t transitions[y_{t-1}, y_t] + end[y_T]

and models ``p(y | x) = exp(score(y)) / Z``. The functions here take emissions of shape
``(batch, T, K)`` and a boolean ``mask`` of shape ``(batch, T)`` that is True on real steps;
sequences are right-padded (every True step comes before every False one), so each row is
``1..T_i`` steps long. Padded steps never change a result.

* :func:`crf_log_likelihood` — the forward algorithm, for the training loss;
* :func:`crf_viterbi` — the best path;
* :func:`crf_marginals` — forward-backward per-step tag probabilities.

:class:`CRF` is the output layer (emission projection plus the transition weights),
:class:`CRFDecoder` a weightless layer that turns emissions into marginals and the Viterbi
path for prediction, and :class:`CRFLoss` the negative log-likelihood used in ``fit``.
"""

from __future__ import annotations

import functools

import keras
from keras import ops

from seqkit.networks import TagSoftmax

PADDING_TAG = -1


def _on_tensors(function):
    """Convert every argument to a backend tensor first, so that NumPy inputs work on
    every backend (PyTorch cannot add a NumPy array to a tensor)."""
    @functools.wraps(function)
    def wrapper(*arrays):
        return function(*(ops.convert_to_tensor(array) for array in arrays))
    return wrapper


def _time_major(emissions, mask):
    """Emissions and mask packed time first, ``(T, batch, K + 1)``, for ``ops.scan``.

    One packed tensor rather than two: Keras' TensorFlow ``scan`` cannot check two
    inputs whose time dimension is unknown when tracing.
    """
    mask = ops.cast(ops.expand_dims(mask, -1), emissions.dtype)
    return ops.transpose(ops.concatenate([emissions, mask], axis=-1), (1, 0, 2))


def _with_spare_step(emissions, mask):
    """Append one padded step, so that the scans over steps 1.. never run over nothing.

    (TensorFlow cannot stack the outputs of an empty scan whose batch size is unknown,
    which happens for a batch of one-token sentences.) Padded steps change no result.
    """
    spare = ops.zeros_like(emissions[:, :1, :])
    mask = ops.cast(mask, "bool")
    return (ops.concatenate([emissions, spare], axis=1),
            ops.concatenate([mask, ops.zeros_like(mask[:, :1])], axis=1))


def _unpack(packed):
    """One step of :func:`_time_major`: emissions ``(b, K)`` and mask ``(b, 1)`` bool."""
    return packed[:, :-1], ops.greater(packed[:, -1:], 0.5)


def _forward(emissions, mask, transitions, start):
    """Forward variables ``alpha`` of shape (batch, T, K); padded steps repeat the last."""
    packed = _time_major(emissions, mask)
    first = start[None, :] + emissions[:, 0, :]

    def step(alpha, inputs):
        emission, real = _unpack(inputs)
        scores = ops.expand_dims(alpha, 2) + transitions[None, :, :]  # (b, K_from, K_to)
        new = ops.logsumexp(scores, axis=1) + emission
        new = ops.where(real, new, alpha)
        return new, new

    _, rest = ops.scan(step, first, packed[1:])
    alphas = ops.concatenate([ops.expand_dims(first, 0), rest], axis=0)
    return ops.transpose(alphas, (1, 0, 2))


@_on_tensors
def crf_log_partition(emissions, mask, transitions, start, end):
    """``log Z`` of each sentence, shape (batch,), by the forward algorithm."""
    emissions, mask = _with_spare_step(emissions, mask)
    alphas = _forward(emissions, mask, transitions, start)
    return ops.logsumexp(alphas[:, -1, :] + end[None, :], axis=1)


@_on_tensors
def crf_path_score(emissions, tags, mask, transitions, start, end):
    """Unnormalised score of the tag path ``tags`` (batch, T); padded entries are ignored."""
    mask_f = ops.cast(mask, emissions.dtype)
    tags = ops.where(ops.cast(mask, "bool"), tags, ops.zeros_like(tags))
    n_tags = ops.shape(emissions)[-1]
    one_hot = ops.one_hot(tags, n_tags, dtype=emissions.dtype)  # (b, T, K)
    emitted = ops.sum(ops.sum(one_hot * emissions, axis=2) * mask_f, axis=1)
    first = ops.sum(one_hot[:, 0, :] * start[None, :], axis=1)
    # transitions[y_{t-1}, y_t] for t >= 1, counted only when step t is real.
    from_rows = ops.matmul(one_hot[:, :-1, :], transitions)  # (b, T-1, K)
    moved = ops.sum(from_rows * one_hot[:, 1:, :], axis=2) * mask_f[:, 1:]
    lengths = ops.cast(ops.sum(mask_f, axis=1), "int32")
    last_tag = ops.take_along_axis(tags, ops.expand_dims(lengths - 1, 1), axis=1)[:, 0]
    last = ops.sum(ops.one_hot(last_tag, n_tags, dtype=emissions.dtype) * end[None, :], axis=1)
    return emitted + first + ops.sum(moved, axis=1) + last


def crf_log_likelihood(emissions, tags, mask, transitions, start, end):
    """``log p(tags | x)`` of each sentence, shape (batch,)."""
    return (crf_path_score(emissions, tags, mask, transitions, start, end)
            - crf_log_partition(emissions, mask, transitions, start, end))


@_on_tensors
def crf_marginals(emissions, mask, transitions, start, end):
    """Per-step tag probabilities ``p(y_t = k | x)``, shape (batch, T, K), by forward-backward.

    Rows of padded steps hold meaningless values.
    """
    length = ops.shape(emissions)[1]
    emissions, mask = _with_spare_step(emissions, mask)
    alphas = _forward(emissions, mask, transitions, start)
    packed = _time_major(emissions, mask)
    last = ops.zeros_like(emissions[:, 0, :]) + end[None, :]

    def step(beta, inputs):
        # Emits beta_t, then carries beta_{t-1}[i] = lse_j(trans[i, j] + e_t[j] + beta_t[j]).
        emission, real = _unpack(inputs)
        scores = transitions[None, :, :] + ops.expand_dims(emission + beta, 1)
        previous = ops.where(real, ops.logsumexp(scores, axis=2), beta)
        return previous, beta

    _, betas = ops.scan(step, last, packed, reverse=True)
    betas = ops.transpose(betas, (1, 0, 2))
    log_z = ops.logsumexp(alphas[:, -1, :] + end[None, :], axis=1)
    return ops.exp(alphas + betas - log_z[:, None, None])[:, :length]


@_on_tensors
def crf_viterbi(emissions, mask, transitions, start, end):
    """The highest-scoring tag path of each sentence, shape (batch, T), int32.

    Entries at padded steps repeat the last real tag.
    """
    length = ops.shape(emissions)[1]
    emissions, mask = _with_spare_step(emissions, mask)
    packed = _time_major(emissions, mask)
    n_tags = ops.shape(emissions)[-1]
    first = start[None, :] + emissions[:, 0, :]
    identity = ops.zeros_like(ops.cast(first, "int32")) + ops.arange(n_tags, dtype="int32")

    def forward(carry, inputs):
        # ops.scan needs outputs shaped like the carry: both are (scores, pointers).
        best, _ = carry
        emission, real = _unpack(inputs)
        scores = ops.expand_dims(best, 2) + transitions[None, :, :]  # (b, from, to)
        pointers = ops.cast(ops.argmax(scores, axis=1), "int32")
        new = (ops.where(real, ops.max(scores, axis=1) + emission, best),
               ops.where(real, pointers, identity))
        return new, new

    (best, _), (_, pointers) = ops.scan(forward, (first, identity), packed[1:])
    final = ops.cast(ops.argmax(best + end[None, :], axis=1), "int32")  # (b,)

    def backward(tag, step_pointers):
        previous = ops.take_along_axis(step_pointers, ops.expand_dims(tag, 1), axis=1)[:, 0]
        return previous, tag

    # Reverse scan over steps T-1 .. 1: emits tag_t, carries tag_{t-1}; ends with tag_0.
    head, path = ops.scan(backward, final, pointers, reverse=True)
    path = ops.concatenate([ops.expand_dims(head, 0), path], axis=0)
    return ops.transpose(path, (1, 0))[:, :length]


class CRF(TagSoftmax):
    """CRF output layer: projects features to per-tag emissions and owns the transitions.

    Calling it returns the emissions ``(batch, T, n_tags)`` (the projection of
    :class:`seqkit.networks.TagSoftmax` without the softmax); :class:`CRFLoss` and
    :class:`CRFDecoder` read its ``transitions``, ``start`` and ``end`` weights.

    Parameters
    ----------
    n_tags : int
        Number of tags.
    seed : int, optional
        Seeds the emission kernel initialiser.
    """

    def build(self, input_shape):
        super().build(input_shape)
        zeros = keras.initializers.Zeros()
        self.transitions = self.add_weight(shape=(self.n_tags, self.n_tags),
                                           initializer=zeros, name="transitions")
        self.start = self.add_weight(shape=(self.n_tags,), initializer=zeros, name="start")
        self.end = self.add_weight(shape=(self.n_tags,), initializer=zeros, name="end")

    def call(self, inputs):
        return ops.matmul(inputs, self.kernel) + self.bias


class CRFDecoder(keras.layers.Layer):
    """Emissions and mask to ``(batch, T, n_tags + 1)``: marginals, then the Viterbi tag.

    The last channel holds the Viterbi tag index as a float, so that one output tensor
    carries both ``predict_proba`` and ``predict``.

    Given several CRF layers (an ensemble), the emissions ``(batch, members, T, n_tags)``
    and the members' transition, start and end weights are averaged first: the members'
    path scores are averaged (a geometric mean of their distributions, renormalised),
    which is again one linear-chain CRF, decoded exactly.
    """

    def __init__(self, crf: CRF | list[CRF], **kwargs):
        super().__init__(**kwargs)
        self.crfs = list(crf) if isinstance(crf, list | tuple) else [crf]
        self.pooled = isinstance(crf, list | tuple)

    def call(self, emissions, mask):
        weights = [ops.mean(ops.stack([getattr(c, name).value for c in self.crfs]), axis=0)
                   for name in ("transitions", "start", "end")]
        if self.pooled:
            emissions = ops.mean(emissions, axis=1)
        marginals = crf_marginals(emissions, mask, *weights)
        path = crf_viterbi(emissions, mask, *weights)
        return ops.concatenate(
            [marginals, ops.expand_dims(ops.cast(path, marginals.dtype), -1)], axis=-1)

    def compute_output_shape(self, emissions_shape, mask_shape=None):
        if self.pooled:
            emissions_shape = emissions_shape[:1] + emissions_shape[2:]
        return tuple(emissions_shape[:-1]) + (emissions_shape[-1] + 1,)


class CRFLoss(keras.losses.Loss):
    """Negative log-likelihood of the gold tag paths under ``crf``.

    ``y_true`` holds tag indices padded with ``-1`` (:data:`PADDING_TAG`); ``y_pred`` is
    the emissions output of the :class:`CRF` layer. The loss of a sentence is the sum
    over its tokens, so long sentences weigh as much as their tokens.

    Given a list of CRF layers (an ensemble), ``y_true`` and ``y_pred`` carry a member
    axis after the batch axis (as :func:`seqkit.networks.ensemble_loss` passes them)
    and the loss is ``(batch, members)``, each member scored with its own weights.
    """

    def __init__(self, crf: CRF | list[CRF], name: str = "crf_loss"):
        super().__init__(name=name)
        self.crf = crf

    def call(self, y_true, y_pred):
        tags = ops.cast(y_true, "int32")
        mask = ops.greater_equal(tags, 0)
        if not isinstance(self.crf, list | tuple):
            return -crf_log_likelihood(y_pred, tags, mask, self.crf.transitions,
                                       self.crf.start, self.crf.end)
        return ops.stack([-crf_log_likelihood(y_pred[:, i], tags[:, i], mask[:, i],
                                              crf.transitions, crf.start, crf.end)
                          for i, crf in enumerate(self.crf)], axis=1)


class MaskedTagLoss(keras.losses.Loss):
    """Per-token cross-entropy of softmax outputs, summed over the real tokens.

    ``y_true`` holds tag indices padded with ``-1``; ``y_pred`` probabilities
    ``(batch, T, n_tags)`` (or ``(batch, members, T, n_tags)``: one loss per member).
    """

    def __init__(self, name: str = "tag_crossentropy"):
        super().__init__(name=name)

    def call(self, y_true, y_pred):
        tags = ops.cast(y_true, "int32")
        real = ops.greater_equal(tags, 0)
        safe = ops.where(real, tags, ops.zeros_like(tags))
        # one row per token: PyTorch's backward fails on the permuted 4-D (ensemble) case
        token_loss = ops.reshape(ops.sparse_categorical_crossentropy(
            ops.reshape(safe, (-1,)), ops.reshape(y_pred, (-1, ops.shape(y_pred)[-1]))),
            ops.shape(safe))
        return ops.sum(ops.where(real, token_loss, ops.zeros_like(token_loss)), axis=-1)
