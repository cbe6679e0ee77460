"""SequenceTranslator: sequence-to-sequence translation (the decoder conditioned on an
encoded source sequence), with attention and beam search."""

from __future__ import annotations

from dataclasses import dataclass, field
from numbers import Integral

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from seqkit.generation._base import ConditionedGenerator
from seqkit.generation._params import BEAM, text_parameters
from seqkit.generation.vocabulary import Vocabulary, check_texts
from seqkit.inputs import Sequences
from seqkit.params import RECURRENT, TRAINING, Param, declare_parameters
from seqkit.tagger import PaddedTags
from seqkit.text import Tokenizer

_LENGTH = [Interval(Integral, 1, None, closed="left"), None]

PARAMETERS = {
    **text_parameters("word", lowercase=True),
    "attention": Param("additive", [StrOptions({"additive", "multiplicative"}), None],
                       '{"additive", "multiplicative"} or None',
                       "Score of the decoder's soft attention over the encoded source "
                       "tokens at every output token: additive (Bahdanau) or "
                       "multiplicative (Luong's \"general\", scaled); None: the decoder "
                       "sees only the source summary."),
    **BEAM,
    "max_length": Param(None, _LENGTH, "int or None",
                        "Most tokens generated per translation; None: 2 more than 1.5 "
                        "times the longest training target."),
    "max_source_length": Param(None, _LENGTH, "int or None",
                               "Longest source (in tokens) accepted by ``fit`` and "
                               "``predict``: a longer one is a ValueError naming it. None: "
                               "any length (the encoder reads it whole)."),
    **RECURRENT,
    "bidirectional": RECURRENT["bidirectional"]._replace(
        default=True, doc="Encoder layers read the source forwards and backwards (the "
                          "decoder always writes left to right)."),
    "units": RECURRENT["units"]._replace(default=128),
    **TRAINING,
    "learning_rate": TRAINING["learning_rate"]._replace(default=2e-3),
    "epochs": TRAINING["epochs"]._replace(default=30),
}


@dataclass(frozen=True)
class TranslationPairs(Sequences):
    """Teacher-forcing inputs: each target's ids (from the start token) and its source.

    ``lengths`` are the source lengths, so batches bucket sources of similar length.
    """

    sources: list = field(default_factory=list)

    def subset(self, indices: np.ndarray) -> TranslationPairs:
        return TranslationPairs([self.items[i] for i in indices], self.lengths[indices], True,
                                [self.sources[i] for i in indices])

    def model_inputs(self, indices: np.ndarray) -> dict:
        """``{"source": (b, S), "ids": (b, T)}``, int32, each padded with 0."""
        return {"source": padded([self.sources[i] for i in indices]),
                "ids": padded([self.items[i] for i in indices])}


def padded(rows: list) -> np.ndarray:
    """Id sequences as one ``(n, longest)`` int32 array, padded with 0."""
    out = np.zeros((len(rows), max(len(r) for r in rows)), dtype=np.int32)
    for i, row in enumerate(rows):
        out[i, : len(row)] = row
    return out


