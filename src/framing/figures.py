"""The paper's figures: one registry, one renderer, byte-identical output.

Each figure is a function from a corpus (and settings) to a matplotlib Figure,
registered under its name (``fig01_corpus_overview``, ...). :func:`render`
draws the requested figures in the paper style, writes each format through a
temporary file that is renamed into place (so a failure never leaves a
half-written file), strips timestamps so two runs give identical bytes, and
records every output in ``MANIFEST.csv``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ArgumentError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from .corpus import Corpus

__all__ = ["FigureSpec", "FIGURES", "TABLES", "register", "register_table", "render", "RenderResult", "FORMATS"]

log = logging.getLogger(__name__)
FORMATS = ("png", "pdf", "svg")
_METADATA = {"png": {"Software": None}, "pdf": {"CreationDate": None, "Producer": None}, "svg": {"Date": None}}
MANIFEST_COLUMNS = [
    "figure", "function", "format", "file", "sha256", "corpus_hash", "preprocessor",
    "codebook_version", "data_version", "seed", "package_version",
]


@dataclass(frozen=True)
class FigureSpec:
    """A named paper figure.

    Attributes
    ----------
    name : str
    func : callable
        ``func(corpus) -> (Figure, provenance dict)``; the dict may give
        ``preprocessor``, ``codebook_version`` and ``seed``.
    caption : str
        One line describing the figure.
    """

    name: str
    func: Callable[[Corpus], tuple[Figure, dict[str, Any]]]
    caption: str
    tables: tuple[str, ...] = field(default=())


FIGURES: dict[str, FigureSpec] = {}


def register(name: str, caption: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator adding a figure function to :data:`FIGURES`."""

    def deco(func: Callable[..., Any]) -> Callable[..., Any]:
        FIGURES[name] = FigureSpec(name, func, caption)
        return func

    return deco


# --------------------------------------------------------------------------- the figures


@register("fig01_corpus_overview", "Size of the bundled corpus by document and by source type.")
def fig01_corpus_overview(corpus: Corpus) -> tuple[Figure, dict[str, Any]]:
    """Running words per document, and per source type with its documents,
    paragraphs and sentences, in the fixed source-type colours."""
    import matplotlib.pyplot as plt

    from .plots import plot_corpus_overview
    from .style import DOUBLE_COLUMN, group_colors, order_groups

    per_doc = corpus.summary()
    by = corpus.group_by or "source_type"
    per_group = corpus.summary(by=by)
    fig, (ax1, ax2) = plt.subplots(
        1, 2, figsize=(DOUBLE_COLUMN, 2.9), gridspec_kw={"width_ratios": [1.35, 1]}, layout="constrained"
    )
    plot_corpus_overview(per_doc, by=by, measure="tokens", legend=False, ax=ax1)
    ax1.set_xlabel("running words (tokens)")
    ax1.set_title("a  Documents", loc="left", fontweight="bold")

    groups = order_groups(per_group[by])
    colors = group_colors(groups)
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
    ticks = [t for t in ax2.get_xticks() if 0 <= t <= vmax * 1.05]
    ax2.set_xticks(ticks)
    ax2.spines.bottom.set_bounds(0, ticks[-1])
    ax2.set_xlabel("running words (tokens)")
    ax2.set_title("b  Source types", loc="left", fontweight="bold")
    pre_id = str(per_doc["preprocessor"].iloc[0])
    fig.supxlabel(
        f"Colours: source types. Academic, press and commentary rest on one document each. "
        f"Tokens: running words ({pre_id}); corpus {corpus.content_hash[:10]}.",
        fontsize=6, color="#444444",
    )
    return fig, {"preprocessor": pre_id}


ROLE_TERMS = (
    "super_connector", "bridge", "gateway", "global_south", "belt_and_road",
    "middle_east", "united_states", "sanction*", "west*", "geopolitic*",
)


def _panel_title(ax: Any, text: str, docs: int) -> None:
    note = " (1 document)" if docs == 1 else f" ({docs} documents)"
    ax.set_title(text + note, loc="left", fontsize=8, fontweight="bold")


