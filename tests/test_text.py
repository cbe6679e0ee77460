"""Tokenizer: raw strings to id sequences."""

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from seqkit.text import WORD_PATTERN, Tokenizer


def test_ids_by_frequency_with_unknown_and_padding_reserved():
    tok = Tokenizer().fit(["the cat sat", "the dog sat", "the end"])
    assert tok.vocabulary_["the"] == 2 and tok.vocabulary_["sat"] == 3
    assert min(tok.vocabulary_.values()) == 2  # 0 = padding, 1 = unknown
    assert tok.transform(["the bird sat"]) == [[2, 1, 3]]
    assert tok.n_ids_ == 2 + len(tok.vocabulary_)


def test_lowercase_punctuation_and_clitics():
    tok = Tokenizer().fit(["It isn't GOOD!"])
    assert set(tok.vocabulary_) == {"it", "isn't", "good", "!"}
    assert set(Tokenizer(lowercase=False).fit(["It"]).vocabulary_) == {"It"}


def test_chinese_and_japanese_characters_and_emoji_are_tokens():
    tok = Tokenizer().fit(["我喜欢这部电影", "東京タワーは高い", "I ❤️ it 😀!", "서울은 크다"])
    assert tok.inverse_transform(tok.transform(["这部电影很好", "タワー", "❤️"])) == [
        ["这", "部", "电", "影", "<unk>", "<unk>"], ["タ", "ワ", "ー"], ["❤️"]]
    assert {"서울은", "크다", "😀", "!"} <= set(tok.vocabulary_)  # Korean keeps its words
    assert tok.pattern_ == WORD_PATTERN


def test_a_tokenizer_fitted_before_the_pattern_changed_splits_as_it_was_fitted():
    tok = Tokenizer().fit(["我喜欢这部电影", "a ❤️"])
    del tok.pattern_  # as saved by an earlier version
    assert tok._split("我喜欢 a ❤️") == ["我喜欢", "a", "❤", "\ufe0f"]


def test_character_level():
    tok = Tokenizer(level="char").fit(["abca"])
    assert tok.vocabulary_ == {"a": 2, "b": 3, "c": 4}
    assert tok.transform(["cab!"]) == [[4, 2, 3, 1]]


def test_max_features_min_df_and_max_length():
    docs = ["a a a b", "a b c", "a d"]
    assert set(Tokenizer(max_features=2).fit(docs).vocabulary_) == {"a", "b"}
    assert set(Tokenizer(min_df=2).fit(docs).vocabulary_) == {"a", "b"}
    assert Tokenizer(max_length=2).fit(docs).transform(["a b c d"]) == [[2, 3]]


def test_empty_document_becomes_unknown_id():
    assert Tokenizer().fit(["x"]).transform(["", "   "]) == [[1], [1]]


def test_inverse_transform():
    tok = Tokenizer().fit(["good film"])
    # Equal counts: ids follow alphabetical order ("film" 2, "good" 3); 0 is dropped.
    assert tok.inverse_transform([[2, 3, 1, 0]]) == [["film", "good", "<unk>"]]


def test_inverse_transform_bad_ids():
    tok = Tokenizer().fit(["good film"])
    assert tok.inverse_transform([[99, 2.0]]) == [["<unk>", "film"]]  # as documented
    with pytest.raises(ValueError, match=r"X\[0\]\[1\] is -1; ids must be >= 0"):
        tok.inverse_transform([[99, -1]])
    with pytest.raises(TypeError, match=r"X\[0\]\[0\] is float 2.5; ids must be integers"):
        tok.inverse_transform(np.array([[2.5]]))
    with pytest.raises(TypeError, match=r"X\[0\]\[0\] is bool True; ids must be integers"):
        tok.inverse_transform([[True]])
    with pytest.raises(TypeError, match=r"X is str 'ab'; inverse_transform expects id "):
        tok.inverse_transform("ab")
    with pytest.raises(TypeError, match=r"X\[0\] is int 2; expected a sequence of ids"):
        tok.inverse_transform([2, 3])


