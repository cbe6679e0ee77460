"""SequenceTagger on real corpora: UD English-EWT UPOS, CoNLL-2000 chunking (CRF on / off),
and the speed of length bucketing.

Tasks (one per run, so each can be given its own time budget)::

    python benchmarks/tagging.py ewt --tune     # candidates compared on EWT dev
    python benchmarks/tagging.py chunk --tune   # candidates compared on held-out train
    python benchmarks/tagging.py ewt            # UPOS accuracy on EWT test
    python benchmarks/tagging.py chunk          # CoNLL-2000 entity F1 on test, crf=True
    python benchmarks/tagging.py chunk --tuned  # the --tune winner itself scored on test
    python benchmarks/tagging.py chunk --refit  # fixed-length winner retrained on train+dev
    python benchmarks/tagging.py chunk-nocrf --refit  # the same with crf=False
    python benchmarks/tagging.py chunk-nocrf    # the same with crf=False
    python benchmarks/tagging.py speed          # s/epoch and predict tokens/s, bucketing on/off

Dev sets and test: EWT trains on train and is tuned on the official dev split.
CoNLL-2000 has no dev set, so a fixed 10 % of its training sentences (seed 0) is held
out as dev and the tagger trains on the other 90 %. Test is read only by the final runs,
once, after training. In every run the dev score is measured after each epoch and the
weights of the best dev epoch are kept (early stopping on dev; no training data is
held out besides). ``--tune`` trains each of a few candidates with a shorter budget
and keeps the best dev score; the final run trains the winner (chunk-nocrf: the chunk
winner with the CRF off, so the CRF's worth is measured at equal settings).

A candidate with ``vectors="minilm"`` starts its word embedding from pretrained vectors
(``pretrained_vectors``; they need the wheel named in ``_minilm_vectors.py``).

The chunking runs read CoNLL-2000's POS column as a token feature: tokens are
``(word, pos)`` tuples, as in the shared-task systems and Huang et al. (2015).

Training stops after ``--minutes`` of wall time at the latest (dev evaluation
included). Candidates with ``lr_decay="cosine"`` anneal the learning rate over that
budget (see ``time_budget``). ``--tune --candidates 3,4`` trains only those candidates;
the rounds before stay recorded in the tuning file. Every tuned tagger is pickled
to ``benchmarks/models/`` (not in git); ``chunk --tuned`` scores the round's winner
itself on test, so a full-budget tuning round (``--tune --minutes 17``) is followed by
one test reading of the very model that won on dev. ``--quick`` runs a tiny smoke
test. Results go to ``benchmarks/results/tagging_<task>.json`` (tuning:
``tagging_tuning_<task>.json``).
"""

from __future__ import annotations

import functools
import json
import math
import time

import _common as common
import numpy as np

PUBLISHED = {
    "ewt": "BiLSTM taggers without pretrained embeddings: about 94.5-95 UPOS accuracy",
    "chunk": "best CoNLL-2000 shared-task system 93.48 F1; BiLSTM-CRF (Huang et al. 2015, "
             "with POS features and Senna embeddings) 94.46",
}
GOALS = {"ewt": 95.0, "chunk": 93.5}
BASE = dict(units=100, embedding_dim=100, char_embedding_dim=25, char_filters=50,
            dropout=0.25, learning_rate=2e-3, batch_size=32, epochs=100,
            early_stopping=False, random_state=0)
