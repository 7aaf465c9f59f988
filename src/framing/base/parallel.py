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

__all__ = ["resolve_jobs", "map_documents"]

_STATE: dict[str, Any] = {}


def resolve_jobs(n_jobs: int | None) -> int:
    """``n_jobs``: None or 1 → 1; -1 → all cores; k → k (at most the cores)."""
    cores = os.cpu_count() or 1
    if n_jobs is None:
        return 1
    if not isinstance(n_jobs, int) or n_jobs == 0 or n_jobs < -1:
        raise ArgumentError(f"n_jobs={n_jobs!r} must be a positive integer, -1 (all cores) or None")
    return cores if n_jobs == -1 else min(n_jobs, cores) if n_jobs > 0 else 1


def _run_chunk(args: tuple[int, int]) -> list[Any]:
    docs, fn = _STATE["docs"], _STATE["fn"]
    return [fn(d) for d in docs[args[0]:args[1]]]


def map_documents(fn: Callable[[Any], Any], docs: Sequence[Any], n_jobs: int | None = 1) -> list[Any]:
    """``[fn(d) for d in docs]``, in order, over ``n_jobs`` processes.

    ``fn`` and the documents reach the workers by fork; results travel back
    by pickling, so they should be plain data (lists, tuples, strings,
    numbers, Counters).
    """
    jobs = resolve_jobs(n_jobs)
    if jobs <= 1 or len(docs) < 2 * jobs:
        return [fn(d) for d in docs]
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    n_chunks = min(len(docs), jobs * 8)
    bounds = [round(i * len(docs) / n_chunks) for i in range(n_chunks + 1)]
    _STATE["docs"], _STATE["fn"] = docs, fn
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("fork")) as pool:
            out: list[Any] = []
            for part in pool.map(_run_chunk, list(zip(bounds[:-1], bounds[1:]))):
                out.extend(part)
        return out
    finally:
        _STATE.clear()
