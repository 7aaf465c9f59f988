"""Corpora read in chunks: counting with memory that grows with the results, not the text.

A :class:`CorpusScan` reads a table of documents (CSV, Parquet, JSON Lines,
or any re-iterable source of DataFrames) a chunk at a time. :func:`framing.text.dtm`
and :func:`framing.detect_frames` accept it and combine the chunks exactly as
they combine the partitions of a Dask collection, so the result is the same
as loading the whole corpus at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from framing.base.errors import ArgumentError, CorpusError
from framing.corpus.cleaning import check_paragraphs, check_speakers
from framing.corpus.model import Corpus
from framing.corpus.partitioned import PartitionedCorpus

__all__ = ["CorpusScan", "scan_corpus"]


class CorpusScan(PartitionedCorpus):
    """A corpus read chunk by chunk, as often as needed.

    Parameters
    ----------
    source : str, Path, callable or re-iterable
        A ``.csv``, ``.parquet`` or ``.jsonl`` file (one row per document);
        a function returning an iterable of DataFrames; or a list (or other
        re-iterable) of DataFrames. A one-shot iterator or generator is
        refused: counting and frame detection may read the corpus more than
        once.
    text, doc_id : str
        The text and id columns.
    group_by : str or None
        The grouping column.
    groups : sequence of str or None
        The values ``group_by`` may take.
    chunksize : int, default=10000
        Documents per chunk (for files).
    paragraphs : {'auto', 'blank_line', 'line'} or str, default='auto'
        How the texts mark paragraphs (:meth:`Corpus.from_frame`).
    speakers : bool, str or None, default=None
        Speaker turns (:meth:`Corpus.from_frame`).
    """

    def __init__(self, source: Any, *, text: str = "text", doc_id: str = "doc_id", group_by: str | None = None,
                 groups: Any = None, chunksize: int = 10_000, paragraphs: str = "auto",
                 speakers: bool | str | None = None) -> None:
        check_paragraphs(paragraphs)
        check_speakers(speakers)
        if isinstance(source, Iterator):
            raise ArgumentError(
                "a one-shot iterator or generator cannot be read twice; pass a file, a list of DataFrames, "
                "or a function that returns a fresh iterable"
            )
        if isinstance(source, (str, Path)):
            path = Path(source)
            if not path.is_file():
                raise CorpusError(f"{path}: no such file")
            if path.suffix.lower() not in (".csv", ".parquet", ".pq", ".jsonl", ".ndjson"):
                raise CorpusError(f"{path}: not a .csv, .parquet or .jsonl table")
            source = path
        elif not callable(source) and not isinstance(source, Iterable):
            raise ArgumentError(f"CorpusScan needs a file, a function or a list of DataFrames, got {type(source).__name__}")
        if not isinstance(chunksize, int) or chunksize < 1:
            raise ArgumentError(f"chunksize={chunksize!r} must be a positive integer")
        self.source = source
        self.text, self.doc_id, self.group_by, self.groups, self.chunksize = text, doc_id, group_by, groups, chunksize
        self.paragraphs = paragraphs
        self.speakers = speakers

    def __repr__(self) -> str:
        return f"CorpusScan({str(self.source)!r}, chunksize={self.chunksize})"

    def chunks(self) -> Iterator[pd.DataFrame]:
        """The documents, a DataFrame at a time (a fresh pass each call)."""
        src = self.source
        if isinstance(src, Path):
            suffix = src.suffix.lower()
            try:
                if suffix == ".csv":
                    yield from pd.read_csv(src, chunksize=self.chunksize)
                elif suffix in (".jsonl", ".ndjson"):
                    yield from pd.read_json(src, lines=True, chunksize=self.chunksize)
                else:
                    import pyarrow.parquet as pq

                    for batch in pq.ParquetFile(src).iter_batches(batch_size=self.chunksize):
                        yield batch.to_pandas()
            except (OSError, ValueError, ImportError) as exc:
                raise CorpusError(f"{src}: cannot be read as a table ({exc})") from None
            return
        iterable = src() if callable(src) else src
        if isinstance(iterable, Iterator) and iterable is src:
            raise ArgumentError("the source gave a one-shot iterator")
        for chunk in iterable:
            if not isinstance(chunk, pd.DataFrame):
                raise ArgumentError(f"CorpusScan chunks must be DataFrames, got {type(chunk).__name__}")
            yield chunk

    def partitions(self) -> Iterator[Corpus]:
        """Each chunk as a :class:`Corpus` (a fresh pass each call).

        A chunk with problems is reported with the source and the row numbers
        of the whole table (0 = the first row under the header), and the scan
        goes on so that every bad chunk is reported at once at the end.
        """
        problems: list[str] = []
        offset = 0
        for chunk in self.chunks():
            first, offset = offset, offset + len(chunk)
            if len(chunk) == 0:
                continue
            try:
                part = Corpus.from_frame(chunk.reset_index(drop=True), text=self.text, doc_id=self.doc_id,
                                         group_by=self.group_by, groups=self.groups, paragraphs=self.paragraphs,
                                         speakers=self.speakers)
            except CorpusError as exc:
                problems += [re.sub(r"^from_frame row (\d+)", lambda m: f"{self._label} row {first + int(m.group(1))}", p)
                             if p.startswith("from_frame row") else f"{self._label} rows {first}-{offset - 1}: {p}"
                             for p in exc.problems]
                continue
            if not problems:
                yield part
        if problems:
            raise CorpusError(problems)

    @property
    def _label(self) -> str:
        return str(self.source) if isinstance(self.source, Path) else "CorpusScan"

    def map_partitions(self, fn: Callable[[Corpus], Any]) -> list[Any]:
        """``fn`` applied to every chunk's corpus, in order, one chunk in memory at a time."""
        return [fn(part) for part in self.partitions()]


def scan_corpus(source: Any, **kwargs: Any) -> CorpusScan:
    """Shorthand for :class:`CorpusScan`."""
    return CorpusScan(source, **kwargs)
