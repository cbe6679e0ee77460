"""ImageCaptioner: one-to-many generation of captions from images, with attention."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from seqkit.generation._base import ConditionedGenerator
from seqkit.generation._images import (
    CaptionSamples,
    check_captions,
    check_images,
    training_pairs,
)
from seqkit.generation.vocabulary import Vocabulary
from seqkit.params import RECURRENT, TRAINING, Param, declare_parameters, flag
from seqkit.tagger import PaddedTags

_INTEGERS = Interval(Integral, 1, None, closed="left")

CAPTIONING = {
    "encoder": Param("auto", "no_validation", '"auto", "cnn", keras.Model or None',
                     "How images become the L locations the decoder attends to. \"cnn\": "
                     "a small CNN trained end to end with the decoder (no weights are "
                     "downloaded); a keras.Model (functional or Sequential) mapping one "
                     "image to (D,), (L, D) or (h, w, D) features, e.g. a "
                     "keras.applications network built with weights from a local file "
                     "(it is copied, never changed); None: X already holds features "
                     "(n, D) or (n, L, D). \"auto\": the CNN for images (n, H, W, C), "
                     "None for features."),
    "fine_tune_encoder": flag(False,
                              "Train the weights of a user encoder with the decoder "
                              "(False: frozen). The CNN is always trained."),
    "cnn_filters": Param((32, 64, 64), ["array-like"], "tuple of int",
                         "Filters of each 3 x 3 convolution of the CNN; each is followed "
                         "by 2 x 2 max pooling, so a 32 x 32 image gives a 4 x 4 grid of "
                         "locations with three convolutions."),
    "attention": flag(True,
                      "Soft attention over the locations (Show, Attend and Tell) at every "
                      "word; ignored when the encoder gives one vector per image. "
                      "False: the decoder sees only the image vector."),
    "embedding_dim": Param(64, [_INTEGERS], "int", "Size of the word embeddings."),
    "lowercase": flag(True, "Lowercase captions before learning and scoring them."),
    "min_count": Param(1, [_INTEGERS], "int",
                       "Keep only words found in at least this many training captions; "
                       "rarer ones become the unknown word, which is never generated."),
    "max_length": Param(None, [_INTEGERS, None], "int or None",
                        "Most words generated per caption; None: 2 more than the longest "
                        "training caption."),
    "beam_width": Param(3, [_INTEGERS], "int",
                        "Captions kept per image by the beam search of ``predict`` "
                        "(1: greedy search)."),
    "length_penalty": Param(0.5, [Interval(Real, 0, None, closed="left")], "float",
                            "Length normalisation of the beam search: the best beam "
                            "maximises log-likelihood / length ** length_penalty."),
    "scale_inputs": Param("auto", ["boolean", StrOptions({"auto"})], 'bool or "auto"',
                          "Standardise each image channel (or feature) with the mean and "
                          "spread seen in fit. \"auto\": yes, except for a user encoder "
                          "(which usually expects its own preprocessing). uint8 pixels are "
                          "always divided by 255 first."),
}

PARAMETERS = {
    **CAPTIONING,
    **{name: param for name, param in RECURRENT.items() if name != "bidirectional"},
    "units": RECURRENT["units"]._replace(default=128),
    **TRAINING,
    "learning_rate": TRAINING["learning_rate"]._replace(default=2e-3),
    "epochs": TRAINING["epochs"]._replace(default=60),
}


class CaptionTargets(PaddedTags):
    """Next-word ids of each (image, caption) pair, padded with -1, and the pair's image."""

    def __init__(self, tags: list[np.ndarray], image_index: np.ndarray):
        super().__init__(tags)
        self.image_index = np.asarray(image_index)

    def __getitem__(self, indices) -> CaptionTargets:
        indices = np.asarray(indices)
        return CaptionTargets([self.tags[i] for i in indices], self.image_index[indices])


