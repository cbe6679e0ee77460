"""Forecasting of pandas time series with recurrent networks.

* :class:`RNNForecaster` — fit / predict / predict_quantiles / predict_interval / update;
* :func:`backtest` — expanding-window evaluation with a table of errors.
"""

from seqkit.forecasting._backtest import backtest
from seqkit.forecasting._estimator import RNNForecaster

__all__ = ["RNNForecaster", "backtest"]
