"""Any study's figures from one settings file: `framing figures --study path/to/study.yaml`."""

from __future__ import annotations

import csv
import sys

import pandas as pd
import pytest

from conftest import ROOT, text_past_the_edges
from framing.cli import main

if str(ROOT) not in sys.path:  # the study package sits beside the library, at the repository root
    sys.path.insert(0, str(ROOT))

from study.context import load_settings  # noqa: E402

PARTIES = ("greens", "labour", "liberals")

SENTENCES = {
    "greens": ["Emissions must fall faster and the carbon price must rise.",
               "Renewable energy creates jobs in every region.",
               "A tariff on dirty imports protects our climate policy.",
               "The climate emergency demands a rapid transition away from coal."],
    "labour": ["Workers in the steel towns need fair wages and secure jobs.",
               "A tariff on cheap steel keeps factories open.",
               "The energy transition must not leave workers behind.",
               "Trade deals should protect labour standards and unions."],
    "liberals": ["Free trade lowers prices for every household.",
                 "A tariff is a tax on consumers and exporters.",
                 "Markets and a modest carbon price cut emissions at the lowest cost.",
                 "Open markets and export growth bring investment and jobs."],
}

CODEBOOK = """
codebook: climate_trade
version: 0.1
frames:
  - id: climate
    label: Climate action
    indicators:
      - term: emission
      - term: climate
      - phrase: carbon price
      - term: renewable
  - id: protection
    label: Trade protection
    indicators:
      - term: tariff
      - phrase: protect
      - phrase: labour standards
"""

STUDY = """
name: climate_and_trade
corpus: {path: speeches.csv, text: text, doc_id: doc_id, paragraphs: blank_line}
groups: {column: party, label: party}
subject: {label: Tariffs, terms: tariff, aliases: [tariff, tariffs]}
codebook: climate_trade.yaml
role_frames: [climate, protection]
role_terms: [tariff, "emission*", carbon_price, "job*"]
colors: {greens: "#009E73", labour: "#D55E00"}
seed: 7
n_boot: 50
robustness_permutations: 100
collocates: {window: 5, min_count: 2, n: 6}
topics: {method: nmf, k: 2, seed: 1, search_ks: [2, 3], search_seeds: [1], stability_seeds: [1, 2, 3]}
trend: year
"""


def write_study(folder):
    rows = []
    for i in range(40):
        party = PARTIES[i % 3]
        pool = SENTENCES[party]
        paragraphs = [" ".join(pool[(i + j) % 4] for j in range(2 + i % 2)),
                      " ".join(pool[(i + j + 1) % 4] for j in range(2))]
        rows.append({"doc_id": f"speech_{i:02d}", "party": party, "year": 2018 + i % 4,
                     "date": f"{2018 + i % 4}-{1 + i % 12:02d}-15",
                     "text": "\n\n".join(paragraphs)})
    pd.DataFrame(rows).to_csv(folder / "speeches.csv", index=False)
    (folder / "climate_trade.yaml").write_text(CODEBOOK, encoding="utf-8")
    path = folder / "study.yaml"
    path.write_text(STUDY, encoding="utf-8")
    return path


def test_study_settings_render_another_corpus(tmp_path, capsys, monkeypatch):
    from framing.output import figures as output

    write = output.figure_bytes

    def checked(fig, fmt):  # every figure as it is written: a text past its edges fails it (and the command)
        past = text_past_the_edges(fig)
        if past:
            raise AssertionError(f"text past the figure's edges: {past}")
        return write(fig, fmt)

    monkeypatch.setattr(output, "figure_bytes", checked)
    (tmp_path / "study").mkdir()
    study = write_study(tmp_path / "study")  # its paths are relative to it, not to the working folder
    out = tmp_path / "figs"
    code = main(["figures", "--study", str(study), "--out", str(out), "--format", "png", "--jobs", "2"])
    err = capsys.readouterr().err
    assert code == 0, err
    # no subject place: no places figures; no coded sample: no corrected salience; each said in one line
    assert "note: fig10_bloc_orientation skipped: the settings name no subject place" in err
    assert "note: fig11_partners skipped" in err and "note: fig14_corrected_salience skipped" in err
    drawn = ["fig01_corpus_overview", "fig02_keyness", "fig03_dispersion", "fig04_tariffs_collocates",
             "fig05_frame_salience", "fig06_frame_cooccurrence", "fig07_topic_k_selection", "fig08_topic_prevalence",
             "fig09_topic_terms", "fig12_robustness", "fig13_stance_composition", "fig15_frame_trend"]
    for name in drawn:
        assert (out / f"{name}.png").is_file(), name
        assert (out / "data" / f"{name}.csv").is_file(), name
    assert not (out / "fig10_bloc_orientation.png").exists()
    rows = list(csv.DictReader((out / "MANIFEST.csv").open()))
    assert {r["figure"] for r in rows} == {*drawn, "frame_evidence"}
    data = pd.read_csv(out / "data" / "fig01_corpus_overview.csv")
    assert set(data["group"]) == set(PARTIES)
    assert set(pd.read_csv(out / "data" / "fig02_keyness.csv")["panel"]) == set(PARTIES)
    evidence = pd.read_csv(out / "tables" / "frame_evidence.csv")
    assert set(evidence["party"]) <= set(PARTIES) and set(evidence["frame"]) <= {"climate", "protection"}
    text = "\n".join(p.read_text("utf-8") for p in (out / "data").glob("*.csv"))
    text += (out / "tables" / "frame_evidence.tex").read_text("utf-8")
    assert "hong" not in text.lower() and "source type" not in text
    trend = pd.read_csv(out / "data" / "fig15_frame_trend.csv")
    # the frame trend's shares, recomputed by hand from the frame result: paragraphs with a hit per year and party
    counts = trend.set_index(["bin", "group", "frame"])
    assert set(trend["bin"].astype(str)) == {"2018", "2019", "2020", "2021"} and set(trend["group"]) == set(PARTIES)
    assert (counts["n_docs"] >= 3).all() and counts["value"].between(0, 1).all()


