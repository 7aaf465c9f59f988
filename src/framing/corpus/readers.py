"""Reading corpora: folders of front-matter files, manifests with cleaning rules, and tables."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import pandas as pd

from framing.base.datafile import YamlProblem, item_lines, load_yaml, read_text
from framing.base.errors import CorpusError
from framing.corpus.cleaning import CleanResult, apply_rules, split_lines
from framing.corpus.formats import (
    EXTRACTED_SUFFIXES,
    READER_FIELDS,
    TEXT_SUFFIXES,
    Extracted,
    SkippedFilesWarning,
    extract_document,
    skip_reason,
)
from framing.corpus.metadata import check_meta, iso_value, with_dates
from framing.corpus.model import Corpus, Document

__all__ = ["load_corpus", "bundled_corpus_path", "read_table", "TABLE_SUFFIXES", "front_matter"]


def bundled_corpus_path() -> Path:
    """Folder of the bundled Hong Kong corpus (its ``manifest.yaml`` and raw files)."""
    here = Path(__file__).resolve().parents[1]  # the framing package
    for candidate in (here / "_corpus", here.parent.parent / "corpus"):
        if (candidate / "manifest.yaml").is_file():
            return candidate
    raise CorpusError(
        f"the bundled corpus was not found (looked in {here / '_corpus'} and {here.parent.parent / 'corpus'})"
    )




def front_matter(text: str, label: str) -> tuple[dict[str, Any], int]:
    """Return (front matter, first line after it). Files without it give ({}, 1)."""
    lines = split_lines(text)
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


# --------------------------------------------------------------------------- loading folders


#: Folders whose files are not documents of a folder corpus: raw files enter through the manifest; coded samples.
_SKIPPED_FOLDERS = frozenset({"raw", "coding"})


def _folder_files(root: Path) -> list[Path]:
    """The files of a corpus folder that may be documents, sidecars or files to report as skipped, sorted by path.

    The tree is walked with an explicit stack, so a folder nested a thousand
    deep is no deeper a call than a flat one. Not entered: folders named
    ``raw`` or ``coding`` and hidden folders (``.git``), and links to folders
    (a link to a file is listed; :func:`load_corpus` refuses a document that
    points outside ``root``). ``README*`` files and hidden files are left out. A
    folder one may not read is passed over, as :meth:`Path.rglob` does; one
    that cannot be read for another reason (a path too long) is an error.
    """
    found: list[Path] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except PermissionError:
            continue
        except OSError as exc:
            raise CorpusError(f"{folder}: the folder cannot be read ({exc.strerror or exc})") from None
        for entry in listed:
            if entry.name.startswith("."):
                continue
            path = folder / entry.name
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_folder:
                if entry.name not in _SKIPPED_FOLDERS:
                    stack.append(path)
            elif not entry.name.lower().startswith("readme") and path.is_file():
                found.append(path)
    return sorted(found)


_SIDECAR_SUFFIXES = (".yaml", ".yml")


def _sidecars(root: Path, files: list[Path], referenced: set[Path],
              label_root: Path) -> tuple[dict[Path, Path], dict[Path, str], list[str]]:
    """Match each ``.yaml`` file of the folder to the HTML, PDF or Word file it describes.

    ``report.pdf.yaml`` belongs to ``report.pdf``; ``report.yaml`` to the one
    HTML, PDF or Word file named ``report.*`` beside it. Returns (document ->
    sidecar, unmatched file -> why it is skipped, problems).
    """
    names = set(files)
    extracted = [f for f in files if f.suffix.lower() in EXTRACTED_SUFFIXES]
    owned: dict[Path, list[Path]] = {}
    unmatched: dict[Path, str] = {}
    problems: list[str] = []
    for side in files:
        if (side.suffix.lower() not in _SIDECAR_SUFFIXES or side == root / "manifest.yaml"
                or side.resolve() in referenced):
            continue
        base = side.parent / side.stem
        if base in names and base.suffix.lower() in EXTRACTED_SUFFIXES:
            owners = [base]
        else:
            owners = [f for f in extracted if f.parent == side.parent and f.stem == side.stem]
        if len(owners) > 1:
            shown = " or ".join(o.name for o in owners)
            problems.append(f"{label_root / side.relative_to(root)}: could be the sidecar of {shown}; name it "
                            f"{owners[0].name}{side.suffix} (the document's full name, then {side.suffix})")
        elif owners and owners[0].resolve() in referenced:
            unmatched[side] = (f"describes {owners[0].name}, which the manifest lists: its metadata goes in the "
                               "manifest's entry")
        elif owners:
            owned.setdefault(owners[0], []).append(side)
        else:
            unmatched[side] = skip_reason(side) or "not a document"
    for doc, sides in owned.items():
        if len(sides) > 1:
            problems.append(f"{label_root / doc.relative_to(root)}: {len(sides)} sidecars "
                            f"({', '.join(s.name for s in sides)}); keep one")
    return {doc: sides[0] for doc, sides in owned.items() if len(sides) == 1}, unmatched, problems


def _read_sidecar(path: Path, label: str) -> dict[str, Any]:
    """A sidecar's metadata (and ``doc_id``, ``cleaning``), as front matter is read."""
    try:
        data, _ = load_yaml(read_text(path, error=CorpusError, label=label))
    except YamlProblem as exc:
        raise CorpusError(f"{label}:{exc.line or 1}: malformed sidecar: {exc.message}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise CorpusError(f"{label}:1: a sidecar must be a mapping of field: value, got {type(data).__name__}")
    return data


def _dropped_lines(drops: Any) -> set[int]:
    """The line numbers a ``cleaning.drop`` list names (badly written entries are left to apply_rules to report)."""
    out: set[int] = set()
    for entry in drops if isinstance(drops, list) else []:
        lines = entry.get("lines") if isinstance(entry, dict) else None
        for item in lines if isinstance(lines, list) else [lines]:
            if isinstance(item, int) and not isinstance(item, bool):
                out.add(item)
            elif isinstance(item, str) and item.replace("-", "").replace(" ", "").isdigit():
                first, _, last = item.partition("-")
                out.update(range(int(first), int(last or first) + 1))
    return out


def _extracted_result(ex: Extracted, rules: Any, *, where: str, speakers: Any = None) -> CleanResult:
    """apply_rules on an extracted text: the reader's title, headings and deks are rules unless the document's
    own rules give them; each line's note (page, joined hyphen) goes into its audit reason."""
    if isinstance(rules, dict) or rules is None:
        rules = dict(rules or {})
        dropped = _dropped_lines(rules.get("drop"))
        body = rules.get("body")
        inside = (lambda n: body[0] <= n <= body[1]) if (
            isinstance(body, list) and len(body) == 2 and all(isinstance(b, int) for b in body)) else (lambda n: True)
        found = {"title": [ex.title] if ex.title else [], "headings": list(ex.headings), "dek": list(ex.deks)}
        for key, lines in found.items():
            lines = [n for n in lines if n not in dropped and (key == "title" or inside(n))]
            if key not in rules and lines:
                rules[key] = lines
    result = apply_rules(split_lines(ex.text), rules, where=where, default_paragraphs="blank_line",
                         default_speakers=speakers)
    if not ex.notes:
        return result
    audit = []
    for row in result.audit:
        note = ex.notes.get(row["line"])
        if note and row["action"] != "dropped":
            row = {**row, "reason": note if row["reason"] == "kept" else f"{row['reason']}; {note}"}
        audit.append(row)
    return dataclasses.replace(result, audit=tuple(audit))


def _with_extracted(extracted: Mapping[str, Any], given: dict[str, Any], where: str,
                    problems: list[str]) -> dict[str, Any]:
    """Extracted metadata under the sidecar's or manifest's (which win; a given ``date`` replaces the extracted
    date, precision and basis); the reader's own fields may not be given."""
    meta = dict(extracted)
    if "date" in given:
        for key in ("date", "date_precision", "date_basis"):
            meta.pop(key, None)
    clash = [k for k in READER_FIELDS if k in given]
    if clash:
        verb, it = ("is", "it") if len(clash) == 1 else ("are", "them")
        problems.append(f"{where}: {', '.join(clash)} {verb} recorded by the reader; leave {it} out")
    meta.update({k: v for k, v in given.items() if k not in READER_FIELDS})
    return meta


TABLE_SUFFIXES = (".csv", ".parquet", ".pq", ".jsonl", ".ndjson")


#: Cells read as missing in a CSV metadata column (pandas' defaults); in the text column only an empty cell
#: is missing, so a text that reads "NA" or "null" stays a text.
MISSING_CELLS = ("", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>",
                 "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null")


def read_table(path: str | Path, *, id_column: str = "doc_id", text_column: str = "text") -> pd.DataFrame:
    """A CSV, Parquet or JSON Lines table, with a clear error for anything else.

    Ids are read as text (``001`` stays ``001``); in a CSV the text column
    is missing only where a cell is empty.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise CorpusError(f"{path}: not a corpus folder, nor a .csv, .parquet or .jsonl table")
    try:
        if suffix == ".csv":
            header = pd.read_csv(path, nrows=0).columns
            na = {c: ([""] if c == text_column else list(MISSING_CELLS)) for c in header}
            table = pd.read_csv(path, dtype={c: str for c in (id_column, text_column) if c in header},
                                keep_default_na=False, na_values=na)
        elif suffix in (".parquet", ".pq"):
            table = pd.read_parquet(path)
        else:
            table = pd.read_json(path, lines=True, dtype={id_column: str})
    except (OSError, ValueError, ImportError) as exc:
        raise CorpusError(f"{path}: cannot be read as a table ({exc})") from None
    if len(table) == 0:
        raise CorpusError(f"{path}: the table holds no documents (no rows under its header)")
    if id_column in table.columns and pd.api.types.is_integer_dtype(table[id_column]):
        table[id_column] = table[id_column].astype(str)
    return table


def load_corpus(
    path: str | Path | None = None,
    *,
    groups: Sequence[str] | None = None,
    required: Sequence[str] | None = None,
    text: str = "text",
    doc_id: str = "doc_id",
    group_by: str | None = None,
    paragraphs: Literal["auto", "blank_line", "line"] | str = "auto",
    speakers: bool | str | None = None,
) -> Corpus:
    """Load a corpus folder, or the bundled Hong Kong corpus.

    A folder may hold a ``manifest.yaml`` (corpus settings, documents with
    metadata, their raw files and cleaning rules) and any number of ``.txt`` or
    ``.md`` documents, each with optional YAML front matter (metadata and
    cleaning rules; ``doc_id`` defaults to the file name), and of HTML
    (``.html``, ``.htm``), PDF and Word (``.docx``) documents, read by
    :func:`~framing.corpus.formats.extract_document`. A binary file has no
    front matter: its metadata and cleaning rules go in a *sidecar*,
    ``report.pdf.yaml`` (or ``report.yaml`` when one document is named
    ``report.*``), or in a manifest entry whose ``raw_file`` is the file; they
    take precedence over the metadata read from the file, and their cleaning
    rules count lines of the extracted text. Files named ``README*``, hidden
    files and files under ``raw/`` folders are not documents themselves: raw
    files enter the corpus through the manifest. A ``coding/`` folder holds
    coded samples of the corpus (coding sheets, instructions), not documents.
    Any other file (``.rtf``, ``.doc``, ``.odt``, ``.xlsx``, an image, a
    ``.yaml`` that is no sidecar) is skipped with a
    :class:`~framing.corpus.formats.SkippedFilesWarning` naming every such
    file and why; a folder where nothing readable remains is an error.

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
    paragraphs : {'auto', 'blank_line', 'line'} or str, default='auto'
        For a table: how its texts mark paragraphs (see
        :meth:`Corpus.from_frame`). Files of a folder use ``'auto'`` unless
        their cleaning rules say ``paragraphs:``.
    speakers : bool, str or None, default=None
        Read speaker turns ("Q:", "A:", "Mr Lee:"): True for the default
        label pattern, or a regular expression whose first group is the
        label. Each paragraph records its ``speaker``; labels are kept out
        of the text. For a folder, the default of documents whose cleaning
        rules do not say ``speakers:`` (see :mod:`framing.corpus.cleaning`).

    Returns
    -------
    Corpus

    Raises
    ------
    CorpusError
        Listing every problem found, each naming its file and line: a missing
        required field, an unknown group, a duplicate ``doc_id``, an empty
        body, bytes that are not UTF-8, malformed front matter or sidecar, a
        cleaning rule that does not fit its file, a raw file whose checksum
        changed or that lies outside the folder, a damaged HTML, PDF or Word
        file, an encrypted PDF or one without a text layer.

    Notes
    -----
    The corpus folder is only read, never written.
    """
    root = bundled_corpus_path() if path is None else Path(path)
    if root.is_file() and root.suffix.lower() in TABLE_SUFFIXES:
        return Corpus.from_frame(read_table(root, id_column=doc_id, text_column=text), text=text, doc_id=doc_id,
                                 group_by=group_by, groups=groups, name=root.stem, paragraphs=paragraphs,
                                 speakers=speakers)
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
    extracted: dict[Path, Extracted] = {}
    audit_rows: list[dict[str, Any]] = []

    manifest = root / "manifest.yaml"
    if manifest.is_file():
        mlabel = str(label_root / "manifest.yaml")
        try:
            data, node = load_yaml(read_text(manifest, error=CorpusError, label=mlabel))
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
            if raw_path.suffix.lower() in EXTRACTED_SUFFIXES:
                if raw_path not in extracted:
                    try:
                        extracted[raw_path] = extract_document(raw_path, label=str(label_root / raw),
                                                               language=str(entry.get("language") or "en"))
                    except CorpusError as exc:
                        problems.extend(exc.problems)
                        specs.append((did, entry, None, where, None))
                        continue
                    expected = checksums.get(raw)
                    actual = extracted[raw_path].meta["raw_sha256"]
                    if expected is not None and actual != expected:
                        problems.append(
                            f"{label_root / raw}: sha256 {actual[:12]}... does not match the manifest's "
                            f"{str(expected)[:12]}...; raw files are immutable: add a new file instead of editing one"
                        )
                ex = extracted[raw_path]
                entry = _with_extracted(ex.meta, entry, where, problems)
                result = _extracted_result(ex, rules, where=f"{where} (document {did!r}, {raw}, extracted text)",
                                          speakers=speakers)
                specs.append((did, entry, result, where, raw))
                continue
            if raw_path not in raw_cache:
                try:
                    raw_text = read_text(raw_path, error=CorpusError, label=str(label_root / raw))
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
                raw_cache[raw_path] = split_lines(raw_text)
            result = apply_rules(raw_cache[raw_path], rules, where=f"{where} (document {did!r}, {raw})",
                                 default_speakers=speakers)
            specs.append((did, entry, result, where, raw))

    everything = _folder_files(root)
    files = [f for f in everything if f.resolve() not in referenced and f != manifest]
    sidecars, skipped, side_problems = _sidecars(root, everything, referenced, label_root)
    problems += side_problems
    hint: dict[str, str] = {}  # where -> the sidecar a document without one could have
    for file in files:
        rel = file.relative_to(root)
        suffix = file.suffix.lower()
        if {"raw", "coding"} & set(rel.parts[:-1]) or any(part.startswith(".") for part in rel.parts):
            continue
        label = str(label_root / rel)
        if suffix in _SIDECAR_SUFFIXES and file not in skipped:
            continue  # a sidecar, read with its document (or named in a problem above)
        if suffix not in TEXT_SUFFIXES + EXTRACTED_SUFFIXES:
            skipped[file] = skipped.get(file) or skip_reason(file) or "not a document"
            continue
        if root_resolved not in file.resolve().parents:
            problems.append(f"{label}: a link to {file.resolve()}, outside the corpus folder; copy the file in instead")
            continue
        if suffix in EXTRACTED_SUFFIXES:
            side = sidecars.get(file)
            given: dict[str, Any] = {}
            where = label
            try:
                if side is not None:
                    side_label = str(label_root / side.relative_to(root))
                    if root_resolved not in side.resolve().parents:
                        raise CorpusError(f"{side_label}: a link to {side.resolve()}, outside the corpus folder; "
                                          "copy the file in instead")
                    given = dict(_read_sidecar(side, side_label))
                    where = f"{side_label}:1"
                ex = extract_document(file, label=label, language=str(given.get("language") or "en"))
            except CorpusError as exc:
                problems.extend(exc.problems)
                continue
            if side is None:
                hint[where] = f"{rel.name}.yaml"
            did = given.pop("doc_id", file.stem)
            rules = given.pop("cleaning", None)
            given["raw_file"] = rel.as_posix()  # the file itself
            meta = _with_extracted(ex.meta, given, where, problems)
            specs.append((did, meta, _extracted_result(ex, rules, where=f"{label} (extracted text)", speakers=speakers), where, str(rel)))
            continue
        try:
            text = read_text(file, error=CorpusError, label=label)
            fm, first = front_matter(text, label)
        except CorpusError as exc:
            problems.extend(exc.problems)
            continue
        fm = dict(fm)
        fm.setdefault("raw_file", rel.as_posix())
        did = fm.pop("doc_id", file.stem)
        rules = fm.pop("cleaning", None)
        result = apply_rules(
            split_lines(text), rules, where=label, first_line=first,
            default_paragraphs="auto", default_markdown=file.suffix.lower() == ".md", default_speakers=speakers,
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
        meta = {k: iso_value(v) for k, v in meta.items()}
        meta_problems = check_meta(did, meta, where, list(required), group_by, groups)
        if where in hint:
            meta_problems = [f"{p} (give it in a sidecar {hint[where]})" if "missing required field" in p else p
                             for p in meta_problems]
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
            documents.append(Document(did, result.text, result.paragraphs, MappingProxyType(with_dates(meta)), where))
    skips = [(label_root / f.relative_to(root), why) for f, why in sorted(skipped.items())]
    if not specs and not problems:
        problems.append(f"{label_root}: no documents (no manifest.yaml and no .txt, .md, .html, .pdf or .docx files)")
    if skips and not specs:  # nothing readable: the skipped files are part of the error
        problems += [f"{name}: skipped: {why}" for name, why in skips]
    elif skips:
        listed = "\n".join(f"  - {name}: {why}" for name, why in skips)
        warnings.warn(f"{label_root}: {len(skips)} file(s) skipped, not documents framing reads:\n{listed}",
                      SkippedFilesWarning, stacklevel=2)
    if problems:
        raise CorpusError(problems)
    audit = pd.DataFrame(audit_rows, columns=["doc_id", "raw_file", "line", "action", "reason", "text"])
    return Corpus(documents, name=str(settings.get("name") or root.name), group_by=group_by, audit=audit)

