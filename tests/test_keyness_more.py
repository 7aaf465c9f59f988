"""keyness_scores: Fisher's exact test, PMI and the scaled F-score, checked against scipy, exact
arithmetic, hand-worked 2×2 cells and a transcription of scattertext's formula."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.stats import norm, rankdata

import framing as fr
from framing.measures.keywords.keyness import (
    KEYNESS_SCORE_COLUMNS,
    fisher_2x2,
    keyness_scores,
    pmi_2x2,
    scaled_f_score,
)


def tiny_dtm(rows: list[dict[str, int]], groups: list[str]) -> fr.DocumentTermMatrix:
    terms = sorted({t for r in rows for t in r})
    m = sp.csr_matrix(np.array([[r.get(t, 0) for t in terms] for r in rows], dtype=np.int64))
    units = pd.DataFrame({"unit_id": [f"u{i}" for i in range(len(rows))], "doc_id": [f"d{i}" for i in range(len(rows))],
                          "group": groups})
    return fr.DocumentTermMatrix(m, terms, units, unit="paragraph", preprocessor="pp-test", corpus_hash="x")


@pytest.fixture(scope="module")
def bundled() -> fr.DocumentTermMatrix:
    return fr.dtm(fr.load_corpus(), fr.Preprocessor(), unit="paragraph")


def same(x: float, y: float, rel: float = 1e-9) -> bool:
    """Equal within ``rel`` (relative), or both NaN, or equal infinities; p below 1e-300 counts as 0."""
    if np.isnan(x) or np.isnan(y):
        return bool(np.isnan(x) and np.isnan(y))
    if np.isinf(x) or np.isinf(y):
        return x == y
    return abs(x - y) <= rel * max(abs(x), abs(y)) or max(abs(x), abs(y)) < 1e-300


# --------------------------------------------------------------------------- Fisher's exact test


tables = st.one_of(
    st.tuples(st.integers(0, 8), st.integers(0, 8), st.integers(0, 8), st.integers(0, 8)),
    st.tuples(st.integers(0, 60), st.integers(0, 60), st.integers(0, 60), st.integers(0, 60)),
    st.tuples(st.integers(0, 300), st.integers(0, 300), st.integers(0, 50_000), st.integers(0, 50_000)),
)


@settings(max_examples=400, deadline=None)
@given(tables)
def test_keyness_fisher_equals_scipy_fisher_exact(t):
    a, b, c, d = t  # [[a, b], [c, d]]: term and other tokens (rows) of target and reference (columns); zeros allowed
    ref = stats.fisher_exact([[a, b], [c, d]])
    odds, p = fisher_2x2(np.array([a]), np.array([b]), a + c, b + d)
    assert same(odds[0], ref.statistic), (t, odds[0], ref.statistic)
    assert same(p[0], ref.pvalue), (t, p[0], ref.pvalue)


def test_keyness_fisher_equals_scipy_term_by_term_on_the_bundled_corpus(bundled):
    k = pd.concat([
        keyness_scores(bundled, by="source_type", target="press", measure="exact", min_count=1, adjust=None),
        keyness_scores(bundled, by="source_type", target="academic", reference="official", measure="exact",
                       min_count=1),
    ])
    assert len(k) > 1000
    bad = []
    for row in k.itertuples():
        a, b = row.n_target, row.n_reference
        ref = stats.fisher_exact([[a, b], [row.size_target - a, row.size_reference - b]])
        if not (same(row.score, ref.statistic) and same(row.p, ref.pvalue)):
            bad.append((row.term, a, b, row.score, ref.statistic, row.p, ref.pvalue))
    assert not bad, bad[:5]
    assert (k["p"] < 1e-3).sum() > 10 and k["score"].isin([np.inf]).any()  # strong and one-sided terms are among them


def exact_p(a: int, b: int, na: int, nb: int) -> float:
    """Two-sided p in exact integer arithmetic: the tables with probability at most the observed one's."""
    n1, total = a + b, na + nb
    support = range(max(0, na - (total - n1)), min(n1, na) + 1)
    weight = {k: math.comb(n1, k) * math.comb(total - n1, na - k) for k in support}
    return float(Fraction(sum(w for w in weight.values() if w <= weight[a]), math.comb(total, na)))


