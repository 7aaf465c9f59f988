"""Results for other tools: a dfm for R's quanteda, a topic model for pyLDAvis, tidy tables as CSV or Parquet.

Every export writes each file through a temporary file renamed into place
(:func:`framing.base.io.atomic_write`), refuses a target inside a corpus
(:func:`framing.base.io.refuse_corpus_target`), and writes CSV through
:func:`framing.base.io.csv_bytes`: UTF-8, no index, and a text cell that a
spreadsheet would run as a formula (one starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) gets a leading ``'``.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from framing.base.errors import ArgumentError, check_option
from framing.base.io import atomic_write, csv_bytes, refuse_corpus_target
from framing.base.version import VERSION
from framing.measures.frames.matching import FrameResult
from framing.measures.robustness import RobustnessResult
from framing.measures.topics import TopicModel
from framing.text.dtm import DocumentTermMatrix

__all__ = ["to_quanteda", "to_pyldavis", "to_tables", "PYLDAVIS_KEYS", "TABLE_FORMATS", "QUANTEDA_FILES"]

#: The keyword arguments of ``pyLDAvis.prepare`` that :func:`to_pyldavis` gives, in its order.
PYLDAVIS_KEYS = ("topic_term_dists", "doc_topic_dists", "doc_lengths", "vocab", "term_frequency")
#: The formats :func:`to_tables` writes.
TABLE_FORMATS = ("csv", "parquet")
#: The files :func:`to_quanteda` writes, in order.
QUANTEDA_FILES = ("dtm.mtx", "terms.csv", "docvars.csv", "dfm.R", "README.txt")

_TABLE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_INT32_MAX = 2**31 - 1


# --------------------------------------------------------------------------- shared


def _folder(folder: str | Path, what: str) -> Path:
    """The output folder, checked before any work: not in a corpus, not a file; created when missing."""
    refuse_corpus_target(folder, what=what, error=ArgumentError)
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise ArgumentError(f"{what} {out} is a file; give a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ArgumentError(f"cannot create the folder {out} ({exc.strerror or exc})") from None
    return out


def _write(path: Path, data: bytes) -> Path:
    try:
        atomic_write(path, data)
    except OSError as exc:
        raise ArgumentError(f"cannot write {path} ({exc.strerror or exc})") from None
    return path


def _integer_counts(dtm: DocumentTermMatrix) -> Any:
    """The matrix as int64 COO in row-major order; refuses weights and fractions."""
    if dtm.weighting != "count":
        raise ArgumentError(
            f"to_quanteda writes counts; this matrix is weighted ({dtm.weighting}): export the counts and "
            "weight them in quanteda (dfm_weight, dfm_tfidf)"
        )
    coo = dtm.matrix.tocoo(copy=True)
    coo.eliminate_zeros()
    data = coo.data
    if data.dtype.kind == "f":
        if not np.all(np.isfinite(data)) or not np.all(data == np.round(data)):
            raise ArgumentError("to_quanteda writes integer counts; this matrix holds fractional values")
    elif data.dtype.kind not in "iub":
        raise ArgumentError(f"to_quanteda writes integer counts; this matrix holds {data.dtype} values")
    order = np.lexsort((coo.col, coo.row))
    return coo.row[order], coo.col[order], data[order].astype(np.int64)


# --------------------------------------------------------------------------- quanteda


def _comment(text: str) -> str:
    """A Matrix Market comment line: printable ASCII only (R's scan() reads the file in the session's encoding)."""
    return "% " + "".join(c if " " <= c <= "~" else "?" for c in text)


def _matrix_market(dtm: DocumentTermMatrix) -> tuple[bytes, int]:
    """The counts in Matrix Market coordinate format (integer, general; 1-based indices, rows then columns),
    and the number of entries."""
    rows, cols, vals = _integer_counts(dtm)
    n, v = dtm.shape
    head = [
        "%%MatrixMarket matrix coordinate integer general",
        _comment(f"framing {VERSION}: {n} {dtm.unit}s x {v} terms, counts"),
        _comment(f"preprocessor {dtm.preprocessor}"),
        _comment(f"corpus_hash {dtm.corpus_hash}"),
        f"{n} {v} {len(vals)}",
    ]
    buf = io.BytesIO()
    buf.write(("\n".join(head) + "\n").encode("ascii"))
    if len(vals):
        np.savetxt(buf, np.column_stack([rows + 1, cols + 1, vals]).astype(np.int64), fmt="%d", delimiter=" ")
    return buf.getvalue(), len(vals)


def _docnames(dtm: DocumentTermMatrix) -> pd.Series:
    """One unique name per row: the first id column, or all id columns joined by ``|``."""
    units = dtm.units
    cols = [c for c in dtm.id_columns if c in units.columns] or list(units.columns[:1])
    if not cols:
        return pd.Series([f"row{i + 1}" for i in range(len(units))], dtype=object)
    first = units[cols[0]].astype(str)
    names = first if first.is_unique else units[cols].astype(str).agg("|".join, axis=1)
    if not names.is_unique:
        dup = names[names.duplicated()].iloc[0]
        raise ArgumentError(f"to_quanteda: the rows' ids ({', '.join(cols)}) repeat ({dup!r}); quanteda needs one name a row")
    return names.reset_index(drop=True)


def _r_class(values: pd.Series) -> str:
    """The R class read.csv should give a column, from its pandas dtype (text unless clearly otherwise)."""
    if pd.api.types.is_bool_dtype(values):
        return "logical"
    if pd.api.types.is_integer_dtype(values):
        present = values.dropna()
        fits = present.empty or (int(present.min()) >= -_INT32_MAX and int(present.max()) <= _INT32_MAX)
        return "integer" if fits else "numeric"
    if pd.api.types.is_float_dtype(values):
        return "numeric"
    return "character"


def _r_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _r_script(docvars: pd.DataFrame) -> str:
    classes = ",\n    ".join(f"{_r_string(c)} = {_r_string(_r_class(docvars[c]))}" for c in docvars.columns)
    return f"""# Rebuild the quanteda dfm exported by framing {VERSION} (framing.to_quanteda).
