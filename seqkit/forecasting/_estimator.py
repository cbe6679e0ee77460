"""RNNForecaster: recurrent forecasting of pandas series, with quantiles and covariates.

The forecaster is a windowed many-to-one estimator on :class:`seqkit.base.BaseSequenceEstimator`:
each training sample is the last ``window`` steps of a (transformed) series, the target the
next ``horizon`` steps. This module ties the parts together; each has its own module:
the parameters (``_parameters``), reading pandas panels (``_data``), the covariates
(``_covariates``), the per-series transform (``_transform``), the windows
(``_windows``), the network (``_network``), the choice of the statistical base
(``_fallback``), interval calibration (``_calibration``) and the pandas output
(``_output``).
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from seqkit.base import BaseSequenceEstimator
from seqkit.forecast_metrics import check_quantile_levels
from seqkit.forecasting._calibration import rescale_spreads, series_factors, step_factors
from seqkit.forecasting._covariates import (
    covariate_rows,
    fit_covariates,
    future_covariates,
    new_covariates,
    refuse_unused_X,
)
from seqkit.forecasting._data import (
    Panel,
    forecast_labels,
    is_long,
    label,
    long_panel,
    positive_int,
    wide_panel,
)
from seqkit.forecasting._fallback import (
    BLEND_WEIGHTS,
    SWITCH_WEIGHTS,
    base_forecast,
    base_quantiles,
    choose_base_weights,
)
from seqkit.forecasting._mstl import (
    INNER_SEASONS,
    TREND_FIELDS,
    choose_mstl_weights,
    fit_mstl,
    mstl_forecasts,
    usable_seasons,
)
from seqkit.forecasting._output import OutputLayout
from seqkit.forecasting._parameters import (
    LARGE_ENSEMBLE,
    LONG_SEASON_SHARE,
    MAX_CALIBRATED_BLOCKS,
    MIN_STEP_CALIBRATION,
    MIN_TRAIN_WINDOWS,
    MIN_VALID_WINDOWS,
    MSTL_MAX_SERIES,
    PARAMETERS,
    SHORT_SERIES_BASE_WEIGHT,
    SMALL_DATA_WINDOWS,
    SMALL_ENSEMBLE,
    WEEK_OF_HOURS,
)
from seqkit.forecasting._transform import SeriesTransform
from seqkit.forecasting._windows import Windowing, carry_past_forward, sample_origins
from seqkit.params import declare_parameters


@declare_parameters(PARAMETERS)
class RNNForecaster(BaseSequenceEstimator):
    """Recurrent forecaster for one or many regular time series in pandas.

    ``fit(y, X=None)`` learns from a Series (one series) or a DataFrame (its columns are
    several series, learnt as one global model) indexed by a DatetimeIndex, PeriodIndex
    or integer index of regular frequency, or from a long DataFrame (``unique_id``,
    ``ds``, ``y`` columns) of series of different lengths and starts. ``predict(horizon)``
    returns the median forecast with the future index (long in, long out, with each
    series' future ``ds``); ``predict_quantiles`` and ``predict_interval`` come from
    quantile (pinball-loss) heads trained in the same fit, which never cross, calibrated
    per forecast step on held-out windows. Where seasonal naive beat the network on a
    series' validation windows, that series is forecast by seasonal naive
    (``fallback``).

    Each series is optionally logged, differenced at the seasonal lag and standardised
    before training; forecasts are mapped back. Forecasts longer than ``horizon``
    continue recursively: each block reads the median forecast of the previous ones
    (the network's quantiles beyond the first block are conditional on that path, so
    too narrow; the default ``calibrate="recursive"`` widens each later block by what
    recursive forecasts of the validation windows missed).

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
    long_lag_ : int
        The second season in use (``long_season``), 0 for none.
    n_windows_ : int
        Training windows, pooled over the series: about ``max_windows`` at most, and at
        least one per series.
    early_stopping_used_ : bool
        Whether the fit validated on held-out windows (of some series).
    validated_ : ndarray of bool, shape (n_series,)
        Which series had held-out validation windows: none with ``early_stopping=False``;
        with True, every series with a window to train and one to validate; with
        "auto", those with enough of both.
    quantile_levels_ : tuple of float
        The quantile levels of the network's heads.
    spread_scale_ : ndarray of shape (n_blocks * horizon, len(quantile_levels_))
        Calibration factor of each forecast step's and quantile level's distance from
        the median: one block of ``horizon`` rows (all 1 with ``calibrate=False``,
        the only one with ``True``); with ``"recursive"`` (the default) or
        ``"per_series"``, a block for each calibrated recursive block after it too.
        Later blocks reuse the last.
    series_spread_ : ndarray of shape (n_series, len(quantile_levels_))
        Each series' own factor on top of ``spread_scale_`` (``calibrate="per_series"``;
        all 1 otherwise).
    ensemble_size_ : int
        The number of networks in use.
    base_weight_ : ndarray of float, shape (n_series,)
        Each series' weight on the statistical base: 0 (the network's median), 0.5
        (their mean, with ``fallback="blend"``) or 1 (the base); see ``fallback``.
    fallback_ : ndarray of bool, shape (n_series,)
        Which series forecast with the statistical base alone (``base_weight_ == 1``).
    base_interval_ : ndarray of bool, shape (n_series,)
        Which series' intervals are the base's own normal-theory intervals
        (:func:`._fallback.base_quantiles`), around the forecast median, instead of
        the network's: series without validation windows that are too short for
        ``early_stopping="auto"`` to validate, with ``calibrate`` on, whatever
        ``fallback`` is (rounds 11, 13 and 15 of the forecaster's protocol).
    mstl_weight_ : ndarray of float, shape (n_series,)
        Each series' weight on MSTL (``combine_mstl``): 0.5 where the mean with MSTL
        won on the inner window, else 0.
    mstl_cycle_ : ndarray of shape (n_series, period)
        MSTL's seasonal cycle after each weighted series' data (zeros elsewhere).
    mstl_trend_ : ndarray of shape (n_series, 4)
        MSTL's trend after each weighted series' data: level, slope, damping, and 1.0
        for a multiplicative trend (zeros elsewhere).

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
            One series; several as the columns of a wide DataFrame indexed by regular
            time labels; or a long DataFrame with columns ``id_col``, ``time_col`` and
            ``target_col`` (``unique_id``, ``ds``, ``y`` by default) whose series may
            differ in length and start. All series train one global model.
        X : pandas DataFrame, optional
            Exogenous covariates with a row for every label of a Series or wide ``y``
            (extra rows are ignored); see ``past_covariates``. A long ``y`` carries its
            covariates as extra columns instead (and ``static_covariates``), so ``X``
            must then be None.

        Returns
        -------
        self
        """
        self._validate_params()
        panel = self._check_panel(y, "y")
        if self.static_covariates and panel.layout != "long":
            raise ValueError(f"static_covariates={self.static_covariates} needs a long "
                             f"DataFrame y (columns {self.id_col!r}, {self.time_col!r}, "
                             f"{self.target_col!r} and the static columns)")
        self.quantile_levels_ = self._check_quantile_levels()
        self.seasonal_period_ = (panel.axes[0].seasonal_period
                                 if self.seasonal_period == "auto"
                                 else int(self.seasonal_period))
        self.lag_ = self.seasonal_period_ if (
            self.seasonal_difference and self.seasonal_period_ > 1) else 0
        self.window_ = (max(self.seasonal_period_, 12) if self.window == "auto"
                        else int(self.window))
        self.long_lag_ = self._long_lag(panel)
        self._check_lengths(panel)
        self.layout_, self.series_ids_ = panel.layout, panel.ids
        self.series_name_ = y.name if panel.layout == "series" else None
        self.values_, self.axes_, self.index_ = panel.values, panel.axes, panel.index
        (self.past_covariates_, self.future_covariates_, self.covariates_,
         self.covariate_scaling_, self.static_features_) = fit_covariates(
            X, panel, self.past_covariates, self.scale,
            (self.id_col, self.time_col, self.target_col))
        self.transforms_ = [
            SeriesTransform.fit(values[:, None], log=self.log, lag=self.lag_,
                                standardise=self.scale, names=[name])
            for name, values in zip(panel.ids, panel.values, strict=True)]
        train, valid = self._choose_origins()
        windows, targets, anchors = self._training_windows(train + valid)
        n_train = self.n_windows_ = sum(len(origins) for origins in train)
        self.ensemble_size_ = (self.ensemble_size if self.ensemble_size != "auto" else
                               SMALL_ENSEMBLE if n_train <= SMALL_DATA_WINDOWS
                               else LARGE_ENSEMBLE)
        self.split_ = (np.arange(n_train),
                       np.arange(n_train, len(targets)) if self.early_stopping_used_
                       else None)
        super().fit(windows, targets)
        self.base_weight_, first_block = self._calibration(windows, targets, anchors,
                                                           valid or train)
        self.fallback_ = self.base_weight_ == 1.0
        self.base_interval_ = bool(self.calibrate) & self._unvalidated_short()
        self.spread_scale_, self.series_spread_ = self._spreads(valid or train, first_block)
        self.mstl_weight_ = self._mstl_weights_chosen()
        self._fit_mstl_states(np.flatnonzero(self.mstl_weight_), new=True)
        del self.split_
        return self

    def _check_panel(self, y, name) -> Panel:
        if is_long(y, self.id_col, self.time_col, name):
            return long_panel(y, (self.id_col, self.time_col, self.target_col), self.freq,
                              self.missing, name, tuple(self.static_covariates or ()))
        return wide_panel(y, self.freq, self.missing, name, (self.id_col, self.time_col))

    def _check_quantile_levels(self) -> tuple:
        levels = check_quantile_levels(self.quantiles)
        return tuple(float(q) for q in np.unique(np.append(levels, 0.5)))

    def _long_lag(self, panel: Panel) -> int:
        """The second season in use (``long_season``; 0 for none)."""
        if self.long_season is None:
            return 0
        if self.long_season != "auto":
            return int(self.long_season)
        if self.seasonal_period_ != 24:
            return 0
        needed = self._training_length(WEEK_OF_HOURS)
        enough = np.mean([len(values) >= needed for values in panel.values])
        return WEEK_OF_HOURS if enough >= LONG_SEASON_SHARE else 0

    def _training_length(self, long_lag: int) -> int:
        """Observations a series needs for one training window."""
        return self.window_ + self.horizon + self.lag_ + long_lag

    def _check_lengths(self, panel: Panel) -> None:
        """Every series must hold one input window (``window`` after the seasonal lag)
        and at least one series a training window too (``horizon`` and the long season
        more). A series between the two trains nothing and is forecast like any other
        (by the base with the defaults: it is too short to validate); where it is too
        short for the long season, the network reads that input as "no change"."""
        lags = f" + seasonal lag {self.lag_}" if self.lag_ else ""
        long = f" + long_season {self.long_lag_}" if self.long_lag_ else ""
        to_forecast = self.window_ + self.lag_
        lengths = [len(values) for values in panel.values]
        short = [i for i, n in enumerate(lengths) if n < to_forecast]
        longest = int(np.argmax(lengths))
        if lengths[longest] < self._training_length(self.long_lag_):
            position, shorter = longest, "window or horizon"
            needed = (f"window={self.window_} + horizon={self.horizon}{lags}{long} = "
                      f"{self._training_length(self.long_lag_)}")
            if len(lengths) > 1:
                needed += " (the longest series; one at least must have that many)"
        elif short:
            position, shorter = short[0], "window"
            needed = f"window={self.window_}{lags} = {to_forecast}"
        else:
            return
        series = "" if panel.layout == "series" else f" series {panel.ids[position]!r}"
        raise ValueError(
            f"y{series} has {lengths[position]} observations, too short for {needed}; "
            + f"use a shorter {shorter}"
            + (" or seasonal_difference=False" if self.lag_ else "")
            + (f" (seasonal_period='auto' read {self.seasonal_period_} from the "
               f"frequency; set seasonal_period= to use another season)"
               if self.seasonal_period == "auto" and self.seasonal_period_ > 1 else ""))

    @property
    def series_(self) -> pd.DataFrame:
        """The observed series (after filling, extended by :meth:`update`): a wide
        DataFrame, or for a long ``y`` a long one."""
        check_is_fitted(self, "values_")
        if self.layout_ != "long":
            return pd.DataFrame(np.column_stack(self.values_), index=self.index_,
                                columns=self.series_ids_)
        index = [axis.past(len(v)) for v, axis in zip(self.values_, self.axes_, strict=True)]
        return self._output.long_frame(index, {self.target_col: np.concatenate(self.values_)})

    @property
    def cutoff_(self):
        """The forecast origin: the last observed label (a Series of them per id for a
        long ``y``)."""
        check_is_fitted(self, "axes_")
        if self.layout_ != "long":
            return self.axes_[0].last
        return pd.Series([axis.last for axis in self.axes_], index=self.series_ids_,
                         name=self.time_col)

    # ---------------------------------------------------------------- the windows
    def _transformed(self) -> list[np.ndarray]:
        """The transformed values of each series, shape (T_i - lag,)."""
        return [transform.transform(values[:, None])[:, 0]
                for transform, values in zip(self.transforms_, self.values_, strict=True)]

    def _origin_counts(self) -> tuple:
        """Each series' forecast origins, and how many of them would train and validate."""
        needed = self._training_length(self.long_lag_)
        counts = np.array([max(len(v) - needed + 1, 0) for v in self.values_])
        n_valid = np.floor(self.validation_fraction * counts).astype(int)
        return counts, counts - n_valid - (self.horizon - 1), n_valid

    @staticmethod
    def _long_enough_to_validate(n_train: np.ndarray, n_valid: np.ndarray) -> np.ndarray:
        """Which series leave ``MIN_VALID_WINDOWS`` validation and ``MIN_TRAIN_WINDOWS``
        training origins: ``early_stopping="auto"`` validates those."""
        return (n_valid >= MIN_VALID_WINDOWS) & (n_train >= MIN_TRAIN_WINDOWS)

    def _choose_origins(self) -> tuple[list, list]:
        """Training and validation forecast origins of each series (time order).

        The last ``validation_fraction`` of each series' origins validate (with early
        stopping); training keeps the origins whose targets end before the first
        validation target. True validates every series with a training and a
        validation origin; "auto" validates the series that leave at least
        ``MIN_VALID_WINDOWS`` validation and ``MIN_TRAIN_WINDOWS`` training origins,
        and the others train on all their origins. Above ``max_windows`` training (a
        quarter as many validation) origins, the same share of each series' origins is
        drawn at random.
        """
        counts, n_train, n_valid = self._origin_counts()
        if self.early_stopping == "auto":
            validated = self._long_enough_to_validate(n_train, n_valid)
        else:
            validated = (n_valid >= 1) & (n_train >= 1) & (self.early_stopping is True)
        n_train = np.where(validated, n_train, counts)
        n_valid = np.where(validated, n_valid, 0)
        validates = bool(validated.any())
        self.validated_, self.early_stopping_used_ = validated, validates
        rng = np.random.default_rng(
            self.random_state if isinstance(self.random_state, Integral) else 0)
        first = self.window_ + self.long_lag_
        train = sample_origins(n_train, np.zeros_like(counts), first, self.max_windows, rng)
        valid = sample_origins(n_valid, counts - n_valid, first,
                               max(self.max_windows // 4, 1), rng)
        return train, (valid if validates else [])

    def _training_windows(self, origins: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Windows, anchored targets and anchors for ``origins[i]`` of series ``i % k``."""
        z = self._transformed()
        rows = self._covariate_rows()
        windowing = self._windowing
        windows, targets, all_anchors = [], [], []
        for position, chosen in enumerate(origins):
            series = position % len(z)
            found, anchors = windowing.inputs(z[series], *rows[series], chosen)
            steps = chosen[:, None] + np.arange(self.horizon)
            windows.append(found)
            targets.append(z[series][steps] - anchors[:, None])
            all_anchors.append(anchors)
        targets = np.concatenate(targets)[..., None].astype(np.float32)
        return np.concatenate(windows), targets, np.concatenate(all_anchors)

    def _covariate_rows(self, future_X=None, n_future: int = 0) -> list[tuple]:
        """Scaled covariate rows of each series (:func:`._covariates.covariate_rows`)."""
        return covariate_rows(self.covariates_, self.covariate_scaling_,
                              len(self.past_covariates_), self.lag_, self.static_features_,
                              future_X, n_future)

    @property
    def _windowing(self) -> Windowing:
        return Windowing(self.window_, self.horizon, self.long_lag_, self.anchor)

    # ---------------------------------------------------------------- base hooks
    def _validation_split(self, targets, rng):
        """The training and validation windows chosen by :meth:`_choose_origins`."""
        return self.split_

    @property
    def _loss(self):
        from seqkit.forecasting._network import PinballLoss

        return PinballLoss(self.quantile_levels_)

    def _calibration(self, windows, targets, anchors,
                     origins) -> tuple[np.ndarray, np.ndarray]:
        """Base weights and spread factors, from windows the network did not train on.

        A series whose observed values are all equal takes the base (with ``fallback``
        on), which forecasts it exactly. On the validation windows, every other series
        takes the weight on the statistical base of lowest error there
        (:func:`._fallback.choose_base_weights`): 0 (the network's median) or 1 (the
        base), or 0.5 (their mean) with ``fallback="blend"``. Series too short for
        validation windows (``early_stopping="auto"``) take ``SHORT_SERIES_BASE_WEIGHT``
        instead. Then the spread factor of each quantile level (see
        :mod:`._calibration`) is computed per forecast step with at least
        ``MIN_STEP_CALIBRATION`` windows, else pooled over the steps; on all training
        windows without validation. ``origins`` are the validation origins, or the
        training ones without validation.

        Returns
        -------
        base_weight : ndarray of float, shape (n_series,)
        factors : ndarray of shape (horizon, len(quantile_levels_)), ones without
            ``calibrate``
        """
        n_series, median = len(self.values_), self.quantile_levels_.index(0.5)
        _, valid = self.split_
        constant = np.array([np.ptp(values) == 0 for values in self.values_])
        base_weight = np.where(constant, 1.0, 0.0) if self.fallback else np.zeros(n_series)
        base_weight = np.where(self._too_short_to_validate() & ~constant,
                               SHORT_SERIES_BASE_WEIGHT, base_weight)
        if not self.calibrate and not (self.fallback and valid is not None):
            return base_weight, np.ones((self.horizon, len(self.quantile_levels_)))
        chosen = np.arange(len(targets)) if valid is None else valid
        outputs = self._average_members(self._predict_outputs(windows[chosen]))
        actual = targets[chosen][..., 0]
        if self.fallback and (valid is not None or base_weight.any()):
            owner = np.repeat(np.arange(n_series), [len(o) for o in origins])
            anchor = anchors[chosen]
            last = windows[chosen, self.window_ - 1, 0] + anchor
            base = base_forecast(self.transforms_, self.lag_, owner, last)
            gap = (base - anchor)[:, None] - outputs[..., median]
            if valid is not None:
                candidates = BLEND_WEIGHTS if self.fallback == "blend" else SWITCH_WEIGHTS
                found = choose_base_weights(outputs[..., median], gap, actual, owner,
                                            candidates, self.lag_, base_weight)
                base_weight = np.where(constant, base_weight, found)
            outputs = outputs + (base_weight[owner][:, None] * gap)[..., None]
        if not self.calibrate:
            return base_weight, np.ones((self.horizon, len(self.quantile_levels_)))
        return base_weight, step_factors(actual, outputs, self.quantile_levels_,
                                         MIN_STEP_CALIBRATION)

    def _too_short_to_validate(self) -> np.ndarray:
        """Which series ``early_stopping="auto"`` found too short to validate, with
        ``fallback="blend"``: they take the base (round 8 of the forecaster's
        protocol)."""
        auto = self.fallback == "blend" and self.early_stopping == "auto"
        return ~self.validated_ if auto else np.zeros(len(self.values_), dtype=bool)

    def _unvalidated_short(self) -> np.ndarray:
        """Which series were not validated and are too short for
        ``early_stopping="auto"`` to validate: with ``calibrate``, their intervals are
        the base's, around the forecaster's own median (rounds 11, 13 and 15)."""
        return ~(self.validated_
                 | self._long_enough_to_validate(*self._origin_counts()[1:]))

    # ---------------------------------------------------------------- MSTL partner
    def _mstl_seasons(self, n_observations: int) -> list[int]:
        """The seasons MSTL fits on a series of ``n_observations`` values: the
        seasonal period and the long season in use, those STL can estimate."""
        seasons = [self.seasonal_period_] + ([self.long_lag_] if self.long_lag_ else [])
        return usable_seasons(n_observations, seasons)

    def _mstl_weights_chosen(self) -> np.ndarray:
        """Each series' weight on MSTL, chosen on its inner window (``combine_mstl``).

        The inner window is the last ``INNER_SEASONS`` seasons of a validated series,
        which its validation span must cover (the network did not train on them). The
        forecaster, from the observations before it, and MSTL, fitted on them, forecast
        it; the series takes 0.5 where their mean has the lower mean absolute error
        (:func:`._mstl.choose_mstl_weights`), else 0. "auto" skips panels of more than
        ``MSTL_MAX_SERIES`` series.
        """
        weights = np.zeros(len(self.values_))
        inner = INNER_SEASONS * self.seasonal_period_
        too_many = self.combine_mstl == "auto" and len(self.values_) > MSTL_MAX_SERIES
        if not self.combine_mstl or too_many or self.seasonal_period_ <= 1:
            return weights
        _, _, n_valid = self._origin_counts()
        covered = self.validated_ & (n_valid + self.horizon - 1 >= inner)
        series = [i for i in np.flatnonzero(covered)
                  if self._mstl_seasons(len(self.values_[i]) - inner)]
        if not series:
            return weights
        series = np.array(series)
        shortened = [self.values_[i][:-inner] for i in series]
        partner = np.concatenate([self._mstl_forecast_of(values, inner)
                                  for values in shortened])
        actual = np.stack([self.values_[i][-inner:] for i in series])
        weights[series] = choose_mstl_weights(self._held_out_medians(series, inner),
                                              partner, actual)
        return weights

    def _mstl_forecast_of(self, values: np.ndarray, steps: int) -> np.ndarray:
        """MSTL's forecast of the ``steps`` values after ``values``, shape (1, steps)."""
        seasons = self._mstl_seasons(len(values))
        cycle, trend = fit_mstl(values, seasons, int(np.lcm.reduce(seasons)))
        return mstl_forecasts(cycle[None], trend[None], steps)

    def _fit_mstl_states(self, series: np.ndarray, new: bool = False) -> None:
        """Fit MSTL on the whole of each of ``series`` and keep its seasonal cycle (on
        the period common to all series) and trend row in ``mstl_cycle_`` and
        ``mstl_trend_``; ``new`` starts both from zeros."""
        if new:
            seasons = [self.seasonal_period_] + ([self.long_lag_] if self.long_lag_ else [])
            self.mstl_cycle_ = np.zeros((len(self.values_), int(np.lcm.reduce(seasons))))
            self.mstl_trend_ = np.zeros((len(self.values_), TREND_FIELDS))
        for i in series:
            self.mstl_cycle_[i], self.mstl_trend_[i] = fit_mstl(
                self.values_[i], self._mstl_seasons(len(self.values_[i])),
                self.mstl_cycle_.shape[1])

    def _with_mstl(self, paths: np.ndarray) -> np.ndarray:
        """Quantile paths (h, k, q) moved by each series' weight on MSTL times MSTL's
        distance from the median (a forecaster saved before ``combine_mstl`` has
        none)."""
        weights = getattr(self, "mstl_weight_", None)
        if weights is None or not weights.any():
            return paths
        median = paths[..., self.quantile_levels_.index(0.5)]
        partner = mstl_forecasts(self.mstl_cycle_, self.mstl_trend_, len(paths)).T
        return paths + (weights * (partner - median))[..., None]

    def _held_out_medians(self, series: np.ndarray, steps: int) -> np.ndarray:
        """The forecaster's medians of the last ``steps`` values of each of ``series``,
        from the observations before them (as :meth:`predict` would have), data scale.

        Returns
        -------
        ndarray of shape (len(series), steps)
        """
        z, rows = self._transformed(), self._covariate_rows()
        median = self.quantile_levels_.index(0.5)
        starts = [len(z[i]) - steps for i in series]
        paths = [z[i][:start] for i, start in zip(series, starts, strict=True)]
        path_rows = [carry_past_forward(*rows[i], start)
                     for i, start in zip(series, starts, strict=True)]
        unscaled = np.ones((self.horizon, len(self.quantile_levels_)))
        for _ in range(-(-steps // self.horizon)):
            outputs = self._block_outputs(paths, path_rows, series, unscaled)
            paths = [np.append(path, outputs[k, :, median]) for k, path in enumerate(paths)]
        return np.stack([
            self.transforms_[i].inverse(path[start: start + steps, None],
                                        self.values_[i][:-steps, None])[:, 0]
            for i, path, start in zip(series, paths, starts, strict=True)])

    def _spreads(self, origins: list, first_block: np.ndarray) -> tuple:
        """``spread_scale_`` and ``series_spread_`` as ``calibrate`` asks.

        The first block's factors alone (``calibrate`` True or False); with "recursive",
        each recursive block's too; with "per_series", then each series' own factors of
        its calibration forecasts once those are applied.
        """
        ones = np.ones((len(self.values_), len(self.quantile_levels_)))
        if self.calibrate not in ("recursive", "per_series"):
            return first_block, ones
        factors, scored = self._recursive_factors(origins, first_block)
        if self.calibrate != "per_series" or scored is None:
            return factors, ones
        return factors, series_factors(*scored, self.quantile_levels_, len(ones))

    def _recursive_factors(self, origins: list, first_block: np.ndarray) -> tuple:
        """Spread factors of the first block and of each recursive block after it.

        From each calibration origin (``origins[i]`` of series ``i % k``) with at least
        two blocks of observed values after it, the forecast continues block by block
        from its own median as in :meth:`predict`; block ``b`` (``b >= 2``) is scored
        against the observed values of the origins that have ``b`` blocks after them
        (:func:`._calibration.step_factors`), while at least ``MIN_VALID_WINDOWS``
        have, for at most ``MAX_CALIBRATED_BLOCKS`` blocks. Past covariates are
        carried forward from each origin (:func:`._windows.carry_past_forward`), as a
        forecast sees them.

        Returns
        -------
        factors : ndarray of shape (n_blocks * horizon, len(quantile_levels_))
            Block after block; forecasts reuse the last block's for later blocks.
        scored : tuple of ndarray or None
            The series, observed values and rescaled quantile forecasts of every block
            scored (the first included), for :func:`._calibration.series_factors`;
            None when no block was.
        """
        z = self._transformed()
        rows = self._covariate_rows()
        owner = np.concatenate([np.full(len(chosen), position % len(z))
                                for position, chosen in enumerate(origins)]).astype(int)
        starts = np.concatenate(origins).astype(int)
        reach = (np.array([len(z_i) for z_i in z])[owner] - starts) // self.horizon
        unscaled = np.ones_like(first_block)
        median = self.quantile_levels_.index(0.5)
        factors, forecasts = [first_block], []
        keep = reach >= 2
        paths = [z[series][:start] for series, start in
                 zip(owner[keep], starts[keep], strict=True)]
        owner, starts, reach = owner[keep], starts[keep], reach[keep]
        path_rows = [carry_past_forward(*rows[series], start)
                     for series, start in zip(owner, starts, strict=True)]
        for block in range(MAX_CALIBRATED_BLOCKS):
            if len(paths) < MIN_VALID_WINDOWS:
                break
            outputs = self._block_outputs(paths, path_rows, owner, unscaled)
            steps = starts[:, None] + block * self.horizon + np.arange(self.horizon)
            actual = np.stack([z[series][row] for series, row in
                               zip(owner, steps, strict=True)])
            if block:
                factors.append(step_factors(actual, outputs, self.quantile_levels_,
                                            MIN_STEP_CALIBRATION))
            forecasts.append((owner, actual, rescale_spreads(outputs, factors[-1], median)))
            scored = reach > block + 1
            paths = [np.append(path, outputs[i, :, median])
                     for i, path in enumerate(paths) if scored[i]]
            path_rows = [found for i, found in enumerate(path_rows) if scored[i]]
            owner, starts, reach = owner[scored], starts[scored], reach[scored]
        if not forecasts:
            return np.concatenate(factors), None
        owner, actual, outputs = (np.concatenate(part)
                                  for part in zip(*forecasts, strict=True))
        return np.concatenate(factors), (owner, actual, outputs)

    def _block_factors(self, block: int) -> np.ndarray:
        """The spread factors of forecast block ``block`` (0 is the first)."""
        n_calibrated = len(self.spread_scale_) // self.horizon
        start = min(block, n_calibrated - 1) * self.horizon
        return self.spread_scale_[start: start + self.horizon]

    def _block_outputs(self, paths: list, rows: list, owner: np.ndarray,
                       factors: np.ndarray) -> np.ndarray:
        """Quantile forecasts of the ``horizon`` steps after the end of each path.

        Parameters
        ----------
        paths : list of ndarray
            Transformed values of series ``owner[i]`` up to a forecast origin.
        rows : list of tuple
            Each path's scaled covariate rows (:meth:`_covariate_rows`).
        owner : ndarray of int
            The series of each path.
        factors : ndarray of shape (horizon, len(quantile_levels_))
            Spread factors to apply, or of shape (len(paths), horizon, len(levels)),
            one set per path.

        Returns
        -------
        ndarray of shape (len(paths), horizon, len(quantile_levels_))
            On the transformed scale, with each series' weight on the base applied.
        """
        median = self.quantile_levels_.index(0.5)
        found = [self._windowing.inputs(path, *path_rows, [len(path)])
                 for path, path_rows in zip(paths, rows, strict=True)]
        windows = np.concatenate([w for w, _ in found])
        anchors = np.concatenate([a for _, a in found])
        outputs = rescale_spreads(self._average_members(self._predict_outputs(windows)),
                                  factors, median) + anchors[:, None, None]
        weights = self._base_weights[owner]
        if weights.any():
            base = base_forecast(self.transforms_, self.lag_, owner,
                                 np.array([path[-1] for path in paths]))
            gap = base[:, None] - outputs[..., median]
            outputs = outputs + (weights[:, None] * gap)[..., None]
        return outputs

    @property
    def _series_spread(self) -> np.ndarray:
        """``series_spread_``; ones for a forecaster saved before it existed."""
        found = getattr(self, "series_spread_", None)
        return (np.ones((len(self.values_), len(self.quantile_levels_))) if found is None
                else found)

    @property
    def _base_weights(self) -> np.ndarray:
        """``base_weight_``; a forecaster saved before it existed has ``fallback_`` only."""
        weights = getattr(self, "base_weight_", None)
        return self.fallback_.astype(np.float64) if weights is None else weights

    def _encode_targets(self, y) -> np.ndarray:
        return y

    def _network_spec(self) -> dict:
        return dict(horizon=self.horizon, quantiles=self.quantile_levels_,
                    ensemble_size=self.ensemble_size_)

    def _build_network(self, spec: dict):
        from seqkit.forecasting._network import forecast_network

        return forecast_network(**spec)

    # -------------------------------------------------------------------- predict
    def _forecast(self, horizon, X):
        """Future labels of each series and quantile paths (horizon, k, q), data scale."""
        check_is_fitted(self, "model_")
        horizon = self._check_horizon(horizon)
        index = forecast_labels(self.axes_, horizon)
        refuse_unused_X(X, "X", list(self.covariates_[0].columns), self.layout_)
        mean, spread = self.covariate_scaling_
        n_past = len(self.past_covariates_)
        future_X = future_covariates(X, index, self.future_covariates_,
                                     (mean[n_past:], spread[n_past:]), self.layout_,
                                     self.series_ids_, self.id_col, self.time_col)
        n_blocks = -(-horizon // self.horizon)
        padded = n_blocks * self.horizon
        if future_X is not None and padded > horizon:
            future_X = [np.vstack([rows, np.repeat(rows[-1:], padded - horizon, 0)])
                        for rows in future_X]
        z = self._transformed()
        rows = self._covariate_rows(future_X, padded)
        median = self.quantile_levels_.index(0.5)
        blocks = []
        for block in range(n_blocks):
            factors = self._block_factors(block) * self._series_spread[:, None, :]
            outputs = self._block_outputs(z, rows, np.arange(len(z)), factors)  # (k, h, q)
            blocks.append(outputs.transpose(1, 0, 2))
            z = [np.append(z_i, outputs[i, :, median]) for i, z_i in enumerate(z)]
        paths = np.concatenate(blocks)[:horizon]
        paths = np.stack([
            transform.inverse(paths[:, [i]], values[:, None], median)[:, 0]
            for i, (transform, values) in enumerate(
                zip(self.transforms_, self.values_, strict=True))], axis=1)
        paths = self._with_mstl(paths)
        # a bool for the whole panel when saved before it was per series, absent before
        base_interval = np.broadcast_to(getattr(self, "base_interval_", False),
                                        len(self.values_))
        for i in np.flatnonzero(base_interval):
            paths[:, i] = base_quantiles(self.values_[i], self.lag_, paths[:, i, median],
                                         self.quantile_levels_)
        return index, paths

    def _check_horizon(self, horizon) -> int:
        return self.horizon if horizon is None else positive_int(horizon, "horizon")

    @property
    def _output(self) -> OutputLayout:
        return OutputLayout(self.layout_, self.series_ids_, self.series_name_, self.id_col,
                            self.time_col, self.target_col)

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
        pandas Series (one series) or DataFrame (several), indexed by the future labels;
        for a long ``y``, a long DataFrame (``id_col``, ``time_col``, ``target_col``)
        with the future labels of each series.
        """
        index, paths = self._forecast(horizon, X)
        return self._output.values(index, paths[:, :, self.quantile_levels_.index(0.5)])

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
            Future index; columns the levels (one series) or ``(series, level)`` pairs;
            for a long ``y``, long rows (``id_col``, ``time_col``) with a column per
            level.
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
        values = paths @ interpolation_weights(self.quantile_levels_, levels)
        return self._output.quantiles(index, values, [float(q) for q in levels])

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
            ``(series, "lower" | "upper")``; for a long ``y``, long rows with columns
            ``lower`` and ``upper``.
        """
        if not isinstance(coverage, Real) or not 0 < coverage < 1:
            raise ValueError(f"coverage must be a float in (0, 1), got {coverage!r}")
        alpha = round((1 - coverage) / 2, 12)
        frame = self.predict_quantiles(horizon, (alpha, round(1 - alpha, 12)), X)
        names = {alpha: "lower", round(1 - alpha, 12): "upper"}
        return frame.rename(columns=lambda level: names.get(level, level))

    # --------------------------------------------------------------------- update
    def update(self, y_new, X_new=None):
        """Append new observations and move the forecast origin, without refitting.

        Parameters
        ----------
        y_new : pandas Series or DataFrame
            Observations that follow the last one seen, with the same series; for a
            long ``y``, a long DataFrame whose series (all or some) continue theirs,
            with the covariate columns seen in fit (static columns may be left out:
            each series keeps the static values seen in fit).
        X_new : pandas DataFrame, optional
            Covariates for the new steps (required when a Series or wide ``y`` was
            fitted with covariates).

        Returns
        -------
        self
        """
        check_is_fitted(self, "model_")
        new = self._check_continuation(y_new, "y_new")
        added_covariates = new_covariates(new, X_new, list(self.covariates_[0].columns),
                                          self.covariate_scaling_, self.layout_)
        position = {name: i for i, name in enumerate(self.series_ids_)}
        values, axes = list(self.values_), list(self.axes_)
        covariates = list(self.covariates_)
        for name, added, axis, rows in zip(new.ids, new.values, new.axes, added_covariates,
                                           strict=True):
            i = position[name]
            values[i] = np.concatenate([values[i], added])
            axes[i] = axis
            covariates[i] = pd.concat([covariates[i], rows])
        self.values_, self.axes_, self.covariates_ = values, axes, covariates
        if self.layout_ != "long":
            self.index_ = self.index_.append(new.index)
        weights = getattr(self, "mstl_weight_", None)
        if weights is not None:  # MSTL forecasts from the new origin
            self._fit_mstl_states([i for i in map(position.get, new.ids) if weights[i]])
        return self

    def _check_continuation(self, y, name) -> Panel:
        """Validate ``y`` as observations that directly follow the fitted ones."""
        if self.layout_ == "long":
            if not is_long(y, self.id_col, self.time_col, name):
                raise ValueError(f"{name} must be a long DataFrame with columns "
                                 f"{self.id_col!r}, {self.time_col!r} and "
                                 f"{self.target_col!r}, like the y given to fit")
            static = tuple(c for c in self.static_covariates or () if c in y.columns)
            panel = long_panel(y, (self.id_col, self.time_col, self.target_col),
                               self.axes_[0].step if self.axes_[0].kind == "datetime"
                               else None, self.missing, name, static)
        else:
            step = self.axes_[0].step if self.axes_[0].kind == "datetime" else None
            panel = wide_panel(y, step, self.missing, name)
            if panel.ids != self.series_ids_ and not (
                    self.layout_ == "series" and len(panel.ids) == 1):
                raise ValueError(f"{name} has series {panel.ids}; expected "
                                 f"{self.series_ids_}")
            panel.ids = list(self.series_ids_)
        fitted = dict(zip(self.series_ids_, self.axes_, strict=True))
        for series, labels in zip(panel.ids, self._labels(panel), strict=True):
            if series not in fitted:
                raise ValueError(f"{name} has series {series!r}, which was not fitted")
            expected = fitted[series].future(len(labels))
            if not labels.equals(expected):
                of = f" series {series!r}" if self.layout_ == "long" else ""
                raise ValueError(
                    f"{name}{of} must continue the series at {label(expected[0])} (the step "
                    f"after the last observation {label(fitted[series].last)}) without "
                    f"gaps; its index starts at {label(labels[0])}"
                )
        return panel

    @staticmethod
    def _labels(panel: Panel) -> list[pd.Index]:
        """The time labels of each series of ``panel``."""
        return [axis.past(len(v)) for v, axis in zip(panel.values, panel.axes, strict=True)]

    # ---------------------------------------------------------------------- score
    def score(self, y, X=None) -> float:
        """Minus the mean absolute scaled error of a forecast of ``y`` (higher is better).

        ``y`` must directly follow the fitted (or updated) series; the forecast of
        ``len(y)`` steps (for a long ``y``, of each series' rows) is compared with it.
        The scale is the in-sample seasonal-naive error of each fitted series (see
        :func:`seqkit.forecast_metrics.mase`).

        Parameters
        ----------
        y : pandas Series or DataFrame
            The observations after the fitted series, shaped like the fitted ``y``.
        X : pandas DataFrame, optional
            Known-future covariates for those steps.

        Returns
        -------
        float

        Raises
        ------
        seqkit.forecast_metrics.ZeroScaleError
            When a fitted series repeats its season exactly (MASE is undefined).
        """
        from seqkit.forecast_metrics import mase

        check_is_fitted(self, "model_")
        actual = self._check_continuation(y, "y")
        longest = max(len(v) for v in actual.values)
        _, paths = self._forecast(longest, X)
        position = {name: i for i, name in enumerate(self.series_ids_)}
        errors = []
        for name, observed in zip(actual.ids, actual.values, strict=True):
            i = position[name]
            history = self.values_[i]
            period = self.seasonal_period_ if len(history) > self.seasonal_period_ else 1
            forecast = paths[: len(observed), i, self.quantile_levels_.index(0.5)]
            errors.append(mase(observed, forecast, history, seasonal_period=period))
        return -float(np.mean(errors))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = False
        tags.input_tags.three_d_array = False
        tags.non_deterministic = False
        return tags


def interpolation_weights(learnt, levels) -> np.ndarray:
    """The matrix that interpolates quantiles at ``learnt`` levels linearly to ``levels``.

    ``values @ interpolation_weights(learnt, levels)`` equals ``np.interp(levels,
    learnt, v)`` for each row ``v`` of ``values`` (last axis), in one product.

    Returns
    -------
    ndarray of shape (len(learnt), len(levels))
    """
    return np.stack([np.interp(levels, learnt, unit) for unit in np.eye(len(learnt))])
