"""Writing files so that a failure never leaves a half-written one."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["atomic_write", "corpus_folder_above", "refuse_corpus_target", "csv_bytes", "FORMULA_START"]


def atomic_write(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed into place.

    The temporary file lives in the target folder (so the rename is atomic on
    one file system) and is removed if anything fails; the final file gets the
    permissions of a normally created one (``0o666`` less the umask).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def corpus_folder_above(path: str | Path) -> Path | None:
    """The nearest folder at or above ``path`` that holds a ``manifest.yaml`` (a corpus folder), or None."""
    p = Path(path).resolve()
    for folder in (p, *p.parents):
        if (folder / "manifest.yaml").is_file():
            return folder
    return None


def refuse_corpus_target(path: str | Path, *, corpus: str | Path | None = None, what: str = "--out",
                         error: type[Exception] = ValueError) -> None:
    """Refuse to write at ``path`` when it lies in a corpus: inside ``corpus`` (the folder or table being
    read), or in any folder with a corpus ``manifest.yaml`` above it. The toolkit never writes into a corpus."""
    target = Path(path).resolve()
    roots = [corpus_folder_above(target)]
    if corpus is not None:
        roots.append(Path(corpus).resolve())
    for root in roots:
        if root is not None and (target == root or root in target.parents):
            raise error(f"{what} {path} is inside the corpus {root}; the toolkit never writes into a corpus: "
                        "choose another folder")


#: A cell starting with one of these is read as a formula by spreadsheet programs (OWASP, "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_bytes(table: Any) -> bytes:
    """A table as UTF-8 CSV, every text cell that a spreadsheet would run as a formula prefixed with ``'``.

    Texts from a corpus are data; a sentence that begins with ``=`` or ``@``
    must not become a formula when a researcher opens the file. Numbers are
    left alone (a negative number is not text).

    >>> import pandas as pd
    >>> csv_bytes(pd.DataFrame({"s": ["=HYPERLINK(1)", "plain"], "n": [-1, 2]})).decode().splitlines()
    ['s,n', "'=HYPERLINK(1),-1", 'plain,2']
    """
    safe = table.copy()
    for col in safe.columns:
        values = safe[col]
        if values.dtype == object or str(values.dtype).startswith(("string", "str")):
            safe[col] = values.map(lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v)
    buf = io.StringIO()
    safe.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")
