"""RNNForecaster: recurrent forecasting of pandas series, with quantiles and covariates.

The forecaster is a windowed many-to-one estimator on :class:`seqkit.base.BaseSequenceEstimator`:
each training sample is the last ``window`` steps of a (transformed) series, the target the
next ``horizon`` steps. This module only turns pandas series into those windows and the
network's quantile outputs back into series with the future index.
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from seqkit.base import BaseSequenceEstimator
from seqkit.forecast_metrics import check_quantile_levels
from seqkit.forecasting._calibration import rescale_spreads, spread_factors
from seqkit.forecasting._data import (
    MISSING_OPTIONS,
    as_frame,
    check_exog,
    fill_missing,
    label,
    time_axis,
)
from seqkit.forecasting._transform import SeriesTransform
from seqkit.params import (
    ENSEMBLE,
    PREDICTION,
    RECURRENT,
    TRAINING,
    Param,
    declare_parameters,
    flag,
    positive_int,
)

DEFAULT_QUANTILES = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)
MIN_VALID_WINDOWS = 5  # per series, for early_stopping="auto"
MIN_TRAIN_WINDOWS = 20

FORECASTING = {
    "window": Param("auto", [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
                    'int or "auto"',
                    "Input length: steps of history the network reads. \"auto\": the "
                    "seasonal period, at least 12 (12 for monthly data). With seasonal "
                    "differencing one season of year-over-year changes is what the network "
                    "needs; a longer window leaves fewer training windows in a short "
                    "series (on 36-month forecasts inside the Airline training part, 12 "
                    "beat 24; see the forecaster docs)."),
    "horizon": positive_int(12, "Steps the network forecasts at once; longer forecasts "
                                "continue recursively from the median forecast."),
    "quantiles": Param(DEFAULT_QUANTILES, ["array-like"], "sequence of float",
                       "Quantile levels learnt by the pinball-loss heads (0.5 is always "
                       "added; it is the point forecast). ``predict_quantiles`` "
                       "interpolates between them."),
    "log": Param("auto", ["boolean", StrOptions({"auto"})], 'bool or "auto"',
                 "Model the logarithm of each series (multiplicative trend and "
                 "seasonality). \"auto\": for each series whose values are all positive."),
    "seasonal_period": Param("auto", [Interval(Integral, 1, None, closed="left"),
                                      StrOptions({"auto"})], 'int or "auto"',
                             "Steps per season; \"auto\" reads it from the frequency "
                             "(12 monthly, 4 quarterly, 7 daily, 24 hourly, else 1)."),
    "seasonal_difference": flag(True,
                                "Learn the change from one season earlier instead of the "
                                "level (when the seasonal period is above 1), which lets "
                                "short series carry trend and seasonality."),
    "anchor": flag(True,
                   "Express each input window and its targets relative to the window's "
                   "last (transformed) value, so the network learns the change from the "
                   "forecast origin and starts from persistence; robust on short series."),
    "scale": flag(True,
                  "Standardise each series (after log and differencing) and each "
                  "covariate."),
    "ensemble_size": ENSEMBLE["ensemble_size"]._replace(default=5, doc=(
        "Networks trained side by side in one fit, each from its own random initial "
        "weights and on its own pinball loss; their quantile forecasts are averaged. Five "
        "remove most of the variation between random seeds that one small network shows "
        "on a short series.")),
    "calibrate": flag(True,
                      "Rescale each quantile's distance from the median so that, on the "
                      "held-out validation windows (or, without early stopping, on the "
                      "training windows), the share of targets below each quantile "
                      "matches its level (split-conformal calibration)."),
    "past_covariates": Param(None, [list, None], "list of str or None",
                             "Columns of ``X`` known only up to the forecast origin; every "
                             "other column of ``X`` is a known-future covariate that "
                             "``predict`` needs for each forecast step."),
    "freq": Param(None, [str, None], "str or None",
                  "Frequency of a DatetimeIndex (e.g. \"MS\"); None infers it."),
    "missing": Param("raise", [StrOptions(set(MISSING_OPTIONS))],
                     '{"raise", "interpolate", "ffill"}',
                     "What to do with missing values in ``y``: raise an error naming the "
                     "first one, interpolate linearly, or carry the last value forward."),
}

PARAMETERS = {
    **FORECASTING,
    **RECURRENT,
    "units": RECURRENT["units"]._replace(default=32),
    "dropout": RECURRENT["dropout"]._replace(default=0.2, doc=(
        "Dropout on the inputs of each recurrent layer. 0.2 by default: on 36-month "
        "forecasts from three origins inside the Airline training part it gave the "
        "lowest error of the candidates tried (``benchmarks/forecasting.py --inner``); "
        "a network trained on a few dozen windows of one short series overfits them.")),
    **TRAINING,
    "batch_size": TRAINING["batch_size"]._replace(default=16),
    "learning_rate": TRAINING["learning_rate"]._replace(default=3e-3),
    "patience": TRAINING["patience"]._replace(default=20),
    "early_stopping": TRAINING["early_stopping"]._replace(doc=(
        "True: validate on the latest ``validation_fraction`` of each series' windows "
        "(training keeps the windows whose targets end before them), stop when the "
        "validation loss has not improved for ``patience`` epochs and keep the best "
        "weights; this also keeps the quantile heads from shrinking on the training "
        "data. False: train on all windows until the training loss stops improving. "
        f"\"auto\": True when that leaves at least {MIN_VALID_WINDOWS} validation and "
        f"{MIN_TRAIN_WINDOWS} training windows per series (a network trained on few "
        f"windows until its training loss stops improving overfits them).")),
    **PREDICTION,
}


@declare_parameters(PARAMETERS)
class RNNForecaster(BaseSequenceEstimator):
    """Recurrent forecaster for one or many regular time series in pandas.

    ``fit(y, X=None)`` learns from a Series (one series) or a DataFrame (its columns are
    several series, learnt as one global model) indexed by a DatetimeIndex, PeriodIndex
    or integer index of regular frequency. ``predict(horizon)`` returns the median
    forecast with the future index; ``predict_quantiles`` and ``predict_interval`` come
    from quantile (pinball-loss) heads trained in the same fit, which never cross.

    Each series is optionally logged, differenced at the seasonal lag and standardised
    before training; forecasts are mapped back. Forecasts longer than ``horizon``
    continue recursively: each block reads the median forecast of the previous ones
    (the network's quantiles beyond the first block are conditional on that path).

    ``score(y, X=None)`` forecasts ``len(y)`` steps from the end of the fitted series
    and returns minus the mean absolute scaled error (MASE, seasonal-naive scaled, mean
    over series): higher is better, 0 is perfect, -1 is as good as seasonal naive on
    the training data. So ``GridSearchCV(..., cv=TimeSeriesSplit())`` works as written.

    Parameters
    ----------
    {parameters}

    Attributes
    ----------
    model_ : keras.Model
        The trained network.
    history_ : dict of list of float
        Loss per epoch.
    series_ : DataFrame
        The observed series (after filling), extended by :meth:`update`.
    cutoff_ : Timestamp, Period or int
        The forecast origin: the last observed label.
    seasonal_period_ : int
        The seasonal period in use.
    window_ : int
        The input length in use.
    quantile_levels_ : tuple of float
        The quantile levels of the network's heads.
    spread_scale_ : ndarray of shape (len(quantile_levels_),)
        Calibration factor of each quantile level's distance from the median (all 1
        with ``calibrate=False``).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from seqkit.forecasting import RNNForecaster
    >>> t = np.arange(48)
    >>> y = pd.Series(10 + 0.1 * t + np.sin(2 * np.pi * t / 12),
    ...               index=pd.period_range("2020-01", periods=48, freq="M"))
    >>> f = RNNForecaster(window=12, horizon=6, units=8, epochs=5, random_state=0).fit(y)
    >>> f.predict(3).index.astype(str).tolist()
    ['2024-01', '2024-02', '2024-03']
    >>> f.predict_interval(3, coverage=0.8).columns.tolist()
    ['lower', 'upper']
    """

    embedding_dim = None  # the base's token options do not apply
    scale_inputs = False  # each series is scaled by its own transform

    # ------------------------------------------------------------------------ fit
    def fit(self, y, X=None):
        """Learn to forecast ``y`` (and how it follows the covariates ``X``).

        Parameters
        ----------
        y : pandas Series or DataFrame
            One series, or several as columns, indexed by regular time labels.
        X : pandas DataFrame, optional
            Exogenous covariates with a row for every label of ``y`` (extra rows are
            ignored); see ``past_covariates``.

        Returns
        -------
        self
        """
        self._validate_params()
        frame, single, axis = self._check_series(y, "y")
        self.quantile_levels_ = self._check_quantile_levels()
        self.seasonal_period_ = (axis.seasonal_period if self.seasonal_period == "auto"
                                 else int(self.seasonal_period))
        self.lag_ = self.seasonal_period_ if (
            self.seasonal_difference and self.seasonal_period_ > 1) else 0
        self.window_ = (max(self.seasonal_period_, 12) if self.window == "auto"
                        else int(self.window))
        self._check_length(len(frame))
        self.single_series_ = single
        self.series_name_ = y.name if single else None
        self.series_, self.axis_ = frame, axis
        self._set_covariates(X, frame.index)
        self.transform_ = SeriesTransform.fit(frame.to_numpy(), log=self.log, lag=self.lag_,
                                              standardise=self.scale, names=frame.columns)
        windows, targets = self._training_windows()
        super().fit(windows, targets)
        self.spread_scale_ = self._calibration(windows, targets)
        return self

    def _check_series(self, y, name):
        frame, single = as_frame(y, name)
        axis = time_axis(frame.index, self.freq, name)
        return fill_missing(frame, self.missing, name), single, axis

    def _check_quantile_levels(self) -> tuple:
        levels = check_quantile_levels(self.quantiles)
        return tuple(float(q) for q in np.unique(np.append(levels, 0.5)))

    def _check_length(self, n: int) -> None:
        needed = self.window_ + self.horizon + self.lag_
        if n < needed:
            lag = f" + seasonal lag {self.lag_}" if self.lag_ else ""
            raise ValueError(
                f"y has {n} observations, too short for window={self.window_} + "
                f"horizon={self.horizon}{lag} = {needed}; use a shorter window or horizon"
                + (" or seasonal_difference=False" if self.lag_ else "")
            )

    def _set_covariates(self, X, index: pd.Index) -> None:
        if X is None:
            if self.past_covariates:
                raise ValueError(f"past_covariates={self.past_covariates} but X is None")
            self.exog_, self.past_covariates_, self.future_covariates_ = None, [], []
            return
        exog = check_exog(X, index, name="X")
        past = list(self.past_covariates or [])
        unknown = [column for column in past if column not in exog.columns]
        if unknown:
            raise ValueError(f"past_covariates names {unknown}, which are not columns of X "
                             f"({list(exog.columns)})")
        self.past_covariates_ = past
        self.future_covariates_ = [column for column in exog.columns if column not in past]
        self.exog_ = exog[past + self.future_covariates_]
        values = self.exog_.to_numpy()
        mean, scale = values.mean(axis=0), values.std(axis=0)
        scale[~(scale > 1e-12)] = 1.0
        if not self.scale:
            mean, scale = np.zeros_like(mean), np.ones_like(scale)
        self.exog_scaling_ = (mean, scale)

    @property
    def cutoff_(self):
        """The forecast origin: the last observed label."""
        return self.axis_.last

    # ---------------------------------------------------------------- the windows
    def _training_windows(self):
        z = self.transform_.transform(self.series_.to_numpy())
        past, future = self._covariate_rows(len(self.series_))
        origins = np.arange(self.window_, len(z) - self.horizon + 1)
        windows, anchors = self._windows(z, past, future, origins)
        targets = np.stack([z[t: t + self.horizon] for t in origins])  # (o, h, k)
        targets = targets.transpose(2, 0, 1).reshape(-1, self.horizon, 1)
        return windows, (targets - anchors[:, None, None]).astype(np.float32)

    def _covariate_rows(self, n_observed: int, future_X=None, n_future: int = 0):
        """Scaled past and future covariates aligned with the transformed series.

        Rows cover the observed steps after the seasonal lag, then ``n_future`` forecast
        steps: past covariates are carried forward there, future ones come from
        ``future_X``.
        """
        if self.exog_ is None:
            empty = np.zeros((n_observed - self.lag_ + n_future, 0))
            return empty, empty
        mean, scale = self.exog_scaling_
        observed = (self.exog_.to_numpy() - mean) / scale
        n_past = len(self.past_covariates_)
        past, future = observed[self.lag_:, :n_past], observed[self.lag_:, n_past:]
        if n_future:
            past = np.vstack([past, np.repeat(past[-1:], n_future, axis=0)])
            future = np.vstack([future, (future_X - mean[n_past:]) / scale[n_past:]])
        return past, future

    def _windows(self, z, past, future, origins) -> tuple[np.ndarray, np.ndarray]:
        """Network inputs for every series and origin, and their anchors.

        Each window holds ``window`` observed steps ``[value, past, future, 0]``; with
        known-future covariates it continues with ``horizon`` steps ``[0, 0, future, 1]``.
        With ``anchor``, values are relative to the window's last value (its anchor).

        Returns
        -------
        windows : ndarray of shape (k * len(origins), steps, features), float32
        anchors : ndarray of shape (k * len(origins),), zeros without ``anchor``
        """
        k = z.shape[1]
        n_future = future.shape[1]
        rows, anchors = [], []
        for series in range(k):
            for t in origins:
                anchor = z[t - 1, series] if self.anchor else 0.0
                anchors.append(anchor)
                seen = np.column_stack([z[t - self.window_: t, series] - anchor,
                                        past[t - self.window_: t],
                                        future[t - self.window_: t]])
                if n_future:
                    seen = np.column_stack([seen, np.zeros(self.window_)])
                    ahead = np.column_stack([np.zeros((self.horizon, 1 + past.shape[1])),
                                             future[t: t + self.horizon],
                                             np.ones(self.horizon)])
                    seen = np.vstack([seen, ahead])
                rows.append(seen)
        return np.asarray(rows, dtype=np.float32), np.asarray(anchors, dtype=np.float64)

    # ---------------------------------------------------------------- base hooks
    def _validation_split(self, targets, rng):
        """Early-stopping validation on the latest windows of every series (time order).

        The last ``validation_fraction`` of each series' origins validate; training keeps
        the origins whose targets end before the first validation target. "auto" turns
        it on when that leaves at least ``MIN_VALID_WINDOWS`` validation and
        ``MIN_TRAIN_WINDOWS`` training origins per series.
        """
        per_series = len(targets) // self.series_.shape[1]
        n_valid = int(np.floor(self.validation_fraction * per_series))
        n_train = per_series - n_valid - (self.horizon - 1)
        enough = n_valid >= MIN_VALID_WINDOWS and n_train >= MIN_TRAIN_WINDOWS
        if not (self.early_stopping is True or (self.early_stopping == "auto" and enough)) \
                or n_valid < 1 or n_train < 1:
            return np.arange(len(targets)), None
        position = np.tile(np.arange(per_series), self.series_.shape[1])
        return (np.flatnonzero(position < n_train),
                np.flatnonzero(position >= per_series - n_valid))

    @property
    def _loss(self):
        from seqkit.forecasting._network import PinballLoss

        return PinballLoss(self.quantile_levels_)

    def _calibration(self, windows, targets) -> np.ndarray:
        """Spread factor per quantile level (see :mod:`._calibration`), 1 without
        ``calibrate``.

        Computed on every window the network did not train on (the validation windows
        and those whose targets overlap them), or on all windows without early stopping.
        """
        if not self.calibrate:
            return np.ones(len(self.quantile_levels_))
        train, valid = self._validation_split(targets, None)
        chosen = slice(None) if valid is None else np.setdiff1d(np.arange(len(targets)), train)
        outputs = self._average_members(self._predict_outputs(windows[chosen]))
        return spread_factors(targets[chosen][..., 0], outputs, self.quantile_levels_)

    def _encode_targets(self, y) -> np.ndarray:
        return y

    def _network_spec(self) -> dict:
        return dict(horizon=self.horizon, quantiles=self.quantile_levels_,
                    ensemble_size=self.ensemble_size)

    def _build_network(self, spec: dict):
        from seqkit.forecasting._network import forecast_network

        return forecast_network(**spec)

    # -------------------------------------------------------------------- predict
    def _forecast(self, horizon, X):
        """Future index and quantile paths of shape (horizon, k, q) on the data scale."""
        check_is_fitted(self, "model_")
        horizon = self._check_horizon(horizon)
        index = self.axis_.future(horizon)
        future_X = self._future_covariates(X, index)
        n_blocks = -(-horizon // self.horizon)
        padded = n_blocks * self.horizon
        if future_X is not None and padded > horizon:
            future_X = np.vstack([future_X, np.repeat(future_X[-1:], padded - horizon, 0)])
        z = self.transform_.transform(self.series_.to_numpy())
        past, future = self._covariate_rows(len(self.series_), future_X, padded)
        median = self.quantile_levels_.index(0.5)
        blocks = []
        for _ in range(n_blocks):
            origin = len(z)
            windows, anchors = self._windows(z, past, future, [origin])
            outputs = rescale_spreads(self._average_members(self._predict_outputs(windows)),
                                      self.spread_scale_, median)
            outputs = outputs + anchors[:, None, None]  # (k, h, q)
            blocks.append(outputs.transpose(1, 0, 2))
            z = np.vstack([z, outputs[:, :, median].T])
        paths = np.concatenate(blocks)[:horizon]
        return index, self.transform_.inverse(paths, self.series_.to_numpy(), median)

    def _check_horizon(self, horizon) -> int:
        if horizon is None:
            return self.horizon
        if isinstance(horizon, (bool, np.bool_)) or not isinstance(horizon, Integral):
            raise TypeError(f"horizon must be a positive int, got {horizon!r}")
        if horizon <= 0:
            raise ValueError(f"horizon must be a positive int, got {horizon}")
        return int(horizon)

    def _future_covariates(self, X, index: pd.Index):
        if not self.future_covariates_:
            return None
        if X is None:
            raise ValueError(
                f"this forecaster was fitted with known-future covariates "
                f"{self.future_covariates_}; pass X with their values for the {len(index)} "
                f"forecast steps from {label(index[0])} to {label(index[-1])}"
            )
        return check_exog(X, index, columns=self.future_covariates_,
                          name="X").to_numpy()

    def predict(self, horizon=None, X=None):
        """Median forecast for the next ``horizon`` steps.

        Parameters
        ----------
        horizon : int, optional
            Steps to forecast (default: the ``horizon`` parameter); more than the
            network's ``horizon`` continue recursively.
        X : pandas DataFrame, optional
            Known-future covariates for the forecast steps (needed if fitted with them).

        Returns
        -------
        pandas Series (one series) or DataFrame (several), indexed by the future labels
        """
        index, paths = self._forecast(horizon, X)
        point = paths[:, :, self.quantile_levels_.index(0.5)]
        if self.single_series_:
            return pd.Series(point[:, 0], index=index, name=self.series_name_)
        return pd.DataFrame(point, index=index, columns=self.series_.columns)

    def predict_quantiles(self, horizon=None, quantiles=(0.1, 0.5, 0.9), X=None):
        """Forecast quantiles for the next ``horizon`` steps.

        Levels between the learnt ``quantile_levels_`` are interpolated linearly, so
        quantiles never cross.

        Parameters
        ----------
        horizon : int, optional
            Steps to forecast.
        quantiles : sequence of float, default=(0.1, 0.5, 0.9)
            Levels within ``[min(quantile_levels_), max(quantile_levels_)]``.
        X : pandas DataFrame, optional
            Known-future covariates for the forecast steps.

        Returns
        -------
        DataFrame
            Future index; columns the levels (one series) or ``(series, level)`` pairs.
        """
        levels = np.round(check_quantile_levels(quantiles), 12)
        low, high = self.quantile_levels_[0], self.quantile_levels_[-1]
        outside = levels[(levels < low) | (levels > high)]
        if outside.size:
            raise ValueError(
                f"quantile {outside[0]} is outside the learnt levels [{low}, {high}]; "
                f"add it to the quantiles parameter and refit"
            )
        index, paths = self._forecast(horizon, X)
        values = np.apply_along_axis(
            lambda path: np.interp(levels, self.quantile_levels_, path), -1, paths)
        return self._quantile_frame(values, index, [float(q) for q in levels])

    def predict_interval(self, horizon=None, coverage=0.9, X=None):
        """Central prediction interval covering ``coverage`` of outcomes.

        Parameters
        ----------
        horizon : int, optional
            Steps to forecast.
        coverage : float, default=0.9
            Nominal coverage, e.g. 0.9 for the 5 % and 95 % quantiles.
        X : pandas DataFrame, optional
            Known-future covariates for the forecast steps.

        Returns
        -------
        DataFrame
            Future index; columns ``lower`` and ``upper`` (one series) or
            ``(series, "lower" | "upper")``.
        """
        if not isinstance(coverage, Real) or not 0 < coverage < 1:
            raise ValueError(f"coverage must be a float in (0, 1), got {coverage!r}")
        alpha = round((1 - coverage) / 2, 12)
        frame = self.predict_quantiles(horizon, (alpha, round(1 - alpha, 12)), X)
        names = {alpha: "lower", round(1 - alpha, 12): "upper"}
        return frame.rename(columns=lambda level: names.get(level, level))

    def _quantile_frame(self, values, index, levels) -> pd.DataFrame:
        if self.single_series_:
            return pd.DataFrame(values[:, 0, :], index=index, columns=levels)
        columns = pd.MultiIndex.from_product([self.series_.columns, levels])
        return pd.DataFrame(values.reshape(len(index), -1), index=index, columns=columns)

    # --------------------------------------------------------------------- update
    def update(self, y_new, X_new=None):
        """Append new observations and move the forecast origin, without refitting.

        Parameters
        ----------
        y_new : pandas Series or DataFrame
            Observations that follow the last one seen, with the same series.
        X_new : pandas DataFrame, optional
            Covariates for the new steps (required when fitted with covariates).

        Returns
        -------
        self
        """
        check_is_fitted(self, "model_")
        frame = self._check_continuation(y_new, "y_new")
        combined = pd.concat([self.series_, frame])
        if self.exog_ is not None:
            if X_new is None:
                raise ValueError(f"this forecaster uses covariates {list(self.exog_.columns)};"
                                 f" pass X_new with their values for the new steps")
            new_exog = check_exog(X_new, frame.index, columns=list(self.exog_.columns),
                                  name="X_new")
            self.exog_ = pd.concat([self.exog_, new_exog])
        self.series_ = combined
        self.axis_ = self.axis_.moved_to(combined.index[-1])
        return self

    def _check_continuation(self, y, name) -> pd.DataFrame:
        """Validate ``y`` as observations that directly follow the fitted ones."""
        frame, _ = as_frame(y, name)
        if list(frame.columns) != list(self.series_.columns) and not (
                self.single_series_ and frame.shape[1] == 1):
            raise ValueError(f"{name} has series {list(frame.columns)}; expected "
                             f"{list(self.series_.columns)}")
        frame.columns = self.series_.columns
        expected = self.axis_.future(len(frame))
        if len(frame) and not frame.index.equals(expected):
            step = self.axis_.step if self.axis_.kind == "datetime" else None
            time_axis(frame.index, step, name)  # names unsorted, duplicated, irregular labels
            raise ValueError(
                f"{name} must continue the series at {label(expected[0])} (the step after the "
                f"last observation {label(self.axis_.last)}) without gaps; its index starts at "
                f"{label(frame.index[0])}"
            )
        return fill_missing(frame, self.missing, name)

    # ---------------------------------------------------------------------- score
    def score(self, y, X=None) -> float:
        """Minus the mean absolute scaled error of a forecast of ``y`` (higher is better).

        ``y`` must directly follow the fitted (or updated) series; the forecast of
        ``len(y)`` steps is compared with it. The scale is the in-sample seasonal-naive
        error of each fitted series (see :func:`seqkit.forecast_metrics.mase`).

        Parameters
        ----------
        y : pandas Series or DataFrame
            The observations after the fitted series.
        X : pandas DataFrame, optional
            Known-future covariates for those steps.

        Returns
        -------
        float
        """
        from seqkit.forecast_metrics import mase

        check_is_fitted(self, "model_")
        actual = self._check_continuation(y, "y")
        forecast = self.predict(len(actual), X)
        period = self.seasonal_period_ if len(self.series_) > self.seasonal_period_ else 1
        return -mase(actual.to_numpy(), np.asarray(forecast).reshape(actual.shape),
                     self.series_.to_numpy(), seasonal_period=period)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = False
        tags.input_tags.three_d_array = False
        tags.non_deterministic = False
        return tags