def test_study_settings_captions_come_from_the_settings(tmp_path):
    import matplotlib.pyplot as plt

    from study import figures

    settings = load_settings(write_study(tmp_path))
    registry, skipped = figures.plan(settings)
    assert "fig04_tariffs_collocates" in registry and "fig10_bloc_orientation" in skipped
    assert registry["fig02_keyness"].caption.startswith("Key terms of each party against the rest")
    assert "two role frames in each party" in registry["frame_evidence"].caption
    context = figures.make_context(settings=settings)
    for name in ("fig01_corpus_overview", "fig05_frame_salience", "fig12_robustness"):
        fig, _ = registry[name].func(context)
        words = " ".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")))
        plt.close(fig)
        assert "Hong Kong" not in words and "source type" not in words, name
        assert "part" in words, name  # party / parties, from the settings
    assert "b  Paragraphs that mention Tariffs" in " ".join(
        t.get_text() for t in registry["fig05_frame_salience"].func(context)[0].findobj(lambda a: hasattr(a, "get_text")))


def test_study_settings_without_subject_or_codebook_skip_their_figures(tmp_path, capsys):
    path = write_study(tmp_path)
    path.write_text(STUDY.replace("subject: {label: Tariffs, terms: tariff, aliases: [tariff, tariffs]}", "subject: none")
                    .replace("codebook: climate_trade.yaml", "codebook: none"), encoding="utf-8")
    from study import figures

    registry, skipped = figures.plan(load_settings(path))
    assert list(registry) == ["fig01_corpus_overview", "fig02_keyness", "fig03_dispersion", "fig07_topic_k_selection",
                              "fig08_topic_prevalence", "fig09_topic_terms"]
    assert skipped["fig05_frame_salience"] == "the settings name no codebook"
    assert main(["figures", "--study", str(path), "--list"]) == 0
    assert "fig04_subject_collocates\tskipped: the settings name no subject" in capsys.readouterr().out


def test_study_settings_a_broken_file_lists_every_problem_at_once(tmp_path, capsys):
    path = tmp_path / "study.yaml"
    path.write_text("name: broken\ncorpus: nowhere.csv\ncodebook: missing.yaml\nrole_frames: []\nseed: seven\n"
                    "colour: {a: red}\ntopics: {method: pca, k: 2}\n", encoding="utf-8")
    with pytest.raises(Exception) as info:
        load_settings(path)
    message = str(info.value)
    for key in ("corpus", "codebook", "role_frames", "seed", "colour", "topics.method", "topics.seed"):
        assert f"{path}: {key}:" in message, key
    assert message.startswith(f"{path}: 7 missing or invalid settings:")
    assert main(["figures", "--study", str(path), "--out", str(tmp_path / "figs")]) == 2
    err = capsys.readouterr().err
    assert err.count(str(path)) == 8 and not (tmp_path / "figs").exists()


def test_study_settings_the_bundled_study_is_one_such_file():
    settings = load_settings(ROOT / "study" / "settings.yaml")
    assert settings.group_by == "source_type" and settings.group_plural == "source types"
    assert settings.codebook == "default" and settings.subject is not None
    assert (ROOT / "corpus" / "coding" / "consensus.csv").samefile(settings.coding["consensus"])
