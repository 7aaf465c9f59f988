"""The document-term matrix: sparse counts aligned with the units' metadata."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from framing.base.errors import ArgumentError, check_option
from framing.base.gcpause import without_gc
from framing.base.grouping import group_index
from framing.base.parallel import map_chunks
from framing.corpus.model import UNIT_KINDS, Corpus, UnitKind
from framing.corpus.partitioned import as_partitioned, map_combined
from framing.text.preprocess import Preprocessor, batch_bounds, token_machine
from framing.text.tokens import Tokens, tokens

if TYPE_CHECKING:  # pragma: no cover
    from gensim.corpora import Dictionary

__all__ = ["DocumentTermMatrix", "dtm"]

log = logging.getLogger(__name__)


class DocumentTermMatrix:
    """Term counts per unit, with the units' metadata and how they were made.

    Build one with :func:`framing.text.dtm`. Every transformation returns a new
    matrix; nothing is modified in place.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix
        ``n_units × n_terms``; integer counts, or floats after :meth:`weight` or :meth:`tfidf`.
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
        ``'count'``, or the scheme of :meth:`weight` / :meth:`tfidf`
        (``'prop'``, ``'boolean'``, ``'logcount'``, ``'tfidf'``).
    learned_phrases : tuple of str
        Phrases learned from the corpus, when ``learn_phrases=True``.
    group_by : str or None
        The corpus' own grouping column: what ``by=None`` means in measures.
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
        group_by: str | None = None,
    ) -> None:
        matrix = sp.csr_matrix(matrix)
        terms = np.asarray(terms, dtype=object)
        if matrix.shape != (len(units), len(terms)):
            raise ArgumentError(
                f"matrix shape {matrix.shape} does not match {len(units)} units × {len(terms)} terms"
            )
        fields = dict(
            matrix=matrix, terms=terms, units=units.reset_index(drop=True), unit=unit, preprocessor=preprocessor,
            corpus_hash=corpus_hash, weighting=weighting, learned_phrases=tuple(learned_phrases),
            id_columns=tuple(id_columns), group_by=group_by,
        )
        for k, v in fields.items():
            object.__setattr__(self, k, v)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"DocumentTermMatrix is immutable; cannot set {name!r} (its methods return new matrices)")

    def _replace(self, **changes: Any) -> DocumentTermMatrix:
        fields = dict(
            matrix=self.matrix, terms=self.terms, units=self.units, unit=self.unit,
            preprocessor=self.preprocessor, corpus_hash=self.corpus_hash, weighting=self.weighting,
            learned_phrases=self.learned_phrases, id_columns=self.id_columns, group_by=self.group_by,
        )
        fields.update(changes)
        return DocumentTermMatrix(**fields)

    @classmethod
    def concat(cls, parts: Sequence[DocumentTermMatrix], *, corpus_hash: str) -> DocumentTermMatrix:
        """Stack matrices of disjoint parts of one corpus (rows in order, terms merged and sorted).

        Parameters
        ----------
        parts : sequence of DocumentTermMatrix
            Made with the same preprocessor and unit.
        corpus_hash : str
            The hash of the whole corpus (the parts' hashes cannot be combined
            without their documents' digests; see
            :func:`framing.corpus.partitioned.map_combined`).
        """
        parts = [p for p in parts if p.shape[0] > 0]
        if not parts:
            raise ArgumentError("concat: no rows in any part")
        first = parts[0]
        for p in parts[1:]:
            if (p.unit, p.preprocessor, p.weighting) != (first.unit, first.preprocessor, first.weighting):
                raise ArgumentError(
                    f"concat: parts differ ({p.unit}, {p.preprocessor}, {p.weighting} vs "
                    f"{first.unit}, {first.preprocessor}, {first.weighting})"
                )
        matrix, terms = stack_blocks([(p.matrix, p.terms) for p in parts])
        units = pd.concat([p.units for p in parts], ignore_index=True)
        return cls(matrix, terms, units, unit=first.unit, preprocessor=first.preprocessor, corpus_hash=corpus_hash,
                   weighting=first.weighting, learned_phrases=first.learned_phrases, id_columns=first.id_columns,
                   group_by=first.group_by)

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
        rows, keys = group_index(self.units, by)
        order = {k: i for i, k in enumerate(keys)}
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

    def weight(self, scheme: Literal["prop", "boolean", "logcount", "tfidf"], *, base: float = 10) -> DocumentTermMatrix:
        """Weight the counts of every cell, as quanteda's ``dfm_weight`` does.

        Parameters
        ----------
        scheme : {'prop', 'boolean', 'logcount', 'tfidf'}
            ``'prop'``: each count divided by its row's total (relative
            frequencies; a row without tokens stays 0); ``'boolean'``: 1 where
            the count is above 0; ``'logcount'``: ``1 + log_base(count)`` where
            the count is above 0, 0 elsewhere; ``'tfidf'``: :meth:`tfidf` with
            its defaults (call :meth:`tfidf` itself for its options).
        base : float, default=10
            Base of the logarithm of ``'logcount'``: 10 is quanteda's default
            (``dfm_weight(base = 10)``), so a count of 2 weighs
            ``1 + log10(2) ≈ 1.301``; ``math.e`` gives scikit-learn's
            ``sublinear_tf``.

        Returns
        -------
        DocumentTermMatrix
            Same rows, terms and metadata; float weights and
            :attr:`weighting` set to ``scheme``. Weighting is done once, on
            counts: a weighted matrix is refused.

        References
        ----------
        Manning, Raghavan & Schütze (2008), *Introduction to Information
        Retrieval*, sec. 6.2-6.4; Benoit et al. (2018), quanteda, JOSS 3(30).

        Examples
        --------
        >>> import framing as fr
        >>> m = fr.dtm(fr.load_corpus(), fr.Preprocessor())
        >>> p = m.weight("prop")
        >>> p.weighting, bool(abs(p.matrix.sum(axis=1) - 1).max() < 1e-12)
        ('prop', True)
        """
        check_option("scheme", scheme, ("prop", "boolean", "logcount", "tfidf"))
        if self.weighting != "count":
            raise ArgumentError(
                f"weight({scheme!r}) expects a matrix of counts; this one is already weighted ({self.weighting!r})"
            )
        if isinstance(base, bool) or not isinstance(base, (int, float)) or not 0 < base < np.inf or base == 1:
            raise ArgumentError(f"base={base!r} must be a positive number other than 1")
        if scheme == "tfidf":
            return self.tfidf()
        matrix = self.matrix.astype(np.float64).tocsr()
        matrix.eliminate_zeros()
        if scheme == "prop":
            totals = np.asarray(matrix.sum(axis=1)).ravel()
            matrix = sp.csr_matrix(sp.diags(np.divide(1.0, totals, out=np.zeros_like(totals), where=totals != 0)) @ matrix)
        elif scheme == "boolean":
            matrix.data = np.ones_like(matrix.data)
        else:
            matrix.data = 1.0 + np.log(matrix.data) / np.log(base)
        return self._replace(matrix=matrix, weighting=scheme)

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
    machine = token_machine(pre)
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


