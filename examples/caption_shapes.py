"""Caption generated scenes with ImageCaptioner and save an attention plot.

Each scene shows two coloured shapes; its references are both true sentences, e.g. "a red
circle left of a blue square" and "a blue square right of a red circle". The captioner
(a small CNN, an LSTM decoder with soft attention over the CNN's grid) is trained on
2,000 scenes and scored on 300 new ones: exact match (the caption is one of the
references) and corpus BLEU-4. The plot shows, for each word of one caption, where the
decoder looked.

Usage::

    python examples/caption_shapes.py                   # about 5 minutes on 2 cores
    python examples/caption_shapes.py --plot out.png    # where to save the plot

With ``SEQKIT_SMOKE=1`` it trains a tiny network for 2 epochs (the numbers then mean
nothing).
"""

from __future__ import annotations

import argparse
import os
import tempfile

from seqkit.captioning import ImageCaptioner
from seqkit.datasets import make_shapes_captions
from seqkit.metrics import exact_match

SMOKE = os.environ.get("SEQKIT_SMOKE") == "1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plot", help="save the attention plot here (default: "
                                       "attention.png; a temporary file in smoke mode)")
    args = parser.parse_args()

    X_train, y_train = make_shapes_captions(100 if SMOKE else 2000, random_state=0)
    X_test, y_test = make_shapes_captions(20 if SMOKE else 300, random_state=1)
    params = dict(units=16, cnn_filters=(8, 8), epochs=2) if SMOKE else dict(epochs=20)
    captioner = ImageCaptioner(random_state=0, **params).fit(X_train, y_train)

    captions, maps = captioner.predict_attention(X_test[:1])
    print(f"caption: {captions[0]!r}")
    print(f"references: {y_test[0]}")
    print(f"test exact match: {exact_match(captioner.predict(X_test), y_test):.3f}")
    print(f"test BLEU-4: {captioner.score(X_test, y_test):.3f}")

    try:
        from seqkit.plotting import plot_attention

        figure = plot_attention(X_test[0], captions[0], maps[0])
    except ImportError as error:
        print(f"no plot: {error}")
        return
    path = args.plot or (os.path.join(tempfile.mkdtemp(), "attention.png") if SMOKE
                         else "attention.png")
    figure.savefig(path, dpi=100, bbox_inches="tight")
    print(f"attention plot saved to {path}")


if __name__ == "__main__":
    main()
