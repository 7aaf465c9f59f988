"""The document-term matrix: sparse counts aligned with the units' metadata."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .corpus import UNIT_KINDS, Corpus, UnitKind
from .errors import ArgumentError, check_option
from .preprocess import Preprocessor, _machine

if TYPE_CHECKING:  # pragma: no cover
    from gensim.corpora import Dictionary

__all__ = ["DocumentTermMatrix", "dtm", "tokens"]

log = logging.getLogger(__name__)
_LEARN_DELIM = "\x1f"


class DocumentTermMatrix:
    """Term counts per unit, with the units' metadata and how they were made.

    Build one with :func:`framing.dtm`. Every transformation returns a new
    matrix; nothing is modified in place.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix
        ``n_units × n_terms``; integer counts, or floats after :meth:`tfidf`.
    terms : numpy.ndarray of str
        Column labels, sorted.
    units : pandas.DataFrame
        One row per matrix row: ids, offsets and metadata (no text).
    unit : str
        ``'document'``, ``'paragraph'``, ``'sentence'`` or ``'group'``.
    preprocessor : str
        The id of the :class:`Preprocessor` that made the tokens.
    corpus_hash : str
        :attr:`Corpus.content_hash` of the source corpus.
    weighting : str
        ``'count'`` or ``'tfidf'``.
    learned_phrases : tuple of str
        Phrases learned from the corpus, when ``learn_phrases=True``.
    """

    def __init__(
        self,
        matrix: sp.spmatrix,
        terms: Sequence[str],
        units: pd.DataFrame,
        *,
        unit: str,
        preprocessor: str,
        corpus_hash: str,
        weighting: str = "count",
        learned_phrases: Sequence[str] = (),
        id_columns: Sequence[str] = ("unit_id", "doc_id"),
    ) -> None:
        matrix = sp.csr_matrix(matrix)
        terms = np.asarray(terms, dtype=object)
        if matrix.shape != (len(units), len(terms)):
            raise ArgumentError(
                f"matrix shape {matrix.shape} does not match {len(units)} units × {len(terms)} terms"
            )
        self.matrix = matrix
        self.terms = terms
        self.units = units.reset_index(drop=True)
        self.unit = unit
        self.preprocessor = preprocessor
        self.corpus_hash = corpus_hash
        self.weighting = weighting
        self.learned_phrases = tuple(learned_phrases)
        self.id_columns = tuple(id_columns)

    def _replace(self, **changes: Any) -> DocumentTermMatrix:
        fields = dict(
            matrix=self.matrix, terms=self.terms, units=self.units, unit=self.unit,
            preprocessor=self.preprocessor, corpus_hash=self.corpus_hash, weighting=self.weighting,
            learned_phrases=self.learned_phrases, id_columns=self.id_columns,
        )
        fields.update(changes)
        return DocumentTermMatrix(**fields)

    # -- basic views ----------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, int]:
        """``(n_units, n_terms)``."""
        return self.matrix.shape  # type: ignore[return-value]

    @property
    def vocabulary_(self) -> dict[str, int]:
        """Term -> column index."""
        return {t: i for i, t in enumerate(self.terms)}

    def __repr__(self) -> str:
        return (
            f"<DocumentTermMatrix {self.shape[0]} {self.unit}s × {self.shape[1]} terms, "
            f"{self.matrix.nnz} non-zero, {self.weighting}, {self.preprocessor}>"
        )

    def term_counts(self) -> pd.Series:
        """Total count (or weight) of each term over all units, by term."""
        return pd.Series(np.asarray(self.matrix.sum(axis=0)).ravel(), index=self.terms, name="count")

    # -- transformations ------------------------------------------------------------
    def group(self, by: str | Sequence[str]) -> DocumentTermMatrix:
        """Sum rows that share the values of one or more metadata columns.

        Parameters
        ----------
        by : str or list of str
            Metadata column(s), e.g. ``'source_type'`` or
            ``['source_type', 'year']``.

        Returns
        -------
        DocumentTermMatrix
            One row per group (in order of first appearance), with the group
            columns, ``n_units`` and ``n_docs`` in :attr:`units`.
        """
        cols = [by] if isinstance(by, str) else list(by)
        missing = [c for c in cols if c not in self.units.columns]
        if not cols or missing:
            raise ArgumentError(
                f"by={by!r}: no column {', '.join(map(repr, missing)) or '(none given)'} in the units' metadata; "
                f"columns are {', '.join(self.units.columns)}"
            )
        keys = self.units[cols].astype(object).where(self.units[cols].notna(), None)
        labels = list(map(tuple, keys.to_numpy()))
        order: dict[tuple[Any, ...], int] = {}
        rows = np.array([order.setdefault(k, len(order)) for k in labels], dtype=np.int64)
        indicator = sp.csr_matrix(
            (np.ones(len(rows), dtype=self.matrix.dtype), (rows, np.arange(len(rows)))),
            shape=(len(order), len(rows)),
        )
        grouped = (indicator @ self.matrix).tocsr()
        meta = pd.DataFrame(list(order), columns=cols)
        meta["n_units"] = np.bincount(rows, minlength=len(order))
        if "doc_id" in self.units.columns:
            docs = pd.DataFrame({"g": rows, "doc_id": self.units["doc_id"].to_numpy()})
            meta["n_docs"] = docs.groupby("g")["doc_id"].nunique().reindex(range(len(order))).to_numpy()
        elif "n_docs" in self.units.columns:
            meta["n_docs"] = np.bincount(rows, weights=self.units["n_docs"].to_numpy(), minlength=len(order)).astype(int)
        return self._replace(matrix=grouped, units=meta, unit="group", id_columns=tuple(cols))

    def select(self, rows: Sequence[bool] | np.ndarray | pd.Series) -> DocumentTermMatrix:
        """Keep some rows: a boolean mask (e.g. ``~m.units["is_heading"]``) or row positions."""
        idx = np.asarray(rows)
        if idx.dtype == bool:
            if len(idx) != self.shape[0]:
                raise ArgumentError(f"select: a mask of {len(idx)} values for {self.shape[0]} rows")
            idx = np.flatnonzero(idx)
        return self._replace(matrix=self.matrix[idx], units=self.units.iloc[idx])

    def trim(
        self,
        *,
        min_count: int | None = None,
        min_docs: int | None = None,
        max_doc_share: float | None = None,
    ) -> DocumentTermMatrix:
        """Keep the terms that pass every given threshold.

        Parameters
        ----------
        min_count : int or None
            Minimum total count over all units.
        min_docs : int or None
            Minimum number of units the term occurs in.
        max_doc_share : float or None
            Maximum share of units (0-1] the term may occur in.

        Returns
        -------
        DocumentTermMatrix
        """
        keep = np.ones(self.shape[1], dtype=bool)
        df = np.asarray((self.matrix > 0).sum(axis=0)).ravel()
        if min_count is not None:
            if not isinstance(min_count, (int, np.integer)) or min_count < 0:
                raise ArgumentError(f"min_count={min_count!r} must be a non-negative integer")
            keep &= np.asarray(self.matrix.sum(axis=0)).ravel() >= min_count
        if min_docs is not None:
            if not isinstance(min_docs, (int, np.integer)) or min_docs < 0:
                raise ArgumentError(f"min_docs={min_docs!r} must be a non-negative integer")
            keep &= df >= min_docs
        if max_doc_share is not None:
            if not isinstance(max_doc_share, (int, float)) or not 0 < max_doc_share <= 1:
                raise ArgumentError(f"max_doc_share={max_doc_share!r} must lie in (0, 1]")
            keep &= df <= max_doc_share * self.shape[0]
        idx = np.flatnonzero(keep)
        return self._replace(matrix=self.matrix[:, idx], terms=self.terms[idx])

    def tfidf(self, *, smooth: bool = True, sublinear: bool = False, norm: str | None = "l2") -> DocumentTermMatrix:
        """Weight counts by tf-idf, as scikit-learn's ``TfidfTransformer`` does.

        ``idf = ln((1 + n) / (1 + df)) + 1`` with ``smooth=True``
        (``ln(n / df) + 1`` otherwise); ``sublinear`` replaces tf by
        ``1 + ln(tf)``; rows are then normalised by ``norm`` ('l2', 'l1' or None).
        """
        check_option("norm", norm, ("l2", "l1", None))
        if self.weighting != "count":
            raise ArgumentError("tfidf() expects a matrix of counts; this one is already weighted")
        from sklearn.feature_extraction.text import TfidfTransformer

        weighted = TfidfTransformer(norm=norm, smooth_idf=smooth, sublinear_tf=sublinear).fit_transform(self.matrix)
        return self._replace(matrix=sp.csr_matrix(weighted), weighting="tfidf")

    # -- exports ----------------------------------------------------------------------
    def tidy(self) -> pd.DataFrame:
        """Long table, one row per non-zero cell.

        Returns
        -------
        pandas.DataFrame
            The id columns (``unit_id, doc_id``; the group columns for a
            grouped matrix), then ``term, count``.
        """
        coo = self.matrix.tocoo()
        order = np.lexsort((coo.col, coo.row))
        rows, cols, vals = coo.row[order], coo.col[order], coo.data[order]
        out = self.units.loc[rows, list(self.id_columns)].reset_index(drop=True)
        out["term"] = self.terms[cols]
        out["count"] = vals
        return out

    def to_gensim(self) -> tuple[Dictionary, list[list[tuple[int, int]]]]:
        """A gensim ``Dictionary`` and bag-of-words corpus with the same ids.

        Term ``i`` of this matrix is id ``i`` of the dictionary; document
        frequencies and totals are set from the matrix.
        """
        from gensim.corpora import Dictionary

        if self.weighting != "count":
            raise ArgumentError("to_gensim() expects a matrix of counts")
        d = Dictionary()
        d.token2id = {str(t): i for i, t in enumerate(self.terms)}
        csc = self.matrix.tocsc()
        d.dfs = {i: int(v) for i, v in enumerate(np.diff(csc.indptr))}
        d.cfs = {i: int(v) for i, v in enumerate(np.asarray(self.matrix.sum(axis=0)).ravel())}
        d.num_docs = self.shape[0]
        d.num_pos = int(self.matrix.sum())
        d.num_nnz = int(self.matrix.nnz)
        m = self.matrix
        bow = [
            list(zip(m.indices[m.indptr[i]:m.indptr[i + 1]].tolist(), m.data[m.indptr[i]:m.indptr[i + 1]].astype(int).tolist()))
            for i in range(m.shape[0])
        ]
        return d, bow


# --------------------------------------------------------------------------- building


def _learned_phraser(paragraph_tokens: list[list[str]], pre: Preprocessor) -> Any:
    from gensim.models.phrases import ENGLISH_CONNECTOR_WORDS, Phrases

    model = Phrases(
        paragraph_tokens, min_count=pre.phrase_min_count, threshold=pre.phrase_threshold,
        scoring="npmi", delimiter=_LEARN_DELIM, connector_words=ENGLISH_CONNECTOR_WORDS,
    )
    return model.freeze()


def _apply_phraser(phraser: Any, spans: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    words = [t for t, _, _ in spans]
    out: list[tuple[str, int, int]] = []
    i = 0
    for token, _score in phraser.analyze_sentence(words):
        n = token.count(_LEARN_DELIM) + 1
        first, last = spans[i], spans[i + n - 1]
        out.append((token.replace(_LEARN_DELIM, "_"), first[1], last[2]))
        i += n
    return out


def _document_spans(pre: Preprocessor) -> Any:
    machine = _machine(pre)

    def spans_of(doc: Any) -> list[tuple[int, list[tuple[str, int, int]]]]:
        return [
            (p_index, [(t, a + para.start, b + para.start) for t, a, b in machine.spans(doc.text[para.start:para.end])])
            for p_index, para in enumerate(doc.paragraphs)
        ]

    return spans_of


def _paragraph_spans(
    corpus: Corpus, pre: Preprocessor, n_jobs: int | None = 1, cache: Any = None
) -> tuple[list[tuple[str, int, list[tuple[str, int, int]]]], tuple[str, ...]]:
    """Tokens with offsets for every paragraph: (doc_id, paragraph index, spans).

    Documents are tokenized over ``n_jobs`` processes; with a ``cache``
    (:class:`~framing.cache.TokenCache` or a folder), cached documents are
    read instead, and the others tokenized and stored. Learned phrases are
    applied afterwards, over the whole corpus.
    """
    from .cache import TokenCache
    from .parallel import map_documents

    docs = list(corpus)
    if cache is not None and not isinstance(cache, TokenCache):
        cache = TokenCache(cache)
    per_doc: list[Any] = [None] * len(docs)
    todo = list(range(len(docs)))
    if cache is not None:
        for i, d in enumerate(docs):
            per_doc[i] = cache.get(d, pre)
        todo = [i for i in todo if per_doc[i] is None]
    fresh = map_documents(_document_spans(pre), [docs[i] for i in todo], n_jobs)
    for i, spans in zip(todo, fresh):
        per_doc[i] = spans
        if cache is not None:
            cache.put(docs[i], pre, spans)
    out = [(d.doc_id, p, spans) for d, doc_spans in zip(docs, per_doc) for p, spans in doc_spans]
    learned: tuple[str, ...] = ()
    if pre.learn_phrases:
        phraser = _learned_phraser([[t for t, _, _ in s] for _, _, s in out], pre)
        learned = tuple(sorted(k.replace(_LEARN_DELIM, "_") for k in phraser.phrasegrams))
        out = [(d, p, _apply_phraser(phraser, s)) for d, p, s in out]
    return out, learned


class _Index(dict):  # type: ignore[type-arg]
    """Term -> column, adding unseen terms as they come (C-speed with ``map``)."""

    def __missing__(self, key: str) -> int:
        value = self[key] = len(self)
        return value


def _sparse_from_counters(counters: Iterable[Counter[str]]) -> tuple[sp.csr_matrix, np.ndarray]:
    """CSR matrix from per-row counters, consumed one at a time (none is kept)."""
    vocab = _Index()
    indptr = [0]
    indices: list[int] = []
    data: list[int] = []
    for counter in counters:
        indices.extend(map(vocab.__getitem__, counter.keys()))
        data.extend(counter.values())
        indptr.append(len(indices))
    terms = np.array(sorted(vocab), dtype=object)
    remap = np.empty(len(vocab), dtype=np.int64)
    remap[[vocab[t] for t in terms]] = np.arange(len(terms))
    cols = remap[np.asarray(indices, dtype=np.int64)] if indices else np.zeros(0, dtype=np.int64)
    matrix = sp.csr_matrix(
        (np.asarray(data, dtype=np.int64), cols, np.asarray(indptr, dtype=np.int64)),
        shape=(len(indptr) - 1, len(terms)),
    )
    matrix.sort_indices()
    return matrix, terms


def _count_function(pre: Preprocessor, unit: str) -> Any:
    machine = _machine(pre)
    surface_of, count = machine.surface, machine.count

    def counts_of(doc: Any) -> list[Counter[str]]:
        text = doc.text
        if unit == "document":
            words: list[str] = []
            compounds: list[str] = []
            for para in doc.paragraphs:
                w, c = surface_of(text[para.start:para.end])
                words += w
                compounds += c
            return [count(words, compounds)]
        return [count(*surface_of(text[p.start:p.end])) for p in doc.paragraphs]

    return counts_of


def _stream_counts(corpus: Corpus, pre: Preprocessor, unit: str, n_jobs: int | None = 1) -> Iterator[Counter[str]]:
    """Counts per document or paragraph on the fast path, in corpus order."""
    from .parallel import map_documents, resolve_jobs

    fn = _count_function(pre, unit)
    if resolve_jobs(n_jobs) <= 1:
        for doc in corpus:
            yield from fn(doc)
        return
    for counters in map_documents(fn, list(corpus), n_jobs):
        yield from counters


def _sentence_spans(units: pd.DataFrame, para_spans: list[tuple[str, int, list[tuple[str, int, int]]]]) -> list[list[tuple[str, int, int]]]:
    """Tokens of each sentence row of ``units``: each token goes to the sentence
    of its paragraph that holds its start."""
    spans_of = {(d, p): s for d, p, s in para_spans}
    tokens: list[list[tuple[str, int, int]]] = [[] for _ in range(len(units))]
    starts = units["start"].to_numpy()
    for (d, p), idx in units.groupby(["doc_id", "paragraph"], sort=False).indices.items():
        spans = spans_of[(d, int(p))]
        if not spans:
            continue
        where = np.searchsorted(starts[idx], [a for _, a, _ in spans], side="right") - 1
        for tok, w in zip(spans, where):
            tokens[idx[max(int(w), 0)]].append(tok)
    return tokens


def dtm(
    corpus: Corpus,
    pre: Preprocessor | None = None,
    unit: UnitKind = "document",
    *,
    n_jobs: int | None = 1,
    cache: Any = None,
    dask_options: dict[str, Any] | None = None,
) -> DocumentTermMatrix:
    """Count terms per document, paragraph or sentence.

    Parameters
    ----------
    corpus : Corpus
    pre : Preprocessor or None
        None uses ``Preprocessor()``, the documented defaults.
    unit : {'document', 'paragraph', 'sentence'}, default='document'
    n_jobs : int or None, default=1
        Processes tokenizing documents (-1: all cores). The matrix is the
        same whatever the number.
    cache : TokenCache, str, Path or None
        A token cache (or its folder): documents already tokenized with this
        preprocessor are read from it instead of tokenized again.
    dask_options : dict or None
        When ``corpus`` is a Dask DataFrame (one row per document): ``text``,
        ``doc_id``, ``group_by`` and ``groups`` as for
        :meth:`Corpus.from_frame`. Each partition is counted where Dask runs
        it and the parts are combined exactly.

    Returns
    -------
    DocumentTermMatrix
        Rows aligned with ``corpus.units(unit)`` (without the text column).
        Tokens are found paragraph by paragraph, so a document's counts are
        exactly the sum of its paragraphs' and of its sentences' counts.

    Examples
    --------
    >>> import framing as fr
    >>> m = fr.dtm(fr.load_corpus(), fr.Preprocessor(), unit="document")
    >>> m.shape[0]
    6
    >>> int(m.group("source_type").matrix.sum()) == int(m.matrix.sum())
    True
    """
    from .dask_support import dask_dtm, is_dask_collection

    from .stream import CorpusScan

    if is_dask_collection(corpus):
        pre = Preprocessor() if pre is None else pre
        check_option("unit", unit, UNIT_KINDS)
        return dask_dtm(corpus, pre, unit, **(dask_options or {}))
    if isinstance(corpus, CorpusScan):
        from .dask_support import _partition_counts, combine_counts

        pre = Preprocessor() if pre is None else pre
        check_option("unit", unit, UNIT_KINDS)
        if pre.learn_phrases:
            raise ArgumentError("learn_phrases needs the whole corpus at once; it is not available on a CorpusScan")
        opts = corpus.options
        return combine_counts(corpus.map_chunks(lambda c: _partition_counts(c, pre, unit, **opts)), pre, unit)
    if not isinstance(corpus, Corpus):
        hint = " (a one-shot generator cannot be read twice: build a Corpus with Corpus.from_frame first)" if hasattr(corpus, "__next__") else ""
        raise ArgumentError(f"dtm expects a framing Corpus, a CorpusScan or a Dask DataFrame, got {type(corpus).__name__}{hint}")
    pre = Preprocessor() if pre is None else pre
    if not isinstance(pre, Preprocessor):
        raise ArgumentError(f"pre must be a framing Preprocessor, got {type(pre).__name__}")
    check_option("unit", unit, UNIT_KINDS)
    units = corpus.units(unit).drop(columns="text")
    learned: tuple[str, ...] = ()
    counters: Iterable[Counter[str]]
    if unit in ("document", "paragraph") and not pre.learn_phrases and cache is None:
        counters = _stream_counts(corpus, pre, unit, n_jobs)
    else:
        para_spans, learned = _paragraph_spans(corpus, pre, n_jobs, cache)
        if unit == "document":
            by_doc: dict[str, Counter[str]] = {d: Counter() for d in corpus.doc_ids}
            for d, _, spans in para_spans:
                by_doc[d].update(t for t, _, _ in spans)
            counters = [by_doc[d] for d in corpus.doc_ids]
        elif unit == "paragraph":
            counters = [Counter(t for t, _, _ in spans) for _, _, spans in para_spans]
        else:
            counters = [Counter(t for t, _, _ in toks) for toks in _sentence_spans(units, para_spans)]
    matrix, term_array = _sparse_from_counters(counters)
    return DocumentTermMatrix(
        matrix, term_array, units, unit=unit, preprocessor=pre.id, corpus_hash=corpus.content_hash,
        learned_phrases=learned, id_columns=("unit_id", "doc_id"),
    )


def tokens(corpus: Corpus, pre: Preprocessor | None = None, *, n_jobs: int | None = 1, cache: Any = None) -> pd.DataFrame:
    """Every token of the corpus with its span: the audit trail of every count.

    Parameters
    ----------
    corpus : Corpus
    pre : Preprocessor or None
        None uses ``Preprocessor()``.

    Returns
    -------
    pandas.DataFrame
        ``doc_id, paragraph, position, term, start, end, surface``: one row per
        token, ``position`` counting tokens within the document from 0,
        ``start``/``end`` offsets into the document's clean text and
        ``surface`` the text they span.
    """
    if not isinstance(corpus, Corpus):
        raise ArgumentError(f"tokens expects a framing Corpus, got {type(corpus).__name__}")
    pre = Preprocessor() if pre is None else pre
    para_spans, _ = _paragraph_spans(corpus, pre, n_jobs, cache)
    rows = []
    position: Counter[str] = Counter()
    for d, p, spans in para_spans:
        text = corpus[d].text
        for t, a, b in spans:
            rows.append((d, p, position[d], t, a, b, text[a:b]))
            position[d] += 1
    return pd.DataFrame(rows, columns=["doc_id", "paragraph", "position", "term", "start", "end", "surface"])
