"""Classify short texts: Tokenizer + SequenceClassifier in a Pipeline, tuned by GridSearchCV.

The corpus is generated here (no download): short film reviews built from templates,
some of them negated ("the plot was not dull"), so word order matters -- a bag of words
cannot tell "not dull" from "dull", a recurrent network can. ``Tokenizer`` turns each
review into integer ids (0 is padding, 1 unknown words); ``embedding_dim`` tells the
classifier to read token ids through an embedding.

Run it::

    python examples/classify_text.py              # full run, several minutes on a CPU (13 fits)
    SEQKIT_SMOKE=1 python examples/classify_text.py   # smoke run, tiny and fast
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # hide TensorFlow's start-up messages

import numpy as np  # noqa: E402
from sklearn.model_selection import GridSearchCV, train_test_split  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402

from seqkit import SequenceClassifier  # noqa: E402
from seqkit.text import Tokenizer  # noqa: E402

SMOKE = os.environ.get("SEQKIT_SMOKE") == "1"

SUBJECTS = ["the film", "the plot", "the acting", "the ending", "the soundtrack",
            "the script", "this movie", "the cast"]
GOOD = ["great", "wonderful", "moving", "brilliant", "clever", "gripping", "superb"]
BAD = ["dull", "awful", "boring", "clumsy", "tedious", "weak", "predictable"]
TEMPLATES = [
    "{subject} was {word}.",
    "{subject} was {neg} {word}.",
    "honestly, {subject} is {word}!",
    "honestly, {subject} is {neg} {word}!",
    "i thought {subject} was {word} and i would say so again",
    "i thought {subject} was {neg} {word} at all",
    "{word}, {word2} and {word}: that is {subject}",
]


def make_reviews(n, rng):
    """``n`` generated reviews with their labels, "positive" or "negative"."""
    texts, labels = [], []
    for _ in range(n):
        template = TEMPLATES[rng.integers(len(TEMPLATES))]
        positive = rng.random() < 0.5
        negated = "{neg}" in template
        words = GOOD if positive != negated else BAD  # "not dull" is positive
        text = template.format(
            subject=SUBJECTS[rng.integers(len(SUBJECTS))],
            word=words[rng.integers(len(words))],
            word2=words[rng.integers(len(words))],
            neg=["not", "never", "hardly"][rng.integers(3)],
        )
        texts.append(text)
        labels.append("positive" if positive else "negative")
    return texts, np.array(labels)


def main():
    rng = np.random.default_rng(0)
    texts, labels = make_reviews(80 if SMOKE else 1200, rng)
    X_train, X_test, y_train, y_test = train_test_split(
        texts, labels, test_size=0.25, stratify=labels, random_state=0
    )
    pipeline = make_pipeline(
        Tokenizer(),
        SequenceClassifier(embedding_dim=16, units=16, epochs=2 if SMOKE else 60,
                           random_state=0),
    )
    grid = {"sequenceclassifier__cell": ["gru", "lstm"],
            "sequenceclassifier__bidirectional": [False, True]}
    if SMOKE:
        grid = {"sequenceclassifier__cell": ["gru"]}
    search = GridSearchCV(pipeline, grid, cv=2 if SMOKE else 3)
    search.fit(X_train, y_train)

    print(f"example review: {X_train[0]!r} -> {y_train[0]}")
    tokenizer = search.best_estimator_.named_steps["tokenizer"]
    print(f"vocabulary: {len(tokenizer.vocabulary_)} words; token ids of that review: "
          f"{tokenizer.transform(X_train[:1])[0]}")
    for params, score in zip(search.cv_results_["params"],
                             search.cv_results_["mean_test_score"], strict=True):
        print(f"  {params}: cross-validated accuracy {score:.3f}")
    print(f"best parameters: {search.best_params_}")
    print(f"test accuracy: {search.score(X_test, y_test):.3f}")


if __name__ == "__main__":
    main()
