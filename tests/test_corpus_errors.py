"""Bad input: one framing error naming the file, line and problem."""

from __future__ import annotations

import pandas as pd
import pytest

import framing as fr
from conftest import write

DOC = """---
doc_id: {doc_id}
source_type: {source_type}
title: A test document
---
# A heading

Hong Kong is a bridge between the Mainland and the world.
"""


def folder(tmp_path, files):
    for name, text in files.items():
        write(tmp_path / name, text)
    return tmp_path


def test_corpus_folder_of_front_matter_files_loads_with_markdown_headings(tmp_path):
    folder(tmp_path, {"a.md": DOC.format(doc_id="a", source_type="press"), "b.txt": "Just a text.\n\nTwo paragraphs."})
    c = fr.load_corpus(tmp_path)
    assert c.doc_ids == ["a", "b"]
    a = c["a"]
    assert [p.role for p in a.paragraphs] == ["heading", "body"]
    assert a.text.startswith("A heading\n\nHong Kong")
    assert c["b"].meta == {"raw_file": "b.txt"}
    assert len(c["b"].paragraphs) == 2


def test_corpus_adding_a_document_to_the_bundled_folder_needs_no_code(corpus_copy):
    write(corpus_copy / "extra" / "new_op_ed.md", DOC.format(doc_id="new_op_ed", source_type="commentary")
          .replace("title: A test document", "title: A test document\noutlet: X\npublisher: X\ndate: 2025-01-02\n"
                   "date_precision: day\nurl: https://example.org\nraw_file: extra/new_op_ed.md\nlanguage: en"))
    c = fr.load_corpus(corpus_copy)
    assert len(c) == 7
    assert c.docs.groupby("source_type").size()["commentary"] == 2


def test_corpus_missing_required_field_names_file_and_field(corpus_copy):
    write(corpus_copy / "x.md", DOC.format(doc_id="x", source_type="press"))
    with pytest.raises(fr.CorpusError, match=r"x\.md:1: document 'x': missing required field 'outlet'"):
        fr.load_corpus(corpus_copy)


def test_corpus_unknown_source_type_lists_the_allowed_ones(tmp_path):
    write(tmp_path / "manifest.yaml", "corpus:\n  group_by: source_type\n  source_types: [official, press]\n")
    write(tmp_path / "x.md", DOC.format(doc_id="x", source_type="blog"))
    with pytest.raises(fr.CorpusError, match=r"x\.md:1: document 'x': source_type 'blog' is not one of official, press"):
        fr.load_corpus(tmp_path)


def test_corpus_allowed_groups_are_configurable(tmp_path):
    write(tmp_path / "manifest.yaml", "corpus:\n  group_by: source_type\n  source_types: [official, press]\n")
    write(tmp_path / "x.md", DOC.format(doc_id="x", source_type="blog"))
    c = fr.load_corpus(tmp_path, groups=["blog"])
    assert c.docs["source_type"].tolist() == ["blog"]


def test_corpus_duplicate_doc_id_names_both_places(tmp_path):
    folder(tmp_path, {"a.md": DOC.format(doc_id="same", source_type="press"),
                      "b.md": DOC.format(doc_id="same", source_type="press")})
    with pytest.raises(fr.CorpusError, match=r"b\.md:1: duplicate doc_id 'same' \(also at .*a\.md:1\)"):
        fr.load_corpus(tmp_path)


def test_corpus_empty_body_is_refused(tmp_path):
    write(tmp_path / "empty.md", "---\ndoc_id: empty\n---\n\n   \n")
    with pytest.raises(fr.CorpusError, match=r"empty\.md:1: document 'empty': empty body"):
        fr.load_corpus(tmp_path)


def test_corpus_non_utf8_bytes_name_the_line(tmp_path):
    write(tmp_path / "latin1.txt", "first line\nsecond caf\xe9 line\n".encode("latin-1"))
    with pytest.raises(fr.CorpusError, match=r"latin1\.txt:2: bytes are not UTF-8 \(byte 0xe9"):
        fr.load_corpus(tmp_path)


def test_corpus_binary_file_is_refused(tmp_path):
    write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(fr.CorpusError, match=r"image\.txt: looks like a binary file"):
        fr.load_corpus(tmp_path)


def test_corpus_malformed_front_matter_names_the_line(tmp_path):
    write(tmp_path / "bad.md", "---\ndoc_id: bad\ntitle: [unclosed\n---\nText.\n")
    with pytest.raises(fr.CorpusError, match=r"bad\.md:\d+: malformed front matter"):
        fr.load_corpus(tmp_path)


