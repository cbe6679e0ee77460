"""English to French: SequenceTranslator (attention, beam search) beside the Keras
``lstm_seq2seq`` example's model.

Data: ``../shared/data/translation/fra-eng/fra.txt.gz`` (Tatoeba via manythings.org/anki,
CC BY 2.0 FR: "www.manythings.org/anki and tatoeba.org"). Pairs whose sides both have at
most 10 words, a fixed random 90 / 5 / 5 split (seed 0); the test BLEU is sacrebleu's
(13a tokenisation, lowercased, as seqkit's translator lowercases) on ``--n-test`` test
pairs. Both models get the same wall-clock budget of training (``--minutes``):

* ``seqkit``: ``SequenceTranslator`` (word level, bidirectional LSTM encoder, additive
  attention, ``--units``), decoded greedily and by beam search (width 5).
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
from _generation import budget_options, run_models, time_budget  # noqa: E402


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
                train_seconds=trained, epochs=model.n_iter_,
                examples=list(zip(sources[:5], beam[:5], references[:5], strict=True)))


def run_keras(train, test, seconds: float, args) -> dict:
    """The Keras ``lstm_seq2seq`` example, trained for ``seconds``, decoded greedily."""
    import keras

    sources, targets = [e for e, _ in train], ["\t" + f + "\n" for _, f in train]
    in_chars = sorted({c for s in sources for c in s})
    out_chars = sorted({c for t in targets for c in t})
    in_index = {c: i for i, c in enumerate(in_chars)}
    out_index = {c: i for i, c in enumerate(out_chars)}
    max_in = max(len(s) for s in sources)
    max_out = max(len(t) for t in targets)
    units = args.units

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
            self.order = np.random.default_rng(0).permutation(len(sources))

        def __len__(self):
            return len(sources) // 64

        def __getitem__(self, i):
            rows = self.order[i * 64 : (i + 1) * 64]
            decoder = one_hot([targets[r] for r in rows], out_index, max_out)
            shifted = np.zeros_like(decoder)
            shifted[:, :-1] = decoder[:, 1:]
            return ((one_hot([sources[r] for r in rows], in_index, max_in), decoder),
                    shifted)

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
    history = model.fit(Batches(), epochs=1000, verbose=0, callbacks=[time_budget(seconds)])
    trained = time.perf_counter() - start

    encoder = keras.Model(encoder_inputs, [h, c])
    state_h, state_c = keras.Input((units,)), keras.Input((units,))
    out, h2, c2 = decoder_lstm(decoder_inputs, initial_state=[state_h, state_c])
    step = keras.Model([decoder_inputs, state_h, state_c], [dense(out), h2, c2])
    test_sources = [e for e, _ in test]
    hypotheses = []
    for start_row in range(0, len(test_sources), 256):
        batch = test_sources[start_row : start_row + 256]
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
    return dict(model=f"Keras lstm_seq2seq, char LSTM {units}, no attention",
                bleu_greedy=bleu(hypotheses, [f for _, f in test]), bleu_beam5=None,
                train_seconds=trained, epochs=len(history.history["loss"]))


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
                  n_test=len(test))
    write_results("translation" + ("_quick" if args.quick else ""), config,
                  dict(runs=results, goals=goals), table)


if __name__ == "__main__":
    main()
