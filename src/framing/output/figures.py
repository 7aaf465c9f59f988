"""Figure and table machinery for any study: a registry, one renderer, byte-identical output.

A study registers functions that draw its figures and tables
(``func(context) -> (Figure or DataFrame, provenance dict)``) in a
:class:`Registry`; :func:`render` draws the requested ones in the paper
style, writes each format through a temporary file renamed into place (so a
failure never leaves a half-written file), strips timestamps so two runs give
identical bytes, and records every output in ``MANIFEST.csv``. The library
holds no figure of its own: the bundled study's figures live in the
top-level ``study`` package.
"""

from __future__ import annotations

import csv
import ctypes
import fcntl
import hashlib
import io
import logging
import multiprocessing as mp
import os
import signal
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from framing.base.errors import ArgumentError
from framing.base.io import atomic_write, csv_bytes
from framing.base.version import VERSION
from framing.viz.style import paper_style

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["FigureSpec", "Registry", "render", "RenderResult", "FORMATS", "MANIFEST_COLUMNS", "atomic_write",
           "figure_bytes", "table_bytes"]

log = logging.getLogger(__name__)
FORMATS = ("png", "pdf", "svg")
TABLE_FORMATS = ("csv", "tex")
_METADATA = {"png": {"Software": None}, "pdf": {"CreationDate": None, "Producer": None}, "svg": {"Date": None}}
MANIFEST_COLUMNS = [
    "figure", "function", "format", "file", "sha256", "corpus_hash", "preprocessor",
    "codebook_version", "data_version", "seed", "package_version",
]


@dataclass(frozen=True)
class FigureSpec:
    """A named figure or table of a study.

    Attributes
    ----------
    name : str
    func : callable
        ``func(context) -> (Figure or DataFrame, provenance dict)``; the dict
        may give ``preprocessor``, ``codebook_version``, ``data_version`` and
        ``seed``.
    caption : str
        One line describing it.
    kind : {'figure', 'table'}
    """

    name: str
    func: Callable[[Any], tuple[Any, dict[str, Any]]]
    caption: str
    kind: str = "figure"


