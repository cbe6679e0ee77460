"""Split-conformal calibration of quantile forecasts: rescale distances from the median.

The quantile heads are trained with the pinball loss on few, overlapping windows, so their
spread can be too wide or too narrow. On held-out targets, each quantile's distance from
the median is multiplied by the factor that makes the share of targets below it equal to
its level; ordering is kept. The factors are measured per forecast step, for the first
block and for each recursive block after it, and optionally once more per series.
"""

from __future__ import annotations

import numpy as np


def spread_factors(actual: np.ndarray, quantiles: np.ndarray, levels) -> np.ndarray:
    """Conformal factor per quantile level for its distance from the median.

    For a level ``q`` above the median the factor is the conformal ``q``-quantile (rank
    ``ceil(q (n + 1))``) of ``(actual - median) / (quantile_q - median)``, so that a share
    ``q`` of the targets falls below the rescaled quantile; a level below the median
    mirrors it with ``1 - q``. The median keeps factor 1.

    Parameters
    ----------
    actual : ndarray of shape (n, ...)
        Held-out targets.
    quantiles : ndarray of shape (n, ..., len(levels))
        Their ordered quantile forecasts.
    levels : sequence of float
        Increasing levels, containing 0.5.

    Returns
    -------
    ndarray of shape (len(levels),)
    """
    levels = np.asarray(levels, dtype=np.float64)
    median = quantiles[..., int(np.flatnonzero(levels == 0.5)[0])][..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = ((actual[..., None] - median) / (quantiles - median)).reshape(-1, len(levels))
    factors = np.ones(len(levels))
    for position, level in enumerate(levels):
        values = np.sort(ratio[np.isfinite(ratio[:, position]), position])
        if level == 0.5 or values.size == 0:
            continue
        # below the median: (actual - m) / (q - m) <= f  <=>  actual >= m + f (q - m)
        share = level if level > 0.5 else 1 - level
        rank = min(int(np.ceil(share * (values.size + 1))), values.size) - 1
        factors[position] = max(values[rank], 0.0)
    return factors


def step_factors(actual: np.ndarray, quantiles: np.ndarray, levels,
                 min_per_step: int) -> np.ndarray:
    """Factors of each forecast step of a block, or one set pooled over its steps.

    Parameters
    ----------
    actual : ndarray of shape (n, h)
        Held-out targets of ``n`` forecasts of ``h`` steps.
    quantiles : ndarray of shape (n, h, len(levels))
        Their ordered quantile forecasts.
    levels : sequence of float
        Increasing levels, containing 0.5.
    min_per_step : int
        With fewer forecasts, the factors are pooled over the ``h`` steps.

    Returns
    -------
    ndarray of shape (h, len(levels))
    """
    if len(actual) < min_per_step:
        return np.tile(spread_factors(actual, quantiles, levels), (actual.shape[1], 1))
    return np.stack([spread_factors(actual[:, step], quantiles[:, step], levels)
                     for step in range(actual.shape[1])])


def series_factors(owner: np.ndarray, actual: np.ndarray, quantiles: np.ndarray, levels,
                   n_series: int) -> np.ndarray:
    """Each series' own factors, pooled over all its forecasts and their steps.

    Parameters
    ----------
    owner : ndarray of int, shape (n,)
        The series of each forecast.
    actual : ndarray of shape (n, h)
        Held-out targets.
    quantiles : ndarray of shape (n, h, len(levels))
        Their ordered quantile forecasts, already rescaled by the pooled factors.
    levels : sequence of float
        Increasing levels, containing 0.5.
    n_series : int

    Returns
    -------
    ndarray of shape (n_series, len(levels))
        Ones for a series without forecasts.
    """
    factors = np.ones((n_series, len(levels)))
    for series in np.unique(owner):
        mine = owner == series
        factors[series] = spread_factors(actual[mine], quantiles[mine], levels)
    return factors


def rescale_spreads(quantiles: np.ndarray, factors: np.ndarray, median: int) -> np.ndarray:
    """Multiply each quantile's distance from the median by its factor, keeping order.

    Parameters
    ----------
    quantiles : ndarray of shape (..., q)
        Ordered quantiles.
    factors : ndarray broadcastable to ``quantiles``' shape, last axis q
        From :func:`spread_factors` (per step, per series: stacked).
    median : int
        Position of the median on the last axis.

    Returns
    -------
    ndarray of shape (..., q)
        Each distance from the median at least the next inner one's, so ordered.
    """
    center = quantiles[..., median: median + 1]
    distance = np.abs(quantiles - center) * factors
    below = np.maximum.accumulate(distance[..., median::-1], axis=-1)[..., ::-1]
    above = np.maximum.accumulate(distance[..., median:], axis=-1)
    return center + np.concatenate([-below[..., :-1], above], axis=-1)
