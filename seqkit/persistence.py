"""Save and load estimators without pickle: JSON, NumPy arrays and Keras files in one zip.

:func:`save` writes an estimator (or a :class:`~sklearn.pipeline.Pipeline` of seqkit
steps) and :func:`load` reads it back. Loading never runs code from the file: the JSON
names classes, and only seqkit's own classes (and ``Pipeline``) are accepted; arrays are
read with ``allow_pickle=False``; networks with ``keras.saving.load_model(...,
safe_mode=True)`` and only seqkit's layers as custom objects. The same encoding is the
estimators' pickle (and skops) state, so skops sees plain data and one seqkit class.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import tempfile
import warnings
import zipfile
from pathlib import Path

import numpy as np

from seqkit import __version__

FORMAT = "seqkit"
FORMAT_VERSION = 1
# Attributes rebuilt after loading rather than stored (compiled predict functions).
TRANSIENT = frozenset({"_predictor", "_predictor_dtype"})
# The Keras optimizers (the ``optimizer`` parameter's choices) restored with a network.
OPTIMIZERS = frozenset({"Adam", "AdamW", "Nadam", "RMSprop", "SGD", "Adagrad"})
# Classes from outside seqkit that a file may hold.
FOREIGN_CLASSES = frozenset({"sklearn.pipeline:Pipeline"})
# Modules whose Keras layers a saved network may use.
LAYER_MODULES = ("seqkit.networks", "seqkit.crf", "seqkit.augmentation", "seqkit.member_rnn",
                 "seqkit.forecasting._network", "seqkit.generation.decoder",
                 "seqkit.generation.networks")


# seqkit layers that moved to another module, and the module older files name.
MOVED_LAYERS = {"PaddingMask": "seqkit.generation.decoder"}


class UnsupportedValueError(TypeError):
    """An attribute holds a value the safe format cannot store (e.g. a Keras callback)."""


class SaveMixin:
    """Adds :meth:`save` to an estimator."""

    def save(self, path) -> Path:
        """Write this estimator to ``path`` in seqkit's safe format (no pickle).

        Read it back with :func:`seqkit.load`; see the "Saving, loading and serving" page.

        Parameters
        ----------
        path : str or path-like
            The file to write (conventionally ending in ``.seqkit``).

        Returns
        -------
        pathlib.Path
            ``path``.
        """
        return save(self, path)


# ---------------------------------------------------------------------- public API
def save(estimator, path) -> Path:
    """Write a fitted or unfitted estimator to ``path``: a zip of JSON, ``.npy`` and
    ``.keras`` entries, written atomically.

    Raises
    ------
    TypeError
        If ``estimator`` is not a scikit-learn estimator, or an attribute or parameter
        holds a value the format cannot store (the message names it).
    """
    from sklearn.base import BaseEstimator

    if not isinstance(estimator, BaseEstimator):
        raise TypeError(f"estimator={estimator!r} is not a scikit-learn estimator; "
                        "seqkit.save writes seqkit estimators and Pipelines of them")
    writer = _Writer()
    state = {"root": writer.encode(estimator, "estimator")}
    writer.entries["state.json"] = json.dumps(state, allow_nan=False).encode()
    manifest = dict(_versions(), format=FORMAT, format_version=FORMAT_VERSION,
                    estimator=_class_name(type(estimator)),
                    sha256={name: hashlib.sha256(data).hexdigest()
                            for name, data in writer.entries.items()})
    path = Path(path)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.",
                                     delete=False) as tmp:
        try:
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr("manifest.json", json.dumps(manifest, indent=1))
                for name, data in writer.entries.items():
                    archive.writestr(name, data)
        except BaseException:
            os.unlink(tmp.name)
            raise
    os.replace(tmp.name, path)
    return path


def load(path):
    """Read an estimator written by :func:`save` (or ``est.save``).

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    estimator
        Fitted as it was saved; its predictions equal the saved estimator's.

    Raises
    ------
    ValueError
        If the file is not a seqkit file, was altered after saving, names a class
        that is not seqkit's, holds a network that Keras' safe mode refuses (a
        ``Lambda`` layer, an unknown layer class), or comes from an incompatible
        seqkit version (the message names both versions).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            entries = {name: archive.read(name) for name in archive.namelist()}
    except (zipfile.BadZipFile, OSError) as error:
        raise ValueError(f"path={str(path)!r} is not a seqkit file: {error}") from None
    manifest = _checked_manifest(entries, path)
    state = _json(entries["state.json"], path, "state.json")
    if not isinstance(state, dict) or set(state) != {"root"}:
        raise ValueError(f"{path}: state.json is not a seqkit state")
    estimator = _Reader(entries, str(path)).decode(state["root"], "estimator")
    if _class_name(type(estimator)) != manifest["estimator"]:
        raise ValueError(f"{path}: manifest.json names {manifest['estimator']} but "
                         f"state.json holds {_class_name(type(estimator))}")
    return estimator


