"""Stance of a frame hit: affirmed, negated, past, hypothetical or attributed.

A dictionary sees words, not how a text holds them: "Hong Kong was China's
sole gateway" and "it would be an overstatement to claim that Hong Kong is
decoupling" carry the words of a frame while describing it as past or
denying it. Stance cues are data in the codebook (``stance:``), each with the
stance it marks, the words before or after the hit it looks at, its reason
and example sentences; the first cue that fires decides, so cues are listed
in order of precedence. A hit without a cue is ``affirmed``.

Cues are matched on the sentence's surface words (lower-cased, typographic
apostrophes straightened), not on the lemmas the indicators use, because
tense and modality live in exactly the forms lemmatisation removes ("was" ->
"be"). A cue's window stops at a clause break (``but``, ``;`` …), so
"Hong Kong was a colony but is now a bridge" keeps the bridge affirmed.

The design follows the scope-based negation cues of NegEx (Chapman et al.
2001), extended to tense, modality and attribution.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import accumulate
from typing import Any

from framing.base.memo import Memo
from framing.base.patterns import TermPattern, is_glob, straighten

__all__ = ["STANCES", "Cue", "StanceRules", "Prepared", "surface_words", "DEFAULT_BREAKS"]

#: The stances a hit can carry; ``affirmed`` is the default when no cue fires.
STANCES = ("affirmed", "negated", "past", "hypothetical", "attributed")

#: Words and marks that end a cue's window (a new clause).
DEFAULT_BREAKS = ("but", "however", "yet", "whereas", "while", "although", "though", ";", ":", "(", ")")

# "No. 13936" is a number sign, not a negation: it becomes the word "no." so no cue reads it
_WORD = re.compile(r"(?i:\bno\.(?=\s*\d))|[^\W_]+(?:['\-][^\W_]+)*|[;:?()]")


_WORD_SPLIT = re.compile(f"({_WORD.pattern})")  # the same words, captured: split() gives text and words in turn


def _split_words(text: str) -> tuple[list[str], list[int], list[int]]:
    """Lower-cased surface words of a text, their starts and their ends (see :func:`surface_words`).

    One ``split`` and running sums of the pieces' lengths, with no match object per word.
    """
    clean = straighten(text)
    parts = _WORD_SPLIT.split(clean)
    words = parts[1::2]
    offsets = list(accumulate(map(len, parts), initial=0))
    lowered = "\x00".join(words).lower().split("\x00") if clean.isascii() else [w.lower() for w in words]
    return (lowered if words else []), offsets[1::2][:len(words)], offsets[2::2][:len(words)]


def surface_words(text: str) -> list[tuple[str, int, int]]:
    """Lower-cased surface words (and ``; : ? ( )``) of a text with their character spans."""
    return list(zip(*_split_words(text)))


def _is_word_glob(word: str) -> bool:
    """A glob over words ("*n't"); a bare mark such as "?" is the mark itself."""
    return is_glob(word) and any(ch.isalnum() for ch in word)


def _word_entry(word: str) -> frozenset[str] | TermPattern:
    return TermPattern("glob", word) if _is_word_glob(word) else frozenset({word})


def _fits(entry: frozenset[str] | TermPattern, word: str) -> bool:
    return word in entry


@dataclass(frozen=True)
class Cue:
    """One stance cue.

    Attributes
    ----------
    stance : str
        One of :data:`STANCES`. An ``affirmed`` cue is a pseudo-cue (NegEx's
        "pseudo-negation"): the words it covers are not read as any other
        cue ("not only … but also", "no doubt", "having said so").
    words : tuple of str
        Words or phrases (globs allowed per word, ``*n't``), matched on surface words.
    before, after : int
        How many words before the hit's first word, or after its last, the
        cue may stand (``-1``: anywhere in the sentence on that side).
    why : str
    examples : tuple of str
        Sentences in which a frame hit must carry this stance.
    line : int or None
    """

    stance: str
    words: tuple[str, ...]
    before: int = 6
    after: int = 0
    why: str = ""
    examples: tuple[str, ...] = ()
    line: int | None = None

    @property
    def sequences(self) -> tuple[tuple[frozenset[str] | TermPattern, ...], ...]:
        return _compile(self.words)


@lru_cache(maxsize=256)
def _compile(words: tuple[str, ...]) -> tuple[tuple[frozenset[str] | TermPattern, ...], ...]:
    out = []
    for w in words:
        parts = w.lower().split() if _is_word_glob(w) else [p for p, _, _ in surface_words(w)]
        if parts:
            out.append(tuple(_word_entry(p) for p in parts))
    return tuple(out)


@dataclass(frozen=True)
class StanceRules:
    """The stance cues of a codebook, in order of precedence."""

    cues: tuple[Cue, ...] = ()
    breaks: tuple[str, ...] = DEFAULT_BREAKS

    def prepare(self, sentence: str) -> Prepared:
        """Everything about a sentence that its hits share: its words, clause breaks and every cue match."""
        return Prepared(self, sentence)

    @cached_property
    def _heads(self) -> _HeadIndex:
        return _HeadIndex(self)

    @cached_property
    def _break_set(self) -> frozenset[str]:
        return frozenset(self.breaks)

    def __getstate__(self) -> dict[str, Any]:
        # the head index is rebuilt where it is needed (its glob patterns do not pickle)
        return {k: v for k, v in self.__dict__.items() if k not in ("_heads", "_break_set")}

    def classify(self, sentence: str, start: int, end: int, prepared: Prepared | None = None) -> tuple[str, str]:
        """``(stance, cue)`` of a hit at characters ``start:end`` of ``sentence``.

        ``prepared`` may pass :meth:`prepare` of the sentence when several
        hits share it (the work per hit is then a few binary searches, so a
        long sentence with many hits stays linear). ``cue`` is the words
        that decided, ``''`` for ``affirmed`` without a cue.
        """
        if not self.cues:
            return "affirmed", ""
        prep = self.prepare(sentence) if prepared is None else prepared
        return prep.classify(start, end)


class _HeadIndex:
    """The cue sequences of a :class:`StanceRules` by the word they can start at.

    Built once per rules; which sequences a word can start is decided once
    per distinct word (a literal head by a dict, a glob head by its
    pattern), so preparing a sentence costs one lookup per word, not one
    scan of the sentence per cue.
    """

    def __init__(self, rules: StanceRules) -> None:
        self.literal: dict[str, list[tuple[int, tuple[frozenset[str] | TermPattern, ...]]]] = {}
        self.globbed: list[tuple[int, tuple[frozenset[str] | TermPattern, ...]]] = []
        for c, cue in enumerate(rules.cues):
            for seq in cue.sequences:
                head = seq[0]
                if isinstance(head, frozenset):
                    for w in head:
                        self.literal.setdefault(w, []).append((c, seq))
                else:
                    self.globbed.append((c, seq))
        #: word -> its pairs (see :meth:`_starting`); bounded, and read with a plain lookup per word
        self.memo = Memo(self._starting)
        self.affirmed = frozenset(c for c, cue in enumerate(rules.cues) if cue.stance == "affirmed")

    def _starting(self, word: str) -> tuple[tuple[int, tuple[frozenset[str] | TermPattern, ...]], ...]:
        """``(cue index, sequence)`` pairs whose first word accepts ``word``."""
        return tuple(self.literal.get(word, ())) + tuple(e for e in self.globbed if word in e[1][0])


_NO_MATCH: tuple[list[int], list[int], list[int]] = ([], [], [])


class Prepared:
    """One sentence made ready for its hits (see :meth:`StanceRules.prepare`)."""

    def __init__(self, rules: StanceRules, sentence: str) -> None:
        self.rules = rules
        toks, self.starts, self.ends = _split_words(sentence)
        self.toks = toks
        breaks = rules._break_set
        self.breaks = [i for i, w in enumerate(toks) if w in breaks]
        # per cue: match starts (sorted), their ends, and the suffix minimum of the ends
        heads = rules._heads
        n = len(toks)
        found: dict[int, list[tuple[int, int]]] = {}
        # only the words that can start a cue are looked at; every word when a cue starts with a
        # glob, each by one lookup in the head memo (a word seen before costs no call)
        if heads.globbed:
            memo = heads.memo
            at = [(i, pairs) for i, pairs in enumerate(map(memo.__getitem__, toks)) if pairs]
        else:
            literal = heads.literal
            at = [(i, heads.memo[w]) for i, w in enumerate(toks) if w in literal]
        for i, pairs in at:
            for c, seq in pairs:
                k = len(seq)
                if i + k <= n and all(_fits(seq[q], toks[i + q]) for q in range(1, k)):
                    found.setdefault(c, []).append((i, i + k))
        # pseudo-cues first: the words they cover ("not only", "having said") cannot be read as a cue
        masked: set[int] = set()
        for c in heads.affirmed.intersection(found):
            masked.update(k for i, e in found.pop(c) for k in range(i, e))
        self.matches: list[tuple[list[int], list[int], list[int]]] = [_NO_MATCH] * len(rules.cues)
        for c, spans in found.items():
            if masked:
                spans = [(i, e) for i, e in spans if not masked.intersection(range(i, e))]
            spans.sort()
            ends = [e for _, e in spans]
            suffix = ends[:]
            for j in range(len(suffix) - 2, -1, -1):
                suffix[j] = min(suffix[j], suffix[j + 1])
            self.matches[c] = ([i for i, _ in spans], ends, suffix)

    def classify(self, start: int, end: int) -> tuple[str, str]:
        first = bisect_right(self.ends, start)  # first word ending after the hit starts
        last = bisect_left(self.starts, end) - 1  # last word starting before the hit ends
        last = max(last, first - 1)
        b = bisect_left(self.breaks, first)
        lo = self.breaks[b - 1] + 1 if b > 0 else 0
        a = bisect_right(self.breaks, last)
        hi = self.breaks[a] if a < len(self.breaks) else len(self.toks)
        for cue, (starts, ends, suffix) in zip(self.rules.cues, self.matches):
            if not starts:
                continue
            if cue.before != 0:
                left = lo if cue.before < 0 else max(lo, first - cue.before)
                j = bisect_left(starts, left)
                if j < len(starts) and suffix[j] <= first:  # a match inside the window, ending before the hit
                    while ends[j] > first:
                        j += 1
                    return cue.stance, " ".join(self.toks[starts[j]:ends[j]])
            if cue.after != 0:
                right = hi if cue.after < 0 else min(hi, last + 1 + cue.after)
                j = bisect_left(starts, last + 1)
                if j < len(starts) and suffix[j] <= right:
                    while ends[j] > right:
                        j += 1
                    return cue.stance, " ".join(self.toks[starts[j]:ends[j]])
        return "affirmed", ""


def parse_stance(raw: Any, nodes: list[Any], label: str, problems: list[str]) -> StanceRules:
    """The ``stance:`` section of a codebook (``{breaks: [...], cues: [...]}``)."""
    if raw is None:
        return StanceRules()
    if not isinstance(raw, dict):
        problems.append(f"{label}: 'stance' must be a mapping with 'cues' (and optionally 'breaks')")
        return StanceRules()
    bad = sorted(set(raw) - {"cues", "breaks"})
    if bad:
        problems.append(f"{label}: stance: unknown key(s) {', '.join(bad)}")
    breaks = raw.get("breaks", list(DEFAULT_BREAKS))
    if not isinstance(breaks, list) or not all(isinstance(b, str) and b.strip() for b in breaks):
        problems.append(f"{label}: stance.breaks must be a list of words")
        breaks = list(DEFAULT_BREAKS)
    cues: list[Cue] = []
    for i, item in enumerate(raw.get("cues") or []):
        line = nodes[i].start_mark.line + 1 if i < len(nodes) else None
        where = f"{label}:{line}" if line else label
        if not isinstance(item, dict):
            problems.append(f"{where}: a stance cue is a mapping with 'stance' and 'words'")
            continue
        bad = sorted(set(item) - {"stance", "words", "before", "after", "why", "examples"})
        if bad:
            problems.append(f"{where}: stance cue: unknown key(s) {', '.join(bad)}")
        stance = item.get("stance")
        if stance not in STANCES:
            problems.append(f"{where}: stance cue: 'stance' must be one of {', '.join(STANCES)}, got {stance!r}")
            continue
        words = item.get("words")
        words = [words] if isinstance(words, str) else words
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
            problems.append(f"{where}: stance cue {stance!r}: 'words' must be a non-empty list of words or phrases")
            continue
        span: dict[str, int] = {}
        for key, default in (("before", 6), ("after", 0)):
            v = item.get(key, default)
            if isinstance(v, str) and v == "sentence":
                v = -1
            if not isinstance(v, int) or isinstance(v, bool) or v < -1:
                problems.append(f"{where}: stance cue {stance!r}: '{key}' must be a number of words or 'sentence', got {v!r}")
                v = default
            span[key] = v
        examples = item.get("examples") or []
        examples = [examples] if isinstance(examples, str) else examples
        if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
            problems.append(f"{where}: stance cue {stance!r}: 'examples' must be a list of sentences")
            examples = []
        cues.append(Cue(stance, tuple(w.strip().lower() for w in words), span["before"], span["after"],
                        str(item.get("why") or ""), tuple(examples), line))
    return StanceRules(tuple(cues), tuple(b.lower() for b in breaks))
