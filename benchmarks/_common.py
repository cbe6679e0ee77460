"""Helpers shared by the benchmark scripts: timing, data, the reference Keras network,
subprocess workers, machine info, tables and JSON results.

Import this module before anything that imports TensorFlow: it silences TensorFlow's
C++ logging (``TF_CPP_MIN_LOG_LEVEL=3``) and its Python warnings.
"""

from __future__ import annotations

import argparse
import datetime
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
logging.getLogger("tensorflow").setLevel(logging.ERROR)  # e.g. retracing warnings

import numpy as np  # noqa: E402

RESULTS_DIR = Path(__file__).resolve().parent / "results"
_LOAD_AT_START = os.getloadavg()


# ----------------------------------------------------------------------- command line
def parse_args(description: str, extra=None) -> argparse.Namespace:
    """Parse the common options: ``--quick`` and the hidden ``--worker NAME``.

    Parameters
    ----------
    description : str
        Shown by ``--help``.
    extra : callable, optional
        Called with the parser to add script-specific options.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true",
                        help="tiny sizes: a smoke test that runs in well under a minute")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    if extra is not None:
        extra(parser)
    return parser.parse_args()


def run_worker_or_config(description: str, quick: dict, full: dict, worker):
    """Parse the options; run the hidden ``--worker NAME`` in this process if given.

    Returns ``None`` after a worker ran (the script stops), else ``(args, config)``.
    """
    args = parse_args(description)
    cfg = quick if args.quick else full
    if args.worker:
        worker(args.worker, cfg)
        return None
    return args, cfg


# ---------------------------------------------------------------------------- timing
def timed(function) -> tuple[float, float]:
    """Wall-clock and process CPU seconds (all threads) of one call of ``function()``.

    CPU time counts only the work this process did, so it is much less affected than
    wall time when other processes compete for the cores.
    """
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - wall, time.process_time() - cpu


def interleaved(contenders: dict, repeats: int) -> tuple[dict, dict]:
    """Time each contender ``repeats`` times, rotating the order every round.

    Interleaving spreads background load (other processes on the machine) over all
    contenders instead of penalising whichever happened to run during a busy spell.

    Parameters
    ----------
    contenders : dict of str to callable
        Zero-argument functions to time.
    repeats : int
        Rounds.

    Returns
    -------
    wall, cpu : dict of str to list of float
        Wall-clock and CPU seconds per call of each contender, in round order.
    """
    names = list(contenders)
    wall = {name: [] for name in names}
    cpu = {name: [] for name in names}
    for round_ in range(repeats):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            seconds, cpu_seconds = timed(contenders[name])
            wall[name].append(seconds)
            cpu[name].append(cpu_seconds)
    return wall, cpu


def epoch_timer():
    """A Keras callback whose ``times`` attribute collects the seconds of each epoch."""
    import keras

    class EpochTimer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.times = []

        def on_epoch_begin(self, epoch, logs=None):
            self._start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.times.append(time.perf_counter() - self._start)

    return EpochTimer()


def steady_epochs(runs) -> list[float]:
    """Median epoch time of each run (a list of epoch seconds) over its epochs 2..

    The first epoch also traces and compiles the train step, so it is left out.
    """
    return [statistics.median(run[1:] or run) for run in runs]


def paired_ratio(values, baseline) -> float:
    """Median over rounds of ``values[i] / baseline[i]`` (both measured in round ``i``)."""
    return statistics.median(v / b for v, b in zip(values, baseline, strict=True))


def summary(values) -> dict:
    """Median, minimum and all values of a list of measurements."""
    values = [float(v) for v in values]
    return {"median": statistics.median(values), "min": min(values), "values": values}


# ------------------------------------------------------------------------------ data
def make_sequences(n: int, steps: int, features: int, seed: int = 0):
    """A two-class problem on fixed-length sequences.

    The class shifts the mean of feature 0 by +-0.5 (noise has standard deviation 1),
    so the sign of its average over the steps gives the label.

    Returns
    -------
    X : ndarray of shape (n, steps, features), float32
    y : ndarray of shape (n,), int
    """
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    X = rng.normal(size=(n, steps, features)).astype(np.float32)
    X[:, :, 0] += np.where(y == 1, 0.5, -0.5)[:, None]
    return X, y


# ------------------------------------------------------------- reference Keras network
def keras_lstm(steps: int | None, features: int, units: int, n_classes: int = 2, *,
               one_hot: bool = False, flat_input: bool = False):
    """The plain-Keras twin of a default seqkit LSTM classifier, compiled like seqkit.

    ``LSTM(units)`` and a softmax ``Dense``, Adam (learning rate 1e-3, ``clipnorm=1.0``,
    seqkit's defaults), sparse categorical cross-entropy (categorical with
    ``one_hot=True``). ``flat_input=True`` takes ``(n, steps * features)`` rows and
    reshapes them, for wrappers that only accept 2-D ``X``.
    """
    import keras

    if flat_input:
        inputs = keras.Input((steps * features,))
        hidden = keras.layers.Reshape((steps, features))(inputs)
    else:
        inputs = hidden = keras.Input((steps, features))
    hidden = keras.layers.LSTM(units)(hidden)
    outputs = keras.layers.Dense(n_classes, activation="softmax")(hidden)
    model = keras.Model(inputs, outputs)
    return compile_like_seqkit(
        model, "categorical_crossentropy" if one_hot else "sparse_categorical_crossentropy")


def compile_like_seqkit(model, loss: str = "sparse_categorical_crossentropy"):
    """Compile ``model`` with seqkit's default optimizer: Adam, 1e-3, ``clipnorm=1.0``."""
    import keras

    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3, clipnorm=1.0), loss=loss)
    return model


