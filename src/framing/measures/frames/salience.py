"""Frame salience by group, with uncertainty; differences, distances, co-occurrence, tone.

Every estimate is computed from the paragraphs of a :class:`FrameResult`, and
its interval from resampling those paragraphs within their group (seeded),
so the tables say how stable an estimate is within these texts. Where a group
rests on one document, the tables say so: an interval over one document's
paragraphs says nothing about other documents of its kind.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import Any, Literal

import numpy as np
import pandas as pd


from framing.base.errors import ArgumentError, check_option
from framing.base.grouping import group_labels, resolve_by
from framing.base.resample import adjust_pvalues, dominance, permutation_p, relabel_documents, two_stage_weights
from framing.measures.frames.matching import FrameResult
from framing.measures.frames.stance import STANCES

__all__ = [
    "frame_salience",
    "frame_differences",
    "frame_distance",
    "frame_cooccurrence",
    "frame_tone",
    "stance_composition",
    "document_salience",
    "SALIENCE_COLUMNS",
    "DOCUMENT_COLUMNS",
]

SALIENCE_COLUMNS = [
    "group", "frame", "hits", "tokens", "units", "units_with_frame", "docs",
    "per_1000", "per_1000_low", "per_1000_high",
    "share_units", "share_units_low", "share_units_high",
    "share_hits", "share_hits_low", "share_hits_high",
    "single_document", "dominant_document", "dominant_share", "effective_docs", "interval",
    "share_units_loo_min", "share_units_loo_max",
    "scope", "stance", "codebook", "preprocessor",
]
DOCUMENT_COLUMNS = ["group", "doc_id", "frame", "units", "units_with_frame", "hits", "tokens", "share_units", "per_1000"]
Scope = Literal["all", "paragraph", "sentence"]


def _groups(units: pd.DataFrame, by: str | Sequence[str] | None, default: str | None) -> tuple[np.ndarray, list[str]]:
    """by=None: the result's own grouping; by=(): one group 'all'."""
    return group_labels(units, resolve_by(by, default))


def _check_result(result: Any) -> FrameResult:
    if not isinstance(result, FrameResult):
        raise ArgumentError(f"expected the FrameResult of detect_frames, got {type(result).__name__}")
    return result


