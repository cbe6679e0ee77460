"""Decoding: turn a one-step model into whole output sequences.

Greedy search, beam search (length penalty, n-best) and sampling (temperature, top-k,
top-p), shared by every generating estimator: the captioner, the translator and the
text generator. They know nothing about images, Keras or vocabularies: a model is a step
function

    step(tokens, state) -> (log_probs, state)

where ``tokens`` is an int array ``(B,)`` (the previous token of each of ``B`` rows),
``state`` anything the model carries from step to step — an array, or a dict, list or
tuple of arrays — with the rows on the first axis, and ``log_probs`` a float array
``(B, V)`` of log-probabilities of the next token. Every step runs all samples (and all
beams) as one batch; the only Python loop is over time steps. Decoding starts each row
at ``start_id`` and stops a row at ``end_id`` or after ``max_length`` tokens.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from numbers import Real

import numpy as np
from sklearn.utils import check_random_state

from seqkit.inputs import is_whole_number

__all__ = ["Decoded", "greedy_search", "beam_search", "sample", "decode",
           "allowed_probabilities", "block_repeats"]

StepFunction = Callable[[np.ndarray, object], tuple[np.ndarray, object]]


@dataclass(frozen=True)
class Decoded:
    """Decoded sequences and their scores.

    Attributes
    ----------
    sequences : list of ndarray of int
        One sequence of token ids per sample, without the start token, ending with
        ``end_id`` when the end was reached within ``max_length``.
    scores : ndarray of shape (n,)
        Sum of the log-probabilities of each sequence's tokens (the model's log
        likelihood of the sequence, end token included).
    """

    sequences: list
    scores: np.ndarray


# --------------------------------------------------------------------------- state
def map_state(function, state):
    """Apply ``function`` to every array of ``state`` (an array, or a dict/list/tuple)."""
    if isinstance(state, dict):
        return {key: map_state(function, value) for key, value in state.items()}
    if isinstance(state, (list, tuple)):
        return type(state)(map_state(function, value) for value in state)
    return function(np.asarray(state))


def _n_rows(state) -> int:
    rows = []
    map_state(lambda array: rows.append(len(array)), state)
    if not rows:
        raise ValueError("state holds no arrays; its first axis must count the samples")
    if len(set(rows)) != 1:
        raise ValueError(f"state arrays have different numbers of rows {sorted(set(rows))}")
    return rows[0]


def _check(step, start_id: int, end_id: int, max_length: int) -> None:
    if not callable(step):
        raise TypeError(f"step must be callable as step(tokens, state), got {step!r}")
    if max_length < 1:
        raise ValueError(f"max_length={max_length}; it must be at least 1")
    if start_id < 0 or end_id < 0:
        raise ValueError(f"token ids must be >= 0, got start_id={start_id}, end_id={end_id}")


def _check_finite(name: str, value, positive: bool = False) -> None:
    """Raise ValueError unless ``value`` (the argument ``name``) is a finite real number,
    and > 0 if ``positive``."""
    if not (isinstance(value, Real) and np.isfinite(value) and (value > 0 or not positive)):
        raise ValueError(f"{name}={value}; it must be a finite number"
                         f"{' > 0' if positive else ''}")


def _log_probs(step, tokens, state, n_rows):
    log_probs, state = step(tokens, state)
    log_probs = np.array(log_probs, dtype=np.float64)  # a copy: beam search edits it
    if log_probs.ndim != 2 or len(log_probs) != n_rows:
        raise ValueError(f"step returned log_probs of shape {log_probs.shape}; expected "
                         f"({n_rows}, vocabulary size)")
    return log_probs, state


def _trim(tokens: np.ndarray, lengths: np.ndarray) -> list:
    return [row[:length].copy() for row, length in zip(tokens, lengths, strict=True)]


# ---------------------------------------------------------------- greedy / sampling
def block_repeats(log_probs: np.ndarray, history: np.ndarray, n: int | None,
                  end_id: int) -> None:
    """Set to -inf (in place) each row's tokens that would repeat an ``n``-gram already in
    its ``history`` ``(B, t)`` of generated tokens; ``end_id`` is never blocked."""
    if not n or history.shape[1] < max(n - 1, 1):
        return
    if n == 1:
        rows = np.repeat(np.arange(len(history)), history.shape[1])
        banned = history.ravel()
    else:
        if history.shape[1] < n:
            return
        windows = np.lib.stride_tricks.sliding_window_view(history, n, axis=1)  # (B, W, n)
        tail = history[:, history.shape[1] - (n - 1):]
        rows, where = np.nonzero((windows[:, :, :-1] == tail[:, None, :]).all(axis=-1))
        banned = windows[rows, where, -1]
    keep = banned != end_id
    log_probs[rows[keep], banned[keep]] = -np.inf


def _left_to_right(step, state, start_id, end_id, max_length, choose,
                   no_repeat_ngram_size=None) -> Decoded:
    """One token per row and step, picked by ``choose(log_probs) -> (B,) ids``."""
    _check(step, start_id, end_id, max_length)
    n = _n_rows(state)
    tokens = np.full(n, start_id, dtype=np.int64)
    output = np.zeros((n, max_length), dtype=np.int64)
    scores = np.zeros(n)
    lengths = np.full(n, max_length)
    done = np.zeros(n, dtype=bool)
    for t in range(max_length):
        log_probs, state = _log_probs(step, tokens, state, n)
        block_repeats(log_probs, output[:, :t], no_repeat_ngram_size, end_id)
        tokens = np.where(done, end_id, choose(log_probs))
        scores += np.where(done, 0.0, log_probs[np.arange(n), tokens])
        output[:, t] = tokens
        finished = ~done & (tokens == end_id)
        lengths[finished] = t + 1
        done |= finished
        if done.all():
            break
    return Decoded(_trim(output, lengths), scores)


def greedy_search(step: StepFunction, state, *, start_id: int, end_id: int,
                  max_length: int, no_repeat_ngram_size: int | None = None) -> Decoded:
    """Pick the most likely token at every step.

    Parameters
    ----------
    step : callable
        ``step(tokens (B,), state) -> (log_probs (B, V), state)``; see the module docstring.
    state : ndarray, or dict / list / tuple of ndarray
        The initial state, one row per sample.
    start_id, end_id : int
        The token every sequence starts from, and the one that ends it.
    max_length : int
        Most tokens generated per sequence (the end token included).
    no_repeat_ngram_size : int or None, default=None
        Never generate an n-gram of this size twice in one sequence (the end token
        excepted); None: no blocking.

    Returns
    -------
    Decoded
    """
    return _left_to_right(step, state, start_id, end_id, max_length,
                          lambda log_probs: np.argmax(log_probs, axis=1), no_repeat_ngram_size)


def sample(step: StepFunction, state, *, start_id: int, end_id: int, max_length: int,
           temperature: float = 1.0, top_k: int | None = None, top_p: float | None = None,
           no_repeat_ngram_size: int | None = None, random_state=None) -> Decoded:
    """Draw each token from the model's distribution, reshaped by ``temperature``,
    ``top_k`` and ``top_p``.

    Parameters
    ----------
    step, state, start_id, end_id, max_length, no_repeat_ngram_size
        As in :func:`greedy_search`.
    temperature : float, default=1.0
        Divides the log-probabilities before they are renormalised: below 1 more
        conservative, above 1 more varied; towards 0 it approaches greedy search.
    top_k : int or None, default=None
        Draw only among the ``top_k`` most likely tokens (ties at the boundary kept).
    top_p : float in (0, 1] or None, default=None
        Nucleus sampling: draw only among the most likely tokens whose probabilities
        (after ``temperature``) first reach ``top_p`` together.
    random_state : int, RandomState or None
        Seeds the draws.

    Returns
    -------
    Decoded
        Scores are the log-probabilities under the model itself (temperature 1).
    """
    _check_finite("temperature", temperature, positive=True)
    if top_k is not None and not (is_whole_number(top_k) and top_k >= 1):
        raise ValueError(f"top_k={top_k!r}; it must be an int >= 1 or None")
    if top_p is not None and not 0 < top_p <= 1:
        raise ValueError(f"top_p={top_p}; it must be in (0, 1] or None")
    rng = check_random_state(random_state)

    def draw(log_probs):
        probs = allowed_probabilities(log_probs, temperature, top_k, top_p)
        cumulative = np.cumsum(probs, axis=1)
        u = rng.uniform(size=(len(probs), 1)) * cumulative[:, -1:]
        chosen = np.minimum((cumulative < u).sum(axis=1), probs.shape[1] - 1)
        # never a token of probability 0 (u can land exactly on a flat stretch)
        stuck = probs[np.arange(len(probs)), chosen] == 0
        chosen[stuck] = np.argmax(probs[stuck], axis=1)
        return chosen

    return _left_to_right(step, state, start_id, end_id, max_length, draw,
                          no_repeat_ngram_size)


def allowed_probabilities(log_probs: np.ndarray, temperature: float = 1.0,
                          top_k: int | None = None, top_p: float | None = None) -> np.ndarray:
    """Unnormalised sampling probabilities ``(B, V)``: tempered, and 0 outside the top-k
    tokens and outside the top-p nucleus."""
    logits = log_probs / temperature
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    if top_k is not None and top_k < probs.shape[1]:
        kth = -np.partition(-probs, int(top_k) - 1, axis=1)[:, int(top_k) - 1 : int(top_k)]
        probs = np.where(probs >= kth, probs, 0.0)
    if top_p is not None and top_p < 1:
        order = np.argsort(-probs, axis=1, kind="stable")
        sorted_probs = np.take_along_axis(probs, order, axis=1)
        cumulative = np.cumsum(sorted_probs, axis=1) / sorted_probs.sum(axis=1, keepdims=True)
        # keep a token when the tokens before it do not yet reach top_p
        keep_sorted = np.concatenate([np.ones((len(probs), 1), bool),
                                      cumulative[:, :-1] < top_p], axis=1)
        keep = np.zeros_like(keep_sorted)
        np.put_along_axis(keep, order, keep_sorted, axis=1)
        probs = np.where(keep, probs, 0.0)
    return probs


# ------------------------------------------------------------------------- beam search
def beam_search(step: StepFunction, state, *, start_id: int, end_id: int, max_length: int,
                beam_width: int = 3, length_penalty: float = 0.0, n_best: int = 1,
                no_repeat_ngram_size: int | None = None) -> Decoded:
    """Keep the ``beam_width`` best partial sequences of every sample at each step.

    All samples and beams run as one batch of ``n * beam_width`` rows. A finished beam
    (one that produced ``end_id``) keeps its score and competes with the open ones until
    every beam of its sample is finished or ``max_length`` is reached.

    Parameters
    ----------
    step, state, start_id, end_id, max_length, no_repeat_ngram_size
        As in :func:`greedy_search`.
    beam_width : int, default=3
        Partial sequences kept per sample; 1 is greedy search.
    length_penalty : float, default=0.0
        Length normalisation: the final choice among a sample's beams maximises
        ``score / length ** length_penalty``. 0 compares plain log-likelihoods (which
        favours short sequences), 1 the mean log-probability per token.
    n_best : int, default=1
        Beams returned per sample, best first (at most ``beam_width``).

    Returns
    -------
    Decoded
        The best beam of each sample; ``scores`` are its (unnormalised) log-likelihoods.
        With ``n_best > 1``: ``sequences[i]`` is a list of the ``n_best`` best beams of
        sample ``i`` and ``scores`` has shape ``(n, n_best)``.
    """
    _check(step, start_id, end_id, max_length)
    _check_finite("length_penalty", length_penalty)
    if beam_width < 1:
        raise ValueError(f"beam_width={beam_width}; it must be at least 1")
    if not 1 <= n_best <= beam_width:
        raise ValueError(f"n_best={n_best}; it must be from 1 to beam_width={beam_width}")
    n, k = _n_rows(state), beam_width
    # Every sample starts with one live beam; the other k - 1 copies start at -inf so
    # that the first step does not pick the same token k times.
    state = map_state(lambda array: np.repeat(array, k, axis=0), state)
    scores = np.tile(np.r_[0.0, np.full(k - 1, -np.inf)], n)
    tokens = np.full(n * k, start_id, dtype=np.int64)
    history = np.zeros((n * k, 0), dtype=np.int64)
    lengths = np.zeros(n * k, dtype=np.int64)
    done = np.zeros(n * k, dtype=bool)
    for _ in range(max_length):
        log_probs, state = _log_probs(step, tokens, state, n * k)
        block_repeats(log_probs, history, no_repeat_ngram_size, end_id)
        vocabulary = log_probs.shape[1]
        # A finished beam continues only with end_id at no cost, so it keeps its score.
        log_probs[done] = -np.inf
        log_probs[done, end_id] = 0.0
        total = (scores[:, None] + log_probs).reshape(n, k * vocabulary)
        best = np.argsort(-total, axis=1, kind="stable")[:, :k]
        parents = (best // vocabulary + np.arange(n)[:, None] * k).ravel()
        tokens = (best % vocabulary).ravel()
        scores = np.take_along_axis(total, best, axis=1).ravel()
        was_done = done[parents]
        lengths = lengths[parents] + ~was_done
        done = was_done | (tokens == end_id)
        history = np.concatenate([history[parents], tokens[:, None]], axis=1)
        state = map_state(lambda array, rows=parents: array[rows], state)
        if done.all():
            break
    normalised = np.where(np.isfinite(scores), scores / np.maximum(lengths, 1) ** length_penalty,
                          -np.inf).reshape(n, k)
    if n_best == 1:
        chosen = np.argmax(normalised, axis=1) + np.arange(n) * k
        return Decoded(_trim(history[chosen], lengths[chosen]), scores[chosen])
    ranked = np.argsort(-normalised, axis=1, kind="stable")[:, :n_best] + np.arange(n)[:, None] * k
    sequences = [_trim(history[rows], lengths[rows]) for rows in ranked]
    return Decoded(sequences, scores[ranked])


# ------------------------------------------------------------------------ dispatcher
STRATEGIES = ("greedy", "beam", "sample")


def decode(step: StepFunction, state, *, start_id: int, end_id: int, max_length: int,
           strategy: str = "beam", beam_width: int = 3, length_penalty: float = 0.0,
           n_best: int = 1, temperature: float = 1.0, top_k: int | None = None,
           top_p: float | None = None, no_repeat_ngram_size: int | None = None,
           random_state=None) -> Decoded:
    """Run :func:`greedy_search`, :func:`beam_search` or :func:`sample` by name.

    Parameters
    ----------
    strategy : {"greedy", "beam", "sample"}, default="beam"
        Which search; the other parameters are those of the chosen function (the ones
        that do not apply are ignored).

    Returns
    -------
    Decoded
    """
    common = dict(start_id=start_id, end_id=end_id, max_length=max_length,
                  no_repeat_ngram_size=no_repeat_ngram_size)
    if strategy == "beam":
        return beam_search(step, state, beam_width=beam_width,
                           length_penalty=length_penalty, n_best=n_best, **common)
    if n_best != 1 and strategy in STRATEGIES:
        raise ValueError(f"n_best={n_best} needs strategy='beam', not {strategy!r}")
    if strategy == "greedy":
        return greedy_search(step, state, **common)
    if strategy == "sample":
        return sample(step, state, temperature=temperature, top_k=top_k, top_p=top_p,
                      random_state=random_state, **common)
    raise ValueError(f"strategy={strategy!r}; expected one of {list(STRATEGIES)}")
