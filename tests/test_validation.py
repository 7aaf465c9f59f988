"""The validation loop: coding sheets, reliability against published values, P/R/F1."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score, precision_recall_fscore_support

import framing as fr

NAN = np.nan
# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", example C: 4 coders x 12 units
KRIPPENDORFF_2011 = np.array([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
])


@pytest.mark.parametrize(("metric", "published"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)])
def test_krippendorff_alpha_reproduces_the_published_example(metric, published):
    assert round(fr.krippendorff_alpha(KRIPPENDORFF_2011, metric), 3) == published


def test_cohen_kappa_reproduces_a_published_example():
    # 50 proposals: both yes 20, A yes / B no 5, A no / B yes 10, both no 15 -> kappa 0.4
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert fr.cohen_kappa(a, b) == pytest.approx(0.4)
    rng = np.random.default_rng(0)
    x, y = rng.integers(0, 3, 200), rng.integers(0, 3, 200)
    assert fr.cohen_kappa(x, y) == pytest.approx(cohen_kappa_score(x, y))


@pytest.fixture(scope="module")
def corpus_and_result():
    corpus = fr.load_corpus()
    return corpus, fr.detect_frames(corpus, subject="hong_kong")


def test_coding_sheet_is_stratified_blank_and_reproducible(tmp_path, corpus_and_result):
    corpus, result = corpus_and_result
    codebook = result.codebook
    sheet = fr.coding_sheet(corpus, codebook, n=10, random_state=3, path=tmp_path / "sheet.csv")
    assert sheet.groupby("group").size().to_dict() == {"official": 10, "academic": 10, "press": 10, "commentary": 10}
    assert list(sheet.columns) == ["unit_id", "doc_id", "group", "text", *codebook.frame_ids, "coder", "notes"]
    assert sheet[codebook.frame_ids].isna().all().all()
    again = fr.coding_sheet(corpus, codebook, n=10, random_state=3)
    assert sheet["unit_id"].tolist() == again["unit_id"].tolist()
    read = pd.read_csv(tmp_path / "sheet.csv")
    assert read["unit_id"].tolist() == sheet["unit_id"].tolist()
    instructions = (tmp_path / "sheet.instructions.md").read_text("utf-8")
    assert "super_connector" in instructions and "**problem**" in instructions
    headings = set(corpus.units("paragraph").query("is_heading")["unit_id"])
    assert not headings & set(sheet["unit_id"])


def synthetic_sheets(result, n_units=60, seed=0):
    """Three coders who agree with a hidden truth 90% of the time."""
    rng = np.random.default_rng(seed)
    units = result.units["unit_id"].iloc[:n_units].tolist()
    frames = result.codebook.frame_ids[:3]
    truth = {f: rng.integers(0, 2, n_units) for f in frames}
    sheets = []
    for _ in range(3):
        sheet = pd.DataFrame({"unit_id": units})
        for f in frames:
            flip = rng.random(n_units) < 0.1
            sheet[f] = np.where(flip, 1 - truth[f], truth[f])
        sheets.append(sheet)
    return sheets, truth, units


def test_reliability_of_synthetic_coders(corpus_and_result):
    _, result = corpus_and_result
    sheets, truth, _ = synthetic_sheets(result)
    rel = fr.reliability(sheets)
    assert list(rel["frame"]) == [*result.codebook.frame_ids[:3], "(all)"]
    f = result.codebook.frame_ids[0]
    data = np.vstack([s[f].to_numpy(dtype=float) for s in sheets])
    assert rel.set_index("frame").loc[f, "alpha"] == pytest.approx(fr.krippendorff_alpha(data))
    assert 0.4 < rel["alpha"].min() <= rel["alpha"].max() < 1
    with pytest.raises(fr.ArgumentError, match="at least two coders"):
        fr.reliability(sheets[:1])


def test_validate_against_the_coders_consensus_equals_sklearn(corpus_and_result):
    _, result = corpus_and_result
    sheets, _, units = synthetic_sheets(result, seed=4)
    table = fr.validate(result, sheets).set_index("frame")
    carries = result.unit_frames.pivot(index="unit_id", columns="frame", values="carries")
    body = ~result.units.set_index("unit_id").loc[units, "is_heading"].to_numpy(dtype=bool)  # headings are not scored
    assert 0 < body.sum() < len(units) and (table["units"] == body.sum()).all()
    for f in table.index:
        votes = np.vstack([s[f].to_numpy() for s in sheets]).sum(0)[body]
        consensus = votes >= 2
        pred = carries.loc[units, f].to_numpy()[body]
        p, r, f1, _ = precision_recall_fscore_support(consensus, pred, average="binary", zero_division=np.nan)
        assert table.loc[f, "precision"] == pytest.approx(p, nan_ok=True)
        assert table.loc[f, "recall"] == pytest.approx(r, nan_ok=True)
        assert table.loc[f, "f1"] == pytest.approx(f1, nan_ok=True)


def test_validate_refuses_units_of_another_corpus(corpus_and_result):
    _, result = corpus_and_result
    sheet = pd.DataFrame({"unit_id": ["elsewhere/p000"], "super_connector": [1]})
    with pytest.raises(fr.ArgumentError, match="'elsewhere/p000' is not a paragraph"):
        fr.validate(result, sheet)
