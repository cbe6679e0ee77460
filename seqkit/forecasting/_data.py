"""Time-series inputs: validate pandas series, infer their frequency, build future indexes.

Every check names the argument and the offending column, position or timestamp.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from numbers import Integral

import numpy as np
import pandas as pd

from seqkit.inputs import FLOAT32_MAX

MISSING_OPTIONS = ("raise", "interpolate", "ffill")

# Seasonal period implied by a frequency, keyed by the offset's base code.
_SEASONAL_PERIODS = {"M": 12, "MS": 12, "ME": 12, "BM": 12, "BMS": 12, "BME": 12, "SM": 24,
                     "SMS": 24, "Q": 4, "QS": 4, "QE": 4, "BQ": 4, "BQS": 4, "BQE": 4,
                     "W": 52, "D": 7, "B": 5, "H": 24, "h": 24, "BH": 8, "bh": 8,
                     "min": 1440, "T": 1440}


@dataclass(frozen=True)
class TimeAxis:
    """The regular time axis of a series: its kind, step and last observed label.

    Attributes
    ----------
    kind : {"datetime", "period", "integer"}
    step : pandas DateOffset, pandas offset of a PeriodIndex, or int
    last : Timestamp, Period or int
        The forecast origin: the last observed label.
    """

    kind: str
    step: object
    last: object

    def future(self, n: int, start: int = 1) -> pd.Index:
        """The ``n`` labels from ``start`` steps after :attr:`last` on."""
        if self.kind == "integer":
            first = self.last + start * self.step
            return pd.RangeIndex(first, first + n * self.step, self.step)
        if self.kind == "period":
            return pd.period_range(self.last + start, periods=n, freq=self.step)
        dates = pd.date_range(self.last, periods=n + start, freq=self.step)
        return dates[start:]

    def past(self, n: int) -> pd.Index:
        """The ``n`` labels ending at :attr:`last` (the observed ones)."""
        if self.kind == "integer":
            return pd.RangeIndex(self.last - (n - 1) * self.step, self.last + self.step,
                                 self.step)
        if self.kind == "period":
            return pd.period_range(end=self.last, periods=n, freq=self.step)
        return pd.date_range(end=self.last, periods=n, freq=self.step)

    def moved_to(self, last) -> TimeAxis:
        """The same axis with a new last label."""
        return TimeAxis(self.kind, self.step, last)

    @property
    def seasonal_period(self) -> int:
        """The usual seasonal period of this frequency (1: none known).

        A year of monthly, quarterly, weekly or semi-monthly steps, a week of days (5
        business days), a day of hours (8 business hours) or of minutes; a multiple
        of the unit divides it (``"2h"``: 12, ``"15min"``: 96, ``"3MS"``: 4) or, when
        it does not divide it evenly, leaves no season (1).
        """
        if self.kind == "integer":
            return 1
        code = self.step.freqstr if hasattr(self.step, "freqstr") else str(self.step)
        match = re.match(r"^(\d*)([A-Za-z]+)", code)
        if not match:
            return 1
        period, remainder = divmod(_SEASONAL_PERIODS.get(match.group(2), 1),
                                   int(match.group(1) or 1))
        return period if period > 1 and not remainder else 1


def forecast_labels(axes: list, horizon: int) -> list[pd.Index]:
    """The ``horizon`` labels after the end of each of ``axes``.

    Raises
    ------
    ValueError
        Naming ``horizon`` when the labels pass the last timestamp pandas can hold.
    """
    labels = []
    for axis in axes:
        try:
            labels.append(axis.future(horizon))
        except pd.errors.OutOfBoundsDatetime:
            raise ValueError(
                f"horizon={horizon} steps of {axis.step.freqstr} after {label(axis.last)} "
                f"run past {pd.Timestamp.max}, the last timestamp pandas can hold; "
                f"forecast fewer steps"
            ) from None
    return labels


def label(value) -> str:
    """A time label as people write it (dates without a midnight time)."""
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return str(value.date())
    return str(value)


def column_of(name: str, column) -> str:
    """``name column <label>`` for messages, a NumPy label written as a plain number."""
    if isinstance(column, np.generic):
        column = column.item()
    return f"{name} column {column!r}"


def positive_int(value, name: str) -> int:
    """``value`` as an int of 1 or more; TypeError / ValueError naming ``name``.

    Parameters
    ----------
    value : object
        What the user passed (bools and floats such as ``2.0`` are refused).
    name : str
        The argument's name, for the messages.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be a positive int, got {value!r}")
    if value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


