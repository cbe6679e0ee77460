"""The statistical base and the per-series choice of its weight (seqkit.forecasting._fallback)."""

import numpy as np
import pandas as pd

from seqkit.forecasting import RNNForecaster
from seqkit.forecasting._fallback import (
    BLEND_WEIGHTS,
    choose_base_weights,
    level_errors,
)


def test_level_errors_accumulate_over_the_seasonal_lag():
    errors = np.array([[1.0, -1.0, 1.0, 1.0]])
    # lag 2: level errors 1, -1, 1 + 1, 1 - 1
    assert level_errors(errors, lag=2).tolist() == [(1 + 1 + 2 + 0) / 4]
    assert level_errors(errors, lag=0).tolist() == [1.0]


def test_each_series_takes_the_weight_of_lowest_error_and_ties_go_to_the_base():
    actual = np.zeros((4, 2))
    median = np.array([[1.0, 1.0], [1.0, 1.0], [0.0, 0.0], [2.0, 2.0]])
    base = np.array([[-1.0, -1.0], [-1.0, -1.0], [0.0, 0.0], [0.0, 0.0]])
    owner = np.array([0, 0, 1, 2])
    chosen = choose_base_weights(median, base - median, actual, owner, BLEND_WEIGHTS,
                                 lag=0, weights=np.array([0.0, 0.0, 0.0, 0.7]))
    # series 0: the mean of +1 and -1 is exact; series 1: a tie, the base wins;
    # series 2: the base is exact; series 3 has no windows and keeps its weight
    assert chosen.tolist() == [0.5, 1.0, 1.0, 0.7]


def test_series_too_short_to_validate_take_the_base_with_blend():
    """Round 8: 36 months (one window) with the defaults forecast seasonal naive."""
    t = np.arange(36)
    y = pd.Series(100 + 2 * t + 10 * np.sin(2 * np.pi * t / 12),
                  index=pd.period_range("2001-01", periods=36, freq="M"))
    tiny = dict(units=4, epochs=1, ensemble_size=1, random_state=0)
    short = RNNForecaster(**tiny).fit(y)
    assert not short.early_stopping_used_ and short.base_weight_.tolist() == [1.0]
    np.testing.assert_allclose(short.predict(12).to_numpy(), y.iloc[-12:].to_numpy())
    band = short.predict_interval(12, coverage=0.8)
    assert (band["lower"] < band["upper"]).all()  # the network still gives the spread
    for override in (dict(early_stopping=False), dict(fallback=False), dict(fallback=True)):
        assert RNNForecaster(**tiny, **override).fit(y).base_weight_.tolist() == [0.0]
