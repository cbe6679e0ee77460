"""Bulk predict: seqkit's default against predict_dtype="float64" and Keras predict_on_batch.

One default ``SequenceClassifier`` (its value-series recipe: three convolutions of 128
filters and a 32-unit LSTM) is fitted for one epoch on 500 sequences of 5 to 50 steps
(3 features), so its network takes a mask and plain Keras can predict padded batches.
Three contenders predict with that one network:

* ``seqkit .predict``, the default (``predict_dtype="float32"``): the trained network,
  batches of up to 256 with fixed shapes (widths by length bucket);
* the same estimator with ``predict_dtype="float64"``: a float64 copy of the network;
* ``model_.predict_on_batch`` of the trained float32 network itself on the whole set in
  one call, its inputs standardised and padded beforehand (not timed).

Sets: 500 sequences of 50 steps (a 3-D array) and many short sequences (5 to 15 steps, a
list), timed in interleaved rounds; the ratio is to ``predict_on_batch`` (median of the
within-round ratios). Memory: each contender predicts the short set once in a fresh
process, which records its resident memory (psutil, sampled every 5 ms) and NumPy's
peak allocation (tracemalloc) beyond what it held before the call; Keras here also pads
the whole set (``keras.utils.pad_sequences``) inside the measurement.

Run ``python benchmarks/predict_bulk.py`` (add ``--quick`` for a smoke run).
"""

from __future__ import annotations

import threading
import time
import tracemalloc

import _common as common
import numpy as np

FULL = dict(train=500, steps=50, features=3, units=32, epochs=1, small=500, large=100_000,
            short=(5, 15), small_calls=20, large_calls=2)
QUICK = dict(train=100, steps=50, features=3, units=8, epochs=1, small=100, large=2_000,
             short=(5, 15), small_calls=3, large_calls=1)
KERAS = "keras model_.predict_on_batch"
CONTENDERS = ("seqkit .predict (default, float32)", 'seqkit, predict_dtype="float64"', KERAS)


def fitted(cfg: dict):
    """The classifier fitted on ragged sequences (seeded: every process gets the same)."""
    from seqkit import SequenceClassifier

    rng = np.random.default_rng(0)
    X_dense, y = common.make_sequences(cfg["train"], cfg["steps"], cfg["features"])
    lengths = rng.integers(5, cfg["steps"] + 1, cfg["train"])
    X = [x[:t] for x, t in zip(X_dense, lengths, strict=True)]
    return SequenceClassifier(units=cfg["units"], epochs=cfg["epochs"], early_stopping=False,
                              patience=None, random_state=0).fit(X, y)


def short_sequences(cfg: dict) -> list[np.ndarray]:
    low, high = cfg["short"]
    rng = np.random.default_rng(1)
    return [rng.normal(size=(int(t), cfg["features"])).astype(np.float32)
            for t in rng.integers(low, high + 1, cfg["large"])]


def keras_inputs(clf, X) -> dict:
    """``X`` standardised like seqkit does and padded at once, as the network's inputs."""
    import keras

    mean, scale = clf.input_scaling_
    values = keras.utils.pad_sequences([(x - mean) / scale for x in X], dtype="float32",
                                       padding="post")
    mask = np.arange(values.shape[1])[None, :] < np.array([len(x) for x in X])[:, None]
    return {"values": values, "mask": mask}


def predictors(clf) -> dict:
    """The three contenders as functions of ``X`` (Keras's of prepared inputs)."""
    import pickle

    in_float64 = pickle.loads(pickle.dumps(clf)).set_params(predict_dtype="float64")
    return dict(zip(CONTENDERS, (clf.predict_proba, in_float64.predict_proba,
                                 clf.model_.predict_on_batch), strict=True))


