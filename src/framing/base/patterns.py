"""Patterns over terms and texts, compiled one way for every measure.

kwic, codebook indicators, collocation nodes and place names all ask the
same questions: is this value a glob? does this term match it (and, over a
corpus, which of many patterns does each distinct term match)? which
expressions of a list occur in a text? They are answered here once.
"""

from __future__ import annotations

import bisect
import fnmatch
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import ahocorasick_rs
import numpy as np
import regex

from framing.base.errors import ArgumentError

__all__ = ["GLOB_CHARS", "is_glob", "TermPattern", "TermMatcher", "PatternRef", "term_pattern", "trie_regex",
           "straighten", "PatternKind", "UserRegex", "REGEX_TIMEOUT", "COMBINING_MARKS", "INVISIBLE_JOINERS",
           "clean_word", "TrieFinder", "HAN_CHARS"]

#: Seconds one search of a user-supplied regular expression may take before it is stopped.
REGEX_TIMEOUT = 1.0

#: Combining marks (Unicode categories Mn, Mc, Me; Unicode 14.0.0, Python 3.11's ``unicodedata``), for use inside a
#: character class: the vowel signs of Devanagari, Arabic harakat, a decomposed accent. A word keeps its marks.
COMBINING_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1-\u05c2\u05c4-\u05c5\u05c7\u0610-\u061a"
    "\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7-\u06e8\u06ea-\u06ed\u0711\u0730-\u074a"
    "\u07a6-\u07b0\u07eb-\u07f3\u07fd\u0816-\u0819\u081b-\u0823\u0825-\u0827\u0829-\u082d\u0859-\u085b"
    "\u0898-\u089f\u08ca-\u08e1\u08e3-\u0903\u093a-\u093c\u093e-\u094f\u0951-\u0957\u0962-\u0963"
    "\u0981-\u0983\u09bc\u09be-\u09c4\u09c7-\u09c8\u09cb-\u09cd\u09d7\u09e2-\u09e3\u09fe\u0a01-\u0a03"
    "\u0a3c\u0a3e-\u0a42\u0a47-\u0a48\u0a4b-\u0a4d\u0a51\u0a70-\u0a71\u0a75\u0a81-\u0a83\u0abc"
    "\u0abe-\u0ac5\u0ac7-\u0ac9\u0acb-\u0acd\u0ae2-\u0ae3\u0afa-\u0aff\u0b01-\u0b03\u0b3c\u0b3e-\u0b44"
    "\u0b47-\u0b48\u0b4b-\u0b4d\u0b55-\u0b57\u0b62-\u0b63\u0b82\u0bbe-\u0bc2\u0bc6-\u0bc8\u0bca-\u0bcd"
    "\u0bd7\u0c00-\u0c04\u0c3c\u0c3e-\u0c44\u0c46-\u0c48\u0c4a-\u0c4d\u0c55-\u0c56\u0c62-\u0c63"
    "\u0c81-\u0c83\u0cbc\u0cbe-\u0cc4\u0cc6-\u0cc8\u0cca-\u0ccd\u0cd5-\u0cd6\u0ce2-\u0ce3\u0d00-\u0d03"
    "\u0d3b-\u0d3c\u0d3e-\u0d44\u0d46-\u0d48\u0d4a-\u0d4d\u0d57\u0d62-\u0d63\u0d81-\u0d83\u0dca"
    "\u0dcf-\u0dd4\u0dd6\u0dd8-\u0ddf\u0df2-\u0df3\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u0eb1\u0eb4-\u0ebc"
    "\u0ec8-\u0ecd\u0f18-\u0f19\u0f35\u0f37\u0f39\u0f3e-\u0f3f\u0f71-\u0f84\u0f86-\u0f87\u0f8d-\u0f97"
    "\u0f99-\u0fbc\u0fc6\u102b-\u103e\u1056-\u1059\u105e-\u1060\u1062-\u1064\u1067-\u106d\u1071-\u1074"
    "\u1082-\u108d\u108f\u109a-\u109d\u135d-\u135f\u1712-\u1715\u1732-\u1734\u1752-\u1753\u1772-\u1773"
    "\u17b4-\u17d3\u17dd\u180b-\u180d\u180f\u1885-\u1886\u18a9\u1920-\u192b\u1930-\u193b\u1a17-\u1a1b"
    "\u1a55-\u1a5e\u1a60-\u1a7c\u1a7f\u1ab0-\u1ace\u1b00-\u1b04\u1b34-\u1b44\u1b6b-\u1b73\u1b80-\u1b82"
    "\u1ba1-\u1bad\u1be6-\u1bf3\u1c24-\u1c37\u1cd0-\u1cd2\u1cd4-\u1ce8\u1ced\u1cf4\u1cf7-\u1cf9"
    "\u1dc0-\u1dff\u20d0-\u20f0\u2cef-\u2cf1\u2d7f\u2de0-\u2dff\u302a-\u302f\u3099-\u309a\ua66f-\ua672"
    "\ua674-\ua67d\ua69e-\ua69f\ua6f0-\ua6f1\ua802\ua806\ua80b\ua823-\ua827\ua82c\ua880-\ua881"
    "\ua8b4-\ua8c5\ua8e0-\ua8f1\ua8ff\ua926-\ua92d\ua947-\ua953\ua980-\ua983\ua9b3-\ua9c0\ua9e5"
    "\uaa29-\uaa36\uaa43\uaa4c-\uaa4d\uaa7b-\uaa7d\uaab0\uaab2-\uaab4\uaab7-\uaab8\uaabe-\uaabf\uaac1"
    "\uaaeb-\uaaef\uaaf5-\uaaf6\uabe3-\uabea\uabec-\uabed\ufb1e\ufe00-\ufe0f\ufe20-\ufe2f\U000101fd"
    "\U000102e0\U00010376-\U0001037a\U00010a01-\U00010a03\U00010a05-\U00010a06\U00010a0c-\U00010a0f"
    "\U00010a38-\U00010a3a\U00010a3f\U00010ae5-\U00010ae6\U00010d24-\U00010d27\U00010eab-\U00010eac"
    "\U00010f46-\U00010f50\U00010f82-\U00010f85\U00011000-\U00011002\U00011038-\U00011046\U00011070"
    "\U00011073-\U00011074\U0001107f-\U00011082\U000110b0-\U000110ba\U000110c2\U00011100-\U00011102"
    "\U00011127-\U00011134\U00011145-\U00011146\U00011173\U00011180-\U00011182\U000111b3-\U000111c0"
    "\U000111c9-\U000111cc\U000111ce-\U000111cf\U0001122c-\U00011237\U0001123e\U000112df-\U000112ea"
    "\U00011300-\U00011303\U0001133b-\U0001133c\U0001133e-\U00011344\U00011347-\U00011348"
    "\U0001134b-\U0001134d\U00011357\U00011362-\U00011363\U00011366-\U0001136c\U00011370-\U00011374"
    "\U00011435-\U00011446\U0001145e\U000114b0-\U000114c3\U000115af-\U000115b5\U000115b8-\U000115c0"
    "\U000115dc-\U000115dd\U00011630-\U00011640\U000116ab-\U000116b7\U0001171d-\U0001172b"
    "\U0001182c-\U0001183a\U00011930-\U00011935\U00011937-\U00011938\U0001193b-\U0001193e\U00011940"
    "\U00011942-\U00011943\U000119d1-\U000119d7\U000119da-\U000119e0\U000119e4\U00011a01-\U00011a0a"
    "\U00011a33-\U00011a39\U00011a3b-\U00011a3e\U00011a47\U00011a51-\U00011a5b\U00011a8a-\U00011a99"
    "\U00011c2f-\U00011c36\U00011c38-\U00011c3f\U00011c92-\U00011ca7\U00011ca9-\U00011cb6"
    "\U00011d31-\U00011d36\U00011d3a\U00011d3c-\U00011d3d\U00011d3f-\U00011d45\U00011d47"
    "\U00011d8a-\U00011d8e\U00011d90-\U00011d91\U00011d93-\U00011d97\U00011ef3-\U00011ef6"
    "\U00016af0-\U00016af4\U00016b30-\U00016b36\U00016f4f\U00016f51-\U00016f87\U00016f8f-\U00016f92"
    "\U00016fe4\U00016ff0-\U00016ff1\U0001bc9d-\U0001bc9e\U0001cf00-\U0001cf2d\U0001cf30-\U0001cf46"
    "\U0001d165-\U0001d169\U0001d16d-\U0001d172\U0001d17b-\U0001d182\U0001d185-\U0001d18b"
    "\U0001d1aa-\U0001d1ad\U0001d242-\U0001d244\U0001da00-\U0001da36\U0001da3b-\U0001da6c\U0001da75"
    "\U0001da84\U0001da9b-\U0001da9f\U0001daa1-\U0001daaf\U0001e000-\U0001e006\U0001e008-\U0001e018"
    "\U0001e01b-\U0001e021\U0001e023-\U0001e024\U0001e026-\U0001e02a\U0001e130-\U0001e136\U0001e2ae"
    "\U0001e2ec-\U0001e2ef\U0001e8d0-\U0001e8d6\U0001e944-\U0001e94a\U000e0100-\U000e01ef"
)

