"""SequenceTranslator: learns to reverse digit strings; BLEU, attention, decoding, errors."""

import pickle

import numpy as np
import pytest
import sacrebleu
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV

from seqkit import SequenceTranslator
from seqkit.metrics import exact_match

TINY = dict(units=8, embedding_dim=8, epochs=2, random_state=0)


def reversal(n, seed):
    """Strings of 2-5 digits and the same digits reversed."""
    rng = np.random.default_rng(seed)
    X = [" ".join(rng.choice(list("12345"), rng.integers(2, 6))) for _ in range(n)]
    return X, [" ".join(reversed(x.split())) for x in X]


@pytest.fixture(scope="module")
def learnt():
    X, y = reversal(300, 0)
    return SequenceTranslator(units=24, embedding_dim=8, epochs=15, batch_size=16,
                              learning_rate=0.01, random_state=0).fit(X, y)


@pytest.fixture(scope="module")
def tiny():
    X, y = reversal(40, 0)
    return SequenceTranslator(**TINY).fit(X, y)


def test_learns_to_reverse_and_score_is_sacrebleu(learnt):
    X, y = reversal(60, 1)
    predicted = learnt.predict(X)
    assert exact_match(predicted, y) >= 0.95
    expected = sacrebleu.corpus_bleu(predicted, [y], lowercase=True).score / 100
    assert learnt.score(X, y) == pytest.approx(expected, abs=1e-12)
    assert learnt.score(X, y) > 0.9


def test_score_equals_sacrebleu_on_imperfect_output(tiny):
    X, y = reversal(30, 2)
    predicted = tiny.predict(X)
    assert exact_match(predicted, y) < 1  # two epochs: far from right
    expected = sacrebleu.corpus_bleu(predicted, [y], lowercase=True).score / 100
    assert tiny.score(X, y) == pytest.approx(expected, abs=1e-12)


def test_attention_looks_at_the_mirrored_source_token(learnt):
    X, _ = reversal(30, 3)
    translations, maps = learnt.predict_attention(X)
    assert translations == learnt.predict(X)
    hits = total = 0
    for source, translation, weights in zip(X, translations, maps, strict=True):
        n_src, n_out = len(source.split()), len(translation.split())
        assert weights.shape == (n_out, n_src)
        np.testing.assert_allclose(weights.sum(axis=1), 1.0, atol=1e-5)
        if n_out == n_src:
            hits += (weights.argmax(axis=1) == np.arange(n_src)[::-1]).sum()
            total += n_src
    assert hits / total >= 0.7


def test_decoding_strategies(learnt):
    X, _ = reversal(8, 4)
    greedy, greedy_scores = learnt.generate(X, strategy="greedy")
    beam1, beam1_scores = learnt.generate(X, beam_width=1)
    assert greedy == beam1
    np.testing.assert_allclose(greedy_scores, beam1_scores, rtol=1e-6)
    best, scores = learnt.generate(X, n_best=3, length_penalty=0)
    assert [b[0] for b in best] == learnt.generate(X, length_penalty=0)[0]
    assert scores.shape == (8, 3) and (np.diff(scores, axis=1) <= 1e-9).all()
    assert all(len(set(b)) == 3 for b in best)
    sampled = learnt.generate(X, strategy="sample", random_state=3)
    assert learnt.generate(X, strategy="sample", random_state=3)[0] == sampled[0]
    assert learnt.generate(X, strategy="sample", top_k=1, random_state=0)[0] == greedy
    unique, _ = learnt.generate(X, no_repeat_ngram_size=1)
    assert all(len(set(t.split())) == len(t.split()) for t in unique)
    short, _ = learnt.generate(X, strategy="greedy", max_length=1)
    assert all(len(t.split()) <= 1 for t in short)


