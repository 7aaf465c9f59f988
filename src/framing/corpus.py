"""The corpus: documents, their metadata, and the audit of how they were cleaned.

A :class:`Corpus` is immutable. Its documents' clean texts are derived from raw
files by declared rules (see :mod:`framing.cleaning`), and every later object
(units, tokens, document-term matrices, measures) points back into those texts
by character offsets.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from ._yaml import YamlProblem, item_lines, load_yaml
from .cleaning import CleanResult, Paragraph, apply_rules
from .errors import ArgumentError, CorpusError, check_option

if TYPE_CHECKING:  # pragma: no cover
    from .preprocess import Preprocessor

__all__ = ["Document", "Corpus", "load_corpus", "bundled_corpus_path", "UnitKind"]

UnitKind = Literal["document", "paragraph", "sentence"]
UNIT_KINDS: tuple[str, ...] = ("document", "paragraph", "sentence")

#: Column names the toolkit adds to unit tables; metadata may not use them.
RESERVED = frozenset(
    {"text", "unit_id", "unit", "index", "paragraph", "sentence", "start", "end", "role", "is_heading", "cleaning"}
)
_DOC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_PRECISIONS = ("day", "month", "year")
_FIRST_COLUMNS = (
    "doc_id", "source_type", "outlet", "publisher", "title", "author", "date", "date_precision",
    "date_start", "date_end", "year", "url", "republished_by", "raw_file", "language",
)


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


def bundled_corpus_path() -> Path:
    """Folder of the bundled Hong Kong corpus (its ``manifest.yaml`` and raw files)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_corpus", here.parent.parent / "corpus"):
        if (candidate / "manifest.yaml").is_file():
            return candidate
    raise CorpusError(
        f"the bundled corpus was not found (looked in {here / '_corpus'} and {here.parent.parent / 'corpus'})"
    )


# --------------------------------------------------------------------------- reading files


