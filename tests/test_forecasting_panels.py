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
    (lambda f: f.assign(kind=np.where(f.index % 2, "x", "y")),
     "y series '.' static column 'kind' changes within the series"),
    (lambda f: pd.concat([f, f.iloc[[0]]]), "y series '.' has a duplicated index label"),
    (lambda f: f.drop(f.index[(f["unique_id"] == "b")
                              & (f["ds"] == "2013-01-01")]),
     "y series 'b'.s index has no regular frequency"),
    (lambda f: f[(f["unique_id"] == "a") | (f["ds"] < "2013-06-01")],
     "y series 'b' has 12 observations, too short"),
    (lambda f: f.assign(y=f["y"].where(f.index != 3)), "y series '.' column 'y' has a missing"),
    (lambda f: f.iloc[:0], "y is empty: a long DataFrame needs a row"),
    (lambda f: f.assign(unique_id=[(name, 1) for name in f["unique_id"]]),
     r"y column 'unique_id' holds tuple \('.', 1\) at row 0; series ids must be scalars"),
    (lambda f: f.drop(columns="ds"), r"^y has column 'unique_id' but no time column 'ds'; a "
                                     r"long DataFrame needs both \(set time_col= to its name\)$"),
    (lambda f: f.drop(columns="unique_id"), r"^y has column 'ds' but no id column "
                                            r"'unique_id'; .*\(set id_col= to its name\)$"),
])
def test_bad_long_input_names_it(mutate, message):
    with pytest.raises(ValueError, match=message):
        RNNForecaster(**TINY, static_covariates=["kind"]).fit(
            mutate(long_frame().assign(kind="k")))


def test_long_frame_with_other_column_names_says_which_it_needs():
    frame = long_frame(names=("series", "date", "y"))
    # The ids' dtype is object under pandas 2 and str under pandas 3.
    with pytest.raises(TypeError, match="y column 'series' has dtype (object|str); .* a long "
                                        "DataFrame needs the columns 'unique_id' and 'ds'"):
        RNNForecaster(**TINY).fit(frame)


def test_long_with_X_is_refused():
    frame = long_frame()
    with pytest.raises(ValueError, match="X must be None with a long DataFrame y"):
        RNNForecaster(**TINY).fit(frame, X=pd.DataFrame({"x": np.arange(len(frame))}))


def with_covariates(frame):
    """A known-future ``promo`` (random months), a past-only ``traffic`` and a static
    ``region``; the target rises by 8 in promo months."""
    frame = frame.sort_values(["unique_id", "ds"]).reset_index(drop=True)
    promo = (np.random.default_rng(0).random(len(frame)) < 0.3).astype(float)
    return frame.assign(y=frame["y"] + 8 * promo, promo=promo,
                        traffic=frame["y"].shift(1).bfill(),
                        region=frame["unique_id"].map({"a": "north", "b": "south"}))


def future_promo(forecaster, steps, value):
    return pd.concat([
        pd.DataFrame({"unique_id": name, "promo": float(value),
                      "ds": pd.date_range(cutoff, periods=steps + 1, freq="MS")[1:]})
        for name, cutoff in forecaster.cutoff_.items()])


def test_long_covariates_and_static_covariates_are_read():
    frame = with_covariates(long_frame(lengths=(100, 120)))
    forecaster = RNNForecaster(**{**TINY, "epochs": 60, "batch_size": 16},
                               past_covariates=["traffic"], static_covariates=["region"],
                               fallback=False).fit(frame)
    assert forecaster.future_covariates_ == ["promo"]
    assert forecaster.static_features_.shape == (2, 2)  # one-hot north / south
    with pytest.raises(ValueError, match=r"pass X, a long DataFrame with columns "
                                         r"\['unique_id', 'ds', 'promo'\]"):
        forecaster.predict(3)
    on = forecaster.predict(3, X=future_promo(forecaster, 3, 1))
    off = forecaster.predict(3, X=future_promo(forecaster, 3, 0))
    assert list(on.columns) == ["unique_id", "ds", "y"]
    # The promo effect (+8) is learnt in part by this tiny network (2.9-4.7 seen); a
    # network that did not read the promo column would give 0.
    assert (on["y"] - off["y"]).mean() > 1.5
    only_a = future_promo(forecaster, 3, 1).query("unique_id == 'a'")
    with pytest.raises(ValueError, match="X has no rows for series 'b'"):
        forecaster.predict(3, X=only_a)
    with pytest.raises(ValueError, match="X series 'a'.s index does not match y's: no row"):
        forecaster.predict(4, X=future_promo(forecaster, 3, 1))


