"""Fit time: seqkit against the same LSTM in plain Keras, scikeras and keras.wrappers.

Every contender builds a fresh network and trains it for a fixed number of epochs
(seqkit: ``early_stopping=False, patience=None``, so no validation split and no early
stop). Contenders run interleaved, several rounds; the ratio to plain Keras is the
median over rounds of the within-round ratio.

Rows marked "diag" explain where seqkit's time goes: each adds one thing seqkit does
to plain Keras (a time axis of unknown length, the boolean ``mask`` input, seqkit's
``BatchStream`` PyDataset instead of NumPy arrays).

Run ``python benchmarks/fit_time.py`` (add ``--quick`` for a smoke run).
"""

from __future__ import annotations

import _common as common
import numpy as np

FULL = dict(n=2000, steps=50, features=3, units=32, batch_size=32, epochs=5, repeats=3)
QUICK = dict(n=200, steps=20, features=3, units=8, batch_size=32, epochs=2, repeats=1)
# The fixed cost of one fit (building, tracing the train step), which grid searches pay
# hundreds of times: one epoch of two batches.
SMALL = dict(n=64, epochs=1, repeats=5)
BASELINE = "keras"


def seqkit_network(features: int, units: int):
    """The network ``SequenceClassifier`` builds (inputs ``values`` and ``mask``), compiled."""
    from seqkit.networks import many_to_one_network

    recurrent = dict(cell="lstm", units=units, num_layers=1, bidirectional=False,
                     dropout=0.0, recurrent_dropout=0.0)
    model = many_to_one_network(n_features=features, embedding_dim=None, n_token_ids=0,
                                recurrent=recurrent, pooling="last", n_outputs=2,
                                output_activation="softmax", seed=0)
    return common.compile_like_seqkit(model)


def contenders(X, y, cfg: dict, epoch_log: dict) -> dict:
    """Zero-argument functions, one per contender, that build and train a network.

    Each run appends its per-epoch seconds to ``epoch_log[name]``.
    """
    from keras.wrappers import SKLearnClassifier
    from scikeras.wrappers import KerasClassifier

    from seqkit import SequenceClassifier, _backend
    from seqkit.inputs import Sequences
    from seqkit.training import BatchStream

    n, steps, features = X.shape
    units, batch_size, epochs = cfg["units"], cfg["batch_size"], cfg["epochs"]
    keras_fit = dict(batch_size=batch_size, epochs=epochs, verbose=0)
    mask = np.ones((n, steps), dtype=bool)

    def stream():
        # Wrapped the way seqkit's fit wraps it (seqkit versions without the wrapper
        # hand the PyDataset to Keras directly).
        wrap = getattr(_backend, "as_training_data", lambda data: data)
        return wrap(BatchStream(Sequences(X, np.full(n, steps)), y.astype(np.int32),
                                np.ones(n, np.float32), batch_size, bucketing=True, seed=0))

    fits = {
        "seqkit": lambda cb: SequenceClassifier(
            units=units, batch_size=batch_size, epochs=epochs, early_stopping=False,
            patience=None, random_state=0, callbacks=cb).fit(X, y),
        BASELINE: lambda cb: common.keras_lstm(steps, features, units).fit(
            X, y, callbacks=cb, **keras_fit),
        "scikeras": lambda cb: KerasClassifier(
            model=lambda: common.keras_lstm(steps, features, units), callbacks=cb,
            **keras_fit).fit(X, y),
        "keras.wrappers": lambda cb: SKLearnClassifier(
            model=lambda X, y: common.keras_lstm(steps, features, units, one_hot=True,
                                                 flat_input=True),
            fit_kwargs=dict(callbacks=cb, **keras_fit)).fit(X.reshape(n, -1), y),
        "diag: keras, time axis None": lambda cb: common.keras_lstm(None, features, units).fit(
            X, y, callbacks=cb, **keras_fit),
        "diag: + mask input (seqkit net)": lambda cb: seqkit_network(features, units).fit(
            {"values": X, "mask": mask}, y, callbacks=cb, **keras_fit),
        "diag: + BatchStream (seqkit net)": lambda cb: seqkit_network(features, units).fit(
            stream(), callbacks=cb, epochs=epochs, verbose=0, shuffle=False),
    }

    def logged(name, fit):
        def run():
            timer = common.epoch_timer()
            fit([timer])
            epoch_log.setdefault(name, []).append(timer.times)
        return run

    return {name: logged(name, fit) for name, fit in fits.items()}


