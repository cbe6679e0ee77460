"""Property-based tests (hypothesis) of every public estimator's inputs.

The property, for every generated input: the call returns a correct result (right
length, classes seen in fit, finite values), or seqkit raises a ``ValueError`` /
``TypeError`` whose message names the argument. Never an exception of another type, an
error raised inside TensorFlow, Keras or NumPy, a NaN prediction or a hang.

Each estimator is fitted once on small valid data (module fixtures, tiny networks); the
generated inputs go to ``predict`` / ``transform`` / ``update`` / ``generate``. ``fit``
itself gets generated inputs too, with one-epoch networks. The default profile runs a
few examples per test; ``HYPOTHESIS_PROFILE=slow`` many (``tests/conftest.py``; what the
long run found is in docs/inputs.md).
"""

import copy
import re
import traceback
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from seqkit import RNNForecaster, SequenceClassifier, SequenceRegressor, SequenceTagger
from seqkit.captioning import ImageCaptioner
from seqkit.datasets import make_shapes_captions
from seqkit.generation import SequenceTranslator, TextGenerator
from seqkit.text import Tokenizer

from conftest import make_sign_data

SEQKIT = str(Path(__file__).resolve().parents[1] / "seqkit")
# Where a ValueError / TypeError may be raised: seqkit's own checks, or scikit-learn's
# parameter and input validation that seqkit calls (its messages name the argument too).
ALLOWED_RAISERS = (SEQKIT, "/sklearn/utils/")
# Fixtures are reused across examples on purpose: the calls under test do not change them.
REUSED = settings(suppress_health_check=[HealthCheck.function_scoped_fixture,
                                         HealthCheck.too_slow, HealthCheck.data_too_large])


def outcome(call, *arguments: str):
    """``call()``'s result, or None when seqkit refused the input properly.

    Fails the test for any other exception, and for a ValueError / TypeError that does
    not name one of ``arguments`` or that was raised outside seqkit / scikit-learn.
    """
    try:
        result = call()
        event("a result")  # --hypothesis-show-statistics counts results and refusals
        return result
    except (ValueError, TypeError) as error:
        event(f"refused with a {type(error).__name__}")
        message = str(error)
        named = [a for a in arguments
                 if re.search(rf"(?<![\w]){re.escape(a)}(?![a-z_])", message)]
        assert named, f"{type(error).__name__} names none of {arguments}: {message}"
        raiser = traceback.extract_tb(error.__traceback__)[-1].filename
        assert raiser.startswith(SEQKIT) or any(p in raiser for p in ALLOWED_RAISERS), \
            f"{type(error).__name__} raised in {raiser}, not by seqkit: {message}"
        return None


# ------------------------------------------------------------------ strategies
FLOATS = st.floats(allow_nan=True, allow_infinity=True, width=64) | st.sampled_from(
    [0.0, -0.0, 1e300, -1e300, 1e-300, 3.5e38, np.nan, np.inf])
DTYPES = st.sampled_from(["float32", "float64", "int64", "int8", "uint8", "bool",
                          "complex128", "U3", "object"])


@st.composite
def numeric_arrays(draw, max_dims=4):
    """Arrays of any of many dtypes and shapes (sides 0-5), with NaN, inf, huge values."""
    dtype = draw(DTYPES)
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=max_dims, min_side=0, max_side=5))
    if dtype in ("U3", "object"):
        values = hnp.arrays("float64", shape, elements=FLOATS)
        return draw(values).astype(dtype)
    if dtype.startswith(("float", "complex")):
        return draw(hnp.arrays(dtype, shape, elements=FLOATS if dtype != "float32" else
                               st.floats(width=32, allow_nan=True, allow_infinity=True)))
    return draw(hnp.arrays(dtype, shape))


# Mostly ordinary values, sometimes NaN, inf, huge or tiny ones.
VALUES = st.floats(-1e3, 1e3) | FLOATS


def well_shaped(features=2, min_n=0):
    """3-D arrays of the fitted shape, ``(n, T, features)``, of ordinary or extreme values."""
    return hnp.arrays(st.sampled_from(["float32", "float64"]),
                      st.tuples(st.integers(min_n, 5), st.integers(1, 8), st.just(features)),
                      elements=VALUES)


def sequences(features=2):
    """Values inputs: well-shaped arrays, any arrays, ragged lists of arrays, and lists of
    odd items."""
    ragged = st.lists(hnp.arrays("float64", st.tuples(st.integers(0, 6),
                                                      st.sampled_from([features, 1, 3])),
                                 elements=FLOATS), max_size=4)
    odd = st.lists(st.one_of(st.none(), st.text(max_size=3), st.integers(), FLOATS,
                             numeric_arrays(3)), max_size=3)
    return st.one_of(well_shaped(features), well_shaped(features), numeric_arrays(), ragged,
                     odd, st.text(max_size=4), st.none(), st.integers())


