"""TextGenerator: a tiny language model learns a tiny text; state, scores, errors."""

import math
import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV

from seqkit import TextGenerator

TEXT = "the cat sat on the mat. " * 40
TINY = dict(units=8, embedding_dim=8, bptt_length=6, batch_size=4, epochs=2, random_state=0)


@pytest.fixture(scope="module")
def learnt():
    """Trained until it knows the text by heart (about 2 s)."""
    return TextGenerator(units=32, embedding_dim=16, bptt_length=12, batch_size=8, epochs=30,
                         learning_rate=0.01, random_state=0).fit(TEXT)


@pytest.fixture(scope="module")
def tiny():
    return TextGenerator(**TINY).fit(TEXT)


def test_reproduces_a_repetitive_text_from_a_prefix(learnt):
    assert learnt.stateful_ and learnt.level == "char"
    texts = learnt.generate(2, prefix="the c", max_length=40, top_k=1)
    assert texts == [TEXT[:45]] * 2
    sampled = learnt.generate(3, prefix="sat on", max_length=20, temperature=0.5,
                              random_state=0)
    assert all(t.startswith("sat on the mat. the cat") for t in sampled)
    assert learnt.score(TEXT) > -0.05  # nats per character: nearly certain
    assert learnt.perplexity(TEXT) == pytest.approx(math.exp(-learnt.score(TEXT)))
    assert learnt.bits_per_character(TEXT) == pytest.approx(-learnt.score(TEXT) / math.log(2))


def test_stop_strings_cut_the_generated_part(learnt):
    (text,) = learnt.generate(prefix="the ", max_length=30, top_k=1, stop=["mat", "dog"])
    assert text == "the cat sat on the "
    (text,) = learnt.generate(prefix="the", max_length=30, top_k=1, stop=".")
    assert text == "the cat sat on the mat"


def test_stateful_windows_equal_one_long_unrolled_pass(learnt):
    total_short, count = learnt._log_likelihood(TEXT, window=5)
    total_long, count_long = learnt._log_likelihood(TEXT, window=10_000)
    assert count == count_long == len(TEXT)
    assert total_short == pytest.approx(total_long, rel=1e-5)
    # The stateful training network, window after window, gives the probabilities of
    # one unrolled pass of the scoring network over the whole stream.
    streams = learnt.network_spec_["stateful_batch"]
    ids = np.array([[learnt.vocabulary_["<start>"]]
                    + [learnt.vocabulary_[c] for c in TEXT[:23]]] * streams, dtype="int32")
    for layer in learnt.model_.layers:
        if getattr(layer, "stateful", False):
            layer.reset_state()
    windows = [np.asarray(learnt.model_({"ids": ids[:, t : t + 12]}, training=False))
               for t in (0, 12)]
    unrolled = learnt._predictor[3]({"ids": ids, **learnt._zero_states(streams)})["probs"]
    np.testing.assert_allclose(np.concatenate(windows, axis=1), unrolled, atol=1e-5)


def test_documents_train_independent_windows_and_end_with_the_end_token():
    docs = ["abab", "baba", "abba"] * 5
    gen = TextGenerator(**TINY).fit(docs)
    assert gen.stateful_ is False
    assert gen.network_spec_["stateful_batch"] is None
    texts = gen.generate(4, max_length=50, random_state=0)
    assert all(set(t) <= set("ab") for t in texts)  # no <unk>, <start>, <end> written out
    assert np.isfinite(gen.score(docs[:3]))


def test_same_seed_same_model_and_samples_pickle_and_clone(tiny):
    again = TextGenerator(**TINY).fit(TEXT)
    assert again.score(TEXT) == tiny.score(TEXT)
    first = tiny.generate(3, prefix="t", max_length=10, random_state=5)
    assert tiny.generate(3, prefix="t", max_length=10, random_state=5) == first
    restored = pickle.loads(pickle.dumps(tiny))
    assert restored.generate(3, prefix="t", max_length=10, random_state=5) == first
    assert restored.score(TEXT) == pytest.approx(tiny.score(TEXT), rel=1e-6)
    copy = clone(tiny)
    assert copy.get_params() == tiny.get_params() and not hasattr(copy, "model_")


def test_top_k_one_is_the_most_likely_token_and_top_p_stays_in_the_nucleus(tiny):
    greedy = tiny.generate(2, prefix="the", max_length=8, top_k=1, random_state=0)
    assert greedy[0] == greedy[1]
    samples = tiny.generate(20, prefix="the", max_length=8, top_p=1e-6, random_state=1)
    assert set(samples) == {greedy[0]}  # a tiny nucleus holds the most likely token only
    for text in tiny.generate(3, prefix="t", max_length=30, no_repeat_ngram_size=3,
                              random_state=0):
        grams = [text[1:][i : i + 3] for i in range(len(text) - 3)]
        assert len(grams) == len(set(grams))


def test_grid_search_maximises_the_score():
    docs = ["ab ab ab", "ba ba ba", "ab ba ab", "ba ab ba"] * 3
    search = GridSearchCV(TextGenerator(**TINY), {"units": [4, 8]}, cv=2).fit(docs)
    assert search.best_params_["units"] in (4, 8)
    assert np.isfinite(search.best_score_) and search.best_score_ < 0


def test_word_level():
    text = "red fish blue fish . " * 20
    gen = TextGenerator(level="word", lowercase=True, **TINY).fit(text)
    assert set(gen.vocabulary_) == {"red", "fish", "blue", ".", "<start>", "<end>"}
    (out,) = gen.generate(prefix="Red fish", max_length=6, random_state=0)
    assert out.startswith("Red fish ")
    assert set(out.split()[2:]) <= {"red", "fish", "blue", "."}
    with pytest.raises(ValueError, match="needs level='char'"):
        gen.bits_per_character(text)


def test_errors_name_the_argument(tiny):
    with pytest.raises(ValueError, match=r"prefix holds 'Z' \(token 3\), a char not seen"):
        tiny.generate(prefix="theZ")
    with pytest.raises(TypeError, match="prefix is int"):
        tiny.generate(prefix=3)
    with pytest.raises(ValueError, match="n_samples=0"):
        tiny.generate(0)
    with pytest.raises(ValueError, match=r"stop\[1\] is ''"):
        tiny.generate(stop=["a", ""])
    with pytest.raises(ValueError, match="top_p=1.5"):
        tiny.generate(top_p=1.5)
    with pytest.raises(ValueError, match="temperature=inf; it must be a finite number > 0"):
        tiny.generate(temperature=float("inf"))
    with pytest.raises(TypeError, match=r"X\[1\] is int 5"):
        TextGenerator(**TINY).fit(["abc", 5])
    with pytest.raises(ValueError, match=r"X\[0\] is an empty text"):
        TextGenerator(**TINY).fit(["  ", "abc"])
    with pytest.raises(ValueError, match="X is an empty string"):
        TextGenerator(**TINY).fit("")
    with pytest.raises(ValueError, match="bptt_length=6 needs at least 6"):
        TextGenerator(**TINY).fit("abc")


def test_stateful_training_refused_where_the_backend_cannot_train_it(monkeypatch):
    import seqkit.generation.text_generator as module

    monkeypatch.setattr(module, "trains_carried_states", lambda: False)
    with pytest.raises(ValueError, match=r"stateful=.auto. .* PyTorch.*stateful=False"):
        TextGenerator(**TINY).fit(TEXT)
    TextGenerator(**dict(TINY, epochs=1), stateful=False).fit(TEXT)  # independent windows train