def test_accepts_arrays_and_series():
    import pandas as pd

    docs = ["a b", "b c"]
    tok = Tokenizer().fit(pd.Series(docs))
    assert tok.transform(np.array(docs)) == tok.transform(docs)


def test_one_column_table_is_read_and_wider_ones_refused():
    import pandas as pd

    docs = ["x y", "z"]
    tok = Tokenizer().fit(docs)
    assert tok.transform(pd.DataFrame({"text": docs})) == tok.transform(docs)
    assert tok.transform(np.array(docs)[:, None]) == tok.transform(docs)
    table = pd.DataFrame({"a": docs, "b": ["u", "v w"]})
    with pytest.raises(ValueError, match=r"X is a 2-D array of shape \(2, 2\); Tokenizer "
                                         r"expects one document per row"):
        Tokenizer().fit(table)
    with pytest.raises(ValueError, match=r"shape \(2, 2\)"):
        tok.transform(table)


def test_bad_input():
    with pytest.raises(TypeError, match="single string"):
        Tokenizer().fit("a text")
    with pytest.raises(TypeError, match=r"X\[1\] is float 3.5; expected a str"):
        Tokenizer().fit(["ok", 3.5])
    with pytest.raises(NotFittedError):
        Tokenizer().transform(["a"])
    with pytest.raises(ValueError, match="'level' parameter"):
        Tokenizer(level="byte").fit(["a"])


def test_fit_needs_documents_and_a_vocabulary():
    with pytest.raises(ValueError, match="X is empty: found 0 documents"):
        Tokenizer().fit([])
    with pytest.raises(ValueError, match=r"no token is in 3 or more of the 2 documents "
                                         r"\(min_df\); lower min_df"):
        Tokenizer(min_df=3).fit(["a b", "b c"])
    with pytest.raises(ValueError, match="the 2 documents hold no word tokens"):
        Tokenizer().fit(["", "   "])


def test_fixed_vocabulary_numbers_ids_in_its_order():
    tok = Tokenizer(vocabulary=["film", "good", "bad"]).fit(["a good plot"])
    assert tok.vocabulary_ == {"film": 2, "good": 3, "bad": 4} and tok.n_ids_ == 5
    # the documents add nothing: "a" and "plot" stay unknown
    assert tok.transform(["a good plot", "bad film"]) == [[1, 3, 1], [4, 2]]
    from_array = Tokenizer(vocabulary=np.array(["film", "good"])).fit(["x"])
    assert [type(token) for token in from_array.vocabulary_] == [str, str]


def test_fixed_vocabulary_bad_values():
    with pytest.raises(ValueError, match=r"vocabulary\[2\] repeats 'a' \(vocabulary\[0\]\)"):
        Tokenizer(vocabulary=["a", "b", "a"]).fit(["a"])
    with pytest.raises(TypeError, match=r"vocabulary\[1\] is int 3; expected a str"):
        Tokenizer(vocabulary=["a", 3]).fit(["a"])
    with pytest.raises(ValueError, match="vocabulary is empty"):
        Tokenizer(vocabulary=[]).fit(["a"])
    with pytest.raises(ValueError, match=r"min_df=2 would be ignored: vocabulary is given"):
        Tokenizer(vocabulary=["a"], min_df=2).fit(["a"])
    with pytest.raises(ValueError, match="'vocabulary' parameter"):
        Tokenizer(vocabulary={"a": 2}).fit(["a"])
    with pytest.warns(UserWarning, match="1 of the 2 vocabulary tokens hold capitals"):
        Tokenizer(vocabulary=["Paris", "rome"]).fit(["Paris"])
    assert Tokenizer(vocabulary=["Paris"], lowercase=False).fit(["x"]).transform(
        ["Paris"]) == [[2]]
