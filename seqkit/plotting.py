"""Plot helpers (matplotlib is an optional extra: ``pip install seqkit[plot]``)."""

from __future__ import annotations

import pandas as pd


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError(
            "plotting needs matplotlib; install it with `pip install seqkit[plot]` "
            "or `pip install matplotlib`"
        ) from error
    return plt


def _x(index: pd.Index):
    """Values matplotlib can place on one axis (periods become timestamps)."""
    return index.to_timestamp() if isinstance(index, pd.PeriodIndex) else index


def plot_forecast(history: pd.Series, forecast: pd.Series, interval: pd.DataFrame | None = None,
                  actual: pd.Series | None = None, *, ax=None, title: str | None = None,
                  label: str = "forecast"):
    """Plot a series' history, its forecast and, optionally, an interval band.

    Parameters
    ----------
    history : pandas Series
        The observed series.
    forecast : pandas Series
        The point forecast (e.g. :meth:`seqkit.forecasting.RNNForecaster.predict`).
    interval : DataFrame with columns ``lower`` and ``upper``, optional
        E.g. :meth:`~seqkit.forecasting.RNNForecaster.predict_interval`; drawn as a band.
    actual : pandas Series, optional
        Observed values over the forecast period, to compare with.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    title : str, optional
    label : str, default="forecast"
        Legend entry of the forecast.

    Returns
    -------
    matplotlib Axes
    """
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4))
    ax.plot(_x(history.index), history.to_numpy(), color="black", lw=1.2, label="history")
    if actual is not None:
        ax.plot(_x(actual.index), actual.to_numpy(), color="black", lw=1.2, ls="--",
                label="actual")
    ax.plot(_x(forecast.index), forecast.to_numpy(), color="tab:blue", lw=1.8, label=label)
    if interval is not None:
        ax.fill_between(_x(interval.index), interval["lower"].to_numpy(),
                        interval["upper"].to_numpy(), color="tab:blue", alpha=0.2,
                        label="interval")
    if title:
        ax.set_title(title)
    ax.legend(loc="upper left")
    return ax
