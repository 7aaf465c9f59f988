"""Robustness of findings across preprocessing choices."""

from __future__ import annotations

import pandas as pd
import pytest

import framing as fr
from framing.measures.robustness import default_grid


def test_robustness_default_grids_are_full_factorials():
    k = default_grid("keyness")
    f = default_grid("frames")
    size = lambda g: __import__("math").prod(len(v) for v in g.values())  # noqa: E731
    assert size(k) == 48 and size(f) == 16
    assert set(f) == {"unit", "scope", "measure", "stance"} and "unit" not in k


def test_robustness_frames_baseline_holds_and_flips_are_named(corpus):
    subject = fr.Subject(("hong_kong", "HKSAR"), anaphora=("the city",))
    grid = {"scope": ["paragraph", "all"], "stance": ["all", "affirmed"]}
    r = fr.robustness(corpus, "frames", grid, subject=subject, frames=["global_south_pivot", "western_tensions"],
                      leave_out=("documents",), n_perm=300)
    n_docs = len(corpus)
    assert list(r.specs["spec"]) == [f"s{i:02d}" for i in range(4 + n_docs)]
    assert r.specs.loc[0, "scope"] == "paragraph" and r.specs.loc[0, "drop"] == ""
    base = r.findings[r.findings["spec"] == "s00"]
    assert base["holds"].dropna().astype(bool).all()  # every testable finding holds where it comes from
    s = r.summary.set_index("finding")
    # the official texts' lead on the Global South pivot is the Belt and Road page's
    gsp = s.loc["frames:global_south_pivot:official>press"]
    assert gsp["flips"] >= 1 and "official_br_office_work" in gsp["flips_when"]
    # the official texts have no western_tensions hit anywhere: no specification could flip the contrast
    wt = s.loc["frames:western_tensions:press>official"]
    assert pd.isna(wt["holds_share"]) and wt["flips_when"].startswith("untestable")


def test_robustness_frames_refuses_preprocessing_settings(corpus):
    with pytest.raises(fr.ArgumentError, match="matched as the codebook declares"):
        fr.robustness(corpus, "frames", {"normalize": ["lemma", "stem"]})
    with pytest.raises(fr.ArgumentError, match="pass subject="):
        fr.robustness(corpus, "frames", {"scope": ["paragraph"]})


def test_robustness_keyness_rank_correlation_is_one_at_baseline(corpus):
    r = fr.robustness(corpus, "keyness", {"stopwords": ["english", None], "lowercase": [True]})
    base = r.findings[r.findings["spec"] == "s00"]
    assert base["rank_correlation"].round(9).eq(1).all() and base["value"].eq(1).all()
    assert set(r.summary["finding"]) == {f"keyness:{g}" for g in ["official", "academic", "press", "commentary"]}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"grid": {"colour": [1]}}, r"grid: setting\(s\) colour do not apply to frames"),
        ({"grid": {"unit": []}}, r"every setting needs at least one value"),
        ({"analysis": "keyness", "grid": {"normalize": ["lemmas"]}}, r"grid specification \{'normalize': 'lemmas'\}"),
        ({"grid": {"measure": ["median"]}}, r"measure='median'"),
        ({"analysis": "topics"}, r"analysis='topics' is not valid"),
        ({"frames": ["nope"]}, r"frames: nope not in the codebook"),
    ],
)
def test_robustness_bad_arguments(corpus, kwargs, message):
    with pytest.raises(fr.ArgumentError, match=message):
        fr.robustness(corpus, **kwargs)


def test_robustness_top_lists_order_ties_and_nan_as_pandas_sorts():
    import numpy as np

    from framing.measures.robustness import _by_g2

    rng = np.random.default_rng(5)
    for n in (0, 1, 2, 7, 50, 400):
        g2 = rng.integers(0, 6, n).astype(float)  # many ties
        g2[rng.random(n) < 0.1] = np.nan
        expected = pd.DataFrame({"g2": g2}).sort_values("g2", ascending=False).index.tolist()
        assert _by_g2(g2) == expected
