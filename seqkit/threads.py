"""How many threads each fit's backend uses, set once per process.

A process-based search (joblib's loky, dask, Ray) runs one fit per worker process, and
each worker's TensorFlow would start thread pools as large as the machine: N workers on
N cores then run N x N busy threads. joblib, dask and Ray limit the OpenMP and BLAS
threads of their workers (``OMP_NUM_THREADS``) but not TensorFlow's own pools, and
TensorFlow fixes its pool sizes when its runtime starts. So seqkit reads one rule from
the environment when its backend module is imported (before the first TensorFlow
operation), and :func:`set_threads` sets the count by hand.

The rule, in order:

1. ``SEQKIT_NUM_THREADS=n``: ``n`` threads (``0``: the backend's default, all cores);
2. else ``OMP_NUM_THREADS=n``, which loky, dask and Ray set in their workers, unless
   TensorFlow's own ``TF_NUM_INTRAOP_THREADS`` is set (then TensorFlow follows that);
3. else nothing: the backend's default.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping

ENV_VARIABLE = "SEQKIT_NUM_THREADS"
# What loky, dask's nanny and Ray set in their workers.
WORKER_VARIABLE = "OMP_NUM_THREADS"
# TensorFlow's own setting, read by its runtime when no count was configured.
TENSORFLOW_VARIABLE = "TF_NUM_INTRAOP_THREADS"
# Set by set_threads: a count chosen in code wins over the environment's rule.
_set_in_code = False


def threads_from_environment(environ: Mapping[str, str] | None = None) -> int | None:
    """The thread count the environment asks for (see the rule in :mod:`seqkit.threads`).

    Parameters
    ----------
    environ : mapping, optional
        The environment variables; ``os.environ`` by default.

    Returns
    -------
    int or None
        The count (``0``: the backend's default), or None when nothing is set.

    Raises
    ------
    ValueError
        If ``SEQKIT_NUM_THREADS`` is not a whole number >= 0.
    """
    environ = os.environ if environ is None else environ
    value = environ.get(ENV_VARIABLE, "").strip()
    if value:
        if not value.isdigit():
            raise ValueError(f"{ENV_VARIABLE}={value!r}: expected a whole number >= 0 "
                             f"(0: the backend's default thread count)")
        return int(value)
    if environ.get(TENSORFLOW_VARIABLE):
        return None
    # OpenMP also allows a list for nested regions ("4,2"): its first item counts here.
    first = environ.get(WORKER_VARIABLE, "").split(",")[0].strip()
    return int(first) if first.isdigit() and int(first) > 0 else None


def set_threads(n: int) -> None:
    """Set how many threads the Keras backend of this process uses.

    Under TensorFlow, ``n`` threads within each operation and ``n`` between operations;
    under PyTorch, ``torch.set_num_threads(n)``. TensorFlow fixes these when its runtime
    starts (at the first operation), so call this before the first fit; setting the
    count it already has is always allowed. JAX has no such setting (see
    ``docs/scaling.md``): there it only warns.
    In workers of joblib, dask or Ray the ``SEQKIT_NUM_THREADS`` / ``OMP_NUM_THREADS``
    rule of :mod:`seqkit.threads` applies without any call.

    Parameters
    ----------
    n : int
        Threads, >= 1; ``0`` leaves the choice to the backend (all cores).

    Raises
    ------
    ValueError
        If ``n`` is not a whole number >= 0.
    RuntimeError
        If TensorFlow already runs with another thread count.
    """
    global _set_in_code
    if not _apply(n) and n > 0:
        warnings.warn(f"set_threads({n}) has no effect under the "
                      f"{_backend_name()} backend (see docs/scaling.md)",
                      RuntimeWarning, stacklevel=2)
    _set_in_code = True


def _backend_name() -> str:
    import keras

    return keras.backend.backend()


def _apply(n: int) -> bool:
    """Set ``n`` threads in the backend; False if it has no setting for them (JAX)."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"n={n!r}: expected a whole number >= 0 "
                         f"(0: the backend's default thread count)")
    backend = _backend_name()
    if backend == "tensorflow":
        _set_tensorflow_threads(n)
    elif backend == "torch":
        import torch

        if n > 0:
            torch.set_num_threads(n)
    return backend in ("tensorflow", "torch")


def get_threads() -> int | None:
    """The number of threads the Keras backend of this process uses within an operation.

    Returns
    -------
    int or None
        TensorFlow's intra-op thread count (its configured count, else that of
        ``TF_NUM_INTRAOP_THREADS``, which its runtime reads then; ``0``: its default,
        all cores), PyTorch's ``torch.get_num_threads()``; None under JAX.
    """
    backend = _backend_name()
    if backend == "tensorflow":
        import tensorflow as tf

        configured = tf.config.threading.get_intra_op_parallelism_threads()
        from_environment = os.environ.get(TENSORFLOW_VARIABLE, "").strip()
        if configured == 0 and from_environment.isdigit():
            return int(from_environment)
        return configured
    if backend == "torch":
        import torch

        return torch.get_num_threads()
    return None


def apply_environment_threads() -> None:
    """Apply the environment's thread count (if any) to the backend of this process.

    Called when :mod:`seqkit._backend` is imported; a count set earlier with
    :func:`set_threads` wins. Under JAX, which has no such setting, it does nothing.
    When TensorFlow already runs with another count (operations ran before seqkit was
    imported), warns instead of failing.
    """
    n = threads_from_environment()
    if n is None or _set_in_code:
        return
    try:
        _apply(n)
    except RuntimeError as error:
        warnings.warn(f"{error} The thread count asked for by the environment ({n}) was "
                      f"not applied.", RuntimeWarning, stacklevel=2)


def _set_tensorflow_threads(n: int) -> None:
    import tensorflow as tf

    threading = tf.config.threading
    try:
        threading.set_intra_op_parallelism_threads(n)
        threading.set_inter_op_parallelism_threads(n)
    except RuntimeError:
        raise RuntimeError(
            f"set_threads({n}): TensorFlow already runs with "
            f"{threading.get_intra_op_parallelism_threads()} intra-op and "
            f"{threading.get_inter_op_parallelism_threads()} inter-op threads (0: all "
            f"cores); its thread counts can be set only before its first operation, so "
            f"call set_threads first or set {ENV_VARIABLE} before starting Python."
        ) from None
