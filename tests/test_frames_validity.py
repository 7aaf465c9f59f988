"""Stance, sides, codebook-owned matching, the subject's other names, learned frames and corrected prevalence."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import precision_recall_fscore_support

import framing as fr
from framing.base.errors import CodebookError, CodedDataError
from framing.measures.frames.codebook import default_stance

CODEBOOK = fr.load_codebook()


def _corpus(texts: list[str], ids: list[str], groups: list[str]) -> fr.Corpus:
    return fr.Corpus.from_frame(pd.DataFrame({"doc_id": ids, "text": texts, "g": groups}), group_by="g")


def stances(text: str, frame: str | None = None) -> list[str]:
    return [h["stance"] for h in fr.describe_text(text, CODEBOOK) if frame is None or h["frame"] == frame]


# --------------------------------------------------------------------------- stance


@pytest.mark.parametrize("text, expected", [
    ("Hong Kong was China's sole gateway to the world.", "past"),
    ("Hong Kong is no longer a bridge between China and the world.", "past"),
    ("The city shall gradually evolve from its role as a super-connector.", "past"),
    ("Hong Kong is moving away from its conventional role as a bridge between China and the world.", "past"),
    ("Hong Kong is not a bridge between China and the world.", "negated"),
    ("It would be an overstatement to claim that Hong Kong is 'decoupling' from the West.", "negated"),
    ("Lee said Hong Kong would remain a bridge between China and the world.", "attributed"),
    ("Hong Kong could become a bridge between China and the world.", "hypothetical"),
    ("Is Hong Kong still China's gateway to the world?", "hypothetical"),
    ("Hong Kong is a bridge between mainland China and the rest of the world.", "affirmed"),
    ("Hong Kong is not only a bridge between China and the world but also a market.", "affirmed"),
    ("Hong Kong was a colony, but it is now a bridge between China and the world.", "affirmed"),
    ("Having said so, Hong Kong looks forward to marketing itself as a bridge between China and the world.", "affirmed"),
    ("Trump signed Executive Order No. 13936 to sanction Hong Kong.", "affirmed"),
    ("It is not only that Hong Kong is no longer a bridge between China and the world.", "past"),
])
def test_stance_of_a_hit_follows_its_cues(text, expected):
    got = stances(text)
    assert got, f"no hit in {text!r}"
    assert got[0] == expected, (text, fr.describe_text(text, CODEBOOK))


def test_stance_cue_names_the_words_that_decided():
    hit = fr.describe_text("Hong Kong is no longer a bridge between China and the world.", CODEBOOK)[0]
    assert (hit["stance"], hit["cue"]) == ("past", "no longer")
    assert fr.describe_text("Hong Kong is a bridge between China and the world.", CODEBOOK)[0]["cue"] == ""


def _cue_matches_by_scanning(rules, words):
    """Every cue's matches found the obvious way: each cue, each sequence, each position (pseudo-cues mask first)."""
    found = {}
    for c, cue in enumerate(rules.cues):
        found[c] = sorted((i, i + len(seq)) for seq in cue.sequences for i in range(len(words) - len(seq) + 1)
                          if all(words[i + q] in seq[q] for q in range(len(seq))))
    masked = {k for c, cue in enumerate(rules.cues) if cue.stance == "affirmed" for i, e in found[c]
              for k in range(i, e)}
    return [[] if cue.stance == "affirmed" else [(i, e) for i, e in found[c] if not masked & set(range(i, e))]
            for c, cue in enumerate(rules.cues)]


def test_stance_prepared_cue_matches_equal_a_plain_scan(corpus):
    import pickle
    import random

    from framing.measures.frames.stance import Prepared, surface_words

    rules = default_stance()
    cue_words = [w for cue in rules.cues for phrase in cue.words for w in phrase.split()]
    rng = random.Random(7)
    texts = list(corpus.units("sentence")["text"][:400])
    texts += [" ".join(rng.choice(cue_words + ["Hong", "Kong", "bridge", "but", ";", "(", "no.", "12"])
                       for _ in range(rng.randint(1, 30))) for _ in range(400)]
    for text in texts:
        words = [w for w, _, _ in surface_words(text)]
        got = [list(zip(starts, ends)) for starts, ends, _ in Prepared(rules, text).matches]
        assert got == _cue_matches_by_scanning(rules, words), text
    rules.prepare("Hong Kong was a bridge.")  # the rules now hold their head index; they still pickle
    assert pickle.loads(pickle.dumps(rules)) == rules


