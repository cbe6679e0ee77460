"""Does early stopping end training before rare entity classes are learnt?

Small, sparse NER data is where stopping on the validation loss can hurt: the loss is
dominated by the frequent ``O`` tag and may stop improving while the rare classes are
still being learnt. No NER corpus is bundled, so CoNLL-2000 stands in with the same
shape: its rare chunk types (ADJP, ADVP, PRT, SBAR, CONJP, INTJ, LST, UCP; about one
chunk in ten) are the "entities", every other token is ``O``, and the tokens are the
words alone (no POS column). 3,000 sentences of its train split (seed 0) are the
training set; 1,000 other train sentences are a dev set, scored after every epoch only
to draw the learning curve (the tagger never sees them); the test split, mapped the
same way, is scored once at the end of each run.

Runs (``SequenceTagger(crf=True, random_state=0)`` plus)::

    defaults        nothing: the library's defaults as a user calls them
    stop_loss_p10   the tagger's settings before the tagging suite: early stopping on
                    10 % held out, patience 10 on the validation loss
    no_stop_60      the same network trained 60 epochs without stopping (the reference
                    curve: how far the entity F1 would have gone)

Usage::

    python benchmarks/rare_entities.py [--runs defaults stop_loss_p10 no_stop_60]
                                       [--quick] [--threads 1]

Results: ``benchmarks/results/rare_entities.json`` and the table printed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import data_path, emit, print_table, run_worker, write_results  # noqa: E402

SCRIPT = str(Path(__file__).resolve())
RARE_TYPES = {"ADJP", "ADVP", "PRT", "SBAR", "CONJP", "INTJ", "LST", "UCP"}
N_TRAIN, N_DEV = 3_000, 1_000
# The tagger's defaults before the tagging suite, without their training schedule.
EARLIER = dict(units=64, embedding_dim=64, char_embedding_dim=16, char_filters=32,
               dropout=0.0, word_dropout=0.05, learning_rate=1e-3, lr_schedule="constant")
RUNS = {
    "defaults": {},
    "stop_loss_p10": dict(EARLIER, epochs=200, early_stopping=True, patience=10),
    "no_stop_60": dict(EARLIER, epochs=60, early_stopping=False, patience=None),
}
QUICK = dict(epochs=2)


def rare_only(tags: list[str]) -> list[str]:
    """Keep the B-/I- tags of the rare chunk types; every other tag becomes ``O``."""
    return [tag if tag != "O" and tag[2:] in RARE_TYPES else "O" for tag in tags]


def load(quick: bool):
    """``(train, dev, test)`` pairs ``(sentences, tags)`` with only the rare types."""
    import numpy as np

    from seqkit.datasets import read_conll

    folder = data_path("conll2000")
    words, tags = read_conll(folder / "train.txt", columns=(0, 2))
    order = np.random.default_rng(0).permutation(len(words))
    n_train, n_dev = (300, 100) if quick else (N_TRAIN, N_DEV)
    pick = lambda rows: ([words[i] for i in rows],  # noqa: E731
                         [rare_only(tags[i]) for i in rows])
    train, dev = pick(order[:n_train]), pick(order[n_train:n_train + n_dev])
    test_words, test_tags = read_conll(folder / "test.txt", columns=(0, 2))
    test = (test_words, [rare_only(t) for t in test_tags])
    return train, dev, test


def worker(run: str, quick: bool, threads: int) -> None:
    """Fit one run, scoring dev after every epoch; emit the curve and the test scores."""
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)
    from tagging import dev_checkpoint

    from seqkit import SequenceTagger
    from seqkit.metrics import entity_f1, entity_report

    train, dev, test = load(quick)
    tagger = SequenceTagger(**{"crf": True, "random_state": 0, **RUNS[run],
                               **(QUICK if quick else {})})
    curve = dev_checkpoint(tagger, *dev, entity_f1, restore=False)
    tagger.set_params(callbacks=[curve])
    start = time.perf_counter()
    tagger.fit(*train)
    seconds = time.perf_counter() - start
    tagger.set_params(callbacks=None)
    report = entity_report(test[1], tagger.predict(test[0]))
    entity_share = sum(t.startswith("B-") for s in train[1] for t in s) / sum(
        t.startswith("B-") or t == "O" for s in train[1] for t in s)
    emit({"run": run, "params": RUNS[run], "fit_seconds": seconds, "epochs": tagger.n_iter_,
          "stopped_early": tagger.n_iter_ < tagger.get_params()["epochs"],
          "dev_f1_per_epoch": [round(v, 2) for v in curve.scores],
          "best_dev_epoch": curve.best_epoch + 1,
          "val_loss": [round(v, 4) for v in tagger.history_.get("val_loss", [])],
          "test_f1": 100 * report["all"]["f1"],
          "test_f1_per_type": {k: round(100 * v["f1"], 1) for k, v in report.items()},
          "test_support": {k: v["support"] for k, v in report.items()},
          "entities_per_token": entity_share})


def earlier_rows(args) -> list[dict]:
    """The recorded rows of the runs not repeated now (runs can be done separately)."""
    from _common import RESULTS_DIR

    path = RESULTS_DIR / f"rare_entities{'_quick' if args.quick else ''}.json"
    if not path.exists():
        return []
    rows = json.loads(path.read_text())["results"]["rows"]
    return [r for r in rows if r["run"] not in args.runs]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", nargs="*", default=list(RUNS), choices=list(RUNS))
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--other-load", default="")
    args = parser.parse_args(argv)
    rows = earlier_rows(args)
    for run in args.runs:
        row = run_worker(SCRIPT, run, [int(args.quick), args.threads])
        row.setdefault("run", run)
        row["other_load"] = args.other_load
        rows.append(row)
        print(json.dumps(row), flush=True)
    rows.sort(key=lambda r: list(RUNS).index(r["run"]))
    ok = [r for r in rows if "error" not in r]
    types = sorted({t for r in ok for t in r["test_f1_per_type"] if t != "all"})
    table_rows = [[r["run"], r["epochs"], r["best_dev_epoch"],
                   f"{max(r['dev_f1_per_epoch']):.1f}", f"{r['dev_f1_per_epoch'][-1]:.1f}",
                   f"{r['test_f1']:.1f}",
                   *(r["test_f1_per_type"].get(t, "-") for t in types),
                   f"{r['fit_seconds']:.0f}"] for r in ok]
    table = print_table(["run", "epochs", "best dev epoch", "best dev F1", "last dev F1",
                         "test F1", *types, "fit s"], table_rows,
                        title="Rare entity types, 3,000 CoNLL-2000 sentences: entity F1 (%)")
    write_results("rare_entities" + ("_quick" if args.quick else ""),
                  {"runs": {r["run"]: RUNS[r["run"]] for r in rows}, "n_train": N_TRAIN,
                   "n_dev": N_DEV, "rare_types": sorted(RARE_TYPES), "threads": args.threads,
                   "other_load": args.other_load},
                  {"rows": rows}, table)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--worker":
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        run, quick, threads = sys.argv[2:]
        worker(run, bool(int(quick)), int(threads))
    else:
        main()
