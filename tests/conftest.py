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
