"""Searches on dask.distributed through joblib, two ways.

A ``LocalCluster`` of two worker processes, and a scheduler with two workers started as
separate processes on 127.0.0.1 (the way remote workers are reached). Each test checks
that fits ran on both workers, with seqkit's thread limit applied there, that
``cv_results_`` equals the same search run serially, and that ``best_estimator_``
predicts the same after a pickle round trip. Every process a test starts it also ends.
"""

import contextlib
import importlib
import pickle
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import joblib
import numpy as np
import psutil
import pytest
from distributed import Client, LocalCluster, get_task_stream
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV

from seqkit import SequenceClassifier
from seqkit.threads import get_threads

from conftest import make_sign_data

TINY = dict(units=4, epochs=2, random_state=0)
# Worker and serial fits may run TensorFlow with different thread counts, which can
# change float32 sums in the last digits.
RTOL, ATOL = 1e-4, 1e-6
STARTUP_TIMEOUT = 120  # seconds for a loaded machine to start a worker


def tiny_data():
    return make_sign_data(np.random.default_rng(0), n=24, T=5, F=1)


# ------------------------------------------------------------------ process bookkeeping
def process_tree(pids) -> list[psutil.Process]:
    """The processes ``pids`` and all their descendants that are still running."""
    tree = []
    for pid in pids:
        try:
            process = psutil.Process(pid)
            tree += [process, *process.children(recursive=True)]
        except psutil.NoSuchProcess:
            pass
    return tree


def end_processes(processes: list[psutil.Process], timeout: float = 30) -> None:
    """Terminate ``processes`` (kill those still running after ``timeout``) and assert
    that none is left."""
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.terminate()
    _, alive = psutil.wait_procs(processes, timeout=timeout)
    for process in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()
    _, alive = psutil.wait_procs(alive, timeout=10)
    assert not alive, f"processes left running: {alive}"


def children() -> set[int]:
    return {p.pid for p in psutil.Process().children(recursive=True)}


def stop_resource_tracker_started_since(before: set[int]) -> None:
    """Stop multiprocessing's resource tracker if it started after ``before`` was taken.

    The cluster's first spawned worker starts it; it ignores SIGTERM and would otherwise
    live as long as this process. (Private API: a later spawn starts it again.)
    """
    from multiprocessing import resource_tracker

    tracker = resource_tracker._resource_tracker
    if tracker._pid is not None and tracker._pid not in before:
        tracker._stop()


# ------------------------------------------------------------------------ the clusters
@pytest.fixture(autouse=True)
def default_thread_rule(monkeypatch):
    """Workers inherit this environment: without these variables, seqkit's rule gives
    their TensorFlow the OMP_NUM_THREADS=1 that dask's nanny sets."""
    for name in ("SEQKIT_NUM_THREADS", "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def local_cluster():
    """A client of a LocalCluster with two single-threaded worker processes."""
    before = children()
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           host="127.0.0.1", dashboard_address=None)
    client = Client(cluster)
    started = process_tree(children() - before)
    try:
        yield client
    finally:
        client.close()
        cluster.close()
        stop_resource_tracker_started_since(before)
        end_processes(started)
        assert children() <= before, "the cluster left child processes behind"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def remote_cluster(tmp_path):
    """A client of ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    commands = [[sys.executable, "-m", "distributed.cli.dask_scheduler", "--host",
                 "127.0.0.1", "--port", str(port), "--no-dashboard",
                 "--idle-timeout", "600"]]  # ends itself if this test dies
    for name in ("worker-a", "worker-b"):
        commands.append([sys.executable, "-m", "distributed.cli.dask_worker", address,
                         "--host", "127.0.0.1", "--nthreads", "1", "--name", name,
                         "--no-dashboard", "--local-directory", str(tmp_path / name),
                         "--death-timeout", "60"])  # ends itself without a scheduler
    logs = [open(tmp_path / f"process-{i}.log", "w") for i in range(len(commands))]
    popens = [subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
              for command, log in zip(commands, logs, strict=True)]
    client = None
    try:
        try:
            client = Client(address, timeout=STARTUP_TIMEOUT)
            client.wait_for_workers(2, timeout=STARTUP_TIMEOUT)
        except (OSError, TimeoutError) as error:
            tails = "\n".join(Path(log.name).read_text()[-1500:] for log in logs)
            pytest.fail(f"the cluster did not start: {error}\n{tails}")
        yield client
    finally:
        if client is not None:
            client.close()
        tree = process_tree(p.pid for p in popens)
        # Workers first, so that they do not wait for the scheduler they lost.
        end_processes([p for p in tree if p.pid != popens[0].pid])
        end_processes(process_tree([popens[0].pid]))
        for log in logs:
            log.close()
        assert all(p.poll() is not None for p in popens)


# ---------------------------------------------------------------------------- checks
def assert_same_results(found: dict, expected: dict) -> None:
    """``cv_results_`` of two searches agree: keys, parameters in order, and scores."""
    assert found.keys() == expected.keys()
    assert found["params"] == expected["params"]
    scores = [key for key in expected if key.endswith("test_score")]
    assert "split1_test_score" in scores
    for key in scores:
        assert np.isfinite(found[key]).all(), key
        np.testing.assert_allclose(found[key], expected[key], rtol=RTOL, atol=ATOL,
                                   err_msg=key)
    np.testing.assert_array_equal(found["rank_test_score"], expected["rank_test_score"])


def check_search_on_cluster(client: Client, search) -> None:
    """Run ``search`` on the cluster of ``client`` and serially, and compare them."""
    X, y = tiny_data()
    with ThreadPoolExecutor(1) as pool:
        # The workers load seqkit and TensorFlow while this process runs the serial
        # search. (A lambda is pickled by value; the workers cannot import this module.)
        loaded = pool.submit(client.run,
                             lambda: importlib.import_module("seqkit.classifier").__name__)
        serial = clone(search).fit(X, y)
        loaded.result()
    with get_task_stream(client) as stream, joblib.parallel_config(backend="dask",
                                                                   n_jobs=-1):
        search.fit(X, y)
    workers = set(client.scheduler_info()["workers"])
    assert len(workers) == 2
    assert {task["worker"] for task in stream.data} == workers, "fits ran on one worker"
    # dask's nanny sets OMP_NUM_THREADS=1, so TensorFlow runs one thread per worker.
    assert client.run(get_threads) == {worker: 1 for worker in workers}
    assert_same_results(search.cv_results_, serial.cv_results_)
    assert search.best_params_ == serial.best_params_
    expected = search.best_estimator_.predict_proba(X)
    restored = pickle.loads(pickle.dumps(search.best_estimator_))
    np.testing.assert_array_equal(restored.predict_proba(X), expected)
    np.testing.assert_allclose(expected, serial.best_estimator_.predict_proba(X),
                               rtol=RTOL, atol=ATOL)


def test_grid_search_on_a_local_cluster_of_processes(local_cluster):
    search = GridSearchCV(SequenceClassifier(**TINY), {"cell": ["rnn", "gru", "lstm"]},
                          cv=2, scoring="neg_log_loss", error_score="raise")
    check_search_on_cluster(local_cluster, search)


def test_randomized_search_on_separately_started_workers(remote_cluster):
    search = RandomizedSearchCV(
        SequenceClassifier(**TINY),
        {"cell": ["rnn", "gru", "lstm"], "learning_rate": [1e-3, 1e-2, 3e-2]},
        n_iter=3, cv=2, scoring="neg_log_loss", error_score="raise", random_state=0)
    check_search_on_cluster(remote_cluster, search)
