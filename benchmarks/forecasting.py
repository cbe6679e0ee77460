"""Forecast accuracy of RNNForecaster on classic series, beside classical baselines.

1. Airline passengers (monthly, 1949-1960), the last 36 months held out: MAPE of
   ``RNNForecaster`` with its default parameters, the seasonal naive forecast and
   statsmodels ETS (an AutoETS-style choice by AICc among additive/multiplicative,
   damped and undamped models; plus Holt-Winters), all computed in this run; the
   empirical coverage of seqkit's 90 % interval; the fit time.
2. Uschange (quarterly, 5 series of US growth rates), the last 24 quarters held out and
   forecast 4 quarters ahead from 6 rolling origins: one global ``RNNForecaster`` for all
   five columns (stationary rates, so ``seasonal_difference=False, anchor=False``),
   fitted once and moved with ``update``; MASE per series (mean over the origins) beside
   statsmodels ETS per series (additive models chosen by AICc, refitted at every origin)
   and the naive, seasonal naive and training-mean forecasts; coverage of the 90 %
   interval.

Published reference (../shared/data/README.md), Airline MAPE: seasonal naive 0.132,
AutoETS 0.062, Holt-Winters 0.051, AutoARIMA 0.042.

Needs ``statsmodels`` (only for this benchmark). Usage::

    python benchmarks/forecasting.py            # full run
    python benchmarks/forecasting.py --quick    # smoke run: few epochs
    python benchmarks/forecasting.py --seeds 5  # random_state 0..4 (default 3)
    python benchmarks/forecasting.py --inner    # only the inner holdout behind the defaults
    python benchmarks/forecasting.py --growth-rules  # two fixed-growth forecasts, inner and test
    python benchmarks/forecasting.py --classic test        # every classic series vs seasonal naive
    python benchmarks/forecasting.py --classic validation  # the same inside the training parts
    python benchmarks/forecasting.py --classic validation --params '{"fallback": false}'

``--classic`` holds out the tail of every classic series in ../shared/data/forecasting
(``CLASSIC``: two seasons, 10 years for the yearly Lynx) and scores ``RNNForecaster`` with
its defaults (plus ``--params``) against seasonal naive: MAPE, or MASE for the series with
zeros or negative values (PBS, Uschange), where MAPE is undefined. ``validation`` never
reads the held-out tail: it cuts the same length again from the end of the training part
(the protocol for choosing defaults: docs/benchmarks/tuning-appendix.md, "RNNForecaster:
protocol and candidates").
"""

from __future__ import annotations

import itertools
import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import check_goal, data_path, parse_args, print_table, timed  # noqa: E402
from _common import write_results  # noqa: E402

PUBLISHED_AIRLINE = {"seasonal naive": 0.132, "AutoETS": 0.062, "Holt-Winters": 0.051,
                     "AutoARIMA": 0.042}
AIRLINE_TEST = 36
# Inner holdout: forecasts of 36 months (the test task) from origins inside the training
# part (months 1-108), so the test months are never read.
INNER_ORIGINS = (48, 60, 72)
INNER_HORIZON = 36
INNER_CANDIDATES = {
    "defaults": {},
    "epochs=50": dict(epochs=50),
    "units=16": dict(units=16),
    "dropout=0.2": dict(dropout=0.2),
    "learning_rate=1e-3": dict(learning_rate=1e-3),
    "early_stopping=True": dict(early_stopping=True),
    "window=24": dict(window=24),
    "anchor=False": dict(anchor=False),
}
USCHANGE_TEST = 24
# classic series: (loader, held-out steps, metric); ShampooSales (36 months) is too short
# for the defaults (window 12 + horizon 12 + seasonal lag 12 = 36 training observations)
CLASSIC = {
    "Airline": ("load_airline", 24, "mape"),
    "Lynx": ("load_lynx", 10, "mape"),
    "PBS": ("load_pbs", 24, "mase"),
    "Uschange": ("load_uschange", 8, "mase"),
}
USCHANGE_HORIZON = 4


def load_airline() -> pd.Series:
    frame = pd.read_csv(data_path("forecasting", "Airline.csv"))
    index = pd.PeriodIndex(frame["Date"], freq="M")
    return pd.Series(frame["Passengers"].to_numpy(float), index=index, name="passengers")