# Run it in this folder, or: source("path/to/this/folder/dfm.R", chdir = TRUE); it leaves `x`, a dfm.
library(Matrix)
library(quanteda)

# framing's CSV files put a ' before a text cell starting with = + - @ (tab, CR) so that a spreadsheet
# does not run it as a formula; unquote() takes it off again.
unquote <- function(v) if (is.character(v)) sub("^'(?=[-=+@\\t\\r])", "", v, perl = TRUE) else v

counts <- readMM("dtm.mtx")  # rows = units, columns = terms, integer counts
terms <- unquote(read.csv("terms.csv", colClasses = "character", na.strings = character(0),
                          check.names = FALSE, fileEncoding = "UTF-8")$term)
docvars_table <- read.csv("docvars.csv", na.strings = "", check.names = FALSE, fileEncoding = "UTF-8",
  colClasses = c(
    {classes}
  ))
docvars_table[] <- lapply(docvars_table, unquote)
stopifnot(nrow(counts) == nrow(docvars_table), ncol(counts) == length(terms))
dimnames(counts) <- list(docvars_table$docname, terms)
x <- as.dfm(counts)
docvars(x) <- docvars_table[setdiff(names(docvars_table), "docname")]
x
"""


def _readme(dtm: DocumentTermMatrix, nnz: int) -> str:
    n, v = dtm.shape
    return f"""A document-term matrix exported by framing {VERSION} (framing.to_quanteda)

{n} {dtm.unit}s x {v} terms, {nnz} non-zero counts.
preprocessor: {dtm.preprocessor}
corpus_hash:  {dtm.corpus_hash}

