"""Similarity and distance between the units, or groups, of a document-term matrix.

The counterparts of quanteda's ``textstat_simil`` and ``textstat_dist``
(Benoit et al. 2018): every pair of rows of a
:class:`~framing.text.dtm.DocumentTermMatrix`, or of the groups its rows form,
compared on their term profiles. The kernels work on the sparse matrix: the
inner-product measures (cosine, correlation, the Jaccard and Dice families)
come from one sparse Gram matrix, and the distances from each row's
differences with the rows after it, so no ``n_rows × n_terms`` dense array is
ever made. The result has ``n_rows²`` cells: compare documents or groups, not
thousands of sentences.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from framing.base.errors import ArgumentError, check_option
from framing.base.grouping import group_labels, resolve_by
from framing.text.dtm import DocumentTermMatrix

__all__ = [
    "similarity",
    "distance",
    "pairwise_similarity",
    "pairwise_distance",
    "SIMILARITY_METHODS",
    "DISTANCE_METHODS",
    "PAIR_COLUMNS",
]

#: Methods of :func:`similarity` and :func:`pairwise_similarity`.
SIMILARITY_METHODS = ("cosine", "correlation", "jaccard", "ejaccard", "dice", "edice")
#: Methods of :func:`distance` and :func:`pairwise_distance`.
DISTANCE_METHODS = ("euclidean", "manhattan", "maximum", "canberra", "minkowski", "cosine", "jaccard", "jensen_shannon")
#: Columns of the long tables of :func:`similarity` and :func:`distance`.
PAIR_COLUMNS = ["a", "b", "method", "value", "units_a", "units_b", "size_a", "size_b", "weighting", "preprocessor"]


# --------------------------------------------------------------------------- kernels


def _as_csr(x: Any) -> sp.csr_matrix:
    matrix = sp.csr_matrix(x, dtype=np.float64)
    matrix.eliminate_zeros()
    matrix.sort_indices()
    return matrix


def _divide(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """``num / den``, NaN where the denominator is 0 (the measure is undefined there)."""
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out


def pairwise_similarity(x: sp.spmatrix | np.ndarray, method: str = "cosine") -> np.ndarray:
    """Similarity of every pair of rows of a (sparse) matrix.

    With ``x_i`` a row, ``|x|² = x·x``, ``V`` the number of columns, and
    ``A_i`` the set of columns where row ``i`` is not 0:

    - ``cosine``: ``x_i·x_j / (|x_i| |x_j|)`` (Salton & McGill 1983);
    - ``correlation``: Pearson's r of the two rows over all ``V`` columns
      (columns where both rows are 0 count as agreement, so r grows with the
      vocabulary);
    - ``jaccard``: ``|A_i ∩ A_j| / |A_i ∪ A_j|`` on presence (Jaccard 1912);
    - ``ejaccard``: extended Jaccard (Tanimoto),
      ``x_i·x_j / (|x_i|² + |x_j|² − x_i·x_j)``;
    - ``dice``: ``2 |A_i ∩ A_j| / (|A_i| + |A_j|)`` (Dice 1945);
    - ``edice``: extended Dice, ``2 x_i·x_j / (|x_i|² + |x_j|²)``.

    These are quanteda's definitions (``textstat_simil``). A similarity that
    divides by zero (an empty row for cosine or Jaccard, a constant row for
    correlation) is NaN, not 0.

    Parameters
    ----------
    x : scipy.sparse matrix or numpy.ndarray, shape (n, V)
    method : {'cosine', 'correlation', 'jaccard', 'ejaccard', 'dice', 'edice'}, default='cosine'

    Returns
    -------
    numpy.ndarray, shape (n, n)
        Symmetric; the diagonal holds each row's similarity with itself.

    Examples
    --------
    >>> pairwise_similarity(np.array([[1, 1, 0], [1, 0, 1]]), "jaccard")[0, 1]
    np.float64(0.3333333333333333)
    """
    check_option("method", method, SIMILARITY_METHODS)
    m = _as_csr(x)
    if method in ("jaccard", "dice"):
        m = m.copy()
        m.data = np.ones_like(m.data)
    gram = np.asarray((m @ m.T).todense(), dtype=np.float64)
    sq = np.diag(gram).copy()
    if method == "cosine":
        return np.clip(_divide(gram, np.sqrt(np.outer(sq, sq))), -1.0, 1.0)
    if method == "correlation":
        n_cols = m.shape[1]
        sums = np.asarray(m.sum(axis=1)).ravel()
        cov = gram - np.outer(sums, sums) / n_cols
        var = np.diag(cov).copy()
        var[var < 1e-12 * np.maximum(sq, 1.0)] = 0.0  # a constant row, up to rounding
        return np.clip(_divide(cov, np.sqrt(np.outer(var, var))), -1.0, 1.0)
    both = sq[:, None] + sq[None, :]
    if method in ("jaccard", "ejaccard"):
        return _divide(gram, both - gram)
    return _divide(2.0 * gram, both)  # dice, edice


def _repeat_row(m: sp.csr_matrix, i: int, k: int) -> sp.csr_matrix:
    """Row ``i`` of ``m`` repeated ``k`` times, as a sparse matrix."""
    lo, hi = m.indptr[i], m.indptr[i + 1]
    nnz = hi - lo
    return sp.csr_matrix(
        (np.tile(m.data[lo:hi], k), np.tile(m.indices[lo:hi], k), np.arange(k + 1, dtype=np.int64) * nnz),
        shape=(k, m.shape[1]),
    )


def _row_sums(m: sp.spmatrix) -> np.ndarray:
    return np.asarray(m.sum(axis=1)).ravel()


def pairwise_distance(x: sp.spmatrix | np.ndarray, method: str = "euclidean", *, p: float = 2.0) -> np.ndarray:
    """Distance between every pair of rows of a (sparse) matrix.

    - ``euclidean``: ``√Σ (x_it − x_jt)²``; ``manhattan``: ``Σ |x_it − x_jt|``;
      ``maximum``: ``max_t |x_it − x_jt|`` (Chebyshev); ``minkowski``:
      ``(Σ |x_it − x_jt|^p)^(1/p)``;
    - ``canberra``: ``Σ |x_it − x_jt| / (|x_it| + |x_jt|)`` over the columns
      where either row is not 0 (Lance & Williams 1966);
    - ``cosine``: ``1 −`` cosine similarity; ``jaccard``: ``1 −`` Jaccard
      similarity on presence (see :func:`pairwise_similarity`);
    - ``jensen_shannon``: the Jensen–Shannon distance (Lin 1991; Endres &
      Schindelin 2003) between the rows taken as distributions (each divided
      by its total), base 2, so between 0 and 1: ``√(½ KL(p‖m) + ½ KL(q‖m))``,
      ``m = (p + q) / 2``.

    Differences are taken cell by cell on the sparse rows, so the values are
    exact (no ``|x|² + |y|² − 2x·y`` cancellation); they equal
    :func:`scipy.spatial.distance.pdist`'s. A distance that is undefined
    (cosine or Jensen–Shannon with an empty row, Jaccard of two empty rows)
    is NaN.

    Parameters
    ----------
    x : scipy.sparse matrix or numpy.ndarray, shape (n, V)
        Non-negative for ``jensen_shannon``.
    method : {'euclidean', 'manhattan', 'maximum', 'canberra', 'minkowski', 'cosine', 'jaccard', 'jensen_shannon'}, default='euclidean'
    p : float, default=2.0
        The power of ``minkowski`` (at least 1).

    Returns
    -------
    numpy.ndarray, shape (n, n)
        Symmetric, 0 on the diagonal (NaN there where the measure is
        undefined for that row).

    Examples
    --------
    >>> pairwise_distance(np.array([[0, 3, 4], [0, 0, 0]]), "euclidean")[0, 1]
    np.float64(5.0)
    """
    check_option("method", method, DISTANCE_METHODS)
    if method == "minkowski" and (isinstance(p, bool) or not isinstance(p, (int, float)) or not 1 <= p < np.inf):
        raise ArgumentError(f"p={p!r} must be a number of at least 1")
    if method in ("cosine", "jaccard"):
        return 1.0 - pairwise_similarity(x, method)
    m = _as_csr(x)
    n = m.shape[0]
    out = np.zeros((n, n))
    if method == "jensen_shannon":
        if m.nnz and m.data.min() < 0:
            raise ArgumentError("method='jensen_shannon' needs non-negative weights")
        totals = _row_sums(m)
        m = sp.csr_matrix(sp.diags(np.divide(1.0, totals, out=np.zeros_like(totals), where=totals > 0)) @ m)
        empty = totals <= 0
        out[empty, :] = np.nan
        out[:, empty] = np.nan
    for i in range(n - 1):
        rest = m[i + 1:]
        here = _repeat_row(m, i, n - i - 1)
        if method == "jensen_shannon":
            mid = ((rest + here) * 0.5).tocsr()
            inv = mid.power(-1.0)

            def kl(part: sp.csr_matrix) -> np.ndarray:
                ratio = sp.csr_matrix(part.multiply(inv))
                ratio.data = np.log2(ratio.data)
                return _row_sums(part.multiply(ratio))

            values = np.sqrt(np.maximum(0.5 * (kl(rest) + kl(here)), 0.0))
            values = np.where(np.isnan(out[i, i + 1:]), np.nan, values)
        else:
            diff = abs(rest - here)
            if method == "euclidean":
                values = np.sqrt(_row_sums(diff.multiply(diff)))
            elif method == "manhattan":
                values = _row_sums(diff)
            elif method == "maximum":
                values = diff.max(axis=1).toarray().ravel()
            elif method == "minkowski":
                values = _row_sums(diff.power(p)) ** (1.0 / p)
            else:  # canberra
                denom = (abs(rest) + abs(here)).tocsr()
                values = _row_sums(diff.multiply(denom.power(-1.0)))
        out[i, i + 1:] = values
        out[i + 1:, i] = values
    return out


# --------------------------------------------------------------------------- tables


def _profiles(dtm: DocumentTermMatrix, by: str | Sequence[str] | None, what: str) -> tuple[sp.csr_matrix, list[str], np.ndarray, Any]:
    """The rows of each group (summed), the group labels and the rows per group."""
    if not isinstance(dtm, DocumentTermMatrix):
        raise ArgumentError(f"{what} expects a DocumentTermMatrix, got {type(dtm).__name__}")
    resolved = resolve_by(by, dtm.group_by)
    rows, labels = group_labels(dtm.units, resolved)
    if len(labels) < 2:
        raise ArgumentError(
            f"{what} needs at least two groups to compare; by={by!r} gives one ({labels[0]!r}). "
            "Pass by='unit_id' to compare the matrix' rows, or by='doc_id' to compare documents"
        )
    n_units = np.bincount(rows, minlength=len(labels))
    if dtm.weighting != "count" and (n_units > 1).any():
        several = labels[int(np.flatnonzero(n_units > 1)[0])]
        raise ArgumentError(
            f"{what}: group {several!r} has {int(n_units.max())} rows of a weighted matrix ({dtm.weighting!r}), "
            "and weights are not summed; group the counts first, e.g. m.group('source_type').weight('prop')"
        )
    indicator = sp.csr_matrix(
        (np.ones(len(rows)), (rows, np.arange(len(rows)))), shape=(len(labels), len(rows))
    )
    return (indicator @ dtm.matrix.astype(np.float64)).tocsr(), labels, n_units, resolved


def _table(values: np.ndarray, labels: list[str], n_units: np.ndarray, sizes: np.ndarray, method: str,
           dtm: DocumentTermMatrix, resolved: Any, as_matrix: bool) -> pd.DataFrame:
    if as_matrix:
        name = "group" if resolved is None else (resolved if isinstance(resolved, str) else " | ".join(resolved))
        index = pd.Index(labels, name=name)
        return pd.DataFrame(values, index=index, columns=index.copy())
    i, j = np.triu_indices(len(labels), k=1)
    lab = np.asarray(labels, dtype=object)
    return pd.DataFrame({
        "a": lab[i], "b": lab[j], "method": method, "value": values[i, j],
        "units_a": n_units[i], "units_b": n_units[j], "size_a": sizes[i], "size_b": sizes[j],
        "weighting": dtm.weighting, "preprocessor": dtm.preprocessor,
    }, columns=PAIR_COLUMNS)


def similarity(
    dtm: DocumentTermMatrix,
    method: Literal["cosine", "correlation", "jaccard", "ejaccard", "dice", "edice"] = "cosine",
    by: str | Sequence[str] | None = None,
    *,
    as_matrix: bool = False,
) -> pd.DataFrame:
    """How alike the term profiles of groups (or units) are, pair by pair.

    quanteda's ``textstat_simil`` for this toolkit; the measures are defined
    in :func:`pairwise_similarity`. Cosine, correlation and the Jaccard and
    Dice families ignore the profiles' sizes (a group with ten times the
    text of another can still have similarity 1); ``correlation`` also rises
    with the number of terms both profiles lack, so compare values only
    across matrices with the same vocabulary.

    Parameters
    ----------
    dtm : DocumentTermMatrix
        Counts, or weights from :meth:`DocumentTermMatrix.weight` /
        :meth:`~DocumentTermMatrix.tfidf`.
    method : {'cosine', 'correlation', 'jaccard', 'ejaccard', 'dice', 'edice'}, default='cosine'
    by : str, list of str or None, default=None
        What is compared, by the toolkit's one grouping rule: None, the
        corpus' own grouping (``dtm.group_by``, e.g. source types); a
        metadata column or several; ``'doc_id'`` compares documents and
        ``'unit_id'`` the matrix' rows themselves. The counts of a group's
        rows are summed into one profile (as :meth:`DocumentTermMatrix.group`
        does). Weights are not summed: a weighted matrix is compared row by
        row (``by='unit_id'``) or grouped before it is weighted
        (``m.group('source_type').weight('prop')``).
    as_matrix : bool, default=False
        False: the long table below. True: a square ``pandas.DataFrame``
        instead, rows and columns labelled by group (the axes named after
        ``by``), with the diagonal.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PAIR_COLUMNS`, one row per unordered pair of groups,
        each pair once (``a`` before ``b`` in order of first appearance, the
        order of :func:`scipy.spatial.distance.pdist`), no self-pairs:
        ``a, b`` the group labels (``'x | y'`` for several columns);
        ``method``; ``value``; ``units_a, units_b`` the matrix rows behind
        each; ``size_a, size_b`` each profile's total (tokens, for counts);
        ``weighting`` and ``preprocessor`` of the matrix.

    Examples
    --------
    >>> import framing as fr
    >>> from framing.measures.similarity import similarity
    >>> m = fr.dtm(fr.load_corpus(), fr.Preprocessor())
    >>> s = similarity(m, "cosine", by="source_type")
    >>> len(s), bool(s["value"].between(0, 1).all())
    (6, True)
    >>> similarity(m, "cosine", by="source_type", as_matrix=True).shape
    (4, 4)
    """
    check_option("method", method, SIMILARITY_METHODS)
    x, labels, n_units, resolved = _profiles(dtm, by, "similarity")
    return _table(pairwise_similarity(x, method), labels, n_units, _row_sums(x), method, dtm, resolved, as_matrix)


def distance(
    dtm: DocumentTermMatrix,
    method: Literal[
        "euclidean", "manhattan", "maximum", "canberra", "minkowski", "cosine", "jaccard", "jensen_shannon"
    ] = "euclidean",
    by: str | Sequence[str] | None = None,
    *,
    p: float = 2.0,
    as_matrix: bool = False,
) -> pd.DataFrame:
    """How far apart the term profiles of groups (or units) are, pair by pair.

    quanteda's ``textstat_dist`` for this toolkit; the measures are defined
    in :func:`pairwise_distance`. Euclidean, Manhattan, maximum and Minkowski
    distances grow with the profiles' sizes: on raw counts they mostly say
    which group has more text. Compare relative frequencies instead
    (``m.group(by).weight('prop')`` with ``by='unit_id'``, or
    ``m.weight('prop')`` for units), or use ``jensen_shannon``, which
    normalises each profile itself.

    Parameters
    ----------
    dtm : DocumentTermMatrix
        Counts, or weights from :meth:`DocumentTermMatrix.weight` /
        :meth:`~DocumentTermMatrix.tfidf`.
    method : {'euclidean', 'manhattan', 'maximum', 'canberra', 'minkowski', 'cosine', 'jaccard', 'jensen_shannon'}, default='euclidean'
    by : str, list of str or None, default=None
        What is compared, by the toolkit's one grouping rule: None, the
        corpus' own grouping (``dtm.group_by``, e.g. source types); a
        metadata column or several; ``'doc_id'`` compares documents and
        ``'unit_id'`` the matrix' rows themselves. The counts of a group's
        rows are summed into one profile (as :meth:`DocumentTermMatrix.group`
        does). Weights are not summed: a weighted matrix is compared row by
        row (``by='unit_id'``) or grouped before it is weighted
        (``m.group('source_type').weight('prop')``).
    p : float, default=2.0
        The power of ``minkowski`` (at least 1).
    as_matrix : bool, default=False
        False: the long table below. True: a square ``pandas.DataFrame``
        instead, rows and columns labelled by group (the axes named after
        ``by``), with the diagonal.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PAIR_COLUMNS`, one row per unordered pair of groups,
        each pair once (``a`` before ``b`` in order of first appearance, the
        order of :func:`scipy.spatial.distance.pdist`), no self-pairs:
        ``a, b`` the group labels (``'x | y'`` for several columns);
        ``method``; ``value``; ``units_a, units_b`` the matrix rows behind
        each; ``size_a, size_b`` each profile's total (tokens, for counts);
        ``weighting`` and ``preprocessor`` of the matrix.

    Examples
    --------
    >>> import framing as fr
    >>> from framing.measures.similarity import distance
    >>> m = fr.dtm(fr.load_corpus(), fr.Preprocessor())
    >>> d = distance(m, "jensen_shannon", by="doc_id")
    >>> len(d), bool(d["value"].between(0, 1).all())
    (15, True)
    """
    check_option("method", method, DISTANCE_METHODS)
    x, labels, n_units, resolved = _profiles(dtm, by, "distance")
    values = pairwise_distance(x, method, p=p)
    return _table(values, labels, n_units, _row_sums(x), method, dtm, resolved, as_matrix)
