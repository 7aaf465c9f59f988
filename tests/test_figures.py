"""Figures: registry, byte-identical output, atomic writes, manifest, the plotted data beside each figure."""

from __future__ import annotations

import csv
import hashlib

import pytest

import framing as fr
from conftest import ROOT, text_past_the_edges
from framing.output import figures
from study import figures as study


def render(names=None, *, corpus, **kwargs):
    return figures.render(study.FIGURES, study.make_context(corpus), names, corpus_hash=corpus.content_hash, **kwargs)


def test_figures_registry_names_the_paper_figures_in_order():
    names = list(study.FIGURES.figures)
    assert names[:11] == ["fig01_corpus_overview", "fig02_keyness", "fig03_dispersion", "fig04_hong_kong_collocates",
                         "fig05_frame_salience", "fig06_frame_cooccurrence", "fig07_topic_k_selection",
                         "fig08_topic_prevalence", "fig09_topic_terms", "fig10_bloc_orientation", "fig11_partners"]
    assert names == sorted(names)
    assert "frame_evidence" in study.FIGURES.tables


def test_figures_tables_are_written_as_csv_and_booktabs(tmp_path, corpus):
    import pandas as pd

    render(["frame_evidence"], outdir=tmp_path, corpus=corpus)
    table = pd.read_csv(tmp_path / "tables" / "frame_evidence.csv")
    assert set(table["frame"]) == {"super_connector", "global_south_pivot", "western_tensions"}
    assert (table.groupby(["source_type", "frame"]).size() <= 3).all()
    tex = (tmp_path / "tables" / "frame_evidence.tex").read_text("utf-8")
    assert "\\toprule" in tex and "\\bottomrule" in tex
    rows = list(csv.DictReader((tmp_path / "MANIFEST.csv").open()))
    assert {r["file"] for r in rows} == {"tables/frame_evidence.csv", "tables/frame_evidence.tex"}
    assert rows[0]["codebook_version"].startswith("hong_kong_roles@")


@pytest.fixture(scope="module")
def shared_study(corpus):
    """One study for the figures drawn one by one: its shared results (frames, topic model, place
    mentions) are made once, not once per figure."""
    return study.make_context(corpus)


@pytest.mark.parametrize("name", list(study.FIGURES.figures))
def test_figures_every_figure_renders_and_records_its_inputs(tmp_path, corpus, shared_study, name, monkeypatch):
    past: list[str] = []
    write = figures.figure_bytes

    def checked(fig, fmt):  # as it is written: laid out once, at the resolution of the PNG
        past.extend(text_past_the_edges(fig))
        return write(fig, fmt)

    monkeypatch.setattr(figures, "figure_bytes", checked)
    results = figures.render(study.FIGURES, shared_study, [name], corpus_hash=corpus.content_hash, formats=("png",),
                             outdir=tmp_path)
    assert results[0].error is None
    assert past == []  # no title, label or caption runs past the figure's edges
    rows = {r["format"]: r for r in csv.DictReader((tmp_path / "MANIFEST.csv").open())}
    assert rows["png"]["preprocessor"].startswith("pp-") or rows["png"]["data_version"].startswith("gazetteer")
    data = tmp_path / "data" / f"{name}.csv"  # every figure leaves the numbers it plots, hashed in the manifest
    assert rows["csv"]["file"] == f"data/{name}.csv"
    assert rows["csv"]["sha256"] == hashlib.sha256(data.read_bytes()).hexdigest()
    assert len(figures.read_figure_data(data)) > 0


def test_figures_two_runs_give_identical_bytes(tmp_path, corpus):
    a, b = tmp_path / "a", tmp_path / "b"
    render(["fig01_corpus_overview"], formats=("png", "pdf", "svg"), outdir=a, corpus=corpus)
    render(["fig01_corpus_overview"], formats=("png", "pdf", "svg"), outdir=b, corpus=corpus)
    for fmt in ("png", "pdf", "svg"):
        assert (a / f"fig01_corpus_overview.{fmt}").read_bytes() == (b / f"fig01_corpus_overview.{fmt}").read_bytes()
    assert (a / "data" / "fig01_corpus_overview.csv").read_bytes() == (b / "data" / "fig01_corpus_overview.csv").read_bytes()
    assert (a / "MANIFEST.csv").read_bytes() == (b / "MANIFEST.csv").read_bytes()


def test_figures_manifest_records_hashes_and_provenance(tmp_path, corpus):
    render(["fig01_corpus_overview"], formats=("png",), outdir=tmp_path, corpus=corpus)
    rows = list(csv.DictReader((tmp_path / "MANIFEST.csv").open()))
    assert [(r["format"], r["file"]) for r in rows] == [("csv", "data/fig01_corpus_overview.csv"), ("png", "fig01_corpus_overview.png")]
    row = rows[1]
    assert row["sha256"] == hashlib.sha256((tmp_path / "fig01_corpus_overview.png").read_bytes()).hexdigest()
    assert row["corpus_hash"] == corpus.content_hash
    assert row["preprocessor"].startswith("pp-")
    assert row["package_version"] == fr.__version__