# ------------------------------------------------------------------ subprocess workers
def run_worker(script: str, worker: str, args=(), python: str | None = None,
               env: dict | None = None) -> dict:
    """Run ``python script --worker WORKER *args`` in a fresh process; return its JSON.

    The worker prints one JSON object as the last line of its standard output
    (see :func:`emit`). A failing worker gives ``{"error": <last lines of stderr>}``.
    ``env`` adds variables to this process's environment; a value None removes one.
    """
    command = [python or sys.executable, script, "--worker", worker, *map(str, args)]
    full_env = {name: value for name, value in {**os.environ, **(env or {})}.items()
                if value is not None}
    process = subprocess.run(command, capture_output=True, text=True, env=full_env)
    lines = process.stdout.strip().splitlines()
    if process.returncode != 0 or not lines:
        tail = [line for line in process.stderr.strip().splitlines() if line.strip()][-3:]
        return {"error": " | ".join(tail) or f"exit code {process.returncode}"}
    return json.loads(lines[-1])


def emit(payload: dict) -> None:
    """Print ``payload`` as the one-line JSON answer of a worker process."""
    print(json.dumps(payload), flush=True)


# ----------------------------------------------------------------------- machine info
def machine_info() -> dict:
    """CPU count, load, Python and library versions, and the date."""
    import psutil

    versions = {}
    for module in ("tensorflow", "keras", "sklearn", "scikeras", "numpy", "seqkit"):
        try:
            versions[module] = __import__(module).__version__
        except Exception as error:  # noqa: BLE001 - report whatever went wrong
            versions[module] = f"unavailable: {type(error).__name__}: {error}"
    return {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "load_average_1_5_15_at_start": [round(x, 2) for x in _LOAD_AT_START],
        "load_average_1_5_15_at_end": [round(x, 2) for x in os.getloadavg()],
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "platform": platform.platform(),
        "cpu": _cpu_description(),
        "python": platform.python_version(),
        "versions": versions,
    }


def _cpu_description() -> dict:
    """The CPU's model name and the vector extensions that change floating-point results
    (from /proc/cpuinfo on Linux; empty elsewhere)."""
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return {}
    fields = dict(line.split(":", 1) for line in lines if ":" in line)
    fields = {key.strip(): value.strip() for key, value in fields.items()}
    flags = set(fields.get("flags", "").split())
    return {"model": fields.get("model name", ""), "stepping": fields.get("stepping", ""),
            "vector_flags": sorted(flag for flag in flags
                                   if flag.startswith(("avx", "fma", "sse4", "amx")))}


