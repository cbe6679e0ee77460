"""seqkit's safe format: est.save / seqkit.load, and the files it refuses."""

import hashlib
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import keras
import numpy as np
import pandas as pd
import pytest
from sklearn.pipeline import make_pipeline

import seqkit
from seqkit import (ImageCaptioner, RNNForecaster, SequenceClassifier, SequenceRegressor,
                    SequenceTagger, SequenceTranslator, TextGenerator)
from seqkit.datasets import make_shapes_captions
from seqkit.text import Tokenizer

from conftest import FAST, make_sign_data

SENTENCES = [["the", "cat", "sat"], ["a", "dog", "ran", "fast"]] * 5
TAGS = [["D", "N", "V"], ["D", "N", "V", "A"]] * 5
TEXTS = ["a good film", "great acting", "a bad film", "awful acting"] * 3
LABELS = ["pos", "pos", "neg", "neg"] * 3

# Each case: fit an estimator, and what to compare after loading it.
FRESH_PROCESS = """
import json, os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
sys.path.insert(0, sys.argv[3])
import numpy as np
import seqkit
from test_saving import make_cases, plain
outputs = {}
cases = make_cases()
for name in sys.argv[4:]:
    outputs[name] = cases[name][1](seqkit.load(os.path.join(sys.argv[1], name + ".seqkit")))
with open(sys.argv[2], "w") as f:
    json.dump(plain(outputs), f)
"""