def test_same_seed_same_translations_pickle_and_clone(tiny):
    X, y = reversal(40, 0)
    again = SequenceTranslator(**TINY).fit(X, y)
    assert again.predict(X) == tiny.predict(X)
    restored = pickle.loads(pickle.dumps(tiny))
    assert restored.predict(X) == tiny.predict(X)
    copy = clone(tiny)
    assert copy.get_params() == tiny.get_params() and not hasattr(copy, "model_")


def test_grid_search_with_bleu():
    X, y = reversal(40, 0)
    search = GridSearchCV(SequenceTranslator(**TINY),
                          {"attention": ["additive", "multiplicative"]}, cv=2).fit(X, y)
    assert 0 <= search.best_score_ <= 1


def test_char_level_stacked_gru_without_attention():
    X = ["abc", "cab", "bca", "aab"] * 5
    y = [x[::-1] for x in X]
    model = SequenceTranslator(level="char", cell="gru", num_layers=2, attention=None,
                               **TINY).fit(X, y)
    assert set(model.source_vocabulary_) == {"a", "b", "c"}
    for text in model.predict(X[:4]):
        assert " " not in text and set(text) <= {"a", "b", "c"}
    with pytest.raises(ValueError, match="no attention"):
        model.predict_attention(X[:1])


def test_unknown_words_token_lists_and_bad_inputs(tiny):
    assert "9" not in tiny.source_vocabulary_
    assert len(tiny.predict(["1 9 2"])) == 1  # documented: read as the unknown token
    assert tiny.predict([["1", "2"]]) == tiny.predict(["1 2"])
    with pytest.raises(TypeError, match=r"X\[1\] is int 7"):
        tiny.predict(["1 2", 7])
    with pytest.raises(ValueError, match=r"X\[0\] is an empty text"):
        tiny.predict([""])
    with pytest.raises(TypeError, match="X is a single string"):
        tiny.predict("1 2")
    with pytest.raises(ValueError, match=r"y\[1\] is an empty text"):
        SequenceTranslator(**TINY).fit(["1", "2"], ["1", " "])
    with pytest.raises(ValueError, match="X has 2 sources but y has 1"):
        SequenceTranslator(**TINY).fit(["1", "2"], ["1"])
    limited = SequenceTranslator(max_source_length=3, **TINY)
    with pytest.raises(ValueError, match=r"X\[1\] has 4 tokens, more than max_source_length=3"):
        limited.fit(["1 2", "1 2 3 4"], ["2 1", "4 3 2 1"])
    limited.fit(["1 2", "1 2 3"], ["2 1", "3 2 1"])
    with pytest.raises(ValueError, match=r"X\[0\] has 5 tokens"):
        limited.predict(["1 2 3 4 5"])


def test_date_pairs_are_seeded_and_iso():
    import datetime

    from seqkit.datasets import make_date_pairs

    X, y = make_date_pairs(200, random_state=0)
    assert (X, y) == make_date_pairs(200, random_state=0)
    assert len(set(X)) > 190
    for source, target in zip(X, y, strict=True):
        date = datetime.date.fromisoformat(target)
        assert str(date.year) in source and str(date.day) in source


def test_output_bias_starts_at_the_target_token_frequencies():
    X, y = reversal(40, 0)
    model = SequenceTranslator(**TINY)
    model.fit(X, y)
    vocab = model._vocab
    prior = vocab.log_prior([ids[1:] for ids in vocab.encode(y)])
    counts = np.bincount(np.concatenate([ids[1:] for ids in vocab.encode(y)]),
                         minlength=vocab.size)
    assert np.isclose(np.exp(prior).sum(), 1.0)
    assert prior[vocab.end_id] > prior[0]  # every target ends; none pads
    assert np.argmax(prior) == np.argmax(counts)
    assert "_output_prior" not in vars(model)  # nothing transient left to pickle
    # trained from that bias for 2 short epochs: still near it
    bias = model.model_.get_layer("words").bias.numpy()
    assert np.corrcoef(bias, prior)[0, 1] > 0.9
