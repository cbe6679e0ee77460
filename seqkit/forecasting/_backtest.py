"""Expanding-window backtests: forecast from several origins and tabulate the errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import clone

from seqkit import forecast_metrics
from seqkit.forecasting._data import as_frame, column_of, is_long, label, positive_int


def backtest(forecaster, y, X=None, *, initial=None, step=None, horizon=None,
             refit: bool = True, coverage: float | None = 0.9) -> pd.DataFrame:
    """Expanding-window evaluation of a forecaster.

    Origins start after ``initial`` observations and move ``step`` at a time; from each
    origin the forecaster predicts ``horizon`` steps, which are compared with the actual
    values.

    Parameters
    ----------
    forecaster : RNNForecaster
        An unfitted forecaster (cloned for each refit).
    y : pandas Series or DataFrame
        The whole series: a Series, a wide DataFrame, or a long DataFrame (``id_col``,
        ``time_col``, ``target_col`` and covariate columns) whose series may differ in
        length; each of its series is cut the same number of steps before its end.
    X : pandas DataFrame, optional
        Covariates for every label of a Series or wide ``y``.
    initial : int, optional
        Observations in the first training window (default: ``len(y) - 3 * horizon``);
        for a long ``y``, those of its shortest series.
    step : int, optional
        Steps between origins (default: ``horizon``).
    horizon : int, optional
        Steps forecast from each origin (default: the forecaster's ``horizon``).
    refit : bool, default=True
        Fit anew at every origin; False fits once on the first window and moves the
        origin with :meth:`~seqkit.forecasting.RNNForecaster.update`.
    coverage : float or None, default=0.9
        Also report the share of actual values inside the central interval of this
        nominal coverage (None: skip).

    Returns
    -------
    DataFrame
        One row per origin: ``cutoff``, ``train_size``, ``mae``, ``rmse``, ``mape``
        (NaN where an actual is 0), ``smape``, ``mase`` (NaN where the seasonal naive
        forecast is exact on the training part) and ``coverage``; for a long
        ``y``, one row per origin and series, with the series' id first.

    Raises
    ------
    TypeError, ValueError
        When ``horizon``, ``step`` or ``initial`` is not a positive int, ``initial``
        leaves no room for a forecast, or a value to be scored (after ``initial``) is
        missing or infinite (``missing`` fills only what the forecaster trains on).
    """
    if is_long(y, getattr(forecaster, "id_col", None), getattr(forecaster, "time_col", None)):
        if X is not None:
            raise ValueError("X must be None with a long DataFrame y: its covariates are "
                             "y's extra columns, as in fit")
        return _long_backtest(forecaster, y, initial, step, horizon, refit, coverage)
    frame, _ = as_frame(y, "y")
    horizon, step, initial = _check_origins(forecaster, len(frame), horizon, step, initial)
    origins = range(initial, len(frame) - horizon + 1, step)
    _check_scored(frame.iloc[initial: origins[-1] + horizon])
    rows, fitted, seen = [], None, 0
    for origin in origins:
        if refit or fitted is None:
            fitted = _fit_at(forecaster, origin, initial, y.iloc[:origin],
                             _rows(X, 0, origin))
        else:
            fitted.update(y.iloc[seen:origin], _rows(X, seen, origin))
        seen = origin
        future_X = _rows(X, origin, origin + horizon)
        rows.append(_errors(fitted, frame, origin, horizon, future_X, coverage))
    return pd.DataFrame(rows)


def _fit_at(forecaster, origin: int, initial: int, y, X=None):
    """A clone of ``forecaster`` fitted on the data before a backtest origin; a
    ValueError of that fit (a series too short, say) says which origin it was."""
    try:
        return clone(forecaster).fit(y, X)
    except ValueError as error:
        raise ValueError(f"backtest fit at the origin after {origin} observations "
                         f"(initial={initial}; of the shortest series for a long y): "
                         f"{error}") from error


def _rows(X, start, stop):
    return None if X is None else X.iloc[start:stop]


def _check_origins(forecaster, length: int, horizon, step, initial) -> tuple[int, int, int]:
    horizon = positive_int(forecaster.horizon if horizon is None else horizon, "horizon")
    step = horizon if step is None else positive_int(step, "step")
    initial = (length - 3 * horizon if initial is None else positive_int(initial, "initial"))
    if not 0 < initial <= length - horizon:
        raise ValueError(f"initial={initial} leaves no room for a {horizon}-step forecast "
                         f"in a series of {length} observations")
    return horizon, step, initial


def _check_scored(actual: pd.DataFrame, name: str = "y") -> None:
    """Raise naming the first missing or infinite value of ``actual`` (the values a
    backtest compares forecasts with)."""
    bad = ~np.isfinite(actual.to_numpy())
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise ValueError(
            f"{column_of(name, actual.columns[col])} is {actual.iloc[row, col]} at "
            f"{label(actual.index[row])}, a value the backtest scores forecasts against; "
            f"fill or drop it (missing= fills only what the forecaster trains on)")


def _errors(fitted, frame, origin, horizon, future_X, coverage) -> dict:
    actual = frame.iloc[origin: origin + horizon].to_numpy()
    forecast = np.asarray(fitted.predict(horizon, X=future_X)).reshape(actual.shape)
    band = None
    if coverage is not None:
        band = fitted.predict_interval(horizon, coverage=coverage, X=future_X).to_numpy()
        band = band.reshape(len(actual), -1, 2)
    return dict(cutoff=frame.index[origin - 1], train_size=origin,
                **_metrics(actual, forecast, frame.iloc[:origin].to_numpy(),
                           fitted.seasonal_period_, band))


def _metrics(actual, forecast, train, seasonal_period: int, band) -> dict:
    """Point errors of ``forecast``, and the coverage of ``band`` (``(..., 2)``) if given."""
    period = seasonal_period if len(train) > seasonal_period else 1
    row = dict(
        mae=forecast_metrics.mae(actual, forecast),
        rmse=forecast_metrics.rmse(actual, forecast),
        mape=(forecast_metrics.mape(actual, forecast) if (actual != 0).all() else np.nan),
        smape=forecast_metrics.smape(actual, forecast),
        mase=_mase_or_nan(actual, forecast, train, period),
    )
    if band is not None:
        inside = (actual >= band[..., 0]) & (actual <= band[..., 1])
        row["coverage"] = float(inside.mean())
    return row


def _long_backtest(forecaster, y, initial, step, horizon, refit, coverage) -> pd.DataFrame:
    """:func:`backtest` of a long DataFrame: every series cut the same number of steps
    before its end; one row per origin and series."""
    id_col, time_col, target_col = forecaster.id_col, forecaster.time_col, forecaster.target_col
    y = y.sort_values([id_col, time_col], kind="stable")
    lengths = y.groupby(id_col)[time_col].transform("size").to_numpy()
    steps_to_end = lengths - y.groupby(id_col).cumcount().to_numpy()  # 1 on the last row
    shortest = int(lengths.min())
    horizon, step, initial = _check_origins(forecaster, shortest, horizon, step, initial)
    origins = range(initial, shortest - horizon + 1, step)
    scored = y[(steps_to_end <= shortest - initial)
               & (steps_to_end > shortest - origins[-1] - horizon)]
    for series, rows in scored.groupby(id_col, sort=True):
        _check_scored(rows.set_index(time_col)[[target_col]], f"y series {series!r}")
    rows, fitted, seen = [], None, None
    for origin in origins:
        held_out = shortest - origin
        if refit or fitted is None:
            fitted = _fit_at(forecaster, origin, initial, y[steps_to_end > held_out])
        else:
            fitted.update(y[(steps_to_end <= seen) & (steps_to_end > held_out)])
        seen = held_out
        future = y[(steps_to_end <= held_out) & (steps_to_end > held_out - horizon)]
        future_X = future if fitted.future_covariates_ else None  # X only when it is read
        forecast = fitted.predict(horizon, X=future_X)
        band = (None if coverage is None else
                fitted.predict_interval(horizon, coverage=coverage, X=future_X))
        trained = dict(tuple(y[steps_to_end > held_out].groupby(id_col, sort=True)))
        for series, actual in future.groupby(id_col, sort=True):
            train = trained[series]
            mine = forecast[id_col] == series
            rows.append({
                id_col: series, "cutoff": train[time_col].iloc[-1], "train_size": len(train),
                **_metrics(actual[target_col].to_numpy(),
                           forecast.loc[mine, target_col].to_numpy(),
                           train[target_col].to_numpy(), fitted.seasonal_period_,
                           None if band is None else
                           band.loc[band[id_col] == series, ["lower", "upper"]].to_numpy()),
            })
    return pd.DataFrame(rows)


def _mase_or_nan(actual, forecast, train, period: int) -> float:
    """MASE, or NaN where the seasonal naive forecast is exact on ``train``."""
    try:
        return forecast_metrics.mase(actual, forecast, train, seasonal_period=period)
    except forecast_metrics.ZeroScaleError:
        return np.nan