@pytest.mark.parametrize(
    ("a", "b", "na", "nb"),
    [
        (8, 2, 1000, 3000),
        (7, 146, 6735, 4545),  # p about 6e-49
        (126, 81, 8289, 2578),
        (30, 10, 500, 500),  # equal sizes: the table mirrored has exactly the same probability
        (10, 30, 500, 500),
        (5, 5, 400, 400),  # the mode: p = 1
        (0, 9, 3000, 40),
    ],
)
def test_keyness_fisher_equals_exact_integer_arithmetic(a, b, na, nb):
    odds, p = fisher_2x2(np.array([a]), np.array([b]), na, nb)
    assert p[0] == pytest.approx(exact_p(a, b, na, nb), rel=1e-12)
    assert odds[0] == pytest.approx(a * (nb - b) / ((na - a) * b)) if b and na - a else math.isinf(odds[0])


def test_keyness_fisher_degenerate_tables_as_scipy():
    # a term that is every token of both sides: the other row is empty
    odds, p = fisher_2x2(np.array([5, 0]), np.array([3, 0]), np.array([5, 10]), np.array([3, 10]))
    assert np.isnan(odds).all() and (p == 1).all()
    assert np.isnan(stats.fisher_exact([[5, 3], [0, 0]]).statistic)
    # broadcasting and shape: scalars in, arrays of the inputs' shape out
    odds, p = fisher_2x2(np.array([[1, 2], [3, 4]]), 2, 50, 60)
    assert odds.shape == p.shape == (2, 2)


def test_keyness_fisher_is_vectorised_over_large_counts():
    """A large matrix' worth of terms (Zipfian counts, 10 million tokens) at once, spot-checked against scipy."""
    rng = np.random.default_rng(5)
    rates = 1 / np.arange(1, 3001)
    rates /= rates.sum()
    a, b = rng.multinomial(2_500_000, rates), rng.multinomial(7_500_000, rates)
    keep = (a + b) > 0
    a, b = a[keep], b[keep]
    odds, p = fisher_2x2(a, b, a.sum(), b.sum())
    for i in np.linspace(0, len(a) - 1, 25).astype(int):
        ref = stats.fisher_exact([[a[i], b[i]], [a.sum() - a[i], b.sum() - b[i]]])
        assert same(odds[i], ref.statistic) and same(p[i], ref.pvalue, rel=1e-8), (i, a[i], b[i], p[i], ref.pvalue)


# --------------------------------------------------------------------------- PMI


def test_keyness_pmi_by_hand_from_the_2x2_cells():
    """quanteda.textstats' pmi_lambda: c = tN - a, d = rN - b, N = a+b+c+d, E = (a+b)(a+c)/N, log(a/E + 1e-9).

    'bridge': a = 8 of 1,000 target tokens, b = 2 of 3,000 reference tokens
        c = 992, d = 2998, N = 4000, E = 10 × 1000 / 4000 = 2.5
        PMI = ln(8 / 2.5 + 1e-9) = ln(3.2) = 1.16315081
    'gulf': a = 0, b = 6: E = 6 × 1000 / 4000 = 1.5, PMI = ln(1e-9) = -20.7232658
    """
    rows = [{"bridge": 8, "gulf": 0, "other": 992}, {"bridge": 2, "gulf": 6, "other": 2992}]
    k = keyness_scores(tiny_dtm(rows, ["t", "r"]), by="group", target="t", reference="r", measure="pmi", min_count=1)
    k = k.set_index("term")
    assert k.loc["bridge", "score"] == pytest.approx(math.log(8 / 2.5 + 1e-9), rel=1e-12)
    assert k.loc["bridge", "score"] == pytest.approx(1.16315081, abs=1e-8)
    assert k.loc["gulf", "score"] == pytest.approx(math.log(0 / 1.5 + 1e-9), rel=1e-12)
    a, b, c, d = 992, 2992, 8 + 0, 2 + 6  # 'other': its own table
    assert k.loc["other", "score"] == pytest.approx(math.log(a / ((a + b) * (a + c) / (a + b + c + d)) + 1e-9))
    assert k["p"].isna().all() and k["p_adj"].isna().all()
    assert pmi_2x2(np.array([8.0]), np.array([2.0]), 1000, 3000)[0] == pytest.approx(math.log(3.2 + 1e-9))


# --------------------------------------------------------------------------- scaled F-score