def plain(value):
    """``value`` with arrays as (nested) lists and numpy scalars as Python ones."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value.tolist() if isinstance(value, (np.ndarray, np.generic)) else value


def _series():
    t = np.arange(48)
    return pd.Series(10 + 0.1 * t + np.sin(2 * np.pi * t / 12),
                     index=pd.period_range("2020-01", periods=48, freq="M"))


def _panel(with_future=False):
    """A long panel with a known-future ``promo`` and a static ``kind`` per series."""
    t = np.arange(40 + 3 * with_future)
    frame = pd.concat([pd.DataFrame({"unique_id": name, "ds": t, "y": 10 + offset + np.sin(t),
                                     "promo": t % 2.0, "kind": kind})
                       for name, offset, kind in (("a", 0, "x"), ("b", 5, "y"))])
    if with_future:
        return frame[frame["ds"] >= 40][["unique_id", "ds", "promo"]]
    return frame


def make_cases():
    """name -> (fit estimator function, prediction function); data from fixed seeds."""
    rng = np.random.default_rng(0)
    X, y = make_sign_data(rng, n=30)
    ragged, _ = make_sign_data(rng, n=12, ragged=True)
    images, captions = make_shapes_captions(12, random_state=0)
    return {
        "classifier": (lambda: SequenceClassifier(**FAST).fit(X, y),
                       lambda est: est.predict_proba(X)),
        "regressor": (lambda: SequenceRegressor(**FAST).fit(ragged, np.arange(12.0)),
                      lambda est: est.predict(ragged)),
        "tagger": (lambda: SequenceTagger(**FAST, crf=True).fit(SENTENCES, TAGS),
                   lambda est: [list(p.ravel()) for p in est.predict_proba(SENTENCES)]),
        "forecaster": (lambda: RNNForecaster(window=12, horizon=6, units=8, epochs=2,
                                             random_state=0).fit(_series()),
                       lambda est: est.predict_quantiles(8).to_numpy()),
        "captioner": (lambda: ImageCaptioner(units=8, epochs=1, random_state=0)
                      .fit(images, captions),
                      lambda est: est.predict(images[:4])),
        "panel forecaster": (lambda: RNNForecaster(
            window=8, horizon=4, units=8, epochs=2, static_covariates=["kind"],
            random_state=0).fit(_panel()),
                             lambda est: est.predict(3, X=_panel(True))["y"].to_numpy()),
        "translator": (lambda: SequenceTranslator(units=8, embedding_dim=8, epochs=1,
                                                  random_state=0).fit(TEXTS, TEXTS[::-1]),
                       lambda est: est.predict(TEXTS[:4])),
        "text generator": (lambda: TextGenerator(units=8, embedding_dim=8, bptt_length=6,
                                                 batch_size=4, epochs=1, random_state=0)
                           .fit(" ".join(TEXTS)),
                           lambda est: est.generate(2, prefix="a ", max_length=12,
                                                    random_state=0)),
        "tokenizer": (lambda: Tokenizer().fit(TEXTS), lambda est: est.transform(TEXTS)),
        "pipeline": (lambda: make_pipeline(Tokenizer(), SequenceClassifier(
            embedding_dim=8, **FAST)).fit(TEXTS, LABELS),
                     lambda est: est.predict_proba(TEXTS)),
    }


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """name -> (estimator, its predictions, saved path), each fitted on first use."""
    folder = tmp_path_factory.mktemp("saved")
    cases, done = make_cases(), {}

    class Saved(dict):
        def __missing__(self, name):
            fit, predict = cases[name]
            estimator = fit()
            path = seqkit.save(estimator, folder / f"{name}.seqkit")
            done[name] = self[name] = (estimator, predict(estimator), path)
            return done[name]

    return Saved()


def _assert_same(got, expected, name):
    if isinstance(expected, list):
        assert list(got) == expected, name
    else:
        np.testing.assert_array_equal(got, expected, err_msg=name)


@pytest.mark.parametrize("name", list(make_cases()))
def test_load_gives_the_same_predictions(saved, name):
    estimator, expected, path = saved[name]
    again = seqkit.load(path)
    assert type(again) is type(estimator)
    _assert_same(make_cases()[name][1](again), expected, name)


def _in_a_fresh_process(saved, names, tmp_path):
    for name in names:
        saved[name]  # noqa: B018 (fit and save)
    out = tmp_path / "out.json"
    subprocess.run([sys.executable, "-c", FRESH_PROCESS, str(saved["tokenizer"][2].parent),
                    str(out), str(Path(__file__).parent), *names], check=True)
    loaded = json.loads(out.read_text())  # floats round-trip exactly through JSON
    assert sorted(loaded) == sorted(names)
    for name in names:
        assert loaded[name] == plain(saved[name][1]), name


def test_custom_layers_load_in_a_fresh_process(saved, tmp_path):
    _in_a_fresh_process(saved, ["tagger", "forecaster"], tmp_path)


FIT_AND_SAVE = """
import os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
sys.path.insert(0, sys.argv[2])
from test_saving import FAST, SENTENCES, TAGS
from seqkit import SequenceTagger
for name, crf, members in (("crf", True, 1), ("ensemble", False, 2)):
    tagger = SequenceTagger(**{**FAST, "epochs": 1}, crf=crf, ensemble_size=members)
    tagger.fit(SENTENCES, TAGS)
    tagger.save(os.path.join(sys.argv[1], name + ".seqkit"))
"""

LOAD_AND_PREDICT = """
import os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import json
import seqkit
print(json.dumps({name: seqkit.load(os.path.join(sys.argv[1], name + ".seqkit"))
                  .predict([["the", "cat"]]) for name in ("crf", "ensemble")}))
