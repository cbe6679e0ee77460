"""Hyperparameters declared once: default, allowed values and documentation together.

Each estimator lists its :class:`Param` entries; :func:`declare_parameters` turns them into
an ``__init__`` with a real signature (what scikit-learn's ``get_params`` and ``clone``
read), the ``_parameter_constraints`` scikit-learn checks at ``fit``, and the
"Parameters" section of the class docstring. No estimator repeats another's parameters.
"""

from __future__ import annotations

import inspect
import os
import textwrap
from numbers import Integral, Real
from typing import Any, NamedTuple

from sklearn.utils._param_validation import Interval, StrOptions


class Param(NamedTuple):
    """One hyperparameter: its default, scikit-learn constraints and numpydoc text."""

    default: Any
    constraints: list
    type_doc: str
    doc: str


def positive_int(default: int, doc: str, type_doc: str = "int") -> Param:
    """A parameter that takes integers of 1 or more."""
    return Param(default, [Interval(Integral, 1, None, closed="left")], type_doc, doc)


def positive_int_or_auto(doc: str) -> Param:
    """A parameter that takes integers of 1 or more, or ``"auto"`` (its default)."""
    return Param("auto", [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
                 'int or "auto"', doc)


def flag(default: bool, doc: str) -> Param:
    """A parameter that takes True or False."""
    return Param(default, ["boolean"], "bool", doc)


RECURRENT = {
    "cell": Param("lstm", [StrOptions({"rnn", "lstm", "gru"})], '{"lstm", "gru", "rnn"}',
                  "Recurrent cell: SimpleRNN, LSTM or GRU."),
    "units": positive_int(64, "Units of each recurrent layer (per direction)."),
    "num_layers": positive_int(1, "Number of stacked recurrent layers."),
    "bidirectional": flag(False,
                          "Run each layer forwards and backwards and concatenate."),
    "dropout": Param(0.0, [Interval(Real, 0, 1, closed="left")], "float",
                     "Dropout on the inputs of each recurrent layer."),
    "recurrent_dropout": Param(0.0, [Interval(Real, 0, 1, closed="left")], "float",
                               "Dropout on the recurrent state."),
}

TRAINING = {
    "optimizer": Param("adam", [StrOptions({"adam", "adamw", "nadam", "rmsprop", "sgd",
                                            "adagrad"})],
                       "str", "Name of a Keras optimizer."),
    "learning_rate": Param(1e-3, [Interval(Real, 0, None, closed="neither")], "float",
                           "Step size of the optimizer."),
    "lr_schedule": Param("constant", [StrOptions({"constant", "cosine"})],
                         '{"constant", "cosine"}',
                         "\"cosine\": anneal the learning rate from ``learning_rate`` to 0 "
                         "over the ``epochs`` of each ``fit`` along a half cosine, so the "
                         "last epochs take small steps and the final weights settle "
                         "(with early stopping, training may end before the rate is low)."),
    "clipnorm": Param(1.0, [Interval(Real, 0, None, closed="neither"), None], "float or None",
                      "Clip each gradient to this norm (recurrent networks need it); None: off."),
    "batch_size": positive_int(32, "Sequences per training batch."),
    "epochs": positive_int(200, "Most passes over the training data."),
    "validation_fraction": Param(0.1, [Interval(Real, 0, 1, closed="neither")], "float",
                                 "Share of the training data held out when early stopping "
                                 "(stratified for classifiers)."),
    "early_stopping": Param("auto", ["boolean", StrOptions({"auto"})], 'bool or "auto"',
                            "True: hold out ``validation_fraction`` of the data, stop when "
                            "the validation loss has not improved for ``patience`` epochs and "
                            "keep the best weights. False: use all data and stop when the "
                            "training loss has stopped improving (convergence, as in "
                            "scikit-learn's MLP). \"auto\": True from 1,000 sequences on "
                            "(or when too few to hold any out, False)."),
    "patience": Param(10, [Interval(Integral, 1, None, closed="left"), None], "int or None",
                      "Epochs without improvement before stopping; None trains all "
                      "``epochs``."),
    "bucketing": flag(True,
                      "Batch sequences of similar length together so that short ones do "
                      "not pay for the longest (only matters for varying lengths)."),
    "random_state": Param(None, ["random_state"], "int, RandomState or None",
                          "Seeds weights, dropout, shuffling and the validation split; an "
                          "int gives the same predictions in every fit on the CPU. "
                          "Process-wide seeds are never touched."),
    "verbose": Param(0, [Interval(Integral, 0, 2, closed="both"), "boolean"], "{0, 1, 2}",
                     "0: silent, 1: a progress bar, 2: one line per epoch."),
    "callbacks": Param(None, [list, None], "list of keras.callbacks.Callback or None",
                       "Extra Keras callbacks for training."),
    "warm_start": flag(False,
                       "Continue training the fitted network in the next ``fit`` instead of "
                       "starting anew."),
    "checkpoint_dir": Param(None, [str, os.PathLike, None],
                            "str, path-like or None",
                            "Folder where ``fit`` writes its whole training state at the end "
                            "of each epoch (``checkpoint.npz``, replaced atomically), so that "
                            "the same ``fit`` started again after a crash continues where it "
                            "stopped and ends with the same weights; deleted when the fit "
                            "ends. Batches are then shuffled per epoch from the seed. None: "
                            "off."),
}

INPUTS = {
    "embedding_dim": Param(None, [Interval(Integral, 1, None, closed="left"), None],
                           "int or None",
                           "Set it when X holds integer token ids (id 0 is padding): the ids "
                           "then pass through an embedding of this size."),
    "embedding_weights": Param(
        None, ["array-like", None], "array-like of shape (n_ids, embedding_dim) or None",
        "Token input only: the embedding's initial weights, row ``i`` for token id ``i`` "
        "(e.g. pretrained word vectors from :func:`seqkit.word_vectors.embedding_matrix`). "
        "Ids up to ``n_ids - 1`` are then valid at predict, also those ``fit`` never saw, "
        "and keep their vectors. Used when the network is built (not by a warm-started "
        "``fit``). None: random initial weights."),
    "freeze_embedding": flag(False,
                             "Keep ``embedding_weights`` fixed while training (the "
                             "\"static\" use of pretrained vectors); requires them."),
    "word_dropout": Param(0.0, [Interval(Real, 0, 1, closed="left")], "float",
                          "Token input only: share of the training tokens replaced by the "
                          "unknown-word id (1) at each step, which regularises the "
                          "embeddings and teaches the unknown-word id. The classifier and "
                          "regressor reject it at ``fit`` for value input."),
    "pooling": Param("last", [StrOptions({"last", "mean", "max"})], '{"last", "mean", "max"}',
                     "How the step outputs become one vector: the final state, or the mean "
                     "or maximum over the real steps."),
    "input_noise": Param(0.0, [Interval(Real, 0, None, closed="left")], "float",
                         "Value input only (rejected at ``fit`` with ``embedding_dim`` set): "
                         "standard deviation of Gaussian noise added to every input value at "
                         "each training step (jitter augmentation; none at prediction). In "
                         "units of the standardised inputs when ``scale_inputs`` is on: "
                         "0.03-0.1 suits z-normalised series."),
    "window_slice": Param(None, [Interval(Real, 0, 1, closed="neither"), None],
                          "float or None",
                          "Value input only (rejected at ``fit`` with ``embedding_dim`` set): "
                          "window slicing augmentation. At each training "
                          "step every series is replaced by a window spanning this share of "
                          "its steps, at a random start, stretched back to its length by "
                          "linear interpolation (none at prediction). 0.9 is the usual "
                          "choice. None: off."),
    "scale_inputs": flag(True,
                         "Standardise each input feature with the mean and spread seen in "
                         "fit (ignored for token ids)."),
}


CONVOLUTION = {
    "conv_filters": Param(None, [Interval(Integral, 1, None, closed="left"), None],
                          "int or None",
                          "Filters of a 1-D convolution (ReLU) over the steps, before the "
                          "recurrent layers: it learns local shapes, which helps on long, "
                          "smooth series such as sensor or motion traces. None: no "
                          "convolution. Padding never changes its outputs."),
    "conv_kernel_size": positive_int(7, "Steps each convolution filter spans."),
    "conv_layers": positive_int(3, "Stacked convolutions (each with ``conv_filters`` filters of "
                                   "``conv_kernel_size`` steps, ReLU) before the pooling: "
                                   "deeper stacks see longer shapes, as in fully "
                                   "convolutional time-series networks (FCN)."),
    "conv_batch_norm": flag(True,
                            "Batch-normalise each convolution's outputs (over the real "
                            "steps of the batch) before its ReLU, as FCN does, to steady "
                            "the training of many filters or layers."),
    "conv_summary": flag(True,
                         "Also feed the output layer the last convolution's outputs "
                         "averaged over the real steps, beside the recurrent summary "
                         "(the parallel branch of LSTM-FCN), so the convolution's "
                         "shape detectors reach the output directly."),
    "conv_pool_size": positive_int(4, "Max-pool the convolution outputs over this many "
                                      "steps (and stride by it), so the recurrent layers "
                                      "read sequences this many times shorter."),
}

ENSEMBLE = {
    "ensemble_size": positive_int(
        1, "Networks trained side by side in one fit, each from its own random initial "
           "weights, with their losses averaged; predictions are the mean of theirs. A deep "
           "ensemble: steadier and usually more accurate, above all on small data sets, at "
           "``ensemble_size`` times the computation."),
}

SUMMARY = {
    "summary_dropout": Param(
        0.0, [Interval(Real, 0, 1, closed="left")], "float",
        "Dropout on the recurrent summary (the last state or the pooled steps) before the "
        "output layer, during training; the convolution average (``conv_summary``) is "
        "not dropped. LSTM-FCN drops 0.8 there, so that its convolution branch carries "
        "the decision where the recurrent one would learn a few series by heart."),
}

PREDICTION = {
    "predict_dtype": Param(
        "float32", [StrOptions({"float64", "float32"})], '{"float64", "float32"}',
        "Precision of the network that predicts. \"float32\" (the training precision): "
        "as fast as Keras's ``predict_on_batch`` in bulk; batches get fixed shapes "
        "(widths by length bucket, at least 2 rows), so under TensorFlow a sequence's "
        "output does not depend on the others predicted with it beyond a few float32 "
        "ulps (bit for bit on some CPUs). \"float64\": a float64 copy of the network, "
        "whose outputs agree to about 1e-16 on every backend and thread count, at 2 to "
        "2.4 times the float32 time in bulk. The two differ in about the 7th significant "
        "digit. Takes effect at the next prediction, also after ``fit``."),
}

AUTO_EPOCHS = positive_int_or_auto(
    "Most passes over the training data. \"auto\": about 1,000 batches in all, at least 30 "
    "and at most 500 epochs (see :func:`seqkit.training.resolved_epochs`).")


def auto(param: Param, doc: str) -> Param:
    """``param`` with the default ``"auto"``: the recipe of :mod:`seqkit.recipes` decides."""
    constraints = [c for c in param.constraints
                   if not (isinstance(c, StrOptions) and c.options == {"auto"})]
    return Param("auto", [*constraints, StrOptions({"auto"})], f'{param.type_doc} or "auto"',
                 f"{param.doc} \"auto\": {doc}")


def _shown(value) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value)


