"""Exports for other tools, and the files research software is known by.

- ``to_quanteda``: the Matrix Market file is read back with scipy and with a
  reimplementation of R's ``Matrix::readMM`` parser; the CSV files with
  pandas (ids such as "001" stay text; terms with commas, quotes and
  non-ASCII letters survive). Where ``Rscript`` exists, R itself reads them.
- ``to_pyldavis``: the contract ``pyLDAvis.prepare`` enforces, reimplemented
  from pyLDAvis' ``_input_check`` (below), plus exact sums checked against
  the matrix the model was fitted on.
- ``to_tables``: CSV and Parquet round trips.
- ``CITATION.cff`` validated against the CFF 1.2.0 JSON schema (cffconvert
  2.0.0 needs jsonschema<4 and cannot be installed beside the pinned
  jsonschema 4.26.0), and one version everywhere.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib

import numpy as np
import pandas as pd
import pytest
import scipy.io
import scipy.sparse as sp
import yaml

import framing as fr
from conftest import ROOT
from framing.output.exports import PYLDAVIS_KEYS, QUANTEDA_FILES, to_pyldavis, to_quanteda, to_tables

#: Read a CSV as framing writes it: ids and terms as text, only an empty cell missing.
TEXT = {"keep_default_na": False, "na_values": [""]}

TRICKY_TERMS = ["a,b", 'say "hi"', "café", "香港", "null", "NA", "it's", "=cmd", "plain"]


def hand_dtm() -> fr.DocumentTermMatrix:
    """A small matrix with awkward ids, terms and metadata, built by hand."""
    counts = np.array([
        [1, 0, 2, 0, 0, 3, 0, 1, 0],
        [0, 4, 0, 0, 1, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0],  # a unit without tokens keeps its row
        [7, 0, 0, 1, 0, 0, 2, 0, 5],
    ], dtype=np.int64)
    units = pd.DataFrame({
        "unit_id": ["001", "002", "010", "1e5"],
        "doc_id": ["001", "001", "010", "1e5"],
        "start": [0, 10, 0, 0],
        "is_heading": [True, False, False, False],
        "score": [0.5, np.nan, 1 / 3, -2.0],
        "outlet": ["Star, The", 'The "Diplomat"', "", "-minus"],
        "title": ["Hong Kong’s role", "港口", None, "=SUM(1)"],
    })
    return fr.DocumentTermMatrix(sp.csr_matrix(counts), TRICKY_TERMS, units, unit="paragraph",
                                 preprocessor="pp-test", corpus_hash="hash")


def unquote(value: str) -> str:
    """What dfm.R's unquote() does: drop the ' that csv_bytes puts before a formula-like cell."""
    return re.sub(r"^'(?=[-=+@\t\r])", "", value)


def read_mm_like_r(data: bytes) -> sp.coo_matrix:
    """Parse a Matrix Market file the way R's ``Matrix::readMM`` does, token by token.

    After cran/Matrix, R/HBMM.R (``readMM``): five header tokens compared
    with ``scan()``, the first exactly ``%%MatrixMarket`` and the rest
    lower-cased against ``matrix``, ``coordinate``/``array``,
    ``real``/``integer``/..., ``general``/...; then ``nr, nc, nz`` scanned
    with ``comment.char = "%"`` (so the comment lines are skipped), then
    ``nz`` triplets ``(i, j, x)`` with 1-based indices checked against
    ``1:nr`` and ``1:nc``.
    """
    text = data.decode("ascii")
    first, rest = text.split("\n", 1)
    tokens = first.split()
    assert tokens[0] == "%%MatrixMarket"
    assert [t.lower() for t in tokens[1:]] == ["matrix", "coordinate", "integer", "general"]
    numbers = " ".join(line.split("%", 1)[0] for line in rest.split("\n")).split()
    nr, nc, nz = (int(v) for v in numbers[:3])
    triplets = np.array(numbers[3:], dtype=np.int64).reshape(-1, 3)
    assert len(triplets) == nz
    i, j, x = triplets.T
    assert ((1 <= i) & (i <= nr)).all() and ((1 <= j) & (j <= nc)).all()
    return sp.coo_matrix((x.astype(float), (i - 1, j - 1)), shape=(nr, nc))


# --------------------------------------------------------------------------- quanteda


def test_exports_quanteda_round_trip_with_scipy_and_pandas(tmp_path):
    m = hand_dtm()
    files = to_quanteda(m, tmp_path / "dfm")
    assert [f.name for f in files] == list(QUANTEDA_FILES)
    mtx = (tmp_path / "dfm" / "dtm.mtx").read_bytes()
    assert mtx.startswith(b"%%MatrixMarket matrix coordinate integer general\n")

    back = scipy.io.mmread(tmp_path / "dfm" / "dtm.mtx")
    assert back.dtype.kind == "i" and back.shape == m.shape
    np.testing.assert_array_equal(back.toarray(), m.matrix.toarray())
    np.testing.assert_array_equal(read_mm_like_r(mtx).toarray(), m.matrix.toarray())

    terms = pd.read_csv(tmp_path / "dfm" / "terms.csv", dtype=str, **TEXT)
    assert terms.columns.tolist() == ["term"]
    assert [unquote(t) for t in terms["term"]] == TRICKY_TERMS
    assert terms["term"].tolist()[TRICKY_TERMS.index("=cmd")] == "'=cmd"  # no formula for a spreadsheet

    docvars = pd.read_csv(tmp_path / "dfm" / "docvars.csv", dtype={"docname": str, "unit_id": str, "doc_id": str},
                          encoding="utf-8", **TEXT)
    assert docvars.columns.tolist() == ["docname", *m.units.columns]
    assert docvars["docname"].tolist() == ["001", "002", "010", "1e5"]
    assert docvars["unit_id"].tolist() == ["001", "002", "010", "1e5"]
    assert docvars["doc_id"].tolist() == ["001", "001", "010", "1e5"]
    assert docvars["is_heading"].tolist() == [True, False, False, False]
    np.testing.assert_array_equal(docvars["score"].to_numpy(), m.units["score"].to_numpy())  # exact floats, NaN kept
    assert [unquote(v) for v in docvars["outlet"].fillna("")] == ["Star, The", 'The "Diplomat"', "", "-minus"]
    assert docvars["title"].tolist()[:2] == ["Hong Kong’s role", "港口"] and pd.isna(docvars["title"][2])
    assert docvars["title"][3] == "'=SUM(1)"


def test_exports_quanteda_bundled_corpus_paragraphs_and_groups(tmp_path):
    m = fr.dtm(fr.load_corpus(), unit="paragraph")
    to_quanteda(m, tmp_path / "p")
    back = scipy.io.mmread(tmp_path / "p" / "dtm.mtx").tocsr()
    assert (back != m.matrix).nnz == 0
    terms = pd.read_csv(tmp_path / "p" / "terms.csv", dtype=str, **TEXT)["term"].tolist()
    assert terms == [str(t) for t in m.terms]
    docvars = pd.read_csv(tmp_path / "p" / "docvars.csv", dtype=str, **TEXT)
    assert docvars["docname"].tolist() == m.units["unit_id"].tolist()
    assert docvars["doc_id"].tolist() == m.units["doc_id"].tolist()
    # the tidy counts of the export equal the matrix's own long table
    coo = back.tocoo()
    exported = pd.DataFrame({"unit_id": docvars["unit_id"].to_numpy()[coo.row], "term": np.asarray(terms)[coo.col],
                             "count": coo.data}).sort_values(["unit_id", "term"]).reset_index(drop=True)
    own = m.tidy()[["unit_id", "term", "count"]].sort_values(["unit_id", "term"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(exported, own, check_dtype=False)

    g = m.group(["source_type", "outlet"])
    to_quanteda(g, tmp_path / "g")
    docvars = pd.read_csv(tmp_path / "g" / "docvars.csv", dtype=str, **TEXT)
    assert docvars["docname"].is_unique and docvars["docname"][0] == f"{g.units['source_type'][0]}|{g.units['outlet'][0]}"
    assert scipy.io.mmread(tmp_path / "g" / "dtm.mtx").sum() == m.matrix.sum()


def test_exports_quanteda_r_script_fixes_column_classes(tmp_path):
    to_quanteda(hand_dtm(), tmp_path)
    script = (tmp_path / "dfm.R").read_text("utf-8")
    for col, cls in [("docname", "character"), ("unit_id", "character"), ("start", "integer"),
                     ("is_heading", "logical"), ("score", "numeric"), ("title", "character")]:
        assert f'"{col}" = "{cls}"' in script
    assert 'as.dfm(counts)' in script and 'readMM("dtm.mtx")' in script and "docvars(x) <-" in script
    lines = (tmp_path / "dtm.mtx").read_text("ascii").splitlines()
    assert [line[0] for line in lines[:4]] == ["%"] * 4 and lines[4] == "4 9 10"  # header, comments, then sizes


def test_exports_quanteda_leaves_out_stored_zeros(tmp_path):
    matrix = sp.csr_matrix((np.array([0, 2, 1]), np.array([0, 1, 1]), np.array([0, 2, 3])), shape=(2, 2))
    assert matrix.nnz == 3  # one explicit zero
    m = fr.DocumentTermMatrix(matrix, ["a", "b"], pd.DataFrame({"unit_id": ["u1", "u2"], "doc_id": ["d", "d"]}),
                              unit="paragraph", preprocessor="pp", corpus_hash="h")
    to_quanteda(m, tmp_path)
    lines = (tmp_path / "dtm.mtx").read_text("ascii").splitlines()
    assert lines[4:] == ["2 2 2", "1 2 2", "2 2 1"]
    assert "2 non-zero counts" in (tmp_path / "README.txt").read_text("utf-8")


def test_exports_quanteda_refuses_weights_fractions_and_corpus_folders(tmp_path, corpus_copy):
    m = fr.dtm(fr.load_corpus())
    with pytest.raises(fr.ArgumentError, match="weighted"):
        to_quanteda(m.tfidf(), tmp_path / "w")
    halves = fr.DocumentTermMatrix(m.matrix.astype(float) / 2, m.terms, m.units, unit="document",
                                   preprocessor="pp", corpus_hash="h")
    with pytest.raises(fr.ArgumentError, match="fractional"):
        to_quanteda(halves, tmp_path / "f")
    with pytest.raises(fr.ArgumentError, match="is inside the corpus"):
        to_quanteda(m, corpus_copy / "exports")
    assert not (corpus_copy / "exports").exists() and not (tmp_path / "w").exists()
    with pytest.raises(fr.ArgumentError, match="DocumentTermMatrix"):
        to_quanteda(m.tidy(), tmp_path / "t")


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed (checked with `which Rscript`)")
def test_exports_quanteda_files_read_in_r(tmp_path):
    m = hand_dtm()
    to_quanteda(m, tmp_path)
    has = subprocess.run(["Rscript", "-e", 'quit(status = !requireNamespace("quanteda", quietly = TRUE))'])
    if has.returncode == 0:
        code = ('source("dfm.R", chdir = TRUE); cat(ndoc(x), nfeat(x), sum(x), sep = "\\n"); '
                'cat(docnames(x), sep = "\\n"); cat(featnames(x), sep = "\\n"); cat(docvars(x)$title[4], "\\n")')
    else:  # Matrix comes with R
        code = ('library(Matrix); x <- readMM("dtm.mtx"); cat(nrow(x), ncol(x), sum(x), sep = "\\n"); '
                'dv <- read.csv("docvars.csv", colClasses = c(docname = "character"), fileEncoding = "UTF-8"); '
                'cat(dv$docname, sep = "\\n"); '
                'cat(read.csv("terms.csv", colClasses = "character", na.strings = character(0), fileEncoding = "UTF-8")$term, sep = "\\n")')
    env = {**os.environ, "LC_ALL": "C.UTF-8"}  # print the non-ASCII terms as UTF-8
    res = subprocess.run(["Rscript", "-e", code], cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[:3] == ["4", "9", str(int(m.matrix.sum()))]
    assert lines[3:7] == ["001", "002", "010", "1e5"]
    featnames = lines[7:16]
    if has.returncode != 0:  # read.csv by hand: undo the spreadsheet guard as dfm.R does
        featnames = [unquote(t) for t in featnames]
    assert featnames == TRICKY_TERMS
    if has.returncode == 0:
        assert lines[16].strip() == "=SUM(1)"  # dfm.R undid the spreadsheet guard


# --------------------------------------------------------------------------- pyLDAvis


def pyldavis_input_check(topic_term_dists, doc_topic_dists, doc_lengths, vocab, term_frequency) -> list[str]:
    """The checks ``pyLDAvis.prepare`` makes before it draws anything, reimplemented.

    After bmabey/pyLDAvis, pyLDAvis/_prepare.py (``__num_dist_rows__``,
    ``_input_check``, ``_input_validate``; stored version at commit
    0030014fcb654b0d7079c047dc56e5255368a2f1). ``prepare`` turns
    ``topic_term_dists`` into float64 rows, the two matrices into DataFrames
    and the three vectors into Series, then raises ``ValidationError`` with
    every message below that applies. A row "sums to 1" when its sum is not
    below 0.999.
    """
    ttd = pd.concat([pd.Series(row, dtype="float64") for row in topic_term_dists], axis=1).T
    dtd = pd.DataFrame(doc_topic_dists)
    doc_lengths, vocab, term_frequency = pd.Series(doc_lengths), pd.Series(vocab), pd.Series(term_frequency)

    def num_dist_rows(array: pd.DataFrame) -> int:
        return array.shape[0] - int((pd.DataFrame(array).sum(axis=1) < 0.999).sum())

    errors = []
    if dtd.shape[1] != ttd.shape[0]:
        errors.append("Number of rows of topic_term_dists does not match number of columns of doc_topic_dists")
    if len(doc_lengths) != dtd.shape[0]:
        errors.append("Length of doc_lengths not equal to the number of rows in doc_topic_dists")
    if ttd.shape[1] != len(vocab):
        errors.append("Number of terms in vocabulary does not match the number of columns of topic_term_dists")
    if len(term_frequency) != len(vocab):
        errors.append("Length of term_frequency not equal to the number of terms in the vocabulary")
    if num_dist_rows(ttd) != ttd.shape[0]:
        errors.append("Not all rows (distributions) in topic_term_dists sum to 1.")
    if num_dist_rows(dtd) != dtd.shape[0]:
        errors.append("Not all rows (distributions) in doc_topic_dists sum to 1.")
    return errors


@pytest.fixture(scope="module")
def paragraphs() -> fr.DocumentTermMatrix:
    m = fr.dtm(fr.load_corpus(), unit="paragraph")
    return m.select(~m.units["is_heading"].to_numpy()).trim(min_docs=2)


@pytest.fixture(scope="module")
def lda(paragraphs) -> fr.TopicModel:
    return fr.TopicModel("lda", 4, random_state=1, passes=5, iterations=50).fit(paragraphs)


def test_exports_pyldavis_checker_catches_what_pyldavis_refuses():
    good = dict(topic_term_dists=np.full((2, 3), 1 / 3), doc_topic_dists=np.full((4, 2), 0.5),
                doc_lengths=[1, 2, 3, 4], vocab=["a", "b", "c"], term_frequency=[3, 3, 4])
    assert pyldavis_input_check(**good) == []
    assert len(pyldavis_input_check(**{**good, "doc_topic_dists": np.full((4, 2), 0.4)})) == 1
    assert len(pyldavis_input_check(**{**good, "vocab": ["a", "b"]})) == 2
    assert len(pyldavis_input_check(**{**good, "doc_lengths": [1, 2]})) == 1


@pytest.mark.parametrize("method", ["lda", "nmf"])
def test_exports_pyldavis_data_meets_prepare_contract(paragraphs, lda, method, tmp_path):
    model = lda if method == "lda" else fr.TopicModel("nmf", 4, random_state=1).fit(paragraphs)
    data = to_pyldavis(model, tmp_path / "ldavis.json")
    assert tuple(data) == PYLDAVIS_KEYS
    assert pyldavis_input_check(**data) == []
    k, v = data["topic_term_dists"].shape
    assert (k, v) == (4, paragraphs.shape[1]) and data["doc_topic_dists"].shape == (len(model.units_), 4)
    np.testing.assert_allclose(data["topic_term_dists"].sum(1), 1, rtol=0, atol=1e-12)
    np.testing.assert_allclose(data["doc_topic_dists"].sum(1), 1, rtol=0, atol=1e-12)

    # lengths and frequencies from the matrix itself: its long table, over the units the model kept
    tidy = paragraphs.tidy()
    lengths = tidy.groupby("unit_id")["count"].sum().reindex(model.units_["unit_id"])
    assert data["doc_lengths"].tolist() == lengths.astype(int).tolist()
    kept = tidy[tidy["unit_id"].isin(set(model.units_["unit_id"]))]
    freq = kept.groupby("term")["count"].sum().reindex(paragraphs.terms, fill_value=0)
    assert data["term_frequency"].tolist() == freq.astype(int).tolist()
    assert data["vocab"] == [str(t) for t in paragraphs.terms]
    assert int(data["doc_lengths"].sum()) == int(data["term_frequency"].sum()) == int(paragraphs.matrix.sum())
    np.testing.assert_array_equal(data["doc_topic_dists"], model.unit_topic_ / model.unit_topic_.sum(1, keepdims=True))
    if method == "lda":
        topics = model.model_.get_topics()  # gensim's own topic-term matrix
        np.testing.assert_allclose(data["topic_term_dists"], topics / topics.sum(1, keepdims=True), rtol=1e-12)

    back = json.loads((tmp_path / "ldavis.json").read_text("utf-8"))
    assert list(back) == list(PYLDAVIS_KEYS)
    for key in PYLDAVIS_KEYS:
        np.testing.assert_array_equal(np.asarray(back[key]), np.asarray(data[key]))  # floats exactly


def test_exports_pyldavis_refuses_unfitted_models_and_bad_paths(lda, tmp_path, corpus_copy):
    with pytest.raises(fr.ArgumentError, match="not fitted"):
        to_pyldavis(fr.TopicModel("lda", 3))
    with pytest.raises(fr.ArgumentError, match="TopicModel"):
        to_pyldavis(object())
    with pytest.raises(fr.ArgumentError, match="is inside the corpus"):
        to_pyldavis(lda, corpus_copy / "ldavis.json")
    with pytest.raises(fr.ArgumentError, match="is a folder"):
        to_pyldavis(lda, tmp_path)
    assert not (corpus_copy / "ldavis.json").exists()


# --------------------------------------------------------------------------- tables


def test_exports_tables_dtm_csv_and_parquet_round_trip(tmp_path):
    m = hand_dtm()
    files = to_tables(m, tmp_path / "csv")
    assert [f.name for f in files] == ["tidy.csv", "units.csv"]
    tidy = pd.read_csv(files[0], dtype={"unit_id": str, "doc_id": str, "term": str}, **TEXT)
    own = m.tidy()
    assert tidy["unit_id"].tolist() == own["unit_id"].tolist() and tidy["count"].tolist() == own["count"].tolist()
    assert [unquote(t) for t in tidy["term"]] == own["term"].tolist()
    pytest.importorskip("pyarrow")
    files = to_tables(m, tmp_path / "pq", format="parquet")
    assert [f.name for f in files] == ["tidy.parquet", "units.parquet"]
    pd.testing.assert_frame_equal(pd.read_parquet(files[0]), own, check_dtype=False)
    pd.testing.assert_frame_equal(pd.read_parquet(files[1]), m.units, check_dtype=False)
    assert pd.read_parquet(files[0])["term"].tolist() == own["term"].tolist()  # parquet keeps '=cmd' as it is


def test_exports_tables_keyness_and_frequency_round_trip(tmp_path):
    m = fr.dtm(fr.load_corpus(), unit="paragraph")
    k = fr.keyness(m, by="source_type")
    f = fr.frequency(m, by="source_type", n=10)
    files = to_tables({"keyness": k, "frequency": f}, tmp_path)
    assert [p.name for p in files] == ["keyness.csv", "frequency.csv"]
    back = pd.read_csv(files[0], **TEXT)
    assert back.columns.tolist() == k.columns.tolist() and len(back) == len(k)
    assert back["term"].astype(str).tolist() == k["term"].astype(str).tolist()
    for col in ("g2", "log_ratio", "p_adj", "n_target"):
        np.testing.assert_array_equal(back[col].to_numpy(dtype=float), k[col].to_numpy(dtype=float))  # exact
    pd.testing.assert_frame_equal(pd.read_csv(files[1], **TEXT), f, check_dtype=False)
    pytest.importorskip("pyarrow")
    (pq,) = to_tables(k, tmp_path, format="parquet", name="keyness")
    pd.testing.assert_frame_equal(pd.read_parquet(pq), k, check_dtype=False)


def test_exports_tables_frame_result_and_topic_model(tmp_path, lda):
    corpus = fr.load_corpus()
    result = fr.detect_frames(corpus, subject="hong_kong")
    files = to_tables(result, tmp_path / "frames")
    assert [p.stem for p in files] == ["evidence", "units", "unit_frames", "sentences"]
    evidence = pd.read_csv(tmp_path / "frames" / "evidence.csv", **TEXT)
    assert len(evidence) == len(result.evidence) and evidence.columns.tolist() == result.evidence.columns.astype(str).tolist()
    assert evidence["unit_id"].tolist() == result.evidence["unit_id"].tolist()
    sentences = pd.read_csv(tmp_path / "frames" / "sentences.csv", **TEXT)  # its index repeats a column: dropped
    assert sentences.columns.tolist() == result.sentences.columns.tolist() and len(sentences) == len(result.sentences)
    unit_frames = pd.read_csv(tmp_path / "frames" / "unit_frames.csv", **TEXT)
    pd.testing.assert_frame_equal(unit_frames, result.unit_frames, check_dtype=False)

    files = to_tables(lda, tmp_path / "topics")
    assert [p.name for p in files] == ["topic_terms.csv", "unit_topics.csv"]
    terms = pd.read_csv(files[0], **TEXT)
    assert terms.columns.tolist() == ["topic", "label", "term", "prob"]
    assert len(terms) == lda.topic_term_.size
    np.testing.assert_allclose(terms.groupby("topic")["prob"].sum().to_numpy(), 1, atol=1e-12)
    np.testing.assert_array_equal(terms["prob"].to_numpy().reshape(lda.topic_term_.shape), lda.topic_term_)
    shares = pd.read_csv(files[1], **TEXT)
    assert len(shares) == lda.unit_topic_.size and set(shares["unit_id"]) == set(lda.units_["unit_id"])

    pytest.importorskip("pyarrow")
    files = to_tables(result, tmp_path / "pq", format="parquet")
    pd.testing.assert_frame_equal(pd.read_parquet(files[0]), result.evidence.reset_index(drop=True), check_dtype=False,
                                  check_categorical=False)


def test_exports_tables_csv_neutralises_formulas_and_keeps_named_indexes(tmp_path):
    table = pd.DataFrame({"term": ["=HYPERLINK(1)", "@x", "plain"], "n": [-1, 2, 3]},
                         index=pd.Index(["a", "b", "c"], name="group"))
    (path,) = to_tables(table, tmp_path, name="terms")
    raw = path.read_text("utf-8").splitlines()
    assert raw == ["group,term,n", "a,'=HYPERLINK(1),-1", "b,'@x,2", "c,plain,3"]
    (path,) = to_tables(table.reset_index(drop=True), tmp_path, name="plain")
    assert path.read_text("utf-8").splitlines()[0] == "term,n"


def test_exports_tables_refuse_bad_arguments(tmp_path, corpus_copy, monkeypatch):
    table = pd.DataFrame({"a": [1]})
    with pytest.raises(fr.ArgumentError, match="'csv', 'parquet'"):
        to_tables(table, tmp_path, format="xlsx")
    with pytest.raises(fr.ArgumentError, match="cannot export a list"):
        to_tables([table], tmp_path)
    with pytest.raises(fr.ArgumentError, match="'x' is not a pandas DataFrame"):
        to_tables({"x": [1]}, tmp_path)
    with pytest.raises(fr.ArgumentError, match="file name"):
        to_tables({"../up": table}, tmp_path)
    with pytest.raises(fr.ArgumentError, match="is inside the corpus"):
        to_tables(table, corpus_copy / "raw" / "tables")
    (tmp_path / "file").write_text("x")
    with pytest.raises(fr.ArgumentError, match="is a file"):
        to_tables(table, tmp_path / "file")
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if pyarrow were not installed
    with pytest.raises(fr.ArgumentError, match="needs the pyarrow package"):
        to_tables(table, tmp_path / "pq", format="parquet")
    assert not (tmp_path / "pq").exists()
    assert not (corpus_copy / "raw" / "tables").exists()


# --------------------------------------------------------------------------- citation, licence, versions


def citation() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text("utf-8"))


def test_exports_citation_cff_is_valid_cff_1_2_0():
    """CITATION.cff against the CFF 1.2.0 schema.

    ``tests/data/cff-schema-1.2.0.json`` is ``schema.json`` of
    citation-file-format/citation-file-format at tag 1.2.0 (commit
    396f738fb025b1d8acdb02a56ffc923f95dc8999, blob 762194bec49e); the same
    file is served as https://citation-file-format.github.io/1.2.0/schema.json.
    As the schema asks, YAML dates are validated as text.
    """
    import jsonschema

    schema = json.loads((ROOT / "tests" / "data" / "cff-schema-1.2.0.json").read_text("utf-8"))
    assert schema["$id"].startswith("https://citation-file-format.github.io/1.2.0/schema")
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    data = json.loads(json.dumps(citation(), default=str))  # dates as text
    assert [e.message for e in validator.iter_errors(data)] == []
    assert data["cff-version"] == "1.2.0" and data["license"] == "MIT"
    assert data["authors"] == [{"name": "The framing developers"}]  # an entity, not a person
    # the validator bites: a broken copy fails
    broken = {**data, "license": "MIT License", "date-released": "30 November 2026"}
    del broken["authors"]
    wrong = {(e.path[0] if e.path else e.validator) for e in validator.iter_errors(broken)}
    assert wrong == {"license", "date-released", "required"}


def changelog_releases() -> list[tuple[str, str]]:
    text = (ROOT / "CHANGELOG.md").read_text("utf-8")
    assert "## [Unreleased]" in text
    return re.findall(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", text, flags=re.M)


def test_exports_one_version_everywhere():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    releases = changelog_releases()
    assert releases, "CHANGELOG.md names no released version"
    latest, date = releases[0]
    cff = citation()
    assert pyproject["version"] == fr.VERSION == fr.__version__ == str(cff["version"]) == latest
    assert str(cff["date-released"]) == date
    assert pyproject["license"] == {"text": "MIT"} and cff["license"] == "MIT"
    assert cff["authors"][0]["name"] == pyproject["authors"][0]["name"]


def test_exports_license_is_mit():
    text = (ROOT / "LICENSE").read_text("utf-8")
    assert text.startswith("MIT License\n\nCopyright (c) 2026 The framing developers\n")
    assert "THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND" in text


def test_exports_figure_manifest_records_the_package_version():
    with (ROOT / "figures" / "MANIFEST.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and {r["package_version"] for r in rows} == {fr.VERSION}