def test_stance_every_bundled_cue_has_a_reason_and_its_examples_pass():
    rules = default_stance()
    assert len(rules.cues) >= 8
    assert all(c.why for c in rules.cues)
    assert CODEBOOK.check() == []  # includes every cue example


def test_stance_codebook_cue_whose_example_fails_is_reported(tmp_path):
    path = tmp_path / "cb.yaml"
    path.write_text(
        "codebook: t\nversion: '1'\nstance:\n  cues:\n    - stance: past\n      words: [formerly]\n"
        "      examples: ['Hong Kong is a bridge between China and the world.']\n"
        "frames:\n  - id: sc\n    indicators:\n      - term: bridge\n", encoding="utf-8")
    problems = fr.load_codebook(path).check()
    assert any("stance cue 'past'" in p and "reads as affirmed" in p and ":5:" in p for p in problems), problems


def test_stance_bad_cue_is_one_error_with_the_line(tmp_path):
    path = tmp_path / "cb.yaml"
    path.write_text("codebook: t\nversion: '1'\nstance:\n  cues:\n    - stance: doubtful\n      words: [maybe]\n"
                    "frames:\n  - id: sc\n    indicators:\n      - term: bridge\n", encoding="utf-8")
    with pytest.raises(CodebookError, match=r"cb.yaml:5: stance cue: 'stance' must be one of"):
        fr.load_codebook(path)


def test_stance_none_turns_stance_off(tmp_path):
    path = tmp_path / "cb.yaml"
    path.write_text("codebook: t\nversion: '1'\nstance: none\nframes:\n  - id: sc\n    indicators:\n      - term: bridge\n",
                    encoding="utf-8")
    cb = fr.load_codebook(path)
    assert [h["stance"] for h in fr.describe_text("Hong Kong is no longer a bridge.", cb)] == ["affirmed"]


def test_stance_salience_counts_only_the_stance_asked(tmp_path):
    corpus = _corpus(
        ["Hong Kong is a bridge between China and the world.\n\nHong Kong was China's gateway to the world.",
         "Hong Kong is no longer a bridge between China and the world."], ["a", "b"], ["x", "y"])
    res = fr.detect_frames(corpus)
    all_ = fr.frame_salience(res, n_boot=50).set_index(["group", "frame"])
    aff = fr.frame_salience(res, stance="affirmed", n_boot=50).set_index(["group", "frame"])
    assert all_.loc[("x", "super_connector"), "units_with_frame"] == 2
    assert aff.loc[("x", "super_connector"), "units_with_frame"] == 1
    assert aff.loc[("y", "super_connector"), "units_with_frame"] == 0
    comp = fr.stance_composition(res).set_index(["group", "frame", "stance"])
    assert comp.loc[("x", "super_connector", "past"), "hits"] == 1
    assert comp.loc[("y", "super_connector", "past"), "share"] == 1.0
    with pytest.raises(fr.ArgumentError, match="stance"):
        fr.frame_salience(res, stance="doubtful")


# --------------------------------------------------------------------------- sides


@pytest.mark.parametrize("text, side", [
    ("The United States imposed sanctions on Hong Kong officials.", "foreign"),
    ("Beijing's crackdown has damaged the city's standing in the West.", "both"),
    ("The crackdown after 2019 eroded the city's autonomy and its ties to Western business.", "both"),
    ("The harsh crackdown jailed dozens of activists.", "beijing"),
    ("Geopolitical rivalry weighs on the city.", "none"),
])
def test_sides_of_western_tensions(text, side):
    hits = [h for h in fr.describe_text(text, CODEBOOK) if h["frame"] == "western_tensions"]
    assert hits and hits[0]["side"] == side, hits


def test_sides_one_sided_frames_have_no_side():
    hits = fr.describe_text("Hong Kong is a bridge between China and the world.", CODEBOOK)
    assert hits[0]["side"] == ""


# --------------------------------------------------------------------------- codebook-owned matching