def test_recursive_calibration_keeps_medians_and_the_first_block():
    """``calibrate="recursive"`` on a ragged panel with past, future and static
    covariates: same network and medians, the first block's intervals unchanged, later
    blocks with their own factors; ``"per_series"`` then rescales each series' whole
    forecast by its own factors."""
    frame = with_covariates(long_frame(lengths=(100, 120)))
    settings = dict(**TINY, past_covariates=["traffic"], static_covariates=["region"],
                    early_stopping=True, validation_fraction=0.3)
    fitted = {mode: RNNForecaster(**settings, calibrate=mode).fit(frame)
              for mode in (True, "recursive", "per_series")}
    assert fitted[True].spread_scale_.shape == (4, 9)
    assert len(fitted["recursive"].spread_scale_) > 4
    np.testing.assert_array_equal(fitted[True].spread_scale_,
                                  fitted["recursive"].spread_scale_[:4])
    np.testing.assert_array_equal(fitted["recursive"].spread_scale_,
                                  fitted["per_series"].spread_scale_)
    for mode in (True, "recursive"):
        np.testing.assert_array_equal(fitted[mode].series_spread_, np.ones((2, 9)))
    own = fitted["per_series"].series_spread_
    assert own.shape == (2, 9) and np.all(own[:, 4] == 1) and not np.allclose(own, 1)
    future = future_promo(fitted[True], 12, 1)
    bands = {mode: model.predict_interval(12, coverage=0.9, X=future)
             for mode, model in fitted.items()}
    medians = {mode: model.predict(12, X=future)["y"].to_numpy()
               for mode, model in fitted.items()}
    np.testing.assert_array_equal(medians[True], medians["recursive"])
    np.testing.assert_array_equal(medians[True], medians["per_series"])
    width = {mode: (band["upper"] - band["lower"]).to_numpy().reshape(2, 12)
             for mode, band in bands.items()}
    np.testing.assert_allclose(width[True][:, :4], width["recursive"][:, :4])
    assert not np.allclose(width[True][:, 4:], width["recursive"][:, 4:])
    # series_spread_ is the only difference: all ones gives "recursive"'s intervals,
    # all twos wider ones everywhere
    def width_with(series_spread):
        fitted["per_series"].series_spread_ = np.full((2, 9), series_spread)
        band = fitted["per_series"].predict_interval(12, coverage=0.9, X=future)
        return (band["upper"] - band["lower"]).to_numpy().reshape(2, 12)

    np.testing.assert_allclose(width_with(1.0), width["recursive"])
    assert np.all(width_with(2.0) > width["recursive"])
    # a forecaster saved before series_spread_ existed forecasts as with all ones
    del fitted["recursive"].series_spread_
    np.testing.assert_allclose(
        (fitted["recursive"].predict_interval(12, coverage=0.9, X=future)["upper"]
         - bands["recursive"]["upper"]).to_numpy(), 0)


def test_recursive_calibration_carries_past_covariates_forward():
    """A calibration forecast from an origin sees the past covariates as ``predict``
    would: known up to the origin, the last row carried forward after it."""
    from seqkit.forecasting._windows import carry_past_forward

    past = np.arange(12.0).reshape(6, 2)
    future = np.ones((6, 1))
    carried, same = carry_past_forward(past, future, origin=4)
    np.testing.assert_array_equal(carried[:4], past[:4])
    np.testing.assert_array_equal(carried[4:], [[6.0, 7.0], [6.0, 7.0]])
    assert same is future and past[5, 0] == 10.0  # the input is not changed
    no_past = np.zeros((6, 0))
    assert carry_past_forward(no_past, future, origin=4)[0] is no_past


def test_static_covariates_tell_identical_histories_apart():
    frame = long_frame(lengths=(40, 40), starts=("2010-01-01",) * 2).sort_values(
        ["unique_id", "ds"])
    frame["y"] = np.tile(seasonal(40, 0), 2)
    frame["size"] = np.where(frame["unique_id"] == "a", 1.0, 3.0)
    network = dict(TINY, fallback=False)  # too short to validate: else the base (round 8)
    with_static = RNNForecaster(**network, static_covariates=["size"]).fit(frame).predict(2)
    a, b = (with_static.loc[with_static["unique_id"] == name, "y"].to_numpy() for name in "ab")
    assert not np.allclose(a, b)
    without = RNNForecaster(**network).fit(frame.drop(columns="size")).predict(2)
    np.testing.assert_allclose(without["y"].iloc[:2], without["y"].iloc[2:], rtol=1e-6)


