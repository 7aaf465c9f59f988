"""Documents in HTML, PDF and Word files: their text, paragraphs, headings and metadata.

A corpus folder (and a manifest's ``raw_file``) may hold ``.html``/``.htm``,
``.pdf`` and ``.docx`` files next to ``.txt`` and ``.md`` files.
:func:`extract_document` reads one of them, only reads it, and gives an
*extracted text*: one block per paragraph or heading, blocks separated by a
blank line. That text is what the document's cleaning rules (a sidecar's or
the manifest's ``cleaning:``) and the cleaning audit count lines in, and its
sha256 is recorded, so the line numbers stay reproducible.

How each format is read
-----------------------
HTML (``.html``, ``.htm``, ``.xhtml``)
    The main text is found by trafilatura (Barbaresi 2021) set for precision,
    which leaves out navigation, headers, footers, sidebars, reader comments
    and images, keeps tables, and never trades a short article for a dump of
    the whole page, menus included (boilerplate would be counted as the
    source's words). Its blocks become paragraphs: a ``<p>``, each list
    item, each table row (cells joined by ``" | "``), each heading; the
    first heading is the title when it repeats the page's title. Where
    trafilatura finds no main text, a fixed rule takes over and ``reader``
    says so: the text of ``<article>`` or ``<main>`` if the page has one,
    else of ``<body>`` without ``<nav>``, ``<header>``, ``<footer>`` and
    ``<aside>``; scripts, styles and forms left out; each ``<p>``, ``<li>``,
    ``<h1>``-``<h6>`` (headings), ``<blockquote>``, ``<pre>`` and table row
    one paragraph (a page without them: each line of text, a ``<div>``
    ending a line). Metadata: the title (``og:title``, ``<title>``), author,
    date (htmldate on the page's markup, ``<time>`` and address only, no
    search of the text) and URL (canonical link, ``og:url``). The bytes are
    read as UTF-8, else as the charset the page declares.
PDF (``.pdf``)
    The text layer, page by page, with pypdf (text in content-stream order,
    which keeps the columns of a two-column page apart). A paragraph ends at
    a blank line, where the gap to the next line is more than 1.5 times the
    page's usual line spacing (1.2 times the type size on a page of fewer
    than four lines), where the text goes back up the page (a new column),
    where the type size changes, and before a first-line indent (a line that
    starts half an em or more right of the lines around it); it never runs
    over a page break. A block of at most three lines set at least 15 %
    larger than the page's body text is a heading (its lines joined). Line
    ends are kept inside a paragraph. **De-hyphenation**: a word broken at a
    line end ("sanc-" / "tions") is joined on the first line ("sanctions");
    a hyphen stays where both halves are common words and the joined form
    is not (wordfreq's list for the document's language: "well-known",
    "long-term", "super-connector"); a soft hyphen is always removed. Every
    join is recorded in the cleaning audit, as is each line's page.
    Metadata: title, author and creation date of the PDF's document
    information, and the page count (``pages``). An encrypted PDF (one that
    needs a password) and one without a text layer (scanned pages) are
    problems, not empty documents.
Word (``.docx``)
    Body paragraphs and tables in document order with python-docx (headers,
    footers, footnotes, comments and text boxes left out); empty paragraphs
    are dropped; styles ``Title`` (the title), ``Heading 1``-``9`` and styles
    based on them (headings) and ``Subtitle`` (a dek) are marked; a table
    row is one paragraph, cells joined by ``" | "``. Metadata: the core
    properties title, author and created.

A date taken from a file's own metadata says when the *file* was made, which
may not be when the text was published; ``date_basis`` says where it came
from. Metadata a sidecar or manifest gives replaces the extracted fields (a
``date`` replaces ``date``, ``date_precision`` and ``date_basis`` together).

Every extracted document records ``raw_sha256`` (the file's bytes),
``reader`` (the library and version that read it) and ``text_sha256`` (the
extracted text, before the cleaning rules).
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata as _metadata
from pathlib import Path
from statistics import median
from types import MappingProxyType
from typing import Any

from framing.base.datafile import sha256_text
from framing.base.errors import CorpusError

__all__ = ["Extracted", "extract_document", "TEXT_SUFFIXES", "EXTRACTED_SUFFIXES", "DOCUMENT_SUFFIXES",
           "READER_FIELDS", "COMMON_ZIPF", "skip_reason", "dehyphenate", "SkippedFilesWarning"]

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
EXTRACTED_SUFFIXES = (*HTML_SUFFIXES, ".pdf", ".docx")
DOCUMENT_SUFFIXES = TEXT_SUFFIXES + EXTRACTED_SUFFIXES

#: Fields only the reader sets: a sidecar or manifest that gives one is refused.
READER_FIELDS = ("raw_sha256", "reader", "text_sha256", "pages")


class SkippedFilesWarning(UserWarning):
    """Files of a corpus folder that are not documents framing can read (each named with its reason)."""


@dataclass(frozen=True)
class Extracted:
    """The text and metadata read from an HTML, PDF or Word file.

    Attributes
    ----------
    text : str
        The extracted text: paragraphs and headings separated by a blank line.
    meta : Mapping
        Extracted metadata (``title``, ``author``, ``date``, ``date_precision``,
        ``date_basis``, ``url`` where found) and the provenance: ``raw_sha256``,
        ``reader``, ``text_sha256`` and, for a PDF, ``pages``.
    title : int or None
        The line of ``text`` holding the title.
    headings, deks : tuple of int
        The lines of ``text`` holding headings and standfirsts.
    notes : Mapping
        Line of ``text`` -> what was done to it (its page; a joined hyphen).
    """

    text: str
    meta: Mapping[str, Any]
    title: int | None = None
    headings: tuple[int, ...] = ()
    deks: tuple[int, ...] = ()
    notes: Mapping[int, str] = field(default_factory=dict)


@dataclass
class _Block:
    lines: list[str]
    role: str = "body"  # title, heading, dek, body
    page: int | None = None
    notes: dict[int, str] = field(default_factory=dict)  # index into lines -> note


def _version(dist: str) -> str:
    try:
        return _metadata.version(dist)
    except _metadata.PackageNotFoundError:  # pragma: no cover - the reader's import failed first
        return "unknown"


def _one_line(exc: BaseException) -> str:
    """An exception as one short line: its type and the first line of its message."""
    text = (str(exc).strip().splitlines() or [""])[0]
    text = text if len(text) <= 160 else text[:157] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _squash(text: str) -> str:
    return " ".join(text.split())


def _same(a: Any, b: Any) -> bool:
    return isinstance(a, str) and isinstance(b, str) and _squash(a).casefold() == _squash(b).casefold()


def _assemble(blocks: list[_Block], meta: dict[str, Any], reader: str, raw_sha256: str) -> Extracted:
    """Join blocks into the extracted text; number title, heading and dek lines; record provenance."""
    pieces: list[str] = []
    notes: dict[int, str] = {}
    roles: dict[str, list[int]] = {"title": [], "heading": [], "dek": []}
    line = 1
    for block in blocks:
        kept = [i for i, ln in enumerate(block.lines) if ln.strip()]  # a line emptied by de-hyphenation goes
        if not kept:
            continue
        lines = [block.lines[i].strip() for i in kept]
        said: list[list[str]] = [[block.notes[i]] if i in block.notes else [] for i in kept]
        if block.role != "body" and len(lines) > 1:  # a heading is one line (apply_rules keeps it one paragraph)
            lines, said = [_squash(" ".join(lines))], [[note for notes_of in said for note in notes_of]]
        if block.role == "title" and roles["title"]:
            block.role = "heading"  # one title; later ones are headings
        if block.role in roles:
            roles[block.role].append(line)
        for i, noted in enumerate(said):
            noted = ([f"page {block.page}"] if block.page is not None else []) + noted
            if noted:
                notes[line + i] = "; ".join(noted)
        pieces.append("\n".join(lines))
        line += len(lines) + 1
    text = "\n\n".join(pieces)
    meta = {k: v for k, v in meta.items() if v not in (None, "")}
    meta.update(raw_sha256=raw_sha256, reader=reader, text_sha256=sha256_text(text))
    return Extracted(text, MappingProxyType(meta), roles["title"][0] if roles["title"] else None,
                     tuple(roles["heading"]), tuple(roles["dek"]), MappingProxyType(notes))


def extract_document(path: str | Path, *, label: str | None = None, language: str = "en") -> Extracted:
    """Read an HTML, PDF or Word file into its text, paragraphs, headings and metadata.

    The file is only read; nothing is downloaded (see the module docstring
    for how each format is read).

    Parameters
    ----------
    path : str or Path
        An ``.html``, ``.htm``, ``.xhtml``, ``.pdf`` or ``.docx`` file.
    label : str or None
        How the file is named in messages (default: the path).
    language : str, default='en'
        The language whose word list decides whether a PDF's line-end hyphen
        is kept (see :func:`dehyphenate`).

    Returns
    -------
    Extracted

    Raises
    ------
    CorpusError
        One line naming the file (and page): a damaged or truncated file,
        an encrypted PDF, a PDF without a text layer, a page with no main
        text, bytes that are neither UTF-8 nor the page's declared charset.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> text = "The port handled more containers than ever before, officials said on Thursday in a statement."
    >>> page = ("<html><head><title>Ports</title></head><body><nav>Home</nav><article><h1>Ports</h1>"
    ...         f"<p>{text}</p></article></body></html>")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     file = pathlib.Path(tmp, "ports.html")
    ...     _ = file.write_text(page, encoding="utf-8")
    ...     doc = extract_document(file)
    >>> doc.text == "Ports\\n\\n" + text
    True
    >>> doc.title, doc.meta["title"], doc.meta["reader"].split()[0]
    (1, 'Ports', 'trafilatura')
    """
    p = Path(path)
    label = str(p) if label is None else label
    suffix = p.suffix.lower()
    if suffix not in EXTRACTED_SUFFIXES:
        raise CorpusError(f"{label}: not an HTML, PDF or Word (.docx) file")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{label}: cannot be read ({exc.strerror or exc})") from None
    raw_sha256 = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise CorpusError(f"{label}: the file is empty")
    if suffix == ".pdf":
        return _read_pdf(data, label, raw_sha256, language)
    if suffix == ".docx":
        return _read_docx(data, label, raw_sha256)
    return _read_html(data, label, raw_sha256)


# --------------------------------------------------------------------------- HTML

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _decode_html(data: bytes, label: str) -> str:
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CorpusError(f"{label}: looks like a binary file (it holds NUL bytes), not an HTML page")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        declared = _CHARSET.search(data[:4096])
        if declared is not None:
            name = declared.group(1).decode("ascii")
            try:
                return data.decode(name)
            except (LookupError, UnicodeDecodeError):
                pass
        line = data[: exc.start].count(b"\n") + 1
        said = (f"nor the declared charset {declared.group(1).decode('ascii')!r}" if declared
                else "and it declares no charset")
        raise CorpusError(f"{label}:{line}: bytes are not UTF-8 (byte {data[exc.start]:#04x} at offset {exc.start}) "
                          f"{said}; save the page as UTF-8") from None


def _html_blocks(body: Any) -> list[_Block]:
    """trafilatura's output tree (head, p, list/item, table/row/cell, quote, div, ...) as blocks, in order."""
    blocks: list[_Block] = []
    containers = ("p", "head", "list", "table", "quote", "div")

    def text_of(el: Any, skip: tuple[str, ...] = ()) -> str:
        parts = [el.text or ""]
        for child in el:
            if child.tag not in skip:
                parts.append("".join(child.itertext()))
            parts.append(child.tail or "")
        return _squash(" ".join(parts))

    def walk(el: Any) -> None:
        for child in el:
            tag = child.tag
            if tag == "head":
                blocks.append(_Block([text_of(child)], "heading"))
            elif tag == "list":
                for item in child:
                    blocks.append(_Block([text_of(item, skip=("list",))]))
                    for nested in item.iter("list"):
                        if nested is not item:
                            walk(nested)
            elif tag == "table":
                for row in child.iter("row"):
                    cells = [_squash("".join(c.itertext())) for c in row if c.tag == "cell"]
                    cells = [c for i, c in enumerate(cells) if c and (i == 0 or c != cells[i - 1])]
                    blocks.append(_Block([" | ".join(cells)]))
            elif tag in ("graphic", "lb"):
                continue
            elif tag != "p" and any(c.tag in containers for c in child):
                walk(child)
            else:
                blocks.append(_Block([text_of(child)]))

    walk(body)
    return blocks


