"""Series too short to validate: the network, the base or their mean (round 8).

With ``early_stopping="auto"``, ``RNNForecaster`` trains without validation windows when
a series has too few forecast windows (about 38 with the defaults), so ``fallback``
cannot choose a weight on the statistical base. This script scores the three weights a
rule could give every series in that regime, from one fit per task (the weight is
applied after training, as ``fallback`` does): N = 0 (the network), H = 0.5 (the mean
of network and base), B = 1 (the base). Tasks use training data only (round 8 of the
forecaster's protocol, docs/benchmarks/tuning-appendix.md):

* Airline and PBS fitted on their first 36, 48, 60 and 72 months, Lynx on its first
  24, 36, 48 and 60 years (1, 13, 25 and 37 windows), Uschange (five quarterly series,
  one model) on its first 40, 52 and 64 quarters; each forecasts the next 12;
* M4 Hourly, every 8th series of the validation split's training part (the last 48
  hours dropped), each alone, cut to the 60, 69 or 89 hours before the 24 it forecasts
  (1, 10 and 30 windows with ``seasonal_period=24``).

MASE is scaled by the in-sample seasonal naive error (naive for Lynx), averaged within
each group (Airline, Lynx, PBS, Uschange, M4 at each length), then over the groups.
A second table gives the share of the held-out values inside the defaults' 80 / 90 /
95 % intervals (with the base weights the fit chose) and their MSIS at 95 % (M4's
interval score, scaled as MASE; round 11), beside statsforecast's seasonal naive
intervals on the same tasks.

    python benchmarks/short_series.py [--quick]
    python benchmarks/short_series.py --params '{"fallback": false}' --name network
    python benchmarks/short_series.py --summarise benchmarks/results/short_series.json
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _common import parse_args, print_table, write_results
from forecasting import load_airline, load_lynx, load_pbs, load_uschange
from m4 import load as load_m4
from m4 import limit_tensorflow

CANDIDATES = {"N": 0.0, "H": 0.5, "B": 1.0}  # weight on the base
LEVELS = (0.8, 0.9, 0.95)  # the intervals whose coverage is measured
CLASSIC = {"Airline": (load_airline, (36, 48, 60, 72)), "Lynx": (load_lynx, (24, 36, 48, 60)),
           "PBS": (load_pbs, (36, 48, 60, 72)), "Uschange": (load_uschange, (40, 52, 64))}
CLASSIC_AHEAD = 12
M4_EVERY, M4_LENGTHS, M4_AHEAD, M4_PERIOD = 8, (60, 69, 89), 24, 24


def scores_by_weight(forecaster, train: np.ndarray, test: np.ndarray) -> dict:
    """MASE of each candidate weight, mean over the series of one fit (shape (T, k))."""
    from seqkit import forecast_metrics as fm

    # Constant series always take the base (the fit's own test; other series in this
    # regime take the base too, by the rule round 8 chose, so the weight cannot tell).
    constant = np.array([np.ptp(values) == 0 for values in forecaster.values_])
    scores = {}
    for name, weight in CANDIDATES.items():
        forecaster.base_weight_ = np.where(constant, 1.0, weight)
        forecast = np.asarray(forecaster.predict(len(test)), dtype=float).reshape(test.shape)
        per_series = []
        for column in range(test.shape[1]):
            try:
                per_series.append(fm.mase(test[:, column], forecast[:, column],
                                          train[:, column],
                                          seasonal_period=forecaster.seasonal_period_))
            except ValueError:  # zero in-sample scale (a constant stretch): not scored
                continue
        scores[name] = float(np.mean(per_series)) if per_series else float("nan")
    return scores


def scaled_interval_score(train: np.ndarray, test: np.ndarray, lower: np.ndarray,
                          upper: np.ndarray, period: int) -> float:
    """MSIS at 95 % (shapes (T, k)), the mean over the series whose in-sample seasonal
    naive error is not zero (as MASE skips them); NaN when none is scored."""
    from seqkit import forecast_metrics as fm

    per_series = []
    for column in range(test.shape[1]):
        try:
            per_series.append(fm.msis(test[:, column], lower[:, column], upper[:, column],
                                      train[:, column], seasonal_period=period))
        except ValueError:  # zero in-sample scale (a constant stretch): not scored
            continue
    return float(np.mean(per_series)) if per_series else float("nan")


def interval_coverage(forecaster, train: np.ndarray, test: np.ndarray) -> dict:
    """Share of ``test`` (shape (T, k)) inside each of the fit's own intervals, and the
    MSIS of its 95 % interval."""
    from seqkit import forecast_metrics as fm

    scores = {}
    for level in LEVELS:
        frame = forecaster.predict_interval(len(test), coverage=level)
        bounds = [np.asarray(frame.xs(side, axis=1, level=-1) if frame.columns.nlevels > 1
                             else frame[side], dtype=float).reshape(test.shape)
                  for side in ("lower", "upper")]
        scores[f"coverage_{round(level * 100)}"] = fm.interval_coverage(test, *bounds)
    scores["msis"] = scaled_interval_score(train, test, *bounds,
                                           forecaster.seasonal_period_)
    return scores


def seasonal_naive_coverage(train: np.ndarray, test: np.ndarray, period: int) -> dict:
    """The same scores for statsforecast's seasonal naive intervals (the baseline)."""
    from statsforecast.models import SeasonalNaive

    levels = [round(level * 100) for level in LEVELS]
    bounds = {level: np.empty((2, *test.shape)) for level in levels}
    for column in range(train.shape[1]):
        forecast = SeasonalNaive(season_length=period).forecast(
            y=train[:, column], h=len(test), level=levels)
        for level in levels:
            bounds[level][:, :, column] = forecast[f"lo-{level}"], forecast[f"hi-{level}"]
    return {**{f"snaive_coverage_{level}": float(np.mean(
                (test >= bounds[level][0]) & (test <= bounds[level][1]))) for level in levels},
            "snaive_msis": scaled_interval_score(train, test, *bounds[levels[-1]], period)}


