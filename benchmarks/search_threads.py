"""Wall time of a small GridSearchCV with n_jobs=2, with and without seqkit's thread limit.

The same search (8 candidates x 3 folds, then the refit) runs in a fresh process three
ways: serially with TensorFlow's default threads (all cores); with ``n_jobs=2`` (joblib's
loky workers) and no limit (``SEQKIT_NUM_THREADS=0``: each worker's TensorFlow uses all
cores, so 2 workers on 2 cores run 2 x 2 pools); and with ``n_jobs=2`` under seqkit's
default rule (the workers honour the ``OMP_NUM_THREADS`` loky sets: cores // n_jobs).
The three run in turn, in rotating order, ``--repeats`` times. The machine is shared, so
the load average is recorded before and after every run.

Run ``python benchmarks/search_threads.py`` (add ``--quick`` for a smoke run).
"""

from __future__ import annotations

import os
import time

import _common as common

FULL = dict(n=240, steps=40, features=4, epochs=4, batch_size=32, cv=3, repeats=2,
            grid={"cell": ["gru", "lstm"], "units": [16, 32], "learning_rate": [1e-3, 3e-3]})
QUICK = dict(n=48, steps=10, features=2, epochs=1, batch_size=16, cv=2, repeats=1,
             grid={"cell": ["gru"], "units": [4, 8]})

# name: (n_jobs, environment for the run; None removes a variable)
CONTENDERS = {
    "serial, default threads": (1, {"SEQKIT_NUM_THREADS": "0"}),
    "n_jobs=2, no limit": (2, {"SEQKIT_NUM_THREADS": "0"}),
    "n_jobs=2, seqkit limit": (2, {"SEQKIT_NUM_THREADS": None}),
}
# Cleared for every run, so that only the contender's setting counts (/work/bin/heavy
# and CI may set them).
CLEARED = ("OMP_NUM_THREADS", "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS",
           "SEQKIT_NUM_THREADS")


def worker_threads(_) -> tuple[int, int | None, int]:
    """In a search worker: its pid, TensorFlow's intra-op threads, its OS threads."""
    import psutil

    import seqkit._backend  # noqa: F401  (applies the rule, as unpickling an estimator does)
    from seqkit import get_threads

    return os.getpid(), get_threads(), psutil.Process().num_threads()


def worker(name: str, cfg: dict) -> None:
    """Run in the subprocess: time one search; emit the seconds and the worker threads."""
    import joblib
    from sklearn.model_selection import GridSearchCV

    from seqkit import SequenceClassifier

    n_jobs = CONTENDERS[name][0]
    X, y = common.make_sequences(cfg["n"], cfg["steps"], cfg["features"])
    estimator = SequenceClassifier(epochs=cfg["epochs"], batch_size=cfg["batch_size"],
                                   early_stopping=False, patience=None, random_state=0)
    search = GridSearchCV(estimator, cfg["grid"], cv=cfg["cv"], n_jobs=n_jobs,
                          error_score="raise")
    start = time.perf_counter()
    search.fit(X, y)
    seconds = time.perf_counter() - start
    threads = joblib.Parallel(n_jobs=n_jobs)(
        joblib.delayed(worker_threads)(i) for i in range(2 * n_jobs))
    common.emit({"seconds": seconds, "best_score": float(search.best_score_),
                 "workers": {str(pid): dict(tf_intra_op_threads=tf_threads,
                                            os_threads=os_threads)
                             for pid, tf_threads, os_threads in threads}})


def run(name: str, quick: bool) -> dict:
    """One contender's search in a fresh process, with the load average around it."""
    env = {**dict.fromkeys(CLEARED), **CONTENDERS[name][1]}
    before = os.getloadavg()
    answer = common.run_worker(__file__, name, ["--quick"] if quick else [], env=env)
    return dict(answer, load_before=[round(x, 2) for x in before],
                load_after=[round(x, 2) for x in os.getloadavg()])


def main() -> None:
    started = common.run_worker_or_config(__doc__.splitlines()[0], QUICK, FULL, worker)
    if started is None:
        return
    args, cfg = started
    print(f"search_threads: {cfg}", flush=True)
    names = list(CONTENDERS)
    runs = {name: [] for name in names}
    for round_ in range(cfg["repeats"]):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            runs[name].append(run(name, args.quick))
            print(f"  {name}: {runs[name][-1].get('seconds', runs[name][-1])}", flush=True)
    results, rows = {}, []
    serial = common.summary([r["seconds"] for r in runs[names[0]] if "seconds" in r])
    for name in names:
        seconds = [r["seconds"] for r in runs[name] if "seconds" in r]
        if not seconds:
            results[name] = dict(runs=runs[name])
            rows.append([name, "error", "", "", "", ""])
            continue
        wall = common.summary(seconds)
        tf_threads = sorted({w["tf_intra_op_threads"] for r in runs[name] if "workers" in r
                             for w in r["workers"].values()})
        loads = [r["load_before"][0] for r in runs[name]] + [r["load_after"][0]
                                                              for r in runs[name]]
        results[name] = dict(n_jobs=CONTENDERS[name][0], wall_seconds=wall,
                             ratio_to_serial=wall["median"] / serial["median"],
                             tf_intra_op_threads_in_workers=tf_threads, runs=runs[name])
        rows.append([name, wall["median"], wall["min"], wall["median"] / serial["median"],
                     ",".join(str(t or "all") for t in tf_threads),
                     f"{min(loads):.2f}-{max(loads):.2f}"])
    limited, unlimited = names[2], names[1]
    if "wall_seconds" in results[limited] and "wall_seconds" in results[unlimited]:
        results["limit_speed_up"] = (results[unlimited]["wall_seconds"]["median"]
                                     / results[limited]["wall_seconds"]["median"])
    from sklearn.model_selection import ParameterGrid

    n_fits = cfg["cv"] * len(ParameterGrid(cfg["grid"]))
    table = common.print_table(
        ["search", "wall s (median)", "min", "ratio to serial", "TF threads/worker",
         "1-min load"],
        rows, title=f"\nGridSearchCV, {n_fits} fits + refit, {os.cpu_count()} cores, "
                    f"{cfg['repeats']} runs each")
    if "limit_speed_up" in results:
        print(f"no limit / limit: {results['limit_speed_up']:.2f}")
    common.write_results("search_threads" + ("_quick" if args.quick else ""), cfg,
                         results, table)


if __name__ == "__main__":
    main()
