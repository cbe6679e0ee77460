"""Entity metrics against seqeval (the reference implementation) on random tag data."""

import numpy as np
import pytest

from seqkit.metrics import (
    entity_f1,
    entity_precision,
    entity_recall,
    entity_report,
    get_entities,
    token_accuracy,
)

import seqeval.metrics as seqeval_metrics  # test-only dependency (the "test" extra)

PREFIXES = {"BIO": "BIO", "IOB1": "BIO", "IOBES": "BIOES"}


def random_tags(rng, scheme, n=60, types=("PER", "LOC", "ORG")):
    prefixes = PREFIXES[scheme]
    sentences = []
    for _ in range(n):
        length = int(rng.integers(1, 12))
        tags = []
        for _ in range(length):
            prefix = prefixes[int(rng.integers(len(prefixes)))]
            tags.append("O" if prefix == "O" else f"{prefix}-{types[int(rng.integers(3))]}")
        sentences.append(tags)
    return sentences


def noisy_copy(rng, sentences, scheme):
    other = random_tags(rng, scheme, n=len(sentences))
    return [[o if rng.random() < 0.3 and i < len(o) else t for i, (t, o) in
             enumerate(zip(s, o + s[len(o):], strict=False))]
            for s, o in zip(sentences, other, strict=True)]


@pytest.mark.parametrize("scheme", ["BIO", "IOB1", "IOBES"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_scores_match_seqeval(scheme, seed):
    rng = np.random.default_rng(seed)
    y_true = random_tags(rng, scheme)
    y_pred = noisy_copy(rng, y_true, scheme)
    assert entity_f1(y_true, y_pred, scheme=scheme) == pytest.approx(
        seqeval_metrics.f1_score(y_true, y_pred))
    assert entity_precision(y_true, y_pred) == pytest.approx(
        seqeval_metrics.precision_score(y_true, y_pred))
    assert entity_recall(y_true, y_pred) == pytest.approx(
        seqeval_metrics.recall_score(y_true, y_pred))


@pytest.mark.parametrize("scheme", ["BIO", "IOB1", "IOBES"])
def test_report_per_type_matches_seqeval(scheme):
    rng = np.random.default_rng(3)
    y_true = random_tags(rng, scheme)
    y_pred = noisy_copy(rng, y_true, scheme)
    ours = entity_report(y_true, y_pred)
    theirs = seqeval_metrics.classification_report(y_true, y_pred, output_dict=True)
    for name in ("PER", "LOC", "ORG"):
        assert ours[name]["precision"] == pytest.approx(theirs[name]["precision"])
        assert ours[name]["recall"] == pytest.approx(theirs[name]["recall"])
        assert ours[name]["f1"] == pytest.approx(theirs[name]["f1-score"])
        assert ours[name]["support"] == theirs[name]["support"]
    assert ours["all"]["f1"] == pytest.approx(theirs["micro avg"]["f1-score"])


def test_entities_of_each_scheme():
    assert get_entities(["B-NP", "I-NP", "B-NP", "O", "I-VP"]) == [
        ("NP", 0, 1), ("NP", 2, 2), ("VP", 4, 4)]
    # IOB1: B only separates adjacent entities of the same type.
    assert get_entities(["I-NP", "I-NP", "B-NP", "I-VP"], scheme="IOB1") == [
        ("NP", 0, 1), ("NP", 2, 2), ("VP", 3, 3)]
    assert get_entities(["S-PER", "B-LOC", "I-LOC", "E-LOC", "O"], scheme="IOBES") == [
        ("PER", 0, 0), ("LOC", 1, 3)]


def test_docstring_example_and_empty_cases():
    assert entity_f1([["B-NP", "I-NP", "O", "B-VP"]], [["B-NP", "I-NP", "O", "O"]]) == \
        pytest.approx(2 / 3)
    assert entity_f1([["O", "O"]], [["O", "O"]]) == 0.0


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match=r"sample 1: y_true\[1\] has 2 tags but y_pred\[1\] "
                                         r"has 1"):
        entity_f1([["O"], ["O", "O"]], [["O"], ["O"]])
    with pytest.raises(ValueError, match="y_true has 2 sentences but y_pred has 1"):
        entity_f1([["O"], ["O"]], [["O"]])
    with pytest.raises(ValueError, match="'E-PER' at position 1"):
        entity_f1([["B-PER", "E-PER"]], [["O", "O"]], scheme="BIO")
    with pytest.raises(ValueError, match="scheme="):
        entity_f1([["O"]], [["O"]], scheme="BILOU")


def test_token_accuracy_weights():
    y_true = [["a", "b"], ["a"]]
    y_pred = [["a", "a"], ["b"]]
    assert token_accuracy(y_true, y_pred) == pytest.approx(1 / 3)
    assert token_accuracy(y_true, y_pred, sample_weight=[1, 0]) == pytest.approx(0.5)
