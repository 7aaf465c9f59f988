"""Places: gazetteer matching, ambiguity, roles, groupings, blocs, orientation and partners."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import framing as fr
from framing.base.resample import bootstrap_weights
from framing.measures.places import (
    DOCUMENT_ORIENTATION_COLUMNS,
    MENTION_COLUMNS,
    ORIENTATION_COLUMNS,
    document_orientation,
    load_gazetteer,
)


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
    in_scope = m[(m["group"] == "commentary") & m["subject_in_sentence"] & (m["country"] == "CHN") & (m["role"] == "place")]
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


# --------------------------------------------------------------------------- roles


def role_of(text: str, name: str) -> str:
    """The role of the first mention whose matched text is ``name``."""
    g = load_gazetteer()
    hits = [(a, b) for _, a, b in g.find(text) if text[a:b] == name]
    assert hits, f"{name!r} not found in {text!r}"
    return g.role(text, *hits[0])


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        # actors: the name stands for a government that acts
        ("Beijing has tightened control over the city.", "Beijing", "actor"),  # perfect + participle in -ed
        ("Beijing has imposed a national security law.", "Beijing", "actor"),
        ("Beijing has long sought influence.", "Beijing", "actor"),  # adverb, irregular participle
        ("Washington also warned the banks.", "Washington", "actor"),  # adverb + verb of the list
        ("China will retaliate.", "China", "actor"),  # modal
        ("Beijing is seeking new partners.", "Beijing", "actor"),  # progressive
        ("Washington's sanctions hurt the banks.", "Washington", "actor"),  # possessive + noun of agency
        ("Beijing's harsh crackdown followed.", "Beijing", "actor"),  # one word between
        ("Officials were sanctioned by Washington.", "Washington", "actor"),  # participle + by
        ("It was driven by the mainland.", "mainland", "actor"),  # participle + by the
        ("A Beijing-backed body opened.", "Beijing", "actor"),  # agentive compound
        ("Western governments have stripped its privileges.", "Western governments", "actor"),
        # places: the name is where the text points
        ("Flights to Beijing are full.", "Beijing", "place"),
        ("China is the largest market.", "China", "place"),  # copula + noun
        ("Saudi Arabia has a young population.", "Saudi Arabia", "place"),  # "has" + noun
        ("Singapore can be a model.", "Singapore", "place"),  # modal + be
        ("China's economy grew.", "China", "place"),  # possessive, no noun of agency
        ("A UK-based firm published it.", "UK", "place"),  # other compound
        ("The US policy towards China has shifted.", "China", "place"),  # governed by a preposition
        ("Nationals from about 110 B&R countries may visit.", "B&R countries", "place"),
        ("Cities such as Paris and London will help.", "London", "place"),
    ],
)
def test_places_role_tells_actors_from_places(text, name, expected):
    assert role_of(text, name) == expected


def test_places_role_column_follows_bloc():
    text = "Beijing has tightened control over Hong Kong. Hong Kong flights to Beijing resumed."
    m = fr.places(fr.Corpus.from_frame(pd.DataFrame({"doc_id": ["a"], "text": [text]})), subject="HKG")
    assert MENTION_COLUMNS.index("role") == MENTION_COLUMNS.index("bloc") + 1
    beijing = m[m["place"] == "Beijing"]
    assert beijing["role"].tolist() == ["actor", "place"]
    assert beijing["matched"].tolist() == ["Beijing", "Beijing"]


# --------------------------------------------------------------------------- groupings, case, false places


def kinds(text: str) -> list[tuple[str, str, str, str]]:
    return [(e.place, e.kind, e.bloc, e.names_bloc) for e, _, _ in load_gazetteer().find(text)]


def test_places_groupings_are_their_own_kind_and_name_a_bloc_or_none():
    assert kinds("The West, the Global South, developing countries and B&R countries; the Middle East.") == [
        ("the West", "grouping", "grouping", "west"),
        ("Global South", "grouping", "grouping", "global_south"),
        ("developing countries", "grouping", "grouping", "global_south"),
        ("B&R countries", "grouping", "grouping", ""),  # mixed: Luxembourg, New Zealand, Singapore, Türkiye
        ("Middle East", "region", "global_south", ""),  # a region keeps its bloc
    ]
    assert kinds("Western governments and emerging markets.") == [
        ("the West", "grouping", "grouping", "west"), ("emerging markets", "grouping", "grouping", "")]
    # the Greater Bay Area: a national plan, counted with the mainland
    assert kinds("the Greater Bay Area") == [("Greater Bay Area", "region", "mainland_china", "")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ties with the global south", ["Global South"]),
        ("the middle east and south-east asia", ["Middle East", "Southeast Asia"]),
        ("South East Asia and SOUTHEAST ASIA", ["Southeast Asia", "Southeast Asia"]),
        ("belt and road countries and Belt-and-Road Countries", ["B&R countries", "B&R countries"]),
        ("Developing Countries", ["developing countries"]),
        # countries and cities stay case-sensitive; so do the names kept in case
        ("turkey and us", []),
        ("the west of the city and a widening gulf", []),
        ("the West and the Gulf", ["the West", "Gulf"]),
    ],
)
def test_places_regions_and_groupings_match_in_any_case(text, expected):
    assert [e.place for e, _, _ in load_gazetteer().find(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("an East-meets-West centre", []),
        ("its “East meets West” brand", []),
        ("the West Kowloon Cultural District", []),  # "the West" starts first, the not-place still removes it
        ("it still bridges East and West", []),
        ("a blend of the East and the West", []),
        ("tensions with the West", ["the West"]),
        ("a divide between mainland and maritime Southeast Asia", ["Southeast Asia"]),
        ("inroads in mainland Southeast Asia", ["Southeast Asia"]),  # the longer name wins over "mainland"
        ("talent from the mainland", ["China"]),
    ],
)
def test_places_not_places_win_over_place_names(text, expected):
    assert [e.place for e, _, _ in load_gazetteer().find(text)] == expected


def test_places_longest_name_wins_at_a_position():
    g = load_gazetteer()
    text = "Gulf states and the Gulf."
    assert [(e.place, text[a:b]) for e, a, b in g.find(text)] == [("Gulf", "Gulf states"), ("Gulf", "Gulf")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("regions:\n  Gulf: global_south\ncase_insensitive: [regoins]\n",
         r"gaz.yaml:3: case_insensitive: 'regoins' is not a section; choose from countries, cities, regions"),
        ("groupings:\n  the West: west\n  Global South: [global_south]\n",
         r"gaz.yaml:3: groupings: 'Global South' must name the bloc it names"),
        ("regions:\n  Gulf:\n", r"gaz.yaml:2: regions: 'Gulf' must name its bloc, got None"),
        ("regions:\n  Gulf: global_south\nkeep_case: [Gulff]\n", r"gaz.yaml:3: keep_case: 'Gulff' is not a name"),
        ("regions:\n  Gulf: global_south\nsame_place:\n  Gulf states: Gulf\n",
         r"gaz.yaml:4: same_place: 'Gulf states' is not a name of this gazetteer"),
        ("not_places: East and West\n", r"gaz.yaml:1: not_places must be a list of names"),
        ("roles:\n  verbs: [says]\n  verb: [said]\n", r"gaz.yaml:3: roles: 'verb' is not a list of this section"),
        ("roles:\n  verbs: [says, 3]\n", r"gaz.yaml:2: roles: verbs: 3 is not a word"),
    ],
)
def test_places_bad_gazetteer_entries_name_file_and_line(tmp_path, text, message):
    bad = tmp_path / "gaz.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(fr.ArgumentError, match=message):
        load_gazetteer(str(bad))


# --------------------------------------------------------------------------- orientation options


def one_doc(text: str) -> pd.DataFrame:
    c = fr.Corpus.from_frame(pd.DataFrame({"doc_id": ["a"], "text": [text], "side": ["x"]}), group_by="side")
    return fr.places(c, subject="HKG")


def test_orientation_sets_actors_apart_and_places_groupings():
    m = one_doc("Hong Kong courts the Middle East and the West. Beijing has tightened control over Hong Kong. "
                "Hong Kong flights to Beijing and B&R countries grew.")
    # in scope: Middle East (gs), the West (grouping, names west), Beijing (actor), Beijing (place), B&R (grouping, none)
    default = fr.orientation(m, n_boot=50).set_index("bloc")
    assert default["mentions"].to_dict() == {"mainland_china": 1, "global_south": 1, "grouping": 2}
    assert default["total"].iloc[0] == 4 and default["actors"].iloc[0] == 1
    assert default.loc["grouping", "share"] == pytest.approx(2 / 4)
    included = fr.orientation(m, actors="include", n_boot=50).set_index("bloc")
    assert included.loc["mainland_china", "mentions"] == 2 and included["total"].iloc[0] == 5
    assert included["actors"].iloc[0] == 0
    assigned = fr.orientation(m, groupings="assign", n_boot=50).set_index("bloc")
    assert assigned["mentions"].to_dict() == {"mainland_china": 1, "global_south": 1, "west": 1, "grouping": 1}
    assert list(fr.orientation(m, n_boot=50).columns) == ORIENTATION_COLUMNS


def test_partners_leave_actors_out_by_default(corpus):
    m = fr.places(corpus, subject="HKG")
    out = fr.partners(m, n=50).set_index(["group", "place"])["mentions"]
    with_actors = fr.partners(m, n=50, actors="include").set_index(["group", "place"])["mentions"]
    beijing = m[(m["place"] == "Beijing") & m["subject_in_sentence"] & (m["group"] == "commentary")]
    assert (beijing["role"] == "actor").sum() > 0
    assert out[("commentary", "Beijing")] == (beijing["role"] == "place").sum()
    assert with_actors[("commentary", "Beijing")] == len(beijing)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"actors": "drop"}, r"actors='drop' is not valid; choose one of 'exclude', 'include'"),
        ({"groupings": "merge"}, r"groupings='merge' is not valid; choose one of 'apart', 'assign'"),
        ({"n_boot": 5}, r"n_boot=5 must be an integer of at least 10"),
        ({"confidence": 95}, r"confidence=95 must lie in \(0, 1\)"),
    ],
)
def test_orientation_bad_options_are_named(kwargs, message):
    m = one_doc("Hong Kong and Egypt.")
    with pytest.raises(fr.ArgumentError, match=message):
        fr.orientation(m, **kwargs)


def test_orientation_old_table_without_roles_is_refused():
    m = one_doc("Hong Kong and Egypt.").drop(columns=["role", "names_bloc"])
    with pytest.raises(fr.ArgumentError, match=r"actors='exclude' needs the mentions table's 'role' column"):
        fr.orientation(m)
    assert fr.orientation(m, actors="include", n_boot=50)["mentions"].tolist() == [1]


# --------------------------------------------------------------------------- documents


def two_docs(texts: dict[str, str], group: dict[str, str] | None = None) -> pd.DataFrame:
    df = pd.DataFrame({"doc_id": list(texts), "text": list(texts.values())})
    df["side"] = [group[d] if group else "x" for d in texts]
    return fr.places(fr.Corpus.from_frame(df, group_by="side"), subject="HKG")


def test_orientation_dominance_and_leave_one_out_by_hand():
    # group x: document a names Egypt, Kenya (global south) and France (west); document b names France only.
    m = two_docs({"a": "Hong Kong and Egypt.\n\nHong Kong and Kenya.\n\nHong Kong and France.",
                  "b": "Hong Kong and France.",
                  "c": "Hong Kong and Egypt."}, group={"a": "x", "b": "x", "c": "y"})
    o = fr.orientation(m, n_boot=100).set_index(["group", "bloc"])
    gs, west = o.loc[("x", "global_south")], o.loc[("x", "west")]
    assert gs["share"] == pytest.approx(2 / 4) and west["share"] == pytest.approx(2 / 4)
    # global south: all from document a
    assert gs["dominant_document"] == "a" and gs["dominant_share"] == 1.0 and gs["effective_docs"] == 1.0
    # west: one mention each: (1 + 1)^2 / (1 + 1) = 2 effective documents
    assert west["dominant_share"] == 0.5 and west["effective_docs"] == pytest.approx(2.0)
    # leave a out: b alone, global south 0/1, west 1/1; leave b out: a alone, global south 2/3, west 1/3
    assert (gs["share_loo_min"], gs["share_loo_max"]) == pytest.approx((0.0, 2 / 3))
    assert (west["share_loo_min"], west["share_loo_max"]) == pytest.approx((1 / 3, 1.0))
    assert gs["interval"] == "documents" and gs["docs"] == 2
    # group y rests on one document: no leave-one-out, a within-document interval
    y = o.loc[("y", "global_south")]
    assert y["interval"] == "within-document" and np.isnan(y["share_loo_min"]) and np.isnan(y["share_loo_max"])
    assert y["dominant_document"] == "c" and y["dominant_share"] == 1.0 and y["effective_docs"] == 1.0
    per_doc = document_orientation(m)
    assert list(per_doc.columns) == DOCUMENT_ORIENTATION_COLUMNS
    got = per_doc.set_index(["doc_id", "bloc"])["share"].to_dict()
    assert got == {("a", "global_south"): 2 / 3, ("a", "west"): 1 / 3, ("b", "global_south"): 0.0, ("b", "west"): 1.0,
                   ("c", "global_south"): 1.0, ("c", "west"): 0.0}


def test_orientation_interval_resamples_documents():
    # two documents of ten paragraphs: one names only a global-south country, the other only a western one.
    # Documents are drawn first: both draws give the same document with probability 1/2 (share 0 or 1,
    # 1/4 each), so the 95% interval must run from 0 to 1.
    m = two_docs({"a": "\n\n".join(["Hong Kong and Egypt."] * 10), "b": "\n\n".join(["Hong Kong and France."] * 10)})
    gs = fr.orientation(m, n_boot=400, random_state=1).set_index("bloc").loc["global_south"]
    assert gs["share"] == 0.5 and gs["interval"] == "documents"
    assert gs["low"] == 0.0 and gs["high"] == 1.0
    # a bootstrap of the twenty paragraphs alone would give a much narrower interval around 0.5
    units = np.array([1.0] * 10 + [0.0] * 10)
    reps = bootstrap_weights(np.random.default_rng(1), 20, 400) @ units / 20
    lo, hi = np.quantile(reps, [0.025, 0.975])
    assert hi - lo < 0.6 < gs["high"] - gs["low"]
