"""Frame detection against hand-annotated text, and the bundled codebook."""

from __future__ import annotations

import pandas as pd
import pytest

import framing as fr
from framing.measures.frames.codebook import Codebook, CodebookError, load_codebook
from framing.measures.frames.matching import EVIDENCE_COLUMNS, detect_text

CODEBOOK = load_codebook()

MINI = """
codebook: mini
version: 0.1
frames:
  - id: connector
    label: Connector
    indicators:
      - term: super_connector
      - phrase: bridge between
      - term: bridge
        context: {any: [china, world]}
      - glob: "gateway*"
    exclude:
      - phrase: bridge loan
  - id: tension
    label: Tension
    indicators:
      - term: sanction
      - regex: "^decoupl"
      - phrase: our country
"""


@pytest.fixture
def mini(tmp_path) -> Codebook:
    path = tmp_path / "mini.yaml"
    path.write_text(MINI, encoding="utf-8")
    return load_codebook(path)


def hits(text: str, codebook: Codebook) -> list[tuple[str, str]]:
    return [(h.frame, h.indicator) for h in detect_text(text, codebook)]


def test_frames_hand_annotated_sentences(mini):
    # variants of one term
    assert hits("Hong Kong is a superconnector and a super-connector.", mini) == [
        ("connector", "term:super_connector"), ("connector", "term:super_connector")]
    # lemmas: "sanctions", "sanctioned"; a regex over terms
    assert hits("The US sanctioned officials; more sanctions and decoupling followed.", mini) == [
        ("tension", "term:sanction"), ("tension", "term:sanction"), ("tension", "regex:^decoupl")]
    # a context condition: bridge counts only with China or the world in the sentence
    assert hits("A new bridge opened.", mini) == []
    assert hits("Hong Kong is a bridge to the world.", mini) == [("connector", "term:bridge")]
    # an exclusion
    assert hits("The world bank offered China a bridge loan.", mini) == []
    # function words are kept for matching: "our country" is not "country"
    assert hits("Our country supports it.", mini) == [("tension", "phrase:our country")]
    assert hits("Many countries support it.", mini) == []
    # globs over terms
    assert hits("Gateways to China.", mini) == [("connector", "glob:gateway*")]


def test_frames_overlapping_indicators_of_one_frame_count_once(mini):
    # "bridge between" (phrase) and "bridge" (term, context met) overlap: one hit, the longer
    found = detect_text("Hong Kong is a bridge between China and the world.", mini)
    assert [(h.frame, h.indicator, h.i, h.j) for h in found] == [("connector", "phrase:bridge between", 3, 5)]


def test_frames_context_and_sentences_do_not_leak(mini):
    # the context word is in the next sentence: no hit
    assert hits("A bridge opened. China watched.", mini) == []


@pytest.mark.parametrize(
    ("frame", "example", "expected"),
    [(f.id, ex, True) for f in CODEBOOK.frames for ex in f.examples]
    + [(f.id, ex, False) for f in CODEBOOK.frames for ex in f.counter_examples],
)
def test_frames_bundled_codebook_examples(frame, example, expected):
    found = {h.frame for h in detect_text(example, CODEBOOK)}
    assert (frame in found) is expected


def test_frames_bundled_codebook_checks_clean():
    assert CODEBOOK.check() == []
    assert {"super_connector", "global_south_pivot", "western_tensions"} <= set(CODEBOOK.frame_ids)
    for f in CODEBOOK.frames:
        assert set(f.definition) == {"problem", "cause", "evaluation", "remedy"}, f.id
    assert CODEBOOK.version_id.startswith("hong_kong_roles@1.2.0+")


def test_frames_evidence_leads_back_to_the_text(corpus):
    result = fr.detect_frames(corpus)
    ev = result.evidence
    assert list(ev.columns) == [*EVIDENCE_COLUMNS, "subject_in_sentence"]
    for row in ev.itertuples():
        assert corpus[row.doc_id].text[row.start:row.end] == row.matched
        sentence = result.sentences.loc[row.sentence_id]
        assert sentence["start"] <= row.start and row.end <= sentence["end"]
        assert row.unit_id == sentence["unit_id"]
    # the three role frames are found in the texts that carry them
    official = ev[(ev["group"] == "official") & (ev["frame"] == "super_connector")]
    assert "super connector" in set(official["matched"])
    assert (ev.loc[ev["frame"] == "global_south_pivot", "group"] == "commentary").sum() > 20
    assert (ev.loc[ev["frame"] == "western_tensions", "group"] == "press").sum() > 10


