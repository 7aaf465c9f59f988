"""An on-disk cache of token streams, safe to point at any folder.

Each document's tokens (term, paragraph, start, end) are stored in one
``.npz`` file named by a key over the preprocessor's id and the document's
id, text and paragraph boundaries: a changed document or setting misses the
cache and only that document is tokenized again. Files hold plain arrays
read with ``allow_pickle=False`` and a header with the format, the key and
an HMAC-SHA256 of the arrays under a secret made with the cache (the file
``.framing-cache-key`` in its folder), so a file made elsewhere, or written
by hand with a self-computed checksum, is refused. Every span is checked
against the document (paragraph in range, offsets inside its paragraph,
nothing empty): a file that is corrupt, truncated, foreign, forged or does
not fit its document is ignored and rebuilt, never trusted. Nothing is
written unless a cache is asked for.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from framing.base.errors import ArgumentError
from framing.base.io import atomic_write, refuse_corpus_target

if TYPE_CHECKING:  # pragma: no cover
    from framing.corpus.model import Document
    from framing.text.preprocess import Preprocessor

__all__ = ["TokenCache", "CacheUnavailable"]

log = logging.getLogger(__name__)
FORMAT = "framing-token-cache"
VERSION = 2  # 2: HMAC under the cache's own key, spans checked against the document
KEY_FILE = ".framing-cache-key"
#: A document's tokens, one list of ``(term, start, end)`` per paragraph.
Spans = list[list[tuple[str, int, int]]]


class CacheUnavailable(ArgumentError):
    """The cache folder cannot be created or written (tokenizing goes on without it, with a warning)."""


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
        if (self.path / "manifest.yaml").exists():
            raise ArgumentError(f"cache folder {self.path} is a corpus folder; give the cache its own folder")
        refuse_corpus_target(self.path, what="cache folder", error=ArgumentError)  # nor inside one (raw/)
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CacheUnavailable(f"cache folder {self.path} cannot be created ({exc.strerror or exc})") from None
        self._secret = _secret(self.path)
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
                if not hmac.compare_digest(str(header.get("hmac", "")), _digest(self._secret, terms, para, start, end)):
                    raise ValueError("not made by this cache (HMAC mismatch)")
                _check_spans(doc, terms, para, start, end)
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
                             "hmac": _digest(self._secret, terms, para, start, end)})
        buf = io.BytesIO()
        np.savez(buf, header=np.array(header), terms=terms, para=para, start=start, end=end)
        try:
            atomic_write(self._file(key), buf.getvalue())
        except OSError as exc:  # a full or read-only disk loses the cache entry, never the result
            log.warning("token cache file for %s not written (%s)", doc.doc_id, exc.strerror or exc)


def _secret(folder: Path) -> bytes:
    """The cache's own HMAC key: read it, or create it (32 random bytes, readable by the owner only)."""
    path = folder / KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    except OSError as exc:
        raise CacheUnavailable(f"cache folder {folder} is not writable ({exc.strerror or exc})") from None
    else:
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_bytes(32))
    try:
        key = path.read_bytes()
    except OSError as exc:
        raise CacheUnavailable(f"cache key {path} cannot be read ({exc.strerror or exc})") from None
    if len(key) != 32:
        raise ArgumentError(f"cache key {path} is damaged ({len(key)} bytes, not 32); delete the cache folder")
    return key


def _check_spans(doc: Document, terms: np.ndarray, para: np.ndarray, start: np.ndarray, end: np.ndarray) -> None:
    """Raise ValueError unless every span lies inside its paragraph of ``doc`` and names a term."""
    n = len(terms)
    if not (len(para) == len(start) == len(end) == n):
        raise ValueError("arrays of different lengths")
    if n == 0:
        return
    if para.min() < 0 or para.max() >= len(doc.paragraphs):
        raise ValueError("a paragraph index out of range")
    bounds = np.array([(p.start, p.end) for p in doc.paragraphs], dtype=np.int64)
    lo, hi = bounds[para, 0], bounds[para, 1]
    # a possessive 's may be cut from a span, and a multiword term may end at a paragraph's last character
    if (start < lo).any() or (end > hi).any() or (end <= start).any():
        raise ValueError("a span outside its paragraph")
    if any(not t for t in terms.tolist()):
        raise ValueError("an empty term")


def _digest(secret: bytes, terms: np.ndarray, para: np.ndarray, start: np.ndarray, end: np.ndarray) -> str:
    h = hmac.new(secret, digestmod=hashlib.sha256)
    h.update("\x1f".join(terms.tolist()).encode("utf-8"))
    for arr in (para, start, end):
        h.update(np.ascontiguousarray(arr).tobytes())
    return h.hexdigest()
