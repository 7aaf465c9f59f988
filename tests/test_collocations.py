"""Collocations, checked against NLTK's association measures and hand counts."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import framing as fr
from framing.measures.keywords.collocations import COLLOCATION_COLUMNS, sentence_tokens

PLAIN = fr.Preprocessor(stopwords=None, normalize=None)


def test_collocations_bigrams_agree_with_nltk(corpus):
    from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder

    pre = fr.Preprocessor()
    ours = collocs = fr.collocations(corpus, pre, by=(), min_count=3).set_index(["node", "collocate"])
    # NLTK on the same sentence token streams: a finder per sentence is not
    # possible, so join sentences with a separator and drop bigrams that cross it.
    sents = sentence_tokens(corpus, pre)
    words: list[str] = []
    for toks in sents["tokens"]:
        words.extend(t for t, _, _ in toks)
        words.append("<s>")
    finder = BigramCollocationFinder.from_words(words)
    n_words = len(words) - len(sents)  # the separators are not words
    m = BigramAssocMeasures()
    checked = 0
    for (w1, w2), n in finder.ngram_fd.items():
        if "<s>" in (w1, w2) or n < 3:
            continue
        f1, f2 = finder.word_fd[w1], finder.word_fd[w2]
        row = ours.loc[(w1, w2)]
        assert row["n"] == n and row["f_node"] == f1 and row["f_collocate"] == f2
        assert row["pmi"] == pytest.approx(m.pmi(n, (f1, f2), n_words))
        assert abs(row["g2"]) == pytest.approx(m.likelihood_ratio(n, (f1, f2), n_words), rel=1e-9)
        assert row["t_score"] == pytest.approx(m.student_t(n, (f1, f2), n_words), rel=1e-6)
        assert row["log_dice"] == pytest.approx(14 + math.log2(2 * n / (f1 + f2)))
        checked += 1
    assert checked == len(collocs) and checked > 20


def test_collocations_never_cross_a_sentence_boundary():
    df = pd.DataFrame({"doc_id": ["a"], "text": ["Alpha beta. Gamma delta. Alpha beta. Gamma delta. Alpha beta. Gamma delta."]})
    c = fr.Corpus.from_frame(df)
    bigrams = fr.collocations(c, PLAIN, min_count=1)
    pairs = set(zip(bigrams["node"], bigrams["collocate"]))
    assert pairs == {("alpha", "beta"), ("gamma", "delta")}


def test_collocations_window_counts_by_hand():
    text = "Hong Kong links the Mainland and the world. The world sees Hong Kong as a bridge."
    c = fr.Corpus.from_frame(pd.DataFrame({"doc_id": ["a"], "text": [text]}))
    t = fr.collocations(c, PLAIN, node="hong_kong", window=2, min_count=1).set_index("collocate")
    # sentence 1: [hong_kong] links the -> slots 2; sentence 2: world sees [hong_kong] as a -> slots 4
    assert t.loc["links", "n"] == 1 and t.loc["the", "n"] == 1 and t.loc["sees", "n"] == 1 and t.loc["a", "n"] == 1
    assert "mainland" not in t.index and "bridge" not in t.index
    n_tokens = 14  # 7 terms in each sentence
    f_the = 3
    assert t.loc["the", "expected"] == pytest.approx(6 * f_the / n_tokens)
    assert set(t["position"]) == {"±2"}


def test_collocations_node_glob_and_groups(corpus):
    t = fr.collocations(corpus, by="source_type", node="sanction*", window=5, min_count=1)
    assert set(t["node"]) <= {"sanction"} and len(t) > 0
    assert set(t["group"]) <= {"official", "academic", "press", "commentary"}


def test_collocations_trigrams(corpus):
    t = fr.collocations(corpus, by=(), size=3, min_count=3)
    row = t[(t["node"] == "tell") & (t["collocate"] == "good story")].iloc[0]
    assert row["n"] >= 3 and row["position"] == "+1+2"
    assert math.isnan(row["g2"]) and math.isnan(row["npmi"])


def test_collocations_columns_are_fixed(corpus):
    for kwargs in ({}, {"node": "hong_kong"}, {"size": 3}, {"by": "source_type"}):
        assert list(fr.collocations(corpus, **kwargs).columns) == COLLOCATION_COLUMNS


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"node": "atlantis"}, r"node='atlantis' does not occur in the corpus"),
        ({"by": "party"}, r"by='party': no column 'party' in the units' metadata"),
        ({"size": 4}, r"size=4 is not valid"),
        ({"window": 0}, r"window=0 must be a positive integer"),
    ],
)
def test_collocations_bad_arguments_are_named(corpus, kwargs, message):
    with pytest.raises(fr.ArgumentError, match=message):
        fr.collocations(corpus, **kwargs)


def test_collocations_node_may_be_written_as_in_the_text(corpus):
    # kwic takes "Hong Kong" as written; collocations does too, through the preprocessor
    a = fr.collocations(corpus, fr.Preprocessor(), node="Hong Kong", by=())
    b = fr.collocations(corpus, fr.Preprocessor(), node="hong_kong", by=())
    pd.testing.assert_frame_equal(a, b)
    assert len(a) > 0
    c = fr.collocations(corpus, fr.Preprocessor(), node="sanctions", by=())
    assert set(c["node"]) == {"sanction"}