def load_uschange() -> pd.DataFrame:
    frame = pd.read_csv(data_path("forecasting", "Uschange.csv"), index_col=0)
    index = pd.PeriodIndex(frame.pop("Quarter").str.replace(" ", "-"), freq="Q")
    return frame.set_index(index).astype(float)


def load_lynx() -> pd.Series:
    frame = pd.read_csv(data_path("forecasting", "Lynx.csv"), index_col=0)
    return pd.Series(frame.iloc[:, 0].to_numpy(float), index=pd.Index(frame.index.astype(int)),
                     name="lynx")


def load_pbs() -> pd.Series:
    frame = pd.read_csv(data_path("forecasting", "PBS_dataset.csv"))
    index = pd.PeriodIndex(pd.to_datetime(frame["Month"], format="%Y %b"), freq="M")
    return pd.Series(frame["Scripts"].to_numpy(float), index=index, name="scripts")


def run_classic(split: str, params: dict, quick: bool) -> tuple[list, dict]:
    """Every classic series: ``RNNForecaster(**params)`` against seasonal naive.

    ``split="test"`` forecasts each series' held-out tail from the rest; ``"validation"``
    drops the tail first and holds out as many steps again from the end of the training
    part. The seasonal period comes from the index (12 monthly, 4 quarterly, 1 yearly).
    """
    from m4 import limit_tensorflow

    from seqkit import forecast_metrics as fm
    from seqkit.forecasting import RNNForecaster

    limit_tensorflow(1)
    rows, results = [], {}
    for name, (loader, held_out, metric) in CLASSIC.items():
        y = globals()[loader]()
        if split == "validation":
            y = y.iloc[:-held_out]
        train, test = y.iloc[:-held_out], y.iloc[-held_out:]
        settings = dict(random_state=0, **params, **(dict(epochs=3) if quick else {}))
        started = time.perf_counter()
        forecaster = RNNForecaster(**settings).fit(train)
        seconds = time.perf_counter() - started
        period = forecaster.seasonal_period_
        forecast = np.asarray(forecaster.predict(held_out)).reshape(test.shape)
        band = forecaster.predict_interval(held_out, coverage=0.9)
        lower = np.asarray(band.xs("lower", axis=1, level=-1) if band.columns.nlevels > 1
                           else band["lower"]).reshape(test.shape)
        upper = np.asarray(band.xs("upper", axis=1, level=-1) if band.columns.nlevels > 1
                           else band["upper"]).reshape(test.shape)
        naive = seasonal_naive(train, held_out, period)

        def error(values, metric=metric, test=test, train=train, period=period):
            if metric == "mape":
                return fm.mape(test, values)
            return fm.mase(np.asarray(test), values, np.asarray(train), seasonal_period=period)

        results[name] = dict(metric=metric, held_out=held_out, seasonal_period=period,
                             seqkit=error(forecast), seasonal_naive=error(naive),
                             coverage_90=fm.interval_coverage(np.asarray(test), lower, upper),
                             fit_seconds=seconds, epochs=forecaster.n_iter_,
                             fallback=forecaster.fallback_.tolist(),
                             base_weight=forecaster.base_weight_.tolist(),
                             ensemble_size=forecaster.ensemble_size_)
        r = results[name]
        # 1e-9: a forecast that equals seasonal naive up to rounding (PBS's test tail is
        # all zeros, seasonal naive's MASE 0, the back-transformed base 1e-17) is a tie
        r["no_worse_than_seasonal_naive"] = bool(r["seqkit"] <= r["seasonal_naive"] + 1e-9)
        rows.append([name, metric, r["seqkit"], r["seasonal_naive"],
                     r["no_worse_than_seasonal_naive"], r["coverage_90"],
                     round(seconds, 1), str(r["fallback"])])
    return rows, results


