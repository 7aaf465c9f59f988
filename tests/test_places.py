"""Places: gazetteer matching, ambiguity, blocs, orientation and partners."""

from __future__ import annotations

import pandas as pd
import pytest

import framing as fr
from framing.measures.places import MENTION_COLUMNS, load_gazetteer


def found(text: str) -> list[tuple[str, str, str]]:
    """Gazetteer blocs; the subject's own bloc "self" is set by fr.places(subject=), not here."""
    return [(e.place, e.kind, e.bloc) for e, _, _ in load_gazetteer().find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # sentences from the corpus, annotated by hand
        ("Chief Executive John Lee has directed the city to look for new markets in the Middle East.",
         [("Middle East", "region", "global_south")]),
        ("InvestHK has also established new consultant offices in Cairo, Egypt in July 2024 and in Izmir, Türkiye in January 2025.",
         [("Cairo", "city", "global_south"), ("Egypt", "country", "global_south"), ("Izmir", "city", "other"),
          ("Türkiye", "country", "other")]),
        ("Hong Kong is a bridge between mainland China and the rest of the world.",
         [("Hong Kong", "city", "other"), ("China", "country", "mainland_china")]),
        ("China and the United States are caught in a geopolitical rivalry.",
         [("China", "country", "mainland_china"), ("United States", "country", "west")]),
        ("In 2023, he visited several ASEAN countries, including high-level talks in Jakarta.",
         [("ASEAN", "body", "global_south"), ("Jakarta", "city", "global_south")]),
        # the ambiguous cases
        ("It will save us time and trouble.", []),
        ("A HK$1 billion fund and US$128.6 million.", []),
        ("Michael Jordan and Chad Smith visited.", []),
        ("Hong Kong signed agreements with Jordan, Chad and Georgia.",
         [("Hong Kong", "city", "other"), ("Jordan", "country", "global_south"), ("Chad", "country", "global_south"),
          ("Georgia", "country", "other")]),
        ("Chinese investors and Western media.", []),
        ("Hong Kong's role and Washington's sanctions.", [("Hong Kong", "city", "other"), ("Washington", "city", "west")]),
        ("Turkey, not turkey.", [("Türkiye", "country", "other")]),
    ],
)
def test_places_hand_annotated_sentences(text, expected):
    assert found(text) == expected


def test_places_table_offsets_blocs_and_self(corpus):
    m = fr.places(corpus, subject="HKG")
    assert list(m.columns)[: len(MENTION_COLUMNS)] == MENTION_COLUMNS
    assert {"source_type", "outlet", "date"} <= set(m.columns)  # every mention carries its document's metadata
    for row in m.itertuples():
        assert corpus[row.doc_id].text[row.start:row.end] == row.matched
    assert set(m.loc[m["place"] == "Hong Kong", "bloc"]) == {"self"}
    assert m.loc[m["place"] == "Beijing", "bloc"].eq("mainland_china").all()
    hk_sent = set(m.loc[m["bloc"] == "self", "sentence_id"])
    assert m["subject_in_sentence"].eq(m["sentence_id"].isin(hk_sent)).all()


def test_places_bloc_counts_against_a_direct_count():
    text = ("Hong Kong courts the Middle East, Saudi Arabia and Indonesia. The US and Britain disagree. "
            "Beijing and Hong Kong agree with the UN.\n\nThe EU and Japan watch.")
    c = fr.Corpus.from_frame(pd.DataFrame({"doc_id": ["a"], "text": [text], "side": ["x"]}), group_by="side")
    m = fr.places(c, subject="HKG")
    counts = m.groupby("bloc").size().to_dict()
    assert counts == {"self": 2, "global_south": 3, "west": 3, "mainland_china": 1, "multilateral": 1, "other": 1}
    o = fr.orientation(m, scope="sentence_with_subject", n_boot=100).set_index("bloc")
    # sentences with Hong Kong: 1 (3 global south) and 3 (Beijing, UN); sentence 2 and the Japan/EU paragraph are out
    assert o.loc["global_south", "mentions"] == 3 and o.loc["mainland_china", "mentions"] == 1
    assert o.loc["multilateral", "mentions"] == 1 and o["total"].iloc[0] == 5
    assert o.loc["global_south", "share"] == pytest.approx(3 / 5)
    all_ = fr.orientation(m, scope="all", n_boot=100).set_index("bloc")
    assert all_["total"].iloc[0] == 9 and all_.loc["west", "mentions"] == 3


