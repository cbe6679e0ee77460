"""Benchmark suites: one recipe judged across many data sets, never tuned per data set.

Usage::

    python benchmarks/suite.py ucr --defaults              # library defaults, official TEST
    python benchmarks/suite.py ucr --candidate fcn128_lstm --stage validation
    python benchmarks/suite.py ucr --candidate fcn128_lstm --stage test
    python benchmarks/suite.py ucr --defaults --quick      # smoke run: 3 data sets, few epochs
    python benchmarks/suite.py ucr --defaults --datasets Beef CBF
    python benchmarks/suite.py text --defaults             # MR, Subj, MPQA (10-fold), TREC
    python benchmarks/suite.py text --candidate NAME --stage validation
    python benchmarks/suite.py tagging --candidate NAME --stage validation
    python benchmarks/suite.py tagging --defaults          # EWT UPOS, CoNLL-2000 chunking
    python benchmarks/suite.py report    # copy the recorded tables into docs/choosing.md

``--stage validation`` never reads a TEST split: each data set's TRAIN (for the text sets
scored by 10-fold CV, the training part of the first fold) is split once (stratified when
every class has two or more members, seed 0) into two thirds for fitting and one third
for scoring. ``--stage test`` (what ``--defaults`` runs) fits on all of TRAIN and scores
the official TEST split, or runs the 10-fold CV (stratified, shuffled, seed 0). Every data
set runs in its own process with TensorFlow limited to ``--threads`` threads (1 by
default, so two suites or a suite and another benchmark can share this 2-core machine);
the record says what the load was.

Candidates are in :mod:`_suite_candidates`; the selection protocol is written there and
in ``docs/choosing.md`` (it was written before the runs). Results go to
``benchmarks/results/suite_<suite>_<candidate>_<stage>.json`` and the table printed is the
one in the docs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import emit, print_table, run_worker, write_results  # noqa: E402

SCRIPT = str(Path(__file__).resolve())
QUICK = dict(epochs=3)
QUICK_DATASETS = ["Chinatown", "Coffee", "JapaneseVowels"]
TIE = 1e-9  # accuracies closer than this count as a tie in wins / ties / losses


# ------------------------------------------------------------------------- workers
def limit_threads(threads: int) -> None:
    """Limit TensorFlow's thread pools (call before any TensorFlow op runs)."""
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)


def validation_split(X, y, seed: int = 0):
    """Two thirds of TRAIN to fit, one third to score; stratified when it can be."""
    import numpy as np
    from sklearn.model_selection import train_test_split

    labels, counts = np.unique(y, return_counts=True)
    stratify = y if counts.min() >= 2 and len(y) // 3 >= len(labels) else None
    index = np.arange(len(y))
    fit, score = train_test_split(index, test_size=1 / 3, stratify=stratify,
                                  random_state=seed)
    take = (lambda idx: X[idx]) if hasattr(X, "shape") else (lambda idx: [X[i] for i in idx])
    return take(fit), y[fit], take(score), y[score]


def ucr_worker(dataset: str, candidate: str, stage: str, quick: bool, threads: int) -> None:
    """Fit one candidate on one UCR data set and emit its accuracy and fit time."""
    limit_threads(threads)
    import _suite_candidates as candidates
    from _ucr_data import load

    from seqkit import SequenceClassifier

    X_train, y_train, X_test, y_test = load(dataset)
    if stage == "validation":
        X_train, y_train, X_test, y_test = validation_split(X_train, y_train)
    params = {**candidates.UCR[candidate], "random_state": 0, **(QUICK if quick else {})}
    model = SequenceClassifier(**params)
    start = time.perf_counter()
    model.fit(X_train, y_train)
    fit_seconds = time.perf_counter() - start
    emit({"dataset": dataset, "accuracy": float(model.score(X_test, y_test)),
          "fit_seconds": fit_seconds, "epochs": model.n_iter_,
          "n_train": len(y_train), "n_scored": len(y_test)})


