"""Text scaling (Wordscores, Wordfish), checked against published values and independent computations.

Published values come from quanteda.textmodels (github.com/quanteda/quanteda.textmodels):

* the counts of ``data_dfm_lbgexample``, LBG (2003) Table 1's constructed example, read from
  ``data/data_dfm_lbgexample.rda`` (commit f130ad7): every reference text R1-R5 and the virgin
  text V1 is the same 17-count profile (sum 1000) over the 37 words A ... ZK, starting at word
  0, 5, 10, 15, 20 (R1-R5) and 7 (V1);
* the outputs printed in its pkgdown reference pages for v0.9.7 (commit b330272,
  ``docs/reference/textmodel_wordscores.html``, ``predict.textmodel_wordscores.html`` and
  ``textmodel_wordfish.html``), produced by ``textmodel_wordscores(data_dfm_lbgexample,
  c(seq(-1.5, 1.5, .75), NA))`` with ``predict(..., rescaling = "none" | "mv" | "lbg")`` and by
  ``textmodel_wordfish(data_dfm_lbgexample, dir = c(1, 5))``.

quanteda's documentation of the data (``docs/reference/data_dfm_lbgexample.html``): "Document V1 is
assumed unknown, and will have a raw text score of approximately -0.45 when computed as per LBG (2003)."
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from scipy import optimize, stats

import framing as fr
from framing.base.errors import ArgumentError
from framing.measures.scaling import (
    WORDFISH_DOCUMENT_COLUMNS,
    WORDFISH_WORD_COLUMNS,
    WORDSCORES_TEXT_COLUMNS,
    WORDSCORES_WORD_COLUMNS,
    lbg_rescale,
    mv_rescale,
    wordfish,
    wordscores,
)

PROFILE = [2, 3, 10, 22, 45, 78, 115, 146, 158, 146, 115, 78, 45, 22, 10, 3, 2]
LBG_TERMS = [chr(65 + i) for i in range(26)] + ["Z" + chr(65 + i) for i in range(11)]
LBG_DOCS = ["R1", "R2", "R3", "R4", "R5", "V1"]
LBG_SCORES = [-1.5, -0.75, 0.0, 0.75, 1.5, None]


def make_dtm(counts: np.ndarray, ids: list[str] | None = None, terms: list[str] | None = None) -> fr.DocumentTermMatrix:
    counts = np.asarray(counts)
    ids = ids or [f"d{i}" for i in range(counts.shape[0])]
    terms = terms or [f"t{j:04d}" for j in range(counts.shape[1])]
    units = pd.DataFrame({"unit_id": ids, "doc_id": ids})
    return fr.DocumentTermMatrix(sp.csr_matrix(counts), terms, units, unit="document", preprocessor="pp-test",
                                 corpus_hash="x")


def lbg_counts(starts: tuple[int, ...] = (0, 5, 10, 15, 20, 7)) -> np.ndarray:
    y = np.zeros((len(starts), 37), dtype=np.int64)
    for row, start in enumerate(starts):
        y[row, start:start + 17] = PROFILE
    return y


@pytest.fixture(scope="module")
def lbg() -> fr.DocumentTermMatrix:
    return make_dtm(lbg_counts(), LBG_DOCS, LBG_TERMS)


# --------------------------------------------------------------------------- wordscores: published values


def test_scaling_wordscores_word_scores_equal_quanteda_published(lbg):
    ws = wordscores(lbg, LBG_SCORES)
    published = {  # coef(tmod), textmodel_wordscores.html
        "A": -1.5, "E": -1.5, "F": -1.4812500, "G": -1.4809322, "H": -1.4519231, "I": -1.4083333,
        "J": -1.3232984, "K": -1.1846154, "L": -1.0369898, "M": -0.8805970, "N": -0.75, "O": -0.6194030,
        "P": -0.4507576, "Q": -0.2992424, "R": -0.1305970, "S": 0.0, "T": 0.1305970, "U": 0.2992424,
        "Z": 1.0369898, "ZB": 1.3232984, "ZE": 1.4809322, "ZF": 1.4812500, "ZK": 1.5,
    }
    got = ws.words.set_index("term")["score"]
    assert len(got) == 37
    for term, value in published.items():
        assert got[term] == pytest.approx(value, abs=5e-8), term
    assert list(ws.words.columns) == WORDSCORES_WORD_COLUMNS


def test_scaling_wordscores_raw_scores_and_se_equal_quanteda_published(lbg):
    t = wordscores(lbg, LBG_SCORES).texts
    assert list(t.columns) == WORDSCORES_TEXT_COLUMNS
    assert t["doc_id"].tolist() == LBG_DOCS
    # predict(tmod, se.fit = TRUE, interval = "confidence")
    np.testing.assert_allclose(t["score_raw"], [-1.317931, -0.7395598, 0.0, 0.7395598, 1.317931, -0.4480591], atol=1e-6)
    np.testing.assert_allclose(
        t["se"], [0.006699613, 0.011433605, 0.012005250, 0.011433605, 0.006699613, 0.011897667], atol=1e-9
    )
    np.testing.assert_allclose(t.loc[5, ["low", "high"]].astype(float), [-0.47137808, -0.42474008], atol=1e-8)
    np.testing.assert_allclose(t.loc[0, ["low", "high"]].astype(float), [-1.33106234, -1.30480034], atol=1e-8)
    # "a raw text score of approximately -0.45 when computed as per LBG (2003)"
    assert t.loc[5, "score_raw"] == pytest.approx(-0.45, abs=0.005)
    assert t["score_rescaled"].isna().all() and (t["scale"] == "none").all()
    assert t["reference"].tolist()[:5] == [-1.5, -0.75, 0.0, 0.75, 1.5] and np.isnan(t.loc[5, "reference"])
    assert (t["n_scored"] == 1000).all()


def test_scaling_wordscores_mv_equals_quanteda_published(lbg):
    t = wordscores(lbg, LBG_SCORES, scale="mv").texts
    # predict(tmod, se.fit = TRUE, interval = "confidence", rescaling = "mv")
    np.testing.assert_allclose(t["score_rescaled"], [-1.5, -0.8417280, 0.0, 0.8417280, 1.5, -0.5099572], atol=1e-7)
    np.testing.assert_allclose(
        t["se_rescaled"], [0.007625147, 0.013013126, 0.013663743, 0.013013126, 0.007625147, 0.013541297], atol=1e-9
    )
    np.testing.assert_allclose(t.loc[5, ["low_rescaled", "high_rescaled"]].astype(float), [-0.53649769, -0.48341678],
                               atol=1e-8)
    assert (t["scale"] == "mv").all()


def test_scaling_lbg_rescale_equals_quanteda_published(lbg):
    """quanteda's predict(rescaling = "lbg") takes the mean and spread from every predicted text;
    the kernel given those six raw scores must give its printed values."""
    raw = wordscores(lbg, LBG_SCORES).texts
    refs = np.array([-1.5, -0.75, 0.0, 0.75, 1.5])
    got = lbg_rescale(raw["score_raw"].to_numpy(), refs, raw["score_raw"].to_numpy())
    np.testing.assert_allclose(got, [-1.58967683, -0.88488724, 0.01632248, 0.91753220, 1.62232179, -0.52967149],
                               atol=1e-8)
    ends = lbg_rescale(raw.loc[5, ["low", "high"]].to_numpy(float), refs, raw["score_raw"].to_numpy())
    np.testing.assert_allclose(ends, [-0.55808746, -0.5012555], atol=1e-7)


# --------------------------------------------------------------------------- wordscores: independent computations


def test_scaling_wordscores_hand_worked_example():
    """Two references, 'a a b' (−1) and 'b c c' (+1); virgin 'a b c c'.
    P(r|a) = 1, P(r|b) = ½ each, P(r|c) = 1: S_a = −1, S_b = 0, S_c = 1.
    S_v = (−1 + 0 + 2)/4 = 0.25; var = ¼·1.25² + ¼·0.25² + ½·0.75² = 0.6875; se = √(0.6875/4)."""
    m = make_dtm([[2, 1, 0], [0, 1, 2], [1, 1, 2]], terms=["a", "b", "c"])
    ws = wordscores(m, {"d0": -1, "d1": 1})
    assert ws.words["score"].tolist() == [-1.0, 0.0, 1.0]
    assert ws.texts.loc[2, "score_raw"] == pytest.approx(0.25)
    assert ws.texts.loc[2, "se"] == pytest.approx(np.sqrt(0.6875 / 4))
    z = stats.norm.ppf(0.975)
    assert ws.texts.loc[2, "high"] == pytest.approx(0.25 + z * np.sqrt(0.6875 / 4))


def test_scaling_wordscores_lbg_rescaling_over_virgin_texts_follows_the_paper():
    """LBG (2003): S* = (S − S̄_v)(SD_r/SD_v) + S̄_v over the virgin texts; computed here from the counts."""
    counts = lbg_counts((0, 5, 10, 15, 20, 7, 12, 18))
    ref = np.array([-1.5, -0.75, 0.0, 0.75, 1.5])
    ws = wordscores(make_dtm(counts), list(ref) + [np.nan] * 3, scale="lbg")
    f = counts[:5] / counts[:5].sum(axis=1, keepdims=True)
    seen = f.sum(axis=0) > 0
    s_w = (f[:, seen] / f[:, seen].sum(axis=0) * ref[:, None]).sum(axis=0)
    raw = np.array([(row[seen] * s_w).sum() / row[seen].sum() for row in counts])
    v = raw[5:]
    expected = (raw - v.mean()) * ref.std(ddof=1) / v.std(ddof=1) + v.mean()
    np.testing.assert_allclose(ws.texts["score_raw"], raw, atol=1e-12)
    np.testing.assert_allclose(ws.texts["score_rescaled"], expected, atol=1e-12)
    slope = ref.std(ddof=1) / v.std(ddof=1)
    np.testing.assert_allclose(ws.texts["se_rescaled"], ws.texts["se"] * slope, rtol=1e-10)
    # the rescaled virgin scores have the reference scores' spread
    assert np.std(ws.texts["score_rescaled"].to_numpy()[5:], ddof=1) == pytest.approx(ref.std(ddof=1))


def test_scaling_wordscores_virgin_score_does_not_depend_on_other_virgin_texts(lbg):
    alone = wordscores(lbg, LBG_SCORES).texts.loc[5, ["score_raw", "se"]].to_numpy(float)
    more = wordscores(make_dtm(lbg_counts((0, 5, 10, 15, 20, 7, 3))), LBG_SCORES + [None]).texts
    np.testing.assert_allclose(more.loc[5, ["score_raw", "se"]].to_numpy(float), alone, rtol=1e-12)


def test_scaling_wordscores_smooth_adds_to_reference_counts_only(lbg):
    """quanteda's test #1476: smooth = 1 gives the word scores of the reference counts plus one."""
    smoothed = wordscores(lbg, LBG_SCORES, smooth=1)
    plus_one = lbg_counts()
    plus_one[:5] += 1
    direct = wordscores(make_dtm(plus_one, LBG_DOCS, LBG_TERMS), LBG_SCORES)
    np.testing.assert_allclose(smoothed.words["score"], direct.words["score"], atol=1e-12)
    assert smoothed.words["count_reference"].sum() == 5000  # raw reference counts are reported
    # virgin texts are scored from their raw counts: V1's score uses the 1000 counted words only
    assert smoothed.texts.loc[5, "n_scored"] == 1000


