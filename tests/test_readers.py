"""HTML, PDF and Word documents in a corpus folder: text, paragraphs, headings, metadata, provenance, problems.

Every file is made here: HTML as a string, Word with python-docx, PDF written
by hand (a content stream in Helvetica) or drawn by matplotlib.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import socket
import warnings

import pytest

import framing as fr
from conftest import write
from framing.corpus.formats import SkippedFilesWarning, dehyphenate, extract_document

# --------------------------------------------------------------------------- files made in the tests


def _pdf_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def pdf_bytes(pages: list[list[tuple[float, float, float, str]]], info: dict[str, str] | None = None) -> bytes:
    """A PDF written by hand: each page a list of ``(x, y, size, text)`` lines set in Helvetica."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    contents = []
    for lines in pages:
        ops = [f"BT /F1 {size} Tf 1 0 0 1 {x} {y} Tm {_pdf_string(text)} Tj ET" for x, y, size, text in lines]
        stream = "\n".join(ops).encode("latin-1")
        contents.append(add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)))
    parent = len(objects) + len(pages) + 1
    kids = [add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >> >> "
                b"/Contents %d 0 R >>" % (parent, font, c)) for c in contents]
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))) == parent
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % parent)
    trailer = b"<< /Size %d /Root %d 0 R" % (len(objects) + 1 + bool(info), catalog)
    if info:
        entries = " ".join(f"/{k} {_pdf_string(v)}" for k, v in info.items())
        trailer += b" /Info %d 0 R" % add(f"<< {entries} >>".encode("latin-1"))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def lines_at(x: float, top: float, texts: list[str], size: float = 11, leading: float = 14):
    """Lines of ``size`` points, ``leading`` apart, from ``top`` down; "" leaves a line's space empty."""
    return [(x, top - i * leading, size, t) for i, t in enumerate(texts) if t]


REPORT_PAGES = [
    [(72, 740, 18, "Ports and Sanctions"),
     *lines_at(72, 700, ["The port handled more containers than ever,",
                         "and the government answered the new sanc-",
                         "tions with trade fairs abroad.",
                         "",
                         "A second paragraph on a well-",
                         "known theme of the city as a bridge."]),
     (90, 616, 11, "An indented paragraph starts here and"),  # the usual leading: only the indent tells
     (72, 602, 11, "goes on below without a blank line.")],
    [(72, 750, 14, "Outlook"), *lines_at(72, 730, ["Page two holds the last paragraph", "of the report."])],
]
REPORT_INFO = {"Title": "Ports and Sanctions", "Author": "Ann Lee", "CreationDate": "D:20250313120000Z"}

PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<title>Ports and trade | Example News</title>
<meta property="og:title" content="Ports and trade">
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2025-03-13T08:00:00Z">
<link rel="canonical" href="https://example.org/news/ports">
<script>var tracking = "never text";</script><style>p { color: red }</style>
</head><body>
<header><a href="/">Example News</a> <a href="/world">World</a> <a href="/business">Business</a></header>
<nav><ul><li><a href="/">Home</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article>
<h1>Ports and trade</h1>
<p>The port handled more containers than ever before this year, officials said on Thursday in a statement.</p>
<h2>A bridge to the region</h2>
<p>Trade with the region grew again, and the city called itself a bridge between markets and the world.</p>
<ul><li>Exports rose by a fifth over the year.</li><li>Imports held steady through the summer.</li></ul>
<p>Critics said the figures hid a slowdown in the second half of the year and asked for more detail.</p>
</article>
<aside><h3>Most read</h3><a href="/x">An unrelated story about football</a></aside>
<footer>Copyright 2025 Example News. All rights reserved.</footer>
</body></html>
"""


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    props = document.core_properties
    props.title, props.author, props.created = "City Diplomacy", "Ann Lee", datetime.datetime(2025, 6, 8, 9, 30)
    document.add_heading("City Diplomacy", level=0)
    document.add_paragraph("A subtitle that stands first", style="Subtitle")
    document.add_heading("Practice", level=1)
    document.add_paragraph("The city hosts forums and promotes exchanges with the world.")
    document.add_paragraph("")
    document.add_paragraph("   ")
    document.add_paragraph("A list item on trade", style="List Bullet")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Year", "Forums held"
    document.add_heading("Challenges", level=2)
    document.add_paragraph("Tensions with the West weigh on its role.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_quietly(path, **kwargs) -> fr.Corpus:
    with warnings.catch_warnings():
        warnings.simplefilter("error", SkippedFilesWarning)  # nothing skipped unless a test says so
        return fr.load_corpus(path, **kwargs)


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test: readers never download."""

    def refuse(*args, **kwargs):
        raise AssertionError("a reader tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


# --------------------------------------------------------------------------- HTML


def test_readers_html_main_text_with_headings_and_metadata(tmp_path, no_network):
    write(tmp_path / "ports.html", PAGE)
    c = load_quietly(tmp_path)
    doc = c["ports"]
    paras = [(doc.text[p.start:p.end], p.role) for p in doc.paragraphs]
    assert paras == [
        ("Ports and trade", "title"),
        ("The port handled more containers than ever before this year, officials said on Thursday in a statement.",
         "body"),
        ("A bridge to the region", "heading"),
        ("Trade with the region grew again, and the city called itself a bridge between markets and the world.",
         "body"),
        ("Exports rose by a fifth over the year.", "body"),
        ("Imports held steady through the summer.", "body"),
        ("Critics said the figures hid a slowdown in the second half of the year and asked for more detail.", "body"),
    ]
    for boilerplate in ("Sport", "Most read", "football", "Copyright", "tracking", "color", "Business"):
        assert boilerplate not in doc.text
    meta = doc.meta
    assert (meta["title"], meta["author"], meta["url"]) == ("Ports and trade", "Jane Roe", "https://example.org/news/ports")
    assert (meta["date"], meta["date_precision"], meta["year"]) == ("2025-03-13", "day", 2025)
    assert "htmldate" in meta["date_basis"]
    assert meta["raw_file"] == "ports.html" and meta["reader"].startswith("trafilatura ")
    assert meta["raw_sha256"] == sha256(tmp_path / "ports.html")
    units = c.units("paragraph")
    assert units["is_heading"].tolist() == [True, False, True, False, False, False, False]


def test_readers_html_text_hash_is_that_of_the_extracted_text(tmp_path):
    write(tmp_path / "ports.html", PAGE)
    extracted = extract_document(tmp_path / "ports.html")
    assert extracted.meta["text_sha256"] == hashlib.sha256(extracted.text.encode("utf-8")).hexdigest()
    assert load_quietly(tmp_path)["ports"].meta["text_sha256"] == extracted.meta["text_sha256"]
    # the clean text is the extracted text (no cleaning rules): paragraphs separated by blank lines
    assert load_quietly(tmp_path)["ports"].text == extracted.text


SHORT = ("<html><head><title>Ports</title></head><body><nav>Home</nav><header>Site</header><article><h1>Ports</h1>"
         "<p>The port grew.</p><ul><li>One</li><li>Two</li></ul><table><tr><td>Year</td><td>Ships</td></tr></table>"
         "</article><footer>Copyright</footer></body></html>")


def test_readers_html_short_page_keeps_only_its_main_text(tmp_path):
    write(tmp_path / "short.html", SHORT)
    doc = load_quietly(tmp_path)["short"]
    assert [(doc.text[p.start:p.end], p.role) for p in doc.paragraphs] == [
        ("Ports", "title"), ("The port grew.", "body"), ("One", "body"), ("Two", "body"), ("Year | Ships", "body")]
    assert doc.meta["reader"].startswith("trafilatura ")


def test_readers_html_without_main_text_for_trafilatura_is_read_by_the_fixed_rule(tmp_path, monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *args, **kwargs: None)  # as for a page over 20 MB
    write(tmp_path / "short.html", SHORT)
    write(tmp_path / "divs.html", "<html><body><nav>Home</nav><div>A line of text in a div.</div><div>Another "
                                  "<b>div</b>.</div><aside>Related</aside><script>x = 1</script></body></html>")
    write(tmp_path / "menu.html", "<html><body><nav><a href='/'>Home</a></nav><footer>Copyright</footer></body></html>")
    with pytest.raises(fr.CorpusError) as info:
        fr.load_corpus(tmp_path)
    assert info.value.problems == [f"{tmp_path / 'menu.html'}: no main text found in the page (an empty page, one "
                                   "built by scripts, or not HTML); save the article's text as .txt instead"]
    (tmp_path / "menu.html").unlink()
    c = load_quietly(tmp_path)
    short = c["short"]
    assert [(short.text[p.start:p.end], p.role) for p in short.paragraphs] == [
        ("Ports", "heading"), ("The port grew.", "body"), ("One", "body"), ("Two", "body"), ("Year | Ships", "body")]
    assert short.meta["reader"].startswith("lxml ") and "trafilatura" in short.meta["reader"]
    assert "title" not in short.meta  # trafilatura gave no metadata either
    assert c["divs"].text == "A line of text in a div.\n\nAnother div."


def test_readers_html_in_a_declared_charset_is_read(tmp_path):
    page = PAGE.replace("<head>", '<head><meta charset="windows-1252">').replace("Critics said", "Critics’ view:")
    write(tmp_path / "old.htm", page.encode("cp1252"))
    assert "Critics’ view:" in load_quietly(tmp_path)["old"].text


# --------------------------------------------------------------------------- PDF


def test_readers_pdf_made_by_hand_is_read_by_pypdf(tmp_path):
    import pypdf

    data = pdf_bytes(REPORT_PAGES, REPORT_INFO)
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    assert "Page two holds the last paragraph" in reader.pages[1].extract_text()


def test_readers_pdf_paragraphs_headings_pages_and_metadata(tmp_path, no_network):
    write(tmp_path / "report.pdf", pdf_bytes(REPORT_PAGES, REPORT_INFO))
    c = load_quietly(tmp_path)
    doc = c["report"]
    paras = [(doc.text[p.start:p.end], p.role) for p in doc.paragraphs]
    assert paras == [
        ("Ports and Sanctions", "title"),  # the largest type on the page, and the PDF's title
        ("The port handled more containers than ever,\nand the government answered the new sanctions\n"
         "with trade fairs abroad.", "body"),
        ("A second paragraph on a well-known\ntheme of the city as a bridge.", "body"),  # a blank line's gap
        ("An indented paragraph starts here and\ngoes on below without a blank line.", "body"),  # a first-line indent
        ("Outlook", "heading"),  # larger type than the page's text
        ("Page two holds the last paragraph\nof the report.", "body"),  # a page break ends a paragraph
    ]
    meta = doc.meta
    assert (meta["title"], meta["author"], meta["date"], meta["pages"]) == ("Ports and Sanctions", "Ann Lee", "2025-03-13", 2)
    assert "CreationDate" in meta["date_basis"]
    assert meta["reader"].startswith("pypdf ") and meta["raw_sha256"] == sha256(tmp_path / "report.pdf")
    # each line's page, and every joined hyphen, are in the cleaning audit
    audit = c.cleaning.set_index("text")
    assert audit.loc["and the government answered the new sanctions", "reason"] == (
        "page 1; line-end hyphen removed: 'sanc-' + 'tions'")
    assert audit.loc["A second paragraph on a well-known", "reason"] == "page 1; line-end hyphen kept: 'well-' + 'known'"
    assert audit.loc["of the report.", "reason"] == "page 2"
    assert audit.loc["Ports and Sanctions", "action"] == "title"
    page_of = {row.line: row.reason.split(";")[0] for row in c.cleaning.itertuples()}
    assert [page_of[p.line] for p in doc.paragraphs] == ["page 1"] * 4 + ["page 2"] * 2


def test_readers_pdf_drawn_by_matplotlib(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"pdf.fonttype": 42}):
        fig = plt.figure(figsize=(6, 4))
        fig.text(0.1, 0.8, "Sanctions weigh on the city.", fontsize=12)
        fig.text(0.1, 0.5, "A second paragraph, well below.", fontsize=12)
        fig.savefig(tmp_path / "figure.pdf", metadata={"Title": "A drawn page", "Author": "Matplotlib user"})
        plt.close(fig)
    doc = load_quietly(tmp_path)["figure"]
    assert [doc.text[p.start:p.end] for p in doc.paragraphs] == ["Sanctions weigh on the city.",
                                                                 "A second paragraph, well below."]
    assert (doc.meta["title"], doc.meta["author"], doc.meta["pages"]) == ("A drawn page", "Matplotlib user", 1)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["imposed sanc-", "tions on them"], ["imposed sanctions", "on them"]),
        (["a long-", "term plan"], ["a long-term", "plan"]),  # both halves words, the joined form not: kept
        (["the super-", "connector role"], ["the super-connector", "role"]),
        (["the govern-", "ment said"], ["the government", "said"]),
        (["soft\u00ad", "ware"], ["software", ""]),  # a soft hyphen is always removed
        (["Hong Kong-", "China ties"], ["Hong Kong-", "China ties"]),  # a capital goes on: a real hyphen
        (["pages 12-", "14 of it"], ["pages 12-", "14 of it"]),
        (["no hyphen", "here"], ["no hyphen", "here"]),
    ],
)
def test_readers_dehyphenate_joins_words_broken_at_line_ends(lines, expected):
    out, notes = dehyphenate(lines)
    assert out == expected
    assert sorted(notes) == [i for i, (a, b) in enumerate(zip(lines, out)) if a != b and i < len(lines) - 1]


