"""Input validation and batching: every bad input gets a clear error naming it."""

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from seqkit import SequenceClassifier, SequenceRegressor
from seqkit.inputs import Sequences, bucket_batches, handles_padding, is_whole_number
from seqkit.training import BatchStream

from conftest import FAST, make_sign_data


@pytest.fixture(scope="module")
def fitted():
    X, y = make_sign_data(np.random.default_rng(0), n=40, T=6, F=3)
    return SequenceClassifier(**FAST).fit(X, y), X, y


@pytest.mark.parametrize("bad, message", [
    (np.nan, r"X contains nan at index \(2, 1, 0\)"),
    (np.inf, r"X contains inf at index \(2, 1, 0\)"),
])
def test_non_finite_values_are_named(rng, bad, message):
    X, y = make_sign_data(rng, n=10, T=4, F=2)
    X[2, 1, 0] = bad
    with pytest.raises(ValueError, match=message):
        SequenceClassifier(**FAST).fit(X, y)


def test_values_beyond_float32_are_named(rng):
    # finite in float64, inf in the float32 network: every output would be NaN
    X, y = make_sign_data(rng, n=10, T=4, F=2)
    X = X.astype(np.float64)
    X[2, 1, 0] = 1e300
    with pytest.raises(ValueError, match=r"X contains 1e\+300 at index \(2, 1, 0\), beyond "
                                         r"the float32 range"):
        SequenceClassifier(**FAST).fit(X, y)
    ragged = [x for x in X]
    with pytest.raises(ValueError, match=r"X\[2\] contains 1e\+300 at index \(1, 0\)"):
        SequenceClassifier(**FAST).fit(ragged, y)


def test_values_beyond_float32_once_standardised_are_named(rng):
    X = rng.normal(scale=1e-3, size=(10, 4, 2))
    y = np.arange(10) % 2
    clf = SequenceClassifier(**FAST).fit(X, y)
    X_new = X[:2].copy()
    X_new[1, 3, 1] = 1e38  # within float32, but 1e41 spreads from the training mean
    with pytest.raises(ValueError, match=r"X contains 1e\+38 at index \(1, 3, 1\), which "
                                         r"standardised .* leaves the float32 range"):
        clf.predict(X_new)


def test_targets_beyond_float32_are_named(rng):
    X = rng.normal(size=(10, 4, 2))
    y = rng.normal(size=10)
    y[4] = -1e300
    with pytest.raises(ValueError, match=r"y contains -1e\+300 at index \(4,\), beyond"):
        SequenceRegressor(**FAST).fit(X, y)


def test_non_finite_value_in_a_ragged_list(rng):
    X, y = make_sign_data(rng, n=10, ragged=True)
    X[3] = X[3].copy()
    X[3][0, 1] = np.nan
    with pytest.raises(ValueError, match=r"X\[3\] contains nan at index \(0, 1\)"):
        SequenceClassifier(**FAST).fit(X, y)


@pytest.mark.parametrize("missing", [None, np.nan])
def test_missing_class_label(rng, missing):
    X = rng.normal(size=(4, 3, 2))
    with pytest.raises(ValueError, match=r"y\[2\] is (None|nan): a label is missing \(1 of 4"):
        SequenceClassifier(**FAST).fit(X, np.array(["a", "b", missing, "a"], dtype=object))


def test_text_targets_for_a_regressor(rng):
    X = rng.normal(size=(3, 3, 2))
    with pytest.raises(TypeError, match=r"y must hold numbers.*'up'.*SequenceClassifier"):
        SequenceRegressor(**FAST).fit(X, ["up", "down", "up"])


@pytest.mark.parametrize("X", [np.empty((0, 5, 2)), []])
def test_empty_X(X):
    with pytest.raises(ValueError, match="X is empty"):
        SequenceClassifier(**FAST).fit(X, [])


def test_length_mismatch(rng):
    X, y = make_sign_data(rng, n=10)
    with pytest.raises(ValueError, match="X has 10 sequences but y has 9 entries"):
        SequenceClassifier(**FAST).fit(X, y[:9])


