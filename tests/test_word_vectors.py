"""Pretrained word vectors: reading them, the embedding matrix, and estimators that use it."""

import gzip
import pickle

import numpy as np
import pytest
from conftest import FAST
from sklearn.base import clone
from sklearn.pipeline import make_pipeline

from seqkit import SequenceClassifier, SequenceRegressor
from seqkit.text import Tokenizer
from seqkit.word_vectors import embedding_matrix, read_word_vectors

GLOVE = "good 0.5 1.0\nbad -0.5 -1.0\nfilm 0 0.25\ngood 9 9\n"


def test_read_glove_and_word2vec_formats(tmp_path):
    (tmp_path / "glove.txt").write_text(GLOVE)
    words, vectors = read_word_vectors(tmp_path / "glove.txt")
    assert words == ["good", "bad", "film"]  # the repeated "good" keeps its first vector
    np.testing.assert_array_equal(vectors, [[0.5, 1.0], [-0.5, -1.0], [0, 0.25]])
    assert vectors.dtype == np.float32
    with gzip.open(tmp_path / "w2v.txt.gz", "wt") as file:
        file.write("3 2\n" + GLOVE)
    words, vectors = read_word_vectors(tmp_path / "w2v.txt.gz", max_words=2)
    assert words == ["good", "bad"] and vectors.shape == (2, 2)
    (tmp_path / "spaces.txt").write_bytes(b"a 1 2\r\n. . . 3 4 \r\n\n")  # CRLF, blank line
    words, vectors = read_word_vectors(tmp_path / "spaces.txt")
    assert words == ["a", ". . ."] and vectors[1].tolist() == [3, 4]


@pytest.mark.parametrize("text, message", [
    ("good 0.5 1.0\nbad 0.5\n", r"line 2: 1 values after the word, expected 2"),
    ("good 0.5 x\n", r"line 1: the values must be numbers"),
    ("good 0.5 nan\n", r"line 1 contains nan"),
    ("good\n", r"line 1: no values after the word"),
    ("", r"holds no word vectors"),
])
def test_read_word_vectors_names_the_bad_line(tmp_path, text, message):
    (tmp_path / "v.txt").write_text(text)
    with pytest.raises(ValueError, match=message):
        read_word_vectors(tmp_path / "v.txt")


def test_read_word_vectors_checks_max_words(tmp_path):
    (tmp_path / "v.txt").write_text(GLOVE)
    with pytest.raises(ValueError, match="max_words must be an int of 1 or more"):
        read_word_vectors(tmp_path / "v.txt", max_words=0)


def test_embedding_matrix_rows_follow_tokenizer_ids():
    vectors = np.array([[1.0, 2.0], [3.0, 4.0]])
    weights = embedding_matrix(vectors)
    np.testing.assert_array_equal(weights, [[0, 0], [2, 3], [1, 2], [3, 4]])
    np.testing.assert_array_equal(embedding_matrix(vectors, unknown="zeros")[1], [0, 0])
    tok = Tokenizer(vocabulary=["a", "b"]).fit(["a"])
    assert weights.shape[0] == tok.n_ids_
    with pytest.raises(ValueError, match=r"non-empty 2-D array"):
        embedding_matrix(np.ones(3))
    with pytest.raises(ValueError, match="unknown must be 'mean' or 'zeros'"):
        embedding_matrix(vectors, unknown="random")
    with pytest.raises(ValueError, match="vectors contains inf"):
        embedding_matrix([[1.0, np.inf]])


def _tokens(n=80, seed=0):
    rng = np.random.default_rng(seed)
    X = [list(rng.integers(2, 8, size=rng.integers(3, 8))) for _ in range(n)]
    return X, np.array([int(5 in x) for x in X])


def test_frozen_weights_stay_and_trainable_weights_move():
    X, y = _tokens()
    W = np.random.default_rng(1).normal(size=(12, 4)).astype(np.float32)
    frozen = SequenceClassifier(embedding_dim=4, embedding_weights=W, freeze_embedding=True,
                                **FAST).fit(X, y)
    np.testing.assert_array_equal(frozen.model_.get_layer("token_embedding").get_weights()[0], W)
    trained = SequenceClassifier(embedding_dim=4, embedding_weights=W, **FAST).fit(X, y)
    moved = trained.model_.get_layer("token_embedding").get_weights()[0]
    assert not np.allclose(moved[2:8], W[2:8])  # the ids in X were trained
    np.testing.assert_array_equal(moved[8:], W[8:])  # ids fit never saw keep their vectors


def test_ids_unseen_in_fit_predict_within_the_weights_rows():
    X, y = _tokens()
    W = np.random.default_rng(1).normal(size=(12, 4))
    clf = SequenceClassifier(embedding_dim=4, embedding_weights=W, **FAST).fit(X, y)
    assert clf.n_token_ids_ == 12
    assert clf.predict_proba([[11, 9, 3]]).shape == (1, 2)
    with pytest.raises(ValueError, match=r"X\[1\] holds token id 12, but the network knows ids "
                                         r"0 to 11 \(the rows of embedding_weights\)"):
        clf.predict([[2], [12]])
    with pytest.raises(ValueError, match=r"token id 7, but the network knows ids 0 to 5"):
        SequenceClassifier(embedding_dim=4, embedding_weights=W[:6], **FAST).fit(X, y)


def test_pickle_and_clone_keep_the_weights():
    X, y = _tokens()
    W = np.random.default_rng(1).normal(size=(12, 4))
    reg = SequenceRegressor(embedding_dim=4, embedding_weights=W, freeze_embedding=True,
                            **FAST).fit(X, y.astype(float))
    loaded = pickle.loads(pickle.dumps(reg))
    np.testing.assert_array_equal(loaded.predict(X[:5]), reg.predict(X[:5]))
    copy = clone(reg)
    np.testing.assert_array_equal(copy.embedding_weights, W)
    np.testing.assert_array_equal(copy.fit(X, y.astype(float)).predict(X[:5]), reg.predict(X[:5]))


