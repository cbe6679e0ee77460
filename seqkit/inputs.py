"""Inputs: validate what a user holds and turn it into padded, length-bucketed batches.

Accepted sequence inputs (see :func:`to_sequences`):

* a 3-D array ``(n, T, F)``: ``n`` sequences of ``T`` steps with ``F`` features;
* a 2-D table ``(n, T)`` (array or DataFrame): ``n`` univariate sequences of ``T`` steps.
  A table keeps scikit-learn's meaning: ``n_features_in_`` is ``T`` and later tables must
  have the same columns;
* a list of arrays ``(T_i, F)`` or ``(T_i,)`` of different lengths, padded and masked;
* with token input (``embedding_dim`` set): a list of integer id sequences, where id 0
  is padding and never a real token (:class:`seqkit.text.Tokenizer` starts at 1).

Every check names the argument and the offending sample, step or value.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from numbers import Integral, Real

import numpy as np

PADDING_ID = 0
LARGEST_TOKEN_ID = 2**31 - 1  # ids are int32 inside the network
LARGE_EMBEDDING_BYTES = 2**30  # above this an embedding must use its rows ...
SPARSE_IDS = 100  # ... at least one in this many (_check_dense_ids)
KEY_BLOCK = 4096  # rows per block of Sequences.content_keys


@dataclass(frozen=True)
class Sequences:
    """Validated sequences, ready to be cut into padded batches.

    Attributes
    ----------
    items : ndarray or list of ndarray
        One ``(n, T, F)`` float32 array when all sequences share a length, otherwise a
        list of ``(T_i, F)`` float32 arrays; token sequences are ``(T_i,)`` int32 arrays.
    lengths : ndarray of shape (n,)
        Number of real steps of each sequence.
    is_tokens : bool
        Whether the steps are integer token ids.
    """

    items: np.ndarray | list
    lengths: np.ndarray
    is_tokens: bool = False

    def __len__(self) -> int:
        return len(self.lengths)

    @property
    def is_dense(self) -> bool:
        """Whether all sequences share one length and are held as one array."""
        return isinstance(self.items, np.ndarray)

    @property
    def n_features(self) -> int:
        """Features per step (1 for token ids)."""
        if self.is_tokens:
            return 1
        first = self.items[0]
        return int(first.shape[-1])

    def subset(self, indices: np.ndarray) -> Sequences:
        """The sequences at ``indices``, in that order."""
        if isinstance(self.items, np.ndarray):
            items = self.items[indices]
        else:
            items = [self.items[i] for i in indices]
        return Sequences(items, self.lengths[indices], self.is_tokens)

    def content_keys(self) -> np.ndarray:
        """One number per sequence that depends only on its values (a fixed projection).

        Sorting by it makes prediction batches independent of the input order, so a
        sequence gets bit-for-bit the same prediction however the samples are shuffled.
        """
        if isinstance(self.items, np.ndarray):
            flat = self.items.reshape(len(self.items), -1)
            projection = _projection(flat.shape[1])
            # In blocks of rows: a float64 copy of the whole array would double its memory.
            return np.concatenate([
                flat[start : start + KEY_BLOCK].astype(np.float64) @ projection
                for start in range(0, len(flat), KEY_BLOCK)])
        return np.array([item.ravel().astype(np.float64) @ _projection(item.size)
                         for item in self.items])

    def model_inputs(self, indices: np.ndarray) -> dict:
        """Pad the sequences at ``indices`` to their longest and build the network inputs.

        Returns ``{"ids": (b, T) int32}`` for tokens (0 pads) and
        ``{"values": (b, T, F) float32, "mask": (b, T) bool}`` otherwise.
        """
        lengths = self.lengths[indices]
        width = int(lengths.max())
        if isinstance(self.items, np.ndarray):
            values = self.items[indices, :width]
        else:
            shape = (len(indices), width) + self.items[indices[0]].shape[1:]
            values = np.zeros(shape, dtype=self.items[indices[0]].dtype)
            for row, i in enumerate(indices):
                values[row, : self.lengths[i]] = self.items[i]
        if self.is_tokens:
            return {"ids": values}
        mask = np.arange(width)[None, :] < lengths[:, None]
        return {"values": values, "mask": mask}


def handles_padding(input_names) -> bool:
    """Whether a network with these inputs ignores padded steps, so that sequences of
    different lengths may share a batch.

    True when it takes a ``mask`` input, or token ``ids`` from which it computes its
    mask (0 pads). A network of ``values`` alone must only see batches of one length.
    """
    return "mask" in input_names or "ids" in input_names


def fixed_width(lengths: np.ndarray) -> np.ndarray:
    """The padded width of a batch holding sequences of ``lengths``, for fixed-shape
    prediction: the length itself up to 16 steps, beyond it rounded up to a multiple of
    a sixteenth of the next power of two (17-32: 2 steps, 33-64: 4, 65-128: 8, ...): at
    most an eighth of the length as padding, and 8 widths per doubling of the length.

    It depends on a sequence's own length only; batches that never mix widths then give
    every sequence the same padded shape whatever else is predicted with it.
    """
    lengths = np.asarray(lengths)
    octave = np.ceil(np.log2(np.maximum(lengths, 1))).astype(np.int64)
    step = 2 ** np.maximum(octave - 4, 0)
    return -(-lengths // step) * step


def fixed_shape(inputs: dict, width: int, min_rows: int) -> dict:
    """Network inputs padded to ``width`` steps (zeros, a False mask) and to at least
    ``min_rows`` rows (copies of the first row, whose outputs are to be dropped)."""
    shaped = {}
    for name, array in inputs.items():
        pad = [(0, 0), (0, width - array.shape[1])] + [(0, 0)] * (array.ndim - 2)
        array = np.pad(array, pad)
        if len(array) < min_rows:
            array = np.concatenate([array, np.repeat(array[:1], min_rows - len(array), 0)])
        shaped[name] = array
    return shaped


def describe_value(value) -> str:
    """``value`` in an error message: None, or its type and a short repr (``int 0``)."""
    if value is None:
        return "None"
    text = repr(value)
    return f"{type(value).__name__} {text[:40]}{'...' if len(text) > 40 else ''}"


def is_whole_number(value) -> bool:
    """Whether ``value`` is an int or a float of integer value (not a bool, not NaN)."""
    return not isinstance(value, (bool, np.bool_)) and (
        isinstance(value, Integral)
        or (isinstance(value, Real) and float(value).is_integer()))


@lru_cache(maxsize=512)
def _projection(size: int) -> np.ndarray:
    """The fixed random projection of :meth:`Sequences.content_keys` (cached: read-only)."""
    projection = np.random.default_rng(size).standard_normal(size)
    projection.flags.writeable = False
    return projection


def bucket_batches(
    lengths: np.ndarray, batch_size: int, rng: np.random.Generator | None = None,
    bucketing: bool = True, tiebreak: np.ndarray | None = None, exact: bool = False,
) -> list[np.ndarray]:
    """Split sample indices into batches, grouping sequences of similar length.

    Parameters
    ----------
    lengths : ndarray of shape (n,)
        Sequence lengths.
    batch_size : int
        Largest batch.
    rng : numpy Generator, optional
        Training order: lengths are jittered by up to 10 % before sorting, so batches
        change from epoch to epoch, and the batch order is shuffled. ``None`` gives a
        fixed order sorted by length (prediction).
    bucketing : bool, default=True
        ``False`` ignores lengths: plain shuffled batches (or input order at predict).
    tiebreak : ndarray of shape (n,), optional
        Second sort key at prediction, e.g. :meth:`Sequences.content_keys`.
    exact : bool, default=False
        Put only sequences of exactly the same length in a batch (for networks without
        a mask input, which must never see padding). Overrides ``bucketing``.

    Returns
    -------
    list of ndarray
        Index arrays, one per batch.
    """
    n = len(lengths)
    if exact:
        return _same_length_batches(lengths, batch_size, rng, tiebreak)
    if not bucketing:
        order = rng.permutation(n) if rng is not None else np.arange(n)
    elif rng is None:
        keys = (lengths,) if tiebreak is None else (tiebreak, lengths)
        order = np.lexsort(keys)
    else:
        order = np.argsort(lengths * rng.uniform(0.9, 1.1, size=n), kind="stable")
    batches = [order[start : start + batch_size] for start in range(0, n, batch_size)]
    if rng is not None and bucketing:
        batches = [batches[i] for i in rng.permutation(len(batches))]
    return batches


def _same_length_batches(lengths, batch_size, rng, tiebreak) -> list[np.ndarray]:
    """Batches of one length each: shuffled with ``rng``, else sorted by ``tiebreak``."""
    n = len(lengths)
    if rng is not None:
        within = rng.permutation(n)
    else:
        within = np.zeros(n) if tiebreak is None else tiebreak
    order = np.lexsort((within, lengths))
    batches = []
    for group in np.split(order, np.flatnonzero(np.diff(lengths[order])) + 1):
        batches += [group[start : start + batch_size] for start in range(0, len(group), batch_size)]
    if rng is not None:
        batches = [batches[i] for i in rng.permutation(len(batches))]
    return batches


def to_sequences(estimator, X, *, tokens: bool, reset: bool,
                 n_token_ids: int | None = None) -> Sequences:
    """Validate ``X`` and convert it to :class:`Sequences`.

    In ``fit`` (``reset=True``) this records on ``estimator`` what later inputs must
    match: ``input_kind_`` ("table", "sequences" or "tokens"), ``n_features_in_``
    (columns of a table, features per step otherwise), ``n_step_features_``, and
    ``n_token_ids_`` for tokens. In ``predict`` it checks them.

    Parameters
    ----------
    estimator : BaseEstimator
        The estimator that fits or predicts.
    X : array-like or list of array-like
        See the module docstring.
    tokens : bool
        Whether ``X`` holds integer token ids.
    reset : bool
        True in ``fit``, False in ``predict``.
    n_token_ids : int, optional
        For tokens in ``fit``: the number of ids the network will know, fixed by
        its embedding weights; ``fit`` then checks the ids against it instead of
        learning it from ``X``.

    Returns
    -------
    Sequences
    """
    if X is None or np.isscalar(X) or isinstance(X, np.ndarray) and X.ndim == 0:
        raise TypeError(f"X is {describe_value(X)}; expected sequences (an array or a list of "
                        "arrays)")
    if tokens:
        sequences = _token_sequences(X)
        _check_token_range(estimator, sequences, reset, n_token_ids)
        kind = "tokens"
    elif _is_table(X):
        fitted_on_table = not reset and estimator.input_kind_ == "table"
        sequences = _table_sequences(estimator, X, validate=reset or fitted_on_table, reset=reset)
        kind = "table"
    else:
        sequences = _float_sequences(X)
        kind = "sequences"
    if reset and not tokens and _holds_id_lists(X):
        warnings.warn(
            f"X holds lists of non-negative integers, as a Tokenizer writes, but "
            f"{type(estimator).__name__} has no embedding_dim, so it reads them as "
            f"numeric values of one feature; for token ids set embedding_dim (e.g. "
            f"embedding_dim=128), for values pass floats to silence this warning",
            UserWarning, stacklevel=4)
    if reset:
        estimator.input_kind_ = kind
        estimator.n_step_features_ = sequences.n_features
        if kind != "table":
            estimator.n_features_in_ = sequences.n_features
            if hasattr(estimator, "feature_names_in_"):
                del estimator.feature_names_in_
    elif sequences.n_features != estimator.n_step_features_:
        one_sequence = (kind == "table" and np.ndim(X) == 2
                        and np.shape(X)[1] == estimator.n_step_features_)
        raise ValueError(
            f"X has {sequences.n_features} features per step, but "
            f"{type(estimator).__name__} was fitted with {estimator.n_step_features_}"
            + (f"; a 2-D array is read as {np.shape(X)[0]} sequences of one feature: for one "
               "sequence of shape (T, F), pass X[None] or [X]" if one_sequence else "")
        )
    return sequences


def check_sample_weight(sample_weight, n_samples: int) -> np.ndarray:
    """Return ``sample_weight`` as a float32 array of length ``n_samples`` (ones if None)."""
    if sample_weight is None:
        return np.ones(n_samples, dtype=np.float32)
    try:
        weights = np.asarray(sample_weight, dtype=np.float64)
    except (TypeError, ValueError) as error:  # e.g. strings
        raise ValueError(f"sample_weight must hold numbers: {error}") from None
    if weights.ndim == 0:
        weights = np.full(n_samples, float(weights))
    if weights.shape != (n_samples,):
        raise ValueError(
            f"sample_weight has shape {weights.shape}; expected ({n_samples},), one per sample"
        )
    bad = np.flatnonzero(~np.isfinite(weights) | (weights < 0))
    if bad.size:
        raise ValueError(
            f"sample_weight[{bad[0]}] is {weights[bad[0]]}; weights must be finite and >= 0"
        )
    if not weights.sum() > 0:
        raise ValueError("sample_weight is zero for every sample; at least one must be positive")
    return weights.astype(np.float32)


def check_same_length(X_len: int, y, name: str = "y") -> None:
    """Raise if ``y`` does not have one entry per sequence."""
    if y is None:
        raise ValueError(
            "This estimator requires y to be passed, but the target y is None."
        )
    n_y = len(y) if hasattr(y, "__len__") else len(np.asarray(y))
    if n_y != X_len:
        raise ValueError(f"X has {X_len} sequences but {name} has {n_y} entries")


def _holds_id_lists(X) -> bool:
    """Whether ``X`` is a list of lists of non-negative ints (a Tokenizer's output)."""
    if isinstance(X, np.ndarray) or not isinstance(X, (list, tuple)):
        return False
    for item in X:
        if not isinstance(item, list) or not item:
            return False
        array = np.asarray(item)
        if array.ndim != 1 or array.dtype.kind not in "iu" or array.min() < 0:
            return False
    return True


def _is_table(X) -> bool:
    if getattr(X, "ndim", None) == 2:
        return True
    if hasattr(X, "ndim"):
        return False
    try:
        return np.asarray(X).ndim == 2
    except ValueError:  # ragged
        return False


def _table_sequences(estimator, X, *, validate: bool, reset: bool) -> Sequences:
    from sklearn.utils import check_array
    from sklearn.utils.validation import validate_data

    try:
        if validate:
            table = validate_data(estimator, X, reset=reset, dtype=[np.float32, np.float64])
        else:
            table = check_array(X, dtype=[np.float32, np.float64], input_name="X")
    except ValueError as error:  # empty, strings, complex numbers: name X in the message
        if re.search(r"\bX\b", str(error)):
            raise
        raise ValueError(f"X is not a usable table of numbers: {error}") from error
    items = np.ascontiguousarray(table, dtype=np.float32)[:, :, None]
    return Sequences(items, np.full(len(items), items.shape[1]))


def _check_dense_ids(sequences: Sequences, largest: int, position: int,
                     embedding_dim: int) -> None:
    """Raise when the embedding for ids up to ``largest`` would exceed
    ``LARGE_EMBEDDING_BYTES`` while fewer than one row in ``SPARSE_IDS`` is used: ids
    such as hashes or database keys, which need numbering first."""
    rows = largest + 1
    if rows * embedding_dim * 4 <= LARGE_EMBEDDING_BYTES:
        return
    distinct = len(np.unique(np.concatenate(sequences.items)))
    if distinct * SPARSE_IDS < rows:
        raise ValueError(
            f"X[{position}] holds token id {largest}: the embedding would need {rows} rows "
            f"of embedding_dim={embedding_dim} ({rows * embedding_dim * 4 / 2**30:.1f} GiB) "
            f"for {distinct} distinct ids; number the tokens densely (seqkit.text.Tokenizer "
            "does)")


def _check_token_range(estimator, sequences: Sequences, reset: bool,
                       n_token_ids: int | None) -> None:
    """Record (fit) or check (predict, or fit with ``n_token_ids`` given) the largest id."""
    largest = [int(s.max()) for s in sequences.items]
    i = int(np.argmax(largest))
    if reset:
        estimator.n_token_ids_ = max(largest) + 1 if n_token_ids is None else n_token_ids
        if n_token_ids is None:
            _check_dense_ids(sequences, largest[i], i, estimator.embedding_dim)
    if largest[i] >= estimator.n_token_ids_:
        known = ("the rows of embedding_weights"
                 if getattr(estimator, "embedding_weights", None) is not None
                 else "the ids seen in fit")
        raise ValueError(
            f"X[{i}] holds token id {largest[i]}, but the network knows ids 0 to "
            f"{estimator.n_token_ids_ - 1} ({known}); map unseen tokens to a known id "
            "(Tokenizer maps them to its unknown-word id)"
        )


def _float_sequences(X) -> Sequences:
    if hasattr(X, "ndim") and X.ndim == 3:
        return _dense_sequences(X)
    if hasattr(X, "ndim") and X.ndim != 1:
        raise ValueError(
            f"X has {X.ndim} dimensions {X.shape}; expected (n, T, F), (n, T) "
            "or a list of (T_i, F) arrays"
        )
    if hasattr(X, "ndim") and X.dtype != object:
        raise ValueError(
            f"X is a 1-D array of shape {X.shape}; expected (n, T, F), (n, T) or a list "
            "of (T_i, F) arrays. Reshape your data: one sequence is X.reshape(1, -1) or "
            "X[None, :, :]."
        )
    items = list(X)
    if not items:
        raise ValueError("X is empty: found 0 sequences, a minimum of 1 is required")
    steps = [_one_sequence(item, i) for i, item in enumerate(items)]
    n_features = steps[0].shape[1]
    for i, step in enumerate(steps):
        if step.shape[1] != n_features:
            raise ValueError(f"X[{i}] has {step.shape[1]} features, expected {n_features}")
    lengths = np.array([len(s) for s in steps])
    return Sequences(steps, lengths)


def _dense_sequences(X) -> Sequences:
    array = numeric_array(X, "X")
    n, T, F = array.shape
    if n == 0:
        raise ValueError("X is empty: found 0 sequences, a minimum of 1 is required")
    if T == 0 or F == 0:
        raise ValueError(f"X has shape {array.shape}; sequences need at least 1 step and 1 feature")
    check_finite(array, "X")
    return Sequences(np.ascontiguousarray(array, dtype=np.float32), np.full(n, T))


def _one_sequence(item, index: int) -> np.ndarray:
    name = f"X[{index}]"
    array = numeric_array(item, name)
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2:
        raise ValueError(f"{name} has shape {array.shape}; expected (T, F) or (T,)")
    if len(array) == 0:
        raise ValueError(f"{name} is empty; every sequence needs at least 1 step")
    check_finite(array, name)
    return array.astype(np.float32, copy=False)


def numeric_array(value, name: str,
                  hint: str = "encode text with seqkit.text.Tokenizer") -> np.ndarray:
    """``value`` as a numeric array; a clear error naming ``name`` when it is not numeric."""
    try:
        array = np.asarray(value)
    except ValueError as error:
        raise ValueError(f"{name} could not be read as an array: {error}") from None
    if array.dtype.kind in "fiub":
        return array
    if array.dtype.kind == "c":
        raise ValueError(f"{name} holds complex numbers; complex data is not supported")
    try:
        return array.astype(np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must hold numbers, but has dtype {array.dtype} "
            f"(first value {array.ravel()[:1].tolist()[0]!r}); {hint}"
        ) from None


FLOAT32_MAX = float(np.finfo(np.float32).max)


def _first_index(flags: np.ndarray) -> tuple[int, ...]:
    """The index of the first True entry of ``flags`` (C order), as a tuple of ints."""
    return tuple(int(p) for p in np.argwhere(flags)[0])


def check_finite(array: np.ndarray, name: str) -> None:
    """Raise ValueError naming the first value of ``array`` that the network cannot take.

    The networks compute in float32, so a finite float64 value beyond its range (about
    3.4e38) would become inf there and turn every output into NaN: it is refused too.
    """
    if array.dtype.kind != "f":
        return
    if array.dtype.itemsize <= 4:  # float32 or narrower: only NaN and inf can break it
        usable = np.isfinite(array)
    else:
        with np.errstate(invalid="ignore"):
            usable = np.abs(array) <= FLOAT32_MAX  # False for NaN and inf as well
    if not usable.all():
        position = _first_index(~usable)
        value = array[position]
        if np.isfinite(value):
            raise ValueError(
                f"{name} contains {value:.6g} at index {position}, beyond the float32 range "
                f"(±{FLOAT32_MAX:.3g}) the network computes in; rescale the data")
        raise ValueError(f"{name} contains {value} at index {position}; values must be finite")


def float32_matrix(value, name: str) -> np.ndarray:
    """``value`` as a float32 2-D array of finite numbers; errors name ``name``."""
    array = numeric_array(value, name, hint="give one row of numbers per id or word")
    if array.ndim != 2 or not array.size:
        raise ValueError(f"{name} must be a non-empty 2-D array, got shape {array.shape}")
    check_finite(array, name)
    return array.astype(np.float32, copy=False)


def checked_embedding_weights(weights, embedding_dim: int | None) -> np.ndarray:
    """The ``embedding_weights`` parameter as a float32 matrix.

    Raises TypeError or ValueError, naming the parameter, unless it is a 2-D array of
    finite numbers whose width is ``embedding_dim`` and which has rows for the padding
    and unknown ids at least.
    """
    array = float32_matrix(weights, "embedding_weights")
    if embedding_dim is None:
        raise ValueError(f"embedding_weights is set, so X must hold token ids: set "
                         f"embedding_dim={array.shape[1]} (its width) as well")
    if array.shape[1] != embedding_dim:
        raise ValueError(f"embedding_weights has {array.shape[1]} columns, but "
                         f"embedding_dim={embedding_dim}; they must agree")
    if array.shape[0] < 2:
        raise ValueError(f"embedding_weights has {array.shape[0]} row(s); it needs one per "
                         "token id, padding (0) and unknown (1) included")
    return array


def standardised(array: np.ndarray, mean: np.ndarray, scale: np.ndarray,
                 name: str, rows: np.ndarray | None = None, where=None) -> np.ndarray:
    """``(array - mean) / scale`` per feature (last axis).

    Raises ValueError naming the first value of ``array`` (called ``name``) that leaves
    the float32 range once standardised, e.g. 1e38 when fit saw a spread of 1e-3.
    ``rows``, when given, are the positions in ``name`` of the first axis's entries
    (``array`` is a batch taken from it), so that the error names the user's index.
    ``where``, when given, describes that value instead: a function of its position in
    ``array`` returning e.g. ``"X column 'c' holds 3e+38 at 2020-03-01"``.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        result = (array - mean) / scale
        usable = np.abs(result) <= FLOAT32_MAX  # False for NaN and inf as well
    if not usable.all():
        position = _first_index(~usable)
        feature = position[-1]
        if where is None:
            shown = position if rows is None else (int(rows[position[0]]),) + position[1:]
            place = f"{name} contains {array[position]:.6g} at index {shown}"
        else:
            place = where(position)
        raise ValueError(
            f"{place}, which standardised with the mean {mean[feature]:.3g} and "
            f"spread {scale[feature]:.3g} of fit leaves the float32 range the network "
            f"computes in")
    return result


def _token_sequences(X) -> Sequences:
    if isinstance(X, str) or getattr(X, "ndim", 1) not in (1, 2):
        raise ValueError("X must be a list of token-id sequences when embedding_dim is set")
    items = list(X)
    if not items:
        raise ValueError("X is empty: found 0 sequences, a minimum of 1 is required")
    sequences = []
    for i, item in enumerate(items):
        if isinstance(item, str):
            raise TypeError(
                f"X[{i}] is the string {item[:30]!r}; with embedding_dim set X must hold "
                "integer ids: put seqkit.text.Tokenizer() in front of the estimator"
            )
        ids = np.asarray(item)
        if ids.ndim != 1:
            raise ValueError(f"X[{i}] has shape {ids.shape}; a token sequence must be 1-D")
        if ids.size and ids.dtype.kind not in "iu" and not (
                ids.dtype.kind == "f" and np.all(np.mod(ids, 1) == 0)):
            raise TypeError(f"X[{i}] must hold integer token ids, got dtype {ids.dtype}")
        if ids.size and ids.min() < 0:
            raise ValueError(f"X[{i}] holds the negative token id {ids.min()}")
        if ids.size and ids.max() > LARGEST_TOKEN_ID:
            raise ValueError(f"X[{i}] holds token id {ids.max():.0f}, beyond the largest id "
                             f"an embedding can take ({LARGEST_TOKEN_ID}); number the "
                             "tokens densely (seqkit.text.Tokenizer does)")
        # Trailing padding ids of a pre-padded 2-D array are not part of the sequence.
        length = int(np.max(np.flatnonzero(ids), initial=-1)) + 1
        if length == 0:
            raise ValueError(f"X[{i}] is empty (no ids other than padding id {PADDING_ID})")
        sequences.append(ids[:length].astype(np.int32))
    return Sequences(sequences, np.array([len(s) for s in sequences]), is_tokens=True)
