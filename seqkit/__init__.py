"""seqkit: scikit-learn estimators that train Keras 3 recurrent networks on sequences.

``import seqkit`` is cheap: the estimators (and Keras) load on first use.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_LAZY = {
    "SequenceClassifier": "seqkit.classifier",
    "SequenceRegressor": "seqkit.regressor",
    "SequenceTagger": "seqkit.tagger",
    "RNNForecaster": "seqkit.forecasting",
    "ImageCaptioner": "seqkit.generation.captioner",
    "SequenceTranslator": "seqkit.generation.translator",
    "TextGenerator": "seqkit.generation.text_generator",
}

_FUNCTIONS = {"load": "seqkit.persistence", "save": "seqkit.persistence",
              "set_threads": "seqkit.threads", "get_threads": "seqkit.threads"}

__all__ = sorted(_LAZY) + sorted(_FUNCTIONS)


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    if name in _FUNCTIONS:
        return getattr(importlib.import_module(_FUNCTIONS[name]), name)
    raise AttributeError(f"module 'seqkit' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_LAZY) + list(_FUNCTIONS))