def test_update_with_covariate_columns():
    frame = with_covariates(long_frame())
    history = frame.groupby("unique_id").head(35)
    new = frame.drop(history.index).groupby("unique_id").head(2)
    forecaster = RNNForecaster(**TINY, static_covariates=["region"]).fit(history)
    moved = pickle.loads(pickle.dumps(forecaster)).update(new.drop(columns="region"))
    assert (moved.cutoff_ == new.groupby("unique_id")["ds"].max()).all()
    assert len(moved.covariates_[0]) == len(forecaster.covariates_[0]) + 2
    following = frame.drop(history.index).drop(new.index)
    assert np.isfinite(moved.predict(2, X=following)["y"]).all()
    with pytest.raises(ValueError, match=r"y_new has the covariate columns \['promo'\]"):
        forecaster.update(new.drop(columns=["traffic"]))
    with pytest.raises(ValueError, match="X_new must be None with a long DataFrame"):
        forecaster.update(new, X_new=new)


def test_static_covariates_need_a_long_y():
    y = pd.Series(seasonal(40, 0), index=pd.period_range("2010-01", periods=40, freq="M"))
    with pytest.raises(ValueError, match=r"static_covariates=\['kind'\] needs a long"):
        RNNForecaster(**TINY, static_covariates=["kind"]).fit(y)
    with pytest.raises(ValueError, match=r"static_covariates names \['kind'\], which are "
                                         r"not columns of y"):
        RNNForecaster(**TINY, static_covariates=["kind"]).fit(long_frame())


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


@pytest.mark.parametrize("level", [0.0, 5.0])
def test_constant_series_forecasts_its_value(level):
    """Even a short series without validation windows: the base is exact, the network not."""
    t = np.arange(60)
    frame = pd.concat([
        pd.DataFrame({"unique_id": "flat", "ds": t, "y": np.full(60, level)}),
        pd.DataFrame({"unique_id": "noisy", "ds": t, "y": seasonal(60, 0)})])
    forecaster = RNNForecaster(**TINY, seasonal_period=12, fallback=True).fit(frame)
    assert not forecaster.early_stopping_used_
    assert forecaster.base_weight_.tolist() == [1.0, 0.0]  # flat, noisy (sorted ids)
    blend = RNNForecaster(**TINY, seasonal_period=12).fit(frame)  # too short: the base
    assert blend.base_weight_.tolist() == [1.0, 1.0]
    forecast = forecaster.predict(6)
    np.testing.assert_allclose(forecast.loc[forecast["unique_id"] == "flat", "y"],
                               np.full(6, level), rtol=1e-12)  # log and exp: 1 ulp
    plain = RNNForecaster(**TINY, seasonal_period=12, fallback=False).fit(frame)
    assert plain.base_weight_.tolist() == [0.0, 0.0]


def test_blend_chooses_among_network_base_and_their_mean():
    t = np.arange(120)
    periodic = 10 + np.sin(2 * np.pi * t / 12) + (t % 12 == 3)
    frame = pd.concat([
        pd.DataFrame({"unique_id": "periodic", "ds": t, "y": periodic}),
        *(pd.DataFrame({"unique_id": f"noisy{seed}", "ds": t, "y": seasonal(120, seed)})
          for seed in range(3))])
    settings = {**TINY, "seasonal_period": 12, "early_stopping": True, "log": False}
    blended = RNNForecaster(**settings, fallback="blend").fit(frame)
    assert set(blended.base_weight_) <= {0.0, 0.5, 1.0}
    assert blended.base_weight_[blended.series_ids_.index("periodic")] == 1.0  # exact base
    assert blended.fallback_.tolist() == (blended.base_weight_ == 1.0).tolist()
    # without log, the first block's level is linear in the weight on the base
    by_weight = {}
    for weight in (0.0, 0.5, 1.0):
        blended.base_weight_ = np.full(4, weight)
        by_weight[weight] = blended.predict(4)["y"].to_numpy()
    np.testing.assert_allclose(by_weight[0.5], (by_weight[0.0] + by_weight[1.0]) / 2,
                               rtol=1e-9)
    assert not np.allclose(by_weight[0.0], by_weight[1.0])
    # a forecaster saved before base_weight_ existed forecasts from fallback_ alone
    blended.base_weight_ = np.array([0.0, 0.0, 0.0, 1.0])
    expected = blended.predict(4)["y"].to_numpy()
    del blended.base_weight_
    blended.fallback_ = np.array([False, False, False, True])
    np.testing.assert_array_equal(blended.predict(4)["y"].to_numpy(), expected)
    with pytest.raises(ValueError, match="fallback"):
        RNNForecaster(**settings, fallback="mean").fit(frame)