#: Elements whose text is one paragraph in the fallback rule (a table row: its cells joined by " | ").
_RULE_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "dt", "dd")


def _rule_blocks(html: str) -> list[_Block]:
    """The fallback rule: <article> or <main> if there is one, else <body> without nav, header, footer and
    aside; script, style and forms left out; each block element (p, li, h1-h6, blockquote, pre, a table row)
    a paragraph, headings marked; text outside any such element, one paragraph per line."""
    from lxml import html as lxml_html  # heavy: imported where used (installed with trafilatura)

    tree = lxml_html.document_fromstring(html)
    for junk in tree.xpath("//script|//style|//noscript|//template|//form"):
        junk.drop_tree()
    found = tree.xpath("//article") or tree.xpath("//main")
    root = found[0] if found else tree.find("body")
    root = tree if root is None else root
    if not found:
        for junk in root.xpath(".//nav|.//header|.//footer|.//aside"):
            junk.drop_tree()
    blocks: list[_Block] = []
    for el in root.iter(*_RULE_BLOCKS):
        if any(a.tag in _RULE_BLOCKS for a in el.iterancestors()):
            continue  # inside a block already taken whole
        if el.tag == "tr":
            cells = [_squash(c.text_content()) for c in el if c.tag in ("td", "th")]
            text = " | ".join(c for c in cells if c)
        else:
            text = _squash(el.text_content())
        blocks.append(_Block([text], "heading" if el.tag in _RULE_BLOCKS[2:8] else "body"))
    if not any(b.lines[0] for b in blocks):  # text in divs only: a line break after each div, section, cell, <br>
        for el in root.iter("div", "section", "td", "th", "br"):
            el.tail = "\n" + (el.tail or "")
        blocks = [_Block([_squash(line)]) for line in root.text_content().split("\n") if line.strip()]
    return blocks