"""


def test_saved_in_a_fresh_process_loads_in_another(tmp_path):
    """Fit and save in one new process, load in another: the loaded network's operations
    keep their saved names, so the predictor built on it must not repeat them (a CRF
    tagger's padding mask once did: "The name "not_equal" is used 2 times")."""
    tests = str(Path(__file__).parent)
    subprocess.run([sys.executable, "-c", FIT_AND_SAVE, str(tmp_path), tests], check=True)
    done = subprocess.run([sys.executable, "-c", LOAD_AND_PREDICT, str(tmp_path)],
                          check=True, capture_output=True, text=True)
    predicted = json.loads(done.stdout.splitlines()[-1])
    assert sorted(predicted) == ["crf", "ensemble"]
    for tags in predicted.values():
        assert len(tags) == 1 and len(tags[0]) == 2 and set(tags[0]) <= {"D", "N", "V", "A"}


@pytest.mark.slow
def test_every_estimator_loads_in_a_fresh_process(saved, tmp_path):
    _in_a_fresh_process(saved, list(make_cases()), tmp_path)


def test_load_in_this_process_gives_the_same_fitted_state(saved):
    estimator, expected, path = saved["forecaster"]
    again = seqkit.load(path)
    assert type(again) is RNNForecaster
    assert again.get_params() == estimator.get_params()
    pd.testing.assert_frame_equal(again.series_, estimator.series_)
    assert again.cutoff_ == estimator.cutoff_
    assert again.history_ == estimator.history_


def _pickle_headers(data: bytes) -> bool:
    return any(header in data for header in (b"\x80\x02c", b"\x80\x03c", b"\x80\x04\x95",
                                             b"\x80\x05\x95"))


def _numeric_datasets_only(h5_bytes: bytes) -> None:
    import h5py

    def check(name, item):
        if isinstance(item, h5py.Dataset):
            assert item.dtype.kind in "fiub", (name, item.dtype)

    with h5py.File(io.BytesIO(h5_bytes), "r") as h5:
        h5.visititems(check)


def test_files_hold_no_pickle(saved):
    """Every entry is JSON, an .npy that loads with allow_pickle=False, or a .keras zip of
    JSON and an HDF5 file of numeric arrays: no place for a pickle to hide."""
    for name in ("tagger", "forecaster", "pipeline"):
        path = saved[name][2]
        with zipfile.ZipFile(path) as archive:
            for entry in archive.namelist():
                data = archive.read(entry)
                if entry.endswith(".json"):
                    assert not _pickle_headers(data), (name, entry)
                    json.loads(data)
                elif entry.endswith(".npy"):
                    np.load(io.BytesIO(data), allow_pickle=False)
                else:
                    assert entry.endswith(".keras"), entry
                    inner = zipfile.ZipFile(io.BytesIO(data))
                    assert set(inner.namelist()) == {"metadata.json", "config.json",
                                                     "model.weights.h5"}
                    for member in ("metadata.json", "config.json"):
                        assert not _pickle_headers(inner.read(member)), (name, member)
                        json.loads(inner.read(member))
                    _numeric_datasets_only(inner.read("model.weights.h5"))
    manifest = json.loads(zipfile.ZipFile(saved["classifier"][2]).read("manifest.json"))
    assert manifest["seqkit_version"] == seqkit.__version__
    assert manifest["keras_version"] == keras.__version__
    assert {"sklearn_version", "format_version"} <= set(manifest)


def _rewrite(source, target, changes: dict, update_digests=True):
    """Copy the seqkit file ``source`` to ``target`` with entries replaced (a function of
    the old bytes, or new bytes), re-signing the manifest's digests unless told not to."""
    with zipfile.ZipFile(source) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    for name, change in changes.items():
        entries[name] = change(entries.get(name)) if callable(change) else change
    if update_digests:
        manifest = json.loads(entries["manifest.json"])
        manifest["sha256"] = {name: hashlib.sha256(data).hexdigest()
                              for name, data in entries.items() if name != "manifest.json"}
        entries["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return target


def _network_entry(path):
    return next(n for n in zipfile.ZipFile(path).namelist() if n.endswith(".keras"))


def _keras_file(model, tmp_path) -> bytes:
    path = tmp_path / "evil.keras"
    model.save(path)
    return path.read_bytes()


def test_a_network_with_a_lambda_layer_is_refused(saved, tmp_path):
    path = saved["classifier"][2]
    inputs = keras.Input((10, 2))
    evil = keras.Model(inputs, keras.layers.Lambda(lambda x: x * 2)(inputs))
    tampered = _rewrite(path, tmp_path / "lambda.seqkit",
                        {_network_entry(path): _keras_file(evil, tmp_path)})
    with pytest.raises(ValueError, match="holds a Lambda layer"):
        seqkit.load(tampered)


class Unregistered(keras.layers.Layer):
    def call(self, x):
        return x


def test_a_network_with_an_unregistered_layer_class_is_refused(saved, tmp_path):
    path = saved["classifier"][2]
    inputs = keras.Input((10, 2))
    evil = keras.Model(inputs, Unregistered()(inputs))
    tampered = _rewrite(path, tmp_path / "class.seqkit",
                        {_network_entry(path): _keras_file(evil, tmp_path)})
    with pytest.raises(ValueError, match="layer class 'Unregistered' of module 'test_saving'"):
        seqkit.load(tampered)


@pytest.mark.parametrize("name", ["sklearn.linear_model:LogisticRegression", "os:system",
                                  "builtins:eval", "seqkit.base:np.ndarray"])
def test_a_class_that_is_not_seqkits_is_refused(saved, tmp_path, name):
    path = saved["tokenizer"][2]

    def swap(data):
        return data.replace(b"seqkit.text:Tokenizer", name.encode())

    tampered = _rewrite(path, tmp_path / "class.seqkit",
                        {"state.json": swap, "manifest.json": swap})
    with pytest.raises(ValueError, match=f"class '{name}' is not"):
        seqkit.load(tampered)


def test_tampered_json_is_refused(saved, tmp_path):
    path = saved["tokenizer"][2]

    def edit(data):
        return data.replace(b'"lowercase", true', b'"lowercase", false')

    tampered = _rewrite(path, tmp_path / "a.seqkit", {"state.json": edit},
                        update_digests=False)
    with pytest.raises(ValueError, match="state.json does not match its SHA-256"):
        seqkit.load(tampered)
    unknown = _rewrite(path, tmp_path / "b.seqkit", {"state.json": lambda d: d.replace(
        b'"$tuple"', b'"$reduce"').replace(b'"$dict"', b'"$reduce"', 1)})
    with pytest.raises(ValueError, match="unknown tag '\\$reduce'"):
        seqkit.load(unknown)
    broken = _rewrite(path, tmp_path / "c.seqkit", {"state.json": b"{not json"})
    with pytest.raises(ValueError, match="state.json is not valid JSON"):
        seqkit.load(broken)
    extra = _rewrite(path, tmp_path / "d.seqkit", {"arrays/9.npy": b"x"},
                     update_digests=False)
    with pytest.raises(ValueError, match="differ from those its manifest lists"):
        seqkit.load(extra)


def test_a_compatible_version_loads_and_an_incompatible_one_names_both(saved, tmp_path):
    estimator, expected, path = saved["classifier"]

    def version(seqkit_version, format_version):
        def change(data):
            manifest = json.loads(data)
            manifest.update(seqkit_version=seqkit_version, format_version=format_version)
            return json.dumps(manifest).encode()
        return change

    older = _rewrite(path, tmp_path / "old.seqkit", {"manifest.json": version("0.0.9", 1)})
    np.testing.assert_array_equal(seqkit.load(older).predict_proba(
        make_sign_data(np.random.default_rng(0), n=30)[0]), expected)
    newer = _rewrite(path, tmp_path / "new.seqkit", {"manifest.json": version("9.1.0", 2)})
    with pytest.raises(ValueError, match=f"seqkit 9.1.0 .*this seqkit {seqkit.__version__}"):
        seqkit.load(newer)


def test_not_a_seqkit_file(tmp_path):
    (tmp_path / "x.seqkit").write_bytes(b"plain text")
    with pytest.raises(ValueError, match="path='.*x.seqkit' is not a seqkit file"):
        seqkit.load(tmp_path / "x.seqkit")
    with pytest.raises(TypeError, match="estimator=.* is not a scikit-learn estimator"):
        seqkit.save(object(), tmp_path / "y.seqkit")


def test_a_value_the_format_cannot_store_is_named_and_pickle_still_works(rng, tmp_path):
    import pickle

    X, y = make_sign_data(rng, n=20)
    clf = SequenceClassifier(**FAST, callbacks=[keras.callbacks.TerminateOnNaN()]).fit(X, y)
    with pytest.raises(TypeError, match=r"estimator\['callbacks'\]\[0\] holds a .*TerminateOnNaN"):
        clf.save(tmp_path / "clf.seqkit")
    assert not (tmp_path / "clf.seqkit").exists()
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(clf)).predict_proba(X),
                                  clf.predict_proba(X))