def test_labels_of_mixed_types(rng):
    X = rng.normal(size=(4, 3, 2))
    with pytest.raises(TypeError, match=r"y mixes labels of different types \('a' \(str\), "
                                        r"1 \(int\)\); use one type"):
        SequenceClassifier(**FAST).fit(X, np.array(["a", 1, "b", 2], dtype=object))


def test_labels_of_mixed_types_in_a_plain_list(rng):
    # NumPy alone would read ["a", 1] as the strings "a" and "1".
    X = rng.normal(size=(4, 3, 2))
    with pytest.raises(TypeError, match=r"y mixes labels of different types \('a' \(str\), "
                                        r"1 \(int\)\)"):
        SequenceClassifier(**FAST).fit(X, ["a", 1, "b", 2])


def test_sample_weight_of_strings(rng):
    X, y = make_sign_data(rng, n=4)
    with pytest.raises(ValueError, match="sample_weight must hold numbers"):
        SequenceClassifier(**FAST).fit(X, y, sample_weight=["a"] * 4)


@pytest.mark.parametrize("bad", [np.nan, None, np.inf])
def test_regressor_target_not_finite_is_located(rng, bad):
    X = rng.normal(size=(4, 3, 1))
    with pytest.raises(ValueError, match=r"y contains (nan|inf) at index \(1,\)"):
        SequenceRegressor(**FAST).fit(X, [1.0, bad, 2.0, 3.0])


def test_single_class(rng):
    X, _ = make_sign_data(rng, n=10)
    with pytest.raises(ValueError, match=r"y has 1 class \('a'\)"):
        SequenceClassifier(**FAST).fit(X, ["a"] * 10)


def test_wrong_feature_count_at_predict(fitted):
    clf, X, _ = fitted
    with pytest.raises(ValueError, match="X has 2 features per step, but SequenceClassifier "
                                         "was fitted with 3"):
        clf.predict(X[:, :, :2])


def test_one_sequence_as_a_2d_array_gets_a_hint(fitted):
    clf, X, _ = fitted
    with pytest.raises(ValueError, match=r"read as 6 sequences of one feature: for one "
                                         r"sequence of shape \(T, F\), pass X\[None\]"):
        clf.predict(X[0])
    assert clf.predict(X[0][None]).shape == (1,)


def test_sequences_with_different_feature_counts(rng):
    X = [rng.normal(size=(5, 3)), rng.normal(size=(4, 3)), rng.normal(size=(6, 2))]
    with pytest.raises(ValueError, match=r"X\[2\] has 2 features, expected 3"):
        SequenceClassifier(**FAST).fit(X, [0, 1, 0])


def test_four_dimensional_array(rng):
    with pytest.raises(ValueError, match=r"X has 4 dimensions \(5, 3, 2, 2\)"):
        SequenceClassifier(**FAST).fit(rng.normal(size=(5, 3, 2, 2)), [0, 1, 0, 1, 0])


def test_one_dimensional_array(rng):
    with pytest.raises(ValueError, match="X is a 1-D array"):
        SequenceClassifier(**FAST).fit(rng.normal(size=5), [0, 1, 0, 1, 0])


def test_strings_where_numbers_are_expected():
    X = [np.array([["1.0", "x"], ["2", "3"]]), np.array([["1", "2"]])]
    with pytest.raises(TypeError, match=r"X\[0\] must hold numbers.*Tokenizer"):
        SequenceClassifier(**FAST).fit(X, [0, 1])


def test_strings_in_a_3d_array():
    X = np.full((2, 3, 1), "a")
    with pytest.raises(TypeError, match="X must hold numbers"):
        SequenceClassifier(**FAST).fit(X, [0, 1])


def test_empty_sequence_in_a_list(rng):
    X = [rng.normal(size=(3, 2)), np.empty((0, 2))]
    with pytest.raises(ValueError, match=r"X\[1\] is empty"):
        SequenceClassifier(**FAST).fit(X, [0, 1])


def test_negative_token_id():
    X = [[3, 4, 5], [2, -1]]
    with pytest.raises(ValueError, match=r"X\[1\] holds the negative token id -1"):
        SequenceClassifier(embedding_dim=4, **FAST).fit(X, [0, 1])