@pytest.mark.parametrize("params, error, message", [
    (dict(embedding_weights=np.ones((12, 4))), ValueError, r"set embedding_dim=4"),
    (dict(embedding_dim=5, embedding_weights=np.ones((12, 4))), ValueError,
     r"embedding_weights has 4 columns, but embedding_dim=5"),
    (dict(embedding_dim=4, embedding_weights=np.ones(12)), ValueError,
     r"embedding_weights must be a non-empty 2-D array"),
    (dict(embedding_dim=4, embedding_weights=[[1, 2, 3, 4], [1, 2]]), ValueError,
     r"embedding_weights could not be read as an array"),
    (dict(embedding_dim=4, embedding_weights=np.ones((1, 4))), ValueError, r"has 1 row"),
    (dict(embedding_dim=4, embedding_weights=np.full((12, 4), np.nan)), ValueError,
     r"embedding_weights contains nan at index \(0, 0\)"),
    (dict(embedding_dim=4, embedding_weights=np.full((12, 4), "a")), TypeError,
     r"embedding_weights must hold numbers"),
    (dict(embedding_dim=4, freeze_embedding=True), ValueError,
     r"freeze_embedding=True keeps embedding_weights fixed, but embedding_weights is None"),
])
def test_bad_embedding_weights(params, error, message):
    X, y = _tokens(20)
    with pytest.raises(error, match=message):
        SequenceClassifier(**params, **FAST).fit(X, y)


def test_pipeline_with_fixed_vocabulary(tmp_path):
    (tmp_path / "v.txt").write_text(GLOVE)
    words, vectors = read_word_vectors(tmp_path / "v.txt")
    texts = ["a good film", "a bad film", "good", "bad"] * 10
    labels = [1, 0, 1, 0] * 10
    model = make_pipeline(
        Tokenizer(vocabulary=words),
        SequenceClassifier(embedding_dim=2, embedding_weights=embedding_matrix(vectors),
                           freeze_embedding=True, units=4, epochs=40, learning_rate=0.03,
                           random_state=0))
    assert model.fit(texts, labels).score(texts, labels) == 1.0


# ------------------------------------------------------------------- SequenceTagger
TAGGED = ([["good", "film"], ["bad", "plot"], ["a", "good", "plot"], ["a", "bad", "film"]] * 10,
          [["ADJ", "NOUN"], ["ADJ", "NOUN"], ["DET", "ADJ", "NOUN"], ["DET", "ADJ", "NOUN"]] * 10)
TAGGER_VECTORS = (["good", "bad", "great", "film", "plot", "movie", "The", "the"],
                  np.array([[1, 0], [0.9, 0.1], [1, 0.1], [0, 1], [0.1, 0.9], [0.1, 1],
                            [-1, -1], [5, 5]]))


def test_tagger_vocabulary_takes_the_vectors_words_and_rows():
    from seqkit import SequenceTagger

    tagger = SequenceTagger(embedding_dim=2, word_vectors=TAGGER_VECTORS, units=4,
                            epochs=1, random_state=0).fit(*TAGGED)
    # training words first, then the vectors' other words; "The" and "the" coincide
    # once lowercased and the first ("The") gives the row
    assert list(tagger.vocabulary_)[-3:] == ["great", "movie", "the"]
    embedding = tagger.model_.get_layer("token_embedding").get_weights()[0]
    np.testing.assert_array_equal(embedding[tagger.vocabulary_["movie"]], np.float32([0.1, 1]))
    np.testing.assert_array_equal(embedding[tagger.vocabulary_["the"]], [-1, -1])


def test_tagger_tags_words_unseen_in_fit_by_their_vectors():
    from seqkit import SequenceTagger

    tagger = SequenceTagger(embedding_dim=2, word_vectors=TAGGER_VECTORS, char_features=None,
                            word_dropout=0.0, units=8, epochs=60, learning_rate=0.03,
                            random_state=0).fit(*TAGGED)
    # "great" and "movie" never appear in fit; without vectors both would be unknown
    assert tagger.predict([["great", "movie"], ["a", "great", "movie"]]) == [
        ["ADJ", "NOUN"], ["DET", "ADJ", "NOUN"]]


@pytest.mark.parametrize("word_vectors, error, message", [
    ((["a"], np.ones((1, 3))), ValueError, r"vectors of 3 values, but embedding_dim=2"),
    ((["a", "b"], np.ones((1, 2))), ValueError, r"holds 2 words but 1 vectors"),
    ([["a"], np.ones((1, 2))], TypeError, r"'word_vectors' parameter"),
    (([1], np.ones((1, 2))), TypeError, r"word_vectors\[0\]\[0\] is int 1"),
    ((["a"], np.full((1, 2), np.nan)), ValueError, r"word_vectors\[1\] contains nan"),
])
def test_tagger_bad_word_vectors(word_vectors, error, message):
    from seqkit import SequenceTagger

    with pytest.raises(error, match=message):
        SequenceTagger(embedding_dim=2, word_vectors=word_vectors, **FAST).fit(*TAGGED)


def test_tagger_word_vectors_need_string_tokens():
    from seqkit import SequenceTagger

    X = [np.ones((3, 2)), np.ones((2, 2))]
    with pytest.raises(ValueError, match="word vectors apply to string tokens only"):
        SequenceTagger(embedding_dim=2, word_vectors=TAGGER_VECTORS, **FAST).fit(
            X, [["a", "b", "a"], ["b", "a"]])
