"""The estimator base: the scikit-learn side of every seqkit estimator, written once.

A subclass says how its targets become tensors (``_encode_targets``), which network to
build (``_network_spec``) and how outputs map back; parameters, validation, the fit
lifecycle, reproducibility, pickling and the fast predict path live here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from seqkit._backend import compiled_predictor
from seqkit.inputs import (
    Sequences,
    bucket_batches,
    check_same_length,
    check_sample_weight,
    checked_embedding_weights,
    fixed_shape,
    fixed_width,
    handles_padding,
    standardised,
    to_sequences,
)
from seqkit.persistence import SaveMixin, object_state, restore_state

PREDICT_BATCH_SIZE = 256
MIN_PREDICT_ROWS = 2  # float32: a batch of one row takes other kernels
# Parameters of the many-to-one estimators that act on one kind of input only.
VALUE_INPUT_ONLY = ("input_noise", "window_slice")
TOKEN_INPUT_ONLY = ("word_dropout",)
AUTO_EARLY_STOPPING_SAMPLES = 1000


def first_rows(outputs, n: int):
    """The first ``n`` rows of every array of a model's ``outputs`` (array, dict or list)."""
    if isinstance(outputs, dict):
        return {name: value[:n] for name, value in outputs.items()}
    if isinstance(outputs, (list, tuple)):
        return type(outputs)(value[:n] for value in outputs)
    return outputs[:n]


