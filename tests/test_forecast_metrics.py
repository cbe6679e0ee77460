"""Forecast metrics against hand-computed values."""

import numpy as np
import pandas as pd
import pytest

from seqkit.forecast_metrics import (
    interval_coverage,
    mae,
    mape,
    mase,
    msis,
    owa,
    pinball_loss,
    rmse,
    seasonal_naive_scale,
    smape,
)

ACTUAL = np.array([100.0, 110.0, 120.0, 130.0])
FORECAST = np.array([90.0, 110.0, 126.0, 140.0])


def test_point_metrics():
    assert mae(ACTUAL, FORECAST) == pytest.approx((10 + 0 + 6 + 10) / 4)
    assert rmse(ACTUAL, FORECAST) == pytest.approx(np.sqrt((100 + 0 + 36 + 100) / 4))
    assert mape(ACTUAL, FORECAST) == pytest.approx((0.1 + 0 + 0.05 + 10 / 130) / 4)
    expected = np.mean([20 / 190, 0, 12 / 246, 20 / 270])
    assert smape(ACTUAL, FORECAST) == pytest.approx(expected)
    assert smape([0.0], [0.0]) == 0.0


def test_pandas_and_several_series():
    frame = pd.DataFrame({"a": ACTUAL, "b": ACTUAL * 2})
    assert mae(frame, frame + 1) == pytest.approx(1.0)


def test_mase_seasonal_period():
    train = np.array([1.0, 2, 3, 4, 2, 3, 4, 5])  # seasonal naive (4) error: 1 each
    assert mase([3.0, 4.0], [3.5, 5.0], train, seasonal_period=4) == pytest.approx(0.75)
    naive_1 = np.mean(np.abs(np.diff(train)))
    assert mase([3.0], [4.0], train) == pytest.approx(1 / naive_1)
    two = np.column_stack([train, train * 10])
    assert mase(np.array([[3.0, 30.0]]), np.array([[4.0, 40.0]]), two,
                seasonal_period=4) == pytest.approx(1.0)


def test_pinball_loss():
    actual = np.array([10.0, 10.0])
    quantiles = np.array([[8.0, 10.0, 12.0], [11.0, 12.0, 13.0]])
    levels = (0.1, 0.5, 0.9)
    expected = np.mean([0.1 * 2, 0, 0.1 * 2, 0.9 * 1, 0.5 * 2, 0.1 * 3])
    assert pinball_loss(actual, quantiles, levels) == pytest.approx(expected)


@pytest.mark.parametrize("call, message", [
    (lambda: mae([1.0, 2.0], [1.0]), "shape"),
    (lambda: mape([0.0, 1.0], [1.0, 1.0]), "y_true is 0"),
    (lambda: mase([1.0], [1.0], [1.0, 2.0], seasonal_period=4), "more than seasonal_period"),
    (lambda: mase([1.0], [1.0], [1.0, 1.0, 1.0]), "exact on y_train"),
    # exactly periodic: the naive errors are rounding (~1e-15 of the level), not 0
    (lambda: mase([1.0], [1.0], 100 + np.sin(2 * np.pi * np.arange(500) / 12), 12),
     r"exact on y_train \(seasonal_period=12\)"),
    (lambda: mase([1.0], [1.0], [[1.0, 2.0]] * 3), "does not match"),
    (lambda: interval_coverage([1.0], [2.0], [1.0]), "lower exceeds upper at flat position 0"),
    (lambda: msis([1.0], [0.0], [2.0], [1.0, 2.0, 4.0], coverage=95), "coverage must be"),
    (lambda: owa(10.0, 1.0, 0.0, 1.0), "naive2_smape must be positive"),
    (lambda: owa(np.nan, 1.0, 1.0, 1.0), "smape_value must be finite"),
    (lambda: seasonal_naive_scale([1.0, np.nan, 2.0]),
     "missing or infinite value at flat position 1"),
    (lambda: rmse([1.0, np.nan], [1.0, 1.0]), "missing or infinite"),
    (lambda: pinball_loss([1.0], [[1.0]], [1.5]), "between 0 and 1"),
    (lambda: pinball_loss([1.0], [[1.0]], [np.nan]), "between 0 and 1; got nan"),
    (lambda: pinball_loss([1.0], [[1.0]], []), "non-empty"),
])
def test_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_seasonal_naive_scale_matches_m4_masep():
    # M4's masep: mean |y[t] - y[t - m]| over the in-sample steps t > m
    train = np.array([1.0, 2.0, 3.0, 5.0, 4.0, 8.0])
    assert seasonal_naive_scale(train, 2) == pytest.approx(np.mean([2.0, 3.0, 1.0, 3.0]))
    two = np.column_stack([train, 10 * train])
    np.testing.assert_allclose(seasonal_naive_scale(two, 2), [2.25, 22.5])


def test_interval_coverage_counts_bounds_as_inside():
    actual = np.array([1.0, 2.0, 3.0, 4.0])
    assert interval_coverage(actual, actual - 1, actual + 1) == 1.0
    assert interval_coverage(actual, [1.0, 2.5, 0.0, 5.0], [1.0, 3.0, 3.0, 6.0]) == 0.5


def test_msis_by_hand():
    train = np.array([0.0, 1.0, 0.0, 1.0, 0.0])  # scale with m=1: mean |diff| = 1
    actual = np.array([1.0, 5.0, -2.0])
    lower, upper = np.array([0.0, 0.0, 0.0]), np.array([2.0, 2.0, 2.0])
    # widths 2 each; step 2 misses above by 3, step 3 below by 2; a = 0.05 -> 2 / a = 40
    expected = np.mean([2.0, 2.0 + 40 * 3, 2.0 + 40 * 2])
    assert msis(actual, lower, upper, train, 1) == pytest.approx(expected)
    assert msis(actual, lower, upper, train, 1, coverage=0.8) == pytest.approx(
        np.mean([2.0, 2.0 + 10 * 3, 2.0 + 10 * 2]))


def test_owa_is_mean_of_ratios_to_naive2():
    assert owa(18.383, 2.395, 18.383, 2.395) == pytest.approx(1.0)
    # M4 Hourly, published: seasonal naive 13.912 / 1.193 against Naive2 18.383 / 2.395
    assert owa(13.912, 1.193, 18.383, 2.395) == pytest.approx(0.627, abs=5e-4)
