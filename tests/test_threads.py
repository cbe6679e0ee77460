"""seqkit.threads: the environment's rule, set_threads, and the limit inside loky workers.

TensorFlow fixes its thread counts when its runtime starts, so each check that starts
TensorFlow runs in a fresh Python process.
"""

import os
import subprocess
import sys

import pytest

from seqkit.threads import threads_from_environment

pytestmark = pytest.mark.skipif(
    os.environ.get("KERAS_BACKEND", "tensorflow") != "tensorflow",
    reason="checks TensorFlow's thread pools")


def run_python(code: str, **env: str) -> str:
    """Run ``code`` in a fresh Python with ``env`` (thread variables cleared first)."""
    base = {k: v for k, v in os.environ.items()
            if k not in ("SEQKIT_NUM_THREADS", "OMP_NUM_THREADS", "TF_NUM_INTRAOP_THREADS",
                         "TF_NUM_INTEROP_THREADS")}
    result = subprocess.run([sys.executable, "-c", code], env={**base, **env},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("environ, expected", [
    ({}, None),
    ({"SEQKIT_NUM_THREADS": "3"}, 3),
    ({"SEQKIT_NUM_THREADS": "0", "OMP_NUM_THREADS": "1"}, 0),
    ({"OMP_NUM_THREADS": "2"}, 2),
    ({"OMP_NUM_THREADS": "4,2"}, 4),
    ({"OMP_NUM_THREADS": "1", "TF_NUM_INTRAOP_THREADS": "2"}, None),
    ({"SEQKIT_NUM_THREADS": "1", "TF_NUM_INTRAOP_THREADS": "2"}, 1),
])
def test_rule(environ, expected):
    assert threads_from_environment(environ) == expected


def test_bad_environment_value_names_the_variable():
    with pytest.raises(ValueError, match="SEQKIT_NUM_THREADS='two'"):
        threads_from_environment({"SEQKIT_NUM_THREADS": "two"})


@pytest.mark.parametrize("n", [-1, 1.5, "2", True])
def test_set_threads_rejects_bad_counts(n):
    from seqkit import set_threads

    with pytest.raises(ValueError, match="n="):
        set_threads(n)


FIT_AND_REPORT = """
import numpy as np, tensorflow as tf
from seqkit import SequenceClassifier
X = np.random.default_rng(0).normal(size=(16, 4, 1)).astype("float32")
SequenceClassifier(units=4, epochs=1, random_state=0).fit(X, X[:, 0, 0] > 0)
print(tf.config.threading.get_intra_op_parallelism_threads(),
      tf.config.threading.get_inter_op_parallelism_threads())
"""


def test_environment_sets_tensorflow_threads_before_the_first_fit():
    assert run_python(FIT_AND_REPORT, SEQKIT_NUM_THREADS="2") == "2 2"
    assert run_python(FIT_AND_REPORT, OMP_NUM_THREADS="1") == "1 1"
    assert run_python(FIT_AND_REPORT) == "0 0"  # nothing set: TensorFlow's default


def test_set_threads_in_code_wins_over_the_environment():
    code = "import seqkit; seqkit.set_threads(3)\n" + FIT_AND_REPORT
    assert run_python(code, OMP_NUM_THREADS="1") == "3 3"


def test_set_threads_after_tensorflow_started_fails_clearly():
    code = FIT_AND_REPORT + """
import seqkit
seqkit.set_threads(1)  # the count it has: allowed
try:
    seqkit.set_threads(2)
except RuntimeError as error:
    print("already runs with 1 intra-op" in str(error))
"""
    assert run_python(code, SEQKIT_NUM_THREADS="1") == "True"


def test_loky_workers_get_the_limit():
    # loky gives its workers OMP_NUM_THREADS = cores // n_jobs (at least 1); the
    # parent here runs TensorFlow with its default (0: all cores).
    code = """
import os
import joblib
from seqkit import get_threads
from seqkit.threads import threads_from_environment

def in_worker(_):
    import seqkit._backend  # what unpickling an estimator imports
    return os.getpid(), get_threads()

expected = threads_from_environment({"OMP_NUM_THREADS": str(max(os.cpu_count() // 2, 1))})
found = joblib.Parallel(n_jobs=2, backend="loky")(joblib.delayed(in_worker)(i)
                                                   for i in range(4))
assert all(pid != os.getpid() for pid, _ in found)
import seqkit._backend
print(get_threads(), {threads for _, threads in found} == {expected})
"""
    assert run_python(code) == "0 True"


def test_jax_has_no_setting_set_threads_warns_the_rule_stays_silent(monkeypatch):
    import warnings

    from seqkit import threads

    monkeypatch.setattr(threads, "_backend_name", lambda: "jax")
    monkeypatch.setattr(threads, "_set_in_code", False)
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    for name in ("SEQKIT_NUM_THREADS", "TF_NUM_INTRAOP_THREADS"):
        monkeypatch.delenv(name, raising=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        threads.apply_environment_threads()
    with pytest.warns(RuntimeWarning, match="no effect under the jax backend"):
        threads.set_threads(2)