def test_calibration_per_step_and_auto_ensemble():
    frame = long_frame(lengths=(100, 100, 100), starts=("2001-01-01",) * 3)
    settings = {**TINY, "early_stopping": True, "validation_fraction": 0.3}
    forecaster = RNNForecaster(**{**settings, "ensemble_size": "auto"}).fit(frame)
    assert forecaster.ensemble_size_ == 5 and forecaster.network_spec_["ensemble_size"] == 5
    # a block of horizon (4) rows per calibrated block: the first and, with the default
    # calibrate="recursive", the recursive blocks after it
    n_rows, n_levels = forecaster.spread_scale_.shape
    assert n_levels == len(forecaster.quantile_levels_) and n_rows % 4 == 0 and n_rows > 4
    first_block = forecaster.spread_scale_[:4]
    assert not np.allclose(first_block[0], first_block[-1])  # per step, not pooled
    large = RNNForecaster(**{**settings, "ensemble_size": "auto", "epochs": 1}).fit(
        long_frame(lengths=(3200,), starts=("1800-01-01",)))
    assert large.ensemble_size_ == 3 and large.network_spec_["ensemble_size"] == 3


def test_backtest_on_a_ragged_long_panel_with_covariates():
    from seqkit.forecasting import backtest

    frame = with_covariates(long_frame(lengths=(40, 52)))
    forecaster = RNNForecaster(**TINY, static_covariates=["region"])
    results = backtest(forecaster, frame, horizon=4, initial=32)
    assert list(results.columns[:3]) == ["unique_id", "cutoff", "train_size"]
    assert results["unique_id"].tolist() == ["a", "b"] * 2
    # Both series are cut the same number of steps (8, then 4) before their ends.
    assert results["train_size"].tolist() == [32, 44, 36, 48]
    last = frame.groupby("unique_id")["ds"].max()
    assert results["cutoff"].iloc[2] == last["a"] - pd.DateOffset(months=4)
    assert results[["mae", "mase", "coverage"]].notna().all().all()
    moved = backtest(forecaster, frame, horizon=4, initial=32, refit=False)
    assert moved["train_size"].tolist() == results["train_size"].tolist()
    with pytest.raises(ValueError, match="X must be None with a long DataFrame y"):
        backtest(forecaster, frame, X=frame)


def test_backtest_says_at_which_origin_a_fit_failed():
    from seqkit.forecasting import backtest

    t = np.arange(60)
    frame = pd.concat([pd.DataFrame({"unique_id": "a", "ds": t, "y": 10 + np.sin(t)}),
                       pd.DataFrame({"unique_id": "b", "ds": t[-14:], "y": 5 + t[-14:]})])
    with pytest.raises(ValueError, match=r"backtest fit at the origin after 2 observations "
                                         r"\(initial=2; of the shortest series for a long "
                                         r"y\): y series 'b' has 2 observations, too short"):
        backtest(RNNForecaster(**TINY, seasonal_period=1), frame, horizon=4)


def test_backtest_of_a_long_panel_without_covariates_passes_no_X():
    """predict refuses an X when fitted without covariates: the backtest gives none."""
    from seqkit.forecasting import backtest

    results = backtest(RNNForecaster(**TINY), long_frame(lengths=(40, 52)), horizon=4,
                       initial=36, coverage=0.8)
    assert results["unique_id"].tolist() == ["a", "b"]
    assert results[["mae", "coverage"]].notna().all().all()


