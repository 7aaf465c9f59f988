"""Validating a dictionary against human reading (Grimmer & Stewart 2013).

The loop: draw a stratified sample of paragraphs into a coding sheet
(:func:`coding_sheet`); two or more coders fill in one column per frame (1 if
the paragraph carries the frame, 0 if not); :func:`reliability` measures how
far the coders agree (Krippendorff's alpha, Cohen's kappa); :func:`validate`
scores the dictionary against the coders' consensus (precision, recall, F1).
No human codes ship with the toolkit: the bundled codebook awaits them.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from framing.base.errors import ArgumentError, check_option
from framing.base.grouping import resolve_by
from framing.base.io import atomic_write, csv_bytes
from framing.measures.frames.stance import STANCES

if TYPE_CHECKING:  # pragma: no cover
    from framing.measures.frames.codebook import Codebook
    from framing.corpus.model import Corpus
    from framing.measures.frames.matching import FrameResult

__all__ = ["coding_sheet", "coding_instructions", "krippendorff_alpha", "cohen_kappa", "reliability", "consensus",
           "validate", "validate_stance"]

Metric = Literal["nominal", "ordinal", "interval", "ratio"]


# --------------------------------------------------------------------------- the sheet


def coding_instructions(codebook: Codebook) -> str:
    """Coding instructions written from the codebook's frame definitions (Markdown)."""
    lines = [
        f"# Coding instructions: {codebook.name} (version {codebook.version})",
        "",
        "For each paragraph, read the text and decide, for every frame below, whether the paragraph",
        "carries it: write 1 if it does, 0 if it does not. Judge the meaning, not the words: a paragraph",
        "may carry a frame without any of the words a dictionary would look for, and may use them without",
        "carrying it. Leave a cell empty only if you cannot decide, and say why in `notes`.",
        "Code alone; do not discuss paragraphs with other coders until all sheets are done.",
        "",
    ]
    for f in codebook.frames:
        lines.append(f"## `{f.id}`: {f.label}")
        for key in ("problem", "cause", "evaluation", "remedy"):
            if f.definition.get(key):
                lines.append(f"- **{key}**: {f.definition[key]}")
        if f.examples:
            lines.append(f"- *example*: {f.examples[0]}")
        if f.counter_examples:
            lines.append(f"- *not this frame*: {f.counter_examples[0]}")
        lines.append("")
    return "\n".join(lines)


def coding_sheet(
    corpus: Corpus,
    codebook: Codebook,
    n: int = 40,
    by: str | Sequence[str] | None = None,
    *,
    random_state: int | None = 0,
    path: str | Path | None = None,
    include_headings: bool = False,
) -> pd.DataFrame:
    """A stratified random sample of paragraphs with blank frame columns.

    Parameters
    ----------
    corpus : Corpus
    codebook : Codebook
    n : int, default=40
        Paragraphs per group (all of a group's paragraphs if it has fewer).
    by : str or None, default=None
        The strata: a metadata column; None: the corpus' own grouping;
        ``()`` samples from the whole corpus.
    random_state : int or None, default=0
    path : str, Path or None
        If given, the sheet is written there as CSV (UTF-8, through a
        temporary file), with the instructions beside it in
        ``<name>.instructions.md``.
    include_headings : bool, default=False

    Returns
    -------
    pandas.DataFrame
        ``unit_id, doc_id, group, text``, then one empty column per frame,
        ``coder`` and ``notes``. Rows are shuffled so coders do not see the
        strata in blocks.
    """
    if not isinstance(n, int) or n < 1:
        raise ArgumentError(f"n={n!r} must be a positive integer")
    units = corpus.units("paragraph")
    if not include_headings:
        units = units[~units["is_heading"]]
    by = resolve_by(by, corpus.group_by)
    if by is not None and by not in units.columns:
        raise ArgumentError(f"by={by!r} is not a metadata column; columns are {', '.join(units.columns)}")
    rng = np.random.default_rng(random_state)
    keys = units[by].astype(str) if by else pd.Series("all", index=units.index)
    picked = []
    for g in dict.fromkeys(keys):
        idx = np.flatnonzero((keys == g).to_numpy())
        take = idx if len(idx) <= n else rng.choice(idx, size=n, replace=False)
        picked.extend(sorted(take))
    sample = units.iloc[picked]
    sample = sample.iloc[rng.permutation(len(sample))]
    sheet = pd.DataFrame({
        "unit_id": sample["unit_id"].to_numpy(), "doc_id": sample["doc_id"].to_numpy(),
        "group": keys.iloc[[units.index.get_loc(i) for i in sample.index]].to_numpy(),
        "text": sample["text"].to_numpy(),
    })
    for f in codebook.frame_ids:
        sheet[f] = pd.array([pd.NA] * len(sheet), dtype="Int64")
    sheet["coder"] = ""
    sheet["notes"] = ""
    if path is not None:
        out = Path(path)
        if not out.parent.is_dir():
            raise ArgumentError(f"cannot write the coding sheet: folder {out.parent} does not exist")
        atomic_write(out, csv_bytes(sheet))
        atomic_write(out.with_suffix(".instructions.md"), coding_instructions(codebook).encode("utf-8"))
    return sheet