def scattertext_scaled_f(cat: np.ndarray, not_cat: np.ndarray, beta: float = 2.0) -> np.ndarray:
    """scattertext 0.2.2's ``ScaledFScore.get_scores(cat, not_cat)`` (scaler 'normcdf'), transcribed line by line."""

    def safe_scaler(ar):
        with np.errstate(invalid="ignore", divide="ignore"):  # scale 0: NaN, as scattertext gets it
            scaled_ar = norm.cdf(ar, ar.mean(), ar.std())
        if np.isnan(scaled_ar).any():
            return rankdata(scaled_ar).astype(np.float64) / len(scaled_ar)
        return scaled_ar

    def get_scores_for_category(cat_word_counts, not_cat_word_counts):
        precision = cat_word_counts * 1.0 / (cat_word_counts + not_cat_word_counts)
        recall = cat_word_counts * 1.0 / cat_word_counts.sum()
        precision_normcdf = safe_scaler(precision)
        recall_normcdf = safe_scaler(recall)
        scores_numerator = (1 + beta**2) * (precision_normcdf * recall_normcdf)
        scores_denominator = (beta**2) * precision_normcdf + recall_normcdf
        scores_denominator[scores_denominator == 0] = 1
        scores = scores_numerator / scores_denominator
        scores[np.isnan(scores)] = 0.0
        return scores

    def scale(ar):
        if len(ar) == 0:
            return ar
        if ar.min() == ar.max():
            return np.full(len(ar), 0.5)
        return (ar - ar.min()) / (ar.max() - ar.min())

    cat_scores = get_scores_for_category(cat, not_cat)
    not_cat_scores = get_scores_for_category(not_cat, cat)
    scores = np.zeros(len(cat_scores)).astype(np.float64)  # ScoreBalancer.balance_scores
    scores[cat_scores > not_cat_scores] = cat_scores[cat_scores > not_cat_scores]
    scores[cat_scores < not_cat_scores] = -not_cat_scores[cat_scores < not_cat_scores]
    scores[scores > 0] = scale(scores[scores > 0])
    scores[scores < 0] = -scale(-scores[scores < 0])
    return (scores + 1) / 2.0


@pytest.mark.parametrize(
    ("cat", "not_cat"),
    [
        ([40, 5, 10, 20, 3, 2], [2, 25, 10, 6, 9, 2]),
        ([1, 0, 0, 7, 120, 3, 3, 0, 15], [0, 4, 1, 7, 80, 0, 9, 2, 1]),  # zeros on either side
        ([2, 4, 6], [1, 2, 3]),  # every precision equal: scattertext's scaler is NaN, so is the score's side
        ([5, 5], [1, 9]),
        ([3], [4]),
    ],
)
@pytest.mark.parametrize("beta", [2.0, 1.0, 0.5])
def test_keyness_scaled_f_equals_scattertexts_formula(cat, not_cat, beta):
    cat, not_cat = np.array(cat, dtype=float), np.array(not_cat, dtype=float)
    np.testing.assert_allclose(scaled_f_score(cat, not_cat, beta=beta), scattertext_scaled_f(cat, not_cat, beta),
                               rtol=1e-12, atol=1e-15)


def test_keyness_scaled_f_in_the_table_scales_over_every_term_not_only_those_reported():
    rows = [{"w1": 40, "w2": 5, "w3": 10, "w4": 20, "w5": 3, "w6": 2}, {"w1": 2, "w2": 25, "w3": 10, "w4": 6, "w5": 9, "w6": 2}]
    m = tiny_dtm(rows, ["t", "r"])
    full = keyness_scores(m, by="group", target="t", reference="r", measure="scaled_f", min_count=1).set_index("term")
    cut = keyness_scores(m, by="group", target="t", reference="r", measure="scaled_f", min_count=13).set_index("term")
    expected = scattertext_scaled_f(np.array([40, 5, 10, 20, 3, 2.0]), np.array([2, 25, 10, 6, 9, 2.0]))
    np.testing.assert_allclose(full.loc[["w1", "w2", "w3", "w4", "w5", "w6"], "score"], expected, rtol=1e-12)
    assert list(cut.index) == ["w1", "w4", "w3", "w2"]  # 13 or more occurrences, by score
    pd.testing.assert_series_equal(cut["score"], full.loc[cut.index, "score"])
    assert full.index[0] == "w1" and full.index[-1] == "w2"


