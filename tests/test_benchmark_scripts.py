"""The summaries of the benchmark scripts whose tables the docs quote, on made-up runs.

The scripts themselves fit real data (``benchmarks/``, not run by the tests); these
check the arithmetic that turns their records into the published tables.
"""

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import m4  # noqa: E402
import m4_blocks  # noqa: E402
import many_series  # noqa: E402
import short_series  # noqa: E402


def test_m4_blocks_scores_the_hours_after_the_first_block():
    by_six_hours = {f"coverage_{level}_by_6_hours": [level / 100] * 2 + [0.5] * 6
                    for level in m4_blocks.LEVELS}
    result = {**by_six_hours, "msis_95_by_6_hours": [1.0, 1.0] + [4.0] * 6}
    row = m4_blocks.after_first_block(result, horizon=12)
    assert row["coverage_80"] == row["coverage_95"] == 0.5
    assert row["coverage_error_sum"] == pytest.approx(0.3 + 0.4 + 0.45)
    assert row["msis"] == 4.0
    assert row["coverage_90_first_block"] == 0.9
    with pytest.raises(ValueError, match="horizon must be a multiple of 6, got 10"):
        m4_blocks.after_first_block(result, horizon=10)


def test_m4_naive2_repeats_the_last_value_re_seasonalised():
    np.testing.assert_array_equal(m4.naive2(np.arange(10.0), 3, period=1), [9.0] * 3)
    seasonal = 10 * np.tile([1.0, 2.0, 1.0, 0.5], 6)
    np.testing.assert_allclose(m4.naive2(seasonal, 6, period=4), [10, 20, 10, 5, 10, 20])


def _task(n, h, b, validated=False, coverage=0.9, msis=4.0):
    return {"N": n, "H": h, "B": b, "validated": validated, "base_weight": 1.0,
            "coverage_80": coverage - 0.1, "coverage_90": coverage,
            "coverage_95": coverage + 0.05, "snaive_coverage_80": 0.8,
            "snaive_coverage_90": 0.9, "snaive_coverage_95": 0.95,
            "msis": msis, "snaive_msis": 5.0}


def test_short_series_summary_averages_within_groups_then_over_them():
    results = {"A": {"a1": _task(1.0, 2.0, 3.0), "a2": _task(3.0, 2.0, 1.0)},
               "B": {"b1": _task(5.0, 1.0, 0.5, validated=True)}}
    scores, table = short_series.summary(results)
    assert scores["group_means"]["A"] == {"N": 2.0, "H": 2.0, "B": 2.0}
    assert scores["overall"] == {"N": 3.5, "H": 1.5, "B": 1.25}
    assert scores["worst_group"] == {"N": "B", "H": "A", "B": "A"}
    assert "mean of the groups" in table


def test_short_series_coverage_keeps_the_regime_apart_from_validated_tasks():
    results = {"A": {"a1": _task(1, 1, 1, coverage=0.5, msis=2.0),
                     "a2": _task(1, 1, 1, coverage=0.7, msis=float("nan")),
                     "a3": _task(1, 1, 1, validated=True, coverage=0.9)}}
    means, table = short_series.coverage_summary(results)
    assert means["A, too short"]["msis"] == 2.0  # a task without a scale is not scored
    assert means["A, too short"]["msis_max"] == means["A, too short"]["msis_median"] == 2.0
    assert "2 / 2 / 2" in table
    assert means["A, too short"]["coverage_90"] == pytest.approx(0.6)
    assert means["A, validated"]["coverage_90"] == pytest.approx(0.9)
    assert means["A, too short"]["snaive_coverage_95"] == pytest.approx(0.95)
    assert "A, too short" in table
    # |0.5 - 0.8|, |0.6 - 0.9|, |0.65 - 0.95| for the regime; |0.8 - 0.8| ... for the other
    assert means["A, too short"]["coverage_error"] == pytest.approx(0.3)
    assert means["A, validated"]["coverage_error"] == pytest.approx(0.0)
    assert means["overall"] == pytest.approx({"mean_coverage_error": 0.15,
                                              "worst_group": "A, too short",
                                              "worst_coverage_error": 0.3,
                                              "mean_msis": 3.0, "mean_snaive_msis": 5.0})


def test_short_series_interval_score_skips_series_without_a_scale():
    train = np.column_stack([np.arange(6.0), np.ones(6)])  # the second has no scale
    test = np.array([[6.0, 1.0], [7.0, 1.0]])
    lower, upper = test - 1, test + 1  # both inside: the score is the width, 2
    assert short_series.scaled_interval_score(train, test, lower, upper, 1) == 2.0
    assert np.isnan(short_series.scaled_interval_score(train[:, 1:], test[:, 1:],
                                                       lower[:, 1:], upper[:, 1:], 1))


def test_m4_score_runs_gives_owa_against_the_naive2_run():
    train = {"a": 3.0 + np.random.default_rng(0).normal(0, 1, 72)}
    actual = {"a": np.full(m4.HORIZON, 3.0)}
    runs = {"Naive2": {"point": {"a": np.full(m4.HORIZON, 2.0)}, "intervals": None,
                       "fit_predict_s": 0.1},
            "half": {"point": {"a": np.full(m4.HORIZON, 2.5)}, "intervals": None,
                     "fit_predict_s": 0.2}}
    results = m4.score_runs(runs, train, actual)
    assert results["Naive2"]["owa"] == 1.0
    assert results["half"]["mase"] == pytest.approx(results["Naive2"]["mase"] / 2)
    assert 0.4 < results["half"]["owa"] < 0.6 and results["half"]["fit_predict_s"] == 0.2
    assert "half" in m4.results_table(results, "made-up")


def test_m4_mean_run_averages_the_members_point_forecasts_and_adds_their_times():
    runs = {"x": {"point": {"a": np.array([1.0, 2.0]), "b": np.array([0.0, 0.0])},
                  "intervals": {}, "fit_predict_s": 1.5},
            "y": {"point": {"a": np.array([3.0, 6.0]), "b": np.array([2.0, -2.0])},
                  "intervals": {}, "fit_predict_s": 2.0}}
    mean = m4.mean_run(runs, ("x", "y"))
    np.testing.assert_array_equal(mean["point"]["a"], [2.0, 4.0])
    np.testing.assert_array_equal(mean["point"]["b"], [1.0, -1.0])
    assert mean["intervals"] is None and mean["fit_predict_s"] == 3.5


def test_many_series_generates_ragged_positive_hourly_series():
    train, actual = many_series.generate(30, seed=1)
    lengths = [len(v) for v in train.values()]
    assert len(train) == 30 and len(set(lengths)) > 10
    assert min(lengths) >= many_series.LENGTHS[0] and max(lengths) <= many_series.LENGTHS[1]
    assert all(len(v) == m4.HORIZON for v in actual.values())
    assert all((v > 0).all() for v in [*train.values(), *actual.values()])
    again, _ = many_series.generate(30, seed=1)
    np.testing.assert_array_equal(again["S7"], train["S7"])