@register("fig02_keyness", "Key terms of each source type against the other three (signed G², log ratio labels).")
def fig02_keyness(corpus: Corpus) -> tuple[Figure, dict[str, Any]]:
    """One panel per source type: its top terms against the rest, and the rest's."""
    import matplotlib.pyplot as plt

    from .dtm import dtm
    from .keyness import keyness
    from .plots import plot_keyness
    from .preprocess import Preprocessor
    from .style import DOUBLE_COLUMN, order_groups

    pre = Preprocessor()
    m = dtm(corpus, pre, unit="paragraph")
    by = corpus.group_by or "source_type"
    table = keyness(m, by=by)
    groups = order_groups(table["target"])
    fig, axes = plt.subplots(2, 2, figsize=(DOUBLE_COLUMN, 8.2), layout="constrained")
    for ax, g in zip(axes.flat, groups):
        plot_keyness(table, target=g, n=12, ax=ax)
        docs = int(table.loc[table["target"] == g, "docs_target"].iloc[0])
        _panel_title(ax, f"{g} vs the rest", docs)
        ax.tick_params(axis="y", labelsize=6.5)
    fig.supxlabel(
        f"Bars: signed G² (paragraph counts, terms seen at least 5 times, no continuity correction); labels: log ratio. "
        f"{pre.id}; corpus {corpus.content_hash[:10]}.",
        fontsize=6, color="#444444",
    )
    return fig, {"preprocessor": pre.id}


@register("fig03_dispersion", "Where the role terms occur through each document (lexical dispersion).")
def fig03_dispersion(corpus: Corpus) -> tuple[Figure, dict[str, Any]]:
    """Small multiples, one per role term: each document's occurrences by position."""
    import matplotlib.pyplot as plt

    from .kwic import dispersion
    from .plots import plot_dispersion
    from .preprocess import Preprocessor
    from .style import DOUBLE_COLUMN, SOURCE_ORDER

    pre = Preprocessor()
    table = dispersion(corpus, list(ROLE_TERMS), pre)
    by = corpus.group_by or "source_type"
    meta = corpus.meta
    rank = {g: i for i, g in enumerate(SOURCE_ORDER)}
    docs = sorted(meta["doc_id"], key=lambda d: (rank.get(corpus[d].meta.get(by), 99), corpus.doc_ids.index(d)))
    fig, axes = plt.subplots(5, 2, figsize=(DOUBLE_COLUMN, 8.0), sharex=True, sharey=True, layout="constrained")
    for ax, pattern in zip(axes.flat, ROLE_TERMS):
        sub = table[table["pattern"] == pattern]
        plot_dispersion(sub, by=by, docs=docs, ax=ax)
        ax.set_title(f"{pattern}  (n = {len(sub)})", loc="left", fontsize=8, fontweight="bold")
        ax.tick_params(axis="y", labelsize=6)
        for spine in ("left",):
            ax.spines[spine].set_visible(False)
    from matplotlib.patches import Patch

    from .style import group_colors

    colors = group_colors(SOURCE_ORDER)
    fig.legend(handles=[Patch(color=colors[g], label=g) for g in SOURCE_ORDER], loc="outside upper center",
               ncols=4, frameon=False, fontsize=7)
    fig.supxlabel(
        f"Position in the document's token stream (0 = start, 1 = end). Globs match lemmatised terms. {pre.id}; corpus {corpus.content_hash[:10]}.",
        fontsize=6, color="#444444",
    )
    return fig, {"preprocessor": pre.id}


