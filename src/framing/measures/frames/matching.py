"""Frame detection: codebook indicators matched on the token stream, with evidence.

Every hit is one row of evidence naming the document, paragraph and sentence,
the frame and indicator, the words matched and their character offsets, so
any number computed from frames leads back to the sentences behind it.

Matching runs sentence by sentence over a :class:`~framing.text.tokens.Tokens`
stream made with the codebook's own matching (:attr:`Codebook.preprocessor`),
so hits do not move when the preprocessing of keywords or topics does (see
:mod:`framing.measures.frames.matcher` for the compiled codebook). Every hit
carries its stance (:mod:`framing.measures.frames.stance`) and, for a frame
with sides, the side its sentence blames.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from framing.base.errors import ArgumentError, check_option
from framing.base.gcpause import without_gc
from framing.base.ids import paragraph_id
from framing.base.parallel import map_chunks, resolve_jobs, size_bounds
from framing.corpus.model import Corpus
from framing.corpus.partitioned import as_partitioned, map_combined
from framing.measures.frames.codebook import Codebook, load_codebook
from framing.measures.frames.matcher import CompiledCodebook, Hit, as_terms, describe_text, detect_text, frame_preprocessor
from framing.measures.frames.stance import STANCES
from framing.measures.keywords.kwic import Concordance
from framing.text.preprocess import Preprocessor
from framing.text.tokens import Tokens, tokens

__all__ = ["detect_frames", "detect_text", "describe_text", "frame_preprocessor", "FrameResult", "Hit",
           "EVIDENCE_COLUMNS", "SENTENCE_COLUMNS", "subject_terms", "Subject"]

EVIDENCE_COLUMNS = [
    "doc_id", "group", "unit_id", "sentence_id", "frame", "indicator", "matched", "start", "end", "context",
    "stance", "cue", "side",
]
SENTENCE_COLUMNS = ["sentence_id", "unit_id", "doc_id", "n_tokens", "mentions_subject", "subject_via", "start", "end",
                    "text"]


@dataclass(frozen=True)
class Subject:
    """The subject of a study under all its names.

    Parameters
    ----------
    aliases : tuple of str
        Names that mark a sentence as speaking of the subject anywhere: terms
        of the token stream (``'hong_kong'``) or phrases (``'the HKSAR
        Government'``).
    anaphora : tuple of str
        References that count only inside a document that names the subject
        by an alias at least once ("the city", "the SAR"): in a document
        about Hong Kong, "the city" is Hong Kong; elsewhere it may not be.
    label : str
        How tables and figures name the subject.

    Examples
    --------
    >>> Subject(("hong_kong", "HKSAR"), anaphora=("the city",), label="Hong Kong").names
    ('hong_kong', 'HKSAR', 'the city')
    """

    aliases: tuple[str, ...]
    anaphora: tuple[str, ...] = ()
    label: str = ""

    def __post_init__(self) -> None:
        for field_name in ("aliases", "anaphora"):
            value = getattr(self, field_name)
            value = (value,) if isinstance(value, str) else tuple(value)
            object.__setattr__(self, field_name, value)
        if not self.aliases:
            raise ArgumentError("Subject needs at least one alias (the subject's name)")

    @property
    def names(self) -> tuple[str, ...]:
        return (*self.aliases, *self.anaphora)

    @classmethod
    def coerce(cls, value: Any) -> Subject | None:
        """A Subject from a term, a list of aliases, a mapping ``{aliases, anaphora, label}`` or a Subject."""
        if value is None or isinstance(value, Subject):
            return value
        if isinstance(value, str):
            return cls((value,))
        if isinstance(value, dict):
            bad = sorted(set(value) - {"aliases", "anaphora", "label"})
            if bad:
                raise ArgumentError(f"subject: unknown key(s) {', '.join(bad)}; keys are aliases, anaphora, label")
            return cls(tuple(value.get("aliases") or ()), tuple(value.get("anaphora") or ()), str(value.get("label") or ""))
        if isinstance(value, (list, tuple)):
            return cls(tuple(value))
        raise ArgumentError(f"subject must be a term, a list of aliases or a Subject, got {type(value).__name__}")


def _count_hits(evidence: pd.DataFrame, unit_ids: pd.Series, frames: Sequence[str]) -> np.ndarray:
    """Hits of each unit (rows, in the order of ``unit_ids``) and frame (columns): evidence rows counted."""
    rows = pd.Index(unit_ids).get_indexer(evidence["unit_id"].astype(object))
    cols = pd.Index(list(frames)).get_indexer(evidence["frame"].astype(object))
    ok = (rows >= 0) & (cols >= 0)
    flat = np.bincount(rows[ok] * len(frames) + cols[ok], minlength=len(unit_ids) * len(frames))
    return flat.reshape(len(unit_ids), len(frames)).astype(np.int64)


class FrameResult:
    """The frames found in a corpus, with the evidence behind every count.

    Attributes
    ----------
    evidence : pandas.DataFrame
        One row per hit: :data:`EVIDENCE_COLUMNS` (``group`` holds the
        corpus' grouping value, e.g. the source type; ``stance`` one of
        ``affirmed, negated, past, hypothetical, attributed`` with the
        ``cue`` that decided it; ``side`` the side a two-sided frame's
        sentence blames, ``both``, ``none``, or ``''`` for a one-sided frame)
        and ``subject_in_sentence``.
    units : pandas.DataFrame
        One row per paragraph: ids, offsets, metadata, ``n_tokens`` and
        ``mentions_subject``.
    sentences : pandas.DataFrame
        One row per sentence: ``sentence_id, unit_id, doc_id, n_tokens,
        mentions_subject, subject_via, text`` (``subject_via``: the subject's
        names found in the sentence, ``|``-separated).
    unit_frames : pandas.DataFrame
        Long table ``unit_id, frame, hits, carries`` for every paragraph and
        frame.
    codebook : Codebook
    preprocessor : str
    subject : Subject or None
    group_by : str or None
    headings : bool
        Whether headings and titles were matched and count as units
        (:func:`detect_frames`).
    """

    def __init__(self, *, evidence: pd.DataFrame, units: pd.DataFrame, sentences: pd.DataFrame, codebook: Codebook,
                 preprocessor: str, subject: Subject | None, group_by: str | None, corpus_hash: str,
                 headings: bool = False) -> None:
        fields = dict(evidence=evidence, units=units, sentences=sentences, codebook=codebook, preprocessor=preprocessor,
                      subject=subject, group_by=group_by, corpus_hash=corpus_hash, headings=headings, _unit_frames=None)
        for k, v in fields.items():
            object.__setattr__(self, k, v)

    @property
    def unit_frames(self) -> pd.DataFrame:
        """``unit_id, frame, hits, carries`` for every paragraph and frame (made on first use)."""
        if self._unit_frames is None:
            units, frames = self.units["unit_id"], self.codebook.frame_ids
            counts = _count_hits(self.evidence, units, frames)
            uf = pd.DataFrame({"unit_id": np.repeat(units.to_numpy(), len(frames)),
                               "frame": np.tile(np.asarray(frames, dtype=object), len(units)),
                               "hits": counts.ravel()})
            uf["carries"] = uf["hits"] > 0
            object.__setattr__(self, "_unit_frames", uf)
        return self._unit_frames

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"FrameResult is immutable; cannot set {name!r} (build a new one)")

    @classmethod
    def concat(cls, parts: Sequence[FrameResult], *, corpus_hash: str) -> FrameResult:
        """One result from the results of disjoint parts of a corpus, in order.

        The parts must share the codebook, preprocessor, subject and grouping.
        """
        parts = list(parts)
        if not parts:
            raise ArgumentError("concat: no parts")
        first = parts[0]
        for p in parts[1:]:
            if (p.codebook.version_id, p.preprocessor, p.subject, p.group_by, p.headings) != (
                first.codebook.version_id, first.preprocessor, first.subject, first.group_by, first.headings
            ):
                raise ArgumentError("concat: the parts were made with different codebooks, preprocessors, subjects or groupings")
        evidence = _concat_categorical([p.evidence for p in parts], (*CATEGORICAL_EVIDENCE, "context"))
        return cls(
            evidence=evidence,
            units=pd.concat([p.units for p in parts], ignore_index=True),
            sentences=_concat_categorical([p.sentences for p in parts], CATEGORICAL_SENTENCES, keep_index=True),
            codebook=first.codebook, preprocessor=first.preprocessor, subject=first.subject,
            group_by=first.group_by, corpus_hash=corpus_hash, headings=first.headings,
        )

    def __repr__(self) -> str:
        per = self.evidence["frame"].value_counts().reindex(self.codebook.frame_ids, fill_value=0)
        return (f"<FrameResult {len(self.evidence)} hits in {self.units.shape[0]} paragraphs; "
                f"{', '.join(f'{k}: {v}' for k, v in per.items())}; {self.codebook.version_id}, {self.preprocessor}>")

    def hits_matrix(self, scope: str = "all", stance: str | Sequence[str] | None = None,
                    ) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
        """Per paragraph: hits per frame (units × frames), tokens, and the units.

        ``scope='paragraph'`` keeps the paragraphs that mention the subject;
        ``'sentence'`` counts only hits, and tokens, of sentences that mention
        it; ``'all'`` everything. ``stance``: count only hits of that stance
        (or those stances), e.g. ``'affirmed'``.
        """
        check_option("scope", scope, ("all", "paragraph", "sentence"))
        units = self.units
        frames = self.codebook.frame_ids
        ev = self.evidence
        if not self.headings:  # headings name a topic; they are not units that argue a frame
            units = units[~units["is_heading"].to_numpy(dtype=bool)].reset_index(drop=True)
        if stance is not None:
            wanted = [stance] if isinstance(stance, str) else list(stance)
            for st in wanted:
                check_option("stance", st, STANCES)
            ev = ev[ev["stance"].isin(wanted)]
        tokens = units["n_tokens"].to_numpy(dtype=float)
        if scope == "sentence":
            ev = ev[ev["subject_in_sentence"]]
            s = self.sentences[self.sentences["mentions_subject"]]
            tokens = s.groupby("unit_id")["n_tokens"].sum().reindex(units["unit_id"], fill_value=0).to_numpy(dtype=float)
        hits = _count_hits(ev, units["unit_id"], frames).astype(float)
        if scope == "paragraph":
            keep = units["mentions_subject"].to_numpy()
            return hits[keep], tokens[keep], units[keep].reset_index(drop=True)
        if scope == "sentence":
            keep = tokens > 0
            return hits[keep], tokens[keep], units[keep].reset_index(drop=True)
        return hits, tokens, units

    def subject_coverage(self) -> pd.DataFrame:
        """How many paragraphs each of the subject's names brings in, per group.

        One row per name and group: ``name, kind`` (alias or anaphor),
        ``group, units`` (paragraphs where the name marks a sentence),
        ``units_added`` (paragraphs marked by this name and by no name listed
        before it) and ``share_added`` (of the group's paragraphs), so the
        choice of aliases and anaphora can be argued from what each adds.
        """
        subject = self.subject
        if subject is None:
            raise ArgumentError("subject_coverage: the frames were detected without subject=")
        s = self.sentences
        units = self.units
        gcol = self.group_by
        group_of = dict(zip(units["unit_id"], units[gcol].astype(str) if gcol else ["all"] * len(units)))
        n_units = pd.Series(group_of).value_counts()
        found: dict[str, set[str]] = {name: set() for name in subject.names}
        for uid, via in zip(s["unit_id"], s["subject_via"]):
            for name in filter(None, str(via).split("|")):
                found[name].add(uid)
        rows, seen = [], set()
        for name in subject.names:
            kind = "alias" if name in subject.aliases else "anaphor"
            added = found[name] - seen
            seen |= found[name]
            for g in n_units.index:
                u = sum(1 for x in found[name] if group_of[x] == g)
                a = sum(1 for x in added if group_of[x] == g)
                rows.append((name, kind, g, u, a, a / n_units[g]))
        return pd.DataFrame(rows, columns=["name", "kind", "group", "units", "units_added", "share_added"])

    def show(self, frame: str | None = None, group: str | None = None, n: int | None = 20) -> Concordance:
        """The evidence for one cell (frame × group), as an aligned concordance."""
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


def subject_terms(subject: str | Sequence[str] | None, pre: Preprocessor) -> list[tuple[str, ...]]:
    """The term sequences that mark a sentence as speaking of the subject.

    Each alias is a term of the token stream (``'hong_kong'``) or a phrase
    preprocessed like the text (``'Hong Kong SAR'``, ``'the SAR'``).

    >>> from framing import Preprocessor
    >>> subject_terms(["hong_kong", "the HKSAR Government"], Preprocessor(stopwords=None))
    [('hong_kong',), ('the', 'hksar', 'government')]
    """
    if subject is None:
        return []
    if isinstance(subject, Subject):
        subject = list(subject.names)
    aliases = [subject] if isinstance(subject, str) else list(subject)
    out: list[tuple[str, ...]] = []
    for alias in aliases:
        if not isinstance(alias, str) or not alias.strip():
            raise ArgumentError(f"subject alias {alias!r} must be a non-empty string")
        seq = tuple(as_terms(alias, pre))
        if not seq:
            raise ArgumentError(f"subject alias {alias!r} leaves no term after preprocessing ({pre.id})")
        out.append(seq)
    return out


def _names_in(terms: list[str], seqs: list[tuple[str, ...]], present: set[str]) -> list[int]:
    """Indices of the name sequences found in a sentence's terms."""
    out = []
    for n, seq in enumerate(seqs):
        if seq[0] not in present:
            continue
        k = len(seq)
        if k == 1 or any(tuple(terms[i:i + k]) == seq for i in range(len(terms) - k + 1)):
            out.append(n)
    return out


#: Characters of text matched at a time by one process (about 1.2 million tokens): a corpus larger than this
#: is matched a chunk of whole documents at a time and the parts combined, as a scan's are, so its token
#: stream (Python tuples, some 100 bytes a token) is never held whole.
CHUNK_CHARACTERS = 8_000_000


@without_gc
def detect_frames(
    corpus: Corpus | Tokens | Any,
    codebook: Codebook | str = "default",
    pre: Preprocessor | None = None,
    *,
    subject: str | Sequence[str] | Subject | dict[str, Any] | None = None,
    matching: str = "codebook",
    headings: bool = False,
    n_jobs: int | None = 1,
    cache: Any = None,
    dask_options: dict[str, Any] | None = None,
) -> FrameResult:
    """Find every frame of a codebook in a corpus, with evidence.

    Parameters
    ----------
    corpus : Corpus, Tokens or PartitionedCorpus
        A corpus; its tokens (used as they are when made with the matching
        preprocessor, else the corpus is tokenized again with it); or a
        corpus read in partitions (:class:`framing.CorpusScan`,
        :class:`framing.DaskCorpus`), whose results are combined exactly.
    codebook : Codebook or str, default='default'
        A codebook, or a path for :func:`load_codebook` ('default': the
        bundled example codebook).
    pre : Preprocessor or None
        Used only with ``matching='preprocessor'``: the token stream to
        match on instead of the codebook's own.
    subject : str, list of str, Subject, mapping or None, default=None
        The subject of the study: a term (``'hong_kong'``), a list of
        aliases (terms or phrases, see :func:`subject_terms`), or a
        :class:`Subject` with anaphora that count inside documents naming
        it. Sentences and paragraphs that speak of it are marked
        (``mentions_subject``, ``subject_in_sentence``, ``subject_via``),
        for ``scope=`` in :func:`frame_salience`. None marks none.
    matching : {'codebook', 'preprocessor'}, default='codebook'
        ``'codebook'``: indicators meet the text as the codebook declares
        (:attr:`Codebook.preprocessor`: lemmas, its multiword vocabulary,
        every word kept), whatever preprocessing the analysis uses, so the
        same hits come out of every keyword or topic setting.
        ``'preprocessor'``: match on ``pre`` (or on the tokens given), for a
        study of what matching choices do.
    headings : bool, default=False
        Match headings and titles too, and count them as units. By default
        they are left out, as in :func:`coding_sheet`: a heading names a
        topic ("Geopolitics at play"), it does not argue a frame's problem,
        cause, evaluation or remedy.
    n_jobs : int or None, default=1
        Processes tokenizing documents; the evidence is the same whatever
        the number.
    cache : TokenCache, str, Path or None
        A token cache shared with :func:`framing.dtm`.
    dask_options : dict or None
        Deprecated: wrap the Dask DataFrame in :class:`framing.DaskCorpus`.

    Returns
    -------
    FrameResult
    """
    if not isinstance(codebook, Codebook):
        codebook = load_codebook(codebook)
    check_option("matching", matching, ("codebook", "preprocessor"))
    subject = Subject.coerce(subject)
    if matching == "codebook":
        pre = codebook.preprocessor
    if isinstance(corpus, Tokens):
        if pre is None or corpus.pre == pre:
            return _match(tokens(corpus, pre), codebook, subject, headings)
        corpus = corpus.corpus
    partitioned = as_partitioned(corpus, dask_options)
    if partitioned is not None:
        fn = partial(detect_frames, codebook=codebook, pre=pre, subject=subject, matching=matching, headings=headings,
                     n_jobs=n_jobs, cache=cache)
        parts, corpus_hash = map_combined(partitioned, fn)
        return FrameResult.concat(parts, corpus_hash=corpus_hash)
    if not isinstance(corpus, Corpus):
        raise ArgumentError(
            f"detect_frames expects a framing Corpus, Tokens, a CorpusScan or a DaskCorpus, got {type(corpus).__name__}"
        )
    pre = frame_preprocessor() if pre is None else pre
    docs = list(corpus)
    if cache is None:
        # Contiguous chunks of whole documents, each matched on its own and combined as a scan's parts
        # are: over several processes (every step, matching and stance included, in the workers; each
        # chunk compiles and builds its tables once), or in this one when the corpus is large, so that
        # its token stream is never held whole.
        fn = partial(_frames_of_chunk, corpus.name, corpus.group_by, codebook, pre, subject, headings)
        if resolve_jobs(n_jobs) > 1:
            parts = map_chunks(fn, docs, n_jobs, per_job=2)
        else:
            bounds = size_bounds([len(d.text) for d in docs], CHUNK_CHARACTERS)
            parts = [fn(docs[a:b]) for a, b in zip(bounds[:-1], bounds[1:])] if len(bounds) > 2 else []
        if parts:
            return parts[0] if len(parts) == 1 else FrameResult.concat(parts, corpus_hash=corpus.content_hash)
    return _match(tokens(corpus, pre, n_jobs=n_jobs, cache=cache), codebook, subject, headings)


@without_gc  # in a worker process, as in this one
def _frames_of_chunk(name: str, group_by: str | None, codebook: Codebook, pre: Preprocessor, subject: Subject | None,
                     headings: bool, docs: Sequence[Any]) -> FrameResult:
    """The frames of some documents of a corpus, as a worker of ``detect_frames(n_jobs=...)`` finds them."""
    return _match(tokens(Corpus(docs, name=name, group_by=group_by), pre), codebook, subject, headings)


def _contexts(values: np.ndarray) -> pd.Categorical:
    """The ``context`` column: categorical over the sentences in order of first hit, so a sentence
    with many hits is stored once (a string column would copy it for every hit)."""
    return pd.Categorical(values, categories=pd.Index(pd.unique(values), dtype=object))


#: Evidence columns stored as categoricals: ids and surface forms repeated over many hits (a
#: corpus of 200 MB has over a million hits), so each hit costs a small integer code instead of
#: its own copy of the string. Their categories are sorted, so they sort as strings do. The
#: columns a study orders by a list of its own (group, frame, stance, side) stay strings: a
#: categorical would sort by its categories whatever the mapping.
CATEGORICAL_EVIDENCE = ("doc_id", "unit_id", "indicator", "matched", "cue")
#: The same for the sentence table: its ids repeat for every sentence of a paragraph.
CATEGORICAL_SENTENCES = ("unit_id", "doc_id", "subject_via")


def _evidence_frame(rows: list[tuple[Any, ...]], contexts: list[str]) -> pd.DataFrame:
    """The evidence table from rows whose ``context`` is an index into ``contexts``."""
    ev = pd.DataFrame(rows, columns=[*EVIDENCE_COLUMNS, "subject_in_sentence"])
    codes = ev["context"].to_numpy(dtype=np.int64) if len(ev) else np.zeros(0, dtype=np.int64)
    ev["context"] = _contexts(np.asarray(contexts, dtype=object)[codes])
    for col in CATEGORICAL_EVIDENCE:
        ev[col] = pd.Categorical(ev[col].to_numpy(dtype=object))
    ev["subject_in_sentence"] = ev["subject_in_sentence"].astype(bool)
    return ev


def _concat_categorical(tables: list[pd.DataFrame], categorical: Sequence[str], keep_index: bool = False) -> pd.DataFrame:
    """Tables of disjoint parts stacked, categorical columns merged without a detour through strings."""
    plain = [c for c in tables[0].columns if c not in categorical]
    out = pd.concat([t[plain] for t in tables], ignore_index=not keep_index)
    for col in categorical:
        pieces = [pd.Categorical(t[col]) for t in tables]
        try:  # sorted like a categorical built at once; context keeps the order of first hit
            merged = union_categoricals(pieces, sort_categories=col != "context")
        except (TypeError, ValueError):  # categories of different types (e.g. a group column of mixed values)
            merged = pd.Categorical(np.concatenate([p.to_numpy(dtype=object) for p in pieces]))
        # categories typed as a categorical built at once would type them (object for context)
        categories = pd.Index(list(merged.categories), dtype=object if col == "context" else None)
        out[col] = pd.Categorical.from_codes(merged.codes, dtype=pd.CategoricalDtype(categories))  # type: ignore[call-overload]
    return out[list(tables[0].columns)]


def _sentence_table(units: dict[str, list[Any]], n_tokens: list[int], mentions: list[bool], via: list[str]) -> pd.DataFrame:
    """:data:`SENTENCE_COLUMNS`, one row per sentence, indexed by sentence id: its ids, offsets and text from
    ``units`` (columns of ``corpus.units('sentence')`` as lists), its tokens and the subject's names found in it."""
    if not units["unit_id"]:  # no sentence: the columns of an empty table, as rows would make it
        return pd.DataFrame([], columns=SENTENCE_COLUMNS).set_index("sentence_id", drop=False)
    table = pd.DataFrame({
        "sentence_id": units["unit_id"],
        "unit_id": [paragraph_id(d, p) for d, p in zip(units["doc_id"], units["paragraph"])],
        "doc_id": units["doc_id"], "n_tokens": n_tokens, "mentions_subject": mentions, "subject_via": via,
        "start": units["start"], "end": units["end"], "text": units["text"],
    }, columns=SENTENCE_COLUMNS)
    return table.set_index("sentence_id", drop=False)


def _match(toks: Tokens, codebook: Codebook, subject: Subject | None, headings: bool = False) -> FrameResult:
    """Evidence and sentence rows of a token stream (sentence ids of ``corpus.units('sentence')``)."""
    corpus = toks.corpus
    compiled = CompiledCodebook(codebook, toks.pre)
    seqs = subject_terms(subject, toks.pre)
    names = list(subject.names) if subject is not None else []
    n_alias = len(subject.aliases) if subject is not None else 0
    stance = codebook.stance
    group = corpus.group_by
    sents = corpus.units("sentence")
    evidence: list[tuple[Any, ...]] = []
    contexts: dict[str, int] = {}  # each sentence's text once, however many hits it holds
    doc_text = {d.doc_id: d.text for d in corpus}
    gvals = {d.doc_id: (d.meta.get(group) if group else None) for d in corpus}
    sent_columns = {c: sents[c].tolist() for c in ("unit_id", "doc_id", "paragraph", "start", "end", "text")}
    columns = zip(*(sent_columns[c] for c in ("unit_id", "doc_id", "paragraph", "start", "text")))
    paras = corpus.units("paragraph")
    heading_keys = set() if headings else set(zip(paras.loc[paras["is_heading"], "doc_id"], paras.loc[paras["is_heading"], "paragraph"]))
    n_tokens: list[int] = []  # per sentence
    vias: dict[int, list[str]] = {}  # sentence row -> the subject's names found in it, until we know its document names it
    named_docs: set[str] = set()
    for row, ((sid, doc_id, p, start, stext), spans) in enumerate(zip(columns, toks.sentences())):
        terms = [t for t, _, _ in spans]
        n_tokens.append(len(terms))
        present = set(terms) if seqs else None  # made when needed: most sentences of a corpus hold no hit
        via = [names[k] for k in _names_in(terms, seqs, present)] if present is not None else []
        if via:
            vias[row] = via
            if any(names.index(v) < n_alias for v in via):
                named_docs.add(doc_id)
        if not terms or (heading_keys and (doc_id, p) in heading_keys):
            continue
        found = compiled.match(terms)
        if not found:
            continue
        if present is None:
            present = set(terms)
        text = doc_text[doc_id]
        para_id = paragraph_id(doc_id, p)
        context = contexts.setdefault(" ".join(stext.split()), len(contexts))
        prepared = stance.prepare(stext)
        s0 = int(start)
        for h in found:
            x, y = spans[h.i][1], spans[h.j - 1][2]
            st, cue = stance.classify(stext, x - s0, y - s0, prepared)
            evidence.append([doc_id, gvals[doc_id], para_id, sid, h.frame, h.indicator, text[x:y], x, y, context,
                             st, cue, compiled.side(h.frame, present), via])
    # an anaphor ("the city") speaks of the subject only in a document that names it by an alias
    alias_set = set(names[:n_alias])
    via_text, mentions = [""] * len(n_tokens), [False] * len(n_tokens)
    for row, via in vias.items():
        kept = [v for v in via if v in alias_set or sent_columns["doc_id"][row] in named_docs]
        via_text[row], mentions[row] = "|".join(kept), bool(kept)
    for row in evidence:
        row[-1] = any(v in alias_set or row[0] in named_docs for v in row[-1])
    ev = _evidence_frame([tuple(r) for r in evidence], list(contexts))
    sentences = _sentence_table(sent_columns, n_tokens, mentions, via_text)
    for col in CATEGORICAL_SENTENCES:
        sentences[col] = pd.Categorical(sentences[col].to_numpy(dtype=object))
    units = paras.drop(columns="text")
    per_para = sentences.groupby("unit_id").agg(n_tokens=("n_tokens", "sum"), mentions_subject=("mentions_subject", "any"))
    units = units.join(per_para, on="unit_id")
    units["n_tokens"] = units["n_tokens"].fillna(0).astype(int)
    units["mentions_subject"] = units["mentions_subject"].fillna(False).astype(bool)
    return FrameResult(evidence=ev, units=units, sentences=sentences, codebook=codebook, preprocessor=toks.preprocessor,
                       subject=subject, group_by=group, corpus_hash=toks.corpus_hash, headings=headings)
