"""MSTL as the network's partner (``combine_mstl``; seqkit.forecasting._mstl)."""

import sys

import numpy as np
import pandas as pd
import pytest

import seqkit
from seqkit.forecasting import RNNForecaster
from seqkit.forecasting._mstl import (
    choose_mstl_weights,
    fit_mstl,
    mstl_forecasts,
    usable_seasons,
)

# in the test extra; the JAX and PyTorch runs (scripts/test_backends.py) do not install it
MSTL = pytest.importorskip("statsforecast.models").MSTL
TINY = dict(units=4, epochs=2, ensemble_size=1, random_state=0)


def _monthly_panel(n_months=300, n_series=4):
    t = np.arange(n_months)
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {f"s{i}": 50 + 0.2 * t * (i + 1) + 5 * np.sin(2 * np.pi * t / 12 + i)
         + rng.normal(size=n_months).cumsum() * 0.5 for i in range(n_series)},
        index=pd.period_range("2000-01", periods=n_months, freq="M"))


@pytest.fixture(scope="module")
def combined():
    """A forecaster whose weak network loses to its mean with MSTL on some series."""
    y = _monthly_panel()
    forecaster = RNNForecaster(**{**TINY, "epochs": 1}, fallback=False,
                               combine_mstl=True).fit(y)
    assert (forecaster.mstl_weight_ == 0.5).any()
    return y, forecaster


def test_forecasts_from_the_kept_arrays_are_statsforecasts():
    rng = np.random.default_rng(1)
    t = np.arange(500)
    cases = [  # (series, seasons): trend, no trend, two seasons
        (100 + 0.5 * t[:150] + 8 * np.sin(2 * np.pi * t[:150] / 12)
         + rng.normal(size=150), [12]),
        (20 + 3 * np.cos(2 * np.pi * t[:80] / 4) + rng.normal(size=80), [4]),
        (50 + 10 * np.sin(2 * np.pi * t / 24) + 4 * np.sin(2 * np.pi * t / 168)
         + rng.normal(size=500).cumsum(), [24, 168]),
    ]
    for values, seasons in cases:
        cycle, trend = fit_mstl(values, seasons, int(np.lcm.reduce(seasons)))
        mine = mstl_forecasts(cycle[None], trend[None], 200)[0]
        theirs = MSTL(season_length=seasons).fit(values).predict(h=200)["mean"]
        np.testing.assert_allclose(mine, theirs, rtol=1e-9, atol=1e-9)


def test_the_trend_row_is_damped_or_multiplicative_as_written():
    cycles = np.array([[1.0, -1.0], [0.0, 0.0]])
    trends = np.array([[10.0, 1.0, 0.5, 0.0],   # additive, damped by 0.5
                       [10.0, 2.0, 1.0, 1.0]])  # multiplicative, undamped
    np.testing.assert_allclose(mstl_forecasts(cycles, trends, 3),
                               [[10 + 0.5 + 1, 10 + 1.0 - 1, 10 + 1.25 + 1],
                                [20.0, 40.0, 80.0]])


def test_the_mean_wins_only_when_strictly_better_and_seasons_need_two_cycles():
    actual = np.zeros((3, 2))
    own = np.array([[2.0, 2.0], [1.0, 1.0], [0.0, 0.0]])
    partner = np.array([[-2.0, -2.0], [-3.0, -3.0], [5.0, 5.0]])
    # the mean is exact / ties with own / worse
    assert choose_mstl_weights(own, partner, actual).tolist() == [0.5, 0.0, 0.0]
    assert usable_seasons(400, [24, 168]) == [24, 168]
    assert usable_seasons(300, [24, 168]) == [24]
    assert usable_seasons(48, [24, 168]) == []
    assert usable_seasons(100, [1]) == []


