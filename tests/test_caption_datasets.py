"""The generated captioning data: seeded, true captions, held-out handwriting."""

import numpy as np
import pytest

from seqkit.datasets import make_digit_strips, make_shapes_captions
from seqkit.datasets.captions import COLORS, DIGIT_WORDS, INVERSE


def test_shapes_are_seeded_and_captions_are_paraphrases():
    X, y = make_shapes_captions(30, random_state=0)
    X2, y2 = make_shapes_captions(30, random_state=0)
    np.testing.assert_array_equal(X, X2)
    assert y == y2
    assert X.shape == (30, 32, 32, 3) and X.dtype == np.uint8
    for first, second in y:
        w = first.split()
        inverse = INVERSE[" ".join(w[3:-3])]
        assert second == f"a {w[-2]} {w[-1]} {inverse} a {w[1]} {w[2]}"


def _centre(image, color):
    """Centre (row, col) of the pixels close to ``color``."""
    close = np.abs(image.astype(int) - np.array(color)).max(axis=-1) < 40
    rows, cols = np.nonzero(close)
    return rows.mean(), cols.mean()


def test_shapes_relation_is_true_in_the_picture():
    X, y = make_shapes_captions(60, noise=2.0, random_state=1)
    checked = 0
    for image, (caption, _) in zip(X, y, strict=True):
        w = caption.split()
        if w[1] == w[-2]:
            continue  # same colour: the centres cannot be told apart by colour
        (r1, c1), (r2, c2) = _centre(image, COLORS[w[1]]), _centre(image, COLORS[w[-2]])
        relation = " ".join(w[3:-3])
        expected = {"left of": c1 < c2 - 4, "right of": c1 > c2 + 4,
                    "above": r1 < r2 - 4, "below": r1 > r2 + 4}
        assert expected[relation], (caption, (r1, c1), (r2, c2))
        across = abs(r1 - r2) if relation in ("left of", "right of") else abs(c1 - c2)
        assert across < 4
        checked += 1
    assert checked > 30


def test_digit_strips_show_their_digits():
    from sklearn.datasets import load_digits

    digits = load_digits()
    X, y = make_digit_strips(10, n_digits=3, random_state=0, scale=1)
    assert X.shape == (10, 8, 24, 1) and X.dtype == np.uint8
    pixels = np.rint(digits.images * (255 / 16)).astype(np.uint8)
    for strip, caption in zip(X[..., 0], y, strict=True):
        words = caption.split()
        assert len(words) == 3
        for j, word in enumerate(words):
            block = strip[:, 8 * j : 8 * j + 8]
            matches = np.flatnonzero((pixels == block).all(axis=(1, 2)))
            assert DIGIT_WORDS.index(word) in set(digits.target[matches])


def test_digit_strip_halves_do_not_share_images():
    train, _ = make_digit_strips(400, n_digits=1, subset="train", scale=1, random_state=0)
    test, _ = make_digit_strips(400, n_digits=1, subset="test", scale=1, random_state=0)
    seen = {image.tobytes() for image in train}
    assert sum(image.tobytes() in seen for image in test) < 5  # only duplicate drawings
    with pytest.raises(ValueError, match="subset='dev'"):
        make_digit_strips(2, subset="dev")