@without_gc  # in a worker process too, where a collection would walk the whole forked corpus
def _counted_block(pre: Preprocessor, unit: str, docs: Sequence[Any]) -> tuple[sp.csr_matrix, np.ndarray]:
    """One chunk's counts as a CSR block with its own sorted terms (what a worker sends back).

    Where the token pattern allows, the terms of a batch of paragraphs at a time come as columns
    (:meth:`TokenMachine.term_columns`) and are counted with arrays, so what is kept grows with the
    non-zero counts, not with the tokens; otherwise paragraph by paragraph, with Counters.
    """
    machine = token_machine(pre)
    if machine.scanner is None:
        fn = _count_function(pre, unit)
        return _sparse_from_counters(c for doc in docs for c in fn(doc))
    paragraphs = [(k, doc.text, para.start, para.end) for k, doc in enumerate(docs) for para in doc.paragraphs]
    owner = np.fromiter((k for k, _, _, _ in paragraphs), dtype=np.int64, count=len(paragraphs))
    index: dict[str, int] = {}
    keys, counts = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    bounds = batch_bounds([b - a for _, _, a, b in paragraphs])
    for first, last in zip(bounds[:-1], bounds[1:]):
        texts = [text[a:b] for _, text, a, b in paragraphs[first:last]]
        _, term_ids, text_ids = machine.term_columns(texts, index)
        rows = owner[text_ids + first] if unit == "document" else text_ids + first
        # (row, term) pairs counted within the batch, in order of row
        k, c = np.unique((rows << 32) | term_ids, return_counts=True)
        keys.append(k)
        counts.append(c)
    n_rows = len(docs) if unit == "document" else len(paragraphs)
    return _sparse_from_pairs(list(index), np.concatenate(keys), np.concatenate(counts), n_rows)


def _sparse_from_pairs(vocab: Sequence[str], keys: np.ndarray, counts: np.ndarray,
                       n_rows: int) -> tuple[sp.csr_matrix, np.ndarray]:
    """CSR counts (``n_rows`` × the terms, in sorted order) from ``row << 32 | term index`` keys in order of
    row, with their counts (a key may come twice, when a document's paragraphs fell in two batches: its
    counts are added): the matrix :func:`_sparse_from_counters` makes from the same counts."""
    order = sorted(range(len(vocab)), key=vocab.__getitem__)
    terms = np.array([vocab[i] for i in order], dtype=object)
    column = np.empty(len(vocab), dtype=np.int64)
    column[order] = np.arange(len(vocab))
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys >> 32, minlength=n_rows), out=indptr[1:])
    matrix = sp.csr_matrix((counts.astype(np.int64), column[keys & 0xFFFFFFFF], indptr), shape=(n_rows, len(terms)))
    matrix.sum_duplicates()
    matrix.sort_indices()
    return matrix, terms


