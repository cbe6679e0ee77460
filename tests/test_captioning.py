"""ImageCaptioner: fit / predict on tiny data, attention, persistence and bad inputs."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone

from seqkit.captioning import ImageCaptioner
from seqkit.datasets import make_shapes_captions
from seqkit.metrics import corpus_bleu

TINY = dict(units=8, embedding_dim=8, cnn_filters=(4,), epochs=1, random_state=0)


@pytest.fixture(scope="module")
def shapes():
    return make_shapes_captions(24, image_size=16, object_size=5, random_state=0)


@pytest.fixture(scope="module")
def fitted(shapes):
    X, y = shapes
    return ImageCaptioner(**TINY).fit(X, y)


def class_features(n, seed=0):
    """Features (n, 4): one-hot class plus noise; the caption names the class."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 3, n)
    X = np.eye(3)[labels] + rng.normal(0, 0.05, size=(n, 3))
    X = np.c_[X, rng.normal(size=n)].astype("float32")
    words = ["a red ball", "two blue cubes on grass", "one green tree"]
    return X, [words[k] for k in labels], words


def test_predict_gives_a_caption_of_known_words_per_image(fitted, shapes):
    X, _ = shapes
    captions = fitted.predict(X[:5])
    assert isinstance(captions, list) and len(captions) == 5
    known = set(fitted.vocabulary_)
    for caption in captions:
        assert isinstance(caption, str)
        assert set(caption.split()) <= known - {"<start>", "<end>"}
        assert len(caption.split()) <= fitted.max_length_
    assert fitted.grid_shape_ == (8, 8)
    assert fitted.input_shape_ == (16, 16, 3)


def test_learns_to_name_the_class_from_features():
    X, y, words = class_features(90)
    captioner = ImageCaptioner(units=16, embedding_dim=8, epochs=40, batch_size=16,
                               learning_rate=0.01, random_state=0).fit(X, y)
    X_test, y_test, _ = class_features(30, seed=1)
    assert captioner.predict(X_test) == y_test
    assert captioner.score(X_test, y_test) == 1.0
    with pytest.raises(ValueError, match="no attention"):
        captioner.predict_attention(X_test)  # one vector per sample: nothing to attend over


def test_same_seed_same_captions_and_pickle_round_trip(fitted, shapes):
    X, y = shapes
    again = ImageCaptioner(**TINY).fit(X, y)
    assert again.predict(X) == fitted.predict(X)
    restored = pickle.loads(pickle.dumps(fitted))
    assert restored.predict(X) == fitted.predict(X)
    _, maps = fitted.predict_attention(X[:2])
    _, restored_maps = restored.predict_attention(X[:2])
    for a, b in zip(maps, restored_maps, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-6)


def test_clone_keeps_parameters_only(fitted):
    copy = clone(fitted)
    assert copy.get_params() == fitted.get_params()
    assert not hasattr(copy, "model_")


def test_predict_attention_gives_one_map_per_word(fitted, shapes):
    X, _ = shapes
    captions, maps = fitted.predict_attention(X[:3])
    assert captions == fitted.predict(X[:3])
    for caption, weights in zip(captions, maps, strict=True):
        assert weights.shape == (len(caption.split()), 8, 8)
        np.testing.assert_allclose(weights.sum(axis=(1, 2)), 1.0, atol=1e-5)


def test_score_is_corpus_bleu_of_predictions(fitted, shapes):
    X, y = shapes
    assert fitted.score(X, y) == pytest.approx(corpus_bleu(fitted.predict(X), y,
                                                           lowercase=True))


def test_decoding_strategies(fitted, shapes):
    X, _ = shapes
    greedy, greedy_scores = fitted.generate(X[:4], strategy="greedy")
    beam1, beam1_scores = fitted.generate(X[:4], strategy="beam", beam_width=1)
    assert greedy == beam1
    np.testing.assert_allclose(greedy_scores, beam1_scores, rtol=1e-6)
    _, beam_scores = fitted.generate(X[:4], strategy="beam", beam_width=4, length_penalty=0)
    assert (beam_scores >= greedy_scores - 1e-6).all()
    first = fitted.generate(X[:4], strategy="sample", random_state=3)[0]
    assert fitted.generate(X[:4], strategy="sample", random_state=3)[0] == first


def test_features_with_locations_references_and_vocabulary():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(12, 5, 3)).astype("float32")  # (n, L, D): locations, no geometry
    y = [["A cat", "a cat"], "a dog", ["a Dog", "a cat"], "a cat", "a zebra", "a cat"] * 2
    captioner = ImageCaptioner(min_count=3, **TINY).fit(X, y)
    # lowercased; "zebra" is in only 2 captions
    assert set(captioner.vocabulary_) == {"a", "cat", "dog", "<start>", "<end>"}
    ids = sorted(captioner.vocabulary_.values())
    assert ids == list(range(2, 2 + len(ids)))  # 0 pads, 1 is the unknown word
    captions, maps = captioner.predict_attention(X[:4])
    assert captioner.grid_shape_ is None
    for caption, weights in zip(captions, maps, strict=True):
        assert "zebra" not in caption and "<unk>" not in caption
        assert weights.shape == (len(caption.split()), 5)


def copied_encoder(captioner):
    import keras

    (encoder,) = [layer for layer in captioner.model_.layers if isinstance(layer, keras.Model)]
    return encoder


