"""RNNForecaster on long DataFrames (unique_id, ds, y): ragged panels, long in, long out."""

import pickle

import numpy as np
import pandas as pd
import pytest

from seqkit.forecasting import RNNForecaster

TINY = dict(window=8, horizon=4, units=8, epochs=2, batch_size=64, ensemble_size=1,
            random_state=0)


def seasonal(n, seed, period=12):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return 20 + 0.3 * t + 5 * np.sin(2 * np.pi * t / period) + rng.normal(0, 0.5, n)


def long_frame(lengths=(40, 55), starts=("2010-01-01", "2012-06-01"), freq="MS",
               names=("unique_id", "ds", "y")):
    """Series "a", "b", ... of the given lengths and start dates, rows shuffled."""
    parts = [pd.DataFrame({names[0]: name, names[1]: pd.date_range(start, periods=n,
                                                                   freq=freq),
                           names[2]: seasonal(n, seed)})
             for seed, (name, n, start) in enumerate(zip("abcdef", lengths, starts, strict=False))]
    frame = pd.concat(parts, ignore_index=True)
    return frame.sample(frac=1.0, random_state=0).reset_index(drop=True)


@pytest.fixture(scope="module")
def fitted_long():
    frame = long_frame()
    return RNNForecaster(**TINY).fit(frame), frame


def test_long_in_long_out_with_future_ds_per_series(fitted_long):
    forecaster, frame = fitted_long
    forecast = forecaster.predict(3)
    assert list(forecast.columns) == ["unique_id", "ds", "y"]
    assert forecast["unique_id"].tolist() == ["a"] * 3 + ["b"] * 3
    last = frame.groupby("unique_id")["ds"].max()
    for name, group in forecast.groupby("unique_id"):
        expected = pd.date_range(last[name], periods=4, freq="MS")[1:]
        assert pd.DatetimeIndex(group["ds"]).equals(expected)
    assert np.isfinite(forecast["y"]).all()
    assert forecaster.cutoff_.to_dict() == last.to_dict()


def test_long_quantiles_and_interval(fitted_long):
    forecaster, _ = fitted_long
    quantiles = forecaster.predict_quantiles(5, quantiles=(0.1, 0.5, 0.9))
    assert list(quantiles.columns) == ["unique_id", "ds", 0.1, 0.5, 0.9]
    assert len(quantiles) == 10
    assert (quantiles[0.1] <= quantiles[0.5]).all() and (quantiles[0.5] <= quantiles[0.9]).all()
    assert np.allclose(quantiles[0.5], forecaster.predict(5)["y"])
    band = forecaster.predict_interval(5, coverage=0.8)
    assert list(band.columns) == ["unique_id", "ds", "lower", "upper"]
    assert np.allclose(band[["lower", "upper"]], quantiles[[0.1, 0.9]])


def test_long_equals_wide_for_aligned_series():
    """The same aligned series as a wide or a long DataFrame train the same model."""
    frame = long_frame(lengths=(40, 40), starts=("2010-01-01", "2010-01-01"))
    wide = frame.pivot(index="ds", columns="unique_id", values="y")
    wide.index = pd.DatetimeIndex(wide.index, freq="MS")
    from_long = RNNForecaster(**TINY).fit(frame).predict(4)
    from_wide = RNNForecaster(**TINY).fit(wide).predict(4)
    for name in ("a", "b"):
        np.testing.assert_allclose(from_long.loc[from_long["unique_id"] == name, "y"],
                                   from_wide[name], rtol=1e-5)


def test_integer_ds_and_custom_column_names():
    frame = long_frame(names=("store", "week", "sales"))
    frame["week"] = frame.groupby("store").cumcount() + np.where(frame["store"] == "a", 1, 5)
    forecaster = RNNForecaster(**TINY, seasonal_period=12, id_col="store", time_col="week",
                               target_col="sales").fit(frame)
    forecast = forecaster.predict(2)
    assert list(forecast.columns) == ["store", "week", "sales"]
    assert forecast["week"].tolist() == [41, 42, 60, 61]  # a: 1..40, b: 5..59
    assert forecaster.series_.shape == (95, 3)


def test_update_and_score_on_long(fitted_long):
    forecaster, frame = fitted_long
    moved = pickle.loads(pickle.dumps(forecaster))
    following = moved.predict(2).assign(y=lambda f: f["y"] + 1.0)
    only_a = following[following["unique_id"] == "a"]
    moved.update(only_a)
    assert moved.cutoff_["a"] == only_a["ds"].max()
    assert moved.cutoff_["b"] == forecaster.cutoff_["b"]
    assert moved.predict(1)["ds"].tolist()[0] == only_a["ds"].max() + pd.DateOffset(months=1)
    assert forecaster.score(forecaster.predict(3)) == pytest.approx(0.0, abs=1e-9)
    with pytest.raises(ValueError, match="y_new series 'b' must continue the series at"):
        moved.update(following[following["unique_id"] == "b"].iloc[1:])
    with pytest.raises(ValueError, match="y_new has series 'z', which was not fitted"):
        moved.update(only_a.assign(unique_id="z"))


