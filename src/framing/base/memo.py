"""A bounded memo: a dict that computes a missing key once and starts again when it grows too large."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["MEMO_LIMIT", "Memo"]

#: Distinct keys a memo keeps before it starts again (a corpus with millions of distinct words
#: would otherwise keep every one for the life of the process).
MEMO_LIMIT = 1_000_000


class Memo(dict):  # type: ignore[type-arg]
    """``key -> fn(key)``, computed once per distinct key, at most :data:`MEMO_LIMIT` kept.

    Reading a key already seen is a plain dict lookup (``memo[key]``, no Python call), so a
    loop over millions of words pays the function only once per distinct word.

    >>> m = Memo(str.upper)
    >>> m["hong"], len(m)
    ('HONG', 1)
    """

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        super().__init__()
        self.fn = fn

    def __missing__(self, key: Any) -> Any:
        value = self.fn(key)
        if len(self) >= MEMO_LIMIT:
            self.clear()  # bounded: results are the same, only recomputed
        self[key] = value
        return value
