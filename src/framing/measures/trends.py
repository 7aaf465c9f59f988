"""Time as a dimension: documents binned by date, and measures per time bin with intervals over documents.

:func:`bin_dates` puts each document in one time bin (a day, month, quarter
or year) from its ``date`` metadata. :func:`term_trend`,
:func:`frame_trend` and :func:`topic_trend` compute a measure per bin and
group, with a percentile interval from resampling the documents of the bin
and group with replacement (Efron & Tibshirani 1993, ch. 13): documents are
the unit that was sampled into a corpus, so the interval is a cluster
bootstrap over them, the paragraphs of a document staying together
(Davison & Hinkley 1997, sec. 3.8; Field & Welsh 2007). Each estimate is a
ratio of sums over the drawn documents (occurrences over tokens, paragraphs
with a frame over paragraphs, topic shares over paragraphs), so a document
weighs in by its size, as in the point estimate.

A bin and group with one document has no interval (``low`` and ``high``
NaN; ``n_docs`` says why): one document says nothing about how others of
its kind and time would differ. With two or three documents the interval
can only fall on their own values and mixtures of them; read ``n_docs``
beside every interval.

References: Efron, B. & Tibshirani, R. (1993). *An introduction to the
bootstrap*. Davison, A. C. & Hinkley, D. V. (1997). *Bootstrap methods and
their application*. Field, C. A. & Welsh, A. H. (2007). Bootstrapping
clustered data. *JRSS B* 69(3).
"""

from __future__ import annotations

import datetime as _dt
import logging
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from framing.base.errors import ArgumentError, check_option
from framing.base.grouping import group_labels, resolve_by
from framing.base.patterns import is_glob, term_pattern
from framing.base.resample import bootstrap_weights, percentile_interval
from framing.corpus.metadata import date_bounds
from framing.measures.frames.matching import FrameResult
from framing.measures.topics import TopicModel
from framing.text.dtm import DocumentTermMatrix

__all__ = [
    "bin_dates", "term_trend", "frame_trend", "topic_trend", "FREQS",
    "BIN_COLUMNS", "TERM_TREND_COLUMNS", "FRAME_TREND_COLUMNS", "TOPIC_TREND_COLUMNS",
]

log = logging.getLogger(__name__)

Freq = Literal["day", "month", "quarter", "year"]
#: The time bins :func:`bin_dates` knows.
FREQS = ("day", "month", "quarter", "year")

BIN_COLUMNS = ["doc_id", "bin", "start", "end"]
#: The columns every trend table starts with.
_CELL = ["bin", "start", "end", "group"]
TERM_TREND_COLUMNS = [*_CELL, "term", "value", "low", "high", "count", "tokens", "n_units", "n_docs"]
FRAME_TREND_COLUMNS = [*_CELL, "frame", "value", "low", "high", "units_with_frame", "n_units", "n_docs"]
TOPIC_TREND_COLUMNS = [*_CELL, "topic", "label", "value", "low", "high", "n_units", "n_docs"]

_SHOWN = 10  # documents named in an error before "... and n more"


# --------------------------------------------------------------------------- dates and bins


def _bin_of(day: _dt.date, freq: str) -> tuple[str, _dt.date, _dt.date]:
    """``(label, first day, last day)`` of the bin holding ``day``."""
    y, m = day.year, day.month
    if freq == "day":
        return day.isoformat(), day, day
    if freq == "year":
        return f"{y:04d}", _dt.date(y, 1, 1), _dt.date(y, 12, 31)
    first = m if freq == "month" else 3 * ((m - 1) // 3) + 1
    months = 1 if freq == "month" else 3
    start = _dt.date(y, first, 1)
    nxt = _dt.date(y + (first + months > 12), (first + months - 1) % 12 + 1, 1)
    label = f"{y:04d}-{m:02d}" if freq == "month" else f"{y:04d}-Q{(first - 1) // 3 + 1}"
    return label, start, nxt - _dt.timedelta(days=1)


def _bounds(value: Any) -> tuple[_dt.date, _dt.date] | str:
    """First and last day a date value covers, or why it has none."""
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, (pd.Timestamp, _dt.datetime)):
        return (value.date(), value.date()) if not pd.isna(value) else "no date"
    if isinstance(value, _dt.date):
        return value, value
    if value is None or (not isinstance(value, str) and pd.isna(value)) or (isinstance(value, str) and not value.strip()):
        return "no date"
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        value = int(value)  # a year read from a table as 2019.0
    try:
        start, end = date_bounds(str(value).strip())
    except ValueError:
        return f"{value!r} is not an ISO 8601 date"
    return _dt.date.fromisoformat(start), _dt.date.fromisoformat(end)


