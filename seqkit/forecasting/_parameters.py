"""The parameters of :class:`RNNForecaster`, their defaults and documentation.

The ``Param`` table is read by :func:`seqkit.params.declare_parameters`, which writes
the estimator's ``__init__``, its parameter checks and the Parameters section of its
docstring.
"""

from __future__ import annotations

from numbers import Integral

from sklearn.utils._param_validation import Interval, StrOptions

from seqkit.forecasting._data import MISSING_OPTIONS
from seqkit.params import (
    AUTO_EPOCHS,
    PREDICTION,
    RECURRENT,
    TRAINING,
    Param,
    flag,
    positive_int,
    positive_int_or_auto,
)

DEFAULT_QUANTILES = (0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.975)
MIN_VALID_WINDOWS = 5  # per series, for early_stopping="auto"
MIN_TRAIN_WINDOWS = 20
SMALL_DATA_WINDOWS = 2_000  # ensemble_size="auto": an ensemble up to this many windows
SMALL_ENSEMBLE = 5
LARGE_ENSEMBLE = 3  # above SMALL_DATA_WINDOWS: three fit M4 Hourly in the 10-minute budget
WEEK_OF_HOURS = 168  # long_season="auto" for a seasonal period of 24
LONG_SEASON_SHARE = 0.5  # long_season="auto": the share of series long enough (round 17)
MIN_STEP_CALIBRATION = 50  # validation windows per series-pooled step for per-step factors
SHORT_SERIES_BASE_WEIGHT = 1.0  # fallback="blend", too short to validate: the base (round 8)
MSTL_MAX_SERIES = 1_000  # combine_mstl="auto": a cost bound (MSTL: +163 s on 1,000 hourly series)
MAX_CALIBRATED_BLOCKS = 8  # recursive blocks calibrated at most (a cost bound); later reuse