def run_task(y_train, y_test, **settings) -> dict:
    """Fit the defaults on ``y_train``, score every candidate weight on ``y_test`` and
    the coverage of the defaults' intervals (with the weights the fit chose)."""
    from seqkit.forecasting import RNNForecaster

    started = time.perf_counter()
    forecaster = RNNForecaster(random_state=0, **settings).fit(y_train)
    seconds = time.perf_counter() - started
    train = np.asarray(y_train, dtype=float).reshape(len(y_train), -1)
    test = np.asarray(y_test, dtype=float).reshape(len(y_test), -1)
    fitted_weights = forecaster.base_weight_.copy()
    scores = scores_by_weight(forecaster, train, test)
    forecaster.base_weight_ = fitted_weights
    return {"length": len(y_train), "windows": int(forecaster.n_windows_),
            "validated": bool(forecaster.early_stopping_used_), "fit_s": seconds,
            "base_weight": float(np.mean(fitted_weights)), **scores,
            **interval_coverage(forecaster, train, test),
            **seasonal_naive_coverage(train, test, forecaster.seasonal_period_)}


def tasks(quick: bool):
    """(group, label, y_train, y_test, settings) of every task."""
    for name, (loader, lengths) in CLASSIC.items():
        y = loader()
        for length in lengths[:1] if quick else lengths:
            yield (name, f"{name}[:{length}]", y.iloc[:length],
                   y.iloc[length: length + CLASSIC_AHEAD], {})
    train, _ = load_m4("validation", None)
    names = list(train)[::M4_EVERY][:2 if quick else None]
    for length in M4_LENGTHS:
        for name in names:
            values = train[name][-(length + M4_AHEAD):]
            yield (f"M4 {length} h", f"{name}[-{length + M4_AHEAD}:]",
                   pd.Series(values[:length]), pd.Series(values[length:]),
                   {"seasonal_period": M4_PERIOD})


def summary(results: dict) -> tuple[dict, str]:
    """Group means (the rule's score), group medians, the mean over groups and the worst
    group of each candidate, and the printed table."""
    means = {group: {name: float(np.nanmean([r[name] for r in rows.values()]))
                     for name in CANDIDATES} for group, rows in results.items()}
    medians = {group: {name: float(np.nanmedian([r[name] for r in rows.values()]))
                       for name in CANDIDATES} for group, rows in results.items()}
    overall = {name: float(np.mean([m[name] for m in means.values()])) for name in CANDIDATES}
    worst = {name: max(means, key=lambda group, name=name: means[group][name])
             for name in CANDIDATES}
    rows = [[group, len(results[group]), *(means[group][name] for name in CANDIDATES),
             " / ".join(f"{medians[group][name]:.3f}" for name in CANDIDATES),
             sum(r["validated"] for r in results[group].values())]
            for group in means]
    rows.append(["mean of the groups", "", *(overall[name] for name in CANDIDATES), "", ""])
    rows.append(["worst group", "", *(f"{worst[n]} {means[worst[n]][n]:.3f}"
                                      for n in CANDIDATES), "", ""])
    table = print_table(["group", "tasks", "N network", "H mean", "B base",
                         "median N / H / B", "validated (out of regime)"], rows,
                        "Series too short to validate: mean MASE by weight on the base")
    return {"group_means": means, "group_medians": medians, "overall": overall,
            "worst_group": worst}, table


def scored_statistic(values: list, statistic=np.mean) -> float:
    """``statistic`` of the values that are not None or NaN; NaN when none is."""
    scored = [value for value in values if value is not None and not np.isnan(value)]
    return float(statistic(scored)) if scored else float("nan")


