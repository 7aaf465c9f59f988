"""Inference at the level of documents: two-stage bootstrap, document permutation tests, dominance."""

from __future__ import annotations

from math import comb

import numpy as np
import pandas as pd
import pytest

import framing as fr
from framing.base.resample import adjust_pvalues, document_permutations, dominance, two_stage_weights
from framing.measures.frames.matching import FrameResult

CODEBOOK = fr.load_codebook()


def _result(carries: np.ndarray, docs: np.ndarray, groups: np.ndarray, frame: str = "super_connector") -> FrameResult:
    """A FrameResult whose paragraph i carries ``frame`` once when ``carries[i]``."""
    units = pd.DataFrame({
        "unit_id": [f"{d}/p{i:03d}" for i, d in enumerate(docs)], "doc_id": docs, "g": groups,
        "is_heading": False, "n_tokens": 20, "mentions_subject": True,
    })
    hit = np.flatnonzero(carries)
    evidence = pd.DataFrame({
        "doc_id": docs[hit], "group": groups[hit], "unit_id": units["unit_id"].to_numpy()[hit],
        "sentence_id": units["unit_id"].to_numpy()[hit], "frame": frame, "indicator": "term:x", "matched": "x",
        "start": 0, "end": 1, "context": "x", "stance": "affirmed", "cue": "", "side": "",
        "subject_in_sentence": True,
    })
    sentences = pd.DataFrame({"sentence_id": units["unit_id"], "unit_id": units["unit_id"], "doc_id": docs,
                              "n_tokens": 20, "mentions_subject": True, "subject_via": "", "start": 0, "end": 1,
                              "text": "x"}).set_index("sentence_id", drop=False)
    return FrameResult(evidence=evidence, units=units, sentences=sentences, codebook=CODEBOOK, preprocessor="pp-test",
                       subject=None, group_by="g", corpus_hash="test")


def _simulate(rng: np.random.Generator, effect: float = 0.0, docs_per_group: int = 8, per_doc: int = 25):
    """Two groups of documents whose frame rates vary by document (Beta(2, 6), mean 0.25); ``effect`` added to b."""
    carries, docs, groups = [], [], []
    for g, shift in (("a", 0.0), ("b", effect)):
        for d in range(docs_per_group):
            rate = min(1.0, rng.beta(2, 6) + shift)
            carries.append(rng.random(per_doc) < rate)
            docs += [f"{g}{d}"] * per_doc
            groups += [g] * per_doc
    return np.concatenate(carries), np.array(docs), np.array(groups)


def test_document_tests_hold_their_level_where_paragraph_tests_do_not():
    rng = np.random.default_rng(20261130)
    reject_doc = reject_unit = 0
    runs = 200
    for i in range(runs):
        res = _result(*_simulate(rng))
        d = fr.frame_differences(res, n_perm=200, random_state=i)
        u = fr.frame_differences(res, level="unit", n_perm=200, random_state=i)
        row = lambda t: t[t["frame"] == "super_connector"].iloc[0]  # noqa: E731
        reject_doc += row(d)["p"] < 0.05
        reject_unit += row(u)["p"] < 0.05
    # no group effect: about 5% (a binomial 95% band over 200 runs reaches ~8%); paragraphs: far more
    assert reject_doc / runs <= 0.085, reject_doc
    assert reject_unit / runs >= 0.25, reject_unit


def test_document_test_has_power_against_a_real_group_effect():
    rng = np.random.default_rng(7)
    hits = 0
    for i in range(60):
        res = _result(*_simulate(rng, effect=0.25))
        d = fr.frame_differences(res, n_perm=200, random_state=i)
        hits += d[d["frame"] == "super_connector"].iloc[0]["p"] < 0.05
    assert hits / 60 >= 0.6


def test_no_group_test_where_documents_are_too_few():
    corpus = fr.load_corpus()
    d = fr.frame_differences(fr.detect_frames(corpus), n_perm=200)
    assert d["p"].isna().all() and d["p_adj"].isna().all()
    row = d[(d["group_a"] == "official") & (d["group_b"] == "academic")].iloc[0]
    assert "no group test: 3 vs 1 documents" in row["test"]
    assert (d["level"] == "document").all()
    u = fr.frame_differences(fr.detect_frames(corpus), level="unit", n_perm=200)
    assert u["p"].notna().all() and (u["p_adj"] >= u["p"] - 1e-12).all()


def test_two_stage_bootstrap_covers_the_group_mean():
    rng = np.random.default_rng(11)
    covered = 0
    runs = 150
    for i in range(runs):
        carries, docs, groups = _simulate(rng)
        keep = groups == "a"
        res = _result(carries[keep], docs[keep], groups[keep])
        t = fr.frame_salience(res, n_boot=400, random_state=i).set_index("frame").loc["super_connector"]
        covered += t["share_units_low"] <= 0.25 <= t["share_units_high"]
        assert t["interval"] == "documents"
    assert 0.85 <= covered / runs <= 0.99, covered


