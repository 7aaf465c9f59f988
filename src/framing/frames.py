"""Frame detection: codebook indicators matched on the token stream, with evidence.

Every hit is one row of evidence naming the document, paragraph and sentence,
the frame and indicator, the words matched and their character offsets, so
any number computed from frames leads back to the sentences behind it.

Matching is one pass over each sentence's terms: every indicator is compiled
to a sequence of term sets (globs and regular expressions are expanded once
against the corpus vocabulary), keyed by its first term, so each token costs
one hash lookup whatever the number of indicators.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .codebook import Codebook, Indicator, _terms_of, load_codebook
from .errors import ArgumentError
from .preprocess import Preprocessor

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import Corpus
    from .kwic import Concordance

__all__ = ["detect_frames", "detect_text", "frame_preprocessor", "FrameResult", "Hit", "EVIDENCE_COLUMNS"]

EVIDENCE_COLUMNS = [
    "doc_id", "group", "unit_id", "sentence_id", "frame", "indicator", "matched", "start", "end", "context",
]


@dataclass(frozen=True)
class Hit:
    """One match of one frame in one sentence (token positions ``i:j``)."""

    frame: str
    indicator: str
    i: int
    j: int


class _Pattern:
    """The terms a glob or regular expression accepts, decided once per term."""

    def __init__(self, accepts: Any) -> None:
        self.accepts = accepts
        self.memo: dict[str, bool] = {}

    def __contains__(self, term: str) -> bool:
        known = self.memo.get(term)
        if known is None:
            known = self.memo[term] = bool(self.accepts(term))
        return known


def _meets(entry: frozenset[str] | _Pattern, present: set[str]) -> bool:
    if isinstance(entry, frozenset):
        return not entry.isdisjoint(present)
    return any(t in entry for t in present)


class _Lookup(dict):  # type: ignore[type-arg]
    """Term -> the indicators that may start on it, computed once per distinct term."""

    def __init__(self, fixed: dict[str, list[Any]], patterns: list[tuple[_Pattern, Any]]) -> None:
        super().__init__()
        self.fixed = fixed
        self.patterns = patterns

    def __missing__(self, term: str) -> list[Any]:
        entries = list(self.fixed.get(term, ()))
        entries += [entry for pattern, entry in self.patterns if term in pattern]
        self[term] = entries
        return entries


class _Compiled:
    """A codebook compiled for one preprocessor.

    Term and phrase indicators become sequences of fixed terms, globs and
    regular expressions become patterns decided once per distinct term, so
    no vocabulary is needed in advance and documents can stream through.
    """

    def __init__(self, codebook: Codebook, pre: Preprocessor) -> None:
        self.frames = codebook.frame_ids
        fixed: dict[str, list[Any]] = {}
        patterns: list[tuple[_Pattern, Any]] = []
        self.context: dict[Indicator, Any] = {}
        for fi, frame in enumerate(codebook.frames):
            for ind, excl in [(i, False) for i in frame.indicators] + [(i, True) for i in frame.exclude]:
                seq = self._sequence(ind, pre)
                if not seq:
                    continue
                entry = (fi, ind, seq[1:], excl)
                if isinstance(seq[0], frozenset):
                    for first in seq[0]:
                        fixed.setdefault(first, []).append(entry)
                else:
                    patterns.append((seq[0], entry))
                if ind.has_context:
                    self.context[ind] = tuple(
                        [self._entry(e) for e in entries]
                        for entries in (ind.context_any, ind.context_all, ind.context_none)
                    )
        self.lookup = _Lookup(fixed, patterns)

    @staticmethod
    def _entry(value: str) -> frozenset[str] | _Pattern:
        if any(c in value for c in "*?["):
            return _Pattern(lambda t, g=value: fnmatch.fnmatchcase(t, g))
        return frozenset({value})

    def _sequence(self, ind: Indicator, pre: Preprocessor) -> list[Any]:
        if ind.kind in ("term", "phrase"):
            return [frozenset({t}) for t in _terms_of(ind, pre)]
        if ind.kind == "glob":
            return [self._entry(part.lower()) for part in ind.value.split()]
        rx = re.compile(ind.value, re.IGNORECASE)
        return [_Pattern(lambda t, rx=rx: rx.search(t) is not None)]

    def _context_ok(self, ind: Indicator, present: set[str]) -> bool:
        any_, all_, none_ = self.context[ind]
        if any_ and not any(_meets(e, present) for e in any_):
            return False
        if all_ and not all(_meets(e, present) for e in all_):
            return False
        return not any(_meets(e, present) for e in none_)

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


def detect_text(text: str, codebook: Codebook, pre: Preprocessor | None = None) -> list[Hit]:
    """Frames in one piece of text (used for a codebook's examples).

    The text is cut into sentences as a paragraph would be; token positions
    in the hits count from the start of each sentence.
    """
    from .units import split_sentences

    pre = frame_preprocessor() if pre is None else pre
    spans = pre.tokenize(text)
    sentences = split_sentences(text) or [(0, len(text))]
    compiled = _Compiled(codebook, pre)
    hits: list[Hit] = []
    for a, b in sentences:
        hits.extend(compiled.match([t for t, s, _ in spans if a <= s < b]))
    return hits


def frame_preprocessor() -> Preprocessor:
    """The default token stream for frames: ``Preprocessor(stopwords=None)``.

    Lemmas, multiword terms and variant spellings as everywhere else; function
    words kept, so that indicators such as "our country" match as written.
    """
    return Preprocessor(stopwords=None)


class FrameResult:
    """The frames found in a corpus, with the evidence behind every count.

    Attributes
    ----------
    evidence : pandas.DataFrame
        One row per hit: :data:`EVIDENCE_COLUMNS` (``group`` holds the
        corpus' grouping value, e.g. the source type) and
        ``subject_in_sentence``.
    units : pandas.DataFrame
        One row per paragraph: ids, offsets, metadata, ``n_tokens`` and
        ``mentions_subject``.
    sentences : pandas.DataFrame
        One row per sentence: ``sentence_id, unit_id, doc_id, n_tokens,
        mentions_subject, text``.
    unit_frames : pandas.DataFrame
        Long table ``unit_id, frame, hits, carries`` for every paragraph and
        frame.
    codebook : Codebook
    preprocessor : str
    subject : str or None
    group_by : str or None
    """

    def __init__(self, *, evidence: pd.DataFrame, units: pd.DataFrame, sentences: pd.DataFrame, codebook: Codebook,
                 preprocessor: str, subject: str | None, group_by: str | None, corpus_hash: str) -> None:
        self.evidence = evidence
        self.units = units
        self.sentences = sentences
        self.codebook = codebook
        self.preprocessor = preprocessor
        self.subject = subject
        self.group_by = group_by
        self.corpus_hash = corpus_hash
        counts = evidence.groupby(["unit_id", "frame"]).size()
        grid = pd.MultiIndex.from_product([units["unit_id"], codebook.frame_ids], names=["unit_id", "frame"])
        uf = counts.reindex(grid, fill_value=0).rename("hits").reset_index()
        uf["carries"] = uf["hits"] > 0
        self.unit_frames = uf

    def __repr__(self) -> str:
        per = self.evidence["frame"].value_counts().reindex(self.codebook.frame_ids, fill_value=0)
        return (f"<FrameResult {len(self.evidence)} hits in {self.units.shape[0]} paragraphs; "
                f"{', '.join(f'{k}: {v}' for k, v in per.items())}; {self.codebook.version_id}, {self.preprocessor}>")

    def hits_matrix(self, scope: str = "all") -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
        """Per paragraph: hits per frame (units × frames), tokens, and the units.

        ``scope='paragraph'`` keeps the paragraphs that mention the subject;
        ``'sentence'`` counts only hits, and tokens, of sentences that mention
        it; ``'all'`` everything.
        """
        from .errors import check_option

        check_option("scope", scope, ("all", "paragraph", "sentence"))
        units = self.units
        frames = self.codebook.frame_ids
        ev = self.evidence
        tokens = units["n_tokens"].to_numpy(dtype=float)
        if scope == "sentence":
            ev = ev[ev["subject_in_sentence"]]
            s = self.sentences[self.sentences["mentions_subject"]]
            tokens = s.groupby("unit_id")["n_tokens"].sum().reindex(units["unit_id"], fill_value=0).to_numpy(dtype=float)
        counts = ev.groupby(["unit_id", "frame"]).size().unstack(fill_value=0)
        counts = counts.reindex(index=units["unit_id"], columns=frames, fill_value=0)
        hits = counts.to_numpy(dtype=float)
        if scope == "paragraph":
            keep = units["mentions_subject"].to_numpy()
            return hits[keep], tokens[keep], units[keep].reset_index(drop=True)
        if scope == "sentence":
            keep = tokens > 0
            return hits[keep], tokens[keep], units[keep].reset_index(drop=True)
        return hits, tokens, units

    def show(self, frame: str | None = None, group: str | None = None, n: int | None = 20) -> Concordance:
        """The evidence for one cell (frame × group), as an aligned concordance."""
        from .kwic import Concordance

        ev = self.evidence
        if frame is not None:
            if frame not in self.codebook.frame_ids:
                raise ArgumentError(f"frame {frame!r} is not in the codebook; frames are {', '.join(self.codebook.frame_ids)}")
            ev = ev[ev["frame"] == frame]
        if group is not None:
            groups = sorted(self.evidence["group"].dropna().unique())
            if group not in groups:
                raise ArgumentError(f"group {group!r} has no evidence; groups are {', '.join(map(str, groups))}")
            ev = ev[ev["group"] == group]
        if n is not None:
            ev = ev.head(n)
        rows = []
        for r in ev.itertuples():
            sent = self.sentences.loc[r.sentence_id]
            s0 = int(sent["start"])
            text = str(sent["text"])
            rows.append({
                "doc_id": r.doc_id, "group": r.group, "unit_id": r.unit_id, "start": r.start, "end": r.end,
                "left": " ".join(text[: r.start - s0].split()), "keyword": r.matched,
                "right": " ".join(text[r.end - s0:].split()), "term": f"{r.frame} ({r.indicator})",
            })
        out = Concordance(pd.DataFrame(rows, columns=["doc_id", "group", "unit_id", "start", "end", "left", "keyword", "right", "term"]))
        out.pattern = f"{frame or 'all frames'} / {group or 'all groups'}"
        return out


def detect_frames(
    corpus: Corpus,
    codebook: Codebook | str = "default",
    pre: Preprocessor | None = None,
    *,
    subject: str | None = "hong_kong",
    n_jobs: int | None = 1,
    cache: Any = None,
    dask_options: dict[str, Any] | None = None,
) -> FrameResult:
    """Find every frame of a codebook in a corpus, with evidence.

    Parameters
    ----------
    corpus : Corpus
    codebook : Codebook or str, default='default'
        A codebook, or a path for :func:`load_codebook` ('default': the
        bundled Hong Kong role codebook).
    pre : Preprocessor or None
        The token stream to match on. None uses :func:`frame_preprocessor`:
        the default preprocessing with stopwords kept, so that phrases such as
        "our country" or "America first" keep their function words, and rates
        are per running word.
    subject : str or None, default='hong_kong'
        The term whose mentions mark sentences and paragraphs as speaking of
        the subject (used by ``scope=`` in :func:`frame_salience`).
    n_jobs : int or None, default=1
        Processes tokenizing documents; the evidence is the same whatever
        the number.
    cache : TokenCache, str, Path or None
        A token cache shared with :func:`framing.dtm`.
    dask_options : dict or None
        For a Dask DataFrame ``corpus``: ``text``, ``doc_id``, ``group_by``,
        ``groups`` as for :meth:`Corpus.from_frame`.

    Returns
    -------
    FrameResult
    """
    from .corpus import Corpus
    from .dask_support import dask_detect_frames, is_dask_collection
    from .parallel import map_documents

    if not isinstance(codebook, Codebook):
        codebook = load_codebook(codebook)
    from .stream import CorpusScan

    if is_dask_collection(corpus):
        return dask_detect_frames(corpus, codebook, pre, subject=subject, **(dask_options or {}))
    if isinstance(corpus, CorpusScan):
        from .dask_support import _partition_frames, combine_frames

        opts = corpus.options
        parts = corpus.map_chunks(lambda c: _partition_frames(c, codebook, pre, subject, **opts))
        return combine_frames(parts, codebook, subject, opts["group_by"])
    if not isinstance(corpus, Corpus):
        raise ArgumentError(f"detect_frames expects a framing Corpus or a Dask DataFrame, got {type(corpus).__name__}")
    pre = frame_preprocessor() if pre is None else pre
    compiled = _Compiled(codebook, pre)
    group = corpus.group_by
    docs = list(corpus)
    precomputed: dict[str, list[Any]] | None = None
    if pre.learn_phrases or cache is not None:
        # learned phrases need the whole corpus; a cache is read up front
        from .dtm import _paragraph_spans

        para_spans, _ = _paragraph_spans(corpus, pre, n_jobs, cache)
        precomputed = {}
        for d, p, spans in para_spans:
            precomputed.setdefault(d, []).append((p, spans))
    scan = _document_scanner(pre, compiled, subject, group, precomputed)
    parts = map_documents(scan, docs, n_jobs)
    rows = [r for ev, _ in parts for r in ev]
    sentence_rows = [r for _, ss in parts for r in ss]
    evidence = pd.DataFrame(rows, columns=[*EVIDENCE_COLUMNS, "subject_in_sentence"])
    sentences = pd.DataFrame(sentence_rows, columns=["sentence_id", "unit_id", "doc_id", "n_tokens", "mentions_subject", "start", "end", "text"])
    sentences = sentences.set_index("sentence_id", drop=False)
    units = corpus.units("paragraph").drop(columns="text")
    per_para = sentences.groupby("unit_id").agg(n_tokens=("n_tokens", "sum"), mentions_subject=("mentions_subject", "any"))
    units = units.join(per_para, on="unit_id")
    units["n_tokens"] = units["n_tokens"].fillna(0).astype(int)
    units["mentions_subject"] = units["mentions_subject"].fillna(False).astype(bool)
    return FrameResult(evidence=evidence, units=units, sentences=sentences, codebook=codebook, preprocessor=pre.id,
                       subject=subject, group_by=group, corpus_hash=corpus.content_hash)


def _document_scanner(pre: Preprocessor, compiled: _Compiled, subject: str | None, group: str | None,
                      precomputed: dict[str, list[Any]] | None) -> Any:
    """A function from one document to its evidence rows and sentence rows.

    Sentences and their ids are those of ``corpus.units('sentence')``: each
    token belongs to the sentence of its paragraph that holds its start.
    """
    import bisect

    from .preprocess import _machine
    from .units import split_sentences

    machine = _machine(pre)

    def scan(doc: Any) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        text = doc.text
        gval = doc.meta.get(group) if group else None
        evidence: list[tuple[Any, ...]] = []
        sentences: list[tuple[Any, ...]] = []
        given = dict(precomputed[doc.doc_id]) if precomputed is not None else None
        s_index = 0
        for p_index, para in enumerate(doc.paragraphs):
            ptext = text[para.start:para.end]
            if given is not None:
                spans = given.get(p_index, [])
            else:
                spans = [(t, a + para.start, b + para.start) for t, a, b in machine.spans(ptext)]
            local = [(0, len(ptext))] if para.role != "body" else split_sentences(ptext)
            starts = [para.start + a for a, _ in local]
            buckets: list[list[tuple[str, int, int]]] = [[] for _ in local]
            for tok in spans:
                buckets[max(bisect.bisect_right(starts, tok[1]) - 1, 0)].append(tok)
            para_id = f"{doc.doc_id}/p{p_index:03d}"
            for (a, b), toks in zip(local, buckets):
                sid = f"{doc.doc_id}/p{p_index:03d}/s{s_index:03d}"
                s_index += 1
                terms = [t for t, _, _ in toks]
                has_subject = subject is not None and subject in terms
                stext = ptext[a:b]
                sentences.append((sid, para_id, doc.doc_id, len(terms), has_subject, para.start + a, para.start + b, stext))
                if not terms:
                    continue
                context = " ".join(stext.split())
                for h in compiled.match(terms):
                    x, y = toks[h.i][1], toks[h.j - 1][2]
                    evidence.append((doc.doc_id, gval, para_id, sid, h.frame, h.indicator, text[x:y], x, y, context, has_subject))
        return evidence, sentences

    return scan
