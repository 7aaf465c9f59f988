"""quanteda / scattertext staples: dfm weighting, similarity and distance,
lexical diversity and readability. Every number is checked against an
independent computation (numpy, scipy, scikit-learn, a reference written here
from the method's paper, or a hand count shown in the comments)."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from scipy.spatial.distance import jensenshannon, pdist, squareform

import framing as fr
from framing.base.errors import ArgumentError
from framing.measures.similarity import (
    PAIR_COLUMNS,
    distance,
    pairwise_distance,
    pairwise_similarity,
    similarity,
)
from framing.measures.textstats import (
    LEXICAL_DIVERSITY_COLUMNS,
    READABILITY_COLUMNS,
    count_syllables,
    lexical_diversity,
    mattr,
    mtld,
    readability,
    readability_scores,
    ttr,
)
from framing.text.dtm import DocumentTermMatrix

RUNNING = fr.Preprocessor(stopwords=None, normalize=None, phrases=None)


def hand_matrix(counts, terms=None, groups=None, group_by=None) -> DocumentTermMatrix:
    counts = np.asarray(counts)
    n, v = counts.shape
    units = pd.DataFrame({"unit_id": [f"u{i}" for i in range(n)], "doc_id": [f"d{i}" for i in range(n)]})
    if groups is not None:
        units["g"] = groups
    terms = terms if terms is not None else [f"t{j:02d}" for j in range(v)]
    return DocumentTermMatrix(sp.csr_matrix(counts), terms, units, unit="document", preprocessor="pp-hand",
                              corpus_hash="hand", group_by=group_by)


@pytest.fixture(scope="module")
def doc_matrix(corpus, pre) -> DocumentTermMatrix:
    return fr.dtm(corpus, pre, unit="document")


@pytest.fixture(scope="module")
def random_counts() -> np.ndarray:
    rng = np.random.default_rng(20240611)
    x = rng.poisson(0.8, size=(7, 60)).astype(float)
    x[3] = x[1]  # two identical rows: distance exactly 0
    x[5, :] = 0
    x[5, :4] = [1, 0, 7, 2]  # a sparse, lopsided row
    return x


# --------------------------------------------------------------------------- DocumentTermMatrix.weight


def test_dtm_weight_matches_quanteda_worked_example():
    # quanteda's own test of dfm_weight (tests/testthat/test-dfm_weight.R, quanteda 4.x):
    # "apple is better than banana", "banana banana apple much better" with English stopwords removed
    # gives features apple, better, banana, much with counts [1,1,1,0] and [1,1,2,1]; quanteda's
    # expected values, rounded to 2 places, are copied here.
    m = hand_matrix([[1, 1, 1, 0], [1, 1, 2, 1]], terms=["apple", "better", "banana", "much"])
    prop = np.round(m.weight("prop").matrix.toarray(), 2)
    assert prop.tolist() == [[0.33, 0.33, 0.33, 0.0], [0.2, 0.2, 0.4, 0.2]]
    logcount = np.round(m.weight("logcount").matrix.toarray(), 2)
    assert logcount.tolist() == [[1, 1, 1, 0], [1, 1, 1.30, 1]]
    assert m.weight("boolean").matrix.toarray().tolist() == [[1, 1, 1, 0], [1, 1, 1, 1]]


def test_dtm_weight_agrees_with_numpy_and_sklearn(doc_matrix):
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.preprocessing import binarize, normalize

    counts = doc_matrix.matrix.toarray().astype(float)
    np.testing.assert_allclose(doc_matrix.weight("prop").matrix.toarray(), normalize(counts, norm="l1"), rtol=1e-12)
    np.testing.assert_array_equal(doc_matrix.weight("boolean").matrix.toarray(), binarize(counts, threshold=0))
    with np.errstate(divide="ignore"):
        log10 = np.where(counts > 0, 1 + np.log10(counts), 0.0)
    np.testing.assert_allclose(doc_matrix.weight("logcount").matrix.toarray(), log10, rtol=1e-12)
    # base e is scikit-learn's sublinear tf: 1 + ln(tf)
    sublinear = TfidfTransformer(use_idf=False, norm=None, sublinear_tf=True).fit_transform(counts).toarray()
    np.testing.assert_allclose(doc_matrix.weight("logcount", base=np.e).matrix.toarray(), sublinear, rtol=1e-12)
    tfidf = TfidfTransformer().fit_transform(counts).toarray()
    np.testing.assert_allclose(doc_matrix.weight("tfidf").matrix.toarray(), tfidf, rtol=1e-12)


def test_dtm_weight_returns_a_new_matrix_with_its_scheme(doc_matrix):
    before = doc_matrix.matrix.copy()
    for scheme in ("prop", "boolean", "logcount", "tfidf"):
        weighted = doc_matrix.weight(scheme)
        assert weighted.weighting == scheme and weighted is not doc_matrix
        assert weighted.shape == doc_matrix.shape and list(weighted.terms) == list(doc_matrix.terms)
        assert weighted.units.equals(doc_matrix.units)
    assert doc_matrix.weighting == "count"
    assert (doc_matrix.matrix != before).nnz == 0


def test_dtm_weight_keeps_an_empty_row_at_zero():
    m = hand_matrix([[0, 0, 0], [2, 0, 1]])
    assert m.weight("prop").matrix.toarray().tolist() == [[0, 0, 0], [2 / 3, 0, 1 / 3]]


def test_dtm_weight_refuses_a_weighted_matrix(doc_matrix):
    with pytest.raises(ArgumentError, match=r"weight\('logcount'\) expects a matrix of counts; .*already weighted \('prop'\)"):
        doc_matrix.weight("prop").weight("logcount")
    with pytest.raises(ArgumentError, match="already weighted"):
        doc_matrix.tfidf().weight("prop")


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"scheme": "log"}, r"scheme='log' is not valid; choose one of 'prop', 'boolean', 'logcount', 'tfidf'"),
    ({"scheme": "logcount", "base": 1}, r"base=1 must be a positive number other than 1"),
    ({"scheme": "logcount", "base": -2}, r"base=-2 must be"),
    ({"scheme": "logcount", "base": "10"}, r"base='10' must be"),
])
def test_dtm_weight_rejects_bad_options(doc_matrix, kwargs, message):
    with pytest.raises(ArgumentError, match=message):
        doc_matrix.weight(**kwargs)


# --------------------------------------------------------------------------- similarity and distance


def _binary(x: np.ndarray) -> np.ndarray:
    return (x > 0).astype(bool)


def _ejaccard(u: np.ndarray, v: np.ndarray) -> float:
    return float(u @ v / (u @ u + v @ v - u @ v))


def _edice(u: np.ndarray, v: np.ndarray) -> float:
    return float(2 * (u @ v) / (u @ u + v @ v))


SIMILARITY_REFERENCES = {
    "cosine": lambda x: None,  # scikit-learn, below
    "correlation": lambda x: np.corrcoef(x),
    "jaccard": lambda x: 1 - squareform(pdist(_binary(x), "jaccard")),
    "dice": lambda x: 1 - squareform(pdist(_binary(x), "dice")),
    "ejaccard": lambda x: squareform(pdist(x, _ejaccard)) + np.eye(len(x)),
    "edice": lambda x: squareform(pdist(x, _edice)) + np.eye(len(x)),
}


@pytest.mark.parametrize("method", list(SIMILARITY_REFERENCES))
def test_similarity_kernel_matches_scipy_and_sklearn(random_counts, method):
    from sklearn.metrics.pairwise import cosine_similarity

    x = random_counts
    expected = cosine_similarity(x) if method == "cosine" else SIMILARITY_REFERENCES[method](x)
    got = pairwise_similarity(sp.csr_matrix(x), method)
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)


DISTANCE_REFERENCES = {
    "euclidean": lambda x: pdist(x, "euclidean"),
    "manhattan": lambda x: pdist(x, "cityblock"),
    "maximum": lambda x: pdist(x, "chebyshev"),
    "canberra": lambda x: pdist(x, "canberra"),
    "minkowski": lambda x: pdist(x, "minkowski", p=3),
    "cosine": lambda x: pdist(x, "cosine"),
    "jaccard": lambda x: pdist(_binary(x), "jaccard"),
    "jensen_shannon": lambda x: pdist(x, lambda u, v: jensenshannon(u, v, base=2)),
}


@pytest.mark.parametrize("method", list(DISTANCE_REFERENCES))
def test_distance_kernel_matches_scipy_pdist(random_counts, method):
    got = pairwise_distance(sp.csr_matrix(random_counts), method, p=3)
    np.testing.assert_allclose(squareform(got, checks=False), DISTANCE_REFERENCES[method](random_counts),
                               rtol=1e-10, atol=1e-12)
    assert np.allclose(np.diag(got), 0) and np.allclose(got, got.T)


def test_distance_identical_rows_are_exactly_zero(random_counts):
    for method in ("euclidean", "manhattan", "maximum", "canberra", "minkowski", "jensen_shannon"):
        assert pairwise_distance(random_counts, method)[1, 3] == 0.0, method


def test_similarity_table_is_in_pdist_order_with_fixed_columns(random_counts):
    from sklearn.metrics.pairwise import cosine_similarity

    m = hand_matrix(random_counts)
    table = similarity(m, "cosine", by="unit_id")
    assert list(table.columns) == PAIR_COLUMNS
    n = len(random_counts)
    assert len(table) == n * (n - 1) // 2
    expected = squareform(cosine_similarity(random_counts), checks=False)
    np.testing.assert_allclose(table["value"], expected, rtol=1e-10)
    assert table[["a", "b"]].iloc[0].tolist() == ["u0", "u1"] and table[["a", "b"]].iloc[-1].tolist() == ["u5", "u6"]
    assert (table["units_a"] == 1).all() and (table["method"] == "cosine").all()
    np.testing.assert_array_equal(table["size_a"], random_counts.sum(axis=1)[np.triu_indices(n, 1)[0]])
    assert set(table["weighting"]) == {"count"} and set(table["preprocessor"]) == {"pp-hand"}


def test_similarity_groups_sum_the_rows_of_each_group(random_counts):
    groups = ["b", "a", "b", "c", "a", "c", "b"]
    m = hand_matrix(random_counts, groups=groups, group_by="g")
    profiles = pd.DataFrame(random_counts).groupby(pd.Series(groups), sort=False).sum()  # b, a, c
    assert list(profiles.index) == ["b", "a", "c"]
    table = distance(m, "jensen_shannon")  # by=None: the matrix' own grouping, g
    ref = pdist(profiles.to_numpy(), lambda u, v: jensenshannon(u, v, base=2))
    np.testing.assert_allclose(table["value"], ref, rtol=1e-10)
    assert table[["a", "b"]].values.tolist() == [["b", "a"], ["b", "c"], ["a", "c"]]
    assert table["units_a"].tolist() == [3, 3, 2] and table["units_b"].tolist() == [2, 2, 2]


def test_similarity_as_matrix_is_the_labelled_square_of_the_long_table(random_counts):
    groups = ["b", "a", "b", "c", "a", "c", "b"]
    m = hand_matrix(random_counts, groups=groups, group_by="g")
    square = distance(m, "manhattan", by="g", as_matrix=True)
    long = distance(m, "manhattan", by="g")
    assert list(square.index) == list(square.columns) == ["b", "a", "c"]
    assert square.index.name == "g"
    for a, b, value in long[["a", "b", "value"]].itertuples(index=False):
        assert square.loc[a, b] == square.loc[b, a] == value
    assert (np.diag(square) == 0).all()
    sim = similarity(m, "correlation", by="g", as_matrix=True)
    np.testing.assert_allclose(np.diag(sim), 1.0)


def test_similarity_of_source_types_matches_sklearn_on_the_bundled_corpus(doc_matrix):
    from sklearn.metrics.pairwise import cosine_similarity

    table = similarity(doc_matrix, "cosine")  # by=None: the corpus' grouping, source_type
    grouped = doc_matrix.group("source_type")
    expected = squareform(cosine_similarity(grouped.matrix.toarray()), checks=False)
    assert table["a"].tolist()[:3] == [grouped.units["source_type"][0]] * 3
    np.testing.assert_allclose(table["value"], expected, rtol=1e-10)
    assert table["size_a"].sum() > 0 and set(table["units_a"]) <= {1, 3}


def test_similarity_of_weighted_rows_by_unit(doc_matrix):
    from sklearn.metrics.pairwise import euclidean_distances
    from sklearn.preprocessing import normalize

    table = distance(doc_matrix.weight("prop"), "euclidean", by="unit_id")
    expected = squareform(euclidean_distances(normalize(doc_matrix.matrix.toarray().astype(float), norm="l1")),
                          checks=False)
    np.testing.assert_allclose(table["value"], expected, rtol=1e-9, atol=1e-12)
    assert set(table["weighting"]) == {"prop"}


def test_similarity_is_nan_where_undefined():
    m = hand_matrix([[0, 0, 0], [1, 2, 0], [0, 1, 1]])
    cos = similarity(m, "cosine", by="unit_id", as_matrix=True)
    assert np.isnan(cos.loc["u0", "u1"]) and np.isnan(cos.loc["u0", "u0"])
    assert cos.loc["u1", "u2"] == pytest.approx(2 / (np.sqrt(5) * np.sqrt(2)))
    assert np.isnan(distance(m, "jensen_shannon", by="unit_id", as_matrix=True).loc["u0", "u2"])
    assert np.isnan(similarity(hand_matrix([[1, 1, 1], [1, 2, 0]]), "correlation", by="unit_id")["value"].iat[0])


def test_similarity_refuses_fewer_than_two_groups(doc_matrix):
    with pytest.raises(ArgumentError, match=r"similarity needs at least two groups to compare; by=\(\) gives one \('all'\)"):
        similarity(doc_matrix, by=())
    plain = hand_matrix([[1, 0], [0, 1]])  # no grouping column: by=None is one group
    with pytest.raises(ArgumentError, match="Pass by='unit_id'"):
        distance(plain)


def test_similarity_refuses_to_sum_weights(doc_matrix):
    with pytest.raises(ArgumentError, match=r"group 'official' has 3 rows of a weighted matrix \('tfidf'\)"):
        similarity(doc_matrix.tfidf(), by="source_type")
    ok = similarity(doc_matrix.group("source_type").weight("prop"), by="source_type")
    assert len(ok) == 6


@pytest.mark.parametrize(("call", "message"), [
    (lambda m: similarity(m, "euclidean"), r"method='euclidean' is not valid; choose one of 'cosine'"),
    (lambda m: distance(m, "cityblock"), r"method='cityblock' is not valid; choose one of 'euclidean'"),
    (lambda m: distance(m, "minkowski", p=0.5), r"p=0.5 must be a number of at least 1"),
    (lambda m: similarity(m.matrix), r"similarity expects a DocumentTermMatrix, got csr_matrix"),
    (lambda m: distance(m, by="no_such_column"), r"by='no_such_column': no column 'no_such_column'"),
])
def test_similarity_rejects_bad_arguments(doc_matrix, call, message):
    with pytest.raises(ArgumentError, match=message):
        call(doc_matrix)


# --------------------------------------------------------------------------- lexical diversity

# The Gettysburg Address (Lincoln 1863, Bliss copy; public domain), tokenized below as lower-case letter runs.
GETTYSBURG = """
Four score and seven years ago our fathers brought forth on this continent, a new nation, conceived in
Liberty, and dedicated to the proposition that all men are created equal. Now we are engaged in a great
civil war, testing whether that nation, or any nation so conceived and so dedicated, can long endure. We are
met on a great battle-field of that war. We have come to dedicate a portion of that field, as a final
resting place for those who here gave their lives that that nation might live. It is altogether fitting and
proper that we should do this. But, in a larger sense, we can not dedicate -- we can not consecrate -- we
can not hallow -- this ground. The brave men, living and dead, who struggled here, have consecrated it, far
above our poor power to add or detract. The world will little note, nor long remember what we say here, but
it can never forget what they did here. It is for us the living, rather, to be dedicated here to the
unfinished work which they who fought here have thus far so nobly advanced. It is rather for us to be here
dedicated to the great task remaining before us -- that from these honored dead we take increased devotion
to that cause for which they gave the last full measure of devotion -- that we here highly resolve that
these dead shall not have died in vain -- that this nation, under God, shall have a new birth of freedom --
and that government of the people, by the people, for the people, shall not perish from the earth.
"""
GETTYSBURG_WORDS = re.findall(r"[a-z]+", GETTYSBURG.lower())


def naive_mattr(words, window):
    """Covington & McFall (2010) read literally: the TTR of every window, averaged."""
    ttrs = [len(set(words[i:i + window])) / window for i in range(len(words) - window + 1)]
    return sum(ttrs) / len(ttrs)


def reference_mtld(words, threshold=0.72):
    """McCarthy & Jarvis (2010), sec. "MTLD", read literally: a factor ends when the running TTR reaches the
    threshold; the remainder is the partial factor (1 - TTR) / (1 - threshold); forward and backward averaged."""
    def one_pass(seq):
        factors, start = 0.0, 0
        for end in range(1, len(seq) + 1):
            segment = seq[start:end]
            if len(set(segment)) / len(segment) <= threshold:
                factors += 1
                start = end
        rest = seq[start:]
        if rest:
            factors += (1 - len(set(rest)) / len(rest)) / (1 - threshold)
        return len(seq) / factors
    return (one_pass(list(words)) + one_pass(list(words)[::-1])) / 2


def test_ttr_by_hand():
    # "The cat saw the other cat": 6 tokens, 4 types (the, cat, saw, other)
    corpus = fr.Corpus.from_frame(pd.DataFrame({"doc_id": ["a"], "text": ["The cat saw the other cat."]}))
    table = lexical_diversity(corpus, "ttr")
    assert table[["tokens", "types"]].iloc[0].tolist() == [6, 4]
    assert table["value"].iat[0] == pytest.approx(4 / 6)
    assert ttr(GETTYSBURG_WORDS) == len(set(GETTYSBURG_WORDS)) / len(GETTYSBURG_WORDS)


@pytest.mark.parametrize("window", [1, 2, 5, 25, 50, 272])
def test_mattr_matches_a_naive_sliding_window(window):
    assert mattr(GETTYSBURG_WORDS, window) == pytest.approx(naive_mattr(GETTYSBURG_WORDS, window), rel=1e-12)


def test_mattr_matches_a_naive_sliding_window_on_random_texts():
    rng = np.random.default_rng(7)
    for _ in range(30):
        words = [f"w{k}" for k in rng.integers(0, rng.integers(2, 40), size=rng.integers(5, 200))]
        window = int(rng.integers(1, len(words) + 1))
        assert mattr(words, window) == pytest.approx(naive_mattr(words, window), rel=1e-12)
    assert np.isnan(mattr(["a", "b"], 3))


def test_mtld_by_hand():
    # "a b a c d e", threshold 0.72.
    # Forward: a 1/1, b 2/2, a 2/3 = .667 <= .72 -> 1 factor; c d e: TTR 1 -> partial 0. 6 / 1 = 6.
    # Backward (e d c a b a): TTR stays 1 until the last a (5/6 = .833): no full factor; partial
    # (1 - 5/6) / (1 - .72) = 0.5952...; 6 / 0.5952... = 10.08.  MTLD = (6 + 10.08) / 2 = 8.04.
    assert mtld("a b a c d e".split()) == pytest.approx(8.04, rel=1e-12)
    # "of the people by the people for the people": both passes cut once at a TTR of 4/6 (forward) and
    # 3/5 (backward), and end on a rest of three distinct words: 9 / 1 each.
    assert mtld("of the people by the people for the people".split()) == pytest.approx(9.0)
    assert np.isnan(mtld("every word here is new".split()))


def test_mtld_matches_a_reference_written_from_the_paper():
    assert mtld(GETTYSBURG_WORDS) == pytest.approx(reference_mtld(GETTYSBURG_WORDS), rel=1e-12)
    rng = np.random.default_rng(11)
    for _ in range(30):
        words = [f"w{k}" for k in rng.integers(0, rng.integers(2, 60), size=rng.integers(3, 300))]
        if len(set(words)) == len(words):
            continue
        threshold = float(rng.choice([0.6, 0.72, 0.8]))
        assert mtld(words, threshold) == pytest.approx(reference_mtld(words, threshold), rel=1e-12)


def test_lexical_diversity_matches_the_lexicalrichness_package_on_gettysburg():
    # Values from lexicalrichness 0.5.1 (Shen 2022), LexicalRichness(words, preprocessor=None,
    # tokenizer=None): .mtld(threshold=0.72) and .mattr(window_size=25) on GETTYSBURG_WORDS (272 tokens).
    assert len(GETTYSBURG_WORDS) == 272 and len(set(GETTYSBURG_WORDS)) == 138
    assert mtld(GETTYSBURG_WORDS) == pytest.approx(58.13140794223827, rel=1e-12)
    assert mattr(GETTYSBURG_WORDS, 25) == pytest.approx(0.8766129032258055, rel=1e-12)


def test_lexical_diversity_table_on_the_bundled_corpus(corpus):
    table = lexical_diversity(corpus, window=50)
    assert list(table.columns[:len(LEXICAL_DIVERSITY_COLUMNS)]) == LEXICAL_DIVERSITY_COLUMNS
    assert {"source_type", "outlet", "year"} <= set(table.columns)  # the documents' metadata rides along
    assert len(table) == 3 * len(corpus) and table["doc_id"].tolist()[::3] == corpus.doc_ids
    assert (table["group"] == table["source_type"]).all()
    toks = fr.tokens(corpus, RUNNING)
    for doc_id, spans in toks.documents():
        words = [t for t, _, _ in spans]
        got = table[table["doc_id"] == doc_id].set_index("measure")
        assert got.loc["ttr", "tokens"] == len(words) and got.loc["ttr", "types"] == len(set(words))
        assert got.loc["ttr", "value"] == pytest.approx(len(set(words)) / len(words))
        assert got.loc["mattr", "value"] == pytest.approx(naive_mattr(words, 50), rel=1e-12)
        assert got.loc["mtld", "value"] == pytest.approx(reference_mtld(words), rel=1e-12)
        assert got.loc["mattr", "settings"] == "window=50" and got.loc["mtld", "settings"] == "threshold=0.72"
    assert (table["reason"] == "").all() and set(table["preprocessor"]) == {RUNNING.id}


def test_lexical_diversity_gives_nan_with_a_reason_for_short_texts():
    corpus = fr.Corpus.from_frame(pd.DataFrame({
        "doc_id": ["short", "distinct", "numbers"],
        "text": ["A cat and a dog and a cat.", "Every word here is new.", "2024 2025."],
    }))
    table = lexical_diversity(corpus, window=10, min_tokens=5).set_index(["doc_id", "measure"])
    assert table.loc[("short", "mattr"), "reason"] == "8 tokens, fewer than the window of 10"
    assert np.isnan(table.loc[("short", "mattr"), "value"])
    assert table.loc[("short", "mtld"), "reason"] == "" and table.loc[("short", "mtld"), "value"] > 0
    assert table.loc[("distinct", "mtld"), "reason"] == "no word repeats: MTLD is infinite"
    assert table.loc[("distinct", "ttr"), "value"] == 1.0
    assert (table.loc["numbers", "reason"] == "no tokens").all() and table.loc["numbers", "value"].isna().all()
    strict = lexical_diversity(corpus, "mtld", window=10).set_index("doc_id")
    assert strict.loc["short", "reason"] == "8 tokens, fewer than min_tokens=100"


def test_lexical_diversity_of_tokens_uses_their_preprocessor(corpus, pre):
    toks = fr.tokens(corpus, pre)  # lemmas, stopwords removed
    table = lexical_diversity(toks, "ttr", by="year", unit="paragraph")
    paragraphs = corpus.units("paragraph")
    assert table["unit_id"].tolist() == paragraphs["unit_id"].tolist()
    assert table["group"].tolist() == paragraphs["year"].astype(str).tolist()
    counts = fr.dtm(toks, unit="paragraph").matrix
    np.testing.assert_array_equal(table["tokens"], np.asarray(counts.sum(axis=1)).ravel())
    np.testing.assert_array_equal(table["types"], np.asarray((counts > 0).sum(axis=1)).ravel())
    assert set(table["preprocessor"]) == {pre.id}


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"measures": "yules_k"}, r"measures='yules_k' is not valid; choose one of 'ttr', 'mattr', 'mtld'"),
    ({"measures": ()}, r"measures=\(\) asks for nothing"),
    ({"window": 0}, r"window=0 must be a positive integer"),
    ({"threshold": 1.2}, r"threshold=1.2 must lie in \(0, 1\)"),
    ({"min_tokens": -1}, r"min_tokens=-1 must be a non-negative integer"),
    ({"unit": "sentence"}, r"unit='sentence' is not valid; choose one of 'document', 'paragraph'"),
    ({"by": "nope"}, r"by='nope': no column 'nope'"),
])
def test_lexical_diversity_rejects_bad_arguments(corpus, kwargs, message):
    with pytest.raises(ArgumentError, match=message):
        lexical_diversity(corpus, **kwargs)


def test_lexical_diversity_rejects_other_inputs():
    with pytest.raises(ArgumentError, match="lexical_diversity expects framing Tokens or a Corpus, got str"):
        lexical_diversity("a text")


# --------------------------------------------------------------------------- readability

# Hand counts of the two sentences "The cat sat on the mat. It was a very beautiful cat.":
# 2 sentences; 12 words; syllables the 1 cat 1 sat 1 on 1 the 1 mat 1 | it 1 was 1 a 1 very 2 beautiful 3 cat 1
# = 15; one word of 3+ syllables (beautiful); letters 3+3+3+2+3+3 + 2+3+1+4+9+3 = 17 + 22 = 39.
HAND_SYLLABLES = {"the": 1, "cat": 1, "sat": 1, "on": 1, "mat": 1, "it": 1, "was": 1, "a": 1, "very": 2,
                  "beautiful": 3, "cats": 1, "are": 1, "wonderful": 3, "animals": 3}


def test_readability_formulas_on_a_hand_counted_text():
    corpus = fr.Corpus.from_frame(pd.DataFrame({
        "doc_id": ["cat"], "text": ["The cat sat on the mat. It was a very beautiful cat."]}))
    table = readability(corpus, syllables=HAND_SYLLABLES.__getitem__).set_index("measure")
    assert table[["sentences", "words", "syllables", "polysyllables", "letters"]].iloc[0].tolist() == [2, 12, 15, 1, 39]
    s, w, y, p, letters = 2, 12, 15, 1, 39
    expected = {  # the published formulas, written out
        "flesch": 206.835 - 1.015 * (w / s) - 84.6 * (y / w),  # Flesch 1948
        "flesch_kincaid": 0.39 * (w / s) + 11.8 * (y / w) - 15.59,  # Kincaid et al. 1975
        "gunning_fog": 0.4 * ((w / s) + 100 * (p / w)),  # Gunning 1952
        "coleman_liau": 0.0588 * (letters / w * 100) - 0.296 * (s / w * 100) - 15.8,  # Coleman & Liau 1975
        "ari": 4.71 * (letters / w) + 0.5 * (w / s) - 21.43,  # Senter & Smith 1967
    }
    for measure, value in expected.items():
        assert table.loc[measure, "value"] == pytest.approx(value, rel=1e-12), measure
    # worked by hand: 206.835 - 6.09 - 105.75 = 94.995; 2.34 + 14.75 - 15.59 = 1.5
    assert table.loc["flesch", "value"] == pytest.approx(94.995)
    assert table.loc["flesch_kincaid", "value"] == pytest.approx(1.5)
    assert np.isnan(table.loc["smog", "value"])
    assert table.loc["smog", "reason"] == "2 sentences, fewer than the 30 SMOG was made for"


def test_readability_smog_on_thirty_sentences():
    # 30 × "Cats are wonderful animals.": S = 30, P = 60; SMOG = 1.0430 √(30 · 60 / 30) + 3.1291
    corpus = fr.Corpus.from_frame(pd.DataFrame({"doc_id": ["cats"], "text": [" ".join(["Cats are wonderful animals."] * 30)]}))
    table = readability(corpus, "smog", syllables=HAND_SYLLABLES.__getitem__)
    assert table[["sentences", "polysyllables"]].iloc[0].tolist() == [30, 60]
    assert table["value"].iat[0] == pytest.approx(1.0430 * np.sqrt(60) + 3.1291, rel=1e-12)
    assert table["value"].iat[0] == pytest.approx(11.2081, abs=1e-4)
    assert table["reason"].iat[0] == ""


def test_readability_scores_are_nan_without_words():
    scores = readability_scores(np.array([0, 2]), np.array([0, 10]), np.array([0, 12]), np.array([0, 1]),
                                np.array([0, 40]))
    for values in scores.values():
        assert np.isnan(values[0]) and np.isfinite(values[1])


def test_count_syllables_from_pyphen_hyphenation():
    import pyphen

    # syllable counts from the dictionary: in-ter-na-tion-al, beau-ti-ful, gov-ern-ment, cat
    assert [count_syllables(w) for w in ("international", "beautiful", "government", "cat")] == [5, 3, 3, 1]
    # each part of a compound counts; a part with no letter counts one
    assert count_syllables("people-to-people") == 5 and count_syllables("2024") == 1
    assert count_syllables("don't") == 1
    hyph = pyphen.Pyphen(lang="en_US")
    for word in ("diplomacy", "cooperation", "initiative", "area"):  # the documented undercounts included
        assert count_syllables(word) == len(hyph.positions(word)) + 1


def test_readability_table_on_the_bundled_corpus(corpus):
    table = readability(corpus)
    assert list(table.columns[:len(READABILITY_COLUMNS)]) == READABILITY_COLUMNS
    assert len(table) == 6 * len(corpus) and {"source_type", "outlet"} <= set(table.columns)
    sentences = corpus.units("sentence")
    toks = fr.tokens(corpus, fr.Preprocessor(stopwords=None, normalize=None, phrases=None, numbers="keep"))
    body = [(d, spans) for d, heading, spans in zip(sentences["doc_id"], sentences["is_heading"], toks.sentences())
            if not heading and spans]
    first = table.drop_duplicates("doc_id").set_index("doc_id")
    for doc_id in corpus.doc_ids:
        words = [t for d, spans in body if d == doc_id for t, _, _ in spans]
        syll = [count_syllables(t) for t in words]
        assert first.loc[doc_id, "sentences"] == sum(d == doc_id for d, _ in body)
        assert first.loc[doc_id, "words"] == len(words) and first.loc[doc_id, "syllables"] == sum(syll)
        assert first.loc[doc_id, "polysyllables"] == sum(n >= 3 for n in syll)
    with_headings = readability(corpus, "flesch", headings=True).set_index("doc_id")
    assert (with_headings["sentences"] > first["sentences"].reindex(with_headings.index)).any()
    fk = table[table["measure"] == "flesch_kincaid"]
    assert fk["value"].between(5, 25).all()  # prose for adult readers


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"measures": "dale_chall"}, r"measures='dale_chall' is not valid; choose one of 'flesch'"),
    ({"syllables": 3}, r"syllables=3 must be a function word -> int, or None"),
    ({"syllables": lambda w: -1}, r"syllables\('.*'\) returned -1; expected a non-negative integer"),
])
def test_readability_rejects_bad_arguments(corpus, kwargs, message):
    with pytest.raises(ArgumentError, match=message):
        readability(corpus, **kwargs)


def test_readability_rejects_tokens(corpus, pre):
    with pytest.raises(ArgumentError, match="readability expects a framing Corpus, got Tokens"):
        readability(fr.tokens(corpus, pre))


def test_staples_run_with_the_network_blocked():
    code = textwrap.dedent("""
        import socket
        def refuse(*a, **k):
            raise RuntimeError("network access attempted")
        socket.socket.connect = socket.create_connection = socket.getaddrinfo = refuse
        import framing as fr
        from framing.measures.textstats import readability, lexical_diversity
        from framing.measures.similarity import similarity
        c = fr.load_corpus()
        assert readability(c)["value"].notna().sum() > 30
        assert len(lexical_diversity(c)) == 18
        assert len(similarity(fr.dtm(c, fr.Preprocessor()).weight("logcount"), by="doc_id")) == 15
        print("OK")
    """)
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "OK"
