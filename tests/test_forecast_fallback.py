"""The statistical base and the per-series choice of its weight (seqkit.forecasting._fallback)."""

import numpy as np

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
