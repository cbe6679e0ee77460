"""Datasets: readers for common sequence formats and the small data bundled with seqkit."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).parent / "data"

from seqkit.datasets.captions import make_digit_strips, make_shapes_captions  # noqa: E402
from seqkit.datasets.conll import read_conll, read_conllu  # noqa: E402
from seqkit.datasets.dates import make_date_pairs  # noqa: E402

__all__ = ["read_ts", "load_italy_power_demand", "read_conll", "read_conllu",
           "make_shapes_captions", "make_digit_strips", "make_date_pairs"]


def read_ts(path) -> tuple[np.ndarray | list[np.ndarray], np.ndarray]:
    """Read a time-series classification file in the sktime / UEA ``.ts`` format.

    Header lines start with ``@`` and comments with ``#``; each data line holds one
    case: its dimensions separated by ``:`` (values within a dimension by ``,``) and
    the class label last. Missing values (``?``) become NaN. ``.gz`` files are read
    transparently.

    Parameters
    ----------
    path : str or Path
        The ``.ts`` (or ``.ts.gz``) file.

    Returns
    -------
    X : ndarray of shape (n, T, D), or list of (T_i, D) arrays when lengths differ
    y : ndarray of shape (n,), str labels
    """
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    cases, labels = [], []
    in_data = False
    with opener(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if not in_data:
                in_data = line.lower().startswith("@data")
                continue
            *dimensions, label = line.split(":")
            try:
                series = [np.array(d.replace("?", "nan").split(","), dtype=np.float64)
                          for d in dimensions]
            except ValueError as error:
                raise ValueError(f"{path}, line {number}: {error}") from None
            if len({len(s) for s in series}) != 1:
                raise ValueError(f"{path}, line {number}: dimensions of different lengths")
            cases.append(np.stack(series, axis=1))
            labels.append(label.strip())
    if not cases:
        raise ValueError(f"{path} holds no cases (no @data section or no lines after it)")
    y = np.array(labels)
    if len({len(case) for case in cases}) == 1:
        return np.stack(cases), y
    return cases, y


def load_italy_power_demand() -> dict:
    """The UCR ItalyPowerDemand dataset, bundled: 1,096 days of 24 hourly demands.

    Classify days of October–March (label ``"1"``) against April–September (``"2"``).
    Official split: 67 training and 1,029 test series. See ``data/README.md`` for the
    source and citation.

    Returns
    -------
    dict
        ``X_train`` (67, 24, 1), ``y_train``, ``X_test`` (1029, 24, 1), ``y_test``.
    """
    X_train, y_train = read_ts(DATA_DIR / "ItalyPowerDemand_TRAIN.ts.gz")
    X_test, y_test = read_ts(DATA_DIR / "ItalyPowerDemand_TEST.ts.gz")
    return {"X_train": X_train, "y_train": y_train, "X_test": X_test, "y_test": y_test}
