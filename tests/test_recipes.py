"""The default recipes chosen by the benchmark suites, pinned so that they cannot drift."""

import numpy as np
import pytest

from seqkit import SequenceClassifier, SequenceRegressor
from seqkit import recipes
from seqkit.training import resolved_epochs

# What benchmarks/suite.py chose (docs/choosing.md); change only with a new suite run.
VALUE_SERIES = dict(units=32, conv_filters=128, bidirectional=False, pooling="last", dropout=0.0,
                    batch_size=16, epochs="auto", patience=None, lr_schedule="cosine",
                    early_stopping=False, ensemble_size=1, summary_dropout=0.0)
TOKEN_IDS = dict(units=64, conv_filters=None, bidirectional=True, pooling="max", dropout=0.5,
                 batch_size=64, epochs=30, patience=3, lr_schedule="constant",
                 early_stopping=True, ensemble_size=3,
                 summary_dropout=0.5)  # the third text round (2026-12-07)
CONVOLUTION = dict(conv_kernel_size=7, conv_layers=3, conv_batch_norm=True, conv_summary=True,
                   conv_pool_size=4, cell="lstm",
                   learning_rate=1e-3)


def test_recipes_are_the_ones_the_suites_chose():
    assert recipes.VALUE_SERIES == VALUE_SERIES
    assert recipes.TOKEN_IDS == TOKEN_IDS
    params = SequenceClassifier().get_params()
    assert {name: params[name] for name in CONVOLUTION} == CONVOLUTION
    assert all(params[name] == "auto" for name in recipes.AUTO_PARAMETERS)


@pytest.mark.parametrize("batches, epochs", [(2, 500), (1, 500), (13, 77), (38, 30), (300, 30)])
def test_auto_epochs_train_about_a_thousand_batches(batches, epochs):
    assert resolved_epochs("auto", batches) == epochs
    assert resolved_epochs(7, batches) == 7


@pytest.mark.parametrize("estimator", [SequenceClassifier, SequenceRegressor])
def test_auto_parameters_follow_the_kind_of_input(estimator, rng):
    y = np.arange(24) % 2
    values = estimator(units=4, conv_filters=4, epochs=1, random_state=0)
    values.fit(rng.normal(size=(24, 10)), y)
    assert values.resolved_params_ == {**VALUE_SERIES, "units": 4, "conv_filters": 4,
                                       "epochs": 1}
    tokens = estimator(embedding_dim=4, units=4, epochs=1, random_state=0)
    tokens.fit([rng.integers(1, 9, size=5) for _ in range(24)], y)
    assert tokens.resolved_params_ == {**TOKEN_IDS, "units": 4, "epochs": 1}
    assert tokens.get_params()["pooling"] == "auto"  # parameters stay as given
    # the resolved summary dropout reaches the network: one layer per ensemble member
    dropouts = [layer.rate for layer in tokens.model_.layers
                if type(layer).__name__ == "Dropout"]
    assert dropouts == [TOKEN_IDS["summary_dropout"]] * TOKEN_IDS["ensemble_size"]
    assert not any(type(layer).__name__ == "Dropout" for layer in values.model_.layers)


def test_value_recipe_builds_the_lstm_fcn_network(rng):
    X = rng.normal(size=(20, 16))
    clf = SequenceClassifier(units=4, conv_filters=6, epochs=1, random_state=0)
    clf.fit(X, np.arange(20) % 2)
    layers = [type(layer).__name__ for layer in clf.model_.layers]
    assert layers.count("Conv1D") == 3 and layers.count("BatchNormalization") == 3
    assert clf.model_.layers[-1].kernel.shape[0] == 4 + 6  # LSTM summary + averaged convs


def test_the_defaults_alone_fit_and_build_the_recipe(rng):
    clf = SequenceClassifier(epochs=1, random_state=0).fit(rng.normal(size=(20, 12)),
                                                           np.arange(20) % 2)
    lstm = [layer for layer in clf.model_.layers if type(layer).__name__ == "LSTM"]
    assert len(lstm) == 1 and lstm[0].units == 32
    assert clf.model_.layers[-1].kernel.shape[0] == 32 + 128


# What benchmarks/suite.py tagging chose (docs/choosing.md); change only with a new suite run.
TAGGER = dict(units=100, embedding_dim=100, char_embedding_dim=25, char_filters=50,
              feature_embedding_dim=32, dropout=0.4, word_dropout=0.1, learning_rate=3e-3,
              lr_schedule="cosine", epochs=16, patience=None, early_stopping=False)


def test_tagger_defaults_are_the_ones_the_tagging_suite_chose():
    from seqkit import SequenceTagger

    assert recipes.TAGGER == TAGGER
    params = SequenceTagger().get_params()
    assert {name: params[name] for name in TAGGER} == TAGGER
    assert params["bidirectional"] is True and params["crf"] is False


# What benchmarks/m4.py and benchmarks/forecasting.py --classic chose on the training
# parts (docs/benchmarks/tuning-appendix.md, rounds C0-C4, for ``horizon`` round 6, and
# for series too short to validate round 8, for ``calibrate`` round 16, for
# ``combine_mstl`` round 19); change only with a new round.
FORECASTER = dict(fallback="blend", long_season="auto", calibrate="recursive", dropout=0.2,
                  window="auto", ensemble_size="auto", epochs="auto", max_windows=20000,
                  horizon=12, combine_mstl="auto")


def test_forecaster_defaults_are_the_ones_the_forecasting_rounds_chose():
    from seqkit.forecasting import RNNForecaster

    from seqkit.forecasting._parameters import SHORT_SERIES_BASE_WEIGHT

    params = RNNForecaster().get_params()
    assert {name: params[name] for name in FORECASTER} == FORECASTER
    assert SHORT_SERIES_BASE_WEIGHT == 1.0  # round 8: too short to validate, the base