def _count_matrix(corpus: Corpus, pre: Preprocessor, unit: str, n_jobs: int | None = 1) -> tuple[sp.csr_matrix, np.ndarray]:
    """Counts per document or paragraph without keeping spans, in corpus order, and the sorted terms.

    With several processes each chunk of documents comes back as a sparse
    block over its own terms (arrays, cheap to send), and the blocks are
    stacked on the union of the terms: the same matrix as one process makes.
    """
    return stack_blocks(map_chunks(partial(_counted_block, pre, unit), list(corpus), n_jobs))


def stack_blocks(blocks: Sequence[tuple[sp.csr_matrix, np.ndarray]]) -> tuple[sp.csr_matrix, np.ndarray]:
    """Row blocks, each over its own terms, stacked on the sorted union of the terms (one block: as it is)."""
    if len(blocks) == 1:
        return blocks[0]
    terms = np.array(sorted(set().union(*(set(t) for _, t in blocks))), dtype=object)
    index = {t: i for i, t in enumerate(terms)}
    stacked = []
    for matrix, block_terms in blocks:
        remap = np.fromiter((index[t] for t in block_terms), dtype=np.int64, count=len(block_terms))
        stacked.append(sp.csr_matrix((matrix.data, remap[matrix.indices], matrix.indptr),
                                     shape=(matrix.shape[0], len(terms))))
    matrix = sp.vstack(stacked, format="csr")
    matrix.sort_indices()
    return matrix, terms


@without_gc
def dtm(
    corpus: Corpus | Tokens | Any,
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
    corpus : Corpus, Tokens or PartitionedCorpus
        A corpus; its :class:`Tokens` (then ``pre`` is not needed: the
        tokens' preprocessor is used); or a corpus read in partitions
        (:class:`framing.CorpusScan`, :class:`framing.DaskCorpus`), whose
        partial matrices are combined exactly.
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
        Deprecated: wrap the Dask DataFrame in :class:`framing.DaskCorpus`.

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
    check_option("unit", unit, UNIT_KINDS)
    if isinstance(corpus, Tokens):
        return _from_tokens(tokens(corpus, pre), unit)
    pre = Preprocessor() if pre is None else pre
    if not isinstance(pre, Preprocessor):
        raise ArgumentError(f"pre must be a framing Preprocessor, got {type(pre).__name__}")
    partitioned = as_partitioned(corpus, dask_options)
    if partitioned is not None:
        if pre.learn_phrases:
            raise ArgumentError(
                f"learn_phrases needs the whole corpus at once; it is not available on a {type(partitioned).__name__}"
            )
        parts, corpus_hash = map_combined(partitioned, partial(dtm, pre=pre, unit=unit, n_jobs=n_jobs, cache=cache))
        return DocumentTermMatrix.concat(parts, corpus_hash=corpus_hash)
    if not isinstance(corpus, Corpus):
        hint = " (a one-shot generator cannot be read twice: build a Corpus with Corpus.from_frame first)" if hasattr(corpus, "__next__") else ""
        raise ArgumentError(f"dtm expects a framing Corpus, Tokens, a CorpusScan or a DaskCorpus, got {type(corpus).__name__}{hint}")
    if unit in ("document", "paragraph") and not pre.learn_phrases and cache is None:
        # counting needs no spans: the fast path, same counts as the tokens'
        units = corpus.units(unit).drop(columns="text")
        matrix, term_array = _count_matrix(corpus, pre, unit, n_jobs)
        return DocumentTermMatrix(
            matrix, term_array, units, unit=unit, preprocessor=pre.id, corpus_hash=corpus.content_hash,
            id_columns=("unit_id", "doc_id"), group_by=corpus.group_by,
        )
    return _from_tokens(tokens(corpus, pre, n_jobs=n_jobs, cache=cache), unit)


def _from_tokens(toks: Tokens, unit: str) -> DocumentTermMatrix:
    units = toks.corpus.units(unit).drop(columns="text")
    matrix, term_array = _sparse_from_counters(toks.counts(unit))
    return DocumentTermMatrix(
        matrix, term_array, units, unit=unit, preprocessor=toks.preprocessor, corpus_hash=toks.corpus_hash,
        learned_phrases=toks.learned_phrases, id_columns=("unit_id", "doc_id"), group_by=toks.corpus.group_by,
    )