def _missing(label: str, dist: str, exc: ImportError) -> CorpusError:
    return CorpusError(f"{label}: reading this file needs the {dist!r} package, which is not installed "
                       f"(pip install {dist}; {_one_line(exc)})")


def _read_html(data: bytes, label: str, raw_sha256: str) -> Extracted:
    try:
        import trafilatura  # heavy: imported where used
    except ImportError as exc:
        raise _missing(label, "trafilatura", exc) from None

    html = _decode_html(data, label)
    try:
        doc = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_images=False, include_tables=True,
            include_formatting=False, include_links=False, deduplicate=False, favor_precision=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
        body = getattr(doc, "body", None) if doc is not None else None
        blocks = [b for b in _html_blocks(body) if b.lines[0]] if body is not None else []
        reader = f"trafilatura {_version('trafilatura')}"
        if not blocks:  # trafilatura found no main text: the fixed rule
            blocks = [b for b in _rule_blocks(html) if b.lines[0]]
            reader = (f"lxml {_version('lxml')} (framing's rule: article or main, else body without nav, header, "
                      f"footer, aside; trafilatura {_version('trafilatura')} found no main text)")
    except Exception as exc:  # a parser's own error on a damaged page: one line, not a traceback
        raise CorpusError(f"{label}: the page cannot be parsed as HTML ({_one_line(exc)})") from None
    if not blocks:
        raise CorpusError(f"{label}: no main text found in the page (an empty page, one built by scripts, or not "
                          "HTML); save the article's text as .txt instead")
    meta: dict[str, Any] = {}
    if doc is not None:
        meta.update(title=doc.title, author=doc.author, url=doc.url)
        if doc.date:
            meta.update(date=doc.date, date_precision="day",
                        date_basis="the page's metadata, <time> element or address (htmldate, via trafilatura)")
    if blocks[0].role == "heading" and _same(blocks[0].lines[0], meta.get("title")):
        blocks[0].role = "title"
    return _assemble(blocks, meta, reader, raw_sha256)


