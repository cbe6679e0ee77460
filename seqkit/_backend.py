"""The one place that knows which Keras backend runs.

Networks are written with ``keras`` layers and ``keras.ops`` only; anything that needs a
specific backend (today: a TensorFlow memory fix) lives here, so that the JAX and PyTorch
backends only ever need changes in this module.

Importing it applies the thread count the environment asks for
(:func:`seqkit.threads.apply_environment_threads`): every estimator module imports it
before its first fit, so the count is set before the backend's runtime starts, also in
the worker processes of joblib, dask and Ray.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import keras
import numpy as np

from seqkit.threads import apply_environment_threads

apply_environment_threads()


@contextlib.contextmanager
def release_graph_memory() -> Iterator[None]:
    """Forget the process-wide gradient entries TensorFlow registers while tracing.

    Every ``model.fit`` under TensorFlow traces a train step whose optimizer
    all-reduce is a ``tf.custom_gradient``; in graph mode each trace registers a
    ``CustomGradient-N`` entry in TensorFlow's global gradient registry and never
    removes it. Each entry holds the whole traced graph, so a grid search of
    hundreds of fits grows by about 10 MB per fit even after ``clear_session``.
    Gradients are looked up only while a function is traced, so the entries added
    inside this block can be dropped once it ends. Other backends: a no-op.
    """
    if keras.backend.backend() != "tensorflow":
        yield
        return
    from tensorflow.python.framework import ops  # TensorFlow-only, by design

    registry = ops._gradient_registry._registry
    before = set(registry)
    try:
        yield
    finally:
        for name in set(registry) - before:
            if name.startswith("CustomGradient-"):
                del registry[name]


def supports_float64() -> bool:
    """Whether the backend computes in float64 (JAX only with ``jax_enable_x64`` set;
    without it JAX truncates float64 to float32 with a warning)."""
    if keras.backend.backend() != "jax":
        return True
    import jax

    return bool(jax.config.jax_enable_x64)


def trains_carried_states() -> bool:
    """Whether the backend can train a stateful network (states carried across batches).

    PyTorch's autograd refuses the backward pass once Keras assigns the carried states in
    place ("modified by an inplace operation"); TensorFlow and JAX train it.
    """
    return keras.backend.backend() != "torch"


def compiled_predictor(model):
    """A function ``inputs dict -> numpy outputs`` that runs ``model`` for inference.

    The outputs keep the model's structure: one array, or a dict / list of arrays.

    Under TensorFlow it is one ``tf.function`` traced once for any batch size and
    sequence length (input signature with ``None`` dimensions), so a single sequence
    costs about a millisecond. Other backends use ``model.predict_on_batch``.
    """
    if keras.backend.backend() != "tensorflow":
        return lambda inputs: keras.tree.map_structure(
            keras.ops.convert_to_numpy, model.predict_on_batch(inputs))
    import tensorflow as tf

    signature = {tensor.name.split(":")[0]: tf.TensorSpec(tensor.shape, tensor.dtype)
                 for tensor in model.inputs}

    @tf.function(input_signature=[signature], autograph=False)
    def predict(inputs):
        return model(inputs, training=False)

    # A model with several outputs (a dict or list) gives the same structure of arrays.
    return lambda inputs: keras.tree.map_structure(lambda t: t.numpy(), predict(inputs))


def data_parallel_devices() -> int:
    """How many devices share each batch under the current ``keras.distribution``
    (1 when none is set, e.g. on backends other than JAX)."""
    distribution = keras.distribution.distribution()
    if distribution is None:
        return 1
    mesh = distribution.device_mesh
    return dict(zip(mesh.axis_names, mesh.shape, strict=True))[distribution.batch_dim_name]


class DevicePaddedBatches(keras.utils.PyDataset):
    """A batch stream whose batches are padded to a multiple of ``devices`` rows.

    A data-parallel ``keras.distribution`` splits every batch evenly across its
    devices, but length bucketing and the last batch of an epoch give batches of any
    size. The padding repeats the batch's first row with sample weight 0, and the real
    rows' weights are scaled by ``padded / real`` so that the mean loss over the padded
    batch equals the mean over the real one (Keras divides by the batch size).
    """

    def __init__(self, stream, devices: int):
        super().__init__()
        self.stream = stream
        self.devices = devices

    def __len__(self) -> int:
        return len(self.stream)

    def __getitem__(self, index: int):
        inputs, targets, weights = self.stream[index]
        real = len(weights)
        pad = -real % self.devices
        if pad == 0:
            return inputs, targets, weights
        rows = np.concatenate([np.arange(real), np.zeros(pad, dtype=int)])
        weights = np.concatenate([np.asarray(weights) * ((real + pad) / real),
                                  np.zeros(pad, dtype=np.asarray(weights).dtype)])
        return keras.tree.map_structure(lambda a: np.asarray(a)[rows], (inputs, targets)) + (
            weights,)

    def on_epoch_end(self) -> None:
        self.stream.on_epoch_end()


def as_training_data(stream):
    """Wrap a batch stream (a ``keras.utils.PyDataset``) for ``model.fit``.

    Keras infers the TensorFlow input signature of a PyDataset from its first two
    batches only; when both happen to be padded to the same length, that length is
    frozen and a later, differently padded batch fails. Under TensorFlow this gives
    the dataset an explicit signature whose batch and time axes are open (``None``),
    and reshuffles through ``stream.on_epoch_end`` after each pass.

    When the stream's batches are plain slices of whole arrays (equal lengths, no
    mask; see ``stream.whole_arrays``), the data are fed from tensors instead, shuffled
    by ``tf.data`` with the stream's seed, with no Python in the training loop: as
    fast as ``model.fit`` on NumPy arrays. Other backends take the stream as it is,
    its batches padded for the devices of a data-parallel ``keras.distribution``.
    """
    if keras.backend.backend() != "tensorflow":
        devices = data_parallel_devices()
        return stream if devices == 1 else DevicePaddedBatches(stream, devices)
    import tensorflow as tf

    arrays = stream.whole_arrays()
    if arrays is not None:
        dataset = tf.data.Dataset.from_tensor_slices(arrays)
        if stream.seed is not None:
            dataset = dataset.shuffle(len(stream.weights), seed=stream.seed,
                                      reshuffle_each_iteration=True)
        return dataset.batch(stream.batch_size).prefetch(tf.data.AUTOTUNE)

    def open_spec(array):
        array = np.asarray(array)
        shape = (None,) * min(array.ndim, 2) + array.shape[2:]
        return tf.TensorSpec(shape, tf.as_dtype(array.dtype))

    def one_epoch():
        for index in range(len(stream)):
            yield stream[index]
        stream.on_epoch_end()

    signature = keras.tree.map_structure(open_spec, stream[0])
    dataset = tf.data.Dataset.from_generator(one_epoch, output_signature=signature)
    return dataset.apply(tf.data.experimental.assert_cardinality(len(stream))).prefetch(2)
