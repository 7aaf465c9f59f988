"""Codebook indicators compiled for matching on a token stream.

Every indicator is compiled to a sequence of term sets, keyed by its first
term, so matching a sentence costs one hash lookup per token whatever the
number of indicators. The codebook's globs and regular expressions (of
indicators, contexts and sides) share one :class:`TermMatcher`: each distinct
term of the corpus is decided once against all of them together, and only
that answer is remembered. This module knows codebooks only by their
attributes (``frames``, ``frame_ids``), so :mod:`framing.measures.frames.codebook`
can use it to check its own examples.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from framing.base.patterns import PatternRef, TermMatcher, TermPattern, is_glob
from framing.corpus.units import split_sentences

from framing.text.preprocess import Preprocessor

if TYPE_CHECKING:  # pragma: no cover
    from framing.measures.frames.codebook import Indicator

__all__ = ["Hit", "CompiledCodebook", "detect_text", "describe_text", "frame_preprocessor", "terms_of", "as_terms"]


def as_terms(value: str, pre: Any, *, literal: bool = True) -> list[str]:
    """A value as terms of the token stream: one word written as a term (``hong_kong``) stays as it
    is when ``literal``; anything else is tokenized like the text (``'the HKSAR Government'``)."""
    value = value.strip()
    if literal and re.fullmatch(r"\w+", value):
        return [value.lower()]
    return [t for t, _, _ in pre.tokenize(value)]


def terms_of(ind: Indicator, pre: Any) -> list[str]:
    """The term sequence of a term or phrase indicator under ``pre``."""
    return as_terms(ind.value, pre, literal=ind.kind == "term")


@dataclass(frozen=True)
class Hit:
    """One match of one frame in one sentence (token positions ``i:j``)."""

    frame: str
    indicator: str
    i: int
    j: int


def _meets(entry: frozenset[str] | PatternRef | tuple[Any, ...], present: set[str]) -> bool:
    if isinstance(entry, frozenset):
        return not entry.isdisjoint(present)
    if isinstance(entry, tuple):  # alternatives "a|b*": any of them
        return any(_meets(e, present) for e in entry)
    return any(t in entry for t in present)


class _Lookup(dict):  # type: ignore[type-arg]
    """Term -> the indicators that may start on it, computed once per distinct term.

    ``starts`` maps a pattern's position in ``terms`` to the ``(order,
    entry)`` of the indicators that start with it; a term's entries are its
    fixed ones, then those of the patterns it matches in codebook order. A
    term that starts nothing holds a shared empty tuple.
    """

    def __init__(
        self, fixed: dict[str, list[Any]], starts: dict[int, list[tuple[int, Any]]], terms: TermMatcher
    ) -> None:
        super().__init__()
        self.fixed = fixed
        self.starts = starts
        self.terms = terms

    def __missing__(self, term: str) -> Sequence[Any]:
        entries: Sequence[Any] = self.fixed.get(term, ())
        started = [start for k in self.terms(term) for start in self.starts.get(k, ())]
        if started:
            entries = [*entries, *(entry for _, entry in sorted(started, key=lambda start: start[0]))]
        self[term] = entries
        return entries


class CompiledCodebook:
    """A codebook compiled for one preprocessor.

    Term and phrase indicators become sequences of fixed terms, globs and
    regular expressions become patterns of one :class:`TermMatcher`
    (:attr:`terms`), which decides each distinct term once, so no vocabulary
    is needed in advance and documents can stream through.
    """

    def __init__(self, codebook: Any, pre: Preprocessor) -> None:
        self.frames = codebook.frame_ids
        self.terms = TermMatcher()
        fixed: dict[str, list[Any]] = {}
        starts: dict[int, list[tuple[int, Any]]] = {}
        order = 0
        self.context: dict[Indicator, Any] = {}
        self.sides: dict[int, list[tuple[str, list[Any]]]] = {}
        for fi, frame in enumerate(codebook.frames):
            if getattr(frame, "sides", ()):
                self.sides[fi] = [(side.name, [self._entry(t) for t in side.any]) for side in frame.sides]
            for ind, excl in [(i, False) for i in frame.indicators] + [(i, True) for i in frame.exclude]:
                seqs = [self._sequence(ind, pre)]
                seqs += [[frozenset({t}) for t in as_terms(v, pre, literal=False)] for v in getattr(ind, "variants", ())]
                for seq in seqs:
                    if not seq:
                        continue
                    entry = (fi, ind, seq[1:], excl)
                    if isinstance(seq[0], frozenset):
                        for first in seq[0]:
                            fixed.setdefault(first, []).append(entry)
                    elif isinstance(seq[0], PatternRef):
                        starts.setdefault(seq[0].index, []).append((order, entry))
                    # alternatives ("a*|b") are for contexts and sides: an indicator starting with them never matched
                    order += 1
                if ind.has_context:
                    self.context[ind] = tuple(
                        [self._entry(e) for e in entries]
                        for entries in (ind.context_any, ind.context_all, ind.context_none)
                    )
        self.lookup = _Lookup(fixed, starts, self.terms)

    def _entry(self, value: str) -> frozenset[str] | PatternRef | tuple[Any, ...]:
        # "a|b|c*": alternatives, so that context.all can ask for one of several terms on each side
        if "|" in value:
            parts = [v.strip() for v in value.split("|") if v.strip()]
            plain = [v for v in parts if not is_glob(v)]
            globs = tuple(self._entry(v) for v in parts if is_glob(v))
            return (frozenset(plain), *globs) if globs else frozenset(plain)
        # codebook globs are matched on terms as they are (a kept capital does not match a lower-case glob)
        return self.terms.add(TermPattern("glob", value, fold_case=False)) if is_glob(value) else frozenset({value})

    def _sequence(self, ind: Indicator, pre: Preprocessor) -> list[Any]:
        if ind.kind in ("term", "phrase"):
            return [frozenset({t}) for t in terms_of(ind, pre)]
        if ind.kind == "glob":
            return [self._entry(part.lower()) for part in ind.value.split()]
        return [self.terms.add(TermPattern("regex", ind.value))]  # searched with a time limit (UserRegex)

    def _context_ok(self, ind: Indicator, present: set[str]) -> bool:
        any_, all_, none_ = self.context[ind]
        if any_ and not any(_meets(e, present) for e in any_):
            return False
        if all_ and not all(_meets(e, present) for e in all_):
            return False
        return not any(_meets(e, present) for e in none_)

    def side(self, frame: str, present: set[str]) -> str:
        """The side of a hit of ``frame`` in a sentence holding ``present`` ('' for a one-sided frame)."""
        fi = self.frames.index(frame)
        if fi not in self.sides:
            return ""
        found = [name for name, entries in self.sides[fi] if any(_meets(e, present) for e in entries)]
        return found[0] if len(found) == 1 else ("both" if found else "none")

    def match(self, terms: list[str]) -> list[Hit]:
        """Hits in one sentence: exclusions applied, no overlap within a frame."""
        lookup = self.lookup
        found: list[tuple[int, Indicator, int, int]] = []
        excluded: list[tuple[int, int, int]] = []
        present: set[str] | None = None
        n = len(terms)
        for i in [k for k, t in enumerate(terms) if lookup[t]]:
            for fi, ind, rest, excl in lookup[terms[i]]:
                j = i + 1 + len(rest)
                if j > n or any(terms[i + 1 + q] not in rest[q] for q in range(len(rest))):
                    continue
                if ind.has_context:
                    if present is None:
                        present = set(terms)
                    if not self._context_ok(ind, present):
                        continue
                if excl:
                    excluded.append((fi, i, j))
                else:
                    found.append((fi, ind, i, j))
        if not found:
            return []
        if excluded:
            found = [h for h in found if not any(h[0] == e[0] and h[2] < e[2] and e[1] < h[3] for e in excluded)]
        # within a frame, overlapping hits count once: the earliest, then the longest
        found.sort(key=lambda h: (h[0], h[2], -(h[3] - h[2])))
        hits: list[Hit] = []
        last_end: dict[int, int] = {}
        for fi, ind, i, j in found:
            if i >= last_end.get(fi, -1):
                hits.append(Hit(self.frames[fi], ind.label, i, j))
                last_end[fi] = j
        return hits


def _sentence_hits(text: str, codebook: Any, pre: Preprocessor) -> Any:
    """``(sentence start, end, its spans, its hits)`` for every sentence of a text with a hit."""
    spans = pre.tokenize(text)
    compiled = CompiledCodebook(codebook, pre)
    for a, b in split_sentences(text) or [(0, len(text))]:
        sent = [s for s in spans if a <= s[1] < b]
        found = compiled.match([t for t, _, _ in sent])
        if found:
            yield a, b, sent, found, compiled


def detect_text(text: str, codebook: Any, pre: Preprocessor | None = None) -> list[Hit]:
    """Frames in one piece of text (used for a codebook's examples).

    The text is cut into sentences as a paragraph would be; token positions
    in the hits count from the start of each sentence.
    """
    pre = getattr(codebook, "preprocessor", None) or frame_preprocessor() if pre is None else pre
    return [h for *_, found, _ in _sentence_hits(text, codebook, pre) for h in found]


def describe_text(text: str, codebook: Any, pre: Preprocessor | None = None) -> list[dict[str, Any]]:
    """Every hit in one text with its words, stance and side (for examples and quick checks).

    >>> import framing as fr
    >>> [(h["frame"], h["stance"], h["cue"]) for h in fr.describe_text("Hong Kong was China's sole gateway to the world.", fr.load_codebook())]
    [('super_connector', 'past', 'was')]
    """
    pre = codebook.preprocessor if pre is None else pre
    out: list[dict[str, Any]] = []
    for a, b, sent, found, compiled in _sentence_hits(text, codebook, pre):
        prepared = codebook.stance.prepare(text[a:b])
        present = {t for t, _, _ in sent}
        for h in found:
            x, y = sent[h.i][1], sent[h.j - 1][2]
            stance, cue = codebook.stance.classify(text[a:b], x - a, y - a, prepared)
            out.append({"frame": h.frame, "indicator": h.indicator, "matched": text[x:y], "start": x, "end": y,
                        "stance": stance, "cue": cue, "side": compiled.side(h.frame, present)})
    return out


def frame_preprocessor() -> Preprocessor:
    """The default token stream for frames: ``Preprocessor(stopwords=None)``.

    Lemmas, multiword terms and variant spellings as everywhere else; function
    words kept, so that indicators such as "our country" match as written.
    """
    return Preprocessor(stopwords=None)