def _named(problems: list[str]) -> str:
    shown = ", ".join(problems[:_SHOWN])
    return shown + (f" and {len(problems) - _SHOWN} more" if len(problems) > _SHOWN else "")


def bin_dates(dates: pd.Series | Mapping[str, Any], freq: Freq = "year", *, dropna: bool = False) -> pd.DataFrame:
    """The time bin of every document's date.

    Parameters
    ----------
    dates : pandas.Series or mapping
        Each document's date, indexed by ``doc_id``: ISO 8601 text
        (``'2025'``, ``'2025-03'``, ``'2025-03-13'``, or an interval
        ``'2025-08-05/2025-08-06'``, as in corpus metadata), a
        ``datetime.date`` or a ``pandas.Timestamp``.
    freq : {'day', 'month', 'quarter', 'year'}, default='year'
        Calendar bins; quarters are labelled ``'2025-Q1'``.
    dropna : bool, default=False
        A document without a date, with a date that is not ISO 8601, or
        with a date or interval that spans more than one bin (``'2025'``
        by month) cannot be placed. False: an :class:`ArgumentError` names
        those documents; True: they are left out, a warning is logged with
        their number, and ``attrs['dropped']`` lists them.

    Returns
    -------
    pandas.DataFrame
        :data:`BIN_COLUMNS`: ``doc_id``; ``bin``, the bin's label
        (``'2025-03-13'``, ``'2025-03'``, ``'2025-Q1'``, ``'2025'``);
        ``start``, ``end``: the bin's first and last day (ISO text). One
        row per placed document, in the order given.

    Examples
    --------
    >>> bin_dates({"a": "2025-02-03", "b": "2025-05", "c": "2025-08-05/2025-08-06"}, "quarter")
      doc_id      bin       start         end
    0      a  2025-Q1  2025-01-01  2025-03-31
    1      b  2025-Q2  2025-04-01  2025-06-30
    2      c  2025-Q3  2025-07-01  2025-09-30
    """
    check_option("freq", freq, FREQS)
    series = dates if isinstance(dates, pd.Series) else pd.Series(dict(dates), dtype=object)
    if not series.index.is_unique:
        dup = series.index[series.index.duplicated()].unique()
        raise ArgumentError(f"bin_dates: doc_id {', '.join(map(repr, dup[:_SHOWN]))} given more than once")
    rows, problems = [], []
    for doc_id, value in series.items():
        bounds = _bounds(value)
        if isinstance(bounds, str):
            problems.append((doc_id, bounds))
            continue
        first, last = _bin_of(bounds[0], freq), _bin_of(bounds[1], freq)
        if first[0] != last[0]:
            problems.append((doc_id, f"{value!s} spans {first[0]} to {last[0]}"))
            continue
        rows.append((str(doc_id), first[0], first[1].isoformat(), first[2].isoformat()))
    out = pd.DataFrame(rows, columns=BIN_COLUMNS)
    if problems:
        named = _named([f"{d!r} ({why})" for d, why in problems])
        if not dropna:
            raise ArgumentError(
                f"bin_dates: {len(problems)} of {len(series)} documents have no date within one {freq}: {named}; "
                "fix their 'date' metadata or pass dropna=True to leave them out"
            )
        log.warning("bin_dates: left out %d of %d documents without a date within one %s: %s",
                    len(problems), len(series), freq, named)
    out.attrs["dropped"] = [str(d) for d, _ in problems]
    return out


# --------------------------------------------------------------------------- the estimator


def _check_resampling(n_boot: int, confidence: float) -> None:
    if not isinstance(n_boot, (int, np.integer)) or isinstance(n_boot, bool) or n_boot < 10:
        raise ArgumentError(f"n_boot={n_boot!r} must be an integer of at least 10")
    if not 0 < confidence < 1:
        raise ArgumentError(f"confidence={confidence!r} must lie in (0, 1)")


