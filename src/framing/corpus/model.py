"""The corpus: documents, their metadata, and the audit of how they were cleaned.

A :class:`Corpus` is immutable. Its documents' clean texts are derived from raw
files by declared rules (see :mod:`framing.corpus.cleaning`), and every later object
(units, tokens, document-term matrices, measures) points back into those texts
by character offsets. Readers of folders and tables live in
:mod:`framing.corpus.readers`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

import pandas as pd

from framing.base.deprecation import warn_once
from framing.base.errors import ArgumentError, CorpusError, check_option
from framing.corpus.cleaning import Paragraph, apply_rules, check_paragraphs, check_speakers, format_lines, split_lines
from framing.corpus.metadata import FIRST_COLUMNS, check_meta, iso_value, with_dates
from framing.corpus.units import unit_table

__all__ = ["Document", "Corpus", "UnitKind", "UNIT_KINDS", "document_digest", "combine_digests", "unsplit_documents",
           "unsplit_note"]

UnitKind = Literal["document", "paragraph", "sentence"]
UNIT_KINDS: tuple[str, ...] = ("document", "paragraph", "sentence")

@dataclass(frozen=True)
class Document:
    """One document: its clean text, its paragraphs and its metadata.

    Attributes
    ----------
    doc_id : str
    text : str
        The clean analysis text; paragraphs are separated by a blank line.
    paragraphs : tuple of Paragraph
        With offsets into ``text`` and their role (title, heading, dek, body).
    meta : Mapping
        Metadata (everything but ``doc_id`` and the text).
    source : str
        The file (and line) the document was read from, for messages.
    """

    doc_id: str
    text: str
    paragraphs: tuple[Paragraph, ...]
    meta: Mapping[str, Any] = field(default_factory=dict)
    source: str = ""


def document_digest(doc: Document) -> str:
    """sha256 of a document's id, text and metadata."""
    return hashlib.sha256(json.dumps([doc.doc_id, doc.text, dict(doc.meta)], sort_keys=True, default=str).encode()).hexdigest()


def combine_digests(pairs: Iterable[tuple[str, str]]) -> str:
    """A corpus hash from ``(doc_id, digest)`` pairs in any order (so partitions can be hashed apart)."""
    h = hashlib.sha256()
    for doc_id, digest in sorted(pairs):
        h.update(f"{doc_id}\0{digest}\n".encode())
    return h.hexdigest()



# --------------------------------------------------------------------------- the corpus