class BaseSequenceEstimator(SaveMixin, BaseEstimator):
    """Shared machinery of the seqkit estimators; not used directly.

    Subclasses set ``_loss`` and implement ``_encode_targets`` and ``_network_spec``;
    they may override ``_split_stratify`` and ``_target_weights``.
    """

    _loss: str = ""
    _multi_output: bool = False
    _network_builder = "many_to_one_network"
    _has_recipes = False  # parameters left at "auto" follow seqkit.recipes

    # ----------------------------------------------------------------- fit lifecycle
    def fit(self, X, y, sample_weight=None):
        """Train the network on sequences ``X`` and targets ``y``.

        Parameters
        ----------
        X : array-like of shape (n, T, F) or (n, T), or list of arrays (T_i, F)
            Training sequences; integer token-id sequences when ``embedding_dim`` is set.
        y : array-like
            Targets, one per sequence.
        sample_weight : array-like of shape (n,), optional
            Weight of each sequence in the loss.

        Returns
        -------
        self
        """
        self._validate_params()
        continuing = self.warm_start and hasattr(self, "model_")
        self._check_inputs(X, y)
        sequences = self._to_sequences(X, reset=True)
        check_same_length(len(sequences), y)
        self._learn_targets(y)
        targets = self._encode_targets(y)
        weights = self._sample_weights(sample_weight, y, len(sequences))
        self.resolved_params_ = self._resolved_params()
        if not continuing:
            self.input_scaling_ = self._input_scaling(sequences)
        sequences = self._scaled(sequences)
        rng = check_random_state(self.random_state)
        self._set_network(int(rng.randint(0, 2**31 - 1)), sequences, continuing)
        self._train(sequences, targets, weights, rng)
        return self

    def _check_inputs(self, X, y) -> None:
        """Check ``X`` against ``y`` before ``X`` is converted (hook; default: nothing)."""

    def _learn_targets(self, y) -> None:
        """Learn from the targets of ``fit`` what ``_encode_targets`` needs (classes,
        target scaling); hook, default nothing."""

    def _sample_weights(self, sample_weight, y, n: int) -> np.ndarray:
        """Each sample's weight in the loss: ``sample_weight`` times the class weights."""
        weights = check_sample_weight(sample_weight, n) * self._target_weights(y)
        if not weights.any():
            raise ValueError("sample_weight and class_weight together give every sample "
                             "the weight 0; at least one must be positive")
        return weights

    def _set_network(self, seed: int, sequences: Sequences, continuing: bool) -> None:
        """Build a new network for ``sequences`` (or check that ``continuing`` may keep
        the fitted one)."""
        spec = self._full_network_spec(seed, sequences)
        if continuing:
            self._check_same_network(spec)
            return
        self.network_spec_ = spec
        self.model_ = self._build_network(spec)
        self._load_initial_weights()
        self.history_ = {}

    def _training_data(self, sequences: Sequences, targets, weights, rng):
        """The training batches and the early-stopping validation batches (or None)."""
        from seqkit.training import BatchStream

        train, valid = self._validation_split(targets, rng)
        batch_seed = int(rng.randint(0, 2**31 - 1))
        stream = self._batch_stream(sequences.subset(train), targets[train], weights[train],
                                    batch_seed)
        validation = None
        if valid is not None:
            validation = BatchStream(
                sequences.subset(valid), targets[valid], weights[valid], PREDICT_BATCH_SIZE,
                self.bucketing, None, self._model_input_names())
        return stream, validation

    def _batch_stream(self, sequences: Sequences, targets, weights, seed: int):
        """Shuffled training batches of ``batch_size``, bucketed by length."""
        from seqkit.training import BatchStream

        return BatchStream(sequences, targets, weights, self._param("batch_size"),
                           self.bucketing, seed, self._model_input_names())

    def _training_callbacks(self) -> list:
        """Callbacks a subclass needs on every fit (beside the user's)."""
        return []

    def _train(self, sequences: Sequences, targets, weights, rng) -> None:
        from seqkit._backend import as_training_data
        from seqkit.training import (
            cosine_annealing_callback,
            early_stopping_callback,
            resolved_epochs,
        )

        stream, validation = self._training_data(sequences, targets, weights, rng)
        if validation is not None:
            validation = as_training_data(validation)
        callbacks = self._all_callbacks()
        patience = self._param("patience")
        if patience is not None:
            callbacks.append(early_stopping_callback(validation is not None, patience))
        epochs = resolved_epochs(self._param("epochs"), len(stream))
        if self._param("lr_schedule") == "cosine":
            callbacks.append(cosine_annealing_callback(len(stream) * epochs))
        checkpoint = self._checkpoint(stream, callbacks)
        history = self._fit_network(stream, epochs, callbacks, validation,
                                    checkpoint.start(epochs) if checkpoint else 0)
        if checkpoint:  # the epochs done before a resume
            for name, values in checkpoint.saved_history().items():
                self.history_.setdefault(name, []).extend(values)
        self._record_history(history)
        self._check_finite_weights()
        self._refresh_predictor()
        if checkpoint:
            checkpoint.remove()

    def _all_callbacks(self) -> list:
        """The user's ``callbacks`` and those the estimator needs, as a new list."""
        from seqkit.training import checked_callbacks

        return checked_callbacks(self.callbacks) + self._training_callbacks()

    def _fit_network(self, stream, epochs: int, callbacks: list, validation=None,
                     initial_epoch: int = 0):
        """Train ``model_`` on ``stream``; compiled once, so that its optimizer (and the
        optimizer's state) carries over to every later ``fit`` of a warm start and every
        ``partial_fit``. Returns Keras' ``History``."""
        from seqkit._backend import as_training_data, release_graph_memory

        if not self.model_.compiled:
            # A loaded network brings the optimizer it was trained with (seqkit.persistence).
            optimizer = getattr(self.model_, "optimizer", None)
            if optimizer is None:
                optimizer = self._make_optimizer()
            self.model_.compile(optimizer=optimizer, loss=self._training_loss())
        if not self.model_.optimizer.built:
            # Built lazily, the optimizer would create its slot variables while the train
            # step is first traced, and TensorFlow then traces the step a second time:
            # building it here halves the tracing cost of every fit.
            self.model_.optimizer.build(self.model_.trainable_variables)
        with release_graph_memory():
            # shuffle=False: BatchStream shuffles with its own seed; Keras would shuffle
            # batches with (and advance) Python's global random state.
            return self.model_.fit(as_training_data(stream), validation_data=validation,
                                   epochs=epochs, callbacks=callbacks,
                                   verbose=int(self.verbose), shuffle=False,
                                   initial_epoch=initial_epoch)

    def _record_history(self, history) -> None:
        """Append a Keras ``History`` to ``history_``; ``n_iter_`` counts its epochs."""
        for name, values in history.history.items():
            self.history_.setdefault(name, []).extend(float(v) for v in values)
        self.n_iter_ = len(self.history_.get("loss", []))

    def _check_finite_weights(self) -> None:
        """Raise when training diverged: a weight of ``model_`` is NaN or infinite, so
        every prediction would be NaN.

        Raises
        ------
        ValueError
            Naming ``learning_rate`` (and ``clipnorm`` when it is off) and the first
            epoch whose loss was not finite.
        """
        if all(np.isfinite(weights).all() for weights in self.model_.get_weights()):
            return
        losses = self.history_.get("loss", [])
        first = next((f" (loss {loss} at epoch {epoch + 1})"
                      for epoch, loss in enumerate(losses) if not np.isfinite(loss)), "")
        clipnorm = self._param("clipnorm")
        raise ValueError(
            f"training diverged: the network's weights became NaN or infinite{first}, so "
            f"every prediction would be NaN; lower learning_rate="
            f"{self._param('learning_rate')!r}"
            + (", set clipnorm (e.g. 1.0)" if clipnorm is None else "")
            + " or rescale the data")

    def _checkpoint(self, stream, callbacks: list):
        """The callback that writes (and resumes from) ``checkpoint_dir``, appended to
        ``callbacks``; None without ``checkpoint_dir``."""
        if getattr(self, "checkpoint_dir", None) is None:
            return None
        from seqkit.checkpoint import EpochCheckpoint, fingerprint

        checkpoint = EpochCheckpoint(
            self.checkpoint_dir,
            fingerprint(self.get_params(deep=False), self.network_spec_, stream),
            stream, list(callbacks))
        callbacks.append(checkpoint)
        return checkpoint

    def _validation_split(self, targets, rng):
        """Indices for training and for early-stopping validation (None: no validation)."""
        n = len(targets)
        everything = np.arange(n)
        n_valid = int(np.floor(self.validation_fraction * n))
        early_stopping = self._param("early_stopping")
        wanted = early_stopping is True or (
            early_stopping == "auto" and n >= AUTO_EARLY_STOPPING_SAMPLES)
        if not wanted or n_valid < 1 or n - n_valid < 1:
            return everything, None
        from sklearn.model_selection import train_test_split

        stratify = self._split_stratify(targets, n_valid)
        train, valid = train_test_split(everything, test_size=n_valid, stratify=stratify,
                                        random_state=rng)
        return np.sort(train), np.sort(valid)

    def _split_stratify(self, targets, n_valid):
        """Labels to stratify the validation split by (None: plain random split)."""
        return None

    def _target_weights(self, y) -> np.ndarray | float:
        """Extra per-sample weights derived from the targets (class weights)."""
        return 1.0

    def _make_optimizer(self):
        import keras

        optimizer_class = type(keras.optimizers.get(self.optimizer))
        return optimizer_class(learning_rate=self.learning_rate, clipnorm=self.clipnorm)

    def _resolved_params(self) -> dict:
        """What the parameters left at ``"auto"`` become in this fit (see
        :mod:`seqkit.recipes`); empty for estimators without recipes."""
        if not self._has_recipes:
            return {}
        from seqkit.recipes import resolve

        return resolve(self.get_params(deep=False), tokens=self.embedding_dim is not None)

    def _param(self, name: str):
        """A parameter's value for this fit: its resolved value when it was ``"auto"``."""
        return getattr(self, "resolved_params_", {}).get(name, getattr(self, name))

    # ------------------------------------------------------------------ the network
    def _full_network_spec(self, seed: int, sequences: Sequences) -> dict:
        spec = dict(
            n_features=self.n_step_features_,
            embedding_dim=self.embedding_dim,
            n_token_ids=getattr(self, "n_token_ids_", 0),
            recurrent=dict(cell=self.cell, units=self._param("units"),
                           num_layers=self.num_layers,
                           bidirectional=self._param("bidirectional"),
                           dropout=self._param("dropout"),
                           recurrent_dropout=self.recurrent_dropout),
            word_dropout=getattr(self, "word_dropout", 0.0),
            seed=seed,
            masked=self._needs_mask(sequences),
        )
        spec.update(self._network_spec())
        return spec

    def _many_to_one_spec(self) -> dict:
        """Network settings of the many-to-one estimators (pooling, convolution, ensemble).

        Raises ValueError for a parameter that acts on the other kind of input (values
        or token ids) than ``embedding_dim`` says ``X`` holds, which would be ignored.
        """
        self._check_input_kind_parameters()
        conv = None
        if self._param("conv_filters") is not None:
            conv = dict(filters=self._param("conv_filters"), kernel_size=self.conv_kernel_size,
                        layers=self.conv_layers, pool_size=self.conv_pool_size,
                        batch_norm=self.conv_batch_norm, summary=self.conv_summary)
        return dict(pooling=self._param("pooling"), conv=conv,
                    summary_dropout=self._param("summary_dropout"),
                    ensemble_size=self._param("ensemble_size"),
                    input_noise=self.input_noise, window_slice=self.window_slice,
                    freeze_embedding=self.freeze_embedding)

    def _check_input_kind_parameters(self) -> None:
        if self.freeze_embedding and self.embedding_weights is None:
            raise ValueError("freeze_embedding=True keeps embedding_weights fixed, but "
                             "embedding_weights is None; pass the weights or leave "
                             "freeze_embedding=False")
        tokens = self.embedding_dim is not None
        for name in (VALUE_INPUT_ONLY if tokens else TOKEN_INPUT_ONLY):
            value = getattr(self, name)
            if value:
                raise ValueError(
                    f"{name}={value!r} acts on "
                    f"{'value sequences' if tokens else 'token ids'} only, but "
                    f"embedding_dim={self.embedding_dim!r} says X holds "
                    f"{'token ids' if tokens else 'values'}; leave {name} at its default")

    def _average_members(self, outputs: np.ndarray) -> np.ndarray:
        """Mean over the ensemble members' outputs ``(n, members, ...)`` (see ``ensemble_size``)."""
        if self.network_spec_.get("ensemble_size", 1) == 1:
            return outputs
        return outputs.mean(axis=1)

    def _training_loss(self):
        from seqkit.networks import ensemble_loss

        members = self.network_spec_.get("ensemble_size", 1)
        return self._loss if members == 1 else ensemble_loss(self._loss, members)

    def _needs_mask(self, sequences: Sequences) -> bool:
        """Whether the network takes a ``mask`` input.

        Not when the training sequences all share one length: Keras's recurrent
        layers then skip their per-step masking, which makes training about a third
        faster. Such a network still predicts sequences of any length, exactly, by
        batching only sequences of one length together (see :meth:`_predict_batches`).
        """
        return not sequences.is_dense

    def _model_input_names(self) -> frozenset:
        return frozenset(tensor.name.split(":")[0] for tensor in self.model_.inputs)

    def _build_network(self, spec: dict):
        from seqkit import networks

        return getattr(networks, self._network_builder)(**spec)

    def _check_same_network(self, spec: dict) -> None:
        # A network without a mask input also trains on sequences of mixed lengths
        # (in batches of one length), so "masked" may differ.
        old = {k: v for k, v in self.network_spec_.items() if k not in ("seed", "masked")}
        new = {k: v for k, v in spec.items() if k not in ("seed", "masked")}
        changed = sorted(k for k in new if old.get(k) != new[k])
        if changed:
            raise ValueError(
                f"warm_start=True cannot continue: the new data or parameters change "
                f"{changed} of the fitted network; set warm_start=False to start anew"
            )

    # ------------------------------------------------------------------ input scaling
    def _input_scaling(self, sequences: Sequences):
        """Per-feature (mean, scale) over the real steps, or None when not scaling."""
        if sequences.is_tokens or not self.scale_inputs:
            return None
        if isinstance(sequences.items, np.ndarray):
            steps = sequences.items.reshape(-1, sequences.n_features)
        else:
            steps = np.concatenate(sequences.items)
        mean = steps.mean(axis=0, dtype=np.float64)
        scale = steps.std(axis=0, dtype=np.float64)
        scale[~(scale > 1e-12)] = 1.0
        return mean.astype(np.float32), scale.astype(np.float32)

    def _scaled(self, sequences: Sequences, rows: np.ndarray | None = None) -> Sequences:
        """``sequences`` standardised with the mean and spread of ``fit`` (a new copy).

        ``rows`` are their positions in the user's ``X`` (default ``0, 1, ...``), used to
        name an offending value in the error of :func:`seqkit.inputs.standardised`.
        """
        if self.input_scaling_ is None:
            return sequences
        mean, scale = self.input_scaling_
        if rows is None:
            rows = np.arange(len(sequences))
        if isinstance(sequences.items, np.ndarray):
            items = standardised(sequences.items, mean, scale, "X", rows=rows)
        else:
            items = [standardised(item, mean, scale, f"X[{row}]")
                     for row, item in zip(rows, sequences.items, strict=True)]
        return Sequences(items, sequences.lengths, sequences.is_tokens)

    # ----------------------------------------------------------------------- predict
    def _to_sequences(self, X, reset: bool) -> Sequences:
        """Validate ``X`` and convert it to :class:`Sequences` (``reset``: in ``fit``).

        Hook for estimators whose inputs are not arrays or token ids (e.g. the
        tagger's string tokens); the default is :func:`seqkit.inputs.to_sequences`.
        """
        weights = getattr(self, "embedding_weights", None)
        n_token_ids = None
        if reset and weights is not None:
            n_token_ids = len(checked_embedding_weights(weights, self.embedding_dim))
        return to_sequences(self, X, tokens=self.embedding_dim is not None, reset=reset,
                            n_token_ids=n_token_ids)

    def _load_initial_weights(self) -> None:
        """Give a newly built network the initial weights its parameters ask for (checked
        by ``_to_sequences`` earlier in the same ``fit``)."""
        from seqkit.networks import TOKEN_EMBEDDING

        weights = getattr(self, "embedding_weights", None)
        if weights is not None:
            self.model_.get_layer(TOKEN_EMBEDDING).set_weights(
                [np.asarray(weights, dtype=np.float32)])

    def _make_predictor(self):
        """The function ``model inputs -> numpy outputs`` used at predict (hook)."""
        return compiled_predictor(self._inference_model())

    def _refresh_predictor(self):
        """Build the compiled predict function for the current ``predict_dtype``."""
        self._predictor = self._make_predictor()
        self._predictor_dtype = getattr(self, "predict_dtype", None)

    def _current_predictor(self):
        """The compiled predict function, rebuilt if ``predict_dtype`` changed since
        (or training made it stale, see ``partial_fit``)."""
        if self._predictor is None or \
                getattr(self, "predict_dtype", None) != self._predictor_dtype:
            self._refresh_predictor()
        return self._predictor

    @property
    def _predicts_in_float64(self) -> bool:
        return getattr(self, "predict_dtype", "float64") == "float64"

    def _prediction_layers(self):
        """The context in which prediction networks are built: float64 by default."""
        from seqkit.networks import float64_layers

        return float64_layers() if self._predicts_in_float64 else contextlib.nullcontext()

    def _inference_model(self):
        """A float64 copy of ``model_`` with its current weights, used for prediction.

        Training runs in float32. In float32 a sequence's output can change in the 7th
        significant digit with its row in the batch (vectorised kernels treat rows
        differently), so predicting a set and predicting its parts one by one could
        disagree; in float64 they agree to ~1e-16. The copy costs the memory of the
        weights once more and keeps single-sequence prediction at a few milliseconds.
        With ``predict_dtype="float32"`` it is ``model_`` itself.
        """
        from seqkit.networks import float64_layers

        if not self._predicts_in_float64:
            return self.model_
        with float64_layers():
            model = self._build_network(self.network_spec_)
        model.set_weights([np.asarray(w, dtype=np.float64) for w in self.model_.get_weights()])
        return model

    def _predict_batches(self, X) -> tuple[int, Iterator]:
        """Validate ``X``; return its number of sequences and a generator of
        ``(indices, lengths, outputs)``, one prediction batch at a time.

        Batches hold up to ``PREDICT_BATCH_SIZE`` sequences of similar length (of one
        length for a network that cannot ignore padding, see
        :func:`seqkit.inputs.handles_padding`), in an order that depends on the
        sequences' contents only (:meth:`seqkit.inputs.Sequences.content_keys`). Each
        batch is standardised and padded only when its turn comes, so beyond ``X``
        itself (converted to float32 once if it is not float32 already) prediction
        holds one padded batch, ``PREDICT_BATCH_SIZE x`` its longest sequence ``x``
        the features, plus the outputs: never all of ``X`` padded, nor a standardised
        copy of it. The batch goes to the model's compiled predict step directly:
        about 1-2 ms for one sequence instead of the ~80 ms that
        ``keras.Model.predict`` spends setting up its data pipeline.

        In float32 (``predict_dtype="float32"``) the batches have fixed shapes: a
        sequence is padded to a width that depends on its length only
        (:func:`seqkit.inputs.fixed_width`; batches never mix widths) and a batch has
        at least ``MIN_PREDICT_ROWS`` rows. In float32 the kernels' arithmetic changes
        with the padded width and with a batch of one row; with these shapes a
        sequence's output no longer depends on the batch it is predicted in.
        """
        check_is_fitted(self, "model_")
        sequences = self._to_sequences(X, reset=False)
        input_names = self._model_input_names()
        exact = not handles_padding(input_names)
        fixed = not self._predicts_in_float64
        keys = fixed_width(sequences.lengths) if fixed and not exact else sequences.lengths
        batches = bucket_batches(keys, PREDICT_BATCH_SIZE, tiebreak=sequences.content_keys(),
                                 exact=exact or fixed)

        def predicted():
            for indices in batches:
                batch = self._scaled(sequences.subset(indices), rows=indices)
                inputs = batch.model_inputs(np.arange(len(indices)))
                inputs = {name: inputs[name] for name in input_names}
                if fixed:  # keys: the batch's one width
                    inputs = fixed_shape(inputs, int(keys[indices[0]]), MIN_PREDICT_ROWS)
                outputs = self._current_predictor()(inputs)
                yield indices, batch.lengths, first_rows(outputs, len(indices))

        return len(sequences), predicted()

    def _predict_steps(self, X) -> list[np.ndarray]:
        """Per-step network outputs of each sequence, cut to its length (many-to-many).

        Each sequence's rows are copied out of its padded batch, which is then freed.
        """
        n, batches = self._predict_batches(X)
        outputs = [None] * n
        for indices, lengths, batch in batches:
            for index, row, length in zip(indices, batch, lengths, strict=True):
                outputs[index] = row[:length].copy()
        return outputs

    def _predict_outputs(self, X) -> np.ndarray:
        """Network outputs for ``X``, in input order (one row per sequence), written
        batch by batch into one array allocated when the first batch is predicted."""
        n, batches = self._predict_batches(X)
        outputs = None
        for indices, _, batch in batches:
            if outputs is None:
                outputs = np.empty((n,) + batch.shape[1:], dtype=batch.dtype)
            outputs[indices] = batch
        return outputs

    # ---------------------------------------------------------------------- pickling
    def __getstate__(self):
        """The safe encoding of :mod:`seqkit.persistence` (plain data, the network as
        ``.keras`` bytes), so pickle, joblib and skops hold no live Keras object; the
        network's weights alone where a value cannot be encoded (e.g. a Keras callback)."""
        state = object_state(self)
        if state is not None:
            return state
        state = dict(super().__getstate__())
        state.pop("_predictor", None)
        state.pop("_predictor_dtype", None)
        model = state.pop("model_", None)
        if model is not None:
            state["_model_weights"] = [np.asarray(w) for w in model.get_weights()]
        return state

    def __setstate__(self, state):
        if "seqkit_state" in state:
            restore_state(self, state)
            return
        weights = state.pop("_model_weights", None)
        super().__setstate__(state)
        if weights is not None:
            self.model_ = self._build_network(self.network_spec_)
            self.model_.set_weights(weights)
            self._refresh_predictor()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.target_tags.multi_output = self._multi_output
        return tags
