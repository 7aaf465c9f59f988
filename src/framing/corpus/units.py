"""Units of analysis: documents, paragraphs and sentences with offsets.

Sentences are split as NLTK's Punkt algorithm (Kiss & Strunk 2006) splits
them running untrained with a list of abbreviations kept as data
(``framing/data/abbreviations.txt``), so nothing is downloaded. Untrained,
Punkt decides a boundary from the word before a candidate end and the token
after it by a few fixed rules; :class:`PunktRules` applies those rules in
one regular-expression pass, about ten times as fast as NLTK's
``PunktSentenceTokenizer`` and with the same spans. Sentences never cross a
paragraph boundary, and a heading or title is one sentence. A very long
paragraph is read in windows (:data:`MAX_PUNKT_CHARS`), with the same
boundaries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from itertools import chain
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import regex

from framing.base.errors import ArgumentError
from framing.base.gcpause import without_gc
from framing.base.ids import paragraph_id, sentence_id

if TYPE_CHECKING:  # pragma: no cover
    from framing.corpus.model import Corpus

__all__ = ["split_sentences", "paragraph_sentences", "assign_sentences", "unit_table", "abbreviations",
           "PunktRules", "MAX_PUNKT_CHARS"]


@lru_cache(maxsize=1)
def abbreviations() -> frozenset[str]:
    """The abbreviations Punkt treats as not ending a sentence."""
    text = resources.files("framing.data").joinpath("abbreviations.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


# ----------------------------------------------------------------------------- Punkt's decisions, untrained
#
# NLTK's ``PunktSentenceTokenizer.span_tokenize`` (nltk/tokenize/punkt.py) finds every candidate end, a ``.``,
# ``?`` or ``!`` followed by a punctuation mark or by whitespace and a token. Of the candidates in one run of
# characters without ASCII whitespace it keeps the last one (and the first one too if the run starts with it).
# For each kept candidate it tokenizes the context (the run up to the candidate, the candidate, and the mark
# or the whitespace and token after it) and breaks after the candidate if any token of the context but the
# last is a sentence break. With only ``abbrev_types`` known (no orthographic context, collocations or
# sentence starters), a token is a sentence break when it is ``.``, ``?`` or ``!``, or when it ends in one
# full stop and
#
# * it is not an abbreviation: neither the token without its full stop, lower-cased, nor the part of that
#   after its last hyphen is in the set;
# * if it is an initial (a letter and a full stop) or a number (``##number##``), the next token is not one
#   of ``; : , . ! ?`` and does not start with a lower-case letter, nor (after an initial) an upper-case one.
#
# Closing quotes and brackets after a break are then moved onto the sentence they close. The patterns are
# NLTK's (PunktLanguageVars, PunktToken), compiled with the ``regex`` engine as NLTK compiles them, so that
# ``\s``, ``\d`` and ``\W`` mean the same; the candidate scan uses ``re`` with ``regex``'s ``\s`` written out.

#: ``string.whitespace``: the characters NLTK looks back for to find the word before a candidate end.
_ASCII_SPACE = " \t\n\r\x0b\x0c"
#: The ``regex`` engine's ``\s`` (Unicode White_Space); ``re``'s ``\s`` also holds U+001C..U+001F.
_SPACE_CLASS = r"\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
#: Characters that cannot appear within a word (``PunktLanguageVars._re_non_word_chars``).
_NON_WORD = r"(?:[)\";}\]\*:@\'\({\[\u2018\u2019\u201c\u201d\xab\xbb\?!])"
#: A candidate end: group 1 is the punctuation mark after it, or group 2 the token after the whitespace.
_CANDIDATE = re.compile(rf"[.?!](?=({_NON_WORD})|[{_SPACE_CLASS}]+([^{_SPACE_CLASS}]+))")
#: Punkt's word tokenizer (``PunktLanguageVars._word_tokenize_fmt``, formatted as NLTK formats it).
_WORD = regex.compile(
    r"""(
        %(MultiChar)s
        |
        (?=%(WordStart)s)\S+?  # Accept word characters until end is found
        (?= # Sequences marking a word's end
            \s|                                 # White-space
            $|                                  # End-of-string
            %(NonWord)s|%(MultiChar)s|          # Punctuation
            ,(?=$|\s|%(NonWord)s|%(MultiChar)s) # Comma if at end of word
        )
        |
        \S
    )"""
    % {"NonWord": _NON_WORD, "MultiChar": r"(?:\-{2,}|\.{2,}|(?:\.\s){2,}\.)",
       "WordStart": r"[^\(\"\`{\[:;&\#\*@\)}\]\-,]"},
    regex.UNICODE | regex.VERBOSE,
)
_NUMERIC = regex.compile(r"^-?[\.,]?\d[\d,\.-]*\.?$")  # PunktToken._RE_NUMERIC: its type is ##number##
_INITIAL = regex.compile(r"[^\W\d]\.$", regex.UNICODE)  # PunktToken._RE_INITIAL
#: Closing punctuation realigned onto the sentence before (``PunktLanguageVars.re_boundary_realignment``).
_REALIGN = regex.compile(r'["\')\]}\u2018\u2019\u201c\u201d\xab\xbb]+?(?:\s+|(?=--)|$)', regex.MULTILINE)
_CLOSERS = frozenset("\"')]}\u2018\u2019\u201c\u201d\xab\xbb")
_PUNCTUATION = (";", ":", ",", ".", "!", "?")  # PunktSentenceTokenizer.PUNCTUATION

#: A word of ASCII letters and digits (and ``%$&/``) joined by single ``.``, ``,`` or ``-``: with a full stop
#: after it, one Punkt token whose properties string tests decide.
_PLAIN_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9%$&/]*(?:[.,\-][A-Za-z0-9%$&/]+)*")
_PLAIN_NUMBER = re.compile(r"[0-9][0-9,.\-]*")
#: First characters of a next token that only Punkt's tokenizer can read: its first token may be longer
#: than one character (``.``, ``?``, ``!``), or its line all whitespace to ``str.strip`` (U+001C..U+001F).
_HARD_NEXT = frozenset(".?!\x1c\x1d\x1e\x1f")


class PunktRules:
    """Punkt's sentence boundaries, untrained, with a set of abbreviations.

    Gives the spans of NLTK's ``PunktSentenceTokenizer(params).span_tokenize``
    with ``params.abbrev_types = abbrev`` and nothing else learnt (Kiss &
    Strunk 2006), but from one regular-expression scan over the candidate
    ends, decided with string tests and set look-ups, and without NLTK's
    time limit on its regular expressions: any length is read at once. A
    context the tests cannot decide (the word before a full stop holding
    punctuation, the next token starting with ``.``, ``?`` or ``!``) is
    tokenized with Punkt's word pattern and decided as NLTK decides it.

    Parameters
    ----------
    abbrev : iterable of str
        Abbreviations in lower case, without their final full stop
        (``'u.s'``, ``'mr'``).

    Examples
    --------
    >>> rules = PunktRules(abbreviations())
    >>> s = "Mr. Chan left the U.S. on Friday. He said: “No.” J. Lee did not."
    >>> [s[a:b] for a, b in rules.span_tokenize(s)]
    ['Mr. Chan left the U.S. on Friday.', 'He said: “No.”', 'J. Lee did not.']
    """

    def __init__(self, abbrev: Iterable[str]) -> None:
        self.abbrev = frozenset(abbrev)

    def span_tokenize(self, text: str) -> list[tuple[int, int]]:
        """Sentence spans ``(start, end)`` of ``text``, as NLTK's ``span_tokenize`` gives them.

        A span may be all whitespace (NLTK keeps those too); the text's
        trailing whitespace is in no span.
        """
        return _realign(text, self._slices(text))

    def _slices(self, text: str) -> list[tuple[int, int]]:
        """NLTK's ``_slices_from_text``: the sentences before closing punctuation is realigned."""
        abbrev = self.abbrev
        slices: list[tuple[int, int]] = []
        last_break = 0
        # NLTK's _match_potential_end_contexts: a candidate's word starts after the last ASCII whitespace
        # between the previous candidate and it, or, with none there, where the previous candidate's word
        # starts. A candidate is kept when the next one's word starts at or after it.
        held: Any = None  # the candidate waiting for the next one to know if it is kept
        held_start = held_at = 0  # where its word starts; where it is
        start = at = 0
        for m in chain(_CANDIDATE.finditer(text), (None,)):
            if m is not None:
                at = m.start()
                j = text.rfind(" ", held_at + 1, at)
                if j < 0 or not text[j + 1:at].isprintable():  # another ASCII whitespace may come after it
                    j = max([text.rfind(c, held_at + 1, at) for c in _ASCII_SPACE])
                start = j + 1 if j >= 0 else held_start
                if held is None or held_at > start:
                    held, held_start, held_at = m, start, at
                    continue
            elif held is None:
                break
            # the held candidate is kept: does its context hold a sentence break?
            mark, after = held.group(1, 2)
            brk: bool | None = None  # None: tokenize the context
            if text[held_at] != ".":  # "?" or "!": a break, followed by a token
                brk = True if after is None or after[0] not in _HARD_NEXT else None
            elif after is None or after[0] not in _HARD_NEXT:
                word = text[held_start:held_at]
                if word.isascii() and (word.isalnum() or _PLAIN_WORD.fullmatch(word)):
                    low = word.lower()
                    if low in abbrev or ("-" in low and low.rsplit("-", 1)[1] in abbrev):
                        first = False  # an abbreviation
                    elif len(word) == 1 and word.isalpha():  # an initial
                        f = mark if after is None else after[0]
                        first = not (f in ";:,?!" or f.islower() or f.isupper())
                    elif word.isdigit() or (word[0].isdigit() and _PLAIN_NUMBER.fullmatch(word)):  # a number
                        f = mark if after is None else after[0]
                        first = not (f in ";:,?!" or f.islower())
                    else:
                        first = True
                    if first or after is None:
                        brk = first
                    else:  # the token after may hold a break before its last character
                        head = after[:-1]
                        brk = None if ("." in head or "?" in head or "!" in head) else False
            if brk is None:
                end = held_at + 2 if after is None else held.end(2)  # the mark, or the next token
                brk = self._context_breaks(text[held_start:end])
            if brk:
                slices.append((last_break, held_at + 1))
                last_break = held_at + 1 if after is None else held.start(2)
            if m is None:
                break
            held, held_start, held_at = m, start, at
        slices.append((last_break, len(text.rstrip())))
        return slices

    def _context_breaks(self, context: str) -> bool:
        """NLTK's ``text_contains_sentbreak``: a token of ``context`` but the last is a sentence break."""
        tokens: list[str] = []
        for line in context.split("\n"):
            if line.strip():
                tokens += _WORD.findall(line)
        abbrev = self.abbrev
        for i in range(len(tokens) - 1):
            tok = tokens[i]
            if tok in (".", "?", "!"):
                return True
            if not tok.endswith(".") or tok.endswith(".."):  # an ellipsis ends in "..": never a break
                continue
            low = tok[:-1].lower()
            if low in abbrev or low.split("-")[-1] in abbrev:
                continue
            typ = _NUMERIC.sub("##number##", tok.lower())
            if len(typ) > 1 and typ[-1] == ".":
                typ = typ[:-1]
            initial = _INITIAL.match(tok) is not None
            if initial or typ == "##number##":
                nxt = tokens[i + 1]
                if nxt in _PUNCTUATION or nxt[0].islower() or (initial and nxt[0].isupper()):
                    continue
            return True
        return False


