"""Forecast accuracy of RNNForecaster on classic series, beside classical baselines.

1. Airline passengers (monthly, 1949-1960), the last 36 months held out: MAPE of
   ``RNNForecaster`` with its default parameters, the seasonal naive forecast and
   statsmodels ETS (an AutoETS-style choice by AICc among additive/multiplicative,
   damped and undamped models; plus Holt-Winters), all computed in this run; the
   empirical coverage of seqkit's 90 % interval; the fit time.
2. Uschange (quarterly, 5 series of US growth rates), the last 12 quarters held out: one
   global ``RNNForecaster`` for all five columns (stationary rates, so
   ``seasonal_difference=False, anchor=False``), MASE per series beside the naive,
   seasonal naive and training-mean forecasts.

Published reference (../shared/data/README.md), Airline MAPE: seasonal naive 0.132,
AutoETS 0.062, Holt-Winters 0.051, AutoARIMA 0.042.

Needs ``statsmodels`` (only for this benchmark). Usage::

    python benchmarks/forecasting.py            # full run
    python benchmarks/forecasting.py --quick    # smoke run: few epochs
    python benchmarks/forecasting.py --seeds 3  # several random_state values
"""

from __future__ import annotations

import itertools
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import check_goal, data_path, parse_args, print_table, write_results  # noqa: E402

PUBLISHED_AIRLINE = {"seasonal naive": 0.132, "AutoETS": 0.062, "Holt-Winters": 0.051,
                     "AutoARIMA": 0.042}
AIRLINE_TEST = 36
USCHANGE_TEST = 12


def load_airline() -> pd.Series:
    frame = pd.read_csv(data_path("forecasting", "Airline.csv"))
    index = pd.PeriodIndex(frame["Date"], freq="M")
    return pd.Series(frame["Passengers"].to_numpy(float), index=index, name="passengers")


def load_uschange() -> pd.DataFrame:
    frame = pd.read_csv(data_path("forecasting", "Uschange.csv"), index_col=0)
    index = pd.PeriodIndex(frame.pop("Quarter").str.replace(" ", "-"), freq="Q")
    return frame.set_index(index).astype(float)


