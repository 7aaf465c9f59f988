"""An on-disk cache of token streams, safe to point at any folder.

Each document's tokens (term, paragraph, start, end) are stored in one
``.npz`` file named by a key over the preprocessor's id and the document's
id, text and paragraph boundaries: a changed document or setting misses the
cache and only that document is tokenized again. Files hold plain arrays
read with ``allow_pickle=False`` and a header with the format, key and a
sha256 of the arrays; a file that is corrupt, truncated, foreign or does not
match its key is ignored and rebuilt, never trusted. Nothing is written
unless a cache is asked for.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from framing.base.errors import ArgumentError
from framing.base.io import atomic_write

if TYPE_CHECKING:  # pragma: no cover
    from framing.corpus.model import Document
    from framing.text.preprocess import Preprocessor

__all__ = ["TokenCache"]

log = logging.getLogger(__name__)
FORMAT = "framing-token-cache"
VERSION = 1
#: A document's tokens, one list of ``(term, start, end)`` per paragraph.
Spans = list[list[tuple[str, int, int]]]


class TokenCache:
    """Token streams cached on disk, keyed by document content and preprocessor id.

    Parameters
    ----------
    path : str or Path
        A folder (created if missing). Point it at a scratch folder, not at
        the corpus: the toolkit never writes into a corpus folder.

    Attributes
    ----------
    hits, misses, rebuilt : int
        Counts since the cache object was made (``rebuilt``: files found
        but refused as corrupt or foreign).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ArgumentError(f"cache folder {self.path} cannot be created ({exc.strerror or exc})") from None
        if (self.path / "manifest.yaml").exists():
            raise ArgumentError(f"cache folder {self.path} is a corpus folder; give the cache its own folder")
        self.hits = self.misses = self.rebuilt = 0

    def __repr__(self) -> str:
        return f"TokenCache({str(self.path)!r}: {self.hits} hits, {self.misses} misses, {self.rebuilt} rebuilt)"

    @staticmethod
    def key(doc: Document, pre: Preprocessor) -> str:
        h = hashlib.sha256()
        h.update(f"{FORMAT}/{VERSION}\0{pre.id}\0{doc.doc_id}\0".encode())
        h.update(json.dumps([(p.start, p.end) for p in doc.paragraphs]).encode())
        h.update(doc.text.encode("utf-8"))
        return h.hexdigest()

    def _file(self, key: str) -> Path:
        return self.path / key[:2] / f"{key}.npz"

    def get(self, doc: Document, pre: Preprocessor) -> Spans | None:
        """The cached spans of a document, or None (missing, corrupt or foreign)."""
        key = self.key(doc, pre)
        f = self._file(key)
        if not f.is_file():
            self.misses += 1
            return None
        try:
            with np.load(f, allow_pickle=False) as data:
                header = json.loads(str(data["header"]))
                terms, para, start, end = data["terms"], data["para"], data["start"], data["end"]
                if header.get("format") != FORMAT or header.get("version") != VERSION or header.get("key") != key:
                    raise ValueError("foreign or stale cache file")
                if header.get("sha256") != _digest(terms, para, start, end):
                    raise ValueError("checksum mismatch")
        except Exception as exc:  # any damage: refuse and rebuild
            log.warning("token cache file %s refused (%s); rebuilding", f, exc)
            self.rebuilt += 1
            self.misses += 1
            return None
        self.hits += 1
        buckets: Spans = [[] for _ in range(len(doc.paragraphs))]
        for t, p, a, b in zip(terms.tolist(), para.tolist(), start.tolist(), end.tolist()):
            buckets[p].append((t, a, b))
        return buckets

    def put(self, doc: Document, pre: Preprocessor, spans: Spans) -> None:
        """Store a document's spans (atomically: a temporary file renamed into place)."""
        key = self.key(doc, pre)
        terms = np.array([t for ss in spans for t, _, _ in ss], dtype=str)
        para = np.array([p for p, ss in enumerate(spans) for _ in ss], dtype=np.int32)
        start = np.array([a for ss in spans for _, a, _ in ss], dtype=np.int64)
        end = np.array([b for ss in spans for _, _, b in ss], dtype=np.int64)
        header = json.dumps({"format": FORMAT, "version": VERSION, "key": key, "preprocessor": pre.id,
                             "sha256": _digest(terms, para, start, end)})
        buf = io.BytesIO()
        np.savez(buf, header=np.array(header), terms=terms, para=para, start=start, end=end)
        atomic_write(self._file(key), buf.getvalue())


def _digest(terms: np.ndarray, para: np.ndarray, start: np.ndarray, end: np.ndarray) -> str:
    h = hashlib.sha256()
    h.update("\x1f".join(terms.tolist()).encode("utf-8"))
    for arr in (para, start, end):
        h.update(np.ascontiguousarray(arr).tobytes())
    return h.hexdigest()