Files (UTF-8):
  dtm.mtx      Matrix Market coordinate file, integer counts; row i is row i of docvars.csv,
               column j is line j of the terms (after the header) in terms.csv.
  terms.csv    one column, term: the features in column order.
  docvars.csv  one row per matrix row: docname (the unit's id, unique), then the ids and
               metadata of the units (unit_id, doc_id, offsets, source metadata ...).
  dfm.R        rebuilds the quanteda dfm: source("dfm.R", chdir = TRUE) leaves it in `x`.

In R, by hand:
  library(Matrix); library(quanteda)
  counts <- readMM("dtm.mtx")
  terms <- read.csv("terms.csv", colClasses = "character", na.strings = character(0),
                    fileEncoding = "UTF-8")$term
  dv <- read.csv("docvars.csv", colClasses = c(docname = "character"), na.strings = "",
                 check.names = FALSE, fileEncoding = "UTF-8")
  dimnames(counts) <- list(dv$docname, terms)
  x <- as.dfm(counts)
  docvars(x) <- dv[setdiff(names(dv), "docname")]
(dfm.R also fixes every column's class, so ids such as "001" stay text, and removes the ' that framing's CSV files put
before a text cell starting with = + - @ so that spreadsheets do not run it as a formula.)

In Python: scipy.io.mmread("dtm.mtx"); pandas.read_csv("docvars.csv", dtype={{"docname": str}}).
"""


def to_quanteda(dtm: DocumentTermMatrix, folder: str | Path) -> list[Path]:
    """Write a document-term matrix for R: Matrix Market counts, features, docvars and the R to rebuild a dfm.

    Parameters
    ----------
    dtm : DocumentTermMatrix
        A matrix of counts (a tf-idf matrix is refused: quanteda's
        ``dfm_tfidf`` weights the counts in R).
    folder : str or Path
        Created if missing; must not lie in a corpus. Files of the same
        names are replaced.

    Returns
    -------
    list of Path
        :data:`QUANTEDA_FILES` in ``folder``:

        - ``dtm.mtx``: ``%%MatrixMarket matrix coordinate integer general``,
          rows = the matrix's rows (units or groups), 1-based indices in
          row-major order; ``%`` comment lines record the framing version,
          preprocessor id and corpus hash. R's ``Matrix::readMM`` and
          :func:`scipy.io.mmread` read it.
        - ``terms.csv``: column ``term``, the features in column order.
        - ``docvars.csv``: one row per matrix row: ``docname`` (the first
          id column, ``unit_id``, or for a grouped matrix the group columns
          joined by ``|``; unique), then every column of ``dtm.units``.
        - ``dfm.R``: rebuilds the dfm with ``as.dfm(readMM(...))`` and
          ``docvars(x) <- read.csv(...)``, with each docvar's class fixed
          (ids stay text) and the spreadsheet guard undone.
        - ``README.txt``: what the files are, and the same steps by hand.

    Raises
    ------
    ArgumentError
        For a weighted matrix, repeated row ids, or a folder inside a corpus.

    Examples
    --------
    >>> import tempfile, scipy.io, pandas as pd
    >>> import framing as fr
    >>> from framing.output.exports import to_quanteda
    >>> corpus = fr.Corpus.from_frame(pd.DataFrame({"doc_id": ["001", "002"],
    ...                                             "text": ["Bridge and gateway.", "A bridge, a bridge."]}))
    >>> m = fr.dtm(corpus)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     files = to_quanteda(m, tmp)
    ...     counts = scipy.io.mmread(files[0])
    ...     ids = pd.read_csv(files[2], dtype=str)["doc_id"].tolist()
    >>> [f.name for f in files]
    ['dtm.mtx', 'terms.csv', 'docvars.csv', 'dfm.R', 'README.txt']
    >>> counts.toarray().tolist(), list(m.terms), ids
    ([[1, 1], [2, 0]], ['bridge', 'gateway'], ['001', '002'])
    """
    if not isinstance(dtm, DocumentTermMatrix):
        raise ArgumentError(f"to_quanteda expects a DocumentTermMatrix, got {type(dtm).__name__}")
    mtx, nnz = _matrix_market(dtm)  # checks the counts before anything is written
    docvars = dtm.units.reset_index(drop=True).copy()
    if "docname" in docvars.columns:
        raise ArgumentError("to_quanteda: the units already have a 'docname' column; rename it first")
    docvars.insert(0, "docname", _docnames(dtm))
    terms = pd.DataFrame({"term": pd.Series([str(t) for t in dtm.terms], dtype=object)})
    out = _folder(folder, "folder")
    blobs = {
        "dtm.mtx": mtx,
        "terms.csv": csv_bytes(terms),
        "docvars.csv": csv_bytes(docvars),
        "dfm.R": _r_script(docvars).encode("utf-8"),
        "README.txt": _readme(dtm, nnz).encode("utf-8"),
    }
    return [_write(out / name, blobs[name]) for name in QUANTEDA_FILES]


# --------------------------------------------------------------------------- pyLDAvis


def _rows_to_one(x: np.ndarray, what: str) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    if not np.all(np.isfinite(x)) or np.any(x < 0):
        raise ArgumentError(f"to_pyldavis: {what} holds negative or non-finite values")
    sums = x.sum(1, keepdims=True)
    if np.any(sums <= 0):
        raise ArgumentError(f"to_pyldavis: a row of {what} sums to zero")
    return x / sums


def to_pyldavis(model: TopicModel, path: str | Path | None = None) -> dict[str, Any]:
    """A fitted topic model as the five arguments of ``pyLDAvis.prepare`` (Sievert & Shirley 2014).

    The model keeps the counts it was fitted on (``model.matrix_``: the
    units with at least one token), so no corpus or matrix is needed:
    documents are the modelled units, in the order of ``model.units_``.

    Parameters
    ----------
    model : TopicModel
        Fitted (LDA; NMF works too, its shares normalised to sum to 1).
    path : str, Path or None
        Also write the dict as UTF-8 JSON (lists; floats exactly as
        Python writes them), through a temporary file; not inside a corpus.

    Returns
    -------
    dict
        :data:`PYLDAVIS_KEYS`, ready for ``pyLDAvis.prepare(**data)``:
        ``topic_term_dists`` (K × V, rows sum to 1), ``doc_topic_dists``
        (D × K, rows sum to 1), ``doc_lengths`` (D tokens per unit),
        ``vocab`` (V terms, the columns' order) and ``term_frequency`` (V
        counts over the modelled units), as numpy arrays (``vocab`` a list).

    Raises
    ------
    ArgumentError
        For an unfitted model or a path inside a corpus.

    Examples
    --------
    >>> import pandas as pd
    >>> import framing as fr
    >>> from framing.output.exports import to_pyldavis
    >>> texts = ["bridge gateway bridge", "sanction tension sanction", "bridge gateway", "tension sanction"]
    >>> m = fr.dtm(fr.Corpus.from_frame(pd.DataFrame({"doc_id": list("abcd"), "text": texts})))
    >>> model = fr.TopicModel("lda", 2, random_state=1, passes=2, iterations=20).fit(m)
    >>> data = to_pyldavis(model)
    >>> data["topic_term_dists"].shape, data["doc_topic_dists"].shape, data["vocab"]
    ((2, 4), (4, 2), ['bridge', 'gateway', 'sanction', 'tension'])
    >>> data["doc_lengths"].tolist(), data["term_frequency"].tolist()
    ([3, 3, 2, 2], [3, 2, 3, 2])
    """
    if not isinstance(model, TopicModel):
        raise ArgumentError(f"to_pyldavis expects a framing TopicModel, got {type(model).__name__}")
    model._check_fitted()
    counts = model.matrix_
    data: dict[str, Any] = {
        "topic_term_dists": _rows_to_one(model.topic_term_, "topic_term_"),
        "doc_topic_dists": _rows_to_one(model.unit_topic_, "unit_topic_"),
        "doc_lengths": np.asarray(counts.sum(axis=1)).ravel().astype(np.int64),
        "vocab": [str(t) for t in model.terms_],
        "term_frequency": np.asarray(counts.sum(axis=0)).ravel().astype(np.int64),
    }
    if path is not None:
        target = Path(path)
        refuse_corpus_target(target, what="path", error=ArgumentError)
        if target.is_dir():
            raise ArgumentError(f"path {target} is a folder; give a file name such as ldavis.json")
        plain = {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in data.items()}
        _write(target, (json.dumps(plain, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8"))
    return data


# --------------------------------------------------------------------------- tidy tables


def _topic_terms(model: TopicModel) -> pd.DataFrame:
    """The topic-term distributions as a long table: ``topic, label, term, prob`` (tidytext's beta)."""
    k, v = model.topic_term_.shape
    return pd.DataFrame({
        "topic": np.repeat(np.arange(k), v),
        "label": np.repeat(np.asarray(model.labels_, dtype=object), v),
        "term": np.tile(np.asarray(model.terms_, dtype=object), k),
        "prob": model.topic_term_.ravel(),
    })


def _tables_of(obj: Any, name: str) -> dict[str, pd.DataFrame]:
    if isinstance(obj, pd.DataFrame):
        return {name: obj}
    if isinstance(obj, DocumentTermMatrix):
        return {"tidy": obj.tidy(), "units": obj.units}
    if isinstance(obj, FrameResult):
        return {"evidence": obj.evidence, "units": obj.units, "unit_frames": obj.unit_frames, "sentences": obj.sentences}
    if isinstance(obj, TopicModel):
        obj._check_fitted()
        return {"topic_terms": _topic_terms(obj), "unit_topics": obj.unit_topics()}
    if isinstance(obj, RobustnessResult):
        return {"specs": obj.specs, "findings": obj.findings, "summary": obj.summary}
    if isinstance(obj, Mapping):
        bad = [k for k, v in obj.items() if not isinstance(v, pd.DataFrame)]
        if bad:
            raise ArgumentError(f"to_tables: {bad[0]!r} is not a pandas DataFrame")
        return {str(k): v for k, v in obj.items()}
    raise ArgumentError(
        f"to_tables cannot export a {type(obj).__name__}; give a DataFrame, a dict of DataFrames, a "
        "DocumentTermMatrix, a FrameResult, a TopicModel or a RobustnessResult"
    )


def _tidy(table: pd.DataFrame, name: str) -> pd.DataFrame:
    """Plain DataFrame, named index levels as columns, other indexes dropped, column names as text."""
    table = pd.DataFrame(table)
    levels = [n for n in table.index.names if n is not None and n not in table.columns]
    if levels:
        table = table.reset_index(level=levels)
    table = table.reset_index(drop=True)
    columns = [str(c) for c in table.columns]
    if len(set(columns)) != len(columns):
        dup = next(c for c in columns if columns.count(c) > 1)
        raise ArgumentError(f"to_tables: table {name!r} has the column {dup!r} twice")
    table.columns = columns
    return table


def _parquet_bytes(table: pd.DataFrame, name: str) -> bytes:
    try:
        import pyarrow  # noqa: F401
        import pyarrow.lib
    except ImportError:
        raise ArgumentError(
            "format='parquet' needs the pyarrow package, which is not installed: pip install pyarrow "
            "(or use format='csv')"
        ) from None
    buf = io.BytesIO()
    try:
        table.to_parquet(buf, engine="pyarrow", index=False)
    except (pyarrow.lib.ArrowException, TypeError, ValueError) as exc:
        raise ArgumentError(f"to_tables: table {name!r} cannot be written as Parquet ({exc})") from None
    return buf.getvalue()


def to_tables(obj: Any, folder: str | Path, format: Literal["csv", "parquet"] = "csv", *,
              name: str = "table") -> list[Path]:
    """Write result tables as tidy CSV or Parquet files, one per table.

    Parameters
    ----------
    obj : DataFrame, dict of DataFrames, DocumentTermMatrix, FrameResult, TopicModel or RobustnessResult
        What is written, as ``<folder>/<table>.<format>``:

        - a DataFrame (a keyness, frequency, salience or prevalence table,
          a concordance ...): one file, ``name``;
        - a dict: one file per entry, named by its key;
        - a DocumentTermMatrix: ``tidy`` (:meth:`DocumentTermMatrix.tidy`:
          id columns, ``term, count``, one row per non-zero cell) and
          ``units`` (ids and metadata of the rows);
        - a FrameResult: ``evidence``, ``units``, ``unit_frames``,
          ``sentences``;
        - a TopicModel: ``topic_terms`` (``topic, label, term, prob`` for
          every term) and ``unit_topics`` (:meth:`TopicModel.unit_topics`);
        - a RobustnessResult: ``specs``, ``findings``, ``summary``.
    folder : str or Path
        Created if missing; must not lie in a corpus. Files of the same
        names are replaced.
    format : {'csv', 'parquet'}, default='csv'
        ``'csv'``: UTF-8, no index, spreadsheet formulas neutralised
        (:func:`framing.base.io.csv_bytes`). ``'parquet'``: through pyarrow,
        keeping dtypes.
    name : str, default='table'
        The file name of a single DataFrame.

    Returns
    -------
    list of Path
        The files written, in the order above.

    Notes
    -----
    A named index (or index level) becomes a column, unless a column of
    that name exists already; any other index is dropped, as tidy tables
    carry their keys in columns. Read a CSV back
    with ``pd.read_csv(path, keep_default_na=False, na_values=[""])`` so
    that a term such as ``null`` or ``NA`` stays text.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> import framing as fr
    >>> from framing.output.exports import to_tables
    >>> m = fr.dtm(fr.Corpus.from_frame(pd.DataFrame({"doc_id": ["a"], "text": ["Bridge, bridge, gateway."]})))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     files = to_tables(m, tmp)
    ...     back = pd.read_csv(files[0])
    >>> [f.name for f in files]
    ['tidy.csv', 'units.csv']
    >>> back[["doc_id", "term", "count"]].values.tolist()
    [['a', 'bridge', 2], ['a', 'gateway', 1]]
    """
    check_option("format", format, TABLE_FORMATS)
    if not isinstance(name, str) or not _TABLE_NAME.fullmatch(name):
        raise ArgumentError(f"name={name!r} must be a file name of letters, digits, '_', '-' and '.'")
    tables = _tables_of(obj, name)
    if not tables:
        raise ArgumentError("to_tables: no tables to write")
    for key in tables:
        if not _TABLE_NAME.fullmatch(key):
            raise ArgumentError(f"to_tables: table name {key!r} must be a file name of letters, digits, '_', '-' and '.'")
    prepared = {key: _tidy(table, key) for key, table in tables.items()}
    blobs = {key: (csv_bytes(t) if format == "csv" else _parquet_bytes(t, key)) for key, t in prepared.items()}
    out = _folder(folder, "folder")
    return [_write(out / f"{key}.{format}", blob) for key, blob in blobs.items()]
