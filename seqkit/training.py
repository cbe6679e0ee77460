"""Training helpers: the batch stream Keras trains on, early stopping, learning-rate annealing."""

from __future__ import annotations

import math

import keras
import numpy as np

from seqkit.inputs import Sequences, bucket_batches, handles_padding


class BatchStream(keras.utils.PyDataset):
    """Padded, length-bucketed batches of ``(inputs, targets, sample_weight)``.

    Parameters
    ----------
    sequences : Sequences
        Inputs.
    targets : ndarray
        One target row per sequence.
    weights : ndarray of shape (n,)
        Sample weights.
    batch_size : int
        Largest batch.
    bucketing : bool
        Group sequences of similar length (see :func:`seqkit.inputs.bucket_batches`).
    seed : int or None
        Shuffles batches anew each epoch; None keeps one fixed order (validation).
    input_names : collection of str, optional
        The network's inputs (default: all that ``sequences.model_inputs`` gives);
        when the network cannot ignore padding (see :func:`seqkit.inputs.handles_padding`)
        every batch holds sequences of one length only.
    """

    def __init__(self, sequences: Sequences, targets, weights, batch_size: int,
                 bucketing: bool, seed: int | None, input_names=None):
        super().__init__()
        self.sequences = sequences
        self.targets = targets
        self.weights = weights
        self.batch_size = batch_size
        self.bucketing = bucketing
        self.seed = seed
        self.input_names = None if input_names is None else frozenset(input_names)
        self._rng = None if seed is None else np.random.default_rng(seed)
        self.epoch = None
        self._batches = self._plan()

    def set_epoch(self, epoch: int) -> None:
        """From now on plan each epoch's batches from the seed and the epoch number alone
        (not from a random state carried across epochs), starting at ``epoch``: a fit can
        then resume at any epoch (see :mod:`seqkit.checkpoint`)."""
        self.epoch = epoch
        self._batches = self._plan()

    @property
    def masked(self) -> bool:
        """Whether batches may mix lengths (padding): the network ignores padded steps."""
        return self.input_names is None or handles_padding(self.input_names)

    def _plan(self) -> list[np.ndarray]:
        rng = self._rng
        if rng is not None and self.epoch is not None:
            rng = np.random.default_rng([self.seed, self.epoch])
        return bucket_batches(self.sequences.lengths, self.batch_size, rng, self.bucketing,
                              exact=not self.masked)

    def whole_arrays(self):
        """``(inputs, targets, weights)`` as whole arrays when every batch is a plain slice
        of them (one length, no mask, array targets), else None.

        Lets a backend feed training from tensors instead of this Python stream.
        """
        if self.masked or not self.sequences.is_dense or not isinstance(
                self.targets, np.ndarray) or self.epoch is not None:
            return None  # (tf.data's shuffle could not resume at an epoch)
        return self._inputs(np.arange(len(self.sequences))), self.targets, self.weights

    def _inputs(self, indices: np.ndarray) -> dict:
        inputs = self.sequences.model_inputs(indices)
        if self.input_names is None:
            return inputs
        return {name: inputs[name] for name in self.input_names}

    def __len__(self) -> int:
        return len(self._batches)

    def __getitem__(self, index: int):
        indices = self._batches[index]
        return (self._inputs(indices), batch_targets(self.targets, indices),
                self.weights[indices])

    def on_epoch_end(self) -> None:
        if self.epoch is not None:
            self.epoch += 1
        if self._rng is not None:
            self._batches = self._plan()


def batch_targets(targets, indices: np.ndarray):
    """The targets of one batch.

    Row selection for arrays; targets that pad themselves per batch (per-step tags of
    varying length, e.g. :class:`seqkit.tagger.PaddedTags`) provide ``batch(indices)``.
    """
    if hasattr(targets, "batch"):
        return targets.batch(indices)
    return targets[indices]


