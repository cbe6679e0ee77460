"""Thousands of series in one global model: RNNForecaster's fit time and memory by panel size.

Issue 20 asks for panels of "thousands of series". M4 Hourly has 414, so this script
generates hourly panels of any size (``--series``), ragged like real ones: each series
has its own length (250 to 960 hours, M4 Hourly's range), start, level, trend, daily and
weekly season (random amplitudes and phases), a random-walk component and noise; the 48
hours after each series are held out. In one process and one run, one thread each:

* Naive2 and statsforecast's SeasonalNaive(24) (the baselines of ``m4.py``, whose
  metric code this script reuses: sMAPE, MASE, OWA, MSIS, coverage);
* ``RNNForecaster(seasonal_period=24)`` with its defaults on the long DataFrame of all
  series, first, so that the process's peak resident memory after it (``peak_rss_mb``)
  is its own and the data's.

The numbers that matter are seqkit's fit and predict seconds and memory against the
panel size (the fit trains at most ``max_windows`` windows whatever the number of
series; what grows with it is the per-series work) and that the network still beats
seasonal naive on data with a weekly season. The data are generated, so the accuracy is
no claim about real series (M4 Hourly is, ``m4.py``).

    python benchmarks/many_series.py --series 5000
    python benchmarks/many_series.py --series 20000 --name many_series_20000
    python benchmarks/many_series.py --series 1000 --params '{"combine_mstl": false}'
    python benchmarks/many_series.py --quick          # 200 series, 2 epochs: smoke run
"""

from __future__ import annotations

import json
import resource
import time

import numpy as np
from _common import parse_args, write_results
from m4 import (HORIZON, PERIOD, results_table, run_naive2, run_seqkit, run_statsforecast,
                score_runs)

LENGTHS = (250, 960)  # hours of training data per series (M4 Hourly: 700 or 960)
WEEK = 7 * PERIOD


def generate(n_series: int, seed: int = 0) -> tuple[dict, dict]:
    """``n_series`` hourly series: training parts of ragged lengths and the next 48 hours.

    Returns
    -------
    train, actual : dict of ndarray, by series name
    """
    rng = np.random.default_rng(seed)
    train, actual = {}, {}
    for i in range(n_series):
        length = int(rng.integers(*LENGTHS, endpoint=True))
        hours = np.arange(length + HORIZON) + int(rng.integers(0, WEEK))
        level = rng.uniform(50, 5000)
        shape = (rng.uniform(0.05, 0.4) * np.sin(2 * np.pi * hours / PERIOD + rng.uniform(0, 6))
                 + rng.uniform(0, 0.3) * np.sin(2 * np.pi * hours / WEEK + rng.uniform(0, 6)))
        drift = rng.normal(0, 2e-4) * np.arange(len(hours))
        walk = np.cumsum(rng.normal(0, 0.01, len(hours)))
        noise = rng.normal(0, rng.uniform(0.01, 0.08), len(hours))
        values = level * np.exp(shape + drift + walk + noise)
        train[f"S{i}"], actual[f"S{i}"] = values[:length], values[length:]
    return train, actual


def peak_rss_mb() -> float:
    """The peak resident memory of this process so far, in MB (Linux: ru_maxrss in kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    def options(parser):
        parser.add_argument("--series", type=int, default=5000, help="series in the panel")
        parser.add_argument("--name", default=None, help="results file name (no .json)")
        parser.add_argument("--note", default="", help="what else ran on the machine")
        parser.add_argument("--params", default="{}",
                            help="RNNForecaster parameters as JSON")

    args = parse_args(__doc__.splitlines()[0], options)
    n_series = 200 if args.quick else args.series
    started = time.perf_counter()
    train, actual = generate(n_series)
    print(f"generated {n_series} series, {sum(map(len, train.values()))} observations, "
          f"in {time.perf_counter() - started:.1f} s; peak memory {peak_rss_mb():.0f} MB",
          flush=True)
    before = peak_rss_mb()
    params = json.loads(args.params)
    seqkit_run = run_seqkit(train, params, args.quick)  # first: the memory peak is its own
    seqkit_run.update(peak_rss_mb=peak_rss_mb(), peak_rss_before_mb=before)
    runs = {"Naive2": run_naive2(train),
            "SeasonalNaive": run_statsforecast("SeasonalNaive", train), "seqkit": seqkit_run}
    results = score_runs(runs, train, actual)
    seqkit = results["seqkit"]
    table = results_table(results, f"{n_series} generated hourly series (ragged, "
                                   f"{LENGTHS[0]}-{LENGTHS[1]} hours), horizon {HORIZON}")
    print(f"seqkit: fit {seqkit['fit_s']:.1f} s, predict {seqkit['predict_s']:.1f} s, "
          f"{seqkit['training_windows']} training windows, peak memory "
          f"{seqkit['peak_rss_mb']:.0f} MB ({before:.0f} MB before the fit)")
    name = args.name or f"many_series_{n_series}" + ("_quick" if args.quick else "")
    config = {"series": n_series, "lengths": list(LENGTHS), "horizon": HORIZON,
              "seasonal_period": PERIOD, "threads": "one TensorFlow thread; "
              "statsforecast n_jobs=1", "other_load": args.note, "params": params}
    write_results(name, config, results, table)


if __name__ == "__main__":
    main()