# ----------------------------------------------------- pickle and skops state
def object_state(obj) -> dict | None:
    """The pickle (and skops) state of ``obj``: its safe encoding, as a JSON string and
    the file's other entries as uint8 arrays; None if an attribute cannot be encoded."""
    writer = _Writer()
    try:
        attributes = writer.attributes(obj, type(obj).__name__)
    except UnsupportedValueError:
        return None
    return {"seqkit_state": json.dumps(attributes, allow_nan=False),
            "seqkit_entries": {name: np.frombuffer(data, dtype=np.uint8)
                               for name, data in writer.entries.items()}}


def restore_state(obj, state: dict) -> None:
    """Set ``obj``'s attributes from :func:`object_state`'s result."""
    entries = {name: np.asarray(data, dtype=np.uint8).tobytes()
               for name, data in state["seqkit_entries"].items()}
    reader = _Reader(entries, "pickled state")
    attributes = reader.decode({"$dict": json.loads(state["seqkit_state"])},
                               type(obj).__name__)
    obj.__dict__.update(attributes)
    _after_load(obj)


# ------------------------------------------------------------------- encoding
class _Writer:
    """Encodes a value as JSON-able data; arrays and networks become separate entries."""

    def __init__(self):
        self.entries: dict[str, bytes] = {}

    def encode(self, value, where: str):
        if value is None or isinstance(value, (bool, str)):
            return value
        if type(value) is int:
            return value
        if type(value) is float:
            return value if math.isfinite(value) else {"$float": repr(value)}
        if type(value) is list:
            return [self.encode(v, f"{where}[{i}]") for i, v in enumerate(value)]
        if type(value) is tuple:
            return {"$tuple": [self.encode(v, f"{where}[{i}]") for i, v in enumerate(value)]}
        if type(value) is dict:
            return {"$dict": [[self.encode(k, f"{where} key"), self.encode(v, f"{where}[{k!r}]")]
                              for k, v in value.items()]}
        if isinstance(value, np.ndarray):
            return self._array(value, where)
        if isinstance(value, np.generic) and value.dtype.kind != "O":
            return {"$scalar": [value.dtype.str, self.encode(value.item(), where)]}
        pandas = _pandas_encoding(self, value, where)
        if pandas is not None:
            return pandas
        if _is_keras_model(value):
            return {"$keras": self._entry("networks", ".keras", _keras_bytes(value))}
        if _allowed(type(value)) and hasattr(value, "__dict__"):
            return {"$object": [_class_name(type(value)), self.attributes(value, where)]}
        raise UnsupportedValueError(
            f"{where} holds a {type(value).__module__}.{type(value).__qualname__}, which "
            "seqkit's safe format cannot store; set it to None (or a plain value) before "
            "saving, or use pickle")

    def attributes(self, obj, where: str) -> list:
        return self.encode({k: v for k, v in vars(obj).items() if k not in TRANSIENT},
                           where)["$dict"]

    def _array(self, array: np.ndarray, where: str) -> dict:
        if array.dtype.kind == "O":
            items = [self.encode(v, f"{where}[{i}]") for i, v in enumerate(array.ravel())]
            return {"$objects": [list(array.shape), items]}
        buffer = io.BytesIO()
        np.save(buffer, array, allow_pickle=False)
        return {"$array": self._entry("arrays", ".npy", buffer.getvalue())}

    def _entry(self, folder: str, suffix: str, data: bytes) -> str:
        name = f"{folder}/{len(self.entries)}{suffix}"
        self.entries[name] = data
        return name


