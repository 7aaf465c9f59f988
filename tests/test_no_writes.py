"""The toolkit never writes into a corpus: outputs and caches aimed there are refused before any work."""

from __future__ import annotations

import hashlib

import pytest

import framing as fr
from test_cli import cli


def _snapshot(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    ("args", "target"),
    [
        (["keyness", "CORPUS", "--out", "CORPUS/manifest.yaml"], "CORPUS/manifest.yaml"),
        (["kwic", "CORPUS", "bridge", "--out", "CORPUS/raw/k.csv"], "CORPUS/raw/k.csv"),
        (["collocations", "CORPUS", "--out", "CORPUS/c.csv"], "CORPUS/c.csv"),
        (["frames", "CORPUS", "--out", "CORPUS/raw"], "CORPUS/raw"),
        (["topics", "CORPUS", "--k", "3", "--out", "CORPUS/topics"], "CORPUS/topics"),
    ],
)
def test_no_writes_cli_refuses_outputs_inside_the_corpus(corpus_copy, args, target):
    before = _snapshot(corpus_copy)
    res = cli(*[a.replace("CORPUS", str(corpus_copy)) for a in args])
    assert res.returncode == 2
    assert "is inside the corpus" in res.stderr and "never writes into a corpus" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.stderr
    assert _snapshot(corpus_copy) == before


def test_no_writes_token_cache_refuses_a_folder_inside_a_corpus(corpus_copy):
    for folder in (corpus_copy, corpus_copy / "raw", corpus_copy / "raw" / "cache"):
        with pytest.raises(fr.ArgumentError, match="cache folder"):
            fr.TokenCache(folder)
    assert not (corpus_copy / "raw" / "cache").exists()


def test_no_writes_cli_checks_the_output_folder_before_the_work(tmp_path):
    res = cli("frames", "corpus", "--out", str(tmp_path / "no" / "such" / "folder"))
    assert res.returncode == 2 and "does not exist" in res.stderr


def test_no_writes_csv_exports_neutralise_spreadsheet_formulas(tmp_path):
    import pandas as pd

    text = "=HYPERLINK(\"http://x\") is a bridge.\n\n@SUM(1) and +1 and -1 are a gateway.\n\nPlain sentence about a gateway."
    table = tmp_path / "docs.csv"
    pd.DataFrame({"doc_id": ["a"], "text": [text]}).to_csv(table, index=False)
    res = cli("kwic", str(table), "gateway", "--sentence", "--out", str(tmp_path / "k.csv"))
    assert res.returncode == 0, res.stderr
    raw = (tmp_path / "k.csv").read_text("utf-8")
    rows = pd.read_csv(tmp_path / "k.csv")
    assert all(not str(v).startswith(("=", "+", "-", "@")) for v in rows.to_numpy().ravel())
    assert "'@SUM(1) and +1 and -1 are a" in raw
