"""The ids of units: one format, written in one place.

``doc/p003`` is the fourth paragraph of ``doc``; ``doc/p003/s012`` its
sentence number 12 (sentences count through the document).
"""

from __future__ import annotations

__all__ = ["paragraph_id", "sentence_id"]


def paragraph_id(doc_id: str, paragraph: int) -> str:
    """``'doc/p003'``.

    >>> paragraph_id("gov", 3)
    'gov/p003'
    """
    return f"{doc_id}/p{int(paragraph):03d}"


def sentence_id(doc_id: str, paragraph: int, sentence: int) -> str:
    """``'doc/p003/s012'``.

    >>> sentence_id("gov", 3, 12)
    'gov/p003/s012'
    """
    return f"{doc_id}/p{int(paragraph):03d}/s{int(sentence):03d}"
