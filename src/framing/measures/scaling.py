"""Text scaling: place texts on one dimension from their word counts.

Two models, as in quanteda.textmodels:

* :func:`wordscores` (Laver, Benoit & Garry 2003) is supervised: reference
  texts with known positions score every word; other ("virgin") texts are
  scored by the mean score of their words, with LBG's standard error and the
  rescalings of LBG (2003) and Martin & Vanberg (2008).
* :func:`wordfish` (Slapin & Proksch 2008) is unsupervised: a Poisson model
  ``log λ_ij = α_i + ψ_j + β_j θ_i`` of the count of word ``j`` in text
  ``i``, fitted by the conditional maximum-likelihood alternation and with the
  priors of quanteda.textmodels' ``textmodel_wordfish``.

Both return small immutable results holding tidy tables with fixed columns.
The kernels (:func:`lbg_rescale`, :func:`mv_rescale`) are pure numpy
functions over arrays of scores.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from framing.base.errors import ArgumentError, check_option
from framing.base.grouping import group_labels
from framing.text.dtm import DocumentTermMatrix

__all__ = [
    "wordscores",
    "wordfish",
    "WordscoresResult",
    "WordfishResult",
    "lbg_rescale",
    "mv_rescale",
    "WORDSCORES_TEXT_COLUMNS",
    "WORDSCORES_WORD_COLUMNS",
    "WORDFISH_DOCUMENT_COLUMNS",
    "WORDFISH_WORD_COLUMNS",
]

logger = logging.getLogger(__name__)

WORDSCORES_TEXT_COLUMNS = [
    "doc_id", "reference", "n_scored", "score_raw", "se", "low", "high",
    "score_rescaled", "se_rescaled", "low_rescaled", "high_rescaled", "scale",
]
WORDSCORES_WORD_COLUMNS = ["term", "score", "count_reference"]
WORDFISH_DOCUMENT_COLUMNS = ["doc_id", "theta", "se", "low", "high", "alpha"]
WORDFISH_WORD_COLUMNS = ["term", "beta", "psi"]

#: quanteda.textmodels' inner Newton tolerance and its cap on inner steps (wordfish.cpp).
_INNER_TOL = 1e-8
_INNER_MAX = 10


# --------------------------------------------------------------------------- shared


def _row_ids(dtm: DocumentTermMatrix) -> np.ndarray:
    """The id of each row: ``unit_id`` (the document id of a document matrix), else the group label."""
    units = dtm.units
    if "unit_id" in units.columns:
        return units["unit_id"].astype(str).to_numpy(dtype=object)
    if "doc_id" in units.columns:
        return units["doc_id"].astype(str).to_numpy(dtype=object)
    cols = [c for c in dtm.id_columns if c in units.columns]
    if not cols:
        return np.array([str(i) for i in range(len(units))], dtype=object)
    rows, labels = group_labels(units, cols)
    return np.asarray(labels, dtype=object)[rows]


def _check_dtm(dtm: Any, who: str) -> None:
    if not isinstance(dtm, DocumentTermMatrix):
        raise ArgumentError(f"{who} expects a DocumentTermMatrix, got {type(dtm).__name__}")
    if dtm.shape[0] == 0 or dtm.shape[1] == 0:
        raise ArgumentError(f"{who}: the matrix is empty ({dtm.shape[0]} rows × {dtm.shape[1]} terms)")


def _z(confidence: float) -> float:
    if not isinstance(confidence, (int, float)) or not 0 < confidence < 1:
        raise ArgumentError(f"confidence={confidence!r} must lie in (0, 1)")
    from scipy import stats  # where used: scipy.stats would add a third to `import framing`

    return float(stats.norm.ppf(0.5 + confidence / 2))


# --------------------------------------------------------------------------- wordscores kernels


def lbg_rescale(scores: np.ndarray, reference_scores: np.ndarray, virgin_scores: np.ndarray) -> np.ndarray:
    """Laver, Benoit & Garry's (2003) rescaling of raw text scores.

    ``S* = (S − S̄_v) · SD_r / SD_v + S̄_v``: the raw scores are stretched
    about the mean of the virgin texts' raw scores ``S̄_v`` so that their
    standard deviation ``SD_v`` becomes that of the reference scores
    ``SD_r`` (both with the ``n − 1`` denominator, as R's ``sd``). The
    transformation is linear, so it applies to interval ends too.

    Parameters
    ----------
    scores : array of float
        Raw scores (or interval ends) to transform.
    reference_scores : array of float
        The known scores of the reference texts (``A_r``).
    virgin_scores : array of float
        The raw scores that fix the mean and spread (LBG: the virgin texts').

    Returns
    -------
    numpy.ndarray
        The rescaled ``scores``.

    Examples
    --------
    >>> lbg_rescale(np.array([-0.5, 0.0, 0.5]), np.array([-1.0, 1.0]), np.array([-0.5, 0.5])).round(4).tolist()
    [-1.0, 0.0, 1.0]
    """
    scores = np.asarray(scores, dtype=float)
    ref = np.asarray(reference_scores, dtype=float)
    virgin = np.asarray(virgin_scores, dtype=float)
    virgin = virgin[np.isfinite(virgin)]
    if len(ref) < 2 or len(virgin) < 2:
        raise ArgumentError(
            f"LBG rescaling needs at least two reference scores and two virgin scores; got {len(ref)} and {len(virgin)}"
        )
    sd_v = np.std(virgin, ddof=1)
    if not sd_v > 0:
        raise ArgumentError(f"LBG rescaling: the virgin texts' raw scores do not vary ({virgin.tolist()})")
    mean_v = virgin.mean()
    return (scores - mean_v) * (np.std(ref, ddof=1) / sd_v) + mean_v


def mv_rescale(scores: np.ndarray, reference_scores: np.ndarray, reference_raw: np.ndarray) -> np.ndarray:
    """Martin & Vanberg's (2008) rescaling of raw text scores.

    ``S* = (S − S_low) / (S_high − S_low) · (A_high − A_low) + A_low``: the
    reference texts with the lowest and highest reference scores ``A`` get
    back exactly those scores, and every raw score ``S`` moves with them.
    With several reference texts only the two extremes count (as in
    quanteda); several texts sharing an extreme score contribute the mean of
    their raw scores.

    Parameters
    ----------
    scores : array of float
        Raw scores (or interval ends) to transform.
    reference_scores : array of float
        The known scores of the reference texts.
    reference_raw : array of float
        The raw scores the model gives the same reference texts.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> mv_rescale(np.array([-0.4, 0.0, 0.4]), np.array([-1.0, 1.0]), np.array([-0.4, 0.4])).tolist()
    [-1.0, 0.0, 1.0]
    """
    scores = np.asarray(scores, dtype=float)
    ref = np.asarray(reference_scores, dtype=float)
    raw = np.asarray(reference_raw, dtype=float)
    if ref.shape != raw.shape or len(ref) < 2:
        raise ArgumentError(
            "MV rescaling needs the reference scores and their raw scores for at least two texts; "
            f"got {len(ref)} and {len(raw)}"
        )
    low, high = ref.min(), ref.max()
    raw_low, raw_high = raw[ref == low].mean(), raw[ref == high].mean()
    if not low < high or raw_low == raw_high:
        raise ArgumentError(
            f"MV rescaling: the extreme reference texts (scores {low}, {high}) have the same raw score {raw_low}"
        )
    return (scores - raw_low) * (high - low) / (raw_high - raw_low) + low


# --------------------------------------------------------------------------- wordscores


@dataclass(frozen=True)
class WordscoresResult:
    """A fitted Wordscores model (Laver, Benoit & Garry 2003).

    Attributes
    ----------
    texts : pandas.DataFrame
        One row per row of the matrix, columns :data:`WORDSCORES_TEXT_COLUMNS`
        (see :func:`wordscores`).
    words : pandas.DataFrame
        One row per scored word, columns :data:`WORDSCORES_WORD_COLUMNS`.
    scale : str
        ``'lbg'``, ``'mv'`` or ``'none'``.
    smooth : float
    confidence : float
    preprocessor : str
    """

    texts: pd.DataFrame
    words: pd.DataFrame
    scale: str
    smooth: float
    confidence: float
    preprocessor: str

    def __repr__(self) -> str:
        n_ref = int(self.texts["reference"].notna().sum())
        return (f"<WordscoresResult {n_ref} reference and {len(self.texts) - n_ref} virgin texts, "
                f"{len(self.words)} scored words, scale={self.scale!r}>")


def _reference_vector(reference_scores: Any, ids: np.ndarray) -> np.ndarray:
    if isinstance(reference_scores, Mapping):
        known = set(ids)
        unknown = [k for k in reference_scores if str(k) not in known]
        if unknown:
            raise ArgumentError(
                f"reference_scores names {', '.join(map(repr, unknown[:5]))}, not row ids of the matrix "
                f"(ids are e.g. {', '.join(map(repr, ids[:3]))})"
            )
        given = {str(k): v for k, v in reference_scores.items()}
        values = [given.get(i, np.nan) for i in ids]
    elif isinstance(reference_scores, (str, bytes)) or not hasattr(reference_scores, "__len__"):
        raise ArgumentError(
            f"reference_scores must be a sequence aligned with the rows or a mapping id -> score, "
            f"got {type(reference_scores).__name__}"
        )
    else:
        values = list(reference_scores.to_numpy() if isinstance(reference_scores, pd.Series) else reference_scores)
        if len(values) != len(ids):
            raise ArgumentError(
                f"reference_scores has {len(values)} values for {len(ids)} rows; give NaN for the virgin texts"
            )
    try:
        out = np.array([np.nan if v is None else v for v in values], dtype=float)
    except (TypeError, ValueError):
        raise ArgumentError(f"reference_scores must be numbers (NaN for virgin texts), got {values[:6]!r}") from None
    if np.isinf(out).any():
        raise ArgumentError(f"reference_scores must be finite or NaN, got {out[np.isinf(out)].tolist()}")
    return out


def wordscores(
    dtm: DocumentTermMatrix,
    reference_scores: Sequence[float] | np.ndarray | pd.Series | Mapping[str, float],
    *,
    scale: Literal["lbg", "mv"] | None = None,
    smooth: float = 0,
    confidence: float = 0.95,
) -> WordscoresResult:
    """Wordscores: score texts from reference texts of known position.

    The method of Laver, Benoit & Garry (2003), as ``textmodel_wordscores``
    and its ``predict`` method in quanteda.textmodels compute it:

    * ``F_wr`` is the relative frequency of word ``w`` in reference text ``r``
      (after adding ``smooth`` to every count of the reference texts);
      ``P_wr = F_wr / Σ_r F_wr`` and the word score is
      ``S_w = Σ_r P_wr A_r``, ``A_r`` the reference scores. Words that occur
      in no reference text have no score.
    * a text's raw score is ``S_v = Σ_w F_wv S_w``, ``F_wv`` the relative
      frequency of ``w`` among the text's scored words (its raw counts,
      never smoothed); its standard error (LBG 2003) is
      ``sqrt(Σ_w F_wv (S_w − S_v)² / N_v)``, ``N_v`` its number of scored
      words, and its interval ``S_v ± z·se``.
    * ``scale='lbg'`` rescales with :func:`lbg_rescale`, the mean and
      spread taken from the virgin texts' raw scores as in LBG (2003);
      ``scale='mv'`` with :func:`mv_rescale` (Martin & Vanberg 2008), anchored
      on the reference texts with the lowest and highest scores. Interval
      ends are transformed with the scores, so ``se_rescaled`` is ``se``
      times the transformation's slope.

    Parameters
    ----------
    dtm : DocumentTermMatrix
        Counts (or weights), one row per text: reference and virgin texts
        together.
    reference_scores : sequence of float, pandas.Series or mapping
        A score for every row (NaN or None for the virgin texts), or a
        mapping from row id (the ``doc_id`` of the result) to score; rows
        not named are virgin. At least two reference texts.
    scale : {'lbg', 'mv'} or None, default=None
        None leaves the ``*_rescaled`` columns NaN. ``'lbg'`` needs at least
        two virgin texts whose raw scores differ.
    smooth : float, default=0
        Added to every count of the reference texts before the word scores
        are computed (quanteda's ``smooth``); 0 is LBG's method.
    confidence : float, default=0.95
        Coverage of the normal intervals ``low, high``.

    Returns
    -------
    WordscoresResult
        ``texts``: ``doc_id, reference, n_scored, score_raw, se, low, high,
        score_rescaled, se_rescaled, low_rescaled, high_rescaled, scale``,
        one row per row of ``dtm`` in its order. ``doc_id`` is the row's
        ``unit_id`` (the document id of a document matrix; a paragraph's id;
        the group label of a grouped matrix); ``reference`` its reference
        score (NaN: virgin); ``n_scored`` its count of scored words (a text
        with none has NaN scores). Reference texts are scored too, as in
        quanteda. ``words``: ``term, score, count_reference`` (the word's
        count in the reference texts), in the matrix' term order.

    Notes
    -----
    quanteda's ``predict(..., rescaling = "lbg")`` takes the mean and spread
    from every text it predicts, reference texts included (with the default
    ``newdata``); here they come from the virgin texts only, as in LBG
    (2003). quanteda's LBG ``se.fit`` also shifts the standard error by the
    mean score; ``se_rescaled`` is the half-width of the rescaled interval
    divided by ``z``, which is what quanteda's LBG intervals use.

    References
    ----------
    Laver, M., Benoit, K. & Garry, J. (2003). Extracting policy positions from
    political texts using words as data. *American Political Science Review*
    97(2), 311–331.
    Martin, L. W. & Vanberg, G. (2008). A robust transformation procedure for
    interpreting political text. *Political Analysis* 16(1), 93–100.

    Examples
    --------
    >>> import framing as fr
    >>> m = fr.dtm(fr.load_corpus(), fr.Preprocessor(), unit="document")
    >>> scores = [-1.0, 1.0] + [None] * (m.shape[0] - 2)
    >>> ws = wordscores(m, scores, scale="mv")
    >>> ws.texts["score_rescaled"].iloc[:2].round(6).tolist()
    [-1.0, 1.0]
    >>> list(ws.texts.columns) == WORDSCORES_TEXT_COLUMNS
    True
    """
    _check_dtm(dtm, "wordscores")
    check_option("scale", scale, ("lbg", "mv", None))
    if not isinstance(smooth, (int, float, np.integer, np.floating)) or not np.isfinite(smooth) or smooth < 0:
        raise ArgumentError(f"smooth={smooth!r} must be a non-negative number")
    z = _z(confidence)
    ids = _row_ids(dtm)
    ref = _reference_vector(reference_scores, ids)
    is_ref = ~np.isnan(ref)
    n_ref = int(is_ref.sum())
    if n_ref < 2:
        raise ArgumentError(f"wordscores needs at least two reference texts (rows with a score); got {n_ref}")
    if np.ptp(ref[is_ref]) == 0:
        raise ArgumentError(f"the reference scores must differ; all {n_ref} are {ref[is_ref][0]}")
    counts = sp.csr_matrix(dtm.matrix, dtype=float)
    if counts.data.size and counts.data.min() < 0:
        raise ArgumentError("wordscores expects non-negative counts or weights")

    # word scores from the reference texts
    ref_counts = counts[np.flatnonzero(is_ref)].toarray() + float(smooth)
    ref_sizes = ref_counts.sum(axis=1)
    empty = ids[is_ref][ref_sizes == 0]
    if len(empty):
        raise ArgumentError(f"reference texts without any counted word: {', '.join(map(str, empty))}")
    f_wr = ref_counts / ref_sizes[:, None]
    f_w = f_wr.sum(axis=0)
    scored = f_w > 0
    word_scores = np.full(dtm.shape[1], np.nan)
    word_scores[scored] = (f_wr[:, scored] / f_w[scored]).T @ ref[is_ref]

    # text scores over each text's scored words
    x = counts[:, np.flatnonzero(scored)]
    s_w = word_scores[scored]
    n_v = np.asarray(x.sum(axis=1)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.where(n_v > 0, (x @ s_w) / n_v, np.nan)
        # LBG's variance Σ_w F_wv (S_w − S_v)², summed over each row's non-zero cells
        coo = x.tocoo()
        dev = coo.data * (s_w[coo.col] - raw[coo.row]) ** 2
        var = np.bincount(coo.row, weights=dev, minlength=x.shape[0]) / n_v
        se = np.sqrt(var / n_v)
    low, high = raw - z * se, raw + z * se

    nan = np.full(len(raw), np.nan)
    res, res_low, res_high = nan, nan, nan
    if scale is not None:
        if scale == "lbg":
            virgin = ~is_ref & np.isfinite(raw)
            if virgin.sum() < 2:
                raise ArgumentError(
                    f"scale='lbg' rescales by the virgin texts' scores and needs at least two of them with scored "
                    f"words; got {int(virgin.sum())} (use scale='mv' or None)"
                )

            def transform(s: np.ndarray) -> np.ndarray:
                return lbg_rescale(s, ref[is_ref], raw[virgin])
        else:

            def transform(s: np.ndarray) -> np.ndarray:
                return mv_rescale(s, ref[is_ref], raw[is_ref])

        res = transform(raw)
        ends = np.stack([transform(low), transform(high)])
        res_low, res_high = ends.min(axis=0), ends.max(axis=0)
    texts = pd.DataFrame({
        "doc_id": ids,
        "reference": ref,
        "n_scored": n_v,
        "score_raw": raw,
        "se": se,
        "low": low,
        "high": high,
        "score_rescaled": res,
        "se_rescaled": (res_high - res_low) / (2 * z),
        "low_rescaled": res_low,
        "high_rescaled": res_high,
        "scale": scale or "none",
    }, columns=WORDSCORES_TEXT_COLUMNS)
    words = pd.DataFrame({
        "term": dtm.terms[scored],
        "score": s_w,
        "count_reference": (ref_counts - float(smooth)).sum(axis=0)[scored],
    }, columns=WORDSCORES_WORD_COLUMNS)
    return WordscoresResult(texts=texts, words=words.reset_index(drop=True), scale=scale or "none",
                            smooth=float(smooth), confidence=float(confidence), preprocessor=dtm.preprocessor)


# --------------------------------------------------------------------------- wordfish


@dataclass(frozen=True)
class WordfishResult:
    """A fitted Wordfish model (Slapin & Proksch 2008).

    Attributes
    ----------
    documents : pandas.DataFrame
        Columns :data:`WORDFISH_DOCUMENT_COLUMNS`, one row per row of the matrix.
    words : pandas.DataFrame
        Columns :data:`WORDFISH_WORD_COLUMNS`, one row per term that occurs.
    direction : tuple of int
        Row positions ``(i, j)`` with ``theta[i] < theta[j]``.
    priors : tuple of float
        Prior standard deviations of ``(alpha, psi, beta, theta)``.
    log_posterior : float
        The penalised log-likelihood at the estimate (without ``Σ log y!``).
    n_iter : int
        Outer iterations run.
    converged : bool
        True when the fit stopped because the log-posterior rose by at most
        ``tol`` in the last round (or fell: quanteda's rule); False when
        ``max_iter`` stopped it.
    preprocessor : str
    """

    documents: pd.DataFrame
    words: pd.DataFrame
    direction: tuple[int, int]
    priors: tuple[float, float, float, float]
    log_posterior: float
    n_iter: int
    converged: bool
    preprocessor: str

    def __repr__(self) -> str:
        state = "converged" if self.converged else "not converged"
        return (f"<WordfishResult {len(self.documents)} documents, {len(self.words)} words, "
                f"{self.n_iter} iterations, {state}>")


def _log_posterior(y: np.ndarray, alpha: np.ndarray, psi: np.ndarray, beta: np.ndarray, theta: np.ndarray,
                   prec: np.ndarray) -> float:
    eta = alpha[:, None] + psi[None, :] + theta[:, None] * beta[None, :]
    penalty = 0.5 * sum(float(p * np.sum(v * v)) for p, v in zip(prec, (alpha, psi, beta, theta)) if p > 0)
    return float(np.sum(y * eta - np.exp(eta))) - penalty


def _newton_pairs(
    y: np.ndarray, offset: np.ndarray, a: np.ndarray, b: np.ndarray, x: np.ndarray,
    prec_a: float, prec_b: float, first_step: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Newton–Raphson for the pairs ``(a_k, b_k)`` of ``log λ_ik = offset_i + a_k + b_k x_i``, all k at once.

    ``y`` is (n, K); each column's pair maximises ``Σ_i (y_ik log λ_ik − λ_ik) −
    prec_a a_k²/2 − prec_b b_k²/2``, stepping until the largest change is at most
    1e-8 or after 10 steps, the first step scaled by ``first_step``: the inner
    loop of quanteda.textmodels' ``wordfish.cpp``, run for every column at once.
    """
    a, b = a.copy(), b.copy()
    active = np.arange(y.shape[1])
    step = first_step
    for _ in range(_INNER_MAX):
        ya = y[:, active]
        lam = np.exp(offset[:, None] + a[active][None, :] + x[:, None] * b[active][None, :])
        resid = ya - lam
        g0 = resid.sum(axis=0) - a[active] * prec_a
        g1 = x @ resid - b[active] * prec_b
        h00 = -lam.sum(axis=0) - prec_a
        h01 = -(x @ lam)
        h11 = -((x * x) @ lam) - prec_b
        det = h00 * h11 - h01 * h01
        da = step * (h11 * g0 - h01 * g1) / det
        db = step * (h00 * g1 - h01 * g0) / det
        a[active] -= da
        b[active] -= db
        change = np.maximum(np.abs(da), np.abs(db))
        active = active[change > _INNER_TOL]
        step = 1.0
        if not len(active):
            break
    return a, b


def _first_left_singular_vector(c: np.ndarray) -> np.ndarray:
    """The left singular vector of ``c`` with the largest singular value (sign arbitrary), from the
    eigenvectors of the smaller Gram matrix: the same vector as an SVD's, at a fraction of its cost."""
    if c.shape[0] <= c.shape[1]:
        return np.linalg.eigh(c @ c.T)[1][:, -1]
    u = c @ np.linalg.eigh(c.T @ c)[1][:, -1]
    return u / np.linalg.norm(u)


def _resolve_dir(dir: Any, ids: np.ndarray) -> tuple[int, int]:
    if isinstance(dir, (str, bytes)) or not hasattr(dir, "__len__") or len(dir) != 2:
        raise ArgumentError(f"dir={dir!r} must be two rows: positions (ints) or doc_ids")
    out = []
    for d in dir:
        if isinstance(d, (int, np.integer)) and not isinstance(d, bool):
            if not -len(ids) <= d < len(ids):
                raise ArgumentError(f"dir={dir!r}: row {d} is outside the matrix' {len(ids)} rows")
            out.append(int(d) % len(ids))
        elif isinstance(d, str):
            hits = np.flatnonzero(ids == d)
            if len(hits) != 1:
                raise ArgumentError(f"dir={dir!r}: {d!r} names {len(hits)} rows of the matrix, not one")
            out.append(int(hits[0]))
        else:
            raise ArgumentError(f"dir={dir!r} must be two rows: positions (ints) or doc_ids")
    if out[0] == out[1]:
        raise ArgumentError(f"dir={dir!r} names the same row twice")
    return out[0], out[1]


def wordfish(
    dtm: DocumentTermMatrix,
    dir: tuple[int | str, int | str] = (0, 1),
    *,
    tol: float = 1e-6,
    max_iter: int = 100,
    priors: tuple[float, float, float, float] = (np.inf, np.inf, 3.0, 1.0),
    confidence: float = 0.95,
) -> WordfishResult:
    """Wordfish: Poisson scaling of texts on one latent dimension.

    The model of Slapin & Proksch (2008): the count of word ``j`` in text
    ``i`` is Poisson with ``log λ_ij = α_i + ψ_j + β_j θ_i``; ``θ_i`` is the
    text's position, ``α_i`` its length effect, ``ψ_j`` the word's frequency
    and ``β_j`` how much it discriminates. The fit is the one of
    quanteda.textmodels' ``textmodel_wordfish`` (Poisson dispersion):

    * start: ``θ`` from the first left singular vector of the χ² residuals
      ``(y − E)/√E`` scaled by ``(n_i/n)^{-1/2}``, ``β = 0``,
      ``α_i = log n_i − log mean(n)``, ``ψ_j = log(n_j / N)``;
    * alternate Newton–Raphson updates of every word's ``(ψ_j, β_j)`` given
      the texts, then of every text's ``(α_i, θ_i)`` given the words, each
      maximising the Poisson log-likelihood plus normal log-priors of
      standard deviations ``priors`` (precision ``1/sd²``; ``inf`` is flat);
      after each round ``α`` is centred (mean 0) and ``θ`` standardised
      (mean 0, standard deviation 1 with ``n − 1``);
    * stop when the log-posterior rises by at most ``tol`` (or falls), or
      after ``max_iter`` rounds; then flip the signs of ``θ`` and ``β`` if
      needed so that ``θ[dir[0]] < θ[dir[1]]``.

    The standard error of ``θ_i`` is from the negative inverse of the 2×2
    Hessian of the text's ``(α_i, θ_i)`` log-posterior at the estimate, the
    word parameters held fixed (as quanteda); ``low, high`` are
    ``θ ± z·se``.

    Parameters
    ----------
    dtm : DocumentTermMatrix
        Counts, one row per text. Terms that never occur are left out;
        texts without any token get NaN.
    dir : tuple of two ints or doc_ids, default=(0, 1)
        Two rows (positions in the matrix, from 0, or their ``doc_id``) with
        ``theta[dir[0]] < theta[dir[1]]`` in the result.
    tol : float, default=1e-6
        Convergence tolerance on the log-posterior.
    max_iter : int, default=100
        Maximum number of outer rounds (quanteda: 100).
    priors : tuple of 4 floats, default=(inf, inf, 3, 1)
        Prior standard deviations of ``alpha, psi, beta, theta`` (quanteda's
        ``priors``).
    confidence : float, default=0.95

    Returns
    -------
    WordfishResult
        ``documents``: ``doc_id, theta, se, low, high, alpha``, one row per
        row of ``dtm`` in its order (``doc_id`` as in :func:`wordscores`);
        ``words``: ``term, beta, psi``, in the matrix' term order.

    Notes
    -----
    Identification follows quanteda: ``mean(α) = 0`` (Slapin & Proksch fix
    ``α_1 = 0`` instead; the two differ by a constant moved between ``α``
    and ``ψ``), ``θ`` has mean 0 and standard deviation 1, and ``dir``
    fixes the sign. The matrix is used dense (texts × occurring terms).
    Only the Poisson model is implemented (no quasi-Poisson dispersion).

    The fit reproduces quanteda's, stopping rule included: the centring and
    standardisation after each round can lower the log-posterior, and the
    fit stops at the first round that does. On small or degenerate data the
    estimate can therefore stop short of the maximum of the penalised
    likelihood under the same identification (on LBG's constructed example
    θ differs from it by up to 0.07; on data simulated from the model, by
    about 0.002). The Newton steps are not damped, as in quanteda; terms
    found in one text only and very short texts can make them diverge, and
    the error then says so.

    References
    ----------
    Slapin, J. B. & Proksch, S.-O. (2008). A scaling model for estimating
    time-series party positions from texts. *American Journal of Political
    Science* 52(3), 705–722.
    Benoit, K. et al. quanteda.textmodels, ``textmodel_wordfish`` and
    ``src/wordfish.cpp``: the algorithm, priors and standard errors followed
    here.

    Examples
    --------
    >>> import framing as fr
    >>> m = fr.dtm(fr.load_corpus(), fr.Preprocessor(), unit="document")
    >>> wf = wordfish(m, dir=(0, 1))
    >>> len(wf.documents) == m.shape[0], list(wf.documents.columns) == WORDFISH_DOCUMENT_COLUMNS
    (True, True)
    >>> bool(wf.documents["theta"].iloc[0] < wf.documents["theta"].iloc[1])
    True
    """
    _check_dtm(dtm, "wordfish")
    if dtm.weighting != "count":
        raise ArgumentError(f"wordfish expects a matrix of counts; this one is weighted ({dtm.weighting})")
    if not isinstance(tol, (int, float)) or not tol > 0:
        raise ArgumentError(f"tol={tol!r} must be a positive number")
    if not isinstance(max_iter, (int, np.integer)) or isinstance(max_iter, bool) or max_iter < 1:
        raise ArgumentError(f"max_iter={max_iter!r} must be a positive integer")
    try:
        prior_sd = np.array([float(p) for p in priors], dtype=float)
    except (TypeError, ValueError):
        raise ArgumentError(f"priors={priors!r} must be four prior standard deviations") from None
    if prior_sd.shape != (4,) or np.isnan(prior_sd).any() or (prior_sd <= 0).any():
        raise ArgumentError(f"priors={priors!r} must be four positive prior standard deviations (inf: flat)")
    z = _z(confidence)
    ids = _row_ids(dtm)
    d0, d1 = _resolve_dir(dir, ids)

    counts = sp.csr_matrix(dtm.matrix)
    if counts.data.size and (counts.data.min() < 0 or np.any(counts.data != np.round(counts.data))):
        raise ArgumentError("wordfish expects non-negative integer counts")
    doc_tot = np.asarray(counts.sum(axis=1)).ravel()
    rows = np.flatnonzero(doc_tot > 0)
    if len(rows) < dtm.shape[0]:
        logger.info("wordfish: %d text(s) without tokens get NaN: %s", dtm.shape[0] - len(rows),
                    ", ".join(map(str, ids[doc_tot == 0][:10])))
    for d in (d0, d1):
        if doc_tot[d] == 0:
            raise ArgumentError(f"dir={dir!r}: row {d} ({ids[d]}) has no tokens")
    counts = counts[rows]
    term_tot = np.asarray(counts.sum(axis=0)).ravel()
    cols = np.flatnonzero(term_tot > 0)
    if len(rows) < 3 or len(cols) < 2:
        raise ArgumentError(
            f"wordfish needs at least three texts with tokens and two terms; got {len(rows)} and {len(cols)}"
        )
    y = counts[:, cols].toarray().astype(float)
    n, k = y.shape
    prec = 1.0 / prior_sd ** 2  # inf -> 0: a flat prior
    p_alpha, p_psi, p_beta, p_theta = prec

    # starting values (wordfish.cpp)
    rsum, csum = y.sum(axis=1), y.sum(axis=0)
    total = rsum.sum()
    expected = np.outer(rsum, csum) / total
    theta = (rsum / total) ** -0.5 * _first_left_singular_vector((y - expected) / np.sqrt(expected))
    theta = (theta - theta.mean()) / theta.std(ddof=1)
    alpha = np.log(rsum) - np.log(rsum.mean())
    psi = np.log(csum / n)
    beta = np.zeros(k)

    lp = _log_posterior(y, alpha, psi, beta, theta, prec)
    last = -np.inf
    n_iter = 0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        while lp - last > tol and n_iter < max_iter:
            n_iter += 1
            first = 0.5 if n_iter == 1 else 1.0
            psi, beta = _newton_pairs(y, alpha, psi, beta, theta, p_psi, p_beta, first)
            a, t = _newton_pairs(y.T, psi, alpha, theta, beta, p_alpha, p_theta, first)
            alpha = a - a.mean()
            theta = (t - t.mean()) / t.std(ddof=1)
            last, lp = lp, _log_posterior(y, alpha, psi, beta, theta, prec)
    if not (np.isfinite(lp) and np.all(np.isfinite(theta)) and np.all(np.isfinite(beta))):
        shortest = int(rsum.min())
        once = int(np.sum((y > 0).sum(axis=0) == 1))
        raise ArgumentError(
            f"wordfish did not converge: the Newton steps overflowed in round {n_iter}. Terms found in a single "
            f"text ({once} here) and short texts (the shortest has {shortest} tokens) make them diverge: "
            "trim the matrix (dtm.trim(min_docs=2)) or scale longer units"
        )
    converged = bool(lp - last <= tol)
    if not converged:
        logger.warning("wordfish stopped after max_iter=%d rounds without converging (tol=%g)", max_iter, tol)

    pos = {r: i for i, r in enumerate(rows)}
    if theta[pos[d0]] > theta[pos[d1]]:
        theta, beta = -theta, -beta

    lam = np.exp(alpha[:, None] + psi[None, :] + theta[:, None] * beta[None, :])
    h00 = -lam.sum(axis=1) - p_alpha
    h01 = -(lam @ beta)
    h11 = -(lam @ (beta * beta)) - p_theta
    se = np.sqrt(-h00 / (h00 * h11 - h01 * h01))

    full = np.full((4, dtm.shape[0]), np.nan)
    full[0, rows], full[1, rows], full[2, rows] = theta, se, alpha
    documents = pd.DataFrame({
        "doc_id": ids,
        "theta": full[0],
        "se": full[1],
        "low": full[0] - z * full[1],
        "high": full[0] + z * full[1],
        "alpha": full[2],
    }, columns=WORDFISH_DOCUMENT_COLUMNS)
    words = pd.DataFrame({"term": dtm.terms[cols], "beta": beta, "psi": psi}, columns=WORDFISH_WORD_COLUMNS)
    return WordfishResult(
        documents=documents, words=words, direction=(d0, d1),
        priors=tuple(float(p) for p in prior_sd),  # type: ignore[arg-type]
        log_posterior=lp, n_iter=n_iter, converged=converged, preprocessor=dtm.preprocessor,
    )