def test_corpus_unclosed_front_matter_is_refused(tmp_path):
    write(tmp_path / "open.md", "---\ndoc_id: open\nText without a closing fence.\n")
    with pytest.raises(fr.CorpusError, match=r"open\.md:1: front matter opened with '---' is never closed"):
        fr.load_corpus(tmp_path)


def test_corpus_front_matter_that_builds_python_objects_is_refused(tmp_path):
    write(tmp_path / "evil.md", "---\ndoc_id: !!python/object/apply:os.system ['echo hacked']\n---\nText.\n")
    with pytest.raises(fr.CorpusError, match=r"evil\.md:2: malformed front matter: refused to construct a Python object"):
        fr.load_corpus(tmp_path)


def test_corpus_every_problem_is_reported_at_once(tmp_path):
    folder(tmp_path, {"a.md": DOC.format(doc_id="same", source_type="press"),
                      "b.md": DOC.format(doc_id="same", source_type="press"),
                      "c.md": "---\ndoc_id: c\n---\n"})
    with pytest.raises(fr.CorpusError) as info:
        fr.load_corpus(tmp_path)
    assert len(info.value.problems) == 2
    assert str(info.value).startswith("2 problems:")


def test_corpus_raw_file_outside_the_folder_is_refused(corpus_copy):
    text = (corpus_copy / "manifest.yaml").read_text("utf-8")
    (corpus_copy / "manifest.yaml").write_text(text.replace("raw_file: raw/001_30a5e7a1cdd91cb0.txt", "raw_file: ../../etc/passwd"))
    with pytest.raises(fr.CorpusError, match=r"manifest\.yaml:\d+: document 'academic_md_city_diplomacy': raw_file '\.\./\.\./etc/passwd' lies outside"):
        fr.load_corpus(corpus_copy)


def test_corpus_changed_raw_file_fails_its_checksum(corpus_copy):
    raw = corpus_copy / "raw" / "001_30a5e7a1cdd91cb0.txt"
    raw.write_text(raw.read_text("utf-8") + " edited", encoding="utf-8")
    with pytest.raises(fr.CorpusError, match=r"001_30a5e7a1cdd91cb0\.txt: sha256 .* does not match"):
        fr.load_corpus(corpus_copy)


def test_corpus_cleaning_rule_pointing_at_the_wrong_line_fails(corpus_copy):
    text = (corpus_copy / "manifest.yaml").read_text("utf-8")
    (corpus_copy / "manifest.yaml").write_text(text.replace("lines: [20, 58, 102, 152]", "lines: [20, 58, 102, 150]"))
    with pytest.raises(fr.CorpusError, match=r"line 150 does not contain 'Photo: '"):
        fr.load_corpus(corpus_copy)


def test_corpus_unknown_cleaning_rule_is_named(tmp_path):
    write(tmp_path / "a.md", "---\ndoc_id: a\ncleaning:\n  drop_everything: true\n---\nText.\n")
    with pytest.raises(fr.CorpusError, match=r"unknown cleaning rule\(s\) 'drop_everything'"):
        fr.load_corpus(tmp_path)


def test_corpus_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(fr.CorpusError, match=r"no such corpus folder"):
        fr.load_corpus(tmp_path / "nope")


def test_corpus_bad_doc_id_is_refused(tmp_path):
    write(tmp_path / "a.md", "---\ndoc_id: 'has space'\n---\nText.\n")
    with pytest.raises(fr.CorpusError, match=r"doc_id 'has space' must be"):
        fr.load_corpus(tmp_path)


def test_corpus_bad_date_is_refused(tmp_path):
    write(tmp_path / "a.md", "---\ndoc_id: a\ndate: 13 March 2025\n---\nText.\n")
    with pytest.raises(fr.CorpusError, match=r"date '13 March 2025' is not a valid ISO 8601 date"):
        fr.load_corpus(tmp_path)


# --------------------------------------------------------------------------- from_frame


def test_corpus_from_frame_keeps_other_columns_as_metadata():
    df = pd.DataFrame({"id": ["a", "b"], "body": ["One.\n\nTwo.", "Three."], "party": ["x", "y"], "year": [2020, 2021]})
    c = fr.Corpus.from_frame(df, text="body", doc_id="id", group_by="party")
    assert c.doc_ids == ["a", "b"]
    assert c.docs[["party", "year"]].to_dict("list") == {"party": ["x", "y"], "year": [2020, 2021]}
    assert len(c["a"].paragraphs) == 2
    assert c.group_by == "party"
    assert c.summary(by="party")["documents"].tolist() == [1, 1]