@register("fig04_hong_kong_collocates", "What 'Hong Kong' keeps company with, by source type (logDice, ±5 tokens).")
def fig04_hong_kong_collocates(corpus: Corpus) -> tuple[Figure, dict[str, Any]]:
    """Per source type, the strongest collocates of hong_kong within five tokens."""
    import matplotlib.pyplot as plt

    from .collocations import collocations
    from .plots import plot_collocates
    from .preprocess import Preprocessor
    from .style import DOUBLE_COLUMN, order_groups

    pre = Preprocessor()
    by = corpus.group_by or "source_type"
    table = collocations(corpus, pre, by=by, node="hong_kong", window=5, min_count=2)
    groups = order_groups(table["group"])
    ndocs = corpus.meta.groupby(by)["doc_id"].nunique().to_dict()
    fig, axes = plt.subplots(2, 2, figsize=(DOUBLE_COLUMN, 5.4), layout="constrained")
    for ax, g in zip(axes.flat, groups):
        plot_collocates(table, group=g, n=10, ax=ax)
        _panel_title(ax, g, int(ndocs.get(g, 0)))
        ax.tick_params(axis="y", labelsize=6.5)
        ax.set_xlabel("logDice", fontsize=7)
    fig.supxlabel(
        f"Collocates of hong_kong within ±5 tokens of the same sentence, seen at least twice; labels: co-occurrences. "
        f"{pre.id}; corpus {corpus.content_hash[:10]}.",
        fontsize=6, color="#444444",
    )
    return fig, {"preprocessor": pre.id}


ROLE_FRAMES = ("super_connector", "global_south_pivot", "western_tensions")


def _frames(corpus: Corpus) -> Any:
    from .frames import detect_frames

    return detect_frames(corpus, "default")


@register("fig05_frame_salience", "Frame salience by source type: share of paragraphs carrying each frame, with 95% bootstrap intervals.")
def fig05_frame_salience(corpus: Corpus) -> tuple[Figure, dict[str, Any]]:
    """Two panels: every paragraph, and only paragraphs that mention Hong Kong."""
    import matplotlib.pyplot as plt

    from .plots import plot_frame_salience
    from .salience import frame_salience
    from .style import DOUBLE_COLUMN

    result = _frames(corpus)
    seed = 20251122
    fig, axes = plt.subplots(1, 2, figsize=(DOUBLE_COLUMN, 4.6), sharey=True, sharex=True, layout="constrained")
    for ax, scope, title in zip(axes, ("all", "paragraph"), ("a  All paragraphs", "b  Paragraphs that mention Hong Kong")):
        table = frame_salience(result, scope=scope, n_boot=2000, random_state=seed)
        plot_frame_salience(table, measure="share_units", ax=ax)
        ax.set_title(title, loc="left", fontweight="bold")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper center", ncols=4, frameon=False, fontsize=7)
    fig.supxlabel(
        f"Dots: share of a source type's paragraphs with at least one hit; whiskers: 95% intervals from resampling paragraphs "
        f"(2,000 draws, seed {seed}).\nAcademic, press and commentary rest on one document each. "
        f"Codebook {result.codebook.version_id}; {result.preprocessor}; corpus {corpus.content_hash[:10]}.",
        fontsize=6, color="#444444",
    )
    return fig, {"preprocessor": result.preprocessor, "codebook_version": result.codebook.version_id, "seed": seed}


@register("fig06_frame_cooccurrence", "Which frames share a paragraph, by source type (Jaccard; numbers: paragraphs with both).")
def fig06_frame_cooccurrence(corpus: Corpus) -> tuple[Figure, dict[str, Any]]:
    """One heatmap per source type."""
    import matplotlib.pyplot as plt

    from .plots import plot_frame_cooccurrence
    from .salience import frame_cooccurrence
    from .style import DOUBLE_COLUMN, order_groups

    result = _frames(corpus)
    table = frame_cooccurrence(result)
    groups = order_groups(table["group"])
    ndocs = result.units.groupby(result.group_by or "doc_id")["doc_id"].nunique().to_dict() if result.group_by else {}
    fig, axes = plt.subplots(2, 2, figsize=(DOUBLE_COLUMN, 7.4), layout="constrained")
    for ax, g in zip(axes.flat, groups):
        plot_frame_cooccurrence(table, group=g, ax=ax)
        units = int(table.loc[table["group"] == g, "units"].iloc[0])
        docs = ndocs.get(g, 0)
        ax.set_title(f"{g} ({docs} doc{'s' if docs != 1 else ''}, {units} paragraphs)", loc="left", fontsize=8, fontweight="bold")
        ax.tick_params(labelsize=6)
    fig.colorbar(axes.flat[0].images[0], ax=axes, shrink=0.5, label="Jaccard index", aspect=30)
    fig.supxlabel(
        "Colour: Jaccard index of the paragraphs carrying each pair of frames; numbers: paragraphs carrying both.\n"
        f"Codebook {result.codebook.version_id}; {result.preprocessor}; corpus {corpus.content_hash[:10]}.",
        fontsize=6, color="#444444",
    )
    return fig, {"preprocessor": result.preprocessor, "codebook_version": result.codebook.version_id}


