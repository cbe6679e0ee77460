"""TextGenerator: a character- or word-level recurrent language model (the decoder
conditioned on nothing), trained by truncated backpropagation through time."""

from __future__ import annotations

import math
from numbers import Integral

import numpy as np
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import check_is_fitted

from seqkit._backend import trains_carried_states
from seqkit.generation._base import GeneratingEstimator
from seqkit.generation._params import text_parameters
from seqkit.generation.vocabulary import Vocabulary, check_texts
from seqkit.inputs import Sequences, describe_value
from seqkit.params import RECURRENT, TRAINING, Param, declare_parameters, positive_int

PARAMETERS = {
    **text_parameters("char", lowercase=False),
    "bptt_length": positive_int(64, "Tokens per training window: gradients flow back at "
                                    "most this many steps (truncated backpropagation "
                                    "through time)."),
    "stateful": Param("auto", ["boolean", StrOptions({"auto"})], 'bool or "auto"',
                      "True: the text (the documents one after another) is cut into "
                      "``batch_size`` streams trained side by side, and each window starts "
                      "from the state the previous window of its stream ended in, so the "
                      "network learns dependencies longer than a window. False: every "
                      "window starts from a zero state (windows are shuffled). \"auto\": "
                      "True for one long text, False for a list of documents."),
    **{name: param for name, param in RECURRENT.items() if name != "bidirectional"},
    "units": RECURRENT["units"]._replace(default=128),
    **TRAINING,
    "batch_size": TRAINING["batch_size"]._replace(
        doc="Windows per training batch (with ``stateful``: the number of streams)."),
    "learning_rate": TRAINING["learning_rate"]._replace(default=2e-3),
    "epochs": TRAINING["epochs"]._replace(default=20),
}

SCORE_ENTRIES = 4_000_000  # probabilities held at once while scoring (rows x steps x ids)
SCORE_WINDOW = 256