def recipe_param(name: str, param: Param, value_series_doc: str | None = None) -> Param:
    """``param`` defaulting to ``"auto"``, documented with the two recipes' values (read
    from :mod:`seqkit.recipes`, so the docs cannot drift from them)."""
    from seqkit.recipes import TOKEN_IDS, VALUE_SERIES

    value_series = value_series_doc or _shown(VALUE_SERIES[name])
    return auto(param, f"the default recipe for the input ({value_series} for value "
                f"series, {_shown(TOKEN_IDS[name])} for token ids).")


# The parameters whose default depends on the kind of input (see seqkit.recipes): what
# the recipes chose across the benchmark suites.
RECIPE_PARAMETERS = {
    name: recipe_param(name, param) for name, param in {
        "units": RECURRENT["units"], "conv_filters": CONVOLUTION["conv_filters"],
        "bidirectional": RECURRENT["bidirectional"], "pooling": INPUTS["pooling"],
        "dropout": RECURRENT["dropout"], "batch_size": TRAINING["batch_size"],
        "patience": TRAINING["patience"], "lr_schedule": TRAINING["lr_schedule"],
        "ensemble_size": ENSEMBLE["ensemble_size"],
        "summary_dropout": SUMMARY["summary_dropout"],
        "early_stopping": TRAINING["early_stopping"]._replace(doc=(
            "True: hold out ``validation_fraction`` of the data, stop when the validation "
            "loss has not improved for ``patience`` epochs and keep the best weights. "
            "False: use all data (and, with ``patience``, stop when the training loss has "
            "stopped improving).")),
    }.items()
}
RECIPE_PARAMETERS["epochs"] = recipe_param(
    "epochs", TRAINING["epochs"], "about 1,000 batches in all, at least 30 and at most 500 "
    "epochs (500 for 20 series in batches of 16, 30 for 600 or more)")