def test_keyness_scaled_f_against_the_rest_equals_the_formula_on_the_bundled_corpus(bundled):
    k = keyness_scores(bundled, by="source_type", measure="scaled_f", min_count=1)
    counts = pd.DataFrame(bundled.matrix.toarray(), columns=bundled.terms).groupby(
        bundled.units["source_type"].astype(str).to_numpy()).sum()
    for target, got in k.groupby("target"):
        cat = counts.loc[target].to_numpy(dtype=float)
        rest = counts.drop(index=target).sum().to_numpy(dtype=float)
        expected = pd.Series(scattertext_scaled_f(cat, rest), index=bundled.terms)
        np.testing.assert_allclose(got["score"], expected[got["term"]], rtol=1e-12, atol=1e-15)


# --------------------------------------------------------------------------- the table


@pytest.mark.parametrize("measure", ["exact", "pmi", "scaled_f"])
def test_keyness_scores_columns_do_not_depend_on_the_measure(bundled, measure):
    k = keyness_scores(bundled, by="source_type", measure=measure)
    assert list(k.columns) == KEYNESS_SCORE_COLUMNS
    assert list(dict.fromkeys(k["target"])) == ["official", "academic", "press", "commentary"]
    assert (k["measure"] == measure).all() and (k["preprocessor"] == bundled.preprocessor).all()
    assert (k["n_target"] + k["n_reference"] >= 5).all()
    for _, g in k.groupby("target"):
        assert g["score"].is_monotonic_decreasing
    assert k["p"].notna().all() if measure == "exact" else k["p"].isna().all()


def test_keyness_scores_share_counts_and_direction_with_keyness(bundled):
    base = fr.keyness(bundled, target="press", reference="official").set_index("term")
    for measure, neutral in (("exact", 1.0), ("pmi", 0.0)):
        k = keyness_scores(bundled, target="press", reference="official", measure=measure).set_index("term")
        assert set(k.index) == set(base.index)
        pd.testing.assert_frame_equal(k[["n_target", "n_reference", "size_target", "size_reference"]],
                                      base.loc[k.index, ["n_target", "n_reference", "size_target", "size_reference"]])
        more = (k["n_target"] / k["size_target"] > k["n_reference"] / k["size_reference"])
        assert ((k["score"] > neutral) == more).all()


def test_keyness_scores_against_a_reference_frequency_list(bundled):
    ref = pd.DataFrame({"term": ["hong_kong", "city", "the_missing"], "count": [100, 5000, 7]})
    k = keyness_scores(bundled, target="commentary", reference=ref, min_count=1)
    assert set(k["reference"]) == {"reference list"} and set(k["term"]) <= {"hong_kong", "city"}
    row = k.set_index("term").loc["hong_kong"]
    ref_p = stats.fisher_exact([[row["n_target"], 100], [row["size_target"] - row["n_target"], 5007]]).pvalue
    assert row["size_reference"] == 5107 and same(row["p"], ref_p)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"measure": "chi2"}, r"measure='chi2' is not valid; choose one of 'exact', 'pmi', 'scaled_f'"),
        ({"measure": "scaled_f", "beta": 0}, r"beta=0 must be a positive number"),
        ({"min_count": -1}, r"min_count=-1 must be a non-negative integer"),
        ({"adjust": "fdr"}, r"adjust='fdr' is not valid"),
        ({"target": "blog"}, r"target='blog' is not a group of 'source_type'"),
        ({"target": "press", "reference": "press"}, r"target and reference are the same group 'press'"),
        ({"target": "press", "reference": pd.Series({"city": 2.5, "bridge": 3.0})},
         r"measure='exact' needs whole counts; the reference frequency list has fractional counts"),
    ],
)
def test_keyness_scores_bad_arguments_are_named(bundled, kwargs, message):
    with pytest.raises(fr.ArgumentError, match=message):
        keyness_scores(bundled, **kwargs)


def test_keyness_scores_refuses_what_is_not_a_count_matrix(bundled):
    with pytest.raises(fr.ArgumentError, match="keyness_scores needs raw counts"):
        keyness_scores(bundled.tfidf())
    with pytest.raises(fr.ArgumentError, match="keyness_scores expects a DocumentTermMatrix, got DataFrame"):
        keyness_scores(pd.DataFrame())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((np.array([2.5]), np.array([1]), 10, 10), r"whole, non-negative counts; a holds 2.5"),
        ((np.array([1]), np.array([-1]), 10, 10), r"whole, non-negative counts; b holds -1$"),
        ((np.array([11]), np.array([1]), 10, 10), r"a count exceeds its side's total tokens"),
    ],
)
def test_keyness_fisher_bad_counts_are_named(args, message):
    with pytest.raises(fr.ArgumentError, match=message):
        fisher_2x2(*args)