# --------------------------------------------------------------------------- Word

_HEADING_STYLE = re.compile(r"^heading [1-9]$", re.IGNORECASE)


def _docx_role(style: Any) -> str:
    for _ in range(5):  # a style based on a heading style is a heading (a few levels of "based on")
        if style is None:
            return "body"
        name = (style.name or "").strip()
        if name.lower() == "title":
            return "title"
        if name.lower() == "subtitle":
            return "dek"
        if _HEADING_STYLE.match(name):
            return "heading"
        style = style.base_style
    return "body"


def _read_docx(data: bytes, label: str, raw_sha256: str) -> Extracted:
    try:
        import docx  # heavy: python-docx, imported where used
    except ImportError as exc:
        raise _missing(label, "python-docx", exc) from None

    try:
        document = docx.Document(io.BytesIO(data))
        blocks: list[_Block] = []
        for item in document.iter_inner_content():
            if hasattr(item, "rows"):  # a table: one paragraph per row
                for row in item.rows:
                    cells = [_squash(c.text) for c in row.cells]
                    cells = [c for i, c in enumerate(cells) if c and (i == 0 or c != cells[i - 1])]
                    blocks.append(_Block([" | ".join(cells)]))
            else:
                blocks.append(_Block(item.text.split("\n"), _docx_role(item.style)))
        props = document.core_properties
        created = props.created
    except Exception as exc:  # a damaged or truncated package: one line, not a traceback
        raise CorpusError(f"{label}: not a readable Word .docx file (a damaged or truncated file, or another format "
                          f"under a .docx name: {_one_line(exc)})") from None
    if not any(ln.strip() for b in blocks for ln in b.lines):
        raise CorpusError(f"{label}: the Word file holds no text")
    meta: dict[str, Any] = {"title": (props.title or "").strip(), "author": (props.author or "").strip()}
    if created is not None:
        meta.update(date=created.date().isoformat(), date_precision="day",
                    date_basis="the Word file's 'created' property (when the file was made)")
    return _assemble(blocks, meta, f"python-docx {_version('python-docx')}", raw_sha256)