def test_figures_failing_figure_leaves_the_previous_file_and_others_are_made(tmp_path, corpus, monkeypatch):
    render(["fig01_corpus_overview"], formats=("png",), outdir=tmp_path, corpus=corpus)
    before = (tmp_path / "fig01_corpus_overview.png").read_bytes()

    def broken(c):
        raise RuntimeError("deliberate failure")

    monkeypatch.setitem(study.FIGURES.specs, "fig99_broken", figures.FigureSpec("fig99_broken", broken, "broken"))
    results = render(["fig99_broken", "fig01_corpus_overview"], formats=("png",), outdir=tmp_path, corpus=corpus)
    assert results[0].error == "RuntimeError: deliberate failure"
    assert results[1].error is None
    assert (tmp_path / "fig01_corpus_overview.png").read_bytes() == before
    assert not list(tmp_path.glob("fig99*")) and not list(tmp_path.glob(".*.tmp"))


def test_figures_failure_while_writing_leaves_no_partial_file(tmp_path, corpus, monkeypatch):
    render(["fig01_corpus_overview"], formats=("png",), outdir=tmp_path, corpus=corpus)
    before = (tmp_path / "fig01_corpus_overview.png").read_bytes()

    def exploding(fig, fmt):
        raise OSError("disk full")

    monkeypatch.setattr(figures, "figure_bytes", exploding)
    results = render(["fig01_corpus_overview"], formats=("png",), outdir=tmp_path, corpus=corpus)
    assert results[0].error == "OSError: disk full"
    assert (tmp_path / "fig01_corpus_overview.png").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["MANIFEST.csv", "data", "fig01_corpus_overview.png"]
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["fig01_corpus_overview.csv"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"names": ["fig00_nope"]}, r"unknown figure fig00_nope; figures are fig01_corpus_overview, fig02"),
        ({"formats": ("gif",)}, r"format gif is not valid; choose from png, pdf, svg"),
    ],
)
def test_figures_bad_arguments_are_named(tmp_path, corpus, kwargs, message):
    with pytest.raises(fr.ArgumentError, match=message):
        render(outdir=tmp_path, corpus=corpus, **kwargs)


