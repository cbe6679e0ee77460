"""RNNForecaster: index handling, quantiles, covariates, update, sklearn use, bad input."""

import pickle

import numpy as np
import pandas as pd
import pytest
from conftest import assert_float32_arithmetic
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from seqkit.forecasting import RNNForecaster, backtest
from seqkit.forecasting._data import time_axis

TINY = dict(window=8, horizon=4, units=8, epochs=3, batch_size=64, ensemble_size=1,
            random_state=0)


def make_series(n=60, index=None, seed=0, period=12, name="y"):
    """Seasonal + trend + noise, positive."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    values = 20 + 0.3 * t + 5 * np.sin(2 * np.pi * t / period) + rng.normal(0, 0.5, n)
    if index is None:
        index = pd.date_range("2010-01-01", periods=n, freq="MS")
    return pd.Series(values, index=index, name=name)


@pytest.fixture(scope="module")
def fitted():
    y = make_series(60)
    # too short to validate: the defaults would forecast with the base (round 8);
    # these tests are about the network's forecasts
    return RNNForecaster(**TINY, fallback=False).fit(y.iloc[:-8]), y


# ------------------------------------------------------------------------ the index
@pytest.mark.parametrize("index, expected", [
    (pd.date_range("2020-01-01", periods=30, freq="MS"),
     pd.date_range("2022-07-01", periods=3, freq="MS")),
    (pd.date_range("2020-01-31", periods=30, freq="ME"),
     pd.date_range("2022-07-31", periods=3, freq="ME")),
    (pd.date_range("2020-03-31", periods=30, freq="QE"),
     pd.date_range("2027-09-30", periods=3, freq="QE")),
    (pd.date_range("2020-01-01", periods=30, freq="D"),
     pd.date_range("2020-01-31", periods=3, freq="D")),
    (pd.period_range("2020-01", periods=30, freq="M"),
     pd.period_range("2022-07", periods=3, freq="M")),
    (pd.period_range("2020Q1", periods=30, freq="Q"),
     pd.period_range("2027Q3", periods=3, freq="Q")),
    (pd.RangeIndex(0, 60, 2), pd.RangeIndex(60, 66, 2)),
])
def test_future_index(index, expected):
    axis = time_axis(index, None)
    assert axis.future(3).equals(expected)


@pytest.mark.parametrize("index, period", [
    (pd.date_range("2020-01-01", periods=30, freq="MS"), 12),
    (pd.period_range("2020Q1", periods=30, freq="Q"), 4),
    (pd.date_range("2020-01-01", periods=30, freq="D"), 7),
    (pd.RangeIndex(30), 1),
])
def test_seasonal_period_from_frequency(index, period):
    assert time_axis(index, None).seasonal_period == period


def test_predict_monthly_index_and_name(fitted):
    forecaster, y = fitted
    forecast = forecaster.predict(6)
    assert isinstance(forecast, pd.Series) and forecast.name == "y"
    assert forecast.index.equals(y.index[-8:-2])
    assert np.isfinite(forecast).all()


@pytest.mark.parametrize("index, expected", [
    (pd.period_range("2000Q1", periods=40, freq="Q"),
     pd.period_range("2010Q1", periods=5, freq="Q")),
    (pd.date_range("2000-03-31", periods=40, freq="QE"),
     pd.date_range("2010-03-31", periods=5, freq="QE")),
])
def test_predict_quarterly_index(index, expected):
    y = make_series(40, index, period=4)
    forecaster = RNNForecaster(**{**TINY, "epochs": 1}).fit(y)
    assert forecaster.seasonal_period_ == 4
    forecast = forecaster.predict(5)  # beyond horizon=4: the recursive block too
    assert forecast.index.equals(expected)
    assert forecaster.predict_interval(5).index.equals(expected)


@pytest.mark.parametrize("index, period", [
    (pd.date_range("2021-01-01", periods=3, freq="h"), 24),
    (pd.date_range("2021-01-01", periods=3, freq="2h"), 12),
    (pd.date_range("2021-01-01", periods=3, freq="5h"), 1),  # 5 does not divide 24
    (pd.date_range("2021-01-01", periods=3, freq="15min"), 96),
    (pd.date_range("2021-01-01", periods=3, freq="D"), 7),
    (pd.bdate_range("2021-01-01", periods=3), 5),
    (pd.date_range("2021-01-03", periods=3, freq="W-SUN"), 52),
    (pd.date_range("2021-01-03", periods=3, freq="2W-SUN"), 26),
    (pd.date_range("2021-01-01", periods=3, freq="MS"), 12),
    (pd.date_range("2021-01-01", periods=3, freq="3MS"), 4),
    (pd.period_range("2021Q1", periods=3, freq="Q"), 4),
    (pd.date_range("2021-01-01", periods=3, freq="YS"), 1),
    (pd.RangeIndex(0, 30, 10), 1),
])
def test_seasonal_period_read_from_the_frequency(index, period):
    assert time_axis(index, None).seasonal_period == period


def test_daily_series_several_columns():
    index = pd.date_range("2021-03-01", periods=50, freq="D")
    y = pd.DataFrame({"a": make_series(50, index, seed=1, period=7).to_numpy(),
                      "b": make_series(50, index, seed=2, period=7).to_numpy() * 10},
                     index=index)
    forecaster = RNNForecaster(**TINY).fit(y)
    forecast = forecaster.predict(6)  # longer than horizon: recursive
    assert list(forecast.columns) == ["a", "b"]
    assert forecast.index.equals(pd.date_range("2021-04-20", periods=6, freq="D"))
    quantiles = forecaster.predict_quantiles(6, (0.1, 0.5, 0.9))
    assert quantiles.columns.tolist() == [(s, q) for s in "ab" for q in (0.1, 0.5, 0.9)]
    assert np.allclose(quantiles.xs(0.5, axis=1, level=1).to_numpy(), forecast.to_numpy())


# ----------------------------------------------------------------------- quantiles
def test_quantiles_never_cross_and_interval(fitted):
    forecaster, y = fitted
    levels = (0.05, 0.1, 0.2, 0.5, 0.7, 0.9, 0.95)
    quantiles = forecaster.predict_quantiles(10, levels)
    assert quantiles.columns.tolist() == list(levels)
    assert quantiles.index.equals(y.index[-8:].append(
        pd.date_range("2015-01-01", periods=2, freq="MS")))
    assert (np.diff(quantiles.to_numpy(), axis=1) >= 0).all()
    interval = forecaster.predict_interval(10, coverage=0.8)
    assert interval.columns.tolist() == ["lower", "upper"]
    assert np.allclose(interval["lower"], forecaster.predict_quantiles(10, [0.1])[0.1])
    assert (interval["lower"] <= forecaster.predict(10)).all()
    with pytest.raises(ValueError, match="outside the learnt levels"):
        forecaster.predict_quantiles(3, (0.01, 0.5))
    with pytest.raises(ValueError, match="between 0 and 1; got nan"):
        forecaster.predict_quantiles(3, (np.nan, 0.5))  # would interpolate to NaN
    with pytest.raises(TypeError, match=r"quantiles must be numbers in \(0, 1\)"):
        forecaster.predict_quantiles(3, ("low",))
    with pytest.raises(ValueError, match="coverage"):
        forecaster.predict_interval(3, coverage=1.5)


def test_inverse_transform_keeps_quantiles_ordered():
    from seqkit.forecasting._transform import SeriesTransform

    rng = np.random.default_rng(0)
    history = np.exp(rng.normal(3, 0.1, (40, 2)))
    transform = SeriesTransform.fit(history, log="auto", lag=12, standardise=True)
    gaps = np.cumsum(np.abs(rng.normal(size=(30, 2, 5))), axis=-1)
    paths = rng.normal(size=(30, 2, 1)) + gaps - gaps[..., 2:3]  # ordered, median at 2
    levels = transform.inverse(paths, history, median=2)
    assert (np.diff(levels, axis=-1) >= 0).all()
    assert np.allclose(levels[..., 2], transform.inverse(paths[..., 2], history))
    back = transform.inverse(transform.transform(history)[:, :, None], history[:12])
    assert np.allclose(back[..., 0], history[12:])


def test_spread_factors_reach_each_level():
    from seqkit.forecasting._calibration import rescale_spreads, spread_factors

    rng = np.random.default_rng(0)
    actual = rng.normal(size=(1000, 2))
    half = np.array([-1.645, -0.674, 0.0, 0.674, 1.645]) / 2  # quantiles twice too narrow
    levels = (0.05, 0.25, 0.5, 0.75, 0.95)
    quantiles = np.broadcast_to(half, (1000, 2, 5)) + 0.1  # and shifted up
    factors = spread_factors(actual, quantiles, levels)
    assert factors[2] == 1 and np.all(factors[[1, 3]] > 1.5) and np.all(factors[[0, 4]] > 1.7)
    calibrated = rescale_spreads(quantiles, factors, median=2)
    below = (actual[..., None] <= calibrated).reshape(-1, 5).mean(axis=0)
    outer = [0, 1, 3, 4]  # the median is not moved: only distances from it are rescaled
    assert np.allclose(below[outer], np.take(levels, outer), atol=0.01), below
    assert np.array_equal(calibrated[..., 2], quantiles[..., 2])


def test_rescale_spreads_keeps_order():
    from seqkit.forecasting._calibration import rescale_spreads

    quantiles = np.array([[-2.0, -1.0, 0.0, 1.0, 2.0]]) + 5
    rescaled = rescale_spreads(quantiles, np.array([0.3, 1.0, 1.0, 1.0, 0.3]), median=2)
    assert np.array_equal(rescaled, [[4.0, 4.0, 5.0, 6.0, 6.0]])


def test_step_factors_per_step_or_pooled():
    from seqkit.forecasting._calibration import spread_factors, step_factors

    rng = np.random.default_rng(1)
    levels = (0.1, 0.5, 0.9)
    actual = rng.normal(size=(60, 3)) * np.array([1.0, 2.0, 4.0])  # wider at later steps
    quantiles = np.broadcast_to(np.array([-1.2816, 0.0, 1.2816]), (60, 3, 3))
    per_step = step_factors(actual, quantiles, levels, min_per_step=50)
    assert per_step.shape == (3, 3) and np.all(np.diff(per_step[:, 2]) > 0)
    pooled = step_factors(actual, quantiles, levels, min_per_step=61)
    assert np.array_equal(pooled, np.tile(spread_factors(actual, quantiles, levels), (3, 1)))


def test_series_factors_are_each_series_own():
    from seqkit.forecasting._calibration import series_factors, spread_factors

    rng = np.random.default_rng(2)
    levels = (0.1, 0.5, 0.9)
    owner = np.repeat([0, 2], 200)  # series 1 has no calibration forecasts
    actual = rng.normal(size=(400, 4)) * np.where(owner == 0, 0.5, 3.0)[:, None]
    quantiles = np.broadcast_to(np.array([-1.2816, 0.0, 1.2816]), (400, 4, 3))
    factors = series_factors(owner, actual, quantiles, levels, n_series=3)
    assert factors.shape == (3, 3) and np.array_equal(factors[1], np.ones(3))
    assert np.array_equal(factors[2], spread_factors(actual[200:], quantiles[200:], levels))
    assert np.all(factors[0, [0, 2]] < 0.7) and np.all(factors[2, [0, 2]] > 2.4)
    assert np.all(factors[:, 1] == 1)


def random_walk_panel(n_series=40, length=200, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {f"s{i}": 100 + np.cumsum(rng.normal(0, 1, length)) for i in range(n_series)},
        index=pd.date_range("2000-01-01", periods=length, freq="D"))


def test_recursive_blocks_have_their_own_calibration():
    """With ``calibrate="recursive"`` later blocks widen with the error they inherit, and
    coverage holds past ``horizon``."""
    y = random_walk_panel()
    train, test = y.iloc[:-18], y.iloc[-18:]
    forecaster = RNNForecaster(window=12, horizon=6, units=16, epochs=10, log=False,
                               seasonal_period=1, calibrate="recursive",
                               random_state=0).fit(train)
    levels = forecaster.quantile_levels_
    factors = forecaster.spread_scale_.reshape(-1, 6, len(levels))
    assert len(factors) >= 3  # the first block and at least two recursive ones
    upper = levels.index(0.9)
    assert factors[1, :, upper].mean() > factors[0, :, upper].mean()  # errors accumulate

    def coverage_after_first_block(model):
        band = model.predict_interval(18, coverage=0.8)
        inside = ((test >= band.xs("lower", axis=1, level=1))
                  & (test <= band.xs("upper", axis=1, level=1))).to_numpy()
        return inside[6:].mean()

    calibrated = coverage_after_first_block(forecaster)
    forecaster.spread_scale_ = factors[0]  # as with calibrate=True
    first_block_only = coverage_after_first_block(forecaster)
    assert abs(calibrated - 0.8) <= 0.08, calibrated
    assert first_block_only < calibrated - 0.05, (first_block_only, calibrated)


def test_ensemble_members_are_averaged():
    y = make_series(48)
    forecaster = RNNForecaster(**{**TINY, "ensemble_size": 3, "epochs": 1}, calibrate=False,
                               fallback=False).fit(y)
    assert np.array_equal(forecaster.spread_scale_, np.ones((4, len(forecaster.quantile_levels_))))
    history = y.to_frame().to_numpy()
    z = forecaster._transformed()[0]
    windows, anchors = forecaster._windowing.inputs(z, *forecaster._covariate_rows()[0], [len(z)])
    members = forecaster._predict_outputs(windows)
    assert members.shape == (1, 3, 4, len(forecaster.quantile_levels_))
    assert not np.allclose(members[:, 0], members[:, 1])  # different initial weights
    median = members.mean(axis=1)[0, :, forecaster.quantile_levels_.index(0.5)] + anchors[0]
    expected = forecaster.transforms_[0].inverse(median[:, None], history)[:, 0]
    assert np.allclose(forecaster.predict(4).to_numpy(), expected)


# --------------------------------------------------------------------------- update
def test_update_moves_origin_without_refit(fitted):
    forecaster, y = fitted
    moved = pickle.loads(pickle.dumps(forecaster))
    weights = [w.copy() for w in moved.model_.get_weights()]
    moved.update(y.iloc[-8:-5])
    assert moved.cutoff_ == y.index[-6]
    assert moved.predict(2).index.equals(y.index[-5:-3])
    after = moved.model_.get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(weights, after, strict=True))
    with pytest.raises(ValueError, match="must continue the series at"):
        moved.update(y.iloc[-2:])


# ---------------------------------------------------------------- scikit-learn use
def test_clone_pickle_and_score(fitted):
    forecaster, y = fitted
    assert clone(forecaster).get_params() == forecaster.get_params()
    restored = pickle.loads(pickle.dumps(forecaster))
    assert np.allclose(restored.predict(5), forecaster.predict(5))
    score = forecaster.score(y.iloc[-8:])
    assert np.isfinite(score) and score < 0
    with pytest.raises(ValueError, match="must continue the series"):
        forecaster.score(y.iloc[-5:])


def test_predict_dtype_float32_forecasts_the_same(fitted):
    forecaster, _ = fitted
    fast = pickle.loads(pickle.dumps(forecaster)).set_params(predict_dtype="float32")
    fast_forecast, exact = fast.predict(6).to_numpy(), forecaster.predict(6).to_numpy()
    assert_float32_arithmetic(fast_forecast, exact, tol=1e-5 * np.abs(exact).max())


def test_grid_search_folds_forecast_from_their_training_end():
    y = make_series(36)
    params = {**TINY, "epochs": 1, "window": 6, "seasonal_difference": False}
    search = GridSearchCV(RNNForecaster(**params), {"horizon": [4]},
                          cv=TimeSeriesSplit(n_splits=2), refit=False).fit(y)
    assert np.isfinite(search.cv_results_["split0_test_score"]).all()
    assert np.isfinite(search.cv_results_["split1_test_score"]).all()


@pytest.mark.slow
def test_grid_search_with_time_series_split():
    y = make_series(48)
    params = {**TINY, "epochs": 2, "seasonal_difference": False}
    search = GridSearchCV(RNNForecaster(**params), {"window": [4, 6]},
                          cv=TimeSeriesSplit(n_splits=3)).fit(y)
    assert search.best_params_["window"] in (4, 6)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert search.best_estimator_.predict(3).index[0] == pd.Timestamp("2014-01-01")


def test_backtest_table():
    y = make_series(48)
    table = backtest(RNNForecaster(**TINY), y, initial=40, horizon=4, refit=False)
    assert list(table["train_size"]) == [40, 44]
    assert {"mae", "rmse", "mape", "smape", "mase", "coverage"} <= set(table.columns)
    assert table[["mae", "mase"]].notna().all().all()


def test_backtest_of_an_exactly_periodic_series_reports_mase_as_nan():
    index = pd.date_range("2010-01-01", periods=48, freq="MS")
    y = pd.Series(100 + 10 * np.sin(2 * np.pi * np.arange(48) / 12), index=index)
    table = backtest(RNNForecaster(**TINY), y, initial=40, horizon=4, refit=False)
    assert table["mase"].isna().all()
    assert table[["mae", "smape"]].notna().all().all()


@pytest.mark.parametrize("arguments, error, message", [
    (dict(horizon=0), ValueError, "horizon must be a positive int, got 0"),  # not the default
    (dict(horizon=2.5), TypeError, "horizon must be a positive int, got 2.5"),
    (dict(step=0), ValueError, "step must be a positive int, got 0"),
    (dict(initial=40.5), TypeError, "initial must be a positive int, got 40.5"),
    (dict(initial=46), ValueError, "initial=46 leaves no room for a 4-step forecast"),
])
def test_backtest_names_a_bad_origin_argument(arguments, error, message):
    with pytest.raises(error, match=message):
        backtest(RNNForecaster(**TINY), make_series(48), **{"initial": 40, "horizon": 4,
                                                           **arguments})


def test_backtest_refuses_a_missing_value_it_would_score():
    y = make_series(48)
    holes = y.where(y.index != y.index[45])
    with pytest.raises(ValueError, match=r"y column 'y' is nan at 2013-10-01, a value the "
                                         r"backtest scores"):
        backtest(RNNForecaster(**TINY, missing="interpolate"), holes, initial=40, horizon=4)


# ----------------------------------------------------------------------- covariates
def test_covariates_past_and_future():
    y = make_series(50)
    rng = np.random.default_rng(1)
    index = pd.date_range("2010-01-01", periods=56, freq="MS")
    X = pd.DataFrame({"promo": rng.integers(0, 2, 56).astype(float),
                      "lagged": rng.normal(size=56)}, index=index)
    forecaster = RNNForecaster(**TINY, past_covariates=["lagged"]).fit(y, X)
    assert forecaster.future_covariates_ == ["promo"]
    forecast = forecaster.predict(6, X=X.iloc[50:])
    assert forecast.index.equals(index[50:])
    with pytest.raises(ValueError, match=r"known-future covariates \['promo'\]"):
        forecaster.predict(6)
    with pytest.raises(ValueError, match="no row for 2014-09-01"):
        forecaster.predict(7, X=X.iloc[50:])
    with pytest.raises(ValueError, match="not columns of X"):
        RNNForecaster(**TINY, past_covariates=["nope"]).fit(y, X)


# ----------------------------------------------------------------------- bad input
@pytest.fixture
def y_bad():
    return make_series(40)


@pytest.mark.parametrize("mutate, error, message", [
    (lambda y: y.iloc[::-1], ValueError, "not sorted"),
    (lambda y: y.set_axis(y.index.where(np.arange(40) != 10)), ValueError,
     r"^y's index has a missing timestamp \(NaT\) at position 10$"),
    (lambda y: y.iloc[[0, 1, 1] + list(range(2, 40))], ValueError, "duplicated index"),
    (lambda y: y.drop(y.index[[5, 17]]), ValueError, "no regular frequency"),
    (lambda y: y.where(y.index != y.index[7]), ValueError,
     r"missing value at 2010-08-01 \(position 7\)"),
    (lambda y: y.iloc[:10], ValueError, "too short for window=8 \\+ horizon=4"),
    (lambda y: y.astype(str), TypeError, "column 'y' has dtype"),
    (lambda y: y.to_numpy(), TypeError, "pandas Series or DataFrame"),
    (lambda y: y.reset_index(drop=True).set_axis(y.index.astype(str)), TypeError,
     "DatetimeIndex, PeriodIndex or integer"),
    (lambda y: y.astype(complex), TypeError, r"column 'y' has dtype complex128; .*not complex"),
    (lambda y: pd.concat([y, y], axis=1), ValueError, "column 'y' appears more than once"),
])
def test_bad_series(y_bad, mutate, error, message):
    with pytest.raises(error, match=message):
        RNNForecaster(**TINY).fit(mutate(y_bad))


def test_unnamed_column_is_named_as_a_plain_number(y_bad):
    """A Series without a name is column 0, written ``0``, not ``np.int64(0)``."""
    holes = y_bad.where(y_bad.index != y_bad.index[7]).rename(None)
    with pytest.raises(ValueError, match=r"^y column 0 has a missing value"):
        RNNForecaster(**TINY).fit(holes)


def test_too_short_for_the_season_read_from_the_frequency_says_so():
    y = pd.Series(np.arange(150.0) + 1,
                  index=pd.date_range("2021-01-01", periods=150, freq="15min"))
    with pytest.raises(ValueError, match=r"seasonal lag 96 = 204.*seasonal_period='auto' "
                                         r"read 96 from the frequency"):
        RNNForecaster(**{**TINY, "window": "auto", "horizon": 12}).fit(y)


def test_a_wide_frame_of_series_of_different_lengths_points_to_the_long_layout():
    index = pd.period_range("2010-01", periods=40, freq="M")
    wide = pd.DataFrame({"a": np.arange(40.0) + 1, "b": np.r_[np.arange(35.0) + 1,
                                                              [np.nan] * 5]}, index=index)
    with pytest.raises(ValueError, match="column 'b' has a missing value at 2012-12 .*"
                                         "different lengths .* go in a long DataFrame"):
        RNNForecaster(**TINY).fit(wide)
    inside = wide.assign(b=wide["a"].where(wide.index != index[7]))
    with pytest.raises(ValueError, match=r"missing='ffill'$"):  # a gap, not a shorter series
        RNNForecaster(**TINY).fit(inside)


def test_unknown_freq_names_it(y_bad):
    with pytest.raises(ValueError, match="freq='monthly' is not a pandas frequency"):
        RNNForecaster(**TINY, freq="monthly").fit(y_bad)


def test_duplicated_or_complex_covariate_columns(y_bad):
    X = pd.DataFrame(np.ones((40, 2)), index=y_bad.index, columns=["x", "x"])
    with pytest.raises(ValueError, match="X column 'x' appears more than once"):
        RNNForecaster(**TINY).fit(y_bad, X)
    with pytest.raises(TypeError, match="X column 'x' has dtype complex128"):
        RNNForecaster(**TINY).fit(y_bad, pd.DataFrame({"x": np.ones(40, complex)},
                                                      index=y_bad.index))


def test_irregular_with_given_freq(y_bad):
    with pytest.raises(ValueError, match="irregular for frequency MS: expected 2010-06-01"):
        RNNForecaster(**TINY, freq="MS").fit(y_bad.drop(y_bad.index[5]))


def test_missing_values_can_be_filled(y_bad):
    holes = y_bad.where(~y_bad.index.isin(y_bad.index[[3, 4, 20]]))
    forecaster = RNNForecaster(**TINY, missing="interpolate").fit(holes)
    assert forecaster.series_.notna().all().all()
    assert np.isclose(forecaster.series_.iloc[3, 0],
                      y_bad.iloc[2] + (y_bad.iloc[5] - y_bad.iloc[2]) / 3)


def test_bad_horizon(y_bad, fitted):
    with pytest.raises(ValueError, match="horizon"):
        RNNForecaster(**{**TINY, "horizon": 0}).fit(y_bad)
    with pytest.raises(ValueError, match="horizon must be a positive int, got -2"):
        fitted[0].predict(-2)


def test_horizon_past_the_last_timestamp_names_it(fitted):
    with pytest.raises(ValueError, match=r"^horizon=10000000 steps of MS after 2014-04-01 run "
                                         r"past 2262-04-11"):
        fitted[0].predict(10**7)


def test_x_without_covariates_is_refused(fitted):
    forecaster, y = fitted
    X = pd.DataFrame({"x": np.ones(8)}, index=y.index[-8:])
    message = "X is given, but this forecaster was fitted without covariates"
    with pytest.raises(ValueError, match=message):
        forecaster.predict(2, X=X)
    with pytest.raises(ValueError, match=message):
        forecaster.score(y.iloc[-8:], X=X)
    with pytest.raises(ValueError, match="X_new is given, but .* leave X_new out"):
        forecaster.update(y.iloc[-8:], X_new=X)
    assert forecaster.cutoff_ == y.index[-9]  # the refused update changed nothing


def test_covariate_beyond_float32_once_standardised_names_it():
    y = make_series(40)
    X = pd.DataFrame({"c": np.arange(44.0) / 100}, index=make_series(44).index)
    forecaster = RNNForecaster(**TINY).fit(y, X)
    huge = X.iloc[40:].assign(c=[1.0, 3e38, 1.0, 1.0])
    message = (r"X{} column 'c' holds 3e\+38 at 2013-06-01, which standardised with the mean "
               r"0\.195 and spread 0\.115 of fit leaves the float32 range")
    with pytest.raises(ValueError, match=message.format("")):
        forecaster.predict(4, X=huge)
    with pytest.raises(ValueError, match=message.format("_new")):
        forecaster.update(make_series(44).iloc[40:], X_new=huge)


def test_x_index_mismatch(y_bad):
    X = pd.DataFrame({"x": np.arange(40.0)}, index=y_bad.index + pd.DateOffset(months=1))
    with pytest.raises(ValueError, match="X's index does not match y's: no row for 2010-01-01"):
        RNNForecaster(**TINY).fit(y_bad, X)


def test_short_series_with_seasonal_lag_names_it(y_bad):
    with pytest.raises(ValueError, match="seasonal lag 12"):
        RNNForecaster(**{**TINY, "window": 26}).fit(y_bad)


# --------------------------------------------------------------------- accuracy
@pytest.mark.slow
def test_beats_seasonal_naive():
    from seqkit.forecast_metrics import mae

    y = make_series(96)
    train, test = y.iloc[:-24], y.iloc[-24:]
    # 72 months are too short to validate, where the defaults forecast seasonal naive
    # itself (round 8); fallback=False checks what the network learns.
    forecaster = RNNForecaster(window=12, horizon=12, units=16, epochs=40, fallback=False,
                               random_state=0).fit(train)
    naive = np.tile(train.to_numpy()[-12:], 2)
    assert mae(test, forecaster.predict(24)) < 0.7 * mae(test, naive)


@pytest.mark.slow
def test_interval_coverage_near_nominal():
    """90 % intervals of a global model over 40 generated series cover 85-95 %."""
    rng = np.random.default_rng(3)
    index = pd.date_range("2000-01-01", periods=72, freq="MS")
    t = np.arange(72)
    y = pd.DataFrame({
        f"s{i}": 50 + rng.uniform(-10, 10) + rng.uniform(0, 0.3) * t
        + rng.uniform(2, 6) * np.sin(2 * np.pi * t / 12 + rng.uniform(0, 6))
        + rng.normal(0, 1, 72) for i in range(40)}, index=index)
    train, test = y.iloc[:-12], y.iloc[-12:]
    # 60 months are too short to validate: the defaults take the base's intervals
    # (measured 0.908); early_stopping=True validates and calibrates the network's
    # (0.854, with a third of the series on the base or the blend).
    for validate, base_interval in ((False, True), (True, False)):
        forecaster = RNNForecaster(window=12, horizon=12, units=16, epochs=40, log=False,
                                   random_state=0,
                                   early_stopping=True if validate else "auto").fit(train)
        assert (forecaster.base_interval_ == base_interval).all()
        band = forecaster.predict_interval(12, coverage=0.9)
        inside = ((test >= band.xs("lower", axis=1, level=1))
                  & (test <= band.xs("upper", axis=1, level=1))).to_numpy()
        assert abs(inside.mean() - 0.9) <= 0.05, (validate, inside.mean())


def test_sample_origins_draws_the_same_share_of_each_series_and_none_of_an_empty_one():
    from seqkit.forecasting._windows import sample_origins

    rng = np.random.default_rng(0)
    chosen = sample_origins([100, 0, 50], [0, 10, 5], first=8, budget=30, rng=rng)
    assert [len(c) for c in chosen] == [20, 0, 10]
    assert chosen[0].min() >= 8 and chosen[0].max() <= 107
    assert chosen[2].min() >= 13 and chosen[2].max() <= 62
    assert all((np.diff(c) > 0).all() for c in chosen)  # in time order
    everything = sample_origins([3, 0], [0, 0], first=2, budget=10, rng=rng)
    assert [c.tolist() for c in everything] == [[2, 3, 4], []]


def test_interpolation_weights_match_numpy_interp_row_by_row():
    from seqkit.forecasting._estimator import interpolation_weights

    learnt = (0.025, 0.1, 0.5, 0.9, 0.975)
    levels = np.array([0.025, 0.07, 0.5, 0.93, 0.975])
    values = np.sort(np.random.default_rng(0).normal(size=(3, 4, len(learnt))), axis=-1)
    expected = np.apply_along_axis(lambda row: np.interp(levels, learnt, row), -1, values)
    np.testing.assert_allclose(values @ interpolation_weights(learnt, levels), expected,
                               rtol=0, atol=1e-12)
    assert interpolation_weights(learnt, [0.5]).ravel().tolist() == [0, 0, 1, 0, 0]