def test_corpus_from_frame_missing_column_names_it():
    df = pd.DataFrame({"doc_id": ["a"], "content": ["x"]})
    with pytest.raises(fr.CorpusError, match=r"from_frame: column\(s\) 'text' not in the table; its columns are doc_id, content"):
        fr.Corpus.from_frame(df)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ({"doc_id": ["a", "a"], "text": ["x", "y"]}, r"row 1: duplicate doc_id 'a' \(first at row 0\)"),
        ({"doc_id": ["a"], "text": [""]}, r"row 0: document 'a': empty body"),
        ({"doc_id": ["a"], "text": [None]}, r"row 0: document 'a': text is missing \(an empty cell\)"),
        ({"doc_id": [None], "text": ["x"]}, r"row 0: doc_id None must be"),
    ],
)
def test_corpus_from_frame_bad_rows_are_named(rows, message):
    with pytest.raises(fr.CorpusError, match=message):
        fr.Corpus.from_frame(pd.DataFrame(rows))


def test_corpus_from_frame_checks_groups():
    df = pd.DataFrame({"doc_id": ["a"], "text": ["x"], "source_type": ["blog"]})
    with pytest.raises(fr.CorpusError, match=r"source_type 'blog' is not one of official, press"):
        fr.Corpus.from_frame(df, group_by="source_type", groups=["official", "press"])


def test_corpus_errors_share_one_base_class():
    assert issubclass(fr.CorpusError, fr.FramingError)
    assert issubclass(fr.PreprocessorError, fr.FramingError)
    assert issubclass(fr.ArgumentError, fr.FramingError)


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_corpus_tables_load_from_csv_parquet_and_jsonl(tmp_path, suffix):
    df = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Hong Kong is a bridge.", "The US sanctioned it."], "side": ["x", "y"]})
    path = tmp_path / f"docs{suffix}"
    {".csv": lambda: df.to_csv(path, index=False), ".parquet": lambda: df.to_parquet(path),
     ".jsonl": lambda: df.to_json(path, orient="records", lines=True)}[suffix]()
    c = fr.load_corpus(path, group_by="side")
    assert c.doc_ids == ["a", "b"] and c.group_by == "side"
    assert c.content_hash == fr.Corpus.from_frame(df, group_by="side").content_hash


def test_corpus_unreadable_table_is_named(tmp_path):
    bad = tmp_path / "broken.parquet"
    bad.write_bytes(b"not parquet")
    with pytest.raises(fr.CorpusError, match=r"broken\.parquet: cannot be read as a table"):
        fr.load_corpus(bad)


def test_corpus_errors_carriage_return_line_ends_keep_front_matter(tmp_path):
    from conftest import write

    body = "---\ndoc_id: mac\nsource_type: press\n---\nTitle line\n\nFirst paragraph.\n\nSecond paragraph.\n"
    write(tmp_path / "unix.md", body)
    write(tmp_path / "mac.md", body.replace("\n", "\r").replace("doc_id: mac", "doc_id: old_mac"))
    write(tmp_path / "win.md", body.replace("\n", "\r\n").replace("doc_id: mac", "doc_id: win"))
    c = fr.load_corpus(tmp_path)
    assert sorted(c.doc_ids) == ["mac", "old_mac", "win"]
    texts = {d.doc_id: d.text for d in c}
    assert texts["old_mac"] == texts["mac"] == texts["win"]
    assert "doc_id" not in texts["old_mac"] and c["old_mac"].meta["source_type"] == "press"
    assert len(c["old_mac"].paragraphs) == 3


def test_corpus_errors_a_link_out_of_the_folder_is_refused(tmp_path):
    from conftest import write

    outside = write(tmp_path / "secret.txt", "---\ndoc_id: secret\n---\nNot part of the corpus.\n")
    folder = tmp_path / "corpus"
    write(folder / "a.md", "---\ndoc_id: a\n---\nText.\n")
    (folder / "passwd.txt").symlink_to(outside)
    with pytest.raises(fr.CorpusError, match=r"passwd.txt: a link to .*secret.txt, outside the corpus folder"):
        fr.load_corpus(folder)
    inside = folder / "sub"
    inside.mkdir()
    (inside / "again.md").symlink_to(folder / "a.md")  # a link within the folder is fine (but the id repeats)
    with pytest.raises(fr.CorpusError, match="duplicate doc_id 'a'"):
        fr.load_corpus(folder)


def test_corpus_errors_impossible_dates_join_the_problem_list(tmp_path):
    write(tmp_path / "a.md", "---\ndoc_id: a\ndate: 2025-02-30\n---\nText.\n")
    write(tmp_path / "b.md", "---\ndoc_id: b\ndate: 2025-13-01\n---\nText.\n")
    with pytest.raises(fr.CorpusError, match="2 problems") as info:
        fr.load_corpus(tmp_path)
    assert "date '2025-02-30' is not a valid ISO 8601 date" in str(info.value)
    assert "date '2025-13-01' is not a valid ISO 8601 date" in str(info.value)