def test_readers_pdf_notes_stay_with_their_lines_when_a_line_is_emptied(tmp_path):
    page = lines_at(72, 700, ["a soft\u00ad", "ware", "and sanc-", "tions on it"])  # line 2 is emptied by its join
    write(tmp_path / "joins.pdf", pdf_bytes([page]))
    extracted = extract_document(tmp_path / "joins.pdf")
    assert extracted.text == "a software\nand sanctions\non it"
    assert dict(extracted.notes) == {1: "page 1; line-end hyphen removed: 'soft\\xad' + 'ware'",
                                     2: "page 1; line-end hyphen removed: 'sanc-' + 'tions'", 3: "page 1"}


def test_readers_pdf_encrypted_or_without_text_is_a_problem(tmp_path):
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf_bytes(REPORT_PAGES))))
    writer.encrypt("secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    write(tmp_path / "locked.pdf", buffer.getvalue())
    scan = pypdf.PdfWriter()
    scan.add_blank_page(612, 792)  # a page with no text layer, as a scan without OCR
    buffer = io.BytesIO()
    scan.write(buffer)
    write(tmp_path / "scan.pdf", buffer.getvalue())
    with pytest.raises(fr.CorpusError) as info:
        fr.load_corpus(tmp_path)
    assert info.value.problems == [
        f"{tmp_path / 'locked.pdf'}: the PDF is encrypted and needs a password; save a copy without one",
        f"{tmp_path / 'scan.pdf'}: the PDF has no text layer (1 page(s) of images, a scan?); "
        "run OCR on it (e.g. ocrmypdf) and add the result",
    ]


def test_readers_pdf_encrypted_without_a_user_password_is_read(tmp_path):
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf_bytes(REPORT_PAGES))))
    writer.encrypt("", owner_password="owner", algorithm="RC4-128")  # opens in any viewer: restrictions only
    buffer = io.BytesIO()
    writer.write(buffer)
    write(tmp_path / "restricted.pdf", buffer.getvalue())
    assert "sanctions" in load_quietly(tmp_path)["restricted"].text


