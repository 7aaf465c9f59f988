"""Robustness of findings across preprocessing choices."""

from __future__ import annotations

import pytest

import framing as fr
from framing.measures.robustness import default_grid


def test_robustness_default_grids_are_full_factorials():
    k = default_grid("keyness")
    f = default_grid("frames")
    size = lambda g: __import__("math").prod(len(v) for v in g.values())  # noqa: E731
    assert size(k) == 48 and size(f) == 96
    assert "unit" in f and "unit" not in k


def test_robustness_frames_baseline_holds_and_flips_are_named(corpus):
    grid = {"normalize": ["lemma", "stem"], "phrases": ["default", None]}
    r = fr.robustness(corpus, "frames", grid, frames=["global_south_pivot", "western_tensions"], n_perm=300)
    assert list(r.specs["spec"]) == ["s00", "s01", "s02", "s03"]
    assert r.specs.loc[0, "normalize"] == "lemma" and r.specs.loc[0, "phrases"] == "default"
    base = r.findings[r.findings["spec"] == "s00"]
    assert base["holds"].all()  # every finding holds in the specification it comes from
    s = r.summary.set_index("finding")
    assert (s["specs"] == 4).all() and s["holds_share"].between(0, 1).all()
    # the codebook owns its matching: lemmas, stems or no multiword terms for the analysis cannot switch an
    # indicator off (in the first release, phrases=None dropped belt_and_road and this finding "flipped")
    gsp = s.loc["frames:global_south_pivot:official>press"]
    assert gsp["holds_share"] == 1.0 and gsp["flips_when"] == ""
    assert s.loc["frames:western_tensions:press>official", "holds_share"] == 1.0


def test_robustness_keyness_rank_correlation_is_one_at_baseline(corpus):
    r = fr.robustness(corpus, "keyness", {"stopwords": ["english", None], "lowercase": [True]})
    base = r.findings[r.findings["spec"] == "s00"]
    assert base["rank_correlation"].round(9).eq(1).all() and base["value"].eq(1).all()
    assert set(r.summary["finding"]) == {f"keyness:{g}" for g in ["official", "academic", "press", "commentary"]}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"grid": {"colour": [1]}}, r"grid: setting\(s\) colour do not apply to frames"),
        ({"grid": {"normalize": []}}, r"every setting needs at least one value"),
        ({"grid": {"normalize": ["lemmas"]}}, r"grid specification \{'normalize': 'lemmas'\}"),
        ({"analysis": "topics"}, r"analysis='topics' is not valid"),
        ({"frames": ["nope"]}, r"frames: nope not in the codebook"),
    ],
)
def test_robustness_bad_arguments(corpus, kwargs, message):
    with pytest.raises(fr.ArgumentError, match=message):
        fr.robustness(corpus, **kwargs)
