"""The paper's figures and tables of a study: the bundled one, or any other settings file.

One function per figure, each from the :class:`~study.context.Study` (corpus,
settings, shared results) to a matplotlib Figure and its provenance; the
library's :func:`framing.output.figures.render` draws and records them. The
provenance's ``data`` is the tidy table of the numbers the figure plots (a
``panel`` column where it has several panels, and the ids of the documents
and counts of units behind each number), written as ``figures/data/<name>.csv``.

Nothing here names the bundled study: captions and titles come from the
settings (``groups``, ``subject``, ``role_frames``...) and from the data.
:func:`plan` gives the registry for a settings file, leaving out the figures
its settings cannot support (no subject: no collocates of the subject and no
places figures; no codebook: no frame figures) with a note for each.
"""

from __future__ import annotations

import re
import string
import textwrap
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

import framing as fr
from framing.measures.places import load_gazetteer
from framing.output.figures import FigureSpec, Registry, written_resolution
from framing.viz.style import BLOC_COLORS, DOUBLE_COLUMN, GroupColors, group_colors
from study.context import Settings, Study, load_settings

#: The figure functions, their names and captions as templates (``{group}``, ``{groups}``, ``{subject}``,
#: ``{n_frames}``, ``{subject_slug}``); :func:`plan` fills them from a study's settings.
TEMPLATES = Registry()

#: Above this many documents, per-document panels (fig01 a, fig03) draw one row per group instead.
MANY_DOCUMENTS = 30


def _colors(study: Study) -> GroupColors:
    """The run's one colour per group, passed to every plot: the settings' ``colors``, then the corpus'
    other groups by sorted label (:func:`framing.viz.style.group_colors`)."""
    return group_colors(study.groups(), study.settings.colors)