def test_frames_unit_table_counts_hits_per_paragraph(corpus):
    result = fr.detect_frames(corpus)
    uf = result.unit_frames
    assert len(uf) == len(result.units) * len(CODEBOOK.frames)
    by_hand = result.evidence.groupby(["unit_id", "frame"]).size()
    got = uf.set_index(["unit_id", "frame"])["hits"]
    assert (got[by_hand.index] == by_hand).all() and got.sum() == len(result.evidence)
    toks = fr.tokens(corpus, fr.Preprocessor(stopwords=None)).to_frame()
    assert result.units["n_tokens"].sum() == len(toks)


def test_frames_show_gives_the_evidence_of_a_cell(corpus):
    result = fr.detect_frames(corpus)
    shown = result.show("western_tensions", group="press", n=None)
    assert len(shown) == ((result.evidence["frame"] == "western_tensions") & (result.evidence["group"] == "press")).sum()
    assert "[" in repr(shown)
    with pytest.raises(fr.ArgumentError, match="frame 'nope' is not in the codebook"):
        result.show("nope")


def test_frames_quanteda_and_liwc_dictionaries(tmp_path, corpus):
    q = tmp_path / "dict.yml"
    q.write_text("economy:\n  - finan*\n  - stock market\nconflict:\n  hard:\n    - sanction*\n", encoding="utf-8")
    cb = load_codebook(q)
    assert cb.frame_ids == ["economy", "conflict.hard"]
    res = fr.detect_frames(corpus, cb)
    assert set(res.evidence["frame"]) == {"economy", "conflict.hard"}
    liwc = tmp_path / "mini.dic"
    liwc.write_text("%\n1\tfinance\n2\tconflict\n%\nfinanc*\t1\nbond\t1\nsanction*\t2\n", encoding="utf-8")
    cb = load_codebook(liwc)
    assert cb.frame_ids == ["finance", "conflict"]
    assert [i.value for i in cb["finance"].indicators] == ["financ*", "bond"]
    assert len(fr.detect_frames(corpus, cb).evidence) > 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("frames:\n  - id: a\n    indicators:\n      - regex: '[x'\n", r"regex '\[x' does not compile"),
        ("frames:\n  - id: a\n    indicators:\n      - term: bridge\n  - id: a\n    indicators:\n      - term: gate\n",
         r":5: duplicate frame id 'a' \(first at line 2\)"),
        ("frames:\n  - id: a\n    indicators:\n      - term: bridge\n  - id: b\n    indicators:\n      - term: bridge\n",
         r"frame 'a': indicator term:bridge is also in b without saying so"),
        ("frames:\n  - id: a\n    indicators:\n      - term: bridge\n    examples: [The gate opened.]\n",
         r"frame 'a': example does not trigger it: 'The gate opened.'"),
        ("frames:\n  - id: a\n    indicators:\n      - term: bridge\n    counter_examples: [A bridge.]\n",
         r"frame 'a': counter-example triggers it"),
    ],
)
def test_codebook_check_names_frame_and_line(tmp_path, text, message):
    path = tmp_path / "cb.yaml"
    path.write_text(text, encoding="utf-8")
    problems = load_codebook(path).check()
    assert any(__import__("re").search(message, p) for p in problems), problems


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("frames:\n  - id: a\n    indicatorz: []\n", r"cb\.yaml:2: frame 'a': unknown key\(s\) indicatorz"),
        ("frames:\n  - id: a\n    indicators:\n      - term: x\n        glob: y\n", r"cb\.yaml:4: frame 'a': an indicator needs exactly one of"),
        ("frames: [\n", r"cb\.yaml:\d+: not valid YAML"),
        ("frames:\n  - id: !!python/object/apply:os.system [ls]\n", r"refused to construct a Python object"),
        ("frames:\n  - id: Bad Id\n    indicators:\n      - term: x\n", r"'id' must be a lower-case identifier"),
    ],
)
def test_codebook_malformed_files_are_refused_with_the_line(tmp_path, text, message):
    path = tmp_path / "cb.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CodebookError, match=message):
        Codebook.from_yaml(path)