def coverage_summary(results: dict) -> tuple[dict, str]:
    """Mean coverage of the defaults' intervals (and of seasonal naive's) by group, and
    the printed table; tasks in the regime (no validation windows) and out of it apart.

    Each group also gets ``coverage_error``, the mean over the levels of
    |coverage - nominal| (round 10's score), and ``msis`` (``snaive_msis``), the mean
    MSIS at 95 % of its tasks (round 11; NaN in records written before it), with the
    median and largest of the defaults' (``msis_median``, ``msis_max``); the table ends
    with the means over the groups and the worst group's coverage error."""
    keys = [f"coverage_{round(level * 100)}" for level in LEVELS]
    table_rows, means = [], {}
    for group, rows in results.items():
        for validated in (False, True):
            chosen = [r for r in rows.values() if r["validated"] == validated]
            if chosen:
                label = f"{group}, {'validated' if validated else 'too short'}"
                means[label] = {key: float(np.mean([r[key] for r in chosen]))
                                for key in keys + [f"snaive_{key}" for key in keys]}
                means[label].update({key: scored_statistic([r.get(key) for r in chosen])
                                     for key in ("msis", "snaive_msis")})
                msis = [r.get("msis") for r in chosen]
                means[label].update(msis_median=scored_statistic(msis, np.median),
                                    msis_max=scored_statistic(msis, np.max))
                means[label]["coverage_error"] = float(np.mean(
                    [abs(means[label][key] - level) for key, level in
                     zip(keys, LEVELS, strict=True)]))
                baseline = " / ".join(f"{means[label][f'snaive_{key}']:.3f}" for key in keys)
                table_rows.append([label, len(chosen),
                                   *(means[label][key] for key in keys),
                                   means[label]["coverage_error"],
                                   " / ".join(f"{means[label][key]:.3g}" for key in
                                              ("msis", "msis_median", "msis_max")),
                                   f"{baseline}, {means[label]['snaive_msis']:.2f}",
                                   float(np.mean([r["base_weight"] for r in chosen]))])
    errors = {label: row["coverage_error"] for label, row in means.items()}
    worst = max(errors, key=errors.get)
    overall = {"mean_coverage_error": float(np.mean(list(errors.values()))),
               "worst_group": worst, "worst_coverage_error": errors[worst],
               "mean_msis": float(np.mean([row["msis"] for row in means.values()])),
               "mean_snaive_msis": float(np.mean([row["snaive_msis"]
                                                  for row in means.values()]))}
    table_rows.append(["mean of the groups", "", "", "", "",
                       overall["mean_coverage_error"], f"{overall['mean_msis']:.3g}",
                       f"MSIS {overall['mean_snaive_msis']:.2f}", ""])
    table_rows.append(["worst group", "", "", "", "", f"{worst} {errors[worst]:.3f}", "",
                       "", ""])
    table = print_table(["group", "tasks", *(f"{key[9:]} % interval" for key in keys),
                         "mean |coverage - nominal|", "MSIS (95 %) mean / median / max",
                         "seasonal naive 80 / 90 / 95 %, MSIS", "mean base weight"],
                        table_rows,
                        "The defaults' intervals: share of the held-out values covered")
    return {**means, "overall": overall}, table


def main() -> None:
    def options(parser):
        parser.add_argument("--summarise", type=Path, default=None,
                            help="print the table of an earlier results file; no fits")
        parser.add_argument("--params", default="{}",
                            help="JSON of RNNForecaster parameters for every task (round "
                                 "13: '{\"fallback\": false}')")
        parser.add_argument("--name", default="",
                            help="suffix of the results file (short_series_<name>.json)")

    args = parse_args(__doc__.splitlines()[0], options)
    if args.summarise:
        results = json.loads(args.summarise.read_text())["results"]["tasks"]
        summary(results)
        if all("coverage_90" in row for rows in results.values() for row in rows.values()):
            coverage_summary(results)
        return
    limit_tensorflow(1)
    settings = {**json.loads(args.params), **({"epochs": 3} if args.quick else {})}
    results = {}
    for group, label, y_train, y_test, params in tasks(args.quick):
        row = run_task(y_train, y_test, **params, **settings)
        results.setdefault(group, {})[label] = row
        print(group, label, {k: round(v, 3) if isinstance(v, float) else v
                             for k, v in row.items()}, flush=True)
    scores, table = summary(results)
    coverage, coverage_table = coverage_summary(results)
    name = "_".join(filter(None, ["short_series", args.name, "quick" if args.quick else ""]))
    write_results(name,
                  {"candidates": CANDIDATES, "classic": {k: v[1] for k, v in CLASSIC.items()},
                   "classic_ahead": CLASSIC_AHEAD, "m4_every": M4_EVERY,
                   "m4_lengths": M4_LENGTHS, "m4_ahead": M4_AHEAD,
                   "params": json.loads(args.params),
                   "threads": "1 (TensorFlow intra/inter-op)"},
                  {"tasks": results, **scores, "coverage": coverage},
                  table + "\n\n" + coverage_table)


if __name__ == "__main__":
    main()