def as_frame(y, name: str = "y", hint: str = "") -> tuple[pd.DataFrame, bool]:
    """Return ``y`` as a DataFrame of series, and whether it was a single Series.

    ``hint`` ends the message about a non-numeric (and not complex) column.

    Raises
    ------
    TypeError
        When ``y`` is not a pandas Series or DataFrame, or a column is not numeric (or
        complex).
    ValueError
        When ``y`` has no columns, or two columns share a label.
    """
    if isinstance(y, pd.Series):
        frame, single = y.to_frame(name=y.name if y.name is not None else 0), True
    elif isinstance(y, pd.DataFrame):
        frame, single = y, False
    else:
        raise TypeError(
            f"{name} must be a pandas Series or DataFrame indexed by time (DatetimeIndex, "
            f"PeriodIndex or RangeIndex), got {type(y).__name__}"
        )
    if frame.shape[1] == 0:
        raise ValueError(f"{name} has no columns")
    if frame.columns.has_duplicates:
        duplicated = frame.columns[frame.columns.duplicated()][0]
        raise ValueError(f"{column_of(name, duplicated)} appears more than once; each "
                         f"column (series or covariate) needs its own label")
    for column, dtype in frame.dtypes.items():
        if (not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
                or pd.api.types.is_complex_dtype(dtype)):
            raise TypeError(
                f"{column_of(name, column)} has dtype {dtype}; every column must be numeric"
                + (" (real, not complex)" if pd.api.types.is_complex_dtype(dtype) else hint)
            )
    return frame.astype(np.float64), single


def time_axis(index: pd.Index, freq, name: str = "y") -> TimeAxis:
    """Check that ``index`` is complete, sorted, unique and regular, and describe its time
    axis.

    Parameters
    ----------
    index : pandas Index
        DatetimeIndex, PeriodIndex or an integer index (e.g. RangeIndex).
    freq : str, DateOffset or None
        The frequency of a DatetimeIndex; None infers it.
    name : str
        Names the argument in errors.
    """
    if len(index) == 0:
        raise ValueError(f"{name} is empty")
    if isinstance(index, pd.DatetimeIndex):
        kind = "datetime"
    elif isinstance(index, pd.PeriodIndex):
        kind = "period"
    elif pd.api.types.is_integer_dtype(index.dtype) and not isinstance(index, pd.MultiIndex):
        kind = "integer"
    else:
        raise TypeError(
            f"{name} must be indexed by a DatetimeIndex, PeriodIndex or integer (Range)Index; "
            f"got {type(index).__name__} of dtype {index.dtype}"
        )
    if index.hasnans:
        position = int(np.flatnonzero(index.isna())[0])
        raise ValueError(f"{name}'s index has a missing timestamp (NaT) at position "
                         f"{position}")
    if index.has_duplicates:
        duplicated = index[index.duplicated()][0]
        raise ValueError(f"{name} has a duplicated index label {label(duplicated)}; each time "
                         f"step must appear once")
    if not index.is_monotonic_increasing:
        position = _first_unsorted(index)
        raise ValueError(
            f"{name}'s index is not sorted: {label(index[position])} at position {position} comes "
            f"after {label(index[position - 1])}; sort it with .sort_index()"
        )
    step = _regular_step(index, kind, freq, name)
    return TimeAxis(kind, step, index[-1])


def _first_unsorted(index: pd.Index) -> int:
    for position in range(1, len(index)):
        if index[position] < index[position - 1]:
            return position
    return 0