TOPIC_K = 6
TOPIC_METHOD = "nmf"
TOPIC_SEED = 1


def _topic_dtm(corpus: Corpus) -> Any:
    """Paragraphs (headings left out), terms in at least two paragraphs."""
    from .dtm import dtm
    from .preprocess import Preprocessor

    m = dtm(corpus, Preprocessor(), unit="paragraph")
    return m.select(~m.units["is_heading"].to_numpy()).trim(min_docs=2)


@register("fig07_topic_k_selection", "Choosing the number of topics: coherence, exclusivity and fit by k, spread over seeds.")
def fig07_topic_k_selection(corpus: Corpus) -> tuple[Figure, dict[str, Any]]:
    """Diagnostics for LDA and NMF, k = 3..10, three seeds each."""
    import matplotlib.pyplot as plt

    from .plots import plot_search_k
    from .style import DOUBLE_COLUMN
    from .topics import search_k

    m = _topic_dtm(corpus)
    seeds = (1, 2, 3)
    tables = {meth: search_k(m, ks=range(3, 11), seeds=seeds, method=meth, progress=False) for meth in ("lda", "nmf")}
    fig, axes = plt.subplots(2, 4, figsize=(DOUBLE_COLUMN, 4.2), layout="constrained", sharex=True)
    for row, meth in zip(axes, ("lda", "nmf")):
        fit = "perplexity" if meth == "lda" else "reconstruction_error"
        for ax, measure in zip(row, ("c_v", "c_npmi", "exclusivity", fit)):
            plot_search_k(tables[meth], measure=measure, ax=ax)
            names = {"c_v": "C_V coherence", "c_npmi": "NPMI coherence", "exclusivity": "exclusivity",
                     "perplexity": "perplexity", "reconstruction_error": "recon. error"}
            ax.set_title(f"{meth.upper()}: {names[measure]}", loc="left", fontsize=7.5, fontweight="bold")
            if meth == TOPIC_METHOD:
                ax.axvline(TOPIC_K, color="#CC79A7", linewidth=0.8, linestyle="--")
    fig.supxlabel(
        f"Number of topics k. Dots: seeds {', '.join(map(str, seeds))}; line: mean. Dashed: the k used in fig08-09 "
        f"({TOPIC_METHOD.upper()}, k = {TOPIC_K}), a judgement the diagnostics inform.\n{m.shape[0]} paragraphs, {m.shape[1]} terms; "
        f"{m.preprocessor}; corpus {corpus.content_hash[:10]}.",
        fontsize=6, color="#444444",
    )
    return fig, {"preprocessor": m.preprocessor, "seed": ",".join(map(str, seeds))}


def _topic_model(corpus: Corpus) -> Any:
    from .topics import TopicModel

    return TopicModel(TOPIC_METHOD, TOPIC_K, random_state=TOPIC_SEED).fit(_topic_dtm(corpus))