def test_keyness_scaled_f_bad_arguments_are_named():
    with pytest.raises(fr.ArgumentError, match="beta=-1 must be positive"):
        scaled_f_score(np.array([1, 2]), np.array([2, 1]), beta=-1)
    with pytest.raises(fr.ArgumentError, match="they have 2 and 3 counts"):
        scaled_f_score(np.array([1, 2]), np.array([2, 1, 0]))


def _document_test_is_scipys_mann_whitney(rows: list[dict[str, str]]) -> pd.DataFrame:
    """keyness' document test of group a against b, term by term against scipy's asymptotic Mann–Whitney U."""
    from scipy.stats import mannwhitneyu

    c = fr.Corpus.from_frame(pd.DataFrame(rows), group_by="g")
    m = fr.dtm(c, fr.Preprocessor(stopwords=None), unit="document")
    k = fr.keyness(m, target="a", reference="b", min_count=1)
    assert k["doc_test"].str.contains("normal approximation").all()
    rel = pd.DataFrame(m.matrix.toarray() / m.matrix.sum(1), columns=m.terms)
    is_a = (m.units["g"] == "a").to_numpy()
    for term, p in zip(k["term"], k["p_docs"]):
        expected = mannwhitneyu(rel.loc[is_a, term], rel.loc[~is_a, term], method="asymptotic",
                                use_continuity=True, alternative="two-sided").pvalue
        assert p == pytest.approx(expected, rel=1e-9, abs=1e-12), term
    return rel


def test_keyness_document_test_with_many_documents_is_scipys_asymptotic_mann_whitney():
    # 24 vs 30 documents: U's normal approximation (ties, continuity) instead of relabellings,
    # checked term by term against scipy.stats.mannwhitneyu(method="asymptotic")
    rng = np.random.default_rng(3)
    words = ["bridge", "gateway", "sanction", "trade", "port", "finance", "law", "city"]
    rows = []
    for i in range(54):
        group = "a" if i < 24 else "b"
        weights = np.array([3, 1, 1, 2, 2, 1, 1, 4], float) + (np.array([2, 0, 0, 0, 1, 0, 0, 0]) if group == "a" else 0)
        text = " ".join(rng.choice(words, size=int(rng.integers(20, 60)), p=weights / weights.sum()))
        rows.append({"doc_id": f"d{i:02d}", "g": group, "text": text})
    _document_test_is_scipys_mann_whitney(rows)


# --------------------------------------------------------------------------- leave one out, vectorised


@pytest.mark.parametrize("method", ["bh", "holm", "bonferroni"])
def test_adjusting_rows_at_once_equals_each_row_alone(method):
    from framing.base.resample import adjust_pvalues

    rng = np.random.default_rng(3)
    p = rng.uniform(0, 0.2, size=(40, 25)) ** 2
    p[rng.uniform(size=p.shape) < 0.1] = np.nan
    p[5] = np.nan  # a row with no test
    p[7, :10] = p[7, 10]  # ties
    rows = adjust_pvalues(p, method)
    for i in range(p.shape[0]):
        np.testing.assert_array_equal(rows[i], adjust_pvalues(p[i], method))
    if method == "bh":  # and against scipy, on rows without NaN
        clean = rng.uniform(0, 1, size=(3, 30))
        for got, row in zip(adjust_pvalues(clean, "bh"), clean):
            np.testing.assert_allclose(got, stats.false_discovery_control(row, method="bh"))


@pytest.mark.parametrize("method", ["bh", "holm", "bonferroni", None])
def test_rejecting_rows_decides_as_the_adjusted_p_values(method):
    from framing.base.resample import adjust_pvalues, reject_rows

    rng = np.random.default_rng(11)
    for trial in range(300):
        rows, cols = rng.integers(1, 6), rng.integers(1, 40)
        # p-values on a coarse grid, so that ties fall on the cut-off of BH and Holm as well as elsewhere
        p = rng.integers(0, 60, size=(rows, cols)) / rng.choice([200.0, 1000.0, 5000.0])
        p[rng.uniform(size=p.shape) < 0.15] = np.nan
        n_tests = None
        if trial % 3 == 0:  # only the smallest p-values given, standing for more tests
            n_tests = (~np.isnan(p)).sum(axis=1) + rng.integers(0, 30, rows)
            p = np.where(np.isnan(p), np.inf, p)
        alpha = float(rng.choice([0.01, 0.05, 0.1, 0.25]))
        with np.errstate(invalid="ignore"):
            expected = adjust_pvalues(p, method, n_tests=n_tests) < alpha
        np.testing.assert_array_equal(reject_rows(p, method, alpha, n_tests=n_tests), expected)