def _read_utf8(path: Path, label: str) -> str:
    """Read a file as UTF-8 (a leading byte-order mark is dropped)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{label}: cannot be read ({exc.strerror or exc})") from None
    if b"\x00" in data[:8192]:
        raise CorpusError(f"{label}: looks like a binary file (it holds NUL bytes), not UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CorpusError(
            f"{label}:{line}: bytes are not UTF-8 (byte {data[exc.start]:#04x} at offset {exc.start}); "
            "save the file as UTF-8"
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def _split_lines(text: str) -> list[str]:
    """Split on ``\\n`` only, so line numbers agree with ``cat -n``."""
    return [ln.rstrip("\r") for ln in text.split("\n")]


def _front_matter(text: str, label: str) -> tuple[dict[str, Any], int]:
    """Return (front matter, first line after it). Files without it give ({}, 1)."""
    lines = _split_lines(text)
    if not lines or lines[0].strip() != "---":
        return {}, 1
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            block = "\n".join(lines[1:i])
            try:
                data, _ = load_yaml(block)
            except YamlProblem as exc:
                where = f"{label}:{exc.line + 1}" if exc.line else label
                raise CorpusError(f"{where}: malformed front matter: {exc.message}") from None
            if data is None:
                data = {}
            if not isinstance(data, dict):
                raise CorpusError(f"{label}:2: front matter must be a mapping of field: value, got {type(data).__name__}")
            return data, i + 2
    raise CorpusError(f"{label}:1: front matter opened with '---' is never closed")


# --------------------------------------------------------------------------- metadata checks


def _iso(value: Any) -> Any:
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10]
    return value


def _date_bounds(date: str) -> tuple[str, str]:
    """First and last day covered by an ISO 8601 date, month, year or interval."""

    def first_last(part: str) -> tuple[_dt.date, _dt.date]:
        if not _DATE.match(part):
            raise ValueError(part)
        bits = [int(b) for b in part.split("-")]
        if len(bits) == 3:
            d = _dt.date(*bits)
            return d, d
        if len(bits) == 2:
            start = _dt.date(bits[0], bits[1], 1)
            nxt = _dt.date(bits[0] + (bits[1] == 12), bits[1] % 12 + 1, 1)
            return start, nxt - _dt.timedelta(days=1)
        return _dt.date(bits[0], 1, 1), _dt.date(bits[0], 12, 31)

    parts = date.split("/")
    if len(parts) > 2:
        raise ValueError(date)
    start = first_last(parts[0])[0]
    end = first_last(parts[-1])[1]
    if end < start:
        raise ValueError(date)
    return start.isoformat(), end.isoformat()


def _check_meta(
    doc_id: Any,
    meta: dict[str, Any],
    where: str,
    required: Sequence[str],
    group_by: str | None,
    groups: Sequence[str] | None,
) -> list[str]:
    problems: list[str] = []
    if not isinstance(doc_id, str) or not _DOC_ID.match(doc_id):
        problems.append(
            f"{where}: doc_id {doc_id!r} must be a non-empty string of letters, digits, '_', '-' or '.'"
        )
    name = f"document {doc_id!r}"
    for key in required:
        if key == "doc_id":
            continue
        if meta.get(key) in (None, ""):
            problems.append(f"{where}: {name}: missing required field {key!r}")
    bad = sorted(RESERVED & set(meta))
    if bad:
        problems.append(f"{where}: {name}: field name(s) {', '.join(bad)} are reserved by the toolkit")
    if group_by and groups is not None and meta.get(group_by) not in (None, ""):
        if meta[group_by] not in groups:
            problems.append(
                f"{where}: {name}: {group_by} {meta[group_by]!r} is not one of {', '.join(groups)}"
            )
    if meta.get("date") not in (None, ""):
        try:
            _date_bounds(str(meta["date"]))
        except ValueError:
            problems.append(
                f"{where}: {name}: date {meta['date']!r} is not ISO 8601 (YYYY, YYYY-MM, YYYY-MM-DD or an interval A/B)"
            )
    if meta.get("date_precision") not in (None, "") and meta["date_precision"] not in _PRECISIONS:
        problems.append(f"{where}: {name}: date_precision {meta['date_precision']!r} is not one of {', '.join(_PRECISIONS)}")
    return problems


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
        self._documents = tuple(documents)
        self._by_id = {d.doc_id: d for d in self._documents}
        if len(self._by_id) != len(self._documents):
            raise CorpusError("duplicate doc_id in documents")
        self.name = name
        self.group_by = group_by
        self._audit = audit
        self._cache: dict[Any, Any] = {}

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
            first = [c for c in _FIRST_COLUMNS if c in frame.columns]
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
        from .cleaning import format_lines

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
            self._cache["hash"] = combine_digests((d.doc_id, document_digest(d)) for d in self._documents)
        return self._cache["hash"]

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
            sentence, start, end, role, is_heading, text`` and the document's
            metadata. ``start``/``end`` are character offsets into the
            document's clean text, so ``doc.text[start:end] == text``;
            ``index`` counts units within the document from 0. Sentences never
            cross a paragraph boundary; a heading is one sentence.
        """
        from .units import unit_table

        check_option("unit", unit, UNIT_KINDS)
        key = ("units", unit)
        if key not in self._cache:
            self._cache[key] = unit_table(self, unit)
        return self._cache[key].copy()

    def summary(self, by: str | None = None, pre: Preprocessor | None = None) -> pd.DataFrame:
        """Size of each document, or of each group of documents.

        Parameters
        ----------
        by : str or None
            A metadata column to sum over (e.g. ``'source_type'``). None gives
            one row per document.
        pre : Preprocessor or None
            How tokens are counted. None counts running words: the default
            tokenizer with no stopwords removed, no normalisation and no
            multiword expressions.

        Returns
        -------
        pandas.DataFrame
            Per document: ``doc_id``, the grouping column if the corpus has one,
            ``paragraphs, headings, sentences, tokens, types, preprocessor``.
            With ``by``: the group column, ``documents, paragraphs, headings,
            sentences, tokens, types, preprocessor`` (types are counted over the
            whole group, not summed).
        """
        from .dtm import dtm as make_dtm
        from .preprocess import Preprocessor

        if pre is None:
            pre = Preprocessor(stopwords=None, normalize=None, phrases=None)
        paras = self.units("paragraph")
        sents = self.units("sentence")
        m = make_dtm(self, pre, unit="document")
        counts = m.matrix
        base = self.meta
        keep = ["doc_id"] + ([self.group_by] if self.group_by and self.group_by in base else [])
        out = base[keep].copy()
        out["paragraphs"] = paras.groupby("doc_id").size().reindex(out["doc_id"]).to_numpy()
        out["headings"] = paras[paras["is_heading"]].groupby("doc_id").size().reindex(out["doc_id"]).fillna(0).astype(int).to_numpy()
        out["sentences"] = sents.groupby("doc_id").size().reindex(out["doc_id"]).to_numpy()
        out["tokens"] = counts.sum(axis=1).A1.astype(int)
        out["types"] = (counts > 0).sum(axis=1).A1.astype(int)
        out["preprocessor"] = pre.id
        if by is None:
            return out
        if by not in base.columns:
            raise ArgumentError(f"by={by!r} is not a metadata column; columns are {', '.join(base.columns)}")
        grouped = m.group(by)
        g = out.assign(**{by: base[by].to_numpy()}).groupby(by, sort=False)
        res = pd.DataFrame({by: list(g.groups)})
        res["documents"] = g.size().to_numpy()
        for col in ("paragraphs", "headings", "sentences", "tokens"):
            res[col] = g[col].sum().to_numpy()
        types = (grouped.matrix > 0).sum(axis=1).A1.astype(int)
        res["types"] = pd.Series(types, index=grouped.units[by]).reindex(res[by]).to_numpy()
        res["preprocessor"] = pre.id
        return res

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
    ) -> Corpus:
        """Build a corpus from any table: one row per document.

        Parameters
        ----------
        df : pandas.DataFrame
        text : str, default='text'
            The column holding each document's text. Paragraphs are separated
            by blank lines.
        doc_id : str, default='doc_id'
            The column holding unique document ids.
        group_by : str or None
            A metadata column to use as the corpus' default grouping.
        groups : sequence of str or None
            If given, the values ``group_by`` may take.
        name : str, default='corpus'

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
            meta = {str(c): _iso(rec[c]) for c in meta_cols}
            meta = {k: (None if (not isinstance(v, (list, dict, str)) and pd.isna(v)) else v) for k, v in meta.items()}
            meta_problems = _check_meta(did, meta, where, (), group_by, groups)
            problems += meta_problems
            if isinstance(did, str) and did in seen:
                problems.append(f"{where}: duplicate doc_id {did!r} (first at row {seen[did]})")
            elif isinstance(did, str):
                seen[did] = row_no
            body = rec[text]
            if not isinstance(body, str):
                problems.append(f"{where}: document {did!r}: text is {type(body).__name__}, not a string")
                continue
            if body.startswith("\ufeff"):
                body = body[1:]
            result = apply_rules(_split_lines(body), None, where=where, default_paragraphs="blank_line")
            if not any(p.role == "body" for p in result.paragraphs):
                problems.append(f"{where}: document {did!r}: empty body (no text after cleaning)")
                continue
            if meta_problems:
                continue
            documents.append(Document(str(did), result.text, result.paragraphs, MappingProxyType(_with_dates(meta)), where))
        if problems:
            raise CorpusError(problems)
        return cls(documents, name=name, group_by=group_by)


def _with_dates(meta: dict[str, Any]) -> dict[str, Any]:
    """Add ``date_start``, ``date_end`` and ``year`` derived from ``date``."""
    meta = {k: _iso(v) for k, v in meta.items()}
    if meta.get("date") not in (None, ""):
        meta["date"] = str(meta["date"])
        start, end = _date_bounds(meta["date"])
        meta.setdefault("date_start", start)
        meta.setdefault("date_end", end)
        meta.setdefault("year", int(start[:4]) if start[:4] == end[:4] else None)
    return meta


# --------------------------------------------------------------------------- loading folders


def _is_doc_file(p: Path) -> bool:
    return p.suffix.lower() in (".md", ".txt") and not p.name.lower().startswith("readme")


TABLE_SUFFIXES = (".csv", ".parquet", ".pq", ".jsonl", ".ndjson")


def read_table(path: str | Path) -> pd.DataFrame:
    """A CSV, Parquet or JSON Lines table, with a clear error for anything else."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return pd.read_csv(path)
        if suffix in (".parquet", ".pq"):
            return pd.read_parquet(path)
        if suffix in (".jsonl", ".ndjson"):
            return pd.read_json(path, lines=True)
    except (OSError, ValueError, ImportError) as exc:
        raise CorpusError(f"{path}: cannot be read as a table ({exc})") from None
    raise CorpusError(f"{path}: not a corpus folder, nor a .csv, .parquet or .jsonl table")


