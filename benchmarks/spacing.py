"""How generated text is spaced: words joined by spaces against the spacing seqkit learns.

The generating estimators (translator, captioner, word-level text generator) write tokens
of :class:`seqkit.text.Tokenizer`, which drops a text's spaces. This measures, with no
network, how close their written text can be to what people write: each held-out text is
split into its tokens and written back, and the share of texts that come back exactly
(lowercased, runs of white space read as one space) is counted for

* ``spaces``: tokens joined by spaces (seqkit before :mod:`seqkit.generation.spacing`);
* ``hyphen rule``: that, with words split at a hyphen joined again (the rule
  ``benchmarks/translation.py`` applied before scoring);
* ``learnt``: :class:`seqkit.generation.spacing.Spacing` learnt from the training texts.

Beside each share, the corpus BLEU of the written-back texts against the originals
(sacrebleu, 13a tokenisation, lowercased, as ``benchmarks/translation.py`` scores): what
the spacing alone costs a translation that has every word right.

Corpora (``../shared/data``): the French and the English sides of the Tatoeba
English-French pairs (train / test as in ``benchmarks/translation.py``), the tiny COCO
captions (train2017 captions / val2017 captions) and tiny-shakespeare (its lines; the
first 90 % / the last 10 %).

Usage::

    python benchmarks/spacing.py           # a few seconds, no TensorFlow
    python benchmarks/spacing.py --quick   # the first 2,000 training texts only

Writes ``results/spacing[_quick].json``.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import data_path, parse_args, print_table, write_results  # noqa: E402

from seqkit.generation.spacing import Spacing  # noqa: E402
from seqkit.text import WORD_PATTERN  # noqa: E402


def corpora() -> dict:
    """(training texts, held-out texts) of each corpus."""
    from translation import load_pairs

    train, _, test = load_pairs()
    captions = json.loads(data_path("tiny_coco_captions", "captions.json").read_text())
    by_split = {split: [c for image in captions if image["split"] == split
                        for c in image["captions"]] for split in ("train2017", "val2017")}
    lines = [line for line in data_path("text", "tinyshakespeare", "input.txt")
             .read_text().splitlines() if line.strip()]
    cut = int(0.9 * len(lines))
    return {"Tatoeba French": ([f for _, f in train], [f for _, f in test]),
            "Tatoeba English": ([e for e, _ in train], [e for e, _ in test]),
            "COCO captions": (by_split["train2017"], by_split["val2017"]),
            "tiny-shakespeare lines": (lines[:cut], lines[cut:])}


def exact_share(written: list[str], texts: list[str]) -> float:
    """Share of ``written`` equal to ``texts`` (lowercased, white space runs as one)."""
    def normal(text):
        return " ".join(text.lower().split())

    return sum(normal(w) == normal(t) for w, t in zip(written, texts, strict=True)) / len(texts)


def bleu(written: list[str], texts: list[str]) -> float:
    import sacrebleu

    return sacrebleu.corpus_bleu(written, [texts], lowercase=True).score


def main() -> None:
    args = parse_args(__doc__.splitlines()[0])
    rows, results = [], {}
    for name, (train, test) in corpora().items():
        if args.quick:
            train, test = train[:2000], test[:500]
        start = time.perf_counter()
        spacing = Spacing.learn(train, WORD_PATTERN, lowercase=True)
        learn_s = time.perf_counter() - start
        tokens = [re.findall(WORD_PATTERN, text.lower()) for text in test]
        spaced = [" ".join(t) for t in tokens]
        written = {"spaces": spaced,
                   "hyphen rule": [re.sub(r"(?<=\w) - (?=\w)", "-", s) for s in spaced],
                   "learnt": [spacing.join(t) for t in tokens]}
        scores = {way: exact_share(texts, test) for way, texts in written.items()}
        bleus = {way: bleu(texts, test) for way, texts in written.items()}
        results[name] = dict(scores, bleu=bleus, n_train=len(train), n_test=len(test),
                             learn_s=learn_s, glued_after=spacing.glued_after,
                             glued_before=spacing.glued_before, pair_rules=len(spacing.pairs))
        rows.append([name, len(train), len(test),
                     *[f"{scores[way]:.3f} / {bleus[way]:.1f}" for way in written], learn_s])
    table = print_table(["corpus", "train texts", "held-out texts", "spaces", "hyphen rule",
                         "learnt", "learn s"], rows,
                        "Held-out texts written back from their tokens: exact share / BLEU")
    write_results("spacing_quick" if args.quick else "spacing", {"quick": args.quick},
                  results, table)


if __name__ == "__main__":
    main()