def _realign(text: str, slices: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """NLTK's ``_realign_boundaries``: closing quotes and brackets after a break join the sentence before."""
    spans: list[tuple[int, int]] = []
    shift = 0
    last = len(slices) - 1
    for i, (a, b) in enumerate(slices):
        a += shift
        if i == last:
            if a < b:
                spans.append((a, b))
            break
        c, d = slices[i + 1]
        m = _REALIGN.match(text[c:d]) if c < d and text[c] in _CLOSERS else None
        if m is not None:
            spans.append((a, c + len(m.group().rstrip())))
            shift = m.end()
        else:
            shift = 0
            if a < b:
                spans.append((a, b))
    return spans


@lru_cache(maxsize=1)
def _punkt() -> PunktRules:
    """The splitter of :func:`split_sentences`."""
    return PunktRules(abbreviations())


@lru_cache(maxsize=1)
def _punkt_reference() -> Any:
    """NLTK's ``PunktSentenceTokenizer`` with the same abbreviations: the reference :class:`PunktRules` matches."""
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    params = PunktParameters()
    params.abbrev_types = set(abbreviations())
    return PunktSentenceTokenizer(params)


#: Characters of a paragraph the splitter reads at once. This bounds a sentence's length (a longer one is
#: cut at a space) and keeps NLTK's Punkt, the reference, under its regular-expression time limit
#: (``nltk.redos``, 5 s a search; it reads a megabyte in 1.5 to 3 s). :class:`PunktRules` has no such limit.
MAX_PUNKT_CHARS = 50_000

_LAST_SPACE = re.compile(r"\s\S*\Z")


def _punkt_spans(tokenizer: Any, text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of ``text[start:end]`` (offsets into ``text``), all-whitespace ones left out."""
    piece = text[start:end]
    return [(start + a, start + b) for a, b in tokenizer.span_tokenize(piece)
            if a < b and (not piece[a].isspace() or piece[a:b].strip())]


def _windowed_spans(tokenizer: Any, text: str, max_chars: int) -> list[tuple[int, int]]:
    """The sentences of ``text`` read one window of at most ``max_chars`` characters at a time.

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
        found = _punkt_spans(tokenizer, text, start, end)
        if end == n:
            spans += found
            break
        if len(found) >= 3:
            spans += found[:-2]
            start = found[-2][0]
            continue
        space = _LAST_SPACE.search(text, start + 1, end)
        cut = space.start() if space else end
        spans += _punkt_spans(tokenizer, text, start, cut)
        start = cut
        while start < n and text[start].isspace():
            start += 1
    return spans


def _check_max_chars(max_chars: int) -> None:
    if isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars < 1:
        raise ArgumentError(f"max_chars={max_chars!r} must be a positive integer (characters Punkt reads at once)")


def _sentences(tokenizer: Any, text: str, max_chars: int) -> list[tuple[int, int]]:
    """Sentence spans of one paragraph with ``tokenizer``, then the CJK pass."""
    if not text.strip():
        return []
    if len(text) <= max_chars:
        spans = _punkt_spans(tokenizer, text, 0, len(text))
    else:
        spans = _windowed_spans(tokenizer, text, max_chars)
    if not _has_cjk_end(text):
        return spans
    return [piece for a, b in spans for piece in _cjk_spans(text, a, b)]


def split_sentences(text: str, *, max_chars: int = MAX_PUNKT_CHARS) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of one paragraph's text.

    The boundaries are those of NLTK's Punkt running untrained with
    :func:`abbreviations` (Kiss & Strunk 2006), found by :class:`PunktRules`;
    a Chinese or Japanese sentence end (``。！？``) also ends a sentence.

    Parameters
    ----------
    text : str
    max_chars : int, default=MAX_PUNKT_CHARS
        A longer text is read in windows of this many characters, which find
        the same boundaries; a sentence longer than a window is cut at a
        space. :class:`PunktRules` needs no window for speed or time limits:
        this only bounds a sentence's length (and keeps NLTK's Punkt, the
        reference it is checked against, under its time limit).

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
    _check_max_chars(max_chars)
    return _sentences(_punkt(), text, max_chars)


def _punkt_reference_spans(text: str, *, max_chars: int = MAX_PUNKT_CHARS) -> list[tuple[int, int]]:
    """:func:`split_sentences` with NLTK's ``PunktSentenceTokenizer`` instead of :class:`PunktRules`.

    The reference the fast splitter is checked and benchmarked against (about
    3 MB/s; NLTK is imported on first use).
    """
    _check_max_chars(max_chars)
    return _sentences(_punkt_reference(), text, max_chars)


#: A Chinese or Japanese sentence end: a full-width 。！？ (or an ellipsis …… ) with the closing quotes
#: and brackets after it. Punkt, trained on spaces between sentences, never splits there.
_CJK_END = re.compile(r"(?:[。！？]+|……)[」』”’）》〉]*")


def _has_cjk_end(text: str) -> bool:
    """Whether :data:`_CJK_END` occurs in ``text`` (found with ``str`` searches, much faster than the pattern)."""
    return "。" in text or "！" in text or "？" in text or "……" in text


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
    """Sentence spans of one paragraph: :func:`split_sentences` for body text;
    a title, heading or dek is one sentence."""
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


@without_gc
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
