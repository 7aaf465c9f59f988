"""Property-based tests: arbitrary Unicode text never breaks the pipeline."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import framing as fr
from framing.measures.frames.codebook import load_codebook
from framing.measures.frames.matching import detect_text

PIECES = [
    "", " ", "\n", "\n\n", "\r\n", "\r\n\r\n", "\ufeff", "\u200b", "\u00a0", "\u202f", "...", "!?", "—", "–", "'", "’",
    "Hong Kong", "HK$21 billion", "U.S.", "us", "US", "B&R", "super-connector", "Mr. Lee", "e.g.", "No.1",
    "香港是國際金融中心", "中國", "شكرا لكم", "שלום עולם", "Привет", "naïve café", "ﬁnance", "İstanbul", "ΣΟΦΙΑ",
    "a" * 300, "Belt and Road", "sanctions", "the", "and", "2025", "#", "@", "\t", "🙂", "e\u0301",
]
TEXT = st.lists(st.sampled_from(PIECES) | st.text(max_size=12), max_size=30).map(" ".join) | st.text(max_size=200)
PRE = [fr.Preprocessor(), fr.Preprocessor(stopwords=None, normalize="stem", phrases=None), fr.Preprocessor(lowercase=False, numbers="keep", punctuation="keep")]
CODEBOOK = load_codebook()


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_property_tokens_slice_back_and_paths_agree(text):
    for pre in PRE:
        spans = pre.tokenize(text)
        for term, a, b in spans:
            assert 0 <= a < b <= len(text) and term
        assert sorted(pre.terms(text)) == sorted(t for t, _, _ in spans)
        assert [s[1] for s in spans] == sorted(s[1] for s in spans)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEXT, min_size=1, max_size=4))
def test_property_units_offsets_slice_back(texts):
    df = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts})
    try:
        corpus = fr.Corpus.from_frame(df)
    except fr.CorpusError as exc:
        assert "empty body" in str(exc)
        return
    for unit in ("paragraph", "sentence"):
        for r in corpus.units(unit).itertuples():
            assert corpus[r.doc_id].text[r.start:r.end] == r.text
            assert r.start <= r.end


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_property_frames_never_crash(text):
    for h in detect_text(text, CODEBOOK):
        assert h.frame in CODEBOOK.frame_ids and 0 <= h.i < h.j


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEXT, min_size=2, max_size=6))
def test_property_keyness_counts_add_up(texts):
    df = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts,
                       "side": ["a" if i % 2 == 0 else "b" for i in range(len(texts))]})
    try:
        corpus = fr.Corpus.from_frame(df, group_by="side")
    except fr.CorpusError:
        return
    m = fr.dtm(corpus, fr.Preprocessor(stopwords=None), unit="paragraph")
    assert m.matrix.min() >= 0 if m.matrix.nnz else True
    g = m.group("side")
    assert int(g.matrix.sum()) == int(m.matrix.sum())
    sizes = g.matrix.sum(axis=1).A1
    assume(len(sizes) == 2 and (sizes > 0).all())
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        k = fr.keyness(m, by="side", min_count=1)
    assert (k["n_target"] >= 0).all() and (k["n_reference"] >= 0).all()
    for _, t in k.groupby("target"):
        assert ((t["n_target"] + t["n_reference"]) <= int(m.matrix.sum())).all()
    assert k["p"].between(0, 1).all()


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=30))
def test_property_kwic_patterns_give_a_result_or_a_named_error(pattern):
    corpus = _small_corpus()
    for valuetype in ("auto", "regex"):
        try:
            fr.kwic(corpus, pattern, valuetype=valuetype)
        except fr.FramingError:
            pass


_SMALL: list[fr.Corpus] = []


def _small_corpus() -> fr.Corpus:
    if not _SMALL:
        _SMALL.append(fr.Corpus.from_frame(pd.DataFrame({"doc_id": ["a"], "text": ["Hong Kong is a bridge. The US sanctioned officials."]})))
    return _SMALL[0]


def test_huge_single_line_file_loads(tmp_path):
    line = ("Hong Kong is a super connector between the Mainland and the world, and a hub for B&R countries. " * 30_000).strip()
    (tmp_path / "huge.txt").write_text(line, encoding="utf-8")
    corpus = fr.load_corpus(tmp_path)
    assert len(corpus) == 1 and len(corpus["huge"].text) == len(line)
    m = fr.dtm(corpus, fr.Preprocessor())
    assert m.term_counts()["super_connector"] == 30_000
    assert len(corpus.units("sentence")) == 30_000


def test_property_kwic_pattern_the_regex_engine_refuses_is_a_named_error():
    # '{i' is a literal to `re` but an error to `regex`, the time-limited engine (found by the property above)
    with pytest.raises(fr.FramingError, match=r"'\{i'"):
        fr.kwic(_small_corpus(), "{i", valuetype="regex")
