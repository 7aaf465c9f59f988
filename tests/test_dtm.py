"""The document-term matrix, checked against scikit-learn, gensim and hand counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import CountVectorizer

import framing as fr

PATTERN = r"[^\W_]+(?:-[^\W_]+)*"


def test_dtm_equals_countvectorizer_with_the_same_settings(corpus):
    """With multiword expressions, stopwords and lemmas off, counts are CountVectorizer's."""
    pre = fr.Preprocessor(stopwords=None, normalize=None, phrases=None, numbers="keep", token_pattern=PATTERN)
    m = fr.dtm(corpus, pre, unit="paragraph")
    texts = corpus.units("paragraph")["text"].tolist()
    quotes = str.maketrans({"’": "'", "‘": "'", "‐": "-", "‑": "-", "\u00a0": " "})
    cv = CountVectorizer(token_pattern=PATTERN, lowercase=True, preprocessor=lambda t: t.translate(quotes).lower())
    x = cv.fit_transform(texts)
    assert list(m.terms) == list(cv.get_feature_names_out())
    assert (m.matrix != x).nnz == 0


@pytest.mark.parametrize("unit", ["paragraph", "sentence"])
def test_dtm_documents_are_the_sum_of_their_units(corpus, pre, unit):
    docs = fr.dtm(corpus, pre, unit="document")
    parts = fr.dtm(corpus, pre, unit=unit).group("doc_id")
    assert list(parts.units["doc_id"]) == list(docs.units["doc_id"])
    assert list(parts.terms) == list(docs.terms)
    assert (parts.matrix != docs.matrix).nnz == 0


def test_dtm_rows_align_with_the_units_metadata(corpus, pre):
    m = fr.dtm(corpus, pre, unit="paragraph")
    units = corpus.units("paragraph")
    assert m.shape[0] == len(units)
    assert m.units["unit_id"].tolist() == units["unit_id"].tolist()
    assert "text" not in m.units.columns
    # spot-check one paragraph by hand: its own tokens, counted
    row = 5
    text = units["text"].iloc[row]
    expected = pd.Series(pre.terms(text)).value_counts()
    got = m.tidy().query("unit_id == @units.unit_id.iloc[@row]").set_index("term")["count"]
    assert got.sort_index().to_dict() == expected.sort_index().to_dict()


def test_dtm_group_sums_rows_like_pandas(corpus, pre):
    m = fr.dtm(corpus, pre, unit="paragraph")
    g = m.group("source_type")
    tidy = m.tidy().merge(m.units[["unit_id", "source_type"]], on="unit_id")
    expected = tidy.groupby(["source_type", "term"])["count"].sum()
    got = g.tidy().set_index(["source_type", "term"])["count"]
    pd.testing.assert_series_equal(got.sort_index(), expected.sort_index(), check_names=False)
    assert g.units.set_index("source_type")["n_docs"].to_dict() == {"official": 3, "academic": 1, "press": 1, "commentary": 1}
    assert g.units["n_units"].sum() == m.shape[0]
    assert g.preprocessor == pre.id


def test_dtm_group_by_two_columns(corpus, pre):
    g = fr.dtm(corpus, pre).group(["source_type", "year"])
    assert list(g.units.columns[:2]) == ["source_type", "year"]
    assert int(g.matrix.sum()) == int(fr.dtm(corpus, pre).matrix.sum())


def test_dtm_group_unknown_column_is_named(corpus, pre):
    with pytest.raises(fr.ArgumentError, match=r"by='party': no column 'party'"):
        fr.dtm(corpus, pre).group("party")


def test_dtm_trim_thresholds_by_hand():
    df = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": ["apple apple pear", "apple plum", "apple pear fig"]})
    c = fr.Corpus.from_frame(df)
    m = fr.dtm(c, fr.Preprocessor(stopwords=None, normalize=None, phrases=None))
    assert list(m.terms) == ["apple", "fig", "pear", "plum"]
    assert list(m.trim(min_count=2).terms) == ["apple", "pear"]
    assert list(m.trim(min_docs=2).terms) == ["apple", "pear"]
    assert list(m.trim(max_doc_share=0.5).terms) == ["fig", "plum"]
    assert list(m.trim(min_count=2, max_doc_share=0.9).terms) == ["pear"]
    with pytest.raises(fr.ArgumentError, match="max_doc_share=0 must lie in"):
        m.trim(max_doc_share=0)