# --------------------------------------------------------------------------- agreement


def _delta(metric: str, values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Squared difference function δ²(c, k) of Krippendorff (2011) for each value pair."""
    c = values[:, None]
    k = values[None, :]
    if metric == "nominal":
        return (c != k).astype(float)
    if metric == "interval":
        return (c - k) ** 2
    if metric == "ratio":
        with np.errstate(divide="ignore", invalid="ignore"):
            d = ((c - k) / (c + k)) ** 2
        return np.nan_to_num(d)
    # ordinal: (sum of n_g for g between c and k, minus half the end points)²
    cum = np.cumsum(counts)
    i = np.arange(len(values))
    lo, hi = np.minimum(i[:, None], i[None, :]), np.maximum(i[:, None], i[None, :])
    between = cum[hi] - np.where(lo > 0, cum[lo - 1], 0)
    return (between - (counts[lo] + counts[hi]) / 2.0) ** 2


def krippendorff_alpha(data: np.ndarray | pd.DataFrame, metric: Metric = "nominal") -> float:
    """Krippendorff's alpha for a coders × units table with missing values.

    Parameters
    ----------
    data : array-like, shape (coders, units)
        Codes; NaN (or None) where a coder did not code a unit.
    metric : {'nominal', 'ordinal', 'interval', 'ratio'}, default='nominal'

    Returns
    -------
    float
        ``α = 1 − D_o / D_e`` computed from the coincidence matrix
        (Krippendorff 2011). Units coded by fewer than two coders are left
        out. Krippendorff's worked example (4 coders, 12 units) gives 0.743
        (nominal), 0.815 (ordinal), 0.849 (interval) and 0.797 (ratio).
    """
    check_option("metric", metric, ("nominal", "ordinal", "interval", "ratio"))
    arr = np.asarray(pd.DataFrame(data).apply(pd.to_numeric, errors="coerce"), dtype=float)
    values = np.unique(arr[~np.isnan(arr)])
    if len(values) < 2:
        return float("nan") if len(values) == 0 else 1.0
    index = {v: i for i, v in enumerate(values)}
    o = np.zeros((len(values), len(values)))
    for u in range(arr.shape[1]):
        col = arr[:, u]
        col = col[~np.isnan(col)]
        m = len(col)
        if m < 2:
            continue
        ids = [index[v] for v in col]
        counts = np.bincount(ids, minlength=len(values)).astype(float)
        pair = np.outer(counts, counts) - np.diag(counts)
        o += pair / (m - 1)
    n_c = o.sum(1)
    n = n_c.sum()
    if n <= 1:
        return float("nan")
    d2 = _delta(metric, values, n_c)
    d_o = (o * d2).sum() / n
    d_e = (np.outer(n_c, n_c) * d2).sum() / (n * (n - 1))
    return float(1 - d_o / d_e) if d_e > 0 else 1.0


def cohen_kappa(a: Sequence[object], b: Sequence[object]) -> float:
    """Cohen's (1960) kappa of two coders' nominal codes (pairs with a missing code dropped)."""
    x = pd.Series(list(a), dtype=object)
    y = pd.Series(list(b), dtype=object)
    if len(x) != len(y):
        raise ArgumentError(f"cohen_kappa: the coders coded {len(x)} and {len(y)} units")
    keep = x.notna() & y.notna()
    x, y = x[keep].astype(str), y[keep].astype(str)
    if len(x) == 0:
        return float("nan")
    p_o = float((x.to_numpy() == y.to_numpy()).mean())
    cats = sorted(set(x) | set(y))
    p_e = sum(float((x == c).mean()) * float((y == c).mean()) for c in cats)
    return float((p_o - p_e) / (1 - p_e)) if p_e < 1 else 1.0


def _read_sheets(sheets: Sequence[pd.DataFrame | str | Path]) -> list[pd.DataFrame]:
    out = []
    for i, s in enumerate(sheets):
        if isinstance(s, (str, Path)):
            try:
                s = pd.read_csv(s)
            except (OSError, ValueError) as exc:
                raise ArgumentError(f"coding sheet {s}: cannot be read ({exc})") from None
        if not isinstance(s, pd.DataFrame) or "unit_id" not in s.columns:
            raise ArgumentError(f"coding sheet {i + 1} has no 'unit_id' column")
        if s["unit_id"].duplicated().any():
            raise ArgumentError(f"coding sheet {i + 1} codes unit {s['unit_id'][s['unit_id'].duplicated()].iloc[0]!r} twice")
        out.append(s)
    return out


def reliability(
    sheets: Sequence[pd.DataFrame | str | Path],
    frames: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Agreement between coders, per frame and overall.

    Parameters
    ----------
    sheets : sequence of DataFrame or paths
        One filled coding sheet per coder (two or more), matched on ``unit_id``.
    frames : sequence of str or None
        The frame columns; None takes those common to all sheets other than
        the sheet's own columns.

    Returns
    -------
    pandas.DataFrame
        ``frame, units, coders, alpha, kappa_mean, kappa_min``: Krippendorff's
        alpha (nominal, missing codes allowed) and the mean and lowest Cohen's
        kappa over pairs of coders; a last row ``frame='(all)'`` pools every
        frame's codes into one alpha.
    """
    sheets = _read_sheets(sheets)
    if len(sheets) < 2:
        raise ArgumentError("reliability needs the sheets of at least two coders")
    own = {"unit_id", "doc_id", "group", "text", "coder", "notes"}
    if frames is None:
        common = set.intersection(*(set(s.columns) for s in sheets)) - own
        frames = [c for c in sheets[0].columns if c in common]
    missing = [(i, f) for i, s in enumerate(sheets) for f in frames if f not in s.columns]
    if missing:
        raise ArgumentError(f"coding sheet {missing[0][0] + 1} has no column {missing[0][1]!r}")
    units = sorted(set.union(*(set(s["unit_id"]) for s in sheets)))
    tables = {f: np.vstack([s.set_index("unit_id")[f].reindex(units).astype(float).to_numpy() for s in sheets]) for f in frames}
    rows = []
    for f in frames:
        t = tables[f]
        kappas = [cohen_kappa(pd.Series(t[i]).where(~np.isnan(t[i])), pd.Series(t[j]).where(~np.isnan(t[j])))
                  for i, j in combinations(range(len(sheets)), 2)]
        rows.append({"frame": f, "units": int((~np.isnan(t)).sum(0).__ge__(2).sum()), "coders": len(sheets),
                     "alpha": krippendorff_alpha(t), "kappa_mean": float(np.nanmean(kappas)),
                     "kappa_min": float(np.nanmin(kappas))})
    pooled = np.hstack([tables[f] for f in frames]) if frames else np.empty((len(sheets), 0))
    rows.append({"frame": "(all)", "units": len(units), "coders": len(sheets), "alpha": krippendorff_alpha(pooled),
                 "kappa_mean": float(np.nanmean([r["kappa_mean"] for r in rows])) if rows else np.nan,
                 "kappa_min": float(np.nanmin([r["kappa_min"] for r in rows])) if rows else np.nan})
    return pd.DataFrame(rows)


def _dominant(values: Sequence[str] | pd.Series) -> str:
    """The most common label; a tie goes to a label other than the default (``affirmed``, ``none``),
    then alphabetically: coders were asked to prefer the non-default where sentences weigh equally."""
    counts = pd.Series(list(values)).value_counts()
    return sorted(counts[counts == counts.max()].index, key=lambda v: (v in ("affirmed", "none"), v))[0]


def consensus(
    sheets: Sequence[pd.DataFrame | str | Path],
    frames: Sequence[str],
    *,
    labels: Sequence[str] = ("stance", "side"),
) -> pd.DataFrame:
    """The coders' majority code per unit: the coded table a classifier learns from.

    Parameters
    ----------
    sheets : sequence of DataFrame or paths
        Filled coding sheets (two or more), matched on ``unit_id``.
    frames : sequence of str
        The 0/1 frame columns.
    labels : sequence of str, default=('stance', 'side')
        Suffixes of categorical columns coded where a frame is 1
        (``<frame>_stance``); each takes the most common value among the
        coders who coded the frame 1, ties going to the value other than
        ``affirmed`` / ``none`` that comes first alphabetically.

    Returns
    -------
    pandas.DataFrame
        ``unit_id``, one 0/1 column per frame (``pd.NA`` where the coders
        tie or none coded the unit), ``<frame>_agreement`` (share of coders
        with the majority) and the label columns present in the sheets.
    """
    sheets = _read_sheets(sheets)
    if len(sheets) < 2:
        raise ArgumentError("consensus needs the sheets of at least two coders")
    for i, s in enumerate(sheets):
        for f in frames:
            if f not in s.columns:
                raise ArgumentError(f"coding sheet {i + 1} has no column {f!r}")
    units = list(dict.fromkeys(u for s in sheets for u in s["unit_id"]))
    out = pd.DataFrame({"unit_id": units})
    for f in frames:
        codes = np.vstack([pd.to_numeric(s.set_index("unit_id")[f].reindex(units), errors="coerce").to_numpy(dtype=float)
                           for s in sheets])
        n = (~np.isnan(codes)).sum(0)
        ones = np.nansum(codes, axis=0)
        value = pd.array(np.where(ones * 2 > n, 1, 0), dtype="Int64")
        value[(ones * 2 == n) | (n == 0)] = pd.NA
        out[f] = value
        out[f"{f}_agreement"] = np.where(n > 0, np.maximum(ones, n - ones) / np.maximum(n, 1), np.nan)
        for lab in labels:
            col = f"{f}_{lab}"
            if not all(col in s.columns for s in sheets):
                continue
            vals = np.vstack([s.set_index("unit_id")[col].reindex(units).to_numpy(dtype=object) for s in sheets])
            picked = []
            for k in range(len(units)):
                if value[k] is pd.NA or value[k] != 1:
                    picked.append("")
                    continue
                seen = [str(v) for v in vals[:, k] if isinstance(v, str) and v.strip()]
                if not seen:
                    picked.append("")
                    continue
                picked.append(_dominant(seen))
            out[col] = picked
    return out


def validate_stance(result: FrameResult, coded: pd.DataFrame, frames: Sequence[str] | None = None) -> pd.DataFrame:
    """How often the stance of a paragraph's hits matches the coders' stance.

    For every paragraph the coders gave a frame (``<frame>`` = 1, with a
    ``<frame>_stance``) and the dictionary found it, the paragraph's stance
    is the most common stance of its hits (ties: the one other than
    ``affirmed``, then alphabetical), as coders were asked to code it.

    Returns
    -------
    pandas.DataFrame
        One row per frame and coded stance: ``frame, coded, units, agree``
        and one column per stance the dictionary gave (a confusion table),
        with a last row per frame ``coded='(all)'``.
    """
    frames = [f for f in (frames or result.codebook.frame_ids) if f in coded.columns and f"{f}_stance" in coded.columns]
    if not frames:
        raise ArgumentError("validate_stance: the coded table has no <frame> and <frame>_stance columns of this codebook")
    ev = result.evidence
    rows = []
    for f in frames:
        pos = coded[pd.to_numeric(coded[f], errors="coerce") == 1]
        pos = pos[pos[f"{f}_stance"].astype(str).isin(STANCES)]
        ef = ev[(ev["frame"] == f) & ev["unit_id"].isin(set(pos["unit_id"]))]
        got = {}
        for uid, g in ef.groupby("unit_id")["stance"]:
            got[uid] = _dominant(g)
        pairs = [(c, got[u]) for u, c in zip(pos["unit_id"], pos[f"{f}_stance"]) if u in got]
        table = pd.DataFrame(pairs, columns=["coded", "dictionary"])
        for c in [*STANCES, "(all)"]:
            sub = table if c == "(all)" else table[table["coded"] == c]
            if c != "(all)" and sub.empty:
                continue
            row = {"frame": f, "coded": c, "units": len(sub), "agree": int((sub["coded"] == sub["dictionary"]).sum())}
            row.update({st: int((sub["dictionary"] == st).sum()) for st in STANCES})
            rows.append(row)
    return pd.DataFrame(rows, columns=["frame", "coded", "units", "agree", *STANCES])


def validate(
    result: FrameResult,
    sheets: pd.DataFrame | Sequence[pd.DataFrame | str | Path],
    *,
    consensus: Literal["majority", "all", "any"] = "majority",
) -> pd.DataFrame:
    """Precision, recall and F1 of the dictionary against the coders.

    A paragraph carries a frame for the dictionary when it has at least one
    hit; for the coders when ``consensus`` of them coded it 1 (``'majority'``:
    more than half of those who coded it; ties count as not carrying it).
    Where the result leaves headings out (``headings=False``, the default of
    :func:`detect_frames`), coded titles, headings and deks are not scored:
    the measure makes no claim about them (as in :func:`corrected_salience`).

    Returns
    -------
    pandas.DataFrame
        ``frame, units, tp, fp, fn, tn, precision, recall, f1``.
    """
    if isinstance(sheets, pd.DataFrame):
        sheets = [sheets]
    sheets = _read_sheets(sheets)
    check_option("consensus", consensus, ("majority", "all", "any"))
    frames = [f for f in result.codebook.frame_ids if all(f in s.columns for s in sheets)]
    if not frames:
        raise ArgumentError("the coding sheets have no column named after a frame of the codebook")
    units = sorted(set.union(*(set(s["unit_id"]) for s in sheets)))
    known = set(result.units["unit_id"])
    unknown = [u for u in units if u not in known]
    if unknown:
        raise ArgumentError(f"coding sheet unit {unknown[0]!r} is not a paragraph of this result's corpus")
    if not result.headings:  # the measure does not apply to headings: they validate nothing
        heading = set(result.units.loc[result.units["is_heading"].to_numpy(dtype=bool), "unit_id"])
        units = [u for u in units if u not in heading]
    carries = result.unit_frames.pivot(index="unit_id", columns="frame", values="carries")
    rows = []
    for f in frames:
        codes = np.vstack([s.set_index("unit_id")[f].reindex(units).astype(float).to_numpy() for s in sheets])
        coded = (~np.isnan(codes)).sum(0)
        ones = np.nansum(codes, axis=0)
        if consensus == "majority":
            truth = ones > coded / 2
        elif consensus == "all":
            truth = (ones == coded) & (coded > 0)
        else:
            truth = ones > 0
        keep = coded > 0
        pred = carries.loc[units, f].to_numpy(dtype=bool)
        t, p = truth[keep], pred[keep]
        tp, fp, fn, tn = int((t & p).sum()), int((~t & p).sum()), int((t & ~p).sum()), int((~t & ~p).sum())
        precision = tp / (tp + fp) if tp + fp else np.nan
        recall = tp / (tp + fn) if tp + fn else np.nan
        f1 = 2 * precision * recall / (precision + recall) if tp else (0.0 if (fp or fn) else np.nan)
        rows.append({"frame": f, "units": int(keep.sum()), "tp": tp, "fp": fp, "fn": fn, "tn": tn,
                     "precision": precision, "recall": recall, "f1": f1})
    return pd.DataFrame(rows)
