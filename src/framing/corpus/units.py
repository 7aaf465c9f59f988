"""Units of analysis: documents, paragraphs and sentences with offsets.

Sentences are split with NLTK's Punkt algorithm (Kiss & Strunk 2006) running
untrained with a list of abbreviations kept as data
(``framing/data/abbreviations.txt``), so nothing is downloaded. Sentences never
cross a paragraph boundary, and a heading or title is one sentence. A very
long paragraph is given to Punkt in windows (:data:`MAX_PUNKT_CHARS`), with
the same boundaries.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from framing.base.errors import ArgumentError
from framing.base.ids import paragraph_id, sentence_id

if TYPE_CHECKING:  # pragma: no cover
    from framing.corpus.model import Corpus

__all__ = ["split_sentences", "paragraph_sentences", "assign_sentences", "unit_table", "abbreviations",
           "MAX_PUNKT_CHARS"]


@lru_cache(maxsize=1)
def abbreviations() -> frozenset[str]:
    """The abbreviations Punkt treats as not ending a sentence."""
    text = resources.files("framing.data").joinpath("abbreviations.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


@lru_cache(maxsize=1)
def _punkt() -> Any:
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    params = PunktParameters()
    params.abbrev_types = set(abbreviations())
    return PunktSentenceTokenizer(params)


#: Characters of a paragraph Punkt reads at once. NLTK runs Punkt's regular expressions under a time limit
#: (``nltk.redos``, 5 s a search) and Punkt reads a megabyte in 1.5 to 3 s, so a paragraph of 30 MB ended with
#: ``TimeoutError``; a longer paragraph is read in windows of this size (see :func:`split_sentences`).
MAX_PUNKT_CHARS = 50_000

_LAST_SPACE = re.compile(r"\s\S*\Z")


def _punkt_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Punkt's sentences of ``text[start:end]`` (offsets into ``text``), all-whitespace ones left out."""
    piece = text[start:end]
    return [(start + a, start + b) for a, b in _punkt().span_tokenize(piece) if piece[a:b].strip()]


def _windowed_spans(text: str, max_chars: int) -> list[tuple[int, int]]:
    """Punkt over ``text`` one window of at most ``max_chars`` characters at a time.

    Untrained Punkt decides a boundary from the word before the full stop and
    the token after it, so a boundary followed in the window by a whole
    sentence and the start of another is decided as in the whole text: the
    sentences up to it are kept and the next window starts at it. A window
    with fewer than three sentences holds a sentence longer than the window
    (a list without full stops, a table pasted as one line): it is cut at
    its last whitespace (or, with none, at the window's end).
    """
    spans: list[tuple[int, int]] = []
    n = len(text)
    start = 0
    while start < n:
        end = min(n, start + max_chars)
        found = _punkt_spans(text, start, end)
        if end == n:
            spans += found
            break
        if len(found) >= 3:
            spans += found[:-2]
            start = found[-2][0]
            continue
        space = _LAST_SPACE.search(text, start + 1, end)
        cut = space.start() if space else end
        spans += _punkt_spans(text, start, cut)
        start = cut
        while start < n and text[start].isspace():
            start += 1
    return spans


