"""Predict numbers from sequences with SequenceRegressor: one target, then several.

Each sequence is a noisy sine wave of random length (30 to 90 steps), amplitude and
frequency. The single-output model predicts the amplitude (``y`` of shape ``(n,)``); the
multi-output model predicts amplitude and frequency together (``y`` of shape ``(n, 2)``).
``score`` is R² (averaged over the outputs for the multi-output model).

Run it::

    python examples/regress_sequences.py              # full run, several minutes on a CPU
    SEQKIT_SMOKE=1 python examples/regress_sequences.py   # smoke run, tiny and fast
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # hide TensorFlow's start-up messages

import numpy as np  # noqa: E402
from sklearn.metrics import r2_score  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

from seqkit import SequenceRegressor  # noqa: E402

SMOKE = os.environ.get("SEQKIT_SMOKE") == "1"


def make_sines(n, rng):
    """``n`` noisy sine waves and their ``(amplitude, frequency)``."""
    X, targets = [], []
    for _ in range(n):
        length = rng.integers(30, 91)
        amplitude = rng.uniform(0.5, 3.0)
        frequency = rng.uniform(0.02, 0.2)  # cycles per step
        angle = 2 * np.pi * (frequency * np.arange(length) + rng.uniform(0, 1))
        wave = amplitude * np.sin(angle) + rng.normal(0, 0.2, size=length)
        X.append(wave[:, None].astype("float32"))  # one sequence: (T_i, 1)
        targets.append((amplitude, frequency))
    return X, np.array(targets)


def main():
    rng = np.random.default_rng(0)
    X, targets = make_sines(60 if SMOKE else 900, rng)
    X_train, X_test, t_train, t_test = train_test_split(X, targets, test_size=0.3,
                                                        random_state=0)
    settings = dict(
        cell="gru",
        units=8 if SMOKE else 32,
        epochs=2 if SMOKE else 100,
        random_state=0,
    )

    single = SequenceRegressor(**settings).fit(X_train, t_train[:, 0])
    print(f"single output, y shape {t_train[:, 0].shape}: predict returns "
          f"{single.predict(X_test).shape}")
    print(f"R² single output (amplitude): {single.score(X_test, t_test[:, 0]):.3f}")

    multi = SequenceRegressor(**settings).fit(X_train, t_train)
    per_output = r2_score(t_test, multi.predict(X_test), multioutput="raw_values")
    print(f"multi-output, y shape {t_train.shape}: predict returns "
          f"{multi.predict(X_test).shape}")
    print(f"R² multi-output (amplitude, frequency): {multi.score(X_test, t_test):.3f} "
          f"(per output: {per_output[0]:.3f}, {per_output[1]:.3f})")


if __name__ == "__main__":
    main()
