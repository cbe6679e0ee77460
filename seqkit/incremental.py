"""``partial_fit``: training by chunks, for data larger than memory.

One mixin, written once for the classifier, the regressor and the tagger; each says only
whether it takes ``classes`` (``_partial_fit_classes``), how it sorts them
(``_sorted_classes``) and which parameters it refuses per chunk
(``_check_partial_fit_params``). See the docs page "Scaling out".
"""

from __future__ import annotations

import numpy as np
from sklearn.utils import check_random_state

from seqkit.inputs import check_same_length


class PartialFitMixin:
    """Adds :meth:`partial_fit` to a :class:`seqkit.base.BaseSequenceEstimator`."""

    _partial_fit_classes = False  # whether the first call needs classes=

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Train the network for one epoch on one chunk of the data.

        Call it once per chunk, as many passes over the chunks as wanted: data larger
        than memory can be streamed from disk (e.g. a ``numpy.memmap``). Each call is one
        pass over ``X`` in shuffled batches of ``batch_size``, bucketed by length as in
        ``fit``; the compiled network and its optimizer state (Adam's moments, the step
        count) persist on the estimator between calls, and through pickle and
        ``save`` / ``seqkit.load``.

        The first call (on an unfitted estimator) builds the network and fixes, from its
        chunk: the input standardisation (``scale_inputs``), the number of features, the
        token ids known (largest id + 1, or the rows of ``embedding_weights``), the
        tagger's vocabularies (words first seen later become the unknown word), the
        regressor's target standardisation, and the ``"auto"`` parameters. Make the
        first chunk representative (shuffle the rows before chunking). After ``fit``,
        ``partial_fit`` continues from the fitted network; ``fit`` afterwards starts
        anew (unless ``warm_start=True``).

        Per chunk, the learning rate is ``learning_rate``, constant: ``epochs``,
        ``lr_schedule``, ``early_stopping``, ``patience``, ``validation_fraction`` and
        ``checkpoint_dir`` are not used (hold out your own chunk to watch the
        validation loss; save the estimator between chunks to resume). An ensemble
        (``ensemble_size`` > 1) trains all its members on every chunk.

        Parameters
        ----------
        X : array-like or list
            One chunk of sequences, in any form ``fit`` takes.
        y : array-like or list
            Their targets, as in ``fit``.
        classes : array-like, optional
            Classifier and tagger: every label (tag) that any chunk may hold; required
            on the first call, optional later but then equal to ``classes_``. Labels of
            a chunk outside ``classes_`` raise a ValueError. Regressor: must be None.
        sample_weight : array-like of shape (n,), optional
            Weight of each sequence of the chunk in the loss.

        Returns
        -------
        self

        Raises
        ------
        ValueError
            If ``classes`` is missing on the first call or differs from ``classes_``,
            ``y`` holds a label outside ``classes_``, or ``X`` has another number of
            features than the first call's.
        """
        first = not hasattr(self, "model_")
        if first:
            self._validate_params()
        self._check_partial_fit_params()
        self._check_classes_argument(classes, first)
        self._check_inputs(X, y)
        sequences = self._to_sequences(X, reset=first)
        check_same_length(len(sequences), y)
        if first:
            self._learn_first_targets(y, classes)
        targets = self._encode_targets(y)
        weights = self._sample_weights(sample_weight, y, len(sequences))
        rng = check_random_state(self.random_state)
        if first:  # only once the chunk has passed every check: a refused chunk builds nothing
            self._build_for_first_chunk(sequences, int(rng.randint(0, 2**31 - 1)))
        stream = self._batch_stream(self._scaled(sequences), targets, weights,
                                    self._chunk_seed(rng))
        self._record_history(self._fit_network(stream, 1, self._all_callbacks()))
        self._check_finite_weights()
        self._predictor = None  # rebuilt at the next prediction, not after every chunk
        return self

    def _learn_first_targets(self, y, classes) -> None:
        """``classes_`` from ``classes``, or (regressor) the target scaling from ``y``."""
        if self._partial_fit_classes:
            self.classes_ = self._sorted_classes(classes)
        else:
            self._learn_targets(y)

    def _build_for_first_chunk(self, sequences, seed: int) -> None:
        """Fix the ``"auto"`` parameters and the input scaling from the first chunk, and
        build the network."""
        self.resolved_params_ = self._resolved_params()
        self.input_scaling_ = self._input_scaling(sequences)
        self._set_network(seed, sequences, continuing=False)

    def _chunk_seed(self, rng) -> int:
        """The batch shuffling seed of this call: new for every call, reproducible from
        ``random_state``."""
        calls = getattr(self, "n_iter_", 0)
        draw = int(rng.randint(0, 2**31 - 1))
        return int(np.random.SeedSequence([draw, calls]).generate_state(1)[0] >> 1)

    # --------------------------------------------------------------------- hooks
    def _check_partial_fit_params(self) -> None:
        """Refuse parameters that cannot act per chunk (hook; default: none)."""

    def _sorted_classes(self, classes) -> np.ndarray:
        """The ``classes`` argument as ``classes_`` (sorted, unique); ValueError if unusable."""
        raise NotImplementedError

    # ------------------------------------------------------------------ classes
    def _check_classes_argument(self, classes, first: bool) -> None:
        name = type(self).__name__
        if not self._partial_fit_classes:
            if classes is not None:
                raise ValueError(f"classes={_shown(classes)} was given, but {name} has no "
                                 "classes; leave classes=None")
            return
        if first and classes is None:
            raise ValueError(f"classes is required on the first call to {name}.partial_fit: "
                             "pass every label that any chunk may hold, e.g. "
                             "classes=numpy.unique(y_all)")
        if not first and classes is not None:
            given = self._sorted_classes(classes)
            if not np.array_equal(given, self.classes_):
                raise ValueError(f"classes={_shown(given)} differs from classes_="
                                 f"{_shown(self.classes_)} of the first call (or of fit); "
                                 "the classes cannot change between calls")


def unknown_labels_error(unknown, classes) -> ValueError:
    """The error for targets holding labels outside ``classes_``, naming them."""
    return ValueError(f"y holds the label(s) {_shown(unknown)}, which are not in classes_="
                      f"{_shown(classes)}; partial_fit's first call fixes the classes "
                      "(pass them all with classes=)")


def _shown(values) -> str:
    values = list(np.asarray(values, dtype=object).ravel())
    shown = [v.item() if isinstance(v, np.generic) else v for v in values[:20]]
    return repr(shown)[:-1] + (", ...]" if len(values) > 20 else "]")


def mixed_labels_error(labels, name: str) -> TypeError:
    """The error for labels of types that do not sort together, showing one of each.

    Parameters
    ----------
    labels : ndarray of shape (n,)
        The labels, of dtype object.
    name : str
        The argument's name, for the message.
    """
    first = {}
    for label in labels.tolist():
        first.setdefault(type(label).__name__, label)
    shown = ", ".join(f"{value!r} ({kind})" for kind, value in first.items())
    return TypeError(f"{name} mixes labels of different types ({shown}); use one type for "
                     f"every label, e.g. all str")
