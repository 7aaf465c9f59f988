"""Corpora seen a partition at a time: the protocol the scale layer implements.

A :class:`PartitionedCorpus` is anything that can apply a function to each of
its partitions, each a :class:`~framing.corpus.model.Corpus`, and return the
results in partition order. :class:`framing.CorpusScan` (a table read in
chunks) and :class:`framing.DaskCorpus` (a Dask DataFrame, run where Dask
runs it) are the two in the toolkit. Measures that can be combined exactly
(:func:`framing.dtm`, :func:`framing.detect_frames`) take one and combine the
partial results with their result class's ``concat``, so there is one code
path for a corpus in memory, in chunks or on a cluster.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from functools import partial
from collections.abc import Callable
from typing import Any, TypeVar

from framing.base.errors import ArgumentError
from framing.corpus.model import Corpus, combine_digests

__all__ = ["PartitionedCorpus", "register_adapter", "as_partitioned", "map_combined"]

R = TypeVar("R")

_ADAPTERS: list[tuple[Callable[[Any], bool], Callable[..., PartitionedCorpus]]] = []


class PartitionedCorpus(ABC):
    """A corpus read one :class:`Corpus` partition at a time."""

    @abstractmethod
    def map_partitions(self, fn: Callable[[Corpus], R]) -> list[R]:
        """``[fn(part) for part in partitions]``, in order (wherever they are computed).

        ``fn`` must be picklable (a module-level function or a
        ``functools.partial`` of one) when partitions run in other processes.
        """


def register_adapter(accepts: Callable[[Any], bool], factory: Callable[..., PartitionedCorpus]) -> None:
    """Let measures take another kind of collection (the scale layer registers Dask's)."""
    _ADAPTERS.append((accepts, factory))


def as_partitioned(obj: Any, options: dict[str, Any] | None = None) -> PartitionedCorpus | None:
    """``obj`` as a :class:`PartitionedCorpus`, or None when it is not one (nor adaptable)."""
    if isinstance(obj, PartitionedCorpus):
        return obj
    for accepts, factory in _ADAPTERS:
        if accepts(obj):
            return factory(obj, **(options or {}))
    return None


def _with_digests(part: Corpus, fn: Callable[[Corpus], R]) -> tuple[R, list[tuple[str, str]]] | None:
    if len(part) == 0:
        return None
    return fn(part), part.digests()


def map_combined(corpus: PartitionedCorpus, fn: Callable[[Corpus], R]) -> tuple[list[R], str]:
    """Results of ``fn`` on every non-empty partition, and the hash of the whole corpus.

    The hash is the one :attr:`Corpus.content_hash` gives for the same
    documents in one corpus. A document id found in two partitions is an
    error: each document must be one row.
    """
    pieces = [p for p in corpus.map_partitions(partial(_with_digests, fn=fn)) if p is not None]
    if not pieces:
        raise ArgumentError("the collection holds no documents")
    seen: dict[str, int] = {}
    repeated: list[str] = []
    for i, (_, digests) in enumerate(pieces):
        for doc_id, _ in digests:
            if doc_id in seen and doc_id not in repeated:
                repeated.append(doc_id)
            seen[doc_id] = i
    if repeated:
        shown = ", ".join(map(repr, repeated[:5])) + (" …" if len(repeated) > 5 else "")
        raise ArgumentError(f"doc_id values repeat across partitions ({shown}); each document must be one row")
    return [r for r, _ in pieces], combine_digests(d for _, ds in pieces for d in ds)