def _cells(units: pd.DataFrame, num: np.ndarray, den: np.ndarray, *, by: str | Sequence[str] | None,
           default_by: str | None, freq: str, date: str, dropna: bool, n_boot: int, confidence: float,
           random_state: int | None, scale: float, what: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Per bin and group: ``scale * Σnum / Σden`` over its units, and the percentile interval of that
    ratio over its documents resampled with replacement. Returns the cells and the documents left out."""
    check_option("freq", freq, FREQS)
    _check_resampling(n_boot, confidence)
    if date not in units.columns:
        raise ArgumentError(f"date={date!r}: no column {date!r} in {what}; columns are {', '.join(map(str, units.columns))}")
    per_doc = units.groupby("doc_id", sort=False)[date].first()
    bins = bin_dates(per_doc, freq, dropna=dropna)
    keep = units["doc_id"].astype(str).isin(set(bins["doc_id"])).to_numpy()
    if not keep.any():
        raise ArgumentError(f"no document of {what} has a date within one {freq}")
    units, num, den = units[keep].reset_index(drop=True), num[keep], den[keep]
    codes, labels = group_labels(units, resolve_by(by, default_by), what)
    bin_table = bins.set_index("doc_id")
    unit_bin = units["doc_id"].astype(str).map(bin_table["bin"]).to_numpy()
    # the sampled unit of a cell: a document's part in it (all of it, unless `by` varies within documents)
    cell_docs, triples = pd.MultiIndex.from_arrays([unit_bin, codes, units["doc_id"].astype(str).to_numpy()]).factorize()
    doc_num = np.zeros((len(triples), num.shape[1]))
    np.add.at(doc_num, cell_docs, num)
    doc_den = np.bincount(cell_docs, weights=den, minlength=len(triples))
    doc_units = np.bincount(cell_docs, minlength=len(triples))
    t_bin = np.asarray(triples.get_level_values(0), dtype=object)
    t_group = np.asarray(triples.get_level_values(1), dtype=np.int64)
    spans = bins.drop_duplicates("bin").set_index("bin")
    rng = np.random.default_rng(random_state)
    cells = []
    for b in spans.sort_values("start").index:
        for gi, g in enumerate(labels):
            rows = np.flatnonzero((t_bin == b) & (t_group == gi))
            if not len(rows):
                continue
            n, d = doc_num[rows], doc_den[rows]
            total = float(d.sum())
            with np.errstate(divide="ignore", invalid="ignore"):
                value = scale * n.sum(0) / total if total > 0 else np.full(n.shape[1], np.nan)
            low = high = np.full(n.shape[1], np.nan)
            if len(rows) >= 2:
                w = bootstrap_weights(rng, len(rows), n_boot)
                wd = w @ d
                ok = wd > 0  # a draw of documents without tokens has no rate
                if ok.any():
                    low, high = percentile_interval(scale * (w[ok] @ n) / wd[ok][:, None], confidence)
            cells.append({"bin": b, "start": spans.at[b, "start"], "end": spans.at[b, "end"], "group": g,
                          "value": value, "low": low, "high": high, "num": n.sum(0), "den": total,
                          "n_units": int(doc_units[rows].sum()), "n_docs": len(rows)})
    return cells, list(bins.attrs.get("dropped", []))


def _table(cells: list[dict[str, Any]], items: Sequence[Any], item: str, columns: list[str], dropped: list[str],
           **per_cell: Any) -> pd.DataFrame:
    """One row per cell and item, in bin, group, item order."""
    rows = []
    for c in cells:
        for k, it in enumerate(items):
            row = {col: c[col] for col in _CELL}
            row.update({item: it, "value": float(c["value"][k]), "low": float(c["low"][k]), "high": float(c["high"][k]),
                        "n_units": c["n_units"], "n_docs": c["n_docs"]})
            for name, get in per_cell.items():
                row[name] = get(c, k)
            rows.append(row)
    out = pd.DataFrame(rows, columns=columns)
    out.attrs["dropped"] = dropped
    return out


# --------------------------------------------------------------------------- the trends


def term_trend(
    dtm: DocumentTermMatrix,
    terms: str | Sequence[str],
    freq: Freq = "year",
    by: str | Sequence[str] | None = None,
    *,
    date: str = "date",
    dropna: bool = False,
    n_boot: int = 1000,
    confidence: float = 0.95,
    random_state: int | None = 0,
) -> pd.DataFrame:
    """How often terms occur per time bin and group, with intervals over documents.

    Parameters
    ----------
    dtm : DocumentTermMatrix
        Counts of documents, paragraphs or sentences (``doc_id`` among the
        units' columns); each document's units are summed.
    terms : str or list of str
        Terms of the matrix, or globs (``'sanction*'``): each is one series,
        the sum of the terms it matches.
    freq : {'day', 'month', 'quarter', 'year'}, default='year'
        The time bins (:func:`bin_dates`).
    by : str, list of str or None
        Metadata column(s) of the units; None: the corpus' own grouping;
        ``()``: one group ``'all'``.
    date : str, default='date'
        The metadata column holding each document's date.
    dropna : bool, default=False
        Leave out documents that have no date within one bin (logged, and
        listed in ``attrs['dropped']``) instead of raising an error naming them.
    n_boot : int, default=1000
    confidence : float, default=0.95
    random_state : int or None, default=0

    Returns
    -------
    pandas.DataFrame
        :data:`TERM_TREND_COLUMNS`, one row per bin, group and term (bins
        in time order, groups in order of appearance): ``bin, start, end``
        (the bin's label, first and last day); ``group``; ``term``;
        ``value``: occurrences per 1,000 tokens of the matrix (its row
        sums: a trimmed matrix counts only its terms); ``low, high``: the
        percentile interval over the cell's documents resampled (NaN for
        one document); ``count``, ``tokens``, ``n_units``, ``n_docs``: the
        counts behind the value. Bins and groups without documents have no
        row.

    Examples
    --------
    >>> import framing as fr
    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "date": ["2020-03", "2020-11", "2021-06-01"],
    ...                      "text": ["trade port trade", "port bridge", "trade bridge bridge bridge"]})
    >>> m = fr.dtm(fr.Corpus.from_frame(docs), fr.Preprocessor(), unit="document")
    >>> term_trend(m, "trade", by=())[["bin", "value", "low", "high", "count", "tokens", "n_docs"]].round(1)
        bin  value  low   high  count  tokens  n_docs
    0  2020  400.0  0.0  666.7      2       5       2
    1  2021  250.0  NaN    NaN      1       4       1

    In 2020, ``a`` has 2 of its 3 tokens ``trade`` and ``b`` none of its 2:
    400 per 1,000 in all, and 0 (``b`` drawn twice) to 667 (``a`` twice)
    over the documents resampled. 2021 rests on one document: no interval.
    """
    if not isinstance(dtm, DocumentTermMatrix):
        raise ArgumentError(f"term_trend expects a DocumentTermMatrix, got {type(dtm).__name__}")
    if dtm.weighting != "count":
        raise ArgumentError(f"term_trend needs a matrix of counts, not weighting={dtm.weighting!r}")
    if "doc_id" not in dtm.units.columns:
        raise ArgumentError(f"term_trend needs the documents of the units; a matrix of unit={dtm.unit!r} has no doc_id")
    patterns = [terms] if isinstance(terms, str) else list(terms)
    if not patterns:
        raise ArgumentError("terms=[]: give at least one term or glob")
    vocab = [str(t) for t in dtm.terms]
    columns = []
    for p in patterns:
        if is_glob(p):
            pattern = term_pattern(p)
            columns.append([i for i, t in enumerate(vocab) if t in pattern])
        else:
            columns.append([i for i, t in enumerate(vocab) if t == p])
    absent = [p for p, cols in zip(patterns, columns) if not cols]
    if absent:
        raise ArgumentError(f"terms {', '.join(map(repr, absent))} match no term of the matrix ({len(vocab)} terms, "
                            f"preprocessor {dtm.preprocessor})")
    matrix = dtm.matrix.tocsc()
    num = np.column_stack([np.asarray(matrix[:, cols].sum(axis=1)).ravel() for cols in columns]).astype(float)
    den = np.asarray(dtm.matrix.sum(axis=1)).ravel().astype(float)
    cells, dropped = _cells(dtm.units, num, den, by=by, default_by=dtm.group_by, freq=freq, date=date, dropna=dropna,
                            n_boot=n_boot, confidence=confidence, random_state=random_state, scale=1000.0,
                            what="the matrix' units")
    return _table(cells, patterns, "term", TERM_TREND_COLUMNS, dropped,
                  count=lambda c, k: int(c["num"][k]), tokens=lambda c, k: int(c["den"]))


def frame_trend(
    result: FrameResult,
    freq: Freq = "year",
    by: str | Sequence[str] | None = None,
    *,
    scope: Literal["all", "paragraph", "sentence"] = "all",
    stance: str | Sequence[str] | None = None,
    date: str = "date",
    dropna: bool = False,
    n_boot: int = 1000,
    confidence: float = 0.95,
    random_state: int | None = 0,
) -> pd.DataFrame:
    """The share of paragraphs carrying each frame per time bin and group, with intervals over documents.

    Parameters
    ----------
    result : FrameResult
    freq : {'day', 'month', 'quarter', 'year'}, default='year'
    by : str, list of str or None
        As in :func:`framing.frame_salience`.
    scope : {'all', 'paragraph', 'sentence'}, default='all'
        As in :func:`framing.frame_salience`.
    stance : str, list of str or None
        Count only hits of these stances, as in :func:`framing.frame_salience`.
    date, dropna, n_boot, confidence, random_state
        As in :func:`term_trend`.

    Returns
    -------
    pandas.DataFrame
        :data:`FRAME_TREND_COLUMNS`, one row per bin, group and frame:
        ``value``: share of the cell's paragraphs (headings left out) with
        at least one hit of the frame, the ``share_units`` of
        :func:`framing.frame_salience`; ``low, high``: its interval over
        the cell's documents (NaN for one document); ``units_with_frame``,
        ``n_units``, ``n_docs``.
    """
    if not isinstance(result, FrameResult):
        raise ArgumentError(f"frame_trend expects the FrameResult of detect_frames, got {type(result).__name__}")
    hits, _, units = result.hits_matrix(scope, stance)
    frames = result.codebook.frame_ids
    cells, dropped = _cells(units, (hits > 0).astype(float), np.ones(len(units)), by=by, default_by=result.group_by,
                            freq=freq, date=date, dropna=dropna, n_boot=n_boot, confidence=confidence,
                            random_state=random_state, scale=1.0, what="the result's paragraphs")
    return _table(cells, frames, "frame", FRAME_TREND_COLUMNS, dropped, units_with_frame=lambda c, k: int(c["num"][k]))


def topic_trend(
    model: TopicModel,
    freq: Freq = "year",
    by: str | Sequence[str] | None = None,
    *,
    date: str = "date",
    dropna: bool = False,
    n_boot: int = 1000,
    confidence: float = 0.95,
    random_state: int | None = 0,
) -> pd.DataFrame:
    """Mean topic share of the units per time bin and group, with intervals over documents.

    Parameters
    ----------
    model : TopicModel
        A fitted model; its units (``units_``) carry the documents' metadata.
    freq : {'day', 'month', 'quarter', 'year'}, default='year'
    by : str, list of str or None
        Metadata column(s) of the units; None: the modelled corpus' own
        grouping (one group ``'all'`` when it has none); ``()``: one group.
    date, dropna, n_boot, confidence, random_state
        As in :func:`term_trend`.

    Returns
    -------
    pandas.DataFrame
        :data:`TOPIC_TREND_COLUMNS`, one row per bin, group and topic:
        ``value``: mean topic share of the cell's units, the
        ``prevalence`` of :func:`framing.topic_prevalence`; ``low, high``:
        its interval over the cell's documents (NaN for one document);
        ``label``, ``n_units``, ``n_docs``.
    """
    if not isinstance(model, TopicModel):
        raise ArgumentError(f"topic_trend expects a TopicModel, got {type(model).__name__}")
    if not hasattr(model, "unit_topic_"):
        raise ArgumentError("topic_trend needs a fitted TopicModel: call fit(dtm) first")
    units = model.units_
    shares = np.asarray(model.unit_topic_, dtype=float)
    cells, dropped = _cells(units, shares, np.ones(len(units)), by=by, default_by=getattr(model, "group_by_", None),
                            freq=freq, date=date, dropna=dropna, n_boot=n_boot, confidence=confidence,
                            random_state=random_state, scale=1.0, what="the model's units")
    out = _table(cells, list(range(model.n_topics)), "topic", TOPIC_TREND_COLUMNS, dropped,
                 label=lambda c, k: model.labels_[k])
    return out