@declare_parameters(PARAMETERS)
class ImageCaptioner(ConditionedGenerator):
    """Recurrent network that writes a caption for each image (one-to-many).

    ``X`` holds images ``(n, H, W, C)`` (uint8 or float) or precomputed features
    ``(n, D)`` / ``(n, L, D)``; ``y`` one caption per image, or a list of reference
    captions per image (every reference is a training sample). An encoder turns each
    image into ``L`` locations; a recurrent decoder starts from the image vector and,
    at every word, attends over the locations (additive soft attention) to predict the
    next word. It is trained by teacher forcing (caption[:-1] -> caption[1:]) and
    generates by beam search (:mod:`seqkit.decoding`) with a compiled one-step model.

    Parameters
    ----------
    {parameters}

    Attributes
    ----------
    vocabulary_ : dict of str to int
        Word to id (0 pads, 1 is the unknown word, then ``"<start>"`` and ``"<end>"``).
    input_shape_ : tuple
        Shape of one image (or its features) seen in ``fit``.
    grid_shape_ : tuple or None
        ``(h, w)`` of the encoder's spatial grid (None: locations without geometry).
    max_length_ : int
        Most words generated per caption.
    model_ : keras.Model
        The network trained by teacher forcing.
    n_iter_ : int
        Epochs trained.
    history_ : dict of list of float
        Training (and validation) loss of each epoch.

    Notes
    -----
    ``score`` is corpus BLEU-4 (:func:`seqkit.metrics.corpus_bleu`) of the predicted
    captions against all references of each image. Early stopping holds out whole
    images, so no caption of a validation image is trained on.

    Examples
    --------
    >>> from seqkit.captioning import ImageCaptioner
    >>> from seqkit.datasets import make_shapes_captions
    >>> X, y = make_shapes_captions(40, random_state=0)
    >>> captioner = ImageCaptioner(units=16, epochs=2, random_state=0).fit(X, y)
    >>> len(captioner.predict(X[:3]))
    3
    """

    _condition_inputs = ("images",)

    # ----------------------------------------------------------------------- fit
    def fit(self, X, y, sample_weight=None):
        """Train the captioner.

        Parameters
        ----------
        X : array-like of shape (n, H, W, C), (n, D) or (n, L, D)
            Images or precomputed features.
        y : list of str, or list of list of str
            A caption, or several reference captions, per image.
        sample_weight : array-like of shape (n,), optional
            Weight of each image (given to each of its captions).

        Returns
        -------
        self
        """
        self._validate_params()
        continuing = self.warm_start and hasattr(self, "model_")
        images = check_images(X, expected_shape=self.input_shape_ if continuing else None)
        references = check_captions(y, len(images))
        if not continuing:
            self._set_input(images)
            self._vocab = Vocabulary(
                [c for captions in references for c in captions],
                lowercase=self.lowercase, min_count=self.min_count)
            self.vocabulary_ = self._vocab.word_to_id
            self.n_token_ids_ = self._vocab.size
        samples, targets, image_index = training_pairs(images, references, self._vocab)
        self.max_length_ = self.max_length or int(max(len(t) for t in targets) + 1)
        weights = None
        if sample_weight is not None:
            from seqkit.inputs import check_sample_weight

            weights = check_sample_weight(sample_weight, len(images))[image_index]
        return super().fit(samples, CaptionTargets(targets, image_index), weights)

    def _set_input(self, images: np.ndarray) -> None:
        encoder = self.encoder
        if isinstance(encoder, str) and encoder not in ("auto", "cnn"):
            raise ValueError(f"encoder={encoder!r}; expected 'auto', 'cnn', a keras.Model "
                             "or None")
        if encoder == "auto":
            encoder = "cnn" if images.ndim == 4 else None
        if encoder == "cnn" and images.ndim != 4:
            raise ValueError(f"encoder='cnn' needs images (n, H, W, C); X has shape "
                             f"{images.shape} (for features use encoder=None)")
        if encoder is None and images.ndim == 4:
            raise ValueError(f"encoder=None needs features (n, D) or (n, L, D); X has "
                             f"shape {images.shape} (for images use encoder='cnn')")
        if encoder is None:
            self.encoder_kind_ = "none"
        elif isinstance(encoder, str):
            self.encoder_kind_ = "cnn"
        else:
            _check_user_encoder(encoder, images.shape[1:])
            self.encoder_kind_ = "user"
        self.input_shape_ = tuple(images.shape[1:])
        self.n_step_features_ = self.n_features_in_ = int(images.shape[-1])
        if images.ndim == 4 and self.input_shape_[-1] not in (1, 3, 4) \
                and self.encoder_kind_ == "cnn":
            raise ValueError(f"X has {self.input_shape_[-1]} channels per pixel; images "
                             "need 1 (grey), 3 (RGB) or 4 (RGBA)")

    def _to_sequences(self, X, reset: bool):
        return X  # fit hands the base ready (image, caption) pairs

    def _validation_split(self, targets: CaptionTargets, rng):
        """Hold out whole images (all their captions), chosen as the base chooses samples."""
        n_images = int(targets.image_index.max()) + 1
        train, valid = super()._validation_split(np.zeros(n_images), rng)
        if valid is None:
            return train, None
        held_out = np.isin(targets.image_index, valid)
        return np.flatnonzero(~held_out), np.flatnonzero(held_out)

    # ------------------------------------------------------------------ scaling
    def _scaling_on(self) -> bool:
        if self.scale_inputs == "auto":
            return self.encoder_kind_ != "user"
        return bool(self.scale_inputs)

    def _input_scaling(self, sequences: CaptionSamples):
        if not self._scaling_on():
            return None
        values = sequences.images.reshape(-1, sequences.images.shape[-1])
        mean = values.mean(axis=0, dtype=np.float64)
        scale = values.std(axis=0, dtype=np.float64)
        scale[~(scale > 1e-12)] = 1.0
        return mean.astype(np.float32), scale.astype(np.float32)

    def _scale_images(self, images: np.ndarray) -> np.ndarray:
        if self.input_scaling_ is None:
            return images
        mean, scale = self.input_scaling_
        return (images - mean) / scale

    def _scaled(self, sequences: CaptionSamples) -> CaptionSamples:
        return sequences.with_images(self._scale_images(sequences.images))

    # ------------------------------------------------------------------ network
    def _network_spec(self) -> dict:
        filters = tuple(int(f) for f in np.atleast_1d(self.cnn_filters))
        if not filters or min(filters) < 1:
            raise ValueError(f"cnn_filters={self.cnn_filters!r}; expected positive ints")
        return dict(input_shape=self.input_shape_, encoder=self.encoder_kind_,
                    cnn_filters=filters, attention=bool(self.attention),
                    n_token_ids=self.n_token_ids_, embedding_dim=self.embedding_dim)

    def _build_network(self, spec: dict):
        from seqkit.generation.networks import caption_network

        user = self._copy_user_encoder() if spec["encoder"] == "user" else None
        model = caption_network(**spec, user_encoder=user)
        grid = model.get_layer("memory").input
        self.grid_shape_ = tuple(grid.shape[1:3]) if len(grid.shape) == 4 else None
        return model

    def _copy_user_encoder(self):
        import keras

        copy = keras.models.clone_model(self.encoder)
        copy.set_weights(self.encoder.get_weights())
        copy.trainable = bool(self.fine_tune_encoder)
        return copy

    # ------------------------------------------------------------------ predict
    def _inputs(self, X) -> dict:
        check_is_fitted(self, "model_")
        return {"images": self._scale_images(check_images(X,
                                                          expected_shape=self.input_shape_))}

    def predict_attention(self, X) -> tuple[list[str], list[np.ndarray]]:
        """The predicted captions and, for each word, where the decoder looked.

        Parameters
        ----------
        X : array-like
            Images or features, shaped as in ``fit``.

        Returns
        -------
        captions : list of str
            As :meth:`predict` gives them.
        maps : list of ndarray
            For each caption ``(n_words, h, w)`` attention weights over the encoder's
            grid (``(n_words, L)`` for features without geometry); each map sums to 1.
            Draw them with :func:`seqkit.plotting.plot_attention`.
        """
        inputs = self._inputs(X)
        if self._predictor[2] is None:
            raise ValueError("this captioner has no attention: attention=False, or the "
                             "encoder gives one vector per image")
        sequences, _ = self._generate_ids(inputs, **self._decode_options())
        maps = self._attention_maps(inputs, sequences)
        maps = [m.reshape(m.shape[:1] + (self.grid_shape_ or m.shape[-1:])) for m in maps]
        return self._decoded_texts(sequences), maps

    def score(self, X, y) -> float:
        """Corpus BLEU-4 of :meth:`predict` against all references of each image.

        Parameters
        ----------
        X : array-like
            Images or features.
        y : list of str, or list of list of str
            The reference caption(s) of each image.

        Returns
        -------
        float
            In [0, 1] (sacrebleu reports 100 times this).
        """
        from seqkit.metrics import corpus_bleu

        references = check_captions(y, len(check_images(X)))
        return corpus_bleu(self.predict(X), references, lowercase=self.lowercase)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = True
        tags.target_tags.required = True
        return tags


def _check_user_encoder(encoder, sample_shape: tuple) -> None:
    import keras

    if not isinstance(encoder, keras.Model):
        raise TypeError(f"encoder is {type(encoder).__name__}; expected 'auto', 'cnn', a "
                        "keras.Model or None")
    expected = tuple(encoder.input_shape[1:]) if hasattr(encoder, "input_shape") else None
    if expected is not None and any(
            e is not None and e != s for e, s in zip(expected, sample_shape, strict=False)) \
            or (expected is not None and len(expected) != len(sample_shape)):
        raise ValueError(f"the encoder expects inputs of shape {expected}, but X holds "
                         f"samples of shape {sample_shape}")