def _pandas_encoding(writer: _Writer, value, where: str):
    """The encoding of a pandas value, or None for anything else."""
    import pandas as pd

    encode = writer.encode
    if isinstance(value, pd.RangeIndex):
        return {"$range_index": [value.start, value.stop, value.step, encode(value.name, where)]}
    if isinstance(value, pd.PeriodIndex):
        return {"$period_index": [encode(value.asi8, where), value.freqstr,
                                  encode(value.name, where)]}
    if isinstance(value, pd.DatetimeIndex):
        naive = value.tz_convert("UTC").tz_localize(None) if value.tz is not None else value
        return {"$datetime_index": [encode(naive.to_numpy(), where),
                                    None if value.tz is None else str(value.tz),
                                    value.freqstr, encode(value.name, where)]}
    if type(value) is pd.Index:
        return {"$index": [encode(value.to_numpy(), where), str(value.dtype),
                           encode(value.name, where)]}
    if isinstance(value, pd.Series):
        return {"$series": [encode(value.to_numpy(), where), encode(value.index, where),
                            encode(value.name, where)]}
    if isinstance(value, pd.DataFrame):
        columns = [encode(value.iloc[:, i].to_numpy(), f"{where}[{c!r}]")
                   for i, c in enumerate(value.columns)]
        return {"$frame": [columns, encode(value.index, where), encode(value.columns, where)]}
    if isinstance(value, pd.Timestamp):
        return {"$timestamp": [int(value.value), None if value.tz is None else str(value.tz),
                               value.unit]}
    if isinstance(value, pd.Period):
        return {"$period": [int(value.ordinal), value.freqstr]}
    if isinstance(value, pd.Timedelta):
        return {"$timedelta": int(value.value)}
    if isinstance(value, pd.offsets.BaseOffset):
        return {"$offset": value.freqstr}
    return None


# ------------------------------------------------------------------- decoding
class _Reader:
    """Decodes :class:`_Writer`'s output, accepting nothing else."""

    def __init__(self, entries: dict[str, bytes], source: str):
        self.entries = entries
        self.source = source

    def fail(self, where: str, reason: str):
        raise ValueError(f"{self.source}: {where} is not valid seqkit data: {reason}")

    def decode(self, node, where: str):
        if node is None or isinstance(node, (bool, str, int, float)):
            return node
        if isinstance(node, list):
            return [self.decode(v, f"{where}[{i}]") for i, v in enumerate(node)]
        if not isinstance(node, dict) or len(node) != 1:
            self.fail(where, f"unexpected {type(node).__name__} {str(node)[:80]}")
        (tag, payload), = node.items()
        method = _DECODERS.get(tag)
        if method is None:
            self.fail(where, f"unknown tag {tag!r}")
        try:
            return method(self, payload, where)
        except ValueError as error:
            if str(error).startswith(self.source):
                raise
            self.fail(where, f"{tag}: {error}")
        except (TypeError, KeyError, IndexError, AttributeError, OverflowError) as error:
            self.fail(where, f"{tag}: {type(error).__name__}: {error}")

    def entry(self, name, folder: str) -> bytes:
        if not isinstance(name, str) or not name.startswith(folder + "/") \
                or name not in self.entries:
            raise ValueError(f"names a missing entry {name!r}")
        return self.entries[name]

    # one method per tag ------------------------------------------------------
    def _float(self, text, where):
        if text not in ("nan", "inf", "-inf"):
            raise ValueError(f"{text!r} is not nan, inf or -inf")
        return float(text)

    def _tuple(self, items, where):
        return tuple(self.decode({"$list": items}, where))

    def _list(self, items, where):
        if not isinstance(items, list):
            raise ValueError("expected a list")
        return [self.decode(v, f"{where}[{i}]") for i, v in enumerate(items)]

    def _dict(self, pairs, where):
        out = {}
        for pair in self._list(pairs, where):
            key, value = pair
            out[key] = value
        return out

    def _array(self, name, where):
        return np.load(io.BytesIO(self.entry(name, "arrays")), allow_pickle=False)

    def _objects(self, payload, where):
        shape, items = payload
        array = np.empty(len(items), dtype=object)
        array[:] = self._list(items, where) if items else []
        return array.reshape(tuple(int(n) for n in shape))

    def _scalar(self, payload, where):
        dtype, value = payload
        dtype = np.dtype(dtype)
        if dtype.kind == "O":
            raise ValueError("object scalars are not stored")
        return dtype.type(self.decode(value, where))

    def _keras(self, name, where):
        return _load_network(self.entry(name, "networks"), f"{self.source} {name}")

    def _object(self, payload, where):
        name, attributes = payload
        cls = _checked_class(name)
        obj = cls.__new__(cls)
        obj.__dict__.update(self._dict(attributes, where))
        _after_load(obj)
        return obj

    def _pandas(self, tag, payload, where):
        import pandas as pd

        value = self.decode(payload, where)
        if tag == "$range_index":
            start, stop, step, name = value
            return pd.RangeIndex(start, stop, step, name=name)
        if tag == "$period_index":
            ordinals, freq, name = value
            return pd.PeriodIndex.from_ordinals(ordinals, freq=freq, name=name)
        if tag == "$datetime_index":
            values, tz, freq, name = value
            index = pd.DatetimeIndex(values, name=name)
            if tz is not None:
                index = index.tz_localize("UTC").tz_convert(tz)
            return pd.DatetimeIndex(index, freq=freq) if freq is not None else index
        if tag == "$index":
            values, dtype, name = value
            return pd.Index(values, dtype=dtype, name=name)
        if tag == "$series":
            values, index, name = value
            return pd.Series(values, index=index, name=name)
        if tag == "$frame":
            columns, index, labels = value
            frame = pd.DataFrame(dict(enumerate(columns)), index=index)
            frame.columns = labels
            return frame
        if tag == "$timestamp":
            ns, tz, unit = value
            stamp = pd.Timestamp(ns, tz="UTC").tz_convert(tz) if tz else pd.Timestamp(ns)
            return stamp.as_unit(unit)
        if tag == "$period":
            ordinal, freq = value
            return pd.Period(ordinal=ordinal, freq=freq)
        if tag == "$timedelta":
            return pd.Timedelta(value)
        return pd.tseries.frequencies.to_offset(value)