# --------------------------------------------------------------------------- Word


def test_readers_docx_paragraphs_headings_tables_and_core_properties(tmp_path, no_network):
    write(tmp_path / "diplomacy.docx", docx_bytes())
    c = load_quietly(tmp_path)
    doc = c["diplomacy"]
    paras = [(doc.text[p.start:p.end], p.role) for p in doc.paragraphs]
    assert paras == [
        ("City Diplomacy", "title"),
        ("A subtitle that stands first", "dek"),
        ("Practice", "heading"),
        ("The city hosts forums and promotes exchanges with the world.", "body"),  # empty paragraphs dropped
        ("A list item on trade", "body"),
        ("Year | Forums held", "body"),
        ("Challenges", "heading"),
        ("Tensions with the West weigh on its role.", "body"),
    ]
    meta = doc.meta
    assert (meta["title"], meta["author"], meta["date"]) == ("City Diplomacy", "Ann Lee", "2025-06-08")
    assert "created" in meta["date_basis"]
    assert meta["reader"].startswith("python-docx ") and meta["raw_sha256"] == sha256(tmp_path / "diplomacy.docx")


# --------------------------------------------------------------------------- sidecars and manifests


def test_readers_sidecar_metadata_takes_precedence(tmp_path):
    write(tmp_path / "manifest.yaml", "corpus:\n  group_by: source_type\n  source_types: [official, press]\n")
    write(tmp_path / "report.pdf", pdf_bytes(REPORT_PAGES, REPORT_INFO))
    write(tmp_path / "report.pdf.yaml", "doc_id: report_2025\nsource_type: official\ntitle: The real title\n"
                                        "date: 2025-02\ndate_precision: month\noutlet: A ministry\n")
    write(tmp_path / "ports.html", PAGE)
    write(tmp_path / "ports.yaml", "source_type: press\nauthor: Desk staff\n")  # the short form: one ports.*
    write(tmp_path / "diplomacy.docx", docx_bytes())
    write(tmp_path / "diplomacy.docx.yml", "source_type: official\n")
    c = load_quietly(tmp_path)
    assert c.group_by == "source_type" and c.doc_ids == ["diplomacy", "ports", "report_2025"]
    report = c["report_2025"].meta
    assert (report["title"], report["author"], report["outlet"]) == ("The real title", "Ann Lee", "A ministry")
    # the sidecar's date replaces the file's date together with its precision and basis
    assert (report["date"], report["date_precision"], report["date_start"]) == ("2025-02", "month", "2025-02-01")
    assert "date_basis" not in report
    ports = c["ports"].meta
    assert (ports["source_type"], ports["author"], ports["title"]) == ("press", "Desk staff", "Ports and trade")
    assert ports["date_basis"].startswith("the page's metadata")
    assert c.docs.groupby("source_type").size().to_dict() == {"official": 2, "press": 1}