def test_dominance_flags_one_document_carrying_a_group():
    carries = np.array([1] * 10 + [0] * 10 + [0] * 10)
    docs = np.array(["big"] * 10 + ["b"] * 10 + ["c"] * 10)
    groups = np.array(["g"] * 30)
    t = fr.frame_salience(_result(carries, docs, groups), n_boot=50).set_index("frame").loc["super_connector"]
    assert t["docs"] == 3 and not t["single_document"]
    assert t["dominant_document"] == "big" and t["dominant_share"] == 1.0 and t["effective_docs"] == 1.0
    one = fr.frame_salience(_result(carries[:10], docs[:10], groups[:10]), n_boot=50).set_index("frame")
    assert one.loc["super_connector", "interval"] == "within-document"


def test_kernels():
    w = two_stage_weights(np.random.default_rng(0), np.array([0, 0, 0, 1]), 500)
    # a document drawn k times contributes k × its size units
    assert set(np.unique(w[:, :3].sum(1))) <= {0.0, 3.0, 6.0} and set(np.unique(w[:, 3])) <= {0.0, 1.0, 2.0}
    masks, exact = document_permutations(np.random.default_rng(0), 3, 3, 5000)
    assert exact and len(masks) == comb(6, 3) and (masks.sum(1) == 3).all() and len({m.tobytes() for m in masks}) == 20
    masks, exact = document_permutations(np.random.default_rng(0), 8, 8, 300)
    assert not exact and masks.shape == (300, 16)
    assert dominance(np.array([3.0, 1.0])) == (0, 0.75, pytest.approx(1.6))
    np.testing.assert_allclose(adjust_pvalues(np.array([0.01, np.nan, 0.04, 0.03])), [0.03, np.nan, 0.04, 0.04])


def test_leave_one_document_out_finds_a_difference_one_document_carries():
    # group a: one document carries the frame in every paragraph, two never; group b: a steady 30% in three documents
    carries = np.array([1] * 10 + [0] * 10 + [0] * 10 + ([1] * 3 + [0] * 7) * 3)
    docs = np.array(["a1"] * 10 + ["a2"] * 10 + ["a3"] * 10 + ["b1"] * 10 + ["b2"] * 10 + ["b3"] * 10)
    groups = np.array(["a"] * 30 + ["b"] * 30)
    res = _result(carries, docs, groups)
    d = fr.frame_differences(res, n_perm=200).set_index("frame").loc["super_connector"]
    assert d["difference"] == pytest.approx(1 / 3 - 0.3)
    assert d["loo_docs"] == 6 and d["loo_holds"] == 0.0  # without a1, group a carries nothing
    sal = fr.frame_salience(res, n_boot=50).set_index(["group", "frame"])
    a = sal.loc[("a", "super_connector")]
    assert (a["share_units_loo_min"], a["share_units_loo_max"]) == (0.0, pytest.approx(0.5))
    assert (a["dominant_document"], a["dominant_share"]) == ("a1", 1.0)
    b = sal.loc[("b", "super_connector")]
    assert b["effective_docs"] == pytest.approx(3.0) and b["share_units_loo_min"] == pytest.approx(0.3)
    per = fr.document_salience(res).query("frame == 'super_connector'").set_index("doc_id")
    assert per["share_units"].to_dict() == {"a1": 1.0, "a2": 0.0, "a3": 0.0, "b1": 0.3, "b2": 0.3, "b3": 0.3}
    assert (per["units"] == 10).all() and per.loc["a1", "hits"] == 10


def test_leave_one_document_out_is_untestable_between_single_documents():
    corpus = fr.load_corpus()
    d = fr.frame_differences(fr.detect_frames(corpus), level="unit", n_perm=200)
    single = d[(d["docs_a"] == 1) & (d["docs_b"] == 1)]
    assert len(single) and single["loo_holds"].isna().all() and (single["loo_docs"] == 0).all()
    official = d[(d["group_a"] == "official") & (d["group_b"] == "press") & (d["frame"] == "global_south_pivot")].iloc[0]
    assert official["loo_docs"] == 3 and official["loo_holds"] == 0.0  # the Belt and Road page carries it


def test_tone_intervals_resample_documents_and_say_so():
    corpus = fr.load_corpus()
    tone = fr.frame_tone(fr.detect_frames(corpus), n_boot=200).set_index(["group", "frame"])
    official = tone.loc[("official", "global_south_pivot")]
    assert official["docs"] == 1 and official["interval"] == "within-document"  # the Belt and Road page alone
    fin = tone.loc[("official", "financial_centre")]
    assert fin["docs"] >= 2 and fin["interval"] == "documents"
    assert (tone["low"] <= tone["mean_compound"] + 1e-12).all() and (tone["mean_compound"] <= tone["high"] + 1e-12).all()
