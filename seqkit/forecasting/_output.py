"""Forecast arrays back into pandas, in the layout the user gave to ``fit``.

A Series gives Series (and DataFrames of quantiles), a wide DataFrame gives wide
DataFrames, a long DataFrame gives long rows with each series' own future labels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class OutputLayout:
    """How forecasts are returned.

    Attributes
    ----------
    kind : {"series", "wide", "long"}
        The layout of the fitted ``y``.
    ids : list
        The series, in the order of the forecast arrays.
    name : object
        The name of a single fitted Series.
    id_col, time_col, target_col : str
        Column names of the long layout.
    """

    kind: str
    ids: list
    name: object
    id_col: str
    time_col: str
    target_col: str

    def long_frame(self, index: list, columns: dict) -> pd.DataFrame:
        """``id_col`` and ``time_col`` from ``index`` (the labels of each series), then
        ``columns`` (arrays in series-major order)."""
        ids = np.repeat(np.asarray(self.ids, dtype=object), [len(labels) for labels in index])
        times = index[0].append(index[1:]) if len(index) > 1 else index[0]
        return pd.DataFrame({self.id_col: ids, self.time_col: np.asarray(times), **columns})

    def values(self, index: list, values: np.ndarray):
        """One value per step and series, ``values`` of shape (steps, n_series).

        Returns
        -------
        Series (one series), wide DataFrame, or long DataFrame with ``target_col``
        """
        if self.kind == "long":
            return self.long_frame(index, {self.target_col: values.T.ravel()})
        if self.kind == "series":
            return pd.Series(values[:, 0], index=index[0], name=self.name)
        return pd.DataFrame(values, index=index[0], columns=self.ids)

    def quantiles(self, index: list, values: np.ndarray, levels: list) -> pd.DataFrame:
        """Quantiles of shape (steps, n_series, len(levels)): a column per level (one
        series or long), or per (series, level) pair (wide)."""
        if self.kind == "long":
            return self.long_frame(index, {level: values[:, :, i].T.ravel()
                                           for i, level in enumerate(levels)})
        if self.kind == "series":
            return pd.DataFrame(values[:, 0, :], index=index[0], columns=levels)
        columns = pd.MultiIndex.from_product([self.ids, levels])
        return pd.DataFrame(values.reshape(len(index[0]), -1), index=index[0],
                            columns=columns)
