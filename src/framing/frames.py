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


class _Compiled:
    """A codebook compiled for one preprocessor and one vocabulary."""

    def __init__(self, codebook: Codebook, pre: Preprocessor, vocab: set[str]) -> None:
        self.frames = codebook.frame_ids
        self.trigger: dict[str, list[tuple[int, Indicator, list[frozenset[str]], bool]]] = {}
        self.context: dict[Indicator, tuple[list[frozenset[str]], list[frozenset[str]], list[frozenset[str]]]] = {}
        for fi, frame in enumerate(codebook.frames):
            for ind, excl in [(i, False) for i in frame.indicators] + [(i, True) for i in frame.exclude]:
                seq = self._sequence(ind, pre, vocab)
                if not seq or not seq[0]:
                    continue
                for first in seq[0]:
                    self.trigger.setdefault(first, []).append((fi, ind, seq[1:], excl))
                if ind.has_context:
                    self.context[ind] = tuple(  # type: ignore[assignment]
                        [self._expand(e, vocab) for e in entries]
                        for entries in (ind.context_any, ind.context_all, ind.context_none)
                    )

    @staticmethod
    def _expand(entry: str, vocab: set[str]) -> frozenset[str]:
        if any(c in entry for c in "*?["):
            return frozenset(t for t in vocab if fnmatch.fnmatchcase(t, entry))
        return frozenset({entry})

    def _sequence(self, ind: Indicator, pre: Preprocessor, vocab: set[str]) -> list[frozenset[str]]:
        if ind.kind in ("term", "phrase"):
            return [frozenset({t}) for t in _terms_of(ind, pre)]
        if ind.kind == "glob":
            return [self._expand(part.lower(), vocab) for part in ind.value.split()]
        rx = re.compile(ind.value, re.IGNORECASE)
        return [frozenset(t for t in vocab if rx.search(t))]

    def _context_ok(self, ind: Indicator, present: set[str]) -> bool:
        any_, all_, none_ = self.context[ind]
        if any_ and not any(e & present for e in any_):
            return False
        if all_ and not all(e & present for e in all_):
            return False
        return not any(e & present for e in none_)

    def match(self, terms: list[str]) -> list[Hit]:
        """Hits in one sentence: exclusions applied, no overlap within a frame."""
        trigger = self.trigger
        found: list[tuple[int, Indicator, int, int]] = []
        excluded: list[tuple[int, int, int]] = []
        present: set[str] | None = None
        n = len(terms)
        for i in [k for k, t in enumerate(terms) if t in trigger]:
            for fi, ind, rest, excl in trigger[terms[i]]:
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
    vocab = {t for t, _, _ in spans}
    compiled = _Compiled(codebook, pre, vocab)
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
    from .collocations import sentence_tokens
    from .corpus import Corpus

    from .dask_support import dask_detect_frames, is_dask_collection

    if not isinstance(codebook, Codebook):
        codebook = load_codebook(codebook)
    if is_dask_collection(corpus):
        return dask_detect_frames(corpus, codebook, pre, subject=subject, **(dask_options or {}))
    if not isinstance(corpus, Corpus):
        raise ArgumentError(f"detect_frames expects a framing Corpus or a Dask DataFrame, got {type(corpus).__name__}")
    pre = frame_preprocessor() if pre is None else pre
    sents = sentence_tokens(corpus, pre, n_jobs, cache)
    vocab = {t for toks in sents["tokens"] for t, _, _ in toks}
    compiled = _Compiled(codebook, pre, vocab)
    group = corpus.group_by
    texts = {d.doc_id: d.text for d in corpus}
    rows: list[tuple[Any, ...]] = []
    sentence_rows = []
    for r in sents.itertuples():
        terms = [t for t, _, _ in r.tokens]
        para_id = f"{r.doc_id}/p{int(r.paragraph):03d}"
        has_subject = subject is not None and subject in terms
        text = texts[r.doc_id][r.start:r.end]
        sentence_rows.append((r.unit_id, para_id, r.doc_id, len(terms), has_subject, int(r.start), int(r.end), text))
        if not terms:
            continue
        context = " ".join(text.split())
        gval = getattr(r, group) if group else None
        for h in compiled.match(terms):
            a, b = r.tokens[h.i][1], r.tokens[h.j - 1][2]
            rows.append((r.doc_id, gval, para_id, r.unit_id, h.frame, h.indicator,
                         texts[r.doc_id][a:b], a, b, context, has_subject))
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