def test_too_large_token_id_at_predict():
    X = [[3, 4, 5], [2, 6], [5, 5], [2, 3]]
    clf = SequenceClassifier(embedding_dim=4, **FAST).fit(X, [0, 1, 0, 1])
    with pytest.raises(ValueError, match=r"X\[1\] holds token id 9, but the network knows "
                                         r"ids 0 to 6 \(the ids seen in fit\)"):
        clf.predict([[2, 3], [9]])


@pytest.mark.parametrize("big", [2**32 + 3, 2**31, 1e20])
def test_token_id_beyond_int32_is_named_not_wrapped(big):
    # Cast to int32 as it was, 2**32 + 3 read as id 3 and 1e20 as a negative id.
    with pytest.raises(ValueError, match=rf"X\[1\] holds token id {big:.0f}, beyond the "
                                         r"largest id an embedding can take"):
        SequenceClassifier(embedding_dim=4, **FAST).fit([[1, 2], [big]], [0, 1])


def test_sparse_huge_token_ids_would_need_a_huge_embedding():
    # 10**9 + 1 embedding rows for 3 distinct ids: an error before any memory is taken.
    with pytest.raises(ValueError, match=r"X\[1\] holds token id 1000000000: the embedding "
                                         r"would need 1000000001 rows of embedding_dim=4 "
                                         r"\(14.9 GiB\) for 3 distinct ids"):
        SequenceClassifier(embedding_dim=4, **FAST).fit([[1, 2], [10**9]], [0, 1])


def test_raw_strings_with_embedding_dim():
    with pytest.raises(TypeError, match=r"X\[0\] is the string 'good film'.*Tokenizer"):
        SequenceClassifier(embedding_dim=4, **FAST).fit(["good film", "bad"], [1, 0])


@pytest.mark.parametrize("X", [[[2, 5, 3], [4, 2]] * 4, [[2, 5], [4, 2]] * 4])
def test_token_ids_without_embedding_dim_warn(X):
    """A Tokenizer's output (ragged or not) fed to an estimator without embedding_dim."""
    with pytest.warns(UserWarning, match="lists of non-negative integers.*set embedding_dim"):
        SequenceClassifier(**FAST).fit(X, [0, 1] * 4)


def test_integer_values_as_arrays_or_floats_do_not_warn(rng):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        SequenceClassifier(**FAST).fit([[2.0, 5, 3], [4.0, 2]] * 4, [0, 1] * 4)
        SequenceClassifier(**FAST).fit(rng.integers(0, 9, (8, 3, 2)), [0, 1] * 4)


@pytest.mark.parametrize("params, message", [
    (dict(cell="transformer"), "'cell' parameter .* Got 'transformer'"),
    (dict(units=0), "'units' parameter .* Got 0"),
    (dict(dropout=1.5), "'dropout' parameter .* Got 1.5"),
    (dict(optimizer="adamax2"), "'optimizer' parameter .* Got 'adamax2'"),
    (dict(pooling="sum"), "'pooling' parameter .* Got 'sum'"),
    (dict(predict_dtype="float16"), "'predict_dtype' parameter .* Got 'float16'"),
    (dict(input_noise=-0.1), "'input_noise' parameter .* Got -0.1"),
    (dict(window_slice=1.0), "'window_slice' parameter .* Got 1.0"),
    (dict(window_slice=0), "'window_slice' parameter .* Got 0"),
])
def test_invalid_parameters_are_rejected_at_fit(rng, params, message):
    X, y = make_sign_data(rng, n=10)
    clf = SequenceClassifier(**params)  # storing never fails, as in scikit-learn
    with pytest.raises(ValueError, match=message):
        clf.fit(X, y)


@pytest.mark.parametrize("params, tokens", [
    (dict(input_noise=0.1, embedding_dim=4), True),
    (dict(window_slice=0.9, embedding_dim=4), True),
    (dict(word_dropout=0.2), False),
])
def test_parameters_for_the_other_input_kind_are_rejected(rng, params, tokens):
    if tokens:
        X, y = [[2, 3, 4], [3, 2], [4, 4, 2], [2]], [1, 0, 1, 0]
    else:
        X, y = make_sign_data(rng, n=10)
    name, value = next(iter(params.items()))
    with pytest.raises(ValueError, match=rf"{name}={value!r} acts on .* embedding_dim="):
        SequenceClassifier(**FAST, **params).fit(X, y)