def test_scaling_mv_rescale_maps_the_extreme_references_to_their_scores():
    raw = np.array([0.2, 0.5, 0.35, 0.8])
    got = mv_rescale(raw, np.array([-1.0, 1.0]), raw[:2])
    assert got[:2].tolist() == [-1.0, 1.0]
    assert got[2] == pytest.approx(0.0) and got[3] == pytest.approx(3.0)


@pytest.mark.parametrize("kwargs, match", [
    (dict(reference_scores=[1.0, None, None, None, None, None]), "at least two reference texts"),
    (dict(reference_scores=[1.0, 2.0]), "2 values for 6 rows"),
    (dict(reference_scores={"R1": -1, "nope": 1}), "'nope', not row ids"),
    (dict(reference_scores=[1.0, 1.0, None, None, None, None]), "must differ"),
    (dict(reference_scores=LBG_SCORES, scale="lbg"), "at least two of them"),
    (dict(reference_scores=LBG_SCORES, scale="logit"), "scale='logit' is not valid"),
    (dict(reference_scores=LBG_SCORES, smooth=-1), "smooth=-1"),
    (dict(reference_scores=LBG_SCORES, confidence=95), "confidence=95"),
    (dict(reference_scores="R1"), "must be a sequence"),
    (dict(reference_scores=["a", "b", None, None, None, None]), "must be numbers"),
])
def test_scaling_wordscores_errors(lbg, kwargs, match):
    with pytest.raises(ArgumentError, match=match):
        wordscores(lbg, **kwargs)