#: Invisible characters that may sit inside a word without separating it (soft hyphen, zero-width
#: non-joiner and joiner, word joiner, a stray byte-order mark): kept in a token's span, removed from its term.
INVISIBLE_JOINERS = "\u00ad\u200c\u200d\u2060\ufeff"

_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE_JOINERS))


def clean_word(word: str) -> str:
    """A word as matched, without invisible joiners and in Unicode NFC form.

    ``sanc\u00adtions`` (a soft hyphen) is ``sanctions``; ``cafe\u0301`` (a
    decomposed accent) is ``café``. ASCII words are returned as they are.

    >>> clean_word("sanc\u00adtions"), clean_word("cafe\u0301") == "caf\u00e9"
    ('sanctions', True)
    """
    if word.isascii():
        return word
    return unicodedata.normalize("NFC", word.translate(_INVISIBLE))


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
        try:
            self._rx = regex.compile(pattern, regex.IGNORECASE if ignore_case else 0)
        except regex.error as exc:  # a few patterns `re` reads as literals, `regex` refuses ('{i')
            raise re.error(f"{exc} (the time-limited engine, regex, reads it differently)") from None

    def search(self, text: str) -> bool:
        try:
            return self._rx.search(text, timeout=REGEX_TIMEOUT) is not None
        except TimeoutError:
            raise ArgumentError(
                f"{self.what} {self.pattern!r} ran over {REGEX_TIMEOUT:g} s on a text of {len(text)} characters: "
                "it backtracks catastrophically (nested quantifiers such as (a+)+); simplify it"
            ) from None

    def match(self, text: str) -> Any:
        """The match at the start of ``text`` (a ``regex`` match object) or None, time-limited like :meth:`search`."""
        try:
            return self._rx.match(text, timeout=REGEX_TIMEOUT)
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
    """The terms a glob or regular expression accepts.

    A glob matches the whole term (``connect*``, ``global_*``), the glob
    lower-cased; with ``fold_case=True`` (the default) the term is
    lower-cased too, so "Sanctions" matches ``sanction*`` when the token
    stream keeps case. A regular expression is searched in the term,
    case-insensitively (:class:`UserRegex`, with its time limit).
    ``term in pattern`` and ``pattern(term)`` ask the same. Nothing is
    remembered per term: to ask about every term of a corpus, put the
    patterns in a :class:`TermMatcher`, which decides each distinct term once.
    """

    __slots__ = ("kind", "value", "fold_case", "_accepts")

    def __init__(self, kind: PatternKind, value: str, *, fold_case: bool = True) -> None:
        self.kind = kind
        self.value = value
        self.fold_case = fold_case
        if kind == "glob":
            match = _glob_regex(value.lower()).match
            if fold_case:
                self._accepts: Callable[[str], Any] = lambda t: match(t.lower())
            else:
                self._accepts = match
        elif kind == "regex":
            self._accepts = UserRegex(value, ignore_case=True, what="regular expression").search
        else:  # pragma: no cover - guarded by the type
            raise ValueError(f"kind={kind!r}")

    def __contains__(self, term: str) -> bool:
        return bool(self._accepts(term))

    __call__ = __contains__

    def __repr__(self) -> str:
        return f"TermPattern({self.kind!r}, {self.value!r})"