def test_readers_sidecar_cleaning_rules_count_lines_of_the_extracted_text(tmp_path):
    write(tmp_path / "report.pdf", pdf_bytes(REPORT_PAGES, REPORT_INFO))
    lines = extract_document(tmp_path / "report.pdf").text.split("\n")
    last = lines.index("of the report.") + 1
    write(tmp_path / "report.pdf.yaml", f"cleaning:\n  drop:\n    - lines: [1, {last - 1}-{last}]\n"
                                        "      reason: title and the last page\n      expect: 'Ports|report|Page two'\n")
    c = load_quietly(tmp_path)
    assert "Ports and Sanctions" not in c["report"].text and "Page two" not in c["report"].text
    assert [p.role for p in c["report"].paragraphs] == ["body"] * 3 + ["heading"]
    dropped = c.cleaning_report()
    assert dropped[["reason", "lines"]].values.tolist() == [["title and the last page", f"L1, L{last - 1}-L{last}"]]


def test_readers_sidecar_problems_are_named(tmp_path):
    write(tmp_path / "a.pdf", pdf_bytes(REPORT_PAGES))
    write(tmp_path / "a.docx", docx_bytes())
    write(tmp_path / "a.yaml", "source_type: press\n")  # which a?
    write(tmp_path / "b.html", PAGE)
    write(tmp_path / "b.html.yaml", "source_type: press\ntitle: [unclosed\n")
    write(tmp_path / "c.html", PAGE)
    write(tmp_path / "c.html.yaml", "reader: my own\n")
    with pytest.raises(fr.CorpusError) as info:
        fr.load_corpus(tmp_path)
    problems = info.value.problems
    assert f"{tmp_path / 'a.yaml'}: could be the sidecar of a.docx or a.pdf; name it a.docx.yaml " \
           "(the document's full name, then .yaml)" in problems
    assert any(p.startswith(f"{tmp_path / 'b.html.yaml'}:3: malformed sidecar") for p in problems)
    assert f"{tmp_path / 'c.html.yaml'}:1: reader is recorded by the reader; leave it out" in problems
    assert all("\n" not in p for p in problems)


def test_readers_missing_required_field_points_to_a_sidecar(tmp_path):
    write(tmp_path / "manifest.yaml", "corpus:\n  required: [source_type]\n")
    write(tmp_path / "report.pdf", pdf_bytes(REPORT_PAGES))
    with pytest.raises(fr.CorpusError, match=r"report\.pdf: document 'report': missing required field 'source_type' "
                                             r"\(give it in a sidecar report\.pdf\.yaml\)"):
        fr.load_corpus(tmp_path)


