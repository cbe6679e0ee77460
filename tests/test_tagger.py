"""SequenceTagger: fit / predict contract, CRF, bad input, scikit-learn integration.

Corpora are tiny and generated: a word's chunk tag follows from its word class, so
the task is learnable but the tests only check contracts unless marked slow.
"""

import pickle

import numpy as np
import pytest
from conftest import assert_float32_arithmetic
from sklearn.base import clone
from sklearn.metrics import make_scorer
from sklearn.model_selection import GridSearchCV

from seqkit import SequenceTagger
from seqkit.metrics import entity_f1

TINY = dict(units=4, embedding_dim=4, char_embedding_dim=4, char_filters=4, epochs=2,
            batch_size=8, random_state=0)
WORDS = {"DET": ["the", "a", "this"], "NOUN": ["cat", "dog", "Bob", "42"],
         "VERB": ["runs", "sat", "eats"]}


def make_corpus(n=24, seed=0, max_len=7):
    """Sentences of determiners, nouns and verbs with BIO noun-phrase tags."""
    rng = np.random.default_rng(seed)
    X, y = [], []
    for _ in range(n):
        tokens, tags = [], []
        for _ in range(int(rng.integers(1, max_len + 1))):
            kind = ["DET", "NOUN", "VERB"][int(rng.integers(3))]
            tokens.append(WORDS[kind][int(rng.integers(len(WORDS[kind])))])
            if kind == "VERB":
                tags.append("O")
            elif kind == "NOUN" and tags and tags[-1] != "O":
                tags.append("I-NP")
            else:
                tags.append("B-NP")
        X.append(tokens)
        y.append(tags)
    return X, y


@pytest.fixture(scope="module")
def corpus():
    return make_corpus()


@pytest.fixture(scope="module", params=[(False, 1), (True, 1), (False, 2), (True, 3)],
                ids=["softmax", "crf", "softmax-ensemble", "crf-ensemble"])
def fitted(request, corpus):
    X, y = corpus
    crf, members = request.param
    return SequenceTagger(crf=crf, ensemble_size=members, **TINY).fit(X, y)


def test_predict_dtype_float32_gives_the_same_tags(fitted, corpus):
    X, _ = corpus
    fast, tags = fitted.predict_proba(X), fitted.predict(X)  # float32, the default
    try:
        fitted.set_params(predict_dtype="float64")
        exact = fitted.predict_proba(X)
        assert_float32_arithmetic(fast, exact)
        assert fitted.predict(X) == tags
    finally:
        fitted.set_params(predict_dtype="float32")  # the fixture is shared


def test_predict_keeps_every_sentence_length(fitted, corpus):
    X, _ = corpus
    predicted = fitted.predict(X)
    assert [len(p) for p in predicted] == [len(x) for x in X]
    assert all(isinstance(tag, str) for p in predicted for tag in p)
    assert set(tag for p in predicted for tag in p) <= set(fitted.classes_)
    assert list(fitted.classes_) == ["B-NP", "I-NP", "O"]


def test_predict_proba_rows_are_distributions(fitted, corpus):
    X, _ = corpus
    proba = fitted.predict_proba(X[:5])
    for p, x in zip(proba, X[:5], strict=False):
        assert p.shape == (len(x), 3)
        np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-5)


def test_unseen_words_and_longer_sentences_are_tagged(fitted):
    predicted = fitted.predict([["zebras", "Quickly", "ran", "the"] * 10, ["x"]])
    assert [len(p) for p in predicted] == [40, 1]


def test_score_is_token_accuracy(fitted, corpus):
    X, y = corpus
    predicted = fitted.predict(X)
    correct = sum(p == t for ps, ts in zip(predicted, y, strict=True)
                  for p, t in zip(ps, ts, strict=True))
    assert fitted.score(X, y) == pytest.approx(correct / sum(map(len, y)))


def test_tags_unseen_in_fit_count_as_errors_at_score(fitted):
    X = [["the", "cat"]]
    assert fitted.score(X, [["B-PER", "I-PER"]]) == 0.0


def test_pickle_round_trip_gives_the_same_predictions(fitted, corpus):
    X, _ = corpus
    again = pickle.loads(pickle.dumps(fitted))
    assert again.predict(X) == fitted.predict(X)
    np.testing.assert_allclose(np.concatenate(again.predict_proba(X)),
                               np.concatenate(fitted.predict_proba(X)), rtol=1e-6)


