"""checkpoint_dir: a fit that crashes resumes where it stopped, with bit-identical weights."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import keras
import numpy as np
import pytest

from seqkit import SequenceClassifier
from seqkit.checkpoint import CHECKPOINT_FILE

from conftest import make_sign_data

# Dropout, recurrent dropout, early stopping on held-out data and cosine annealing: every
# piece of state a resume must restore.
PARAMS = dict(units=8, epochs=6, dropout=0.3, recurrent_dropout=0.2, early_stopping=True,
              patience=50, validation_fraction=0.2, lr_schedule="cosine", batch_size=8,
              random_state=0)


class Crash(keras.callbacks.Callback):
    def __init__(self, at_epoch):
        super().__init__()
        self.at_epoch = at_epoch

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.at_epoch:
            raise KeyboardInterrupt("simulated crash")


def _assert_same_weights(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x, y)


def test_a_crashed_fit_resumes_to_the_same_weights(rng, tmp_path):
    X, y = make_sign_data(rng, n=40, ragged=True)
    whole = SequenceClassifier(**PARAMS, checkpoint_dir=tmp_path / "a").fit(X, y)
    assert not (tmp_path / "a" / CHECKPOINT_FILE).exists()  # removed when done
    crashed = SequenceClassifier(**PARAMS, checkpoint_dir=str(tmp_path / "b"),
                                 callbacks=[Crash(at_epoch=3)])
    with pytest.raises(KeyboardInterrupt):
        crashed.fit(X, y)
    assert (tmp_path / "b" / CHECKPOINT_FILE).exists()
    resumed = SequenceClassifier(**PARAMS, checkpoint_dir=str(tmp_path / "b")).fit(X, y)
    assert resumed.model_.history.epoch == [3, 4, 5]  # only the epochs left
    _assert_same_weights(resumed.model_.get_weights(), whole.model_.get_weights())
    assert resumed.history_ == whole.history_ and resumed.n_iter_ == 6
    np.testing.assert_array_equal(resumed.predict_proba(X), whole.predict_proba(X))


def test_a_checkpoint_of_another_fit_is_refused(rng, tmp_path):
    X, y = make_sign_data(rng, n=40, ragged=True)
    with pytest.raises(KeyboardInterrupt):
        SequenceClassifier(**PARAMS, checkpoint_dir=tmp_path,
                           callbacks=[Crash(at_epoch=1)]).fit(X, y)
    other = SequenceClassifier(**dict(PARAMS, units=4), checkpoint_dir=tmp_path)
    with pytest.raises(ValueError, match="checkpoint_dir=.* holds a checkpoint of another fit"):
        other.fit(X, y)


FIT = """
import os, sys, time
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
sys.path.insert(0, sys.argv[3])
import keras, numpy as np
from seqkit import SequenceClassifier
from conftest import make_sign_data
from test_checkpoint import PARAMS
X, y = make_sign_data(np.random.default_rng(0), n=40, ragged=True)
slow = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: time.sleep(0.4))
clf = SequenceClassifier(**dict(PARAMS, epochs=12), checkpoint_dir=sys.argv[1],
                         callbacks=[slow]).fit(X, y)
np.savez(sys.argv[2], epochs_run=len(clf.model_.history.epoch), *clf.model_.get_weights())
"""


def _fit_process(folder, out):
    env = dict(os.environ, TF_NUM_INTRAOP_THREADS="1", TF_NUM_INTEROP_THREADS="1")
    return subprocess.Popen([sys.executable, "-c", FIT, str(folder), str(out),
                             str(Path(__file__).parent)], env=env)


def _epochs_done(folder) -> int:
    try:
        with np.load(folder / CHECKPOINT_FILE, allow_pickle=False) as data:
            return int(__import__("json").loads(str(data["state"]))["epochs_done"])
    except (OSError, ValueError, KeyError):
        return 0


@pytest.mark.slow
def test_sigkill_mid_fit_then_restart_gives_bit_identical_weights(tmp_path):
    killed = _fit_process(tmp_path / "b", tmp_path / "never.npz")
    deadline = time.time() + 120
    while _epochs_done(tmp_path / "b") < 4 and time.time() < deadline:
        assert killed.poll() is None, "the fit ended before it could be killed"
        time.sleep(0.05)
    killed.send_signal(signal.SIGKILL)
    assert killed.wait() == -signal.SIGKILL
    assert not (tmp_path / "never.npz").exists()
    assert _fit_process(tmp_path / "b", tmp_path / "resumed.npz").wait() == 0
    assert _fit_process(tmp_path / "a", tmp_path / "whole.npz").wait() == 0
    resumed, whole = np.load(tmp_path / "resumed.npz"), np.load(tmp_path / "whole.npz")
    assert int(whole["epochs_run"]) == 12 and 0 < int(resumed["epochs_run"]) < 12
    names = sorted(n for n in whole.files if n.startswith("arr_"))
    _assert_same_weights([resumed[n] for n in names], [whole[n] for n in names])
