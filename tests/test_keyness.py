"""Frequency and keyness, checked against scipy and hand-worked examples."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import framing as fr
from framing.measures.keywords.keyness import KEYNESS_COLUMNS, adjust_pvalues, chi2_2x2, g2_2x2, gries_dp


def tiny_dtm(rows: list[dict[str, int]], groups: list[str], docs: list[str] | None = None) -> fr.DocumentTermMatrix:
    terms = sorted({t for r in rows for t in r})
    m = sp.csr_matrix(np.array([[r.get(t, 0) for t in terms] for r in rows], dtype=np.int64))
    units = pd.DataFrame({
        "unit_id": [f"u{i}" for i in range(len(rows))],
        "doc_id": docs or [f"d{i}" for i in range(len(rows))],
        "group": groups,
    })
    return fr.DocumentTermMatrix(m, terms, units, unit="paragraph", preprocessor="pp-test", corpus_hash="x")


# --------------------------------------------------------------------------- 2x2 statistics vs scipy

tables = st.tuples(
    st.integers(0, 500), st.integers(0, 500), st.integers(0, 5000), st.integers(0, 5000)
).filter(lambda t: t[0] + t[1] > 0 and t[2] + t[3] > 0 and t[0] + t[2] > 0 and t[1] + t[3] > 0)


@settings(max_examples=400, deadline=None)
@given(tables)
def test_keyness_g2_and_chi2_equal_scipy_chi2_contingency(t):
    a, b, c, d = t  # c, d: the other tokens of each side; zero cells allowed, margins positive
    obs = np.array([[a, b], [c, d]])
    na, nb = a + c, b + d
    for corr in (False, True):
        g_ref = stats.chi2_contingency(obs, correction=corr, lambda_="log-likelihood")[0]
        x_ref = stats.chi2_contingency(obs, correction=corr)[0]
        kind = "yates" if corr else None
        assert g2_2x2(np.array([a]), np.array([b]), na, nb, correction=kind)[0] == pytest.approx(g_ref, rel=1e-9, abs=1e-9)
        assert chi2_2x2(np.array([a]), np.array([b]), na, nb, correction=kind)[0] == pytest.approx(x_ref, rel=1e-9, abs=1e-9)


def test_keyness_zero_cells_follow_0_log_0_equals_0():
    # term absent from the reference: cell b = 0
    g = g2_2x2(np.array([10]), np.array([0]), 100, 100)[0]
    e = 5.0
    by_hand = 2 * (10 * math.log(10 / e) + 90 * math.log(90 / 95) + 100 * math.log(100 / 95))
    assert g == pytest.approx(by_hand)


def test_keyness_williams_correction_by_hand():
    a, b, na, nb = 20, 5, 1000, 1000
    g = g2_2x2(np.array([a]), np.array([b]), na, nb)[0]
    n = na + nb
    q = 1 + (n / (a + b) + n / (n - a - b) - 1) * (n / na + n / nb - 1) / (6 * n)
    assert g2_2x2(np.array([a]), np.array([b]), na, nb, correction="williams")[0] == pytest.approx(g / q)


# --------------------------------------------------------------------------- effect sizes by hand


def test_keyness_effect_sizes_match_a_hand_worked_example():
    """Target: 'bridge' 8 of 1,000 tokens; reference: 2 of 3,000.

    log ratio  = log2((8/1000) / (2/3000)) = log2(12) = 3.5850
    %DIFF      = 100 (0.008 - 0.000667) / 0.000667 = 1100
    Monroe z: corpus counts bridge = 10 of 4,000, prior_scale = 1
        alpha = 10, alpha0 = 4000
        delta = ln((8+10)/(1000+4000-8-10)) - ln((2+10)/(3000+4000-2-10))
              = ln(18/4982) - ln(12/6988) = -5.62329 - (-6.36710) = 0.74381
        var   = 1/18 + 1/12 = 0.138889;  z = 0.74381 / 0.372678 = 1.99585
    """
    rows = [{"bridge": 8, "other": 992}, {"bridge": 2, "other": 2998}]
    k = fr.keyness(tiny_dtm(rows, ["t", "r"]), by="group", target="t", reference="r", min_count=1)
    row = k.set_index("term").loc["bridge"]
    assert row["log_ratio"] == pytest.approx(math.log2(12))
    assert row["pct_diff"] == pytest.approx(1100)
    assert row["logodds_z"] == pytest.approx(1.99585, abs=1e-4)
    assert row["n_target"] == 8 and row["n_reference"] == 2
    assert row["size_target"] == 1000 and row["size_reference"] == 3000
    assert row["g2"] > 0 and row["p"] == pytest.approx(stats.chi2.sf(row["g2"], 1))


def test_keyness_zero_counts_get_half_in_log_ratio_and_inf_pct_diff():
    rows = [{"gulf": 6, "other": 994}, {"other": 1000}]
    k = fr.keyness(tiny_dtm(rows, ["t", "r"]), by="group", target="t", reference="r", min_count=1).set_index("term")
    assert k.loc["gulf", "log_ratio"] == pytest.approx(math.log2(6 / 0.5))
    assert math.isinf(k.loc["gulf", "pct_diff"])


def test_keyness_statistics_are_signed_towards_the_reference():
    rows = [{"x": 2, "y": 50, "z": 48}, {"x": 40, "y": 50, "z": 10}]
    k = fr.keyness(tiny_dtm(rows, ["t", "r"]), by="group", target="t", reference="r", min_count=1).set_index("term")
    assert k.loc["x", "g2"] < 0 and k.loc["x", "chi2"] < 0 and k.loc["x", "log_ratio"] < 0 and k.loc["x", "logodds_z"] < 0
    assert k.loc["z", "g2"] > 0 and k.loc["z", "chi2"] > 0
    # sorted: target's key terms first, reference's last
    assert k.index[0] == "z" and k.index[-1] == "x"


# --------------------------------------------------------------------------- p-value adjustment


def test_keyness_benjamini_hochberg_equals_scipy():
    rng = np.random.default_rng(3)
    p = np.concatenate([rng.uniform(0, 1, 200), rng.uniform(0, 0.001, 20), [0.0, 1.0, 0.5, 0.5]])
    np.testing.assert_allclose(adjust_pvalues(p, "bh"), stats.false_discovery_control(p, method="bh"))


def test_keyness_holm_and_bonferroni_by_hand():
    p = np.array([0.01, 0.04, 0.03, 0.005])
    np.testing.assert_allclose(adjust_pvalues(p, "bonferroni"), [0.04, 0.16, 0.12, 0.02])
    # Holm: sorted 0.005*4=0.02, 0.01*3=0.03, 0.03*2=0.06, 0.04*1=0.04 -> monotone 0.06
    np.testing.assert_allclose(adjust_pvalues(p, "holm"), [0.03, 0.06, 0.06, 0.02])
    np.testing.assert_allclose(adjust_pvalues(p, None), p)


# --------------------------------------------------------------------------- dispersion


def test_keyness_gries_dp_by_hand():
    sizes = np.array([10, 20, 30, 40])
    counts = sp.csr_matrix(np.array([[1, 1], [2, 0], [3, 0], [4, 0]]))
    dp = gries_dp(counts, sizes)
    # term 0 is spread exactly as the text: DP 0
    assert dp[0] == pytest.approx(0.0)
    # term 1 only in the first part (share 0.1): DP = 0.5 (0.9 + 0.2 + 0.3 + 0.4) = 0.9
    assert dp[1] == pytest.approx(0.9)
    assert np.isnan(gries_dp(sp.csr_matrix(np.array([[3]])), np.array([5])))[0]


# --------------------------------------------------------------------------- the table


def test_keyness_every_group_against_the_rest_in_one_table(corpus, pre):
    m = fr.dtm(corpus, pre, unit="paragraph")
    k = fr.keyness(m, by="source_type")
    assert list(k.columns) == KEYNESS_COLUMNS
    assert list(dict.fromkeys(k["target"])) == ["official", "academic", "press", "commentary"]
    assert set(k["reference"]) == {"rest"}
    assert (k["preprocessor"] == pre.id).all()
    # the rest of each group: counts add up to the corpus total
    total = m.term_counts()
    for _, g in k.groupby("target"):
        assert ((g["n_target"] + g["n_reference"]).to_numpy() == total.loc[g["term"]].to_numpy()).all()
    flags = k.groupby("target")["single_document"].first().to_dict()
    assert flags == {"official": False, "academic": True, "press": True, "commentary": True}
    assert k.groupby("target")["docs_target"].first().to_dict() == {"official": 3, "academic": 1, "press": 1, "commentary": 1}


def test_keyness_pairwise_and_columns_do_not_depend_on_arguments(corpus, pre):
    m = fr.dtm(corpus, pre, unit="paragraph")
    k = fr.keyness(m, target="press", reference="official", sort="log_ratio", correction="williams", adjust="holm")
    assert list(k.columns) == KEYNESS_COLUMNS
    assert set(k["target"]) == {"press"} and set(k["reference"]) == {"official"}
    assert k["log_ratio"].is_monotonic_decreasing
    assert (k["n_target"] + k["n_reference"] >= 5).all()


def test_keyness_against_a_reference_frequency_list(corpus, pre):
    m = fr.dtm(corpus, pre, unit="paragraph")
    ref = pd.DataFrame({"term": ["hong_kong", "city", "the_missing"], "count": [100, 5000, 7]})
    k = fr.keyness(m, target="commentary", reference=ref, min_count=1)
    assert set(k["reference"]) == {"reference list"}
    assert k["size_reference"].iloc[0] == 5107
    row = k.set_index("term").loc["hong_kong"]
    assert row["n_reference"] == 100
    assert np.isnan(row["dp_reference"])


def test_keyness_bootstrap_is_reproducible_with_a_seed(corpus, pre):
    m = fr.dtm(corpus, pre, unit="paragraph")
    a = fr.keyness(m, target="commentary", test="bootstrap", n_boot=100, random_state=7)
    b = fr.keyness(m, target="commentary", test="bootstrap", n_boot=100, random_state=7)
    c = fr.keyness(m, target="commentary", test="bootstrap", n_boot=100, random_state=8)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["lr_low"], c["lr_low"])
    assert (a["lr_low"] <= a["lr_high"]).all()
    assert fr.keyness(m, target="commentary")["lr_low"].isna().all()


def test_keyness_bootstrap_interval_covers_the_true_ratio():
    """Simulation with a known truth: rate 0.02 in the target, 0.01 in the reference."""
    rng = np.random.default_rng(2024)
    truth = math.log2(0.02 / 0.01)
    covered = 0
    sims = 60
    for s in range(sims):
        rows, groups = [], []
        for g, rate in (("t", 0.02), ("r", 0.01)):
            for _ in range(60):
                x = int(rng.binomial(200, rate))
                rows.append({"w": x, "other": 200 - x})
                groups.append(g)
        k = fr.keyness(tiny_dtm(rows, groups), by="group", target="t", reference="r", min_count=1,
                       test="bootstrap", n_boot=200, random_state=s).set_index("term")
        covered += k.loc["w", "lr_low"] <= truth <= k.loc["w", "lr_high"]
    assert covered / sims >= 0.85


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"target": "blog"}, r"target='blog' is not a group of 'source_type'; groups are official, academic, press, commentary"),
        ({"target": "press", "reference": "blog"}, r"reference='blog' is not a group"),
        ({"target": "press", "reference": "press"}, r"target and reference are the same group 'press'"),
        ({"sort": "pmi"}, r"sort='pmi' is not valid"),
        ({"by": "party"}, r"by='party': no column 'party'"),
        ({"test": "fisher"}, r"test='fisher' is not valid"),
    ],
)
def test_keyness_bad_arguments_are_named(corpus, pre, kwargs, message):
    m = fr.dtm(corpus, pre, unit="paragraph")
    with pytest.raises(fr.ArgumentError, match=message):
        fr.keyness(m, **kwargs)


def test_keyness_refuses_a_weighted_matrix(corpus, pre):
    with pytest.raises(fr.ArgumentError, match="needs raw counts"):
        fr.keyness(fr.dtm(corpus, pre).tfidf())


# --------------------------------------------------------------------------- frequency


def test_frequency_counts_rates_and_ranks(corpus, pre):
    m = fr.dtm(corpus, pre, unit="paragraph")
    f = fr.frequency(m, by="source_type")
    assert list(f.columns) == ["group", "term", "count", "per_10k", "doc_freq", "rank", "preprocessor"]
    tidy = m.tidy().merge(m.units[["unit_id", "source_type"]], on="unit_id")
    by_hand = tidy.groupby(["source_type", "term"]).agg(count=("count", "sum"), doc_freq=("unit_id", "nunique"))
    got = f.set_index(["group", "term"])[["count", "doc_freq"]]
    pd.testing.assert_frame_equal(got.sort_index(), by_hand.sort_index(), check_names=False)
    totals = tidy.groupby("source_type")["count"].sum()
    one = f[(f["group"] == "press")].iloc[0]
    assert one["per_10k"] == pytest.approx(one["count"] / totals["press"] * 10_000)
    assert f.groupby("group")["rank"].min().eq(1).all()


def test_frequency_top_n_and_ties():
    rows = [{"a": 3, "b": 3, "c": 1}]
    f = fr.frequency(tiny_dtm(rows, ["g"]), by=None, n=2)
    assert f["term"].tolist() == ["a", "b"] and f["rank"].tolist() == [1, 1] and set(f["group"]) == {"all"}


def test_keyness_reference_list_tests_only_the_terms_it_covers(corpus, pre):
    m = fr.dtm(corpus, pre, unit="paragraph")
    ref = pd.DataFrame({"term": ["city", "bridge"], "count": [5000, 300]})
    k = fr.keyness(m, target="commentary", reference=ref, min_count=1)
    assert set(k["term"]) <= {"city", "bridge"}


def test_reference_frequencies_from_wordfreq_are_counts_of_single_words():
    import wordfreq

    ref = fr.reference_frequencies(["bridge", "hong_kong", "the", "zzzqqqxx"], size=1e6)
    assert list(ref.columns) == ["term", "frequency", "count"]
    assert ref["term"].tolist() == ["bridge", "the"]
    assert ref.set_index("term").loc["the", "count"] == round(wordfreq.word_frequency("the", "en") * 1e6)


def test_keyness_against_general_english(corpus):
    pre = fr.Preprocessor(normalize=None)
    m = fr.dtm(corpus, pre, unit="paragraph")
    ref = fr.reference_frequencies(m.terms, size=1e9)
    k = fr.keyness(m, target="official", reference=ref, min_count=5)
    top = k.head(10)["term"].tolist()
    assert "hksar" in top or "green" in top
    assert (k["reference"] == "reference list").all()


# --------------------------------------------------------------------------- documents: test, dominance, leave-one-out


def docs_dtm(doc_counts: list[dict[str, int]], groups: list[str], units_per_doc: int = 2) -> fr.DocumentTermMatrix:
    """Each document split into ``units_per_doc`` equal paragraphs (counts divided evenly)."""
    rows, g, d = [], [], []
    for i, (counts, grp) in enumerate(zip(doc_counts, groups)):
        for _ in range(units_per_doc):
            rows.append({t: n // units_per_doc for t, n in counts.items()})
            g.append(grp)
            d.append(f"doc{i}")
    return tiny_dtm(rows, g, d)


def test_keyness_document_test_equals_scipy_mannwhitney_exact_without_ties():
    # 4 vs 4 documents, distinct relative frequencies of "w": scipy's exact Mann–Whitney is the reference
    a_rates, b_rates = [10, 14, 8, 30], [2, 4, 12, 6]
    counts = [{"w": 2 * r, "x": 2 * (100 - r)} for r in a_rates + b_rates]
    m = docs_dtm(counts, ["a"] * 4 + ["b"] * 4)
    k = fr.keyness(m, by="group", target="a", min_count=1)
    row = k.set_index("term").loc["w"]
    ref = stats.mannwhitneyu(np.array(a_rates) / 100, np.array(b_rates) / 100, method="exact").pvalue
    assert row["p_docs"] == pytest.approx(ref, abs=1e-12)
    assert "all 70" in row["doc_test"]


def test_keyness_document_test_with_ties_equals_scipy_permutation_test():
    a_rates, b_rates = [0, 5, 5, 9, 0], [0, 0, 1, 5]  # ties, including zeros
    counts = [{"w": 2 * r, "x": 2 * (50 - r)} for r in a_rates + b_rates]
    m = docs_dtm(counts, ["a"] * 5 + ["b"] * 4)
    row = fr.keyness(m, by="group", target="a", min_count=1).set_index("term").loc["w"]

    def u(x, y):  # two-sided: distance of U from its null mean, midranks for ties
        return abs(stats.mannwhitneyu(x, y, method="asymptotic").statistic - len(x) * len(y) / 2)

    ref = stats.permutation_test((np.array(a_rates) / 50, np.array(b_rates) / 50), u, permutation_type="independent",
                                 alternative="greater", n_resamples=np.inf).pvalue
    assert row["p_docs"] == pytest.approx(ref, abs=1e-12)


def test_keyness_document_test_is_refused_for_single_documents_and_says_why():
    m = docs_dtm([{"w": 40, "x": 60}, {"w": 4, "x": 96}, {"w": 6, "x": 94}], ["a", "b", "b"])
    k = fr.keyness(m, by="group", target="a", min_count=1)
    assert k["p_docs"].isna().all()
    assert k["doc_test"].iloc[0].startswith("no group test: 1 vs 2 documents")
    assert k["p"].notna().all()  # the token-level statistics are still there


def test_keyness_document_test_holds_its_level_when_documents_vary_and_groups_do_not():
    # 8 vs 8 documents whose rates of "w" vary a lot from document to document, same distribution in both groups:
    # the token G² rejects almost always, the document test at about its nominal level.
    rng = np.random.default_rng(7)
    runs, doc_rejects, token_rejects = 200, 0, 0
    for _ in range(runs):
        rates = rng.beta(2, 30, size=16)
        counts = [{"w": int(rng.binomial(400, r)), "x": 0} for r in rates]
        for c in counts:
            c["x"] = 400 - c["w"]
        m = docs_dtm(counts, ["a"] * 8 + ["b"] * 8)
        row = fr.keyness(m, by="group", target="a", min_count=1, n_perm=1000, adjust=None,
                         random_state=int(rng.integers(1 << 30))).set_index("term").loc["w"]
        doc_rejects += row["p_docs"] < 0.05
        token_rejects += row["p"] < 0.05
    assert doc_rejects / runs <= 0.09  # nominal 5%; 200 runs give a standard error of about 1.5 points
    assert token_rejects / runs >= 0.5


def test_keyness_dominance_and_leave_one_document_out_by_hand():
    # group a: doc0 carries all of "w"; doc1 has none. Group b: three documents with a little "w".
    counts = [{"w": 60, "x": 140}, {"x": 200}, {"w": 2, "x": 198}, {"w": 2, "x": 198}, {"w": 2, "x": 198}]
    m = docs_dtm(counts, ["a", "a", "b", "b", "b"])
    k = fr.keyness(m, by="group", target="a", min_count=1).set_index("term")
    w = k.loc["w"]
    assert (w["docs_with_term"], w["dominant_document"], w["dominant_share"], w["effective_docs"]) == (1, "doc0", 1.0, 1.0)
    assert w["p_adj"] < 0.05
    # leaving doc0 out leaves a with no "w" at all: the finding does not hold
    assert w["loo_holds"] == 0.0 and w["loo_docs"] == 5  # 2 target documents + 3 reference documents
    # by hand: without doc0, a has 0 of 200 tokens against b's 6 of 600
    g2 = g2_2x2(np.array([0.0]), np.array([6.0]), 200, 600)[0]
    assert not (0 / 200 >= 6 / 600 and stats.chi2.sf(g2, 1) < 0.05)
    # "x" is not key (p_adj ≥ 0.05), so it has no leave-one-out verdict
    assert np.isnan(k.loc["x", "loo_holds"]) or k.loc["x", "p_adj"] < 0.05


def test_keyness_two_stage_bootstrap_reaches_the_other_document():
    # a: two documents with rates 0.30 and 0.01 of "w". A unit bootstrap keeps both documents in every replicate;
    # the two-stage one sometimes draws doc0 twice and sometimes doc1 twice, so its interval spans both rates.
    counts = [{"w": 120, "x": 280}, {"w": 4, "x": 396}, {"w": 40, "x": 760}]
    m = docs_dtm(counts, ["a", "a", "b"], units_per_doc=4)
    row = fr.keyness(m, by="group", target="a", min_count=1, test="bootstrap", n_boot=400).set_index("term").loc["w"]
    low_by_hand = np.log2(0.01 / 0.05)  # doc1 drawn twice
    high_by_hand = np.log2(0.30 / 0.05)  # doc0 drawn twice
    assert row["lr_low"] == pytest.approx(low_by_hand, abs=0.35)
    assert row["lr_high"] == pytest.approx(high_by_hand, abs=0.35)
    assert row["interval"] == "within-document"  # the reference is a single document


def test_keyness_groups_of_any_type_are_found_by_value():
    m = tiny_dtm([{"a": 9, "b": 1}, {"a": 1, "b": 9}, {"a": 5, "b": 5}], ["2018", "2019", "2020"])
    m = fr.DocumentTermMatrix(m.matrix, m.terms, m.units.assign(year=[2018, 2019, 2020]), unit="paragraph",
                              preprocessor="pp-test", corpus_hash="x")
    by_int = fr.keyness(m, by="year", target=2019, reference=2018, min_count=1)
    by_str = fr.keyness(m, by="year", target="2019", reference="2018", min_count=1)
    pd.testing.assert_frame_equal(by_int, by_str)
    assert set(by_int["target"]) == {"2019"} and set(by_int["reference"]) == {"2018"}
    with pytest.raises(fr.ArgumentError, match="target=2021 is not a group of 'year'; groups are 2018, 2019, 2020"):
        fr.keyness(m, by="year", target=2021)