def test_scaling_wordscores_rejects_other_input():
    with pytest.raises(ArgumentError, match="expects a DocumentTermMatrix, got ndarray"):
        wordscores(np.ones((3, 3)), [1, 2, None])  # type: ignore[arg-type]


# --------------------------------------------------------------------------- wordfish: published values


def test_scaling_wordfish_equals_quanteda_published_lbg_example(lbg):
    """textmodel_wordfish(data_dfm_lbgexample, dir = c(1, 5)): coef() and predict(se.fit = TRUE)."""
    wf = wordfish(lbg, dir=(0, 4))
    d = wf.documents
    assert list(d.columns) == WORDFISH_DOCUMENT_COLUMNS and list(wf.words.columns) == WORDFISH_WORD_COLUMNS
    np.testing.assert_allclose(d["theta"], [-1.29056981, -0.61643907, 0.03350982, 0.70961244, 1.52333687, -0.35945025],
                               atol=2e-8)
    np.testing.assert_allclose(d["se"], [0.01448422, 0.01059613, 0.01085375, 0.01214106, 0.01744178, 0.01070073],
                               atol=2e-8)
    np.testing.assert_allclose(d["alpha"], [-4.558205, 1.303010, 3.307253, 1.688789, -4.270413, 2.529567], atol=2e-6)
    # predict(tmod1, interval = "confidence")
    np.testing.assert_allclose(d.loc[5, ["low", "high"]].astype(float), [-0.38042330, -0.33847721], atol=2e-8)
    beta = [-8.4452617, -9.3002556, -11.2580501, -12.3643578, -13.3323903, -13.2373464, -13.4867108, -12.3588189,
            -11.5848271, -10.4239011, -9.2561345, -8.1485428, -6.9820863, -5.8782223, -4.7955288, -3.5739210,
            -2.5522985, -1.3458753, -0.2889734, 0.7696623, 1.9353486, 2.9295159, 4.1021898, 5.0019413, 5.9373363,
            6.8722030, 7.7519960, 8.7447725, 9.6708363, 10.4464336, 11.2825127, 11.1103336, 11.4115094, 10.5822264,
            9.6390952, 8.0273986, 7.3723185]
    psi = [-6.6414630, -6.9890837, -7.8685425, -8.4041920, -8.8901495, -8.1956515, -8.1199814, -6.4258549,
           -5.3452709, -3.9281122, -2.6663316, -1.6133457, -0.6511295, 0.1109961, 0.7252203, 1.2419336, 1.5366923,
           1.7340400, 1.7502790, 1.6318538, 1.3496139, 0.9736353, 0.3716688, -0.2132110, -0.9619285, -1.8640402,
           -2.8378397, -4.1062621, -5.4394764, -6.7008977, -8.2159091, -8.3482660, -9.3724297, -8.8587331,
           -8.2849022, -7.3432860, -6.9825744]
    assert wf.words["term"].tolist() == LBG_TERMS
    np.testing.assert_allclose(wf.words["beta"], beta, atol=2e-7)
    np.testing.assert_allclose(wf.words["psi"], psi, atol=2e-7)