_DECODERS = {"$float": _Reader._float, "$tuple": _Reader._tuple, "$list": _Reader._list,
             "$dict": _Reader._dict, "$array": _Reader._array, "$objects": _Reader._objects,
             "$scalar": _Reader._scalar, "$keras": _Reader._keras, "$object": _Reader._object}
for _tag in ("$range_index", "$period_index", "$datetime_index", "$index", "$series",
             "$frame", "$timestamp", "$period", "$timedelta", "$offset"):
    _DECODERS[_tag] = (lambda tag: lambda reader, payload, where:
                       reader._pandas(tag, payload, where))(_tag)


def _after_load(obj) -> None:
    """Rebuild what is not stored: an estimator's compiled predict function."""
    if "model_" in vars(obj) and hasattr(obj, "_refresh_predictor"):
        obj._refresh_predictor()


# -------------------------------------------------------------------- classes
def _class_name(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _allowed(cls: type) -> bool:
    """Whether instances of ``cls`` are stored as their attributes (not Keras layers)."""
    seqkit_class = cls.__module__.split(".")[0] == "seqkit"
    return (seqkit_class or _class_name(cls) in FOREIGN_CLASSES) and not _is_keras_model(cls)


def _checked_class(name) -> type:
    """The class ``"module:qualname"`` if it is seqkit's (or an allowed foreign one)."""
    import importlib

    if not isinstance(name, str) or ":" not in name:
        raise ValueError(f"class {name!r} is not a 'module:name' string")
    module, _, qualname = name.partition(":")
    if module.split(".")[0] != "seqkit" and name not in FOREIGN_CLASSES:
        raise ValueError(f"class {name!r} is not seqkit's; seqkit.load only creates "
                         "seqkit's own classes (and sklearn Pipelines of them)")
    try:
        cls = importlib.import_module(module)
        for part in qualname.split("."):
            cls = getattr(cls, part)
    except (ImportError, AttributeError):
        raise ValueError(f"class {name!r} does not exist in this seqkit {__version__}") \
            from None
    if not isinstance(cls, type) or _class_name(cls) != name or _is_keras_model(cls):
        raise ValueError(f"class {name!r} is not a class seqkit stores")
    return cls


# ------------------------------------------------------------------- networks
def _is_keras_model(value) -> bool:
    keras = _keras_if_loaded()
    if keras is None:
        return False
    if isinstance(value, type):
        return issubclass(value, keras.layers.Layer)
    return isinstance(value, keras.Model)


def _keras_if_loaded():
    import sys

    return sys.modules.get("keras")


def _keras_bytes(model) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "network.keras"
        model.save(path)
        return path.read_bytes()


def seqkit_layers() -> dict:
    """seqkit's Keras layers (and initializers) by name: the only custom objects a saved
    network may use."""
    import importlib

    import keras

    kinds = (keras.layers.Layer, keras.initializers.Initializer)
    layers = {}
    for module_name in LAYER_MODULES:
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, kinds) \
                    and value.__module__ == module_name:
                layers[name] = value
    return layers