# Candidates compared on dev by ``--tune`` (the first is the untuned baseline).
CANDIDATES = {
    "ewt": [
        {},
        dict(dropout=0.4, learning_rate=3e-3),
        dict(units=150, dropout=0.33, char_filters=64),
        # round 2 (bucketing now effective, so about twice the epochs fit in a budget)
        dict(dropout=0.4, learning_rate=3e-3, lr_decay="cosine"),
        dict(dropout=0.4, learning_rate=3e-3, lr_decay="cosine", char_filters=100,
             word_dropout=0.1),
        dict(dropout=0.4, learning_rate=4e-3, lr_decay="cosine", char_filters=100,
             word_dropout=0.1, batch_size=64),
        # session 11, fixed before its run: the round-2 winner (candidate 3) on pretrained
        # word vectors (``vectors``, below), fine-tuned
        dict(dropout=0.4, learning_rate=3e-3, lr_decay="cosine", embedding_dim=384,
             vectors="minilm"),
    ],
    "chunk": [
        dict(crf=True),
        dict(crf=True, dropout=0.4, learning_rate=3e-3),
        dict(crf=True, units=150, dropout=0.33, feature_embedding_dim=32),
        # round 2
        dict(crf=True, dropout=0.4, learning_rate=3e-3, lr_decay="cosine"),
        dict(crf=True, dropout=0.4, learning_rate=3e-3, lr_decay="cosine", word_dropout=0.1,
             feature_embedding_dim=32),
        # round 3, full budget: the round-2 winner trained for 18 min peaked on dev at
        # epoch 13 of 27 (overfitting after), so more dropout and a second BiLSTM layer
        dict(crf=True, dropout=0.5, learning_rate=3e-3, lr_decay="cosine", word_dropout=0.1,
             feature_embedding_dim=32),
        dict(crf=True, dropout=0.4, learning_rate=3e-3, lr_decay="cosine", word_dropout=0.1,
             feature_embedding_dim=32, num_layers=2),
        # round 4: neither beat the round-2 winner's 94.13 dev at 17 min (all four
        # plateau at 93.8-94.0 after 7-13 epochs), so the round-2 winner as a 3-member
        # ensemble (shared embeddings, one BiLSTM and CRF each, CRFs pooled at decoding)
        dict(crf=True, dropout=0.4, learning_rate=3e-3, lr_decay="cosine", word_dropout=0.1,
             feature_embedding_dim=32, ensemble_size=3),
        # round 5: more units with the stronger dropout of candidate 5
        dict(crf=True, units=200, dropout=0.5, learning_rate=3e-3, lr_decay="cosine",
             word_dropout=0.1, feature_embedding_dim=32),
        # round 6 (session 5): the round-2 winner with a fixed length, the library's own
        # cosine schedule over 16 epochs, so that it can be retrained on all of train
        # without dev (--refit)
        dict(crf=True, dropout=0.4, learning_rate=3e-3, lr_schedule="cosine", epochs=16,
             patience=None, word_dropout=0.1, feature_embedding_dim=32),
        # round 7 (session 11), fixed before its run: the round-6 candidate on pretrained
        # word vectors (``vectors``, below), fine-tuned; --refit's rule applies unchanged
        dict(crf=True, dropout=0.4, learning_rate=3e-3, lr_schedule="cosine", epochs=16,
             patience=None, word_dropout=0.1, feature_embedding_dim=32, embedding_dim=384,
             vectors="minilm"),
    ],
}
# The candidates the final runs train: round 2's dev winners. The full-budget chunk
# rounds 3-4 had none better on dev (a winner there would be scored with --tuned).
CHOSEN = {"ewt": 3, "chunk": 4}
# Session 5, decided before any run of it: ``chunk --refit`` retrains the fixed-length
# candidate with the best last-epoch dev score on all of CoNLL-2000's train (as the
# shared-task systems trained) and its test F1 becomes the reported chunking number,
# higher or lower than the earlier one (which stays recorded in tagging_chunk.json);
# ``chunk-nocrf --refit`` retrains the same candidate with the CRF off.
# Candidate keys read by this script rather than by SequenceTagger: "lr_decay" (see
# ``time_budget``) and "vectors" (see ``pretrained_vectors``).
BENCHMARK_KEYS = ("lr_decay", "vectors")
TUNE_MINUTES = 5.0
MODELS_DIR = common.RESULTS_DIR.parent / "models"
QUICK = dict(units=16, embedding_dim=16, char_filters=8, epochs=2)