WORD = st.text(max_size=6)
SENTENCES = st.lists(st.lists(WORD, max_size=6), max_size=4)
ODD_SENTENCES = st.one_of(
    SENTENCES, st.text(max_size=8), st.none(), st.lists(st.text(max_size=8), max_size=3),
    st.lists(st.one_of(st.none(), st.integers(), st.lists(st.one_of(WORD, st.none(),
                                                                     st.integers()))),
             max_size=3))
TEXTS = st.one_of(st.lists(st.text(max_size=12), max_size=4), st.text(max_size=12),
                  st.none(), st.lists(st.one_of(st.none(), st.integers(), FLOATS,
                                                st.lists(WORD, max_size=3)), max_size=3))


def assert_finite(values):
    assert np.all(np.isfinite(np.asarray(values, dtype=np.float64))), values


# ---------------------------------------------------------------- fitted models
@pytest.fixture(scope="module")
def classifier():
    X, y = make_sign_data(np.random.default_rng(0), n=40, T=6)
    return SequenceClassifier(units=4, epochs=1, random_state=0).fit(X, y)


@pytest.fixture(scope="module")
def regressor():
    X, _ = make_sign_data(np.random.default_rng(1), n=40, T=6)
    return SequenceRegressor(units=4, epochs=1, random_state=0).fit(X, X[:, :, 0].sum(1))


TAGGED = ([["the", "cat", "sat"], ["a", "dog", "ran", "far"]] * 6,
          [["B", "I", "O"], ["B", "I", "O", "O"]] * 6)


@pytest.fixture(scope="module")
def tagger():
    return SequenceTagger(units=4, embedding_dim=4, char_embedding_dim=4, char_filters=4,
                          epochs=1, random_state=0).fit(*TAGGED)


@pytest.fixture(scope="module")
def forecaster():
    t = np.arange(48)
    y = pd.Series(20 + 0.3 * t + 5 * np.sin(2 * np.pi * t / 12),
                  index=pd.date_range("2010-01-01", periods=48, freq="MS"), name="y")
    model = RNNForecaster(window=8, horizon=4, units=4, epochs=1, ensemble_size=1,
                          random_state=0).fit(y)
    return model, y


# ------------------------------------------------------------------ predictors
@REUSED
@given(X=sequences())
@example(X=np.zeros((0, 6, 2)))
@example(X=np.full((1, 6, 2), 1e300))
@example(X=np.zeros((0, 0), "float32"))  # found by the slow run: sklearn's message
@example(X=0)  # found by the default run: "'int' object is not iterable"
@example(X=np.array([["1e+"]]))  # found by the second slow run: sklearn's message
@example(X=np.array([[0j]]))  # found by the second slow run: sklearn's message
def test_classifier_predict(classifier, X):
    proba = outcome(lambda: classifier.predict_proba(X), "X")
    if proba is not None:
        assert proba.shape[1] == len(classifier.classes_)
        assert_finite(proba)
        np.testing.assert_allclose(proba.sum(axis=1), 1, atol=1e-5)
        assert set(classifier.predict(X)) <= set(classifier.classes_)


@REUSED
@given(X=sequences())
@example(X=np.zeros((0, 0), "float32"))
def test_regressor_predict(regressor, X):
    predicted = outcome(lambda: regressor.predict(X), "X")
    if predicted is not None:
        assert len(predicted) == len(X)
        assert_finite(predicted)


@st.composite
def labelled(draw):
    """Well-shaped ``X`` with ``y`` of the same length (one or two classes), or any ``X``
    and ``y``."""
    if draw(st.booleans()):
        X = draw(well_shaped(min_n=1))
        return X, draw(st.lists(st.sampled_from(["a", "b"]), min_size=len(X),
                                max_size=len(X)))
    y = draw(st.one_of(st.lists(st.sampled_from(["a", "b"]), max_size=5), st.none(),
                       hnp.arrays("float64", st.integers(0, 5), elements=FLOATS),
                       st.text(max_size=3)))
    return draw(sequences()), y


@REUSED
@given(data=labelled())
@example(data=(np.zeros((1, 0)), ["a"]))  # found by the slow run: sklearn's message
@example(data=(np.zeros((1, 1, 2)), np.array([9.2e18])))  # third slow run: sklearn's
def test_classifier_fit(data):
    X, y = data
    classifier = SequenceClassifier(units=2, epochs=1, batch_size=4, random_state=0)
    fitted = outcome(lambda: classifier.fit(X, y), "X", "y")
    if fitted is not None:
        assert_finite(fitted.predict_proba(X))


@REUSED
@given(X=ODD_SENTENCES)
@example(X=[[]])
@example(X=[["\x00", "é", "👍", " "]])
def test_tagger_predict(tagger, X):
    tags = outcome(lambda: tagger.predict(X), "X")
    if tags is not None:
        assert [len(t) for t in tags] == [len(s) for s in X]
        assert {tag for sentence in tags for tag in sentence} <= set(tagger.classes_)


@REUSED
@given(X=TEXTS)
@example(X=None)  # found by the default run: "'NoneType' object is not iterable"
def test_tokenizer_transform(X):
    tokenizer = Tokenizer().fit(["a cat sat", "a dog ran, far!", "été 👍"])
    ids = outcome(lambda: tokenizer.transform(X), "X")
    if ids is not None:
        assert len(ids) == len(X)
        assert all(0 <= i < tokenizer.n_ids_ for row in ids for i in row)