def test_prediction_does_not_depend_on_batch_companions(fitted, corpus):
    X, _ = corpus
    together = fitted.predict_proba(X)
    for i in range(4):
        np.testing.assert_allclose(fitted.predict_proba([X[i]])[0], together[i], atol=1e-5)


def test_clone_keeps_parameters_and_default_is_bidirectional():
    tagger = SequenceTagger(crf=True, units=5)
    copy = clone(tagger)
    assert copy.get_params() == tagger.get_params()
    assert SequenceTagger().bidirectional is True


def test_same_random_state_same_predictions(corpus):
    X, y = corpus
    first = SequenceTagger(**TINY).fit(X, y).predict_proba(X[:3])
    second = SequenceTagger(**TINY).fit(X, y).predict_proba(X[:3])
    for a, b in zip(first, second, strict=False):
        np.testing.assert_array_equal(a, b)


def test_per_step_feature_arrays(rng):
    X = [rng.normal(size=(int(rng.integers(2, 8)), 3)) for _ in range(20)]
    y = [np.where(x[:, 0] > 0, "up", "down").tolist() for x in X]
    tagger = SequenceTagger(**TINY).fit(X, y)
    predicted = tagger.predict(X[:4])
    assert [len(p) for p in predicted] == [len(x) for x in X[:4]]
    with pytest.raises(TypeError, match="fitted on per-step arrays"):
        tagger.predict([["a", "b"]])


def test_without_character_features_and_without_bucketing(corpus):
    X, y = corpus
    tagger = SequenceTagger(char_features=None, bucketing=False, **TINY).fit(X, y)
    assert tagger.char_vocabulary_ is None
    assert [len(p) for p in tagger.predict(X[:3])] == [len(x) for x in X[:3]]


def test_vocabulary_normalises_case_and_digits(corpus):
    X, y = corpus
    tagger = SequenceTagger(**TINY).fit(X + [["Bob", "77"]], y + [["B-NP", "I-NP"]])
    assert "bob" in tagger.vocabulary_ and "Bob" not in tagger.vocabulary_
    assert "00" in tagger.vocabulary_ and "77" not in tagger.vocabulary_
    assert min(tagger.vocabulary_.values()) == 2  # 0 pads, 1 is the unknown word


# ------------------------------------------------------------------------ bad input
@pytest.mark.parametrize("X, y, error, message", [
    ([["a", "b"], ["c"]], [["O", "O"], ["O", "O"]], ValueError,
     r"sample 1: X\[1\] has 1 tokens but y\[1\] has 2 tags"),
    ([["a"], []], [["O"], []], ValueError, r"X\[1\] is an empty sentence"),
    ([["a", 3]], [["O", "O"]], TypeError, r"X\[0\]\[1\] is int 3"),
    ([], [], ValueError, "X is empty"),
    ([["a"]], [["O"], ["O"]], ValueError, "X has 1 sentences but y has 2 tag lists"),
    (["the cat"], [["O", "O"]], TypeError, "X\\[0\\] is the string"),
    ([["a", "b"]], ["OO"], TypeError, r"y\[0\] is 'OO'"),
])
def test_bad_input_is_a_clear_error(X, y, error, message):
    with pytest.raises(error, match=message):
        SequenceTagger(**TINY).fit(X, y)


@pytest.mark.parametrize("y, error, message", [
    ([[1, "N"], ["V"]], TypeError,
     r"y mixes labels of different types \(1 \(int\), 'N' \(str\)\)"),
    ([[None, "N"], ["V"]], ValueError, r"y\[0\]\[0\] is None: a tag is missing"),
    ([["D", "N"], [float("nan")]], ValueError, r"y\[1\]\[0\] is nan: a tag is missing"),
    ([[{}, "N"], ["V"]], TypeError, r"y\[0\]\[0\] is dict \{\}; tags must be hashable"),
    ([["N", ["V"]], ["V"]], TypeError, r"y\[0\]\[1\] is list \['V'\]; tags must be hashable"),
    ([["N", "N"], ["N"]], ValueError,
     r"y has 1 distinct tag\(s\) \('N'\); a tagger needs at least two"),
])
def test_bad_tags_are_named(y, error, message):
    with pytest.raises(error, match=message):
        SequenceTagger(**TINY).fit([["a", "b"], ["c"]], y)