def test_unfitted_estimator_round_trips(tmp_path):
    from sklearn.base import clone

    est = SequenceTagger(units=4, crf=True)
    again = seqkit.load(est.save(tmp_path / "t.seqkit"))
    assert clone(again).get_params() == est.get_params()
    assert not hasattr(again, "model_")


def _replace_in_network_config(old: bytes, new: bytes):
    """A change for :func:`_rewrite`: ``old`` replaced by ``new`` in a .keras config."""
    def change(data):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = {n: archive.read(n) for n in archive.namelist()}
        assert old in entries["config.json"]
        entries["config.json"] = entries["config.json"].replace(old, new)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for n, d in entries.items():
                archive.writestr(n, d)
        return buffer.getvalue()
    return change


@pytest.mark.parametrize("module, loads", [("seqkit.generation.decoder", True),
                                           ("evil.module", False)])
def test_a_layer_class_from_its_former_module_still_loads(saved, tmp_path, module, loads):
    """PaddingMask moved from seqkit.generation.decoder to seqkit.networks: files saved
    before name the old module and must still load; any other module is refused."""
    _, expected, path = saved["translator"]
    older = _rewrite(path, tmp_path / "older.seqkit", {_network_entry(path): (
        _replace_in_network_config(b'"module": "seqkit.networks", "class_name": "PaddingMask"',
                                   f'"module": "{module}", "class_name": "PaddingMask"'
                                   .encode()))})
    if loads:
        assert plain(make_cases()["translator"][1](seqkit.load(older))) == plain(expected)
    else:
        with pytest.raises(ValueError, match="'PaddingMask' of module 'evil.module'"):
            seqkit.load(older)


