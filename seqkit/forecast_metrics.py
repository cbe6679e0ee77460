"""Forecast accuracy metrics: MAE, RMSE, MAPE, sMAPE, MASE and pinball loss.

Each takes the actual values and the forecast as arrays, Series or DataFrames of the same
shape, ``(h,)`` for one series or ``(h, k)`` for ``k`` series, and returns one float
(lower is better), the mean over every step and series. Percentage errors are fractions
(0.05 means 5 %).
"""

from __future__ import annotations

import numpy as np

__all__ = ["mae", "rmse", "mape", "smape", "mase", "pinball_loss"]


def _pair(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    actual = np.asarray(y_true, dtype=np.float64)
    forecast = np.asarray(y_pred, dtype=np.float64)
    if actual.shape != forecast.shape:
        raise ValueError(f"y_true has shape {actual.shape} but y_pred has shape "
                         f"{forecast.shape}; they must match")
    if actual.size == 0:
        raise ValueError("y_true is empty")
    for name, values in (("y_true", actual), ("y_pred", forecast)):
        if not np.isfinite(values).all():
            position = int(np.flatnonzero(~np.isfinite(values.ravel()))[0])
            raise ValueError(f"{name} has a missing or infinite value at flat position "
                             f"{position}")
    return actual, forecast


def mae(y_true, y_pred) -> float:
    """Mean absolute error."""
    actual, forecast = _pair(y_true, y_pred)
    return float(np.mean(np.abs(actual - forecast)))


def rmse(y_true, y_pred) -> float:
    """Root mean squared error."""
    actual, forecast = _pair(y_true, y_pred)
    return float(np.sqrt(np.mean((actual - forecast) ** 2)))


def mape(y_true, y_pred) -> float:
    """Mean absolute percentage error ``mean(|y - f| / |y|)``, a fraction.

    Raises
    ------
    ValueError
        When an actual value is 0 (use :func:`smape` or :func:`mase` then).
    """
    actual, forecast = _pair(y_true, y_pred)
    if (actual == 0).any():
        raise ValueError("MAPE is undefined where y_true is 0; use smape or mase")
    return float(np.mean(np.abs(actual - forecast) / np.abs(actual)))


def smape(y_true, y_pred) -> float:
    """Symmetric MAPE ``mean(2 |y - f| / (|y| + |f|))``, between 0 and 2 (0/0 counts 0)."""
    actual, forecast = _pair(y_true, y_pred)
    denominator = np.abs(actual) + np.abs(forecast)
    ratio = np.divide(2 * np.abs(actual - forecast), denominator,
                      out=np.zeros_like(denominator), where=denominator > 0)
    return float(np.mean(ratio))


def mase(y_true, y_pred, y_train, seasonal_period: int = 1) -> float:
    """Mean absolute scaled error.

    The forecast's absolute error divided by the in-sample mean absolute error of the
    seasonal naive forecast ``y[t - seasonal_period]`` on ``y_train``, per series, then
    averaged over series. Below 1: better than seasonal naive was in sample.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (h,) or (h, k)
    y_train : array-like of shape (n,) or (n, k)
        The series the forecast was made from; ``n > seasonal_period``.
    seasonal_period : int, default=1
        Lag of the naive forecast (1: random walk; 12: monthly seasonality).
    """
    actual, forecast = _pair(y_true, y_pred)
    train = np.asarray(y_train, dtype=np.float64)
    if train.ndim != actual.ndim or train.shape[1:] != actual.shape[1:]:
        raise ValueError(f"y_train has shape {train.shape}, which does not match y_true's "
                         f"series {actual.shape}")
    if not isinstance(seasonal_period, (int, np.integer)) or seasonal_period < 1:
        raise ValueError(f"seasonal_period must be a positive int, got {seasonal_period!r}")
    if len(train) <= seasonal_period:
        raise ValueError(f"y_train has {len(train)} values; MASE needs more than "
                         f"seasonal_period={seasonal_period}")
    naive = np.mean(np.abs(train[seasonal_period:] - train[:-seasonal_period]), axis=0)
    if np.any(naive == 0):
        raise ValueError("MASE is undefined: the seasonal naive forecast is exact on y_train")
    errors = np.mean(np.abs(actual - forecast), axis=0) / naive
    return float(np.mean(errors))


def pinball_loss(y_true, y_pred_quantiles, quantiles) -> float:
    """Mean pinball (quantile) loss over steps, series and quantile levels.

    Parameters
    ----------
    y_true : array-like of shape (h,) or (h, k)
    y_pred_quantiles : array-like of shape (h, q) or (h, k, q), or a DataFrame from
        :meth:`seqkit.forecasting.RNNForecaster.predict_quantiles`
        One column per level, in the order of ``quantiles``.
    quantiles : sequence of float
        The levels, each strictly between 0 and 1.
    """
    levels = check_quantile_levels(quantiles)
    actual = np.asarray(y_true, dtype=np.float64)
    predicted = np.asarray(y_pred_quantiles, dtype=np.float64)
    predicted = predicted.reshape(actual.shape + (len(levels),))
    actual, _ = _pair(actual, predicted[..., 0])
    error = actual[..., None] - predicted
    return float(np.mean(np.maximum(levels * error, (levels - 1) * error)))


def check_quantile_levels(quantiles, name: str = "quantiles") -> np.ndarray:
    """``quantiles`` as a 1-D float array; TypeError / ValueError naming a bad level.

    Parameters
    ----------
    quantiles : float or sequence of float
        Levels, each strictly between 0 and 1 (NaN is refused).
    name : str, default="quantiles"
        The argument's name, for the messages.
    """
    try:
        levels = np.atleast_1d(np.asarray(quantiles, dtype=np.float64))
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be numbers in (0, 1), got {quantiles!r}") from None
    if levels.ndim != 1 or levels.size == 0:
        raise ValueError(f"{name} must be a non-empty sequence of levels, got {quantiles!r}")
    bad = levels[~((levels > 0) & (levels < 1))]  # NaN fails both comparisons
    if bad.size:
        raise ValueError(f"{name} must lie strictly between 0 and 1; got {bad[0]}")
    return levels