def time_budget(minutes: float, decay: str | None = None):
    """A Keras callback that stops training once ``minutes`` of wall time have passed.

    With ``decay="cosine"`` it also anneals the learning rate over the budget: at a
    fraction ``f`` of it the rate is ``0.5 * (1 + cos(pi * f))`` times the initial one,
    so the last epochs take small steps whatever number of epochs fits in the budget.
    """
    import keras

    if decay not in (None, "cosine"):
        raise ValueError(f"decay must be None or 'cosine', got {decay!r}")

    class TimeBudget(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.start = time.perf_counter()
            self.initial_rate = float(self.model.optimizer.learning_rate)

        def on_train_batch_begin(self, batch, logs=None):
            if decay is not None:
                fraction = min(1.0, (time.perf_counter() - self.start) / (60 * minutes))
                self.model.optimizer.learning_rate.assign(
                    self.initial_rate * 0.5 * (1 + math.cos(math.pi * fraction)))

        def on_train_batch_end(self, batch, logs=None):
            if time.perf_counter() - self.start > 60 * minutes:
                self.model.stop_training = True

    return TimeBudget()


def dev_checkpoint(tagger, X_dev, y_dev, metric, restore: bool = True):
    """A Keras callback that scores ``tagger`` on dev after every epoch and, when
    training ends, restores the weights of the best dev epoch (``restore=False``: only
    scores).

    ``scores`` holds the dev score of each epoch and ``best_epoch`` the best one.
    """
    import keras

    class DevCheckpoint(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.scores, self.best_epoch, self._best = [], None, None

        def on_epoch_end(self, epoch, logs=None):
            tagger._refresh_predictor()  # predict with a copy of the current weights
            self.scores.append(100 * metric(y_dev, tagger.predict(X_dev)))
            if self.best_epoch is None or self.scores[-1] > self.scores[self.best_epoch]:
                self.best_epoch, self._best = epoch, self.model.get_weights()

        def on_train_end(self, logs=None):
            if restore and self._best is not None:
                self.model.set_weights(self._best)

    return DevCheckpoint()


def family(task: str) -> str:
    return "chunk" if task.startswith("chunk") else "ewt"


def load(task: str, quick: bool, test: bool):
    """``(train, dev, test)`` pairs ``(X, y)``; test is None unless asked for.

    Chunking tokens are ``(word, pos)`` tuples; its dev set is 10 % of train (seed 0).
    """
    from seqkit.datasets import read_conll, read_conllu

    test_part = None
    if family(task) == "chunk":
        folder = common.data_path("conll2000")
        words, pos, tags = read_conll(folder / "train.txt", columns=(0, 1, 2))
        tokens = [list(zip(w, p, strict=True)) for w, p in zip(words, pos, strict=True)]
        order = np.random.default_rng(0).permutation(len(tokens))
        n_dev = len(tokens) // 10
        pick = lambda rows: ([tokens[i] for i in rows], [tags[i] for i in rows])  # noqa: E731
        dev, train = pick(np.sort(order[:n_dev])), pick(np.sort(order[n_dev:]))
        if test:
            words, pos, tags = read_conll(folder / "test.txt", columns=(0, 1, 2))
            test_part = ([list(zip(w, p, strict=True)) for w, p in zip(words, pos,
                                                                       strict=True)], tags)
    else:
        folder = common.data_path("ud_english_ewt")
        train, dev = (read_conllu(folder / f"en_ewt-ud-{split}.conllu")
                      for split in ("train", "dev"))
        if test:
            test_part = read_conllu(folder / "en_ewt-ud-test.conllu")
    if quick:
        train, dev = tuple(part[:300] for part in train), tuple(part[:100] for part in dev)
        test_part = test_part and tuple(part[:100] for part in test_part)
    return train, dev, test_part


@functools.lru_cache(maxsize=1)
def pretrained_vectors(task: str, quick: bool) -> tuple[list[str], np.ndarray]:
    """``word_vectors`` for the setting ``vectors="minilm"``: every lowercased word form
    of the task's train, dev and test text (tags unused), as a pretrained table would
    cover them, with the vectors of ``_minilm_vectors.py``."""
    from _minilm_vectors import minilm_word_vectors

    parts = load(task, quick, test=True)
    words = sorted({(token if isinstance(token, str) else token[0]).lower()
                    for X, _ in parts for sentence in X for token in sentence})
    return words, minilm_word_vectors(words)


def metric_of(task: str):
    from seqkit.metrics import entity_f1, token_accuracy

    return entity_f1 if family(task) == "chunk" else token_accuracy


def task_settings(task: str, params: dict, quick: bool) -> dict:
    """The tagger settings of a candidate for ``task`` (chunk-nocrf: the CRF off)."""
    settings = {**BASE, **params, **(QUICK if quick else {})}
    if "vectors" in params:  # the embedding is as wide as the vectors, also in quick runs
        settings["embedding_dim"] = params["embedding_dim"]
    if task == "chunk-nocrf":
        settings["crf"] = False
    return settings


def make_tagger(task: str, settings: dict, quick: bool, **params):
    """The SequenceTagger of ``settings`` (benchmark keys resolved) and ``params``."""
    from seqkit import SequenceTagger

    tagger = SequenceTagger(**{k: v for k, v in settings.items() if k not in BENCHMARK_KEYS},
                            **params)
    if settings.get("vectors") == "minilm":
        tagger.set_params(word_vectors=pretrained_vectors(task, quick))
    return tagger


def train(task: str, params: dict, train_part, dev, minutes: float, quick: bool):
    """Fit a tagger with the per-epoch dev checkpoint and the time limit."""
    settings = task_settings(task, params, quick)
    timer = common.epoch_timer()
    tagger = make_tagger(task, settings, quick)
    checkpoint = dev_checkpoint(tagger, *dev, metric_of(task))
    budget = time_budget(minutes, settings.get("lr_decay"))
    tagger.set_params(callbacks=[timer, checkpoint, budget])
    wall, cpu = common.timed(lambda: tagger.fit(*train_part))
    fit = dict(epochs=tagger.n_iter_, best_dev_epoch=checkpoint.best_epoch + 1,
               dev_scores=[round(s, 2) for s in checkpoint.scores],
               fit_seconds=round(wall, 1), fit_cpu_seconds=round(cpu, 1),
               seconds_per_epoch=[round(t, 1) for t in timer.times])
    return tagger, settings, fit


def tune(task: str, quick: bool, minutes: float, indices: list[int] | None) -> None:
    """Train the candidates ``indices`` (default: all) for ``minutes`` each and score them
    on dev; test is not read.

    The winner is the best of this round; earlier rounds found in the tuning file are
    kept in it under ``earlier_rounds``, so the record of every tuning score stays.
    """
    name = f"tagging_tuning_{task}{'_quick' if quick else ''}"
    train_part, dev, _ = load(task, quick, test=False)
    records = []
    for index in range(len(CANDIDATES[task])) if indices is None else indices:
        params = CANDIDATES[task][index]
        tagger, settings, fit = train(task, params, train_part, dev, minutes, quick)
        records.append(dict(candidate=index, params=params, best_dev=max(fit["dev_scores"]),
                            last_dev=fit["dev_scores"][-1],
                            model_file=save_model(tagger, f"{name}_candidate{index}"),
                            **fit))
        print(f"candidate {index}: dev {records[-1]['best_dev']:.2f} {fit}", flush=True)
    best = max(range(len(records)), key=lambda i: (records[i]["best_dev"], -i))
    rows = [[r["candidate"], r["best_dev"], r["epochs"], r["fit_seconds"],
             r["fit_cpu_seconds"], json.dumps(r["params"])] for r in records]
    table = common.print_table(["candidate", "best dev", "epochs", "fit s", "fit CPU s",
                                "params"], rows,
                               title=f"SequenceTagger tuning on dev, {task}")
    procedure = (f"each candidate trained for at most {minutes} min on train "
                 f"({'90 % of train' if task == 'chunk' else 'official train'}), scored on "
                 f"{'the held-out 10 % of train' if task == 'chunk' else 'official dev'} "
                 "after every epoch; best dev score of this round wins (ties: listed "
                 "first); test never read")
    # read at the end, so that rounds run in parallel processes all stay recorded
    earlier = common.recorded_rounds(common.RESULTS_DIR / f"{name}.json")
    common.write_results(name, dict(base=BASE, minutes=minutes, procedure=procedure),
                         dict(candidates=records, best=best, earlier_rounds=earlier), table)


def save_model(tagger, name: str) -> str:
    """Pickle ``tagger`` (without its benchmark callbacks) to ``MODELS_DIR``; return the
    file name."""
    import pickle

    MODELS_DIR.mkdir(exist_ok=True)
    tagger.set_params(callbacks=None)
    path = MODELS_DIR / f"{name}.pkl"
    path.write_bytes(pickle.dumps(tagger))
    return path.name


def tuned_winner(task: str, quick: bool):
    """The saved tagger with the best dev score among every tuning round of ``task`` run
    with the latest round's budget: ``(tagger, settings, fit, chosen_by, minutes)``.

    Rounds run in parallel processes (``--candidates``) so count as one. Exits without
    reading test when the last full run of the task (``tagging_<task>.json``, trained
    for as long) has the better dev score: then that run's test score stands.
    """
    import pickle

    path = common.RESULTS_DIR / f"tagging_tuning_{task}{'_quick' if quick else ''}.json"
    payload = json.loads(path.read_text())
    minutes = payload["config"]["minutes"]
    rounds = common.recorded_rounds(path)
    pool = [c for r in rounds if r["config"]["minutes"] == minutes
            for c in r["candidates"] if "model_file" in c]
    if not pool:
        raise SystemExit(f"{path.name}: no saved models in its latest rounds; rerun --tune")
    winner = max(pool, key=lambda c: c["best_dev"])
    final = common.RESULTS_DIR / f"tagging_{task}{'_quick' if quick else ''}.json"
    if final.exists():
        previous = json.loads(final.read_text())
        if previous["config"].get("minutes") == minutes and \
                previous["results"]["dev_score"] >= winner["best_dev"]:
            raise SystemExit(f"{final.name} (dev {previous['results']['dev_score']}) beats "
                             f"the tuned winner (candidate {winner['candidate']}, dev "
                             f"{winner['best_dev']}); test not read, {final.name} stands")
    tagger = pickle.loads((MODELS_DIR / winner["model_file"]).read_bytes())
    fit = {k: winner[k] for k in ("epochs", "best_dev_epoch", "dev_scores", "fit_seconds",
                                  "fit_cpu_seconds", "seconds_per_epoch")}
    chosen_by = (f"candidate {winner['candidate']}: best dev score among the tuning rounds "
                 f"of {path.name} with {minutes} min per candidate, and above the dev score "
                 f"of the last full run; that trained model itself is scored on test "
                 "(--tuned)")
    return tagger, {**BASE, **winner["params"]}, fit, chosen_by, minutes


def chosen_params(task: str, quick: bool) -> tuple[dict, str]:
    """The candidate a final run trains: ``CHOSEN`` for the task's family (quick: the
    winner of the quick tuning file, or the first candidate)."""
    if not quick:
        index = CHOSEN[family(task)]
        return CANDIDATES[family(task)][index], (
            f"candidate {index}: dev winner of tuning round 2 in "
            f"tagging_tuning_{family(task)}.json (see CHOSEN in benchmarks/tagging.py)")
    path = common.RESULTS_DIR / f"tagging_tuning_{family(task)}_quick.json"
    if not path.exists():
        return CANDIDATES[family(task)][0], "not tuned: first candidate"
    record = json.loads(path.read_text())["results"]
    return record["candidates"][record["best"]]["params"], f"best dev score in {path.name}"


def accuracy_run(task: str, quick: bool, minutes: float, candidate: int | None,
                 tuned: bool = False) -> None:
    train_part, dev, (X_test, y_test) = load(task, quick, test=True)
    if tuned:
        tagger, settings, fit, chosen_by, minutes = tuned_winner(task, quick)
    else:
        params, chosen_by = chosen_params(task, quick)
        if candidate is not None:  # a full-budget run of another candidate, compared on dev
            params = CANDIDATES[family(task)][candidate]
            chosen_by = f"candidate {candidate} (--candidate); compare runs by dev_score only"
        tagger, settings, fit = train(task, params, train_part, dev, minutes, quick)
    predicted = []
    predict_seconds, predict_cpu = common.timed(lambda: predicted.extend(tagger.predict(X_test)))
    n_tokens = sum(map(len, X_test))
    metric = metric_of(task)
    results = dict(task=task, n_train=len(train_part[0]), n_dev=len(dev[0]),
                   n_test=len(X_test), chosen_by=chosen_by, **fit,
                   dev_score=fit["dev_scores"][fit["best_dev_epoch"] - 1],
                   predict_tokens_per_second=round(n_tokens / predict_seconds),
                   predict_tokens_per_cpu_second=round(n_tokens / predict_cpu),
                   test_token_accuracy=100 * tagger.score(X_test, y_test),
                   published=PUBLISHED[family(task)])
    if family(task) == "chunk":
        results["test_entity_f1"] = 100 * metric(y_test, predicted)
        target = "test_entity_f1"
    else:
        target = "test_token_accuracy"
    rows = [[k, v if not isinstance(v, list) else json.dumps(v)] for k, v in results.items()]
    table = common.print_table(["quantity", "value"], rows, title=f"SequenceTagger, {task}")
    if not quick and task != "chunk-nocrf":
        goal = GOALS[family(task)]
        results["goal"] = common.check_goal(f"{target} >= {goal}", results[target],
                                            results[target] >= goal)
    settings = {k: v for k, v in settings.items() if k != "callbacks"}
    name = f"tagging_{task}" + ("" if candidate is None else f"_candidate{candidate}") + (
        "_tuned" if tuned else "")
    common.write_results(name + ("_quick" if quick else ""),
                         dict(settings, minutes=minutes), results, table)


def refit_candidate(task: str, quick: bool) -> tuple[dict, str, float]:
    """The fixed-length candidate (``lr_schedule="cosine"``, ``patience=None``) with the
    best last-epoch dev score in any tuning round of ``task``: ``(params, chosen_by,
    last_dev)``."""
    path = common.RESULTS_DIR / f"tagging_tuning_{family(task)}{'_quick' if quick else ''}.json"
    pool = [c for r in common.recorded_rounds(path) for c in r["candidates"]
            if c["params"].get("lr_schedule") == "cosine" and "last_dev" in c]
    if not pool:
        raise SystemExit(f"{path.name}: no fixed-length (lr_schedule='cosine') candidate "
                         "has been tuned; run --tune --candidates N first")
    best = max(pool, key=lambda c: c["last_dev"])
    return best["params"], (
        f"candidate {best['candidate']}: best last-epoch dev score ({best['last_dev']}) of "
        f"the fixed-length candidates in {path.name}, retrained on train + dev for its "
        f"{best['params']['epochs']} epochs (--refit)"), best["last_dev"]


def refit_run(task: str, quick: bool) -> None:
    """Retrain the chosen fixed-length candidate on train + dev and score it on test once."""
    params, chosen_by, last_dev = refit_candidate(task, quick)
    (X, y), (X_dev, y_dev), (X_test, y_test) = load(task, quick, test=True)
    settings = task_settings(task, params, quick)
    timer = common.epoch_timer()
    tagger = make_tagger(task, settings, quick, callbacks=[timer])
    wall, cpu = common.timed(lambda: tagger.fit(X + X_dev, y + y_dev))
    predicted = tagger.predict(X_test)
    target = "test_entity_f1" if family(task) == "chunk" else "test_token_accuracy"
    results = dict(task=task, n_train=len(X) + len(X_dev), n_test=len(X_test),
                   chosen_by=chosen_by, dev_score_before_refit=last_dev,
                   epochs=tagger.n_iter_, fit_seconds=round(wall, 1),
                   fit_cpu_seconds=round(cpu, 1),
                   seconds_per_epoch=[round(t, 1) for t in timer.times],
                   test_token_accuracy=100 * tagger.score(X_test, y_test),
                   published=PUBLISHED[family(task)])
    if family(task) == "chunk":
        results[target] = 100 * metric_of(task)(y_test, predicted)
    if not quick and task != "chunk-nocrf":
        goal = GOALS[family(task)]
        results["goal"] = common.check_goal(f"{target} >= {goal}", results[target],
                                            results[target] >= goal)
    rows = [[k, v if not isinstance(v, list) else json.dumps(v)] for k, v in results.items()]
    table = common.print_table(["quantity", "value"], rows,
                               title=f"SequenceTagger, {task}, refit on train + dev")
    common.write_results(f"tagging_{task}_refit" + ("_quick" if quick else ""), settings,
                         results, table)


def speed_run(quick: bool) -> None:
    """Seconds per training epoch and predict tokens/s with bucketing on and off (EWT)."""
    from seqkit import SequenceTagger

    (X, y), (X_dev, _), _ = load("ewt", quick, test=False)
    n = 300 if quick else 3000
    X, y = X[:n], y[:n]
    n_tokens = sum(map(len, X_dev))
    rows, results = [], {}
    for bucketing in (True, False):
        timer = common.epoch_timer()
        settings = {**BASE, "epochs": 3, "bucketing": bucketing, "callbacks": [timer],
                    **(QUICK if quick else {})}
        tagger = SequenceTagger(**settings)
        _, fit_cpu = common.timed(lambda: tagger.fit(X, y))  # noqa: B023
        # The base buckets prediction batches by length always; bucketing=False only
        # changes training. Time prediction the same way for both.
        tagger.predict(X_dev[:10])
        wall, cpu = common.timed(lambda: tagger.predict(X_dev))  # noqa: B023
        steady = timer.times[1:] or timer.times
        results[f"bucketing={bucketing}"] = dict(
            seconds_per_epoch=timer.times, fit_cpu_seconds=fit_cpu,
            predict_tokens_per_second=n_tokens / wall,
            predict_tokens_per_cpu_second=n_tokens / cpu)
        rows.append([f"bucketing={bucketing}", sum(steady) / len(steady), fit_cpu,
                     n_tokens / wall, n_tokens / cpu])
    table = common.print_table(
        ["setting", "s / epoch (epochs 2..)", "fit CPU s", "predict tokens / s",
         "predict tokens / CPU s"], rows,
        title=f"SequenceTagger speed, EWT first {n} sentences, 3 epochs")
    common.write_results(f"tagging_speed{'_quick' if quick else ''}", dict(n_train=n),
                         results, table)


def main() -> None:
    def extra(parser):
        parser.add_argument("task", choices=["ewt", "chunk", "chunk-nocrf", "speed"])
        parser.add_argument("--minutes", type=float, default=None,
                            help=f"wall-time budget for training (default 18; with "
                                 f"--tune {TUNE_MINUTES} per candidate)")
        parser.add_argument("--tune", action="store_true",
                            help="compare the candidates on dev (ewt or chunk)")
        parser.add_argument("--candidates", default=None,
                            help="with --tune: comma-separated candidate numbers to "
                                 "train (default: all)")
        parser.add_argument("--tuned", action="store_true",
                            help="score the saved winner of the latest --tune round on test "
                                 "(writes tagging_<task>_tuned.json)")
        parser.add_argument("--refit", action="store_true",
                            help="retrain the best fixed-length tuned candidate on train + "
                                 "dev and score it on test (writes tagging_<task>_refit.json)")
        parser.add_argument("--candidate", type=int, default=None,
                            help="final run of this candidate instead of the --tune winner "
                                 "(writes tagging_<task>_candidate<N>.json)")

    args = common.parse_args(__doc__.splitlines()[0], extra)
    if args.task == "speed":
        speed_run(args.quick)
    elif args.tune:
        if args.task not in CANDIDATES:
            raise SystemExit(f"--tune takes ewt or chunk, not {args.task}")
        indices = None if args.candidates is None else [
            int(i) for i in args.candidates.split(",")]
        tune(args.task, args.quick, args.minutes or TUNE_MINUTES, indices)
    elif args.refit:
        refit_run(args.task, args.quick)
    else:
        accuracy_run(args.task, args.quick, args.minutes or 18.0, args.candidate, args.tuned)


if __name__ == "__main__":
    main()