def test_readers_manifest_raw_file_may_be_a_pdf_or_word_file(tmp_path):
    pdf = write(tmp_path / "raw" / "report.pdf", pdf_bytes(REPORT_PAGES, REPORT_INFO))
    write(tmp_path / "raw" / "diplomacy.docx", docx_bytes())
    manifest = f"""corpus:
  group_by: source_type
  source_types: [official, academic]
raw_files:
  raw/report.pdf: {sha256(pdf)}
documents:
  - doc_id: report
    source_type: official
    raw_file: raw/report.pdf
    date: 2025-01-05
    cleaning:
      drop:
        - lines: [1]
          reason: title repeated
  - doc_id: diplomacy
    source_type: academic
    raw_file: raw/diplomacy.docx
"""
    write(tmp_path / "manifest.yaml", manifest)
    c = load_quietly(tmp_path)
    assert c.doc_ids == ["report", "diplomacy"]
    assert c["report"].meta["date"] == "2025-01-05" and c["report"].meta["title"] == "Ports and Sanctions"
    assert c["report"].text.startswith("The port handled")
    assert c["diplomacy"].meta["raw_file"] == "raw/diplomacy.docx"
    write(tmp_path / "manifest.yaml", manifest.replace(sha256(pdf), "f" * 64))
    with pytest.raises(fr.CorpusError, match=r"raw/report\.pdf: sha256 .* does not match the manifest's ffffffffffff"):
        fr.load_corpus(tmp_path)


def test_readers_a_sidecar_of_a_file_the_manifest_lists_is_reported(tmp_path):
    write(tmp_path / "report.pdf", pdf_bytes(REPORT_PAGES))
    write(tmp_path / "report.pdf.yaml", "source_type: press\n")
    write(tmp_path / "manifest.yaml", "documents:\n  - doc_id: report\n    raw_file: report.pdf\n")
    with pytest.warns(SkippedFilesWarning, match=r"report\.pdf\.yaml: describes report\.pdf, which the manifest lists"):
        c = fr.load_corpus(tmp_path)
    assert c.doc_ids == ["report"] and "source_type" not in c["report"].meta


# --------------------------------------------------------------------------- problems, skips, no writes


