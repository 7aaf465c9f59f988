"""Tokens: one token stream per (corpus, preprocessor), shared by every measure."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import framing as fr
from framing.corpus.units import assign_sentences, paragraph_sentences
from framing.text import tokens as tokens_module


@pytest.fixture(scope="module")
def toks(corpus):
    return fr.tokens(corpus, fr.Preprocessor())


def test_tokens_remember_how_they_were_made(corpus, toks):
    assert toks.preprocessor == fr.Preprocessor().id and toks.corpus_hash == corpus.content_hash
    assert toks.corpus is corpus and len(toks) == len(toks.to_frame())
    assert list(toks.to_frame().columns) == tokens_module.TOKEN_COLUMNS
    assert fr.tokens(toks) is toks
    with pytest.raises(fr.ArgumentError, match="these tokens were made by pp-"):
        fr.tokens(toks, fr.Preprocessor(stopwords=None))


def test_tokens_are_immutable(toks):
    with pytest.raises(AttributeError, match="Tokens is immutable"):
        toks.preprocessor = "pp-other"
    with pytest.raises(AttributeError, match="Tokens is immutable"):
        toks._paragraphs = ()


@pytest.mark.parametrize("unit", ["document", "paragraph", "sentence"])
def test_tokens_dtm_equals_the_corpus_dtm(corpus, toks, unit):
    a, b = fr.dtm(toks, unit=unit), fr.dtm(corpus, fr.Preprocessor(), unit)
    assert list(a.terms) == list(b.terms) and (a.matrix != b.matrix).nnz == 0
    pd.testing.assert_frame_equal(a.units, b.units)
    assert (a.preprocessor, a.corpus_hash, a.group_by) == (b.preprocessor, b.corpus_hash, b.group_by)


def test_tokens_every_measure_accepts_them_with_the_same_result(corpus, toks):
    pre = fr.Preprocessor()
    pd.testing.assert_frame_equal(fr.kwic(toks, "bridge"), fr.kwic(corpus, "bridge", pre=pre))
    pd.testing.assert_frame_equal(fr.dispersion(toks, ["gateway", "west*"]), fr.dispersion(corpus, ["gateway", "west*"], pre))
    pd.testing.assert_frame_equal(fr.collocations(toks, node="hong_kong"), fr.collocations(corpus, pre, node="hong_kong"))
    frame_toks = fr.tokens(corpus, fr.frame_preprocessor())
    a = fr.detect_frames(frame_toks, subject="hong_kong")
    b = fr.detect_frames(corpus, subject="hong_kong")
    pd.testing.assert_frame_equal(a.evidence, b.evidence)
    pd.testing.assert_frame_equal(a.units, b.units)
    pd.testing.assert_frame_equal(fr.places(toks, subject="HKG"), fr.places(corpus, subject="HKG"))


@pytest.fixture
def tokenizations(monkeypatch):
    """The preprocessor id of every corpus tokenization made while the test runs."""
    calls: list[str] = []
    real = tokens_module._spans_of_documents

    def counting(pre, docs):  # one call per tokenization in one process: all documents form one chunk
        calls.append(pre.id)
        return real(pre, docs)

    monkeypatch.setattr(tokens_module, "_spans_of_documents", counting)
    return calls


def test_tokens_a_figure_run_tokenizes_once_per_preprocessor(corpus, tokenizations):
    import matplotlib.pyplot as plt

    from study import figures as study

    context = study.make_context(corpus)  # every figure draws from this one study object
    for name in ("fig02_keyness", "fig03_dispersion", "fig04_hong_kong_collocates", "fig05_frame_salience",
                 "fig06_frame_cooccurrence", "fig08_topic_prevalence", "fig09_topic_terms"):
        fig, _ = study.FIGURES[name].func(context)
        plt.close(fig)
    assert sorted(tokenizations) == sorted({fr.Preprocessor().id, fr.frame_preprocessor().id})


def test_tokens_robustness_tokenizes_each_specification_once(corpus, tokenizations):
    calls = tokenizations
    grid = {"lowercase": [True], "stopwords": ["english", None], "phrases": ["default", None]}
    fr.robustness(corpus, "keyness", grid)
    assert len(calls) == len(set(calls)) == 4
    calls.clear()
    fr.robustness(corpus, "frames", {"unit": ["paragraph", "sentence"]}, leave_out=(), n_perm=100)
    assert len(calls) == 1  # frames are matched once, with the codebook's own preprocessor


# --------------------------------------------------------------------------- sentences


def test_sentences_one_assignment_agrees_with_the_sentence_units(corpus, toks):
    """The sentence-level matrix, frames and collocations use the one assignment,
    and it puts every token inside the span of its sentence unit."""
    units = corpus.units("sentence")
    for row, spans in zip(units.itertuples(), toks.sentences()):
        for _, a, b in spans:
            assert row.start <= a and b <= row.end + 2  # a possessive 's may run past a sentence end
    m = fr.dtm(toks, unit="sentence")
    assert list(m.units["unit_id"]) == list(units["unit_id"])
    frames = fr.detect_frames(fr.tokens(corpus, fr.frame_preprocessor()))
    assert list(frames.sentences["sentence_id"]) == list(units["unit_id"])
    counts = fr.dtm(fr.tokens(corpus, fr.frame_preprocessor()), unit="sentence").matrix.sum(axis=1).A1
    assert frames.sentences["n_tokens"].to_numpy().tolist() == counts.tolist()


def test_sentences_with_abbreviations_are_cut_once_and_agree():
    text = ("The U.S. and the U.K. imposed sanctions on Jan. 5. Hong Kong is ranked No. 1 in Asia, "
            "Mr. Lee said. It is e.g. a bridge.\n\nA second paragraph. It has two sentences.")
    c = fr.Corpus.from_frame(pd.DataFrame({"doc_id": ["a"], "text": [text]}))
    units = c.units("sentence")
    # Punkt with the abbreviation list keeps U.S., Jan., No., Mr. and e.g. inside their sentences
    assert units["text"].tolist()[:2] == ["The U.S. and the U.K. imposed sanctions on Jan. 5.",
                                          "Hong Kong is ranked No. 1 in Asia, Mr. Lee said."]
    toks = fr.tokens(c, fr.Preprocessor(stopwords=None))
    by_sentence = toks.sentences()
    assert len(by_sentence) == len(units) == 5
    for row, spans in zip(units.itertuples(), by_sentence):
        assert [t for t, _, _ in spans] == [t for t, _, _ in fr.Preprocessor(stopwords=None).tokenize(row.text)]
    frames = fr.detect_frames(toks, subject="hong_kong")
    assert frames.sentences["mentions_subject"].tolist() == [False, True, False, False, False]


def test_sentences_assignment_kernel_by_hand():
    assert assign_sentences([0, 3, 9, 10, 25], [0, 10, 20]).tolist() == [0, 0, 0, 1, 2]
    assert assign_sentences([2], [5]).tolist() == [0]  # before every sentence: the first
    assert assign_sentences(np.array([], dtype=int), [0]).tolist() == []
    assert paragraph_sentences("A heading. With a dot.", "heading") == [(0, 22)]



def test_sentences_every_sentence_measure_goes_through_the_one_assignment(corpus, monkeypatch):
    """Sentence matrices, frames, collocations and kwic all call assign_sentences (once per paragraph)."""
    seen: list[int] = []
    real = tokens_module.assign_sentences

    def counting(token_starts, sentence_starts):
        seen.append(len(token_starts))
        return real(token_starts, sentence_starts)

    monkeypatch.setattr(tokens_module, "assign_sentences", counting)
    n_paragraphs = len(corpus.units("paragraph"))
    for measure in (lambda t: fr.dtm(t, unit="sentence"), lambda t: fr.detect_frames(t),
                    lambda t: fr.collocations(t, node="bridge", min_count=1), lambda t: fr.kwic(t, "gateway")):
        seen.clear()
        measure(fr.tokens(corpus, fr.Preprocessor()))
        assert len(seen) == n_paragraphs and sum(seen) > 0


def test_tokens_with_learned_phrases_equal_a_tokenization_that_learns_them(corpus):
    import dataclasses

    from framing.text.tokens import with_learned_phrases

    for kwargs in ({}, {"normalize": "stem"}, {"lowercase": False, "stopwords": None}):
        pre = fr.Preprocessor(learn_phrases=True, **kwargs)
        direct = fr.tokens(corpus, pre)
        derived = with_learned_phrases(fr.tokens(corpus, dataclasses.replace(pre, learn_phrases=False)), pre)
        assert list(derived.paragraphs()) == list(direct.paragraphs())
        assert derived.learned_phrases == direct.learned_phrases and derived.learned_phrases
        assert derived.preprocessor == pre.id
    with pytest.raises(fr.ArgumentError, match="without learned phrases"):
        with_learned_phrases(fr.tokens(corpus, fr.Preprocessor(normalize="stem")), fr.Preprocessor(learn_phrases=True))
