"""The covariates of each series: checked, stored, scaled and aligned with its values.

Past covariates are known up to the forecast origin only (forecasts carry their last
row forward); known-future ones are given for the forecast steps too; static ones are
one row per series, encoded once (:func:`._static.encode_static`). A Series or wide
``y`` takes its covariates from ``X``, a long ``y`` from its own extra columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from seqkit.forecasting._data import Panel, check_exog, column_of, label
from seqkit.forecasting._static import encode_static
from seqkit.inputs import standardised


def fit_covariates(X, panel: Panel, past_covariates, scale: bool,
                   long_columns: tuple) -> tuple:
    """Check and store the covariates seen in fit, with their pooled scaling.

    Parameters
    ----------
    X : pandas DataFrame or None
        The covariates of a Series or wide ``y``; must be None for a long one.
    panel : Panel
        The fitted series (a long one carries its covariates and static values).
    past_covariates : list of str or None
        The covariates known only up to the forecast origin.
    scale : bool
        Whether to standardise the covariates (pooled over the series).
    long_columns : tuple of str
        ``id_col``, ``time_col`` and ``target_col``, for the error messages.

    Returns
    -------
    past : list of str
        ``past_covariates_``.
    future : list of str
        ``future_covariates_``: every other covariate.
    frames : list of DataFrame
        ``covariates_``: each series' covariates, past ones first.
    scaling : tuple of ndarray
        ``covariate_scaling_``: the mean and scale of each column.
    static : ndarray of shape (n_series, features)
        ``static_features_``: the encoded static covariates.
    """
    if panel.layout == "long":
        if X is not None:
            id_col, time_col, target_col = long_columns
            raise ValueError(
                f"X must be None with a long DataFrame y: its covariates are y's "
                f"columns besides {id_col!r}, {time_col!r} and {target_col!r}")
        frames = panel.covariates
    elif X is None:
        frames = [pd.DataFrame(index=panel.index)] * len(panel.ids)
    else:
        frames = [check_exog(X, panel.index, name="X")] * len(panel.ids)
    columns = list(frames[0].columns)
    past = list(past_covariates or [])
    if past and not columns:
        raise ValueError(f"past_covariates={past} but there are no covariates "
                         f"(X is None and y has no covariate columns)")
    unknown = [column for column in past if column not in columns]
    if unknown:
        source = "covariate columns of y" if panel.layout == "long" else "columns of X"
        raise ValueError(f"past_covariates names {unknown}, which are not {source} "
                         f"({columns})")
    future = [column for column in columns if column not in past]
    frames = [frame[past + future] for frame in frames]
    values = np.concatenate([frame.to_numpy() for frame in frames])
    mean, spread = values.mean(axis=0), values.std(axis=0)
    spread[~(spread > 1e-12)] = 1.0
    if not scale:
        mean, spread = np.zeros_like(mean), np.ones_like(spread)
    return past, future, frames, (mean, spread), encode_static(panel.static, len(panel.ids))


def covariate_rows(frames: list, scaling: tuple, n_past: int, lag: int,
                   static: np.ndarray, future_X=None, n_future: int = 0) -> list[tuple]:
    """Scaled past and future covariates of each series, aligned with its transformed
    values.

    Rows cover the observed steps after the seasonal lag, then ``n_future`` forecast
    steps: past covariates are carried forward there, future ones come from
    ``future_X`` (one array per series). Static covariates join the future ones, the
    same on every row.

    Parameters
    ----------
    frames : list of DataFrame
        Each series' covariates, past ones first (``covariates_``).
    scaling : tuple of ndarray
        The mean and scale of each column (``covariate_scaling_``).
    n_past : int
        How many of the columns are past covariates.
    lag : int
        The seasonal differencing lag (rows before it have no transformed value).
    static : ndarray of shape (n_series, features)
        The encoded static covariates (``static_features_``).
    future_X : list of ndarray, optional
        The known-future covariates of each series' forecast steps (zeros if None).
    n_future : int, default=0
        Forecast steps to add.

    Returns
    -------
    list of tuple of ndarray
        ``(past, future)`` of each series, of shape (rows, n_past) and (rows, future
        covariates + static features).
    """
    mean, scale = scaling
    rows = []
    for i, frame in enumerate(frames):
        observed = (frame.to_numpy() - mean) / scale
        past, future = observed[lag:, :n_past], observed[lag:, n_past:]
        if n_future:
            past = np.vstack([past, np.repeat(past[-1:], n_future, axis=0)])
            ahead = (np.zeros((n_future, future.shape[1])) if future_X is None
                     else (future_X[i] - mean[n_past:]) / scale[n_past:])
            future = np.vstack([future, ahead])
        rows.append((past, np.hstack([future, np.tile(static[i], (len(future), 1))])))
    return rows


def refuse_unused_X(X, name: str, columns: list, layout: str) -> None:
    """Raise ValueError when covariates ``X`` (called ``name``) are given to a
    forecaster fitted without covariate ``columns``, rather than ignore them."""
    if X is None or columns:
        return
    remedy = ("give y covariate columns in fit" if layout == "long"
              else "pass X to fit as well")
    raise ValueError(f"{name} is given, but this forecaster was fitted without "
                     f"covariates; {remedy}, or leave {name} out")


def scaled_in_range(rows: pd.DataFrame, scaling: tuple, name: str) -> np.ndarray:
    """The values of ``rows``, checked to stay in the float32 range once standardised.

    Parameters
    ----------
    rows : DataFrame
        Covariates the user gave after fit (``name``), indexed by their time labels.
    scaling : tuple of ndarray
        The mean and scale of each of its columns, from fit.

    Raises
    ------
    ValueError
        Naming the column, value and label of the first value that would leave it.
    """
    values = rows.to_numpy()

    def where(position: tuple) -> str:
        row, col = position
        return (f"{column_of(name, rows.columns[col])} holds {values[row, col]:.6g} at "
                f"{label(rows.index[row])}")

    standardised(values, *scaling, name, where=where)
    return values


def future_covariates(X, index: list, names: list, scaling: tuple, layout: str,
                      series_ids: list, id_col: str, time_col: str) -> list | None:
    """The known-future covariates of each series for the labels ``index[i]``.

    Parameters
    ----------
    X : pandas DataFrame or None
        The covariates given to predict: indexed by the future labels (Series or wide
        ``y``), or long rows with ``id_col`` and ``time_col`` (long ``y``).
    index : list of pandas Index
        The forecast labels of each series.
    names : list of str
        The known-future covariates (``future_covariates_``).
    scaling : tuple of ndarray
        Their mean and scale from fit (see :func:`scaled_in_range`).
    layout : {"series", "wide", "long"}
        The layout of the fitted ``y``.
    series_ids : list
        The fitted series.
    id_col, time_col : str
        Column names of the long layout.

    Returns
    -------
    list of ndarray of shape (len(index[i]), len(names)), or None
        None when fitted without known-future covariates.
    """
    if not names:
        return None
    if layout != "long":
        if X is None:
            raise ValueError(
                f"this forecaster was fitted with known-future covariates {names}; pass "
                f"X with their values for the {len(index[0])} forecast steps from "
                f"{label(index[0][0])} to {label(index[0][-1])}")
        rows = check_exog(X, index[0], columns=names, name="X")
        return [scaled_in_range(rows, scaling, "X")] * len(series_ids)
    columns = [id_col, time_col, *names]
    if X is None or not isinstance(X, pd.DataFrame) or any(
            column not in X.columns for column in columns):
        raise ValueError(
            f"this forecaster was fitted with known-future covariates {names}; pass X, "
            f"a long DataFrame with columns {columns} and a row for each forecast step "
            f"of each series")
    groups = {series: rows for series, rows in X[columns].groupby(id_col)}
    found = []
    for series, labels in zip(series_ids, index, strict=True):
        if series not in groups:
            raise ValueError(f"X has no rows for series {series!r}; it needs its "
                             f"covariates from {label(labels[0])} to "
                             f"{label(labels[-1])}")
        rows = groups[series].drop(columns=id_col).set_index(time_col)
        name = f"X series {series!r}"
        found.append(scaled_in_range(check_exog(rows, labels, name=name), scaling, name))
    return found


def new_covariates(new: Panel, X_new, columns: list, scaling: tuple, layout: str) -> list:
    """The covariates of each series of ``new`` (the steps added by ``update``).

    Parameters
    ----------
    new : Panel
        The new observations (a long one carries its covariates).
    X_new : pandas DataFrame or None
        The covariates of a Series or wide ``y_new``; must be None for a long one.
    columns : list of str
        The covariate columns seen in fit, in their stored order.
    scaling : tuple of ndarray
        Their mean and scale from fit (``covariate_scaling_``).
    layout : {"series", "wide", "long"}
        The layout of the fitted ``y``.

    Returns
    -------
    list of DataFrame
        The rows to append to each series' covariates, with ``columns``.
    """
    if layout == "long":
        if X_new is not None:
            raise ValueError("X_new must be None with a long DataFrame y: the "
                             "covariates are y_new's columns, as in fit")
        found = [frame.columns.tolist() for frame in new.covariates]
        if found[0] != columns and sorted(found[0]) != sorted(columns):
            raise ValueError(f"y_new has the covariate columns {found[0]}; fit saw "
                             f"{columns}")
        added = [frame[columns] for frame in new.covariates]
        for series, frame in zip(new.ids, added, strict=True):
            scaled_in_range(frame, scaling, f"y_new series {series!r}")
        return added
    refuse_unused_X(X_new, "X_new", columns, layout)
    if not columns:
        return [pd.DataFrame(index=new.index)] * len(new.ids)
    if X_new is None:
        raise ValueError(f"this forecaster uses covariates {columns}; pass X_new with "
                         f"their values for the new steps")
    rows = check_exog(X_new, new.index, columns=columns, name="X_new")
    scaled_in_range(rows, scaling, "X_new")
    return [rows] * len(new.ids)
