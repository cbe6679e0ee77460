"""Helpers of the generation benchmarks (text generation, translation, dates): the
wall-clock training budget both a seqkit model and its plain Keras baseline get, and the
Keras ``lstm_seq2seq`` baseline of the two translation benchmarks."""

from __future__ import annotations

import time


def time_budget(seconds: float):
    """A Keras callback that stops training (after the current batch) at ``seconds``."""
    import keras

    class TimeBudget(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.start = time.perf_counter()

        def on_train_batch_end(self, batch, logs=None):
            if time.perf_counter() - self.start > seconds:
                self.model.stop_training = True

    return TimeBudget()


def budget_options(minutes: float, units: int):
    """``parse_args`` extra: ``--minutes`` (budget of each model), ``--units``, ``--models``."""
    def extra(parser):
        parser.add_argument("--minutes", type=float, default=minutes,
                            help=f"training budget of each model (default {minutes:g})")
        parser.add_argument("--units", type=int, default=units)
        parser.add_argument("--models", default="seqkit,keras")
        return parser

    return extra


def run_models(runners: dict, args, *data) -> list[dict]:
    """Run ``runners[name](*data, seconds, args)`` for each name of ``--models``; a runner
    returns one result or a list of them (one per candidate)."""
    results = []
    for name in args.models.split(","):
        outcome = runners[name](*data, args.minutes * 60, args)
        for result in outcome if isinstance(outcome, list) else [outcome]:
            print(f"{result['model']}: trained {result['train_seconds']:.0f} s "
                  f"({result['epochs']} epochs): {result}", flush=True)
            results.append(result)
    return results


def thread_settings() -> dict:
    """TensorFlow's thread settings as the environment gives them (``/work/bin/heavy``:
    1 and 1), for the JSON results."""
    import os

    return {name: os.environ.get(name, "default")
            for name in ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS")}


def keras_seq2seq(sources: list[str], targets: list[str], test_sources: list[str],
                  units: int, seconds: float, batch_size: int = 64) -> dict:
    """The Keras ``lstm_seq2seq`` example, trained for ``seconds``, decoded greedily.

    Character level, one-hot characters; an LSTM encoder whose final states start an LSTM
    decoder of the same ``units``, no attention; RMSprop, categorical cross-entropy,
    teacher forcing. Returns the test ``hypotheses``, ``train_seconds`` and ``epochs``.
    """
    import keras
    import numpy as np

    targets = ["\t" + t + "\n" for t in targets]  # the example's start and end characters
    in_chars = sorted({c for s in sources for c in s})
    out_chars = sorted({c for t in targets for c in t})
    in_index = {c: i for i, c in enumerate(in_chars)}
    out_index = {c: i for i, c in enumerate(out_chars)}
    max_in = max(len(s) for s in sources)
    max_out = max(len(t) for t in targets)

    def one_hot(texts, index, length):
        array = np.zeros((len(texts), length, len(index)), dtype=np.float32)
        for row, text in enumerate(texts):
            for t, char in enumerate(text[:length]):
                if char in index:
                    array[row, t, index[char]] = 1.0
        return array

    class Batches(keras.utils.PyDataset):
        def __init__(self):
            super().__init__()
            self.rng = np.random.default_rng(0)
            self.order = self.rng.permutation(len(sources))

        def __len__(self):
            return len(sources) // batch_size

        def __getitem__(self, i):
            rows = self.order[i * batch_size : (i + 1) * batch_size]
            decoder = one_hot([targets[r] for r in rows], out_index, max_out)
            shifted = np.zeros_like(decoder)
            shifted[:, :-1] = decoder[:, 1:]
            return ((one_hot([sources[r] for r in rows], in_index, max_in), decoder),
                    shifted)

        def on_epoch_end(self):
            self.rng.shuffle(self.order)

    keras.utils.set_random_seed(0)
    encoder_inputs = keras.Input((None, len(in_chars)))
    _, h, c = keras.layers.LSTM(units, return_state=True)(encoder_inputs)
    decoder_inputs = keras.Input((None, len(out_chars)))
    decoder_lstm = keras.layers.LSTM(units, return_sequences=True, return_state=True)
    decoded, _, _ = decoder_lstm(decoder_inputs, initial_state=[h, c])
    dense = keras.layers.Dense(len(out_chars), activation="softmax")
    model = keras.Model([encoder_inputs, decoder_inputs], dense(decoded))
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy")
    start = time.perf_counter()
    history = model.fit(Batches(), epochs=100_000, verbose=0,
                        callbacks=[time_budget(seconds)])
    trained = time.perf_counter() - start

    encoder = keras.Model(encoder_inputs, [h, c])
    state_h, state_c = keras.Input((units,)), keras.Input((units,))
    out, h2, c2 = decoder_lstm(decoder_inputs, initial_state=[state_h, state_c])
    step = keras.Model([decoder_inputs, state_h, state_c], [dense(out), h2, c2])
    hypotheses = []
    for first in range(0, len(test_sources), 256):
        batch = test_sources[first : first + 256]
        states = encoder.predict(one_hot(batch, in_index, max_in), verbose=0)
        token = np.zeros((len(batch), 1, len(out_chars)), dtype=np.float32)
        token[:, 0, out_index["\t"]] = 1.0
        texts, done = [""] * len(batch), np.zeros(len(batch), bool)
        for _ in range(max_out):
            probs, *states = step.predict([token, *states], verbose=0)
            chosen = probs[:, -1].argmax(axis=1)
            token = np.zeros_like(token)
            token[np.arange(len(batch)), 0, chosen] = 1.0
            for row, index in enumerate(chosen):
                if not done[row]:
                    char = out_chars[index]
                    done[row] = char == "\n"
                    texts[row] += "" if done[row] else char
            if done.all():
                break
        hypotheses.extend(texts)
    return dict(hypotheses=hypotheses, train_seconds=trained,
                epochs=len(history.history["loss"]))