def test_matching_hits_do_not_move_with_the_analysis_preprocessing():
    corpus = fr.load_corpus()
    base = fr.detect_frames(corpus)
    for pre in (fr.Preprocessor(phrases=None), fr.Preprocessor(normalize="stem"), fr.Preprocessor(stopwords="english")):
        other = fr.detect_frames(fr.tokens(corpus, pre))
        pd.testing.assert_frame_equal(other.evidence, base.evidence)
        assert other.preprocessor == base.preprocessor == CODEBOOK.preprocessor.id


def test_matching_on_another_preprocessor_only_when_asked():
    corpus = fr.load_corpus()
    base = fr.detect_frames(corpus)
    bare = fr.detect_frames(corpus, pre=fr.Preprocessor(phrases=None, stopwords=None), matching="preprocessor")
    n = lambda r: int((r.evidence["frame"] == "global_south_pivot").sum())  # noqa: E731
    assert n(bare) < n(base) / 2  # multiword indicators (belt_and_road, global_south) cannot match without phrases


def test_matching_check_reports_indicators_that_can_never_match(tmp_path):
    path = tmp_path / "cb.yaml"
    path.write_text(
        "codebook: t\nversion: '1'\nframes:\n  - id: f\n    indicators:\n      - term: sanctions\n"
        "      - term: made_up_phrase\n      - term: bridge\n", encoding="utf-8")
    problems = fr.load_codebook(path).check()
    assert any(":6:" in p and "'sanctions' becomes 'sanction'" in p for p in problems), problems
    assert any(":7:" in p and "'made_up_phrase' is a multiword term" in p for p in problems), problems
    path.write_text(
        "codebook: t\nversion: '1'\nmatching: {phrases: null}\nframes:\n  - id: f\n    indicators:\n"
        "      - term: belt_and_road\n", encoding="utf-8")
    problems = fr.load_codebook(path).check()
    assert any("'belt_and_road' is a multiword term" in p for p in problems), problems


def test_matching_bad_matching_section_is_named(tmp_path):
    path = tmp_path / "cb.yaml"
    path.write_text("codebook: t\nversion: '1'\nmatching: {normalize: lemmatise, colour: red}\n"
                    "frames:\n  - id: f\n    indicators:\n      - term: bridge\n", encoding="utf-8")
    with pytest.raises(CodebookError) as err:
        fr.load_codebook(path)
    text = str(err.value)
    assert "cb.yaml:3: matching: unknown key 'colour'" in text and "matching.normalize" in text


def test_matching_variants_and_alternatives(tmp_path):
    path = tmp_path / "cb.yaml"
    path.write_text(
        "codebook: t\nversion: '1'\nstance: none\nframes:\n  - id: f\n    indicators:\n"
        "      - term: broker\n        variants: [go-between, middleman]\n"
        "      - term: hub\n        context: {all: ['china|mainland', 'world|west*']}\n", encoding="utf-8")
    cb = fr.load_codebook(path)
    assert cb.check() == []
    found = lambda t: [h["matched"] for h in fr.describe_text(t, cb)]  # noqa: E731
    assert found("A go-between and a middleman.") == ["go-between", "middleman"]
    assert found("A hub between the Mainland and Western markets.") == ["hub"]
    assert found("A hub for the Mainland.") == []
    assert found("A hub for the world.") == []


# --------------------------------------------------------------------------- the subject under its other names


def _two_docs() -> fr.Corpus:
    return _corpus(
        ["Hong Kong is a port.\n\nThe city is a bridge between China and the world.",
         "The city is a bridge between China and the world."], ["named", "unnamed"], ["x", "x"])


def test_subject_anaphora_count_only_in_documents_that_name_it():
    subject = fr.Subject(("hong_kong",), anaphora=("the city",), label="Hong Kong")
    res = fr.detect_frames(_two_docs(), subject=subject)
    units = res.units.set_index("unit_id")["mentions_subject"]
    assert units.to_dict() == {"named/p000": True, "named/p001": True, "unnamed/p000": False}
    ev = res.evidence.set_index("unit_id")["subject_in_sentence"]
    assert bool(ev["named/p001"]) and not bool(ev["unnamed/p000"])
    assert res.sentences.set_index("unit_id").loc["named/p001", "subject_via"] == "the city"


