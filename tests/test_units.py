"""Units: paragraphs and sentences with offsets into the clean text."""

from __future__ import annotations

import pandas as pd
import pytest

import framing as fr
from framing.corpus.units import split_sentences


@pytest.mark.parametrize(
    "text",
    [
        "The U.S. imposed sanctions on officials in Hong Kong.",
        "Mr Lee and Mr. Chan met the delegation in Doha.",
        "Hong Kong is ranked No.1 in the Asia-Pacific region for arbitration.",
        "The bonds raised HK$21 billion equivalent in June 2025.",
        "Some cities, e.g. Singapore, gained headquarters from Hong Kong.",
        "During the Covid-19 pandemic, expats left the city in droves.",
        "It is ranked No. 2 in the world, i.e. behind London only.",
    ],
)
def test_units_abbreviations_and_numbers_do_not_end_sentences(text):
    assert split_sentences(text) == [(0, len(text))]


def test_units_sentences_split_at_real_boundaries():
    text = "Hong Kong is a bridge. It links the Mainland and the world! Does it? Yes."
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == [
        "Hong Kong is a bridge.", "It links the Mainland and the world!", "Does it?", "Yes."
    ]


@pytest.mark.parametrize("unit", ["document", "paragraph", "sentence"])
def test_units_offsets_slice_back_to_the_unit_text(corpus, unit):
    units = corpus.units(unit)
    for row in units.itertuples():
        assert corpus[row.doc_id].text[row.start:row.end] == row.text
    assert units["unit_id"].is_unique


def test_units_sentences_never_cross_a_paragraph(corpus):
    paras = corpus.units("paragraph").set_index("unit_id")
    sents = corpus.units("sentence")
    for row in sents.itertuples():
        p = paras.loc[f"{row.doc_id}/p{row.paragraph:03d}"]
        assert p.start <= row.start and row.end <= p.end


def test_units_headings_are_one_sentence_and_marked(corpus):
    sents = corpus.units("sentence")
    paras = corpus.units("paragraph")
    heads = paras[paras["is_heading"]]
    assert set(heads["role"]) == {"title", "heading", "dek"}  # the apparatus: the dek restates a body sentence
    assert not paras.loc[paras["role"] == "body", "is_heading"].any()
    per_para = sents.groupby(["doc_id", "paragraph"]).size()
    for row in heads.itertuples():
        assert per_para[(row.doc_id, row.index)] == 1


def test_units_carry_document_metadata(corpus):
    paras = corpus.units("paragraph")
    assert {"source_type", "outlet", "date"} <= set(paras.columns)
    assert (paras.groupby("doc_id")["source_type"].nunique() == 1).all()


def test_units_index_counts_from_zero_within_each_document(corpus):
    for unit in ("paragraph", "sentence"):
        t = corpus.units(unit)
        for _, g in t.groupby("doc_id"):
            assert g["index"].tolist() == list(range(len(g)))


def test_units_unknown_kind_lists_the_options(corpus):
    with pytest.raises(fr.ArgumentError, match=r"unit='word' is not valid; choose one of 'document', 'paragraph', 'sentence'"):
        corpus.units("word")


def _long_paragraph(n_chars, seed=0):
    """One paragraph of about ``n_chars`` characters: sentences with abbreviations, numbers and initials."""
    import random

    rng = random.Random(seed)
    words = ["the", "city", "Hong", "Kong", "bridge", "trade", "U.S.", "policy", "No.1", "No. 2", "market", "world",
             "e.g.", "growth", "Mr.", "J.", "Chan", "(the", "SAR)", '"said"', "i.e.", "3.5%", "etc.", "St."]
    parts, n = [], 0
    while n < n_chars:
        s = " ".join(rng.choice(words) for _ in range(rng.randint(3, 25)))
        s = s[0].upper() + s[1:] + rng.choice([".", ".", "?", "!", '."', ".)", "..."])
        parts.append(s)
        n += len(s) + 1
    return " ".join(parts)


def test_units_a_paragraph_too_long_for_punkt_in_one_go_is_split(monkeypatch):
    # NLTK runs Punkt's regular expressions under a wall-clock limit (nltk.redos, 5 s a search); a paragraph of 30 MB
    # used to end with TimeoutError. What keeps each search far below the limit is that Punkt never reads more than
    # MAX_PUNKT_CHARS at once: that is what is checked here (not a time, which depends on the machine's load).
    from framing.corpus import units as units_module

    seen = []
    real = units_module._punkt

    class Recording:
        def span_tokenize(self, piece):
            seen.append(len(piece))
            return real().span_tokenize(piece)

    monkeypatch.setattr(units_module, "_punkt", lambda: Recording())
    text = _long_paragraph(1_000_000)
    spans = split_sentences(text)
    assert len(seen) > 10 and max(seen) <= units_module.MAX_PUNKT_CHARS
    assert spans[0][0] == 0 and spans[-1][1] == len(text.rstrip())
    assert all(a < b <= c for (a, b), (c, _) in zip(spans, spans[1:]))
    assert all(text[a:b].strip() == text[a:b] for a, b in spans)
    assert len(spans) > 10_000


