"""User-supplied regular expressions cannot stall the toolkit: a catastrophic pattern ends with one error."""

from __future__ import annotations

import time

import pandas as pd
import pytest

import framing as fr
from conftest import write

EVIL = "(a|aa)+$"            # exponential in a backtracking engine, even in the `regex` engine used here
CLASSIC = "(a+)+$"           # the textbook case: re takes about a minute; the engine used here answers at once
TEXT = "Hong Kong " + "a" * 40 + "b is a bridge."


def _fast(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def test_regex_limits_a_catastrophic_codebook_indicator_ends_with_an_error(tmp_path):
    book = write(tmp_path / "evil.yaml", f"codebook: evil\nversion: 1\nframes:\n  - id: f\n    label: F\n"
                                         f"    indicators:\n      - regex: '{EVIL}'\n")
    corpus = fr.Corpus.from_frame(pd.DataFrame({"doc_id": ["a"], "text": [TEXT]}))

    def run():
        with pytest.raises(fr.ArgumentError, match=r"regular expression '\(a\|aa\)\+\$' ran over 1 s .* backtracks"):
            fr.detect_frames(corpus, fr.load_codebook(book))

    assert _fast(run) < 20


def test_regex_limits_kwic_and_cleaning_rules(tmp_path):
    corpus = fr.Corpus.from_frame(pd.DataFrame({"doc_id": ["a"], "text": [TEXT]}))

    def kwic():
        with pytest.raises(fr.ArgumentError, match="backtracks catastrophically"):
            fr.kwic(corpus, EVIL, valuetype="regex")

    assert _fast(kwic) < 20
    write(tmp_path / "c" / "a.md", "---\ndoc_id: a\ncleaning:\n  drop:\n    - lines: [11]\n      reason: noise\n"
                                   f"      expect: '{EVIL}'\n---\nTitle\n\n" + "a" * 40 + "b\n\nBody text here.\n")

    def check():
        with pytest.raises(fr.CorpusError, match=r"expect '\(a\|aa\)\+\$' ran over"):
            fr.load_corpus(tmp_path / "c")

    assert _fast(check) < 20


def test_regex_limits_the_textbook_catastrophic_pattern_answers_at_once():
    corpus = fr.Corpus.from_frame(pd.DataFrame({"doc_id": ["a"], "text": [TEXT]}))
    start = time.perf_counter()
    assert len(fr.kwic(corpus, CLASSIC, valuetype="regex")) == 0
    assert time.perf_counter() - start < 5


def test_regex_limits_ordinary_patterns_behave_as_before(corpus):
    hits = fr.kwic(corpus, "^sanction", valuetype="regex")
    assert len(hits) > 0 and all(t.startswith("sanction") for t in hits["term"])
