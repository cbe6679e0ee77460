"""The UCR series-classification suite: 25 data sets of ``ucr_suite/`` (UCR 2018 ``.tsv``)
plus the four of ``ucr/`` (sktime ``.ts``), official TRAIN / TEST splits, and the published
test accuracies beside them (``ucr_suite/published.csv`` and ``data/README.md``).
"""

from __future__ import annotations

import csv

import numpy as np
from _common import data_path

SUITE_25 = [
    "Beef", "CBF", "Chinatown", "Coffee", "DiatomSizeReduction",
    "DistalPhalanxOutlineCorrect", "ECG200", "ECGFiveDays", "FaceFour", "Fungi",
    "Lightning7", "MedicalImages", "MoteStrain", "OliveOil", "Plane", "PowerCons",
    "SonyAIBORobotSurface1", "SonyAIBORobotSurface2", "SwedishLeaf", "SyntheticControl",
    "ToeSegmentation1", "ToeSegmentation2", "Trace", "TwoLeadECG", "Wine",
]
EXTRA_4 = ["GunPoint", "ItalyPowerDemand", "BasicMotions", "JapaneseVowels"]
DATASETS = SUITE_25 + EXTRA_4
METHODS = ["FCN", "ResNet", "InceptionTime", "LSTM-FCN", "1NN-DTW"]

# The four of ucr/: data/README.md (LSTM-FCN / FCN / InceptionTime) and, for 1-NN DTW
# (full window), 1 - the error in ucr_suite/DataSummary_UCR2018.csv; None where the shared
# data gives no number (BasicMotions and JapaneseVowels are UEA multivariate sets).
EXTRA_PUBLISHED = {
    "GunPoint": {"FCN": 1.0, "ResNet": None, "InceptionTime": 1.0, "LSTM-FCN": 1.0,
                 "1NN-DTW": 0.9067},
    "ItalyPowerDemand": {"FCN": 0.961, "ResNet": None, "InceptionTime": 0.968,
                         "LSTM-FCN": 0.962, "1NN-DTW": 0.9504},
    "BasicMotions": dict.fromkeys(METHODS),
    "JapaneseVowels": {**dict.fromkeys(METHODS), "FCN": 0.993},
}


def load(name: str):
    """``(X_train, y_train, X_test, y_test)`` of one data set, official split."""
    if name in EXTRA_4:
        from seqkit.datasets import read_ts

        folder = data_path("ucr", name)
        X_train, y_train = read_ts(folder / f"{name}_TRAIN.ts")
        X_test, y_test = read_ts(folder / f"{name}_TEST.ts")
        return X_train, y_train, X_test, y_test
    folder = data_path("ucr_suite", name)
    train = np.loadtxt(folder / f"{name}_TRAIN.tsv", delimiter="\t")
    test = np.loadtxt(folder / f"{name}_TEST.tsv", delimiter="\t")
    as_labels = lambda column: column.astype(int).astype(str)  # noqa: E731
    return train[:, 1:], as_labels(train[:, 0]), test[:, 1:], as_labels(test[:, 0])


def published() -> dict[str, dict[str, float | None]]:
    """Published test accuracy per data set and method (:data:`METHODS`)."""
    table = {name: dict.fromkeys(METHODS) for name in SUITE_25}
    with open(data_path("ucr_suite", "published.csv"), newline="") as handle:
        for row in csv.DictReader(handle):
            if row["dataset"] in table and row["method"] in METHODS:
                table[row["dataset"]][row["method"]] = float(row["accuracy"])
    table.update(EXTRA_PUBLISHED)
    return table
