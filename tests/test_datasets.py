"""Dataset readers and bundled data."""

import gzip

import numpy as np
import pytest

from seqkit.datasets import load_italy_power_demand, read_ts

EQUAL = """# a comment
@problemName toy
@univariate false
@data
1,2,3:4,5,6:a
7,8,?:1,1,1:b
"""

RAGGED = """@data
1,2,3:a
4,5:b
"""


def test_read_ts_equal_lengths_and_missing_values(tmp_path):
    path = tmp_path / "toy.ts"
    path.write_text(EQUAL)
    X, y = read_ts(path)
    assert X.shape == (2, 3, 2)
    np.testing.assert_array_equal(X[0, :, 1], [4, 5, 6])
    assert np.isnan(X[1, 2, 0])
    assert list(y) == ["a", "b"]


def test_read_ts_ragged_and_gzip(tmp_path):
    path = tmp_path / "toy.ts.gz"
    with gzip.open(path, "wt") as f:
        f.write(RAGGED)
    X, y = read_ts(path)
    assert [x.shape for x in X] == [(3, 1), (2, 1)]


def test_read_ts_errors(tmp_path):
    path = tmp_path / "bad.ts"
    path.write_text("@data\n1,x,3:a\n")
    with pytest.raises(ValueError, match="line 2"):
        read_ts(path)
    path.write_text("@problemName nothing\n")
    with pytest.raises(ValueError, match="no cases"):
        read_ts(path)


def test_bundled_italy_power_demand():
    data = load_italy_power_demand()
    assert data["X_train"].shape == (67, 24, 1)
    assert data["X_test"].shape == (1029, 24, 1)
    assert set(data["y_train"]) == {"1", "2"}