def _grid(n: int, height: float, cols: int = 2, **kwargs: Any) -> tuple[Figure, list[Any]]:
    """A figure of ``n`` panels, ``cols`` a row, ``height`` inches a row; panels beyond ``n`` hidden."""
    rows = max(1, -(-n // cols))
    fig, axes = plt.subplots(rows, cols, figsize=(DOUBLE_COLUMN, height * rows), layout="constrained", squeeze=False,
                             **kwargs)
    flat = list(axes.flat)
    for ax in flat[n:]:
        ax.set_visible(False)
    return fig, flat[:n]


def _names(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _one_document_groups(study: Study) -> str:
    """'Academic, press and commentary rest on one document each. ' for the groups that do ('' if none)."""
    meta = study.corpus.meta
    if study.by not in meta.columns:
        return ""
    counts = meta[study.by].dropna().astype(str).value_counts()
    single = [g for g in study.settings.order(counts.index) if counts[g] == 1]
    if not single:
        return ""
    names = _names(single)
    return f"{names[0].upper() + names[1:]} rest{'s' if len(single) == 1 else ''} on one document{'' if len(single) == 1 else ' each'}. "


#: Counts that a figure's data table writes as whole numbers, also where some of its rows have none.
_COUNTS = {"docs", "units", "actors", "mentions", "total", "units_with_frame", "hits"}


def _data(table: pd.DataFrame, columns: list[str], **constants: Any) -> pd.DataFrame:
    """The plotted rows of a measure's table: ``constants`` (such as ``panel``) first, then ``columns`` in order."""
    out = table.reset_index(drop=True).assign(**constants)[[*constants, *columns]]
    counts = [c for c in out.columns if c in _COUNTS and pd.api.types.is_float_dtype(out[c])]
    return out.astype({c: "Int64" for c in counts})


@TEMPLATES.figure("fig01_corpus_overview", "Size of the corpus by document and by {group}.")
def fig01_corpus_overview(study: Study) -> tuple[Figure, dict[str, Any]]:
    """Running words per document, and per group with its documents,
    paragraphs and sentences, in the settings' group colours. Above
    :data:`MANY_DOCUMENTS` documents, panel a draws each group's documents
    as dots on one row (their labels would not be readable)."""
    corpus, settings = study.corpus, study.settings

    per_doc = fr.summary(corpus)
    by = study.by
    per_group = fr.summary(corpus, by=by)
    fig, (ax1, ax2) = plt.subplots(
        1, 2, figsize=(DOUBLE_COLUMN, 2.9), gridspec_kw={"width_ratios": [1.35, 1]}, layout="constrained"
    )
    colors = _colors(study)
    groups = settings.order(per_group[by])
    many = len(per_doc) > MANY_DOCUMENTS
    if many:
        _documents_by_group(per_doc, by, groups, colors, ax1)
        ax1.set_title(f"a  Documents ({len(per_doc)}), by {settings.group_label}", loc="left", fontweight="bold")
    else:
        fr.plot_corpus_overview(per_doc, by=by, measure="tokens", colors=colors, legend=False, ax=ax1)
        ax1.set_title("a  Documents", loc="left", fontweight="bold")
    ax1.set_xlabel("running words (tokens)")

    table = per_group.set_index(by).loc[groups]
    y = list(range(len(groups)))[::-1]
    ax2.barh(y, table["tokens"], color=[colors[g] for g in groups], height=0.7)
    ax2.set_yticks(y, groups)
    vmax = float(table["tokens"].max())
    for yi, g in zip(y, groups):
        row = table.loc[g]
        docs = int(row["documents"])
        note = (
            f"{int(row['tokens']):,} words, {docs} document{'s' if docs != 1 else ''}\n"
            f"{int(row['paragraphs'])} paragraphs, {int(row['sentences'])} sentences"
        )
        ax2.text(float(row["tokens"]) + vmax * 0.02, yi, note, va="center", fontsize=6.5)
    ax2.set_xlim(0, vmax * 2.4)
    ticks = [t for t in MaxNLocator(2).tick_values(0, vmax) if 0 <= t <= vmax * 1.05]  # short axis: few labels
    ax2.set_xticks(ticks)
    ax2.spines.bottom.set_bounds(0, ticks[-1])
    ax2.set_xlabel("running words (tokens)")
    ax2.set_title(f"b  {settings.group_plural[:1].upper()}{settings.group_plural[1:]}", loc="left", fontweight="bold")
    pre_id = str(per_doc["preprocessor"].iloc[0])
    pooled = (f"a: one dot per document, a line at each {settings.group_label}'s median ({len(per_doc)} documents "
              f"are too many to label one by one).\n") if many else ""
    fig.supxlabel(
        f"Colours: {settings.group_plural}. {pooled}{_one_document_groups(study)}"
        f"Tokens: running words ({pre_id}); corpus {corpus.content_hash[:10]}.",
        fontsize=6, color="#444444",
    )
    _room_for_labels(fig, ax2)
    sizes = ["documents", "paragraphs", "sentences", "tokens"]
    data = pd.concat([
        _data(per_doc.rename(columns={by: "group"}).assign(documents=1), ["doc_id", "group", *sizes], panel="a"),
        _data(table.reset_index().rename(columns={by: "group"}).assign(doc_id=""), ["doc_id", "group", *sizes], panel="b"),
    ], ignore_index=True)
    return fig, {"preprocessor": pre_id, "data": data}


def _documents_by_group(per_doc: pd.DataFrame, by: str, groups: list[str], colors: GroupColors, ax: Any) -> None:
    """One row per group: each document's running words as a dot (spread a little up and down), the median as a line."""
    y = {g: i for i, g in enumerate(groups[::-1])}
    for g in groups:
        values = per_doc.loc[per_doc[by].astype(str) == g, "tokens"].to_numpy(dtype=float)
        jitter = ((pd.RangeIndex(len(values)) * 0.618034) % 1 - 0.5) * 0.5  # fixed, not random: files stay identical
        ax.scatter(values, y[g] + jitter.to_numpy(), s=9, color=colors[g], alpha=0.75, linewidths=0)
        if len(values):
            median = float(pd.Series(values).median())
            ax.plot([median, median], [y[g] - 0.35, y[g] + 0.35], color="#222222", linewidth=1.2)
    ax.set_yticks(list(y.values()), list(y))
    ax.set_ylim(-0.6, len(groups) - 0.4)
    ax.set_xlim(left=0)


def _terms(terms: str | tuple[str, ...]) -> str:
    return terms if isinstance(terms, str) else ", ".join(terms)


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _panel_title(ax: Any, text: str, docs: int) -> None:
    note = " (1 document)" if docs == 1 else f" ({docs} documents)"
    ax.set_title(text + note, loc="left", fontsize=8, fontweight="bold")


def _room_for_labels(fig: Figure, ax: Any) -> None:
    """Widen ``ax``'s x range so that the labels written in it at data positions (``ax.texts``) end
    inside the axes.

    The labels are left out of the constrained layout (which would shrink the axes for them, and
    still leave one a few pixels past the figure's edge). A label of width ``w`` pixels at data ``x``
    ends inside an axes ``W`` pixels wide when ``(x - lo) W / (hi - lo) + w <= W``, so the range is
    solved for once the figure is laid out at the resolution it is written at.
    """
    for t in ax.texts:
        t.set_in_layout(False)
    with written_resolution(fig) as renderer:
        fig.draw_without_rendering()
        width = ax.get_window_extent(renderer).width
        pad = renderer.points_to_pixels(1)
        lo, hi = ax.get_xlim()
        need = hi
        for t in ax.texts:
            room = width - t.get_window_extent(renderer).width - pad
            if t.get_transform() == ax.transData and room > 0:
                need = max(need, lo + (t.get_position()[0] - lo) * width / room)
        ax.set_xlim(lo, need)


def _p_text(p: float) -> str:
    """A p-value for a caption: two decimals, three below 0.01, and "< 0.001" below that (never "0.00")."""
    if p < 0.001:
        return "< 0.001"
    return f"{p:.3f}" if p < 0.01 else f"{p:.2f}"


@TEMPLATES.figure("fig02_keyness", "Key terms of each {group} against the rest (signed G², log ratio labels).")
def fig02_keyness(study: Study) -> tuple[Figure, dict[str, Any]]:
    """One panel per group: its top terms against the rest, and the rest's."""
    corpus, settings = study.corpus, study.settings

    pre = fr.Preprocessor()
    m = fr.dtm(study.tokens(pre), unit="paragraph")
    by = study.by
    table = fr.keyness(m, by=by)
    groups = settings.order(table["target"])
    key = int((table["p_adj"] < 0.05).sum())
    fragile = int((table["loo_holds"] == 0).sum())
    tested = table.dropna(subset=["p_docs"]).drop_duplicates("target")
    doc_note = (f"no {settings.group_label} has enough documents for a test over documents: the differences are between these documents."
                if tested.empty else
                "a test over documents (Mann–Whitney, documents relabelled) was possible for " + ", ".join(tested["target"])
                + f": smallest p {_p_text(table['p_docs'].min())}, {int((table['p_docs_adj'] < 0.05).sum())} terms at p_adj < 0.05.")
    fig, axes = _grid(len(groups), 4.1)
    colors = _colors(study)
    drawn = []
    for ax, g in zip(axes, groups):
        fr.plot_keyness(table, target=g, n=12, colors=colors, ax=ax)
        t = table[table["target"] == g]
        drawn.append(pd.concat([t[t["g2"] < 0].nsmallest(12, "g2"), t[t["g2"] > 0].nlargest(12, "g2").iloc[::-1]])
                     .assign(panel=g))  # the bars, bottom to top, as plot_keyness draws them
        docs = int(table.loc[table["target"] == g, "docs_target"].iloc[0])
        _panel_title(ax, f"{g} vs the rest", docs)
        ax.tick_params(axis="y", labelsize=6.5)
    fig.supxlabel(
        f"Bars: signed G² (paragraph counts, terms seen at least 5 times, no continuity correction); labels: log ratio.\n"
        f"Hatched: not key (BH-adjusted p < 0.05) once one document is left out: {fragile} of {key} key terms. "
        "G² treats tokens as independent draws;\n"
        + textwrap.fill(f"{doc_note} {pre.id}; corpus {corpus.content_hash[:10]}.", 135),
        fontsize=6, color="#444444",
    )
    data = _data(pd.concat(drawn), ["panel", "term", "g2", "log_ratio", "loo_holds", "p_adj", "n_target", "n_reference",
                                    "docs_with_term", "dominant_document", "docs_target"])
    return fig, {"preprocessor": pre.id, "data": data}


@TEMPLATES.figure("fig03_dispersion", "Where the role terms occur through each document (lexical dispersion).")
def fig03_dispersion(study: Study) -> tuple[Figure, dict[str, Any]]:
    """Small multiples, one per role term: each document's occurrences by position. Above
    :data:`MANY_DOCUMENTS` documents, one row per group pools its documents' occurrences."""
    corpus, settings = study.corpus, study.settings

    pre = fr.Preprocessor()
    table = fr.dispersion(study.tokens(pre), list(settings.role_terms))
    by = study.by
    meta = corpus.meta
    rank = {g: i for i, g in enumerate(study.groups())}
    docs = sorted(meta["doc_id"], key=lambda d: (rank.get(corpus[d].meta.get(by), 99), corpus.doc_ids.index(d)))
    many = len(docs) > MANY_DOCUMENTS
    rows = study.groups()[::-1] if many else docs
    plotted = table.assign(doc_id=table[by].astype(str)) if many else table  # a group's row pools its documents
    fig, axes = _grid(len(settings.role_terms), 1.6 if not many else max(0.9, 0.22 * len(rows) + 0.5),
                      sharex=True, sharey=True)
    colors = _colors(study)
    for ax, pattern in zip(axes, settings.role_terms):
        sub = plotted[plotted["pattern"] == pattern]
        fr.plot_dispersion(sub, by=by, docs=rows, colors=colors, legend=False, ax=ax)
        ax.set_title(f"{pattern}  (n = {len(sub)})", loc="left", fontsize=8, fontweight="bold")
        ax.tick_params(axis="y", labelsize=6)
        for spine in ("left",):
            ax.spines[spine].set_visible(False)

    groups = study.groups()
    fig.legend(handles=colors.handles(groups), loc="outside upper center", ncols=min(len(groups), 6), frameon=False, fontsize=7)
    pooled = (f"One row per {settings.group_label}: its {len(docs)} documents' occurrences pooled (too many documents to "
              "show one row each).\n") if many else ""
    fig.supxlabel(
        f"{pooled}Position in the document's token stream (0 = start, 1 = end). Globs match lemmatised terms. {pre.id}; corpus {corpus.content_hash[:10]}.",
        fontsize=6, color="#444444",
    )
    drawn = table[table["pattern"].isin(settings.role_terms) & table["doc_id"].isin(docs)].rename(columns={by: "group"})
    data = _data(drawn.assign(panel=drawn["pattern"]),
                 ["panel", "doc_id", "group", "term", "position", "token_index", "n_tokens", "start", "end"])
    return fig, {"preprocessor": pre.id, "data": data}


@TEMPLATES.figure("fig04_{subject_slug}_collocates", "What '{subject}' keeps company with, by {group} (logDice, ±{window} tokens).")
def fig04_hong_kong_collocates(study: Study) -> tuple[Figure, dict[str, Any]]:
    """Per group, the strongest collocates of the subject term within the window."""
    corpus, settings = study.corpus, study.settings

    pre = fr.Preprocessor()
    by = study.by
    opts = settings.collocates
    table = fr.collocations(study.tokens(pre), by=by, node=settings.subject_terms, window=opts["window"],
                            min_count=opts["min_count"])
    groups = settings.order(table["group"])
    ndocs = corpus.meta.groupby(by)["doc_id"].nunique().to_dict()
    fig, axes = _grid(len(groups), 2.7)
    colors = _colors(study)
    drawn = []
    for ax, g in zip(axes, groups):
        fr.plot_collocates(table, group=g, n=opts["n"], colors=colors, ax=ax)
        t = table[(table["group"] == g) & (table["collocate"] != table["node"])]
        drawn.append(t.nlargest(opts["n"], "log_dice").assign(panel=g))  # the dots, top to bottom
        _panel_title(ax, g, int(ndocs.get(g, 0)))
        ax.tick_params(axis="y", labelsize=6.5)
        ax.set_xlabel("logDice", fontsize=7)
    fig.supxlabel(
        f"Collocates of {_terms(settings.subject_terms)} within ±{opts['window']} tokens of the same sentence, seen at least "
        f"{_times(opts['min_count'])}; labels: co-occurrences. "
        f"{pre.id}; corpus {corpus.content_hash[:10]}.",
        fontsize=6, color="#444444",
    )
    data = _data(pd.concat(drawn), ["panel", "node", "collocate", "log_dice", "n", "f_node", "f_collocate"])
    return fig, {"preprocessor": pre.id, "data": data}


@TEMPLATES.figure("fig05_frame_salience", "Frame salience by {group}: share of paragraphs carrying each frame, with 95% bootstrap intervals.")
def fig05_frame_salience(study: Study) -> tuple[Figure, dict[str, Any]]:
    """Two panels: every paragraph, and only paragraphs that mention the subject (one panel without a subject)."""
    corpus, settings = study.corpus, study.settings

    result = study.frames()
    seed = settings.seed
    panels = [("all", "a  All paragraphs")]
    if settings.subject is not None:
        panels.append(("paragraph", f"b  Paragraphs that mention {settings.subject_label}"))
    fig, axes = plt.subplots(1, len(panels), figsize=(DOUBLE_COLUMN * len(panels) / 2 + 1.0 * (len(panels) == 1), 4.6),
                             sharey=True, sharex=True, layout="constrained", squeeze=False)
    axes = list(axes.flat)
    colors = _colors(study)
    drawn = []
    for ax, (scope, title) in zip(axes, panels):
        table = fr.frame_salience(result, scope=scope, n_boot=settings.n_boot, random_state=seed)
        per_doc = fr.document_salience(result, scope=scope)
        fr.plot_frame_salience(table, measure="share_units", documents=per_doc, colors=colors, legend=False, ax=ax)
        ax.set_title(title, loc="left", fontweight="bold")
        drawn.append(_salience_data(table, per_doc, panel=title[0], scope=scope))
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper center", ncols=min(len(labels), 4), frameon=False, fontsize=7)
    g = settings.group_label
    fig.supxlabel(
        f"Dots: share of a {g}'s paragraphs (headings left out) with at least one hit. Whiskers: 95% intervals "
        f"resampling documents, then their paragraphs\n({settings.n_boot:,} draws, seed {seed}); a {g} of one document has "
        f"whiskers within that document. Ticks: each document of a {g} of several, on its own.\n"
        f"Codebook {result.codebook.version_id}; {result.preprocessor}; corpus {corpus.content_hash[:10]}.",
        fontsize=6, color="#444444",
    )
    return fig, {"preprocessor": result.preprocessor, "codebook_version": result.codebook.version_id, "seed": seed,
                 "data": pd.concat(drawn, ignore_index=True)}


def _salience_data(table: pd.DataFrame, per_doc: pd.DataFrame, **constants: Any) -> pd.DataFrame:
    """A salience panel's dots and whiskers (``level`` group) and its documents' ticks (``level`` document:
    the documents of groups of several, as :func:`framing.plot_frame_salience` draws them)."""
    several = table.loc[table["docs"] > 1, "group"].unique()
    rows = pd.concat([table.assign(level="group", doc_id=""),
                      per_doc[per_doc["group"].isin(several)].assign(level="document")], ignore_index=True)
    return _data(rows, ["level", "group", "doc_id", "frame", "share_units", "share_units_low", "share_units_high",
                        "units", "units_with_frame", "docs"], **constants)


@TEMPLATES.figure("fig06_frame_cooccurrence", "Which frames share a paragraph, by {group} (Jaccard; numbers: paragraphs with both).")
def fig06_frame_cooccurrence(study: Study) -> tuple[Figure, dict[str, Any]]:
    """One heatmap per group."""
    corpus = study.corpus

    result = study.frames()
    table = fr.frame_cooccurrence(result)
    groups = study.settings.order(table["group"])
    ndocs = result.units.groupby(result.group_by or "doc_id")["doc_id"].nunique().to_dict() if result.group_by else {}
    fig, axes = _grid(len(groups), 3.7)
    for ax, g in zip(axes, groups):
        fr.plot_frame_cooccurrence(table, group=g, ax=ax)
        units = int(table.loc[table["group"] == g, "units"].iloc[0])
        docs = ndocs.get(g, 0)
        ax.set_title(f"{g} ({docs} doc{'s' if docs != 1 else ''}, {units} paragraphs)", loc="left", fontsize=8, fontweight="bold")
        ax.tick_params(labelsize=6)
    fig.colorbar(axes[0].images[0], ax=axes, shrink=0.5, label="Jaccard index", aspect=30)
    fig.supxlabel(
        "Colour: Jaccard index of the paragraphs carrying each pair of frames; numbers: paragraphs carrying both.\n"
        f"Codebook {result.codebook.version_id}; {result.preprocessor}; corpus {corpus.content_hash[:10]}.",
        fontsize=6, color="#444444",
    )
    drawn = table[table["group"].isin(groups[:len(axes)]) & (table["frame_a"] != table["frame_b"])]  # the diagonal is blank
    data = _data(drawn.assign(panel=drawn["group"]), ["panel", "frame_a", "frame_b", "jaccard", "n_both", "n_a", "n_b", "units"])
    return fig, {"preprocessor": result.preprocessor, "codebook_version": result.codebook.version_id, "data": data}




@TEMPLATES.figure("fig07_topic_k_selection", "Choosing the number of topics: coherence, exclusivity and fit by k, spread over seeds.",
                  slow=True)
def fig07_topic_k_selection(study: Study) -> tuple[Figure, dict[str, Any]]:
    """Diagnostics for LDA and NMF, k = 3..10, three seeds each."""
    corpus, settings = study.corpus, study.settings

    m = study.topic_dtm()
    seeds = settings.search_seeds
    tables = {meth: fr.search_k(m, ks=settings.search_ks, seeds=seeds, method=meth, progress=False, texts=study.tokens())
              for meth in ("lda", "nmf")}
    fig, axes = plt.subplots(2, 4, figsize=(DOUBLE_COLUMN, 4.2), layout="constrained", sharex=True)
    drawn = []
    for row, meth in zip(axes, ("lda", "nmf")):
        fit = "perplexity" if meth == "lda" else "reconstruction_error"
        for ax, measure in zip(row, ("c_v", "c_npmi", "exclusivity", fit)):
            fr.plot_search_k(tables[meth], measure=measure, ax=ax)
            drawn.append(_data(tables[meth].rename(columns={measure: "value"}), ["k", "seed", "value"],
                               panel=f"{meth}:{measure}", method=meth, measure=measure))
            names = {"c_v": "C_V coherence", "c_npmi": "NPMI coherence", "exclusivity": "exclusivity",
                     "perplexity": "perplexity", "reconstruction_error": "recon. error"}
            ax.set_title(f"{meth.upper()}: {names[measure]}", loc="left", fontsize=7.5, fontweight="bold")
            if meth == settings.topic_method:
                ax.axvline(settings.topic_k, color="#CC79A7", linewidth=0.8, linestyle="--")
    fig.supxlabel(
        f"Number of topics k. Dots: seed{'s' if len(seeds) > 1 else ''} {', '.join(map(str, seeds))}; line: mean. Dashed: the k used in fig08-09 "
        f"({settings.topic_method.upper()}, k = {settings.topic_k}), a judgement the diagnostics inform.\n{m.shape[0]} paragraphs, {m.shape[1]} terms; "
        f"{m.preprocessor}; corpus {corpus.content_hash[:10]}.",
        fontsize=6, color="#444444",
    )
    data = pd.concat(drawn, ignore_index=True).assign(units=m.shape[0], terms=m.shape[1])
    return fig, {"preprocessor": m.preprocessor, "seed": ",".join(map(str, seeds)), "data": data}


@TEMPLATES.figure("fig08_topic_prevalence", "Topic prevalence by {group}: mean topic share of paragraphs with 95% bootstrap intervals.")
def fig08_topic_prevalence(study: Study) -> tuple[Figure, dict[str, Any]]:
    """Dot-and-whisker plot of each topic's mean share in each group."""
    corpus, settings = study.corpus, study.settings

    model = study.topic_model()
    prev = fr.topic_prevalence(model, by=study.by, n_boot=settings.n_boot, random_state=settings.topic_seed)
    stab = fr.topic_stability(study.topic_dtm(), settings.topic_k, seeds=settings.stability_seeds, method=settings.topic_method,
                           reference=model, init="random")
    per_doc = fr.document_prevalence(model, by=study.by)
    mass = per_doc.assign(mass=per_doc["prevalence"] * per_doc["units"]).pivot_table(index="topic", columns="doc_id", values="mass")
    one_doc = int((mass.max(axis=1) / mass.sum(axis=1) >= 0.8).sum())
    fig, ax = plt.subplots(figsize=(DOUBLE_COLUMN, 3.8), layout="constrained")
    fr.plot_topic_prevalence(prev, stability=stab, documents=per_doc, colors=_colors(study), legend=False, ax=ax)
    several = prev.loc[prev["docs"] > 1, "group"].unique()
    rows = pd.concat([prev.assign(level="group", doc_id=""), per_doc[per_doc["group"].isin(several)].assign(level="document")],
                     ignore_index=True)
    rows["stable"] = rows["topic"].map(stab.set_index("topic")["stable"])
    data = _data(rows, ["level", "group", "doc_id", "topic", "label", "stable", "prevalence", "low", "high", "units", "docs"])
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper center", ncols=min(len(labels), 4), frameon=False, fontsize=7)
    fig.supxlabel(
        f"{settings.topic_method.upper()}, k = {settings.topic_k}, seed {settings.topic_seed}; labels: top FREX terms. Ticks: each document's own mean.\n"
        f"Whiskers: 95% intervals resampling documents, then paragraphs (only paragraphs for a one-document group).\n"
        f"{one_doc} of {model.n_topics} topics draw at least 80% of their mass from one document. "
        f"(unstable): in {len(settings.stability_seeds) - 1} refits with random initialisation the topic's worst match has cosine < 0.7.\n"
        f"{_one_document_groups(study)}{model.preprocessor_}; corpus {corpus.content_hash[:10]}.",
        fontsize=6, color="#444444",
    )
    return fig, {"preprocessor": model.preprocessor_, "seed": settings.topic_seed, "data": data}


@TEMPLATES.figure("fig09_topic_terms", "The topics' top terms (FREX), small multiples.")
def fig09_topic_terms(study: Study) -> tuple[Figure, dict[str, Any]]:
    """One panel per topic: its ten top terms by FREX, bars of their probability."""
    settings = study.settings

    model = study.topic_model()
    terms = model.top_terms(10, rank="frex")
    cols = min(3, settings.topic_k)  # no empty column for a model of one or two topics
    rows = -(-settings.topic_k // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(DOUBLE_COLUMN, 2.3 * rows), layout="constrained")
    for k, ax in enumerate(axes.flat):
        if k >= settings.topic_k:
            ax.set_visible(False)
            continue
        fr.plot_topic_terms(terms, topic=k, ax=ax)
        ax.set_title(model.labels_[k], loc="left", fontsize=6.8, fontweight="bold")
    fig.supxlabel(
        f"Bars: term probability in the topic; terms ranked by FREX (frequent and exclusive). {settings.topic_method.upper()}, k = {settings.topic_k}, "
        f"seed {settings.topic_seed}; {model.preprocessor_}.",
        fontsize=6, color="#444444",
    )
    drawn = terms[terms["topic"] < settings.topic_k]
    data = _data(drawn.assign(panel=drawn["topic"]), ["panel", "topic", "label", "rank", "term", "prob", "weight"])
    return fig, {"preprocessor": model.preprocessor_, "seed": settings.topic_seed, "data": data}


@TEMPLATES.figure("fig10_bloc_orientation", "Where each {group} points {subject}: bloc shares of place mentions, with 95% intervals.")
def fig10_bloc_orientation(study: Study) -> tuple[Figure, dict[str, Any]]:
    """Bloc shares of the places named in sentences that also name the subject, as destinations and partners:
    places standing for a government that acts are set apart, groupings of countries have their own row."""

    corpus, settings = study.corpus, study.settings

    seed, subject = settings.seed, settings.subject_label
    mentions = study.mentions()
    counted = {"scope": "sentence_with_subject", "actors": "exclude", "groupings": "apart"}
    table = fr.orientation(mentions, **counted, n_boot=settings.n_boot, random_state=seed)
    per_doc = fr.document_orientation(mentions, **counted)
    actors = int(table.drop_duplicates("group")["actors"].sum())
    groupings = int(table.loc[table["bloc"] == "grouping", "mentions"].sum())
    fig, ax = plt.subplots(figsize=(DOUBLE_COLUMN, 4.6), layout="constrained")
    fr.plot_orientation(table, documents=per_doc, colors=_colors(study), legend=False, ax=ax)
    several = table.loc[table["docs"] > 1, "group"].unique()
    rows = pd.concat([table.assign(level="group", doc_id=""), per_doc[per_doc["group"].isin(several)].assign(level="document")],
                     ignore_index=True)
    data = _data(rows, ["level", "group", "doc_id", "bloc", "share", "low", "high", "mentions", "total", "units", "docs",
                        "actors"])
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper center", ncols=2, frameon=False, fontsize=7)
    gaz = load_gazetteer()
    fig.supxlabel(
        f"Places named as destinations or partners in sentences that also name {subject} ({subject} itself left out); "
        "n: mentions counted.\n"
        f"Set apart: {actors} mentions of a place standing for a government that acts (\"Beijing has imposed\", "
        "\"sanctioned by Washington\").\n"
        f"On their own row: {groupings} mentions of groupings (\"B&R countries\", \"the West\", \"Global South\"), "
        "which name a category of countries, not a place.\n"
        "Global South: G77 members; West: EU, EFTA, UK, US, Canada, Australia, New Zealand. Hollow dots: each document's own share.\n"
        f"Whiskers: 95% intervals resampling documents, then paragraphs within them (only paragraphs for a one-document group; "
        f"seed {seed}).\n{_one_document_groups(study)}Rules and blocs: src/framing/data/places/ (gazetteer {gaz.sha256[:8]}); "
        f"corpus {corpus.content_hash[:10]}.",
        fontsize=6, color="#444444",
    )
    return fig, {"seed": seed, "data_version": f"gazetteer+blocs {gaz.sha256}", "data": data}


@TEMPLATES.figure("fig11_partners", "The partners each {group} ties {subject} to: most-named places, coloured by bloc.")
def fig11_partners(study: Study) -> tuple[Figure, dict[str, Any]]:
    """Ranked bars per group: read as lists, which a reader compares down the
    columns; a bipartite network of the groups and ~30 places would hide the counts.
    Places standing for a government that acts are left out; groupings are hatched."""
    corpus, settings = study.corpus, study.settings

    mentions = study.mentions()
    n = 8
    table = fr.partners(mentions, n=n, level="place", actors="exclude")
    in_scope = mentions[(mentions["bloc"] != "self") & mentions["subject_in_sentence"]]
    actors = int((in_scope["role"] == "actor").sum())
    groups = settings.order(table["group"])
    grouping_style = {"facecolor": "white", "edgecolor": "#777777", "hatch": "/////", "linewidth": 0.6}
    fig, axes = _grid(len(groups), 2.5)
    panels = []
    for ax, g in zip(axes, groups):
        fr.plot_partners(table, group=g, n=n, subject=settings.subject_label, legend=False, ax=ax)
        drawn = table[table["group"] == g].nsmallest(n, "rank").iloc[::-1]  # the bars, bottom to top
        panels.append(drawn.iloc[::-1].assign(panel=g, docs=mentions.loc[mentions["group"] == g, "doc_id"].nunique()))  # top first
        for bar, bloc in zip(ax.patches, drawn["bloc"]):
            if bloc == "grouping":
                bar.set(**grouping_style)
        docs = mentions.loc[mentions["group"] == g, "doc_id"].nunique()
        ax.set_title(f"{g} ({docs} doc{'s' if docs != 1 else ''})", loc="left", fontsize=8, fontweight="bold")
        ax.tick_params(axis="y", labelsize=6.5)
    fig.legend(handles=[Patch(color=c, label=b.replace("_", " ")) for b, c in BLOC_COLORS.items()]
               + [Patch(**grouping_style, label="grouping (not a place)")],
               loc="outside upper center", ncols=6, frameon=False, fontsize=7)
    fig.supxlabel(
        f"Top places named in sentences that also name {settings.subject_label}, by {settings.group_label}; colour: bloc; hatched: a grouping of countries "
        f"(\"B&R countries\", \"the West\").\nLeft out: {actors} mentions of a place standing for a government that acts "
        f"(\"Beijing has imposed\", \"sanctioned by Washington\"). Corpus {corpus.content_hash[:10]}.",
        fontsize=6, color="#444444",
    )
    data = _data(pd.concat(panels), ["panel", "group", "rank", "place", "kind", "bloc", "mentions", "share", "docs"])
    return fig, {"data_version": f"gazetteer+blocs {load_gazetteer().sha256}", "data": data}


@TEMPLATES.figure("fig12_robustness", "How often the headline findings hold across the choices that can move them, and what flips them.",
                  slow=True)
def fig12_robustness(study: Study) -> tuple[Figure, dict[str, Any]]:
    """Share of specifications in which each baseline finding holds (frames: 16 plus leave-one-out; keyness: 48)."""
    corpus, settings = study.corpus, study.settings

    seed = settings.seed
    fr_, kw = study.robustness()
    summary = pd.concat([fr_.summary, kw.summary], ignore_index=True)
    fig, ax = plt.subplots(figsize=(DOUBLE_COLUMN, 0.26 * len(summary) + 1.4), layout="constrained")
    fr.plot_robustness(summary, ax=ax)
    naming = f" naming {settings.subject_label}" if settings.subject is not None else ""
    fig.supxlabel(
        f"Frames: the baseline's differences in the share of paragraphs{naming} that carry a role frame (paragraphs "
        f"relabelled, p < 0.05),\nand each {settings.group_label}'s most carried role frame, over "
        f"{(fr_.specs['drop'] == '').sum()} specifications (unit, subject scope, measure, stance) and "
        f"{(fr_.specs['drop'] != '').sum()} more leaving out one document or one indicator.\n"
        f"Keyness: each {settings.group_label.split()[-1]}'s top-20 key terms overlap the baseline's by at least half, over {len(kw.specs)} preprocessing "
        f"specifications.\nLabels: what flips a finding. Seed {seed}; corpus {corpus.content_hash[:10]}.",
        fontsize=6, color="#444444",
    )
    data = _data(summary, ["finding", "description", "holds_share", "specs", "flips", "flips_when", "flipping_specs"])
    return fig, {"preprocessor": str(fr_.specs["preprocessor"].iloc[0]), "seed": seed,
                 "codebook_version": fr_.findings.attrs.get("codebook", ""), "data": data}


@TEMPLATES.figure("fig13_stance_composition", "How each {group} holds the role frames: their hits by stance (affirmed, attributed, hypothetical, past, negated).")
def fig13_stance_composition(study: Study) -> tuple[Figure, dict[str, Any]]:
    """One panel per role frame: each group's hits of the frame, stacked by stance."""
    settings = study.settings
    result = study.frames()
    table = fr.stance_composition(result)
    frames = list(settings.role_frames)
    fig, axes = plt.subplots(1, len(frames), figsize=(DOUBLE_COLUMN, 2.5), sharey=True, layout="constrained", squeeze=False)
    axes = list(axes.flat)
    drawn = []
    for ax, f, letter in zip(axes, frames, string.ascii_lowercase):
        fr.plot_stance_composition(table, frame=f, legend=False, ax=ax)
        drawn.append(table[table["frame"] == f].assign(panel=letter))
        ax.set_title(f"{letter}  {result.codebook[f].label}", loc="left", fontweight="bold")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper center", ncols=5, frameon=False, fontsize=7)
    coded = study.coded(settings.coding.get("validation_split"))
    check = ""
    if len(coded):
        agree = fr.validate_stance(result, coded, frames)
        total = agree[agree["coded"] == "(all)"]
        check = (f"On the held-out coded paragraphs, the dominant stance of a paragraph's hits matched the coders' "
                 f"in {int(total['agree'].sum())} of {int(total['units'].sum())}.\n")
    fig.supxlabel(
        "Numbers: hits of the frame. A hit's stance comes from cue words around it in its sentence "
        "(framing/data/stance_en.yaml).\n" + check +
        f"{_one_document_groups(study)}Codebook {result.codebook.version_id}.",
        fontsize=6, color="#444444",
    )
    data = _data(pd.concat(drawn), ["panel", "frame", "group", "stance", "hits", "share", "units", "docs"])
    return fig, {"preprocessor": result.preprocessor, "codebook_version": result.codebook.version_id, "data": data}


@TEMPLATES.figure("fig14_corrected_salience", "Role frames by {group}: the dictionary's share of paragraphs, and that share corrected for its error on held-out coded paragraphs.")
def fig14_corrected_salience(study: Study) -> tuple[Figure, dict[str, Any]]:
    """Adjusted classify-and-count (Forman 2008) with error rates from the held-out half of the coded sample."""
    settings = study.settings
    result = study.frames()
    frames = list(settings.role_frames)
    coded = study.coded(settings.coding.get("validation_split"))
    fig, ax = plt.subplots(figsize=(DOUBLE_COLUMN, 3.4), layout="constrained")
    if len(coded) == 0:
        ax.text(0.5, 0.5, "No coded paragraphs of this corpus: the correction needs coded units.",
                ha="center", va="center", transform=ax.transAxes, fontsize=8)
        ax.set_axis_off()
        return fig, {"preprocessor": result.preprocessor, "codebook_version": result.codebook.version_id}
    table = fr.corrected_salience(result, coded[["unit_id", *frames]], frames=frames, n_boot=settings.n_boot,
                                  random_state=settings.seed)
    fr.plot_corrected_salience(table, frames=frames, colors=_colors(study), legend=False, ax=ax)
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper center", ncols=min(len(labels), 4), frameon=False, fontsize=7)
    rates = table.drop_duplicates("frame").set_index("frame")
    err = ";  ".join(f"{f}: recall {rates.loc[f, 'tpr']:.2f}, false-positive rate {rates.loc[f, 'fpr']:.2f}" for f in frames)
    fig.supxlabel(
        f"Error rates from {int(rates['validation_units'].iloc[0])} held-out coded paragraphs:\n{err}.\n"
        f"Whiskers: 95% intervals resampling the {settings.group_label}'s documents and the coded documents ({settings.n_boot:,} draws, "
        f"seed {settings.seed});\na {settings.group_label} with one document varies only with the validation.",
        fontsize=6, color="#444444",
    )
    data = _data(table[table["frame"].isin(frames)],
                 ["group", "frame", "observed", "corrected", "corrected_low", "corrected_high", "tpr", "fpr", "units", "docs",
                  "validation_units", "validation_docs"])
    return fig, {"preprocessor": result.preprocessor, "codebook_version": result.codebook.version_id,
                 "seed": settings.seed, "data": data}


@TEMPLATES.table("frame_evidence", "The most typical sentences of the {n_frames} role frames in each {group}.")
def table_frame_evidence(study: Study) -> tuple[Any, dict[str, Any]]:
    """For each group and role frame, the three sentences with the most
    distinct indicators of the frame (ties: document order)."""
    settings = study.settings
    result = study.frames()
    ev = result.evidence[result.evidence["frame"].isin(settings.role_frames)]
    per = (ev.groupby(["group", "frame", "sentence_id"], sort=False)
             .agg(doc_id=("doc_id", "first"), hits=("indicator", "size"), indicators=("indicator", lambda s: ", ".join(sorted(set(s)))),
                  distinct=("indicator", "nunique"), start=("start", "min"))
             .reset_index())
    per["sentence"] = per["sentence_id"].map(result.sentences["text"]).map(lambda t: " ".join(str(t).split()))

    rank = {g: i for i, g in enumerate(settings.order(per["group"]))}
    per = per.sort_values(["group", "frame", "distinct", "hits", "doc_id", "start"], ascending=[True, True, False, False, True, True],
                          key=lambda c: c.map(rank) if c.name == "group" else (c.map({f: i for i, f in enumerate(settings.role_frames)}) if c.name == "frame" else c))
    top = per.groupby(["group", "frame"], sort=False).head(3)
    table = top[["group", "frame", "doc_id", "sentence_id", "hits", "indicators", "sentence"]].rename(columns={"group": result.group_by or "group"})
    return table.reset_index(drop=True), {"preprocessor": result.preprocessor, "codebook_version": result.codebook.version_id}


@TEMPLATES.figure("fig15_frame_trend", "The role frames over time, by {group}: share of paragraphs carrying each frame per bin.")
def fig15_frame_trend(study: Study) -> tuple[Figure, dict[str, Any]]:
    """Each role frame's share of paragraphs per time bin and group, intervals over documents."""
    settings = study.settings
    result = study.frames()
    frames = list(settings.role_frames)
    table = fr.frame_trend(result, freq=settings.trend, by=study.by, n_boot=settings.n_boot,
                           random_state=settings.seed)
    table = table[table["frame"].isin(frames)]
    colors = _colors(study)
    fig, axes = plt.subplots(1, len(frames), figsize=(DOUBLE_COLUMN, 2.6), sharey=True, squeeze=False,
                             layout="constrained")
    for ax, frame in zip(axes[0], frames):
        fr.plot_frame_trend(table, frame=frame, colors=colors, legend=False, ax=ax)
        ax.set_title(frame, fontsize=8, loc="left", fontweight="bold")
    for ax in axes[0][1:]:
        ax.set_ylabel("")
    handles, labels = axes[0][0].get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="outside upper center", ncols=min(len(labels), 6), frameon=False, fontsize=7)
    fig.supxlabel(
        f"Lines: share of a {settings.group_label}'s paragraphs in the bin with at least one hit of the frame; bands: 95% "
        f"intervals resampling the bin's documents ({settings.n_boot:,} draws, seed {settings.seed});\n"
        f"hollow dots: bins with one document (no interval). Bins: {settings.trend}. "
        f"Codebook {result.codebook.version_id}; {result.preprocessor}.",
        fontsize=6, color="#444444",
    )
    data = _data(table, [c for c in ("bin", "group", "frame", "value", "low", "high", "n_units", "n_docs")
                         if c in table.columns])
    return fig, {"preprocessor": result.preprocessor, "codebook_version": result.codebook.version_id,
                 "seed": settings.seed, "data": data}


#: What each figure needs from the settings, and the note when they do not give it.
_NEEDS: dict[str, tuple[tuple[str, str], ...]] = {
    "fig03_dispersion": (("role_terms", "the settings give no role_terms"),),
    "fig04_{subject_slug}_collocates": (("subject", "the settings name no subject"),),
    "fig05_frame_salience": (("codebook", "the settings name no codebook"),),
    "fig06_frame_cooccurrence": (("codebook", "the settings name no codebook"),),
    "fig10_bloc_orientation": (("place", "the settings name no subject place"),),
    "fig11_partners": (("place", "the settings name no subject place"),),
    "fig12_robustness": (("codebook", "the settings name no codebook"),),
    "fig13_stance_composition": (("codebook", "the settings name no codebook"),),
    "fig14_corrected_salience": (("codebook", "the settings name no codebook"),
                                 ("coding", "the settings name no coded sample (coding.consensus)")),
    "frame_evidence": (("codebook", "the settings name no codebook"),),
    "fig15_frame_trend": (("codebook", "the settings name no codebook"),
                          ("trend", "the settings give no trend (bins of the documents' dates)")),
}

_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _has(settings: Settings, need: str) -> bool:
    return {"role_terms": bool(settings.role_terms), "subject": settings.subject is not None,
            "codebook": settings.codebook is not None, "place": settings.subject is not None and bool(settings.subject_place),
            "coding": "consensus" in settings.coding, "trend": settings.trend is not None}[need]


def plan(settings: Settings | str | None = None) -> tuple[Registry, dict[str, str]]:
    """The figures and tables of a study with these settings, named and captioned from them.

    Parameters
    ----------
    settings : Settings, path or None
        None reads ``study/settings.yaml``.

    Returns
    -------
    (Registry, dict)
        The registry to render, and each figure the settings cannot support
        (name to a one-line reason).
    """
    s = load_settings() if settings is None else (settings if isinstance(settings, Settings) else load_settings(settings))
    n = len(s.role_frames)
    words = {"group": s.group_label, "groups": s.group_plural, "subject": s.subject_label or "the subject",
             "subject_slug": re.sub(r"[^0-9a-z]+", "_", s.subject_label.lower()).strip("_") or "subject",
             "n_frames": _NUMBERS[n] if n < len(_NUMBERS) else str(n), "window": s.collocates.get("window", "")}
    registry, skipped = Registry(), {}
    for name, spec in TEMPLATES.specs.items():
        missing = [why for need, why in _NEEDS.get(name, ()) if not _has(s, need)]
        named = name.format(**words)
        if missing:
            skipped[named] = "; ".join(missing)
            continue
        registry.specs[named] = FigureSpec(named, spec.func, spec.caption.format(**words), spec.kind, spec.slow)
    return registry, skipped


#: The bundled study's figures and tables (``study/settings.yaml``).
FIGURES, _ = plan()


def make_context(corpus: fr.Corpus | None = None, *, warm: bool = False,
                 settings: Settings | str | None = None) -> Study:
    """The study the figures are drawn from; ``warm`` computes its shared results up front
    (so that figures drawn in forked processes share them instead of each computing them).

    ``settings`` (a :class:`~study.context.Settings` or a settings file) defaults
    to ``study/settings.yaml``."""
    if settings is not None and not isinstance(settings, Settings):
        settings = load_settings(settings)
    study = Study(corpus, settings)
    return study.warm() if warm else study
