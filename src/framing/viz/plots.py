"""Plots: each takes a tidy table, draws on ``ax`` and returns it.

No function here calls ``plt.show()``, saves a file or sets global style; the
figure code (:mod:`framing.output.figures`) does that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from framing.base.errors import ArgumentError
from framing.viz.style import STANCE_COLORS, group_colors, order_groups

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = [
    "plot_corpus_overview", "plot_keyness", "plot_dispersion", "plot_collocates",
    "plot_frame_salience",
    "plot_stance_composition",
    "plot_corrected_salience", "plot_frame_cooccurrence", "plot_frame_trend",
    "plot_search_k", "plot_topic_prevalence", "plot_topic_terms", "plot_orientation", "plot_partners",
    "plot_robustness",
]


def _axes(ax: Axes | None) -> Axes:
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    return ax


def plot_corpus_overview(
    summary: pd.DataFrame,
    *,
    by: str = "source_type",
    measure: str = "tokens",
    label: str = "doc_id",
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
    colors = group_colors(groups)
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
    if not legend:
        return ax
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=colors[g], label=str(g)) for g in groups], title=by, loc="lower right", frameon=False)
    return ax


def plot_keyness(
    table: pd.DataFrame,
    *,
    target: str | None = None,
    n: int = 15,
    measure: str = "g2",
    color: str | None = None,
    reference_color: str = "#9a9a9a",
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
        Colour of the target's bars; None uses the target's fixed colour.
    reference_color : str
    ax : matplotlib Axes or None

    Returns
    -------
    matplotlib.axes.Axes
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
    color = color or group_colors([target])[target]
    colors = [color if v > 0 else reference_color for v in rows[measure]]
    fragile = (rows["loo_holds"] == 0).to_numpy() if "loo_holds" in rows.columns else np.zeros(len(rows), dtype=bool)
    ax.barh(y[~fragile], rows[measure].to_numpy()[~fragile], color=np.array(colors, dtype=object)[~fragile], height=0.75)
    if fragile.any():  # key only with one particular document in: outlined and hatched
        ax.barh(y[fragile], rows[measure].to_numpy()[fragile], color="white", height=0.75, linewidth=0.8,
                edgecolor=np.array(colors, dtype=object)[fragile], hatch="/////")
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
    ax : matplotlib Axes or None

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _axes(ax)
    docs = list(dict.fromkeys(table["doc_id"])) if docs is None else list(docs)
    rank = {d: i for i, d in enumerate(docs)}
    colors = group_colors(order_groups(table[by])) if by and by in table.columns and len(table) else {}
    for d, g in table.groupby("doc_id", sort=False):
        if d not in rank:
            continue
        yi = len(docs) - 1 - rank[d]
        c = colors.get(g[by].iloc[0], "#333333") if colors else "#333333"
        ax.vlines(g["position"], yi - 0.38, yi + 0.38, color=c, linewidth=0.8)
    ax.set_yticks(range(len(docs)), docs[::-1])
    ax.set_ylim(-0.6, len(docs) - 0.4)
    ax.set_xlim(0, 1)
    ax.set_xticks([0, 0.5, 1], ["start", "middle", "end"])
    for label, ha in zip(ax.get_xticklabels(), ("left", "center", "right")):
        label.set_horizontalalignment(ha)
    return ax


def plot_collocates(
    table: pd.DataFrame,
    *,
    group: str | None = None,
    n: int = 12,
    measure: str = "log_dice",
    exclude_node: bool = True,
    color: str | None = None,
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
        None uses the group's fixed colour.
    ax : matplotlib Axes or None

    Returns
    -------
    matplotlib.axes.Axes
        A dot per collocate, labelled with the co-occurrence count ``n``.
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
    color = color or group_colors([group])[group]
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
        is drawn as a small hollow mark on its group's row, so a group
        estimate carried by one of its documents shows as such.
    ax : matplotlib Axes or None

    Returns
    -------
    matplotlib.axes.Axes
        One row per frame, one dot per group (fixed colours), whiskers the
        bootstrap interval; the legend gives each group's documents.
    """
    for col in (measure, f"{measure}_low", f"{measure}_high"):
        if col not in table.columns:
            raise ArgumentError(f"plot_frame_salience: no column {col!r} in the table")
    ax = _axes(ax)
    frames = list(dict.fromkeys(table["frame"])) if frames is None else frames
    colors = group_colors(order_groups(table["group"]))
    for g, t, y in _frame_rows(table, frames):
        docs = int(t["docs"].dropna().iloc[0]) if t["docs"].notna().any() else 0
        ax.errorbar(
            t[measure], y,
            xerr=[t[measure] - t[f"{measure}_low"], t[f"{measure}_high"] - t[measure]],
            fmt="o", color=colors[g], ms=3.5, elinewidth=1.0, capsize=0,
            label=f"{g} ({docs} doc{'s' if docs != 1 else ''})",
        )
        if documents is not None and docs > 1 and measure in documents.columns:
            per = documents[documents["group"] == g]
            for fi, f in enumerate(frames):
                xs = per.loc[per["frame"] == f, measure].to_numpy(dtype=float)
                ax.scatter(xs, np.full(len(xs), y[fi]), s=30, marker="|", color=colors[g], linewidths=1.0, zorder=4)
    _frame_axis(ax, frames)
    ax.set_xlim(left=0)
    labels = {"share_units": "share of paragraphs carrying the frame", "per_1000": "hits per 1,000 tokens",
              "share_hits": "share of the group's frame hits"}
    ax.set_xlabel(labels.get(measure, measure))
    return ax