def test_corpus_errors_a_table_with_a_header_only_is_named(tmp_path):
    table = write(tmp_path / "empty.csv", "doc_id,text\n")
    with pytest.raises(fr.CorpusError, match=r"empty\.csv: the table holds no documents"):
        fr.load_corpus(table)
    with pytest.raises(fr.CorpusError, match="the table holds no documents"):
        fr.Corpus.from_frame(pd.DataFrame({"doc_id": [], "text": []}))


def test_corpus_errors_table_ids_stay_text_and_only_empty_texts_are_missing(tmp_path):
    table = write(tmp_path / "ids.csv", "doc_id,text,party\n001,Hello there.,a\n002,NA,b\n")
    c = fr.load_corpus(table)
    assert c.doc_ids == ["001", "002"] and c["002"].text == "NA"
    write(tmp_path / "gap.csv", "doc_id,text\n001,Hello.\n002,\n")
    with pytest.raises(fr.CorpusError, match=r"document '002': text is missing \(an empty cell\)"):
        fr.load_corpus(tmp_path / "gap.csv")


def test_corpus_errors_utf16_is_named_with_the_way_out(tmp_path):
    write(tmp_path / "a.txt", "---\ndoc_id: a\n---\nText.\n".encode("utf-16"))
    with pytest.raises(fr.CorpusError, match=r"a\.txt: is UTF-16 text; save it as UTF-8 \(for example: iconv"):
        fr.load_corpus(tmp_path)


def test_corpus_errors_an_id_with_a_trailing_newline_is_refused():
    with pytest.raises(fr.CorpusError, match="doc_id 'a\\\\n' must be a non-empty string"):
        fr.Corpus.from_frame(pd.DataFrame({"doc_id": ["a\n"], "text": ["Text."]}))


def test_corpus_errors_a_missing_group_value_is_its_own_labelled_group():
    c = fr.Corpus.from_frame(pd.DataFrame({"doc_id": ["a", "b"], "text": ["Hello hello.", "Other words."],
                                           "party": ["x", None]}))
    k = fr.keyness(fr.dtm(c), by="party", min_count=1)
    assert set(k["target"]) == {"x", "(missing)"}


def _nested(root, depth):
    """``root/a/a/.../a`` (``depth`` folders), made one level at a time (``mkdir(parents=True)`` recurses)."""
    path = root
    for _ in range(depth):
        path = path / "a"
        path.mkdir()
    return path


def _remove_nested(root, depth):
    """Remove what :func:`_nested` made, deepest first (``shutil.rmtree`` recurses too)."""
    import os

    path = root / "/".join(["a"] * depth)
    for name in os.listdir(path):
        os.remove(path / name)
    for _ in range(depth):
        path.rmdir()
        path = path.parent


def test_corpus_errors_a_folder_nested_a_thousand_deep_loads(tmp_path):
    depth = 1000  # pathlib's rglob recursed once per level: RecursionError at the default limit of 1000
    deep = _nested(tmp_path, depth)
    try:
        (deep / "deep.md").write_text("---\ndoc_id: deep\n---\nFound at the bottom.\n", encoding="utf-8")
        write(tmp_path / "top.md", "---\ndoc_id: top\n---\nAt the top.\n")
        c = fr.load_corpus(tmp_path)
        assert c.doc_ids == ["deep", "top"]  # sorted by path: a/.../deep.md before top.md
        assert c["deep"].meta["raw_file"] == "a/" * depth + "deep.md"
    finally:
        _remove_nested(tmp_path, depth)


def test_corpus_errors_the_folder_walk_keeps_its_order_and_skips(tmp_path):
    body = "---\ndoc_id: {}\n---\nText.\n"
    for rel in ("b.md", "a/z.txt", "a/b/c.md", "a_b.md", "B.md", "sub/raw/r.md", "raw/x.md", "x/coding/sheet.md",
                "README.md", "sub/readme.txt", ".hidden/h.md", "sub/.h.md", "notes.csv"):
        write(tmp_path / rel, body.format(rel.replace("/", "_").replace(".", "_")))
    outside = write(tmp_path.parent / f"{tmp_path.name}_outside" / "o.md", body.format("o"))
    (tmp_path / "linked").symlink_to(outside.parent, target_is_directory=True)  # a linked folder is not entered
    with pytest.warns(fr.SkippedFilesWarning, match=r"1 file\(s\) skipped(.|\n)*notes\.csv: a table"):
        c = fr.load_corpus(tmp_path)
    assert c.doc_ids == ["B_md", "a_b_c_md", "a_z_txt", "a_b_md", "b_md"]
