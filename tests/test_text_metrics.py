"""Corpus BLEU against sacrebleu, and exact match."""

import numpy as np
import pytest

from seqkit.metrics import corpus_bleu, exact_match, tokenize_13a

sacrebleu = pytest.importorskip("sacrebleu")

HYPOTHESES = [
    "A woman cutting a large white cake.",
    "a dog runs on the beach",
    "Two men play frisbee in a park, laughing.",
    "the cat",
    "A train at the station in 1999-2000.",
]
REFERENCES = [
    ["A woman cutting a large white sheet cake.", "A woman wearing a hair net cuts a cake."],
    ["a dog is running on a beach", "The dog runs along the sand."],
    ["Two men playing frisbee in the park.", "Men throw a frisbee, laughing."],
    ["a cat sits on a mat", "the cat is asleep"],
    ["A train waits at the station.", "The old train in 1999-2000 at a station."],
]


def sacre(hypotheses, references, **options):
    # sacrebleu wants one stream per reference position, all of the same length
    streams = [list(r) for r in zip(*references, strict=True)]
    return sacrebleu.corpus_bleu(hypotheses, streams, **options).score / 100


@pytest.mark.parametrize("lowercase", [False, True])
@pytest.mark.parametrize("smooth", ["exp", "none"])
def test_corpus_bleu_equals_sacrebleu(lowercase, smooth):
    ours = corpus_bleu(HYPOTHESES, REFERENCES, lowercase=lowercase, smooth=smooth)
    theirs = sacre(HYPOTHESES, REFERENCES, lowercase=lowercase, smooth_method=smooth)
    assert ours == pytest.approx(theirs, abs=1e-9)
    assert 0 < ours < 1


def test_corpus_bleu_equals_sacrebleu_on_random_corpora():
    rng = np.random.default_rng(0)
    words = "a the cat dog sat on mat red blue , .".split()
    for _ in range(20):
        n = int(rng.integers(1, 6))
        sentence = lambda: " ".join(rng.choice(words, size=int(rng.integers(1, 9))))  # noqa: E731
        hypotheses = [sentence() for _ in range(n)]
        references = [[sentence() for _ in range(3)] for _ in range(n)]
        assert corpus_bleu(hypotheses, references) == pytest.approx(
            sacre(hypotheses, references), abs=1e-9)


def test_tokenizer_matches_sacrebleu_13a():
    from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

    for text in HYPOTHESES + [r for refs in REFERENCES for r in refs] + ["x &amp; y-\nz"]:
        assert tokenize_13a(text) == Tokenizer13a()(text).split()


def test_bleu_single_references_and_perfect_match():
    assert corpus_bleu(["the cat sat on the mat"], ["the cat sat on the mat"]) == 1.0
    assert corpus_bleu(["completely different words here"], ["the cat sat on the mat"]) == 0.0


def test_exact_match_uses_any_reference():
    hypotheses = ["a blue square right of a red circle", "a red circle above a blue square"]
    references = [["a red circle left of a blue square", "A blue square right of a red circle"],
                  ["a red circle below a blue square"]]
    assert exact_match(hypotheses, references) == 0.5
    assert exact_match(hypotheses, references, lowercase=False) == 0.0


def test_bad_corpora():
    with pytest.raises(ValueError, match="2 hypotheses but 1 reference"):
        corpus_bleu(["a", "b"], [["a"]])
    with pytest.raises(TypeError, match=r"hypotheses\[1\] is int"):
        corpus_bleu(["a", 3], ["a", "b"])
    with pytest.raises(TypeError, match="single string"):
        corpus_bleu("a cat", ["a cat"])
    with pytest.raises(ValueError, match=r"references\[0\] is empty"):
        exact_match(["a"], [[]])