def test_keras_safe_mode_still_guards_what_the_config_check_lets_through(saved, tmp_path):
    """A layer config with no module (so not caught by seqkit's own check) is still
    refused by Keras itself."""
    path = saved["classifier"][2]
    inputs = keras.Input((10, 2))
    evil = _keras_file(keras.Model(inputs, keras.layers.Lambda(lambda x: x * 2)(inputs)),
                       tmp_path)

    def strip_module(data):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = {n: archive.read(n) for n in archive.namelist()}
        entries["config.json"] = entries["config.json"].replace(b'"module": "keras.layers", ', b"")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for n, d in entries.items():
                archive.writestr(n, d)
        return buffer.getvalue()

    tampered = _rewrite(path, tmp_path / "lambda.seqkit",
                        {_network_entry(path): strip_module(evil)})
    with pytest.raises(ValueError, match="safe mode refuses this network"):
        seqkit.load(tampered)


@pytest.mark.parametrize("name", ["forecaster", "pipeline"])
def test_skops_round_trip_trusts_only_seqkit_classes(saved, tmp_path, name):
    skops_io = pytest.importorskip("skops.io")
    estimator, expected, _ = saved[name]
    path = tmp_path / "model.skops"
    skops_io.dump(estimator, path)
    untrusted = skops_io.get_untrusted_types(file=path)
    assert untrusted and all(t.startswith("seqkit.") for t in untrusted), untrusted
    with pytest.raises(Exception, match="[Uu]ntrusted"):
        skops_io.load(path)
    _assert_same(make_cases()[name][1](skops_io.load(path, trusted=untrusted)), expected, name)


def test_pickle_state_is_plain_data_with_the_network_as_keras_bytes(saved):
    state = saved["classifier"][0].__getstate__()
    assert set(state) == {"seqkit_state", "seqkit_entries"}
    entries = state["seqkit_entries"]
    networks = [name for name in entries if name.endswith(".keras")]
    assert len(networks) == 1 and entries[networks[0]].dtype == np.uint8
    assert entries[networks[0]][:2].tobytes() == b"PK"  # a .keras zip, not a live model
    json.loads(state["seqkit_state"])


def test_a_loaded_estimator_continues_training_with_warm_start(saved):
    estimator, expected, path = saved["classifier"]
    again = seqkit.load(path).set_params(warm_start=True, epochs=1)
    X, y = make_sign_data(np.random.default_rng(0), n=30)
    again.fit(X, y)
    assert again.n_iter_ == estimator.n_iter_ + 1
    assert not np.array_equal(again.predict_proba(X), expected)