def checked_callbacks(callbacks) -> list:
    """The user's ``callbacks`` as a new list; TypeError naming any that is not a Keras callback."""
    callbacks = list(callbacks or [])
    for i, callback in enumerate(callbacks):
        if not isinstance(callback, keras.callbacks.Callback):
            raise TypeError(f"callbacks[{i}] is {type(callback).__name__} {callback!r}; "
                            "expected a keras.callbacks.Callback")
    return callbacks


AUTO_STEPS = 1000
AUTO_EPOCHS_RANGE = (30, 500)


def resolved_epochs(epochs, batches_per_epoch: int) -> int:
    """The number of epochs to train: ``epochs`` itself, or for ``"auto"`` a budget of
    gradient steps.

    ``"auto"`` trains about :data:`AUTO_STEPS` batches in all, at least 30 and at most 500
    epochs: a data set of 20 series (2 batches of 16) gets 500 epochs, one of 600 series
    (38 batches) 30. Small data sets then see enough updates to converge and large ones
    do not take longer than they need (see the "Choosing settings" docs page).
    """
    if epochs != "auto":
        return int(epochs)
    low, high = AUTO_EPOCHS_RANGE
    return int(np.clip(math.ceil(AUTO_STEPS / max(batches_per_epoch, 1)), low, high))


def early_stopping_callback(has_validation: bool, patience: int):
    """Early stopping on the validation loss (training loss without one), best weights kept."""
    return keras.callbacks.EarlyStopping(
        monitor="val_loss" if has_validation else "loss",
        patience=patience,
        restore_best_weights=True,
    )


def cosine_annealing_callback(total_steps: int):
    """Anneal the optimizer's learning rate from its value at the start of training to 0
    over ``total_steps`` batches along a half cosine, and restore it when training ends
    (so that a warm-started ``fit`` anneals anew from the same rate).
    """
    class CosineAnnealing(keras.callbacks.Callback):
        resumable_fields = ("step",)  # kept by seqkit.checkpoint

        def on_train_begin(self, logs=None):
            self.initial_rate = float(self.model.optimizer.learning_rate)
            self.step = 0

        def on_train_batch_begin(self, batch, logs=None):
            fraction = min(1.0, self.step / total_steps)
            self.model.optimizer.learning_rate.assign(
                self.initial_rate * 0.5 * (1.0 + math.cos(math.pi * fraction)))
            self.step += 1

        def on_train_end(self, logs=None):
            self.model.optimizer.learning_rate.assign(self.initial_rate)

    return CosineAnnealing()


class OrderedWindows(keras.utils.PyDataset):
    """Batches of ``batch_size`` rows kept in their order (never shuffled), for stateful
    training: row ``i * batch_size + j`` continues row ``(i - 1) * batch_size + j``.

    ``inputs`` is a dict of arrays, ``targets`` and ``weights`` arrays, all with a
    multiple of ``batch_size`` rows.
    """

    seed = None  # as_training_data: no shuffling

    def __init__(self, inputs: dict, targets: np.ndarray, weights: np.ndarray,
                 batch_size: int):
        super().__init__()
        self.inputs, self.targets, self.weights = inputs, targets, weights
        self.batch_size = batch_size

    def whole_arrays(self):
        return self.inputs, self.targets, self.weights

    def __len__(self) -> int:
        return len(self.targets) // self.batch_size

    def __getitem__(self, index: int):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return ({name: value[rows] for name, value in self.inputs.items()},
                self.targets[rows], self.weights[rows])


def reset_states_callback():
    """Zero the states of a model's stateful recurrent layers at the start of every epoch
    and of every validation pass, so each starts from the beginning of its streams."""
    class ResetStates(keras.callbacks.Callback):
        def _reset(self):
            for layer in self.model.layers:
                if getattr(layer, "stateful", False):
                    layer.reset_state()

        def on_epoch_begin(self, epoch, logs=None):
            self._reset()

        def on_test_begin(self, logs=None):
            self._reset()

    return ResetStates()
