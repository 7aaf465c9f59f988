"""Plot functions draw on the given Axes, return it, and use the fixed colours."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

import framing as fr  # noqa: E402
from framing.viz.style import SOURCE_COLORS  # noqa: E402


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_plot_corpus_overview_bars_per_document_in_source_colours(corpus, ax):
    out = fr.plot_corpus_overview(corpus.summary(), ax=ax)
    assert out is ax
    bars = ax.patches[: len(corpus)]
    assert len(ax.containers[0]) == 6
    colours = {to_hex(b.get_facecolor()) for b in bars}
    assert colours == {c.lower() for c in SOURCE_COLORS.values()}


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
    assert to_hex(solid_target[-1].get_facecolor()) == SOURCE_COLORS["commentary"].lower()
    with pytest.raises(fr.ArgumentError, match="choose one with target="):
        fr.plot_keyness(table, ax=ax)


def test_plot_dispersion_one_row_per_document(corpus, ax):
    table = fr.dispersion(corpus, ["global_south"])
    out = fr.plot_dispersion(table, docs=corpus.doc_ids, ax=ax)
    assert out is ax
    assert [t.get_text() for t in ax.get_yticklabels()] == corpus.doc_ids[::-1]


def test_plot_collocates_excludes_the_node(corpus, ax):
    table = fr.collocations(corpus, node="hong_kong", by="source_type", min_count=2)
    fr.plot_collocates(table, group="academic", n=8, ax=ax)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 8 and "hong_kong" not in labels


def test_plots_never_show_or_save(monkeypatch, corpus, ax):
    monkeypatch.setattr(plt, "show", lambda *a, **k: pytest.fail("plt.show called"))
    monkeypatch.setattr(plt.Figure, "savefig", lambda *a, **k: pytest.fail("savefig called"))
    fr.plot_corpus_overview(corpus.summary(), ax=ax)


@pytest.fixture(scope="module")
def frame_result():
    return fr.detect_frames(fr.load_corpus())


def test_plot_frame_salience_one_series_per_group(frame_result, ax):
    table = fr.frame_salience(frame_result, n_boot=50)
    out = fr.plot_frame_salience(table, ax=ax)
    assert out is ax
    labels = ax.get_legend_handles_labels()[1]
    assert labels == ["official (3 docs)", "academic (1 doc)", "press (1 doc)", "commentary (1 doc)"]
    assert [t.get_text() for t in ax.get_yticklabels()] == frame_result.codebook.frame_ids


def test_plot_frame_cooccurrence_and_trend(frame_result, ax):
    co = fr.frame_cooccurrence(frame_result)
    fr.plot_frame_cooccurrence(co, group="commentary", ax=ax)
    assert len(ax.images) == 1
    fig2, ax2 = plt.subplots()
    trend = fr.frame_salience(frame_result, by=["source_type", "year"], n_boot=20)
    fr.plot_frame_trend(trend, frame="global_south_pivot", ax=ax2)
    assert len(ax2.lines) == 4
    plt.close(fig2)
