"""SequenceClassifier: one label per sequence (many-to-one)."""

from __future__ import annotations

from numbers import Real

import numpy as np
import pandas as pd
from sklearn.base import ClassifierMixin
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import column_or_1d

from sklearn.utils._param_validation import StrOptions

from seqkit.base import BaseSequenceEstimator
from seqkit.export import ExportMixin
from seqkit.incremental import PartialFitMixin, mixed_labels_error, unknown_labels_error
from seqkit.params import MANY_TO_ONE, Param, declare_parameters

PARAMETERS = {
    **MANY_TO_ONE,
    "class_weight": Param(None, [dict, StrOptions({"balanced"}), None],
                          "dict, 'balanced' or None",
                          "Weights of the classes in the loss: ``{label: weight}``, or "
                          "'balanced' for weights inversely proportional to class frequency."),
}


@declare_parameters(PARAMETERS)
class SequenceClassifier(ExportMixin, ClassifierMixin, PartialFitMixin, BaseSequenceEstimator):
    """Recurrent network that assigns one label to each sequence.

    Labels may be of any dtype; two or more classes. The network reads each sequence
    with a (stacked, optionally bidirectional) SimpleRNN, LSTM or GRU, pools the step
    outputs and ends in a softmax over the classes.

    Parameters
    ----------
    {parameters}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The labels seen in ``fit`` (or given to the first ``partial_fit``), sorted.
    model_ : keras.Model
        The trained network.
    history_ : dict of list of float
        Loss (and validation loss) per epoch, over all ``fit`` calls of a warm start.
    n_iter_ : int
        Epochs trained (each ``partial_fit`` call counts one).
    n_features_in_ : int
        Features per step; for a 2-D table, its number of columns.

    Examples
    --------
    >>> import numpy as np
    >>> from seqkit import SequenceClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 12, 2))
    >>> y = np.where(X[:, :, 0].sum(axis=1) > 0, "up", "down")
    >>> clf = SequenceClassifier(units=8, epochs=5, random_state=0).fit(X, y)
    >>> clf.predict(X[:3]).shape
    (3,)
    """

    _has_recipes = True
    _partial_fit_classes = True
    _loss = "sparse_categorical_crossentropy"

    def _labels(self, y) -> np.ndarray:
        """``y`` as a 1-D array of labels; ValueError naming a missing label."""
        y = column_or_1d(_with_label_types(y), warn=True)
        missing = np.flatnonzero(pd.isna(y)) if y.dtype == object else []
        if len(missing):
            raise ValueError(f"y[{missing[0]}] is {y[missing[0]]!r}: a label is missing "
                             f"({len(missing)} of {len(y)} in all)")
        try:
            check_classification_targets(y)
        except ValueError as error:  # e.g. continuous values (found by tests/test_properties)
            raise ValueError(f"y does not hold class labels: {error}") from error
        except TypeError:  # labels that do not sort, e.g. str and int
            raise mixed_labels_error(y, "y") from None
        return y

    def _learn_targets(self, y) -> None:
        classes = self._sorted_classes(self._labels(y), "y")
        if self.warm_start and hasattr(self, "classes_") and not np.array_equal(
            self.classes_, classes
        ):
            raise ValueError(
                f"warm_start=True needs the classes of the first fit {list(self.classes_)}, "
                f"got {list(classes)}"
            )
        self.classes_ = classes

    def _sorted_classes(self, labels, name: str = "classes") -> np.ndarray:
        """The distinct labels, sorted; TypeError when they mix types that do not sort
        (e.g. str and int), ValueError when there are fewer than two."""
        labels = column_or_1d(labels)
        try:
            classes = np.unique(labels)
        except TypeError:
            raise mixed_labels_error(labels, name) from None
        if len(classes) < 2:
            shown = ", ".join(repr(label) for label in classes.tolist())
            raise ValueError(f"{name} has {len(classes)} class ({shown}); "
                             "a classifier needs at least two")
        return classes

    def _encode_targets(self, y) -> np.ndarray:
        index = {label: i for i, label in enumerate(self.classes_.tolist())}
        labels = self._labels(y).tolist()
        codes = [index.get(label, -1) for label in labels]
        if -1 in codes:
            raise unknown_labels_error(sorted({label for label, code in zip(
                labels, codes, strict=True) if code == -1}, key=str), self.classes_)
        return np.array(codes, dtype=np.int32)

    def _check_partial_fit_params(self) -> None:
        if isinstance(self.class_weight, str) and self.class_weight == "balanced":
            raise ValueError("class_weight='balanced' is not supported by partial_fit: the "
                             "class frequencies of one chunk are not those of the data; "
                             "pass a dict, e.g. from sklearn.utils.class_weight."
                             "compute_class_weight('balanced', classes=classes, y=y_sample)")

    def _target_weights(self, y):
        if self.class_weight is None:
            return 1.0
        y = column_or_1d(y)
        if isinstance(self.class_weight, dict):
            self._check_class_weight(self.class_weight)
            return np.array([self.class_weight.get(label, 1.0) for label in y.tolist()],
                            dtype=np.float32)
        return compute_sample_weight(self.class_weight, y).astype(np.float32)

    def _check_class_weight(self, class_weight: dict) -> None:
        known = set(self.classes_.tolist())
        for label, weight in class_weight.items():
            if label not in known:
                raise ValueError(f"class_weight has the label {label!r}, which is not a class "
                                 f"of y ({self.classes_.tolist()})")
            if not (isinstance(weight, Real) and np.isfinite(weight) and weight >= 0):
                raise ValueError(f"class_weight[{label!r}] is {weight!r}; weights must be "
                                 "finite and >= 0")

    def _split_stratify(self, targets, n_valid):
        counts = np.bincount(targets)
        if counts.min() >= 2 and n_valid >= len(counts):
            return targets
        return None

    def _network_spec(self) -> dict:
        return dict(n_outputs=len(self.classes_), output_activation="softmax",
                    **self._many_to_one_spec())

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, columns in the order of ``classes_``.

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences, as in ``fit``.

        Returns
        -------
        ndarray of shape (n, n_classes)
        """
        proba = self._average_members(self._predict_outputs(X)).astype(np.float64)
        return proba / proba.sum(axis=1, keepdims=True)

    def predict(self, X) -> np.ndarray:
        """The most probable label of each sequence.

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences, as in ``fit``.

        Returns
        -------
        ndarray of shape (n,)
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


def _with_label_types(y):
    """A list or tuple of labels that mixes str with other types as an object array, so
    that each label keeps its type (NumPy would turn ``["a", 1]`` into ``["a", "1"]``);
    anything else unchanged."""
    if isinstance(y, (list, tuple)) and len({isinstance(label, str) for label in y}) > 1:
        return np.asarray(y, dtype=object)
    return y