def _regular_step(index: pd.Index, kind: str, freq, name: str):
    if kind == "integer":
        values = np.asarray(index, dtype=np.int64)
        steps = np.diff(values)
        step = int(steps[0]) if len(steps) else 1
        bad = np.flatnonzero(steps != step)
        if bad.size:
            raise ValueError(
                f"{name}'s index is irregular: step {steps[bad[0]]} after {values[bad[0]]} "
                f"(position {bad[0]}), but {step} before"
            )
        return step
    if kind == "period":
        step = index.freq
        expected = pd.period_range(index[0], periods=len(index), freq=step)
    else:
        step = _datetime_step(index, freq, name)
        expected = pd.date_range(index[0], periods=len(index), freq=step)
    mismatch = np.flatnonzero(np.asarray(expected != index))
    if mismatch.size:
        position = int(mismatch[0])
        raise ValueError(
            f"{name}'s index is irregular for frequency {getattr(step, 'freqstr', step)}: "
            f"expected {label(expected[position])} at position {position}, found "
            f"{label(index[position])}; resample the series or fill the gap"
        )
    return step


def _datetime_step(index: pd.DatetimeIndex, freq, name: str):
    if freq is not None:
        try:
            return pd.tseries.frequencies.to_offset(freq)
        except ValueError:
            raise ValueError(f"freq={freq!r} is not a pandas frequency; use an offset "
                             f"alias such as 'MS', 'W', 'D' or 'h'") from None
    if index.freq is not None:
        return index.freq
    inferred = pd.infer_freq(index) if len(index) >= 3 else None
    if inferred is None:
        raise ValueError(
            f"{name}'s index has no regular frequency that can be inferred (first "
            f"timestamps {[str(t) for t in index[:3]]}); resample it to a regular frequency "
            f"or pass freq= (e.g. freq='MS')"
        )
    return pd.tseries.frequencies.to_offset(inferred)


def fill_missing(frame: pd.DataFrame, missing: str, name: str = "y") -> pd.DataFrame:
    """Fill missing values as ``missing`` says, or raise naming the first one (and the
    first value that is infinite or beyond the float32 range).

    Parameters
    ----------
    frame : DataFrame
    missing : {"raise", "interpolate", "ffill"}
        "interpolate": linear in the step number; "ffill": carry the last value forward.
        Leading gaps take the first observed value in both cases.
    """
    values = frame.to_numpy()
    infinite = np.isinf(values)
    if infinite.any():
        row, col = np.argwhere(infinite)[0]
        raise ValueError(f"{column_of(name, frame.columns[col])} is infinite at "
                         f"{label(frame.index[row])} (position {row})")
    with np.errstate(invalid="ignore"):
        huge = np.abs(values) > FLOAT32_MAX
    if huge.any():
        row, col = np.argwhere(huge)[0]
        raise ValueError(f"{column_of(name, frame.columns[col])} holds {values[row, col]:.4g} "
                         f"at {label(frame.index[row])} (position {row}), beyond the float32 "
                         f"range (about 3.4e38) the network computes in; rescale it")
    gaps = np.isnan(values)
    if not gaps.any():
        return frame
    if missing == "raise":
        row, col = np.argwhere(gaps)[0]
        observed = np.flatnonzero(~gaps[:, col])
        # only before the first or after the last observation: a shorter series
        ragged = observed.size and not gaps[observed[0]: observed[-1] + 1, col].any()
        raise ValueError(
            f"{column_of(name, frame.columns[col])} has a missing value at "
            f"{label(frame.index[row])} (position {row}); fill it, or set "
            f"missing='interpolate' or missing='ffill'"
            + ("; series of different lengths or starts go in a long DataFrame (columns "
               "unique_id, ds, y), which needs no padding" if ragged and frame.shape[1] > 1
               else "")
        )
    empty = [column for column in frame.columns if frame[column].isna().all()]
    if empty:
        raise ValueError(f"{column_of(name, empty[0])} has no observed value")
    if missing == "interpolate":
        filled = frame.reset_index(drop=True).interpolate(method="linear",
                                                          limit_direction="both")
        filled.index = frame.index
        return filled
    return frame.ffill().bfill()


