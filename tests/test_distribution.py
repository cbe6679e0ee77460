"""Data-parallel training with ``keras.distribution`` (JAX): one estimator, two devices.

The CPU is split into two virtual devices (``XLA_FLAGS``), which must be set before JAX
starts, so the fits run in a fresh process.
"""

import json
import os
import subprocess
import sys

import keras
import numpy as np
import pytest

jax_only = pytest.mark.skipif(
    keras.backend.backend() != "jax",
    reason="keras.distribution trains on several devices under the JAX backend only "
           "(docs/backends.md); this test runs in the JAX run of scripts/test_backends.py")

TWO_DEVICES = """
import json
import jax
import keras
import numpy as np
from seqkit import SequenceClassifier

batches = []  # how each batch array Keras sends to the devices is split
original = jax.make_array_from_process_local_data


def recording(sharding, data, *args, **kwargs):
    array = original(sharding, data, *args, **kwargs)
    batches.append(sorted((str(s.device), s.data.shape[0]) for s in array.addressable_shards))
    return array


jax.make_array_from_process_local_data = recording
rng = np.random.default_rng(0)
X = rng.normal(size=(64, 10, 2)).astype("float32")
y = np.where(X[:, :, 0].sum(axis=1) > 0, "pos", "neg")
params = dict(units=8, epochs=4, batch_size=16, random_state=0)
one = SequenceClassifier(**params).fit(X, y)
with keras.distribution.DataParallel().scope():
    two = SequenceClassifier(**params).fit(X, y)
    split = len(batches)
    odd = SequenceClassifier(**params).fit(X[:61], y[:61])  # a last batch of 13 rows
print(json.dumps(dict(
    devices=[str(d) for d in jax.devices()],
    one=one.history_["loss"], two=two.history_["loss"], odd=odd.history_["loss"],
    proba_gap=float(np.abs(one.predict_proba(X) - two.predict_proba(X)).max()),
    odd_score=odd.score(X, y), batches=batches, split=split,
    kernel_devices=sorted(str(d) for d in two.model_.trainable_variables[0].value.devices()))))
"""


def test_padded_batches_keep_the_mean_loss():
    """Any backend: a 3-row batch padded for 2 devices has the same weighted mean loss."""
    from seqkit._backend import DevicePaddedBatches

    class OneBatch:
        def __getitem__(self, index):
            return {"values": np.arange(6.0).reshape(3, 2)}, np.array([0, 1, 1]), np.ones(3)

    inputs, targets, weights = DevicePaddedBatches(OneBatch(), devices=2)[0]
    assert inputs["values"].shape == (4, 2) and targets.tolist() == [0, 1, 1, 0]
    losses = np.array([0.5, 1.0, 2.0])
    padded_losses = losses[[0, 1, 2, 0]]
    assert (padded_losses * weights).sum() / 4 == pytest.approx(losses.mean())
    assert weights[3] == 0


@pytest.fixture(scope="module")
def two_device_run():
    flags = "--xla_force_host_platform_device_count=2 " + os.environ.get("XLA_FLAGS", "")
    env = dict(os.environ, XLA_FLAGS=flags, KERAS_BACKEND="jax")
    done = subprocess.run([sys.executable, "-c", TWO_DEVICES], env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@jax_only
def test_two_devices_give_the_one_device_loss_curve(two_device_run):
    run = two_device_run
    assert len(run["devices"]) == 2
    np.testing.assert_allclose(run["two"], run["one"], rtol=1e-4)
    assert run["proba_gap"] < 1e-4


@jax_only
def test_each_batch_is_split_across_both_devices(two_device_run):
    run = two_device_run
    devices = sorted(run["devices"])
    # 64 rows in batches of 16 for 4 epochs: inputs, targets and weights of each batch
    assert run["split"] >= 3 * 4 * 4
    for shards in run["batches"]:
        assert [device for device, _ in shards] == devices
        assert shards[0][1] == shards[1][1] > 0  # an equal share of the rows each
    assert run["kernel_devices"] == devices  # the weights are replicated


@jax_only
def test_batches_that_do_not_divide_evenly_are_padded(two_device_run):
    """61 rows: the last batch (13 rows) gets a zero-weight row, so training goes on."""
    run = two_device_run
    assert len(run["odd"]) == 4 and np.isfinite(run["odd"]).all()
    assert run["odd_score"] > 0.7