@register("fig08_topic_prevalence", "Topic prevalence by source type: mean topic share of paragraphs with 95% bootstrap intervals.")
def fig08_topic_prevalence(corpus: Corpus) -> tuple[Figure, dict[str, Any]]:
    """Dot-and-whisker plot of each topic's mean share in each source type."""
    import matplotlib.pyplot as plt

    from .plots import plot_topic_prevalence
    from .style import DOUBLE_COLUMN
    from .topics import topic_prevalence, topic_stability

    model = _topic_model(corpus)
    prev = topic_prevalence(model, by=corpus.group_by or "source_type", n_boot=2000, random_state=TOPIC_SEED)
    stab = topic_stability(_topic_dtm(corpus), TOPIC_K, seeds=(1, 2, 3, 4, 5, 6), method=TOPIC_METHOD,
                           reference=model, init="random")
    fig, ax = plt.subplots(figsize=(DOUBLE_COLUMN, 3.8), layout="constrained")
    plot_topic_prevalence(prev, stability=stab, ax=ax)
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper center", ncols=4, frameon=False, fontsize=7)
    fig.supxlabel(
        f"{TOPIC_METHOD.upper()}, k = {TOPIC_K}, seed {TOPIC_SEED}; labels: top FREX terms. Whiskers: 95% intervals from resampling paragraphs.\n"
        f"(unstable): in 5 refits with random initialisation the topic's worst match has cosine < 0.7.\n"
        f"Academic, press and commentary rest on one document each. {model.preprocessor_}; corpus {corpus.content_hash[:10]}.",
        fontsize=6, color="#444444",
    )
    return fig, {"preprocessor": model.preprocessor_, "seed": TOPIC_SEED}


