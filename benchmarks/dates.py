"""Dates in many formats to ISO ``YYYY-MM-DD``: SequenceTranslator beside the Keras
``lstm_seq2seq`` example's model, on a generated task with an exact answer.

Data: :func:`seqkit.datasets.make_date_pairs` (11 formats, e.g. ``"3 March 1998"``,
``"03/03/1998"``, ``"Tuesday, 3 March 1998"`` -> ``"1998-03-03"``): 6,000 training pairs
(seed 0) and a fixed held-out set of ``--n-test`` pairs (seed 1) without any source text
seen in training. Scored by exact match (the whole ISO date right):

* ``seqkit``: ``SequenceTranslator`` with the settings of ``examples/translate_dates.py``
  (character level, BiLSTM encoder and attention decoder of 64 units, embeddings of 16,
  learning rate 5e-3, batches of 64, 12 epochs), decoded by beam search (its default,
  width 5) and greedily.
* ``keras``: the model of the Keras ``lstm_seq2seq`` example (one-hot characters, LSTM
  encoder whose final states start an LSTM decoder, no attention, RMSprop) with the same
  units, trained for the wall-clock time seqkit's fit took, decoded greedily.

Goal (issue 21): exact match >= 0.99 within a few minutes.

Usage::

    python benchmarks/dates.py           # about 3 minutes on 2 shared cores
    python benchmarks/dates.py --quick   # smoke run

Writes ``results/dates[_quick].json``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# _common silences TensorFlow before it loads
from _common import check_goal, parse_args, print_table, write_results  # noqa: E402
from _generation import keras_seq2seq, thread_settings  # noqa: E402

SETTINGS = dict(level="char", units=64, embedding_dim=16, learning_rate=5e-3, batch_size=64,
                epochs=12, early_stopping=False, random_state=0)  # examples/translate_dates.py


def held_out_dates(n_train: int, n_test: int):
    """Training pairs (seed 0) and ``n_test`` pairs (seed 1) whose sources are unseen."""
    from seqkit.datasets import make_date_pairs

    X_train, y_train = make_date_pairs(n_train, random_state=0)
    seen = set(X_train)
    X_new, y_new = make_date_pairs(2 * n_test, random_state=1)
    test = [(x, y) for x, y in zip(X_new, y_new, strict=True) if x not in seen][:n_test]
    return X_train, y_train, [x for x, _ in test], [y for _, y in test]


def main() -> None:
    def extra(parser):
        parser.add_argument("--n-test", type=int, default=2000)

    args = parse_args(__doc__.splitlines()[0], extra)
    from seqkit import SequenceTranslator
    from seqkit.metrics import exact_match

    settings = dict(SETTINGS, **(dict(units=16, epochs=2) if args.quick else {}))
    X_train, y_train, X_test, y_test = held_out_dates(
        600 if args.quick else 6000, 100 if args.quick else args.n_test)
    model = SequenceTranslator(**settings)
    start = time.perf_counter()
    model.fit(X_train, y_train)
    fit_seconds = time.perf_counter() - start
    beam = model.predict(X_test)
    greedy, _ = model.generate(X_test, strategy="greedy")
    runs = [dict(model=f"seqkit SequenceTranslator char BiLSTM {settings['units']}, attention",
                 exact_match_greedy=exact_match(greedy, y_test),
                 exact_match_beam5=exact_match(beam, y_test), train_seconds=fit_seconds,
                 epochs=model.n_iter_,
                 examples=[list(t) for t in zip(X_test[:5], beam, y_test, strict=False)])]
    print(f"seqkit: {runs[0]}", flush=True)
    keras = keras_seq2seq(X_train, y_train, X_test, settings["units"], fit_seconds)
    runs.append(dict(model=f"Keras lstm_seq2seq, char LSTM {settings['units']}, no attention",
                     exact_match_greedy=exact_match(keras["hypotheses"], y_test),
                     exact_match_beam5=None, train_seconds=keras["train_seconds"],
                     epochs=keras["epochs"],
                     examples=[list(t) for t in zip(X_test[:5], keras["hypotheses"], y_test,
                                                    strict=False)]))
    table = print_table(
        ["model", "exact match greedy", "exact match beam 5", "training s", "epochs"],
        [[r["model"], r["exact_match_greedy"],
          "—" if r["exact_match_beam5"] is None else r["exact_match_beam5"],
          r["train_seconds"], r["epochs"]] for r in runs],
        title=f"dates to ISO, {len(X_train)} training pairs, {len(X_test)} unseen test dates")
    goals = [check_goal("seqkit exact match >= 0.99", runs[0]["exact_match_beam5"],
                        runs[0]["exact_match_beam5"] >= 0.99)]
    config = dict(settings=settings, n_train=len(X_train), n_test=len(X_test),
                  threads=thread_settings())
    write_results("dates" + ("_quick" if args.quick else ""), config,
                  dict(runs=runs, goals=goals), table)


if __name__ == "__main__":
    main()
