"""Plots: each takes a tidy table, draws on ``ax`` and returns it.

No function here calls ``plt.show()``, saves a file or sets global style; the
figure code (:mod:`framing.output.figures`) does that.

Every plot that colours by group takes ``colors=``: a mapping of group label
to colour, best the one :class:`framing.viz.style.GroupColors` of a run
(:func:`framing.viz.style.group_colors`), so a group has one colour in every
figure; groups it does not name get colours by sorted label. Plots that
colour by group (or stance, or bloc) draw a legend unless ``legend=False``
(for a figure that draws one legend for several panels).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from framing.base.deprecation import warn_once
from framing.base.errors import ArgumentError
from framing.corpus.metadata import date_bounds
from framing.viz.style import BLOC_COLORS, STANCE_COLORS, group_colors, order_groups

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = [
    "plot_corpus_overview", "plot_keyness", "plot_dispersion", "plot_collocates",
    "plot_frame_salience",
    "plot_stance_composition",
    "plot_corrected_salience", "plot_frame_cooccurrence", "plot_frame_trend", "plot_term_trend", "plot_topic_trend",
    "plot_search_k", "plot_topic_prevalence", "plot_topic_terms", "plot_orientation", "plot_partners",
    "plot_robustness",
]


Colors = Mapping[str, str]


def _axes(ax: Axes | None) -> Axes:
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    return ax


def _legend(ax: Axes, **kwargs: Any) -> None:
    """A legend right of the axes (never over the data), of the labelled artists in the order drawn unless
    ``handles=`` are given."""
    ax.legend(**({"frameon": False, "loc": "upper left", "bbox_to_anchor": (1.01, 1.0), "borderaxespad": 0.0} | kwargs))


def _docs(n: int) -> str:
    return f"{n} doc{'s' if n != 1 else ''}"


def plot_corpus_overview(
    summary: pd.DataFrame,
    *,
    by: str = "source_type",
    measure: str = "tokens",
    label: str = "doc_id",
    colors: Colors | None = None,
    legend: bool = True,
    ax: Axes | None = None,
) -> Axes:
    """Horizontal bars of one size measure per document, coloured by group.

    Parameters
    ----------
    summary : pandas.DataFrame
        :meth:`Corpus.summary` with one row per document.
    by : str, default='source_type'
        The column that sets each bar's colour; documents are ordered by it.
    measure : str, default='tokens'
        The column to plot (``tokens``, ``types``, ``paragraphs``, ``sentences``).
    label : str, default='doc_id'
        The column naming each bar.
    colors : mapping or None
        Group label to colour (:func:`framing.viz.style.group_colors`); None
        colours the groups by sorted label.
    legend : bool, default=True
        Draw a legend of the groups' colours.
    ax : matplotlib Axes or None

    Returns
    -------
    matplotlib.axes.Axes
    """
    for col in (by, measure, label):
        if col not in summary.columns:
            raise ArgumentError(f"plot_corpus_overview: column {col!r} not in the table ({', '.join(summary.columns)})")
    ax = _axes(ax)
    groups = order_groups(summary[by])
    colors = group_colors(groups, colors)
    rank = {g: i for i, g in enumerate(groups)}
    table = summary.assign(_r=summary[by].map(rank)).sort_values(["_r", measure], ascending=[True, False], kind="stable")
    y = np.arange(len(table))[::-1]
    ax.barh(y, table[measure], color=[colors[g] for g in table[by]], height=0.7)
    ax.set_yticks(y, table[label])
    vmax = float(table[measure].max()) if len(table) else 1.0
    for yi, v in zip(y, table[measure]):
        ax.text(v + vmax * 0.01, yi, f"{int(v):,}", va="center", fontsize=6.5)
    ax.set_xlim(0, vmax * 1.15)
    ax.set_xlabel(measure)
    if legend:
        _legend(ax, handles=colors.handles(groups), title=by, loc="lower right", bbox_to_anchor=None)
    return ax


def plot_keyness(
    table: pd.DataFrame,
    *,
    target: str | None = None,
    n: int = 15,
    measure: str = "g2",
    color: str | None = None,
    reference_color: str = "#9a9a9a",
    colors: Colors | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Diverging bars of a target's key terms and its reference's.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`framing.measures.keywords.keyness` output.
    target : str or None
        The target to draw; required when the table holds several.
    n : int, default=15
        Terms on each side: the ``n`` most positive (the target's) and the
        ``n`` most negative (the reference's) values of ``measure``.
    measure : str, default='g2'
        The bar length; each bar is labelled with its log ratio. A term that
        stops being key when one document is left out (``loo_holds == 0``)
        gets a hatched, outlined bar.
    color : str or None
        Colour of the target's bars; None: the target's colour in ``colors``.
    reference_color : str
    colors : mapping or None
        Group label to colour (:func:`framing.viz.style.group_colors`); None
        colours the table's targets by sorted label.
    ax : matplotlib Axes or None

    Returns
    -------
    matplotlib.axes.Axes
        No legend: the x-axis label names the target and its reference.
    """
    if measure not in table.columns:
        raise ArgumentError(f"plot_keyness: no column {measure!r} in the table")
    targets = list(dict.fromkeys(table["target"]))
    if target is None:
        if len(targets) != 1:
            raise ArgumentError(f"plot_keyness: the table holds targets {', '.join(targets)}; choose one with target=")
        target = targets[0]
    if target not in targets:
        if str(target) not in map(str, targets):
            raise ArgumentError(f"plot_keyness: target {target!r} is not in the table ({', '.join(map(str, targets))})")
        target = str(target)  # a year given as 2019 is the group '2019'
    target = str(target)
    ax = _axes(ax)
    t = table[table["target"] == target]
    pos = t[t[measure] > 0].nlargest(n, measure).iloc[::-1]  # strongest at the top
    neg = t[t[measure] < 0].nsmallest(n, measure)  # the reference's strongest at the bottom
    rows = pd.concat([neg, pos])
    y = np.arange(len(rows))
    color = color or group_colors(map(str, targets), colors)[target]
    bar_colors = np.array([color if v > 0 else reference_color for v in rows[measure]], dtype=object)
    fragile = (rows["loo_holds"] == 0).to_numpy() if "loo_holds" in rows.columns else np.zeros(len(rows), dtype=bool)
    ax.barh(y[~fragile], rows[measure].to_numpy()[~fragile], color=bar_colors[~fragile], height=0.75)
    if fragile.any():  # key only with one particular document in: outlined and hatched
        ax.barh(y[fragile], rows[measure].to_numpy()[fragile], color="white", height=0.75, linewidth=0.8,
                edgecolor=bar_colors[fragile], hatch="/////")
    ax.set_yticks(y, rows["term"])
    ax.axvline(0, color="#333333", linewidth=0.6)
    span = float(np.abs(rows[measure]).max()) if len(rows) else 1.0
    for yi, v, lr in zip(y, rows[measure], rows["log_ratio"]):
        ax.text(v + (0.02 * span if v > 0 else -0.02 * span), yi, f"{lr:+.1f}", va="center",
                ha="left" if v > 0 else "right", fontsize=5.5, color="#333333")
    ax.set_xlim(-1.25 * span, 1.25 * span)
    ref = str(t["reference"].iloc[0]) if len(t) else "reference"
    label = {"g2": "signed G²", "chi2": "signed χ²", "log_ratio": "log ratio", "logodds_z": "log-odds z"}.get(measure, measure)
    ax.set_xlabel(f"← {ref}    {label}    {target} →")
    ax.margins(y=0.01)
    return ax


