"""The default recipes of the classifier and regressor: what their ``"auto"`` parameters become.

Two recipes, picked by the kind of input (the only data-dependent rule besides
``epochs="auto"``'s step budget): one for value series (``embedding_dim=None``) and one for
token ids (``embedding_dim`` set). Each was chosen across a whole benchmark suite with a
protocol fixed before the runs, never on one data set: value series on 29 UCR data sets,
token ids on four sentence-classification sets (``benchmarks/suite.py``; the docs page
"Choosing settings" has every candidate's scores).

A parameter set to anything but ``"auto"`` is used as given. A fitted estimator shows what
its ``"auto"`` parameters became in ``resolved_params_``.
"""

from __future__ import annotations

# Value series: LSTM-FCN's idea on seqkit's layers. Three batch-normalised convolutions
# whose average over the steps (FCN's global pooling) sits beside a 32-unit LSTM's summary
# of the convolution outputs pooled by 4; about 1,000 batches of 16 (``epochs="auto"``)
# along a cosine-annealed learning rate, without stopping early.
VALUE_SERIES = dict(
    units=32, conv_filters=128, bidirectional=False, pooling="last", dropout=0.0, batch_size=16,
    epochs="auto", patience=None, lr_schedule="cosine", early_stopping=False,
    ensemble_size=1, summary_dropout=0.0,
)

# Token ids: three bidirectional LSTMs (a deep ensemble) whose steps are max-pooled,
# dropout 0.5 on their inputs and, as in Kim's CNN, on the pooled summary; batches of 64,
# early stopping on 10 % of the data after 3 flat epochs (at most 30).
TOKEN_IDS = dict(
    units=64, conv_filters=None, bidirectional=True, pooling="max", dropout=0.5, batch_size=64,
    epochs=30, patience=3, lr_schedule="constant", early_stopping=True, ensemble_size=3,
    summary_dropout=0.5,
)

AUTO_PARAMETERS = tuple(VALUE_SERIES)


def resolve(params: dict, tokens: bool) -> dict:
    """The values of :data:`AUTO_PARAMETERS` for one fit.

    Parameters
    ----------
    params : dict
        The estimator's parameters (``get_params()``).
    tokens : bool
        Whether ``X`` holds token ids (``embedding_dim`` is set).

    Returns
    -------
    dict
        Each auto parameter's value: the recipe's where ``params`` says ``"auto"``.
    """
    recipe = TOKEN_IDS if tokens else VALUE_SERIES
    return {name: recipe[name] if isinstance(params[name], str) and params[name] == "auto"
            else params[name] for name in AUTO_PARAMETERS}

# SequenceTagger's defaults (plain defaults, not "auto"), chosen by the tagging suite
# (EWT UPOS and CoNLL-2000 chunking, validation inside the training data): a BiLSTM of
# 100 units over word embeddings of 100 and a character CNN of 50 filters, dropout 0.4
# and word dropout 0.1, 16 epochs on all the data along a cosine-annealed learning rate
# from 0.003, no early stopping (which also cannot end training before rare classes are
# learnt; see benchmarks/rare_entities.py).
TAGGER = dict(
    units=100, embedding_dim=100, char_embedding_dim=25, char_filters=50,
    feature_embedding_dim=32, dropout=0.4, word_dropout=0.1, learning_rate=3e-3,
    lr_schedule="cosine", epochs=16, patience=None, early_stopping=False,
)