def split_sentences(text: str, *, max_chars: int = MAX_PUNKT_CHARS) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of one paragraph's text.

    Parameters
    ----------
    text : str
    max_chars : int, default=MAX_PUNKT_CHARS
        A longer text is given to Punkt in windows of this many characters,
        which find the same boundaries (a sentence longer than a window is
        cut at a space).

    Returns
    -------
    list of (int, int)
        Character offsets into ``text``; whitespace between sentences is in
        no span. An all-whitespace text gives no sentence.

    Examples
    --------
    >>> from framing.corpus.units import split_sentences
    >>> s = "The U.S. imposed sanctions. Hong Kong is ranked No.1 in Asia."
    >>> [s[a:b] for a, b in split_sentences(s)]
    ['The U.S. imposed sanctions.', 'Hong Kong is ranked No.1 in Asia.']
    >>> z = "香港是超級聯繫人。「我們堅決反對！」他說。"
    >>> [z[a:b] for a, b in split_sentences(z)]
    ['香港是超級聯繫人。', '「我們堅決反對！」', '他說。']
    """
    if isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars < 1:
        raise ArgumentError(f"max_chars={max_chars!r} must be a positive integer (characters Punkt reads at once)")
    if not text.strip():
        return []
    spans = _punkt_spans(text, 0, len(text)) if len(text) <= max_chars else _windowed_spans(text, max_chars)
    if _CJK_END.search(text) is None:
        return spans
    return [piece for a, b in spans for piece in _cjk_spans(text, a, b)]


#: A Chinese or Japanese sentence end: a full-width 。！？ (or an ellipsis …… ) with the closing quotes
#: and brackets after it. Punkt, trained on spaces between sentences, never splits there.
_CJK_END = re.compile(r"(?:[。！？]+|……)[」』”’）》〉]*")


def _cjk_spans(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """The span ``text[a:b]`` cut after each CJK sentence end (whitespace trimmed, empty pieces dropped)."""
    out = []
    start = a
    for m in _CJK_END.finditer(text, a, b):
        out.append((start, m.end()))
        start = m.end()
    out.append((start, b))
    trimmed = []
    for x, y in out:
        while x < y and text[x].isspace():
            x += 1
        while y > x and text[y - 1].isspace():
            y -= 1
        if x < y:
            trimmed.append((x, y))
    return trimmed


def paragraph_sentences(text: str, role: str) -> list[tuple[int, int]]:
    """Sentence spans of one paragraph: Punkt for body text; a title, heading
    or dek is one sentence."""
    return [(0, len(text))] if role != "body" else split_sentences(text)


def assign_sentences(token_starts: Sequence[int] | np.ndarray, sentence_starts: Sequence[int] | np.ndarray) -> np.ndarray:
    """The sentence each token belongs to: the one that holds its start.

    This is the only place where tokens meet sentences; every sentence-level
    count (matrices, frames, collocations, concordances) goes through it.

    Parameters
    ----------
    token_starts : sequence of int
        Start offsets of a paragraph's tokens.
    sentence_starts : sequence of int
        Start offsets of the paragraph's sentences, ascending (same origin).

    Returns
    -------
    numpy.ndarray of int
        For each token, the position of its sentence in ``sentence_starts``:
        the last sentence starting at or before the token (the first one for
        a token that starts before every sentence).

    Examples
    --------
    >>> assign_sentences([0, 5, 12, 20], [0, 12]).tolist()
    [0, 0, 1, 1]
    """
    where = np.searchsorted(np.asarray(sentence_starts), np.asarray(token_starts, dtype=np.int64), side="right") - 1
    return np.maximum(where, 0)


_UNIT_COLUMNS = ["unit_id", "doc_id", "unit", "index", "paragraph", "sentence", "start", "end", "role", "is_heading",
                 "speaker", "text"]


def unit_table(corpus: Corpus, unit: str) -> pd.DataFrame:
    """Build :meth:`Corpus.units` (see there for the columns)."""
    rows: list[tuple[Any, ...]] = []
    for doc in corpus:
        text = doc.text
        if unit == "document":
            rows.append((doc.doc_id, doc.doc_id, unit, 0, None, None, 0, len(text), "document", False, None, text))
            continue
        s_index = 0
        for p_index, para in enumerate(doc.paragraphs):
            ptext = text[para.start:para.end]
            if unit == "paragraph":
                rows.append((paragraph_id(doc.doc_id, p_index), doc.doc_id, unit, p_index, p_index, None,
                             para.start, para.end, para.role, para.is_heading, para.speaker, ptext))
                continue
            spans = paragraph_sentences(ptext, para.role)
            for a, b in spans:
                rows.append((sentence_id(doc.doc_id, p_index, s_index), doc.doc_id, unit, s_index, p_index,
                             s_index, para.start + a, para.start + b, para.role, para.is_heading, para.speaker,
                             ptext[a:b]))
                s_index += 1
    frame = pd.DataFrame(rows, columns=_UNIT_COLUMNS)
    frame["paragraph"] = frame["paragraph"].astype("Int64")
    frame["sentence"] = frame["sentence"].astype("Int64")
    meta = corpus.meta
    return frame.merge(meta, on="doc_id", how="left", validate="many_to_one")
