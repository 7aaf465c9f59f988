"""Units: paragraphs and sentences with offsets into the clean text."""

from __future__ import annotations

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
