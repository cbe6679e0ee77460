"""Predict latency for one sequence: seqkit against plain Keras, scikeras, keras.wrappers.

Each contender is fitted once (same small LSTM, same data), warmed up, then asked for
the prediction of a single sequence many times; calls are interleaved round by round
and the median is reported.

A second table times predicting the whole data set at once (bulk): seqkit's default
(float32, batches of fixed shapes, so that a prediction does not depend on its batch,
see docs/parameters.md), the same estimator with ``predict_dtype="float64"`` and
Keras's ``predict_on_batch`` (``benchmarks/predict_bulk.py`` is the fuller comparison).

Run ``python benchmarks/predict_latency.py`` (add ``--quick`` for a smoke run).
"""

from __future__ import annotations

import contextlib
import io
import _common as common
import numpy as np

FULL = dict(n=500, steps=50, features=3, units=32, epochs=1, warmup=10, calls=200,
            bulk_calls=20)
QUICK = dict(n=100, steps=50, features=3, units=8, epochs=1, warmup=3, calls=20,
             bulk_calls=3)
SEQKIT = "seqkit .predict"
BULK_REFERENCE = "seqkit .predict (default, float32)"


def fitted_contenders(X, y, cfg: dict) -> tuple[dict, dict]:
    """Fit every contender; return zero-argument functions predicting ``X[:1]``, and
    (bulk) functions predicting all of ``X``."""
    from keras.wrappers import SKLearnClassifier
    from scikeras.wrappers import KerasClassifier

    from seqkit import SequenceClassifier

    n, steps, features = X.shape
    units, epochs = cfg["units"], cfg["epochs"]
    one = X[:1]

    # the same network as the Keras contenders: one LSTM, no convolution front end (the
    # value-series recipe adds three 128-filter convolutions, which Keras would not run)
    seqkit = SequenceClassifier(units=units, conv_filters=None, epochs=epochs,
                                early_stopping=False, patience=None,
                                random_state=0).fit(X, y)
    model = common.keras_lstm(steps, features, units)
    model.fit(X, y, epochs=epochs, verbose=0)
    scikeras = KerasClassifier(model=lambda: common.keras_lstm(steps, features, units),
                               epochs=epochs, verbose=0).fit(X, y)
    wrapper = SKLearnClassifier(
        model=lambda X, y: common.keras_lstm(steps, features, units, one_hot=True,
                                             flat_input=True),
        fit_kwargs=dict(epochs=epochs, verbose=0)).fit(X.reshape(n, -1), y)

    def wrapper_predict():
        # SKLearnClassifier.predict has no verbose option and prints a progress bar.
        with contextlib.redirect_stdout(io.StringIO()):
            return wrapper.predict(one.reshape(1, -1))

    import pickle

    in_float64 = pickle.loads(pickle.dumps(seqkit)).set_params(predict_dtype="float64")
    bulk = {
        BULK_REFERENCE: lambda: seqkit.predict(X),
        'the same, predict_dtype="float64"': lambda: in_float64.predict(X),
        "keras model.predict_on_batch": lambda: model.predict_on_batch(X),
    }
    return {
        SEQKIT: lambda: seqkit.predict(one),
        'seqkit, predict_dtype="float64"': lambda: in_float64.predict(one),
        "keras model.predict": lambda: model.predict(one, verbose=0),
        "keras model.predict_on_batch": lambda: model.predict_on_batch(one),
        "scikeras .predict": lambda: scikeras.predict(one),
        "keras.wrappers .predict": wrapper_predict,
    }, bulk


def main() -> None:
    args = common.parse_args(__doc__.splitlines()[0])
    cfg = QUICK if args.quick else FULL
    X, y = common.make_sequences(cfg["n"], cfg["steps"], cfg["features"])
    print(f"predict latency: {cfg}", flush=True)

    contenders, bulk = fitted_contenders(X, y, cfg)
    common.interleaved(contenders, cfg["warmup"])
    wall, cpu = common.interleaved(contenders, cfg["calls"])

    results, rows = {}, []
    for name in wall:
        ms, cpu_ms = [v * 1e3 for v in wall[name]], [v * 1e3 for v in cpu[name]]
        results[name] = dict(
            milliseconds=common.summary(ms),
            p90_milliseconds=float(np.percentile(ms, 90)),
            cpu_milliseconds=common.summary(cpu_ms),
            ratio_to_seqkit=common.paired_ratio(wall[name], wall[SEQKIT]),
        )
        r = results[name]
        rows.append([name, r["milliseconds"]["median"], r["milliseconds"]["min"],
                     r["p90_milliseconds"], r["cpu_milliseconds"]["median"],
                     r["ratio_to_seqkit"]])
    table = common.print_table(
        ["contender", "ms (median)", "ms (min)", "ms (p90)", "CPU ms (median)", "x seqkit"],
        rows, title=f"\nOne-sequence predict latency, {cfg['calls']} interleaved calls each; "
                    "x seqkit is the median of within-round ratios")

    bulk_results, bulk_table = bulk_timing(bulk, cfg)
    table += "\n" + bulk_table
    results["bulk"] = bulk_results
    seqkit_ms = results[SEQKIT]["milliseconds"]["median"]
    scikeras_ratio = results["scikeras .predict"]["ratio_to_seqkit"]
    goals = [common.check_goal("seqkit median <= 5 ms", seqkit_ms, seqkit_ms <= 5),
             common.check_goal("scikeras / seqkit >= 10", scikeras_ratio, scikeras_ratio >= 10)]
    common.write_results("predict_latency" + ("_quick" if args.quick else ""), cfg,
                         dict(contenders=results, goals=goals), table)


def bulk_timing(bulk: dict, cfg: dict) -> tuple[dict, str]:
    """Interleaved timing of the bulk contenders; ratios are to seqkit's default predict."""
    common.interleaved(bulk, 2)
    wall, _ = common.interleaved(bulk, cfg["bulk_calls"])
    reference = wall[BULK_REFERENCE]
    results = {name: dict(milliseconds=common.summary([v * 1e3 for v in times]),
                          ratio_to_seqkit=common.paired_ratio(times, reference))
               for name, times in wall.items()}
    rows = [[name, r["milliseconds"]["median"], r["ratio_to_seqkit"]]
            for name, r in results.items()]
    table = common.print_table(
        ["contender", "ms (median)", "x seqkit"], rows,
        title=f"\nBulk predict of all {cfg['n']} sequences, {cfg['bulk_calls']} interleaved "
              "calls each")
    return results, table


if __name__ == "__main__":
    main()