# ------------------------------------------------------------------- table and JSON
def print_table(headers: list[str], rows: list[list], title: str = "") -> str:
    """Print (and return) a plain-text table; floats are shown with 3 significant digits."""
    def cell(value):
        if isinstance(value, float):
            return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"
        return str(value)

    cells = [[cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    lines = [title] if title else []
    lines.append("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    text = "\n".join(lines)
    print(text, flush=True)
    return text


def check_goal(target: str, value: float, met: bool) -> dict:
    """Print whether a goal is met; return it as a dict for the JSON results."""
    print(f"goal {target}: {value:.3g} -> {'met' if met else 'NOT met'}", flush=True)
    return {"target": target, "value": float(value), "met": bool(met)}


def write_results(name: str, config: dict, results, table: str) -> Path:
    """Write ``benchmarks/results/NAME.json`` with the machine info; return its path.

    The file is written to ``NAME.json.tmp`` first and renamed, so an interrupted run
    never leaves a half-written result.
    """
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    payload = {"benchmark": name, "machine": machine_info(), "config": config,
               "results": results, "table": table}
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(payload, indent=2) + "\n")
    tmp.replace(path)
    print(f"\nwrote {path}")
    return path



# ------------------------------------------------------------------- real datasets
REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = (REPO_ROOT / ".." / "shared" / "data").resolve()


def data_path(*parts: str) -> Path:
    """A file or folder of the real datasets under ``../shared/data`` (from the repo root).

    Exits with a clear message when it is absent (used by the accuracy benchmarks).
    """
    path = DATA_DIR.joinpath(*parts)
    if not path.exists():
        sys.exit(
            f"error: {path} not found.\n"
            f"The accuracy benchmarks read real datasets from {DATA_DIR}, i.e. "
            f"../shared/data relative to the repository root {REPO_ROOT}; put the data "
            f"there first (see its README.md)."
        )
    return path


# --------------------------------------------------------------- tuning records
def candidate_key(*settings: dict) -> str:
    """A stable text key for one tuning candidate (its settings dicts)."""
    return json.dumps(list(settings), sort_keys=True)


def earlier_scores(path: Path, procedure: str, settings_of) -> dict:
    """Candidates an earlier ``--tune`` run scored under the same procedure, by key.

    Parameters
    ----------
    path : Path
        The earlier tuning record (a results JSON file); absent: nothing is reused.
    procedure : str
        The tuning procedure of this run; records made otherwise are not reused.
    settings_of : callable
        Maps a candidate record to the settings dicts that make its key.
    """
    if not path.exists():
        return {}
    earlier = json.loads(path.read_text())["results"]
    if earlier.get("procedure") != procedure:
        return {}
    candidates = earlier.get("candidates") or [
        c for entry in earlier.get("datasets", {}).values() for c in entry["candidates"]]
    return {candidate_key(*settings_of(c)): c for c in candidates}


def recorded_rounds(path: Path) -> list[dict]:
    """Every tuning round recorded in the results file ``path``, oldest first: those
    kept under ``earlier_rounds``, then the file's own (none if the file is absent)."""
    if not path.exists():
        return []
    payload = json.loads(path.read_text())
    results = payload["results"]
    rounds = results.pop("earlier_rounds", [])
    return rounds + [dict(date=payload["machine"]["date"],
                          load_average_at_start=payload["machine"].get(
                              "load_average_1_5_15_at_start"),
                          config=payload["config"], **results)]


def other_rounds(path: Path, procedure: str) -> list[dict]:
    """The tuning rounds recorded in ``path`` under procedures other than ``procedure``
    (oldest first), so a new procedure's record keeps the old scores beside it."""
    return [r for r in recorded_rounds(path) if r["procedure"] != procedure]
