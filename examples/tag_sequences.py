"""Tag noun and verb chunks: SequenceTagger with a CRF, scored by entity F1.

The corpus is generated here (no download): short sentences of determiners, adjectives,
nouns and verbs with BIO chunk tags (``B-NP I-NP B-VP O``). The test sentences use nouns
never seen in training, so the tagger must read them from their spelling (the character
CNN) and from context. ``entity_f1`` scores whole chunks, as CoNLL-2000 does.

Run it::

    python examples/tag_sequences.py                 # about a minute or two on a CPU
    SEQKIT_SMOKE=1 python examples/tag_sequences.py  # smoke run, tiny and fast
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # hide TensorFlow's start-up messages

import numpy as np  # noqa: E402

from seqkit import SequenceTagger  # noqa: E402
from seqkit.metrics import entity_f1, entity_report  # noqa: E402

SMOKE = os.environ.get("SEQKIT_SMOKE") == "1"

DETERMINERS = ["the", "a", "every", "this"]
ADJECTIVES = ["old", "quick", "tiny", "lazy", "bright"]
VERBS = ["sees", "chases", "likes", "watched", "follows"]
TRAIN_NOUNS = ["cat", "dog", "farmer", "river", "teacher", "garden", "painter", "bird"]
TEST_NOUNS = ["baker", "fisher", "lion", "singer", "tiger", "writer"]  # unseen in fit


def noun_phrase(rng, nouns):
    words = [rng.choice(DETERMINERS)] + [rng.choice(ADJECTIVES)
                                         for _ in range(rng.integers(0, 3))]
    words.append(rng.choice(nouns))
    return words, ["B-NP"] + ["I-NP"] * (len(words) - 1)


def make_sentences(n, nouns, rng):
    """``n`` sentences ``NP VP NP [and NP]`` with their chunk tags."""
    X, y = [], []
    for _ in range(n):
        subject, subject_tags = noun_phrase(rng, nouns)
        obj, obj_tags = noun_phrase(rng, nouns)
        words = subject + [rng.choice(VERBS)] + obj
        tags = subject_tags + ["B-VP"] + obj_tags
        if rng.random() < 0.3:
            extra, extra_tags = noun_phrase(rng, nouns)
            words += ["and"] + extra
            tags += ["O"] + extra_tags
        X.append([str(w) for w in words])
        y.append(tags)
    return X, y


def main():
    rng = np.random.default_rng(0)
    X_train, y_train = make_sentences(40 if SMOKE else 600, TRAIN_NOUNS, rng)
    X_test, y_test = make_sentences(20 if SMOKE else 200, TEST_NOUNS, rng)
    tagger = SequenceTagger(
        crf=True,
        units=8 if SMOKE else 32,
        embedding_dim=8 if SMOKE else 32,
        char_filters=8 if SMOKE else 32,
        epochs=2 if SMOKE else 30,
        learning_rate=5e-3,
        random_state=0,
    )
    tagger.fit(X_train, y_train)
    predicted = tagger.predict(X_test)
    print("sentence:", " ".join(X_test[0]))
    print("tags:    ", " ".join(predicted[0]))
    for name, row in entity_report(y_test, predicted).items():
        print(f"{name:>4}: precision {row['precision']:.3f}, recall {row['recall']:.3f}, "
              f"F1 {row['f1']:.3f} ({row['support']} chunks)")
    print(f"test token accuracy: {tagger.score(X_test, y_test):.3f}")
    print(f"test entity F1: {entity_f1(y_test, predicted):.3f}")


if __name__ == "__main__":
    main()