@pytest.mark.parametrize("adjust", ["bh", "holm", "bonferroni", None])
def test_surely_rejected_equals_reject_rows_with_the_row_s_number_of_tests(adjust):
    """The shortcut that ranks only the p-values Bonferroni does not reject: the decisions of reject_rows
    over the same p-values with m = n_tests, also with ties, NaN, p-values right at alpha / m and rows
    where Bonferroni rejects everything or nothing."""
    from framing.base.resample import reject_rows
    from framing.measures.keywords.keyness import _surely_rejected

    rng = np.random.default_rng(3)
    for trial in range(400):
        rows, cols = int(rng.integers(1, 7)), int(rng.integers(1, 50))
        n_tests = cols + int(rng.integers(0, 40))
        alpha = float(rng.choice([0.01, 0.05, 0.1]))
        # a coarse grid around alpha / n_tests and alpha: ties at and near both cut-offs
        grid = np.concatenate([alpha / n_tests * np.array([0.5, 1.0, 1.0 + 1e-15, 2.0, 3.0]),
                               alpha * np.array([0.02, 0.1, 0.5, 1.0, 2.0]), [0.0, 1.0]])
        p = rng.choice(grid, size=(rows, cols))
        if trial % 4 == 0:
            p[rng.uniform(size=p.shape) < 0.2] = np.nan
        if trial % 5 == 0:
            p[0] = alpha / n_tests / 4  # a row that Bonferroni rejects whole
        got = _surely_rejected(p, n_tests, adjust, alpha)
        method = "bh" if adjust == "bh" else "bonferroni"
        expected = reject_rows(p, method, alpha, n_tests=np.full(rows, n_tests))
        np.testing.assert_array_equal(got, expected, err_msg=f"trial {trial}")