@pytest.mark.parametrize("mutate, message", [
    (lambda f: f.drop(columns="y"), "has no target column 'y'"),
    (lambda f: f.assign(price=1.0), r"columns \['price'\] besides"),
    (lambda f: pd.concat([f, f.iloc[[0]]]), "y series '.' has a duplicated index label"),
    (lambda f: f.drop(f.index[(f["unique_id"] == "b")
                              & (f["ds"] == "2013-01-01")]),
     "y series 'b'.s index has no regular frequency"),
    (lambda f: f[(f["unique_id"] == "a") | (f["ds"] < "2013-06-01")],
     "y series 'b' has 12 observations, too short"),
    (lambda f: f.assign(y=f["y"].where(f.index != 3)), "y series '.' column 'y' has a missing"),
])
def test_bad_long_input_names_it(mutate, message):
    with pytest.raises(ValueError, match=message):
        RNNForecaster(**TINY).fit(mutate(long_frame()))


def test_long_with_X_is_refused():
    frame = long_frame()
    with pytest.raises(ValueError, match="X is not supported yet with a long DataFrame"):
        RNNForecaster(**TINY).fit(frame, X=pd.DataFrame({"x": np.arange(len(frame))}))


def test_max_windows_samples_every_series():
    frame = long_frame(lengths=(60, 80, 70), starts=("2001-01-01",) * 3)
    full = RNNForecaster(**TINY, early_stopping=False).fit(frame)
    assert full.n_windows_ == (60 - 23) + (80 - 23) + (70 - 23)  # lag 12 + 8 + 4 - 1
    sampled = RNNForecaster(**TINY, max_windows=30, early_stopping=False).fit(frame)
    assert 29 <= sampled.n_windows_ <= 31
    assert sampled.predict(2).shape == (6, 3)


def test_fallback_to_seasonal_naive_where_it_wins_on_validation():
    """An exactly periodic series: seasonal naive is perfect on its validation windows."""
    t = np.arange(120)
    periodic = 10 + np.sin(2 * np.pi * t / 12) + (t % 12 == 3)
    frame = pd.concat([
        pd.DataFrame({"unique_id": "periodic", "ds": np.arange(120), "y": periodic}),
        pd.DataFrame({"unique_id": "noisy", "ds": np.arange(120), "y": seasonal(120, 1)}),
    ])
    settings = {**TINY, "seasonal_period": 12, "early_stopping": True}
    forecaster = RNNForecaster(**settings).fit(frame)
    assert forecaster.early_stopping_used_
    assert forecaster.series_ids_ == ["noisy", "periodic"]  # sorted
    assert forecaster.fallback_.tolist() == [False, True]
    forecast = forecaster.predict(14)
    np.testing.assert_allclose(forecast.loc[forecast["unique_id"] == "periodic", "y"],
                               np.r_[periodic[-12:], periodic[-12:-10]], rtol=1e-9)
    band = forecaster.predict_interval(14, coverage=0.9)
    assert (band["lower"] <= forecast["y"]).all() and (forecast["y"] <= band["upper"]).all()
    plain = RNNForecaster(**settings, fallback=False).fit(frame)
    assert not plain.fallback_.any()


def test_calibration_per_step_and_auto_ensemble():
    frame = long_frame(lengths=(100, 100, 100), starts=("2001-01-01",) * 3)
    settings = {**TINY, "early_stopping": True, "validation_fraction": 0.3}
    forecaster = RNNForecaster(**{**settings, "ensemble_size": "auto"}).fit(frame)
    assert forecaster.ensemble_size_ == 5 and forecaster.network_spec_["ensemble_size"] == 5
    assert forecaster.spread_scale_.shape == (4, len(forecaster.quantile_levels_))
    assert not np.allclose(forecaster.spread_scale_[0], forecaster.spread_scale_[-1])
    large = RNNForecaster(**{**settings, "ensemble_size": "auto", "epochs": 1}).fit(
        long_frame(lengths=(3200,), starts=("1800-01-01",)))
    assert large.ensemble_size_ == 1


def test_backtest_refuses_long_frames_clearly():
    from seqkit.forecasting import backtest

    with pytest.raises(ValueError, match="backtest does not take a long DataFrame"):
        backtest(RNNForecaster(**TINY), long_frame())
