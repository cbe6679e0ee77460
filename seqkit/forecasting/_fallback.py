"""The statistical base forecast, and each series' weight on it (``fallback``).

The network's median is compared, on windows it did not train on, with the base
(seasonal naive with seasonal differencing, naive without) and, with
``fallback="blend"``, with the mean of the two; each series keeps the one of lowest mean
absolute error on the level of the series.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np

BLEND_WEIGHTS = (1.0, 0.5, 0.0)  # ordered so that ties go to the base
SWITCH_WEIGHTS = (1.0, 0.0)


def base_forecast(transforms, lag: int, owner: np.ndarray, last: np.ndarray) -> np.ndarray:
    """The base forecast on the transformed scale, one value per window.

    With seasonal differencing, seasonal naive: every future seasonal difference is 0,
    the standardised value ``-mean / scale`` of the window's series. Without, naive: the
    last transformed value.

    Parameters
    ----------
    transforms : list of SeriesTransform
        Each series' fitted transform.
    lag : int
        The seasonal differencing lag, 0 for none.
    owner : ndarray of int, shape (n,)
        The series of each window.
    last : ndarray of shape (n,)
        The last transformed value before each window's first forecast step.

    Returns
    -------
    ndarray of shape (n,), the same for every step of the horizon
    """
    if not lag:
        return np.asarray(last, dtype=np.float64)
    mean = np.array([transform.mean[0] for transform in transforms])
    scale = np.array([transform.scale[0] for transform in transforms])
    return (-mean / scale)[owner]


def base_quantiles(values: np.ndarray, lag: int, median: np.ndarray,
                   levels) -> np.ndarray:
    """The base's normal-theory quantiles around ``median``, on the data's scale.

    The textbook interval of the benchmark methods (Hyndman and Athanasopoulos,
    *Forecasting: Principles and Practice*, section 5.5): ``sigma`` is the root mean
    square of the base's in-sample errors, ``y[t] - y[t - lag]`` (seasonal naive) or
    ``y[t] - y[t - 1]`` (naive, ``lag`` 0), and step ``h`` has the standard error
    ``sigma * sqrt(k)``, ``k = (h - 1) // lag + 1`` for seasonal naive and ``h`` for
    naive.

    Parameters
    ----------
    values : ndarray of shape (n,)
        The observed series, longer than ``max(lag, 1)``.
    lag : int
        The seasonal lag, 0 for naive.
    median : ndarray of shape (h,)
        The point forecast of the next ``h`` steps.
    levels : sequence of float
        Quantile levels in (0, 1).

    Returns
    -------
    ndarray of shape (h, len(levels))
    """
    values = np.asarray(values, dtype=np.float64)
    period = lag or 1
    sigma = np.sqrt(np.mean((values[period:] - values[:-period]) ** 2))
    steps = np.arange(len(median))
    repeats = steps // lag + 1 if lag else steps + 1
    z = np.array([NormalDist().inv_cdf(level) for level in levels])
    return np.asarray(median, dtype=np.float64)[:, None] + sigma * np.sqrt(repeats)[:, None] * z


def level_errors(errors: np.ndarray, lag: int) -> np.ndarray:
    """Mean absolute error on the level of each window, from errors on its differences.

    A forecast of the level ``h`` steps ahead accumulates the errors of the (seasonal)
    differences at ``h, h - lag, h - 2 lag, ...``.

    Parameters
    ----------
    errors : ndarray of shape (n, horizon)
    lag : int
        The seasonal differencing lag, 0 for none (the errors are then on the level).

    Returns
    -------
    ndarray of shape (n,)
    """
    level = np.array(errors, dtype=np.float64)
    if lag:
        for step in range(lag, level.shape[1]):
            level[:, step] += level[:, step - lag]
    return np.abs(level).mean(axis=1)


def choose_base_weights(median: np.ndarray, gap: np.ndarray, actual: np.ndarray,
                        owner: np.ndarray, candidates, lag: int,
                        weights: np.ndarray) -> np.ndarray:
    """Each series' weight on the base: the candidate of lowest level error on its windows.

    Parameters
    ----------
    median : ndarray of shape (n, horizon)
        The network's median forecasts of ``n`` windows (transformed scale).
    gap : ndarray of shape (n, horizon)
        The base forecast minus ``median``.
    actual : ndarray of shape (n, horizon)
        The targets.
    owner : ndarray of int, shape (n,)
        The series of each window.
    candidates : sequence of float
        The weights to choose from; on ties, the first one wins.
    lag : int
        The seasonal differencing lag.
    weights : ndarray of shape (n_series,)
        The starting weights; series without windows keep theirs.

    Returns
    -------
    ndarray of shape (n_series,)
    """
    chosen = np.array(weights, dtype=np.float64)
    errors = np.stack([level_errors(median + w * gap - actual, lag) for w in candidates],
                      axis=1)  # (windows, candidates)
    for series in np.unique(owner):
        mine = owner == series
        chosen[series] = candidates[int(np.argmin(errors[mine].mean(axis=0)))]
    return chosen
