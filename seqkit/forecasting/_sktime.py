"""An sktime forecaster that wraps :class:`~seqkit.forecasting.RNNForecaster`.

sktime is an optional dependency (``pip install "seqkit[sktime]"``); this module is
imported only when ``seqkit.forecasting.SktimeAdapter`` is first used. Without sktime,
:class:`SktimeAdapter` is a stand-in whose constructor raises an ImportError that says
how to install it.

The adapter only translates: sktime's forecasting horizon into a number of steps,
sktime's data containers into the forecaster's (a Series, a wide DataFrame or, for
panels and hierarchies, a long DataFrame), and the forecaster's outputs back.
"""

from __future__ import annotations

from numbers import Integral

import numpy as np
import pandas as pd

INSTALL_HINT = 'SktimeAdapter needs sktime: pip install "seqkit[sktime]"'

# The long layout given to RNNForecaster for sktime panels; the series get integer ids.
_ID, _TIME, _TARGET = "unique_id", "ds", "y"

_DOC = """sktime forecaster that wraps :class:`~seqkit.forecasting.RNNForecaster`.

    A thin adapter: ``fit(y, X=None, fh=None)``, ``predict(fh, X=None)``,
    ``predict_quantiles``, ``predict_interval`` and ``update`` call the wrapped
    forecaster's ``fit``, ``predict(horizon)``, ``predict_quantiles`` and ``update``.
    The forecasting horizon ``fh`` (relative or absolute, a list, an index or a
    ``ForecastingHorizon``) must lie after the cutoff; the forecaster predicts up to
    its farthest step (beyond its own ``horizon`` recursively) and the adapter keeps
    the requested steps. ``fh`` is not needed in ``fit``.

    ``y`` may be a Series (one series), a DataFrame (its columns are several series,
    learnt by one global model), or an sktime panel or hierarchy (a DataFrame with a
    row MultiIndex whose last level is time): every (instance, column) pair becomes a
    series of one global model, fitted on the forecaster's long layout; instances may
    differ in length and start. ``X`` holds covariates known for the forecast steps
    (or, listed in ``past_covariates``, only up to the cutoff); ``predict`` needs them
    for every step from the cutoff to the farthest one in ``fh``. With a panel ``y``,
    ``X`` is a panel of the same instances; its columns become covariate columns of the
    long layout, the same for every column of an instance.

    Intervals and quantiles come from the forecaster's calibrated quantile heads: a
    level outside its ``quantiles`` range (default 0.025 to 0.975) raises a
    ValueError; ``predict_interval(coverage=c)`` is the pair of quantiles
    ``(1 - c) / 2`` and ``(1 + c) / 2``. ``update`` appends the observations after
    the cutoff and moves it, without refitting, whatever ``update_params`` says (fit
    again to learn from new data).

    Parameters
    ----------
    forecaster : RNNForecaster, optional
        The forecaster to wrap, with its parameters (cloned at ``fit``); None means
        ``RNNForecaster()``. Its parameters are reachable as
        ``forecaster__<name>``, e.g. in ``set_params`` or a parameter grid.

    Attributes
    ----------
    forecaster_ : RNNForecaster
        The fitted clone.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from seqkit.forecasting import RNNForecaster, SktimeAdapter
    >>> t = np.arange(48)
    >>> y = pd.Series(10 + 0.1 * t + np.sin(2 * np.pi * t / 12),
    ...               index=pd.period_range("2020-01", periods=48, freq="M"))
    >>> adapter = SktimeAdapter(RNNForecaster(window=12, horizon=6, units=8, epochs=5,
    ...                                       random_state=0))
    >>> adapter.fit(y).predict(fh=[1, 2, 3]).index.astype(str).tolist()
    ['2024-01', '2024-02', '2024-03']
    >>> adapter.predict_interval(fh=[1, 2], coverage=0.8).columns.tolist()
    [(0, 0.8, 'lower'), (0, 0.8, 'upper')]
    """

try:
    from sktime.forecasting.base import BaseForecaster
except ImportError:  # sktime is an optional dependency
    class SktimeAdapter:  # noqa: D101  (the docstring is set below)
        def __init__(self, forecaster=None):
            raise ImportError(INSTALL_HINT)

    SktimeAdapter.__doc__ = _DOC