def seasonal_naive(train: pd.Series | pd.DataFrame, horizon: int, period: int) -> np.ndarray:
    last = np.asarray(train)[-period:]
    return np.concatenate([last] * (horizon // period + 1))[:horizon]


def fixed_growth(train: pd.Series, horizon: int, period: int, last: int | None) -> np.ndarray:
    """Last season times a constant growth, compounded season by season: the mean of the
    ``last`` most recent log changes over one season (None: all of them)."""
    log = np.log(np.asarray(train, dtype=float))
    growth = (log[period:] - log[:-period])[-last if last else None:].mean()
    path = list(log)
    for _ in range(horizon):
        path.append(path[-period] + growth)
    return np.exp(path[len(log):])


def run_growth_rules() -> tuple[list, dict]:
    """Why one 36-month holdout ranks forecasters weakly: the latest year's growth
    against the long-run mean growth, on the inner folds and on the test months."""
    from seqkit import forecast_metrics as fm

    y = load_airline()
    folds = [(y.iloc[:origin], y.iloc[origin: origin + INNER_HORIZON])
             for origin in (*INNER_ORIGINS, len(y) - AIRLINE_TEST)]
    rows, results = [], {}
    rules = {"latest year-over-year change": 1, "mean change of the last 12 months": 12,
             "mean change of all months": None}
    for name, last in rules.items():
        mapes = [fm.mape(test, fixed_growth(train, len(test), 12, last))
                 for train, test in folds]
        results[name] = dict(inner_mapes=mapes[:-1], inner_mean=float(np.mean(mapes[:-1])),
                             test_mape=mapes[-1])
        rows.append([name, *mapes[:-1], float(np.mean(mapes[:-1])), mapes[-1]])
    return rows, results


def auto_ets(train: pd.Series, horizon: int, period: int) -> tuple[np.ndarray, str]:
    """The ETS model with the lowest AICc among error/trend/seasonal combinations.

    Multiplicative error or season only for a positive series; a model statsmodels
    cannot fit is skipped.
    """
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    positive = bool((np.asarray(train) > 0).all())
    kinds = ("add", "mul") if positive else ("add",)
    best = None
    for error, trend, damped, seasonal in itertools.product(
            kinds, (None, "add"), (False, True), (None, *kinds)):
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


def fit_and_score(params: dict, train: pd.Series, test: pd.Series) -> dict:
    """Fit ``RNNForecaster(**params)`` on ``train``; MAPE and 90 % coverage on ``test``."""
    from seqkit import forecast_metrics as fm
    from seqkit.forecasting import RNNForecaster

    wall, cpu = time.perf_counter(), time.process_time()
    forecaster = RNNForecaster(**params).fit(train)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    forecast = forecaster.predict(len(test))
    assert forecast.index.equals(test.index)
    band = forecaster.predict_interval(len(test), coverage=0.9)
    coverage = float(((test >= band["lower"]) & (test <= band["upper"])).mean())
    return dict(mape=fm.mape(test, forecast), coverage_90=coverage, fit_seconds=wall,
                fit_cpu_seconds=cpu, epochs=forecaster.n_iter_)


def run_airline(args) -> tuple[list, dict]:
    from seqkit import forecast_metrics as fm

    y = load_airline()
    train, test = y.iloc[:-AIRLINE_TEST], y.iloc[-AIRLINE_TEST:]
    rows, results = [], {"seqkit": []}
    for seed in range(args.seeds):
        params = dict(random_state=seed, **(dict(epochs=5) if args.quick else {}))
        run = dict(random_state=seed, **fit_and_score(params, train, test))
        results["seqkit"].append(run)
        rows.append([f"seqkit RNNForecaster (defaults, random_state={seed})", run["mape"],
                     run["coverage_90"], round(run["fit_seconds"], 1),
                     round(run["fit_cpu_seconds"], 1), "-"])
    methods = {
        "seasonal naive": lambda: (seasonal_naive(train, AIRLINE_TEST, 12), ""),
        "statsmodels AutoETS-style": lambda: auto_ets(train, AIRLINE_TEST, 12),
        "statsmodels Holt-Winters (add trend, mul season)":
            lambda: (holt_winters(train, AIRLINE_TEST, 12), ""),
    }
    for name, method in methods.items():
        found = []
        seconds, _ = timed(lambda method=method, found=found: found.extend(method()))
        forecast, chosen = found
        label = f"{name} ({chosen})" if chosen else name
        mape = fm.mape(test, forecast)
        results[label], results[f"{label} fit seconds"] = mape, seconds
        published = next((v for k, v in PUBLISHED_AIRLINE.items()
                          if name.replace("statsmodels ", "").startswith(k)), "-")
        rows.append([label, mape, "-", round(seconds, 2), "-", published])
    return rows, results


def run_inner_holdout(args) -> tuple[list, dict]:
    """How the defaults were chosen: candidates scored on the Airline *training* part.

    From each of ``INNER_ORIGINS`` the next ``INNER_HORIZON`` months are forecast, all
    within the first 108 months; the 36 test months are never read. Seasonal naive and
    the AutoETS-style choice are scored on the same folds for reference.
    """
    from seqkit import forecast_metrics as fm

    y = load_airline().iloc[:-AIRLINE_TEST]
    folds = [(y.iloc[:origin], y.iloc[origin: origin + INNER_HORIZON])
             for origin in INNER_ORIGINS]
    rows, results = [], {}
    for name, candidate in INNER_CANDIDATES.items():
        # The folds (48-72 months) are too short to validate, so the defaults would
        # forecast them with the base (round 8); these candidates compare the network's
        # settings, so the fallback is off, as it was in effect before round 8.
        runs = [fit_and_score(dict(candidate, random_state=0, fallback=False,
                                   **(dict(epochs=5) if args.quick else {})), train, test)
                for train, test in folds]
        results[name] = dict(params=candidate, runs=runs,
                             mean_mape=float(np.mean([r["mape"] for r in runs])))
        rows.append([name, *(r["mape"] for r in runs), results[name]["mean_mape"]])
    references = {
        "seasonal naive": lambda train: seasonal_naive(train, INNER_HORIZON, 12),
        "statsmodels AutoETS-style": lambda train: auto_ets(train, INNER_HORIZON, 12)[0],
    }
    for name, forecast in references.items():
        mapes = [fm.mape(test, forecast(train)) for train, test in folds]
        results[name] = dict(mapes=mapes, mean_mape=float(np.mean(mapes)))
        rows.append([name, *mapes, results[name]["mean_mape"]])
    return rows, results


def run_uschange(args) -> tuple[list, dict]:
    """Rolling origins over the last 24 quarters, 4 quarters ahead from each.

    One global ``RNNForecaster`` is fitted on the five series up to the first origin and
    moved from origin to origin with ``update`` (no refit); the baselines, including ETS
    per series, are recomputed at every origin from all data before it.
    """
    from seqkit import forecast_metrics as fm
    from seqkit.forecasting import RNNForecaster

    y = load_uschange()
    first = len(y) - USCHANGE_TEST
    origins = list(range(first, len(y) - USCHANGE_HORIZON + 1, USCHANGE_HORIZON))
    # growth rates: stationary, so neither seasonal differencing nor anchoring on the last
    # value; a window of four years. 720 training windows: one network and larger batches
    # (an ensemble of five costs minutes on a busy machine)
    params = dict(window=16, horizon=USCHANGE_HORIZON, seasonal_difference=False,
                  anchor=False, ensemble_size=1, batch_size=64, random_state=0)
    if args.quick:
        params.update(epochs=5)
    start = time.perf_counter()
    forecaster = RNNForecaster(**params).fit(y.iloc[:first])
    seconds = time.perf_counter() - start
    methods = ["seqkit (one global model)", "statsmodels AutoETS-style (per series)",
               "naive (last value)", "seasonal naive (4)", "training mean"]
    errors = {name: {column: [] for column in y.columns} for name in methods}
    inside = []
    for origin in origins:
        if origin > forecaster.series_.shape[0]:
            forecaster.update(y.iloc[forecaster.series_.shape[0]:origin])
        train, test = y.iloc[:origin], y.iloc[origin: origin + USCHANGE_HORIZON]
        band = forecaster.predict_interval(USCHANGE_HORIZON, coverage=0.9)
        inside.append(((test >= band.xs("lower", axis=1, level=1))
                       & (test <= band.xs("upper", axis=1, level=1))).to_numpy())
        forecasts = {
            methods[0]: forecaster.predict(USCHANGE_HORIZON).to_numpy(),
            methods[1]: np.column_stack([auto_ets(train[c], USCHANGE_HORIZON, 4)[0]
                                         for c in y.columns]),
            methods[2]: np.repeat(train.to_numpy()[-1:], USCHANGE_HORIZON, axis=0),
            methods[3]: seasonal_naive(train, USCHANGE_HORIZON, 4),
            methods[4]: np.repeat(train.to_numpy().mean(0, keepdims=True),
                                  USCHANGE_HORIZON, 0),
        }
        for name, values in forecasts.items():
            for i, column in enumerate(y.columns):
                errors[name][column].append(fm.mase(test[column], values[:, i],
                                                    train[column], seasonal_period=1))
    rows, results = [], {"origins": [str(y.index[o - 1]) for o in origins],
                         "horizon": USCHANGE_HORIZON, "fit_seconds": seconds}
    for name in methods:
        per_series = [float(np.mean(errors[name][c])) for c in y.columns]
        results[name] = dict(zip(y.columns, per_series, strict=True),
                             mean=float(np.mean(per_series)))
        rows.append([name, *per_series, float(np.mean(per_series))])
    results["seqkit_coverage_90"] = float(np.mean(inside))
    return rows, results


def main() -> None:
    def options(parser):
        parser.add_argument("--seeds", type=int, default=3,
                            help="random_state values 0..N-1 for seqkit on Airline")
        parser.add_argument("--growth-rules", action="store_true",
                            help="only the two fixed-growth reference forecasts on the "
                                 "inner folds and the test months; writes "
                                 "forecasting_growth_rules.json")
        parser.add_argument("--classic", choices=("test", "validation"), default=None,
                            help="every classic series against seasonal naive; writes "
                                 "forecasting_classic_<split>[_<name>].json")
        parser.add_argument("--params", default="{}",
                            help="JSON of RNNForecaster parameters for --classic")
        parser.add_argument("--name", default="", help="suffix of the --classic results")
        parser.add_argument("--inner", action="store_true",
                            help="only score candidate defaults on the Airline training "
                                 "part (inner holdout, how the defaults were chosen); "
                                 "writes forecasting_inner.json")

    args = parse_args(__doc__.splitlines()[0], options)
    if args.classic:
        params = json.loads(args.params)
        rows, results = run_classic(args.classic, params, args.quick)
        table = print_table(["series", "metric", "seqkit", "seasonal naive", "no worse",
                             "90% coverage", "fit s", "fallback"], rows,
                            title=f"Classic series, {args.classic} split, params {params}")
        name = "_".join(filter(None, ["forecasting_classic", args.classic, args.name,
                                      "quick" if args.quick else ""]))
        write_results(name, {"split": args.classic, "params": params, "quick": args.quick,
                             "threads": "1 TensorFlow intra-/inter-op thread"},
                      results, table)
        return
    if args.growth_rules:
        rows, results = run_growth_rules()
        table = print_table(["rule", *(f"MAPE from {o}" for o in INNER_ORIGINS),
                             "inner mean", "test MAPE"], rows,
                            title="Airline: fixed-growth forecasts, inner folds and test")
        write_results("forecasting_growth_rules", {"origins": INNER_ORIGINS,
                                                   "horizon": INNER_HORIZON}, results, table)
        return
    if args.inner:
        inner_rows, inner = run_inner_holdout(args)
        table = print_table(
            ["candidate", *(f"MAPE from {o}" for o in INNER_ORIGINS), "mean"], inner_rows,
            title=f"Airline training part only (months 1-108): {INNER_HORIZON}-month "
                  f"forecasts, inner holdout of the defaults")
        write_results("forecasting_inner_quick" if args.quick else "forecasting_inner",
                      {"quick": args.quick, "origins": INNER_ORIGINS, "horizon": INNER_HORIZON,
                       "random_state": 0},
                      inner, table)
        return
    rows, airline = run_airline(args)
    table = print_table(["Airline, last 36 months", "MAPE", "90% coverage", "fit s",
                         "fit CPU s", "published"], rows, title="Airline passengers")
    worst = max(run["mape"] for run in airline["seqkit"])
    slowest = max(run["fit_seconds"] for run in airline["seqkit"])
    goals = [check_goal("Airline MAPE <= 0.05 (defaults, worst seed)", worst, worst <= 0.05),
             check_goal("fit < 120 s (slowest seed)", slowest, slowest < 120)]
    us_rows, uschange = run_uschange(args)
    columns = list(load_uschange().columns)
    table += "\n\n" + print_table(
        ["Uschange, 6 origins x 4 quarters: MASE", *columns, "mean"], us_rows,
        title="Uschange (5 series, one global model; mean MASE over the origins)")
    print(f"seqkit 90% interval coverage on Uschange: {uschange['seqkit_coverage_90']:.3f}")
    name = "forecasting_quick" if args.quick else "forecasting"
    write_results(name, {"seeds": args.seeds, "quick": args.quick},
                  {"airline": airline, "uschange": uschange, "goals": goals}, table)


if __name__ == "__main__":
    main()
