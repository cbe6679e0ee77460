"""Static covariates: one row of values per series, encoded as network features."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.preprocessing import OneHotEncoder


def encode_static(static: pd.DataFrame | None, n_series: int) -> np.ndarray:
    """Encode static covariates: categories one-hot, numbers standardised over the series.

    Parameters
    ----------
    static : DataFrame or None
        One row per series; numeric (not boolean) columns are numbers, every other
        column a category.
    n_series : int
        Rows of the result when ``static`` is None.

    Returns
    -------
    ndarray of shape (n_series, features)
        No columns when ``static`` is None.
    """
    if static is None or static.shape[1] == 0:
        return np.zeros((n_series, 0))
    numeric = [column for column in static.columns
               if pd.api.types.is_numeric_dtype(static[column].dtype)
               and not pd.api.types.is_bool_dtype(static[column].dtype)]
    parts = []
    if numeric:
        values = static[numeric].to_numpy(dtype=np.float64)
        scale = values.std(axis=0)
        scale[~(scale > 1e-12)] = 1.0
        parts.append((values - values.mean(axis=0)) / scale)
    categories = [column for column in static.columns if column not in numeric]
    if categories:
        encoder = OneHotEncoder(sparse_output=False, dtype=np.float64)
        parts.append(encoder.fit_transform(static[categories].astype(str)))
    return np.hstack(parts)
