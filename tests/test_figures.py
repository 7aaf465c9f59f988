"""Figures: registry, byte-identical output, atomic writes, manifest."""

from __future__ import annotations

import csv
import hashlib

import pytest

import framing as fr
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


@pytest.mark.parametrize("name", list(study.FIGURES.figures))
def test_figures_every_figure_renders_and_records_its_inputs(tmp_path, corpus, name):
    results = render([name], formats=("png",), outdir=tmp_path, corpus=corpus)
    assert results[0].error is None
    rows = list(csv.DictReader((tmp_path / "MANIFEST.csv").open()))
    assert rows[0]["preprocessor"].startswith("pp-") or rows[0]["data_version"].startswith("gazetteer")


def test_figures_two_runs_give_identical_bytes(tmp_path, corpus):
    a, b = tmp_path / "a", tmp_path / "b"
    render(["fig01_corpus_overview"], formats=("png", "pdf", "svg"), outdir=a, corpus=corpus)
    render(["fig01_corpus_overview"], formats=("png", "pdf", "svg"), outdir=b, corpus=corpus)
    for fmt in ("png", "pdf", "svg"):
        assert (a / f"fig01_corpus_overview.{fmt}").read_bytes() == (b / f"fig01_corpus_overview.{fmt}").read_bytes()
    assert (a / "MANIFEST.csv").read_bytes() == (b / "MANIFEST.csv").read_bytes()


def test_figures_manifest_records_hashes_and_provenance(tmp_path, corpus):
    render(["fig01_corpus_overview"], formats=("png",), outdir=tmp_path, corpus=corpus)
    rows = list(csv.DictReader((tmp_path / "MANIFEST.csv").open()))
    assert len(rows) == 1
    row = rows[0]
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
    assert sorted(p.name for p in tmp_path.iterdir()) == ["MANIFEST.csv", "fig01_corpus_overview.png"]


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
