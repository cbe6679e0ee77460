"""The linear-chain CRF (keras.ops) against brute force over every tag path."""

import itertools

import numpy as np
import pytest
from keras import ops

from seqkit import crf


def brute_force(emissions, transitions, start, end):
    """Scores of every path of one sentence: paths, scores."""
    length, n_tags = emissions.shape
    paths = list(itertools.product(range(n_tags), repeat=length))
    scores = np.array([start[p[0]] + end[p[-1]] + emissions[np.arange(length), p].sum()
                       + sum(transitions[a, b] for a, b in zip(p, p[1:], strict=False))
                       for p in paths])
    return paths, scores


def random_case(seed, lengths=(4, 2, 1, 3), n_tags=3):
    rng = np.random.default_rng(seed)
    T = max(lengths)
    emissions = rng.normal(size=(len(lengths), T, n_tags)).astype("float32") * 2
    weights = [rng.normal(size=s).astype("float32") for s in ((n_tags, n_tags), n_tags, n_tags)]
    mask = np.arange(T)[None, :] < np.array(lengths)[:, None]
    return emissions, mask, weights, lengths


@pytest.mark.parametrize("seed", range(4))
def test_viterbi_matches_brute_force(seed):
    emissions, mask, weights, lengths = random_case(seed)
    paths = ops.convert_to_numpy(crf.crf_viterbi(emissions, mask, *weights))
    assert paths.shape == mask.shape
    for i, length in enumerate(lengths):
        candidates, scores = brute_force(emissions[i, :length], *weights)
        assert tuple(paths[i, :length]) == candidates[int(np.argmax(scores))]


@pytest.mark.parametrize("seed", range(3))
def test_partition_likelihood_and_marginals_match_brute_force(seed):
    emissions, mask, weights, lengths = random_case(seed)
    log_z = ops.convert_to_numpy(crf.crf_log_partition(emissions, mask, *weights))
    marginals = ops.convert_to_numpy(crf.crf_marginals(emissions, mask, *weights))
    rng = np.random.default_rng(seed)
    tags = rng.integers(0, 3, size=mask.shape).astype("int32")
    tags[~mask] = -1
    likelihood = ops.convert_to_numpy(crf.crf_log_likelihood(emissions, tags, mask, *weights))
    for i, length in enumerate(lengths):
        candidates, scores = brute_force(emissions[i, :length], *weights)
        expected_z = np.logaddexp.reduce(scores)
        assert log_z[i] == pytest.approx(expected_z, abs=1e-4)
        expected = np.zeros((length, 3))
        for path, score in zip(candidates, scores, strict=False):
            expected[np.arange(length), path] += np.exp(score - expected_z)
        np.testing.assert_allclose(marginals[i, :length], expected, atol=1e-5)
        gold = scores[candidates.index(tuple(tags[i, :length]))]
        assert likelihood[i] == pytest.approx(gold - expected_z, abs=1e-4)


def test_padding_never_changes_a_result():
    emissions, mask, weights, _ = random_case(0, lengths=(2,))
    padded = np.concatenate([emissions, 100 * np.ones((1, 3, 3), "float32")], axis=1)
    padded_mask = np.concatenate([mask, np.zeros((1, 3), bool)], axis=1)
    a = ops.convert_to_numpy(crf.crf_log_partition(emissions, mask, *weights))
    b = ops.convert_to_numpy(crf.crf_log_partition(padded, padded_mask, *weights))
    np.testing.assert_allclose(a, b, rtol=1e-6)
    path = ops.convert_to_numpy(crf.crf_viterbi(padded, padded_mask, *weights))[0, :2]
    np.testing.assert_array_equal(
        path, ops.convert_to_numpy(crf.crf_viterbi(emissions, mask, *weights))[0])


def test_crf_loss_is_the_negative_log_likelihood():

    layer = crf.CRF(3, seed=0)
    features = np.random.default_rng(0).normal(size=(2, 4, 5)).astype("float32")
    emissions = layer(features)
    tags = np.array([[0, 1, 2, -1], [2, 2, -1, -1]], dtype="int32")
    loss = crf.CRFLoss(layer)
    per_sentence = ops.convert_to_numpy(loss.call(tags, emissions))
    expected = -ops.convert_to_numpy(crf.crf_log_likelihood(
        emissions, tags, tags >= 0, layer.transitions, layer.start, layer.end))
    np.testing.assert_allclose(per_sentence, expected, rtol=1e-6)
    assert np.all(per_sentence > 0)


def test_ensemble_loss_and_pooled_decoding():
    """Members are scored with their own weights; decoding pools their scores into one
    CRF with the mean emissions and weights."""
    layers = [crf.CRF(3, seed=seed) for seed in range(2)]
    features = np.random.default_rng(0).normal(size=(2, 4, 5)).astype("float32")
    emissions = [layer(features) for layer in layers]
    for layer in layers:  # distinct transitions, so pooling has something to average
        layer.transitions.assign(np.random.default_rng(1).normal(size=(3, 3)))
    stacked = ops.stack(emissions, axis=1)
    tags = np.array([[0, 1, 2, -1], [2, 2, -1, -1]], dtype="int32")
    losses = ops.convert_to_numpy(crf.CRFLoss(layers).call(np.stack([tags, tags], 1), stacked))
    for i, layer in enumerate(layers):
        np.testing.assert_allclose(losses[:, i], ops.convert_to_numpy(
            crf.CRFLoss(layer).call(tags, emissions[i])), rtol=1e-6)
    mask = tags >= 0
    pooled = ops.convert_to_numpy(crf.CRFDecoder(layers)(stacked, mask))
    mean = [np.mean([ops.convert_to_numpy(getattr(layer, name)) for layer in layers], 0)
            for name in ("transitions", "start", "end")]
    mean_emissions = ops.convert_to_numpy(stacked).mean(1)
    np.testing.assert_allclose(pooled[..., :3], ops.convert_to_numpy(
        crf.crf_marginals(mean_emissions, mask, *mean)), rtol=1e-5)
    np.testing.assert_array_equal(pooled[..., 3][mask], ops.convert_to_numpy(
        crf.crf_viterbi(mean_emissions, mask, *mean))[mask])


def test_one_token_sentences_in_a_traced_function():
    """A batch of one-token sentences under tracing (unknown batch size) works."""
    import keras

    if keras.backend.backend() != "tensorflow":
        pytest.skip("checks TensorFlow graph tracing")
    import tensorflow as tf

    emissions, mask, weights, _ = random_case(0, lengths=(1, 1))
    spec = tf.TensorSpec((None, None, 3), tf.float32)

    @tf.function(input_signature=[spec, tf.TensorSpec((None, None), tf.bool)])
    def both(e, m):
        return crf.crf_log_partition(e, m, *weights), crf.crf_viterbi(e, m, *weights)

    log_z, path = both(emissions, mask)
    assert path.shape == (2, 1)
    for i in range(2):
        _, scores = brute_force(emissions[i, :1], *weights)
        assert float(log_z[i]) == pytest.approx(np.logaddexp.reduce(scores), abs=1e-4)