@pytest.mark.parametrize("max_chars", [2_000, 3_333, 10_000])
def test_units_long_paragraphs_are_split_in_windows_with_the_same_boundaries(corpus, max_chars):
    text = " ".join(corpus.units("paragraph").query("role == 'body'")["text"])  # 85,000 characters as one paragraph
    whole = split_sentences(text, max_chars=len(text))
    assert split_sentences(text, max_chars=max_chars) == whole
    synthetic = _long_paragraph(50_000, seed=1)
    assert split_sentences(synthetic, max_chars=max_chars) == split_sentences(synthetic, max_chars=len(synthetic))


def test_units_a_sentence_longer_than_the_window_is_cut_at_a_space():
    text = "Hong Kong is a bridge. " + " ".join(["U.S."] * 400) + " and so on. " + "x" * 250 + " Done."
    spans = split_sentences(text, max_chars=300)
    assert [text[a:b] for a, b in spans][0] == "Hong Kong is a bridge."
    assert all(b - a <= 300 for a, b in spans)
    covered = [text[a:b] for a, b in spans]
    assert " ".join(covered).split() == text.split()  # every word in one sentence, in order, none lost


@pytest.mark.parametrize("max_chars", [0, -5, 2.5])
def test_units_the_window_size_must_be_a_positive_integer(max_chars):
    with pytest.raises(fr.ArgumentError, match=r"max_chars=.* must be a positive integer"):
        split_sentences("Hong Kong is a bridge. It links.", max_chars=max_chars)


# ----------------------------------------------------------------------------- speaker turns

TRANSCRIPT = ("Q: What about the sanctions?\nA: We oppose them.\nThey are unlawful.\n"
              "Mr Lee: Hong Kong remains a bridge.\nQ: And the Belt and Road?")


def test_units_speakers_are_metadata_and_kept_out_of_the_tokens():
    c = fr.Corpus.from_frame(pd.DataFrame({"doc_id": ["t1"], "text": [TRANSCRIPT]}), speakers=True)
    u = c.units("paragraph")
    assert u["speaker"].tolist() == ["Q", "A", "A", "Mr Lee", "Q"]
    assert u["text"].tolist()[:3] == ["What about the sanctions?", "We oppose them.", "They are unlawful."]
    doc = c["t1"]
    for start, end, text in zip(u["start"], u["end"], u["text"]):  # offsets still point into the clean text
        assert doc.text[start:end] == text
    terms = set(fr.dtm(c, fr.Preprocessor(stopwords=None)).terms)
    assert not {"q", "mr", "lee"} & terms and "sanction" in terms
    s = c.units("sentence")
    assert s.loc[s["text"] == "They are unlawful.", "speaker"].tolist() == ["A"]
    assert c.units("document")["speaker"].isna().all()


def test_units_speakers_by_a_given_pattern_and_off_by_default():
    text = "MODERATOR -- Welcome.\nDR WONG -- Thank you.\nNote: this line is prose."
    c = fr.Corpus.from_frame(pd.DataFrame({"doc_id": ["t1"], "text": [text]}), speakers=r"^([A-Z][A-Z ]+) -- ")
    assert c.units("paragraph")["speaker"].tolist() == ["MODERATOR", "DR WONG", "DR WONG"]
    plain = fr.Corpus.from_frame(pd.DataFrame({"doc_id": ["t1"], "text": [TRANSCRIPT]}))
    assert plain.units("paragraph")["speaker"].isna().all()
    assert plain["t1"].text.startswith("Q: What")  # nothing removed unless asked


def test_units_speakers_bad_pattern_is_named():
    with pytest.raises(fr.ArgumentError, match=r"speakers='\(unclosed' is not a regular expression"):
        fr.Corpus.from_frame(pd.DataFrame({"doc_id": ["t1"], "text": ["x"]}), speakers="(unclosed")


def test_units_speakers_from_front_matter_and_through_a_scan(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "t1.txt").write_text("---\ndoc_id: t1\nsource_type: press\ncleaning:\n  speakers: true\n---\n"
                                   + TRANSCRIPT + "\n", encoding="utf-8")
    c = fr.load_corpus(folder)
    assert c.units("paragraph")["speaker"].tolist() == ["Q", "A", "A", "Mr Lee", "Q"]
    table = tmp_path / "t.csv"
    pd.DataFrame({"doc_id": ["t1"], "text": [TRANSCRIPT]}).to_csv(table, index=False)
    scan = fr.CorpusScan(table, speakers=True)
    m = fr.dtm(scan, fr.Preprocessor(stopwords=None), unit="paragraph")
    assert m.units["speaker"].tolist() == ["Q", "A", "A", "Mr Lee", "Q"] and "q" not in set(m.terms)