def plot_dispersion(
    table: pd.DataFrame,
    *,
    by: str | None = "source_type",
    docs: list[str] | None = None,
    colors: Colors | None = None,
    legend: bool = True,
    ax: Axes | None = None,
) -> Axes:
    """Lexical dispersion ("x-ray"): where a pattern occurs through each document.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`framing.dispersion` output for one pattern (or several, drawn alike).
    by : str or None, default='source_type'
        Colour ticks by this column and order documents by it.
    docs : list of str or None
        The documents to show as rows (in this order), including those without
        occurrences; None shows the documents in the table.
    colors : mapping or None
        Group label to colour (:func:`framing.viz.style.group_colors`); None
        colours the table's groups by sorted label.
    legend : bool, default=True
        Draw a legend of the groups' colours, right of the axes.
    ax : matplotlib Axes or None

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _axes(ax)
    docs = list(dict.fromkeys(table["doc_id"])) if docs is None else list(docs)
    rank = {d: i for i, d in enumerate(docs)}
    grouped = bool(by) and by in table.columns and len(table) > 0
    groups = order_groups(table[by].astype(str)) if grouped else []
    palette = group_colors(groups, colors) if grouped else None
    for d, g in table.groupby("doc_id", sort=False):
        if d not in rank:
            continue
        yi = len(docs) - 1 - rank[d]
        c = palette[g[by].iloc[0]] if palette is not None else "#333333"
        ax.vlines(g["position"], yi - 0.38, yi + 0.38, color=c, linewidth=0.8)
    ax.set_yticks(range(len(docs)), docs[::-1])
    ax.set_ylim(-0.6, len(docs) - 0.4)
    ax.set_xlim(0, 1)
    ax.set_xticks([0, 0.5, 1], ["start", "middle", "end"])
    for label, ha in zip(ax.get_xticklabels(), ("left", "center", "right")):
        label.set_horizontalalignment(ha)
    if legend and palette is not None:
        _legend(ax, handles=palette.handles(groups), title=by)
    return ax


def plot_collocates(
    table: pd.DataFrame,
    *,
    group: str | None = None,
    n: int = 12,
    measure: str = "log_dice",
    exclude_node: bool = True,
    color: str | None = None,
    colors: Colors | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Dot plot of the strongest collocates of a node in one group.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`framing.measures.keywords.collocations` output with a ``node``.
    group : str or None
        The group to draw; required when the table holds several.
    n : int, default=12
    measure : str, default='log_dice'
    exclude_node : bool, default=True
        Leave out the node as its own collocate.
    color : str or None
        None: the group's colour in ``colors``.
    colors : mapping or None
        Group label to colour (:func:`framing.viz.style.group_colors`); None
        colours the table's groups by sorted label.
    ax : matplotlib Axes or None

    Returns
    -------
    matplotlib.axes.Axes
        A dot per collocate, labelled with the co-occurrence count ``n``;
        one group, so no legend (a title names it).
    """
    groups = list(dict.fromkeys(table["group"]))
    if group is None:
        if len(groups) != 1:
            raise ArgumentError(f"plot_collocates: the table holds groups {', '.join(groups)}; choose one with group=")
        group = groups[0]
    ax = _axes(ax)
    t = table[table["group"] == group]
    if exclude_node:
        t = t[t["collocate"] != t["node"]]
    t = t.nlargest(n, measure).iloc[::-1]
    y = np.arange(len(t))
    color = color or group_colors(map(str, groups), colors)[group]
    lo = float(t[measure].min()) if len(t) else 0.0
    hi = float(t[measure].max()) if len(t) else 1.0
    pad = max(0.5, 0.1 * (hi - lo))
    # a dot plot: the scale does not start at zero, so bars would mislead
    ax.hlines(y, lo - pad, t[measure], color="#dddddd", linewidth=0.8, zorder=1)
    ax.scatter(t[measure], y, color=color, s=22, zorder=2)
    ax.set_yticks(y, t["collocate"])
    for yi, v, k in zip(y, t[measure], t["n"]):
        ax.text(v + 0.12 * pad, yi, f"n={k}", va="center", fontsize=5.5, color="#333333")
    ax.set_xlim(lo - pad, hi + 2.2 * pad)
    ax.set_xlabel(measure.replace("_", " "))
    return ax