def test_bad_tags_in_partial_fit():
    X, y = [["a", "b"], ["c"]], [["D", "N"], ["V"]]
    for classes, error, message in [
            ([1, "N"], TypeError, r"classes mixes labels of different types"),
            (["N", None], ValueError, r"classes\[1\] is None: a tag is missing"),
            (["N"], ValueError, r"classes has 1 distinct tag\(s\) \('N'\)")]:
        with pytest.raises(error, match=message):
            SequenceTagger(**TINY).partial_fit(X, y, classes=classes)
    tagger = SequenceTagger(**TINY).partial_fit(X, y, classes=["D", "N", "V"])
    with pytest.raises(ValueError, match=r"y\[1\]\[0\] is None: a tag is missing"):
        tagger.partial_fit(X, [["D", "N"], [None]])


def test_bad_input_at_predict_and_score(fitted):
    with pytest.raises(ValueError, match=r"X\[0\] is an empty sentence"):
        fitted.predict([[]])
    with pytest.raises(ValueError, match=r"sample 0: X\[0\] has 2 tokens but y\[0\] has 1"):
        fitted.score([["a", "b"]], [["O"]])


# --------------------------------------------------------------------- scikit-learn
def test_grid_search_with_entity_f1_scorer(corpus):
    X, y = corpus
    search = GridSearchCV(SequenceTagger(**dict(TINY, epochs=1)), {"crf": [False, True]},
                          scoring=make_scorer(entity_f1), cv=2)
    search.fit(X, y)
    assert search.best_params_["crf"] in (False, True)
    assert 0.0 <= search.best_score_ <= 1.0


@pytest.mark.slow
@pytest.mark.parametrize("crf", [False, True])
def test_learns_chunks_and_tags_unseen_words(crf):
    X, y = make_corpus(n=200, seed=1)
    settings = dict(TINY, units=16, embedding_dim=16, char_filters=16, epochs=40,
                    learning_rate=1e-2, crf=crf)
    tagger = SequenceTagger(**settings).fit(X, y)
    X_test, y_test = make_corpus(n=50, seed=2)
    assert entity_f1(y_test, tagger.predict(X_test)) > 0.9


# ------------------------------------------------------------ extra per-token features
def with_word_class(X):
    """Tokens as ``(word, class)`` tuples, the class being what the chunk tags follow."""
    classes = {word: kind for kind, words in WORDS.items() for word in words}
    return [[(word, classes[word]) for word in sentence] for sentence in X]


def test_tuple_tokens_add_one_embedded_feature_column(corpus):
    X, y = corpus
    tagger = SequenceTagger(feature_embedding_dim=3, **TINY).fit(with_word_class(X), y)
    assert tagger.feature_vocabularies_ == [{"DET": 2, "NOUN": 3, "VERB": 4}]
    assert "the" in tagger.vocabulary_  # the word field feeds the word embedding
    assert {t.name.split(":")[0] for t in tagger.model_.inputs} == {"ids", "chars",
                                                                  "features"}
    embeddings = [layer for layer in tagger.model_.layers
                  if type(layer).__name__ == "Embedding" and layer.output_dim == 3]
    assert len(embeddings) == 1 and embeddings[0].input_dim == 5
    # an unseen feature value is the unknown id, and a feature changes the output
    unseen = [[("the", "DET"), ("cat", "ADJ")]]
    noun = [[("the", "DET"), ("cat", "NOUN")]]
    assert len(tagger.predict(unseen)[0]) == 2
    assert not np.allclose(tagger.predict_proba(unseen)[0], tagger.predict_proba(noun)[0])


def test_tuple_tokens_must_have_one_width(corpus):
    X, y = corpus
    tokens = with_word_class(X)
    tokens[3] = [tokens[3][0] + ("extra",)] + tokens[3][1:]
    with pytest.raises(ValueError, match=r"X\[3\]\[0\] is .* with 3 field\(s\), but "
                                         r"X\[0\]\[0\] has 2"):
        SequenceTagger(**TINY).fit(tokens, y)
    mixed = [[("the", "DET"), "cat"]]
    with pytest.raises(ValueError, match=r"X\[0\]\[1\] is 'cat' with 1 field"):
        SequenceTagger(**TINY).fit(mixed, [["B-NP", "I-NP"]])
    with pytest.raises(TypeError, match=r"X\[0\]\[1\] is tuple \('cat', 3\)"):
        SequenceTagger(**TINY).fit([[("the", "DET"), ("cat", 3)]], [["B-NP", "I-NP"]])


def test_predict_needs_the_fitted_token_width(corpus):
    X, y = corpus
    tagger = SequenceTagger(**dict(TINY, epochs=1)).fit(with_word_class(X), y)
    with pytest.raises(ValueError, match=r"fitted on tokens of 2 \(word, feature"):
        tagger.predict([["the", "cat"]])