# --------------------------------------------------------------------------- PDF


#: A Zipf frequency (log10 per billion words) from which a word counts as common when a line-end hyphen is judged.
COMMON_ZIPF = 3.0
_BROKEN = re.compile(r"(\w+)([-\u00ad\u2010])$")
_CONTINUED = re.compile(r"^([^\W\d_]\w*)(.*)$")


def dehyphenate(lines: list[str], language: str = "en") -> tuple[list[str], dict[int, str]]:
    """Join words broken by a hyphen at a line end; return the lines and a note per changed line.

    The rest of the word moves up to the first line, so a paragraph keeps
    its lines. A hyphen is removed when the next line goes on in lower case,
    unless both halves are common words of ``language`` and the joined form
    is not (Zipf frequency of at least :data:`COMMON_ZIPF` in wordfreq's
    list; Speer 2022): then the word is joined with its hyphen
    ("long-"/"term" gives "long-term"; "sanc-"/"tions" and "govern-"/"ment"
    are joined). A soft hyphen (U+00AD) is always removed.

    >>> lines, notes = dehyphenate(["imposed sanc-", "tions on them", "a well-", "known city"])
    >>> lines
    ['imposed sanctions', 'on them', 'a well-known', 'city']
    >>> notes
    {0: "line-end hyphen removed: 'sanc-' + 'tions'", 2: "line-end hyphen kept: 'well-' + 'known'"}
    """
    out = list(lines)
    notes: dict[int, str] = {}
    for i in range(len(out) - 1):
        broken = _BROKEN.search(out[i].rstrip())
        nxt = _CONTINUED.match(out[i + 1].lstrip())
        if broken is None or nxt is None or not nxt.group(1)[0].islower():
            continue
        head, mark, tail = broken.group(1), broken.group(2), nxt.group(1)
        keep = mark != "\u00ad" and _is_compound(head, tail, language)
        joined = f"{head}-{tail}" if keep else head + tail
        out[i] = out[i].rstrip()[: broken.start()] + joined
        out[i + 1] = nxt.group(2).strip()
        notes[i] = f"line-end hyphen {'kept' if keep else 'removed'}: {head + mark!r} + {tail!r}"
    return out, notes


