"""Fit and predict time of the same estimators under TensorFlow, JAX and PyTorch.

Each backend runs in its own process (the backend is fixed when Keras is imported), with
one thread, on the same generated data: a classifier (LSTM, 1,000 sequences of 50 steps),
a tagger (BiLSTM over word embeddings, 800 sentences of 5-30 tokens) and a forecaster
(LSTM over windows of an hourly series). The training FLOP rate counts the matrix
multiplies of the recurrent layers analytically (2 (inputs + units) x gates x units per
step and direction, three times that for forward and backward passes) over a steady
epoch, against this machine's single-thread float32 GEMM rate measured by NumPy.

Backends other than TensorFlow run in ``.venv-jax`` / ``.venv-torch`` (made by
``scripts/test_backends.py``). Run ``python benchmarks/backends.py`` (``--quick`` for a
smoke run); writes ``benchmarks/results/backends.json``.
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
              "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS"):
    os.environ[_name] = "1"
os.environ["XLA_FLAGS"] = "--xla_cpu_multi_thread_eigen=false"

import statistics
import time

import _common as common
import numpy as np

BACKENDS = {"tensorflow": None, "jax": ".venv-jax", "torch": ".venv-torch"}
TASKS = ("classifier", "tagger", "forecaster")
FULL = dict(n=1000, steps=50, sentences=800, series=3000, epochs=4, predict_repeats=3)
QUICK = dict(n=100, steps=20, sentences=80, series=400, epochs=2, predict_repeats=1)
GATES = {"LSTMCell": 4, "GRUCell": 3, "SimpleRNNCell": 1}


def gemm_rate(size: int = 1024, repeats: int = 5) -> float:
    """Best float32 matrix-multiply rate (FLOP/s) of NumPy on one thread."""
    a, b = (np.random.default_rng(i).random((size, size), dtype=np.float32) for i in (0, 1))
    a @ b
    best = min(common.timed(lambda: a @ b)[0] for _ in range(repeats))
    return 2 * size**3 / best


# --------------------------------------------------------------------------- worker
def recurrent_cells(layer):
    """The recurrent cells inside ``layer`` (models, Bidirectional and RNN layers)."""
    import keras

    if isinstance(layer, keras.layers.Bidirectional):
        yield from recurrent_cells(layer.forward_layer)
        yield from recurrent_cells(layer.backward_layer)
    elif isinstance(layer, keras.layers.RNN):
        yield layer.cell
    for sublayer in getattr(layer, "layers", []):
        yield from recurrent_cells(sublayer)


def flops_per_step(model) -> float:
    """Training FLOPs of the recurrent matrix multiplies for one sequence step."""
    forward = 0
    for cell in recurrent_cells(model):
        if type(cell).__name__ not in GATES:
            raise ValueError(f"no FLOP count for {type(cell).__name__}")
        forward += 2 * (int(np.prod(cell.kernel.shape)) + int(np.prod(
            cell.recurrent_kernel.shape)))
    return 3.0 * forward


def task_data(task: str, cfg: dict):
    """``(fit, predict)`` arguments of a task, generated from a fixed seed."""
    rng = np.random.default_rng(0)
    if task == "classifier":
        X, y = common.make_sequences(cfg["n"], cfg["steps"], 3)
        return (X, y), (X,)
    if task == "tagger":
        words = [f"w{i}" for i in range(300)]
        sentences = [list(rng.choice(words, size=int(rng.integers(5, 31))))
                     for _ in range(cfg["sentences"])]
        tags = [["A" if int(w[1:]) % 3 == 0 else "B" if p and int(s[p - 1][1:]) % 2 else "C"
                 for p, w in enumerate(s)] for s in sentences]
        return (sentences, tags), (sentences,)
    import pandas as pd

    t = np.arange(cfg["series"])
    y = pd.Series(10 + np.sin(2 * np.pi * t / 24) + 0.1 * rng.normal(size=t.size),
                  index=pd.date_range("2020-01-01", periods=t.size, freq="h"))
    return (y,), ()


def make_estimator(task: str, cfg: dict, callback):
    from seqkit import RNNForecaster, SequenceClassifier, SequenceTagger

    common_params = dict(epochs=cfg["epochs"], random_state=0, callbacks=[callback])
    if task == "classifier":
        return SequenceClassifier(cell="lstm", units=64, bidirectional=False,
                                  conv_filters=None, ensemble_size=1, batch_size=32,
                                  early_stopping=False, patience=None, dropout=0.0,
                                  **common_params)
    if task == "tagger":
        return SequenceTagger(units=64, embedding_dim=32, char_features=None,
                              **common_params)
    return RNNForecaster(units=64, window=48, ensemble_size=1, early_stopping=False,
                         patience=None, calibrate=False, **common_params)


def padded_steps_recorder():
    """Patch ``BatchStream`` to record the padded steps of each training epoch."""
    from seqkit import training

    seen = []
    original = training.BatchStream.__init__

    def init(stream, *args, **kwargs):
        original(stream, *args, **kwargs)
        if stream.seed is not None:  # a training stream (validation has no seed)
            lengths = stream.sequences.lengths
            seen.append(int(sum(len(b) * lengths[b].max() for b in stream._batches)))

    training.BatchStream.__init__ = init
    return seen


def worker(backend: str, cfg: dict) -> dict:
    import keras

    if backend == "torch":
        import torch

        torch.set_num_threads(1)
    assert keras.backend.backend() == backend
    steps = padded_steps_recorder()
    results = {}
    for task in TASKS:
        fit_args, predict_args = task_data(task, cfg)
        timer = common.epoch_timer()
        estimator = make_estimator(task, cfg, timer)
        steps.clear()
        fit_seconds, _ = common.timed(lambda: estimator.fit(*fit_args))  # noqa: B023
        if task == "forecaster":
            predict = lambda: estimator.predict()  # noqa: B023,E731
        else:
            predict = lambda: estimator.predict(*predict_args)  # noqa: B023,E731
        predict()  # the first call builds the predict function
        predict_seconds = statistics.median(
            common.timed(predict)[0] for _ in range(cfg["predict_repeats"]))
        epoch = common.steady_epochs([timer.times])[0]
        flops = flops_per_step(estimator.model_) * steps[0]
        results[task] = dict(fit_seconds=fit_seconds, predict_seconds=predict_seconds,
                             steady_epoch_seconds=epoch, epochs=len(timer.times),
                             padded_steps_per_epoch=steps[0], train_flops_per_epoch=flops,
                             train_flop_rate=flops / epoch)
    return dict(results=results, versions={
        "keras": keras.__version__,
        backend: __import__(backend).__version__})


# ----------------------------------------------------------------------------- main
def main() -> None:
    args = common.parse_args(__doc__.splitlines()[0])
    cfg = QUICK if args.quick else FULL
    if args.worker:
        common.emit(worker(args.worker, cfg))
        return
    peak = gemm_rate()
    print(f"NumPy float32 GEMM, 1 thread: {peak / 1e9:.1f} GFLOP/s", flush=True)
    runs = {}
    for backend, env_dir in BACKENDS.items():
        python = None if env_dir is None else str(common.REPO_ROOT / env_dir / "bin" / "python")
        start = time.perf_counter()
        runs[backend] = common.run_worker(__file__, backend, ["--quick"] if args.quick else [],
                                          python=python, env={"KERAS_BACKEND": backend})
        runs[backend]["load_average_after"] = os.getloadavg()
        print(f"{backend}: {time.perf_counter() - start:.0f} s", flush=True)
    rows = []
    for task in TASKS:
        for backend, run in runs.items():
            if "error" in run:
                rows.append([task, backend, "error", run["error"][:60], "", "", ""])
                continue
            r = run["results"][task]
            rows.append([task, backend, r["fit_seconds"], r["steady_epoch_seconds"],
                         r["predict_seconds"], r["train_flop_rate"] / 1e9,
                         100 * r["train_flop_rate"] / peak])
    table = common.print_table(
        ["task", "backend", "fit s", "epoch s", "predict s", "GFLOP/s", "% of GEMM"], rows,
        title="\nfit / predict time by backend (1 thread each; recurrent matmul FLOPs)")
    common.write_results("backends_quick" if args.quick else "backends",
                         dict(cfg, threads=1), dict(gemm_flop_rate=peak, backends=runs), table)


if __name__ == "__main__":
    main()
