"""A Dask DataFrame of documents as a partitioned corpus, computed where Dask runs.

:class:`DaskCorpus` wraps a ``dask.dataframe.DataFrame`` with a text and an
id column (one row per document, any partitioning). It is a
:class:`~framing.corpus.partitioned.PartitionedCorpus`: a measure's function
runs on each partition wherever Dask runs it (threads, processes, a
``distributed`` cluster), and the partial results come back in partition
order to be combined exactly, so :func:`framing.dtm` and
:func:`framing.detect_frames` give the same matrix and the same evidence as a
local run. Point the code at a cluster with ``distributed.Client(address)``
before calling; nothing here schedules work itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from framing.base.deprecation import warn_once
from framing.base.errors import ArgumentError
from framing.corpus.cleaning import check_paragraphs
from framing.corpus.model import Corpus
from framing.corpus.partitioned import PartitionedCorpus, register_adapter

__all__ = ["DaskCorpus", "is_dask_collection"]


def is_dask_collection(obj: Any) -> bool:
    """True for a Dask DataFrame (checked without importing Dask)."""
    return type(obj).__module__.split(".")[0] in ("dask", "dask_expr") and hasattr(obj, "to_delayed")


def _run_partition(part: pd.DataFrame, fn: Callable[[Corpus], Any], text: str, doc_id: str, group_by: str | None,
                   groups: Sequence[str] | None, paragraphs: str = "auto") -> Any:
    if len(part) == 0:  # an empty partition: an empty corpus (its result is dropped when parts are combined)
        return fn(Corpus([]))
    corpus = Corpus.from_frame(part.reset_index(drop=True), text=text, doc_id=doc_id, group_by=group_by, groups=groups,
                               paragraphs=paragraphs)
    return fn(corpus)


class DaskCorpus(PartitionedCorpus):
    """A corpus held in a Dask DataFrame, one row per document.

    Parameters
    ----------
    frame : dask.dataframe.DataFrame
    text, doc_id : str
        The text and id columns.
    group_by : str or None
        The grouping column.
    groups : sequence of str or None
        The values ``group_by`` may take.

    Examples
    --------
    >>> import dask.dataframe as dd, framing as fr                      # doctest: +SKIP
    >>> docs = fr.DaskCorpus(dd.read_parquet("articles/"), group_by="outlet")  # doctest: +SKIP
    >>> m = fr.dtm(docs, fr.Preprocessor())                            # doctest: +SKIP
    """

    def __init__(self, frame: Any, *, text: str = "text", doc_id: str = "doc_id", group_by: str | None = None,
                 groups: Sequence[str] | None = None, paragraphs: str = "auto") -> None:
        check_paragraphs(paragraphs)
        if not is_dask_collection(frame):
            raise ArgumentError(f"DaskCorpus needs a Dask DataFrame, got {type(frame).__name__}")
        missing = [c for c in (text, doc_id) if c not in frame.columns]
        if missing:
            raise ArgumentError(
                f"column(s) {', '.join(map(repr, missing))} not in the Dask DataFrame; "
                f"its columns are {', '.join(map(str, frame.columns))}"
            )
        self.frame = frame
        self.text, self.doc_id, self.group_by, self.groups = text, doc_id, group_by, groups
        self.paragraphs = paragraphs

    def __repr__(self) -> str:
        return f"DaskCorpus({self.frame.npartitions} partitions, text={self.text!r}, doc_id={self.doc_id!r})"

    def map_partitions(self, fn: Callable[[Corpus], Any]) -> list[Any]:
        """``fn`` on every partition's corpus, computed by Dask, results in partition order."""
        import dask

        tasks = [dask.delayed(_run_partition)(part, fn, self.text, self.doc_id, self.group_by, self.groups, self.paragraphs)
                 for part in self.frame.to_delayed()]
        return list(dask.compute(*tasks))


def _from_raw_frame(frame: Any, **options: Any) -> DaskCorpus:
    warn_once("dask_options", "passing a Dask DataFrame with dask_options= is deprecated; "
              "pass fr.DaskCorpus(frame, text=..., doc_id=..., group_by=...) instead", stacklevel=4)
    return DaskCorpus(frame, **options)


register_adapter(is_dask_collection, _from_raw_frame)