def plot_stance_composition(table: pd.DataFrame, *, frame: str, ax: Axes | None = None) -> Axes:
    """How each group holds one frame: stacked shares of its hits by stance.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`framing.stance_composition` output.
    frame : str
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
    return ax


def plot_corrected_salience(table: pd.DataFrame, *, frames: list[str] | None = None, ax: Axes | None = None) -> Axes:
    """Observed against corrected share of paragraphs per group and frame.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`framing.corrected_salience` output.
    frames : list of str or None
        Frames to show, top to bottom; None: all, in table order.
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
    colors = group_colors(order_groups(table["group"]))
    for g, t, y in _frame_rows(table, frames):
        docs = int(t["docs"].dropna().iloc[0]) if "docs" in t and t["docs"].notna().any() else 0
        ax.scatter(t["observed"], y, s=14, facecolors="none", edgecolors=colors[g], linewidths=0.8, zorder=3)
        ax.errorbar(t["corrected"], y, xerr=[t["corrected"] - t["corrected_low"], t["corrected_high"] - t["corrected"]],
                    fmt="o", color=colors[g], ms=3.5, elinewidth=1.0, capsize=0, zorder=4,
                    label=f"{g} ({docs} doc{'s' if docs != 1 else ''})")
    _frame_axis(ax, frames)
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("share of paragraphs carrying the frame (hollow: observed; filled: corrected)")
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


def plot_frame_trend(
    table: pd.DataFrame,
    *,
    frame: str,
    measure: str = "share_units",
    ax: Axes | None = None,
) -> Axes:
    """A frame's salience over time, one line per series.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`framing.frame_salience` with ``by=[series, time]`` (groups
        labelled ``"official | 2025"``), or ``by=time`` alone.
    frame : str
    measure : str, default='share_units'
    ax : matplotlib Axes or None

    Returns
    -------
    matplotlib.axes.Axes
        Lines with a band for the bootstrap interval.
    """
    t = table[table["frame"] == frame].copy()
    if t.empty:
        raise ArgumentError(f"plot_frame_trend: frame {frame!r} is not in the table")
    parts = t["group"].astype(str).str.split(" | ", regex=False)
    t["series"] = parts.map(lambda p: p[0] if len(p) > 1 else "all")
    t["time"] = parts.map(lambda p: p[-1])
    ax = _axes(ax)
    colors = group_colors(order_groups(t["series"]))
    for s, g in t.groupby("series", sort=False):
        g = g.sort_values("time")
        ax.plot(g["time"], g[measure], marker="o", ms=3, color=colors[s], label=s)
        ax.fill_between(g["time"], g[f"{measure}_low"], g[f"{measure}_high"], color=colors[s], alpha=0.15, linewidth=0)
    ax.set_ylabel(measure.replace("_", " "))
    ax.set_title(frame, loc="left")
    return ax


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
    colors = group_colors(groups)
    k = len(groups)
    offsets = -(np.arange(k) - (k - 1) / 2) * (0.7 / max(k, 1))
    for gi, g in enumerate(groups):
        t = table[table["group"] == g].set_index("topic").reindex(topics)
        y = np.arange(len(topics))[::-1] + offsets[gi]
        docs = int(t["docs"].iloc[0])
        ax.errorbar(t["prevalence"], y, xerr=[t["prevalence"] - t["low"], t["high"] - t["prevalence"]], fmt="o",
                    color=colors[g], ms=3.5, elinewidth=1.0, label=f"{g} ({docs} doc{'s' if docs != 1 else ''})")
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


#: Bloc colours: deliberately none of the source-type colours, so a bar's
#: colour never reads as a source type.
BLOC_COLORS = {
    "mainland_china": "#D55E00", "global_south": "#56B4E9", "west": "#444444", "multilateral": "#999999", "other": "#DDDDDD",
}


def plot_orientation(table: pd.DataFrame, *, documents: pd.DataFrame | None = None, ax: Axes | None = None) -> Axes:
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
    ax : matplotlib Axes or None

    Returns
    -------
    matplotlib.axes.Axes
        Rows are blocs (``grouping``: terms naming a category of countries);
        each group is a dot in its fixed colour with its interval; the legend
        gives each group's counted mentions, documents and, where the table
        has them, the actor mentions set apart.
    """
    ax = _axes(ax)
    blocs = list(dict.fromkeys(table["bloc"]))
    groups = order_groups(table["group"])
    colors = group_colors(groups)
    k = len(groups)
    offsets = -(np.arange(k) - (k - 1) / 2) * (0.7 / max(k, 1))
    for gi, g in enumerate(groups):
        t = table[table["group"] == g].set_index("bloc").reindex(blocs)
        y = np.arange(len(blocs))[::-1] + offsets[gi]
        total, docs = int(t["total"].iloc[0]), int(t["docs"].iloc[0])
        label = f"{g} (n = {total}, {docs} doc{'s' if docs != 1 else ''}"
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
    return ax


def plot_partners(table: pd.DataFrame, *, group: str, n: int = 8, subject: str = "the subject",
                  ax: Axes | None = None) -> Axes:
    """Ranked bars of one group's partners (:func:`framing.partners` output), coloured by bloc.

    ``subject`` names the study's subject in the axis label."""
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
    return ax


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
        when = when if len(when) <= 60 else when[:57] + "..."
        label = f"{v:.0%}" + (f"  flips: {when}" if when else "")
        ax.text(min(v, 1.0) + 0.01, yi, label, va="center", fontsize=5.5)
    ax.set_xlim(0, 2.1)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.spines.bottom.set_bounds(0, 1)
    ax.axvline(0.9, color="#999999", linewidth=0.6, linestyle=":")
    ax.set_xlabel("share of specifications in which the finding holds")
    ax.tick_params(axis="y", labelsize=6)
    return ax
