"""English to French: SequenceTranslator (attention, beam search) beside the Keras
``lstm_seq2seq`` example's model.

Data: ``../shared/data/translation/fra-eng/fra.txt.gz`` (Tatoeba via manythings.org/anki,
CC BY 2.0 FR: "www.manythings.org/anki and tatoeba.org"). Pairs whose sides both have at
most 10 words, a fixed random 90 / 5 / 5 split (seed 0); the test BLEU is sacrebleu's
(13a tokenisation, lowercased, as seqkit's translator lowercases) on ``--n-test`` test
pairs. Both models get the same wall-clock budget of training (``--minutes``):

* ``seqkit``: ``SequenceTranslator`` (word level, bidirectional LSTM encoder, additive
  attention, ``--units``), decoded greedily and by beam search (width 5), scored as it
  writes them (spaced as the training targets were, :mod:`seqkit.generation.spacing`).
  Results before that (2026-12-04) joined words with spaces and applied a hyphen rule
  before scoring (``"est - ce"`` -> ``"est-ce"``); they also recorded
  ``bleu_beam5_hyphens_split``, the beam-5 BLEU without the rule.
* ``keras``: the model of the Keras ``lstm_seq2seq`` example: character level, one-hot
  characters, an LSTM encoder whose final states start an LSTM decoder of the same units,
  no attention, RMSprop; greedy decoding character by character.

Goal (issue 21): beam search with attention at least 5 BLEU above the baseline, within 30
minutes of training.

Usage::

    python benchmarks/translation.py                 # 2 x 30 minutes of training
    python benchmarks/translation.py --minutes 8     # a shorter budget each
    python benchmarks/translation.py --quick         # smoke run

Writes ``results/translation[_quick].json``.
"""

from __future__ import annotations

import gzip
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
# _common silences TensorFlow before it loads
from _common import check_goal, data_path, parse_args, print_table, write_results  # noqa: E402
from _generation import (  # noqa: E402
    budget_options,
    keras_seq2seq,
    run_models,
    thread_settings,
    time_budget,
)


def load_pairs(max_words: int = 10):
    """The (English, French) pairs of at most ``max_words`` words, split 90 / 5 / 5."""
    path = data_path("translation", "fra-eng", "fra.txt.gz")
    pairs = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and all(len(p.split()) <= max_words for p in parts[:2]):
                pairs.append((parts[0], parts[1]))
    order = np.random.default_rng(0).permutation(len(pairs))
    n_valid = n_test = len(pairs) // 20
    pick = lambda rows: [pairs[i] for i in rows]  # noqa: E731
    return (pick(order[n_valid + n_test :]), pick(order[:n_valid]),
            pick(order[n_valid : n_valid + n_test]))


def bleu(hypotheses, references) -> float:
    import sacrebleu

    return sacrebleu.corpus_bleu(hypotheses, [references], lowercase=True).score


def run_seqkit(train, test, seconds: float, args) -> dict:
    from seqkit import SequenceTranslator

    model = SequenceTranslator(units=args.units, embedding_dim=128, min_count=2,
                               batch_size=64, learning_rate=2e-3, epochs=1000,
                               early_stopping=False, patience=None,
                               callbacks=[time_budget(seconds)], random_state=0)
    start = time.perf_counter()
    model.fit([e for e, _ in train], [f for _, f in train])
    trained = time.perf_counter() - start
    sources, references = [e for e, _ in test], [f for _, f in test]
    greedy, _ = model.generate(sources, strategy="greedy")
    beam, _ = model.generate(sources, strategy="beam", beam_width=5)
    return dict(model=f"seqkit SequenceTranslator BiLSTM {args.units}, attention",
                bleu_greedy=bleu(greedy, references), bleu_beam5=bleu(beam, references),
                train_seconds=trained, epochs=model.n_iter_, loss=model.history_["loss"],
                examples=list(zip(sources[:5], beam[:5], references[:5], strict=True)))


def run_keras(train, test, seconds: float, args) -> dict:
    """The Keras ``lstm_seq2seq`` example, trained for ``seconds``, decoded greedily."""
    run = keras_seq2seq([e for e, _ in train], [f for _, f in train],
                        [e for e, _ in test], args.units, seconds)
    return dict(model=f"Keras lstm_seq2seq, char LSTM {args.units}, no attention",
                bleu_greedy=bleu(run["hypotheses"], [f for _, f in test]), bleu_beam5=None,
                train_seconds=run["train_seconds"], epochs=run["epochs"],
                examples=[[e, h, f] for (e, f), h in zip(test[:5], run["hypotheses"],
                                                         strict=False)])


def main() -> None:
    def extra(parser):
        budget_options(30.0, 256)(parser).add_argument("--n-test", type=int, default=2000)

    args = parse_args(__doc__.splitlines()[0], extra)
    train, _, test = load_pairs()
    if args.quick:
        train, args.minutes, args.units, args.n_test = train[:3000], 0.3, 32, 100
    test = test[: args.n_test]
    results = run_models({"seqkit": run_seqkit, "keras": run_keras}, args, train, test)
    table = print_table(
        ["model", "test BLEU greedy", "test BLEU beam 5", "training s", "epochs"],
        [[r["model"], r["bleu_greedy"], r["bleu_beam5"] if r["bleu_beam5"] is not None
          else "—", r["train_seconds"], r["epochs"]] for r in results],
        title=f"English -> French, {len(train)} training pairs, {len(test)} test pairs")
    goals = []
    ours = [r for r in results if r["model"].startswith("seqkit")]
    base = [r for r in results if not r["model"].startswith("seqkit")]
    if ours and base:
        gap = ours[0]["bleu_beam5"] - base[0]["bleu_greedy"]
        goals.append(check_goal("beam 5 with attention >= baseline + 5 BLEU", gap, gap >= 5))
    config = dict(minutes=args.minutes, units=args.units, n_train=len(train),
                  n_test=len(test), threads=thread_settings())
    write_results("translation" + ("_quick" if args.quick else ""), config,
                  dict(runs=results, goals=goals), table)


if __name__ == "__main__":
    main()
