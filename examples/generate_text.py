"""Train a character-level TextGenerator on Shakespeare and sample from it.

Reads tiny-shakespeare (karpathy/char-rnn, MIT) from ``../shared/data/text/tinyshakespeare``
when it is there, holds out the last 10 % and prints the validation loss in nats per
character and samples at temperatures 0.5 and 1.0. Without that file it trains on a short
built-in verse instead.

Usage::

    python examples/generate_text.py       # about 5 minutes on 2 cores

With ``SEQKIT_SMOKE=1`` it trains a tiny network for 2 epochs on the built-in verse (the
numbers then mean nothing).
"""

from __future__ import annotations

import os
from pathlib import Path

from seqkit import TextGenerator

SMOKE = os.environ.get("SEQKIT_SMOKE") == "1"
SHAKESPEARE = (Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "text"
               / "tinyshakespeare" / "input.txt")
VERSE = ("Shall I compare thee to a summer's day?\n"
         "Thou art more lovely and more temperate:\n"
         "Rough winds do shake the darling buds of May,\n"
         "And summer's lease hath all too short a date.\n") * 20


def main() -> None:
    if not SMOKE and SHAKESPEARE.exists():
        text = SHAKESPEARE.read_text(encoding="utf-8")
        params = dict(units=128, num_layers=2, epochs=10, batch_size=64, bptt_length=100)
    else:
        if not SMOKE:
            print(f"{SHAKESPEARE} not found: training on a short verse instead")
        text = VERSE
        params = dict(units=16, epochs=2, batch_size=8, bptt_length=20)
    cut = int(len(text) * 0.9)
    train, valid = text[:cut], text[cut:]
    generator = TextGenerator(learning_rate=2e-3, early_stopping=False, random_state=0,
                              **params).fit(train)
    print(f"validation nats per character: {-generator.score(valid):.3f}")
    for temperature in (0.5, 1.0):
        (sample,) = generator.generate(prefix="ROMEO:\n"[: 1 if SMOKE else None],
                                       max_length=300, temperature=temperature,
                                       random_state=0)
        print(f"--- temperature {temperature}\n{sample}")


if __name__ == "__main__":
    main()