@pytest.mark.parametrize("class_weight, message", [
    ({"zzz": 2.0}, r"class_weight has the label 'zzz', which is not a class of y "
                   r"\(\['neg', 'pos'\]\)"),
    ({"pos": -2.0}, r"class_weight\['pos'\] is -2.0; weights must be finite and >= 0"),
    ({"pos": "heavy"}, r"class_weight\['pos'\] is 'heavy'"),
    ({"neg": 0.0, "pos": 0.0}, "give every sample the weight 0"),
])
def test_bad_class_weight(rng, class_weight, message):
    X, y = make_sign_data(rng, n=10)
    with pytest.raises(ValueError, match=message):
        SequenceClassifier(**FAST, class_weight=class_weight).fit(X, y)


def test_callbacks_must_be_keras_callbacks(rng):
    X, y = make_sign_data(rng, n=10)
    with pytest.raises(TypeError, match=r"callbacks\[0\] is int 1; expected a "
                                        r"keras.callbacks.Callback"):
        SequenceClassifier(**FAST, callbacks=[1]).fit(X, y)


def test_unknown_parameter_name():
    with pytest.raises(TypeError, match=r"unexpected keyword argument\(s\) \['unit'\]"):
        SequenceClassifier(unit=3)


def test_predict_before_fit(rng):
    X, _ = make_sign_data(rng, n=4)
    for method in ("predict", "predict_proba"):
        with pytest.raises(NotFittedError):
            getattr(SequenceClassifier(), method)(X)
    with pytest.raises(NotFittedError):
        SequenceRegressor().predict(X)


def test_bad_sample_weight(rng):
    X, y = make_sign_data(rng, n=10)
    weights = np.ones(10)
    weights[7] = -1
    with pytest.raises(ValueError, match=r"sample_weight\[7\] is -1.0"):
        SequenceClassifier(**FAST).fit(X, y, sample_weight=weights)


def test_bucket_batches_group_similar_lengths():
    lengths = np.array([50, 3, 48, 4, 49, 5, 47, 6])
    batches = bucket_batches(lengths, 4, rng=np.random.default_rng(0))
    spans = sorted(np.ptp(lengths[b]) for b in batches)
    assert spans == [3, 3]
    assert sorted(np.concatenate(batches)) == list(range(8))


def test_bucket_batches_without_bucketing_cover_all_once():
    lengths = np.arange(10)
    batches = bucket_batches(lengths, 3, rng=np.random.default_rng(0), bucketing=False)
    assert [len(b) for b in batches] == [3, 3, 3, 1]
    assert sorted(np.concatenate(batches)) == list(range(10))


def test_bucket_batches_exact_hold_one_length():
    lengths = np.array([5, 3, 5, 3, 3, 7, 5, 3])
    training = bucket_batches(lengths, 2, rng=np.random.default_rng(0), exact=True)
    predicting = bucket_batches(lengths, 2, tiebreak=-np.arange(8.0), exact=True)
    for batches in (training, predicting):
        assert all(np.ptp(lengths[b]) == 0 for b in batches)
        assert sorted(np.concatenate(batches)) == list(range(8))
        assert max(len(b) for b in batches) == 2
    # at predict: by length, then by the tiebreak (here: reversed input order)
    assert [b.tolist() for b in predicting] == [[7, 4], [3, 1], [6, 2], [0], [5]]


def test_model_inputs_pad_and_mask():
    items = [np.ones((2, 1), "float32"), 2 * np.ones((4, 1), "float32")]
    inputs = Sequences(items, np.array([2, 4])).model_inputs(np.array([0, 1]))
    assert inputs["values"].shape == (2, 4, 1)
    np.testing.assert_array_equal(inputs["mask"], [[1, 1, 0, 0], [1, 1, 1, 1]])
    np.testing.assert_array_equal(inputs["values"][0, :, 0], [1, 1, 0, 0])