def load_corpus(
    path: str | Path | None = None,
    *,
    groups: Sequence[str] | None = None,
    required: Sequence[str] | None = None,
    text: str = "text",
    doc_id: str = "doc_id",
    group_by: str | None = None,
) -> Corpus:
    """Load a corpus folder, or the bundled Hong Kong corpus.

    A folder may hold a ``manifest.yaml`` (corpus settings, documents with
    metadata, their raw files and cleaning rules) and any number of ``.txt`` or
    ``.md`` documents, each with optional YAML front matter (metadata and
    cleaning rules; ``doc_id`` defaults to the file name). Files named
    ``README*`` and files under ``raw/`` folders are not documents themselves:
    raw files enter the corpus through the manifest.

    Parameters
    ----------
    path : str, Path or None
        The folder, or a CSV / Parquet / JSON Lines table with one row per
        document (read with :meth:`Corpus.from_frame`). None loads the
        bundled corpus.
    groups : sequence of str or None
        The values the grouping column may take; overrides the manifest's
        ``corpus.source_types`` (or ``corpus.groups``).
    required : sequence of str or None
        Metadata fields every document must have; overrides the manifest's
        ``corpus.required``.
    text, doc_id, group_by : str
        For a table: its text and id columns and its grouping column.

    Returns
    -------
    Corpus

    Raises
    ------
    CorpusError
        Listing every problem found, each naming its file and line: a missing
        required field, an unknown group, a duplicate ``doc_id``, an empty
        body, bytes that are not UTF-8, malformed front matter, a cleaning rule
        that does not fit its file, a raw file whose checksum changed or that
        lies outside the folder.

    Notes
    -----
    The corpus folder is only read, never written.
    """
    root = bundled_corpus_path() if path is None else Path(path)
    if root.is_file() and root.suffix.lower() in TABLE_SUFFIXES:
        return Corpus.from_frame(read_table(root), text=text, doc_id=doc_id, group_by=group_by, groups=groups, name=root.stem)
    if not root.exists():
        raise CorpusError(f"{root}: no such corpus folder")
    if not root.is_dir():
        raise CorpusError(f"{root}: not a folder (give the folder that holds the documents)")
    root_resolved = root.resolve()
    label_root = root if path is not None else Path("corpus")

    problems: list[str] = []
    specs: list[tuple[str, dict[str, Any], CleanResult | None, str, str | None]] = []
    settings: dict[str, Any] = {}
    referenced: set[Path] = set()
    raw_cache: dict[Path, list[str]] = {}
    audit_rows: list[dict[str, Any]] = []

    manifest = root / "manifest.yaml"
    if manifest.is_file():
        mlabel = str(label_root / "manifest.yaml")
        try:
            data, node = load_yaml(_read_utf8(manifest, mlabel))
        except YamlProblem as exc:
            raise CorpusError(f"{mlabel}:{exc.line or 1}: malformed manifest: {exc.message}") from None
        if not isinstance(data, dict):
            raise CorpusError(f"{mlabel}:1: the manifest must be a mapping with 'corpus' and 'documents'")
        unknown = sorted(set(data) - {"manifest_version", "corpus", "documents", "raw_files"})
        if unknown:
            problems.append(f"{mlabel}: unknown top-level key(s) {', '.join(unknown)}")
        settings = data.get("corpus") or {}
        if not isinstance(settings, dict):
            problems.append(f"{mlabel}: 'corpus' must be a mapping of settings")
            settings = {}
        checksums = data.get("raw_files") or {}
        docs = data.get("documents") or []
        if not isinstance(docs, list):
            raise CorpusError(f"{mlabel}: 'documents' must be a list")
        lines_of = item_lines(node, "documents")
        for i, entry in enumerate(docs):
            where = f"{mlabel}:{lines_of[i] if i < len(lines_of) else '?'}"
            if not isinstance(entry, dict):
                problems.append(f"{where}: each document must be a mapping of field: value")
                continue
            entry = dict(entry)
            did = entry.pop("doc_id", None)
            rules = entry.pop("cleaning", None)
            raw = entry.get("raw_file")
            if not isinstance(raw, str) or not raw:
                problems.append(f"{where}: document {did!r}: missing required field 'raw_file'")
                specs.append((did, entry, None, where, None))
                continue
            raw_path = (root / raw).resolve()
            if root_resolved not in raw_path.parents:
                problems.append(f"{where}: document {did!r}: raw_file {raw!r} lies outside the corpus folder")
                specs.append((did, entry, None, where, None))
                continue
            referenced.add(raw_path)
            if raw_path not in raw_cache:
                try:
                    raw_text = _read_utf8(raw_path, str(label_root / raw))
                except CorpusError as exc:
                    problems.extend(exc.problems)
                    specs.append((did, entry, None, where, None))
                    continue
                expected = checksums.get(raw)
                if expected is not None:
                    actual = hashlib.sha256(raw_path.read_bytes()).hexdigest()
                    if actual != expected:
                        problems.append(
                            f"{label_root / raw}: sha256 {actual[:12]}... does not match the manifest's {str(expected)[:12]}...; "
                            "raw files are immutable: add a new file instead of editing one"
                        )
                raw_cache[raw_path] = _split_lines(raw_text)
            result = apply_rules(raw_cache[raw_path], rules, where=f"{where} (document {did!r}, {raw})")
            specs.append((did, entry, result, where, raw))

    for file in sorted(p for p in root.rglob("*") if p.is_file() and _is_doc_file(p)):
        rel = file.relative_to(root)
        if file.resolve() in referenced or "raw" in rel.parts[:-1] or any(part.startswith(".") for part in rel.parts):
            continue
        label = str(label_root / rel)
        try:
            text = _read_utf8(file, label)
            fm, first = _front_matter(text, label)
        except CorpusError as exc:
            problems.extend(exc.problems)
            continue
        fm = dict(fm)
        fm.setdefault("raw_file", rel.as_posix())
        did = fm.pop("doc_id", file.stem)
        rules = fm.pop("cleaning", None)
        result = apply_rules(
            _split_lines(text), rules, where=label, first_line=first,
            default_paragraphs="blank_line", default_markdown=file.suffix.lower() == ".md",
        )
        specs.append((did, fm, result, f"{label}:1", str(rel)))

    group_by = settings.get("group_by")
    if groups is None:
        groups = settings.get("source_types") if group_by == "source_type" else settings.get("groups")
    if required is None:
        required = settings.get("required") or ()
    if group_by and group_by not in required and groups is not None:
        required = (*required, group_by)

    documents: list[Document] = []
    seen: dict[str, str] = {}
    for did, meta, result, where, raw in specs:
        meta = {k: _iso(v) for k, v in meta.items()}
        meta_problems = _check_meta(did, meta, where, list(required), group_by, groups)
        problems += meta_problems
        if isinstance(did, str):
            if did in seen:
                problems.append(f"{where}: duplicate doc_id {did!r} (also at {seen[did]})")
            else:
                seen[did] = where
        if result is None or meta_problems:
            if result is not None:
                problems += list(result.problems)
            continue
        problems += list(result.problems)
        if result.problems:
            continue
        if not any(p.role == "body" for p in result.paragraphs):
            problems.append(f"{where}: document {did!r}: empty body (no text left after cleaning)")
            continue
        if isinstance(did, str):
            for row in result.audit:
                audit_rows.append({"doc_id": did, "raw_file": raw, **row})
            documents.append(Document(did, result.text, result.paragraphs, MappingProxyType(_with_dates(meta)), where))
    if not specs and not problems:
        problems.append(f"{label_root}: no documents (no manifest.yaml and no .txt or .md files)")
    if problems:
        raise CorpusError(problems)
    audit = pd.DataFrame(audit_rows, columns=["doc_id", "raw_file", "line", "action", "reason", "text"])
    return Corpus(documents, name=str(settings.get("name") or root.name), group_by=group_by, audit=audit)