def frame_salience(
    result: FrameResult,
    by: str | Sequence[str] | None = None,
    *,
    scope: Scope = "all",
    stance: str | Sequence[str] | None = None,
    n_boot: int = 1000,
    confidence: float = 0.95,
    random_state: int | None = 0,
) -> pd.DataFrame:
    """How much each group uses each frame, with bootstrap intervals.

    Parameters
    ----------
    result : FrameResult
    by : str, list of str, or None
        Metadata column(s) of the paragraphs; None uses the corpus' grouping
        (``source_type`` for the bundled corpus). Several columns give one
        group per combination, labelled ``"official | 2025"``.
    scope : {'all', 'paragraph', 'sentence'}, default='all'
        ``'paragraph'``: only paragraphs that mention the subject (Hong
        Kong); ``'sentence'``: only hits in, and tokens of, sentences that
        mention it. Role frames are about Hong Kong's role, so the narrower
        scopes check that a frame is applied to the city.
    stance : str, list of str or None, default=None
        Count only hits of these stances (``'affirmed'``: passages that
        hold the frame as true now, not past, denied, hypothetical or
        reported); None counts every hit. See :func:`stance_composition`.
    n_boot : int, default=1000
    confidence : float, default=0.95
    random_state : int or None, default=0

    Returns
    -------
    pandas.DataFrame
        :data:`SALIENCE_COLUMNS`, one row per group and frame:

        - ``hits``, ``tokens``, ``units`` (paragraphs), ``units_with_frame``,
          ``docs``: the counts behind every estimate;
        - ``per_1000``: hits per 1,000 tokens;
        - ``share_units``: share of the group's paragraphs carrying the frame;
        - ``share_hits``: the frame's share of the group's frame hits;
        - ``*_low``, ``*_high``: percentile intervals from a two-stage
          bootstrap: the group's documents resampled, then the paragraphs
          of every drawn document (``interval='documents'``); a group of
          one document can only resample its paragraphs, and says so
          (``interval='within-document'``): that interval is about this
          text, not about its source type;
        - ``single_document``: True where the group rests on one document;
          ``dominant_document``, ``dominant_share``: the document with most
          of the group's hits of the frame and its share of them;
          ``effective_docs``: ``(Σh)²/Σh²`` over the documents' hits (Kish),
          1 when one document carries the frame whatever the group's size;
        - ``share_units_loo_min``, ``share_units_loo_max``: the lowest and
          highest share when each of the group's documents is left out in
          turn (NaN for a group of one document). :func:`document_salience`
          gives every document's own share.
    """
    result = _check_result(result)
    check_option("scope", scope, ("all", "paragraph", "sentence"))
    if not isinstance(n_boot, int) or n_boot < 10:
        raise ArgumentError(f"n_boot={n_boot!r} must be an integer of at least 10")
    if not 0 < confidence < 1:
        raise ArgumentError(f"confidence={confidence!r} must lie in (0, 1)")
    hits, tokens, units = result.hits_matrix(scope, stance)
    rows_group, labels = _groups(units, by, result.group_by)
    frames = result.codebook.frame_ids
    rng = np.random.default_rng(random_state)
    tail = (1 - confidence) / 2
    doc_codes, doc_names = pd.factorize(units["doc_id"])
    out = []
    for gi, g in enumerate(labels):
        idx = np.flatnonzero(rows_group == gi)
        h, t = hits[idx], tokens[idx]
        carries = (h > 0).astype(float)
        n = len(idx)
        total_hits = h.sum()
        point = {
            "per_1000": 1000 * h.sum(0) / max(t.sum(), 1.0),
            "share_units": carries.mean(0) if n else np.zeros(len(frames)),
            "share_hits": h.sum(0) / total_hits if total_hits else np.zeros(len(frames)),
        }
        w = two_stage_weights(rng, doc_codes[idx], n_boot)
        wh, wt, wc = w @ h, w @ t, w @ carries
        n_w = np.maximum(w.sum(1), 1.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            reps = {
                "per_1000": 1000 * wh / np.where(wt > 0, wt, np.nan)[:, None],
                "share_units": wc / n_w[:, None],
                "share_hits": wh / np.where(wh.sum(1) > 0, wh.sum(1), np.nan)[:, None],
            }
        docs = units.loc[idx, "doc_id"].nunique()
        gdocs, ginv = np.unique(doc_codes[idx], return_inverse=True)
        per_doc = np.zeros((len(gdocs), len(frames)))
        np.add.at(per_doc, ginv, h)
        doc_units = np.bincount(ginv, minlength=len(gdocs)).astype(float)
        doc_carry = np.zeros((len(gdocs), len(frames)))
        np.add.at(doc_carry, ginv, carries)
        with np.errstate(divide="ignore", invalid="ignore"):
            loo = (doc_carry.sum(0) - doc_carry) / (n - doc_units)[:, None] if len(gdocs) >= 2 else None
        for fi, f in enumerate(frames):
            top, share, effective = dominance(per_doc[:, fi])
            row: dict[str, Any] = {
                "group": g, "frame": f, "hits": int(h[:, fi].sum()), "tokens": int(t.sum()), "units": n,
                "units_with_frame": int(carries[:, fi].sum()), "docs": int(docs),
                "dominant_document": str(doc_names[gdocs[top]]) if top >= 0 else "",
                "dominant_share": share, "effective_docs": effective,
                "interval": "documents" if docs >= 2 else "within-document",
                "share_units_loo_min": float(np.nanmin(loo[:, fi])) if loo is not None else np.nan,
                "share_units_loo_max": float(np.nanmax(loo[:, fi])) if loo is not None else np.nan,
            }
            for key in ("per_1000", "share_units", "share_hits"):
                col = reps[key][:, fi]
                col = col[~np.isnan(col)]
                row[key] = float(point[key][fi])
                row[f"{key}_low"], row[f"{key}_high"] = (
                    (float(np.quantile(col, tail)), float(np.quantile(col, 1 - tail))) if len(col) else (np.nan, np.nan)
                )
            out.append(row)
    table = pd.DataFrame(out)
    table["single_document"] = table["docs"] == 1
    table["scope"] = scope
    table["stance"] = "all" if stance is None else (stance if isinstance(stance, str) else "+".join(stance))
    table["codebook"] = result.codebook.version_id
    table["preprocessor"] = result.preprocessor
    return table[SALIENCE_COLUMNS]


def document_salience(result: FrameResult, by: str | Sequence[str] | None = None, *, scope: Scope = "all",
                      stance: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Every document's own counts and shares: the evidence inside a group's estimate.

    Returns
    -------
    pandas.DataFrame
        :data:`DOCUMENT_COLUMNS`, one row per document and frame, documents
        in corpus order within their group.
    """
    result = _check_result(result)
    check_option("scope", scope, ("all", "paragraph", "sentence"))
    hits, tokens, units = result.hits_matrix(scope, stance)
    rows_group, labels = _groups(units, by, result.group_by)
    frames = result.codebook.frame_ids
    out = []
    for gi, g in enumerate(labels):
        in_group = rows_group == gi
        for d in pd.unique(units.loc[in_group, "doc_id"]):
            idx = np.flatnonzero(in_group & (units["doc_id"] == d).to_numpy())
            h, t = hits[idx], tokens[idx]
            for fi, f in enumerate(frames):
                out.append({"group": g, "doc_id": d, "frame": f, "units": len(idx),
                            "units_with_frame": int((h[:, fi] > 0).sum()), "hits": int(h[:, fi].sum()),
                            "tokens": int(t.sum()), "share_units": float((h[:, fi] > 0).mean()) if len(idx) else np.nan,
                            "per_1000": 1000 * float(h[:, fi].sum()) / max(float(t.sum()), 1.0)})
    return pd.DataFrame(out, columns=DOCUMENT_COLUMNS)


def stance_composition(result: FrameResult, by: str | Sequence[str] | None = None, *,
                       scope: Scope = "all") -> pd.DataFrame:
    """How each group holds each frame: its hits by stance (and side).

    Returns
    -------
    pandas.DataFrame
        One row per group, frame and stance (``affirmed, negated, past,
        hypothetical, attributed``): ``hits``, ``share`` of the group's hits
        of that frame, ``units`` (paragraphs with at least one such hit) and
        ``docs`` (documents they come from). Every count leads back to rows
        of ``result.evidence``.
    """
    result = _check_result(result)
    check_option("scope", scope, ("all", "paragraph", "sentence"))
    _, _, units = result.hits_matrix(scope)
    ev = result.evidence
    ev = ev[ev["unit_id"].isin(set(units["unit_id"]))]
    if scope == "sentence":
        ev = ev[ev["subject_in_sentence"]]
    rows_group, labels = _groups(units, by, result.group_by)
    group_of = dict(zip(units["unit_id"], (labels[i] for i in rows_group)))
    ev = ev.assign(_group=ev["unit_id"].map(group_of))
    out = []
    for g in labels:
        eg = ev[ev["_group"] == g]
        for f in result.codebook.frame_ids:
            ef = eg[eg["frame"] == f]
            for st in STANCES:
                es = ef[ef["stance"] == st]
                out.append({"group": g, "frame": f, "stance": st, "hits": len(es),
                            "share": len(es) / len(ef) if len(ef) else np.nan,
                            "units": es["unit_id"].nunique(), "docs": es["doc_id"].nunique()})
    table = pd.DataFrame(out)
    table["scope"] = scope
    table["codebook"] = result.codebook.version_id
    return table


def frame_differences(
    result: FrameResult,
    by: str | None = None,
    *,
    measure: Literal["share_units", "per_1000"] = "share_units",
    scope: Scope = "all",
    stance: str | Sequence[str] | None = None,
    level: Literal["document", "unit"] = "document",
    n_perm: int = 5000,
    min_assignments: int = 20,
    adjust: Literal["bh", "bonferroni", "holm"] | None = "bh",
    random_state: int | None = 0,
) -> pd.DataFrame:
    """Pairwise differences between groups, frame by frame, with permutation tests.

    For each pair of groups and each frame, the difference of ``measure``
    (group a minus group b) and a two-sided permutation p-value,
    ``p = (1 + #|d*| ≥ |d|) / (1 + n_perm)`` (exact enumeration when there
    are fewer distinct relabellings than ``n_perm``: ``p = #|d*| ≥ |d| / N``).

    ``level='document'`` (the default) relabels whole documents: it asks
    whether the *groups* differ, the question a comparison of source types
    asks. It needs documents to relabel: when a group has fewer than two
    documents, or the two groups' documents allow fewer than
    ``min_assignments`` relabellings (so that no p-value could fall below
    ``1 / min_assignments``), no p-value is given and ``test`` says why: the
    difference is then between these documents. ``level='unit'`` relabels
    paragraphs: it asks whether these *texts* differ, and rejects far too
    often as a test of groups whose documents vary.

    ``p_adj`` controls the false discovery rate across the whole table
    (Benjamini & Hochberg 1995 by default). ``stance`` counts only hits of
    that stance, as in :func:`frame_salience`.

    Returns
    -------
    pandas.DataFrame
        ``group_a, group_b, frame, value_a, value_b, difference, p, p_adj,
        test, loo_holds, loo_docs, units_a, units_b, docs_a, docs_b,
        single_document, level, measure, scope``. ``loo_holds``: whether
        the difference keeps its sign when each document of a group with
        two or more documents is left out in turn (``loo_docs`` of them);
        NaN when no document can be left out (both groups are single
        documents): the finding is then untestable this way.
    """
    result = _check_result(result)
    check_option("measure", measure, ("share_units", "per_1000"))
    check_option("level", level, ("document", "unit"))
    if not isinstance(n_perm, int) or n_perm < 100:
        raise ArgumentError(f"n_perm={n_perm!r} must be an integer of at least 100")
    hits, tokens, units = result.hits_matrix(scope, stance)
    doc_codes = pd.factorize(units["doc_id"])[0]
    rows_group, labels = _groups(units, by, result.group_by)
    frames = result.codebook.frame_ids
    value = (hits > 0).astype(float) if measure == "share_units" else hits
    rng = np.random.default_rng(random_state)

    def stat(mask_a: np.ndarray, v: np.ndarray, t: np.ndarray) -> np.ndarray:
        # mask_a: (..., n) of 0/1; returns (..., frames)
        mask_b = 1.0 - mask_a
        if measure == "share_units":
            return (mask_a @ v) / mask_a.sum(-1, keepdims=True) - (mask_b @ v) / mask_b.sum(-1, keepdims=True)
        return 1000 * ((mask_a @ v) / (mask_a @ t)[..., None] - (mask_b @ v) / (mask_b @ t)[..., None])

    out = []
    for ga, gb in combinations(range(len(labels)), 2):
        idx = np.flatnonzero((rows_group == ga) | (rows_group == gb))
        v, t = value[idx], tokens[idx]
        is_a = rows_group[idx] == ga
        observed = stat(is_a.astype(float), v, t)
        docs_a = np.unique(doc_codes[idx[is_a]]).size
        docs_b = np.unique(doc_codes[idx[~is_a]]).size
        p, test = _permutation_p(level, is_a, doc_codes[idx], v, t, stat, observed, docs_a, docs_b, n_perm,
                                 min_assignments, rng)
        holds, tried = _leave_one_out(is_a, doc_codes[idx], v, t, stat, observed)
        for fi, f in enumerate(frames):
            if measure == "share_units":
                a_val, b_val = v[is_a, fi].mean(), v[~is_a, fi].mean()
            else:
                a_val = 1000 * v[is_a, fi].sum() / max(t[is_a].sum(), 1)
                b_val = 1000 * v[~is_a, fi].sum() / max(t[~is_a].sum(), 1)
            out.append({
                "group_a": labels[ga], "group_b": labels[gb], "frame": f, "value_a": float(a_val),
                "value_b": float(b_val), "difference": float(observed[fi]), "p": float(p[fi]), "test": test,
                "loo_holds": holds[fi], "loo_docs": tried,
                "units_a": int(is_a.sum()), "units_b": int((~is_a).sum()), "docs_a": int(docs_a), "docs_b": int(docs_b),
            })
    cols = ["group_a", "group_b", "frame", "value_a", "value_b", "difference", "p", "p_adj", "test", "loo_holds",
            "loo_docs", "units_a", "units_b", "docs_a", "docs_b", "single_document", "level", "measure", "scope"]
    if not out:  # fewer than two groups
        return pd.DataFrame(columns=cols)
    table = pd.DataFrame(out)
    table["p_adj"] = adjust_pvalues(table["p"].to_numpy(dtype=float), adjust)
    table["single_document"] = (table["docs_a"] == 1) | (table["docs_b"] == 1)
    table["level"] = level
    table["measure"] = measure
    table["scope"] = scope
    return table[cols]


def _leave_one_out(is_a: np.ndarray, docs: np.ndarray, v: np.ndarray, t: np.ndarray, stat: Any,
                   observed: np.ndarray) -> tuple[np.ndarray, int]:
    """Per frame: does the difference keep its sign without each document of a multi-document group?"""
    masks = []
    for side in (is_a, ~is_a):
        side_docs = np.unique(docs[side])
        if len(side_docs) < 2:
            continue
        masks += [docs != d for d in side_docs]
    if not masks:
        return np.full(len(observed), np.nan), 0
    same = np.ones(len(observed), dtype=bool)
    for keep in masks:
        with np.errstate(divide="ignore", invalid="ignore"):
            d = stat(is_a[keep].astype(float), v[keep], t[keep])
        same &= np.sign(d) == np.sign(observed)
    return same.astype(float), len(masks)


def _permutation_p(level: str, is_a: np.ndarray, docs: np.ndarray, v: np.ndarray, t: np.ndarray, stat: Any,
                   observed: np.ndarray, docs_a: int, docs_b: int, n_perm: int, min_assignments: int,
                   rng: np.random.Generator) -> tuple[np.ndarray, str]:
    """Two-sided permutation p-values of one pair of groups, and how they were obtained."""
    if level == "unit":
        perms = np.argsort(rng.random((n_perm, len(is_a))), axis=1) < is_a.sum()
        null = stat(perms.astype(float), v, t)
        return permutation_p(null, observed, False), f"paragraphs relabelled ({n_perm} draws): do these texts differ"
    codes, local = np.unique(docs, return_inverse=True)
    doc_is_a = np.zeros(len(codes), dtype=bool)
    doc_is_a[local[is_a]] = True
    masks, exact, why = relabel_documents(rng, doc_is_a, n_perm, min_assignments)
    if masks is None:
        return np.full(len(observed), np.nan), why
    null = stat(masks[:, local].astype(float), v, t)
    return permutation_p(null, observed, exact), why


def frame_distance(result: FrameResult, by: str | None = None, *, scope: Scope = "all") -> pd.DataFrame:
    """Jensen–Shannon distance between groups' frame profiles.

    A group's profile is the share of its frame hits that falls on each frame;
    the distance (base 2, so between 0 and 1) is scipy's
    ``spatial.distance.jensenshannon``.

    Returns
    -------
    pandas.DataFrame
        ``group_a, group_b, js_distance, hits_a, hits_b``.
    """
    from scipy.spatial.distance import jensenshannon  # where used, like scipy.stats

    result = _check_result(result)
    hits, _, units = result.hits_matrix(scope)
    rows_group, labels = _groups(units, by, result.group_by)
    profiles = np.vstack([hits[rows_group == g].sum(0) for g in range(len(labels))])
    out = []
    for a, b in combinations(range(len(labels)), 2):
        pa, pb = profiles[a], profiles[b]
        d = float(jensenshannon(pa, pb, base=2)) if pa.sum() and pb.sum() else np.nan
        out.append({"group_a": labels[a], "group_b": labels[b], "js_distance": d,
                    "hits_a": int(pa.sum()), "hits_b": int(pb.sum())})
    return pd.DataFrame(out)


def frame_cooccurrence(result: FrameResult, by: str | None = None, *, scope: Scope = "all") -> pd.DataFrame:
    """Which frames travel together in the same paragraph, by group.

    Returns
    -------
    pandas.DataFrame
        One row per group and ordered pair of frames: ``group, frame_a,
        frame_b, units, n_a, n_b, n_both, jaccard, p_b_given_a``
        (``jaccard = n_both / (n_a + n_b − n_both)``; ``p_b_given_a`` the share
        of paragraphs carrying frame a that also carry frame b). The diagonal
        (a = b) holds each frame's own paragraph count.
    """
    result = _check_result(result)
    hits, _, units = result.hits_matrix(scope)
    rows_group, labels = _groups(units, by, result.group_by)
    frames = result.codebook.frame_ids
    out = []
    for gi, g in enumerate(labels):
        c = (hits[rows_group == gi] > 0).astype(int)
        both = c.T @ c
        n = c.sum(0)
        for i, fa in enumerate(frames):
            for j, fb in enumerate(frames):
                union = n[i] + n[j] - both[i, j]
                out.append({
                    "group": g, "frame_a": fa, "frame_b": fb, "units": int(c.shape[0]), "n_a": int(n[i]),
                    "n_b": int(n[j]), "n_both": int(both[i, j]),
                    "jaccard": float(both[i, j] / union) if union else np.nan,
                    "p_b_given_a": float(both[i, j] / n[i]) if n[i] else np.nan,
                })
    return pd.DataFrame(out)


def frame_tone(
    result: FrameResult,
    by: str | None = None,
    *,
    scope: Scope = "all",
    n_boot: int = 1000,
    confidence: float = 0.95,
    random_state: int | None = 0,
) -> pd.DataFrame:
    """The tone of the sentences that carry each frame, by group.

    Each sentence carrying a frame is scored once per frame with VADER
    (Hutto & Gilbert 2014; the lexicon ships with the vaderSentiment
    package). VADER was built for social media: in formal policy prose most
    sentences score near neutral, institutional praise ("world-class",
    "leading") reads as positive and diplomatic understatement is missed, so
    read differences between groups, not levels, and check the sentences.

    Returns
    -------
    pandas.DataFrame
        ``group, frame, sentences, docs, mean_compound, low, high, interval,
        share_positive, share_negative``: the mean compound score (−1 to 1)
        with a two-stage bootstrap interval (the group's documents, then
        their sentences; within one document when the group has one, as
        ``interval`` says), and the shares of sentences above 0.05 and below
        −0.05 (VADER's conventional thresholds).
    """
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    result = _check_result(result)
    ev = result.evidence
    if scope == "sentence":
        ev = ev[ev["subject_in_sentence"]]
    elif scope == "paragraph":
        keep = set(result.units.loc[result.units["mentions_subject"], "unit_id"])
        ev = ev[ev["unit_id"].isin(keep)]
    pairs = ev.drop_duplicates(["sentence_id", "frame"])
    analyzer = SentimentIntensityAnalyzer()
    score = {s: analyzer.polarity_scores(result.sentences.loc[s, "text"])["compound"] for s in pairs["sentence_id"].unique()}
    pairs = pairs.assign(compound=pairs["sentence_id"].map(score))
    units = result.units.set_index("unit_id")
    by = by if by is not None else result.group_by
    if by is None:
        pairs = pairs.assign(_g="all")
    else:
        if by not in units.columns:
            raise ArgumentError(f"by={by!r} is not a metadata column")
        pairs = pairs.assign(_g=pairs["unit_id"].map(units[by]).astype(str))
    rng = np.random.default_rng(random_state)
    tail = (1 - confidence) / 2
    out = []
    for (g, f), grp in pairs.groupby(["_g", "frame"], sort=False):
        x = grp["compound"].to_numpy()
        docs = pd.factorize(grp["doc_id"])[0]
        w = two_stage_weights(rng, docs, n_boot)
        reps = (w @ x) / np.maximum(w.sum(1), 1.0)
        n_docs = int(docs.max()) + 1 if len(docs) else 0
        out.append({
            "group": g, "frame": f, "sentences": len(x), "docs": n_docs, "mean_compound": float(x.mean()),
            "low": float(np.quantile(reps, tail)), "high": float(np.quantile(reps, 1 - tail)),
            "interval": "documents" if n_docs >= 2 else "within-document",
            "share_positive": float((x >= 0.05).mean()), "share_negative": float((x <= -0.05).mean()),
        })
    return pd.DataFrame(out, columns=["group", "frame", "sentences", "docs", "mean_compound", "low", "high", "interval",
                                      "share_positive", "share_negative"])