def small_fits(X, y, cfg: dict, quick: bool) -> tuple[dict, str]:
    """Wall and CPU seconds of fits so small that building and tracing dominate
    (``--quick``: one round at the quick size)."""
    small = dict(cfg, repeats=1) if quick else dict(cfg, **SMALL)
    n = small["n"]
    wall, cpu = common.interleaved(contenders(X[:n], y[:n], small, {}), small["repeats"])
    results, rows = {}, []
    for name in wall:
        results[name] = dict(fit_seconds=common.summary(wall[name]),
                             ratio_to_keras=common.paired_ratio(wall[name], wall[BASELINE]),
                             cpu_seconds=common.summary(cpu[name]),
                             cpu_ratio_to_keras=common.paired_ratio(cpu[name], cpu[BASELINE]))
        r = results[name]
        rows.append([name, r["fit_seconds"]["median"], r["ratio_to_keras"],
                     r["cpu_seconds"]["median"], r["cpu_ratio_to_keras"]])
    table = common.print_table(
        ["contender", "fit s", "x keras", "fit CPU s", "CPU x keras"], rows,
        title=f"\nSmall fits ({n} sequences, {small['epochs']} epoch), median of "
              f"{small['repeats']} interleaved rounds")
    return dict(config=small, contenders=results), table


def main() -> None:
    args = common.parse_args(__doc__.splitlines()[0])
    cfg = QUICK if args.quick else FULL
    X, y = common.make_sequences(cfg["n"], cfg["steps"], cfg["features"])
    print(f"fit time: {cfg}", flush=True)

    # Warm-up on a slice: imports, first-use initialisation of TensorFlow and Keras.
    warm = dict(cfg, epochs=1)
    for run in contenders(X[:64], y[:64], warm, {}).values():
        run()

    epoch_log: dict = {}
    wall, cpu = common.interleaved(contenders(X, y, cfg, epoch_log), cfg["repeats"])
    steady = {name: common.steady_epochs(runs) for name, runs in epoch_log.items()}

    results, rows = {}, []
    for name in wall:
        results[name] = dict(
            fit_seconds=common.summary(wall[name]),
            ratio_to_keras=common.paired_ratio(wall[name], wall[BASELINE]),
            cpu_seconds=common.summary(cpu[name]),
            cpu_ratio_to_keras=common.paired_ratio(cpu[name], cpu[BASELINE]),
            steady_epoch_seconds=common.summary(steady[name]),
            steady_epoch_ratio_to_keras=common.paired_ratio(steady[name], steady[BASELINE]),
            epoch_seconds=epoch_log[name],
        )
        r = results[name]
        rows.append([name, r["fit_seconds"]["median"], r["ratio_to_keras"],
                     r["cpu_seconds"]["median"], r["cpu_ratio_to_keras"],
                     r["steady_epoch_seconds"]["median"], r["steady_epoch_ratio_to_keras"]])
    table = common.print_table(
        ["contender", "fit s", "x keras", "fit CPU s", "CPU x keras", "epoch s (2..)",
         "epoch x keras"],
        rows, title=f"\nFit time, median of {cfg['repeats']} interleaved rounds; ratios are "
                    "medians of within-round ratios")
    small, small_table = small_fits(X, y, cfg, args.quick)
    seqkit_ratio = results["seqkit"]["ratio_to_keras"]
    goal = common.check_goal("seqkit / plain Keras fit time <= 1.05", seqkit_ratio,
                             seqkit_ratio <= 1.05)
    common.write_results("fit_time" + ("_quick" if args.quick else ""), cfg,
                         dict(contenders=results, goal=goal, small_fits=small),
                         table + "\n" + small_table)


if __name__ == "__main__":
    main()