@pytest.mark.slow  # two fits, pickling and copying a Keras model: over 20 s
def test_user_encoder_is_copied_and_frozen_unless_fine_tuned(shapes):
    import keras

    X, y = shapes
    encoder = keras.Sequential([keras.Input((16, 16, 3)),
                                keras.layers.Conv2D(4, 3, strides=4, name="user_conv")])
    before = [w.copy() for w in encoder.get_weights()]
    frozen = ImageCaptioner(encoder=encoder, **TINY).fit(X, y)
    assert frozen.grid_shape_ == (4, 4)
    trained = copied_encoder(frozen)
    for old, new in zip(before, trained.get_weights(), strict=True):
        np.testing.assert_array_equal(old, new)
    tuned = ImageCaptioner(encoder=encoder, fine_tune_encoder=True, **TINY).fit(X, y)
    changed = copied_encoder(tuned).get_weights()
    assert any(not np.array_equal(o, n) for o, n in zip(before, changed, strict=True))
    for old, now in zip(before, encoder.get_weights(), strict=True):
        np.testing.assert_array_equal(old, now)  # the user's model is never trained
    assert pickle.loads(pickle.dumps(tuned)).predict(X[:3]) == tuned.predict(X[:3])
    assert isinstance(clone(tuned).encoder, keras.Model)


def test_warm_start_continues_training(shapes):
    X, y = shapes
    captioner = ImageCaptioner(warm_start=True, **TINY).fit(X, y)
    captioner.fit(X, y)
    assert captioner.n_iter_ == 2


# ---------------------------------------------------------------------- bad inputs
def test_images_of_mixed_sizes():
    X = [np.zeros((16, 16, 3)), np.zeros((16, 12, 3))]
    with pytest.raises(ValueError, match=r"X\[1\] has shape \(16, 12, 3\) but X\[0\] has "
                                         r"shape \(16, 16, 3\)"):
        ImageCaptioner(**TINY).fit(X, ["a b", "c d"])


def test_wrong_channel_counts(fitted, shapes):
    X, y = shapes
    with pytest.raises(ValueError, match="X has 1 channels per pixel, but the captioner was "
                                         "fitted on 3"):
        fitted.predict(X[:2, :, :, :1])
    with pytest.raises(ValueError, match="5 channels per pixel"):
        ImageCaptioner(**TINY).fit(np.zeros((2, 8, 8, 5)), ["a b", "c d"])


def test_empty_captions(shapes):
    X, _ = shapes
    with pytest.raises(ValueError, match=r"y\[1\] is an empty caption"):
        ImageCaptioner(**TINY).fit(X[:3], ["a cat", "  ", "a dog"])
    with pytest.raises(ValueError, match=r"y\[0\]\[1\] is an empty caption"):
        ImageCaptioner(**TINY).fit(X[:2], [["a cat", ""], "a dog"])
    with pytest.raises(ValueError, match=r"y\[1\] is an empty list"):
        ImageCaptioner(**TINY).fit(X[:2], [["a cat"], []])


def test_x_and_y_of_different_lengths(shapes):
    X, y = shapes
    with pytest.raises(ValueError, match="X has 5 images but y has 4"):
        ImageCaptioner(**TINY).fit(X[:5], y[:4])


def test_non_string_captions(shapes):
    X, _ = shapes
    with pytest.raises(TypeError, match=r"y\[2\] is int 7; captions must be strings"):
        ImageCaptioner(**TINY).fit(X[:3], ["a", "b", 7])
    with pytest.raises(TypeError, match=r"y\[0\]\[1\] is NoneType"):
        ImageCaptioner(**TINY).fit(X[:1], [["a", None]])
    with pytest.raises(TypeError, match="y is a single string"):
        ImageCaptioner(**TINY).fit(X[:1], "a cat")


def test_encoder_and_input_mismatches():
    with pytest.raises(ValueError, match="encoder='cnn' needs images"):
        ImageCaptioner(encoder="cnn", **TINY).fit(np.zeros((2, 4)), ["a", "b"])
    with pytest.raises(ValueError, match="encoder=None needs features"):
        ImageCaptioner(encoder=None, **TINY).fit(np.zeros((2, 8, 8, 3)), ["a", "b"])
    with pytest.raises(TypeError, match="encoder is int"):
        ImageCaptioner(encoder=3, **TINY).fit(np.zeros((2, 8, 8, 3)), ["a", "b"])
    with pytest.raises(ValueError, match="X has shape"):
        ImageCaptioner(**TINY).fit(np.zeros(4), ["a"] * 4)
    with pytest.raises(ValueError, match="must be finite"):
        ImageCaptioner(**TINY).fit(np.full((2, 3), np.nan), ["a", "b"])
    with pytest.raises(ValueError, match=r"X contains 1e\+300 at index \(0, 0\), beyond the "
                                         r"float32 range"):
        ImageCaptioner(**TINY).fit(np.full((2, 3), 1e300), ["a", "b"])


def test_plot_attention_gives_each_word_and_mark_its_panel():
    import matplotlib

    matplotlib.use("Agg")
    from seqkit.plotting import plot_attention

    maps = np.random.default_rng(0).random((5, 3, 3))
    figure = plot_attention(np.zeros((12, 12)), "a dog, running.", maps)
    assert [ax.get_title() for ax in figure.axes if ax.get_title()] == [
        "a", "dog", ",", "running", "."]
    with pytest.raises(ValueError, match="n_words = 4"):
        plot_attention(np.zeros((12, 12)), "a dog running.", maps)


def test_plot_attention(fitted, shapes, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    from seqkit.plotting import plot_attention

    X, _ = shapes
    captions, maps = fitted.predict_attention(X[:1])
    figure = plot_attention(X[0], captions[0], maps[0])
    figure.savefig(tmp_path / "attention.png")
    assert (tmp_path / "attention.png").stat().st_size > 0
    assert len([ax for ax in figure.axes if ax.get_title()]) == len(maps[0])
    with pytest.raises(ValueError, match="n_words"):
        plot_attention(X[0], "one two three four five six seven eight nine ten eleven "
                             "twelve thirteen fourteen fifteen sixteen", maps[0])
