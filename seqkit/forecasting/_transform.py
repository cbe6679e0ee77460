"""Per-series target transform: optional log, seasonal differencing, standardisation.

The network learns on the transformed values; forecasts are mapped back with
:meth:`SeriesTransform.inverse`, which is increasing in every forecast value, so quantile
paths that do not cross stay uncrossed after the inverse.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SeriesTransform:
    """The fitted transform of ``k`` series.

    Attributes
    ----------
    log : ndarray of bool, shape (k,)
        Which series are log-transformed.
    lag : int
        Seasonal differencing lag (0: no differencing).
    mean, scale : ndarray of shape (k,)
        Standardisation of the (logged, differenced) values.
    """

    log: np.ndarray
    lag: int
    mean: np.ndarray
    scale: np.ndarray

    @classmethod
    def fit(cls, values: np.ndarray, *, log, lag: int, standardise: bool,
            names=None) -> SeriesTransform:
        """Fit the transform to ``values`` of shape (T, k).

        Parameters
        ----------
        log : bool or "auto"
            "auto": log each series whose values are all positive.
        lag : int
            Seasonal differencing lag, 0 for none.
        standardise : bool
            Whether to standardise each series.
        names : sequence, optional
            Column names for errors.
        """
        names = list(names) if names is not None else list(range(values.shape[1]))
        positive = (values > 0).all(axis=0)
        if log == "auto":
            use_log = positive
        else:
            use_log = np.full(values.shape[1], bool(log))
            if log and not positive.all():
                bad = names[int(np.flatnonzero(~positive)[0])]
                raise ValueError(f"log=True needs positive values, but series {bad!r} has "
                                 f"values <= 0; use log=False or log='auto'")
        level = _apply_log(values, use_log)
        differenced = level[lag:] - level[:-lag] if lag else level
        if standardise:
            mean = differenced.mean(axis=0)
            scale = differenced.std(axis=0)
            scale[~(scale > 1e-12)] = 1.0
        else:
            mean = np.zeros(values.shape[1])
            scale = np.ones(values.shape[1])
        return cls(use_log, lag, mean, scale)

    def transform(self, values: np.ndarray) -> np.ndarray:
        """Transformed values of shape (T - lag, k)."""
        level = _apply_log(values, self.log)
        differenced = level[self.lag:] - level[:-self.lag] if self.lag else level
        return (differenced - self.mean) / self.scale

    def inverse(self, future: np.ndarray, history: np.ndarray,
                median: int | None = None) -> np.ndarray:
        """Map transformed forecasts back to the original scale.

        Parameters
        ----------
        future : ndarray of shape (h, k) or (h, k, q)
            Transformed forecasts; with ``q``, ordered quantile paths.
        history : ndarray of shape (T, k)
            Observed values the forecasts follow (the last ``lag`` are used).
        median : int, optional
            Index of the median on the quantile axis. Undoing seasonal differencing
            then adds a quantile's distance from the median to the distance of the
            quantile one season earlier in quadrature (independent errors), which keeps
            the quantiles ordered. Without it each path is undone on its own.

        Returns
        -------
        ndarray, shaped as ``future``
        """
        extra = (1,) * (future.ndim - 2)
        values = future * self.scale.reshape(-1, *extra) + self.mean.reshape(-1, *extra)
        if self.lag and median is not None:
            center = self._undifference(values[..., median], history)
            side = np.sign(np.arange(values.shape[-1]) - median)
            spread = np.zeros((self.lag + len(values),) + values.shape[1:])
            for step in range(len(values)):
                gap = values[step] - values[step][..., median: median + 1]
                spread[self.lag + step] = side * np.hypot(gap, spread[step])
            values = center[..., None] + spread[self.lag:]
        elif self.lag:
            values = self._undifference(values, history)
        logged = self.log.reshape(-1, *extra)
        return np.where(logged, np.exp(np.where(logged, values, 0.0)), values)

    def _undifference(self, values: np.ndarray, history: np.ndarray) -> np.ndarray:
        """Levels from seasonal differences ``values`` (h, k, ...) after ``history``."""
        extra = (1,) * (values.ndim - 2)
        previous = _apply_log(history[-self.lag:], self.log)
        level = np.empty((self.lag + len(values),) + values.shape[1:])
        level[: self.lag] = previous.reshape(previous.shape + extra)
        for step in range(len(values)):
            level[self.lag + step] = level[step] + values[step]
        return level[self.lag:]


def _apply_log(values: np.ndarray, use_log: np.ndarray) -> np.ndarray:
    safe = np.where(use_log, np.maximum(values, 1e-300), 1.0)
    return np.where(use_log, np.log(safe), values)
