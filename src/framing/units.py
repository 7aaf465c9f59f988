"""Units of analysis: documents, paragraphs and sentences with offsets.

Sentences are split with NLTK's Punkt algorithm (Kiss & Strunk 2006) running
untrained with a list of abbreviations kept as data
(``framing/data/abbreviations.txt``), so nothing is downloaded. Sentences never
cross a paragraph boundary, and a heading or title is one sentence.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import Corpus

__all__ = ["split_sentences", "unit_table", "abbreviations"]


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
    >>> from framing.units import split_sentences
    >>> s = "The U.S. imposed sanctions. Hong Kong is ranked No.1 in Asia."
    >>> [s[a:b] for a, b in split_sentences(s)]
    ['The U.S. imposed sanctions.', 'Hong Kong is ranked No.1 in Asia.']
    """
    if not text.strip():
        return []
    return [(a, b) for a, b in _punkt().span_tokenize(text) if text[a:b].strip()]


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
                rows.append((f"{doc.doc_id}/p{p_index:03d}", doc.doc_id, unit, p_index, p_index, None,
                             para.start, para.end, para.role, para.is_heading, ptext))
                continue
            spans = [(0, len(ptext))] if para.role != "body" else split_sentences(ptext)
            for a, b in spans:
                rows.append((f"{doc.doc_id}/p{p_index:03d}/s{s_index:03d}", doc.doc_id, unit, s_index, p_index,
                             s_index, para.start + a, para.start + b, para.role, para.is_heading, ptext[a:b]))
                s_index += 1
    frame = pd.DataFrame(rows, columns=_UNIT_COLUMNS)
    frame["paragraph"] = frame["paragraph"].astype("Int64")
    frame["sentence"] = frame["sentence"].astype("Int64")
    meta = corpus.meta
    return frame.merge(meta, on="doc_id", how="left", validate="many_to_one")