def test_padding_never_changes_a_prediction(rng):
    X, y = make_sign_data(rng, n=60, T=12, ragged=True)
    for params in (dict(), dict(bidirectional=True, num_layers=2, pooling="mean"),
                   dict(cell="gru", pooling="max"),
                   dict(conv_filters=4, conv_kernel_size=3, conv_pool_size=3, conv_layers=2,
                        pooling="max"),
                   dict(conv_filters=4, conv_kernel_size=3, conv_batch_norm=True, pooling="mean"),
                   dict(conv_filters=4, conv_kernel_size=3, conv_pool_size=2, conv_summary=True,
                        pooling="last", input_noise=0.1, window_slice=0.8)):
        clf = SequenceClassifier(**FAST, **params).fit(X, y)
        short = int(np.argmin([len(x) for x in X]))
        alone = clf.predict_proba([X[short]])
        # The shortest sequence in a batch with much longer ones is padded a lot.
        crowd = [X[short]] + [np.vstack([x, x, x]) for x in X[:20]]
        in_crowd = clf.predict_proba(crowd)[:1]
        np.testing.assert_allclose(alone, in_crowd, atol=1e-5)


@pytest.mark.parametrize(("input_names", "mixed"), [
    ({"ids"}, True), ({"ids", "chars"}, True), ({"values", "mask"}, True), ({"values"}, False),
])
def test_batch_stream_pads_only_networks_that_handle_padding(input_names, mixed):
    lengths = np.array([2, 9, 4, 7, 3, 8, 5, 6] * 4)
    sequences = Sequences([np.ones(n, dtype=np.int32) for n in lengths], lengths, True)
    assert handles_padding(input_names) is mixed
    stream = BatchStream(sequences, np.zeros(len(lengths)), np.ones(len(lengths)), 8,
                         bucketing=False, seed=0, input_names=input_names)
    spans = [np.ptp(lengths[batch]) for batch in stream._batches]
    assert bool(max(spans) > 0) is mixed


def test_batch_norm_statistics_ignore_padding(rng):
    """In training mode the convolution's batch statistics come from real steps only, so
    padding a batch further never changes an output at a real step."""
    import keras

    from seqkit.networks import SeedStream, convolution_front_end

    values = keras.Input((None, 2))
    mask = keras.Input((None,), dtype="bool")
    steps, _, _ = convolution_front_end(values, mask, filters=3, kernel_size=3, pool_size=1,
                                     seeds=SeedStream(0), batch_norm=True)
    model = keras.Model([values, mask], steps)
    lengths = [3, 10]
    batch = np.zeros((2, 10, 2), "float32")
    for i, n in enumerate(lengths):
        batch[i, :n] = rng.normal(size=(n, 2))
    real = np.arange(10)[None, :] < np.array(lengths)[:, None]
    wider = np.concatenate([batch, np.full((2, 15, 2), 7.0, "float32")], axis=1)
    wider_real = np.concatenate([real, np.zeros((2, 15), bool)], axis=1)
    narrow_out = keras.ops.convert_to_numpy(model([batch, real], training=True))
    wide_out = keras.ops.convert_to_numpy(model([wider, wider_real], training=True))
    np.testing.assert_allclose(narrow_out[real], wide_out[:, :10][real], atol=1e-5)
    assert np.abs(wide_out[:, 10:]).max() == 0  # padded steps stay zero


def test_check_finite_on_narrow_floats_warns_nothing():
    import warnings

    from seqkit.inputs import check_finite

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # float32's range cast to float16 used to overflow
        check_finite(np.ones((2, 3), np.float16), "X")
    with pytest.raises(ValueError, match=r"X contains inf at index \(1, 0\)"):
        check_finite(np.array([[1], [np.inf]], np.float16), "X")


def test_is_whole_number_takes_ints_and_integral_floats_but_not_bools():
    for value in (3, np.int64(-2), 2.0, np.float32(4.0), 0):
        assert is_whole_number(value), value
    for value in (True, np.bool_(False), 2.5, float("nan"), float("inf"), "3", None):
        assert not is_whole_number(value), value
