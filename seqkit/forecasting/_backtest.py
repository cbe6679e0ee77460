"""Expanding-window backtests: forecast from several origins and tabulate the errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import clone

from seqkit import forecast_metrics
from seqkit.forecasting._data import as_frame, is_long


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
        The whole series (a Series or a wide DataFrame; long DataFrames are not
        supported yet).
    X : pandas DataFrame, optional
        Covariates for every label of ``y``.
    initial : int, optional
        Observations in the first training window (default: ``len(y) - 3 * horizon``).
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
        (NaN where an actual is 0), ``smape``, ``mase`` and ``coverage``.
    """
    if is_long(y, getattr(forecaster, "id_col", None), getattr(forecaster, "time_col", None)):
        raise ValueError("backtest does not take a long DataFrame y yet; pass the series "
                         "as a Series or a wide DataFrame (y.pivot(index=time_col, "
                         "columns=id_col, values=target_col) for aligned series)")
    frame, _ = as_frame(y, "y")
    horizon = int(horizon or forecaster.horizon)
    step = int(step or horizon)
    initial = int(initial if initial is not None else len(frame) - 3 * horizon)
    if horizon <= 0 or step <= 0:
        raise ValueError(f"horizon and step must be positive, got {horizon} and {step}")
    if not 0 < initial <= len(frame) - horizon:
        raise ValueError(f"initial={initial} leaves no room for a {horizon}-step forecast "
                         f"in a series of {len(frame)} observations")
    origins = range(initial, len(frame) - horizon + 1, step)
    rows, fitted, seen = [], None, 0
    for origin in origins:
        if refit or fitted is None:
            fitted = clone(forecaster).fit(y.iloc[:origin], _rows(X, 0, origin))
        else:
            fitted.update(y.iloc[seen:origin], _rows(X, seen, origin))
        seen = origin
        future_X = _rows(X, origin, origin + horizon)
        rows.append(_errors(fitted, frame, origin, horizon, future_X, coverage))
    return pd.DataFrame(rows)


def _rows(X, start, stop):
    return None if X is None else X.iloc[start:stop]


def _errors(fitted, frame, origin, horizon, future_X, coverage) -> dict:
    actual = frame.iloc[origin: origin + horizon].to_numpy()
    forecast = np.asarray(fitted.predict(horizon, X=future_X)).reshape(actual.shape)
    train = frame.iloc[:origin].to_numpy()
    period = fitted.seasonal_period_ if origin > fitted.seasonal_period_ else 1
    row = dict(
        cutoff=frame.index[origin - 1],
        train_size=origin,
        mae=forecast_metrics.mae(actual, forecast),
        rmse=forecast_metrics.rmse(actual, forecast),
        mape=(forecast_metrics.mape(actual, forecast) if (actual != 0).all() else np.nan),
        smape=forecast_metrics.smape(actual, forecast),
        mase=forecast_metrics.mase(actual, forecast, train, seasonal_period=period),
    )
    if coverage is not None:
        band = fitted.predict_interval(horizon, coverage=coverage, X=future_X).to_numpy()
        band = band.reshape(len(actual), -1, 2)
        inside = (actual >= band[..., 0]) & (actual <= band[..., 1])
        row["coverage"] = float(inside.mean())
    return row