else:
    class SktimeAdapter(BaseForecaster):  # noqa: D101  (the docstring is set below)
        _tags = {
            # inner data types: passed through as given, no conversion
            "y_inner_mtype": ["pd.Series", "pd.DataFrame", "pd-multiindex",
                              "pd_multiindex_hier"],
            "X_inner_mtype": ["pd.DataFrame", "pd-multiindex", "pd_multiindex_hier"],
            "capability:multivariate": True,  # columns are series of one global model
            "capability:exogenous": True,
            "capability:non_contiguous_X": False,  # X for every step up to the last
            "capability:categorical_in_X": False,
            "capability:missing_values": False,  # True unless forecaster.missing="raise"
            "capability:unequal_length": True,  # panels: series may differ
            "capability:insample": False,  # forecasts start after the cutoff
            "capability:pred_int": True,  # quantile heads
            "capability:pred_int:insample": False,
            "capability:update": True,  # appends observations, moves the cutoff
            "requires-fh-in-fit": False,
            "X-y-must-have-same-index": True,
            # deterministic when forecaster__random_state is an int (set in __init__);
            # the random_state parameter is the wrapped forecaster's, not the adapter's
            "property:randomness": "stochastic",
            "capability:random_state": False,
            "authors": ["seqkit developers"],
            "maintainers": ["seqkit developers"],
        }

        def __init__(self, forecaster=None):
            self.forecaster = forecaster
            super().__init__()
            if forecaster is not None and getattr(forecaster, "missing", "raise") != "raise":
                self.set_tags(**{"capability:missing_values": True})
            if isinstance(getattr(forecaster, "random_state", None), Integral):
                self.set_tags(**{"property:randomness": "deterministic"})

        # ------------------------------------------------------------ fit, update
        def _fit(self, y, X, fh):
            from sklearn.base import clone

            from seqkit.forecasting import RNNForecaster

            forecaster = (RNNForecaster() if self.forecaster is None
                          else clone(self.forecaster))
            if isinstance(y.index, pd.MultiIndex):
                long, self._panel_keys = _to_long(y)
                self._index_names = list(y.index.names)
                forecaster.set_params(id_col=_ID, time_col=_TIME, target_col=_TARGET)
                forecaster.fit(_with_covariates(long, y, X))
            else:
                self._panel_keys = None
                forecaster.fit(y, X)
            self.forecaster_ = forecaster
            return self

        def _update(self, y, X=None, update_params=True):
            forecaster = self.forecaster_
            if self._panel_keys is None:
                new = y.loc[y.index > forecaster.cutoff_]
                if len(new):
                    forecaster.update(new, X)
                return self
            long, keys = _to_long(y, self._panel_keys)
            long = _with_covariates(long, y, X)
            if set(keys) - set(self._panel_keys):
                unknown = sorted(set(keys) - set(self._panel_keys), key=str)[0]
                raise ValueError(f"y has the series {unknown}, which was not fitted")
            last = forecaster.cutoff_
            long = long[long[_TIME].to_numpy() > last.reindex(long[_ID]).to_numpy()]
            if len(long):
                forecaster.update(long)
            return self

        # ---------------------------------------------------------------- predict
        def _predict(self, fh, X):
            median = self._predict_quantiles(fh, X, [0.5]).droplevel(1, axis=1)
            if self._panel_keys is None and self.forecaster_.layout_ == "series":
                return median.iloc[:, 0].rename(self.forecaster_.series_name_)
            return median

        def _predict_quantiles(self, fh, X, alpha):
            forecaster = self.forecaster_
            fh = fh.to_absolute(self.cutoff)
            labels = fh.to_pandas()
            levels = [float(a) for a in alpha]
            if self._panel_keys is None:
                steps = fh.to_relative(self.cutoff).to_numpy().astype(int)
                table = forecaster.predict_quantiles(int(steps.max()), levels, X)
                table = table.iloc[steps - 1]
                table.columns = pd.MultiIndex.from_product([self._get_varnames(), levels])
                table.index = labels
                return table
            # Each series continues from its own last label: the farthest step counts
            # from the earliest one.
            origin = pd.Index([min(forecaster.cutoff_)], dtype=self.cutoff.dtype)
            if isinstance(origin, pd.DatetimeIndex):
                origin.freq = self.cutoff.freq
            horizon = int(fh.to_relative(origin).to_numpy().max())
            table = forecaster.predict_quantiles(horizon, levels,
                                                 _future_covariates(X, self._panel_keys))
            # The forecaster names levels rounded to 12 digits (1 - 0.95 -> 0.05).
            table = table.rename(columns={round(level, 12): level for level in levels})
            return _from_long(table, self._panel_keys, self._index_names, labels, levels,
                              list(self._get_varnames()))

        @classmethod
        def get_test_params(cls, parameter_set="default"):
            """Tiny, fast forecasters for sktime's ``check_estimator``.

            Parameters
            ----------
            parameter_set : str, default="default"
                Unused: every set is the default one.

            Returns
            -------
            list of dict
            """
            from seqkit.forecasting import RNNForecaster

            tiny = dict(units=4, epochs=2, batch_size=64, ensemble_size=1,
                        early_stopping=False, seasonal_difference=False, random_state=0)
            return [
                {"forecaster": RNNForecaster(window=3, horizon=2, **tiny)},
                {"forecaster": RNNForecaster(window=4, horizon=1, anchor=False,
                                             calibrate=False, fallback=False, **tiny)},
            ]

    SktimeAdapter.__doc__ = _DOC


