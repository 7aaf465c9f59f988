"""Frequency and keyness: which terms each group uses more than the others.

All statistics are computed for every term at once with numpy over the
grouped counts of a :class:`~framing.text.dtm.DocumentTermMatrix`, so keyness of
every group against the rest costs a few array operations after the matrix
exists.

:func:`keyness` gives one fixed table of the usual statistics (G², χ², log
ratio, log-odds z, %DIFF), their p-values and the document-level checks.
:func:`keyness_scores` gives, for the same comparisons, one further measure
at a time in a fixed table of its own: Fisher's exact test, PMI or the
scaled F-score (quanteda's ``measure="exact"`` and ``"pmi"``, scattertext's
scaled F-score), kept out of :func:`keyness`' table so that its columns,
which figures and their data files rely on, do not change, and so that the
exact test, whose cost grows with the terms' counts, runs only when asked
for.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import comb
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy import special

from framing.text.dtm import DocumentTermMatrix
from framing.base.errors import ArgumentError, check_option
from framing.base.grouping import group_label, group_labels, resolve_by
from framing.base.resample import adjust_pvalues, p_from_extremes, reject_rows, relabel_documents, two_stage_weights

__all__ = [
    "frequency",
    "reference_frequencies",
    "keyness",
    "keyness_scores",
    "g2_2x2",
    "chi2_2x2",
    "chi2_sf_1df",
    "fisher_2x2",
    "pmi_2x2",
    "scaled_f_score",
    "adjust_pvalues",
    "gries_dp",
    "KEYNESS_COLUMNS",
    "KEYNESS_SCORE_COLUMNS",
]

KEYNESS_COLUMNS = [
    "target", "reference", "term", "n_target", "n_reference", "size_target", "size_reference",
    "g2", "chi2", "log_ratio", "logodds_z", "pct_diff", "p", "p_adj",
    "lr_low", "lr_high", "p_boot", "interval", "dp_target", "dp_reference",
    "p_docs", "p_docs_adj", "doc_test", "docs_with_term", "dominant_document", "dominant_share", "effective_docs",
    "loo_holds", "loo_docs",
    "docs_target", "docs_reference", "single_document", "preprocessor",
]
SORTS = ("g2", "chi2", "log_ratio", "logodds_z", "pct_diff", "p")
#: Documents per side from which the document-level test uses U's normal approximation instead of
#: relabelling documents (when there are also more relabellings than ``n_perm``).
LARGE_SAMPLE_DOCS = 20
#: The measures of :func:`keyness_scores`, named as quanteda's ``textstat_keyness`` names them where it has them.
MEASURES = ("exact", "pmi", "scaled_f")
#: The columns of :func:`keyness_scores`, whatever the measure.
KEYNESS_SCORE_COLUMNS = [
    "target", "reference", "term", "n_target", "n_reference", "size_target", "size_reference",
    "measure", "score", "p", "p_adj", "preprocessor",
]


# --------------------------------------------------------------------------- frequency


def _grouping(dtm: DocumentTermMatrix, by: str | Sequence[str] | None) -> tuple[np.ndarray, list[str], Any]:
    """The grouping rule of :func:`framing.base.grouping.resolve_by`."""
    by = resolve_by(by, dtm.group_by)
    rows, labels = group_labels(dtm.units, by)
    return rows, labels, by


def _sum_rows(matrix: sp.csr_matrix, rows: np.ndarray, n_groups: int) -> sp.csr_matrix:
    indicator = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.int64), (rows, np.arange(len(rows)))), shape=(n_groups, len(rows))
    )
    return (indicator @ matrix).tocsr()


def frequency(dtm: DocumentTermMatrix, by: str | Sequence[str] | None = None, n: int | None = None) -> pd.DataFrame:
    """Term frequencies per group.

    Parameters
    ----------
    dtm : DocumentTermMatrix
        Counts at any unit level (documents, paragraphs, sentences).
    by : str, list of str, or None, default=None
        Metadata column(s) defining the groups; None: the corpus' own
        grouping; ``()`` treats the whole matrix as one group ``'all'``.
    n : int or None
        Keep the ``n`` most frequent terms of each group.

    Returns
    -------
    pandas.DataFrame
        ``group, term, count, per_10k, doc_freq, rank, preprocessor``: one row
        per group and term with a non-zero count; ``per_10k`` is the count per
        10,000 tokens of the group; ``doc_freq`` the number of the matrix'
        units (documents, paragraphs or sentences) of the group that contain
        the term; ``rank`` 1 for the most frequent term (ties share the lower
        rank). Sorted by group, then rank, then term.
    """
    if not isinstance(dtm, DocumentTermMatrix):
        raise ArgumentError(f"frequency expects a DocumentTermMatrix, got {type(dtm).__name__}")
    if n is not None and (not isinstance(n, (int, np.integer)) or n < 1):
        raise ArgumentError(f"n={n!r} must be a positive integer or None")
    rows, labels, _ = _grouping(dtm, by)
    counts = _sum_rows(dtm.matrix, rows, len(labels)).tocoo()
    present = _sum_rows((dtm.matrix > 0).astype(np.int64), rows, len(labels)).tocsr()
    totals = np.asarray(counts.sum(axis=1)).ravel()
    out = pd.DataFrame({
        "group": np.asarray(labels, dtype=object)[counts.row],
        "term": dtm.terms[counts.col],
        "count": counts.data,
        "per_10k": counts.data / np.where(totals[counts.row] > 0, totals[counts.row], 1) * 10_000,
        "doc_freq": np.asarray(present[counts.row, counts.col]).ravel(),
    })
    out["_g"] = counts.row
    out = out.sort_values(["_g", "count", "term"], ascending=[True, False, True], kind="stable")
    out["rank"] = out.groupby("_g")["count"].rank(method="min", ascending=False).astype(int)
    if n is not None:
        out = out[out.groupby("_g").cumcount() < n]
    out["preprocessor"] = dtm.preprocessor
    return out.drop(columns="_g").reset_index(drop=True)


# --------------------------------------------------------------------------- 2x2 statistics


Cells = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _cells(a: np.ndarray, b: np.ndarray, na: np.ndarray | float, nb: np.ndarray | float) -> tuple[Cells, Cells]:
    """Observed and expected 2×2 tables, as their four cells ``a, b, na - a, nb - b`` (each shaped like ``a``).

    Four arrays, not one stacked array: the statistics add their cells in this order, as a sum over a
    stacked array's first axis does, to the same bits, without copying the cells into one array.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    na = np.broadcast_to(np.asarray(na, dtype=float), a.shape)
    nb = np.broadcast_to(np.asarray(nb, dtype=float), a.shape)
    n = na + nb
    row_term = a + b
    row_other = n - row_term
    return ((a, b, na - a, nb - b),
            (row_term * na / n, row_term * nb / n, row_other * na / n, row_other * nb / n))


def _yates(observed: Cells, expected: Cells) -> Cells:
    out = []
    for o, e in zip(observed, expected):
        diff = e - o
        out.append(o + np.sign(diff) * np.minimum(0.5, np.abs(diff)))
    return tuple(out)  # type: ignore[return-value]


def _add(cells: Sequence[np.ndarray]) -> np.ndarray:
    """``((c0 + c1) + c2) + c3``: the order in which numpy sums a stacked array over its first axis."""
    total = cells[0] + cells[1]
    for c in cells[2:]:
        total += c
    return total


def g2_2x2(
    a: np.ndarray,
    b: np.ndarray,
    na: np.ndarray | float,
    nb: np.ndarray | float,
    correction: Literal["yates", "williams"] | None = None,
) -> np.ndarray:
    """Dunning's (1993) log-likelihood G² of 2×2 tables, unsigned.

    The table of a term is ``[[a, b], [na - a, nb - b]]``: its count in the
    target and the reference, and the other tokens of each.
    ``G² = 2 Σ O ln(O / E)`` over the four cells, with ``0 ln 0 = 0``.

    Parameters
    ----------
    a, b : array of counts in target and reference
    na, nb : total tokens of target and reference
    correction : {'yates', 'williams'} or None, default=None
        ``'yates'`` moves each observed count 0.5 towards its expected count
        (as ``scipy.stats.chi2_contingency(correction=True)`` does);
        ``'williams'`` divides G² by Williams' (1976) ``q = 1 + (N/r1 + N/r2 - 1)
        (N/c1 + N/c2 - 1) / (6N)``. quanteda applies Williams' correction to G²
        by default; we apply none by default.
    """
    observed, expected = _cells(a, b, na, nb)
    if correction == "yates":
        observed = _yates(observed, expected)
    with np.errstate(divide="ignore", invalid="ignore"):
        g2 = 2 * _add([np.where(o > 0, o * np.log(o / e), 0.0) for o, e in zip(observed, expected)])
    g2 = np.maximum(g2, 0.0)
    if correction == "williams":
        n = _add(observed)
        r1, r2 = observed[0] + observed[1], observed[2] + observed[3]
        c1, c2 = observed[0] + observed[2], observed[1] + observed[3]
        with np.errstate(divide="ignore", invalid="ignore"):
            q = 1 + (n / r1 + n / r2 - 1) * (n / c1 + n / c2 - 1) / (6 * n)
        g2 = g2 / np.where(np.isfinite(q) & (q > 0), q, 1.0)
    return g2


