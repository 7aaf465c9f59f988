"""Plot functions draw on the given Axes, return it, colour groups from one mapping and draw their legends."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

import framing as fr  # noqa: E402
from framing.measures.trends import frame_trend  # noqa: E402
from framing.viz.style import OKABE_ITO, PALETTE, GroupColors, group_colors  # noqa: E402

#: The bundled corpus' source types in the study's colours (study/settings.yaml).
STUDY_COLORS = {"official": "#0072B2", "academic": "#009E73", "press": "#E69F00", "commentary": "#CC79A7"}


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_plot_corpus_overview_bars_per_document_in_group_colours(corpus, ax):
    out = fr.plot_corpus_overview(fr.summary(corpus), colors=STUDY_COLORS, ax=ax)
    assert out is ax
    bars = ax.containers[0]
    assert len(bars) == 6
    by_doc = {t.get_text(): to_hex(b.get_facecolor()) for t, b in zip(ax.get_yticklabels(), bars)}
    assert by_doc == {d.doc_id: STUDY_COLORS[d.meta["source_type"]].lower() for d in corpus}  # the mapping given
    assert _legend_colors(ax) == {g: c.lower() for g, c in STUDY_COLORS.items()}


def test_plot_corpus_overview_without_colours_uses_sorted_labels(corpus, ax):
    fr.plot_corpus_overview(fr.summary(corpus), ax=ax)
    # academic, commentary, official, press: the first four palette colours in that order
    assert _legend_colors(ax) == dict(zip(["academic", "commentary", "official", "press"], map(str.lower, OKABE_ITO)))


def test_plot_keyness_draws_both_sides(corpus, pre, ax):
    table = fr.keyness(fr.dtm(corpus, pre, unit="paragraph"))
    out = fr.plot_keyness(table, target="commentary", n=5, ax=ax)
    assert out is ax
    bars = [b for c in ax.containers for b in c]
    heights = [b.get_width() for b in bars]
    assert len(heights) == 10 and sum(h > 0 for h in heights) == 5
    t = table[table["target"] == "commentary"]
    shown = pd.concat([t.nlargest(5, "g2"), t.nsmallest(5, "g2")])
    hatched = [b for b in bars if b.get_hatch()]
    assert len(hatched) == int((shown["loo_holds"] == 0).sum())  # key only with one document in: hatched
    solid_target = [b for b in bars if not b.get_hatch() and b.get_width() > 0]
    assert to_hex(solid_target[-1].get_facecolor()) == group_colors(table["target"])["commentary"]
    fig2, ax2 = plt.subplots()
    fr.plot_keyness(table, target="commentary", n=5, colors=STUDY_COLORS, ax=ax2)
    solid = [b for c in ax2.containers for b in c if not b.get_hatch() and b.get_width() > 0]
    assert to_hex(solid[-1].get_facecolor()) == STUDY_COLORS["commentary"].lower()
    plt.close(fig2)
    with pytest.raises(fr.ArgumentError, match="choose one with target="):
        fr.plot_keyness(table, ax=ax)


def test_plot_dispersion_one_row_per_document(corpus, ax):
    table = fr.dispersion(corpus, ["global_south"])
    out = fr.plot_dispersion(table, docs=corpus.doc_ids, colors=STUDY_COLORS, ax=ax)
    assert out is ax
    assert [t.get_text() for t in ax.get_yticklabels()] == corpus.doc_ids[::-1]
    shown = set(table["source_type"])
    assert _legend_colors(ax) == {g: c.lower() for g, c in STUDY_COLORS.items() if g in shown}
    fig2, ax2 = plt.subplots()
    fr.plot_dispersion(table, docs=corpus.doc_ids, legend=False, ax=ax2)
    assert ax2.get_legend() is None
    plt.close(fig2)


def test_plot_collocates_excludes_the_node(corpus, ax):
    table = fr.collocations(corpus, node="hong_kong", by="source_type", min_count=2)
    fr.plot_collocates(table, group="academic", n=8, ax=ax)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 8 and "hong_kong" not in labels


def test_plots_never_show_or_save(monkeypatch, corpus, ax):
    monkeypatch.setattr(plt, "show", lambda *a, **k: pytest.fail("plt.show called"))
    monkeypatch.setattr(plt.Figure, "savefig", lambda *a, **k: pytest.fail("savefig called"))
    fr.plot_corpus_overview(fr.summary(corpus), ax=ax)


@pytest.fixture(scope="module")
def frame_result():
    return fr.detect_frames(fr.load_corpus())


def test_plot_frame_salience_one_series_per_group(frame_result, ax):
    table = fr.frame_salience(frame_result, n_boot=50)
    out = fr.plot_frame_salience(table, ax=ax)
    assert out is ax
    labels = [t.get_text() for t in ax.get_legend().get_texts()]  # the legend its docstring promises
    assert labels == ["official (3 docs)", "academic (1 doc)", "press (1 doc)", "commentary (1 doc)"]
    assert [t.get_text() for t in ax.get_yticklabels()] == frame_result.codebook.frame_ids


def test_plot_frame_salience_a_dot_at_zero_is_drawn_whole(ax):
    table = pd.DataFrame({"group": ["a", "b"], "frame": "f", "share_units": [0.0, 0.5], "share_units_low": [0.0, 0.4],
                          "share_units_high": [0.0, 0.6], "docs": 1})
    fr.plot_frame_salience(table, ax=ax)
    assert ax.get_xlim()[0] == 0
    dots = [line for line in ax.lines if line.get_marker() == "o"]
    assert len(dots) == 2 and 0.0 in np.concatenate([d.get_xdata() for d in dots])
    assert not any(d.get_clip_on() for d in dots)  # the axes' edge would cut a dot at 0 in half


def test_plot_frame_cooccurrence_and_trend(frame_result, ax):
    co = fr.frame_cooccurrence(frame_result)
    fr.plot_frame_cooccurrence(co, group="commentary", ax=ax)
    assert len(ax.images) == 1
    fig2, ax2 = plt.subplots()
    trend = frame_trend(frame_result, freq="year", n_boot=20)
    fr.plot_frame_trend(trend, frame="global_south_pivot", ax=ax2)
    assert len(ax2.lines) == 4
    assert [t.get_text() for t in ax2.get_xticklabels()] == ["2025"]
    plt.close(fig2)


def test_plot_frame_trend_still_draws_a_salience_table_by_time_with_a_warning(frame_result, ax):
    old = fr.frame_salience(frame_result, by=["source_type", "year"], n_boot=20)
    with pytest.warns(FutureWarning, match="frame_trend"):
        fr.plot_frame_trend(old, frame="global_south_pivot", ax=ax)
    assert len(ax.lines) == 4
    assert sorted(t.get_text().split(" (")[0] for t in ax.get_legend().get_texts()) == sorted(STUDY_COLORS)


def test_plot_stance_composition_and_partners_draw_legends(frame_result, ax):
    fr.plot_stance_composition(fr.stance_composition(frame_result), frame="global_south_pivot", ax=ax)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["affirmed", "attributed", "hypothetical", "past", "negated"]
    fig2, ax2 = plt.subplots()
    partners = pd.DataFrame({"group": "a", "rank": [1, 2, 3], "place": ["X", "Y", "Z"],
                             "bloc": ["west", "global_south", "west"], "mentions": [5, 3, 1]})
    fr.plot_partners(partners, group="a", ax=ax2)
    assert [t.get_text() for t in ax2.get_legend().get_texts()] == ["global south", "west"]
    plt.close(fig2)


# --------------------------------------------------------------------------- one colour per group


def _legend_colors(ax) -> dict[str, str]:
    """Group (the legend label before any ' (n docs)') -> the colour of its legend entry."""
    leg = ax.get_legend()
    assert leg is not None, "no legend drawn"
    out = {}
    for handle, text in zip(leg.legend_handles, leg.get_texts()):
        if hasattr(handle, "get_facecolor") and not hasattr(handle, "get_segments"):  # a patch
            colour = handle.get_facecolor()
        else:  # a line, or the line collection of an errorbar
            colour = handle.get_color()
        colour = np.atleast_2d(colour)[0] if not isinstance(colour, str) else colour
        out[text.get_text().split(" (")[0]] = to_hex(colour)
    return out


def _salience(groups):
    return pd.DataFrame({"group": groups, "frame": "f", "share_units": 0.5, "share_units_low": 0.4,
                         "share_units_high": 0.6, "docs": 2})


def _prevalence(groups):
    return pd.DataFrame({"group": groups, "topic": 0, "label": "t", "prevalence": 0.5, "low": 0.4, "high": 0.6, "docs": 2})


def _corrected(groups):
    return pd.DataFrame({"group": groups, "frame": "f", "observed": 0.5, "corrected": 0.5, "corrected_low": 0.4,
                         "corrected_high": 0.6, "docs": 2})


def _orientation(groups):
    return pd.DataFrame({"group": groups, "bloc": "west", "share": 0.5, "low": 0.4, "high": 0.6, "total": 10, "docs": 2})


PLOTS = {
    "frame_salience": (fr.plot_frame_salience, _salience),
    "topic_prevalence": (fr.plot_topic_prevalence, _prevalence),
    "corrected_salience": (fr.plot_corrected_salience, _corrected),
    "orientation": (fr.plot_orientation, _orientation),
}


@pytest.mark.parametrize("first,second", [("frame_salience", "topic_prevalence"), ("corrected_salience", "orientation")])
def test_plots_same_group_same_colour_whatever_the_order(first, second):
    (plot_a, table_a), (plot_b, table_b) = PLOTS[first], PLOTS[second]
    fig, (ax1, ax2) = plt.subplots(1, 2)
    plot_a(table_a(["press", "official", "zeta", "academic"]), ax=ax1)
    plot_b(table_b(["academic", "zeta", "press", "official"]), ax=ax2)
    a, b = _legend_colors(ax1), _legend_colors(ax2)
    plt.close(fig)
    assert list(a) == ["official", "academic", "press", "zeta"] and set(b) == set(a)  # legends name every group
    assert a == b
    assert a == dict(zip(["academic", "official", "press", "zeta"], map(str.lower, PALETTE)))  # by sorted label


@pytest.mark.parametrize("name", list(PLOTS))
def test_plots_honour_a_given_mapping_and_fill_the_rest(name):
    plot, table = PLOTS[name]
    fig, ax = plt.subplots()
    plot(table(["b", "a", "c"]), colors={"c": "teal", "b": "#123456"}, ax=ax)
    got = _legend_colors(ax)
    plt.close(fig)
    assert got == {"b": "#123456", "a": OKABE_ITO[0].lower(), "c": to_hex("teal")}


@pytest.mark.parametrize("name", list(PLOTS))
def test_plots_legend_can_be_left_to_the_figure(name):
    plot, table = PLOTS[name]
    fig, ax = plt.subplots()
    plot(table(["b", "a"]), legend=False, ax=ax)
    assert ax.get_legend() is None
    assert [t.split(" (")[0] for t in ax.get_legend_handles_labels()[1]] == ["b", "a"]  # for fig.legend
    plt.close(fig)


def test_plots_nine_groups_get_nine_colours():
    groups = [f"group_{i}" for i in range(9)][::-1]
    fig, ax = plt.subplots()
    fr.plot_frame_salience(_salience(groups), ax=ax)
    got = _legend_colors(ax)
    plt.close(fig)
    assert len(got) == 9 and len(set(got.values())) == 9
    assert "#777777" not in got.values()  # none falls back to grey
    assert len(set(group_colors(f"g{i:02d}" for i in range(len(PALETTE))).values())) == len(PALETTE)


def test_group_colors_is_one_mapping_for_a_run():
    run = group_colors(["press", "academic", "official", "commentary"], mapping=STUDY_COLORS)
    assert isinstance(run, GroupColors)
    assert dict(run) == {g: c.lower() for g, c in STUDY_COLORS.items()}
    extended = group_colors(["extra", "official"], mapping=run)  # a group the run had not seen
    assert {g: extended[g] for g in STUDY_COLORS} == dict(run)
    assert extended["extra"] not in run.values()  # the first palette colour the mapping leaves free
    assert group_colors([2019, 2020])[2019] == group_colors(["2019", "2020"])["2019"]
    with pytest.raises(fr.ArgumentError, match="'nocolour' for group 'a' is not a colour"):
        group_colors(["a"], mapping={"a": "nocolour"})
    with pytest.raises(KeyError, match="group 'x' has no colour"):
        run["x"]
    with pytest.raises(AttributeError, match="immutable"):
        run._colors = {}


def test_source_colors_name_still_works_with_a_warning():
    import framing.viz.style as style

    with pytest.warns(FutureWarning, match="SOURCE_COLORS is deprecated"):
        assert style.SOURCE_COLORS == STUDY_COLORS


def test_plot_robustness_keeps_long_flip_labels_inside_the_figure():
    long = ("lowercase=False, stopwords=None, normalize=None, learn_phrases=True; phrases=None, normalize=stem; "
            "lowercase=True, stopwords=english")
    summary = pd.DataFrame({"description": ["a finding", "another", "a third"], "holds_share": [0.96, 1.0, np.nan],
                            "flips_when": [long, "", ""]})
    fig, ax = plt.subplots(figsize=(7.0, 1.6), layout="constrained")
    ax.set_yticks([0, 1, 2], ["top 20 key terms of greens (G², vs the rest)"] * 3)
    fr.plot_robustness(summary, ax=ax)
    label = next(t for t in ax.texts if "flips:" in t.get_text())
    lines = label.get_text().split("\n")
    assert len(lines) == 2 and lines[1].endswith("...") and all(len(x) <= 62 for x in lines)
    fig.canvas.draw()
    assert label.get_window_extent().x1 <= fig.bbox.x1  # drawn inside the figure, not cut at its edge
    short = [t.get_text() for t in ax.texts if t is not label]
    assert "100%" in short and any("untestable" in t for t in short)
    plt.close(fig)