def check_exog(X, index: pd.Index, columns=None, name: str = "X") -> pd.DataFrame:
    """Validate exogenous covariates ``X`` against the time labels ``index``.

    ``X`` must hold a row for every label of ``index`` (it may hold more, e.g. future
    rows, which are ignored here); with ``columns`` given it must have those columns.
    """
    frame, _ = as_frame(X, name)
    if columns is not None:
        missing = [column for column in columns if column not in frame.columns]
        if missing:
            raise ValueError(f"{name} lacks the covariate column(s) {missing} seen in fit")
        frame = frame[list(columns)]
    if type(frame.index) is not type(index) and not (
            pd.api.types.is_integer_dtype(frame.index.dtype)
            and pd.api.types.is_integer_dtype(index.dtype)):
        raise ValueError(
            f"{name}'s index ({type(frame.index).__name__}) does not match the series' "
            f"index ({type(index).__name__})"
        )
    if frame.index.has_duplicates:
        raise ValueError(f"{name} has a duplicated index label "
                         f"{label(frame.index[frame.index.duplicated()][0])}")
    absent = index[~index.isin(frame.index)]
    if len(absent):
        raise ValueError(
            f"{name}'s index does not match y's: no row for {label(absent[0])} "
            f"({len(absent)} of the {len(index)} needed time steps are missing)"
        )
    return fill_missing(frame.loc[index], "raise", name)


@dataclass
class Panel:
    """Series of one fit or update, each with its own time axis (possibly ragged).

    Attributes
    ----------
    ids : list
        Series names: column names (wide), the ``id_col`` values (long), or ``[name]``.
    values : list of ndarray of shape (T_i,)
        The observations of each series, missing values filled.
    axes : list of TimeAxis
        The time axis of each series.
    layout : {"series", "wide", "long"}
        How the user gave them: one Series, a wide DataFrame (columns share one index),
        or a long DataFrame (``id_col``, ``time_col``, ``target_col``).
    index : pandas Index or None
        The shared index of a Series or wide DataFrame (None for long).
    covariates : list of DataFrame or None
        Long layout: each series' covariate columns (every column besides the id, time,
        target and static ones), indexed by its time labels; None otherwise.
    static : DataFrame or None
        Long layout with static columns: one row per series (index ``ids``).
    """

    ids: list
    values: list
    axes: list
    layout: str
    index: pd.Index | None = None
    covariates: list | None = None
    static: pd.DataFrame | None = None


def wide_panel(y, freq, missing: str, name: str = "y", long_columns: tuple = ()) -> Panel:
    """A :class:`Panel` from a Series or a wide DataFrame (one column per series).

    ``long_columns``, ``(id_col, time_col)``, are named in the error about a non-numeric
    column: ``y`` may have been meant as a long DataFrame.
    """
    hint = ("; a long DataFrame needs the columns {!r} and {!r} (or set id_col= and "
            "time_col= to their names)".format(*long_columns)
            if long_columns and isinstance(y, pd.DataFrame) else "")
    frame, single = as_frame(y, name, hint)
    axis = time_axis(frame.index, freq, name)
    frame = fill_missing(frame, missing, name)
    return Panel(list(frame.columns), [frame[c].to_numpy() for c in frame.columns],
                 [axis] * frame.shape[1], "series" if single else "wide", frame.index)


def is_long(y, id_col, time_col, name: str = "y") -> bool:
    """Whether ``y`` is a long DataFrame: it has both ``id_col`` and ``time_col`` columns.

    Raises
    ------
    ValueError
        When ``y`` has one of the two columns only.
    """
    if not isinstance(y, pd.DataFrame):
        return False
    has_id, has_time = id_col in y.columns, time_col in y.columns
    if has_id != has_time:
        found, role, absent, parameter = ((id_col, "time", time_col, "time_col") if has_id
                                          else (time_col, "id", id_col, "id_col"))
        raise ValueError(f"{name} has column {found!r} but no {role} column {absent!r}; a "
                         f"long DataFrame needs both (set {parameter}= to its name)")
    return has_id


