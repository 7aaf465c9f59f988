"""The bundled corpus: raw files, metadata, and the declared cleaning."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

import framing as fr
from conftest import ROOT, SEEDS

RAW = ROOT / "corpus" / "raw"
MANIFEST = yaml.safe_load((ROOT / "corpus" / "manifest.yaml").read_text("utf-8"))

# sha256 of the five seed files, written out here so that the manifest, the
# raw copies and the seeds are all checked against one independent record.
SEED_SHA256 = {
    "000_80226983e27349b4.txt": "cde30ea3e66eab4cd88228aeb1f27e0237d6fe49e01743e1721412e4876f1d30",
    "001_30a5e7a1cdd91cb0.txt": "e2b55d9e8cb9aa936bc1307bb37a6a0645d9ab839d7caf0971cf918a33923736",
    "002_1a6e50ead4563987.txt": "628a4bd741f1b3663f6faf6ff8f4e3d99476181fd7cfc1a3e2607a0870604ebd",
    "003_b3834bd86319fe0f.txt": "ae5a6d97d6d3dc7175236600e43a196aa5f272735311edb02f59235d7def6f48",
    "004_d619e6ed8e3f978f.txt": "115235c8cfed1a4df79176e31fc051e123464b8e2b23a45dc7075701bf4353bc",
}

# PROVENANCE.md: the first and last body sentence of each document.
FIRST_LAST = {
    "official_br_office_work": ("The Belt and Road (B&R) Initiative is", "telling good stories of our country."),
    "academic_md_city_diplomacy": ("Globalization has woven the world", "broader space for its future development."),
    "press_scmp_international_ties": ("When law professor", "We do not talk about politics,” he said."),
    "commentary_diplomat_global_south": ("To many observers", "endowed with Chinese characteristics."),
    "official_dpo_genai_guideline": ("The Digital Policy Office (DPO) released today", "ethical_ai_framework/."),
    "official_sfst_earth_forum": ("Following is the speech by", "Thank you."),
}

# PROVENANCE.md: boilerplate that must not survive cleaning.
BOILERPLATE = [
    "SCMP Knowledge", "Photo:", "More from South China Morning Post", "download our mobile app",
    "Copyright 2025", "WhatsApp", "Next In Aseanplus News", "Durian Tunggal", "Others Also Read",
    "Additional reporting by", "The Diplomat05-08-2025", "Orange background", "Try Our AI Features",
    "Daily8", "No comments yet", "Related Articles", "China Slowly Making Security Inroads",
    "Lowy Institute", "Xi Jinping visits Tibet", "Lhasa", "White House launches TikTok", "Kyodo",
    "DOWNLOAD THE APP", "app-storeplay-store", "time6 hours ago",
]

# PROVENANCE.md: heading lines per raw file.
HEADINGS = {
    "official_br_office_work": [2, 5, 8, 10, 11, 23, 34, 57, 67, 72, 86, 91],
    "academic_md_city_diplomacy": [5, 6, 10, 16, 20, 21, 25, 30, 31, 38],
    "press_scmp_international_ties": [48, 72, 104, 122, 140],
    "commentary_diplomat_global_south": [14, 23, 28, 34],
    "official_dpo_genai_guideline": [],
    "official_sfst_earth_forum": [],
}


@pytest.mark.parametrize("name", sorted(SEED_SHA256))
def test_corpus_raw_files_are_byte_identical_to_the_seeds(name):
    data = (RAW / name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == SEED_SHA256[name]
    assert MANIFEST["raw_files"][f"raw/{name}"] == SEED_SHA256[name]
    if SEEDS.is_dir():
        assert (SEEDS / name).read_bytes() == data


def test_corpus_bundled_has_six_documents_in_four_source_types(corpus):
    docs = corpus.docs
    assert len(docs) == 6
    assert docs["doc_id"].is_unique
    assert docs.groupby("source_type").size().to_dict() == {"official": 3, "academic": 1, "press": 1, "commentary": 1}
    # file 004 holds two press releases
    assert (docs["raw_file"] == "raw/004_d619e6ed8e3f978f.txt").sum() == 2


def test_corpus_metadata_has_every_required_field(corpus):
    docs = corpus.docs
    for col in ["doc_id", "source_type", "outlet", "publisher", "title", "date", "date_precision", "url", "raw_file", "language"]:
        assert docs[col].notna().all(), col
    assert set(docs["language"]) == {"en"}
    # ISO 8601 dates with their derived bounds
    for _, row in docs.iterrows():
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["date_start"]) and row["date_start"] <= row["date_end"]
    br = corpus["official_br_office_work"].meta
    assert br["date"] == "2025-09/2025-11" and br["date_start"] == "2025-09-01" and br["date_end"] == "2025-11-30"
    assert "no later than" in br["date_basis"].lower() or "no earlier" in br["date_basis"].lower()
    press = corpus["press_scmp_international_ties"].meta
    assert press["republished_by"] == "The Star (Malaysia)"
    assert corpus["commentary_diplomat_global_south"].meta["author"] == "Owen Au; Ryan Wu"


def test_corpus_academic_document_says_why_it_is_classed_academic(corpus):
    meta = corpus["academic_md_city_diplomacy"].meta
    assert meta["source_type"] == "academic"
    assert meta["outlet"] == "Modern Diplomacy"
    assert "not peer reviewed" in meta["classification"]


@pytest.mark.parametrize("doc_id", sorted(FIRST_LAST))
def test_corpus_first_and_last_body_sentences_are_those_of_the_provenance(corpus, doc_id):
    sents = corpus.units("sentence")
    body = sents[(sents["doc_id"] == doc_id) & (sents["role"] == "body")]
    first, last = FIRST_LAST[doc_id]
    assert body["text"].iloc[0].startswith(first)
    assert body["text"].iloc[-1].endswith(last)


@pytest.mark.parametrize("needle", BOILERPLATE)
def test_corpus_boilerplate_does_not_survive_cleaning(corpus, needle):
    for doc in corpus:
        assert needle not in doc.text, (doc.doc_id, needle)


def test_corpus_clean_text_is_raw_text_in_order(corpus):
    """Every paragraph is a piece of its raw file, and they come in file order."""
    for doc in corpus:
        raw = (ROOT / "corpus" / doc.meta["raw_file"]).read_text("utf-8")
        pos = 0
        for para in doc.paragraphs:
            piece = doc.text[para.start:para.end]
            found = raw.find(piece, pos)
            assert found >= 0, (doc.doc_id, piece[:60])
            pos = found + len(piece)
        # nothing but paragraphs and their separators
        rebuilt = "\n\n".join(doc.text[p.start:p.end] for p in doc.paragraphs)
        assert rebuilt == doc.text


@pytest.mark.parametrize("doc_id", sorted(HEADINGS))
def test_corpus_titles_and_headings_are_kept_and_marked(corpus, doc_id):
    doc = corpus[doc_id]
    assert [p.line for p in doc.paragraphs if p.role == "heading"] == HEADINGS[doc_id]
    titles = [doc.text[p.start:p.end] for p in doc.paragraphs if p.role == "title"]
    if doc_id == "academic_md_city_diplomacy":
        assert titles == []  # the raw file has no title; metadata carries it
    else:
        assert titles == [doc.meta["title"]]


def test_corpus_cleaning_audit_accounts_for_every_nonblank_raw_line(corpus):
    audit = corpus.cleaning
    for raw_file, group in audit.groupby("raw_file"):
        lines = (ROOT / "corpus" / raw_file).read_text("utf-8").split("\n")
        nonblank = {i + 1 for i, ln in enumerate(lines) if ln.strip()}
        assert set(group["line"]) == nonblank, raw_file
    dropped = audit[audit["action"] == "dropped"]
    assert dropped["reason"].str.len().gt(0).all()
    press = dropped[dropped["doc_id"] == "press_scmp_international_ties"]
    assert set(press.loc[press["reason"] == "photo caption", "line"]) == {20, 58, 102, 152}
    # The Diplomat's unrelated "Related Articles" (L48-L85) are cut, L59's full text included
    diplomat = dropped[dropped["doc_id"] == "commentary_diplomat_global_south"]
    assert set(range(48, 86)) & set(diplomat["line"]) == {n for n in range(48, 86) if lines_nonblank("003", n)}


def lines_nonblank(prefix: str, n: int) -> bool:
    path = next(RAW.glob(f"{prefix}_*.txt"))
    return bool(path.read_text("utf-8").split("\n")[n - 1].strip())


def test_corpus_bullets_are_stripped_by_a_declared_rule(corpus):
    doc = corpus["official_br_office_work"]
    assert not any(doc.text[p.start:p.end].startswith("- ") for p in doc.paragraphs)
    audit = corpus.cleaning
    assert audit.loc[audit["doc_id"] == "official_br_office_work", "reason"].str.contains("bullet").any()


def _tree_state(path: Path) -> dict[str, tuple[int, str]]:
    return {
        str(p.relative_to(path)): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(path.rglob("*")) if p.is_file()
    }


def test_corpus_is_never_written(corpus_copy):
    before = _tree_state(corpus_copy)
    c = fr.load_corpus(corpus_copy)
    fr.summary(c, by="source_type")
    fr.dtm(c, fr.Preprocessor(), unit="sentence")
    assert _tree_state(corpus_copy) == before


def test_corpus_summary_by_group_adds_up_to_the_documents(corpus):
    per_doc = fr.summary(corpus)
    per_group = fr.summary(corpus, by="source_type")
    assert per_group["documents"].sum() == 6
    for col in ("paragraphs", "sentences", "tokens", "headings"):
        assert per_group[col].sum() == per_doc[col].sum()
    assert per_doc["preprocessor"].nunique() == 1
    # types of a group are counted over the group, so never more than the sum
    official = per_doc[per_doc["source_type"] == "official"]
    row = per_group.set_index("source_type").loc["official"]
    assert official["types"].max() <= row["types"] <= official["types"].sum()


def test_corpus_summary_counts_running_words_like_a_plain_regex(corpus):
    """Independent count: a regular expression over each paragraph."""
    per_doc = fr.summary(corpus).set_index("doc_id")
    for doc in corpus:
        n = 0
        for p in doc.paragraphs:
            toks = re.findall(r"[^\W_]+(?:['’\-‐‑][^\W_]+)*", doc.text[p.start:p.end])
            n += sum(1 for t in toks if any(c.isalpha() for c in t))
        assert per_doc.loc[doc.doc_id, "tokens"] == n


def test_corpus_cleaning_report_lists_each_reason_with_its_lines(corpus):
    report = corpus.cleaning_report()
    assert list(report.columns) == ["doc_id", "raw_file", "reason", "lines", "n_lines", "example"]
    captions = report[report["reason"] == "photo caption"].iloc[0]
    assert captions["lines"] == "L20, L58, L102, L152" and captions["n_lines"] == 4
    headlines = report[report["reason"].str.startswith("ten unrelated headlines")].iloc[0]
    assert headlines["lines"] == "L180-L189"
    # the two press releases of file 004 are split by line ranges, not by dropping text
    assert not report["doc_id"].str.startswith("official_").any()
    audit = corpus.cleaning
    assert set(audit.loc[audit["doc_id"] == "official_dpo_genai_guideline", "action"]) == {"title", "body", "outside"}


def test_corpus_summary_method_warns_once_and_gives_fr_summary(corpus, monkeypatch):
    monkeypatch.setattr("framing.base.deprecation._WARNED", set())
    with pytest.warns(FutureWarning, match=r"fr\.summary"):
        old = corpus.summary(by="source_type")
    pd.testing.assert_frame_equal(old, fr.summary(corpus, by="source_type"))


# --------------------------------------------------------------------------- how texts mark paragraphs


def _as_table(corpus: fr.Corpus, sep: str) -> pd.DataFrame:
    paras = corpus.units("paragraph")
    meta = corpus.meta.set_index("doc_id")
    return pd.DataFrame([{"doc_id": d, "source_type": meta.loc[d, "source_type"],
                          "text": sep.join(paras.loc[paras["doc_id"] == d, "text"])} for d in corpus.doc_ids])


def test_corpus_single_newline_paragraphs_are_split_by_default(corpus):
    # the bundled corpus as a table with one line break between paragraphs: 270 paragraphs, not 6
    table = _as_table(corpus, "\n")
    auto = fr.Corpus.from_frame(table, group_by="source_type")
    assert len(auto.units("paragraph")) == len(corpus.units("paragraph")) == 270
    assert auto.units("paragraph")["text"].tolist() == corpus.units("paragraph")["text"].tolist()
    assert len(fr.Corpus.from_frame(table, paragraphs="blank_line").units("paragraph")) == 6  # asked for: one each
    # with blank lines between paragraphs, auto reads blank lines, and single breaks inside are wrapping
    wrapped = pd.DataFrame({"doc_id": ["a"], "text": ["One paragraph\nwrapped here.\n\nA second one."]})
    got = fr.Corpus.from_frame(wrapped).units("paragraph")["text"].tolist()
    assert got == ["One paragraph\nwrapped here.", "A second one."]
    assert len(fr.Corpus.from_frame(wrapped, paragraphs="line").units("paragraph")) == 3
    with pytest.raises(fr.ArgumentError, match="paragraphs=3 must be"):
        fr.Corpus.from_frame(wrapped, paragraphs=3)


def test_corpus_paragraph_mode_reaches_tables_scans_files_and_the_cli(tmp_path):
    import subprocess
    import sys

    text = "Q: Will the city stay a bridge?\nA: It will, said the official.\nQ: And sanctions?"
    path = tmp_path / "pressers.csv"
    pd.DataFrame({"doc_id": ["p1"], "text": [text]}).to_csv(path, index=False)
    assert len(fr.load_corpus(path).units("paragraph")) == 3
    assert len(fr.load_corpus(path, paragraphs="blank_line").units("paragraph")) == 1
    scan = fr.CorpusScan(path, chunksize=1)
    assert sum(len(p.units("paragraph")) for p in scan.partitions()) == 3
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "p1.txt").write_text(text + "\n", encoding="utf-8")
    assert len(fr.load_corpus(folder).units("paragraph")) == 3
    out = subprocess.run([sys.executable, "-m", "framing", "kwic", str(path), "Q", "--paragraphs", "blank_line"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_corpus_paragraphs_by_a_pattern_and_a_note_for_unsplit_documents(tmp_path):
    import subprocess
    import sys
    import warnings

    text = "Q: Will the city stay a bridge,\nwith so much in flux?\nA: It will.\nIt has always been one.\nQ: And sanctions?"
    table = pd.DataFrame({"doc_id": ["p1", "p2"], "text": [text, "One line only."]})
    turns = fr.Corpus.from_frame(table, paragraphs=r"^(Q|A):").units("paragraph")
    assert turns.loc[turns["doc_id"] == "p1", "text"].tolist() == [
        "Q: Will the city stay a bridge,\nwith so much in flux?", "A: It will.\nIt has always been one.", "Q: And sanctions?"]
    with pytest.raises(fr.ArgumentError, match="regular expression"):
        fr.Corpus.from_frame(table, paragraphs="(Q")
    forced = fr.Corpus.from_frame(table, paragraphs="blank_line")
    from framing.corpus.model import unsplit_documents

    assert unsplit_documents(forced) == ["p1"]  # one paragraph with line breaks; p2 has none
    assert unsplit_documents(fr.Corpus.from_frame(table)) == []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fr.summary(forced)
    assert any("1 of 2 documents are one paragraph although their text has line breaks" in str(w.message) for w in caught)
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "p1.txt").write_text("---\ncleaning:\n  paragraphs: blank_line\n---\n" + text + "\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "framing", "corpus", "check", str(folder)], capture_output=True, text=True)
    assert out.returncode == 0 and "note: 1 of 1 documents are one paragraph" in out.stdout, out.stdout + out.stderr
    bad = subprocess.run([sys.executable, "-m", "framing", "kwic", str(tmp_path / "x.csv"), "Q", "--paragraphs", "(Q"],
                         capture_output=True, text=True)
    assert bad.returncode != 0 and "regular expression" in bad.stderr
