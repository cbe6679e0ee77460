"""Readers of CoNLL column files and CoNLL-U."""

import pytest

from seqkit.datasets import read_conll, read_conllu

CONLL = """-DOCSTART- -X- O

Confidence NN B-NP
in IN B-PP
the DT B-NP

He PRP B-NP
reckons VBZ B-VP
"""

CONLLU = """# sent_id = 1
# text = I don't know.
1\tI\tI\tPRON\tPRP\t_\t3\tnsubj\t_\t_
2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_
2\tdo\tdo\tAUX\tVBP\t_\t3\taux\t_\t_
3\tn't\tnot\tPART\tRB\t_\t3\tadvmod\t_\t_
3.1\tknow\tknow\tVERB\tVB\t_\t_\t_\t0:root\t_
4\tknow\tknow\tVERB\tVB\t_\t0\troot\t_\t_

# sent_id = 2
1\tYes\tyes\tINTJ\tUH\t_\t0\troot\t_\t_
"""


def test_read_conll_columns_and_docstart(tmp_path):
    path = tmp_path / "train.txt"
    path.write_text(CONLL)
    words, tags = read_conll(path)
    assert words == [["Confidence", "in", "the"], ["He", "reckons"]]
    assert tags == [["B-NP", "B-PP", "B-NP"], ["B-NP", "B-VP"]]
    words, pos, chunks = read_conll(path, columns=(0, 1, 2))
    assert pos[1] == ["PRP", "VBZ"]
    (kept,) = read_conll(path, columns=[0], docstart=True)
    assert kept[0] == ["-DOCSTART-"]


def test_read_conll_missing_column_names_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("a B-NP\nb\n")
    with pytest.raises(ValueError, match="line 2 has 1 columns"):
        read_conll(path, columns=(0, 1))


def test_read_conllu_skips_comments_multiword_and_empty_nodes(tmp_path):
    path = tmp_path / "x.conllu"
    path.write_text(CONLLU)
    words, tags = read_conllu(path)
    assert words == [["I", "do", "n't", "know"], ["Yes"]]
    assert tags == [["PRON", "AUX", "PART", "VERB"], ["INTJ"]]
    _, xpos = read_conllu(path, field="xpos")
    assert xpos[0] == ["PRP", "VBP", "RB", "VB"]
    with pytest.raises(ValueError, match="field='pos'"):
        read_conllu(path, field="pos")


def test_read_conllu_bad_line(tmp_path):
    path = tmp_path / "bad.conllu"
    path.write_text("1\tI\tI\n")
    with pytest.raises(ValueError, match="line 1 has 3 tab-separated fields"):
        read_conllu(path)
