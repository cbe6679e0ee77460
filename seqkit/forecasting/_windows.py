"""The network's inputs: which forecast origins train, and the window read at each.

Each training sample is a forecast origin of one series: the ``window`` transformed
values before it (with the series' covariates) and, when the network reads ahead, the
``horizon`` steps after it (known-future covariates, the value a long season earlier).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Windowing:
    """How a window is cut at a forecast origin.

    Attributes
    ----------
    window : int
        Observed steps the network reads.
    horizon : int
        Steps it forecasts.
    long_lag : int
        The second season (each step also reads the value this many steps earlier), 0
        for none.
    anchor : bool
        Whether values are taken relative to the window's last value.
    """

    window: int
    horizon: int
    long_lag: int
    anchor: bool

    def inputs(self, z: np.ndarray, past: np.ndarray, future: np.ndarray,
               origins) -> tuple[np.ndarray, np.ndarray]:
        """Network inputs of one series at each origin, and their anchors.

        Each window holds ``window`` observed steps ``[value, past, future, long, 0]``;
        with known-future covariates or a second season it continues with ``horizon``
        steps ``[0, 0, future, long, 1]``, where ``long`` is the value ``long_lag``
        steps earlier (no such column without a second season; 0 relative to the
        anchor where that is before the series starts). With ``anchor``,
        values are relative to the window's last value (its anchor).

        Parameters
        ----------
        z : ndarray of shape (T,)
            The transformed series.
        past, future : ndarray of shape (T + forecast steps, P) and (..., F)
            Its scaled covariate rows.
        origins : array-like of int
            Positions in ``z`` of the first forecast step of each window.

        Returns
        -------
        windows : ndarray of shape (len(origins), steps, features), float32
        anchors : ndarray of shape (len(origins),), zeros without ``anchor``
        """
        origins = np.asarray(origins, dtype=np.int64)
        seen_steps = origins[:, None] + np.arange(-self.window, 0)
        anchors = z[origins - 1] if self.anchor else np.zeros(len(origins))

        def relative(steps):
            return (z[steps] - anchors[:, None])[..., None]

        def season_before(steps):
            """The value ``long_lag`` steps earlier; "no change" (0 relative to the
            anchor) before the series starts."""
            if not self.long_lag:
                return []
            earlier = steps - self.long_lag
            seen = earlier >= 0
            return [np.where(seen[..., None], relative(np.where(seen, earlier, 0)), 0.0)]

        reads_ahead = bool(future.shape[1] or self.long_lag)
        parts = [relative(seen_steps), past[seen_steps], future[seen_steps],
                 *season_before(seen_steps)]
        if reads_ahead:
            parts.append(np.zeros(seen_steps.shape + (1,)))
        windows = np.concatenate(parts, axis=-1)
        if reads_ahead:
            ahead_steps = origins[:, None] + np.arange(self.horizon)
            ahead = np.concatenate([np.zeros(ahead_steps.shape + (1 + past.shape[1],)),
                                    future[ahead_steps], *season_before(ahead_steps),
                                    np.ones(ahead_steps.shape + (1,))], axis=-1)
            windows = np.concatenate([windows, ahead], axis=1)
        return windows.astype(np.float32), anchors.astype(np.float64)


def carry_past_forward(past: np.ndarray, future: np.ndarray,
                       origin: int) -> tuple[np.ndarray, np.ndarray]:
    """Covariate rows as a forecast from ``origin`` sees them.

    Past covariates are known only before the origin: from it on, their last known row
    is carried forward, as :meth:`RNNForecaster.predict` does after the data.

    Parameters
    ----------
    past, future : ndarray of shape (T, P) and (T, F)
        A series' scaled covariate rows.
    origin : int
        Position of the first forecast step (at least 1).

    Returns
    -------
    past, future : the past rows carried forward (a copy), the future rows as given
    """
    if not past.shape[1]:
        return past, future
    carried = past.copy()
    carried[origin:] = past[origin - 1]
    return carried, future


def sample_origins(sizes, starts, first: int, budget: int, rng) -> list[np.ndarray]:
    """Forecast origins of each series, a random share of them above ``budget``.

    Series ``i`` has the origins ``first + starts[i] .. first + starts[i] + sizes[i] - 1``;
    when ``sum(sizes)`` exceeds ``budget``, the same share ``budget / sum(sizes)`` of each
    series' origins is drawn (at least one of a series that has any), in time order.

    Parameters
    ----------
    sizes, starts : array-like of int, one per series
    first : int
        The first possible origin (the steps a window reads before it).
    budget : int
        Most origins in all.
    rng : numpy.random.Generator

    Returns
    -------
    list of ndarray of int
    """
    share = min(1.0, budget / max(int(np.sum(sizes)), 1))
    chosen = []
    for size, start in zip(sizes, starts, strict=True):
        origins = np.arange(start, start + size) + first
        if share < 1 and size:
            keep = max(int(round(share * size)), 1)
            origins = np.sort(rng.choice(origins, size=keep, replace=False))
        chosen.append(origins)
    return chosen