def test_backtest_of_a_long_panel_refuses_a_missing_value_it_would_score():
    from seqkit.forecasting import backtest

    frame = long_frame()
    last = (frame["unique_id"] == "b") & (frame["ds"] == frame["ds"].max())
    with pytest.raises(ValueError, match="y series 'b' column 'y' is nan at 2016-12-01, "
                                         "a value the backtest scores"):
        backtest(RNNForecaster(**TINY, missing="interpolate"),
                 frame.assign(y=frame["y"].mask(last)), horizon=4, initial=32)


def test_long_season_reads_the_value_one_long_season_earlier():
    t = np.arange(120)
    frame = pd.DataFrame({"unique_id": "a", "ds": t,
                          "y": 50 + 5 * np.sin(2 * np.pi * t / 7) + 0.1 * t})
    forecaster = RNNForecaster(**TINY, seasonal_period=1, long_season=7).fit(frame)
    assert forecaster.long_lag_ == 7
    assert forecaster.network_spec_["n_features"] == 3  # value, a week before, ahead flag
    z = forecaster._transformed()[0]
    rows = forecaster._covariate_rows()[0]
    windows, anchors = forecaster._windowing.inputs(z, *rows, [60])
    assert windows.shape == (1, 8 + 4, 3)
    np.testing.assert_allclose(windows[0, :8, 1], z[52 - 7:60 - 7] - anchors[0], atol=1e-5)
    np.testing.assert_allclose(windows[0, 8:, 1], z[60 - 7:64 - 7] - anchors[0], atol=1e-5)
    assert np.isfinite(forecaster.predict(10)["y"]).all()


def test_long_season_auto_is_a_week_of_hours_when_the_series_allow_it():
    t = np.arange(300)
    frame = pd.DataFrame({"unique_id": "a", "ds": t, "y": 50 + np.sin(2 * np.pi * t / 24)})
    settings = {**TINY, "window": 24, "seasonal_period": 24, "long_season": "auto"}
    assert RNNForecaster(**settings).fit(frame).long_lag_ == 168
    assert RNNForecaster(**settings).fit(frame.iloc[:200]).long_lag_ == 0  # too short
    assert RNNForecaster(**{**settings, "seasonal_period": 12}).fit(frame).long_lag_ == 0
    with pytest.raises(ValueError, match=r"\+ long_season 168 = 220"):
        RNNForecaster(**{**settings, "long_season": 168}).fit(frame.iloc[:200])


def test_long_season_auto_needs_half_of_the_series_and_short_ones_read_no_change():
    """Round 17: the week is read when at least half of the series can train with it;
    a shorter series reads that input as "no change" and, with the defaults, is
    forecast by the base (it has no window to validate)."""
    t = np.arange(300)

    def series(name, n):
        return pd.DataFrame({"unique_id": name, "ds": t[-n:],
                             "y": 50 + 5 * np.sin(2 * np.pi * t[-n:] / 24)
                             + np.random.default_rng(n).normal(0, 0.5, n)})

    settings = {**TINY, "window": 24, "seasonal_period": 24, "long_season": "auto"}
    panel = pd.concat([series("a", 300), series("b", 300), series("new", 100)])
    model = RNNForecaster(**settings).fit(panel)  # needs 24 + 4 + 24 + 168 = 220
    assert model.long_lag_ == 168
    assert model.validated_.tolist() == [True, True, False]
    assert model.base_weight_[2] == 1.0
    forecast = model.predict(4)
    new = panel[panel["unique_id"] == "new"]["y"].to_numpy()
    np.testing.assert_allclose(forecast.loc[forecast["unique_id"] == "new", "y"],
                               new[-24:-20])  # the base: a day earlier
    assert forecast["y"].notna().all()
    mostly_short = pd.concat([series("a", 300), series("new", 100), series("newer", 100)])
    assert RNNForecaster(**settings).fit(mostly_short).long_lag_ == 0


def test_a_long_season_before_the_series_starts_is_read_as_no_change():
    from seqkit.forecasting._windows import Windowing

    z = np.arange(1.0, 11.0)
    no_covariates = np.zeros((12, 0))
    windows, anchors = Windowing(window=3, horizon=2, long_lag=5, anchor=True).inputs(
        z, no_covariates, no_covariates, [4])
    assert anchors.tolist() == [4.0]
    # steps 1, 2, 3 then 4, 5 read steps -4 .. -2 (none: 0) then -1 (none) and 0 (z = 1)
    np.testing.assert_allclose(windows[0, :, 1], [0, 0, 0, 0, 1 - 4])
