"""Frame prevalence corrected for the measure's validated error.

A dictionary or classifier that misses a third of a frame's paragraphs and
flags some that do not carry it gives shares that are biased, and biased
differently in groups where the frame is common and where it is rare.
Adjusted classify-and-count (Forman 2008; the "ACC" of Hopkins & King 2010
and of the quantification literature) inverts the error:

    corrected = (observed - fpr) / (tpr - fpr),   clipped to [0, 1]

where ``tpr`` (recall) and ``fpr`` (false-positive rate) come from coded
units. The interval resamples both things that were sampled: the documents
of the group (for the observed share) and the coded documents (for the
error rates), so the validation's uncertainty is carried into the estimate.
When ``tpr - fpr`` is small the correction is unstable; rows say so.
"""

from __future__ import annotations

from collections.abc import Sequence
import numpy as np
import pandas as pd

from framing.base.errors import ArgumentError, check_option
from framing.base.grouping import group_labels, resolve_by
from framing.base.resample import bootstrap_weights
from framing.measures.frames.classifier import check_coded
from framing.measures.frames.matching import FrameResult

__all__ = ["corrected_salience", "adjusted_count", "PREVALENCE_COLUMNS"]

PREVALENCE_COLUMNS = [
    "group", "frame", "units", "docs", "observed", "observed_low", "observed_high",
    "corrected", "corrected_low", "corrected_high", "tpr", "fpr", "validation_units", "validation_docs",
    "unstable", "method",
]


def adjusted_count(observed: np.ndarray | float, tpr: np.ndarray | float, fpr: np.ndarray | float) -> np.ndarray:
    """Forman's adjusted classify-and-count, clipped to [0, 1] (NaN where ``tpr <= fpr``).

    >>> round(float(adjusted_count(0.4, 0.8, 0.1)), 6)   # (0.4 - 0.1) / (0.8 - 0.1)
    0.428571
    """
    observed, tpr, fpr = (np.asarray(x, dtype=float) for x in (observed, tpr, fpr))
    denom = tpr - fpr
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(denom > 0, (observed - fpr) / np.where(denom > 0, denom, 1.0), np.nan)
    return np.clip(out, 0.0, 1.0)


