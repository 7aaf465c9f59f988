"""KWIC and dispersion: matches on the measures' token stream, with offsets."""

from __future__ import annotations

import pandas as pd
import pytest

import framing as fr


def test_kwic_finds_every_variant_of_a_term(corpus):
    k = fr.kwic(corpus, "belt_and_road")
    assert set(k["keyword"]) >= {"B&R", "Belt and Road", "BRI", "Belt and Road Initiative"}
    # the same stream as the measures: as many hits as the term's count
    m = fr.dtm(corpus, fr.Preprocessor())
    assert len(k) == m.term_counts()["belt_and_road"]
    assert len(fr.kwic(corpus, "B&R")) == len(k) == len(fr.kwic(corpus, "Belt and Road"))


def test_kwic_offsets_slice_back_to_the_keyword(corpus):
    k = fr.kwic(corpus, "super connector", window=4)
    assert len(k) == 3
    for row in k.itertuples():
        assert corpus[row.doc_id].text[row.start:row.end] == row.keyword
    assert set(k["keyword"]) == {"super connector", "superconnector", "super-connector"}
    assert list(k.columns) == ["doc_id", "source_type", "unit_id", "start", "end", "left", "keyword", "right", "term"]


def test_kwic_window_counts_tokens_within_the_paragraph():
    c = fr.Corpus.from_frame(pd.DataFrame({"doc_id": ["a"], "text": ["one two three four bridge five six seven\n\neight bridge"]}))
    pre = fr.Preprocessor(stopwords=None, normalize=None)
    k = fr.kwic(c, "bridge", window=2, pre=pre)
    assert k["left"].tolist() == ["three four", "eight"]
    assert k["right"].tolist() == ["five six", ""]


def test_kwic_globs_regex_and_sentence_context(corpus):
    assert set(fr.kwic(corpus, "sanction*")["term"]) == {"sanction"}
    rx = fr.kwic(corpus, r"^geopolitic", valuetype="regex")
    assert len(rx) > 0 and rx["term"].str.startswith("geopolitic").all()
    s = fr.kwic(corpus, "gateway", context="sentence")
    for row in s.itertuples():
        assert row.left.endswith("") and (row.left + " " + row.keyword + " " + row.right).strip()
    with pytest.raises(fr.ArgumentError, match=r"pattern '\[unclosed' is not a valid regular expression"):
        fr.kwic(corpus, "[unclosed", valuetype="regex")


def test_kwic_case_sensitive_uses_the_text_as_written(corpus):
    insensitive = fr.kwic(corpus, "mainland")
    sensitive = fr.kwic(corpus, "Mainland", case_sensitive=True)
    assert 0 < len(sensitive) < len(insensitive)
    assert sensitive["keyword"].str.contains("Mainland").all()


def test_kwic_stopword_pattern_explains_itself(corpus):
    with pytest.raises(fr.ArgumentError, match=r"pattern 'the' leaves no term after preprocessing .*stopwords=None"):
        fr.kwic(corpus, "the")


def test_kwic_displays_as_an_aligned_concordance(corpus):
    k = fr.kwic(corpus, "gateway", window=3)
    text = repr(k)
    assert text.startswith(f"<Concordance: {len(k)} matches of 'gateway'>")
    assert "[gateway]" in text
    html = k._repr_html_()
    assert "<table>" in html and "gateway" in html
    # still a DataFrame: filtering keeps the display
    assert isinstance(k[k["doc_id"].str.startswith("commentary")], fr.Concordance)


def test_dispersion_positions_follow_token_order(corpus):
    d = fr.dispersion(corpus, ["belt_and_road", "west*", "united_states"])
    assert list(d.columns) == ["pattern", "doc_id", "source_type", "term", "token_index", "n_tokens", "position", "start", "end"]
    assert d["position"].between(0, 1).all()
    for _, g in d.groupby(["pattern", "doc_id"]):
        assert g["token_index"].is_monotonic_increasing
    toks = fr.tokens(corpus, fr.Preprocessor()).to_frame()
    first = d[d["pattern"] == "belt_and_road"].iloc[0]
    doc_toks = toks[toks["doc_id"] == first["doc_id"]].reset_index(drop=True)
    assert doc_toks.loc[first["token_index"], "term"] == "belt_and_road"
    assert first["n_tokens"] == len(doc_toks)
