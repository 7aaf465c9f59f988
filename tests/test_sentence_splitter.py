"""framing's sentence splitter (PunktRules) against NLTK's Punkt, the algorithm it reproduces.

The reference is NLTK's ``PunktSentenceTokenizer`` with the same abbreviations, run here in the same process
(an independent implementation: NLTK's own token classes and regular expressions).
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.corpus import units
from framing.corpus.units import PunktRules, abbreviations, split_sentences

HARD = [
    "The U.S. imposed sanctions. Hong Kong responded.",
    "The U.S. President spoke. Then he left.",
    "It ranked No.1 in the world. It ranked No. 2 in Asia.",
    "The deal was worth HK$21 billion. It closed in May.",
    "Exports, e.g. to ASEAN, grew. Imports fell.",
    "Mr. Lee and Ms. Chan met Dr. Ho. They agreed.",
    "Growth was 3.5 per cent in 2023. It was 2.1 in 2022.",
    "He paused... Then he spoke. And then…  silence.",
    'He said: "We will." She said no.',
    "“It is a bridge.” Officials agreed.",
    "(See the annex.) The text follows.",
    "J. Smith wrote it. A. B. Jones agreed.",
    "Is it a gateway? Yes! It is.",
    "The Belt and Road Initiative (B.R.I.) matters. So does the G.B.A.",
    "In 1997. The handover happened.",
    "See p. 4. It is there.",
    "Trade rose 12%. Investment fell.",
    "It was the St. George's day. Everyone came.",
    "The vote was 5-4. It passed.",
    "Prices fell.\nThey rose again.",
    "Why?! Because.",
    "The firm (Ltd.) listed. Shares rose.",
]


@pytest.fixture(scope="module")
def reference():
    return units._punkt_reference()


@pytest.fixture(scope="module")
def rules():
    return PunktRules(abbreviations())


@pytest.mark.parametrize("text", HARD)
def test_sentence_splitter_hard_cases_match_punkt(text, reference, rules):
    assert rules.span_tokenize(text) == list(reference.span_tokenize(text))


def test_sentence_splitter_reads_the_hard_cases_as_a_reader_would():
    def sentences(text):
        return [text[a:b] for a, b in split_sentences(text)]

    assert sentences(HARD[0]) == ["The U.S. imposed sanctions.", "Hong Kong responded."]
    assert sentences(HARD[3]) == ["The deal was worth HK$21 billion.", "It closed in May."]
    assert sentences(HARD[5]) == ["Mr. Lee and Ms. Chan met Dr. Ho.", "They agreed."]
    assert sentences(HARD[6]) == ["Growth was 3.5 per cent in 2023.", "It was 2.1 in 2022."]
    assert sentences(HARD[9]) == ["“It is a bridge.”", "Officials agreed."]


def test_sentence_splitter_matches_punkt_on_every_paragraph_of_the_bundled_corpus(corpus, reference):
    paragraphs = corpus.units("paragraph").query("role == 'body'")["text"].tolist()
    assert len(paragraphs) > 200
    differ = [p[:80] for p in paragraphs if split_sentences(p) != units._punkt_reference_spans(p)]
    assert differ == []


_PIECES = ["U.S.", "No.1", "No. 1", "HK$21", "billion.", "e.g.", "Mr.", "3.5", "...", "…", '"', "'", "”", "“", ")",
           "(", "?", "!", ".", " ", "  ", "\n", "\t", "Hong", "Kong", "the", "city", "J.", "a.", "St.", "Etc.", "--",
           "-", ",", ";", ":", "A.B.C.", "i.e.", "1.", "2019.", "\u00a0", "\u2028", "\x1c", "é.", "Ünion", "x-Mr.",
           "word.", "[", "]", "{", "}", "*", "@", "»", "«", ".?", "!!", "?!", "..", ". . .", "a-b.", "1,000.",
           "5%.", "$5.", "&", "/", "。", "香港"]


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(["", " ", "\n"])), min_size=1, max_size=40))
def test_sentence_splitter_matches_punkt_on_generated_text(reference, rules, parts):
    text = "".join(a + b for a, b in parts)
    assert rules.span_tokenize(text) == list(reference.span_tokenize(text))


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=120))
def test_sentence_splitter_matches_punkt_on_arbitrary_unicode(reference, rules, text):
    assert rules.span_tokenize(text) == list(reference.span_tokenize(text))


def test_sentence_splitter_matches_punkt_on_long_random_paragraphs(reference, rules):
    rng = random.Random(20251130)
    for _ in range(20):
        text = "".join(rng.choice(_PIECES) + rng.choice(["", " ", " "]) for _ in range(600))
        assert rules.span_tokenize(text) == list(reference.span_tokenize(text))
