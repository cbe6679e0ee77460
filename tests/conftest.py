"""Shared test set-up: quiet TensorFlow, small generated data."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def make_sign_data(rng, n=80, T=10, F=2, ragged=False):
    """Sequences labelled by the sign of the sum of their first feature."""
    if ragged:
        X = [rng.normal(size=(int(rng.integers(3, T + 1)), F)).astype("float32")
             for _ in range(n)]
        y = np.array(["pos" if x[:, 0].sum() > 0 else "neg" for x in X])
    else:
        X = rng.normal(size=(n, T, F)).astype("float32")
        y = np.where(X[:, :, 0].sum(axis=1) > 0, "pos", "neg")
    return X, y


FAST = dict(units=8, epochs=3, random_state=0)


def assert_float32_arithmetic(fast, exact, tol=1e-5):
    """Assert that ``fast`` came from float32 arithmetic on the network that gave ``exact``.

    Under JAX without ``jax_enable_x64`` both are float32, so they must be equal.
    """
    from seqkit._backend import supports_float64

    gap = max(np.abs(np.asarray(f) - np.asarray(e)).max() for f, e in zip(fast, exact, strict=True))
    if supports_float64():
        assert 0 < gap < tol
    else:
        assert gap == 0