class Corpus:
    """An immutable collection of documents with metadata.

    Build one with :func:`load_corpus` (a folder, or the bundled corpus) or
    :meth:`Corpus.from_frame` (any table with a text and an id column).

    Parameters
    ----------
    documents : sequence of Document
    name : str, default='corpus'
    group_by : str or None
        The corpus' grouping column (``'source_type'`` for the bundled corpus),
        used when a measure is called without ``by=``.
    audit : pandas.DataFrame or None
        The cleaning audit, one row per non-blank raw line.

    Examples
    --------
    >>> import framing as fr
    >>> corpus = fr.load_corpus()
    >>> len(corpus)
    6
    >>> sorted(corpus.docs["source_type"].unique())
    ['academic', 'commentary', 'official', 'press']
    """

    def __init__(
        self,
        documents: Sequence[Document],
        *,
        name: str = "corpus",
        group_by: str | None = None,
        audit: pd.DataFrame | None = None,
    ) -> None:
        documents = tuple(documents)
        by_id = {d.doc_id: d for d in documents}
        if len(by_id) != len(documents):
            raise CorpusError("duplicate doc_id in documents")
        fields = dict(_documents=documents, _by_id=by_id, name=name, group_by=group_by, _audit=audit, _cache={})
        for k, v in fields.items():
            object.__setattr__(self, k, v)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Corpus is immutable; cannot set {name!r} (build a new one, e.g. with Corpus.from_frame)")

    # -- basic access -------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._documents)

    def __iter__(self) -> Iterator[Document]:
        return iter(self._documents)

    def __getitem__(self, doc_id: str) -> Document:
        try:
            return self._by_id[doc_id]
        except KeyError:
            raise ArgumentError(f"no document {doc_id!r} in {self.name}; doc_ids are {', '.join(self._by_id)}") from None

    def __repr__(self) -> str:
        groups = ""
        if self.group_by:
            counts = self.docs[self.group_by].value_counts(sort=False)
            groups = ", " + ", ".join(f"{k}: {v}" for k, v in counts.items())
        return f"<Corpus {self.name!r}: {len(self)} documents{groups}>"

    @property
    def doc_ids(self) -> list[str]:
        """The documents' ids, in corpus order."""
        return [d.doc_id for d in self._documents]

    @property
    def docs(self) -> pd.DataFrame:
        """One row per document: ``doc_id``, the metadata, and ``text`` last."""
        if "docs" not in self._cache:
            rows = [{"doc_id": d.doc_id, **d.meta} for d in self._documents]
            frame = pd.DataFrame(rows)
            first = [c for c in FIRST_COLUMNS if c in frame.columns]
            rest = [c for c in frame.columns if c not in first]
            frame = frame[first + rest]
            frame["text"] = [d.text for d in self._documents]
            self._cache["docs"] = frame
        return self._cache["docs"].copy()

    @property
    def meta(self) -> pd.DataFrame:
        """The document metadata without the text."""
        return self.docs.drop(columns="text")

    @property
    def cleaning(self) -> pd.DataFrame:
        """The cleaning audit: ``doc_id, raw_file, line, action, reason, text``.

        One row per non-blank raw line that a document's rules looked at:
        ``action`` is ``title``, ``heading``, ``dek``, ``body``, ``dropped``
        (cut by a rule, with its reason) or ``outside`` (beyond the
        document's declared lines, e.g. the other document of a shared raw
        file).
        Empty for corpora built from a table.
        """
        if self._audit is None:
            return pd.DataFrame(columns=["doc_id", "raw_file", "line", "action", "reason", "text"])
        return self._audit.copy()

    def cleaning_report(self) -> pd.DataFrame:
        """The cleaning audit summarised: what was cut from each document, and why.

        Returns
        -------
        pandas.DataFrame
            ``doc_id, raw_file, reason, lines, n_lines, example``: one row per
            document and reason for dropped lines (``lines`` compact, e.g.
            ``"L20, L58, L180-L189"``; ``example`` the first dropped line,
            shortened). Lines outside a document's range (another document of
            the same raw file) are not listed.
        """
        audit = self.cleaning
        dropped = audit[audit["action"] == "dropped"]
        rows = []
        for (doc_id, raw, reason), g in dropped.groupby(["doc_id", "raw_file", "reason"], sort=False):
            example = str(g["text"].iloc[0])
            rows.append((doc_id, raw, reason, format_lines(g["line"].tolist()), len(g),
                         example if len(example) <= 70 else example[:67] + "..."))
        return pd.DataFrame(rows, columns=["doc_id", "raw_file", "reason", "lines", "n_lines", "example"])

    @property
    def content_hash(self) -> str:
        """sha256 over every document's id, text and metadata (stable across runs)."""
        if "hash" not in self._cache:
            self._cache["hash"] = combine_digests(self.digests())
        return self._cache["hash"]

    def digests(self) -> list[tuple[str, str]]:
        """``(doc_id, sha256)`` of every document; :attr:`content_hash` combines them in any order."""
        return [(d.doc_id, document_digest(d)) for d in self._documents]

    # -- units ----------------------------------------------------------------------
    def units(self, unit: UnitKind = "paragraph") -> pd.DataFrame:
        """The corpus cut into documents, paragraphs or sentences.

        Parameters
        ----------
        unit : {'document', 'paragraph', 'sentence'}, default='paragraph'

        Returns
        -------
        pandas.DataFrame
            One row per unit with ``unit_id, doc_id, unit, index, paragraph,
            sentence, start, end, role, is_heading, speaker, text`` and the document's
            metadata. ``start``/``end`` are character offsets into the
            document's clean text, so ``doc.text[start:end] == text``;
            ``index`` counts units within the document from 0. Sentences never
            cross a paragraph boundary; a heading is one sentence.
        """
        check_option("unit", unit, UNIT_KINDS)
        key = ("units", unit)
        if key not in self._cache:
            self._cache[key] = unit_table(self, unit)
        return self._cache[key].copy()

    def summary(self, by: str | None = None, pre: Any = None) -> pd.DataFrame:
        """Deprecated: use :func:`framing.summary` (``fr.summary(corpus, by=...)``)."""
        from framing.text.summary import summary  # deprecated shim: the one upward import (ARCHITECTURE.md)

        warn_once("Corpus.summary", "Corpus.summary() is deprecated; use fr.summary(corpus, by=..., pre=...)")
        return summary(self, by=by, pre=pre)

    # -- construction -------------------------------------------------------------
    @classmethod
    def from_frame(
        cls,
        df: pd.DataFrame,
        text: str = "text",
        doc_id: str = "doc_id",
        *,
        group_by: str | None = None,
        groups: Sequence[str] | None = None,
        name: str = "corpus",
        paragraphs: Literal["auto", "blank_line", "line"] | str = "auto",
        speakers: bool | str | None = None,
    ) -> Corpus:
        """Build a corpus from any table: one row per document.

        Parameters
        ----------
        df : pandas.DataFrame
        text : str, default='text'
            The column holding each document's text.
        doc_id : str, default='doc_id'
            The column holding unique document ids.
        group_by : str or None
            A metadata column to use as the corpus' default grouping.
        groups : sequence of str or None
            If given, the values ``group_by`` may take.
        name : str, default='corpus'
        paragraphs : {'auto', 'blank_line', 'line'} or str, default='auto'
            How the texts mark paragraphs: ``'blank_line'``, paragraphs are
            separated by blank lines (single line breaks are wrapping);
            ``'line'``, every line is a paragraph (transcripts, exports);
            ``'auto'``, per document: blank lines where the text has any
            between two lines of text, else every line; a regular
            expression: a line in which it is found starts a paragraph and
            the lines after it continue it (turns of a transcript that run
            over several lines: ``r"^(Q|A):"``).
        speakers : bool, str or None, default=None
            Speaker turns: True reads labels such as "Q:", "A:", "Mr Lee:"
            at the start of a line (:data:`framing.corpus.cleaning.SPEAKER_PATTERN`);
            a regular expression whose first group is the label reads
            others. A labelled line starts a paragraph, the label becomes
            the paragraph's ``speaker`` (a column of :meth:`units`) and is
            kept out of the text; unlabelled paragraphs continue the last
            speaker. None reads no turns.

        Returns
        -------
        Corpus
            Every other column becomes document metadata.

        Raises
        ------
        CorpusError
            Naming the row, for a missing column, a duplicate or invalid id, an
            empty or non-string text, or a value of ``group_by`` not in ``groups``.
        """
        if not isinstance(df, pd.DataFrame):
            raise ArgumentError(f"from_frame expects a pandas DataFrame, got {type(df).__name__}")
        paragraphs = check_paragraphs(paragraphs)
        check_speakers(speakers)
        if len(df) == 0:
            raise CorpusError("from_frame: the table holds no documents (no rows)")
        missing = [c for c in (text, doc_id) if c not in df.columns]
        if group_by is not None and group_by not in df.columns:
            missing.append(group_by)
        if missing:
            raise CorpusError(
                f"from_frame: column(s) {', '.join(map(repr, missing))} not in the table; "
                f"its columns are {', '.join(map(str, df.columns))}"
            )
        meta_cols = [c for c in df.columns if c not in (text, doc_id)]
        problems: list[str] = []
        documents: list[Document] = []
        seen: dict[str, int] = {}
        for row_no, row in enumerate(df.itertuples(index=False, name=None)):
            rec = dict(zip(df.columns, row))
            did = rec[doc_id]
            where = f"from_frame row {row_no}"
            meta = {str(c): iso_value(rec[c]) for c in meta_cols}
            meta = {k: (None if (not isinstance(v, (list, dict, str)) and pd.isna(v)) else v) for k, v in meta.items()}
            meta_problems = check_meta(did, meta, where, (), group_by, groups)
            problems += meta_problems
            if isinstance(did, str) and did in seen:
                problems.append(f"{where}: duplicate doc_id {did!r} (first at row {seen[did]})")
            elif isinstance(did, str):
                seen[did] = row_no
            body = rec[text]
            if not isinstance(body, str):
                what = "missing (an empty cell)" if body is None or (isinstance(body, float) and body != body) else (
                    f"{type(body).__name__}, not a string")
                problems.append(f"{where}: document {did!r}: text is {what}")
                continue
            if body.startswith("\ufeff"):
                body = body[1:]
            result = apply_rules(split_lines(body), None, where=where, default_paragraphs=paragraphs,
                                  default_speakers=speakers)
            if not any(p.role == "body" for p in result.paragraphs):
                problems.append(f"{where}: document {did!r}: empty body (no text after cleaning)")
                continue
            if meta_problems:
                continue
            documents.append(Document(str(did), result.text, result.paragraphs, MappingProxyType(with_dates(meta)), where))
        if problems:
            raise CorpusError(problems)
        return cls(documents, name=name, group_by=group_by)




def unsplit_documents(corpus: Corpus) -> list[str]:
    """Documents whose body is one paragraph although that paragraph has line breaks.

    They were read with ``paragraphs='blank_line'`` (asked for, or declared
    in their cleaning rules) from a text that separates its paragraphs, or
    its speakers' turns, by single line breaks: every paragraph measure is a
    document measure there. ``paragraphs='line'`` or a regular expression
    splits them.
    """
    out = []
    for doc in corpus:
        body = [p for p in doc.paragraphs if p.role == "body"]
        if len(body) == 1 and "\n" in doc.text[body[0].start:body[0].end]:
            out.append(doc.doc_id)
    return out


def unsplit_note(corpus: Corpus) -> str | None:
    """One sentence about :func:`unsplit_documents`, or None when there are none."""
    ids = unsplit_documents(corpus)
    if not ids:
        return None
    shown = ", ".join(ids[:3]) + (", ..." if len(ids) > 3 else "")
    return (f"{len(ids)} of {len(corpus)} documents are one paragraph although their text has line breaks ({shown}): "
            "paragraph measures are document measures there; read them with paragraphs='line' (or a regular "
            "expression that marks the line starting a paragraph) if their lines are paragraphs or turns")
