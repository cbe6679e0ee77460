"""SequenceTagger: one tag per token (many-to-many, aligned) — POS tagging, chunking, NER."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import check_is_fitted

from seqkit.base import BaseSequenceEstimator
from seqkit.export import ExportMixin
from seqkit.incremental import PartialFitMixin, mixed_labels_error, unknown_labels_error
from seqkit.inputs import Sequences, describe_value, to_sequences
from seqkit.params import ENSEMBLE, INPUTS, PREDICTION, RECURRENT, TRAINING, Param
from seqkit.params import declare_parameters, flag, positive_int
from seqkit.recipes import TAGGER
from seqkit.word_vectors import checked_word_vectors

UNKNOWN_ID = 1
FIRST_ID = 2
PADDING_TAG = -1
# Characters per word, fixed so that every batch has the same character width (Keras fixes
# the shape of a dimension that is equal in the first batches it sees); longer words keep
# their first and last 8 characters.
MAX_WORD_CHARS = 16
_DIGITS = re.compile(r"\d")

PARAMETERS = {
    **RECURRENT,
    "bidirectional": RECURRENT["bidirectional"]._replace(default=True),
    "embedding_dim": positive_int(64,
                                  "Size of the word embeddings learnt from the training tokens "
                                  "(string tokens only)."),
    "lowercase": flag(True,
                      "Lowercase words before looking up their embedding (the character "
                      "features still see the case)."),
    "normalize_digits": flag(True,
                             "Map every digit to 0 before looking up a word's embedding."),
    "word_vectors": Param(
        None, [tuple, None], "tuple (words, vectors) or None",
        "Pretrained word vectors, e.g. ``seqkit.word_vectors.read_word_vectors(path)``: a "
        "list of words and an array of one ``embedding_dim``-wide vector per word (string "
        "tokens only). Their words, normalised as set by ``lowercase`` and "
        "``normalize_digits`` (the first vector wins where two coincide), join the "
        "vocabulary and start from their vectors, which are then fine-tuned; words seen "
        "only in ``fit`` start at random. A word that ``fit`` never saw keeps its vector "
        "at predict instead of becoming the unknown word."),
    "word_dropout": INPUTS["word_dropout"]._replace(default=0.05),
    "feature_embedding_dim": positive_int(
        16,
        "Size of the embedding of each extra per-token feature column, for tokens given "
        "as tuples ``(word, feature, ...)`` (e.g. a POS tag for chunking); each column "
        "has its own vocabulary (unseen values share one id) and embedding, "
        "concatenated to the word's."),
    "char_features": Param("cnn", [StrOptions({"cnn"}), None], '"cnn" or None',
                           "Character-level word features (a character CNN with max "
                           "pooling), so that unseen words are tagged from their spelling; "
                           "None: words only. String tokens only."),
    "char_embedding_dim": positive_int(16, "Size of the character embeddings."),
    "char_filters": positive_int(32, "Filters of the character CNN (its features per word)."),
    "crf": flag(False,
                "End in a linear-chain CRF (trained by the forward algorithm, decoded by "
                "Viterbi) instead of an independent softmax per token."),
    "scale_inputs": INPUTS["scale_inputs"],
    **ENSEMBLE,
    **TRAINING,
    "early_stopping": TRAINING["early_stopping"]._replace(doc=(
        "True: hold out ``validation_fraction`` of the sentences, stop when the validation "
        "loss has not improved for ``patience`` epochs and keep the best weights. False: "
        "train all ``epochs`` on all the data (the default: on small data with rare "
        "entity types the validation loss stops improving before those types are "
        "learnt; see benchmarks/rare_entities.py). \"auto\": True from 1,000 sentences "
        "on.")),
    **PREDICTION,
}
# The defaults the tagging suite chose (seqkit.recipes.TAGGER, docs "Choosing settings").
PARAMETERS.update({name: PARAMETERS[name]._replace(default=value)
                   for name, value in TAGGER.items()})


# ----------------------------------------------------------------------------- data
@dataclass(frozen=True)
class TokenSequences(Sequences):
    """Word-id sequences with, optionally, the character ids of each word.

    Attributes
    ----------
    chars : list of ndarray or None
        One ``(T_i, MAX_WORD_CHARS)`` int32 array per sentence (0 pads short words).
    features : list of ndarray or None
        One ``(T_i, k)`` int32 array per sentence: the ids of the ``k`` extra feature
        columns of each token (tokens given as tuples).
    """

    chars: list | None = None
    features: list | None = None

    def _extras(self) -> dict:
        return {name: getattr(self, name) for name in ("chars", "features")
                if getattr(self, name) is not None}

    def subset(self, indices: np.ndarray) -> TokenSequences:
        extras = {name: [arrays[i] for i in indices]
                  for name, arrays in self._extras().items()}
        return TokenSequences([self.items[i] for i in indices], self.lengths[indices],
                              True, **extras)

    def content_keys(self) -> np.ndarray:
        keys = super().content_keys()
        for arrays in self._extras().values():
            keys = keys + Sequences(arrays, self.lengths).content_keys()
        return keys

    def model_inputs(self, indices: np.ndarray) -> dict:
        """``{"ids": (b, T)}``, plus ``{"chars": (b, T, C)}`` when characters are used
        and ``{"features": (b, T, k)}`` when tokens carry extra feature columns."""
        inputs = super().model_inputs(indices)
        for name, arrays in self._extras().items():
            inputs[name] = Sequences(arrays, self.lengths).model_inputs(indices)["values"]
        return inputs


class PaddedTags:
    """Tag-index sequences of varying length, padded per batch with ``-1``.

    Indexing with an index array gives a subset (what the estimator base does for the
    validation split); :meth:`batch` gives the padded ``(b, T)`` array a training batch
    needs (see :func:`seqkit.training.batch_targets`).
    """

    def __init__(self, tags: list[np.ndarray]):
        self.tags = tags

    def __len__(self) -> int:
        return len(self.tags)

    def __getitem__(self, indices) -> PaddedTags:
        return PaddedTags([self.tags[i] for i in np.asarray(indices)])

    def batch(self, indices: np.ndarray) -> np.ndarray:
        width = max(len(self.tags[i]) for i in indices)
        padded = np.full((len(indices), width), PADDING_TAG, dtype=np.int32)
        for row, i in enumerate(indices):
            padded[row, : len(self.tags[i])] = self.tags[i]
        return padded


def check_tagged(X, y) -> None:
    """Check that ``y`` holds one tag list per sentence of ``X``, each as long as it.

    Raises a ``ValueError`` or ``TypeError`` naming the offending sample.
    """
    if y is None:
        raise ValueError("SequenceTagger requires y: a list of tag lists, one per sentence")
    if isinstance(y, str):
        raise TypeError("y is a single string; expected a list of tag lists")
    y = list(y)
    n_x = len(X)
    if len(y) != n_x:
        raise ValueError(f"X has {n_x} sentences but y has {len(y)} tag lists")
    for i, (tokens, tags) in enumerate(zip(X, y, strict=True)):
        if isinstance(tokens, str):
            raise TypeError(f"X[{i}] is the string {tokens[:30]!r}; each sentence must be a "
                            "list of tokens (split it first, e.g. text.split())")
        if isinstance(tags, str) or not hasattr(tags, "__len__"):
            raise TypeError(f"y[{i}] is {tags!r}; expected a list of tags, one per token")
        if len(tags) != len(tokens):
            raise ValueError(
                f"sample {i}: X[{i}] has {len(tokens)} tokens but y[{i}] has {len(tags)} tags"
            )


def flat_tags(y) -> list:
    """The tags of ``y`` (a list of tag lists) in one flat list, each checked by
    :func:`check_tag`."""
    flat = []
    for i, tags in enumerate(y):
        for j, tag in enumerate(tags):
            check_tag(tag, f"y[{i}][{j}]")
            flat.append(tag)
    return flat


def check_tag(tag, name: str) -> None:
    """Raise TypeError if ``tag`` (called ``name``) is unhashable, ValueError if missing.

    Parameters
    ----------
    tag : object
        One tag.
    name : str
        Where it is, for the message, e.g. ``"y[0][2]"``.
    """
    try:
        hash(tag)
    except TypeError:
        raise TypeError(f"{name} is {describe_value(tag)}; tags must be hashable "
                        "(str or int)") from None
    if pd.api.types.is_scalar(tag) and pd.isna(tag):
        raise ValueError(f"{name} is {tag}: a tag is missing")


def sorted_tags(tags: list, name: str) -> np.ndarray:
    """The distinct ``tags`` (checked by :func:`check_tag`), sorted as strings.

    Parameters
    ----------
    tags : list
        The tags, e.g. from :func:`flat_tags`.
    name : str
        The argument they come from, for the messages.

    Raises
    ------
    TypeError
        When the tags mix types that do not sort together (e.g. str and int).
    ValueError
        When there are fewer than two distinct tags.
    """
    distinct = set(tags)
    try:
        sorted(distinct)  # only to find types that do not sort together
    except TypeError:
        raise mixed_labels_error(np.fromiter(tags, dtype=object, count=len(tags)),
                                 name) from None
    if len(distinct) < 2:
        shown = ", ".join(repr(tag) for tag in distinct)
        raise ValueError(f"{name} has {len(distinct)} distinct tag(s) ({shown}); a tagger "
                         "needs at least two")
    return np.array(sorted(distinct, key=str))  # as strings: the order of earlier versions


def _string_sentences(X) -> list[list[tuple[str, ...]]] | None:
    """``X`` as lists of tokens, each a tuple ``(word, feature, ...)`` of strings, or
    None when ``X`` holds per-step arrays instead.

    Tokens are strings (a tuple of one field) or tuples / lists of strings; every token
    of ``X`` must have the same number of fields.
    """
    if X is None:
        raise TypeError("X is None; expected a list of token lists")
    if isinstance(X, str):
        raise TypeError("X is a single string; expected a list of token lists, e.g. "
                        "[['The', 'cat'], ...]")
    if getattr(X, "ndim", 1) != 1 and not isinstance(X, list):
        return None
    sentences = list(X)
    if not sentences:
        raise ValueError("X is empty: found 0 sentences, a minimum of 1 is required")
    first = sentences[0]
    if isinstance(first, str):
        raise TypeError(f"X[0] is the string {first[:30]!r}; each sentence must be a list "
                        "of tokens (split it first, e.g. text.split())")
    if not _holds_strings(sentences):
        return None
    result, width = [], None
    for i, sentence in enumerate(sentences):
        if isinstance(sentence, str) or not hasattr(sentence, "__len__"):
            raise TypeError(f"X[{i}] is {sentence!r}; expected a list of tokens")
        if len(sentence) == 0:
            raise ValueError(f"X[{i}] is an empty sentence; every sentence needs at least "
                             "1 token (drop empty sentences before fit / predict)")
        tokens = [_token_fields(token, i, j) for j, token in enumerate(sentence)]
        for j, token in enumerate(tokens):
            if width is None:
                width, origin = len(token), (i, j)
            elif len(token) != width:
                raise ValueError(
                    f"X[{i}][{j}] is {sentence[j]!r} with {len(token)} field(s), but "
                    f"X[{origin[0]}][{origin[1]}] has {width}; every token must have the "
                    "same fields: a string, or a tuple (word, feature, ...) of one width")
        result.append(tokens)
    return result


def _token_fields(token, i: int, j: int) -> tuple[str, ...]:
    """One token as a tuple of its string fields (a plain string is one field)."""
    if isinstance(token, str):
        return (token,)
    if isinstance(token, tuple | list) and token and all(isinstance(f, str) for f in token):
        return tuple(token)
    raise TypeError(f"X[{i}][{j}] is {type(token).__name__} {token!r}; tokens must all be "
                    "strings or tuples of strings (word, feature, ...), or X must hold "
                    "per-step arrays")


def _holds_strings(sentences: list) -> bool:
    """Whether the first non-empty sentence holds a string token or a tuple starting with
    one (empty lists count as tokens)."""
    for sentence in sentences:
        if getattr(sentence, "dtype", None) is not None and sentence.dtype.kind != "O":
            return sentence.dtype.kind in "US"
        if hasattr(sentence, "__len__") and len(sentence):
            return any(isinstance(token, str) or (
                isinstance(token, tuple | list) and len(token) and isinstance(token[0], str))
                for token in sentence)
    return True


def _word_chars(word: str) -> str:
    if len(word) <= MAX_WORD_CHARS:
        return word
    half = MAX_WORD_CHARS // 2
    return word[:half] + word[-half:]


# ------------------------------------------------------------------------ estimator
@declare_parameters(PARAMETERS)
class SequenceTagger(ExportMixin, PartialFitMixin, BaseSequenceEstimator):
    """Recurrent network that tags every token of a sentence (POS, chunks, entities).

    ``X`` is a list of sentences, each a list of string tokens — or, for other sequence
    labelling tasks, a list of per-step feature arrays ``(T_i, F)``; ``y`` is a list of tag
    lists of the same lengths. String tokens pass through word embeddings learnt in
    ``fit`` (unknown words share one id, learnt by word dropout) and, by default, a
    character CNN, then a bidirectional recurrent stack, and end in a softmax per token
    or a linear-chain CRF (``crf=True``). Sentences of similar length are batched
    together (``bucketing``).

    Tokens may also be tuples of strings ``(word, feature, ...)``, e.g. ``("runs",
    "VBZ")`` with the POS tag as a feature for chunking: the word is treated as above and
    every further column gets its own vocabulary and an embedding of
    ``feature_embedding_dim``, concatenated to the word embedding. All tokens must have
    the same number of fields, in ``fit`` and ``predict``.

    Parameters
    ----------
    {parameters}

    Attributes
    ----------
    classes_ : ndarray of shape (n_tags,)
        The tags seen in ``fit`` (or given to the first ``partial_fit`` as ``classes``),
        sorted; the columns of :meth:`predict_proba`.
    vocabulary_ : dict of str to int
        Normalised word to id (0 pads, 1 is the unknown word); string tokens only.
    char_vocabulary_ : dict of str to int or None
        Character to id, when character features are on.
    feature_vocabularies_ : list of dict of str to int
        Value to id of each extra token column (empty for plain string tokens); 0 pads,
        1 stands for values unseen in ``fit``.
    model_ : keras.Model
        The trained network.
    history_ : dict of list of float
        Loss (and validation loss) per epoch.
    n_iter_ : int
        Epochs trained (each ``partial_fit`` call counts one).

    Notes
    -----
    * ``score`` is token accuracy. Tags in ``y`` that ``fit`` never saw are allowed at
      score time: the tagger can never predict them, so they count as errors.
    * Use :func:`seqkit.metrics.entity_f1` for chunking and NER, e.g. as a scorer in
      ``GridSearchCV`` via ``sklearn.metrics.make_scorer(entity_f1)``.
    * Empty sentences are an error in ``fit`` and ``predict``.

    Examples
    --------
    >>> from seqkit import SequenceTagger
    >>> X = [["the", "cat", "sat"], ["a", "dog", "ran"]] * 10
    >>> y = [["DET", "NOUN", "VERB"]] * 20
    >>> tagger = SequenceTagger(units=8, epochs=3, random_state=0).fit(X, y)
    >>> len(tagger.predict([["the", "dog", "sat", "down"]])[0])
    4
    """

    _network_builder = "tagger_network"
    _partial_fit_classes = True

    # ----------------------------------------------------------------------- fit
    def fit(self, X, y, sample_weight=None):
        """Train the tagger.

        Parameters
        ----------
        X : list of list of str or of tuple of str, or list of arrays (T_i, F)
            Sentences: string tokens, tuples ``(word, feature, ...)`` of one width, or
            per-step feature arrays.
        y : list of list
            Tags, one list per sentence, as long as it.
        sample_weight : array-like of shape (n,), optional
            Weight of each sentence in the loss.

        Returns
        -------
        self
        """
        return super().fit(X, y, sample_weight)

    def _check_inputs(self, X, y) -> None:
        if X is not None and not isinstance(X, str) and hasattr(X, "__len__"):
            check_tagged(X, y)

    def _to_sequences(self, X, reset: bool) -> Sequences:
        sentences = _string_sentences(X)
        if sentences is None:
            if reset and self.word_vectors is not None:
                raise ValueError("word_vectors is set, but X holds per-step arrays; word "
                                 "vectors apply to string tokens only")
            if not reset and self.input_kind_ == "strings":
                raise TypeError("X holds arrays, but this SequenceTagger was fitted on "
                                "string tokens")
            return to_sequences(self, X, tokens=False, reset=reset)
        width = len(sentences[0][0])
        if reset and not (self.warm_start and hasattr(self, "model_")):
            self._learn_vocabularies(sentences)
        elif not reset and self.input_kind_ != "strings":
            raise TypeError("X holds string tokens, but this SequenceTagger was fitted on "
                            "per-step arrays")
        if width != 1 + len(self.feature_vocabularies_):
            raise ValueError(
                f"X[0][0] is {X[0][0]!r} with {width} field(s), but this SequenceTagger "
                f"was fitted on tokens of {1 + len(self.feature_vocabularies_)} "
                "(word, feature, ...)")
        if reset:
            self.input_kind_ = "strings"
            self.n_step_features_ = self.n_features_in_ = 1
        ids = [np.array([self.vocabulary_.get(self._normalise(t[0]), UNKNOWN_ID) for t in s],
                        dtype=np.int32) for s in sentences]
        extras = {}
        if self.char_vocabulary_ is not None:
            extras["chars"] = [self._char_ids(s) for s in sentences]
        if self.feature_vocabularies_:
            extras["features"] = [self._feature_ids(s) for s in sentences]
        return TokenSequences(ids, np.array([len(s) for s in ids]), True, **extras)

    def _learn_vocabularies(self, sentences: list[list[tuple[str, ...]]]) -> None:
        counts = Counter(self._normalise(t[0]) for s in sentences for t in s)
        words = sorted(counts, key=lambda word: (-counts[word], word))
        if self.word_vectors is not None:
            vector_words, _ = checked_word_vectors(self.word_vectors, self.embedding_dim)
            words += [word for word in self._vector_rows(vector_words) if word not in counts]
        self.vocabulary_ = {word: FIRST_ID + i for i, word in enumerate(words)}
        self.n_token_ids_ = FIRST_ID + len(words)
        self.char_vocabulary_ = None
        if self.char_features is not None:
            chars = sorted({c for s in sentences for t in s for c in _word_chars(t[0])})
            self.char_vocabulary_ = {c: FIRST_ID + i for i, c in enumerate(chars)}
        self.feature_vocabularies_ = [
            {value: FIRST_ID + i for i, value in
             enumerate(sorted({t[column] for s in sentences for t in s}))}
            for column in range(1, len(sentences[0][0]))]

    def _vector_rows(self, words: list[str]) -> dict[str, int]:
        """Each normalised word of ``word_vectors`` and its row (the first row where two
        words coincide once normalised)."""
        rows = {}
        for row, word in enumerate(words):
            rows.setdefault(self._normalise(word), row)
        return rows

    def _load_initial_weights(self) -> None:
        """Set the vectors of ``word_vectors`` (checked by ``_learn_vocabularies`` earlier
        in the same ``fit``) into the rows of their words' ids."""
        if self.word_vectors is None:
            return
        from seqkit.networks import TOKEN_EMBEDDING

        words, vectors = self.word_vectors
        rows = self._vector_rows(list(words))
        layer = self.model_.get_layer(TOKEN_EMBEDDING)
        weights = layer.get_weights()[0]
        weights[[self.vocabulary_[word] for word in rows]] = np.asarray(
            vectors, dtype=np.float32)[list(rows.values())]
        layer.set_weights([weights])

    def _normalise(self, token: str) -> str:
        if self.lowercase:
            token = token.lower()
        if self.normalize_digits:
            token = _DIGITS.sub("0", token)
        return token

    def _char_ids(self, sentence: list[tuple[str, ...]]) -> np.ndarray:
        words = [_word_chars(t[0]) for t in sentence]
        ids = np.zeros((len(words), MAX_WORD_CHARS), dtype=np.int32)
        lookup = self.char_vocabulary_.get
        for row, word in enumerate(words):
            ids[row, : len(word)] = [lookup(c, UNKNOWN_ID) for c in word]
        return ids

    def _feature_ids(self, sentence: list[tuple[str, ...]]) -> np.ndarray:
        """``(T, k)`` ids of the extra feature columns (unseen values: the unknown id)."""
        return np.array([[vocabulary.get(value, UNKNOWN_ID) for vocabulary, value in
                          zip(self.feature_vocabularies_, t[1:], strict=True)]
                         for t in sentence], dtype=np.int32)

    def _learn_targets(self, y) -> None:
        classes = sorted_tags(flat_tags(y), "y")
        if self.warm_start and hasattr(self, "classes_") and not np.array_equal(
            self.classes_, classes
        ):
            raise ValueError(f"warm_start=True needs the tags of the first fit "
                             f"{list(self.classes_)}, got {list(classes)}")
        self.classes_ = classes

    def _sorted_classes(self, classes) -> np.ndarray:
        """The ``classes`` of ``partial_fit``, checked, as ``classes_``."""
        classes = list(classes)
        for k, tag in enumerate(classes):
            check_tag(tag, f"classes[{k}]")
        return sorted_tags(classes, "classes")

    def _encode_targets(self, y) -> PaddedTags:
        index = {tag: i for i, tag in enumerate(self.classes_.tolist())}
        unknown = {tag for tag in flat_tags(y) if tag not in index}
        if unknown:
            raise unknown_labels_error(sorted(unknown, key=str), self.classes_)
        return PaddedTags([np.array([index[tag] for tag in tags], dtype=np.int32)
                           for tags in y])

    def _needs_mask(self, sequences: Sequences) -> bool:
        """Always: the tag loss and the CRF read the mask of every sentence."""
        return True

    def _network_spec(self) -> dict:
        strings = self.input_kind_ == "strings"
        return dict(
            embedding_dim=self.embedding_dim if strings else None,
            n_tags=len(self.classes_),
            crf=bool(self.crf),
            n_chars=FIRST_ID + len(self.char_vocabulary_) if strings and
            self.char_vocabulary_ is not None else 0,
            char_embedding_dim=self.char_embedding_dim,
            char_filters=self.char_filters,
            n_feature_ids=[FIRST_ID + len(v) for v in self.feature_vocabularies_]
            if strings else [],
            feature_embedding_dim=self.feature_embedding_dim,
            word_dropout=self.word_dropout if strings else 0.0,
            ensemble_size=self.ensemble_size,
        )

    @property
    def _loss(self):
        from seqkit.crf import CRFLoss, MaskedTagLoss

        if self.network_spec_["crf"]:
            return CRFLoss(self._crf_layers(self.model_))
        return MaskedTagLoss()

    def _crf_layers(self, model):
        """The CRF output layer of ``model``, or the list of its members' CRF layers."""
        members = self.network_spec_.get("ensemble_size", 1)
        if members == 1:
            return model.get_layer("crf")
        return [model.get_layer(f"crf_{i}") for i in range(members)]

    def _make_predictor(self):
        """Predict through a decoder giving CRF marginals plus the Viterbi path (with a
        CRF) or the members' mean probabilities (an ensemble without CRF)."""
        crf, members = self.network_spec_["crf"], self.network_spec_.get("ensemble_size", 1)
        if not crf and members == 1:
            return super()._make_predictor()
        import keras

        from seqkit._backend import compiled_predictor
        from seqkit.crf import CRFDecoder
        from seqkit.networks import MemberMean, PaddingMask
        model = self._inference_model()
        inputs = {t.name.split(":")[0]: t for t in model.inputs}
        # Named layers, not keras.ops: in a fresh process the loaded network's operations
        # keep their saved names, which a new automatically named operation could repeat.
        with self._prediction_layers():
            if crf:
                mask = (inputs["mask"] if "mask" in inputs
                        else PaddingMask(name="predictor_mask")(inputs["ids"]))
                outputs = CRFDecoder(self._crf_layers(model))(model.outputs[0], mask)
            else:
                outputs = MemberMean(name="predictor_member_mean")(model.outputs[0])
        return compiled_predictor(keras.Model(inputs, outputs))

    # ------------------------------------------------------------------- predict
    def predict_proba(self, X) -> list[np.ndarray]:
        """Per-token tag probabilities (CRF marginals when ``crf=True``).

        Parameters
        ----------
        X : list of list of str, or list of arrays (T_i, F)
            Sentences, as in ``fit``.

        Returns
        -------
        list of ndarray of shape (T_i, n_tags)
            Columns in the order of ``classes_``.
        """
        n_tags = len(self.classes_)
        proba = [out[:, :n_tags].astype(np.float64) for out in self._predict_steps(X)]
        return [p / p.sum(axis=1, keepdims=True) for p in proba]

    def predict(self, X) -> list[list]:
        """The tags of each sentence (the Viterbi path when ``crf=True``).

        Parameters
        ----------
        X : list of list of str, or list of arrays (T_i, F)
            Sentences, as in ``fit``.

        Returns
        -------
        list of list
            One tag list per sentence, as long as it.
        """
        check_is_fitted(self, "model_")
        n_tags = len(self.classes_)
        if self.network_spec_["crf"]:
            best = [np.rint(out[:, n_tags]).astype(int) for out in self._predict_steps(X)]
        else:
            best = [np.argmax(out, axis=1) for out in self._predict_steps(X)]
        return [self.classes_[b].tolist() for b in best]

    def score(self, X, y, sample_weight=None) -> float:
        """Token accuracy of :meth:`predict` on ``X`` against ``y``.

        Tags unseen in ``fit`` are allowed in ``y`` and count as errors.

        Parameters
        ----------
        X : list of list of str, or list of arrays (T_i, F)
            Sentences.
        y : list of list
            True tags.
        sample_weight : array-like of shape (n,), optional
            Weight of each sentence (given to each of its tokens).

        Returns
        -------
        float
        """
        from seqkit.metrics import token_accuracy

        check_tagged(X, y)
        return token_accuracy(y, self.predict(X), sample_weight=sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        return tags