def _frame_rows(table: pd.DataFrame, frames: list[str]) -> Any:
    """``(group, its rows indexed by frame, y positions)`` per group: one row per frame, groups side by side, first on top."""
    groups = order_groups(table["group"])
    k = len(groups)
    offsets = -(np.arange(k) - (k - 1) / 2) * (0.7 / max(k, 1))
    for gi, g in enumerate(groups):
        yield g, table[table["group"] == g].set_index("frame").reindex(frames), np.arange(len(frames))[::-1] + offsets[gi]


def _frame_axis(ax: Axes, frames: list[str]) -> None:
    """Frame labels top to bottom, with a faint line between frames."""
    ax.set_yticks(np.arange(len(frames))[::-1], frames)
    for yi in range(len(frames) - 1):
        ax.axhline(yi + 0.5, color="#eeeeee", linewidth=0.6, zorder=0)


def plot_frame_salience(
    table: pd.DataFrame,
    *,
    measure: str = "share_units",
    frames: list[str] | None = None,
    documents: pd.DataFrame | None = None,
    colors: Colors | None = None,
    legend: bool = True,
    ax: Axes | None = None,
) -> Axes:
    """Dot-and-whisker plot of frame salience by group.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`framing.frame_salience` output.
    measure : {'share_units', 'per_1000', 'share_hits'}, default='share_units'
        The estimate; its ``_low``/``_high`` columns give the whiskers.
    frames : list of str or None
        Frames to show, top to bottom; None shows all, in table order.
    documents : pandas.DataFrame or None
        :func:`framing.document_salience` output: each document's own value
        is drawn as a small tick on its group's row (groups of two or more
        documents), so a group estimate carried by one of its documents
        shows as such.
    colors : mapping or None
        Group label to colour (:func:`framing.viz.style.group_colors`); None
        colours the table's groups by sorted label.
    legend : bool, default=True
        Draw the legend: each group with its number of documents.
    ax : matplotlib Axes or None

    Returns
    -------
    matplotlib.axes.Axes
        One row per frame, one dot per group, whiskers the bootstrap
        interval; the legend (labels ``'official (3 docs)'``) gives each
        group's documents.
    """
    for col in (measure, f"{measure}_low", f"{measure}_high"):
        if col not in table.columns:
            raise ArgumentError(f"plot_frame_salience: no column {col!r} in the table")
    ax = _axes(ax)
    frames = list(dict.fromkeys(table["frame"])) if frames is None else frames
    colors = group_colors(table["group"], colors)
    for g, t, y in _frame_rows(table, frames):
        docs = int(t["docs"].dropna().iloc[0]) if t["docs"].notna().any() else 0
        bars = ax.errorbar(
            t[measure], y,
            xerr=[t[measure] - t[f"{measure}_low"], t[f"{measure}_high"] - t[measure]],
            fmt="o", color=colors[g], ms=3.5, elinewidth=1.0, capsize=0,
            label=f"{g} ({_docs(docs)})",
        )
        bars.lines[0].set_clip_on(False)  # a dot at 0 sits whole on the axis, not half cut off by it
        if documents is not None and docs > 1 and measure in documents.columns:
            per = documents[documents["group"] == g]
            for fi, f in enumerate(frames):
                xs = per.loc[per["frame"] == f, measure].to_numpy(dtype=float)
                ax.scatter(xs, np.full(len(xs), y[fi]), s=30, marker="|", color=colors[g], linewidths=1.0, zorder=4,
                           clip_on=False)
    _frame_axis(ax, frames)
    ax.set_xlim(left=0)
    labels = {"share_units": "share of paragraphs carrying the frame", "per_1000": "hits per 1,000 tokens",
              "share_hits": "share of the group's frame hits"}
    ax.set_xlabel(labels.get(measure, measure))
    if legend:
        _legend(ax)
    return ax