def test_readers_damaged_files_are_one_line_problems_naming_the_file(tmp_path):
    pdf = pdf_bytes(REPORT_PAGES, REPORT_INFO)
    write(tmp_path / "good.md", "---\ndoc_id: good\n---\nA readable text.\n")
    write(tmp_path / "cut.pdf", pdf[: len(pdf) // 2])
    write(tmp_path / "fake.pdf", b"Just some text named .pdf\n%%EOF\n")
    write(tmp_path / "broken.pdf", pdf[:9] + bytes(range(256)) * 4 + b"\n%%EOF\n")  # a header, then noise
    write(tmp_path / "cut.docx", docx_bytes()[:3000])
    write(tmp_path / "binary.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(tmp_path / "empty.html", "<html><body><nav><a href='/'>Home</a></nav></body></html>")
    with pytest.raises(fr.CorpusError) as info:
        fr.load_corpus(tmp_path)
    problems = info.value.problems
    assert "Traceback" not in str(info.value) and all("\n" not in p for p in problems)
    by_file = {name: [p for p in problems if p.startswith(str(tmp_path / name) + ":")]
               for name in ("cut.pdf", "fake.pdf", "broken.pdf", "cut.docx", "binary.html", "empty.html")}
    assert {name: len(found) for name, found in by_file.items()} == dict.fromkeys(by_file, 1), problems
    assert "truncated or damaged (no %%EOF marker" in by_file["cut.pdf"][0]
    assert "not a PDF file" in by_file["fake.pdf"][0]
    assert "not a readable Word .docx file" in by_file["cut.docx"][0]
    assert "looks like a binary file" in by_file["binary.html"][0]
    assert len(problems) == 6  # good.md is fine


def test_readers_a_missing_reader_library_is_a_problem_not_a_traceback(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pypdf", None)  # as if pypdf were not installed
    write(tmp_path / "report.pdf", pdf_bytes(REPORT_PAGES))
    with pytest.raises(fr.CorpusError, match=r"report\.pdf: reading this file needs the 'pypdf' package, which is "
                                             r"not installed \(pip install pypdf; "):
        fr.load_corpus(tmp_path)


def test_readers_unknown_types_are_reported_never_silent(tmp_path):
    write(tmp_path / "a.md", "---\ndoc_id: a\n---\nA readable text.\n")
    for name in ("notes.rtf", "old.doc", "draft.odt", "figures.xlsx", "scan.png", "data.csv", "stray.yaml", "LICENSE"):
        write(tmp_path / "in" / name, b"\x00\x01 not a document")
    write(tmp_path / ".hidden.rtf", "hidden")
    write(tmp_path / "README.rtf", "read me")
    write(tmp_path / "coding" / "sheet.xlsx", b"\x00")
    write(tmp_path / "manifest.yaml", "corpus:\n  name: mine\n")
    with pytest.warns(SkippedFilesWarning) as caught:
        c = fr.load_corpus(tmp_path)
    assert c.doc_ids == ["a"]
    message = str(caught[0].message)
    assert message.startswith(f"{tmp_path}: 8 file(s) skipped, not documents framing reads:\n")
    assert f"  - {tmp_path / 'in' / 'old.doc'}: an old binary Word file; save it as .docx" in message
    assert f"  - {tmp_path / 'in' / 'figures.xlsx'}: a spreadsheet; export it as .csv" in message
    assert f"  - {tmp_path / 'in' / 'scan.png'}: an image; run OCR on it" in message
    assert f"{tmp_path / 'in' / 'LICENSE'}: no file type not read as documents" in message
    for name in ("notes.rtf", "draft.odt", "data.csv", "stray.yaml"):
        assert str(tmp_path / "in" / name) in message
    for quiet in (".hidden.rtf", "README.rtf", "coding", "manifest.yaml"):
        assert str(tmp_path / quiet) not in message


def test_readers_a_folder_with_nothing_readable_is_an_error(tmp_path):
    write(tmp_path / "notes.rtf", "{\\rtf1 text}")
    write(tmp_path / "pic.jpg", b"\xff\xd8\xff")
    with pytest.raises(fr.CorpusError) as info:
        fr.load_corpus(tmp_path)
    assert info.value.problems == [
        f"{tmp_path}: no documents (no manifest.yaml and no .txt, .md, .html, .pdf or .docx files)",
        f"{tmp_path / 'notes.rtf'}: skipped: a word-processor format framing does not read; save it as .docx or .txt",
        f"{tmp_path / 'pic.jpg'}: skipped: an image; run OCR on it and add the text as .txt",
    ]


def test_readers_raw_files_are_left_untouched(tmp_path):
    write(tmp_path / "report.pdf", pdf_bytes(REPORT_PAGES, REPORT_INFO))
    write(tmp_path / "report.pdf.yaml", "source_type: official\n")
    write(tmp_path / "ports.html", PAGE)
    write(tmp_path / "diplomacy.docx", docx_bytes())
    write(tmp_path / "notes.rtf", "{\\rtf1 text}")
    before = {p.name: (sha256(p), p.stat().st_mtime_ns) for p in sorted(tmp_path.iterdir())}
    with pytest.warns(SkippedFilesWarning):
        c = fr.load_corpus(tmp_path)
    fr.dtm(c, fr.Preprocessor())
    after = {p.name: (sha256(p), p.stat().st_mtime_ns) for p in sorted(tmp_path.iterdir())}
    assert after == before  # same bytes, same times, no new files
    assert {d.meta["raw_sha256"] for d in c} == {before[n][0] for n in ("report.pdf", "ports.html", "diplomacy.docx")}


def test_readers_corpus_check_reports_the_skipped_files(tmp_path, capsys):
    from framing.cli import main

    write(tmp_path / "ports.html", PAGE)
    write(tmp_path / "notes.rtf", "{\\rtf1 text}")
    write(tmp_path / "budget.xlsx", b"PK\x03\x04")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        status = main(["corpus", "check", str(tmp_path)])
    out = capsys.readouterr()
    said = out.out + out.err + "\n".join(str(w.message) for w in caught)  # printed, or raised as a warning
    assert status == 0 and f"{tmp_path}: OK, 1 documents" in out.out
    assert f"{tmp_path / 'notes.rtf'}: a word-processor format" in said
    assert f"{tmp_path / 'budget.xlsx'}: a spreadsheet" in said
    write(tmp_path / "ports.html", b"\x00\x00")  # nothing readable left: an error, one line per problem
    assert main(["corpus", "check", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and f"{tmp_path / 'notes.rtf'}: skipped" in err and "ports.html" in err
