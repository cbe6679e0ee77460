"""SequenceTagger on real corpora: UD English-EWT UPOS, CoNLL-2000 chunking (CRF on / off),
and the speed of length bucketing.

Tasks (one per run, so each can be given its own time budget)::

    python benchmarks/tagging.py ewt            # UPOS accuracy on EWT test
    python benchmarks/tagging.py chunk          # CoNLL-2000 entity F1 on test, crf=True
    python benchmarks/tagging.py chunk-nocrf    # the same with crf=False
    python benchmarks/tagging.py speed          # s/epoch and predict tokens/s, bucketing on/off

Official splits: EWT trains on train, is checked on dev and reported on test; CoNLL-2000
has no dev set, so the tagger's early stopping holds out 10 % of train and test is only
read for the final number. Training stops after ``--minutes`` of wall time at the latest
(the weights of the best validation epoch are kept). ``--quick`` runs a tiny smoke test.
Results go to ``benchmarks/results/tagging_<task>.json``.
"""

from __future__ import annotations

import time

import _common as common

PUBLISHED = {
    "ewt": "BiLSTM taggers without pretrained embeddings: about 94.5-95 UPOS accuracy",
    "chunk": "best CoNLL-2000 shared-task system 93.48 F1; BiLSTM-CRF (Huang et al. 2015, "
             "with POS features and Senna embeddings) 94.46",
}
GOALS = {"ewt": 95.0, "chunk": 93.5}
SETTINGS = dict(units=100, embedding_dim=100, char_embedding_dim=25, char_filters=50,
                dropout=0.25, learning_rate=2e-3, batch_size=32, epochs=40, patience=3,
                early_stopping=True, random_state=0)


def time_limit(minutes: float):
    """A Keras callback that stops training once ``minutes`` of wall time have passed."""
    import keras

    class TimeLimit(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.start = time.perf_counter()

        def on_train_batch_end(self, batch, logs=None):
            if time.perf_counter() - self.start > 60 * minutes:
                self.model.stop_training = True

    return TimeLimit()


def load(task: str, quick: bool):
    from seqkit.datasets import read_conll, read_conllu

    if task == "chunk" or task == "chunk-nocrf":
        folder = common.data_path("conll2000")
        train = read_conll(folder / "train.txt")
        test = read_conll(folder / "test.txt")
        dev = None
    else:
        folder = common.data_path("ud_english_ewt")
        train, dev, test = (read_conllu(folder / f"en_ewt-ud-{split}.conllu")
                            for split in ("train", "dev", "test"))
    if quick:
        train = tuple(part[:300] for part in train)
        test = tuple(part[:100] for part in test)
        dev = None if dev is None else tuple(part[:100] for part in dev)
    return train, dev, test


def accuracy_run(task: str, quick: bool, minutes: float) -> None:
    from seqkit import SequenceTagger
    from seqkit.metrics import entity_f1

    (X, y), dev, (X_test, y_test) = load(task, quick)
    settings = dict(SETTINGS, crf=task == "chunk")
    if quick:
        settings.update(units=16, embedding_dim=16, char_filters=8, epochs=2)
    timer = common.epoch_timer()
    tagger = SequenceTagger(**settings, callbacks=[timer, time_limit(minutes)])
    start = time.perf_counter()
    tagger.fit(X, y)
    fit_seconds = time.perf_counter() - start
    start = time.perf_counter()
    predicted = tagger.predict(X_test)
    predict_seconds = time.perf_counter() - start
    n_tokens = sum(map(len, X_test))
    results = dict(task=task, n_train=len(X), n_test=len(X_test), epochs=tagger.n_iter_,
                   fit_seconds=fit_seconds, seconds_per_epoch=timer.times,
                   predict_tokens_per_second=n_tokens / predict_seconds,
                   test_token_accuracy=100 * tagger.score(X_test, y_test),
                   published=PUBLISHED["chunk" if task.startswith("chunk") else "ewt"])
    if dev is not None:
        results["dev_token_accuracy"] = 100 * tagger.score(*dev)
    if task.startswith("chunk"):
        results["test_entity_f1"] = 100 * entity_f1(y_test, predicted)
        metric, goal = "test_entity_f1", GOALS["chunk"]
    else:
        metric, goal = "test_token_accuracy", GOALS["ewt"]
    rows = [[k, v if not isinstance(v, list) else round(sum(v) / max(len(v), 1), 1)]
            for k, v in results.items()]
    table = common.print_table(["quantity", "value"], rows, title=f"SequenceTagger, {task}")
    if not quick:
        results["goal"] = common.check_goal(f"{metric} >= {goal}", results[metric],
                                            results[metric] >= goal)
    suffix = "_quick" if quick else ""
    common.write_results(f"tagging_{task}{suffix}", dict(settings, minutes=minutes), results,
                         table)


def speed_run(quick: bool) -> None:
    """Seconds per training epoch and predict tokens/s with bucketing on and off (EWT)."""
    from seqkit import SequenceTagger

    (X, y), dev, _ = load("ewt", quick)
    n = 300 if quick else 3000
    X, y = X[:n], y[:n]
    X_dev = dev[0]
    n_tokens = sum(map(len, X_dev))
    rows, results = [], {}
    for bucketing in (True, False):
        timer = common.epoch_timer()
        settings = dict(SETTINGS, epochs=3, early_stopping=False, patience=None,
                        bucketing=bucketing, callbacks=[timer])
        if quick:
            settings.update(units=16, embedding_dim=16, char_filters=8, epochs=2)
        tagger = SequenceTagger(**settings).fit(X, y)
        # The base buckets prediction batches by length always; bucketing=False only
        # changes training. Time prediction the same way for both.
        tagger.predict(X_dev[:10])
        start = time.perf_counter()
        tagger.predict(X_dev)
        speed = n_tokens / (time.perf_counter() - start)
        steady = timer.times[1:] or timer.times
        results[f"bucketing={bucketing}"] = dict(seconds_per_epoch=timer.times,
                                                 predict_tokens_per_second=speed)
        rows.append([f"bucketing={bucketing}", sum(steady) / len(steady), speed])
    table = common.print_table(["setting", "s / epoch (epochs 2..)", "predict tokens / s"],
                               rows, title=f"SequenceTagger speed, EWT first {n} sentences")
    suffix = "_quick" if quick else ""
    common.write_results(f"tagging_speed{suffix}", dict(n_train=n), results, table)


def main() -> None:
    def extra(parser):
        parser.add_argument("task", choices=["ewt", "chunk", "chunk-nocrf", "speed"])
        parser.add_argument("--minutes", type=float, default=18.0,
                            help="wall-time budget for training (default 18)")

    args = common.parse_args(__doc__.splitlines()[0], extra)
    if args.task == "speed":
        speed_run(args.quick)
    else:
        accuracy_run(args.task, args.quick, args.minutes)


if __name__ == "__main__":
    main()