@lru_cache(maxsize=4096)
def _glob_regex(glob: str) -> re.Pattern[str]:
    """A glob as a compiled regular expression: ``fnmatch.fnmatchcase(t, glob)`` is ``_glob_regex(glob).match(t)``."""
    return re.compile(fnmatch.translate(glob))


@dataclass(frozen=True)
class _GlobIndex:
    """The globs of one case folding: by their literal start, and an alternation of those without one."""

    fold: bool
    by_prefix: dict[str, list[int]]
    lengths: list[int]
    any_loose: re.Pattern[str] | None
    loose: list[int]


class PatternRef:
    """One pattern of a :class:`TermMatcher`: ``term in ref`` asks the matcher's memo."""

    __slots__ = ("matcher", "index")

    def __init__(self, matcher: TermMatcher, index: int) -> None:
        self.matcher = matcher
        self.index = index

    @property
    def pattern(self) -> TermPattern:
        return self.matcher.patterns[self.index]

    def __contains__(self, term: str) -> bool:
        return self.index in self.matcher(term)

    __call__ = __contains__

    def __repr__(self) -> str:
        return f"PatternRef({self.pattern!r})"


class TermMatcher:
    """Which of many globs and regular expressions each distinct term matches, decided once per term.

    Patterns are added first (:meth:`add`); then ``matcher(term)`` gives the
    positions of the patterns ``term`` matches, decided once per distinct
    term. A glob that starts with letters (``sanction*``) is tried only on
    terms that start with them (a dictionary lookup per length of such
    starts); the globs that start with a wildcard (``*ism``) are translated
    (``fnmatch``) into one alternation, tested once per term, and tried one
    by one only on a term that matches it. So a term costs a few lookups and
    one regular-expression match whatever the number of globs. Each regular
    expression is searched once per distinct term, with :class:`UserRegex`'s
    time limit.

    The answers are remembered in one dictionary keyed by term, so asking
    about every token of a corpus costs one evaluation per distinct term and
    one hash lookup per token; the memory is one entry per distinct term,
    whatever the number of patterns (equal answers share one tuple; a term
    that matches nothing holds the empty tuple).

    Examples
    --------
    >>> m = TermMatcher()
    >>> refs = [m.add(TermPattern("glob", "sanction*")), m.add(TermPattern("regex", "^decoupl"))]
    >>> m("sanctions"), m("decoupling"), m("bridge"), "sanctioned" in refs[0], len(m)
    ((0,), (1,), (), True, 4)
    """

    def __init__(self) -> None:
        self.patterns: list[TermPattern] = []
        self._index: dict[tuple[str, str, bool], int] = {}
        self._memo: dict[str, tuple[int, ...]] = {}
        self._shared: dict[tuple[int, ...], tuple[int, ...]] = {(): ()}
        self._compiled: tuple[list[_GlobIndex], list[int]] | None = None

    def add(self, pattern: TermPattern) -> PatternRef:
        """Add a pattern (one already added, same kind, value and case folding, is not added again)."""
        if self._memo:
            raise ValueError("TermMatcher: patterns are added before the first term is asked about")
        key = (pattern.kind, pattern.value, pattern.fold_case)
        index = self._index.get(key)
        if index is None:
            index = self._index[key] = len(self.patterns)
            self.patterns.append(pattern)
            self._compiled = None
        return PatternRef(self, index)

    def _compile(self) -> tuple[list[_GlobIndex], list[int]]:
        globs: list[_GlobIndex] = []
        for fold in (True, False):
            members = [i for i, p in enumerate(self.patterns) if p.kind == "glob" and p.fold_case == fold]
            if not members:
                continue
            by_prefix: dict[str, list[int]] = {}
            loose: list[int] = []
            for i in members:
                glob = self.patterns[i].value.lower()
                prefix = glob[:min([glob.index(c) for c in GLOB_CHARS if c in glob], default=len(glob))]
                if prefix:
                    by_prefix.setdefault(prefix, []).append(i)
                else:
                    loose.append(i)
            # no capturing group per glob: with one, `re` saves and restores marks at every alternative
            translated = [f"(?:{fnmatch.translate(self.patterns[i].value.lower())})" for i in loose]
            alternation = re.compile("|".join(translated)) if loose else None
            globs.append(_GlobIndex(fold, by_prefix, sorted({len(k) for k in by_prefix}), alternation, loose))
        self._compiled = (globs, [i for i, p in enumerate(self.patterns) if p.kind == "regex"])
        return self._compiled

    def _decide(self, term: str) -> tuple[int, ...]:
        globs, regexes = self._compiled or self._compile()
        patterns = self.patterns
        found: list[int] = []
        for index in globs:
            folded = term.lower() if index.fold else term
            for k in index.lengths:  # globs whose literal start the term begins with
                if k > len(folded):
                    break
                found += [i for i in index.by_prefix.get(folded[:k], ()) if term in patterns[i]]
            if index.any_loose is not None and index.any_loose.match(folded) is not None:
                found += [i for i in index.loose if term in patterns[i]]
        found += [i for i in regexes if term in patterns[i]]
        answer = tuple(sorted(found))
        return self._shared.setdefault(answer, answer)

    def __call__(self, term: str) -> tuple[int, ...]:
        """Positions (in :attr:`patterns`) of the patterns ``term`` matches."""
        answer = self._memo.get(term)
        if answer is None:
            answer = self._memo[term] = self._decide(term)
        return answer

    def __len__(self) -> int:
        """The number of distinct terms decided so far."""
        return len(self._memo)

    def __repr__(self) -> str:
        return f"<TermMatcher: {len(self.patterns)} patterns, {len(self)} terms decided>"


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


