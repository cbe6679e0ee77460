"""Resident memory over many fits in one process: seqkit against plain Keras.

Each contender runs in its own fresh subprocess (both at once) and fits a small LSTM classifier many
times (as a grid search does), recording the process RSS (psutil) after each fit and a
``gc.collect()``. Plain Keras builds, compiles and fits a new model each time and calls
``keras.backend.clear_session()`` after it. Growth per fit is the slope of a
least-squares line over fits 6.. (the first fits also load libraries and warm caches).

Run ``python benchmarks/memory.py`` (add ``--quick`` for a smoke run).
"""

from __future__ import annotations

import gc
from concurrent.futures import ThreadPoolExecutor

import _common as common
import numpy as np

FULL = dict(fits=50, skip=5, n=200, steps=20, features=3, units=16, epochs=2)
QUICK = dict(fits=8, skip=5, n=64, steps=10, features=3, units=4, epochs=1)


def fit_seqkit(X, y, cfg: dict, index: int) -> None:
    """One seqkit fit; the estimator is dropped afterwards."""
    from seqkit import SequenceClassifier

    SequenceClassifier(units=cfg["units"], epochs=cfg["epochs"], early_stopping=False,
                       patience=None, random_state=index).fit(X, y)


def fit_keras(X, y, cfg: dict, index: int) -> None:
    """One plain-Keras fit of the same network, then ``clear_session()``."""
    import keras

    model = common.keras_lstm(cfg["steps"], cfg["features"], cfg["units"])
    model.fit(X, y, batch_size=32, epochs=cfg["epochs"], verbose=0)
    del model
    keras.backend.clear_session()


WORKERS = {"seqkit": fit_seqkit, "keras + clear_session": fit_keras}


def worker(name: str, cfg: dict) -> None:
    """Run in the subprocess: fit ``cfg['fits']`` times, emit the RSS after each (MB)."""
    import psutil

    process = psutil.Process()
    X, y = common.make_sequences(cfg["n"], cfg["steps"], cfg["features"])
    rss = []
    for index in range(cfg["fits"]):
        WORKERS[name](X, y, cfg, index)
        gc.collect()
        rss.append(process.memory_info().rss / 2**20)
    common.emit({"rss_mb": rss})


def growth_per_fit(rss_mb: list[float], skip: int) -> float:
    """Slope (MB per fit) of a least-squares line through the RSS after fits ``skip+1``.."""
    fits = np.arange(skip + 1, len(rss_mb) + 1)
    return float(np.polyfit(fits, rss_mb[skip:], 1)[0])


def main() -> None:
    started = common.run_worker_or_config(__doc__.splitlines()[0], QUICK, FULL, worker)
    if started is None:
        return
    args, cfg = started
    print(f"memory: {cfg}", flush=True)

    # The subprocesses share no memory, so they can run at the same time.
    with ThreadPoolExecutor(len(WORKERS)) as pool:
        answers = dict(zip(WORKERS, pool.map(
            lambda name: common.run_worker(__file__, name, ["--quick"] if args.quick else []),
            WORKERS), strict=True))
    results, rows = {}, []
    for name, answer in answers.items():
        if "error" in answer:
            results[name] = answer
            rows.append([name, "error", answer["error"][:60], "", ""])
            continue
        rss = answer["rss_mb"]
        slope = growth_per_fit(rss, cfg["skip"])
        results[name] = dict(rss_mb=rss, growth_mb_per_fit=slope)
        rows.append([name, rss[0], rss[cfg["skip"]], rss[-1], slope])
    table = common.print_table(
        ["contender", "RSS after fit 1 (MB)", f"after fit {cfg['skip'] + 1}",
         f"after fit {cfg['fits']}", f"MB/fit (fits {cfg['skip'] + 1}-{cfg['fits']})"],
        rows, title=f"\nResident memory over {cfg['fits']} fits in one process")
    slope = results["seqkit"].get("growth_mb_per_fit", float("nan"))
    goal = common.check_goal("seqkit growth <= 2 MB/fit", slope, slope <= 2)
    common.write_results("memory" + ("_quick" if args.quick else ""), cfg,
                         dict(contenders=results, goal=goal), table)


if __name__ == "__main__":
    main()