@lru_cache(maxsize=None)
def _has_word_list(language: str) -> bool:
    from wordfreq import available_languages  # heavy: imported where used

    return language in available_languages()


def _is_compound(head: str, tail: str, language: str) -> bool:
    """Both halves are common words (Zipf >= 3 in wordfreq's list) and the joined form is not (False for a
    language wordfreq lacks)."""
    from wordfreq import zipf_frequency  # heavy: imported where used

    if not _has_word_list(language):
        return False
    common = [zipf_frequency(w.lower(), language) >= COMMON_ZIPF for w in (head, tail, head + tail)]
    return common[0] and common[1] and not common[2]


@dataclass
class _Line:
    text: str = ""
    x: float | None = None
    y: float | None = None
    size: float = 0.0


def _page_lines(page: Any) -> list[_Line]:
    """The page's text lines, in pypdf's order, with the position and size of each line's first text."""
    lines = [_Line()]

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        c, d = tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]  # the text's vertical axis
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scaled = abs(size) * (c * c + d * d) ** 0.5 if (c or d) else abs(size)
        for k, piece in enumerate(text.split("\n")):
            if k:
                lines.append(_Line())
            line = lines[-1]
            if piece.strip() and line.y is None:
                line.x, line.y = x, y
            if piece.strip():
                line.size = max(line.size, scaled)
            line.text += piece

    page.extract_text(visitor_text=visit)
    return lines


def _page_blocks(lines: list[_Line], page_no: int, language: str) -> list[_Block]:
    """Paragraphs of one page from blank lines, line gaps, a return up the page, size changes and indents."""
    filled = [ln for ln in lines if ln.text.strip()]
    if not filled:
        return []
    gaps = [a.y - b.y for a, b in zip(filled, filled[1:]) if a.y is not None and b.y is not None and a.y - b.y > 0.1]
    sizes: dict[float, int] = {}
    for ln in filled:
        sizes[round(ln.size, 1)] = sizes.get(round(ln.size, 1), 0) + len(ln.text.strip())
    body_size = max(sizes, key=lambda s: (sizes[s], -s))
    spacing = median(gaps) if len(gaps) >= 3 else 1.2 * max(body_size, 1.0)  # few lines: a usual leading

    def starts_paragraph(k: int, j: int) -> bool:  # filled[j] follows filled[k]; the raw lines between were blank?
        a, b = filled[k], filled[j]
        em = max(b.size, 1.0)
        if a.y is not None and b.y is not None:
            gap = a.y - b.y
            if gap < -0.5 * em or gap > 1.5 * spacing + 0.1:
                return True
        if a.size and b.size and abs(a.size - b.size) > 0.15 * max(a.size, b.size):
            return True
        if b.x is not None and a.x is not None and b.x - a.x >= 0.5 * em:  # right of the line above ...
            nxt = filled[j + 1] if j + 1 < len(filled) else None
            if nxt is None or (nxt.x is not None and b.x - nxt.x >= 0.5 * em):  # ... and of the line below
                return True
        return False

    blocks: list[_Block] = []
    current: list[_Line] = []
    position = {id(ln): i for i, ln in enumerate(lines)}
    for j, ln in enumerate(filled):
        if current:
            prev = filled[j - 1]
            blank_between = any(not lines[i].text.strip() for i in range(position[id(prev)] + 1, position[id(ln)]))
            if blank_between or starts_paragraph(j - 1, j):
                blocks.append(_page_block(current, page_no, body_size, language))
                current = []
        current.append(ln)
    blocks.append(_page_block(current, page_no, body_size, language))
    return blocks


def _page_block(lines: list[_Line], page_no: int, body_size: float, language: str) -> _Block:
    texts = [" ".join(ln.text.split()) for ln in lines]
    texts, notes = dehyphenate(texts, language)
    big = body_size > 0 and all(ln.size >= 1.15 * body_size for ln in lines)
    return _Block(texts, "heading" if big and len(lines) <= 3 else "body", page_no, notes)


