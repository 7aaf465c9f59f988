"""Patterns over terms and texts, compiled one way for every measure.

kwic, codebook indicators, collocation nodes and place names all ask the
same questions: is this value a glob? does this term match it? which
expressions of a list occur in a text? They are answered here once.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable
from typing import Any, Literal

import regex

from framing.base.errors import ArgumentError

__all__ = ["GLOB_CHARS", "is_glob", "TermPattern", "term_pattern", "trie_regex", "straighten", "PatternKind",
           "UserRegex", "REGEX_TIMEOUT"]

#: Seconds one search of a user-supplied regular expression may take before it is stopped.
REGEX_TIMEOUT = 1.0


class UserRegex:
    """A regular expression from a user (codebook, cleaning rule, command line), searched with a time limit.

    Python's ``re`` backtracks: ``(a+)+$`` on thirty a's and a b takes about a
    minute. Searches run in the ``regex`` engine with a timeout, and a search
    that runs over it ends with one error naming the pattern instead of a hang.

    Raises
    ------
    re.error
        When the pattern does not compile (callers name where it came from).
    """

    __slots__ = ("pattern", "what", "_rx")

    def __init__(self, pattern: str, *, ignore_case: bool = False, what: str = "pattern") -> None:
        self.pattern, self.what = pattern, what
        re.compile(pattern)  # the syntax users know; the error type callers catch
        self._rx = regex.compile(pattern, regex.IGNORECASE if ignore_case else 0)

    def search(self, text: str) -> bool:
        try:
            return self._rx.search(text, timeout=REGEX_TIMEOUT) is not None
        except TimeoutError:
            raise ArgumentError(
                f"{self.what} {self.pattern!r} ran over {REGEX_TIMEOUT:g} s on a text of {len(text)} characters: "
                "it backtracks catastrophically (nested quantifiers such as (a+)+); simplify it"
            ) from None

    def __repr__(self) -> str:
        return f"UserRegex({self.pattern!r})"

#: Characters that make a value a glob (``fnmatch`` syntax).
GLOB_CHARS = "*?["
PatternKind = Literal["glob", "regex"]


def is_glob(value: str) -> bool:
    """True when ``value`` holds ``*``, ``?`` or ``[``."""
    return any(ch in value for ch in GLOB_CHARS)


class TermPattern:
    """The terms a glob or regular expression accepts, decided once per distinct term.

    A glob matches the whole term (``connect*``, ``global_*``), the glob
    lower-cased; with ``fold_case=True`` (the default) the term is
    lower-cased too, so "Sanctions" matches ``sanction*`` when the token
    stream keeps case. A regular expression is searched in the term,
    case-insensitively. ``term in pattern`` and ``pattern(term)`` ask the same.
    """

    __slots__ = ("kind", "value", "_accepts", "_memo")

    def __init__(self, kind: PatternKind, value: str, *, fold_case: bool = True) -> None:
        self.kind = kind
        self.value = value
        if kind == "glob":
            glob = value.lower()
            if fold_case:
                self._accepts: Callable[[str], Any] = lambda t: fnmatch.fnmatchcase(t.lower(), glob)
            else:
                self._accepts = lambda t: fnmatch.fnmatchcase(t, glob)
        elif kind == "regex":
            self._accepts = UserRegex(value, ignore_case=True, what="regular expression").search
        else:  # pragma: no cover - guarded by the type
            raise ValueError(f"kind={kind!r}")
        self._memo: dict[str, bool] = {}

    def __contains__(self, term: str) -> bool:
        known = self._memo.get(term)
        if known is None:
            known = self._memo[term] = bool(self._accepts(term))
        return known

    __call__ = __contains__

    def __repr__(self) -> str:
        return f"TermPattern({self.kind!r}, {self.value!r})"


def term_pattern(value: str, kind: PatternKind | None = None) -> TermPattern:
    """A :class:`TermPattern`; ``kind=None`` means a glob (the value should hold a glob character)."""
    return TermPattern(kind or "glob", value)


# --------------------------------------------------------------------------- texts

# Same-length replacements, so offsets into the clean text stay valid.
TYPOGRAPHY_PAIRS = (
    ("\u2019", "'"), ("\u2018", "'"), ("\u02bc", "'"), ("\u2032", "'"),
    ("\u201c", '"'), ("\u201d", '"'),
    ("\u2010", "-"), ("\u2011", "-"),
    ("\u00a0", " "), ("\u202f", " "), ("\u2007", " "),
)


def straighten(text: str) -> str:
    """Straighten quotes, hyphens and spaces; the length never changes.

    ``str.replace`` for the few characters present is much faster than
    ``str.translate`` over a long text.
    """
    if text.isascii():
        return text
    for old, new in TYPOGRAPHY_PAIRS:
        if old in text:
            text = text.replace(old, new)
    return text


SEP = r"(?:\s*,\s*|[\s\-\u2013]+)"
LEFT = r"(?<![\w&$])"
RIGHT = r"(?![\w&$])"


def trie_regex(phrases: Iterable[str], exact: Iterable[str] = ()) -> str:
    """One regular expression matching every phrase and exact string of a list.

    The alternatives are merged into a character trie, so the engine follows
    one branch per character instead of trying each expression in turn
    (about 2.5 times faster than a plain alternation on the bundled list), and
    a longer expression wins over its prefix ("Belt and Road Initiative" over
    "Belt and Road"). Phrases match case-insensitively (compile with
    ``re.IGNORECASE``) with flexible separators and an optional plural "s";
    exact strings match as written.

    Examples
    --------
    >>> import re
    >>> rx = re.compile(trie_regex(["belt and road", "belt"]), re.IGNORECASE)
    >>> [m.group() for m in rx.finditer("The Belt-and-Road and a belt.")]
    ['Belt-and-Road', 'belt']
    """
    end: tuple[str, ...] = ("end",)
    trie: dict[tuple[str, ...], Any] = {}

    def add(atoms: list[tuple[str, ...]]) -> None:
        node = trie
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[end] = {}

    for phrase in phrases:
        words = [w for w in re.split(r"[\s,\-\u2013]+", phrase) if w]
        atoms: list[tuple[str, ...]] = []
        for i, word in enumerate(words):
            if i:
                atoms.append(("sep",))
            atoms.extend(("ci", ch.lower()) for ch in word)
        add([*atoms, ("plural",)])
    for string in exact:
        add([("cs", ch) for ch in string])

    def atom_regex(atom: tuple[str, ...]) -> str:
        kind = atom[0]
        if kind == "sep":
            return SEP
        if kind == "plural":
            return "s?"
        ch = atom[1]
        if kind == "cs" and ch.lower() != ch.upper():
            return f"(?-i:{re.escape(ch)})"
        return re.escape(ch)

    word_end = f"(?:'s)?{RIGHT}"

    def emit(node: dict[tuple[str, ...], Any], last: tuple[str, ...] | None) -> str:
        kids = [(a, n) for a, n in node.items() if a != end]
        parts = [atom_regex(a) + emit(n, a) for a, n in kids]
        if end in node:
            # An expression ending in a symbol ("HK$") needs no word boundary
            # after it; one ending in a word may take a possessive 's.
            symbol_end = last is not None and last[0] == "cs" and not last[1].isalnum()
            parts.append("" if symbol_end else word_end)
        return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"

    firsts = sorted({c for a in trie for c in (a[1].lower(), a[1].upper())})
    lead = "[" + "".join(re.escape(c) for c in firsts) + "]"
    return f"{LEFT}(?={lead}){emit(trie, None)}"