def plot_stance_composition(table: pd.DataFrame, *, frame: str, legend: bool = True, ax: Axes | None = None) -> Axes:
    """How each group holds one frame: stacked shares of its hits by stance.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`framing.stance_composition` output.
    frame : str
    legend : bool, default=True
        Draw the legend of the stances' colours.
    ax : matplotlib Axes or None

    Returns
    -------
    matplotlib.axes.Axes
        One bar per group (top to bottom in the fixed order), segments in
        the fixed stance colours; the number right of a bar is the group's
        hits of the frame, from the table.
    """
    for col in ("group", "frame", "stance", "hits"):
        if col not in table.columns:
            raise ArgumentError(f"plot_stance_composition: no column {col!r} in the table")
    t = table[table["frame"] == frame]
    if t.empty:
        raise ArgumentError(f"plot_stance_composition: frame {frame!r} is not in the table")
    ax = _axes(ax)
    groups = order_groups(t["group"])
    stances = list(STANCE_COLORS)
    counts = t.groupby(["group", "stance"])["hits"].sum().unstack().reindex(
        index=groups, columns=stances).fillna(0)
    totals = counts.sum(axis=1)
    shares = counts.div(totals.where(totals > 0, np.nan), axis=0).fillna(0)
    y = np.arange(len(groups))[::-1]
    left = np.zeros(len(groups))
    for st in stances:
        ax.barh(y, shares[st], left=left, color=STANCE_COLORS[st], height=0.65, label=st, edgecolor="white", linewidth=0.4)
        left += shares[st].to_numpy()
    for yi, g in zip(y, groups):
        ax.text(1.02, yi, f"{int(totals[g])}", va="center", ha="left", fontsize=6.5, color="#444444")
    ax.set_yticks(y, groups)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the frame's hits")
    if legend:
        _legend(ax, bbox_to_anchor=(1.08, 1.0))  # clear of the hit counts right of the bars
    return ax


def plot_corrected_salience(table: pd.DataFrame, *, frames: list[str] | None = None, colors: Colors | None = None,
                            legend: bool = True, ax: Axes | None = None) -> Axes:
    """Observed against corrected share of paragraphs per group and frame.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`framing.corrected_salience` output.
    frames : list of str or None
        Frames to show, top to bottom; None: all, in table order.
    colors : mapping or None
        Group label to colour (:func:`framing.viz.style.group_colors`); None
        colours the table's groups by sorted label.
    legend : bool, default=True
        Draw the legend: each group with its number of documents.
    ax : matplotlib Axes or None

    Returns
    -------
    matplotlib.axes.Axes
        Per frame one row per group: a hollow dot for the observed share, a
        filled dot with whiskers for the corrected share and its interval.
    """
    for col in ("observed", "corrected", "corrected_low", "corrected_high"):
        if col not in table.columns:
            raise ArgumentError(f"plot_corrected_salience: no column {col!r} in the table")
    ax = _axes(ax)
    frames = list(dict.fromkeys(table["frame"])) if frames is None else frames
    colors = group_colors(table["group"], colors)
    for g, t, y in _frame_rows(table, frames):
        docs = int(t["docs"].dropna().iloc[0]) if "docs" in t and t["docs"].notna().any() else 0
        ax.scatter(t["observed"], y, s=14, facecolors="none", edgecolors=colors[g], linewidths=0.8, zorder=3)
        ax.errorbar(t["corrected"], y, xerr=[t["corrected"] - t["corrected_low"], t["corrected_high"] - t["corrected"]],
                    fmt="o", color=colors[g], ms=3.5, elinewidth=1.0, capsize=0, zorder=4,
                    label=f"{g} ({_docs(docs)})")
    _frame_axis(ax, frames)
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("share of paragraphs carrying the frame (hollow: observed; filled: corrected)")
    if legend:
        _legend(ax)
    return ax


def plot_frame_cooccurrence(
    table: pd.DataFrame,
    *,
    group: str,
    measure: str = "jaccard",
    ax: Axes | None = None,
) -> Axes:
    """Heatmap of how often frames share a paragraph in one group.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`framing.frame_cooccurrence` output.
    group : str
    measure : {'jaccard', 'p_b_given_a'}, default='jaccard'
    ax : matplotlib Axes or None

    Returns
    -------
    matplotlib.axes.Axes
        Cells coloured by ``measure`` (diagonal left blank), annotated with the
        number of paragraphs carrying both frames.
    """
    t = table[table["group"] == group]
    if t.empty:
        raise ArgumentError(f"plot_frame_cooccurrence: group {group!r} is not in the table")
    ax = _axes(ax)
    frames = list(dict.fromkeys(t["frame_a"]))
    grid = t.pivot(index="frame_a", columns="frame_b", values=measure).reindex(index=frames, columns=frames)
    both = t.pivot(index="frame_a", columns="frame_b", values="n_both").reindex(index=frames, columns=frames)
    values = grid.to_numpy(dtype=float).copy()
    np.fill_diagonal(values, np.nan)
    ax.imshow(values, cmap="Blues", vmin=0, vmax=1)
    for i in range(len(frames)):
        for j in range(len(frames)):
            if i == j:
                continue
            n = int(both.iat[i, j])
            if n:
                ax.text(j, i, str(n), ha="center", va="center", fontsize=5.5,
                        color="white" if values[i, j] > 0.6 else "#222222")
    ax.set_xticks(range(len(frames)), frames, rotation=60, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(len(frames)), frames)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return ax


_TREND_COLUMNS = ("bin", "start", "end", "group", "value", "low", "high", "n_docs")


