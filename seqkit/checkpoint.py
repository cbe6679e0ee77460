"""Resume a fit after a crash: the whole training state, written atomically each epoch.

With ``checkpoint_dir`` set, :class:`EpochCheckpoint` writes ``checkpoint.npz`` there at
the end of every epoch: every variable of the network (weights and the random-seed state
of its dropout and noise layers), the optimizer's variables (step count, moments,
learning rate), the epochs done, the training history, early stopping's and learning-rate
annealing's counters. The batch order of such a fit is a function of the seed and the
epoch number (see :class:`seqkit.training.BatchStream`), so nothing else is needed to
continue exactly. The same ``fit`` started again with the same ``checkpoint_dir``
continues from there; a fit that ends normally deletes the file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import keras
import numpy as np

CHECKPOINT_FILE = "checkpoint.npz"
EARLY_STOPPING_FIELDS = ("wait", "stopped_epoch", "best", "best_epoch")


def fingerprint(params: dict, network_spec: dict, stream) -> str:
    """What identifies a fit: plain parameters, the network, and the training data's size
    and first batch. A checkpoint with another fingerprint is refused, not resumed."""
    plain = {k: v for k, v in params.items()
             if k not in ("checkpoint_dir", "verbose", "callbacks")
             and isinstance(v, (str, int, float, bool, type(None), tuple, list))}
    digest = hashlib.sha256(json.dumps([plain, network_spec, len(stream)], sort_keys=True,
                                       default=str).encode())
    for part in keras.tree.flatten(stream[0]):
        digest.update(np.ascontiguousarray(part).tobytes())
    return digest.hexdigest()


class EpochCheckpoint(keras.callbacks.Callback):
    """Writes the training state after each epoch and restores it when a fit resumes.

    Parameters
    ----------
    folder : str or path-like
        ``checkpoint_dir``.
    fingerprint : str
        :func:`fingerprint` of this fit.
    stream : seqkit.training.BatchStream
        The training batches (told which epoch to plan when resuming).
    callbacks : list of keras.callbacks.Callback
        The fit's other callbacks; early stopping's and annealing's state is kept.
    """

    def __init__(self, folder, fingerprint: str, stream, callbacks: list):
        super().__init__()
        self.path = Path(folder) / CHECKPOINT_FILE
        self.fingerprint = fingerprint
        self.stream = stream
        self.others = callbacks
        self.saved = self._read()
        self.history = {k: list(v) for k, v in self.saved["history"].items()} \
            if self.saved else {}
        self.initial_epoch = self.saved["epochs_done"] if self.saved else 0
        stream.set_epoch(self.initial_epoch)

    def start(self, epochs: int) -> int:
        """The epoch ``model.fit`` starts at: after the last one saved (``epochs`` when
        the saved fit had stopped early)."""
        return epochs if self.saved and self.saved["stop_training"] else self.initial_epoch

    def saved_history(self) -> dict:
        """The history of the epochs done before this process resumed the fit."""
        return self.saved["history"] if self.saved else {}

    def _read(self) -> dict | None:
        if not self.path.exists():
            return None
        with np.load(self.path, allow_pickle=False) as data:
            state = json.loads(str(data["state"]))
            arrays = {name: data[name] for name in data.files if name != "state"}
        if state["fingerprint"] != self.fingerprint:
            raise ValueError(
                f"checkpoint_dir={str(self.path.parent)!r} holds a checkpoint of another fit "
                "(other parameters or data); delete it or choose another checkpoint_dir")
        state["arrays"] = arrays
        return state

    # --------------------------------------------------------------- restore
    def on_train_begin(self, logs=None):
        if not self.saved:
            return
        arrays = self.saved["arrays"]
        for i, variable in enumerate(self.model.variables):
            variable.assign(arrays[f"model_{i}"])
        for i, variable in enumerate(self.model.optimizer.variables):
            variable.assign(arrays[f"optimizer_{i}"])
        for callback in self.others:
            state = self.saved["callbacks"].get(type(callback).__name__)
            if state is None:
                continue
            for name, value in state.items():
                setattr(callback, name, value)
            if isinstance(callback, keras.callbacks.EarlyStopping) and state.get("has_best"):
                callback.best_weights = [arrays[f"best_{i}"]
                                         for i in range(len(self.model.get_weights()))]
        self.model.stop_training = bool(self.saved["stop_training"])

    # ------------------------------------------------------------------ save
    def on_epoch_end(self, epoch, logs=None):
        for name, value in (logs or {}).items():
            self.history.setdefault(name, []).append(float(value))
        arrays = {f"model_{i}": np.asarray(v) for i, v in enumerate(self.model.variables)}
        arrays.update({f"optimizer_{i}": np.asarray(v)
                       for i, v in enumerate(self.model.optimizer.variables)})
        callbacks = {}
        for callback in self.others:
            early_stopping = isinstance(callback, keras.callbacks.EarlyStopping)
            fields = EARLY_STOPPING_FIELDS if early_stopping else getattr(
                callback, "resumable_fields", ())
            state = {name: _plain(getattr(callback, name)) for name in fields}
            if early_stopping:
                state["has_best"] = callback.best_weights is not None
                if callback.best_weights is not None:
                    arrays.update({f"best_{i}": np.asarray(w)
                                   for i, w in enumerate(callback.best_weights)})
            if state:
                callbacks[type(callback).__name__] = state
        state = dict(fingerprint=self.fingerprint, epochs_done=epoch + 1,
                     history=self.history, callbacks=callbacks,
                     stop_training=bool(self.model.stop_training))
        _write_atomically(self.path, state, arrays)

    def remove(self) -> None:
        """Delete the checkpoint (the fit ended normally)."""
        self.path.unlink(missing_ok=True)


def _plain(value):
    return value.item() if isinstance(value, np.generic) else (
        float(value) if hasattr(value, "numpy") else value)


def _write_atomically(path: Path, state: dict, arrays: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".checkpoint.", suffix=".npz",
                                     delete=False) as tmp:
        np.savez(tmp, state=np.array(json.dumps(state)), **arrays)
        tmp.flush()
        os.fsync(tmp.fileno())
    os.replace(tmp.name, path)
