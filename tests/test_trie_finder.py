"""The multiword pass finds expressions from candidate positions: the same matches as the regex everywhere.

``TrieFinder.matches`` must return exactly what ``regex.finditer`` returns over the trie regex (spans
and matched text), and the preprocessor's surface words and spans must equal those made by the plain
``re.sub`` / ``finditer`` pass it replaced. Checked on every bundled paragraph, on hand-made hard cases
(separators of every length, possessives, plurals, case, symbols, expressions inside hyphenated words)
and on generated text that mixes the vocabulary's own words with separators and random characters.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import framing as fr
from framing.base.patterns import TrieFinder, straighten
from framing.text.preprocess import token_machine


def _reference_surface(machine, text: str) -> tuple[list[str], list[str]]:
    """Surface words and compounds as the two-regex pass made them (re.sub, then the token regex)."""
    t = straighten(text) if machine.fold else text
    compounds: list[str] = []

    def repl(m: re.Match[str]) -> str:
        term = machine.mwe_memo[m.group()]
        if term:
            compounds.append(term)
        return " "

    t = machine.mwe_re.sub(repl, t)
    if machine.chinese != "keep" and not t.isascii() and re.search("[\u4e00-\u9fff]", t):
        return machine.surface(text)  # Chinese text: not what this test is about
    return (machine.ascii_token_re if t.isascii() else machine.token_re).findall(t), compounds


def _spans_of(matches: list[re.Match[str]]) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in matches]


@pytest.fixture(scope="module")
def machine():
    return token_machine(fr.Preprocessor())


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    return fr.load_corpus().units("paragraph")["text"].tolist()


def test_the_default_vocabulary_takes_the_fast_path(machine):
    assert machine.mwe is not None and machine.mwe.fast


def test_every_bundled_paragraph_gives_the_regex_matches_and_the_same_words(machine, paragraphs):
    found = 0
    for text in paragraphs:
        t = straighten(text)
        ours = _spans_of(machine.mwe.matches(t))
        assert ours == _spans_of(list(machine.mwe_re.finditer(t))), text[:80]
        found += len(ours)
        assert machine.surface(text) == _reference_surface(machine, text)
    assert found > 300  # the corpus is about Hong Kong: expressions are everywhere


HARD = [
    "Hong Kong", "hong  kong", "Hong\tKong", "Hong\n\nKong", "Hong , Kong", "Hong    Kong's role",
    "HONG-KONG", "Hong Kongs", "Hong Kong's", "Hong Kong'S", "Hong Kongese", "HongKong", "Hong Kong$",
    "anti-Hong Kong", "Sino-US relations", "US-China", "U.S.-China", "U.S.", "U.S.A.", "USA", "US$5",
    "us", "thus us", "B&R countries", "B&Rx", "xB&R", "HK$21 billion", "the HK$", "$HK$", "_Hong Kong",
    "Belt and Road Initiative", "Belt and Road initiatives", "belt-and-road", "Belt and, Road",
    "the Middle East's", "middle  east", "Greater Bay Area", "the Mainland China", "per capita",
    "one country, two systems", "One Country Two Systems", "new cold war", "New  Cold   War",
    "Southeast Asia", "South East Asia", "south-east asia", "Global South", "the global  south",
    "developing countries", "developing    countries", "Abu Dhabi", "Saudi Arabia", "Sri Lanka",
    "", " ", "s", "Hong", "Kong", "east", "sino", "xi", "Xi Jinping", "Xi-Jinping's",
]


@pytest.mark.parametrize("text", HARD)
def test_hard_cases_give_the_regex_matches(machine, text):
    for t in (text, f"x {text} y", f"({text})", f"{text}.", f"A{text}", f"{text}a", f"'{text}'"):
        assert _spans_of(machine.mwe.matches(t)) == _spans_of(list(machine.mwe_re.finditer(t))), t
        assert machine.surface(t) == _reference_surface(machine, t), t
        assert machine.spans(t) == _reference_spans(machine, t), t


def _reference_spans(machine, text: str) -> list[tuple[str, int, int]]:
    """Spans as the finditer-based pass made them."""
    t = straighten(text) if machine.fold else text
    out: list[tuple[str, int, int]] = []
    pieces: list[str] = []
    last = 0
    for m in machine.mwe_re.finditer(t):
        a, b = m.span()
        g = m.group()
        end = b - 2 if g.endswith(("'s", "'S")) and g not in machine.exact else b
        term = machine.mwe_memo[g]
        if term:
            out.append((term, a, end))
        pieces += [t[last:a], " " * (b - a)]
        last = b
    if pieces:
        pieces.append(t[last:])
        t = "".join(pieces)
    for m in (machine.ascii_token_re if t.isascii() else machine.token_re).finditer(t):
        term, cut = machine.span_memo[m.group()]
        if term is not None:
            out.append((term, m.start(), m.end() - cut))
    return sorted(out, key=lambda x: x[1])


_WORDS = ["Hong", "Kong", "hong", "KONG", "Belt", "and", "Road", "Initiative", "US", "U.S.", "us", "China",
          "Middle", "East", "east", "south", "South", "Global", "B&R", "HK$", "HK", "Xi", "new", "Cold",
          "War", "one", "country", "two", "systems", "per", "capita", "Mainland", "the", "of", "s", "'s",
          "developing", "countries", "Sri", "Lanka", "Kongs", "é", "K", "ſ", "İ", "ı", "–"]
_SEPS = [" ", "  ", "   ", "    ", "     ", "-", "--", ",", " , ", "\n", "\n\n", "\t", "", "'", ".", "&", "$",
         "_", "\u2013", "\u00a0", "\u2019", "(", ")"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_SEPS)), max_size=14))
def test_generated_vocabulary_text_gives_the_regex_matches(pieces):
    machine = token_machine(fr.Preprocessor())
    text = "".join(w + s for w, s in pieces)
    t = straighten(text)
    assert _spans_of(machine.mwe.matches(t)) == _spans_of(list(machine.mwe_re.finditer(t)))
    assert machine.surface(text) == _reference_surface(machine, text)
    assert machine.spans(text) == _reference_spans(machine, text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="ascii"), max_size=80))
def test_arbitrary_ascii_gives_the_regex_matches(text):
    machine = token_machine(fr.Preprocessor())
    assert _spans_of(machine.mwe.matches(text)) == _spans_of(list(machine.mwe_re.finditer(text)))


def test_a_vocabulary_with_a_letter_that_folds_onto_ascii_uses_the_regex_everywhere():
    finder = TrieFinder(["\u212aowloon bay"])  # the Kelvin sign matches k and K case-insensitively
    assert not finder.fast
    assert [m.group() for m in finder.matches("Kowloon Bay and kowloon  bay")] == ["Kowloon Bay", "kowloon  bay"]
    han = TrieFinder(["一带一路", "belt and road"])  # Han never matches ASCII: the shortcut stays
    assert han.fast and [m.group() for m in han.matches("Belt and Road")] == ["Belt and Road"]


def test_counts_of_the_bundled_corpus_are_unchanged(paragraphs, machine):
    # the document-term matrix counts what the reference pass counts, term by term
    ours = Counter()
    ref = Counter()
    for text in paragraphs:
        ours.update(machine.count(*machine.surface(text)))
        ref.update(machine.count(*_reference_surface(machine, text)))
    assert ours == ref and ours["hong_kong"] > 100


# --------------------------------------------------------------------------- many texts at once


def _per_text(machine, texts: list[str]) -> list[list[tuple[int, int, str]]]:
    return [[(m.start(), m.end(), m.group()) for m in machine.mwe_re.finditer(t)] for t in texts]


def test_the_characters_that_fold_onto_ascii_are_all_listed():
    from framing.base.patterns import FOLDS_ONTO_ASCII

    folding = re.compile(r"[a-z0-9_&$]", re.IGNORECASE)
    assert {chr(c) for c in range(128, 0x110000) if folding.fullmatch(chr(c))} == set(FOLDS_ONTO_ASCII)


def test_many_texts_at_once_give_each_text_its_regex_matches(machine, paragraphs):
    texts = [straighten(p) for p in paragraphs] + paragraphs  # ASCII and not
    texts += [f"{a}\x00{b}" for a, b in zip(HARD, HARD[1:])] + HARD + [f"x {h}ſ" for h in HARD[:5]]
    # letters beyond ASCII that the regex, ignoring case, takes for ASCII ones
    folded = ["the Middle Eaſt", "Hong \u212aong's role", "Sr\u0131 Lanka", "SR\u0130 LANKA", "\u017faudi Arabia"]
    texts += folded
    many = machine.mwe.matches_many(texts)
    assert many == _per_text(machine, texts)
    assert all(many[-len(folded):])
    # an expression never runs from the end of one text into the next
    assert machine.mwe.matches_many(["the Hong", "Kong SAR"]) == [[], []]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.tuples(st.sampled_from(_WORDS + ["\x00", "香港", "\u3000", "\U0001F600", "\ud800"]),
                                   st.sampled_from(_SEPS)), max_size=8), min_size=1, max_size=6))
def test_many_generated_texts_at_once_give_each_text_its_regex_matches(texts):
    machine = token_machine(fr.Preprocessor())
    texts = ["".join(w + s for w, s in pieces) for pieces in texts]
    assert machine.mwe.matches_many(texts) == _per_text(machine, texts)
