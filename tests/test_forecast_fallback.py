"""The statistical base and the per-series choice of its weight (seqkit.forecasting._fallback)."""

import numpy as np
import pandas as pd
import pytest

from seqkit.forecasting import RNNForecaster
from seqkit.forecasting._fallback import (
    BLEND_WEIGHTS,
    base_quantiles,
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
    assert (band["lower"] < band["upper"]).all()
    for override in (dict(early_stopping=False), dict(fallback=False), dict(fallback=True)):
        assert RNNForecaster(**tiny, **override).fit(y).base_weight_.tolist() == [0.0]


def test_a_short_series_in_a_panel_takes_the_base_and_leaves_the_others_validated():
    """Round 8's rule per series: one series too short to validate no longer turns
    validation off for the whole panel (which sent every series to the base)."""
    t = np.arange(200)
    longer = {f"s{k}": 50 + 0.2 * t + 5 * np.sin(2 * np.pi * t / 12 + k)
              + np.random.default_rng(k).normal(0, 1, 200) for k in range(3)}
    frame = pd.concat(
        [pd.DataFrame({"unique_id": name, "ds": np.arange(200), "y": values})
         for name, values in longer.items()]
        + [pd.DataFrame({"unique_id": "short", "ds": np.arange(155, 200),
                         "y": longer["s0"][155:] + 3.0})])
    model = RNNForecaster(units=4, epochs=2, ensemble_size=1, seasonal_period=12,
                          random_state=0).fit(frame)
    assert model.series_ids_ == ["s0", "s1", "s2", "short"]
    assert model.early_stopping_used_ and model.validated_.tolist() == [True] * 3 + [False]
    assert model.base_weight_[3] == 1.0
    assert model.base_interval_.tolist() == [False] * 3 + [True]
    forecast = model.predict(12)
    short = frame[frame["unique_id"] == "short"]["y"].to_numpy()
    np.testing.assert_allclose(forecast.loc[forecast["unique_id"] == "short", "y"],
                               short[-12:])  # seasonal naive
    quantiles = model.predict_quantiles(12, quantiles=(0.1, 0.5, 0.9))
    mine = quantiles[quantiles["unique_id"] == "short"]
    expected = base_quantiles(short, 12, short[-12:], (0.1, 0.5, 0.9))
    np.testing.assert_allclose(mine[[0.1, 0.5, 0.9]].to_numpy(), expected)
    alone = RNNForecaster(units=4, epochs=2, ensemble_size=1, seasonal_period=12,
                          random_state=0).fit(frame[frame["unique_id"] != "short"])
    assert alone.validated_.all() and not alone.base_interval_.any()


def test_a_series_too_short_to_train_on_is_forecast_if_it_holds_one_input_window():
    """A panel may hold a series with fewer than window + horizon + lag observations (a
    new product, say) as long as another series trains the network: it has no windows
    of its own, and with the defaults it takes the base."""
    t = np.arange(120)
    parts = [pd.DataFrame({"unique_id": name, "ds": t[-n:],
                           "y": 50 + 0.2 * t[-n:] + 5 * np.sin(2 * np.pi * t[-n:] / 12)
                           + np.random.default_rng(n).normal(0, 1, n)})
             for name, n in (("long", 120), ("new", 30))]
    tiny = dict(units=4, epochs=2, ensemble_size=1, seasonal_period=12, random_state=0)
    model = RNNForecaster(**tiny).fit(pd.concat(parts))  # window 12 + horizon 12 + lag 12
    assert model.series_ids_ == ["long", "new"]
    assert model._origin_counts()[0].tolist() == [85, 0]
    assert model.validated_.tolist() == [True, False] and model.base_weight_[1] == 1.0
    assert model.base_interval_.tolist() == [False, True]
    forecast = model.predict(12)
    np.testing.assert_allclose(forecast.loc[forecast["unique_id"] == "new", "y"],
                               parts[1]["y"].to_numpy()[-12:])
    network = RNNForecaster(**tiny, fallback=False, early_stopping=True).fit(pd.concat(parts))
    assert network.validated_.tolist() == [True, False]
    assert network.predict(3)["y"].notna().all()
    long, new = parts
    with pytest.raises(ValueError, match=r"y series 'new' has 23 observations, too short "
                                         r"for window=12 \+ seasonal lag 12 = 24; use a "
                                         r"shorter window or seasonal_difference=False"):
        RNNForecaster(**tiny).fit(pd.concat([long, new.iloc[-23:]]))
    with pytest.raises(ValueError, match=r"y series 'long' has 30 observations, too short "
                                         r"for window=12 \+ horizon=12 \+ seasonal lag 12 "
                                         r"= 36 \(the longest series"):
        RNNForecaster(**tiny).fit(pd.concat([long.iloc[-30:], new]))


def test_base_quantiles_are_normal_with_the_textbook_standard_errors():
    values = np.array([0.0, 1.0, 0.0, 3.0, 2.0, 5.0])  # lag 2 errors 0, 2, 2, 2
    median = np.array([2.0, 5.0, 2.0, 5.0, 2.0])
    quantiles = base_quantiles(values, 2, median, (0.1, 0.5, 0.9))
    np.testing.assert_array_equal(quantiles[:, 1], median)
    sigma = np.sqrt((0 + 4 + 4 + 4) / 4)
    # seasonal naive: one season ahead sigma, two seasons sqrt(2) sigma, three sqrt(3)
    expected = 1.2815515655446004 * sigma * np.sqrt([1, 1, 2, 2, 3])
    np.testing.assert_allclose(quantiles[:, 2] - median, expected)
    np.testing.assert_allclose(quantiles[:, 0] - median, -expected)
    naive = base_quantiles(values, 0, median[:3], (0.5, 0.975))  # errors 1, -1, 3, -1, 3
    np.testing.assert_allclose(naive[:, 1] - naive[:, 0],
                               1.959963984540054 * np.sqrt(21 / 5) * np.sqrt([1, 2, 3]))


def test_series_too_short_to_validate_take_the_base_interval_and_it_covers():
    """Round 11: 20 noisy seasonal series of 48 months (too short to validate) get the
    base's normal-theory interval, whose 90 % covers the next year about as often as
    it says; validated fits and calibrate=False keep the network's intervals."""
    rng = np.random.default_rng(3)
    t = np.arange(60)
    frame = pd.DataFrame({f"s{i}": 50 + 10 * np.sin(2 * np.pi * t / 12)
                          + rng.normal(0, 2, 60) for i in range(20)},
                         index=pd.period_range("2001-01", periods=60, freq="M"))
    train, test = frame.iloc[:48], frame.iloc[48:]
    tiny = dict(units=4, epochs=1, ensemble_size=1, random_state=0)
    model = RNNForecaster(**tiny).fit(train)
    assert model.base_interval_.all() and not model.early_stopping_used_
    band = model.predict_interval(12, coverage=0.9)
    expected = base_quantiles(train["s3"].to_numpy(), 12, train["s3"].to_numpy()[-12:],
                              (0.05, 0.95))
    np.testing.assert_allclose(band["s3"].to_numpy(), expected)
    inside = ((test >= band.xs("lower", axis=1, level=1))
              & (test <= band.xs("upper", axis=1, level=1))).to_numpy()
    assert 0.8 <= inside.mean() <= 0.98, inside.mean()
    medians = model.predict(12).to_numpy()
    model.base_interval_ = True  # as saved when it was one bool for the whole panel
    np.testing.assert_array_equal(model.predict_interval(12, coverage=0.9).to_numpy(),
                                  band.to_numpy())
    del model.base_interval_  # a forecaster saved before it existed: the network's spread
    assert not np.allclose(model.predict_interval(12, coverage=0.9).to_numpy(),
                           band.to_numpy())
    np.testing.assert_array_equal(model.predict(12).to_numpy(), medians)
    assert not RNNForecaster(**tiny, early_stopping=True).fit(train).base_interval_.any()
    assert not RNNForecaster(**tiny, calibrate=False).fit(train).base_interval_.any()


def test_short_series_forecast_by_the_network_take_the_base_interval_around_it():
    """Round 13: with fallback=False, a series too short to validate keeps the network's
    median and takes the base's normal-theory spread around it (the network's own
    spread, calibrated on the windows it fitted, covered 0.14-0.47 at 90 %); round 15:
    so does early_stopping=False, unless the series is long enough to validate."""
    rng = np.random.default_rng(3)
    t = np.arange(48)
    y = pd.Series(50 + 10 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 2, 48),
                  index=pd.period_range("2001-01", periods=48, freq="M"))
    tiny = dict(units=4, epochs=1, ensemble_size=1, random_state=0)
    model = RNNForecaster(**tiny, fallback=False).fit(y)
    assert model.base_interval_.tolist() == [True] and model.base_weight_.tolist() == [0.0]
    median = model.predict(12).to_numpy()
    assert not np.allclose(median, y.to_numpy()[-12:])  # the network's, not the base's
    band = model.predict_interval(12, coverage=0.9)
    np.testing.assert_allclose(band.to_numpy(),
                               base_quantiles(y.to_numpy(), 12, median, (0.05, 0.95)))
    unstopped = RNNForecaster(**tiny, early_stopping=False).fit(y)
    assert unstopped.base_interval_.tolist() == [True] and not unstopped.early_stopping_used_
    long = pd.Series(50 + 10 * np.sin(2 * np.pi * np.arange(120) / 12)
                     + rng.normal(0, 2, 120),
                     index=pd.period_range("2001-01", periods=120, freq="M"))
    unvalidated_long = RNNForecaster(**tiny, early_stopping=False).fit(long)
    assert unvalidated_long.base_interval_.tolist() == [False]
