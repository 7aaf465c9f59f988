"""Python's cyclic garbage collector paused while a step builds many small objects.

CPython starts a collection every few hundred container allocations, and a
full collection walks every object alive. A step that builds millions of
tuples and lists (a token stream, its sentences, rows of evidence) therefore
pays again and again for walking the objects it has already built, none of
which is garbage. Pausing the collector for such a step, and starting it
again afterwards, is what Mercurial does for the same reason
(``mercurial.util.nogc``). Reference counting still frees every object
that is not part of a cycle at once; cycles made during the pause are
collected after it. A process forked during a pause (a worker of ``n_jobs``)
starts with the collector as it was before the pause.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

__all__ = ["paused_gc", "without_gc"]

_lock = threading.Lock()
_depth = 0  # steps now inside a pause (nested calls and threads)
_was_enabled = False

F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic collector for the block; it runs again as before once the last pause ends.

    >>> import gc
    >>> with paused_gc():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()


def _after_fork_in_child() -> None:
    """A process forked inside a pause (a worker of ``n_jobs``) starts with the collector as it was
    before the pause, and no pause open: its own steps pause and restart it as this process does."""
    global _depth, _lock
    _lock = threading.Lock()  # a lock some thread held at the fork would stay held in the child
    if _depth and _was_enabled:
        gc.enable()
    _depth = 0


if hasattr(os, "register_at_fork"):  # POSIX
    os.register_at_fork(after_in_child=_after_fork_in_child)


def without_gc(fn: F) -> F:
    """``fn`` run inside :func:`paused_gc`."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with paused_gc():
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