def chi2_sf_1df(x: np.ndarray | float) -> np.ndarray:
    """Upper tail of the chi-square distribution with one degree of freedom: the p-value of G² or X².

    ``Q(x | 1) = erfc(sqrt(x / 2))`` (Abramowitz & Stegun 1964, 26.4.4 with
    26.2.29), the same function as ``scipy.stats.chi2.sf(x, 1)`` (which
    evaluates the incomplete gamma function) at about a thirtieth of its
    cost. The two agree to within 3e-13 relative while p ≥ 1e-300 (x up to
    about 1,380); below that both fall into floating point's subnormal range
    and to 0, where they part in the last digits. NaN stays NaN; ``inf``
    gives 0.
    """
    return special.erfc(np.sqrt(np.asarray(x, dtype=float) / 2))


def chi2_2x2(
    a: np.ndarray, b: np.ndarray, na: np.ndarray | float, nb: np.ndarray | float, correction: Literal["yates"] | None = None
) -> np.ndarray:
    """Pearson's χ² of 2×2 tables, unsigned; ``correction='yates'`` as in scipy."""
    observed, expected = _cells(a, b, na, nb)
    if correction == "yates":
        observed = _yates(observed, expected)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _add([np.where(e > 0, (o - e) ** 2 / e, 0.0) for o, e in zip(observed, expected)])


def _whole_counts(name: str, values: np.ndarray) -> np.ndarray:
    rounded = np.rint(values)
    if not (np.all(np.isfinite(values)) and np.array_equal(rounded, values) and np.all(values >= 0)):
        bad = values[~(np.isfinite(values) & (rounded == values) & (values >= 0))].ravel()[0]
        raise ArgumentError(f"Fisher's exact test needs whole, non-negative counts; {name} holds {float(bad):g}")
    return rounded.astype(np.int64)


#: Elements of the padded arrays :func:`fisher_2x2` works on at once: bounded memory (about 10 MB each).
_FISHER_BLOCK = 1 << 20


