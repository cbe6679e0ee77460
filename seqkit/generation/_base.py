"""What the generating estimators share on the scikit-learn side: teacher-forcing loss,
the compiled condition and step models, batched decoding and attention maps."""

from __future__ import annotations

import numpy as np
from sklearn.utils import check_random_state

from seqkit.base import PREDICT_BATCH_SIZE, BaseSequenceEstimator


class GeneratingEstimator(BaseSequenceEstimator):
    """Base of the estimators whose decoder is :mod:`seqkit.generation.decoder`.

    A subclass sets ``_vocab`` (a :class:`seqkit.generation.vocabulary.Vocabulary`)
    in ``fit``.
    """

    _multi_output = False
    _condition_inputs: tuple = ()
    _reads_text = False  # X holds texts (translator, text generator)
    bidirectional = False  # the decoder writes left to right (a translator's encoder may not)
    _output_prior = None  # set during fit: the output bias a new network starts from

    def _load_initial_weights(self) -> None:
        super()._load_initial_weights()
        if self._output_prior is not None:
            self.model_.get_layer("words").bias.assign(self._output_prior)

    def _encode_targets(self, y):
        return y

    @property
    def _loss(self):
        from seqkit.crf import MaskedTagLoss

        return MaskedTagLoss(name="token_crossentropy")

    def _make_predictor(self):
        from seqkit._backend import compiled_predictor
        from seqkit.generation.decoder import inference_models

        recurrent = self.network_spec_["recurrent"]
        condition = ({name: self.model_.input[name] for name in self._condition_inputs}
                     if self._condition_inputs else None)
        encoder, step, attention = inference_models(
            self.model_, recurrent["cell"], recurrent["num_layers"], condition)
        return tuple(None if model is None else compiled_predictor(model)
                     for model in (encoder, step, attention))

    def _step_function(self):
        """The compiled step model as ``step(tokens, state) -> (log_probs, state)``;
        padding, unknown and start are never generated."""
        step = self._predictor[1]
        banned = self._vocab.never_generated()

        def step_function(tokens, state):
            outputs = step({**state, "token": tokens.astype(np.int32)})
            log_probs = outputs.pop("log_probs")
            log_probs[:, banned] = -np.inf
            return log_probs, {**state, **outputs}

        return step_function

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        if self._reads_text:
            tags.input_tags.three_d_array = False
            tags.input_tags.string = True
        return tags

    def _decoded_texts(self, sequences: list) -> list:
        """Texts of decoded id sequences (a list of texts per input for ``n_best``)."""
        return [self._vocab.decode(ids) if isinstance(ids, np.ndarray)
                else [self._vocab.decode(one) for one in ids] for ids in sequences]