# ----------------------------------------------------------------- forecasting
INDEX_KINDS = st.sampled_from(["continues", "gap", "duplicate", "tz", "integer", "shuffled"])


def new_index(kind: str, last: pd.Timestamp, n: int) -> pd.Index:
    """An index for ``n`` new observations after ``last``, well formed or not."""
    dates = pd.date_range(last, periods=n + 2, freq="MS")[1:]
    if kind == "gap":
        return dates[1:]
    if kind == "duplicate":
        return dates[:n].insert(0, dates[0]) if n else dates[:0]
    if kind == "tz":
        return dates[:n].tz_localize("Europe/Paris")
    if kind == "integer":
        return pd.RangeIndex(n)
    if kind == "shuffled":
        return dates[:n][::-1]
    return dates[:n]


@REUSED
@given(horizon=st.one_of(st.integers(-3, 30), st.none(), FLOATS, st.text(max_size=3)))
def test_forecaster_predict(forecaster, horizon):
    model, _ = forecaster
    forecast = outcome(lambda: model.predict(horizon), "horizon")
    if forecast is not None:
        assert len(forecast) == (model.horizon if horizon is None else horizon)
        assert_finite(forecast)


@REUSED
@given(values=st.lists(FLOATS, max_size=6), kind=INDEX_KINDS)
def test_forecaster_update(forecaster, values, kind):
    model, y = forecaster
    model = copy.deepcopy(model)
    n = len(values)
    y_new = pd.Series(values, index=new_index(kind, y.index[-1], n)[:n], name="y", dtype=float)
    updated = outcome(lambda: model.update(y_new), "y_new")
    if updated is not None:
        assert_finite(updated.predict(3))


@REUSED
@given(values=st.lists(FLOATS, max_size=30), kind=INDEX_KINDS)
@example(values=[1.0] * 30, kind="tz")
@example(values=[0.0] * 5 + [1.5e154], kind="integer")  # slow run: an infinite forecast
def test_forecaster_fit(values, kind):
    n = len(values)
    index = new_index(kind, pd.Timestamp("2000-01-01"), n)[:n]
    y = pd.Series(values, index=index, name="y", dtype=float)
    model = RNNForecaster(window=4, horizon=2, units=2, epochs=1, ensemble_size=1,
                          random_state=0)
    fitted = outcome(lambda: model.fit(y), "y")
    if fitted is not None:
        assert_finite(fitted.predict(2))


# ------------------------------------------------------------------ generation
@pytest.fixture(scope="module")
def translator():
    X = ["1 2 3", "3 2", "2 1 1", "3 3 1"] * 5
    return SequenceTranslator(units=4, embedding_dim=4, epochs=1, random_state=0).fit(
        X, [" ".join(reversed(x.split())) for x in X])


@pytest.fixture(scope="module")
def generator():
    return TextGenerator(units=4, embedding_dim=4, bptt_length=6, batch_size=4, epochs=1,
                         random_state=0).fit("the cat sat on the mat. " * 10)


@pytest.fixture(scope="module")
def captioner():
    X, y = make_shapes_captions(8, image_size=16, object_size=5, random_state=0)
    return ImageCaptioner(units=4, embedding_dim=4, cnn_filters=(2,), epochs=1,
                          random_state=0).fit(X, y)


@REUSED
@given(X=TEXTS)
def test_translator_predict(translator, X):
    texts = outcome(lambda: translator.predict(X), "X")
    if texts is not None:
        assert len(texts) == len(X) and all(isinstance(t, str) for t in texts)


@REUSED
@given(prefix=st.one_of(st.text("the cat sat on mat.", max_size=6), st.text(max_size=6),
                        st.none(), st.integers()),
       max_length=st.integers(-2, 12),
       temperature=st.one_of(st.floats(0.05, 3), FLOATS, st.integers(-1, 3)))
def test_text_generator_generate(generator, prefix, max_length, temperature):
    texts = outcome(lambda: generator.generate(prefix=prefix, max_length=max_length,
                                               temperature=temperature, random_state=0),
                    "prefix", "max_length", "temperature")
    if texts is not None:
        assert len(texts) == 1 and texts[0].startswith(prefix)


@REUSED
@given(X=TEXTS)
def test_text_generator_score(generator, X):
    score = outcome(lambda: generator.score(X), "X")
    if score is not None:
        assert np.isfinite(score) and score <= 0


@REUSED
@given(X=st.one_of(hnp.arrays(st.sampled_from(["uint8", "float32", "float64"]),
                              st.tuples(st.integers(0, 3), st.just(16), st.just(16),
                                        st.just(3))),
                   numeric_arrays()))
@example(X=np.zeros((1, 16, 16, 3), dtype="uint8"))
def test_captioner_predict(captioner, X):
    captions = outcome(lambda: captioner.predict(X), "X")
    if captions is not None:
        assert len(captions) == len(X) and all(isinstance(c, str) for c in captions)