def _broken(x: np.ndarray, y: np.ndarray, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``x, y`` with a NaN between points ``i`` and ``i + 1`` wherever ``keep[i]`` is False: a line in pieces."""
    cut = np.flatnonzero(~np.asarray(keep, dtype=bool)) + 1
    return np.insert(x.astype(float), cut, np.nan), np.insert(y.astype(float), cut, np.nan)


def _trend(table: pd.DataFrame, *, column: str, item: Any, func: str, ylabel: str, title: Any,
           colors: Colors | None, legend: bool, ax: Axes | None) -> Axes:
    """Lines per group over time bins, with the interval as a band (the trend plots share this)."""
    missing = [c for c in (*_TREND_COLUMNS, column) if c not in table.columns]
    if missing:
        raise ArgumentError(f"{func}: no column {', '.join(map(repr, missing))} in the table; "
                            f"give the output of framing.{func.removeprefix('plot_')}")
    items = list(dict.fromkeys(table[column]))
    if item is None:
        if len(items) != 1:
            raise ArgumentError(f"{func}: the table holds {len(items)} {column}s ({', '.join(map(str, items[:10]))}"
                                f"{', ...' if len(items) > 10 else ''}); choose one with {column}=")
        item = items[0]
    t = table[table[column] == item]
    if t.empty:
        raise ArgumentError(f"{func}: {column} {item!r} is not in the table ({', '.join(map(str, items[:10]))}"
                            f"{', ...' if len(items) > 10 else ''})")
    from matplotlib.collections import LineCollection
    from matplotlib.dates import date2num

    ax = _axes(ax)
    palette = group_colors(table["group"], colors)  # every group of the table: the same colours for every item
    for g in order_groups(t["group"]):
        s = t[t["group"] == g].sort_values("start", kind="stable")
        start, end = pd.to_datetime(s["start"]).to_numpy(), pd.to_datetime(s["end"]).to_numpy()
        x = np.asarray(date2num(start + (end - start) / 2), dtype=float)
        v, lo, hi = (s[c].to_numpy(dtype=float) for c in ("value", "low", "high"))
        ok = ~np.isnan(lo) & ~np.isnan(hi)
        joined = start[1:] <= end[:-1] + np.timedelta64(1, "D")  # the next bin follows on: no empty bin between
        solid = joined & ok[:-1] & ok[1:]
        c = palette[g]
        ax.plot(*_broken(x, v, solid), color=c, linewidth=1.2, zorder=3, label=f"{g} ({_docs(int(s['n_docs'].sum()))})")
        loose = [[(x[i], v[i]), (x[i + 1], v[i + 1])] for i in np.flatnonzero(~solid)]
        if loose:  # across empty bins, or to a bin of one document: dotted
            ax.add_collection(LineCollection(loose, colors=c, linewidths=1.0, linestyles=[(0, (1, 1.5))], zorder=3))
        bx, blo = _broken(x, np.where(ok, lo, np.nan), joined)
        ax.fill_between(bx, blo, _broken(x, np.where(ok, hi, np.nan), joined)[1], color=c, alpha=0.15, linewidth=0,
                        zorder=1)
        ax.vlines(x[ok], lo[ok], hi[ok], color=c, alpha=0.6, linewidth=0.8, zorder=2)  # also where the band has no width
        ax.scatter(x[ok], v[ok], s=14, color=c, zorder=4)
        ax.scatter(x[~ok], v[~ok], s=14, facecolors="white", edgecolors=c, linewidths=0.9, zorder=4)
    bins = t.drop_duplicates("bin").sort_values("start", kind="stable")
    bstart, bend = pd.to_datetime(bins["start"]).to_numpy(), pd.to_datetime(bins["end"]).to_numpy()
    ticks = np.asarray(date2num(bstart + (bend - bstart) / 2), dtype=float)
    step = -(-len(bins) // 12)  # at most 12 labelled bins
    labels = bins["bin"].astype(str).to_numpy()
    ax.set_xticks(ticks[::step], labels[::step])
    if len(bins) and max(len(b) for b in labels) > 4:
        for lab in ax.get_xticklabels():
            lab.set(rotation=45, ha="right", rotation_mode="anchor")
    if len(bins) == 1:
        ax.set_xlim(ticks[0] - 1, ticks[0] + 1)
    top = ax.get_ylim()[1]
    ax.set_ylim(-0.03 * top, top)  # from zero, with room for a dot at zero
    ax.set_ylabel(ylabel)
    ax.set_title(str(title if title is not None else item), loc="left")
    if legend:
        _legend(ax)
    return ax


def plot_term_trend(table: pd.DataFrame, *, term: str | None = None, colors: Colors | None = None, legend: bool = True,
                    ax: Axes | None = None) -> Axes:
    """A term's frequency over time, one line per group with its interval.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`framing.measures.trends.term_trend` output.
    term : str or None
        The term (or glob) to draw; required when the table holds several.
    colors : mapping or None
        Group label to colour (:func:`framing.viz.style.group_colors`); None
        colours the table's groups by sorted label.
    legend : bool, default=True
        Draw the legend: each group with its number of documents.
    ax : matplotlib Axes or None

    Returns
    -------
    matplotlib.axes.Axes
        The x-axis has the time bins, placed by date (a gap in time is a gap
        on the axis). Per group: where a bin has two or more documents, a
        filled dot and the interval over its documents (a band between
        neighbouring bins, a whisker at each); a hollow dot where a bin
        rests on one document and has no interval. The line is solid
        between neighbouring bins that both have intervals, dotted across
        bins without documents or to a bin of one document.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> table = pd.DataFrame({"bin": ["2020", "2021"], "start": ["2020-01-01", "2021-01-01"],
    ...                       "end": ["2020-12-31", "2021-12-31"], "group": "all", "term": "trade",
    ...                       "value": [2.0, 3.0], "low": [1.0, np.nan], "high": [3.5, np.nan], "n_docs": [4, 1]})
    >>> ax = plot_term_trend(table)
    >>> [t.get_text() for t in ax.get_xticklabels()], ax.get_legend().get_texts()[0].get_text()
    (['2020', '2021'], 'all (5 docs)')
    """
    return _trend(table, column="term", item=term, func="plot_term_trend", ylabel="per 1,000 tokens", title=None,
                  colors=colors, legend=legend, ax=ax)


def _salience_as_trend(table: pd.DataFrame, measure: str) -> pd.DataFrame:
    """A :func:`framing.frame_salience` table with ``by=[series, time]`` (the old input) as a frame_trend table."""
    for col in (measure, f"{measure}_low", f"{measure}_high", "group", "frame", "docs"):
        if col not in table.columns:
            raise ArgumentError(f"plot_frame_trend: no column {col!r} in the table; give the output of framing.frame_trend")
    parts = table["group"].astype(str).str.split(" | ", regex=False)
    time = parts.map(lambda p: p[-1])
    spans = {}
    for value in time.unique():
        try:
            spans[value] = date_bounds(value)
        except ValueError:
            raise ArgumentError(f"plot_frame_trend: the time {value!r} in group labels is not a date; "
                                "give the output of framing.frame_trend") from None
    return pd.DataFrame({
        "bin": time, "start": time.map(lambda v: spans[v][0]), "end": time.map(lambda v: spans[v][1]),
        "group": parts.map(lambda p: p[0] if len(p) > 1 else "all"), "frame": table["frame"],
        "value": table[measure], "low": table[f"{measure}_low"], "high": table[f"{measure}_high"],
        "n_docs": table["docs"],
    })


def plot_frame_trend(
    table: pd.DataFrame,
    *,
    frame: str | None = None,
    measure: str = "share_units",
    colors: Colors | None = None,
    legend: bool = True,
    ax: Axes | None = None,
) -> Axes:
    """A frame's share of paragraphs over time, one line per group with its interval.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`framing.measures.trends.frame_trend` output. A
        :func:`framing.frame_salience` table with ``by=[series, time]``
        (groups labelled ``"official | 2025"``) still works, with a
        ``FutureWarning``, for one release.
    frame : str or None
        The frame to draw; required when the table holds several.
    measure : str, default='share_units'
        Only for a :func:`framing.frame_salience` table: its estimate to draw.
    colors : mapping or None
        Group label to colour (:func:`framing.viz.style.group_colors`); None
        colours the table's groups by sorted label.
    legend : bool, default=True
        Draw the legend: each group with its number of documents.
    ax : matplotlib Axes or None

    Returns
    -------
    matplotlib.axes.Axes
        As :func:`plot_term_trend`: bins placed by date, a line per group,
        the interval over documents as a band and whiskers, hollow dots and
        dotted lines for bins of one document.
    """
    if "bin" not in table.columns and measure in table.columns:
        warn_once("plot_frame_trend(frame_salience)", "plot_frame_trend: a frame_salience table grouped by time is "
                  "deprecated; give framing.frame_trend(result, freq=..., by=...), whose intervals resample the "
                  "documents of each time bin")
        table = _salience_as_trend(table, measure)
    return _trend(table, column="frame", item=frame, func="plot_frame_trend",
                  ylabel="share of paragraphs with the frame", title=None, colors=colors, legend=legend, ax=ax)


def plot_topic_trend(table: pd.DataFrame, *, topic: int | None = None, colors: Colors | None = None,
                     legend: bool = True, ax: Axes | None = None) -> Axes:
    """A topic's mean share over time, one line per group with its interval.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`framing.measures.trends.topic_trend` output.
    topic : int or None
        The topic to draw (its number); required when the table holds several.
    colors : mapping or None
        Group label to colour (:func:`framing.viz.style.group_colors`); None
        colours the table's groups by sorted label.
    legend : bool, default=True
        Draw the legend: each group with its number of documents.
    ax : matplotlib Axes or None

    Returns
    -------
    matplotlib.axes.Axes
        As :func:`plot_term_trend`, titled with the topic's label.
    """
    title = None
    if topic is not None and "label" in table.columns:
        labels = table.loc[table["topic"] == topic, "label"] if "topic" in table.columns else pd.Series(dtype=object)
        title = f"{topic}: {labels.iloc[0]}" if len(labels) else None
    elif "label" in table.columns and "topic" in table.columns and table["topic"].nunique() == 1:
        title = f"{table['topic'].iloc[0]}: {table['label'].iloc[0]}"
    return _trend(table, column="topic", item=topic, func="plot_topic_trend", ylabel="mean topic share of the units",
                  title=title, colors=colors, legend=legend, ax=ax)


def plot_search_k(table: pd.DataFrame, *, measure: str = "c_v", ax: Axes | None = None) -> Axes:
    """One diagnostic of :func:`framing.search_k` against k: a dot per seed, the mean as a line.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`framing.search_k` output.
    measure : str, default='c_v'
        ``c_v``, ``c_npmi``, ``u_mass``, ``exclusivity``, ``perplexity`` or
        ``reconstruction_error``.
    ax : matplotlib Axes or None

    Returns
    -------
    matplotlib.axes.Axes
    """
    if measure not in table.columns:
        raise ArgumentError(f"plot_search_k: no column {measure!r} in the table")
    ax = _axes(ax)
    ax.scatter(table["k"], table[measure], s=8, color="#888888", zorder=2)
    mean = table.groupby("k")[measure].mean()
    ax.plot(mean.index, mean.to_numpy(), color="#0072B2", linewidth=1.2, zorder=3)
    ax.set_xticks(sorted(table["k"].unique()))
    ax.tick_params(labelsize=6)
    return ax


def plot_topic_prevalence(
    table: pd.DataFrame,
    *,
    stability: pd.DataFrame | None = None,
    documents: pd.DataFrame | None = None,
    colors: Colors | None = None,
    legend: bool = True,
    ax: Axes | None = None,
) -> Axes:
    """Dot-and-whisker plot of topic prevalence by group.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`framing.topic_prevalence` output.
    stability : pandas.DataFrame or None
        :func:`framing.topic_stability` output; unstable topics are marked
        "(unstable)" in their label.
    documents : pandas.DataFrame or None
        :func:`framing.document_prevalence` output: each document of a
        multi-document group is a small tick on its group's row.
    colors : mapping or None
        Group label to colour (:func:`framing.viz.style.group_colors`); None
        colours the table's groups by sorted label.
    legend : bool, default=True
        Draw the legend: each group with its number of documents.
    ax : matplotlib Axes or None

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _axes(ax)
    topics = list(dict.fromkeys(table["topic"]))
    labels = dict(zip(table["topic"], table["label"]))
    if stability is not None:
        unstable = set(stability.loc[~stability["stable"], "topic"])
        labels = {k: (f"{v} (unstable)" if k in unstable else v) for k, v in labels.items()}
    groups = order_groups(table["group"])
    colors = group_colors(groups, colors)
    k = len(groups)
    offsets = -(np.arange(k) - (k - 1) / 2) * (0.7 / max(k, 1))
    for gi, g in enumerate(groups):
        t = table[table["group"] == g].set_index("topic").reindex(topics)
        y = np.arange(len(topics))[::-1] + offsets[gi]
        docs = int(t["docs"].iloc[0])
        ax.errorbar(t["prevalence"], y, xerr=[t["prevalence"] - t["low"], t["high"] - t["prevalence"]], fmt="o",
                    color=colors[g], ms=3.5, elinewidth=1.0, label=f"{g} ({_docs(docs)})")
        if documents is not None and docs > 1:
            per = documents[documents["group"] == g]
            for ti, topic in enumerate(topics):
                xs = per.loc[per["topic"] == topic, "prevalence"].to_numpy(dtype=float)
                ax.scatter(xs, np.full(len(xs), y[ti]), s=30, marker="|", color=colors[g], linewidths=1.0, zorder=4)
    ax.set_yticks(np.arange(len(topics))[::-1], [labels[t] for t in topics])
    for yi in range(len(topics) - 1):
        ax.axhline(yi + 0.5, color="#eeeeee", linewidth=0.6, zorder=0)
    ax.set_xlim(left=0)
    ax.set_xlabel("mean topic share of the group's paragraphs")
    if legend:
        _legend(ax)
    return ax


def plot_topic_terms(table: pd.DataFrame, *, topic: int, color: str = "#0072B2", ax: Axes | None = None) -> Axes:
    """Bars of one topic's top terms (:meth:`TopicModel.top_terms` output), top term first.

    The bar length is the term's probability in the topic (``prob``), so
    topics can be compared; the order is the table's ranking.
    """
    t = table[table["topic"] == topic]
    if t.empty:
        raise ArgumentError(f"plot_topic_terms: topic {topic!r} is not in the table")
    ax = _axes(ax)
    t = t.sort_values("rank", ascending=False)
    y = np.arange(len(t))
    ax.barh(y, t["prob"], color=color, height=0.7)
    ax.set_yticks(y, t["term"])
    ax.tick_params(labelsize=6)
    ax.set_xlabel("probability", fontsize=6)
    return ax


def plot_orientation(table: pd.DataFrame, *, documents: pd.DataFrame | None = None, colors: Colors | None = None,
                     legend: bool = True, ax: Axes | None = None) -> Axes:
    """Dot-and-whisker plot of bloc shares by group (:func:`framing.orientation` output).

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`framing.orientation` output.
    documents : pandas.DataFrame or None
        :func:`framing.measures.places.document_orientation` output for the
        same options: each document's own share is drawn as a small hollow
        dot on its group's row (groups of two or more documents), so an
        estimate carried by one of its documents shows as such.
    colors : mapping or None
        Group label to colour (:func:`framing.viz.style.group_colors`); None
        colours the table's groups by sorted label.
    legend : bool, default=True
        Draw the legend: each group with its counts.
    ax : matplotlib Axes or None

    Returns
    -------
    matplotlib.axes.Axes
        Rows are blocs (``grouping``: terms naming a category of countries);
        each group is a dot in its colour with its interval; the legend
        gives each group's counted mentions, documents and, where the table
        has them, the actor mentions set apart.
    """
    ax = _axes(ax)
    blocs = list(dict.fromkeys(table["bloc"]))
    groups = order_groups(table["group"])
    colors = group_colors(groups, colors)
    k = len(groups)
    offsets = -(np.arange(k) - (k - 1) / 2) * (0.7 / max(k, 1))
    for gi, g in enumerate(groups):
        t = table[table["group"] == g].set_index("bloc").reindex(blocs)
        y = np.arange(len(blocs))[::-1] + offsets[gi]
        total, docs = int(t["total"].iloc[0]), int(t["docs"].iloc[0])
        label = f"{g} (n = {total}, {_docs(docs)}"
        actors = int(t["actors"].iloc[0]) if "actors" in t.columns and pd.notna(t["actors"].iloc[0]) else 0
        label += f"; {actors} actor mention{'s' if actors != 1 else ''} set apart)" if actors else ")"
        ax.errorbar(t["share"], y, xerr=[t["share"] - t["low"], t["high"] - t["share"]], fmt="o", color=colors[g], ms=3.5,
                    elinewidth=1.0, label=label, zorder=3)
        if documents is not None and docs > 1:
            per = documents[documents["group"] == g]
            for bi, bloc in enumerate(blocs):
                xs = per.loc[per["bloc"] == bloc, "share"].to_numpy(dtype=float)
                ax.scatter(xs, np.full(len(xs), y[bi]), s=14, facecolors="white", edgecolors=colors[g], linewidths=0.8,
                           zorder=4)
    names = {"grouping": "groupings\n(not a place)"}
    ax.set_yticks(np.arange(len(blocs))[::-1], [names.get(b, b.replace("_", " ")) for b in blocs])
    for yi in range(len(blocs) - 1):
        ax.axhline(yi + 0.5, color="#eeeeee", linewidth=0.6, zorder=0)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of place mentions")
    if legend:
        _legend(ax)
    return ax


def plot_partners(table: pd.DataFrame, *, group: str, n: int = 8, subject: str = "the subject", legend: bool = True,
                  ax: Axes | None = None) -> Axes:
    """Ranked bars of one group's partners (:func:`framing.partners` output), coloured by bloc.

    ``subject`` names the study's subject in the axis label; ``legend``
    draws the legend of the blocs shown."""
    t = table[table["group"] == group].nsmallest(n, "rank")
    if t.empty:
        raise ArgumentError(f"plot_partners: group {group!r} is not in the table")
    ax = _axes(ax)
    t = t.iloc[::-1]
    y = np.arange(len(t))
    ax.barh(y, t["mentions"], color=[BLOC_COLORS.get(b, "#CCCCCC") for b in t["bloc"]], height=0.7)
    ax.set_yticks(y, t["place"])
    for yi, v in zip(y, t["mentions"]):
        ax.text(v + 0.2, yi, str(v), va="center", fontsize=5.5)
    ax.set_xlim(0, float(t["mentions"].max()) * 1.2 + 1)
    ax.set_xlabel(f"mentions in sentences naming {subject}")
    if legend:
        from matplotlib.patches import Patch

        shown = [b for b in BLOC_COLORS if b in set(t["bloc"])] + sorted(set(t["bloc"]) - set(BLOC_COLORS))
        _legend(ax, handles=[Patch(color=BLOC_COLORS.get(b, "#CCCCCC"), label=str(b).replace("_", " ")) for b in shown],
                title="bloc")
    return ax


#: Characters of a robustness bar's "flips:" label a line (two lines at most): wider labels ran off the figure.
FLIPS_WIDTH = 52


def _two_lines(text: str, width: int) -> str:
    """``text`` on one line if it fits ``width`` characters, else wrapped onto two, the rest cut with '...'."""
    if len(text) <= width:
        return text
    lines = textwrap.wrap(text, width, break_on_hyphens=False)
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width, placeholder="...")]
    return "\n".join(lines)