def _check_classes(config, layers: dict, source: str) -> None:
    """Refuse a network config naming a ``Lambda`` layer, or a class that is neither
    Keras' nor one of seqkit's ``layers`` (Keras' safe mode refuses them too, but with
    a less clear message)."""
    if isinstance(config, list):
        for item in config:
            _check_classes(item, layers, source)
    if not isinstance(config, dict):
        return
    name, module = config.get("class_name"), config.get("module")
    if isinstance(name, str) and module is not None:
        if name == "Lambda":
            raise ValueError(f"{source}: the network holds a Lambda layer, whose Python code "
                             "seqkit never runs from a file (Keras' safe mode refuses it)")
        known = layers.get(name)
        moved_from = MOVED_LAYERS.get(name)  # files saved before the class moved
        if not (str(module).split(".")[0] == "keras" or (
                known is not None and module in (known.__module__, moved_from))):
            raise ValueError(f"{source}: the network uses the layer class {name!r} of "
                             f"module {module!r}, which is neither Keras' nor seqkit's; "
                             "Keras' safe mode refuses it")
    for value in config.values():
        _check_classes(value, layers, source)


def _load_network(data: bytes, source: str):
    import keras

    layers = seqkit_layers()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            config = json.loads(archive.read("config.json"))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ValueError(f"{source}: not a .keras file ({error})") from None
    # Loss and optimizer: not compiled (the estimator compiles with its own loss); the
    # optimizer is restored below, with its state.
    compile_config = config.pop("compile_config", None)
    _check_classes(config, layers, source)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "network.keras"
        path.write_bytes(data)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # optimizer variables left unloaded
                model = keras.saving.load_model(path, compile=False, safe_mode=True,
                                                custom_objects=layers)
        except Exception as error:  # Keras raises TypeError, ValueError, KeyError...
            raise ValueError(f"{source}: Keras' safe mode refuses this network "
                             f"({type(error).__name__}: {str(error)[:300]})") from None
    _restore_optimizer(model, data, compile_config)
    return model


def _restore_optimizer(model, data: bytes, compile_config) -> None:
    """Give a network loaded uncompiled the Keras optimizer it was trained with, its state
    (step count, moments) read from the ``.keras`` file, as ``model.optimizer``; the
    estimator compiles with it, so training continues as if never saved (``partial_fit``,
    ``warm_start``). Nothing for a network saved untrained or with another optimizer."""
    import h5py
    import keras

    spec = (compile_config or {}).get("optimizer")
    if not (isinstance(spec, dict) and spec.get("module") == "keras.optimizers"
            and spec.get("class_name") in OPTIMIZERS):
        return
    optimizer = keras.optimizers.deserialize(spec)
    with zipfile.ZipFile(io.BytesIO(data)) as archive, \
            h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r") as weights:
        saved = weights.get("optimizer/vars")
        if saved is None:
            return
        optimizer.build(model.trainable_variables)
        if len(saved) != len(optimizer.variables):
            return
        for i, variable in enumerate(optimizer.variables):
            variable.assign(saved[str(i)][()])
    model.optimizer = optimizer


# ------------------------------------------------------------- the manifest
def _versions() -> dict:
    import keras
    import sklearn

    return dict(seqkit_version=__version__, keras_version=keras.__version__,
                sklearn_version=sklearn.__version__, numpy_version=np.__version__)


def _json(data: bytes, path, name: str):
    try:
        return json.loads(data)
    except ValueError as error:
        raise ValueError(f"{path}: {name} is not valid JSON ({error})") from None


def _checked_manifest(entries: dict, path) -> dict:
    if "manifest.json" not in entries:
        raise ValueError(f"path={str(path)!r} is not a seqkit file: it has no manifest.json")
    manifest = _json(entries.pop("manifest.json"), path, "manifest.json")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ValueError(f"path={str(path)!r} is not a seqkit file")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise ValueError(
            f"{path} was written by seqkit {manifest.get('seqkit_version')} in file format "
            f"{version!r}; this seqkit {__version__} reads format {FORMAT_VERSION} only: "
            f"load it with seqkit {manifest.get('seqkit_version')}")
    digests = manifest.get("sha256")
    if not isinstance(digests, dict) or set(digests) != set(entries) \
            or "state.json" not in entries:
        raise ValueError(f"{path}: its entries {sorted(entries)} differ from those its "
                         f"manifest lists; the file was altered after saving")
    for name, data in entries.items():
        if hashlib.sha256(data).hexdigest() != digests[name]:
            raise ValueError(f"{path}: {name} does not match its SHA-256 in manifest.json; "
                             "the file was altered or damaged after saving")
    here = _versions()
    for key in ("keras_version", "sklearn_version"):
        if manifest.get(key) != here[key]:
            warnings.warn(f"{path} was saved with {key.split('_')[0]} {manifest.get(key)}; "
                          f"this is {here[key]}", UserWarning, stacklevel=3)
    return manifest
