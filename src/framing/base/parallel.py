"""Work spread over processes, with results identical to one process.

Documents are cut into contiguous chunks, each chunk is processed in a worker
(forked, so the corpus is not copied through pickles), and the results come
back in document order, so everything built from them is the same as in a
single process.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

from framing.base.errors import ArgumentError

__all__ = ["resolve_jobs", "map_chunks", "chunk_bounds", "size_bounds"]

_STATE: dict[str, Any] = {}


def resolve_jobs(n_jobs: int | None) -> int:
    """``n_jobs``: None or 1 → 1; -1 → all cores; k → k (at most the cores)."""
    cores = os.cpu_count() or 1
    if n_jobs is None:
        return 1
    if not isinstance(n_jobs, int) or n_jobs == 0 or n_jobs < -1:
        raise ArgumentError(f"n_jobs={n_jobs!r} must be a positive integer, -1 (all cores) or None")
    return cores if n_jobs == -1 else min(n_jobs, cores) if n_jobs > 0 else 1


def _run_chunk(args: tuple[int, int]) -> Any:
    docs, fn = _STATE["docs"], _STATE["fn"]
    return fn(docs[args[0]:args[1]])


def chunk_bounds(n_docs: int, jobs: int, per_job: int = 4) -> list[int]:
    """Boundaries of ``jobs * per_job`` contiguous chunks of ``n_docs`` documents, sized alike.

    A few chunks per worker balance the load (a worker that drew long
    documents does not hold up the rest) while keeping each chunk's result,
    and its merge, large and few.
    """
    n_chunks = max(1, min(n_docs, jobs * per_job))
    return [round(i * n_docs / n_chunks) for i in range(n_chunks + 1)]


def size_bounds(sizes: Sequence[int], limit: int) -> list[int]:
    """Boundaries of contiguous chunks whose sizes add up to about ``limit`` each.

    A chunk closes once it reaches ``limit``; a single item larger than that is
    a chunk of its own. ``[0, len(sizes)]`` when everything fits in one.
    """
    bounds = [0]
    total = 0
    for i, size in enumerate(sizes):
        total += size
        if total >= limit and i + 1 < len(sizes):
            bounds.append(i + 1)
            total = 0
    bounds.append(len(sizes))
    return bounds


def map_chunks(fn: Callable[[Sequence[Any]], Any], docs: Sequence[Any], n_jobs: int | None = 1, *,
               per_job: int = 4) -> list[Any]:
    """``fn`` on contiguous chunks of ``docs``, over ``n_jobs`` processes; one result per chunk, in order.

    With one job (or too few documents to share) ``fn(docs)`` is the only
    chunk. ``fn`` and the documents reach the workers by fork; each chunk's
    result travels back by pickling, so a columnar result (numpy arrays, a
    sparse matrix) is cheap to send where many small objects are not.
    """
    jobs = resolve_jobs(n_jobs)
    if jobs <= 1 or len(docs) < 2 * jobs:
        return [fn(docs)]
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    bounds = chunk_bounds(len(docs), jobs, per_job)
    _STATE["docs"], _STATE["fn"] = docs, fn
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("fork")) as pool:
            return list(pool.map(_run_chunk, list(zip(bounds[:-1], bounds[1:]))))
    finally:
        _STATE.clear()