def test_subject_coverage_says_what_each_name_adds():
    res = fr.detect_frames(_two_docs(), subject={"aliases": ["hong_kong"], "anaphora": ["the city"]})
    cov = res.subject_coverage().set_index("name")
    assert cov.loc["hong_kong", "units_added"] == 1 and cov.loc["the city", "units_added"] == 1
    assert cov.loc["the city", "kind"] == "anaphor"
    assert cov.loc["the city", "share_added"] == pytest.approx(1 / 3)
    with pytest.raises(fr.ArgumentError, match="unknown key"):
        fr.detect_frames(_two_docs(), subject={"alias": ["hong_kong"]})


def test_subject_aliases_as_a_list_still_work():
    res = fr.detect_frames(_two_docs(), subject=["hong_kong", "the city"])
    assert res.units["mentions_subject"].tolist() == [True, True, True]


# --------------------------------------------------------------------------- coded tables


def _coded(corpus: fr.Corpus, frames: dict[str, list[int]]) -> pd.DataFrame:
    ids = corpus.units("paragraph")["unit_id"].tolist()
    return pd.DataFrame({"unit_id": ids, **frames})


def test_coded_table_problems_are_named_with_column_and_rows():
    corpus = fr.load_corpus()
    ids = corpus.units("paragraph")["unit_id"].tolist()[:30]
    ones = [1] * 12 + [0] * 18
    good = pd.DataFrame({"unit_id": ids, "super_connector": ones})
    fr.check_coded(good, corpus.units("paragraph")["unit_id"], ["super_connector"])
    cases = [
        (good.assign(unit_id=["nope/p9"] + ids[1:]), r"column 'unit_id': row 2 \(unit_id 'nope/p9'\) name no paragraph"),
        (good, r"no column 'western_tensions'"),
        (good.assign(super_connector=ones[:-1] + ["yes"]), r"column 'super_connector': row 31 .*hold 'yes'; codes must be 0 or 1"),
        (good.assign(super_connector=[1] * 30), r"column 'super_connector': every coded unit is 1"),
        (good.assign(super_connector=[1] * 3 + [0] * 27), r"column 'super_connector': 3 positive units; at least 10"),
    ]
    for table, message in cases:
        frames = ["super_connector", "western_tensions"] if message.startswith("no column") else ["super_connector"]
        with pytest.raises(CodedDataError, match=message):
            fr.check_coded(table, corpus.units("paragraph")["unit_id"], frames)
    with pytest.raises(CodedDataError, match="code the same unit more than once"):
        fr.check_coded(pd.concat([good, good.head(1)]), corpus.units("paragraph")["unit_id"], ["super_connector"])


def test_coded_consensus_is_the_majority_and_ties_are_missing():
    a = pd.DataFrame({"unit_id": ["u1", "u2", "u3"], "f": [1, 0, 1], "f_stance": ["past", "", "affirmed"]})
    b = pd.DataFrame({"unit_id": ["u1", "u2", "u3"], "f": [1, 1, 0], "f_stance": ["past", "affirmed", ""]})
    c = pd.DataFrame({"unit_id": ["u1", "u2"], "f": [0, 0], "f_stance": ["", ""]})
    out = fr.consensus([a, b, c], ["f"]).set_index("unit_id")
    assert out.loc["u1", "f"] == 1 and out.loc["u2", "f"] == 0 and pd.isna(out.loc["u3", "f"])
    assert out.loc["u1", "f_stance"] == "past" and out.loc["u1", "f_agreement"] == pytest.approx(2 / 3)


# --------------------------------------------------------------------------- learned frames


def _synthetic(n_docs: int = 6, per_doc: int = 20, seed: int = 0) -> tuple[fr.Corpus, pd.DataFrame]:
    """Paragraphs that carry a 'port' frame in words no dictionary lists (wharf, cargo, berth)."""
    rng = np.random.default_rng(seed)
    on = ["wharf", "cargo", "berth", "container", "freight", "dock"]
    off = ["poem", "museum", "painting", "novel", "theatre", "music", "festival", "gallery"]
    texts, codes = [], []
    for d in range(n_docs):
        paras = []
        for p in range(per_doc):
            y = int(rng.random() < 0.4)
            words = list(rng.choice(on, 3)) + list(rng.choice(off, 3)) if y else list(rng.choice(off, 6))
            paras.append("The city has a " + " and a ".join(words) + ".")
            codes.append(y)
        texts.append("\n\n".join(paras))
    corpus = _corpus(texts, [f"d{i}" for i in range(n_docs)], ["a" if i % 2 else "b" for i in range(n_docs)])
    return corpus, _coded(corpus, {"port": codes})


