"""Units of analysis: documents, paragraphs and sentences with offsets.

Sentences are split with NLTK's Punkt algorithm (Kiss & Strunk 2006) running
untrained with a list of abbreviations kept as data
(``framing/data/abbreviations.txt``), so nothing is downloaded. Sentences never
cross a paragraph boundary, and a heading or title is one sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from framing.base.ids import paragraph_id, sentence_id

if TYPE_CHECKING:  # pragma: no cover
    from framing.corpus.model import Corpus

__all__ = ["split_sentences", "paragraph_sentences", "assign_sentences", "unit_table", "abbreviations"]


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


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of one paragraph's text.

    Parameters
    ----------
    text : str

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
    """
    if not text.strip():
        return []
    return [(a, b) for a, b in _punkt().span_tokenize(text) if text[a:b].strip()]


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


_UNIT_COLUMNS = ["unit_id", "doc_id", "unit", "index", "paragraph", "sentence", "start", "end", "role", "is_heading", "text"]


def unit_table(corpus: Corpus, unit: str) -> pd.DataFrame:
    """Build :meth:`Corpus.units` (see there for the columns)."""
    rows: list[tuple[Any, ...]] = []
    for doc in corpus:
        text = doc.text
        if unit == "document":
            rows.append((doc.doc_id, doc.doc_id, unit, 0, None, None, 0, len(text), "document", False, text))
            continue
        s_index = 0
        for p_index, para in enumerate(doc.paragraphs):
            ptext = text[para.start:para.end]
            if unit == "paragraph":
                rows.append((paragraph_id(doc.doc_id, p_index), doc.doc_id, unit, p_index, p_index, None,
                             para.start, para.end, para.role, para.is_heading, ptext))
                continue
            spans = paragraph_sentences(ptext, para.role)
            for a, b in spans:
                rows.append((sentence_id(doc.doc_id, p_index, s_index), doc.doc_id, unit, s_index, p_index,
                             s_index, para.start + a, para.start + b, para.role, para.is_heading, ptext[a:b]))
                s_index += 1
    frame = pd.DataFrame(rows, columns=_UNIT_COLUMNS)
    frame["paragraph"] = frame["paragraph"].astype("Int64")
    frame["sentence"] = frame["sentence"].astype("Int64")
    meta = corpus.meta
    return frame.merge(meta, on="doc_id", how="left", validate="many_to_one")