def plot_robustness(summary: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Bars of the share of specifications in which each finding holds.

    Parameters
    ----------
    summary : pandas.DataFrame
        ``RobustnessResult.summary`` (one or several, concatenated).
    ax : matplotlib Axes or None

    Returns
    -------
    matplotlib.axes.Axes
        One bar per finding (its description), dark where it holds in at least
        90% of specifications, light below; each labelled with the settings
        under which it flips, or what leaving out flips it; a finding no
        specification could flip is labelled untestable, with no bar.
    """
    ax = _axes(ax)
    t = summary.iloc[::-1]
    y = np.arange(len(t))
    share = t["holds_share"].astype(float)
    colors = ["#0072B2" if v >= 0.9 else "#9ecae1" for v in share.fillna(0)]
    ax.barh(y, share.fillna(0), color=colors, height=0.7)
    ax.set_yticks(y, t["description"])
    for yi, v, when in zip(y, share, t["flips_when"].fillna("")):
        if np.isnan(v):  # no specification could flip it: not a 100%
            ax.text(0.01, yi, "untestable: no choice in the grid could flip it", va="center", fontsize=5.5, color="#666666")
            continue
        label = f"{v:.0%}" + (f"  flips: {_two_lines(when, FLIPS_WIDTH)}" if when else "")
        ax.text(min(v, 1.0) + 0.01, yi, label, va="center", fontsize=5.5)
    ax.set_xlim(0, 2.1)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.spines.bottom.set_bounds(0, 1)
    ax.axvline(0.9, color="#999999", linewidth=0.6, linestyle=":")
    ax.set_xlabel("share of specifications in which the finding holds")
    ax.tick_params(axis="y", labelsize=6)
    return ax
