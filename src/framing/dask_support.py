"""Counting on a Dask collection of documents, combined exactly.

A ``dask.dataframe.DataFrame`` with a text and an id column (one row per
document, any partitioning) is processed partition by partition wherever
Dask runs (threads, processes, a ``distributed`` cluster); the partial
results are combined in partition order into the same objects a local run
gives: the same matrix, the same evidence. Point the code at a cluster with
``distributed.Client(address)`` before calling; nothing here schedules work
itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .errors import ArgumentError

if TYPE_CHECKING:  # pragma: no cover
    from .codebook import Codebook
    from .dtm import DocumentTermMatrix
    from .frames import FrameResult
    from .preprocess import Preprocessor

__all__ = ["is_dask_collection", "dask_dtm", "dask_detect_frames", "combine_frames", "combine_counts"]


def is_dask_collection(obj: Any) -> bool:
    """True for a Dask DataFrame (checked without importing Dask)."""
    return type(obj).__module__.split(".")[0] in ("dask", "dask_expr") and hasattr(obj, "to_delayed")


def _partition_corpus(part: pd.DataFrame, text: str, doc_id: str, group_by: str | None, groups: Any) -> Any:
    from .corpus import Corpus

    return Corpus.from_frame(part.reset_index(drop=True), text=text, doc_id=doc_id, group_by=group_by, groups=groups)


def _partition_counts(part: pd.DataFrame, pre: Preprocessor, unit: str, text: str, doc_id: str,
                      group_by: str | None, groups: Any) -> tuple[Any, ...]:
    from .corpus import document_digest
    from .dtm import dtm

    if len(part) == 0:
        return (sp.csr_matrix((0, 0), dtype=np.int64), np.array([], dtype=object), pd.DataFrame(), [], ())
    corpus = _partition_corpus(part, text, doc_id, group_by, groups)
    m = dtm(corpus, pre, unit)
    digests = [(d.doc_id, document_digest(d)) for d in corpus]
    return m.matrix, m.terms, m.units, digests, m.learned_phrases


def combine_counts(parts: list[tuple[Any, ...]], pre: Preprocessor, unit: str) -> DocumentTermMatrix:
    from .corpus import combine_digests
    from .dtm import DocumentTermMatrix

    parts = [p for p in parts if p[0].shape[0] > 0]
    if not parts:
        raise ArgumentError("the collection holds no documents")
    terms = np.array(sorted(set().union(*(set(p[1]) for p in parts))), dtype=object)
    index = {t: i for i, t in enumerate(terms)}
    blocks = []
    for matrix, local_terms, _, _, _ in parts:
        remap = np.array([index[t] for t in local_terms], dtype=np.int64)
        coo = matrix.tocoo()
        blocks.append(sp.csr_matrix((coo.data, (coo.row, remap[coo.col])), shape=(matrix.shape[0], len(terms))))
    matrix = sp.vstack(blocks).tocsr()
    matrix.sort_indices()
    units = pd.concat([p[2] for p in parts], ignore_index=True)
    doc_ids = units["doc_id"]
    if doc_ids.groupby(doc_ids, sort=False).ngroup().diff().fillna(1).lt(0).any() or (
        unit == "document" and doc_ids.duplicated().any()
    ):
        raise ArgumentError("doc_id values repeat across partitions; each document must be one row")
    corpus_hash = combine_digests(pair for p in parts for pair in p[3])
    return DocumentTermMatrix(matrix, terms, units, unit=unit, preprocessor=pre.id, corpus_hash=corpus_hash)


def dask_dtm(ddf: Any, pre: Preprocessor, unit: str = "document", *, text: str = "text", doc_id: str = "doc_id",
             group_by: str | None = None, groups: Any = None) -> DocumentTermMatrix:
    """:func:`framing.dtm` over a Dask DataFrame, partition by partition.

    The result is identical to ``fr.dtm(fr.Corpus.from_frame(ddf.compute(),
    ...), pre, unit)``: rows in partition order, terms sorted, the same
    corpus hash. Learned phrases need the whole corpus and are refused.
    """
    import dask

    if pre.learn_phrases:
        raise ArgumentError("learn_phrases needs the whole corpus at once; it is not available on a Dask collection")
    missing = [c for c in (text, doc_id) if c not in ddf.columns]
    if missing:
        raise ArgumentError(f"column(s) {', '.join(map(repr, missing))} not in the Dask DataFrame; its columns are {', '.join(map(str, ddf.columns))}")
    tasks = [dask.delayed(_partition_counts)(part, pre, unit, text, doc_id, group_by, groups) for part in ddf.to_delayed()]
    parts = list(dask.compute(*tasks))
    return combine_counts(parts, pre, unit)


def _partition_frames(part: pd.DataFrame, codebook: Codebook, pre: Preprocessor | None, subject: str | None,
                      text: str, doc_id: str, group_by: str | None, groups: Any) -> tuple[Any, ...]:
    from .corpus import document_digest
    from .frames import detect_frames

    if len(part) == 0:
        return None, []
    corpus = _partition_corpus(part, text, doc_id, group_by, groups)
    r = detect_frames(corpus, codebook, pre, subject=subject)
    return (r.evidence, r.units, r.sentences, r.preprocessor), [(d.doc_id, document_digest(d)) for d in corpus]


def dask_detect_frames(ddf: Any, codebook: Codebook, pre: Preprocessor | None = None, *, subject: str | None = "hong_kong",
                       text: str = "text", doc_id: str = "doc_id", group_by: str | None = None,
                       groups: Any = None) -> FrameResult:
    """:func:`framing.detect_frames` over a Dask DataFrame; the same evidence as a local run."""
    import dask

    tasks = [dask.delayed(_partition_frames)(part, codebook, pre, subject, text, doc_id, group_by, groups)
             for part in ddf.to_delayed()]
    return combine_frames(list(dask.compute(*tasks)), codebook, subject, group_by)


def combine_frames(parts: list[Any], codebook: Codebook, subject: str | None, group_by: str | None) -> FrameResult:
    """One FrameResult from the results of partitions (or chunks), in order."""
    from .corpus import combine_digests
    from .frames import FrameResult

    parts = [p for p in parts if p[0] is not None]
    if not parts:
        raise ArgumentError("the collection holds no documents")
    evidence = pd.concat([p[0][0] for p in parts], ignore_index=True)
    units = pd.concat([p[0][1] for p in parts], ignore_index=True)
    sentences = pd.concat([p[0][2] for p in parts])
    return FrameResult(evidence=evidence, units=units, sentences=sentences, codebook=codebook, preprocessor=parts[0][0][3],
                       subject=subject, group_by=group_by, corpus_hash=combine_digests(x for p in parts for x in p[1]))