def test_classifier_learns_a_frame_from_coded_examples_and_predicts_held_out_documents():
    corpus, coded = _synthetic()
    train = coded.assign(port=coded["port"].where(~coded["unit_id"].str.startswith(("d4", "d5"))))
    clf = fr.FrameClassifier(random_state=0).fit(corpus, train)
    pred = clf.predict(corpus)
    assert list(pred.columns) == ["unit_id", "port", "port_proba"]
    held = pred["unit_id"].str.startswith(("d4", "d5"))
    truth = coded.loc[held, "port"].to_numpy()
    assert (pred.loc[held, "port"].to_numpy() == truth).mean() >= 0.95
    again = fr.FrameClassifier(random_state=0).fit(corpus, train).predict(corpus)
    pd.testing.assert_frame_equal(pred, again)
    assert "[codebook]" not in " ".join(clf.top_features("port")["feature"])
    assert set(clf.top_features("port", n=6)["feature"]) & {"wharf", "cargo", "berth", "container", "freight", "dock"}


def test_classifier_needs_fitting_and_names_bad_codes():
    corpus, coded = _synthetic()
    with pytest.raises(fr.ArgumentError, match="not fitted"):
        fr.FrameClassifier().predict(corpus)
    with pytest.raises(CodedDataError, match="column 'port'"):
        fr.FrameClassifier().fit(corpus, coded.assign(port=2))


def test_cross_validation_groups_folds_by_document_and_scores_like_sklearn():
    corpus, coded = _synthetic()
    cv = fr.cross_validate_frames(corpus, coded, codebook=None, n_boot=200, random_state=1)
    row = cv.set_index(["frame", "method"]).loc[("port", "classifier")]
    assert row["folds"] == 5 and row["documents"] == 6 and row["units"] == len(coded)
    assert row["f1"] >= 0.9 and row["f1_low"] <= row["f1"] <= row["f1_high"]
    # the dictionary row, scored independently with scikit-learn
    bundled = fr.load_corpus()
    codes = pd.read_csv("corpus/coding/consensus.csv", keep_default_na=False)
    frames = ["super_connector", "global_south_pivot", "western_tensions"]
    cv = fr.cross_validate_frames(bundled, codes[["unit_id", *frames]], frames, n_boot=50)
    paras = bundled.units("paragraph")
    codes = codes[~codes["unit_id"].isin(set(paras.loc[paras["is_heading"], "unit_id"]))]  # apparatus is not scored
    hits = fr.detect_frames(bundled).unit_frames.pivot(index="unit_id", columns="frame", values="carries")
    for f in frames:
        p, r, f1, _ = precision_recall_fscore_support(codes[f].astype(int), hits.loc[codes["unit_id"], f].astype(int),
                                                      average="binary")
        got = cv.set_index(["frame", "method"]).loc[(f, "dictionary")]
        assert (got["precision"], got["recall"], got["f1"]) == pytest.approx((p, r, f1))


# --------------------------------------------------------------------------- corrected prevalence


def test_adjusted_count_inverts_known_error_rates():
    # a true share of 0.3 seen through tpr 0.8, fpr 0.1 gives 0.3 * 0.8 + 0.7 * 0.1 = 0.31
    assert float(fr.adjusted_count(0.31, 0.8, 0.1)) == pytest.approx(0.3)
    assert float(fr.adjusted_count(0.05, 0.8, 0.1)) == 0.0
    assert np.isnan(fr.adjusted_count(0.3, 0.1, 0.1))


def test_corrected_salience_equals_observed_under_a_perfect_measure_and_moves_otherwise():
    corpus = fr.load_corpus()
    res = fr.detect_frames(corpus)
    car = res.unit_frames.pivot(index="unit_id", columns="frame", values="carries").astype(int)
    perfect = car[["super_connector"]].reset_index()
    t = fr.corrected_salience(res, perfect, n_boot=100)
    assert np.allclose(t["corrected"], t["observed"]) and (t["tpr"] == 1).all() and (t["fpr"] == 0).all()
    codes = pd.read_csv("corpus/coding/consensus.csv", keep_default_na=False)
    t = fr.corrected_salience(res, codes[["unit_id", "western_tensions"]], n_boot=200).set_index("group")
    tpr = t["tpr"].iloc[0]
    expected = (t["observed"] - t["fpr"]) / (tpr - t["fpr"])
    assert np.allclose(t["corrected"], expected.clip(0, 1))
    assert (t["corrected_low"] <= t["corrected"] + 1e-12).all() and (t["corrected"] <= t["corrected_high"] + 1e-12).all()