@pytest.mark.parametrize("over_used", [8, 45])
@pytest.mark.parametrize("adjust", ["bh", "holm", "bonferroni", None])
def test_leave_one_out_over_many_documents_equals_a_plain_loop(adjust, over_used):
    """Every document left out in turn, written plainly with scipy: the blocked computation must agree.

    With eight over-used terms few are key; with 45 most are, and many left-out documents leave some
    key term near the adjusted threshold, where the computation cannot decide from the key terms alone."""
    import scipy.sparse as sp

    from framing.base.resample import adjust_pvalues
    from framing.measures.keywords.keyness import LOO_BLOCK, _Documents

    rng = np.random.default_rng(11)
    n_docs, n_terms = LOO_BLOCK + 90, 60  # more documents than one block
    rates = rng.gamma(0.5, 1.0, size=n_terms)
    counts = rng.poisson(rates * rng.uniform(0.2, 3.0, size=(n_docs, 1)))
    lift = np.linspace(0.05, 2.0, over_used)  # the target over-uses these terms, some barely
    counts[: n_docs // 3, :over_used] += rng.poisson(lift, size=(n_docs // 3, over_used))
    counts[0, 20] += 400  # one document carries term 20
    counts[[1, -1]] += 1  # every term in two documents, one on each side: no empty 2×2 table
    matrix = sp.csr_matrix(counts)
    rows = np.where(np.arange(n_docs) < n_docs // 3, 0, 1)
    sizes = counts.sum(1).astype(float)
    docs = _Documents(matrix, sizes, np.array([f"d{i}" for i in range(n_docs)], dtype=object), rows)
    t_docs, r_docs = np.flatnonzero(rows == 0), np.flatnonzero(rows == 1)
    idx = np.arange(n_terms)
    a, b = counts[t_docs].sum(0).astype(float), counts[r_docs].sum(0).astype(float)
    na, nb = sizes[t_docs].sum(), sizes[r_docs].sum()
    sign = np.where(a / na >= b / nb, 1.0, -1.0)

    def g2(a, b, na, nb):  # Dunning's G² written out: 2 Σ O ln(O / E) over the four cells
        from scipy.special import xlogy

        obs = np.array([a, b, na - a, nb - b], dtype=float)
        n = na + nb
        exp = np.array([(a + b) * na / n, (a + b) * nb / n, (n - a - b) * na / n, (n - a - b) * nb / n])
        return np.maximum(2 * (xlogy(obs, obs) - xlogy(obs, exp)).sum(0), 0.0)

    assert np.allclose(g2(a[:5], b[:5], na, nb), [stats.chi2_contingency(
        [[x, y], [na - x, nb - y]], correction=False, lambda_="log-likelihood")[0] for x, y in zip(a[:5], b[:5])])

    key = adjust_pvalues(stats.chi2.sf(g2(a, b, na, nb), 1), adjust) < 0.05
    expected = np.where(key, 1.0, np.nan)
    for d in range(n_docs):
        on_t = rows[d] == 0
        a2, na2 = (a - counts[d], na - sizes[d]) if on_t else (a, na)
        b2, nb2 = (b - counts[d], nb - sizes[d]) if not on_t else (b, nb)
        still = (np.where(a2 / na2 >= b2 / nb2, 1.0, -1.0) == sign) & (
            adjust_pvalues(stats.chi2.sf(g2(a2, b2, na2, nb2), 1), adjust) < 0.05)
        expected[key & ~still] = 0.0
    got, tried = docs.leave_one_out(t_docs, r_docs, idx, a, b, na, nb, sign, key, None, adjust, 0.05)
    assert tried == n_docs
    np.testing.assert_array_equal(got, expected)
    assert key.sum() >= 5 and (got == 0).any() and (got == 1).any()  # both outcomes occur


def test_rank_sums_without_the_dense_matrix_equal_rankdata():
    """The document test's rank sums from the sparse counts: zeros share a midrank, ties among the rest too."""
    from framing.measures.keywords.keyness import _sparse_rank_sums

    rng = np.random.default_rng(5)
    n, terms = 300, 40
    counts = rng.poisson(rng.gamma(0.3, 1.0, size=terms), size=(n, terms))  # mostly zeros, many ties
    counts[:, 0] = 0  # a term in no document
    counts[:, 1] = 2  # a term the same in every document
    sizes = counts.sum(1).astype(float) + rng.integers(0, 3, size=n)  # a few sizes shared: tied rates
    sizes[7] = 0.0
    is_t = rng.uniform(size=n) < 0.4
    rel = counts / np.maximum(sizes, 1.0)[:, None]
    ranks = stats.rankdata(rel, axis=0)
    got_sum, got_sq = _sparse_rank_sums(sp.csr_matrix(counts), sizes, is_t)
    np.testing.assert_allclose(got_sum, ranks[is_t].sum(0), rtol=1e-12)
    np.testing.assert_allclose(got_sq, (ranks ** 2).sum(0), rtol=1e-12)


def test_rank_sums_from_one_ranking_in_document_order_equal_each_targets_own():
    """One ranking of the documents serves every target: the same sums, to the bit, as ranking the rows
    in each target's own order (target documents first)."""
    from framing.measures.keywords.keyness import _rank_sums, _sparse_rank_sums, _sparse_ranks

    rng = np.random.default_rng(9)
    n, terms = 400, 30
    counts = rng.poisson(rng.gamma(0.3, 1.0, size=terms), size=(n, terms))
    sizes = counts.sum(1).astype(float) + rng.integers(0, 3, size=n)  # tied rates
    group = rng.integers(0, 4, size=n)
    ranked = _sparse_ranks(sp.csr_matrix(counts), sizes)
    for g in range(4):
        t_docs, r_docs = np.flatnonzero(group == g), np.flatnonzero(group != g)
        both = np.concatenate([t_docs, r_docs])
        alone = _sparse_rank_sums(sp.csr_matrix(counts[both]), sizes[both], np.arange(n) < len(t_docs))
        shared = _rank_sums(ranked, group == g)
        for x, y in zip(alone, shared):
            assert x.tobytes() == y.tobytes()


def test_keyness_document_test_on_sparse_terms_is_scipys_mann_whitney():
    rng = np.random.default_rng(8)
    vocab = [f"w{i}" for i in range(60)]
    rows = []
    for i in range(80):
        weights = rng.gamma(0.2, 1.0, size=len(vocab)) + 1e-3
        text = " ".join(rng.choice(vocab, size=int(rng.integers(5, 40)), p=weights / weights.sum()))
        rows.append({"doc_id": f"d{i:02d}", "g": "a" if i < 35 else "b", "text": text})
    rel = _document_test_is_scipys_mann_whitney(rows)
    assert (rel == 0).to_numpy().mean() > 0.5  # most documents lack most terms


@pytest.mark.parametrize("adjust", ["bh", "holm", "bonferroni", None])
def test_significant_ranks_only_the_columns_that_can_matter_and_decides_as_the_full_adjustment(adjust):
    from framing.base.resample import adjust_pvalues
    from framing.measures.keywords.keyness import _significant, chi2_sf_1df

    rng = np.random.default_rng(7)
    g2 = rng.gamma(0.6, 4.0, size=(60, 400))  # mostly small, a tail of large G²
    g2[:, :30] += rng.gamma(2.0, 6.0, size=(60, 30))  # thirty terms often key
    g2[5, :] = 50.0  # a row of ties, every test significant
    g2[6, :] = 0.0  # a row without any
    g2[7, 10:20] = np.nan  # tests left out of a row: not counted in its m
    g2[:, 399] = np.nan
    threshold = stats.chi2.isf(0.05, 1)
    g2[8, :5] = [threshold, threshold * (1 - 1e-7), threshold * (1 + 1e-12), np.nextafter(threshold, 0), 1e4]
    expected = adjust_pvalues(chi2_sf_1df(g2), adjust) < 0.05
    got = _significant(g2, adjust, 0.05)
    np.testing.assert_array_equal(got, expected)
    assert got[5, :399].all() and not got[6].any() and 0 < got.sum() < got.size
    # the kernel is scipy's chi-square tail with one degree of freedom
    x = np.concatenate([rng.gamma(1.0, 10.0, 1000), [0.0, 1e-9, 3.841458820694124, 500.0, 1380.0]])
    np.testing.assert_allclose(chi2_sf_1df(x), stats.chi2.sf(x, 1), rtol=3e-13, atol=0)


def test_keyness_without_documents_keeps_the_token_columns_and_says_what_it_left_out(corpus):
    m = fr.dtm(corpus, unit="paragraph")
    full = fr.keyness(m, by="source_type")
    tokens_only = fr.keyness(m, by="source_type", documents=False)
    assert list(tokens_only.columns) == list(full.columns) and len(tokens_only) == len(full)
    doc_cols = ["docs_with_term", "dominant_share", "effective_docs", "p_docs", "p_docs_adj", "loo_holds"]
    token_cols = [c for c in full.columns if c not in (*doc_cols, "dominant_document", "doc_test", "loo_docs")]
    pd.testing.assert_frame_equal(tokens_only[token_cols], full[token_cols])
    assert tokens_only[doc_cols].isna().all().all() and (tokens_only["dominant_document"] == "").all()
    assert (tokens_only["doc_test"] == "not computed (documents=False)").all() and (tokens_only["loo_docs"] == 0).all()
    assert full["p_docs"].notna().any() or full["loo_holds"].notna().any()  # the full table has them


@pytest.mark.parametrize("correction", [None, "yates", "williams"])
def test_keyness_g2_adds_its_cells_to_the_bits_of_a_stacked_sum(correction):
    """G² from its four cells equals the sum over a stacked (4, ...) array bit for bit (the decisions of
    leave-one-out and the figures' numbers must not move when the kernel is rearranged)."""
    from framing.measures.keywords.keyness import g2_2x2

    rng = np.random.default_rng(3)
    a = rng.integers(0, 30, (40, 300)).astype(float)
    b = rng.integers(0, 90, (40, 300)).astype(float)
    a[:, :20] = 0
    b[:, 10:30] = 0
    na, nb = rng.integers(5_000, 90_000, (40, 1)).astype(float), 300_000.0
    o = np.stack([a, b, np.broadcast_to(na, a.shape) - a, nb - b])
    n = na + nb
    e = np.stack([(a + b) * na / n, (a + b) * nb / n, (n - a - b) * na / n, (n - a - b) * nb / n])
    if correction == "yates":
        o = o + np.sign(e - o) * np.minimum(0.5, np.abs(e - o))
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = np.maximum(2 * np.where(o > 0, o * np.log(o / e), 0.0).sum(axis=0), 0.0)
        if correction == "williams":
            total = o.sum(axis=0)
            q = 1 + (total / (o[0] + o[1]) + total / (o[2] + o[3]) - 1) * (total / (o[0] + o[2]) + total / (o[1] + o[3]) - 1) / (6 * total)
            expected = expected / np.where(np.isfinite(q) & (q > 0), q, 1.0)
    assert g2_2x2(a, b, na, nb, correction=correction).tobytes() == expected.tobytes()