def test_orientation_intervals_are_seeded_and_flag_single_documents(corpus):
    m = fr.places(corpus, subject="HKG")
    a = fr.orientation(m, n_boot=200, random_state=3)
    pd.testing.assert_frame_equal(a, fr.orientation(m, n_boot=200, random_state=3))
    assert (a["low"] <= a["share"] + 1e-12).all() and (a["share"] <= a["high"] + 1e-12).all()
    assert a.groupby("group")["share"].sum().round(9).eq(1).all()
    assert a.groupby("group")["single_document"].first().to_dict() == {
        "official": False, "academic": True, "press": True, "commentary": True}


def test_partners_rank_places_and_fold_cities(corpus):
    m = fr.places(corpus, subject="HKG")
    p = fr.partners(m, n=5)
    assert list(p.columns) == ["group", "rank", "place", "kind", "bloc", "mentions", "share"]
    assert p.groupby("group")["rank"].max().le(5).all()
    assert "Hong Kong" not in set(p["place"])
    folded = fr.partners(m, n=50, level="country")
    com = folded[folded["group"] == "commentary"].set_index("place")
    places_ = fr.partners(m, n=50)[lambda t: t["group"] == "commentary"].set_index("place")
    assert "Beijing" not in com.index
    in_scope = m[(m["group"] == "commentary") & m["subject_in_sentence"] & (m["country"] == "CHN")]
    assert com.loc["China", "mentions"] == len(in_scope) > places_.loc["China", "mentions"]


def test_places_custom_bloc_file(tmp_path, corpus):
    blocs = tmp_path / "blocs.yaml"
    blocs.write_text("blocs:\n  mainland_china: [CHN]\n  self: [HKG]\n  friends: [SAU, QAT, ARE]\ndefault: rest\n", encoding="utf-8")
    m = fr.places(corpus, blocs=str(blocs))
    assert set(m.loc[m["place"] == "Saudi Arabia", "bloc"]) == {"friends"}
    assert set(m.loc[m["place"] == "United States", "bloc"]) == {"rest"}
    bad = tmp_path / "bad.yaml"
    bad.write_text("blocs:\n  a: [CHN]\n  b: [CHN]\n", encoding="utf-8")
    with pytest.raises(fr.ArgumentError, match="country CHN is in two blocs"):
        fr.places(corpus, blocs=str(bad))


def test_places_subject_is_a_parameter_and_groups_come_from_metadata(corpus):
    none = fr.places(corpus)
    assert not none["subject_in_sentence"].any() and "self" not in set(none["bloc"])
    assert set(none.loc[none["place"] == "Hong Kong", "kind"]) == {"city"}
    by_name = fr.places(corpus, subject=["Hong Kong"])
    by_code = fr.places(corpus, subject="HKG")
    pd.testing.assert_series_equal(by_name["subject_in_sentence"], by_code["subject_in_sentence"])
    # any document metadata groups the mentions; by=None is the corpus' own grouping
    by_outlet = fr.orientation(by_code, by="outlet", n_boot=50)
    assert set(by_outlet["group"]) == set(corpus.docs["outlet"])
    pd.testing.assert_frame_equal(fr.orientation(by_code, n_boot=50), fr.orientation(by_code, by="group", n_boot=50))


def test_places_old_scope_name_warns_and_gives_the_same_table(corpus, monkeypatch):
    monkeypatch.setattr("framing.base.deprecation._WARNED", set())
    m = fr.places(corpus, subject="HKG")
    new = fr.orientation(m, scope="sentence_with_subject", n_boot=50)
    with pytest.warns(FutureWarning, match="sentence_with_subject"):
        old = fr.orientation(m, scope="sentence_with_hong_kong", n_boot=50)
    pd.testing.assert_frame_equal(old, new)