@declare_parameters(PARAMETERS)
class SequenceTranslator(ConditionedGenerator):
    """Encoder-decoder recurrent network that translates texts (many-to-many, delayed).

    A (bidirectional, stacked) recurrent encoder reads the source tokens; the decoder
    shared with :class:`seqkit.generation.ImageCaptioner` and
    :class:`seqkit.generation.TextGenerator` starts from a summary of the source (the
    masked mean of the encoder outputs) and, at every output token, attends over the
    encoded source tokens. Trained by teacher forcing; translates by beam search
    (:mod:`seqkit.decoding`).

    Parameters
    ----------
    {parameters}

    Attributes
    ----------
    source_vocabulary_ : dict of str to int
        Source token to id (0 pads, 1 is the unknown token).
    vocabulary_ : dict of str to int
        Target token to id (0 pads, 1 is the unknown token, then ``"<start>"`` and
        ``"<end>"``).
    max_length_ : int
        Most tokens generated per translation.
    history_ : dict of list of float
        Per epoch, the summed cross-entropy of a target (and of the validation targets).
    n_iter_ : int
        Epochs trained.
    model_ : keras.Model
        The encoder and decoder, trained together by teacher forcing.

    Notes
    -----
    Texts are split by ``level``; an item may also be a list of string tokens (joined by
    spaces and split again). A source token never seen in ``fit`` (or rarer than
    ``min_count``) is read as the unknown token, as rare training tokens are, so a
    sentence with new words is still translated; empty texts and items that are not
    strings are errors naming the item. ``score`` is corpus BLEU
    (:func:`seqkit.metrics.corpus_bleu`, equal to sacrebleu's / 100 with its defaults) of
    :meth:`predict` against one reference per source.

    Examples
    --------
    >>> from seqkit.generation import SequenceTranslator
    >>> X = ["1 2 3", "2 3", "3 1 2", "1 1"] * 10
    >>> y = [" ".join(reversed(x.split())) for x in X]
    >>> model = SequenceTranslator(units=16, epochs=2, random_state=0).fit(X, y)
    >>> len(model.predict(["1 2"]))
    1
    """

    _condition_inputs = ("source",)
    _reads_text = True

    # ----------------------------------------------------------------------- fit
    def fit(self, X, y, sample_weight=None):
        """Train the translator.

        Parameters
        ----------
        X : list of str (or of token lists)
            Source texts.
        y : list of str (or of token lists)
            Their translations.
        sample_weight : array-like of shape (n,), optional
            Weight of each pair.

        Returns
        -------
        self
        """
        self._validate_params()
        sources = check_texts(X, "X", allow_tokens=True)
        if y is None:
            raise ValueError("SequenceTranslator requires y: one target text per source")
        targets = check_texts(y, "y", allow_tokens=True)
        if len(targets) != len(sources):
            raise ValueError(f"X has {len(sources)} sources but y has {len(targets)} "
                             "targets; y needs one target per source")
        if not (self.warm_start and hasattr(self, "model_")):
            self._source_tokenizer = Tokenizer(level=self.level, lowercase=self.lowercase,
                                               min_df=self.min_count).fit(sources)
            self.source_vocabulary_ = dict(self._source_tokenizer.vocabulary_)
            self._vocab = Vocabulary(targets, level=self.level, lowercase=self.lowercase,
                                     min_count=self.min_count)
            self.vocabulary_ = self._vocab.word_to_id
            self.n_token_ids_ = self._vocab.size
            self.n_step_features_ = 1
        source_ids = self._source_ids(sources)
        encoded = self._vocab.encode(targets)
        self.max_length_ = self.max_length or int(1.5 * max(len(t) for t in encoded)) + 2
        pairs = TranslationPairs([ids[:-1] for ids in encoded],
                                 np.array([len(s) for s in source_ids]), True, source_ids)
        targets = [ids[1:] for ids in encoded]
        # Without it, word-level training spends its first thousand batches learning the
        # token frequencies through the bias (Adam moves it by about learning_rate a step).
        self._output_prior = self._vocab.log_prior(targets)
        try:
            return super().fit(pairs, PaddedTags(targets), sample_weight)
        finally:
            del self._output_prior

    def _source_ids(self, sources: list[str]) -> list[np.ndarray]:
        ids = [np.asarray(i, dtype=np.int32) for i in self._source_tokenizer.transform(sources)]
        if self.max_source_length is not None:
            for i, row in enumerate(ids):
                if len(row) > self.max_source_length:
                    raise ValueError(f"X[{i}] has {len(row)} tokens, more than "
                                     f"max_source_length={self.max_source_length}")
        return ids

    def _to_sequences(self, X, reset: bool):
        return X  # fit hands the base ready pairs

    def _network_spec(self) -> dict:
        return dict(n_source_ids=self._source_tokenizer.n_ids_,
                    source_embedding_dim=self.embedding_dim, n_token_ids=self.n_token_ids_,
                    embedding_dim=self.embedding_dim, attention=self.attention)

    def _build_network(self, spec: dict):
        from seqkit.generation.networks import translation_network

        return translation_network(**spec)

    # ------------------------------------------------------------------ predict
    def _inputs(self, X) -> dict:
        check_is_fitted(self, "model_")
        return {"source": padded(self._source_ids(check_texts(X, "X", allow_tokens=True)))}

    def predict_attention(self, X) -> tuple[list[str], list[np.ndarray]]:
        """The translations and, for each output token, its attention over the source.

        Parameters
        ----------
        X : as in :meth:`predict`

        Returns
        -------
        translations : list of str
            As :meth:`predict` gives them.
        weights : list of ndarray
            For each translation ``(n_output_tokens, n_source_tokens)``; each row sums
            to 1.
        """
        inputs = self._inputs(X)
        if self._predictor[2] is None:
            raise ValueError("this translator has no attention (attention=None)")
        sequences, _ = self._generate_ids(inputs, **self._decode_options())
        lengths = (inputs["source"] > 0).sum(axis=1)
        maps = [m[:, :n] for m, n in zip(self._attention_maps(inputs, sequences), lengths,
                                          strict=True)]
        return self._decoded_texts(sequences), maps

    def score(self, X, y) -> float:
        """Corpus BLEU of :meth:`predict` against ``y`` (13a tokenisation, as sacrebleu).

        Parameters
        ----------
        X : list of str (or of token lists)
            Source texts.
        y : list of str (or of token lists)
            One reference translation per source.

        Returns
        -------
        float
            In [0, 1] (sacrebleu reports 100 times this).
        """
        from seqkit.metrics import corpus_bleu

        references = check_texts(y, "y", allow_tokens=True)
        return corpus_bleu(self.predict(X), references, lowercase=self.lowercase)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return tags
