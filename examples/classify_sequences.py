"""Classify sequences of different lengths with SequenceClassifier.

Each sequence is a noisy wave -- sine, square or sawtooth -- of random length (20 to 80
steps), frequency and phase; the classifier learns its shape. The sequences are passed
as a plain list of ``(T_i, 1)`` arrays: seqkit pads, masks and batches them by length.

Run it::

    python examples/classify_sequences.py              # full run, several minutes on a CPU
    SEQKIT_SMOKE=1 python examples/classify_sequences.py   # smoke run, tiny and fast
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # hide TensorFlow's start-up messages

import numpy as np  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

from seqkit import SequenceClassifier  # noqa: E402

SMOKE = os.environ.get("SEQKIT_SMOKE") == "1"
SHAPES = np.array(["sine", "square", "sawtooth"])


def make_waves(n, rng):
    """``n`` noisy waves of random shape, length, frequency and phase, and their shapes."""
    X, y = [], []
    for _ in range(n):
        shape = rng.integers(len(SHAPES))
        length = rng.integers(20, 81)
        cycles = rng.uniform(0.05, 0.15) * np.arange(length) + rng.uniform(0, 1)
        if shape == 0:
            wave = np.sin(2 * np.pi * cycles)
        elif shape == 1:
            wave = np.sign(np.sin(2 * np.pi * cycles))
        else:
            wave = 2 * (cycles % 1) - 1
        noisy = wave + rng.normal(0, 0.3, size=length)
        X.append(noisy[:, None].astype("float32"))  # one sequence: (T_i, 1)
        y.append(SHAPES[shape])
    return X, np.array(y)


def main():
    rng = np.random.default_rng(0)
    X, y = make_waves(60 if SMOKE else 900, rng)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=0
    )
    clf = SequenceClassifier(
        cell="gru",
        units=8 if SMOKE else 32,
        epochs=2 if SMOKE else 100,
        random_state=0,
    )
    clf.fit(X_train, y_train)
    lengths = [len(x) for x in X]
    print(f"{len(X_train)} training and {len(X_test)} test sequences, "
          f"{min(lengths)} to {max(lengths)} steps each")
    print(f"classes: {', '.join(clf.classes_)}; trained {clf.n_iter_} epochs")
    print(f"test accuracy: {clf.score(X_test, y_test):.3f}")


if __name__ == "__main__":
    main()