@declare_parameters(PARAMETERS)
class TextGenerator(GeneratingEstimator):
    """Recurrent language model over characters or words, sampled from a prefix.

    ``fit(X)`` takes one long string or a list of documents. The network is the
    decoder that :class:`seqkit.generation.ImageCaptioner` and
    :class:`seqkit.generation.SequenceTranslator` condition on an image or a source
    sentence, here conditioned on nothing: it predicts each token from the ones before,
    trained on windows of ``bptt_length`` tokens. Every document is read as
    ``<start> tokens <end>`` (one long text as ``<start> tokens``).

    Parameters
    ----------
    {parameters}

    Attributes
    ----------
    stateful_ : bool
        Whether the windows were trained with the state carried over.
    vocabulary_ : dict of str to int
        Token to id (0 pads, 1 is the unknown token, then ``"<start>"`` and ``"<end>"``).
    model_ : keras.Model
        The network trained (stateful layers for batches of fixed size when
        ``stateful_``).
    n_iter_ : int
        Epochs trained.
    history_ : dict of list of float
        Training (and validation) loss of each epoch: mean cross-entropy per token
        (nats).

    Notes
    -----
    ``score(X)`` is minus the mean cross-entropy per token in nats (higher is better, so
    ``GridSearchCV`` maximises it); :meth:`perplexity` is ``exp(-score)`` and
    :meth:`bits_per_character` ``-score / ln 2`` for ``level="char"``. Both read each
    text from its start in one pass (windows with the state carried over, which equals
    one long unrolled pass).

    A prefix token never seen in ``fit`` is an error (ValueError naming it and its
    position): the model has no embedding for it.

    Examples
    --------
    >>> from seqkit.generation import TextGenerator
    >>> text = "abcd " * 60
    >>> gen = TextGenerator(units=16, bptt_length=10, epochs=2, random_state=0).fit(text)
    >>> len(gen.generate(2, prefix="ab", max_length=5))
    2
    """

    _reads_text = True

    # ----------------------------------------------------------------------- fit
    def fit(self, X, y=None):
        """Train the language model.

        Parameters
        ----------
        X : str or list of str
            One long text, or documents.
        y : ignored

        Returns
        -------
        self
        """
        self._validate_params()
        documents, one_text = _check_corpus(X)
        if not (self.warm_start and hasattr(self, "model_")):
            self._vocab = Vocabulary(documents, level=self.level, lowercase=self.lowercase,
                                     min_count=self.min_count)
            self.vocabulary_ = self._vocab.word_to_id
            self.n_token_ids_ = self._vocab.size
            self.stateful_ = one_text if self.stateful == "auto" else bool(self.stateful)
        if self.stateful_ and not trains_carried_states():
            raise ValueError(f"stateful={self.stateful!r} (states carried across windows) "
                             "does not train under the PyTorch backend; pass stateful=False "
                             "or use the TensorFlow or JAX backend")
        self.n_step_features_ = 1
        ids = self._document_ids(documents, one_text)
        if self.stateful_:
            windows, targets, self._streams = _stateful_windows(
                np.concatenate(ids), self.batch_size, self.bptt_length)
        else:
            windows, targets = _independent_windows(ids, self.bptt_length)
            self._streams = None
        # every window is one full-width row (a document's last one padded with 0 / -1)
        lengths = np.full(len(windows), windows.shape[1])
        return super().fit(Sequences(windows, lengths, True), targets)

    def _document_ids(self, documents: list[str], one_text: bool) -> list[np.ndarray]:
        if one_text:
            return [np.r_[self._vocab.start_id, self._vocab.tokens(documents)[0]]]
        return self._vocab.encode(documents)

    def _to_sequences(self, X, reset: bool):
        return X  # fit hands the base ready windows

    def _target_weights(self, y) -> np.ndarray:
        # each window weighs 1 / its tokens: the loss is the mean per token
        return 1.0 / np.maximum((y >= 0).sum(axis=1), 1)

    def _network_spec(self) -> dict:
        return dict(n_token_ids=self.n_token_ids_, embedding_dim=self.embedding_dim,
                    stateful_batch=self._streams, masked=not self.stateful_)

    def _build_network(self, spec: dict, explicit_states: bool = False):
        from seqkit.generation.networks import language_model_network

        if explicit_states:
            spec = dict(spec, stateful_batch=None, masked=True, explicit_states=True)
        return language_model_network(**spec)

    def _training_data(self, sequences, targets, weights, rng):
        if not self.stateful_:
            return super()._training_data(sequences, targets, weights, rng)
        from seqkit.training import OrderedWindows

        batches = len(targets) // self._streams
        n_valid = int(np.floor(self.validation_fraction * batches))
        early = self.early_stopping is True or (
            self.early_stopping == "auto" and len(targets) >= 1000)
        if not early or n_valid < 1 or batches - n_valid < 1:
            n_valid = 0
        cut = (batches - n_valid) * self._streams  # the last batches: each stream's tail
        parts = [OrderedWindows({"ids": sequences.items[rows]}, targets[rows], weights[rows],
                                self._streams)
                 for rows in (slice(0, cut), slice(cut, None))]
        return parts[0], (parts[1] if n_valid else None)

    def _training_callbacks(self) -> list:
        from seqkit.training import reset_states_callback

        return [reset_states_callback()] if self.stateful_ else []

    def _make_predictor(self):
        from seqkit._backend import compiled_predictor

        scorer = self._build_network(self.network_spec_, explicit_states=True)
        scorer.set_weights(self.model_.get_weights())
        return (*super()._make_predictor(), compiled_predictor(scorer))

    def _zero_states(self, n: int) -> dict:
        from seqkit.generation.decoder import state_names

        recurrent = self.network_spec_["recurrent"]
        return {name: np.zeros((n, recurrent["units"]), dtype=np.float32)
                for name in state_names(recurrent["cell"], recurrent["num_layers"])}

    # -------------------------------------------------------------------- generate
    def generate(self, n_samples: int = 1, prefix: str = "", max_length: int = 200,
                 temperature: float = 1.0, top_k: int | None = None,
                 top_p: float | None = None, stop=None, random_state=None,
                 no_repeat_ngram_size: int | None = None) -> list[str]:
        """Sample texts that continue ``prefix``.

        Parameters
        ----------
        n_samples : int, default=1
            Texts to sample (decoded together, as one batch).
        prefix : str, default=""
            Read into the state first (after the start token); each text begins with it.
        max_length : int, default=200
            Most tokens generated after the prefix (fewer when the end token comes).
        temperature, top_k, top_p : optional
            Shape the distribution drawn from (see :func:`seqkit.decoding.sample`).
        stop : str, list of str or None
            Cut each text before the first of these strings in its generated part.
        random_state : int, RandomState or None
            Seeds the draws.
        no_repeat_ngram_size : int, optional
            Never repeat an n-gram of this size within the generated part.

        Returns
        -------
        list of str
            ``prefix`` followed by the generated tokens (words spaced as in the training
            texts).
        """
        from seqkit.decoding import sample

        check_is_fitted(self, "model_")
        for name, value in (("n_samples", n_samples), ("max_length", max_length)):
            if not isinstance(value, Integral) or value < 1:
                raise ValueError(f"{name}={value!r}; it must be an int >= 1")
        stops = _check_stop(stop)
        tokens = [self._vocab.start_id, *self._prefix_ids(prefix)]
        step = self._step_function()
        state = self._zero_states(n_samples)
        for token in tokens[:-1]:
            _, state = step(np.full(n_samples, token), state)
        result = sample(step, state, start_id=tokens[-1], end_id=self._vocab.end_id,
                        max_length=max_length, temperature=temperature, top_k=top_k,
                        top_p=top_p, random_state=random_state,
                        no_repeat_ngram_size=no_repeat_ngram_size)
        prefix_tokens = self._vocab.tokenizer._split(prefix)
        # the generated text starts with the space the prefix's last token takes, if any
        after = None if not prefix_tokens or prefix[-1].isspace() else prefix_tokens[-1]
        texts = []
        for ids in result.sequences:
            text = self._vocab.decode(ids, after=after)
            cuts = [text.find(s) for s in stops if s in text]
            text = text[: min(cuts)] if cuts else text
            if self.level == "word" and not text.strip():
                text = ""  # not the prefix's separator alone
            texts.append(prefix + text)
        return texts

    def _prefix_ids(self, prefix) -> list[int]:
        if not isinstance(prefix, str):
            raise TypeError(f"prefix is {describe_value(prefix)}; expected a str")
        ids = []
        for position, token in enumerate(self._vocab.tokenizer._split(prefix)):
            if token not in self._vocab.tokenizer.vocabulary_:
                raise ValueError(f"prefix holds {token!r} (token {position}), a {self.level} "
                                 "not seen in fit (or rarer than min_count); the model has "
                                 "no embedding for it")
            ids.append(self._vocab.tokenizer.vocabulary_[token])
        return ids

    # ----------------------------------------------------------------------- score
    def _log_likelihood(self, X, window: int = SCORE_WINDOW) -> tuple[float, int]:
        """Total log-probability (nats) of the tokens of ``X`` and their number."""
        check_is_fitted(self, "model_")
        documents, one_text = _check_corpus(X)
        ids = self._document_ids(documents, one_text)
        scorer = self._predictor[3]
        rows = max(1, min(64, SCORE_ENTRIES // (window * self.n_token_ids_)))
        order = np.argsort([len(i) for i in ids], kind="stable")
        total, count = 0.0, 0
        for start in range(0, len(order), rows):
            batch = [ids[i] for i in order[start : start + rows]]
            width = max(len(i) for i in batch)
            padded = np.zeros((len(batch), width), dtype=np.int32)
            for row, doc in enumerate(batch):
                padded[row, : len(doc)] = doc
            inputs, targets = padded[:, :-1], padded[:, 1:]
            state = self._zero_states(len(batch))
            for t in range(0, inputs.shape[1], window):
                outputs = scorer({"ids": inputs[:, t : t + window], **state})
                probs = outputs.pop("probs")
                state = outputs
                chunk = targets[:, t : t + window]
                picked = np.take_along_axis(probs, chunk[..., None], axis=-1)[..., 0]
                real = chunk > 0
                total += float(np.log(np.maximum(picked[real], 1e-30)).sum())
                count += int(real.sum())
        return total, count

    def score(self, X, y=None) -> float:
        """Minus the mean cross-entropy per token, in nats (higher is better).

        Parameters
        ----------
        X : str or list of str
            One long text, or documents (each scored with its end token).
        y : ignored

        Returns
        -------
        float
        """
        total, count = self._log_likelihood(X)
        return total / count

    def perplexity(self, X) -> float:
        """``exp`` of the mean cross-entropy per token: ``exp(-score(X))``."""
        return math.exp(-self.score(X))

    def bits_per_character(self, X) -> float:
        """Mean cross-entropy per character in bits, ``-score(X) / ln 2`` (``level="char"``)."""
        if self.level != "char":
            raise ValueError(f"bits_per_character needs level='char'; this generator has "
                             f"level={self.level!r} (use score or perplexity)")
        return -self.score(X) / math.log(2)



# ------------------------------------------------------------------------- helpers
def _check_corpus(X) -> tuple[list[str], bool]:
    """``X`` as documents, and whether it was one long string."""
    if isinstance(X, str):
        if not X:
            raise ValueError("X is an empty string; the text needs at least one token")
        return [X], True
    return check_texts(X, "X"), False


def _check_stop(stop) -> list[str]:
    stops = [] if stop is None else [stop] if isinstance(stop, str) else list(stop)
    for i, item in enumerate(stops):
        if not isinstance(item, str) or not item:
            raise ValueError(f"stop[{i}] is {item!r}; stop strings must be non-empty str")
    return stops


def _stateful_windows(ids: np.ndarray, streams: int, length: int):
    """Inputs and next-token targets of ``streams`` contiguous streams, cut into windows
    of ``length`` and ordered batch by batch (row ``i * B + j``: window ``i`` of stream
    ``j``). Returns ``(windows, targets, B)``; ``B`` is at most ``streams``."""
    n = len(ids) - 1
    B = min(streams, n // length)
    if B < 1:
        raise ValueError(f"X holds {len(ids) - 1} tokens; bptt_length={length} needs at "
                         f"least {length} (lower bptt_length)")
    per = (n // B) // length * length
    inputs = np.stack([ids[j * per : (j + 1) * per] for j in range(B)])
    targets = np.stack([ids[j * per + 1 : (j + 1) * per + 1] for j in range(B)])

    def ordered(array):
        return array.reshape(B, per // length, length).transpose(1, 0, 2).reshape(-1, length)

    return ordered(inputs).astype(np.int32), ordered(targets).astype(np.int32), B


def _independent_windows(documents: list[np.ndarray], length: int):
    """Windows of ``length`` of every document (the last one padded: 0 in, -1 out)."""
    windows, targets = [], []
    for ids in documents:
        for start in range(0, len(ids) - 1, length):
            chunk = ids[start : start + length + 1]
            window = np.zeros(length, dtype=np.int32)
            target = np.full(length, -1, dtype=np.int32)
            window[: len(chunk) - 1] = chunk[:-1]
            target[: len(chunk) - 1] = chunk[1:]
            windows.append(window)
            targets.append(target)
    return np.stack(windows), np.stack(targets)
