"""Forecast accuracy metrics: MAE, RMSE, MAPE, sMAPE, MASE, pinball loss, interval
coverage, MSIS and M4's OWA.

Each point metric takes the actual values and the forecast as arrays, Series or
DataFrames of the same shape, ``(h,)`` for one series or ``(h, k)`` for ``k`` series,
and returns one float (lower is better), the mean over every step and series.
Percentage errors are fractions (0.05 means 5 %); M4 reports sMAPE in percent (``100 * smape``).

The M4 competition's definitions (``Mcompetitions/M4-methods``, ``Evaluation``) are
:func:`smape` (times 100), :func:`mase` and :func:`msis` with the in-sample seasonal naive
scale (:func:`seasonal_naive_scale`, ``m = 24`` for hourly data), each averaged over
series, and :func:`owa` relative to the Naive2 benchmark.
"""

from __future__ import annotations

import numpy as np

EXACT_TOLERANCE = 1e-10  # a naive scale this small relative to the level counts as 0


class ZeroScaleError(ValueError):
    """The seasonal naive forecast is exact in sample, so a scaled error is undefined."""

__all__ = ["mae", "rmse", "mape", "smape", "mase", "pinball_loss", "interval_coverage",
           "msis", "owa", "seasonal_naive_scale", "ZeroScaleError"]


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
    naive = seasonal_naive_scale(y_train, seasonal_period, series_shape=actual.shape[1:])
    errors = np.mean(np.abs(actual - forecast), axis=0) / naive
    return float(np.mean(errors))


def seasonal_naive_scale(y_train, seasonal_period: int = 1, series_shape=None) -> np.ndarray:
    """In-sample mean absolute error of the seasonal naive forecast, per series.

    ``mean(|y[t] - y[t - seasonal_period]|)`` over ``t`` in ``y_train``: the scale of
    :func:`mase` and :func:`msis` (M4's ``masep``).

    Parameters
    ----------
    y_train : array-like of shape (n,) or (n, k)
        The observed series; ``n > seasonal_period``.
    seasonal_period : int, default=1
        Lag of the naive forecast.
    series_shape : tuple, optional
        The expected ``y_train.shape[1:]`` (the series of the forecast being scaled).

    Returns
    -------
    float ndarray of shape ``y_train.shape[1:]``

    Raises
    ------
    ValueError
        When the shapes disagree or the series is too short.
    ZeroScaleError
        A ``ValueError`` when the naive forecast is exact in sample (the scale would be
        0, or rounding of it: at most ``EXACT_TOLERANCE`` of the largest absolute value).
    """
    train = np.asarray(y_train, dtype=np.float64)
    if series_shape is not None and (train.ndim != len(series_shape) + 1
                                     or train.shape[1:] != tuple(series_shape)):
        raise ValueError(f"y_train has shape {train.shape}, which does not match the "
                         f"forecast's series {tuple(series_shape)}")
    if isinstance(seasonal_period, (bool, np.bool_)) or not isinstance(
            seasonal_period, (int, np.integer)) or seasonal_period < 1:
        raise ValueError(f"seasonal_period must be a positive int, got {seasonal_period!r}")
    if len(train) <= seasonal_period:
        raise ValueError(f"y_train has {len(train)} values; the scale needs more than "
                         f"seasonal_period={seasonal_period}")
    if not np.isfinite(train).all():
        position = int(np.flatnonzero(~np.isfinite(train.ravel()))[0])
        raise ValueError(f"y_train has a missing or infinite value at flat position "
                         f"{position}")
    naive = np.mean(np.abs(train[seasonal_period:] - train[:-seasonal_period]), axis=0)
    # Rounding leaves ~1e-15 of the level on an exactly periodic series: still exact.
    if np.any(naive <= EXACT_TOLERANCE * np.max(np.abs(train), axis=0)):
        raise ZeroScaleError("the scale is 0: the seasonal naive forecast is exact on "
                             f"y_train (seasonal_period={seasonal_period})")
    return naive


def interval_coverage(y_true, lower, upper) -> float:
    """Share of actual values inside their interval ``[lower, upper]`` (bounds included).

    Parameters
    ----------
    y_true, lower, upper : array-like of the same shape, (h,) or (h, k)

    Raises
    ------
    ValueError
        When the shapes differ, a value is missing, or a lower bound exceeds its upper one.
    """
    actual, low = _pair(y_true, lower)
    _, high = _pair(actual, upper)
    _check_bounds(low, high)
    return float(np.mean((actual >= low) & (actual <= high)))


def msis(y_true, lower, upper, y_train, seasonal_period: int = 1,
         coverage: float = 0.95) -> float:
    """Mean scaled interval score (M4's interval metric), mean over series.

    Per step ``(u - l) + 2/a (l - y) [y < l] + 2/a (y - u) [y > u]`` with
    ``a = 1 - coverage``, averaged over steps and divided by the in-sample seasonal naive
    error of each series (:func:`seasonal_naive_scale`). Lower is better: narrow intervals
    that contain the outcomes. M4 uses ``coverage=0.95``.

    Parameters
    ----------
    y_true, lower, upper : array-like of shape (h,) or (h, k)
    y_train : array-like of shape (n,) or (n, k)
    seasonal_period : int, default=1
    coverage : float, default=0.95
        The nominal coverage of the interval, in (0, 1).
    """
    actual, low = _pair(y_true, lower)
    _, high = _pair(actual, upper)
    _check_bounds(low, high)
    if isinstance(coverage, (bool, np.bool_)) or not isinstance(coverage, (int, float)) \
            or not 0 < coverage < 1:
        raise ValueError(f"coverage must be a float in (0, 1), got {coverage!r}")
    alpha = 1 - coverage
    score = ((high - low) + 2 / alpha * (low - actual) * (actual < low)
             + 2 / alpha * (actual - high) * (actual > high))
    naive = seasonal_naive_scale(y_train, seasonal_period, series_shape=actual.shape[1:])
    return float(np.mean(np.mean(score, axis=0) / naive))


def owa(smape_value: float, mase_value: float, naive2_smape: float,
        naive2_mase: float) -> float:
    """M4's overall weighted average: the mean of sMAPE and MASE relative to Naive2's.

    ``(smape / naive2_smape + mase / naive2_mase) / 2``, from values already averaged
    over the series (as M4 does); 1 is Naive2's level, lower is better.

    Raises
    ------
    ValueError
        When a Naive2 value is not positive or a value is not finite.
    """
    values = {"smape_value": smape_value, "mase_value": mase_value,
              "naive2_smape": naive2_smape, "naive2_mase": naive2_mase}
    for name, value in values.items():
        if not np.isfinite(value):
            raise ValueError(f"{name} must be finite, got {value!r}")
    for name in ("naive2_smape", "naive2_mase"):
        if values[name] <= 0:
            raise ValueError(f"{name} must be positive, got {values[name]!r}")
    return float((smape_value / naive2_smape + mase_value / naive2_mase) / 2)


def _check_bounds(lower: np.ndarray, upper: np.ndarray) -> None:
    crossed = np.flatnonzero((lower > upper).ravel())
    if crossed.size:
        raise ValueError(f"lower exceeds upper at flat position {int(crossed[0])}")


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