class Registry:
    """The figures and tables of one study, in registration order.

    Examples
    --------
    >>> figs = Registry()
    >>> @figs.figure("fig01_size", "Size of each group.")
    ... def fig01_size(context): ...
    >>> list(figs)
    ['fig01_size']
    """

    def __init__(self) -> None:
        self.specs: dict[str, FigureSpec] = {}

    def _add(self, kind: str, name: str, caption: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def deco(func: Callable[..., Any]) -> Callable[..., Any]:
            if name in self.specs:
                raise ArgumentError(f"{kind} {name!r} is registered twice")
            self.specs[name] = FigureSpec(name, func, caption, kind)
            return func

        return deco

    def figure(self, name: str, caption: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Decorator registering a figure function."""
        return self._add("figure", name, caption)

    def table(self, name: str, caption: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Decorator registering a table function."""
        return self._add("table", name, caption)

    def __iter__(self) -> Iterator[str]:
        return iter(self.specs)

    def __len__(self) -> int:
        return len(self.specs)

    def __contains__(self, name: object) -> bool:
        return name in self.specs

    def __getitem__(self, name: str) -> FigureSpec:
        return self.specs[name]

    @property
    def figures(self) -> dict[str, FigureSpec]:
        return {k: v for k, v in self.specs.items() if v.kind == "figure"}

    @property
    def tables(self) -> dict[str, FigureSpec]:
        return {k: v for k, v in self.specs.items() if v.kind == "table"}


# --------------------------------------------------------------------------- serialising


def table_bytes(table: Any, fmt: str, caption: str) -> bytes:
    """A table as CSV or as a LaTeX booktabs tabular."""
    if fmt == "csv":
        return csv_bytes(table)
    widths = []
    for col in table.columns:
        longest = table[col].astype(str).str.len().max() if len(table) else 0
        widths.append("p{0.4\\linewidth}" if longest > 60 else ("p{0.18\\linewidth}" if longest > 25 else "l"))
    latex = table.to_latex(index=False, escape=True, longtable=False, caption=caption, column_format="".join(widths))
    return latex.encode("utf-8")


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """Serialise a figure deterministically (no timestamps, fixed SVG ids)."""
    import matplotlib as mpl

    buf = io.BytesIO()
    with mpl.rc_context({"svg.hashsalt": "framing"}):
        fig.savefig(buf, format=fmt, dpi=300, metadata=_METADATA[fmt])
    return buf.getvalue()


# --------------------------------------------------------------------------- rendering


@dataclass
class RenderResult:
    """What :func:`render` did for one figure."""

    name: str
    files: list[Path]
    error: str | None = None


def _make(spec: FigureSpec, context: Any, formats: tuple[str, ...]) -> tuple[dict[str, bytes], dict[str, Any]]:
    """Draw one figure or table and serialise it."""
    import matplotlib.pyplot as plt

    if spec.kind == "table":
        table, prov = spec.func(context)
        return {fmt: table_bytes(table, fmt, spec.caption) for fmt in TABLE_FORMATS}, prov
    fig = None
    try:
        with paper_style():
            fig, prov = spec.func(context)
            return {fmt: figure_bytes(fig, fmt) for fmt in formats}, prov
    finally:
        if fig is not None:
            plt.close(fig)


def _safe_make(spec: FigureSpec, context: Any, formats: tuple[str, ...]) -> tuple[str, dict[str, bytes], dict[str, Any], str | None]:
    try:
        blobs, prov = _make(spec, context, formats)
        return spec.name, blobs, prov, None
    except Exception as exc:  # a broken figure must not stop the others
        log.exception("figure %s failed", spec.name)
        return spec.name, {}, {}, f"{type(exc).__name__}: {exc}"


_WORKER: dict[str, Any] = {}


def _worker(args: tuple[str, tuple[str, ...]]) -> tuple[str, dict[str, bytes], dict[str, Any], str | None]:
    import matplotlib

    matplotlib.use("Agg", force=True)
    return _safe_make(_WORKER["registry"][args[0]], _WORKER["context"], args[1])


def _produce(registry: Registry, names: list[str], context: Any, formats: tuple[str, ...], jobs: int) -> Any:
    """Yield (name, blobs, provenance, error) in order, drawing in ``jobs`` processes."""
    if jobs <= 1 or len(names) <= 1:
        for name in names:
            yield _safe_make(registry[name], context, formats)
        return
    _WORKER.update(registry=registry, context=context)  # inherited by the forked workers
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("fork"), initializer=_die_with_parent)
    try:
        yield from pool.map(_worker, [(n, formats) for n in names])
        pool.shutdown(wait=True)
    except BaseException:  # an error, Ctrl-C or SIGTERM turned into an exception: stop the workers now
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        _WORKER.clear()


def _die_with_parent() -> None:
    """In a worker: ask Linux to end this process when its parent dies (a killed run leaves no workers)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: workers still end when the pool shuts down
        pass


@contextmanager
def _locked(manifest: Path) -> Iterator[None]:
    """An exclusive lock on the output folder (two runs into one folder take turns; no lock file is left)."""
    fd = os.open(manifest.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _update_manifest(path: Path, rows: list[dict[str, str]]) -> None:
    """Merge rows into the manifest (read, replace by figure and format, write atomically); call under the lock."""
    merged = {(r["figure"], r["format"]): r for r in _read_manifest(path)}
    merged.update({(r["figure"], r["format"]): r for r in rows})
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=MANIFEST_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for key in sorted(merged):
        writer.writerow(merged[key])
    atomic_write(path, buf.getvalue().encode("utf-8"))


def _read_manifest(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(newline="", encoding="utf-8") as fh:
        return [row for row in csv.DictReader(fh) if set(MANIFEST_COLUMNS) <= set(row)]


def render(
    registry: Registry,
    context: Any,
    names: Sequence[str] | None = None,
    *,
    corpus_hash: str,
    formats: Iterable[str] = ("png", "pdf"),
    outdir: str | Path = "figures",
    progress: Callable[[str], None] | None = None,
    jobs: int = 1,
) -> list[RenderResult]:
    """Draw figures and tables of a registry into ``outdir``.

    Parameters
    ----------
    registry : Registry
    context : object
        What every function of the registry is called with (a study's
        corpus, settings and shared results).
    names : sequence of str or None
        Figure names; None draws every registered figure and table.
    corpus_hash : str
        Recorded in the manifest beside every file.
    formats : iterable of {'png', 'pdf', 'svg'}, default=('png', 'pdf')
        Tables are written as CSV and LaTeX whatever is asked.
    outdir : str or Path, default='figures'
    progress : callable or None
        Called with one line of text as each figure is made.
    jobs : int, default=1
        Processes drawing figures at once (forked: they share ``context``
        and whatever it has computed already). Every figure is drawn the same
        way whatever the number of processes, so the files are identical.

    Returns
    -------
    list of RenderResult
        One per figure; a figure that failed has ``error`` set, leaves its
        previous files untouched, and does not stop the others.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)

    formats = tuple(dict.fromkeys(f.strip().lower() for f in formats))
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ArgumentError(f"format {', '.join(bad) or '(none)'} is not valid; choose from {', '.join(FORMATS)}")
    wanted = list(registry) if not names else list(dict.fromkeys(names))
    unknown = [n for n in wanted if n not in registry]
    if unknown:
        raise ArgumentError(f"unknown figure {', '.join(unknown)}; figures are {', '.join(registry)}")
    out = Path(outdir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=out, prefix=".write-test-", delete=True)
        probe.close()
    except OSError as exc:
        raise ArgumentError(f"output folder {out} is not writable ({exc.strerror or exc})") from None
    manifest_path = out / "MANIFEST.csv"
    results: list[RenderResult] = []
    for i, (name, blobs, prov, error) in enumerate(_produce(registry, wanted, context, formats, jobs), 1):
        spec = registry[name]
        if progress:
            progress(f"[{i}/{len(wanted)}] {name}" + (f" failed: {error}" if error else ""))
        if error is not None:
            results.append(RenderResult(name, [], error))
            continue
        files, rows = [], []
        with _locked(manifest_path):  # files and their manifest rows change together, one figure at a time
            for fmt, data in blobs.items():
                path = out / "tables" / f"{name}.{fmt}" if spec.kind == "table" else out / f"{name}.{fmt}"
                atomic_write(path, data)
                files.append(path)
                rows.append({
                    "figure": name, "function": f"{spec.func.__module__}.{spec.func.__qualname__}", "format": fmt,
                    "file": path.relative_to(out).as_posix(), "sha256": hashlib.sha256(data).hexdigest(),
                    "corpus_hash": corpus_hash,
                    "preprocessor": str(prov.get("preprocessor", "")), "codebook_version": str(prov.get("codebook_version", "")),
                    "data_version": str(prov.get("data_version", "")),
                    "seed": str(prov.get("seed", "")), "package_version": VERSION,
                })
            _update_manifest(manifest_path, rows)
        results.append(RenderResult(name, files))
    if not manifest_path.exists():
        with _locked(manifest_path):
            _update_manifest(manifest_path, [])
    return results
