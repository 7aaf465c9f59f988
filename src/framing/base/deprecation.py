"""Old names that still work: each warns once per process, naming the new one."""

from __future__ import annotations

import warnings

__all__ = ["warn_once"]

_WARNED: set[str] = set()


def warn_once(key: str, message: str, *, stacklevel: int = 3) -> None:
    """Issue a ``FutureWarning`` the first time ``key`` is seen in this process."""
    if key in _WARNED:
        return
    _WARNED.add(key)
    warnings.warn(message, FutureWarning, stacklevel=stacklevel)