def text_worker(dataset: str, candidate: str, stage: str, quick: bool, threads: int) -> None:
    """Fit one candidate pipeline on one text data set's splits; emit the mean accuracy."""
    limit_threads(threads)
    import _suite_candidates as candidates
    import numpy as np
    from _text_data import splits
    from sklearn.pipeline import make_pipeline

    from seqkit import SequenceClassifier
    from seqkit.text import Tokenizer

    params = {**candidates.TEXT[candidate], "random_state": 0, **(QUICK if quick else {})}
    tokenizer_params = params.pop("tokenizer", {})
    evaluation = list(splits(dataset))
    if params.pop("vectors", None) == "minilm":  # pretrained vectors for every word
        from _minilm_vectors import tokenizer_embedding

        all_texts = np.concatenate([evaluation[0][0], evaluation[0][2]])
        words, weights = tokenizer_embedding(all_texts, **tokenizer_params)
        tokenizer_params = {**tokenizer_params, "vocabulary": words}
        params["embedding_weights"] = weights
    if stage == "validation":
        X_train, y_train = evaluation[0][:2]
        evaluation = [validation_split(X_train, y_train)]
    if quick:
        # every k-th sentence: the folds are sorted by label
        evaluation = [tuple(part[::max(1, len(part) // 400)] for part in split)
                      for split in evaluation[:2]]
    scores, seconds, epochs = [], [], []
    for X_train, y_train, X_test, y_test in evaluation:
        model = make_pipeline(Tokenizer(**tokenizer_params), SequenceClassifier(**params))
        start = time.perf_counter()
        model.fit(X_train, y_train)
        seconds.append(time.perf_counter() - start)
        scores.append(float(model.score(X_test, y_test)))
        epochs.append(model[-1].n_iter_)
    emit({"dataset": dataset, "accuracy": statistics.fmean(scores), "fold_accuracies": scores,
          "fit_seconds": statistics.fmean(seconds), "epochs": epochs,
          "n_train": len(y_train), "n_scored": len(y_test)})


TAGGING_TASKS = {"EWT-UPOS": "ewt", "CoNLL2000-chunk": "chunk"}
TAGGING_QUICK = dict(units=8, embedding_dim=8, char_filters=8, epochs=2)


def tagging_worker(dataset: str, candidate: str, stage: str, quick: bool,
                   threads: int) -> None:
    """Fit one tagger candidate on one corpus as a user would; emit its score."""
    limit_threads(threads)
    import _suite_candidates as candidates
    import tagging

    from seqkit import SequenceTagger

    task = TAGGING_TASKS[dataset]
    train, dev, test = tagging.load(task, quick, test=stage == "test")
    if stage == "test":  # all of the training data, then the official test split
        train = (train[0] + (dev[0] if task == "chunk" else []),
                 train[1] + (dev[1] if task == "chunk" else []))
        scored = test
    else:
        scored = dev
    params = {**candidates.TAGGING[candidate], "random_state": 0,
              **(TAGGING_QUICK if quick else {})}
    model = SequenceTagger(**params)
    start = time.perf_counter()
    model.fit(*train)
    fit_seconds = time.perf_counter() - start
    score = tagging.metric_of(task)(scored[1], model.predict(scored[0]))
    emit({"dataset": dataset, "score": 100 * float(score),
          "metric": "token accuracy" if task == "ewt" else "entity F1",
          "fit_seconds": fit_seconds, "epochs": model.n_iter_,
          "n_train": len(train[0]), "n_scored": len(scored[0])})


# ------------------------------------------------------------------------ UCR table
def mean_rank(scores: dict[str, float | None]) -> dict[str, float]:
    """Rank of each method on one data set (1 = best, ties share the mean rank)."""
    present = {k: v for k, v in scores.items() if v is not None}
    ordered = sorted(present.values(), reverse=True)
    return {k: (ordered.index(v) + 1 + len(ordered) - ordered[::-1].index(v)) / 2
            for k, v in present.items()}


def ucr_summary(rows: list[dict], published: dict, name: str) -> dict:
    """Mean accuracy, mean rank among the published methods, wins / ties / losses vs FCN."""
    from _ucr_data import METHODS, SUITE_25

    in_suite = [r for r in rows if r["dataset"] in SUITE_25 and "accuracy" in r]
    ranks = [mean_rank({name: r["accuracy"], **published[r["dataset"]]})
             for r in in_suite]
    summary = {"n_datasets": len(in_suite),
               "mean_accuracy_25": statistics.fmean(r["accuracy"] for r in in_suite)
               if in_suite else None,
               "worst_vs_fcn": min((r["accuracy"] - published[r["dataset"]]["FCN"], r["dataset"])
                                   for r in in_suite) if in_suite else None,
               "median_fit_seconds": statistics.median(r["fit_seconds"] for r in rows
                                                       if "fit_seconds" in r) if rows else None}
    for method in [name, *METHODS]:
        values = [rank[method] for rank in ranks if method in rank]
        summary[f"mean_rank_{method}"] = statistics.fmean(values) if values else None
    for method in METHODS:
        values = [published[r["dataset"]][method] for r in in_suite
                  if published[r["dataset"]][method] is not None]
        summary[f"published_mean_{method}"] = statistics.fmean(values) if values else None
    differences = [r["accuracy"] - published[r["dataset"]]["FCN"] for r in in_suite]
    summary["vs_fcn_wins_ties_losses"] = [sum(d > TIE for d in differences),
                                          sum(abs(d) <= TIE for d in differences),
                                          sum(d < -TIE for d in differences)]
    return summary


def ucr_table(rows: list[dict], published: dict, summary: dict, name: str, stage: str) -> str:
    """The per-data-set table with the summary rows."""
    from _ucr_data import METHODS

    number = lambda v: "-" if v is None else f"{v:.3f}"  # noqa: E731
    table_rows = []
    for r in rows:
        if "error" in r:
            table_rows.append([r["dataset"], "error", "-", *["-"] * len(METHODS)])
            continue
        table_rows.append([r["dataset"], number(r["accuracy"]), f"{r['fit_seconds']:.0f}",
                           *(number(published[r["dataset"]][m]) for m in METHODS)])
    if stage == "test":
        table_rows.append(["mean of the 25", number(summary["mean_accuracy_25"]), "-",
                           *(number(summary[f"published_mean_{m}"]) for m in METHODS)])
        table_rows.append(["mean rank (25)", f"{summary[f'mean_rank_{name}']:.2f}", "-",
                           *(f"{summary[f'mean_rank_{m}']:.2f}" for m in METHODS)])
        w, t, lo = summary["vs_fcn_wins_ties_losses"]
        table_rows.append(["vs FCN: W/T/L", f"{w}/{t}/{lo}", "-", *["-"] * len(METHODS)])
    else:
        table_rows.append(["mean of the 25", number(summary["mean_accuracy_25"]), "-",
                           *["-"] * len(METHODS)])
    table_rows.append(["median fit s", "-", f"{summary['median_fit_seconds']:.0f}",
                       *["-"] * len(METHODS)])
    what = "TEST accuracy" if stage == "test" else "validation accuracy (inside TRAIN)"
    return print_table(["data set", f"seqkit {name}", "fit s", *METHODS], table_rows,
                       title=f"UCR suite, {what}: seqkit {name} beside published TEST accuracies")


def text_table(rows: list[dict], name: str, stage: str) -> tuple[str, dict]:
    """The text suite's table (beside Kim 2014) and its summary."""
    from _text_data import KIM_2014

    ok = [r for r in rows if "error" not in r]
    summary = {"mean_accuracy": statistics.fmean(r["accuracy"] for r in ok) if ok else None,
               "worst_vs_cnn_rand": min((r["accuracy"] - KIM_2014[r["dataset"]]["CNN-rand"],
                                         r["dataset"]) for r in ok) if ok else None}
    table_rows = [[r["dataset"], "error" if "error" in r else f"{r['accuracy']:.3f}",
                   f"{r.get('fit_seconds', float('nan')):.0f}",
                   f"{KIM_2014[r['dataset']]['CNN-rand']:.3f}",
                   f"{KIM_2014[r['dataset']]['CNN-static']:.3f}"] for r in rows]
    what = "accuracy (10-fold CV; TREC: official test)" if stage == "test" else \
        "validation accuracy (inside the training data)"
    table = print_table(["data set", f"seqkit {name}", "fit s per fold", "Kim CNN-rand",
                         "Kim CNN-static"], table_rows,
                        title=f"Sentence classification, {what}")
    return table, summary


def tagging_table(rows: list[dict], name: str, stage: str) -> tuple[str, dict]:
    """The tagging suite's table (beside its goals and published numbers) and summary."""
    goals = {"EWT-UPOS": 95.0, "CoNLL2000-chunk": 93.5}
    published = {"EWT-UPOS": "BiLSTM, no pretrained vectors: about 94.5-95",
                 "CoNLL2000-chunk": "shared-task best 93.48; BiLSTM-CRF 94.46"}
    ok = [r for r in rows if "error" not in r]
    summary = {"mean_score": statistics.fmean(r["score"] for r in ok) if ok else None,
               "median_fit_seconds": statistics.median(r["fit_seconds"] for r in ok)
               if ok else None}
    table_rows = [[r["dataset"], r.get("metric", "-"),
                   "error" if "error" in r else f"{r['score']:.2f}",
                   f"{r.get('fit_seconds', float('nan')):.0f}", r.get("epochs", "-"),
                   f"{goals[r['dataset']]:.1f}", published[r["dataset"]]] for r in rows]
    what = "TEST (official)" if stage == "test" else "validation (dev; CoNLL: 10 % of train)"
    table = print_table(["data set", "metric", f"seqkit {name}", "fit s", "epochs", "goal",
                         "published"], table_rows,
                        title=f"SequenceTagger(crf=True), {what}")
    return table, summary


def run_suite(args) -> None:
    """Run one candidate over a suite, each data set in its own process; write the record."""
    import _suite_candidates as candidates

    recipes = {"ucr": candidates.UCR, "text": candidates.TEXT,
               "tagging": candidates.TAGGING}[args.suite]
    name = "defaults" if args.defaults else args.candidate
    if name not in recipes:
        sys.exit(f"error: unknown candidate {name!r}; known: {sorted(recipes)}")
    stage = "test" if args.defaults else args.stage
    if args.suite == "ucr":
        from _ucr_data import DATASETS
        quick_datasets = QUICK_DATASETS
    elif args.suite == "text":
        from _text_data import DATASETS
        quick_datasets = ["MPQA", "TREC"]
    else:
        DATASETS = quick_datasets = list(TAGGING_TASKS)
    datasets = args.datasets or (quick_datasets if args.quick else DATASETS)
    suffix = "_quick" if args.quick else ""
    record = f"suite_{args.suite}_{name}_{stage}{suffix}"
    rows = []
    for dataset in datasets:
        row = run_worker(SCRIPT, args.suite,
                         [dataset, name, stage, int(args.quick), args.threads])
        row.setdefault("dataset", dataset)
        rows.append(row)
        print(json.dumps(row), flush=True)
    rows = earlier_rows(record, rows) + rows
    if args.suite == "ucr":
        from _ucr_data import published

        summary = ucr_summary([r for r in rows if "error" not in r], published(), name)
        table = ucr_table(rows, published(), summary, name, stage)
    elif args.suite == "text":
        table, summary = text_table(rows, name, stage)
    else:
        table, summary = tagging_table(rows, name, stage)
    print(json.dumps(summary, indent=1))
    write_results(record,
                  {"candidate": name, "params": recipes[name], "stage": stage,
                   "threads_per_fit": args.threads, "random_state": 0,
                   "other_load": args.other_load,
                   "datasets": [row["dataset"] for row in rows]},
                  {"rows": rows, "summary": summary}, table)


def earlier_rows(record: str, rows: list[dict]) -> list[dict]:
    """Rows of an earlier run of the same record for data sets this run did not repeat.

    Running a suite on some of its data sets (``--datasets``) adds to the record instead
    of replacing the other data sets' results.
    """
    from _common import RESULTS_DIR

    path = RESULTS_DIR / f"{record}.json"
    if not path.exists():
        return []
    repeated = {row["dataset"] for row in rows}
    return [row for row in json.loads(path.read_text())["results"]["rows"]
            if row["dataset"] not in repeated]


# ------------------------------------------------------------------------- report
DOCS_PAGE = Path(__file__).resolve().parent.parent / "docs" / "choosing.md"


def fenced(tables: list[str]) -> str:
    return "\n\n".join(f"```text\n{table}\n```" for table in tables) or "(not run yet)"


def report() -> None:
    """Copy the recorded suite tables into docs/choosing.md, between its markers."""
    from _common import RESULTS_DIR

    def tables(pattern: str) -> list[str]:
        records = [json.loads(p.read_text()) for p in sorted(RESULTS_DIR.glob(pattern))]
        return [r["table"] for r in records if not r["benchmark"].endswith("_quick")]

    sections = {"ucr test table": tables("suite_ucr_defaults_test.json"),
                "text test table": tables("suite_text_defaults_test.json")
                + tables("suite_text_minilm_static_test.json"),
                "tagging test table": tables("suite_tagging_defaults_test.json"),
                "rare entities table": tables("rare_entities.json"),
                "validation tables": tables("suite_ucr_*_validation.json")
                + tables("suite_text_*_validation.json")
                + tables("suite_tagging_*_validation.json")}
    page = DOCS_PAGE.read_text()
    for marker, content in sections.items():
        start, end = f"<!-- {marker} -->", f"<!-- /{marker} -->"
        before, _, rest = page.partition(start)
        _, _, after = rest.partition(end) if end in rest else ("", "", rest)
        page = f"{before}{start}\n{fenced(content)}\n{end}{after}"
    DOCS_PAGE.write_text(page)
    print(f"wrote the suite tables into {DOCS_PAGE}")


# --------------------------------------------------------------------------- main
def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("suite", choices=["ucr", "text", "tagging", "report"])
    parser.add_argument("--defaults", action="store_true",
                        help="the library defaults on the official TEST splits")
    parser.add_argument("--candidate", default="defaults")
    parser.add_argument("--stage", choices=["validation", "test"], default="validation")
    parser.add_argument("--datasets", nargs="*")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--other-load", default="",
                        help="what else ran on the machine meanwhile (kept in the record)")
    args = parser.parse_args(argv)
    if args.suite == "report":
        report()
    else:
        run_suite(args)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--worker":
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        kind, dataset, candidate, stage, quick, threads = sys.argv[2:]
        worker = {"ucr": ucr_worker, "text": text_worker, "tagging": tagging_worker}[kind]
        worker(dataset, candidate, stage, bool(int(quick)), int(threads))
    else:
        main()