# --------------------------------------------------------------------------- wordfish: independent computations


def simulate(seed: int = 20240611, n: int = 25, k: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """Counts drawn from the Wordfish model itself, and the true positions."""
    rng = np.random.default_rng(seed)
    theta = rng.normal(size=n)
    beta = rng.normal(0, 0.6, size=k)
    psi = rng.normal(0, 1, size=k) - 1
    alpha = rng.normal(0, 0.3, size=n) + 1.5
    y = rng.poisson(np.exp(alpha[:, None] + psi[None, :] + theta[:, None] * beta[None, :]))
    return y[:, y.sum(axis=0) > 0], theta


def penalised_fit(y: np.ndarray, beta_sd: float = 3.0) -> tuple[np.ndarray, np.ndarray]:
    """The maximum of Σ (y log λ − λ) − Σ β²/(2·beta_sd²) over α (α_1 = 0), ψ, β and θ = (z − z̄)/sd(z),
    found by L-BFGS with the analytic gradient: the same model and identification, another algorithm.
    (θ's N(0, 1) prior is constant once θ is standardised.)"""
    y = y.astype(float)
    n, k = y.shape
    prec = 1 / beta_sd**2

    def unpack(p: np.ndarray) -> tuple[np.ndarray, ...]:
        alpha = np.concatenate([[0.0], p[:n - 1]])
        psi, beta, z = p[n - 1:n - 1 + k], p[n - 1 + k:n - 1 + 2 * k], p[n - 1 + 2 * k:]
        s = z.std(ddof=1)
        return alpha, psi, beta, (z - z.mean()) / s, s

    def objective(p: np.ndarray) -> tuple[float, np.ndarray]:
        alpha, psi, beta, theta, s = unpack(p)
        eta = alpha[:, None] + psi[None, :] + theta[:, None] * beta[None, :]
        resid = y - np.exp(eta)
        value = np.sum(y * eta - np.exp(eta)) - 0.5 * prec * beta @ beta
        g_theta = resid @ beta
        g_z = (g_theta - g_theta.mean()) / s - theta * (g_theta @ theta) / ((n - 1) * s)
        grad = np.concatenate([resid.sum(axis=1)[1:], resid.sum(axis=0), resid.T @ theta - prec * beta, g_z])
        return -value, -grad

    rs, cs = y.sum(axis=1), y.sum(axis=0)
    start = np.concatenate([np.log(rs[1:] / rs[0]), np.log(cs / rs.sum() * rs[0]), np.zeros(k),
                            np.random.default_rng(1).normal(size=n)])
    fit = optimize.minimize(objective, start, jac=True, method="L-BFGS-B",
                            options=dict(maxiter=20000, maxfun=40000, ftol=1e-15, gtol=1e-9, maxcor=30))
    _, _, beta, theta, _ = unpack(fit.x)
    return theta, beta


@pytest.fixture(scope="module")
def simulated() -> tuple[fr.DocumentTermMatrix, np.ndarray, tuple[int, int]]:
    y, theta = simulate()
    direction = (int(np.argmin(theta)), int(np.argmax(theta)))
    return make_dtm(y), theta, direction


def test_scaling_wordfish_agrees_with_direct_penalised_maximisation(simulated):
    m, _, direction = simulated
    wf = wordfish(m, dir=direction)
    theta, beta = penalised_fit(m.matrix.toarray())
    if theta[direction[0]] > theta[direction[1]]:
        theta, beta = -theta, -beta
    got = wf.documents["theta"].to_numpy()
    assert np.corrcoef(got, theta)[0, 1] > 0.9999
    # the alternation re-standardises θ after each round and stops on quanteda's rule: ~2e-3 away
    assert np.max(np.abs(got - theta)) < 5e-3
    assert np.corrcoef(wf.words["beta"], beta)[0, 1] > 0.99


def test_scaling_wordfish_recovers_simulated_positions(simulated):
    m, truth, direction = simulated
    theta = wordfish(m, dir=direction).documents["theta"].to_numpy()
    assert np.corrcoef(theta, truth)[0, 1] > 0.95
    assert theta.mean() == pytest.approx(0, abs=1e-12) and theta.std(ddof=1) == pytest.approx(1)


def test_scaling_wordfish_se_from_numerical_hessian(simulated):
    """se_i = sqrt([−H⁻¹]_θθ) of the text's (α_i, θ_i) log-posterior (θ prior N(0, 1)), the
    Hessian here by central differences of the analytic gradient."""
    m, _, direction = simulated
    wf = wordfish(m, dir=direction)
    y = m.matrix.toarray().astype(float)
    psi, beta = wf.words["psi"].to_numpy(), wf.words["beta"].to_numpy()

    def grad(i: int, a: float, t: float) -> np.ndarray:
        r = y[i] - np.exp(a + psi + beta * t)
        return np.array([r.sum(), r @ beta - t])

    h = 1e-5
    for i in (0, 7, 19):
        a, t = wf.documents.loc[i, ["alpha", "theta"]].to_numpy(float)
        hess = np.column_stack([(grad(i, a + h, t) - grad(i, a - h, t)) / (2 * h),
                                (grad(i, a, t + h) - grad(i, a, t - h)) / (2 * h)])
        se = np.sqrt(-np.linalg.inv(hess)[1, 1])
        assert wf.documents.loc[i, "se"] == pytest.approx(se, rel=1e-5)


def test_scaling_wordfish_direction_and_row_order(simulated):
    m, _, direction = simulated
    wf = wordfish(m, dir=direction)
    flipped = wordfish(m, dir=(direction[1], direction[0]))
    np.testing.assert_allclose(flipped.documents["theta"], -wf.documents["theta"], atol=1e-10)
    np.testing.assert_allclose(flipped.words["beta"], -wf.words["beta"], atol=1e-9)
    by_id = wordfish(m, dir=(f"d{direction[0]}", f"d{direction[1]}"))
    np.testing.assert_allclose(by_id.documents["theta"], wf.documents["theta"], atol=0)
    # the fit does not depend on the order of the rows
    order = np.random.default_rng(3).permutation(m.shape[0])
    shuffled = m.select(order)
    new_dir = (int(np.flatnonzero(order == direction[0])[0]), int(np.flatnonzero(order == direction[1])[0]))
    again = wordfish(shuffled, dir=new_dir).documents.set_index("doc_id")["theta"]
    np.testing.assert_allclose(again.loc[wf.documents["doc_id"]].to_numpy(), wf.documents["theta"], atol=1e-8)


def test_scaling_wordfish_empty_texts_and_terms():
    y = lbg_counts()
    y = np.vstack([y[:3], np.zeros((1, 37), dtype=np.int64), y[3:]])
    y = np.hstack([y, np.zeros((7, 1), dtype=np.int64)])
    ids = ["R1", "R2", "R3", "empty", "R4", "R5", "V1"]
    wf = wordfish(make_dtm(y, ids, LBG_TERMS + ["never"]), dir=("R1", "R5"))
    assert wf.documents["doc_id"].tolist() == ids
    assert wf.documents.loc[3, ["theta", "se", "alpha"]].isna().all()
    assert "never" not in set(wf.words["term"]) and len(wf.words) == 37
    # dropping the empty text and the unused term changes nothing
    np.testing.assert_allclose(wf.documents["theta"].dropna(),
                               [-1.29056981, -0.61643907, 0.03350982, 0.70961244, 1.52333687, -0.35945025], atol=2e-8)


@pytest.mark.parametrize("kwargs, match", [
    (dict(dir=(0, 0)), "same row twice"),
    (dict(dir=(0, 9)), "row 9 is outside"),
    (dict(dir=("R1", "nope")), "'nope' names 0 rows"),
    (dict(dir=0), "must be two rows"),
    (dict(priors=(np.inf, np.inf, 3)), "four positive prior"),
    (dict(priors=(np.inf, np.inf, -3, 1)), "four positive prior"),
    (dict(tol=0), "tol=0"),
    (dict(max_iter=0), "max_iter=0"),
    (dict(confidence=1.5), "confidence=1.5"),
])
def test_scaling_wordfish_errors(lbg, kwargs, match):
    with pytest.raises(ArgumentError, match=match):
        wordfish(lbg, **kwargs)


def test_scaling_wordfish_refuses_weighted_matrices_and_tiny_input(lbg):
    with pytest.raises(ArgumentError, match="weighted \\(tfidf\\)"):
        wordfish(lbg.tfidf())
    with pytest.raises(ArgumentError, match="at least three texts"):
        wordfish(lbg.select([0, 1]))


def test_scaling_wordfish_reports_divergence_plainly(corpus, pre):
    """Paragraphs of one token and terms found in one paragraph make the undamped Newton steps
    overflow (as in quanteda); the error says why and what to do."""
    m = fr.dtm(corpus, pre, unit="paragraph")
    with pytest.raises(ArgumentError, match=r"did not converge.*dtm.trim\(min_docs=2\)"):
        wordfish(m)


def test_scaling_wordfish_max_iter_stops_the_fit(simulated):
    m, _, direction = simulated
    wf = wordfish(m, dir=direction, max_iter=3)
    assert wf.n_iter == 3 and not wf.converged


# --------------------------------------------------------------------------- the bundled corpus


def test_scaling_on_the_bundled_corpus():
    m = fr.dtm(fr.load_corpus(), fr.Preprocessor(), unit="document")
    wf = wordfish(m, dir=(0, 1))
    assert len(wf.documents) == m.shape[0]
    assert wf.documents["doc_id"].tolist() == m.units["doc_id"].tolist()
    assert wf.documents[["theta", "se"]].notna().all().all()
    assert wf.documents.loc[0, "theta"] < wf.documents.loc[1, "theta"]
    grouped = wordfish(m.group("source_type"), dir=(0, 1))
    assert grouped.documents["doc_id"].tolist() == m.units["source_type"].drop_duplicates().tolist()
    ws = wordscores(m, [-1.0, 1.0] + [None] * (m.shape[0] - 2), scale="lbg")
    assert len(ws.texts) == m.shape[0] and ws.texts["score_raw"].notna().all()


def test_scaling_wordfish_more_texts_than_terms():
    y, truth = simulate(seed=7, n=60, k=40)
    direction = (int(np.argmin(truth)), int(np.argmax(truth)))
    wf = wordfish(make_dtm(y), dir=direction)
    theta, _ = penalised_fit(y)
    if theta[direction[0]] > theta[direction[1]]:
        theta = -theta
    assert np.corrcoef(wf.documents["theta"], theta)[0, 1] > 0.999
    assert np.corrcoef(wf.documents["theta"], truth)[0, 1] > 0.9
