"""Helpers of the generation benchmarks (text generation, translation): the wall-clock
training budget both a seqkit model and its plain Keras baseline get."""

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
    """Run ``runners[name](*data, seconds, args)`` for each name of ``--models``."""
    results = []
    for name in args.models.split(","):
        result = runners[name](*data, args.minutes * 60, args)
        print(f"{result['model']}: trained {result['train_seconds']:.0f} s "
              f"({result['epochs']} epochs): {result}", flush=True)
        results.append(result)
    return results