def timing(clf, X, calls: int) -> dict:
    """Interleaved milliseconds of each contender predicting all of ``X``."""
    prepared = keras_inputs(clf, X)
    functions = predictors(clf)
    contenders = {name: (lambda f=f, name=name: f(prepared if name == KERAS else X))
                  for name, f in functions.items()}
    common.interleaved(contenders, 1)  # warm up: traces every batch shape once
    wall, cpu = common.interleaved(contenders, calls)
    return {name: dict(milliseconds=common.summary([v * 1e3 for v in wall[name]]),
                       cpu_milliseconds=common.summary([v * 1e3 for v in cpu[name]]),
                       ratio_to_predict_on_batch=common.paired_ratio(wall[name], wall[KERAS]))
            for name in wall}


def worker(name: str, cfg: dict) -> None:
    """Run in a fresh process: predict the short set once, emit the memory it took."""
    import psutil

    clf = fitted(cfg)
    X = short_sequences(cfg)
    function = predictors(clf)[name]

    def predict(X):
        return function(keras_inputs(clf, X) if name == KERAS else X)

    predict(X[:300])  # traces the predict function outside the measurement
    process = psutil.Process()
    before = process.memory_info().rss
    peak = [before]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], process.memory_info().rss)
            time.sleep(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    tracemalloc.start()
    start = time.perf_counter()
    predict(X)
    seconds = time.perf_counter() - start
    numpy_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    done.set()
    sampler.join()
    common.emit(dict(rss_growth_mb=(peak[0] - before) / 2**20,
                     numpy_peak_mb=numpy_peak / 2**20, seconds=seconds,
                     input_mb=sum(x.nbytes for x in X) / 2**20))


def main() -> None:
    started = common.run_worker_or_config(__doc__.splitlines()[0], QUICK, FULL, worker)
    if started is not None:  # else a worker ran
        compare(*started)


def compare(args, cfg: dict) -> None:
    """Time the contenders on both sets, measure memory in workers, write the results."""
    print(f"predict bulk: {cfg}", flush=True)
    clf = fitted(cfg)
    X_small, _ = common.make_sequences(cfg["small"], cfg["steps"], cfg["features"], seed=2)
    sets = {f"{cfg['small']} x {cfg['steps']} steps": (X_small, cfg["small_calls"]),
            f"{cfg['large']:,} x {cfg['short'][0]}-{cfg['short'][1]} steps":
                (short_sequences(cfg), cfg["large_calls"])}
    results, rows = {"timing": {}, "memory": {}}, []
    for label, (X, calls) in sets.items():
        results["timing"][label] = timing(clf, X, calls)
        for name, r in results["timing"][label].items():
            rows.append([label, name, r["milliseconds"]["median"],
                         r["cpu_milliseconds"]["median"], r["ratio_to_predict_on_batch"]])
        print(rows[-3:], flush=True)
    table = common.print_table(
        ["set", "contender", "ms (median)", "CPU ms (median)", "x predict_on_batch"], rows,
        title=f"\nBulk predict, {cfg['small_calls']} / {cfg['large_calls']} interleaved calls")

    memory_rows = []
    for name in CONTENDERS:
        answer = common.run_worker(__file__, name, ["--quick"] if args.quick else [])
        results["memory"][name] = answer
        memory_rows.append([name] + ([answer["rss_growth_mb"], answer["numpy_peak_mb"],
                                      answer["seconds"]] if "error" not in answer
                                     else ["error", answer["error"][-60:], ""]))
    table += "\n" + common.print_table(
        ["contender", "peak RSS growth (MB)", "NumPy peak (MB)", "seconds"], memory_rows,
        title=f"\nMemory of one predict of the {cfg['large']:,} short sequences "
              f"({results['memory'][CONTENDERS[0]].get('input_mb', 0):.0f} MB of input), "
              "fresh process each")
    goals = []
    for name in sets:
        ratio = results["timing"][name][CONTENDERS[0]]["ratio_to_predict_on_batch"]
        goals.append(common.check_goal(f"default / predict_on_batch <= 1 ({name})", ratio,
                                       ratio <= 1))
    common.write_results("predict_bulk" + ("_quick" if args.quick else ""), cfg,
                         dict(results, goals=goals), table)


if __name__ == "__main__":
    main()