@register("fig09_topic_terms", "The topics' top terms (FREX), small multiples.")
def fig09_topic_terms(corpus: Corpus) -> tuple[Figure, dict[str, Any]]:
    """One panel per topic: its ten top terms by FREX, bars of their probability."""
    import matplotlib.pyplot as plt

    from .plots import plot_topic_terms
    from .style import DOUBLE_COLUMN

    model = _topic_model(corpus)
    terms = model.top_terms(10, by="frex")
    cols = 3
    rows = -(-TOPIC_K // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(DOUBLE_COLUMN, 2.3 * rows), layout="constrained")
    for k, ax in enumerate(axes.flat):
        if k >= TOPIC_K:
            ax.set_visible(False)
            continue
        plot_topic_terms(terms, topic=k, ax=ax)
        ax.set_title(model.labels_[k], loc="left", fontsize=6.8, fontweight="bold")
    fig.supxlabel(
        f"Bars: term probability in the topic; terms ranked by FREX (frequent and exclusive). {TOPIC_METHOD.upper()}, k = {TOPIC_K}, "
        f"seed {TOPIC_SEED}; {model.preprocessor_}.",
        fontsize=6, color="#444444",
    )
    return fig, {"preprocessor": model.preprocessor_, "seed": TOPIC_SEED}


@register("fig10_bloc_orientation", "Where each source type points Hong Kong: bloc shares of place mentions, with 95% intervals.")
def fig10_bloc_orientation(corpus: Corpus) -> tuple[Figure, dict[str, Any]]:
    """Bloc shares of the places named in sentences that also name Hong Kong."""
    import matplotlib.pyplot as plt

    from .places import load_gazetteer, orientation, places
    from .plots import plot_orientation
    from .style import DOUBLE_COLUMN

    seed = 20251122
    mentions = places(corpus)
    table = orientation(mentions, scope="sentence_with_hong_kong", n_boot=2000, random_state=seed)
    fig, ax = plt.subplots(figsize=(DOUBLE_COLUMN, 3.4), layout="constrained")
    plot_orientation(table, ax=ax)
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper center", ncols=2, frameon=False, fontsize=7)
    gaz = load_gazetteer()
    fig.supxlabel(
        "Places named in sentences that also name Hong Kong (Hong Kong itself left out); n: mentions.\n"
        "Global South: G77 members; West: EU, EFTA, UK, US, Canada, Australia, New Zealand (src/framing/data/places/blocs.yaml).\n"
        f"Whiskers: 95% intervals from resampling paragraphs (seed {seed}). Gazetteer {gaz.sha256[:8]}; corpus {corpus.content_hash[:10]}.",
        fontsize=6, color="#444444",
    )
    return fig, {"seed": seed, "data_version": f"gazetteer+blocs {gaz.sha256}"}


@register("fig11_partners", "The partners each source type ties Hong Kong to: most-named places, coloured by bloc.")
def fig11_partners(corpus: Corpus) -> tuple[Figure, dict[str, Any]]:
    """Ranked bars per source type: read as lists, which a reader compares down the
    columns; a bipartite network of four types and ~30 places would hide the counts."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    from .places import partners, places
    from .plots import BLOC_COLORS, plot_partners
    from .style import DOUBLE_COLUMN, order_groups

    mentions = places(corpus)
    table = partners(mentions, n=8, level="place")
    groups = order_groups(table["group"])
    fig, axes = plt.subplots(2, 2, figsize=(DOUBLE_COLUMN, 5.0), layout="constrained")
    for ax, g in zip(axes.flat, groups):
        plot_partners(table, group=g, ax=ax)
        docs = mentions.loc[mentions["group"] == g, "doc_id"].nunique()
        ax.set_title(f"{g} ({docs} doc{'s' if docs != 1 else ''})", loc="left", fontsize=8, fontweight="bold")
        ax.tick_params(axis="y", labelsize=6.5)
    fig.legend(handles=[Patch(color=c, label=b.replace("_", " ")) for b, c in BLOC_COLORS.items()],
               loc="outside upper center", ncols=5, frameon=False, fontsize=7)
    fig.supxlabel(
        f"Top places named in sentences that also name Hong Kong, by source type; colour: bloc. Corpus {corpus.content_hash[:10]}.",
        fontsize=6, color="#444444",
    )
    from .places import load_gazetteer

    return fig, {"data_version": f"gazetteer+blocs {load_gazetteer().sha256}"}


@register("fig12_robustness", "How often the headline findings hold across the grid of preprocessing choices.")
def fig12_robustness(corpus: Corpus) -> tuple[Figure, dict[str, Any]]:
    """Share of specifications in which each baseline finding holds (frames: 96 specifications; keyness: 48)."""
    import matplotlib.pyplot as plt
    import pandas as pd

    from .plots import plot_robustness
    from .robustness import robustness
    from .style import DOUBLE_COLUMN

    seed = 20251122
    fr_ = robustness(corpus, "frames", frames=list(ROLE_FRAMES), n_perm=500, random_state=seed)
    kw = robustness(corpus, "keyness")
    summary = pd.concat([fr_.summary, kw.summary], ignore_index=True)
    fig, ax = plt.subplots(figsize=(DOUBLE_COLUMN, 0.26 * len(summary) + 1.4), layout="constrained")
    plot_robustness(summary, ax=ax)
    fig.supxlabel(
        "Frames: the baseline's significant differences in the share of units carrying a role frame (permutation p < 0.05),\n"
        f"and each source type's most carried role frame, over {len(fr_.specs)} specifications (lowercase, stopwords, lemma/stem/none,\n"
        f"multiword expressions, learned phrases, paragraph/sentence units). Keyness: each type's top-20 key terms overlap the\n"
        f"baseline's by at least half, over {len(kw.specs)} specifications. Labels: settings under which a finding flips. "
        f"Seed {seed}; corpus {corpus.content_hash[:10]}.",
        fontsize=6, color="#444444",
    )
    return fig, {"preprocessor": str(fr_.specs["preprocessor"].iloc[0]), "seed": seed,
                 "codebook_version": fr_.findings.attrs.get("codebook", "")}


@dataclass(frozen=True)
class TableSpec:
    """A named paper table: ``func(corpus) -> (DataFrame, provenance)``."""

    name: str
    func: Callable[[Corpus], tuple[Any, dict[str, Any]]]
    caption: str


TABLES: dict[str, TableSpec] = {}


def register_table(name: str, caption: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator adding a table function to :data:`TABLES`."""

    def deco(func: Callable[..., Any]) -> Callable[..., Any]:
        TABLES[name] = TableSpec(name, func, caption)
        return func

    return deco


@register_table("frame_evidence", "The most typical sentences of the three role frames in each source type.")
def table_frame_evidence(corpus: Corpus) -> tuple[Any, dict[str, Any]]:
    """For each source type and role frame, the three sentences with the most
    distinct indicators of the frame (ties: document order)."""
    import pandas as pd

    result = _frames(corpus)
    ev = result.evidence[result.evidence["frame"].isin(ROLE_FRAMES)]
    per = (ev.groupby(["group", "frame", "sentence_id"], sort=False)
             .agg(doc_id=("doc_id", "first"), hits=("indicator", "size"), indicators=("indicator", lambda s: ", ".join(sorted(set(s)))),
                  distinct=("indicator", "nunique"), start=("start", "min"))
             .reset_index())
    per["sentence"] = per["sentence_id"].map(result.sentences["text"]).map(lambda t: " ".join(str(t).split()))
    from .style import order_groups

    rank = {g: i for i, g in enumerate(order_groups(per["group"]))}
    per = per.sort_values(["group", "frame", "distinct", "hits", "doc_id", "start"], ascending=[True, True, False, False, True, True],
                          key=lambda c: c.map(rank) if c.name == "group" else (c.map({f: i for i, f in enumerate(ROLE_FRAMES)}) if c.name == "frame" else c))
    top = per.groupby(["group", "frame"], sort=False).head(3)
    table = top[["group", "frame", "doc_id", "sentence_id", "hits", "indicators", "sentence"]].rename(columns={"group": result.group_by or "group"})
    return table.reset_index(drop=True), {"preprocessor": result.preprocessor, "codebook_version": result.codebook.version_id}


def table_bytes(table: Any, fmt: str, caption: str) -> bytes:
    """A table as CSV or as a LaTeX booktabs tabular."""
    import io as _io

    if fmt == "csv":
        buf = _io.StringIO()
        table.to_csv(buf, index=False, lineterminator="\n")
        return buf.getvalue().encode("utf-8")
    widths = []
    for col in table.columns:
        longest = table[col].astype(str).str.len().max() if len(table) else 0
        widths.append("p{0.4\\linewidth}" if longest > 60 else ("p{0.18\\linewidth}" if longest > 25 else "l"))
    latex = table.to_latex(index=False, escape=True, longtable=False, caption=caption, column_format="".join(widths))
    return latex.encode("utf-8")


# --------------------------------------------------------------------------- rendering


@dataclass
class RenderResult:
    """What :func:`render` did for one figure."""

    name: str
    files: list[Path]
    error: str | None = None


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """Serialise a figure deterministically (no timestamps, fixed SVG ids)."""
    import matplotlib as mpl

    buf = io.BytesIO()
    with mpl.rc_context({"svg.hashsalt": "framing"}):
        fig.savefig(buf, format=fmt, dpi=300, metadata=_METADATA[fmt])
    return buf.getvalue()


def _make(name: str, corpus: Corpus, formats: tuple[str, ...]) -> tuple[dict[str, bytes], dict[str, Any]]:
    """Draw one registered figure or table and serialise it."""
    import matplotlib.pyplot as plt

    from .style import paper_style

    if name in TABLES:
        spec = TABLES[name]
        table, prov = spec.func(corpus)
        return {fmt: table_bytes(table, fmt, spec.caption) for fmt in ("csv", "tex")}, prov
    fig = None
    try:
        with paper_style():
            fig, prov = FIGURES[name].func(corpus)
            return {fmt: figure_bytes(fig, fmt) for fmt in formats}, prov
    finally:
        if fig is not None:
            plt.close(fig)


def _safe_make(name: str, corpus: Corpus, formats: tuple[str, ...]) -> tuple[str, dict[str, bytes], dict[str, Any], str | None]:
    try:
        blobs, prov = _make(name, corpus, formats)
        return name, blobs, prov, None
    except Exception as exc:  # a broken figure must not stop the others
        log.exception("figure %s failed", name)
        return name, {}, {}, f"{type(exc).__name__}: {exc}"


_WORKER_CORPUS: Any = None


def _worker(args: tuple[str, tuple[str, ...]]) -> tuple[str, dict[str, bytes], dict[str, Any], str | None]:
    import matplotlib

    matplotlib.use("Agg", force=True)
    return _safe_make(args[0], _WORKER_CORPUS, args[1])


def _produce(names: list[str], corpus: Corpus, formats: tuple[str, ...], jobs: int) -> Any:
    """Yield (name, blobs, provenance, error) in order, drawing in ``jobs`` processes."""
    global _WORKER_CORPUS
    if jobs <= 1 or len(names) <= 1:
        for name in names:
            yield _safe_make(name, corpus, formats)
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    _WORKER_CORPUS = corpus  # inherited by the forked workers
    try:
        ctx = mp.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
            yield from pool.map(_worker, [(n, formats) for n in names])
    finally:
        _WORKER_CORPUS = None


def _read_manifest(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(newline="", encoding="utf-8") as fh:
        return [row for row in csv.DictReader(fh) if set(MANIFEST_COLUMNS) <= set(row)]


def render(
    names: Sequence[str] | None = None,
    *,
    formats: Iterable[str] = ("png", "pdf"),
    outdir: str | Path = "figures",
    corpus: Corpus | None = None,
    progress: Callable[[str], None] | None = None,
    jobs: int = 1,
) -> list[RenderResult]:
    """Draw figures from the registry into ``outdir``.

    Parameters
    ----------
    names : sequence of str or None
        Figure names; None draws every registered figure.
    formats : iterable of {'png', 'pdf', 'svg'}, default=('png', 'pdf')
    outdir : str or Path, default='figures'
    corpus : Corpus or None
        None uses the bundled corpus.
    progress : callable or None
        Called with one line of text as each figure is made.
    jobs : int, default=1
        Processes drawing figures at once. Every figure is drawn the same way
        whatever the number of processes, so the files are identical.

    Returns
    -------
    list of RenderResult
        One per figure; a figure that failed has ``error`` set, leaves its
        previous files untouched, and does not stop the others.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from . import __version__
    from .corpus import load_corpus
    from .style import paper_style

    formats = tuple(dict.fromkeys(f.strip().lower() for f in formats))
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ArgumentError(f"format {', '.join(bad) or '(none)'} is not valid; choose from {', '.join(FORMATS)}")
    wanted = [*FIGURES, *TABLES] if not names else list(dict.fromkeys(names))
    unknown = [n for n in wanted if n not in FIGURES and n not in TABLES]
    if unknown:
        raise ArgumentError(f"unknown figure {', '.join(unknown)}; figures are {', '.join([*FIGURES, *TABLES])}")
    out = Path(outdir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=out, prefix=".write-test-", delete=True)
        probe.close()
    except OSError as exc:
        raise ArgumentError(f"output folder {out} is not writable ({exc.strerror or exc})") from None
    corpus = load_corpus() if corpus is None else corpus
    manifest_path = out / "MANIFEST.csv"
    rows = {(r["figure"], r["format"]): r for r in _read_manifest(manifest_path)}
    results: list[RenderResult] = []
    for i, (name, blobs, prov, error) in enumerate(_produce(wanted, corpus, formats, jobs), 1):
        spec = FIGURES.get(name) or TABLES[name]
        is_table = name in TABLES
        if progress:
            progress(f"[{i}/{len(wanted)}] {name}" + (f" failed: {error}" if error else ""))
        if error is not None:
            results.append(RenderResult(name, [], error))
            continue
        files = []
        for fmt, data in blobs.items():
            path = out / "tables" / f"{name}.{fmt}" if is_table else out / f"{name}.{fmt}"
            _atomic_write(path, data)
            files.append(path)
            rows[(name, fmt)] = {
                "figure": name, "function": f"{spec.func.__module__}.{spec.func.__qualname__}", "format": fmt,
                "file": path.relative_to(out).as_posix(), "sha256": hashlib.sha256(data).hexdigest(), "corpus_hash": corpus.content_hash,
                "preprocessor": str(prov.get("preprocessor", "")), "codebook_version": str(prov.get("codebook_version", "")),
                "data_version": str(prov.get("data_version", "")),
                "seed": str(prov.get("seed", "")), "package_version": __version__,
            }
        results.append(RenderResult(name, files))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=MANIFEST_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for key in sorted(rows):
        writer.writerow(rows[key])
    _atomic_write(manifest_path, buf.getvalue().encode("utf-8"))
    return results