def test_figures_parallel_rendering_gives_the_same_bytes(tmp_path, corpus):
    names = ["fig01_corpus_overview", "fig04_hong_kong_collocates", "frame_evidence"]
    render(names, formats=("png",), outdir=tmp_path / "one", corpus=corpus, jobs=1)
    render(names, formats=("png",), outdir=tmp_path / "two", corpus=corpus, jobs=2)
    one = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    two = sorted(p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*") if p.is_file())
    assert one == two
    for rel in one:
        assert (tmp_path / "one" / rel).read_bytes() == (tmp_path / "two" / rel).read_bytes()


def test_figures_topic_figure_is_byte_identical_across_runs(tmp_path, corpus):
    render(["fig08_topic_prevalence"], formats=("png",), outdir=tmp_path / "a", corpus=corpus)
    render(["fig08_topic_prevalence"], formats=("png",), outdir=tmp_path / "b", corpus=corpus)
    assert (tmp_path / "a" / "fig08_topic_prevalence.png").read_bytes() == (tmp_path / "b" / "fig08_topic_prevalence.png").read_bytes()


# --------------------------------------------------------------------------- the committed data


#: Figures whose data are regenerated and compared with figures/data/ on every run: a cheap figure of each kind of
#: measure (sizes, frames with bootstrap intervals, NMF topics, places, stance). fig07 (the LDA and NMF k search,
#: about 30 s) and fig12 (the robustness grids, about 15 s) are left to `framing figures --check`; LDA's
#: repeatability is checked below on a small matrix.
CHECKED = ["fig01_corpus_overview", "fig05_frame_salience", "fig08_topic_prevalence", "fig10_bloc_orientation",
           "fig13_stance_composition"]


def test_figures_committed_data_regenerate_within_tolerance(corpus):
    """The numbers behind the committed figures are what the code gives now, to rtol 1e-6 and atol 1e-9.

    A failure after a deliberate change to the corpus, the preprocessing or a
    measure means: regenerate with `make figures` and commit figures/ with it."""
    context = study.make_context(corpus)
    for name in CHECKED:
        committed = ROOT / "figures" / "data" / f"{name}.csv"
        assert committed.is_file(), f"{committed} is missing: run `make figures`"
        diffs = figures.compare_figure_data(committed, figures.figure_data(study.FIGURES, context, name),
                                            rtol=figures.DATA_RTOL, atol=figures.DATA_ATOL)
        assert not diffs, f"{name} differs from {committed} (regenerate with `make figures`):\n" + "\n".join(diffs)


def test_figures_committed_manifest_hashes_the_committed_data():
    rows = [r for r in csv.DictReader((ROOT / "figures" / "MANIFEST.csv").open()) if r["format"] == "csv"
            and r["figure"] in study.FIGURES.figures]
    assert sorted(r["figure"] for r in rows) == sorted(study.FIGURES.figures)
    for row in rows:
        assert row["sha256"] == hashlib.sha256((ROOT / "figures" / row["file"]).read_bytes()).hexdigest(), row["file"]


def test_figures_lda_fit_repeats_exactly_in_float64_on_one_thread(monkeypatch):
    """The synthetic stand-in for fig07: an LDA fit gives the same numbers twice, computed in float64 with BLAS
    and OpenMP on one thread, and its k-search table writes the same data file bytes twice."""
    import gensim.models
    import numpy as np
    import pandas as pd
    import scipy.sparse as sp
    from threadpoolctl import threadpool_info

    rng = np.random.default_rng(0)
    beta = rng.dirichlet(np.full(40, 0.1), size=3)
    counts = np.vstack([rng.multinomial(60, rng.dirichlet(np.full(3, 0.3)) @ beta) for _ in range(60)])
    units = pd.DataFrame({"unit_id": [f"d{i}/p0" for i in range(60)], "doc_id": [f"d{i}" for i in range(60)],
                          "start": 0, "end": 1})
    m = fr.DocumentTermMatrix(sp.csr_matrix(counts), [f"w{i:02d}" for i in range(40)], units, unit="paragraph",
                              preprocessor="pp-synthetic", corpus_hash="x")
    seen = []
    real = gensim.models.LdaModel.__init__

    def recording(self, *args, **kwargs):
        seen.append((kwargs.get("dtype"), {i["internal_api"]: i["num_threads"] for i in threadpool_info()}))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(gensim.models.LdaModel, "__init__", recording)
    a = fr.TopicModel("lda", 3, random_state=1, passes=5).fit(m)
    b = fr.TopicModel("lda", 3, random_state=1, passes=5).fit(m)
    assert seen and all(dtype is np.float64 and set(threads.values()) <= {1} for dtype, threads in seen)
    assert a.model_.expElogbeta.dtype == np.float64
    assert np.array_equal(a.topic_term_, b.topic_term_) and np.array_equal(a.unit_topic_, b.unit_topic_)
    assert a.perplexity_ == b.perplexity_
    with pytest.warns(UserWarning, match="pass texts="):  # a synthetic matrix has no token order to give
        tables = [fr.search_k(m, ks=[2, 3], seeds=[1, 2], method="lda", progress=False, passes=5) for _ in range(2)]
    assert figures.data_bytes(tables[0]) == figures.data_bytes(tables[1])


def test_figures_slow_figures_are_marked_and_handed_out_first(monkeypatch):
    from study.context import load_settings

    registry, _ = study.plan(load_settings())
    assert {n for n, s in registry.specs.items() if s.slow} == {"fig07_topic_k_selection", "fig12_robustness"}
    order = []

    class Pool:  # records the order in which the figures are handed out
        def __init__(self, **kwargs):
            pass

        def submit(self, fn, args):
            from concurrent.futures import Future

            order.append(args[0])
            done = Future()
            done.set_result((args[0], {}, {}, None))
            return done

        def shutdown(self, **kwargs):
            pass

    monkeypatch.setattr(figures, "ProcessPoolExecutor", Pool)
    names = list(registry)
    got = [r[0] for r in figures._produce(registry, names, None, ("png",), 2)]
    assert got == names  # results in the order asked
    assert order[:2] == ["fig07_topic_k_selection", "fig12_robustness"] and sorted(order) == sorted(names)


@pytest.mark.parametrize("p, text", [(0.1, "0.10"), (0.04, "0.04"), (0.0123, "0.01"), (0.0049, "0.005"),
                                     (0.001, "0.001"), (0.0009, "< 0.001"), (0.0, "< 0.001")])
def test_figures_a_caption_never_gives_p_as_zero(p, text):
    assert study._p_text(p) == text


def _embedded_fonts(pdf: bytes) -> dict[str, object]:
    """The TrueType programs a PDF embeds, by font name (``TAG+Name``: one per subset of a font)."""
    import io

    from fontTools.ttLib import TTFont
    from pypdf import PdfReader

    out = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            desc = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            data = desc["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
            out[str(font["/BaseFont"]).lstrip("/")] = TTFont(io.BytesIO(data))
    return out


def test_figures_pdf_fonts_leave_out_only_tables_a_pdf_reader_never_reads(monkeypatch):
    import contextlib

    import matplotlib.pyplot as plt
    from fontTools import subset

    default = list(subset.Options._drop_tables_default)
    with figures.paper_style():  # Type 42 fonts, as every paper figure has
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.plot([-1, 0, 2], [3, -2, 1])  # tick labels with a minus sign
        ax.set_title("Hong Kong: 'super-connector' ffi", fontweight="bold")
        ax.set_xlabel("Belt and Road, AVATAR fi office")  # kerning pairs and ligature candidates
        lean = _embedded_fonts(figures.figure_bytes(fig, "pdf"))
        assert subset.Options._drop_tables_default == default  # the subsetter's default is restored
        monkeypatch.setattr(figures, "_lean_font_subsets", contextlib.nullcontext)
        full = _embedded_fonts(figures.figure_bytes(fig, "pdf"))
    plt.close(fig)
    assert set(lean) == set(full)  # the same subsets (a ligature's glyph goes in a subset of its own)
    assert {name.split("+")[-1] for name in lean} == {"DejaVuSans", "DejaVuSans-Bold"}
    assert any("GPOS" in f for f in full.values())  # the full subsets do carry layout tables
    for name, font in lean.items():
        assert not set(figures.UNREAD_FONT_TABLES) & set(font.keys()), name
        other = full[name]
        assert {"glyf", "loca", "hmtx", "head", "hhea", "maxp", "cmap"} <= set(font.keys())
        glyphs = font.getGlyphOrder()
        assert set(glyphs) <= set(other.getGlyphOrder())
        assert font.getBestCmap() == {c: g for c, g in other.getBestCmap().items() if g in set(glyphs)}
        for g in glyphs:  # the same outlines and advance widths, glyph by glyph
            assert font["glyf"][g].compile(font["glyf"]) == other["glyf"][g].compile(other["glyf"]), (name, g)
            assert font["hmtx"][g] == other["hmtx"][g], (name, g)


def _constrained_figure():
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(4, 2), layout="constrained")
    axes[0].barh(["a very long label of a key term", "b"], [3, -1])
    axes[1].plot([0, 1000, 2000], [1, 2, 3])
    axes[1].set_title("a title", loc="left")
    fig.supxlabel("a caption under both panels,\non two lines", fontsize=6)
    return fig


def test_figures_layout_is_computed_once_as_the_png_computes_it():
    import matplotlib.pyplot as plt

    with figures.paper_style():
        fig = _constrained_figure()
        engine = fig.get_layout_engine()
        with figures._layout_once(fig):
            once = {fmt: figures.figure_bytes(fig, fmt) for fmt in ("png", "pdf", "svg")}
            assert fig.get_layout_engine() is not engine  # held still while the formats are written
        assert fig.get_layout_engine() is engine and fig.dpi != figures.DPI  # given back
        positions = [ax.get_position().bounds for ax in fig.axes]
        fresh = _constrained_figure()
        png = figures.figure_bytes(fresh, "png")  # the engine runs inside savefig, as it always did
        assert png == once["png"]  # the same layout, to the byte
        assert [ax.get_position().bounds for ax in fresh.axes] == positions
        # a PDF or SVG is the same whichever other formats are written with it
        for fmt in ("pdf", "svg"):
            alone = _constrained_figure()
            with figures._layout_once(alone):
                assert figures.figure_bytes(alone, fmt) == once[fmt]
            plt.close(alone)
        plain = plt.figure(figsize=(2, 2))  # no layout engine: nothing to hold
        with figures._layout_once(plain):
            assert plain.get_layout_engine() is None
    plt.close("all")


def test_figures_a_title_past_the_figure_edge_is_broken_between_words():
    import matplotlib.pyplot as plt

    long = "t2: sustainable · green · finance · bond · transformation"
    with figures.paper_style():
        fig, axes = plt.subplots(1, 2, figsize=(3, 1.5), layout="constrained")
        axes[0].set_title("t0: short", loc="left", fontsize=6.8, fontweight="bold")
        axes[1].set_title(long, loc="left", fontsize=6.8, fontweight="bold")
        axes[0].set_title("a centre title that is much too long for its panel of a small figure", fontsize=6.8)
        assert len(text_past_the_edges(fig)) == 2  # as drawn without the renderer's care
        with figures._layout_once(fig):
            assert text_past_the_edges(fig) == []
            assert axes[0].get_title(loc="left") == "t0: short"  # a title that fits is left alone
            broken = axes[1].get_title(loc="left")
            assert broken.count("\n") >= 1 and broken.replace("\n", " ") == long
            assert axes[1].title.get_fontweight() in ("normal", 400)  # the centre title, untouched
            assert axes[1]._left_title.get_fontweight() == "bold" and axes[1]._left_title.get_fontsize() == 6.8
            assert "\n" in axes[0].get_title()
    plt.close(fig)