def _read_pdf(data: bytes, label: str, raw_sha256: str, language: str) -> Extracted:
    try:
        import pypdf  # heavy: imported where used
    except ImportError as exc:
        raise _missing(label, "pypdf", exc) from None

    if b"%PDF-" not in data[:1024]:
        raise CorpusError(f"{label}: not a PDF file (it does not start with %PDF-)")
    if b"%%EOF" not in data[-2048:]:
        raise CorpusError(f"{label}: the PDF is truncated or damaged (no %%EOF marker at its end); "
                          "download or export it again")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise CorpusError(f"{label}: the PDF is encrypted and needs a password; save a copy without one")
        pages = list(reader.pages)
    except CorpusError:
        raise
    except Exception as exc:  # pypdf's errors on a damaged file (many types): one line, not a traceback
        if type(exc).__name__ == "DependencyError":
            raise CorpusError(f"{label}: the PDF is encrypted (AES) and pypdf needs the 'cryptography' package to "
                              "open it; save a copy without encryption") from None
        raise CorpusError(f"{label}: not a readable PDF (a damaged file: {_one_line(exc)})") from None
    blocks: list[_Block] = []
    for number, page in enumerate(pages, 1):
        try:
            lines = _page_lines(page)
        except Exception as exc:
            raise CorpusError(f"{label}: page {number}: its text cannot be read ({_one_line(exc)})") from None
        blocks += _page_blocks(lines, number, language)
    if not blocks:
        raise CorpusError(f"{label}: the PDF has no text layer ({len(pages)} page(s) of images, a scan?); "
                          "run OCR on it (e.g. ocrmypdf) and add the result")
    meta: dict[str, Any] = {"pages": len(pages)}
    try:
        info = reader.metadata
        if info is not None:
            meta["title"] = _squash(str(info.title or ""))
            meta["author"] = _squash(str(info.author or ""))
            created = info.creation_date
            if created is not None:
                meta.update(date=created.date().isoformat(), date_precision="day",
                            date_basis="the PDF's CreationDate (when the file was made)")
    except Exception:  # a malformed information dictionary or date: the text is still good
        pass
    if blocks[0].role == "heading" and _same(" ".join(blocks[0].lines), meta.get("title")):
        blocks[0].role = "title"
    return _assemble(blocks, meta, f"pypdf {_version('pypdf')}", raw_sha256)


# --------------------------------------------------------------------------- files that are not documents

_SKIP_REASONS = {
    (".doc",): "an old binary Word file; save it as .docx",
    (".rtf", ".odt", ".pages", ".wpd"): "a word-processor format framing does not read; save it as .docx or .txt",
    (".xlsx", ".xls", ".ods", ".numbers"): "a spreadsheet; export it as .csv and load that table on its own "
                                           "(fr.load_corpus('table.csv'))",
    (".csv", ".parquet", ".pq", ".jsonl", ".ndjson", ".tsv"): "a table, not a document of a folder corpus; load it "
                                                               "on its own (fr.load_corpus('table.csv'))",
    (".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".bmp", ".webp", ".heic", ".svg"):
        "an image; run OCR on it and add the text as .txt",
    (".ppt", ".pptx", ".odp", ".key"): "a presentation; export its text as .txt or .pdf",
    (".epub", ".mobi"): "an e-book; export its text as .txt or .html",
    (".zip", ".gz", ".tar", ".7z", ".rar", ".bz2", ".xz"): "an archive; unpack it into the folder",
    (".yaml", ".yml"): "a YAML file that is neither the folder's manifest.yaml nor the sidecar of an HTML, PDF or "
                       "Word file beside it (name it <file>.pdf.yaml; a .txt or .md file keeps its metadata in its "
                       "front matter)",
}


def skip_reason(path: str | Path) -> str | None:
    """Why a file of a corpus folder is not read as a document, or None for a document type."""
    suffix = Path(path).suffix.lower()
    if suffix in DOCUMENT_SUFFIXES:
        return None
    for suffixes, reason in _SKIP_REASONS.items():
        if suffix in suffixes:
            return reason
    kinds = ", ".join(DOCUMENT_SUFFIXES)
    return f"{'no file type' if not suffix else f'{suffix} files are'} not read as documents (framing reads {kinds})"
