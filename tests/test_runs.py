"""Words found for many texts at once (framing.text.runs) are the words the token regex finds in each.

``RunScanner.scan`` must return, for every text of a batch, what ``pattern.finditer`` returns on that
text alone: the same words, offsets and order. The preprocessor's batch methods built on it
(``spans_many``, ``term_columns``) must equal its one-text methods (``spans``, ``terms``), and the
document-term matrix counted from columns must equal the one counted from per-unit Counters. Checked on
every bundled paragraph, under several preprocessors, and on generated text mixing letters, digits,
joiners, combining marks, invisible joiners, characters that case-fold onto ASCII letters, astral
characters, lone surrogates and the batch separators themselves.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import framing as fr
from framing.text.dtm import _count_function, _counted_block, _sparse_from_counters
from framing.text.preprocess import DEFAULT_TOKEN_PATTERN, token_machine
from framing.text.runs import RunScanner

#: Characters that make the rules of a word pattern matter.
HARD = list("aZ9_'- .\n\t\x00\x1f\uffffé\u0301\u0300\u00ad\u200d\u2019ſ\u212a\u0130\u0131ß٣中香港\U0001F600\ud800\u2013,$&")
texts_strategy = st.lists(
    st.text(alphabet=st.one_of(st.sampled_from(HARD), st.characters(codec=None)), max_size=40),
    min_size=1, max_size=6)

CLASS_PATTERNS = [
    re.compile(r"[A-Za-z]+", re.IGNORECASE), re.compile(r"[a-z]+"), re.compile(r"\w+"), re.compile(r"[^ ]+"),
    re.compile(r"\d+"), re.compile(r"[^\W\d_]+", re.IGNORECASE), re.compile(r"[a-z0-9']++"),
]


def _by_text(runs, n: int) -> list[list[tuple[str, int, int]]]:
    out: list[list[tuple[str, int, int]]] = [[] for _ in range(n)]
    for i, a, b, t in zip(runs.ids.tolist(), runs.starts.tolist(), runs.ends.tolist(), runs.texts.tolist()):
        out[t].append((runs.forms[i], a, b))
    return out


def _finditer(pattern: re.Pattern[str], texts: list[str]) -> list[list[tuple[str, int, int]]]:
    return [[(m.group(), m.start(), m.end()) for m in pattern.finditer(t)] for t in texts]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts_strategy)
def test_the_default_pattern_finds_what_finditer_finds(texts):
    pattern = re.compile(DEFAULT_TOKEN_PATTERN)
    scanner = RunScanner.for_pattern(pattern, default=True)
    assert _by_text(scanner.scan(texts), len(texts)) == _finditer(pattern, texts)


@pytest.mark.parametrize("pattern", CLASS_PATTERNS, ids=lambda p: p.pattern)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=texts_strategy)
def test_a_class_pattern_finds_what_finditer_finds(pattern, texts):
    scanner = RunScanner.for_pattern(pattern)
    assert scanner is not None and scanner.kind == "class"
    assert _by_text(scanner.scan(texts), len(texts)) == _finditer(pattern, texts)


def test_the_hard_cases_of_the_default_pattern():
    pattern = re.compile(DEFAULT_TOKEN_PATTERN)
    texts = ["people-to-people a--b 'quoted' it's -x x- Covid-19", "cafe\u0301 \u0301x na\u00adive o'-k",
             "", "\x00x\x00", "Ko\u0308ln's", "a-\u0301b", "x\u0301-y"]
    got = _by_text(RunScanner.for_pattern(pattern, default=True).scan(texts), len(texts))
    assert got == _finditer(pattern, texts)
    assert [w for w, _, _ in got[0]] == ["people-to-people", "a", "b", "quoted", "it's", "x", "x", "Covid-19"]


def test_patterns_that_are_not_one_class_are_left_to_the_regex():
    for source in (r"\w+(?:'\w+)?", r"[a-z]{2,}", r"a|b", r"[a-z]*", r"(?:[a-z])+x", r"[a-z]+?"):
        assert RunScanner.for_pattern(re.compile(source)) is None, source
    # a class that takes every separator, and a preprocessor whose class takes a space: the regex again
    assert RunScanner.for_pattern(re.compile(r"[\s\S]+")) is None
    assert token_machine(fr.Preprocessor(token_pattern=r"[a-z ]+")).scanner is None
    assert token_machine(fr.Preprocessor(punctuation="keep")).scanner is None
    assert token_machine(fr.Preprocessor()).scanner.kind == "word"


PREPROCESSORS = {
    "default": fr.Preprocessor(),
    "plain": fr.Preprocessor(stopwords=None, normalize=None, phrases=None),
    "stem": fr.Preprocessor(normalize="stem", possessives="keep"),
    "letters": fr.Preprocessor(token_pattern=r"[A-Za-z]+", numbers="keep"),
    "cased": fr.Preprocessor(lowercase=False, typography="keep"),
    "punctuation": fr.Preprocessor(punctuation="keep"),
}


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    return fr.load_corpus().units("paragraph")["text"].tolist()


@pytest.mark.parametrize("name", list(PREPROCESSORS))
def test_batch_methods_equal_the_one_text_methods_on_the_bundled_corpus(name, paragraphs):
    machine = token_machine(PREPROCESSORS[name])
    assert machine.spans_many(paragraphs) == [machine.spans(t) for t in paragraphs]
    shift = list(range(0, 7 * len(paragraphs), 7))
    shifted = [[(w, a + d, b + d) for w, a, b in machine.spans(t)] for t, d in zip(paragraphs, shift)]
    assert machine.spans_many(paragraphs, shift) == shifted
    columns = machine.term_columns(paragraphs)
    if columns is None:
        assert name == "punctuation"
        return
    vocab, term_ids, text_ids = columns
    counted = [Counter() for _ in paragraphs]
    for term, text in zip(term_ids.tolist(), text_ids.tolist()):
        counted[text][vocab[term]] += 1
    assert counted == [Counter(machine.terms(t)) for t in paragraphs]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.one_of(
    st.sampled_from(HARD + ["Hong Kong", "Belt and Road", "HK$", "U.S.", "people's", " B&R ", "香港特区政府"]),
    st.characters(codec=None)), max_size=30).map("".join), min_size=2, max_size=5))
def test_batch_methods_equal_the_one_text_methods_on_generated_text(texts):
    machine = token_machine(fr.Preprocessor())
    assert machine.spans_many(texts) == [machine.spans(t) for t in texts]
    vocab, term_ids, text_ids = machine.term_columns(texts)
    counted = [Counter() for _ in texts]
    for term, text in zip(term_ids.tolist(), text_ids.tolist()):
        counted[text][vocab[term]] += 1
    assert counted == [Counter(machine.terms(t)) for t in texts]


@pytest.mark.parametrize("batch", [None, 700])
@pytest.mark.parametrize("unit", ["document", "paragraph"])
@pytest.mark.parametrize("name", ["default", "letters", "cased"])
def test_counts_from_columns_make_the_matrix_counters_make(unit, name, batch, monkeypatch):
    """Also in small batches, where a document's paragraphs fall in two batches and its counts add up."""
    from framing.text import preprocess

    if batch:
        monkeypatch.setattr(preprocess, "BATCH_CHARACTERS", batch)
    pre = PREPROCESSORS[name]
    docs = list(fr.load_corpus())
    fn = _count_function(pre, unit)
    want, want_terms = _sparse_from_counters(c for doc in docs for c in fn(doc))
    got, got_terms = _counted_block(pre, unit, docs)
    assert list(got_terms) == list(want_terms)
    assert got.shape == want.shape and got.dtype == want.dtype == np.int64
    assert (got != want).nnz == 0
    assert np.array_equal(got.indptr, want.indptr) and np.array_equal(got.indices, want.indices)


def test_batches_of_any_size_give_the_same_words(monkeypatch, paragraphs):
    from framing.text import preprocess

    machine = token_machine(fr.Preprocessor())
    whole, columns = machine.spans_many(paragraphs), machine.term_columns(paragraphs)
    monkeypatch.setattr(preprocess, "BATCH_CHARACTERS", 3000)
    assert len(preprocess.batch_bounds([len(p) for p in paragraphs])) > 20
    shift = list(range(len(paragraphs)))
    assert machine.spans_many(paragraphs, shift) == [[(w, a + k, b + k) for w, a, b in s] for k, s in enumerate(whole)]

    def counted(cols):
        vocab, term_ids, text_ids = cols
        out = [Counter() for _ in paragraphs]
        for term, text in zip(term_ids.tolist(), text_ids.tolist()):
            out[text][vocab[term]] += 1
        return out

    assert counted(machine.term_columns(paragraphs)) == counted(columns)