# -------------------------------------------------------------------- panels
def _to_long(y: pd.DataFrame, keys: list | None = None):
    """A long DataFrame (``unique_id``, ``ds``, ``y``) from an sktime panel.

    Each (instance, column) pair is a series; its id is its position in ``keys``
    (extended by pairs not seen before). Returns the frame and the keys, tuples
    ``(*instance levels, column)``.
    """
    keys = list(keys) if keys is not None else []
    position = {key: i for i, key in enumerate(keys)}
    frames = []
    times = y.index.get_level_values(-1)
    instances = y.index.droplevel(-1)
    instances = [key if isinstance(key, tuple) else (key,) for key in instances]
    for column in y.columns:
        ids = []
        for instance in instances:
            key = (*instance, column)
            if key not in position:
                position[key] = len(keys)
                keys.append(key)
            ids.append(position[key])
        frames.append(pd.DataFrame({_ID: ids, _TIME: times, _TARGET: y[column].to_numpy()}))
    return pd.concat(frames, ignore_index=True), keys


def _with_covariates(long: pd.DataFrame, y: pd.DataFrame, X) -> pd.DataFrame:
    """``long`` (from :func:`_to_long`, one block of rows per column of ``y``) with the
    covariate columns of ``X`` (an sktime panel indexed like ``y``) on each row."""
    if X is None:
        return long
    rows = X.loc[y.index].to_numpy()
    values = np.tile(rows, (y.shape[1], 1))
    return long.assign(**{column: values[:, j] for j, column in enumerate(X.columns)})


def _future_covariates(X, keys: list):
    """The long covariate frame of the forecast steps: ``X``'s rows of each instance,
    for every series (key) of that instance."""
    if X is None:
        return None
    times = X.index.get_level_values(-1)
    instances = [key if isinstance(key, tuple) else (key,) for key in X.index.droplevel(-1)]
    frames = []
    for position, key in enumerate(keys):
        mine = np.array([instance == key[:-1] for instance in instances], dtype=bool)
        frames.append(pd.DataFrame({_ID: position, _TIME: times[mine],
                                    **{column: X[column].to_numpy()[mine]
                                       for column in X.columns}}))
    return pd.concat(frames, ignore_index=True)


def _from_long(table: pd.DataFrame, keys: list, index_names: list, labels: pd.Index,
               levels: list, variables: list) -> pd.DataFrame:
    """sktime's quantile frame of a panel from the forecaster's long one.

    Rows: every instance at each of ``labels``; columns: (variable, level).
    """
    table = table[pd.Index(labels).get_indexer(table[_TIME]) >= 0]
    owner = [keys[i] for i in table[_ID]]
    rows = pd.MultiIndex.from_tuples(
        [(*key[:-1], time, key[-1]) for key, time in zip(owner, table[_TIME], strict=True)])
    out = pd.DataFrame(table[levels].to_numpy(), index=rows, columns=levels)
    out = out.unstack(-1).swaplevel(axis=1)
    instances = list(dict.fromkeys(key[:-1] for key in keys))
    out = out.reindex(index=pd.MultiIndex.from_tuples(
        [(*instance, label) for instance in instances for label in labels]),
        columns=pd.MultiIndex.from_product([variables, levels]))
    out.index = out.index.set_names(index_names)
    return out
