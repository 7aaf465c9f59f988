"""The one data-file reader: aliases and deep nesting refused with file and line, quickly and in bounded memory."""

from __future__ import annotations

import time

import pytest

import framing as fr
from framing.base.datafile import YamlProblem, load_yaml
from conftest import write

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))


def test_datafile_alias_bomb_is_refused_at_once():
    start = time.perf_counter()
    with pytest.raises(YamlProblem, match="aliases are not allowed") as info:
        load_yaml(BOMB)
    assert time.perf_counter() - start < 5
    assert info.value.line == 2


def test_datafile_self_reference_is_a_problem_not_a_crash():
    with pytest.raises(YamlProblem, match=r"an alias \(\*x\)") as info:
        load_yaml("y: 1\nx: &x [1, *x]\n")
    assert info.value.line == 2
    assert load_yaml("a: '*not an alias*'\nb: [x*y]\n")[0] == {"a": "*not an alias*", "b": ["x*y"]}


def test_datafile_alias_bomb_in_front_matter_and_codebook_give_one_error(tmp_path):
    write(tmp_path / "c" / "a.md", "---\ndoc_id: a\n" + BOMB + "---\nText.\n")
    with pytest.raises(fr.CorpusError, match=r"a\.md:\d+: malformed front matter: an alias"):
        fr.load_corpus(tmp_path / "c")
    book = write(tmp_path / "book.yaml", "codebook: x\nversion: 1\n" + BOMB + "frames: []\n")
    with pytest.raises(fr.CodebookError, match=r"book\.yaml:\d+: not valid YAML: an alias"):
        fr.load_codebook(book)