FORECASTING = {
    "window": positive_int_or_auto(
        "Input length: steps of history the network reads. \"auto\": the "
        "seasonal period, at least 12 (12 for monthly data). With seasonal "
        "differencing one season of year-over-year changes is what the network "
        "needs; a longer window leaves fewer training windows in a short "
        "series (on 36-month forecasts inside the Airline training part, 12 "
        "beat 24; see the forecaster docs)."),
    "horizon": positive_int(12, "Steps the network forecasts at once; longer forecasts "
                                "continue recursively from the median forecast, and "
                                "their intervals after the first block are too narrow "
                                "(conditional on that median) unless "
                                "``calibrate=\"recursive\"``. On M4 Hourly's 48 "
                                "hours, 12 beat 48 on the validation split (round 6 "
                                "of the forecaster's protocol)."),
    "quantiles": Param(DEFAULT_QUANTILES, ["array-like"], "sequence of float",
                       "Quantile levels learnt by the pinball-loss heads (0.5 is always "
                       "added; it is the point forecast). ``predict_quantiles`` "
                       "interpolates between them."),
    "log": Param("auto", ["boolean", StrOptions({"auto"})], 'bool or "auto"',
                 "Model the logarithm of each series (multiplicative trend and "
                 "seasonality). \"auto\": for each series whose values are all positive."),
    "seasonal_period": positive_int_or_auto(
        "Steps per season; \"auto\" reads it from the frequency "
        "(12 monthly, 4 quarterly, 52 weekly, 7 daily, 24 hourly, "
        "1440 by the minute, divided by a multiple: 12 every 2 "
        "hours, 96 every 15 minutes; else 1)."),
    "long_season": Param("auto", [Interval(Integral, 1, None, closed="left"),
                                  StrOptions({"auto"}), None], 'int, "auto" or None',
                         "A second, longer season (e.g. a week of hourly data): beside "
                         "each input step and each forecast step the network also reads "
                         "the (transformed) value this many steps earlier. \"auto\": "
                         f"{WEEK_OF_HOURS} when the seasonal period is 24 (hourly data), "
                         "if at least half of the series are long enough to train with it "
                         "(window + horizon + seasonal lag + 168); else None (no second "
                         "season). Where a series is too short for it, the network reads "
                         "that input as \"no change\"; such a series has no window to "
                         "validate and with the defaults takes the base (round 17)."),
    "seasonal_difference": flag(True,
                                "Learn the change from one season earlier instead of the "
                                "level (when the seasonal period is above 1), which lets "
                                "short series carry trend and seasonality."),
    "anchor": flag(True,
                   "Express each input window and its targets relative to the window's "
                   "last (transformed) value, so the network learns the change from the "
                   "forecast origin and starts from persistence; robust on short series."),
    "scale": flag(True,
                  "Standardise each series (after log and differencing) and each "
                  "covariate."),
    "ensemble_size": positive_int_or_auto(
        "Networks trained side by side in one fit, each from its own "
        "random initial weights and on its own pinball loss; their "
        "quantile forecasts are averaged. \"auto\": "
        f"{SMALL_ENSEMBLE} when there are at most {SMALL_DATA_WINDOWS} "
        "training windows (five remove most of the variation between "
        "random seeds that one small network shows on a short series), "
        f"else {LARGE_ENSEMBLE} (fewer for the cost: each member costs about as "
        "much as the first; on M4 Hourly three beat one on both seeds tried)."),
    "fallback": Param("blend", ["boolean", StrOptions({"blend"})], 'bool or "blend"',
                      "Per series, the forecast with the lowest error on that series' "
                      "validation windows (early stopping must be on): \"blend\" "
                      "chooses among the network's median, the statistical base and "
                      "the mean of the two (chosen across the M4 Hourly and classic "
                      "series' training parts, docs/forecaster.md); True between the "
                      "network and the base; False always forecasts with the network. "
                      "The base is seasonal naive with seasonal differencing (naive "
                      "without); the network's quantile spreads are kept around the "
                      "chosen median. With True or \"blend\", a series whose values are "
                      "all equal is forecast by the base (its constant value) even "
                      "without validation windows. With \"blend\" and "
                      "``early_stopping=\"auto\"``, series too short for validation "
                      "windows (fewer than about 38 windows: 72 months or fewer with the "
                      "monthly defaults) are forecast by the base, each on its own (the "
                      "longer series of a panel are still validated and chosen for): on "
                      "such short series "
                      "the network was far worse on average (round 8 of the "
                      "forecaster's protocol). With ``calibrate`` on, such series take "
                      "the base's normal-theory intervals (``base_interval_``; rounds 11, "
                      "13 and 15) around the forecast median, whatever ``fallback`` and "
                      "``early_stopping`` are (unless it is True and validates): they "
                      "covered closer to nominal than the network's, which are "
                      "calibrated on the windows it was trained on."),
    "combine_mstl": Param("auto", ["boolean", StrOptions({"auto"})], 'bool or "auto"',
                         "Per series, average the forecast with statsforecast's MSTL "
                         "(seasons ``seasonal_period`` and the long season in use, trend "
                         "by AutoETS) where that mean forecast the series' last two "
                         "seasons better, from the observations before them, than the "
                         "forecaster alone (``mstl_weight_``); every quantile moves with "
                         "the median. Only series validated by early stopping whose "
                         "validation span covers those two seasons, with a season above "
                         "1, are considered. On by default: on M4 Hourly's validation "
                         "split it lowered OWA from 0.528 / 0.543 to 0.478 / 0.483 (two "
                         "seeds) and left the classic series no worse (round 19 of the "
                         "forecaster's protocol). \"auto\": on for panels of at most "
                         f"{MSTL_MAX_SERIES:,} series, off above (a cost bound: on 1,000 "
                         "hourly series MSTL added 163 s to a 462 s fit); True at any "
                         "size."),
    "calibrate": Param("recursive", ["boolean", StrOptions({"recursive", "per_series"})],
                       'bool, "recursive" or "per_series"',
                       "Rescale each quantile's distance from the median so that, on the "
                       "held-out validation windows (or, without early stopping, on the "
                       "training windows), the share of targets below each quantile "
                       "matches its level (split-conformal calibration); per forecast "
                       f"step when there are at least {MIN_STEP_CALIBRATION} such "
                       "windows, else pooled over the steps. Forecasts longer than "
                       "``horizon`` continue in blocks. \"recursive\" (the default): each "
                       f"later block (up to {MAX_CALIBRATED_BLOCKS}) is calibrated the same "
                       "way on recursive forecasts from the windows with that many blocks "
                       f"of observed values after them (pooled with at least "
                       f"{MIN_VALID_WINDOWS}; with fewer, and after the last calibrated "
                       "block, the previous block's factors apply); on M4 Hourly's "
                       "validation split it brought the 80 / 90 / 95 % coverage of 48 "
                       "hours within 3 points of nominal (90 %: 0.90, against 0.85 with "
                       "``True``), at a 2-7 % higher MSIS (round 16 of the forecaster's "
                       "protocol chose it by issue 20's coverage goal). ``True``: later "
                       "blocks reuse the first block's factors (narrower, too narrow "
                       "on M4). \"per_series\": "
                       "\"recursive\", then each series' spread is multiplied by its own "
                       "factor per level, measured the same way on that series' "
                       "calibration forecasts of every calibrated block; with few "
                       "calibration windows per series it narrows most series: on M4 "
                       "Hourly's validation split the 90 % coverage fell to 0.81 at a "
                       "19-22 % higher MSIS (round 9 of the forecaster's protocol), so "
                       "it is not the default."),
    "past_covariates": Param(None, [list, None], "list of str or None",
                             "Columns of ``X`` known only up to the forecast origin; every "
                             "other column of ``X`` is a known-future covariate that "
                             "``predict`` needs for each forecast step."),
    "static_covariates": Param(None, [list, None], "list of str or None",
                               "Columns of a long ``y`` that hold one value per series "
                               "(e.g. a store's category or size): categories are one-hot "
                               "encoded, numbers standardised across the series, and each "
                               "series' values are fed to the network at every step. Every "
                               "other extra column of a long ``y`` is a covariate."),
    "freq": Param(None, [str, None], "str or None",
                  "Frequency of a DatetimeIndex (e.g. \"MS\"); None infers it."),
    "id_col": Param("unique_id", [str], "str",
                    "Column naming the series in a long DataFrame ``y``."),
    "time_col": Param("ds", [str], "str",
                      "Column of time labels (datetimes, periods or integers) in a long "
                      "DataFrame ``y``; a DataFrame with both ``id_col`` and ``time_col`` "
                      "columns is read as long."),
    "target_col": Param("y", [str], "str", "Column of values in a long DataFrame ``y``."),
    "max_windows": Param(20_000, [Interval(Integral, 1, None, closed="left")], "int",
                         "Training windows to sample down to: a larger panel trains on a "
                         "random sample of about this many (the same share of every "
                         "series' windows, drawn with ``random_state``, but at least one "
                         "window of every series, so a panel of more series than this "
                         "trains on one window each), and validates on about a quarter "
                         "as many. Keeps the cost of a fit bounded on thousands of "
                         "series."),
    "missing": Param("raise", [StrOptions(set(MISSING_OPTIONS))],
                     '{"raise", "interpolate", "ffill"}',
                     "What to do with missing values in ``y``: raise an error naming the "
                     "first one, interpolate linearly, or carry the last value forward."),
}

