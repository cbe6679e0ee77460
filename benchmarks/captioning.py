"""Image captioning: exact match and BLEU-4 on generated data, and a real-photo smoke run.

* ``shapes``: :func:`seqkit.datasets.make_shapes_captions` (two shapes and their spatial
  relation, both paraphrases as references), held-out test scenes from another seed;
  attention on and off. Goal: exact match >= 0.95 with attention, trained in < 10 min.
* ``digits``: :func:`seqkit.datasets.make_digit_strips` (3 handwritten digits, their
  words); test strips are made of the other half of the digit images. Goal: exact
  match >= 0.90.
* ``coco``: ``../shared/data/tiny_coco_captions`` (33 photos, 5 captions each): JPEG
  reading and resizing (Pillow), training on the train images, captions of the val
  images printed beside their references. A smoke check, not an accuracy claim.

Usage::

    python benchmarks/captioning.py                 # all tasks (about half an hour)
    python benchmarks/captioning.py --tasks shapes  # one task
    python benchmarks/captioning.py --quick         # smoke run, about a minute
    python benchmarks/captioning.py --tasks shapes --shapes-variants attention

Each task writes ``results/captioning_<task>[_quick].json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402  (silences TensorFlow before it loads)
    check_goal,
    data_path,
    parse_args,
    print_table,
    timed,
    write_results,
)

SHAPES = dict(n_train=2000, n_test=500, image_size=32)
DIGITS = dict(n_train=3000, n_test=500, n_digits=3)
COCO_SIZE = 64
COMMON = dict(early_stopping=True, validation_fraction=0.1, patience=4, random_state=0)
PARAMS = {
    "shapes": dict(epochs=30, units=128, cnn_filters=(32, 64, 64)),
    "digits": dict(epochs=30, units=128, cnn_filters=(32, 64, 64)),
    "coco": dict(epochs=40, units=128, cnn_filters=(32, 64, 64, 64), early_stopping=False,
                 patience=None, min_count=2),
}
QUICK = dict(epochs=2, units=16, cnn_filters=(8, 8))
QUICK_SIZES = dict(n_train=60, n_test=20)


def captioner(task: str, quick: bool, **overrides):
    from seqkit.captioning import ImageCaptioner

    return ImageCaptioner(**{**COMMON, **PARAMS[task], **(QUICK if quick else {}),
                             **overrides})


def evaluate(model, X_train, y_train, X_test, y_test) -> dict:
    """Fit, then exact match and BLEU-4 on the test set, with timings."""
    from seqkit.metrics import corpus_bleu, exact_match

    fit_seconds, fit_cpu_seconds = timed(lambda: model.fit(X_train, y_train))
    predicted = []
    predict_seconds, _ = timed(lambda: predicted.extend(model.predict(X_test)))
    return {"exact_match": exact_match(predicted, y_test),
            "bleu4": corpus_bleu(predicted, y_test, lowercase=True),
            "train_seconds": round(fit_seconds, 1),
            "train_cpu_seconds": round(fit_cpu_seconds, 1),  # less sensitive to other load
            "predict_seconds": round(predict_seconds, 2),
            "epochs": model.n_iter_, "final_loss": model.history_["loss"][-1],
            "examples": [{"predicted": p, "references": r}
                         for p, r in zip(predicted[:5], y_test[:5], strict=True)]}


def shapes(quick: bool, variants=("attention", "no attention")) -> tuple[dict, list]:
    from seqkit.datasets import make_shapes_captions

    sizes = {**SHAPES, **(QUICK_SIZES if quick else {})}
    X_train, y_train = make_shapes_captions(sizes["n_train"], image_size=sizes["image_size"],
                                            random_state=0)
    X_test, y_test = make_shapes_captions(sizes["n_test"], image_size=sizes["image_size"],
                                          random_state=1)
    results, rows = {}, []
    for name in variants:
        result = evaluate(captioner("shapes", quick, attention=name == "attention"),
                          X_train, y_train, X_test, y_test)
        results[name] = result
        rows.append(["shapes", name, result["exact_match"], result["bleu4"],
                     result["train_seconds"], result["epochs"]])
        print(f"shapes, {name}: exact match {result['exact_match']:.3f}, BLEU-4 "
              f"{result['bleu4']:.3f}, {result['train_seconds']} s", flush=True)
    if "attention" in results:
        best = results["attention"]
        results["goals"] = [
            check_goal("exact match >= 0.95 with attention", best["exact_match"],
                       best["exact_match"] >= 0.95),
            check_goal("training < 600 s", best["train_seconds"], best["train_seconds"] < 600),
        ]
    return {"sizes": sizes, **results}, rows


def digits(quick: bool, variants=None) -> tuple[dict, list]:
    from seqkit.datasets import make_digit_strips

    sizes = {**DIGITS, **(QUICK_SIZES if quick else {})}
    X_train, y_train = make_digit_strips(sizes["n_train"], n_digits=sizes["n_digits"],
                                         subset="train", random_state=0)
    X_test, y_test = make_digit_strips(sizes["n_test"], n_digits=sizes["n_digits"],
                                       subset="test", random_state=1)
    result = evaluate(captioner("digits", quick), X_train, y_train, X_test, y_test)
    result["goals"] = [check_goal("exact match >= 0.90", result["exact_match"],
                                  result["exact_match"] >= 0.90)]
    row = ["digits", "attention", result["exact_match"], result["bleu4"],
           result["train_seconds"], result["epochs"]]
    return {"sizes": sizes, **result}, [row]


def load_coco(size: int):
    """The tiny COCO photos, resized to ``size x size`` RGB, with their captions and split."""
    from PIL import Image

    folder = data_path("tiny_coco_captions")
    entries = json.loads((folder / "captions.json").read_text())
    images, captions, splits = [], [], []
    for entry in entries:
        with Image.open(folder / "images" / entry["file_name"]) as photo:
            photo = photo.convert("RGB").resize((size, size), Image.Resampling.BILINEAR)
            images.append(np.asarray(photo, dtype=np.uint8))
        captions.append(entry["captions"])
        splits.append(entry["split"])
    return np.stack(images), captions, np.array(splits)


def coco(quick: bool, variants=None) -> tuple[dict, list]:
    images, captions, splits = load_coco(COCO_SIZE)
    train = np.flatnonzero(splits != "val2017")
    test = np.flatnonzero(splits == "val2017")
    if not len(test):  # no val flag: hold out the last five photos
        train, test = np.arange(len(images) - 5), np.arange(len(images) - 5, len(images))
    model = captioner("coco", quick)
    result = evaluate(model, images[train], [captions[i] for i in train], images[test],
                      [captions[i] for i in test])
    result["train_images"], result["test_images"] = len(train), len(test)
    result["vocabulary_size"] = len(model.vocabulary_)
    print("\ncaptions of held-out photos (predicted | first reference):")
    for i, caption in zip(test, model.predict(images[test]), strict=True):
        print(f"  {caption!r} | {captions[i][0]!r}")
    row = ["coco (smoke)", "attention", result["exact_match"], result["bleu4"],
           result["train_seconds"], result["epochs"]]
    return result, [row]


TASKS = {"shapes": shapes, "digits": digits, "coco": coco}
VARIANTS = ("attention", "no attention")


def main() -> None:
    def options(parser):
        parser.add_argument("--tasks", nargs="+", default=list(TASKS), choices=list(TASKS))
        parser.add_argument("--shapes-variants", nargs="+", default=list(VARIANTS),
                            choices=list(VARIANTS), help="shapes: attention on and/or off")

    args = parse_args(__doc__.split("\n\n")[0], extra=options)
    import warnings

    warnings.filterwarnings("ignore", category=UserWarning)
    headers = ["task", "model", "exact_match", "bleu4", "train_s", "epochs"]
    for task in args.tasks:
        result, rows = TASKS[task](args.quick, args.shapes_variants)
        name = task
        if task == "shapes" and len(args.shapes_variants) < len(VARIANTS):
            name += "_" + args.shapes_variants[0].replace(" ", "_")  # keep the full record
        title = f"Image captioning: {name}" + (" [QUICK]" if args.quick else "")
        table = print_table(headers, rows, title)
        config = {"quick": args.quick, "params": {**COMMON, **PARAMS[task],
                                                  **(QUICK if args.quick else {})}}
        write_results(f"captioning_{name}" + ("_quick" if args.quick else ""), config,
                      result, table)


if __name__ == "__main__":
    main()