class ConditionedGenerator(GeneratingEstimator):
    """Base of the estimators that write one output per input (captioner, translator).

    A subclass names the model inputs its condition is computed from
    (``_condition_inputs``), turns ``X`` into them (``_inputs``) and sets
    ``max_length_`` in ``fit``.
    """

    def _inputs(self, X) -> dict:
        """The checked ``X`` as the condition's model inputs (hook)."""
        raise NotImplementedError

    # -------------------------------------------------------------------- decoding
    def predict(self, X) -> list[str]:
        """The output text of each input, by beam search (``beam_width``,
        ``length_penalty``).

        Parameters
        ----------
        X : inputs, as in ``fit``

        Returns
        -------
        list of str
            Words separated by single spaces (characters joined for ``level="char"``).
        """
        sequences, _ = self._generate_ids(self._inputs(X), **self._decode_options())
        return self._decoded_texts(sequences)

    def generate(self, X, *, strategy: str = "beam", beam_width: int | None = None,
                 n_best: int = 1, length_penalty: float | None = None,
                 max_length: int | None = None, temperature: float = 1.0,
                 top_k: int | None = None, top_p: float | None = None,
                 no_repeat_ngram_size: int | None = None,
                 random_state=None) -> tuple[list, np.ndarray]:
        """Output texts with their log-probabilities, by any decoding strategy.

        Parameters
        ----------
        X : inputs, as in ``fit``
        strategy : {"beam", "greedy", "sample"}, default="beam"
            See :mod:`seqkit.decoding`.
        beam_width, length_penalty : optional
            Override the estimator's parameters for a beam search.
        n_best : int, default=1
            Outputs per input from the beam search, best first.
        max_length : int, optional
            Override ``max_length_``.
        temperature, top_k, top_p : optional
            For ``strategy="sample"`` (see :func:`seqkit.decoding.sample`).
        no_repeat_ngram_size : int, optional
            Never repeat an n-gram of this size within one output.
        random_state : int, RandomState or None
            Seeds sampling.

        Returns
        -------
        texts : list of str (list of list of str for ``n_best > 1``)
        log_probabilities : ndarray of shape (n,) or (n, n_best)
            Sum of the log-probabilities of each output's tokens and end token.
        """
        options = self._decode_options(strategy, beam_width, length_penalty, n_best,
                                       temperature, top_k, top_p, random_state,
                                       no_repeat_ngram_size)
        sequences, scores = self._generate_ids(self._inputs(X), max_length, **options)
        return self._decoded_texts(sequences), scores

    def _generate_ids(self, inputs: dict, max_length: int | None = None,
                      **options) -> tuple[list, np.ndarray]:
        """Decode every row of ``inputs`` (the condition's model inputs), in batches, up
        to ``max_length`` tokens (default ``max_length_``)."""
        from seqkit.decoding import decode

        encoder = self._predictor[0]
        step = self._step_function()
        n = len(next(iter(inputs.values())))
        sequences, scores = [], []
        for start in range(0, n, PREDICT_BATCH_SIZE):
            batch = {name: value[start : start + PREDICT_BATCH_SIZE]
                     for name, value in inputs.items()}
            result = decode(step, encoder(batch), start_id=self._vocab.start_id,
                            end_id=self._vocab.end_id,
                            max_length=max_length or self.max_length_, **options)
            sequences.extend(result.sequences)
            scores.append(result.scores)
        return sequences, np.concatenate(scores)

    def _decode_options(self, strategy="beam", beam_width=None, length_penalty=None,
                        n_best=1, temperature=1.0, top_k=None, top_p=None,
                        random_state=None, no_repeat_ngram_size=None) -> dict:
        """Options of :func:`seqkit.decoding.decode`; beam settings default to the
        estimator's parameters."""
        return dict(strategy=strategy, temperature=temperature, top_k=top_k, top_p=top_p,
                    random_state=check_random_state(random_state), n_best=n_best,
                    no_repeat_ngram_size=no_repeat_ngram_size,
                    beam_width=self.beam_width if beam_width is None else beam_width,
                    length_penalty=(self.length_penalty if length_penalty is None
                                    else length_penalty))

    def _attention_maps(self, inputs: dict, sequences: list) -> list[np.ndarray]:
        """For each decoded sequence, the ``(n_tokens, L)`` attention weights each of its
        tokens (end token excluded) was written with."""
        attention = self._predictor[2]
        if attention is None:
            raise ValueError(f"this {type(self).__name__} has no attention")
        vocab = self._vocab
        tokens = [[t for t in ids if t != vocab.end_id] for ids in sequences]
        # Teacher forcing on the generated tokens gives the weights each was read with.
        ids = np.zeros((len(tokens), 1 + max(map(len, tokens))), dtype=np.int32)
        ids[:, 0] = vocab.start_id
        for row, row_tokens in enumerate(tokens):
            ids[row, 1 : 1 + len(row_tokens)] = row_tokens
        weights = np.concatenate([
            attention({**{name: value[start : start + PREDICT_BATCH_SIZE]
                          for name, value in inputs.items()},
                       "ids": ids[start : start + PREDICT_BATCH_SIZE]})
            for start in range(0, len(ids), PREDICT_BATCH_SIZE)])
        return [w[: len(row_tokens)] for w, row_tokens in zip(weights, tokens, strict=True)]
