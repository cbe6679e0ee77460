"""SequenceRegressor: one value (or vector) per sequence (many-to-one)."""

from __future__ import annotations

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.utils import check_array

from seqkit.base import BaseSequenceEstimator
from seqkit.export import ExportMixin
from seqkit.incremental import PartialFitMixin
from seqkit.inputs import check_finite, numeric_array
from seqkit.params import MANY_TO_ONE, declare_parameters

PARAMETERS = MANY_TO_ONE


@declare_parameters(PARAMETERS)
class SequenceRegressor(ExportMixin, RegressorMixin, PartialFitMixin, BaseSequenceEstimator):
    """Recurrent network that predicts one value, or one vector, per sequence.

    Targets are standardised for training (with the mean and spread of ``fit``'s
    targets, or of the first ``partial_fit`` chunk's) and mapped back at predict, so their
    scale does not matter. ``score`` is R².

    Parameters
    ----------
    {parameters}

    Attributes
    ----------
    model_ : keras.Model
        The trained network.
    history_ : dict of list of float
        Loss (and validation loss) per epoch.
    n_iter_ : int
        Epochs trained (each ``partial_fit`` call counts one).
    n_features_in_ : int
        Features per step; for a 2-D table, its number of columns.
    n_outputs_ : int
        Values predicted per sequence.

    Examples
    --------
    >>> import numpy as np
    >>> from seqkit import SequenceRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 12, 2))
    >>> y = X[:, :, 0].mean(axis=1)
    >>> reg = SequenceRegressor(units=8, epochs=5, random_state=0).fit(X, y)
    >>> reg.predict(X[:3]).shape
    (3,)
    """

    _has_recipes = True
    _loss = "mean_squared_error"
    _multi_output = True

    def _targets(self, y) -> np.ndarray:
        y = numeric_array(y, "y", hint="class labels go to SequenceClassifier")
        y = check_array(y, ensure_2d=False, dtype=np.float64, input_name="y",
                        ensure_all_finite=False)  # check_finite names the position
        check_finite(y, "y")
        if y.ndim > 2:
            raise ValueError(f"y has shape {y.shape}; expected (n,) or (n, n_outputs)")
        return y

    def _learn_targets(self, y) -> None:
        y = self._targets(y)
        self.single_output_ = y.ndim == 1
        y2 = y.reshape(len(y), -1)
        if not (self.warm_start and hasattr(self, "target_scaling_")):
            scale = y2.std(axis=0)
            scale[~(scale > 1e-12)] = 1.0
            self.target_scaling_ = (y2.mean(axis=0), scale)
        self.n_outputs_ = y2.shape[1]

    def _encode_targets(self, y) -> np.ndarray:
        y = self._targets(y)
        y2 = y.reshape(len(y), -1)
        if y2.shape[1] != self.n_outputs_:
            raise ValueError(f"y has {y2.shape[1]} output(s) per sequence, but this "
                             f"SequenceRegressor predicts {self.n_outputs_}")
        mean, scale = self.target_scaling_
        return ((y2 - mean) / scale).astype(np.float32)

    def _network_spec(self) -> dict:
        return dict(n_outputs=self.n_outputs_, output_activation=None,
                    **self._many_to_one_spec())

    def predict(self, X) -> np.ndarray:
        """Predicted targets.

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences, as in ``fit``.

        Returns
        -------
        ndarray of shape (n,) or (n, n_outputs)
        """
        outputs = self._average_members(self._predict_outputs(X)).astype(np.float64)
        mean, scale = self.target_scaling_
        values = outputs * scale + mean
        return values[:, 0] if self.single_output_ else values
