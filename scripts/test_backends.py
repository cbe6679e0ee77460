"""Run the tests under every Keras backend and print a pass / fail table.

The whole suite runs under TensorFlow with the interpreter running this script; the
files that exercise the networks (``BACKEND_TESTS``) then run under JAX and under
PyTorch, each in its own virtual environment (``.venv-jax``, ``.venv-torch``) made here
and installed from the ``jax`` / ``torch`` extras (CPU builds). Known backend gaps are
expected failures listed in ``tests/conftest.py``. Exits 1 if any run failed.

Usage: ``python scripts/test_backends.py [--only tensorflow,jax,torch] [pytest args]``
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BACKEND_TESTS = [f"tests/test_{name}.py" for name in (
    "estimators", "inputs", "crf", "tagger", "forecasting", "forecasting_panels",
    "captioning", "saving", "persistence_and_selection", "distribution")]
# Two pytest workers share the machine's cores: one thread each.
ONE_THREAD = {"OMP_NUM_THREADS": "1",
              "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false"}
COUNTS = ("passed", "failed", "error", "xfailed", "xpassed", "skipped")


def backend_python(backend: str) -> str:
    """The interpreter of the backend's environment, created and installed if needed."""
    if backend == "tensorflow":
        return sys.executable
    env_dir = ROOT / f".venv-{backend}"
    if not (env_dir / "bin" / "python").exists():
        venv.create(env_dir, with_pip=True)
    python = str(env_dir / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "-q", "-e", f".[test,{backend}]"],
                   cwd=ROOT, check=True)
    return python


def run(backend: str, extra: list[str]) -> dict:
    """Run pytest under ``backend``; its counts, exit code and minutes."""
    python = backend_python(backend)
    files = [] if backend == "tensorflow" else BACKEND_TESTS
    env = {**os.environ, "KERAS_BACKEND": backend}
    if backend != "tensorflow":
        env.update(ONE_THREAD)
    print(f"\n===== {backend}: pytest {' '.join(files) or '(whole suite)'}", flush=True)
    start = time.perf_counter()
    process = subprocess.Popen([python, "-m", "pytest", "-rfExXs", *files, *extra], cwd=ROOT,
                               env=env, stdout=subprocess.PIPE, text=True)
    last = ""
    for line in process.stdout:
        print(line, end="", flush=True)
        if line.strip():
            last = line
    code = process.wait()
    counts = {name: int(n) for n, name in re.findall(r"(\d+) (\w+?)s?\b", last)
              if name in COUNTS}
    return dict(counts, code=code, minutes=(time.perf_counter() - start) / 60)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="tensorflow,jax,torch",
                        help="comma-separated backends to run (default: all three)")
    args, extra = parser.parse_known_args()
    results = {backend: run(backend, extra) for backend in args.only.split(",")}
    print("\nbackend     passed  failed  errors  xfailed  xpassed  skipped  minutes  result")
    for backend, r in results.items():
        print(f"{backend:<10}  {r.get('passed', 0):>6}  {r.get('failed', 0):>6}  "
              f"{r.get('error', 0):>6}  {r.get('xfailed', 0):>7}  {r.get('xpassed', 0):>7}  "
              f"{r.get('skipped', 0):>7}  {r['minutes']:>7.1f}  "
              f"{'ok' if r['code'] == 0 else 'FAILED'}")
    return int(any(r["code"] != 0 for r in results.values()))


if __name__ == "__main__":
    sys.exit(main())
