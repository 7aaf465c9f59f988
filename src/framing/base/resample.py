"""Bootstrap draws, written once.

A bootstrap resample of ``n`` units is a vector of multinomial counts (how
often each unit was drawn), so a statistic that is a weighted sum over units
is computed for all resamples at once as a matrix product (Efron &
Tibshirani 1993, ch. 6).
"""

from __future__ import annotations

from itertools import combinations
from math import comb
from typing import Literal

import numpy as np

from framing.base.errors import check_option

__all__ = ["bootstrap_weights", "percentile_interval", "two_stage_weights", "document_permutations", "relabel_documents",
           "permutation_p", "p_from_extremes", "dominance", "adjust_pvalues", "reject_rows"]


def bootstrap_weights(rng: np.random.Generator, n: int, n_boot: int) -> np.ndarray:
    """``n_boot × n`` draw counts of ``n`` units resampled with replacement.

    Each row sums to ``n``. For ``n == 0`` an empty ``n_boot × 0`` matrix.

    >>> w = bootstrap_weights(np.random.default_rng(0), 4, 3)
    >>> w.shape, w.sum(1).tolist()
    ((3, 4), [4.0, 4.0, 4.0])
    """
    if n == 0:
        return np.zeros((n_boot, 0))
    return rng.multinomial(n, np.full(n, 1.0 / n), size=n_boot).astype(float)