def _fisher_two_sided(M: np.ndarray, n: np.ndarray, N: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Two-sided p of ``x`` drawn from hypergeometric(``M`` tokens, ``n`` of them the term, ``N`` drawn), per table.

    The probabilities of the support relative to the mode's,
    ``d(k) = P(k) / P(mode)``, are running products of the ratios of
    successive probabilities, outward from the mode, computed for many
    tables at once on padded arrays. Then, as ``scipy.stats.fisher_exact``:
    ``p = 1`` when ``P(x)`` equals ``P(mode)`` within ``1e-14``; otherwise the
    tail of ``x`` beyond it plus the tables on the other side of the mode
    with ``d(k) <= d(x) (1 + 1e-14)`` (``<`` above the mode, as scipy's
    search finds them), all over ``Σ d``.
    """
    lo, hi = np.maximum(0, N - (M - n)), np.minimum(n, N)
    mode = ((N + 1) * (n + 1) / (M + 2)).astype(np.int64)  # scipy's: float division, truncated
    # Beyond mode ± w, w² ≥ 400 min(n, N), every d(k) is below 1e-330 (Hoeffding 1963: P(|X − EX| ≥ t) ≤
    # 2 exp(−2t² / min(n, N)), and P(mode) ≥ 1 / (support size)), so it would be 0 in float64: leave it out.
    w = np.ceil(np.sqrt(400.0 * np.minimum(n, N))).astype(np.int64) + 2
    lo, hi = np.maximum(lo, mode - w), np.minimum(hi, mode + w)
    p = np.ones(len(x))
    order = np.argsort(hi - lo, kind="stable")
    width = 2 * (hi - lo)[order] + 2  # a row's padded arrays, at most; rows by width, ascending
    start = 0
    while start < len(order):  # blocks of rows whose padded arrays hold about _FISHER_BLOCK elements
        stop = start + 1
        while stop < len(order) and (stop + 1 - start) * width[stop] <= _FISHER_BLOCK:
            stop += 1
        rows = order[start:stop]
        p[rows] = _fisher_block(M[rows], n[rows], N[rows], x[rows], lo[rows], hi[rows], mode[rows])
        start = stop
    return p


def _fisher_block(M: np.ndarray, n: np.ndarray, N: np.ndarray, x: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                  mode: np.ndarray) -> np.ndarray:
    M, n, N = (v.astype(float)[:, None] for v in (M, n, N))
    m = mode[:, None]

    def ratios(k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:  # P(k + 1) / P(k) = up / down
        return (n - k) * (N - k), (k + 1) * (M - n - N + k + 1)

    # right of the mode: d(m + j + 1) = d(m + j) up / down, at k = m + j
    j = np.arange(max(int((hi - mode).max()), 0))[None, :]
    up, down = ratios(m + j)
    with np.errstate(divide="ignore", invalid="ignore"):
        step = np.where(m + j < hi[:, None], up / down, 0.0)
    right = np.concatenate([np.ones((len(m), 1)), np.cumprod(step, axis=1)], axis=1)  # right[:, j] = d(m + j)
    # left of it: d(m - j) = d(m - j + 1) down / up, at k = m - j
    j = np.arange(1, max(int((mode - lo).max()), 0) + 1)[None, :]
    up, down = ratios(m - j)
    with np.errstate(divide="ignore", invalid="ignore"):
        step = np.where(m - j >= lo[:, None], down / up, 0.0)
    left = np.concatenate([np.ones((len(m), 1)), np.cumprod(step, axis=1)], axis=1)  # left[:, j] = d(m - j)

    rows = np.arange(len(m))
    above = x >= mode
    dx = np.where(above, right[rows, np.clip(x - mode, 0, right.shape[1] - 1)],
                  left[rows, np.clip(mode - x, 0, left.shape[1] - 1)])
    dx = np.where((x < lo) | (x > hi), 0.0, dx)  # outside the window: a probability that is 0 in float64
    threshold = (dx * (1 + 1e-14))[:, None]
    total = right.sum(axis=1) + left.sum(axis=1) - 1.0
    # x below the mode: every k <= x, and the k >= mode with d(k) < threshold; x above: the mirror image
    own_left = np.where(np.arange(left.shape[1])[None, :] >= (mode - x)[:, None], left, 0.0).sum(axis=1)
    other_right = np.where(right < threshold, right, 0.0).sum(axis=1)
    own_right = np.where(np.arange(right.shape[1])[None, :] >= (x - mode)[:, None], right, 0.0).sum(axis=1)
    other_left = np.where(left <= threshold, left, 0.0).sum(axis=1)
    p = np.where(above, own_right + other_left, own_left + other_right) / total
    p = np.where(np.abs(dx - 1.0) / np.maximum(dx, 1.0) <= 1e-14, 1.0, p)
    return np.minimum(p, 1.0)


def fisher_2x2(
    a: np.ndarray, b: np.ndarray, na: np.ndarray | float, nb: np.ndarray | float
) -> tuple[np.ndarray, np.ndarray]:
    """Fisher's (1922) exact test of 2×2 tables: sample odds ratio and two-sided p.

    The table of a term is ``[[a, b], [na - a, nb - b]]``, as in
    :func:`g2_2x2`. Given its margins, the count ``a`` follows the
    hypergeometric distribution (``na + nb`` tokens, ``a + b`` of them the
    term, ``na`` drawn). The two-sided p is the probability of every table
    no more probable than the observed one, "no more" within scipy's
    relative tolerance of ``1e-14``: the p of ``scipy.stats.fisher_exact``,
    and of R's ``fisher.test`` that quanteda's
    ``textstat_keyness(measure="exact")`` calls (R allows ``1e-7``; the two
    differ only for a table whose probability is that close to another's
    without equalling it).

    All tables are computed at once. The probabilities of each table's
    support are running products of the ratios of successive
    probabilities, outward from the mode, relative to the mode's, so no
    normalising constant is needed and ties (as in a comparison of two
    equal-sized groups) are exact; the cost is proportional to the size of
    the supports, at most the term's count plus one per table.

    Parameters
    ----------
    a, b : array of whole counts in target and reference
    na, nb : total tokens of target and reference

    Returns
    -------
    odds_ratio : ndarray
        The sample odds ratio ``a (nb - b) / ((na - a) b)``, as
        ``scipy.stats.fisher_exact`` reports it: ``inf`` when ``b`` or
        ``na - a`` is 0; NaN, with p 1, when a row or column of the table is
        empty. R's ``fisher.test``, and so quanteda, reports the conditional
        maximum-likelihood estimate instead
        (``scipy.stats.contingency.odds_ratio(kind="conditional")``), which
        differs from it, most for small counts.
    p : ndarray
        Two-sided p-value.

    Examples
    --------
    >>> odds, p = fisher_2x2(np.array([8]), np.array([2]), 1000, 3000)
    >>> round(float(odds[0]), 4), round(float(p[0]), 7)
    (12.0887, 0.0004085)
    """
    a, b, na, nb = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (a, b, na, nb)))
    shape = a.shape
    a, b = _whole_counts("a", a.ravel()), _whole_counts("b", b.ravel())
    na, nb = _whole_counts("na", na.ravel()), _whole_counts("nb", nb.ravel())
    if np.any(a > na) or np.any(b > nb):
        raise ArgumentError("a count exceeds its side's total tokens (a > na or b > nb)")
    c, d = na - a, nb - b
    with np.errstate(divide="ignore", invalid="ignore"):
        odds = np.where((b > 0) & (c > 0), a * d / (b * c).astype(float), np.inf)
    n1, total = a + b, na + nb
    empty = (n1 == 0) | (n1 == total) | (na == 0) | (nb == 0)
    odds[empty] = np.nan
    p = np.ones(len(a))
    live = ~empty
    p[live] = _fisher_two_sided(total[live], n1[live], na[live], a[live])
    return odds.reshape(shape), p.reshape(shape)


def pmi_2x2(a: np.ndarray, b: np.ndarray, na: np.ndarray | float, nb: np.ndarray | float) -> np.ndarray:
    """Pointwise mutual information of the target cell of 2×2 tables, as quanteda computes it.

    ``PMI = ln(a / E + 1e-9)`` with ``E = (a + b) na / (na + nb)`` the count
    of the term expected in the target if it were spread as the tokens are
    (Church & Hanks 1990). Natural logarithm; the ``1e-9`` is quanteda's
    offset for a zero count (``pmi_lambda`` in quanteda.textstats'
    ``src/keyness.cpp``; ``keyness_pmi`` in quanteda's
    ``R/textstat_keyness.R`` before), so a term absent from the target gets
    ``ln(1e-9) ≈ -20.7`` rather than ``-inf``. Positive where the term is
    relatively more frequent in the target, at most ``ln((na + nb) / na)``.

    Examples
    --------
    >>> round(float(pmi_2x2(np.array([8]), np.array([2]), 1000, 3000)[0]), 6)  # ln(8 / (10 * 1000 / 4000))
    1.163151
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    na, nb = np.asarray(na, dtype=float), np.asarray(nb, dtype=float)
    expected = (a + b) * na / (na + nb)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(a / expected + 1e-9)


def _normcdf_scale(values: np.ndarray) -> np.ndarray:
    """scattertext's ``normcdf`` scaler: the normal CDF with the values' own mean and (population) s.d.

    NaN everywhere when that is undefined (a NaN value, or s.d. 0): scipy's
    normal CDF with scale 0 is NaN, and scattertext's fallback (percentile
    ranks of that) stays NaN.
    """
    from scipy import stats  # where used: scipy.stats would add a third to `import framing`
    sd = values.std()
    if not (np.isfinite(sd) and sd > 0):
        return np.full(values.shape, np.nan)
    return stats.norm.cdf(values, values.mean(), sd)


def _scaled_f_one_side(x: np.ndarray, y: np.ndarray, size: float, beta: float) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = x / (x + y)
        recall = x / size
        p, r = _normcdf_scale(precision), _normcdf_scale(recall)
        numerator = (1 + beta**2) * p * r
        denominator = beta**2 * p + r
        scores = numerator / np.where(denominator == 0, 1.0, denominator)
    return np.where(np.isnan(scores), 0.0, scores)


def _min_max(values: np.ndarray) -> np.ndarray:
    if values.size == 0:
        return values
    if values.min() == values.max():
        return np.full(values.shape, 0.5)
    return (values - values.min()) / (values.max() - values.min())


def scaled_f_score(
    a: np.ndarray,
    b: np.ndarray,
    na: float | None = None,
    nb: float | None = None,
    beta: float = 2.0,
) -> np.ndarray:
    """Kessler's (2017) scaled F-score of every term, both directions in one score, as scattertext computes it.

    For the target, precision is the term's share of its own tokens in the
    target, ``a / (a + b)``, and recall its share of the target's tokens,
    ``a / na``. Each is scaled by the normal CDF with the mean and standard
    deviation of its values over all the terms given (scattertext's
    ``'normcdf'`` scaler), and the two are combined by their weighted
    harmonic mean ``F = (1 + β²) P R / (β² P + R)``; the same is done for the
    reference (``b / (a + b)``, ``b / nb``). A term takes the larger of the
    two: ``+F_target`` or ``−F_reference`` (0 when they are equal); the
    positive and the negative scores are then each min-max scaled to
    ``[0, 1]`` by magnitude and the whole mapped to ``[0, 1]`` by
    ``(s + 1) / 2``. So 0.5 is neutral, scores above it are the target's,
    below it the reference's. This is scattertext's
    ``ScaledFScore.get_scores`` (``ScaledFScorePresets(beta=2)``, and
    ``TermDocMatrix.get_scaled_f_scores(category)`` against all other
    categories) with its defaults: the ``'normcdf'`` scaler and ``β = 2``.

    The score of a term depends on every other term given (through the
    means, standard deviations and the min-max scaling): pass every term of
    the vocabulary, not a selection. The min-max scaling puts the weakest
    term of each side on 0.5, with the neutral ones: read the scores as a
    ranking within each side.

    Parameters
    ----------
    a, b : array of counts of every term in target and reference
    na, nb : float or None, default=None
        Total tokens of target and reference, the denominators of recall;
        None: ``a.sum()`` and ``b.sum()``, as scattertext takes them.
    beta : float, default=2.0
        Weight of recall against precision (scattertext's ``DEFAULT_BETA``).

    Examples
    --------
    >>> s = scaled_f_score(np.array([40, 5, 10, 20, 3, 2]), np.array([2, 25, 10, 6, 9, 2]))
    >>> [round(float(v), 3) for v in s]
    [1.0, 0.0, 0.496, 0.828, 0.5, 0.5]
    """
    if not beta > 0:
        raise ArgumentError(f"beta={beta!r} must be positive")
    a, b = np.asarray(a, dtype=float).ravel(), np.asarray(b, dtype=float).ravel()
    if a.shape != b.shape:
        raise ArgumentError(f"a and b must hold the same terms; they have {a.size} and {b.size} counts")
    na = float(a.sum()) if na is None else float(na)
    nb = float(b.sum()) if nb is None else float(nb)
    target, reference = _scaled_f_one_side(a, b, na, beta), _scaled_f_one_side(b, a, nb, beta)
    scores = np.where(target > reference, target, np.where(target < reference, -reference, 0.0))
    positive, negative = scores > 0, scores < 0
    scores[positive] = _min_max(scores[positive])
    scores[negative] = -_min_max(-scores[negative])
    return (scores + 1) / 2


def gries_dp(counts: sp.csr_matrix, sizes: np.ndarray) -> np.ndarray:
    """Gries's (2008) deviation of proportions, per term (column).

    ``DP = ½ Σ_i |v_i − s_i|`` over the parts ``i`` (rows): ``s_i`` the part's
    share of all tokens, ``v_i`` the part's share of the term's occurrences.
    0 means the term is spread exactly as the text is; values near 1 mean it
    is concentrated in a few parts. NaN for a term that does not occur, and
    for a single part.
    """
    coo = sp.coo_matrix(counts)
    sizes = np.asarray(sizes, dtype=float)
    total = sizes.sum()
    n_parts, n_terms = coo.shape
    out = np.full(n_terms, np.nan)
    if n_parts < 2 or total == 0:
        return out
    s = sizes / total
    # Σ_i |v_i − s_i| = Σ_{i: term occurs} |v_i − s_i| + Σ_{i: it does not} s_i, vectorised over terms
    col_tot = np.bincount(coo.col, weights=coo.data, minlength=n_terms).astype(float)
    v = coo.data / col_tot[coo.col]
    diff = np.bincount(coo.col, weights=np.abs(v - s[coo.row]), minlength=n_terms)
    s_present = np.bincount(coo.col, weights=s[coo.row], minlength=n_terms)
    seen = col_tot > 0
    out[seen] = 0.5 * (diff[seen] + 1.0 - s_present[seen])
    return out


# --------------------------------------------------------------------------- reference lists


def reference_frequencies(
    terms: Sequence[str],
    *,
    lang: str = "en",
    size: float = 1e9,
    wordlist: str = "best",
) -> pd.DataFrame:
    """Counts of general-language frequencies for a keyness reference.

    Frequencies come from the wordfreq package (Speer 2022), whose data ship
    with it, so nothing is downloaded. wordfreq gives relative frequencies
    (occurrences per token of a large multi-source corpus); they become counts
    as ``count = round(frequency × size)``, ``size`` standing for the
    reference corpus' length in tokens. G² grows with ``size``, so treat the
    statistics as a ranking, and read effect sizes (``log_ratio``) for
    magnitude.

    Parameters
    ----------
    terms : sequence of str
        The terms to look up (e.g. ``dtm.terms``).
    lang : str, default='en'
    size : float, default=1e9
        Nominal size of the reference corpus in tokens.
    wordlist : str, default='best'
        wordfreq's word list.

    Returns
    -------
    pandas.DataFrame
        ``term, frequency, count`` for the terms wordfreq knows. Left out:
        multiword terms (``hong_kong``: wordfreq would estimate a phrase from
        its words, not count it) and terms with frequency 0.

    Notes
    -----
    wordfreq lists surface forms. Compare against it with a preprocessor
    that keeps them (``Preprocessor(normalize=None)``): a lemma such as
    ``sanction`` would otherwise be compared with the frequency of the word
    "sanction" alone.
    """
    try:
        import wordfreq
    except ImportError:  # pragma: no cover - a declared dependency
        raise ArgumentError("reference_frequencies needs the wordfreq package: pip install wordfreq") from None
    if not size > 0:
        raise ArgumentError(f"size={size!r} must be positive")
    rows = []
    for term in dict.fromkeys(map(str, terms)):
        if "_" in term or " " in term:
            continue
        freq = wordfreq.word_frequency(term, lang, wordlist=wordlist)
        if freq > 0:
            rows.append((term, freq, int(round(freq * size))))
    return pd.DataFrame(rows, columns=["term", "frequency", "count"])


# --------------------------------------------------------------------------- keyness


def _as_reference_list(reference: pd.DataFrame | pd.Series) -> pd.Series:
    if isinstance(reference, pd.DataFrame):
        missing = [c for c in ("term", "count") if c not in reference.columns]
        if missing:
            raise ArgumentError(
                f"a reference frequency list needs columns 'term' and 'count'; it has {', '.join(map(str, reference.columns))}"
            )
        series = reference.groupby("term")["count"].sum()
    else:
        series = reference.groupby(level=0).sum()
    if (series < 0).any() or series.isna().any():
        raise ArgumentError("a reference frequency list must hold non-negative counts")
    return series.astype(float)


class _Comparison(NamedTuple):
    """One target against its reference: every term's counts on each side."""

    target: str
    group: int  # the target's row of the grouped counts
    reference: str  # 'rest', a group, or 'reference list'
    ref_rows: np.ndarray | None  # the reference's units; None for a frequency list
    a: np.ndarray  # every term's count in the target
    b: np.ndarray  # ... and in the reference
    na: float  # tokens of the target
    nb: float  # ... and of the reference
    covered: np.ndarray  # the terms the reference speaks to: all, or those a frequency list holds


class _Setup(NamedTuple):
    rows: np.ndarray  # each unit's group
    labels: list[str]
    grouped: np.ndarray  # counts per group, groups × terms
    comparisons: list[_Comparison]


def _compare(dtm: DocumentTermMatrix, by: str | Sequence[str] | None, target: Any, reference: Any) -> _Setup:
    """The comparisons ``target`` (None: every group) against ``reference``, as :func:`keyness` defines them."""
    rows, labels, by = _grouping(dtm, by)
    external = isinstance(reference, (pd.DataFrame, pd.Series))
    if not external and not (isinstance(reference, str) and reference == "rest"):
        reference = group_label(reference, labels, "reference", by)
    if target is not None:
        target = group_label(target, labels, "target", by)
    targets = labels if target is None else [target]
    if not external and reference == "rest" and len(labels) < 2:
        raise ArgumentError(f"keyness needs at least two groups of {by!r}; found {', '.join(labels)}")

    grouped = _sum_rows(dtm.matrix.tocsr(), rows, len(labels)).toarray().astype(float)
    corpus_counts = grouped.sum(axis=0)
    covered = np.ones(len(dtm.terms), dtype=bool)
    if external:
        ref_list = _as_reference_list(reference)  # type: ignore[arg-type]
        ref_counts_ext = ref_list.reindex(dtm.terms).to_numpy()
        covered = ~np.isnan(ref_counts_ext)  # a list says nothing of terms it does not cover
        ref_counts_ext = np.nan_to_num(ref_counts_ext)
        ref_size_ext = float(ref_list.sum())
        if ref_size_ext <= 0:
            raise ArgumentError("the reference frequency list is empty")

    comparisons = []
    for t in targets:
        gi = labels.index(t)
        a_all = grouped[gi]
        ref_rows: np.ndarray | None
        if external:
            b_all, ref_name, ref_rows, nb = ref_counts_ext, "reference list", None, ref_size_ext
        elif reference == "rest":
            b_all, ref_name, ref_rows = corpus_counts - a_all, "rest", rows != gi
            nb = b_all.sum()
        else:
            if reference == t:
                raise ArgumentError(f"target and reference are the same group {t!r}")
            ri = labels.index(reference)
            b_all, ref_name, ref_rows = grouped[ri], str(reference), rows == ri
            nb = b_all.sum()
        na = a_all.sum()
        if na == 0 or nb == 0:
            raise ArgumentError(f"group {t!r} or its reference {ref_name!r} has no tokens")
        comparisons.append(_Comparison(t, gi, ref_name, ref_rows, a_all, b_all, float(na), float(nb), covered))
    return _Setup(rows, labels, grouped, comparisons)


def keyness(
    dtm: DocumentTermMatrix,
    by: str | Sequence[str] | None = None,
    target: Any = None,
    reference: Any = "rest",
    *,
    min_count: int = 5,
    sort: Literal["g2", "chi2", "log_ratio", "logodds_z", "pct_diff", "p"] = "g2",
    correction: Literal["yates", "williams"] | None = None,
    adjust: Literal["bh", "bonferroni", "holm"] | None = "bh",
    prior_scale: float = 1.0,
    test: Literal["token", "bootstrap"] = "token",
    n_boot: int = 1000,
    confidence: float = 0.95,
    n_perm: int = 5000,
    min_assignments: int = 20,
    alpha: float = 0.05,
    random_state: int | None = 0,
    documents: bool = True,
) -> pd.DataFrame:
    """Keyness of terms in a target against a reference, for one or every group.

    Two questions are answered side by side. The 2×2 statistics (G², χ²,
    log ratio ...) ask whether the target's *tokens* use a term more than the
    reference's; they treat every token as an independent draw, which words
    are not (they come in bursts, and a group's documents differ), so their
    p-values are far too small as a test of groups (Lijffijt et al. 2016).
    The document-level test asks whether the target's *documents* use the
    term more than the reference's: a Mann–Whitney U test of the documents'
    relative frequencies (Lijffijt et al. 2016, sec. 4), its p-value from
    relabelling whole documents (exact when there are few relabellings, so
    ties are handled). It is given only when both sides have at least two
    documents and ``min_assignments`` relabellings; ``doc_test`` says why
    not otherwise: a difference between single documents is a difference
    between those documents.

    Parameters
    ----------
    dtm : DocumentTermMatrix
        Counts per unit. Paragraph units are best: dispersion and the
        bootstrap resample the matrix' units.
    by : str, list of str or None, default=None
        None: the corpus' own grouping (``DocumentTermMatrix.group_by``).
        The metadata column(s) that define groups.
    target : group value or None, default=None
        A group (of any type: a year ``2019`` finds the group ``'2019'``).
        None compares every group with the rest, stacked in one table.
    reference : 'rest', a group, or a frequency list, default='rest'
        ``'rest'``: all other groups; a group name: a pairwise comparison; a
        DataFrame with ``term, count`` (or a Series of counts indexed by term):
        an external reference corpus; only terms the list holds are tested
        (a list knows nothing of terms it does not cover).
        :func:`reference_frequencies` turns a list of relative frequencies
        (wordfreq's general English) into such counts.
    min_count : int, default=5
        Test only terms with at least this many occurrences in target and
        reference together.
    sort : {'g2', 'chi2', 'log_ratio', 'logodds_z', 'pct_diff', 'p'}, default='g2'
        Within each target, rows are sorted by this column, descending
        (ascending for ``p``), so the target's key terms come first and the
        reference's key terms (negative statistics) last.
    correction : {'yates', 'williams'} or None, default=None
        Continuity correction of G² (Yates or Williams) and χ² (Yates; Williams
        leaves χ² uncorrected). quanteda corrects by default (Yates for χ²,
        Williams for G²); set ``correction`` to match it.
    adjust : {'bh', 'bonferroni', 'holm'} or None, default='bh'
        Multiple-comparison adjustment of ``p`` over the terms tested in each
        comparison.
    prior_scale : float, default=1.0
        Scale of the informative Dirichlet prior of ``logodds_z``: the prior
        count of term ``w`` is ``prior_scale × (count of w in the whole
        matrix)``; 1.0 is Monroe et al.'s full-corpus prior. Smaller values
        shrink less.
    test : {'token', 'bootstrap'}, default='token'
        ``'token'``: the 2×2 statistics only; they treat every token as an
        independent draw, which words are not (they come in bursts), so p-values
        are too small (Lijffijt et al. 2016). ``'bootstrap'`` also resamples the
        units within each group (``n_boot`` times, seeded) and reports a
        percentile interval for ``log_ratio`` (``lr_low``, ``lr_high``) and a
        two-sided bootstrap p-value (``p_boot``). A side with two or more
        documents is resampled in two stages, documents then units within
        them (Davison & Hinkley 1997, sec. 3.8); a side with one document
        only within it, and ``interval`` says so.
    n_boot : int, default=1000
    confidence : float, default=0.95
    n_perm : int, default=5000
        Document relabellings drawn for ``p_docs`` when there are more than
        this many distinct ones (otherwise all are enumerated). When both
        sides have at least :data:`LARGE_SAMPLE_DOCS` (20) documents and
        there are more relabellings than this, U's normal approximation
        (with ties, continuity corrected) is used instead, as scipy's
        ``mannwhitneyu(method="asymptotic")``; ``doc_test`` says which.
    min_assignments : int, default=20
        No document-level p-value when the documents allow fewer
        relabellings than this (no p could fall below ``1/min_assignments``).
    alpha : float, default=0.05
        Level at which a term counts as key (``p_adj < alpha``) for the
        leave-one-document-out check.
    random_state : int or None, default=0
    documents : bool, default=True
        Compute the document-level columns (``p_docs``, ``p_docs_adj``,
        ``docs_with_term``, ``dominant_document``, ``dominant_share``,
        ``effective_docs``, ``loo_holds``). Their cost grows with documents ×
        terms (most of the time on thousands of documents); False leaves them
        NaN (``''`` for ``dominant_document``; ``doc_test`` says so,
        ``loo_docs`` is 0) and computes the 2×2 statistics alone, for a first
        look at a large corpus or a grid that compares token-level rankings.
        The other columns are the same, except that with ``test='bootstrap'``
        the later targets' draws come from a generator that has not drawn the
        document relabellings.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`KEYNESS_COLUMNS`, whatever is asked:

        - ``target, reference, term``; ``n_target, n_reference``: the term's
          counts; ``size_target, size_reference``: total tokens;
        - ``g2``: Dunning's (1993) log-likelihood; ``chi2``: Pearson's χ².
          Both signed: negative where the term is relatively more frequent in
          the reference (quanteda's convention);
        - ``log_ratio``: Hardie (2014), ``log2`` of the ratio of relative
          frequencies, 0.5 substituted for a zero count;
        - ``logodds_z``: Monroe, Colaresi & Quinn (2008), z-score of the
          log-odds ratio with an informative Dirichlet prior (see
          ``prior_scale``);
        - ``pct_diff``: Gabrielatos & Marchi (2012), ``100 (f_t − f_r) / f_r``
          of normalised frequencies; ``inf`` when the reference count is 0;
        - ``p``: from ``g2`` (χ² with 1 degree of freedom); ``p_adj``:
          adjusted by ``adjust``;
        - ``lr_low, lr_high, p_boot``: bootstrap interval and p-value (NaN
          unless ``test='bootstrap'``); ``interval``: ``'documents'`` when
          every resampled side has two or more documents, ``'within-document'``
          when one rests on a single document, ``''`` without bootstrap;
        - ``dp_target, dp_reference``: Gries's (2008) DP of the term over the
          units of each side (0 even, near 1 concentrated; NaN for one unit);
        - ``p_docs``: the document-level Mann–Whitney p-value (NaN where not
          given); ``p_docs_adj``: adjusted by ``adjust`` over the terms tested;
          ``doc_test``: how it was obtained, or why there is none;
        - ``docs_with_term``: target documents that use the term;
          ``dominant_document``, ``dominant_share``: the target document with
          most of the term's target occurrences and its share of them;
          ``effective_docs``: Kish's ``(Σc)²/Σc²`` over the target documents'
          counts (1: one document carries the term);
        - ``loo_holds``: for a key term (``p_adj < alpha``), 1.0 when it stays
          key in the same direction with each document of a side with two or
          more documents left out in turn (``loo_docs`` of them), 0.0 when
          leaving one out makes it lose that; NaN for terms that are not key,
          or when no document can be left out;
        - ``docs_target, docs_reference``: documents behind each side;
          ``single_document``: True where either side rests on one document;
        - ``preprocessor``: the id of the preprocessing.

    Examples
    --------
    >>> import framing as fr
    >>> m = fr.dtm(fr.load_corpus(), fr.Preprocessor(), unit="paragraph")
    >>> k = fr.keyness(m, by="source_type")
    >>> k.groupby("target").head(1)[["target", "term"]].shape
    (4, 2)
    """
    if not isinstance(dtm, DocumentTermMatrix):
        raise ArgumentError(f"keyness expects a DocumentTermMatrix, got {type(dtm).__name__}")
    if dtm.weighting != "count":
        raise ArgumentError("keyness needs raw counts; this matrix is weighted (tf-idf)")
    check_option("sort", sort, SORTS)
    check_option("correction", correction, ("yates", "williams", None))
    check_option("test", test, ("token", "bootstrap"))
    if not isinstance(min_count, (int, np.integer)) or min_count < 0:
        raise ArgumentError(f"min_count={min_count!r} must be a non-negative integer")
    if not prior_scale > 0:
        raise ArgumentError(f"prior_scale={prior_scale!r} must be positive")
    if not 0 < confidence < 1:
        raise ArgumentError(f"confidence={confidence!r} must lie in (0, 1)")
    if test == "bootstrap" and (not isinstance(n_boot, (int, np.integer)) or n_boot < 10):
        raise ArgumentError(f"n_boot={n_boot!r} must be an integer of at least 10")
    if not isinstance(n_perm, (int, np.integer)) or n_perm < 100:
        raise ArgumentError(f"n_perm={n_perm!r} must be an integer of at least 100")
    if not 0 < alpha < 1:
        raise ArgumentError(f"alpha={alpha!r} must lie in (0, 1)")

    setup = _compare(dtm, by, target, reference)
    rows, labels, grouped = setup.rows, setup.labels, setup.grouped
    matrix = dtm.matrix.tocsr()
    corpus_counts = grouped.sum(axis=0)
    unit_sizes = np.asarray(matrix.sum(axis=1)).ravel().astype(float)
    doc_ids = dtm.units["doc_id"].to_numpy() if "doc_id" in dtm.units.columns else np.arange(dtm.shape[0]).astype(str)
    ndocs = [len(set(doc_ids[rows == g])) for g in range(len(labels))]
    docs = _Documents(matrix, unit_sizes, doc_ids, rows)

    tables = []
    rng = np.random.default_rng(random_state)
    for c in setup.comparisons:
        t, gi, ref_name, ref_rows = c.target, c.group, c.reference, c.ref_rows
        a_all, b_all, na, nb = c.a, c.b, c.na, c.nb
        external = ref_rows is None
        idx = np.flatnonzero(((a_all + b_all) >= max(min_count, 1)) & c.covered)
        a, b = a_all[idx], b_all[idx]
        g2 = g2_2x2(a, b, na, nb, correction=correction)
        chi2 = chi2_2x2(a, b, na, nb, correction="yates" if correction == "yates" else None)
        sign = np.where(a / na >= b / nb, 1.0, -1.0)
        lr = np.log2((np.where(a > 0, a, 0.5) / na) / (np.where(b > 0, b, 0.5) / nb))
        with np.errstate(divide="ignore", invalid="ignore"):
            pct = np.where(b > 0, (a / na - b / nb) * 100 / (b / nb), np.inf)
        # Monroe, Colaresi & Quinn (2008), informative Dirichlet prior
        prior = prior_scale * corpus_counts[idx]
        prior0 = prior_scale * corpus_counts.sum()
        with np.errstate(divide="ignore", invalid="ignore"):  # undefined when one term is the whole corpus
            delta = np.log((a + prior) / (na + prior0 - a - prior)) - np.log((b + prior) / (nb + prior0 - b - prior))
            z = delta / np.sqrt(1.0 / (a + prior) + 1.0 / (b + prior))
        z = np.where(np.isfinite(z), z, np.nan)
        p = chi2_sf_1df(g2)
        cols: dict[str, Any] = {
            "target": t, "reference": ref_name, "term": dtm.terms[idx],
            "n_target": a.astype(np.int64), "n_reference": b.astype(np.int64) if not external else b,
            "size_target": int(na), "size_reference": nb if external else int(nb),
            "g2": sign * g2, "chi2": sign * chi2, "log_ratio": lr, "logodds_z": z, "pct_diff": pct,
            "p": p, "p_adj": adjust_pvalues(p, adjust),
        }
        cols["lr_low"] = cols["lr_high"] = cols["p_boot"] = np.nan
        cols["interval"] = ""
        tsel = rows == gi
        cols["dp_target"] = gries_dp(matrix[tsel][:, idx], unit_sizes[tsel])
        if ref_rows is not None:
            cols["dp_reference"] = gries_dp(matrix[ref_rows][:, idx], unit_sizes[ref_rows])
            docs_ref = len(set(doc_ids[ref_rows]))
        else:
            cols["dp_reference"] = np.nan
            docs_ref = 0
        if test == "bootstrap":
            low, high, pboot = _bootstrap_log_ratio(
                matrix[:, idx], unit_sizes, docs.unit_codes, tsel, ref_rows, b if external else None, nb, n_boot,
                confidence, rng
            )
            cols["lr_low"], cols["lr_high"], cols["p_boot"] = low, high, pboot
            one_doc = ndocs[gi] < 2 or (ref_rows is not None and docs_ref < 2)
            cols["interval"] = "within-document" if one_doc else "documents"
        t_docs = np.flatnonzero(docs.group == gi)
        r_docs = None if ref_rows is None else np.flatnonzero(np.isin(docs.group, np.unique(rows[ref_rows])))
        if not documents:
            nothing = np.full(len(idx), np.nan)
            cols.update(docs_with_term=nothing, dominant_document="", dominant_share=nothing, effective_docs=nothing,
                        p_docs=nothing, p_docs_adj=nothing, doc_test="not computed (documents=False)",
                        loo_holds=nothing, loo_docs=0)
        else:
            cols.update(docs.dominance(t_docs, idx))
            if r_docs is None:
                p_docs = np.full(len(idx), np.nan)
                how = "no document-level test: the reference is a frequency list"
            else:
                p_docs, how = docs.mann_whitney(t_docs, r_docs, idx, n_perm, min_assignments, rng)
            cols["p_docs"], cols["p_docs_adj"], cols["doc_test"] = p_docs, adjust_pvalues(p_docs, adjust), how
            key = cols["p_adj"] < alpha
            holds, tried = docs.leave_one_out(t_docs, r_docs, idx, a, b, na, nb, sign, key, correction, adjust, alpha)
            cols["loo_holds"], cols["loo_docs"] = holds, tried
        cols["docs_target"] = ndocs[gi]
        cols["docs_reference"] = docs_ref
        cols["single_document"] = ndocs[gi] == 1 or (ref_rows is not None and docs_ref == 1)
        cols["preprocessor"] = dtm.preprocessor
        table = pd.DataFrame(cols)  # one frame from whole columns, not a column inserted at a time
        ascending = sort == "p"
        table = table.sort_values([sort, "term"], ascending=[ascending, True], kind="stable")
        tables.append(table)
    out = pd.concat(tables, ignore_index=True)
    return out[KEYNESS_COLUMNS]


def keyness_scores(
    dtm: DocumentTermMatrix,
    by: str | Sequence[str] | None = None,
    target: Any = None,
    reference: Any = "rest",
    *,
    measure: Literal["exact", "pmi", "scaled_f"] = "exact",
    min_count: int = 5,
    adjust: Literal["bh", "bonferroni", "holm"] | None = "bh",
    beta: float = 2.0,
) -> pd.DataFrame:
    """One more keyness measure of every term: Fisher's exact test, PMI, or the scaled F-score.

    Compares a target with a reference exactly as :func:`keyness` does (same
    ``by``, ``target``, ``reference`` and ``min_count``), for measures that
    :func:`keyness`' fixed table leaves out: Fisher's exact test, whose cost
    grows with the terms' counts (about 0.6 s for the four groups of a
    ten-million-token corpus, each against the rest), and PMI and the
    scaled F-score, scores without a test. One measure per call, in one
    fixed column ``score`` whatever the measure (quanteda names its column
    after the measure instead); ``measure`` says which, so tables of
    several measures stack.

    Parameters
    ----------
    dtm : DocumentTermMatrix
        Raw counts per unit.
    by : str, list of str or None, default=None
        None: the corpus' own grouping; as in :func:`keyness`.
    target : group value or None, default=None
        A group, or None for every group against its reference, stacked.
    reference : 'rest', a group, or a frequency list, default='rest'
        As in :func:`keyness`; a frequency list's counts must be whole
        numbers for ``'exact'``.
    measure : {'exact', 'pmi', 'scaled_f'}, default='exact'
        - ``'exact'``: Fisher's exact test of the term's 2×2 table
          (:func:`fisher_2x2`): ``score`` is the sample odds ratio
          ``a (n_r − b) / ((n_t − a) b)`` (1 neutral; ``inf`` when ``b`` is
          0), ``p`` the two-sided p. quanteda's
          ``textstat_keyness(measure="exact")`` gives the same p, and R's
          conditional estimate of the odds ratio instead of the sample one.
        - ``'pmi'``: pointwise mutual information of term and target
          (Church & Hanks 1990), ``ln(a / E + 1e-9)`` with ``E`` the count
          expected in the target (:func:`pmi_2x2`): quanteda's
          ``measure="pmi"``, formula and offset for zero counts included
          (0 neutral; ``ln(1e-9) ≈ −20.7`` for a term absent from the
          target). No ``p``: quanteda's ``1 − pchisq(|pmi|, 1)`` treats PMI
          as a χ² statistic, which it is not.
        - ``'scaled_f'``: Kessler's (2017) scaled F-score, the harmonic mean
          (``beta``) of normal-CDF-scaled precision and recall, both
          directions in one score between 0 and 1 (0.5 neutral, above it the
          target's terms) (:func:`scaled_f_score`): scattertext's
          ``ScaledFScore`` / ``get_scaled_f_scores`` with its defaults. The
          scaling uses every term that occurs in target or reference, not
          only those ``min_count`` keeps, as scattertext scales over its whole
          vocabulary; so a term's score does not depend on ``min_count``. No
          ``p``.
    min_count : int, default=5
        Report only terms with at least this many occurrences in target and
        reference together.
    adjust : {'bh', 'bonferroni', 'holm'} or None, default='bh'
        Adjustment of ``p`` (``'exact'``) over the terms reported for each
        target.
    beta : float, default=2.0
        β of the scaled F-score (scattertext's default); ignored otherwise.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`KEYNESS_SCORE_COLUMNS`, whatever is asked:
        ``target, reference, term, n_target, n_reference, size_target,
        size_reference`` as in :func:`keyness`; ``measure``: the measure;
        ``score``: its value (above the neutral value where the target uses
        the term relatively more); ``p``, ``p_adj``: the two-sided p and its
        adjustment (``'exact'``; NaN for the scores); ``preprocessor``.
        Sorted within each target by ``score``, descending, then ``term``.

    Notes
    -----
    Like every token-level statistic, the exact test treats each token as an
    independent draw; its p-values are too small as a test of groups of
    documents (Lijffijt et al. 2016). :func:`keyness`' ``p_docs`` tests
    documents.

    Examples
    --------
    >>> import framing as fr
    >>> m = fr.dtm(fr.load_corpus(), fr.Preprocessor(), unit="paragraph")
    >>> k = keyness_scores(m, by="source_type", target="press", measure="exact")
    >>> list(k.columns) == KEYNESS_SCORE_COLUMNS, set(k["measure"])
    (True, {'exact'})
    >>> bool((keyness_scores(m, target="press", measure="scaled_f")["score"].between(0, 1)).all())
    True
    """
    if not isinstance(dtm, DocumentTermMatrix):
        raise ArgumentError(f"keyness_scores expects a DocumentTermMatrix, got {type(dtm).__name__}")
    if dtm.weighting != "count":
        raise ArgumentError("keyness_scores needs raw counts; this matrix is weighted (tf-idf)")
    check_option("measure", measure, MEASURES)
    check_option("adjust", adjust, ("bh", "bonferroni", "holm", None))
    if not isinstance(min_count, (int, np.integer)) or min_count < 0:
        raise ArgumentError(f"min_count={min_count!r} must be a non-negative integer")
    if not (isinstance(beta, (int, float, np.number)) and beta > 0):
        raise ArgumentError(f"beta={beta!r} must be a positive number")

    setup = _compare(dtm, by, target, reference)
    tables = []
    for c in setup.comparisons:
        external = c.ref_rows is None
        occurs = c.covered & ((c.a + c.b) > 0)
        keep = occurs & ((c.a + c.b) >= max(min_count, 1))
        idx = np.flatnonzero(keep)
        a, b = c.a[idx], c.b[idx]
        p = np.full(len(idx), np.nan)
        if measure == "exact":
            if external and not np.array_equal(c.b[c.covered], np.rint(c.b[c.covered])):
                raise ArgumentError(
                    "measure='exact' needs whole counts; the reference frequency list has fractional counts"
                )
            score, p = fisher_2x2(a, b, c.na, c.nb)
        elif measure == "pmi":
            score = pmi_2x2(a, b, c.na, c.nb)
        else:
            everywhere = scaled_f_score(c.a[occurs], c.b[occurs], c.na, c.nb, beta=beta)
            score = everywhere[np.searchsorted(np.flatnonzero(occurs), idx)]
        table = pd.DataFrame({
            "target": c.target, "reference": c.reference, "term": dtm.terms[idx],
            "n_target": a.astype(np.int64), "n_reference": b if external else b.astype(np.int64),
            "size_target": int(c.na), "size_reference": c.nb if external else int(c.nb),
            "measure": measure, "score": score, "p": p, "p_adj": adjust_pvalues(p, adjust),
            "preprocessor": dtm.preprocessor,
        })
        tables.append(table.sort_values(["score", "term"], ascending=[False, True], kind="stable"))
    return pd.concat(tables, ignore_index=True)[KEYNESS_SCORE_COLUMNS]


def _bootstrap_log_ratio(
    counts: sp.csr_matrix,
    sizes: np.ndarray,
    unit_docs: np.ndarray,
    target_rows: np.ndarray,
    ref_rows: np.ndarray | None,
    ref_fixed: np.ndarray | None,
    ref_size_fixed: float,
    n_boot: int,
    confidence: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Percentile interval and two-sided p of log ratio, resampling documents then units on each side."""
    counts_t = counts.T.tocsr()

    def side(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        idx = np.flatnonzero(rows)
        a, n = np.empty((n_boot, counts.shape[1])), np.empty(n_boot)
        for start in range(0, n_boot, 250):  # bounded memory: 250 replicates × units at a time
            k = min(250, n_boot - start)
            w = np.zeros((k, counts.shape[0]))
            w[:, idx] = two_stage_weights(rng, unit_docs[idx], k)
            a[start:start + k] = np.asarray(counts_t @ w.T).T
            n[start:start + k] = w @ sizes
        return a, n

    a, na = side(target_rows)
    if ref_rows is not None:
        b, nb = side(ref_rows)
    else:
        b, nb = np.broadcast_to(ref_fixed, a.shape), np.full(n_boot, ref_size_fixed)  # type: ignore[arg-type]
    na, nb = np.where(na > 0, na, 1.0)[:, None], np.where(nb > 0, nb, 1.0)[:, None]
    reps = np.log2((np.where(a > 0, a, 0.5) / na) / (np.where(b > 0, b, 0.5) / nb))
    tail = (1 - confidence) / 2
    low, high = np.quantile(reps, [tail, 1 - tail], axis=0)
    p = 2 * np.minimum((reps <= 0).mean(axis=0), (reps >= 0).mean(axis=0))
    return low, high, np.minimum(1.0, p)


def _significant(g2: np.ndarray, adjust: Literal["bh", "bonferroni", "holm"] | None, alpha: float) -> np.ndarray:
    """``adjust_pvalues(chi2_sf_1df(g2), adjust) < alpha`` for each row of ``g2``, computed only where it can matter.

    A p-value at or above ``alpha`` is never significant after adjustment and cannot make another one
    significant (Benjamini–Hochberg: ``p m / j >= alpha``; Holm: its step-down maximum; Bonferroni: ``p m``),
    and every smaller p-value belongs to a larger G². So only the columns where some G² reaches the
    ``alpha`` quantile (with a relative margin of 1e-6) are ranked, each row's other p-values standing
    behind them: they keep the number of tests ``m`` and take no part otherwise. The decisions equal
    those of the direct computation exactly (``tests/test_keyness_more.py``).
    """
    from scipy import stats  # where used: scipy.stats would add a third to `import framing`
    g2 = np.atleast_2d(g2)
    out = np.zeros(g2.shape, dtype=bool)
    hot = g2 >= stats.chi2.isf(alpha, 1) * (1 - 1e-6)  # NaN is never hot
    cols = np.flatnonzero(hot.any(axis=0))
    if not cols.size:
        return out
    m = (~np.isnan(g2)).sum(axis=1)  # tests per row
    # only the hot columns are ranked; a row's p-values there that are not hot stand behind them (inf)
    p = np.where(hot[:, cols], chi2_sf_1df(np.where(hot[:, cols], g2[:, cols], 0.0)), np.inf)
    sig = reject_rows(p, adjust, alpha, n_tests=m)
    out[:, cols] = sig & hot[:, cols]
    return out


def _sparse_rank_sums(counts: sp.csr_matrix, sizes: np.ndarray, is_t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per column of documents' relative frequencies: the target rows' sum of midranks, and Σ R² of all rows.

    The same numbers as ``rankdata(rel, axis=0)`` summed, without the dense documents × terms matrix:
    a column's zeros (documents without the term, most of them in a large corpus) share the midrank
    ``(z + 1) / 2``; its non-zero values are ranked among themselves (midranks for ties) after the ``z``
    zeros.
    """
    return _rank_sums(_sparse_ranks(counts, sizes), is_t)


class _Ranks(NamedTuple):
    """Midranks of documents' relative frequencies per column (:func:`_sparse_ranks`)."""

    col: np.ndarray  # each non-zero entry's column, entries sorted by column, then value
    row: np.ndarray  # its row
    rank: np.ndarray  # its midrank in its column
    zeros: np.ndarray  # per column: rows without the term
    zero_rank: np.ndarray  # per column: the midrank they share


def _rank_sums(ranks: _Ranks, is_t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The target rows' sum of midranks and Σ R² of all rows, per column (see :func:`_sparse_rank_sums`).

    A row's midranks do not depend on which rows are the target, so one ranking serves every target
    of the same rows; the sums add the same values in the same order whatever the rows' order.
    """
    n_cols = len(ranks.zeros)
    on_t = is_t.astype(float)[ranks.row]
    t_zeros = is_t.sum() - np.bincount(ranks.col, weights=on_t, minlength=n_cols)
    rank_sum = t_zeros * ranks.zero_rank + np.bincount(ranks.col, weights=ranks.rank * on_t, minlength=n_cols)
    rank_sq = ranks.zeros * ranks.zero_rank ** 2 + np.bincount(ranks.col, weights=ranks.rank ** 2, minlength=n_cols)
    return rank_sum, rank_sq


def _sparse_ranks(counts: sp.csr_matrix, sizes: np.ndarray) -> _Ranks:
    """Midranks of every column of documents' relative frequencies, the non-zero entries only."""
    n, n_cols = counts.shape
    csc = counts.tocsc()
    csc.sum_duplicates()
    col = np.repeat(np.arange(n_cols), np.diff(csc.indptr))
    row = csc.indices
    with np.errstate(divide="ignore", invalid="ignore"):
        value = csc.data / np.maximum(sizes, 1.0)[row]
    keep = value != 0
    col, row, value = col[keep], row[keep], value[keep]
    order = np.lexsort((value, col))
    col, row, value = col[order], row[order], value[order]
    nnz = np.bincount(col, minlength=n_cols)
    zeros = n - nnz
    starts = np.concatenate([[0], np.cumsum(nnz)[:-1]])
    pos = np.arange(len(value)) - starts[col]  # 0-based position among the column's non-zeros
    new_group = np.ones(len(value), dtype=bool)
    new_group[1:] = (col[1:] != col[:-1]) | (value[1:] != value[:-1])
    group = np.cumsum(new_group) - 1
    first = np.minimum.reduceat(pos, np.flatnonzero(new_group)) if len(value) else pos
    last = np.maximum.reduceat(pos, np.flatnonzero(new_group)) if len(value) else pos
    rank = zeros[col] + (first[group] + last[group]) / 2 + 1
    return _Ranks(col, row, rank, zeros, (zeros + 1) / 2)


def _surely_rejected(p: np.ndarray, n_tests: int, adjust: Literal["bh", "bonferroni", "holm"] | None,
                     alpha: float) -> np.ndarray:
    """P-values (rows of a few of a row's tests) that ``reject_rows`` rejects in any row of at most ``n_tests``
    tests holding them, whatever the row's other p-values; False where that cannot be known from these.

    Every adjustment rejects what Bonferroni rejects (``p n_tests < alpha``). Benjamini–Hochberg also
    rejects every p-value at or below ``v`` when ``k`` of the given ones are at or below it and
    ``v n_tests / k < alpha``: the row then has ``j >= k`` p-values at or below ``v``, the largest of them
    meets the condition too, and everything up to it is rejected. That is Benjamini–Hochberg over the
    given p-values with ``m = n_tests``; rounding is monotone, so the floating-point products and
    quotients keep these inequalities.

    Only the p-values Bonferroni does not reject are handed to Benjamini–Hochberg (the columns where a
    row has one), those it rejects standing before them (``reject_rows(first=...)``): on a corpus where
    most key terms are far past the threshold, that sorts a few hundred p-values of a row instead of
    thousands, with the same decisions (``tests/test_keyness_more.py``).
    """
    rows = np.full(p.shape[0], n_tests)
    far = reject_rows(p, "bonferroni", alpha, n_tests=rows)
    if adjust != "bh":
        return far
    rest = ~far & ~np.isnan(p)
    cols = np.flatnonzero(rest.any(axis=0))
    if cols.size:
        others = np.where(rest[:, cols], p[:, cols], np.nan)
        far[:, cols] |= reject_rows(others, "bh", alpha, n_tests=rows, first=far.sum(axis=1))
    return far


#: Left-out documents computed together in :meth:`_Documents.leave_one_out` (rows × terms floats per array).
LOO_BLOCK = 256


class _Documents:
    """The matrix summed to documents, for the document-level columns of :func:`keyness`."""

    def __init__(self, matrix: sp.csr_matrix, unit_sizes: np.ndarray, doc_ids: np.ndarray, rows: np.ndarray) -> None:
        codes, names = pd.factorize(doc_ids)
        self.unit_codes = codes
        self.names = np.asarray(names, dtype=object)
        n_docs, n_units = len(names), len(codes)
        to_docs = sp.csr_matrix((np.ones(n_units), (codes, np.arange(n_units))), shape=(n_docs, n_units))
        self.counts = (to_docs @ matrix).tocsr()
        self.sizes = to_docs @ unit_sizes
        self.group = np.full(n_docs, -1)
        self.group[codes] = rows  # a document belongs to one group (grouping columns are document metadata)
        self._ranks: tuple[bytes, _Ranks] | None = None  # the last documents and columns ranked

    def dominance(self, docs: np.ndarray, idx: np.ndarray) -> dict[str, Any]:
        c = self.counts[docs][:, idx].toarray()
        total = c.sum(0)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(total > 0, c.max(0) / total, np.nan)
            effective = np.where(total > 0, total**2 / (c**2).sum(0), 0.0)
        top = np.where(total > 0, self.names[docs][c.argmax(0)], "")
        return {"docs_with_term": (c > 0).sum(0), "dominant_document": top, "dominant_share": share,
                "effective_docs": effective}

    def _ranked(self, docs: np.ndarray, t_docs: np.ndarray, idx: np.ndarray) -> tuple[_Ranks, np.ndarray]:
        """Midranks of ``docs``' relative frequencies over the columns ``idx`` and which of them are ``t_docs``.

        The documents are ranked in document order, once for all the targets that share them and the
        columns (every target against the rest shares all documents): the ranks are the same whatever
        their order, only the target differs.
        """
        rows = np.sort(docs)
        key = rows.tobytes() + b"|" + np.asarray(idx).tobytes()
        if self._ranks is None or self._ranks[0] != key:
            self._ranks = (key, _sparse_ranks(self.counts[rows][:, idx], self.sizes[rows]))
        return self._ranks[1], np.isin(rows, t_docs)

    def mann_whitney(self, t_docs: np.ndarray, r_docs: np.ndarray, idx: np.ndarray, n_perm: int,
                     min_assignments: int, rng: np.random.Generator) -> tuple[np.ndarray, str]:
        """Two-sided p of the Mann–Whitney U of relative frequencies, documents relabelled."""
        from scipy import stats  # where used: scipy.stats would add a third to `import framing`
        both = np.concatenate([t_docs, r_docs])
        is_t = np.arange(len(both)) < len(t_docs)
        n_a, n = len(t_docs), len(both)
        large = min(n_a, n - n_a) >= LARGE_SAMPLE_DOCS and comb(n, n_a) > n_perm
        if large:  # the normal approximation: no relabellings to draw
            masks, exact, why = None, False, ""
        else:
            masks, exact, why = relabel_documents(rng, is_t, n_perm, min_assignments)
            if masks is None:
                return np.full(len(idx), np.nan), why
        centre = n_a * (n_a + 1) / 2 + n_a * (n - n_a) / 2  # U − E[U] = rank sum − this
        if large:
            # Var(U) with ties: n_a n_b / 12 · ((n + 1) − Σ(t³ − t) / (n (n − 1))), where the midranks give
            # Σ(t³ − t) = 12 (n (n + 1) (2n + 1) / 6 − Σ R²); continuity corrected, as scipy's
            # mannwhitneyu(method="asymptotic") computes it (Lehmann 1975, ch. 1).
            rank_sum, rank_sq = _rank_sums(*self._ranked(both, t_docs, idx))
            observed = rank_sum - centre
            n_b = n - n_a
            ties = 12 * (n * (n + 1) * (2 * n + 1) / 6 - rank_sq)
            var = n_a * n_b / 12 * ((n + 1) - ties / (n * (n - 1)))
            with np.errstate(divide="ignore", invalid="ignore"):
                z = (np.abs(observed) - 0.5) / np.sqrt(np.maximum(var, 0.0))
            p = np.where(var > 1e-12, np.minimum(1.0, 2 * stats.norm.sf(z)), 1.0)
            return p, (f"Mann–Whitney U of documents' relative frequencies, normal approximation with ties "
                       f"({n_a} vs {n_b} documents, both at least {LARGE_SAMPLE_DOCS})")
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = self.counts[both][:, idx].toarray() / np.maximum(self.sizes[both], 1.0)[:, None]
        ranks = stats.rankdata(rel, axis=0)  # midranks for ties
        observed = ranks[is_t].sum(0) - centre
        extreme = np.zeros(len(idx))
        for start in range(0, len(masks), 500):  # bounded memory
            null = masks[start:start + 500].astype(float) @ ranks - centre
            extreme += (np.abs(null) >= np.abs(observed) - 1e-9).sum(0)
        p = p_from_extremes(extreme, len(masks), exact)
        return p, f"Mann–Whitney U of documents' relative frequencies; {why}"

    def leave_one_out(self, t_docs: np.ndarray, r_docs: np.ndarray | None, idx: np.ndarray, a: np.ndarray,
                      b: np.ndarray, na: float, nb: float, sign: np.ndarray, key: np.ndarray,
                      correction: Literal["yates", "williams"] | None, adjust: Literal["bh", "bonferroni", "holm"] | None,
                      alpha: float) -> tuple[np.ndarray, int]:
        """Does each key term stay key, same direction, with each document of a multi-document side left out?

        Only the key terms are computed for every left-out document. A key term whose p-value, times the
        number of tests, stays below ``alpha`` (with its G² past the test's threshold) is significant
        under every adjustment (it passes Bonferroni, and Benjamini–Hochberg and Holm reject at least
        what Bonferroni rejects); only a left-out document where some key term keeps its direction but
        not that margin has its whole row of tests adjusted, as :func:`_significant` does. The
        decisions are those of adjusting every row (``tests/test_keyness_more.py``).
        """
        from scipy import stats  # where used, as in _significant

        out = np.where(key, 1.0, np.nan)
        tried = 0
        kcols = np.flatnonzero(key)  # the key terms' places among idx
        n_tests = len(idx)  # at least any row's number of tests
        hot = stats.chi2.isf(alpha, 1) * (1 - 1e-6)  # the threshold of _significant
        for side_docs, on_target in ((t_docs, True), (r_docs, False)):
            if side_docs is None or len(side_docs) < 2:
                continue
            # a block of left-out documents at a time, one row each: the same arithmetic as one document at a
            # time, vectorised (a corpus of thousands of documents took minutes one by one)
            for start in range(0, len(side_docs), LOO_BLOCK):
                block = side_docs[start:start + LOO_BLOCK]
                tried += len(block)
                if not kcols.size:
                    continue
                left = (na - self.sizes[block] if on_target else nb - self.sizes[block])[:, None]
                if (left <= 0).any():  # leaving a document out empties its side: no term stays key
                    out[key] = 0.0
                    block, left = block[left[:, 0] > 0], left[left[:, 0] > 0]
                    if len(block) == 0:
                        continue
                rows = self.counts[block]
                c = rows[:, idx[kcols]].toarray()
                g2, same = self._left_out(c, a[kcols], b[kcols], na, nb, left, on_target, sign[kcols], correction)
                still = same & (g2 >= hot) & _surely_rejected(chi2_sf_1df(g2), n_tests, adjust, alpha)
                unsure = np.flatnonzero((same & ~still).any(axis=1))
                if unsure.size:  # these left-out documents: every test of the row, adjusted
                    c_all = rows[unsure][:, idx].toarray()
                    g2_all, same_all = self._left_out(c_all, a, b, na, nb, left[unsure], on_target, sign, correction)
                    still[unsure] = (same_all & _significant(g2_all, adjust, alpha))[:, kcols]
                out[kcols[~still.all(axis=0)]] = 0.0
        if tried == 0:
            return np.full(len(idx), np.nan), 0
        return out, tried

    @staticmethod
    def _left_out(c: np.ndarray, a: np.ndarray, b: np.ndarray, na: float, nb: float, left: np.ndarray,
                  on_target: bool, sign: np.ndarray, correction: Literal["yates", "williams"] | None,
                  ) -> tuple[np.ndarray, np.ndarray]:
        """G² of each term with each row's document (counts ``c``) left out of its side, and whether the
        term keeps its direction (``sign``)."""
        a2, na2 = (a - c, left) if on_target else (np.broadcast_to(a, c.shape), na)
        b2, nb2 = (b - c, left) if not on_target else (np.broadcast_to(b, c.shape), nb)
        g2 = g2_2x2(a2, b2, na2, nb2, correction=correction)
        return g2, np.where(a2 / na2 >= b2 / nb2, 1.0, -1.0) == sign
