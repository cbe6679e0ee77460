"""Spacing learnt from training texts: generated words are written as the texts wrote them."""

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import seqkit
from seqkit import SequenceTranslator, TextGenerator
from seqkit.generation.spacing import Spacing
from seqkit.generation.vocabulary import Vocabulary
from seqkit.text import WORD_PATTERN

FRENCH = ["Est-ce que c'est vrai ?", "Il a ouvert la porte.", "Elle (la mère) dort, non ?",
          "Peut-être qu'il viendra.", "C'est-à-dire : non !"] * 3
ENGLISH = ["Is it true?", "He opened the door.", "She (the mother) sleeps, right?",
           "Maybe he will come.", "That is: no!"] * 3


def tokens(text):
    return re.findall(WORD_PATTERN, text.lower())


@pytest.mark.parametrize("texts", [FRENCH, ENGLISH], ids=["French", "English"])
def test_training_texts_are_written_back_as_they_were(texts):
    spacing = Spacing.learn(texts, WORD_PATTERN, lowercase=True)
    for text in texts:
        assert spacing.join(tokens(text)) == text.lower()


def test_each_language_keeps_its_own_spacing_before_a_question_mark():
    french = Spacing.learn(FRENCH, WORD_PATTERN, lowercase=True)
    english = Spacing.learn(ENGLISH, WORD_PATTERN, lowercase=True)
    assert french.join(["vraiment", "?"]) == "vraiment ?"
    assert english.join(["really", "?"]) == "really?"
    # a word's own habit is never learnt: "vrai" always came before "?" but a new
    # mark after it follows the mark's habit ("." is written against what precedes it)
    assert french.join(["vrai", "."]) == "vrai."
    assert "vrai" not in french.glued_after


def test_a_pair_seen_often_overrides_the_habit_of_its_tokens():
    texts = ["a-b", "c-d", "e-f", "g-h", "x - y", "x - y", "x - y"]
    spacing = Spacing.learn(texts, WORD_PATTERN, lowercase=False)
    assert spacing.join(["a", "-", "b"]) == "a-b"
    assert spacing.join(["x", "-", "y"]) == "x - y"
    assert spacing.pairs == {("x", "-"): False, ("-", "y"): False}


def test_chinese_and_japanese_characters_are_written_together():
    texts = ["我喜欢这部电影。", "東京タワーは、高い！", "我 like 它"]
    spacing = Spacing.learn(texts, WORD_PATTERN, lowercase=True)
    for text in texts:
        assert spacing.join(tokens(text)) == text
    assert spacing.join(["电", "影", "好"]) == "电影好"  # never seen together


def test_rare_tokens_and_unseen_tokens_are_spaced():
    spacing = Spacing.learn(["a;b", "c;d"], WORD_PATTERN, lowercase=False)  # ";" twice only
    assert spacing.join(["a", ";", "b", "#", "c"]) == "a ; b # c"
    assert Spacing().join(["il", "a", "."]) == "il a ."
    assert Spacing().join([]) == ""


@given(st.lists(st.sampled_from(["le", "chat", "2", "-", ".", "?", "(", ")", ","]),
                max_size=12))
def test_the_written_text_splits_into_the_same_tokens(words):
    spacing = Spacing.learn(FRENCH + ENGLISH, WORD_PATTERN, lowercase=True)
    text = spacing.join(words)
    assert tokens(text) == words  # words never run together into one
    assert "  " not in text and text == text.strip()


def test_vocabulary_decodes_with_spacing_and_older_vocabularies_with_spaces():
    vocabulary = Vocabulary(FRENCH, lowercase=True, min_count=1)
    ids = vocabulary.tokens(["Est-ce que c'est vrai ?"])[0]
    assert vocabulary.decode(np.r_[ids, vocabulary.end_id, 5]) == "est-ce que c'est vrai ?"
    assert vocabulary.decode(ids[3:], after="ce") == " que c'est vrai ?"
    assert vocabulary.decode(ids[1:], after="est") == "-ce que c'est vrai ?"
    del vocabulary.spacing  # as saved before spacing was learnt
    assert vocabulary.decode(ids) == "est - ce que c'est vrai ?"
    chars = Vocabulary(["ab, c"], lowercase=True, min_count=1, level="char")
    assert chars.spacing is None and chars.decode(chars.tokens(["a, b"])[0]) == "a, b"


@pytest.fixture(scope="module")
def word_generator():
    """A word-level model that knows its text by heart (a few seconds)."""
    return TextGenerator(level="word", lowercase=True, units=32, embedding_dim=16, bptt_length=8,
                         batch_size=4, epochs=40, learning_rate=0.01,
                         random_state=0).fit("the cat sat on the mat, then left. " * 30)


def test_generated_text_continues_the_prefix_with_the_right_space(word_generator, tmp_path):
    (text,) = word_generator.generate(prefix="The cat sat on the mat", max_length=6, top_k=1)
    assert text == "The cat sat on the mat, then left. the cat"
    (text,) = word_generator.generate(prefix="the cat sat", max_length=3, top_k=1)
    assert text == "the cat sat on the mat"
    restored = seqkit.load(word_generator.save(tmp_path / "generator.zip"))
    assert restored.generate(prefix="on the mat", max_length=4, top_k=1) == [
        "on the mat, then left."]


def test_translations_are_spaced_like_the_training_targets():
    sources = ["one two", "two one", "one one", "two two"] * 10
    targets = [s.replace(" ", "-") + "." for s in sources]
    model = SequenceTranslator(units=16, embedding_dim=8, epochs=60, batch_size=8,
                               learning_rate=0.02, random_state=0).fit(sources, targets)
    assert model.predict(["one two", "two two"]) == ["one-two.", "two-two."]
