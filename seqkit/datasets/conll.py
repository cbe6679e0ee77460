"""Readers for token-per-line corpora: CoNLL column files and CoNLL-U."""

from __future__ import annotations

from pathlib import Path

CONLLU_FIELDS = ("id", "form", "lemma", "upos", "xpos", "feats", "head", "deprel", "deps",
                 "misc")


def read_conll(path, columns=(0, -1), docstart: bool = False) -> tuple[list[list[str]], ...]:
    """Read a whitespace-separated column file: one token per line, blank lines between
    sentences (CoNLL-2000 chunking, CoNLL-2003 NER, ...).

    Parameters
    ----------
    path : str or Path
        The file (UTF-8).
    columns : sequence of int, default=(0, -1)
        Columns to return, by position (negative counts from the end); the default
        gives words and the last column (the tags).
    docstart : bool, default=False
        Keep ``-DOCSTART-`` lines (document separators of CoNLL-2003) as sentences.

    Returns
    -------
    tuple of list of list of str
        One list of sentences per requested column, e.g. ``words, tags``.

    Raises
    ------
    ValueError
        When a line lacks a requested column (the message names the line).
    """
    columns = tuple(columns)
    if not columns:
        raise ValueError("columns is empty; ask for at least one column, e.g. (0, -1)")
    result = tuple([] for _ in columns)
    current = tuple([] for _ in columns)

    def close() -> None:
        if current[0]:
            for out, sentence in zip(result, current, strict=True):
                out.append(list(sentence))
                sentence.clear()

    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            fields = line.split()
            if not fields:
                close()
                continue
            if fields[0] == "-DOCSTART-" and not docstart:
                close()
                continue
            try:
                for sentence, column in zip(current, columns, strict=True):
                    sentence.append(fields[column])
            except IndexError:
                raise ValueError(f"{path}, line {number} has {len(fields)} columns; "
                                 f"columns={columns} asks for more") from None
    close()
    return result


def read_conllu(path, field: str = "upos") -> tuple[list[list[str]], list[list[str]]]:
    """Read a CoNLL-U file (Universal Dependencies): the words and one field per word.

    Comment lines (``#``), multiword-token lines (ids like ``1-2``) and empty nodes
    (ids like ``1.1``) are skipped, so the words are the syntactic words the
    annotation refers to.

    Parameters
    ----------
    path : str or Path
        The ``.conllu`` file (UTF-8).
    field : str, default="upos"
        One of ``lemma``, ``upos``, ``xpos``, ``feats``, ``head``, ``deprel``,
        ``deps``, ``misc`` (or ``form``).

    Returns
    -------
    words, tags : list of list of str
    """
    if field not in CONLLU_FIELDS[1:]:
        raise ValueError(f"field={field!r}; expected one of {list(CONLLU_FIELDS[1:])}")
    column = CONLLU_FIELDS.index(field)
    words, tags = [], []
    sentence_words, sentence_tags = [], []
    with open(Path(path), encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            line = line.rstrip("\n")
            if not line.strip():
                if sentence_words:
                    words.append(sentence_words)
                    tags.append(sentence_tags)
                    sentence_words, sentence_tags = [], []
                continue
            if line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != len(CONLLU_FIELDS):
                raise ValueError(f"{path}, line {number} has {len(fields)} tab-separated "
                                 f"fields; CoNLL-U has {len(CONLLU_FIELDS)}")
            if "-" in fields[0] or "." in fields[0]:
                continue  # multiword token or empty node
            sentence_words.append(fields[1])
            sentence_tags.append(fields[column])
    if sentence_words:
        words.append(sentence_words)
        tags.append(sentence_tags)
    return words, tags
