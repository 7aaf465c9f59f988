"""Salience, differences, distance, co-occurrence and tone, checked independently."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.spatial.distance import jensenshannon

import framing as fr
from framing.measures.frames.salience import SALIENCE_COLUMNS


@pytest.fixture(scope="module")
def result():
    return fr.detect_frames(fr.load_corpus(), subject="hong_kong")


def test_salience_point_estimates_equal_direct_counts(result):
    table = fr.frame_salience(result, n_boot=200)
    assert list(table.columns) == SALIENCE_COLUMNS
    body = result.units[~result.units["is_heading"]]  # headings and titles are not units of the frame measure
    uf = result.unit_frames.merge(body[["unit_id", "source_type", "n_tokens"]], on="unit_id")
    for row in table.itertuples():
        g = uf[(uf["source_type"] == row.group) & (uf["frame"] == row.frame)]
        tokens = body.loc[body["source_type"] == row.group, "n_tokens"].sum()
        assert row.hits == g["hits"].sum()
        assert row.per_1000 == pytest.approx(1000 * g["hits"].sum() / tokens)
        assert row.share_units == pytest.approx(g["carries"].mean())
        all_hits = uf[uf["source_type"] == row.group]["hits"].sum()
        assert row.share_hits == pytest.approx(g["hits"].sum() / all_hits)
        assert row.per_1000_low <= row.per_1000 + 1e-9 and row.per_1000 <= row.per_1000_high + 1e-9
    flags = table.groupby("group")["single_document"].first().to_dict()
    assert flags == {"official": False, "academic": True, "press": True, "commentary": True}
    assert table.groupby("group")["share_hits"].sum().round(9).eq(1).all()


def test_salience_bootstrap_is_seeded(result):
    a = fr.frame_salience(result, n_boot=300, random_state=5)
    b = fr.frame_salience(result, n_boot=300, random_state=5)
    c = fr.frame_salience(result, n_boot=300, random_state=6)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["share_units_low"], c["share_units_low"])


def test_salience_scope_restricts_to_hong_kong(result):
    all_ = fr.frame_salience(result, n_boot=50).set_index(["group", "frame"])
    para = fr.frame_salience(result, scope="paragraph", n_boot=50).set_index(["group", "frame"])
    sent = fr.frame_salience(result, scope="sentence", n_boot=50).set_index(["group", "frame"])
    assert (para["units"] <= all_["units"]).all() and (para["hits"] <= all_["hits"]).all()
    assert (sent["hits"] <= para["hits"]).all()
    mention = result.units[result.units["mentions_subject"] & ~result.units["is_heading"]]
    assert para.loc[("press", "western_tensions"), "units"] == (mention["source_type"] == "press").sum()
    ev = result.evidence
    assert sent.loc[("commentary", "global_south_pivot"), "hits"] == (
        (ev["group"] == "commentary") & (ev["frame"] == "global_south_pivot") & ev["subject_in_sentence"]).sum()


def test_salience_by_several_columns_labels_combinations(result):
    t = fr.frame_salience(result, by=["source_type", "year"], n_boot=20)
    assert set(t["group"]) == {"official | 2025", "academic | 2025", "press | 2025", "commentary | 2025"}


def test_frame_differences_match_scipy_permutation_test(result):
    d = fr.frame_differences(result, level="unit", n_perm=20000, random_state=1)
    row = d[(d["group_a"] == "press") & (d["group_b"] == "commentary") & (d["frame"] == "western_tensions")].iloc[0]
    body = result.units[~result.units["is_heading"]]
    uf = result.unit_frames.merge(body[["unit_id", "source_type"]], on="unit_id")
    x = uf[(uf["source_type"] == "press") & (uf["frame"] == "western_tensions")]["carries"].astype(float).to_numpy()
    y = uf[(uf["source_type"] == "commentary") & (uf["frame"] == "western_tensions")]["carries"].astype(float).to_numpy()
    assert row["difference"] == pytest.approx(x.mean() - y.mean())
    # our two-sided p counts |d*| >= |d|: scipy's "greater" on the absolute difference
    ref = stats.permutation_test((x, y), lambda a, b: abs(a.mean() - b.mean()), n_resamples=20000,
                                 alternative="greater", random_state=2)
    assert row["p"] == pytest.approx(ref.pvalue, abs=0.02)
    assert set(d["measure"]) == {"share_units"}


def test_frame_distance_is_scipy_jensen_shannon(result):
    d = fr.frame_distance(result)
    ev = result.evidence
    frames = result.codebook.frame_ids
    prof = {g: ev[ev["group"] == g]["frame"].value_counts().reindex(frames, fill_value=0).to_numpy() for g in ev["group"].unique()}
    row = d[(d["group_a"] == "official") & (d["group_b"] == "commentary")].iloc[0]
    assert row["js_distance"] == pytest.approx(jensenshannon(prof["official"], prof["commentary"], base=2))
    assert d["js_distance"].between(0, 1).all()


def test_frame_cooccurrence_counts_paragraphs_with_both(result):
    co = fr.frame_cooccurrence(result)
    wide = result.unit_frames.pivot(index="unit_id", columns="frame", values="carries")
    units = result.units.set_index("unit_id")
    com = wide[units.loc[wide.index, "source_type"] == "commentary"]
    row = co[(co["group"] == "commentary") & (co["frame_a"] == "super_connector") & (co["frame_b"] == "global_south_pivot")].iloc[0]
    both = int((com["super_connector"] & com["global_south_pivot"]).sum())
    assert row["n_both"] == both
    assert row["jaccard"] == pytest.approx(both / int((com["super_connector"] | com["global_south_pivot"]).sum()))
    assert row["p_b_given_a"] == pytest.approx(both / com["super_connector"].sum())


def test_frame_tone_scores_each_sentence_with_vader(result):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    tone = fr.frame_tone(result, n_boot=200)
    row = tone[(tone["group"] == "press") & (tone["frame"] == "western_tensions")].iloc[0]
    ev = result.evidence
    sids = ev[(ev["group"] == "press") & (ev["frame"] == "western_tensions")]["sentence_id"].unique()
    analyzer = SentimentIntensityAnalyzer()
    scores = [analyzer.polarity_scores(result.sentences.loc[s, "text"])["compound"] for s in sids]
    assert row["sentences"] == len(sids)
    assert row["mean_compound"] == pytest.approx(np.mean(scores))
    assert row["low"] <= row["mean_compound"] <= row["high"]


def test_salience_bad_arguments(result):
    with pytest.raises(fr.ArgumentError, match="scope='hk' is not valid"):
        fr.frame_salience(result, scope="hk")
    with pytest.raises(fr.ArgumentError, match="by='party'"):
        fr.frame_salience(result, by="party")
    with pytest.raises(fr.ArgumentError, match="expected the FrameResult"):
        fr.frame_salience("not a result")