# The parameters of the many-to-one estimators (classifier and regressor).
MANY_TO_ONE = {**RECURRENT, **INPUTS, **CONVOLUTION, **SUMMARY, **ENSEMBLE, **TRAINING,
               **PREDICTION, **RECIPE_PARAMETERS}


def declare_parameters(params: dict[str, Param]):
    """Class decorator: give the class an ``__init__``, constraints and parameter docs.

    The generated ``__init__`` only stores each argument verbatim, as scikit-learn
    requires; validation happens in ``fit``.
    """

    def decorate(cls):
        def __init__(self, **kwargs):
            unknown = sorted(set(kwargs) - set(params))
            if unknown:
                raise TypeError(
                    f"{cls.__name__}() got unexpected keyword argument(s) {unknown}; "
                    f"valid parameters are {sorted(params)}"
                )
            for name, param in params.items():
                setattr(self, name, kwargs.get(name, param.default))

        __init__.__signature__ = inspect.Signature(
            [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
            + [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=p.default)
               for name, p in params.items()]
        )
        __init__.__qualname__ = f"{cls.__name__}.__init__"
        __init__.__module__ = cls.__module__
        cls.__init__ = __init__
        cls._parameter_constraints = {name: p.constraints for name, p in params.items()}
        if cls.__doc__ and "{parameters}" in cls.__doc__:
            cls.__doc__ = cls.__doc__.replace("{parameters}", parameters_doc(params))
        return cls

    return decorate


def parameters_doc(params: dict[str, Param], indent: str = "    ") -> str:
    """The numpydoc "Parameters" entries for ``params``."""
    lines = []
    for name, param in params.items():
        lines.append(f"{name} : {param.type_doc}, default={param.default!r}")
        lines.extend(textwrap.wrap(param.doc, 84, initial_indent="    ",
                                   subsequent_indent="    "))
    return textwrap.indent("\n".join(lines), indent).lstrip()