def percentile_interval(reps: np.ndarray, confidence: float, axis: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The percentile interval of bootstrap replicates along ``axis``."""
    tail = (1 - confidence) / 2
    lo, hi = np.quantile(reps, [tail, 1 - tail], axis=axis)
    return lo, hi


def two_stage_weights(rng: np.random.Generator, docs: np.ndarray, n_boot: int) -> np.ndarray:
    """``n_boot × n`` draw counts of ``n`` units nested in documents, resampled in two stages.

    Stage one draws the group's documents with replacement; stage two draws,
    for every drawn copy of a document, its units with replacement (Davison &
    Hinkley 1997, sec. 3.8: resampling both stages keeps the between-document
    variation a one-stage unit bootstrap loses). ``docs`` gives each unit's
    document as integer codes. With one document only the second stage
    varies: the interval is then within that document.

    >>> w = two_stage_weights(np.random.default_rng(0), np.array([0, 0, 1, 1, 1]), 4)
    >>> w.shape, set(w.sum(1).tolist()) <= {4.0, 5.0, 6.0}  # two documents drawn: 2+2, 2+3 or 3+3 units
    ((4, 5), True)
    """
    docs = np.asarray(docs)
    n = len(docs)
    if n == 0:
        return np.zeros((n_boot, 0))
    codes, inverse = np.unique(docs, return_inverse=True)
    k = len(codes)
    doc_draws = rng.multinomial(k, np.full(k, 1.0 / k), size=n_boot)  # n_boot × k copies of each document
    out = np.zeros((n_boot, n))
    for d in range(k):
        members = np.flatnonzero(inverse == d)
        m = len(members)
        trials = doc_draws[:, d] * m  # each copy draws m units
        draws = np.stack([rng.multinomial(t, np.full(m, 1.0 / m)) for t in trials])
        out[:, members] = draws
    return out


def document_permutations(rng: np.random.Generator, n_a: int, n_b: int, n_perm: int) -> tuple[np.ndarray, bool]:
    """Assignments of ``n_a + n_b`` documents to group a: ``(matrix, exact)``.

    When the number of distinct assignments ``C(n_a + n_b, n_a)`` is at most
    ``n_perm``, every assignment is enumerated (an exact test, ``exact=True``);
    otherwise ``n_perm`` random ones are drawn. Rows are boolean masks over
    the documents, a's documents first in the observed labelling.
    """
    n = n_a + n_b
    if comb(n, n_a) <= n_perm:
        rows = [np.isin(np.arange(n), c) for c in combinations(range(n), n_a)]
        return np.array(rows, dtype=bool).reshape(-1, n), True
    return np.argsort(rng.random((n_perm, n)), axis=1) < n_a, False


def relabel_documents(rng: np.random.Generator, doc_is_a: np.ndarray, n_perm: int,
                      min_assignments: int) -> tuple[np.ndarray | None, bool, str]:
    """Relabellings of documents between two groups for a permutation test: ``(masks, exact, why)``.

    ``doc_is_a`` marks, per document, whether it belongs to group a. The
    masks (``relabellings × documents``, in the order of ``doc_is_a``) hold
    every assignment when there are at most ``n_perm`` (``exact``), else
    ``n_perm`` random ones. When a group has fewer than two documents, or
    the documents allow fewer than ``min_assignments`` relabellings (so no
    p-value could fall below ``1 / min_assignments``), ``masks`` is None and
    ``why`` says so; otherwise ``why`` describes the test.
    """
    doc_is_a = np.asarray(doc_is_a, dtype=bool)
    n_a, n_b = int(doc_is_a.sum()), int((~doc_is_a).sum())
    possible = comb(n_a + n_b, n_a)
    if n_a < 2 or n_b < 2 or possible < min_assignments:
        return None, False, (f"no group test: {n_a} vs {n_b} documents allow {possible} relabellings "
                             f"(at least 2 per group and {min_assignments} needed); the difference is between these documents")
    order = np.concatenate([np.flatnonzero(doc_is_a), np.flatnonzero(~doc_is_a)])  # a's documents first
    masks, exact = document_permutations(rng, n_a, n_b, n_perm)
    relabel = np.zeros_like(masks)
    relabel[:, order] = masks
    how = f"all {len(masks)}" if exact else f"{n_perm} draws"
    return relabel, exact, f"documents relabelled ({how}): do these groups differ"


def permutation_p(null: np.ndarray, observed: np.ndarray, exact: bool) -> np.ndarray:
    """Two-sided permutation p-values from a null distribution (rows: relabellings).

    Exact enumeration: ``#|d*| ≥ |d| / N``; random draws: ``(1 + #|d*| ≥ |d|) / (1 + N)``
    (Phipson & Smyth 2010), so a sampled p is never 0.
    """
    extreme = (np.abs(null) >= np.abs(observed) - 1e-12).sum(0)
    return p_from_extremes(extreme, null.shape[0], exact)


def p_from_extremes(extreme: np.ndarray, n: int, exact: bool) -> np.ndarray:
    """The permutation p-value from the count of relabellings at least as extreme as observed (out of ``n``)."""
    return extreme / n if exact else (1 + extreme) / (1 + n)


def dominance(weights: np.ndarray) -> tuple[int, float, float]:
    """``(index of the largest part, its share, effective number of parts)`` of non-negative weights.

    The effective number is ``(Σw)² / Σw²`` (Kish 1965): 1 when one document
    carries everything, the number of documents when they carry equal parts.
    All-zero weights give ``(-1, nan, 0.0)``.

    >>> dominance(np.array([114.0, 0.0, 0.0]))
    (0, 1.0, 1.0)
    """
    w = np.asarray(weights, dtype=float)
    total = w.sum()
    if total <= 0:
        return -1, float("nan"), 0.0
    i = int(np.argmax(w))
    return i, float(w[i] / total), float(total**2 / (w**2).sum())


def adjust_pvalues(p: np.ndarray, method: Literal["bh", "bonferroni", "holm"] | None = "bh", *,
                   n_tests: np.ndarray | None = None) -> np.ndarray:
    """Adjust p-values for multiple comparisons; NaN (no test) stays NaN and is not counted.

    ``'bh'``: Benjamini & Hochberg (1995) false discovery rate;
    ``'bonferroni'``: ``min(1, m p)``; ``'holm'``: Holm's (1979) step-down;
    None: unchanged. A 2-D ``p`` is adjusted row by row. ``n_tests`` (one per
    row of a 2-D ``p``) is the number of tests ``m`` when ``p`` holds only the
    smallest of them: the p-values left out are taken to be larger than every
    one given, which leaves the adjusted values below 1 as they would be.
    """
    check_option("adjust", method, ("bh", "bonferroni", "holm", None))
    p = np.asarray(p, dtype=float)
    if method is None:
        return p.copy()
    if p.ndim == 2:
        return _adjust_rows(p, method, n_tests)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    q = p[ok]
    m = q.size
    if m == 0:
        return out
    if method == "bonferroni":
        out[ok] = np.minimum(1.0, q * m)
        return out
    order = np.argsort(q, kind="stable")
    ranked = q[order]
    if method == "bh":
        adj = ranked * m / np.arange(1, m + 1)
        adj = np.minimum.accumulate(adj[::-1])[::-1]
    else:  # holm
        adj = ranked * (m - np.arange(m))
        adj = np.maximum.accumulate(adj)
    vals = np.empty(m)
    vals[order] = np.minimum(1.0, adj)
    out[ok] = vals
    return out


def reject_rows(p: np.ndarray, method: Literal["bh", "bonferroni", "holm"] | None, alpha: float,
                n_tests: np.ndarray | None = None, first: np.ndarray | None = None) -> np.ndarray:
    """``adjust_pvalues(p, method, n_tests=n_tests) < alpha`` for each row of a 2-D ``p``, without the adjusted values.

    ``n_tests``, when given, is at least each row's number of p-values (see :func:`adjust_pvalues`).

    The decisions need only each row's cut-off among its sorted p-values, so the p-values are sorted
    but never ranked back. Benjamini–Hochberg rejects the p-values up to the largest ``p_(k)`` with
    ``p_(k) m / k < alpha``: whatever ties, none above it is rejected and none up to it is kept (a
    tie just past it would meet the condition too). Holm rejects those below the first ``p_(k)`` with
    ``p_(k) (m - k + 1) >= alpha`` (a tie just before it would fail first). Both use the arithmetic of
    :func:`adjust_pvalues`, so the decisions are the same bit for bit (tested).

    ``first``, when given, counts for each row p-values left out of ``p`` that Bonferroni rejects
    (``p m < alpha``): they are smaller than every p-value it does not reject, so they take the row's
    first ranks and the given ones are ranked after them (with ``n_tests`` counting them all).
    """
    p = np.asarray(p, dtype=float)
    if method is None or method == "bonferroni":
        with np.errstate(invalid="ignore"):
            return adjust_pvalues(p, method, n_tests=n_tests) < alpha
    check_option("adjust", method, ("bh", "bonferroni", "holm", None))
    ok = ~np.isnan(p)
    m = _tests_per_row(ok, n_tests)
    ranked = np.sort(np.where(ok, p, np.inf), axis=1)  # a row's NaNs last, as inf: they take no part
    rank = np.arange(1, p.shape[1] + 1, dtype=float)
    if first is not None:
        rank = np.asarray(first, dtype=float).reshape(-1, 1) + rank
    rows = np.arange(p.shape[0])
    with np.errstate(invalid="ignore"):  # inf · 0 in a row without a test: NaN, never below alpha
        if method == "bh":
            passing = np.minimum(1.0, ranked * m / rank) < alpha
            last = p.shape[1] - 1 - np.argmax(passing[:, ::-1], axis=1)  # the largest k that passes
            cut = np.where(passing.any(axis=1), ranked[rows, last], -np.inf)
            return ok & (p <= cut[:, None])
        failing = ~(np.minimum(1.0, ranked * (m - (rank - 1))) < alpha)  # holm
        first = np.argmax(failing, axis=1)  # the first k that fails
        cut = np.where(failing.any(axis=1), ranked[rows, first], np.inf)
        return ok & (p < cut[:, None])


def _tests_per_row(ok: np.ndarray, n_tests: np.ndarray | None) -> np.ndarray:
    """``m`` of each row as a column: its p-values (not NaN), or ``n_tests`` when given."""
    return ok.sum(axis=1, keepdims=True).astype(float) if n_tests is None else np.asarray(n_tests, float).reshape(-1, 1)


def _adjust_rows(p: np.ndarray, method: Literal["bh", "bonferroni", "holm"], n_tests: np.ndarray | None = None,
                 ) -> np.ndarray:
    """:func:`adjust_pvalues` of each row of ``p`` on its own, all rows at once (the same operations, vectorised).

    NaN sorts last in ``argsort``, so each row's valid p-values take the ranks they take alone; NaN stays NaN.
    """
    ok = ~np.isnan(p)
    m = _tests_per_row(ok, n_tests)
    if method == "bonferroni":
        return np.where(ok, np.minimum(1.0, p * m), np.nan)
    order = np.argsort(p, axis=1, kind="stable")
    ranked = np.take_along_axis(p, order, axis=1)
    ranked = np.where(np.isnan(ranked), np.inf, ranked)  # the NaNs at each row's end take no part
    rank = np.arange(1, p.shape[1] + 1, dtype=float)
    with np.errstate(invalid="ignore"):  # inf · 0 in a row without a test: NaN there, as it should stay
        if method == "bh":
            adj = ranked * m / rank
            adj = np.minimum.accumulate(adj[:, ::-1], axis=1)[:, ::-1]
        else:  # holm
            adj = ranked * (m - (rank - 1))
            adj = np.maximum.accumulate(adj, axis=1)
    out = np.empty_like(p)
    np.put_along_axis(out, order, np.minimum(1.0, adj), axis=1)
    return np.where(ok, out, np.nan)