def seasonal_naive(train: pd.Series | pd.DataFrame, horizon: int, period: int) -> np.ndarray:
    last = np.asarray(train)[-period:]
    return np.concatenate([last] * (horizon // period + 1))[:horizon]


def auto_ets(train: pd.Series, horizon: int, period: int) -> tuple[np.ndarray, str]:
    """The ETS model with the lowest AICc among error/trend/seasonal combinations."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    best = None
    for error, trend, damped, seasonal in itertools.product(
            ("add", "mul"), (None, "add"), (False, True), (None, "add", "mul")):
        if damped and trend is None:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                fit = ETSModel(train, error=error, trend=trend, damped_trend=damped,
                               seasonal=seasonal, seasonal_periods=period).fit(disp=False)
            except Exception:  # noqa: BLE001 - a model that cannot be fitted is skipped
                continue
        if np.isfinite(fit.aicc) and (best is None or fit.aicc < best[0]):
            name = f"ETS({error[0].upper()},{(trend or 'n')[0].upper()}{'d' if damped else ''}," \
                   f"{(seasonal or 'n')[0].upper()})"
            best = (fit.aicc, np.asarray(fit.forecast(horizon)), name)
    return best[1], best[2]


def holt_winters(train: pd.Series, horizon: int, period: int) -> np.ndarray:
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = ExponentialSmoothing(train, trend="add", seasonal="mul",
                                   seasonal_periods=period).fit()
    return np.asarray(fit.forecast(horizon))


def run_airline(args) -> tuple[list, dict]:
    from seqkit import forecast_metrics as fm
    from seqkit.forecasting import RNNForecaster

    y = load_airline()
    train, test = y.iloc[:-AIRLINE_TEST], y.iloc[-AIRLINE_TEST:]
    rows, results = [], {"seqkit": []}
    for seed in range(args.seeds):
        params = dict(random_state=seed)
        if args.quick:
            params.update(epochs=5)
        start = time.perf_counter()
        forecaster = RNNForecaster(**params).fit(train)
        seconds = time.perf_counter() - start
        forecast = forecaster.predict(AIRLINE_TEST)
        assert forecast.index.equals(test.index)
        band = forecaster.predict_interval(AIRLINE_TEST, coverage=0.9)
        coverage = float(((test >= band["lower"]) & (test <= band["upper"])).mean())
        mape = fm.mape(test, forecast)
        results["seqkit"].append(dict(random_state=seed, mape=mape, coverage_90=coverage,
                                      fit_seconds=seconds, epochs=forecaster.n_iter_))
        rows.append([f"seqkit RNNForecaster (defaults, random_state={seed})", mape,
                     coverage, round(seconds, 1), "-"])
    baselines = {"seasonal naive": seasonal_naive(train, AIRLINE_TEST, 12)}
    ets_forecast, ets_name = auto_ets(train, AIRLINE_TEST, 12)
    baselines[f"statsmodels AutoETS-style ({ets_name})"] = ets_forecast
    baselines["statsmodels Holt-Winters (add trend, mul season)"] = holt_winters(
        train, AIRLINE_TEST, 12)
    for name, forecast in baselines.items():
        mape = fm.mape(test, forecast)
        results[name] = mape
        published = next((v for k, v in PUBLISHED_AIRLINE.items() if name.split(" (")[0]
                          .replace("statsmodels ", "").startswith(k)), "-")
        rows.append([name, mape, "-", "-", published])
    return rows, results


def run_uschange(args) -> tuple[list, dict]:
    from seqkit import forecast_metrics as fm
    from seqkit.forecasting import RNNForecaster

    y = load_uschange()
    train, test = y.iloc[:-USCHANGE_TEST], y.iloc[-USCHANGE_TEST:]
    # growth rates: stationary, so neither seasonal differencing nor anchoring on the last value
    params = dict(window=16, horizon=4, seasonal_difference=False, anchor=False, random_state=0)
    if args.quick:
        params.update(epochs=5)
    start = time.perf_counter()
    forecaster = RNNForecaster(**params).fit(train)
    seconds = time.perf_counter() - start
    forecast = forecaster.predict(USCHANGE_TEST)
    band = forecaster.predict_interval(USCHANGE_TEST, coverage=0.9)
    contenders = {
        "seqkit (one global model)": forecast.to_numpy(),
        "naive (last value)": np.repeat(train.to_numpy()[-1:], USCHANGE_TEST, axis=0),
        "seasonal naive (4)": seasonal_naive(train, USCHANGE_TEST, 4),
        "training mean": np.repeat(train.to_numpy().mean(0, keepdims=True), USCHANGE_TEST, 0),
    }
    rows, results = [], {"fit_seconds": seconds}
    for name, values in contenders.items():
        per_series = [fm.mase(test[c], values[:, i], train[c], seasonal_period=1)
                      for i, c in enumerate(y.columns)]
        results[name] = dict(zip(y.columns, per_series, strict=True),
                             mean=float(np.mean(per_series)))
        rows.append([name, *per_series, float(np.mean(per_series))])
    inside = ((test >= band.xs("lower", axis=1, level=1))
              & (test <= band.xs("upper", axis=1, level=1))).to_numpy()
    results["seqkit_coverage_90"] = float(inside.mean())
    return rows, results


def main() -> None:
    args = parse_args(__doc__.splitlines()[0], lambda parser: parser.add_argument(
        "--seeds", type=int, default=1, help="random_state values 0..N-1 for seqkit"))
    rows, airline = run_airline(args)
    table = print_table(["Airline, last 36 months", "MAPE", "90% coverage", "fit s",
                         "published"], rows, title="Airline passengers")
    mapes = [run["mape"] for run in airline["seqkit"]]
    goals = [check_goal("Airline MAPE <= 0.05 (defaults)", float(np.median(mapes)),
                        float(np.median(mapes)) <= 0.05),
             check_goal("fit < 120 s", max(r["fit_seconds"] for r in airline["seqkit"]),
                        max(r["fit_seconds"] for r in airline["seqkit"]) < 120)]
    us_rows, uschange = run_uschange(args)
    columns = list(load_uschange().columns)
    table += "\n\n" + print_table(["Uschange, last 12 quarters: MASE", *columns, "mean"],
                                  us_rows, title="Uschange (5 series, one model)")
    print(f"seqkit 90% interval coverage on Uschange: {uschange['seqkit_coverage_90']:.3f}")
    name = "forecasting_quick" if args.quick else "forecasting"
    write_results(name, {"seeds": args.seeds, "quick": args.quick},
                  {"airline": airline, "uschange": uschange, "goals": goals}, table)


if __name__ == "__main__":
    main()