PARAMETERS = {
    **FORECASTING,
    **RECURRENT,
    "units": RECURRENT["units"]._replace(default=32),
    "dropout": RECURRENT["dropout"]._replace(default=0.2, doc=(
        "Dropout on the inputs of each recurrent layer. 0.2 by default: on 36-month "
        "forecasts from three origins inside the Airline training part it gave the "
        "lowest error of the candidates tried (``benchmarks/forecasting.py --inner``); "
        "a network trained on a few dozen windows of one short series overfits them.")),
    **TRAINING,
    "batch_size": TRAINING["batch_size"]._replace(default=16),
    "epochs": AUTO_EPOCHS._replace(doc=(
        "Most passes over the training windows. \"auto\": about 1,000 batches in all, "
        "at least 30 and at most 500 epochs (about 140 for one monthly series of 12 "
        "years, 30 for the 414 M4 Hourly series); early stopping usually ends sooner.")),
    "learning_rate": TRAINING["learning_rate"]._replace(default=3e-3),
    "patience": TRAINING["patience"]._replace(default=20),
    "early_stopping": TRAINING["early_stopping"]._replace(doc=(
        "True: validate on the latest ``validation_fraction`` of each series' windows "
        "(of each series that has a window to train and one to validate) "
        "(training keeps the windows whose targets end before them), stop when the "
        "validation loss has not improved for ``patience`` epochs and keep the best "
        "weights; this also keeps the quantile heads from shrinking on the training "
        "data. False: train on all windows until the training loss stops improving. "
        f"\"auto\": validate each series that leaves at least {MIN_VALID_WINDOWS} "
        f"validation and {MIN_TRAIN_WINDOWS} training windows (a network trained on few "
        "windows until its training loss stops improving overfits them); shorter series "
        "of the same panel train on all their windows (``validated_``).")),
    # float64 by default: a forecast predicts few windows, so exactness costs nothing
    "predict_dtype": PREDICTION["predict_dtype"]._replace(default="float64"),
}