def _rates(t: np.ndarray, p: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    pos, neg = (w * t).sum(), (w * ~t).sum()
    tpr = (w * (t & p)).sum() / pos if pos else np.nan
    fpr = (w * (~t & p)).sum() / neg if neg else np.nan
    return tpr, fpr


def corrected_salience(
    result: FrameResult,
    coded: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    frames: Sequence[str] | None = None,
    predictions: pd.DataFrame | None = None,
    scope: str = "all",
    stance: str | Sequence[str] | None = None,
    n_boot: int = 2000,
    confidence: float = 0.95,
    random_state: int | None = 0,
) -> pd.DataFrame:
    """Share of paragraphs carrying each frame per group: observed and corrected for measurement error.

    Parameters
    ----------
    result : FrameResult
        The dictionary's hits (a paragraph carries a frame with one hit or
        more, of the given ``stance``).
    coded : DataFrame
        Coded paragraphs (``unit_id``, one 0/1 column per frame), ideally
        ones the measure was not developed on: they give its error rates.
    by : str, list of str or None
        The groups; None: the corpus' grouping.
    frames : sequence of str or None
        Frames to correct; None: the codebook's frames present in ``coded``.
    predictions : DataFrame or None
        Instead of the dictionary: a classifier's predictions
        (:meth:`FrameClassifier.predict`, ``unit_id`` and 0/1 frame columns)
        for every paragraph; its error rates must then come from units it
        was not trained on (:func:`cross_validate_frames`).
    scope : {'all', 'paragraph', 'sentence'}
    stance : str, list of str or None
    n_boot : int, default=2000
    confidence : float, default=0.95
    random_state : int or None, default=0

    Returns
    -------
    pandas.DataFrame
        :data:`PREVALENCE_COLUMNS`: per group and frame the ``observed``
        share and the ``corrected`` one with percentile intervals from a
        bootstrap over the group's documents and the coded documents;
        ``tpr``, ``fpr`` and the validation's size; ``unstable`` where
        ``tpr - fpr < 0.2``.
    """
    if not isinstance(result, FrameResult):
        raise ArgumentError(f"expected a FrameResult from detect_frames, got {type(result).__name__}")
    check_option("scope", scope, ("all", "paragraph", "sentence"))
    if not isinstance(n_boot, int) or n_boot < 10:
        raise ArgumentError(f"n_boot={n_boot!r} must be an integer of at least 10")
    hits, _, units = result.hits_matrix(scope, stance)
    all_ids = result.units["unit_id"].astype(str).tolist()
    wanted = frames if frames is not None else [f for f in result.codebook.frame_ids if f in coded.columns]
    table, frames = check_coded(coded, all_ids, wanted, unit="paragraph", min_positives=1)
    ids = units["unit_id"].astype(str).tolist()
    if not result.headings:  # the measure does not apply to headings: they validate nothing
        heading = set(result.units.loc[result.units["is_heading"].to_numpy(dtype=bool), "unit_id"].astype(str))
        table = table[~table["unit_id"].isin(heading)]
    if predictions is None:
        pred_all = pd.DataFrame(hits > 0, columns=result.codebook.frame_ids, index=ids)
        full_hits, _, full_units = result.hits_matrix("all", stance)
        pred_full = pd.DataFrame(full_hits > 0, columns=result.codebook.frame_ids,
                                 index=full_units["unit_id"].astype(str))
        method = "dictionary"
    else:
        if "unit_id" not in predictions.columns:
            raise ArgumentError("predictions: no 'unit_id' column")
        pred_full = predictions.set_index(predictions["unit_id"].astype(str))
        missing = [f for f in frames if f not in pred_full.columns]
        if missing:
            raise ArgumentError(f"predictions: no column for frame(s) {', '.join(missing)}")
        absent = [u for u in ids if u not in pred_full.index]
        if absent:
            raise ArgumentError(f"predictions: paragraph {absent[0]!r} has no prediction ({len(absent)} missing)")
        pred_all = pred_full.loc[ids, frames].astype(bool)
        method = "classifier"
    codes, labels = group_labels(units, resolve_by(by, result.group_by))
    keys = pd.Series([labels[c] for c in codes], index=units.index, dtype=object)
    doc_of = dict(zip(result.units["unit_id"].astype(str), result.units["doc_id"].astype(str)))
    rng = np.random.default_rng(random_state)
    tail = (1 - confidence) / 2
    # validation: the coded units, resampled by document
    vdocs_all = table["unit_id"].map(doc_of).to_numpy()
    out = []
    vrates: dict[str, tuple[np.ndarray, np.ndarray, float, float, int, int]] = {}
    for f in frames:
        known = table[f].notna().to_numpy()
        t = table.loc[known, f].to_numpy(dtype=float) == 1
        p = pred_full.loc[table.loc[known, "unit_id"], f].to_numpy(dtype=bool)
        vd = pd.Index(pd.unique(vdocs_all[known]))
        di = vd.get_indexer(vdocs_all[known])
        w = bootstrap_weights(rng, len(vd), n_boot)[:, di]
        reps = np.array([_rates(t, p, wi) for wi in w])
        tpr, fpr = _rates(t, p, np.ones(len(t)))
        vrates[f] = (reps[:, 0], reps[:, 1], tpr, fpr, int(known.sum()), len(vd))
    for g in dict.fromkeys(keys):
        idx = np.flatnonzero((keys == g).to_numpy())
        gdocs = np.array([doc_of[ids[i]] for i in idx])
        dindex = pd.Index(pd.unique(gdocs))
        di = dindex.get_indexer(gdocs)
        wd = bootstrap_weights(rng, len(dindex), n_boot)[:, di]  # documents resampled, their paragraphs with them
        for f in frames:
            obs_units = pred_all.iloc[idx][f].to_numpy(dtype=float)
            observed = obs_units.mean() if len(idx) else np.nan
            with np.errstate(divide="ignore", invalid="ignore"):
                obs_reps = (wd @ obs_units) / wd.sum(1)
            tpr_r, fpr_r, tpr, fpr, nv, ndv = vrates[f]
            corr_reps = adjusted_count(obs_reps, tpr_r, fpr_r)
            lo, hi = (np.nanquantile(corr_reps, [tail, 1 - tail]) if np.isfinite(corr_reps).any() else (np.nan, np.nan))
            olo, ohi = np.nanquantile(obs_reps, [tail, 1 - tail]) if len(idx) else (np.nan, np.nan)
            out.append({
                "group": g, "frame": f, "units": len(idx), "docs": len(dindex),
                "observed": observed, "observed_low": olo, "observed_high": ohi,
                "corrected": float(adjusted_count(observed, tpr, fpr)), "corrected_low": lo, "corrected_high": hi,
                "tpr": tpr, "fpr": fpr, "validation_units": nv, "validation_docs": ndv,
                "unstable": bool(not (tpr - fpr >= 0.2)), "method": method,
            })
    return pd.DataFrame(out, columns=PREVALENCE_COLUMNS)
