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
from functools import lru_cache
from typing import Any

from framing.base.patterns import TermPattern, is_glob, straighten

__all__ = ["STANCES", "Cue", "StanceRules", "Prepared", "surface_words", "DEFAULT_BREAKS"]

#: The stances a hit can carry; ``affirmed`` is the default when no cue fires.
STANCES = ("affirmed", "negated", "past", "hypothetical", "attributed")

#: Words and marks that end a cue's window (a new clause).
DEFAULT_BREAKS = ("but", "however", "yet", "whereas", "while", "although", "though", ";", ":", "(", ")")

# "No. 13936" is a number sign, not a negation: it becomes the word "no." so no cue reads it
_WORD = re.compile(r"(?i:\bno\.(?=\s*\d))|[^\W_]+(?:['\-][^\W_]+)*|[;:?()]")


def surface_words(text: str) -> list[tuple[str, int, int]]:
    """Lower-cased surface words (and ``; : ? ( )``) of a text with their character spans."""
    clean = straighten(text)
    return [(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(clean)]


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


class Prepared:
    """One sentence made ready for its hits (see :meth:`StanceRules.prepare`)."""

    def __init__(self, rules: StanceRules, sentence: str) -> None:
        words = surface_words(sentence)
        self.rules = rules
        self.toks = [w for w, _, _ in words]
        self.starts = [a for _, a, _ in words]
        self.ends = [b for _, _, b in words]
        breaks = set(rules.breaks)
        self.breaks = [i for i, w in enumerate(self.toks) if w in breaks]
        # per cue: match starts (sorted), their ends, and the suffix minimum of the ends
        self.matches: list[tuple[list[int], list[int], list[int]]] = []
        n = len(self.toks)
        positions: dict[str, list[int]] = {}
        for i, w in enumerate(self.toks):
            positions.setdefault(w, []).append(i)
        # pseudo-cues first: the words they cover ("not only", "having said") cannot be read as a cue
        masked: set[int] = set()
        ordered = sorted(range(len(rules.cues)), key=lambda c: rules.cues[c].stance != "affirmed")
        per_cue: dict[int, tuple[list[int], list[int], list[int]]] = {}
        for c in ordered:
            cue = rules.cues[c]
            found: list[tuple[int, int]] = []
            for seq in cue.sequences:
                k = len(seq)
                head = seq[0]
                if isinstance(head, frozenset):
                    candidates = [i for w in head for i in positions.get(w, ())]
                else:
                    candidates = [i for w, pos in positions.items() if w in head for i in pos]
                for i in candidates:
                    if i + k <= n and all(_fits(seq[q], self.toks[i + q]) for q in range(1, k)):
                        found.append((i, i + k))
            if cue.stance == "affirmed":
                masked.update(k for i, e in found for k in range(i, e))
                found = []
            else:
                found = [(i, e) for i, e in found if not masked.intersection(range(i, e))]
            found.sort()
            ends = [e for _, e in found]
            suffix = ends[:]
            for j in range(len(suffix) - 2, -1, -1):
                suffix[j] = min(suffix[j], suffix[j + 1])
            per_cue[c] = ([i for i, _ in found], ends, suffix)
        self.matches = [per_cue[c] for c in range(len(rules.cues))]

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