def test_codebook_indicator_table(corpus):
    table = CODEBOOK.indicators()
    assert list(table.columns) == ["frame", "kind", "value", "context", "why", "line"]
    assert len(table) == sum(len(f.indicators) for f in CODEBOOK.frames)
    bridge = table[(table["frame"] == "super_connector") & (table["value"] == "bridge")].iloc[0]
    assert "mainland" in bridge["context"] and bridge["why"]


def test_frames_a_codebook_without_frames_is_refused(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("codebook: x\nversion: 1\nframes: []\n", encoding="utf-8")
    with pytest.raises(fr.CodebookError, match=r"empty\.yaml:3: 'frames' is empty; a codebook needs at least one frame"):
        fr.load_codebook(path)


def test_frames_a_frames_key_without_a_value_is_a_codebook_not_a_dictionary(tmp_path):
    path = tmp_path / "blank.yaml"
    path.write_text("codebook: x\nversion: 1\nframes:\n", encoding="utf-8")
    with pytest.raises(fr.CodebookError, match="'frames' is empty"):
        fr.load_codebook(path)


def test_frames_quanteda_problems_never_say_line_none(tmp_path):
    path = tmp_path / "dict.yml"
    path.write_text("one: [bridge]\ntwo: [bridge]\n", encoding="utf-8")
    problems = fr.load_codebook(path, format="quanteda").check()
    assert problems and not any("None" in p for p in problems)


def test_frames_a_long_sentence_with_many_hits_is_stored_once():
    import pandas as pd

    sentence = " ".join(["sanctions"] * 5000) + "."  # 50 KB, 5,000 hits
    corpus = fr.Corpus.from_frame(pd.DataFrame({"doc_id": ["a"], "text": [sentence]}))
    ev = fr.detect_frames(corpus).evidence
    assert len(ev) == 5000 and ev["context"].iloc[0] == sentence
    assert ev.memory_usage(deep=True).sum() < 5 * 2**20  # one copy of the sentence, not one per hit (~250 MB)


def test_frames_liwc_ids_may_be_separated_by_tabs_or_spaces(tmp_path):
    path = tmp_path / "d.dic"
    path.write_text("%\n1\tbridge\n2\ttension\n%\ngateway\t1 2\nsanction*\t2\t1\nsuper connector\t1\n", encoding="utf-8")
    book = fr.load_codebook(path)
    values = {f.id: sorted(i.value for i in f.indicators) for f in book.frames}
    assert values == {"bridge": ["gateway", "sanction*", "super connector"], "tension": ["gateway", "sanction*"]}


def _random_terms(n, seed=0):
    import random

    rng = random.Random(seed)
    out: set[str] = set()
    while len(out) < n:
        out.add("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(4, 9))))
    return sorted(out)


def _pattern_codebook(tmp_path, n_globs, n_regexes, seed=0):
    """A codebook of ``n_globs`` three-letter prefix globs and ``n_regexes`` regexes (random, distinct)."""
    import random

    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    globs = sorted({"".join(rng.choice(letters) for _ in range(3)) + "*" for _ in range(n_globs * 2)})[:n_globs]
    regexes = sorted({"^" + rng.choice(letters) + "[aeiou]" + rng.choice(letters)
                      for _ in range(n_regexes * 3)})[:n_regexes]
    lines = ["codebook: patterns", "version: 1", "frames:", "  - id: g", "    label: G", "    indicators:"]
    lines += [f'      - glob: "{g}"' for g in globs] + [f'      - regex: "{r}"' for r in regexes]
    path = tmp_path / "patterns.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_codebook(path), globs, regexes


def test_frames_glob_and_regex_memory_per_distinct_term_does_not_grow_with_the_patterns(tmp_path):
    # Each glob and regex used to remember every term it had been asked about: (distinct terms) x (patterns)
    # entries, 20 KB a term with a thousand patterns. One memo keyed by term is shared by all of them now.
    import tracemalloc

    from framing.measures.frames.matcher import CompiledCodebook

    codebook, _, _ = _pattern_codebook(tmp_path, 200, 10)
    terms = _random_terms(2_000)
    sentences = [terms[i:i + 10] for i in range(0, len(terms), 10)]
    compiled = CompiledCodebook(codebook, codebook.preprocessor)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for sentence in sentences:
        compiled.match(sentence)
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert held / len(terms) < 1_000, f"{held / len(terms):.0f} bytes held per distinct term"


def test_frames_each_distinct_term_meets_each_glob_and_regex_at_most_once(tmp_path, monkeypatch):
    import fnmatch
    import re

    from framing.base import patterns
    from framing.measures.frames.matcher import CompiledCodebook

    codebook, globs, regexes = _pattern_codebook(tmp_path, 100, 5)
    terms = _random_terms(2_000, seed=1)
    calls = {"glob": 0, "regex": 0}
    search, contains = patterns.UserRegex.search, patterns.TermPattern.__contains__

    def counted_search(self, text):
        calls["regex"] += 1
        return search(self, text)

    def counted_contains(self, term):
        calls[self.kind] += self.kind == "glob"
        return contains(self, term)

    monkeypatch.setattr(patterns.UserRegex, "search", counted_search)
    monkeypatch.setattr(patterns.TermPattern, "__contains__", counted_contains)
    monkeypatch.setattr(patterns.TermPattern, "__call__", counted_contains)
    compiled = CompiledCodebook(codebook, codebook.preprocessor)
    found = []
    for repeat in range(3):  # every term three times, in different sentences
        for i in range(0, len(terms), 7):
            sentence = terms[i:i + 7]
            found += [sentence[h.i] for h in compiled.match(sentence)]
    # regexes: once per distinct term each; globs: one combined test per term, single globs only for the few it fits
    assert calls["regex"] <= len(terms) * len(regexes)
    assert calls["glob"] <= len(terms)
    assert len(compiled.terms) == len(terms)  # one memo entry per distinct term
    # the same terms as fnmatch and re, asked independently
    expected = [t for t in terms if any(fnmatch.fnmatchcase(t, g) for g in globs)
                or any(re.search(r, t, re.IGNORECASE) for r in regexes)]
    assert sorted(found) == sorted(expected * 3) and len(expected) > 10


def test_codebook_glob_that_no_term_can_match_is_refused(tmp_path):
    # A glob matches one term: '|' is not alternation in a glob and terms hold no spaces,
    # so such an indicator would silently never fire. Context entries use '|' for alternatives.
    path = tmp_path / "cb.yaml"
    path.write_text(
        "frames:\n"
        "  - id: tension\n"
        "    label: Tension\n"
        "    indicators:\n"
        "      - glob: 'sanction*|embargo*'\n"
        "      - glob: 'trade war*'\n"
        "      - term: conflict\n"
        "        context: {any: ['us|washington*', 'wash ington*']}\n",
        encoding="utf-8",
    )
    with pytest.raises(fr.CodebookError) as err:
        fr.load_codebook(path)
    text = str(err.value)
    assert "cb.yaml:5" in text and "holds '|'" in text
    assert "cb.yaml:6" in text and "'trade war*' holds a space" in text
    assert "'wash ington*' holds a space" in text and "'us|washington*'" not in text


def test_codebook_structural_and_semantic_problems_in_one_pass(tmp_path):
    path = tmp_path / "cb.yaml"
    path.write_text(
        "frames:\n"
        "  - id: tension\n"
        "    label: Tension\n"
        "    bogus: 1\n"
        "    indicators:\n"
        "      - regex: '(unclosed'\n"
        "      - term: sanction\n"
        "  - id: Bad-Id\n"
        "    indicators:\n"
        "      - term: bridge\n",
        encoding="utf-8",
    )
    with pytest.raises(fr.CodebookError) as err:
        fr.load_codebook(path)
    text = str(err.value)
    # a structural problem (unknown key, bad id) and a semantic one (the regex) are reported together
    assert "unknown key(s) bogus" in text and "'id' must be a lower-case identifier" in text
    assert "regex '(unclosed' does not compile" in text
