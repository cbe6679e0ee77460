"""MSTL as the network's partner (``combine_mstl``).

statsforecast's ``MSTL`` (a multi-seasonal STL decomposition whose trend is forecast by
``AutoETS(model="ZZN")`` and whose seasons repeat their last cycle) is fitted here; what
its forecasts need is kept as plain arrays, each series' seasonal cycle and its trend's
last level, slope and damping, so that forecasting, saving and loading need neither
statsforecast nor pickle.
"""

from __future__ import annotations

import numpy as np

INNER_SEASONS = 2  # the inner window that chooses the partner: two seasons
TREND_FIELDS = 4  # a trend row: level, slope, damping, 1.0 for a multiplicative trend


def _mstl_class():
    try:
        from statsforecast.models import MSTL
    except ImportError as error:  # pragma: no cover - statsforecast is a dependency
        raise ImportError("RNNForecaster(combine_mstl=...) needs statsforecast, a "
                          "dependency of seqkit: pip install statsforecast") from error
    return MSTL


def usable_seasons(n_observations: int, seasons) -> list[int]:
    """The seasons STL can estimate from ``n_observations`` values (two cycles and one
    more), in order; empty when the first cannot."""
    usable = [int(s) for s in seasons if s > 1 and n_observations > 2 * s]
    return usable if usable and usable[0] == seasons[0] else []


def fit_mstl(values: np.ndarray, seasons: list[int], period: int) -> tuple:
    """Fit MSTL on one series and keep what its forecasts need.

    Parameters
    ----------
    values : ndarray of shape (n,)
        The observed series, longer than twice each season.
    seasons : list of int
        Its seasonal periods, each dividing ``period``.
    period : int
        The length of the seasonal cycle to return.

    Returns
    -------
    cycle : ndarray of shape (period,)
        The sum of the seasonal components over the ``period`` steps after the data.
    trend : ndarray of shape (TREND_FIELDS,)
        The trend's last level and slope, its damping (1 without), and 1.0 when the
        trend is multiplicative.
    """
    model = _mstl_class()(season_length=list(seasons)).fit(np.asarray(values, float))
    steps = np.arange(period)
    cycle = np.zeros(period)
    for column in model.model_.columns:
        if column.startswith("seasonal"):
            season = int(column[len("seasonal"):] or seasons[0])
            cycle += model.model_[column].to_numpy()[-season:][steps % season]
    ets = model.trend_forecaster.model_
    _, trend_kind, _, damped = ets["components"][:4]
    state = np.asarray(ets["states"])[-1]
    slope = state[1] if trend_kind != "N" else 0.0
    phi = float(ets["par"][3]) if damped != "N" else 1.0
    return cycle, np.array([state[0], slope, phi, float(trend_kind == "M")])


def mstl_forecasts(cycles: np.ndarray, trends: np.ndarray, steps: int) -> np.ndarray:
    """MSTL's point forecasts of the next ``steps`` values of each series, as
    statsforecast computes them (its damped trend adds ``phi`` twice, then ``phi**2``,
    ``phi**3``, ...; the tests check the match).

    Parameters
    ----------
    cycles : ndarray of shape (k, period)
        Each series' seasonal cycle after its data (:func:`fit_mstl`).
    trends : ndarray of shape (k, TREND_FIELDS)
        Each series' trend row.
    steps : int

    Returns
    -------
    ndarray of shape (k, steps)
    """
    level, slope, phi, multiplicative = (trends[:, [i]] for i in range(TREND_FIELDS))
    # statsforecast 2's damped sum: phi, 2 phi, 2 phi + phi^2, ... (h without damping)
    reach = phi + np.cumsum(phi ** np.arange(steps), axis=1) - 1.0
    trend = np.where(multiplicative > 0, level * np.abs(slope) ** reach,
                     level + slope * reach)
    return trend + cycles[:, np.arange(steps) % cycles.shape[1]]


def choose_mstl_weights(own: np.ndarray, partner: np.ndarray,
                        actual: np.ndarray) -> np.ndarray:
    """0.5 where the mean of ``own`` and ``partner`` has the lower mean absolute error
    on ``actual`` (rows are series), else 0 (ties keep ``own``)."""
    mean_error = np.abs((own + partner) / 2 - actual).mean(axis=1)
    return np.where(mean_error < np.abs(own - actual).mean(axis=1), 0.5, 0.0)
