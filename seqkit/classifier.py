"""SequenceClassifier: one label per sequence (many-to-one)."""

from __future__ import annotations

from numbers import Real

import numpy as np
import pandas as pd
from sklearn.base import ClassifierMixin
from sklearn.preprocessing import LabelEncoder
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import column_or_1d

from sklearn.utils._param_validation import StrOptions

from seqkit.base import BaseSequenceEstimator
from seqkit.export import ExportMixin
from seqkit.params import MANY_TO_ONE, Param, declare_parameters

PARAMETERS = {
    **MANY_TO_ONE,
    "class_weight": Param(None, [dict, StrOptions({"balanced"}), None],
                          "dict, 'balanced' or None",
                          "Weights of the classes in the loss: ``{label: weight}``, or "
                          "'balanced' for weights inversely proportional to class frequency."),
}


@declare_parameters(PARAMETERS)
class SequenceClassifier(ExportMixin, ClassifierMixin, BaseSequenceEstimator):
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
        The labels seen in ``fit``, sorted.
    model_ : keras.Model
        The trained network.
    history_ : dict of list of float
        Loss (and validation loss) per epoch, over all ``fit`` calls of a warm start.
    n_iter_ : int
        Epochs trained.
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
    _loss = "sparse_categorical_crossentropy"

    def _encode_targets(self, y) -> np.ndarray:
        y = column_or_1d(y, warn=True)
        missing = np.flatnonzero(pd.isna(y)) if y.dtype == object else []
        if len(missing):
            raise ValueError(f"y[{missing[0]}] is {y[missing[0]]!r}: a label is missing "
                             f"({len(missing)} of {len(y)} in all)")
        check_classification_targets(y)
        encoder = LabelEncoder().fit(y)
        if len(encoder.classes_) < 2:
            raise ValueError(
                f"y has 1 class ({encoder.classes_.tolist()[0]!r}); "
                "a classifier needs at least two"
            )
        if self.warm_start and hasattr(self, "classes_") and not np.array_equal(
            self.classes_, encoder.classes_
        ):
            raise ValueError(
                f"warm_start=True needs the classes of the first fit {list(self.classes_)}, "
                f"got {list(encoder.classes_)}"
            )
        self.classes_ = encoder.classes_
        return encoder.transform(y).astype(np.int32)

    def _target_weights(self, y):
        if self.class_weight is None:
            return 1.0
        if isinstance(self.class_weight, dict):
            self._check_class_weight(self.class_weight)
        return compute_sample_weight(self.class_weight, column_or_1d(y)).astype(np.float32)

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