def test_dtm_tfidf_matches_the_formula_by_hand():
    df = pd.DataFrame({"doc_id": ["a", "b"], "text": ["apple apple pear", "apple plum"]})
    m = fr.dtm(fr.Corpus.from_frame(df), fr.Preprocessor(stopwords=None, normalize=None, phrases=None))
    w = m.tfidf().matrix.toarray()
    n = 2
    df_ = np.array([2, 1, 1])  # apple, pear, plum
    idf = np.log((1 + n) / (1 + df_)) + 1
    raw = np.array([[2, 1, 0], [1, 0, 1]]) * idf
    expected = raw / np.linalg.norm(raw, axis=1, keepdims=True)
    np.testing.assert_allclose(w, expected)
    assert m.tfidf().weighting == "tfidf"


def test_dtm_tidy_has_fixed_columns(corpus, pre):
    m = fr.dtm(corpus, pre, unit="paragraph")
    t = m.tidy()
    assert list(t.columns) == ["unit_id", "doc_id", "term", "count"]
    assert t["count"].sum() == m.matrix.sum() and (t["count"] > 0).all()
    assert list(fr.dtm(corpus, pre).group("source_type").tidy().columns) == ["source_type", "term", "count"]


def test_dtm_to_gensim_matches_gensim_on_the_same_tokens(corpus, pre):
    from gensim.corpora import Dictionary

    m = fr.dtm(corpus, pre, unit="paragraph")
    dictionary, bow = m.to_gensim()
    token_lists = [pre.terms(t) for t in corpus.units("paragraph")["text"]]
    ref = Dictionary(token_lists)
    assert set(dictionary.token2id) == set(ref.token2id)
    for mine, theirs in zip(bow, (ref.doc2bow(t) for t in token_lists)):
        assert {dictionary[i]: c for i, c in mine} == {ref[i]: c for i, c in theirs}
    assert {dictionary[i]: v for i, v in dictionary.dfs.items()} == {ref[i]: v for i, v in ref.dfs.items()}
    assert dictionary.num_docs == ref.num_docs and dictionary.num_pos == ref.num_pos


def test_dtm_learned_phrases_join_pairs_the_corpus_binds():
    texts = [f"The xinjiang cotton ban hit exporters. Report {i} on trade." for i in range(12)]
    c = fr.Corpus.from_frame(pd.DataFrame({"doc_id": [f"d{i}" for i in range(12)], "text": texts}))
    pre = fr.Preprocessor(learn_phrases=True, phrase_min_count=3, phrase_threshold=0.5)
    m = fr.dtm(c, pre)
    assert "xinjiang_cotton_ban" in m.terms or "xinjiang_cotton" in m.terms
    assert m.learned_phrases
    toks = fr.tokens(c, pre).to_frame()
    assert not toks.empty  # tokens() records spans of the base tokens
    off = fr.dtm(c, fr.Preprocessor())
    assert "xinjiang" in off.terms and not off.learned_phrases


def test_dtm_records_its_provenance(corpus, pre):
    m = fr.dtm(corpus, pre, unit="sentence")
    assert m.preprocessor == pre.id and m.corpus_hash == corpus.content_hash and m.unit == "sentence"
    assert pre.id in repr(m)


def test_dtm_is_deterministic(corpus, pre):
    a, b = fr.dtm(corpus, pre, unit="paragraph"), fr.dtm(corpus, pre, unit="paragraph")
    assert list(a.terms) == list(b.terms) and (a.matrix != b.matrix).nnz == 0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: fr.dtm("not a corpus"), r"dtm expects a framing Corpus, Tokens, a CorpusScan or a DaskCorpus, got str"),
        (lambda c: fr.dtm(c, "defaults"), r"pre must be a framing Preprocessor, got str"),
        (lambda c: fr.dtm(c, unit="chapter"), r"unit='chapter' is not valid"),
    ],
)
def test_dtm_bad_arguments_are_named(corpus, call, message):
    with pytest.raises(fr.ArgumentError, match=message):
        call(corpus)
