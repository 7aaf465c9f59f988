"""The words of many texts at once: a token pattern's matches found with array operations.

A :class:`~framing.text.preprocess.TokenMachine` turns a text into words with
one regular expression; ``finditer`` costs about a microsecond a word in
Python, however fast the engine, because every match becomes a Python object.
The token patterns framing uses are runs of character classes, and runs can be
found without visiting each match: :class:`RunScanner` joins a batch of texts,
classifies every character with a lookup table (through the UTF-8 bytes, so
nothing is copied four bytes a character), finds where runs begin and end,
and names each distinct word once (a dictionary encoding in pyarrow's
compiled kernels). What comes back is columnar: one id per word, and its
offsets and text.

Two shapes of pattern are recognised, and only they; anything else returns
None and the caller keeps its regular expression:

* ``'word'``: framing's default, :data:`framing.text.preprocess.DEFAULT_TOKEN_PATTERN`,
  letters and digits with their combining marks and invisible joiners, and
  inner hyphens or apostrophes. A character is in a word when it is a letter
  or digit; a run of marks when the character before the run is a letter or
  digit (the word goes on through it); a hyphen or apostrophe when the
  character before it is in the word and the one after it is a letter or
  digit. Words are the maximal runs of such characters, which is what the
  regular expression's greedy, leftmost matching finds.
* ``'class'``: one character class repeated, such as ``[A-Za-z]+`` or
  ``\\w+`` (with the pattern's flags): its maximal runs.

The results are those of ``pattern.finditer`` on each text (the tests compare
them on arbitrary Unicode, surrogates included).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from framing.base.patterns import COMBINING_MARKS, INVISIBLE_JOINERS

try:  # the parser of the re module reads a pattern's structure; without it every pattern keeps its regex
    from re import _constants, _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - another Python's internals
    _constants = _parser = None

__all__ = ["RunScanner", "Runs"]

_OTHER, _ALNUM, _MARK, _JOIN = 0, 1, 2, 3
_ALNUM_RE = re.compile(r"[^\W_]")
_MARK_RE = re.compile(f"[{COMBINING_MARKS}{INVISIBLE_JOINERS}]")
#: Characters that can stand between the texts of a batch, tried in turn: one the pattern never takes.
_SEPARATORS = "\x00\x1f\n \uffff"


@dataclass(frozen=True)
class Runs:
    """The words of a batch of texts, in text order and, within a text, in order of position.

    Attributes
    ----------
    forms : list of str
        The distinct words, as written; ``forms[ids[k]]`` is word ``k``.
    ids, starts, ends, texts : numpy.ndarray of int64
        Per word: its form, its character offsets in its own text, and the index of that text.
    """

    forms: list[str]
    ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    texts: np.ndarray


def _single_class(pattern: re.Pattern[str]) -> bool:
    """Whether ``pattern`` is one character class repeated one or more times (``[A-Za-z]+``, ``\\w+``)."""
    if _parser is None:  # pragma: no cover - another Python's internals
        return False
    c = _constants
    try:
        parsed = list(_parser.parse(pattern.pattern, pattern.flags))
    except (AttributeError, re.error):  # pragma: no cover - another Python's internals
        return False
    if len(parsed) != 1:
        return False
    op, av = parsed[0]
    repeats = {c.MAX_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)}
    if op not in repeats:
        return False
    low, high, body = av
    items = list(body)
    return (low == 1 and high == c.MAXREPEAT and len(items) == 1
            and items[0][0] in (c.IN, c.LITERAL, c.NOT_LITERAL, c.CATEGORY, c.ANY))


class RunScanner:
    """Finds a token pattern's words in many texts at once, where the pattern is a run of classes.

    Build one with :meth:`for_pattern`, which returns None for a pattern it
    cannot take. Keeps the class of every character it has seen, so a scanner
    reused over a corpus classifies each distinct character once.

    Examples
    --------
    >>> from framing.text.preprocess import DEFAULT_TOKEN_PATTERN
    >>> scanner = RunScanner.for_pattern(re.compile(DEFAULT_TOKEN_PATTERN), default=True)
    >>> runs = scanner.scan(["Hong Kong's people-to-people ties", "Covid-19 -- e.g."])
    >>> [(runs.forms[i], int(a), int(b), int(t)) for i, a, b, t in zip(runs.ids, runs.starts, runs.ends, runs.texts)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('Hong', 0, 4, 0), ("Kong's", 5, 11, 0), ('people-to-people', 12, 28, 0), ('ties', 29, 33, 0),
     ('Covid-19', 0, 8, 1), ('e', 12, 13, 1), ('g', 14, 15, 1)]
    """

    def __init__(self, pattern: re.Pattern[str], kind: str) -> None:
        self.pattern = pattern
        self.kind = kind
        self._seen: dict[int, int] = {}
        table = np.array([self._classify(cp) for cp in range(128)], dtype=np.uint8)
        self._ascii = np.zeros(256, dtype=np.uint8)
        self._ascii[:128] = table
        self.separator = next((s for s in _SEPARATORS if self._classify(ord(s)) == _OTHER), None)

    @classmethod
    def for_pattern(cls, pattern: re.Pattern[str], *, default: bool = False) -> RunScanner | None:
        """A scanner for ``pattern``: ``default=True`` when it is framing's default word pattern
        (compiled without flags); otherwise one character class repeated, or None."""
        if default:
            scanner = cls(pattern, "word")
        elif _single_class(pattern):
            scanner = cls(pattern, "class")
        else:
            return None
        return scanner if scanner.separator is not None else None

    def takes(self, ch: str) -> bool:
        """Whether the character ``ch`` can be part of a word."""
        return self._classify(ord(ch)) != _OTHER

    def _classify(self, cp: int) -> int:
        ch = chr(cp)
        if self.kind == "class":
            return _ALNUM if self.pattern.fullmatch(ch) else _OTHER
        if _ALNUM_RE.match(ch):
            return _ALNUM
        if _MARK_RE.match(ch):
            return _MARK
        return _JOIN if ch in "'-" else _OTHER

    def _classes(self, cps: np.ndarray) -> np.ndarray:
        """The class of each code point (array), each distinct one classified once per scanner."""
        distinct, inverse = np.unique(cps, return_inverse=True)
        seen = self._seen
        out = np.empty(len(distinct), dtype=np.uint8)
        for k, cp in enumerate(distinct.tolist()):
            value = seen.get(cp)
            if value is None:
                value = seen[cp] = self._classify(cp)
            out[k] = value
        return out[inverse]

    def scan(self, texts: Sequence[str]) -> Runs:
        """The words of ``texts`` (each on its own, as ``finditer`` on each would find them)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        sep = self.separator
        assert sep is not None
        joined = sep.join(texts)
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        text_starts = np.zeros(len(texts), dtype=np.int64)
        if len(texts) > 1:
            np.cumsum(lengths[:-1] + 1, out=text_starts[1:])
        raw = joined.encode("utf-8", "surrogatepass")
        b = np.frombuffer(raw, dtype=np.uint8)
        cls = self._ascii[b]
        continuation = np.zeros(0, dtype=np.int64)
        if not joined.isascii():
            high = np.flatnonzero(b >= 0x80)
            hb = b[high]
            is_cont = (hb & 0xC0) == 0x80
            continuation = high[is_cont]
            lead = high[~is_cont]
            lb = hb[~is_cont].astype(np.int64)
            width = np.where(lb >= 0xF0, 4, np.where(lb >= 0xE0, 3, 2))
            cp = np.where(width == 2, lb & 0x1F, np.where(width == 3, lb & 0x0F, lb & 0x07))
            last = len(b) - 1
            for k in (1, 2, 3):
                more = width > k
                cp = np.where(more, (cp << 6) | (b[np.minimum(lead + k, last)].astype(np.int64) & 0x3F), cp)
            char_class = self._classes(cp)
            for k in range(4):
                sel = width > k
                cls[lead[sel] + k] = char_class[sel]
        intok = cls == _ALNUM
        if self.kind == "word":
            marks = np.flatnonzero(cls == _MARK) if len(continuation) else np.zeros(0, dtype=np.int64)
            if len(marks):
                first = np.ones(len(marks), dtype=bool)
                first[1:] = np.diff(marks) != 1
                run_of = np.cumsum(first) - 1
                heads = marks[first]
                before = np.where(heads > 0, cls[np.maximum(heads - 1, 0)], _OTHER)
                intok[marks] = (before == _ALNUM)[run_of]
            joins = np.flatnonzero(cls == _JOIN)
            if len(joins):
                inner = (joins > 0) & (joins < len(b) - 1)
                joins = joins[inner]
                ok = intok[joins - 1] & (cls[joins + 1] == _ALNUM)
                intok[joins[ok]] = True
        step = np.diff(intok.view(np.int8), prepend=np.int8(0), append=np.int8(0))
        bstart = np.flatnonzero(step == 1)
        bend = np.flatnonzero(step == -1)
        n = len(bstart)
        if n == 0:
            empty = np.zeros(0, dtype=np.int64)
            return Runs([], empty, empty, empty.copy(), empty.copy())
        lengths_b = bend - bstart
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lengths_b, out=offsets[1:])
        data = b[intok]
        if offsets[-1] < 2**31:
            words = pa.BinaryArray.from_buffers(pa.binary(), n, [None, pa.py_buffer(offsets.astype(np.int32)),
                                                                  pa.py_buffer(data)])
        else:  # pragma: no cover - a batch of over 2 GB of words
            words = pa.LargeBinaryArray.from_buffers(pa.large_binary(), n, [None, pa.py_buffer(offsets),
                                                                            pa.py_buffer(data)])
        encoded = pc.dictionary_encode(words)
        # bytes, not strings: a text may hold a lone surrogate, which is no UTF-8 (encoded with surrogatepass)
        forms = [w.decode("utf-8", "surrogatepass") for w in encoded.dictionary.to_pylist()]
        ids = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        if len(continuation):
            cstart = bstart - np.searchsorted(continuation, bstart)
            cend = bend - np.searchsorted(continuation, bend)
        else:
            cstart, cend = bstart, bend
        text_of = np.searchsorted(text_starts, cstart, side="right") - 1
        base = text_starts[text_of]
        return Runs(forms, ids, cstart - base, cend - base, text_of.astype(np.int64))
