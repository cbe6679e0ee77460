"""Forecasting of pandas time series with recurrent networks.

* :class:`RNNForecaster` — fit / predict / predict_quantiles / predict_interval / update;
* :func:`backtest` — expanding-window evaluation with a table of errors;
* :class:`SktimeAdapter` — the forecaster as an sktime forecaster (needs
  ``pip install "seqkit[sktime]"``; sktime is imported only when it is first used).
"""

from seqkit.forecasting._backtest import backtest
from seqkit.forecasting._estimator import RNNForecaster

__all__ = ["RNNForecaster", "backtest"]


def __getattr__(name):
    # Lazy, so that importing seqkit never imports sktime.
    if name == "SktimeAdapter":
        from seqkit.forecasting._sktime import SktimeAdapter

        return SktimeAdapter
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), "SktimeAdapter"])
