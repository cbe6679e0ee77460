"""The sentence-classification suite: MR, Subj and MPQA (10-fold CV) and TREC (official
test split), with Kim (2014)'s CNN-rand and CNN-static accuracies (``data/README.md``).
"""

from __future__ import annotations

import numpy as np
from _common import data_path

DATASETS = ["MR", "Subj", "MPQA", "TREC"]
CV_FOLDS = 10
KIM_2014 = {  # CNN-rand / CNN-static (word2vec), accuracy
    "MR": {"CNN-rand": 0.761, "CNN-static": 0.810},
    "Subj": {"CNN-rand": 0.896, "CNN-static": 0.930},
    "MPQA": {"CNN-rand": 0.834, "CNN-static": 0.896},
    "TREC": {"CNN-rand": 0.912, "CNN-static": 0.928},
}


def _labelled_lines(path) -> tuple[np.ndarray, np.ndarray]:
    """``label sentence`` per line (latin-1, as the Kim (2014) files are)."""
    labels, texts = [], []
    for line in path.read_text(encoding="latin-1").splitlines():
        label, _, text = line.strip().partition(" ")
        if text:
            labels.append(label)
            texts.append(text)
    return np.array(texts, dtype=object), np.array(labels)


def load_all(name: str) -> tuple[np.ndarray, np.ndarray]:
    """All sentences and labels of a cross-validated data set (MR, Subj or MPQA)."""
    if name == "MR":
        folder = data_path("mr_sentence_polarity")
        texts, labels = [], []
        for label, suffix in (("1", "pos"), ("0", "neg")):
            lines = (folder / f"rt-polarity.{suffix}").read_text(encoding="latin-1")
            kept = [line.strip() for line in lines.splitlines() if line.strip()]
            texts += kept
            labels += [label] * len(kept)
        return np.array(texts, dtype=object), np.array(labels)
    return _labelled_lines(data_path("text_classification", f"{name.lower()}.all"))


def splits(name: str):
    """``(X_train, y_train, X_test, y_test)`` of each evaluation split: the 10 folds of a
    stratified 10-fold CV (shuffled, seed 0), or TREC's official split."""
    if name == "TREC":
        folder = data_path("text_classification")
        yield (*_labelled_lines(folder / "TREC.train.all"),
               *_labelled_lines(folder / "TREC.test.all"))
        return
    from sklearn.model_selection import StratifiedKFold

    X, y = load_all(name)
    for train, test in StratifiedKFold(CV_FOLDS, shuffle=True, random_state=0).split(X, y):
        yield X[train], y[train], X[test], y[test]