def long_panel(y: pd.DataFrame, columns: tuple, freq, missing: str,
               name: str = "y", static: tuple = ()) -> Panel:
    """A :class:`Panel` from a long DataFrame, one row per series and time step.

    Parameters
    ----------
    y : DataFrame
        Columns ``id_col``, ``time_col`` (datetimes, periods or integers) and
        ``target_col``; rows of a series may come in any order, series may differ in
        length and start. Any other column is a covariate (numeric, no missing values),
        or a static covariate when named in ``static``.
    columns : tuple of str
        ``(id_col, time_col, target_col)``.
    freq : str or None
        Frequency of datetime ``time_col`` values (None infers it per series).
    missing : {"raise", "interpolate", "ffill"}
        What to do with missing targets (see :func:`fill_missing`).
    name : str, default="y"
        Names the argument in errors.
    static : tuple of str, default=()
        Columns holding one value per series.

    Raises
    ------
    ValueError
        When ``y`` has no rows; naming the missing column, the series whose time steps
        are duplicated, irregular or too few, or whose static value changes.
    """
    id_col, time_col, target_col = columns
    if target_col not in y.columns:
        raise ValueError(f"{name} is a long DataFrame (it has columns {id_col!r} and "
                         f"{time_col!r}) but has no target column {target_col!r}; its "
                         f"columns are {list(y.columns)} (set target_col=)")
    absent = [c for c in static if c not in y.columns]
    if absent:
        raise ValueError(f"static_covariates names {absent}, which are not columns of "
                         f"{name} ({list(y.columns)})")
    if y.empty:
        raise ValueError(f"{name} is empty: a long DataFrame needs a row per series and "
                         f"time step")
    covariates = [c for c in y.columns if c not in columns and c not in static]
    for column in (id_col, time_col):
        if y[column].isna().any():
            row = int(np.flatnonzero(y[column].isna().to_numpy())[0])
            raise ValueError(f"{column_of(name, column)} is missing at row {row}")
    _check_scalar_ids(y[id_col], name)
    ids, values, axes, covariate_frames, static_rows = [], [], [], [], []
    for series, group in y.groupby(id_col, sort=True):
        frame = group.sort_values(time_col, kind="stable")
        index = pd.Index(frame[time_col].to_numpy())
        if isinstance(frame[time_col].dtype, pd.PeriodDtype):
            index = pd.PeriodIndex(frame[time_col])
        label_name = f"{name} series {series!r}"
        target, _ = as_frame(frame[[target_col]].set_axis(index), label_name)
        axis = time_axis(index, freq, label_name)
        ids.append(series)
        values.append(fill_missing(target, missing, label_name)[target_col].to_numpy())
        axes.append(axis)
        if covariates:
            found, _ = as_frame(frame[covariates].set_axis(index), label_name)
            covariate_frames.append(fill_missing(found, "raise", label_name))
        else:
            covariate_frames.append(pd.DataFrame(index=index))
        static_rows.append(_static_row(frame, static, label_name))
    statics = (pd.DataFrame(static_rows, index=pd.Index(ids), columns=list(static))
               if static else None)
    return Panel(ids, values, axes, "long", covariates=covariate_frames, static=statics)


def _check_scalar_ids(ids: pd.Series, name: str) -> None:
    """Raise ValueError naming the first value of the id column ``ids`` that is not a
    scalar (a tuple, list, array ...)."""
    if ids.dtype != object:
        return
    scalar = ids.map(pd.api.types.is_scalar).to_numpy(dtype=bool)
    if not scalar.all():
        row = int(np.flatnonzero(~scalar)[0])
        value = ids.iloc[row]
        raise ValueError(f"{column_of(name, ids.name)} holds {type(value).__name__} "
                         f"{value!r} at row {row}; series ids must be scalars (str or int)")


def _static_row(frame: pd.DataFrame, static: tuple, name: str) -> list:
    """The one value of each static column in the rows of one series."""
    row = []
    for column in static:
        found = frame[column].drop_duplicates()
        if found.isna().any():
            raise ValueError(f"{name} static column {column!r} has a missing value")
        if len(found) > 1:
            raise ValueError(f"{name} static column {column!r} changes within the series "
                             f"({found.iloc[0]!r}, {found.iloc[1]!r}); a static covariate "
                             f"holds one value per series")
        row.append(found.iloc[0])
    return row