def test_weighted_series_move_every_quantile_halfway_to_mstl(combined, tmp_path):
    y, forecaster = combined
    alone = seqkit.load(forecaster.save(tmp_path / "f.seqkit"))
    alone.mstl_weight_ = np.zeros_like(forecaster.mstl_weight_)
    partner = mstl_forecasts(forecaster.mstl_cycle_, forecaster.mstl_trend_, 24).T
    weight = forecaster.mstl_weight_
    expected = alone.predict(24) + weight * (partner - alone.predict(24).to_numpy())
    pd.testing.assert_frame_equal(forecaster.predict(24), expected)
    width = forecaster.predict_interval(24).xs("upper", axis=1, level=1) \
        - forecaster.predict_interval(24).xs("lower", axis=1, level=1)
    width_alone = alone.predict_interval(24).xs("upper", axis=1, level=1) \
        - alone.predict_interval(24).xs("lower", axis=1, level=1)
    pd.testing.assert_frame_equal(width, width_alone)
    for i in np.flatnonzero(weight):
        theirs = MSTL(season_length=[12]).fit(y.iloc[:, i].to_numpy()).predict(h=24)
        np.testing.assert_allclose(partner[:, i], theirs["mean"], rtol=1e-9)


def test_saved_and_loaded_it_forecasts_the_same(combined, tmp_path):
    y, forecaster = combined
    again = seqkit.load(forecaster.save(tmp_path / "f.seqkit"))
    pd.testing.assert_frame_equal(again.predict(30), forecaster.predict(30))
    np.testing.assert_array_equal(again.mstl_weight_, forecaster.mstl_weight_)


def test_update_refits_mstl_from_the_new_origin(combined, tmp_path):
    y, forecaster = combined
    moved = seqkit.load(forecaster.save(tmp_path / "f.seqkit"))
    new = pd.DataFrame(y.iloc[-12:].to_numpy() + 3.0, columns=y.columns,
                       index=pd.period_range(y.index[-1] + 1, periods=12, freq="M"))
    moved.update(new)
    i = int(np.flatnonzero(forecaster.mstl_weight_)[0])
    extended = np.concatenate([y.iloc[:, i].to_numpy(), new.iloc[:, i].to_numpy()])
    theirs = MSTL(season_length=[12]).fit(extended).predict(h=6)["mean"]
    np.testing.assert_allclose(
        mstl_forecasts(moved.mstl_cycle_[[i]], moved.mstl_trend_[[i]], 6)[0], theirs,
        rtol=1e-9)


def test_off_when_asked_and_short_validation_spans_are_left_alone():
    y = _monthly_panel(n_months=160, n_series=2)
    off = RNNForecaster(**TINY, combine_mstl=False).fit(y)
    assert off.mstl_weight_.tolist() == [0.0, 0.0]
    # 160 months validate 12 origins: a span of 23 months, short of two seasons (24)
    short = RNNForecaster(**TINY, combine_mstl=True).fit(y)
    assert short.validated_.all() and short.mstl_weight_.tolist() == [0.0, 0.0]


def test_without_statsforecast_the_error_names_the_parameter(monkeypatch):
    monkeypatch.setitem(sys.modules, "statsforecast.models", None)
    with pytest.raises(ImportError, match=r"combine_mstl=\.\.\.\) needs statsforecast"):
        RNNForecaster(**TINY, combine_mstl=True).fit(_monthly_panel(n_series=1))


def test_auto_skips_panels_above_the_cost_bound(monkeypatch):
    from seqkit.forecasting import _estimator

    y = _monthly_panel(n_series=2)
    weak = dict(TINY, epochs=1, fallback=False)
    assert RNNForecaster(**weak).fit(y).mstl_weight_.any()  # the same data, under the bound
    monkeypatch.setattr(_estimator, "MSTL_MAX_SERIES", 1)
    assert not RNNForecaster(**weak).fit(y).mstl_weight_.any()
    assert RNNForecaster(**weak, combine_mstl=True).fit(y).mstl_weight_.any()