#: The Han characters (Chinese): the CJK Unified Ideographs with their extensions and compatibility block,
#: and the ideographic zero 〇 (written in years: 二〇二五年).
HAN_CHARS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"

#: ASCII bytes as the candidate search sees them: letters lower-cased, digits, ``_``, ``&`` and ``$``
#: kept (the characters :data:`LEFT` and :data:`RIGHT` treat as part of a word), every other byte a space.
_CANDIDATE_FOLD = bytes(
    c + 32 if 65 <= c <= 90 else c if chr(c).isalnum() and c < 128 or c in b"_&$" else 32 for c in range(256))
#: A separator of this many characters or more is covered by one candidate pattern (see TrieFinder).
_SEP_SPAN = 4
#: The characters beyond ASCII that match an ASCII letter when case is ignored (``re.IGNORECASE``):
#: dotted and dotless i, long s, the Kelvin sign (checked against every code point in the tests).
FOLDS_ONTO_ASCII = "\u0130\u0131\u017f\u212a"
_HAN_SEARCH = re.compile(f"[{HAN_CHARS}]").search


class TrieFinder:
    """The matches of a :func:`trie_regex` in a text, the regex tried only where an expression can start.

    Python's regex engine tries the trie at every character of a text, which made the multiword pass
    the largest part of tokenizing. On ASCII text an Aho–Corasick automaton (``ahocorasick_rs``, compiled)
    first finds, in one pass, every position where an expression could begin: a phrase's first word after
    a character that is not part of a word, followed by one to three separator characters and the second
    word's letters, or by four separators or more; an exact string as written. The regex is then tried at
    those positions only, in order, so :meth:`matches` returns what ``regex.finditer(text)`` returns
    (same spans, same alternatives) at a fraction of the cost. Text that is not ASCII, and vocabularies
    with characters that case-insensitive matching could fold onto ASCII letters, go to ``finditer``.

    Examples
    --------
    >>> finder = TrieFinder(["belt and road", "hong kong"], ["U.S."])
    >>> [m.group() for m in finder.matches("Hong  Kong's Belt-and-Road, the U.S. and the US")]
    ["Hong  Kong's", 'Belt-and-Road', 'U.S.']
    """

    def __init__(self, phrases: Iterable[str], exact: Iterable[str] = ()) -> None:
        phrases, exact = list(phrases), list(exact)
        self.regex = re.compile(trie_regex(phrases, exact), re.IGNORECASE)
        self._phrases: Any = None
        self._exact: Any = None
        patterns: set[bytes] = set()
        strings: set[bytes] = set()
        fast = True
        for phrase in phrases:
            if not phrase.isascii():
                # a Han character matches only itself: such an expression can never match ASCII text;
                # any other character might fold onto an ASCII letter ("K" is k), so no shortcut
                fast = fast and bool(re.search(f"[{HAN_CHARS}]", phrase))
                continue
            words = [w.encode().translate(_CANDIDATE_FOLD) for w in re.split(r"[\s,\-\u2013]+", phrase) if w]
            if len(words) == 1:
                patterns.add(b" " + words[0])
                continue
            patterns.update(b" " + words[0] + b" " * k + words[1] for k in range(1, _SEP_SPAN))
            patterns.add(b" " + words[0] + b" " * _SEP_SPAN)
        for string in exact:
            if not string.isascii():
                fast = fast and bool(re.search(f"[{HAN_CHARS}]", string))
                continue
            strings.add(string.encode())
        self.fast = fast
        # Han expressions are never found by the candidate search: a text with Han characters is matched
        # with the regex alone when the vocabulary holds any
        self._han = any(not x.isascii() for x in (*phrases, *exact))
        if fast:
            if patterns:
                self._phrases = ahocorasick_rs.BytesAhoCorasick(sorted(patterns))
            if strings:
                self._exact = ahocorasick_rs.BytesAhoCorasick(sorted(strings))

    def matches_many(self, texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        """``(start, end, matched text)`` of :meth:`matches` in each text, the texts searched together.

        The texts are joined by a NUL character, which no expression, separator or word boundary of
        the trie takes: a match never crosses it, and a text's edges look to the regex as they do
        alone. Candidates are found in one pass over the joined UTF-8 bytes (letters beyond ASCII seen
        as separators, which only adds candidates the regex then turns down); a text holding a
        character that matches an ASCII letter when case is ignored (:data:`FOLDS_ONTO_ASCII`), or Han
        characters when the vocabulary has Han expressions, is matched with the regex alone.
        """
        out: list[list[tuple[int, int, str]]] = [[] for _ in texts]
        joint: list[int] = []
        for k, text in enumerate(texts):
            if not self.fast or not text.isascii() and (
                    any(c in text for c in FOLDS_ONTO_ASCII) or self._han and _HAN_SEARCH(text)):
                out[k] = [(m.start(), m.end(), m.group()) for m in self.regex.finditer(text)]
            else:
                joint.append(k)
        if not joint:
            return out
        parts = [texts[k] for k in joint]
        joined = "\x00".join(parts)
        raw = joined.encode("utf-8", "surrogatepass")
        where = self._candidates(raw)
        if not where:
            return out
        if not joined.isascii():  # byte offsets -> character offsets
            b = np.frombuffer(raw, dtype=np.uint8)
            continuation = np.flatnonzero((b & 0xC0) == 0x80)
            at = np.asarray(where, dtype=np.int64)
            where = (at - np.searchsorted(continuation, at)).tolist()
        bounds = [0]
        for text in parts:
            bounds.append(bounds[-1] + len(text) + 1)
        owner = bisect.bisect_right
        for m in self._walk(joined, where):
            i = owner(bounds, m.start()) - 1
            base = bounds[i]
            out[joint[i]].append((m.start() - base, m.end() - base, m.group()))
        return out

    def _candidates(self, raw: bytes) -> list[int]:
        """Byte offsets, in order, where an expression can begin in the UTF-8 (or ASCII) bytes ``raw``."""
        starts: list[int] = []
        if self._phrases is not None:
            starts = [s for _, s, _ in self._phrases.find_matches_as_indexes(
                b" " + raw.translate(_CANDIDATE_FOLD), overlapping=True)]
        if self._exact is not None:
            starts += [s for _, s, _ in self._exact.find_matches_as_indexes(raw, overlapping=True)]
        return sorted(set(starts))

    def _walk(self, text: str, starts: Sequence[int]) -> list[re.Match[str]]:
        """The regex tried at each candidate in order, past the end of the last match: ``finditer``'s matches."""
        found: list[re.Match[str]] = []
        last = 0
        match = self.regex.match
        for start in starts:
            if start >= last and (m := match(text, start)) is not None:
                found.append(m)
                last = m.end()
        return found

    def matches(self, text: str) -> list[re.Match[str]]:
        """The regex's matches in ``text``, as ``list(regex.finditer(text))``."""
        if not self.fast or not text.isascii():
            return list(self.regex.finditer(text))
        return self._walk(text, self._candidates(text.encode("ascii")))