# --------------------------------------------------------------------------- suggestions


def test_suggestions_rank_terms_of_coded_positives_and_say_what_they_would_add():
    from scipy.stats import chi2_contingency

    corpus = fr.load_corpus()
    codes = pd.read_csv("corpus/coding/consensus.csv", keep_default_na=False)
    dev = codes[codes["split"] == "development"][["unit_id", "western_tensions"]]
    table = fr.suggest_indicators(corpus, dev, "western_tensions", n=10)
    assert len(table) == 10 and (table["source"] == "keyness").all()
    assert table["g2"].is_monotonic_decreasing and (table["log_ratio"] > 0).all()
    # counts, precision and G² recomputed independently: a paragraph-by-term matrix and scipy
    m = fr.dtm(corpus, CODEBOOK.preprocessor, unit="paragraph")
    present = pd.DataFrame((m.matrix > 0).toarray(), index=m.units["unit_id"], columns=m.terms)
    y = dev.set_index("unit_id")["western_tensions"].astype(int)
    for r in table.head(5).itertuples():
        has = present.loc[y.index, r.term]
        a, b = int((has & (y == 1)).sum()), int((has & (y == 0)).sum())
        assert (r.positive_units, r.negative_units) == (a, b)
        assert r.precision == pytest.approx(a / (a + b))
        g2 = chi2_contingency([[a, b], [int((y == 1).sum()) - a, int((y == 0).sum()) - b]],
                              lambda_="log-likelihood", correction=False)[0]
        assert r.g2 == pytest.approx(g2)
    flagged = fr.detect_frames(corpus).unit_frames.query("frame == 'western_tensions'").set_index("unit_id")["carries"]
    r = table.iloc[0]
    has = present.loc[y.index, r["term"]]
    assert r["adds_true"] == int((has & (y == 1) & ~flagged.loc[y.index]).sum())
    with pytest.raises(fr.ArgumentError, match="frame 'nope'"):
        fr.suggest_indicators(corpus, dev, "nope")


def test_headings_are_left_out_of_the_frame_measure_unless_asked():
    corpus = fr.load_corpus()
    heading = "press_scmp_international_ties/p021"  # "Geopolitics at play: go south?"
    units = corpus.units("paragraph").set_index("unit_id")
    assert units.loc[heading, "is_heading"]
    default = fr.detect_frames(corpus)
    assert heading not in set(default.evidence["unit_id"])
    assert heading not in set(default.hits_matrix()[2]["unit_id"])
    assert len(default.hits_matrix()[2]) == int((~units["is_heading"]).sum())
    counted = fr.detect_frames(corpus, headings=True)
    assert {"western_tensions", "global_south_pivot"} <= set(counted.evidence.query("unit_id == @heading")["frame"])
    assert len(counted.hits_matrix()[2]) == len(units)
    sal = fr.frame_salience(default, n_boot=20).set_index(["group", "frame"])
    assert sal.loc[("press", "western_tensions"), "units"] == int((~units["is_heading"] & (units["source_type"] == "press")).sum())


_STANCE_PIECES = ["No", "no.", "No. 13", " ", "  ", ".", ";", ":", "?", "(", ")", "-", "'", "\u2019", "was", "WAS",
                  "Σ", "ΟΔΟΣ", "é", "e\u0301", "\u00a0", ",", "not", "12", "Hong", "n't", "İ", "_"]


def test_stance_words_split_as_the_word_pattern_finds_them():
    """The split-based reading of a sentence's words gives what one match per word gave (text, start, end)."""
    import random

    from framing.base.patterns import straighten
    from framing.measures.frames.stance import _WORD, surface_words

    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(_STANCE_PIECES) for _ in range(rng.randint(0, 12)))
        expected = [(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(straighten(text))]
        assert surface_words(text) == expected, text
