"""Figure and table machinery for any study: a registry, one renderer, byte-identical output.

A study registers functions that draw its figures and tables
(``func(context) -> (Figure or DataFrame, provenance dict)``) in a
:class:`Registry`; :func:`render` draws the requested ones in the paper
style, writes each format through a temporary file renamed into place (so a
failure never leaves a half-written file), strips timestamps so two runs give
identical bytes, and records every output in ``MANIFEST.csv``. The library
holds no figure of its own: the bundled study's figures live in the
top-level ``study`` package.

Each figure also leaves the numbers it plots: the table its function gives
as ``provenance["data"]`` is written as ``data/<figure>.csv`` (floats to 10
significant digits, rows in the order the function gives them) and recorded
in the manifest as the figure's ``csv`` row. Images can differ between
machines in their last bytes (FreeType, BLAS kernels); the data are what
:func:`compare_figure_data` and :func:`check_figure_data` compare, within
``rtol=DATA_RTOL`` and ``atol=DATA_ATOL``.
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

import numpy as np
import pandas as pd

from framing.base.errors import ArgumentError
from framing.base.gcpause import without_gc
from framing.base.io import atomic_write, csv_bytes
from framing.base.version import VERSION
from framing.viz.style import paper_style

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["DPI", "written_resolution", "FigureSpec", "Registry", "render", "RenderResult", "FORMATS", "MANIFEST_COLUMNS", "atomic_write",
           "figure_bytes", "table_bytes", "data_bytes", "read_figure_data", "figure_data", "compare_figure_data",
           "check_figure_data", "DATA_FOLDER", "DATA_DIGITS", "DATA_RTOL", "DATA_ATOL"]

log = logging.getLogger(__name__)
FORMATS = ("png", "pdf", "svg")
TABLE_FORMATS = ("csv", "tex")
_METADATA = {"png": {"Software": None}, "pdf": {"CreationDate": None, "Producer": None}, "svg": {"Date": None}}
MANIFEST_COLUMNS = [
    "figure", "function", "format", "file", "sha256", "corpus_hash", "preprocessor",
    "codebook_version", "data_version", "seed", "package_version",
]
#: The folder, inside the output folder, of each figure's plotted numbers (``data/<figure>.csv``).
DATA_FOLDER = "data"
#: Significant digits of a float in a data file: below any difference a figure can show, above float64 noise.
DATA_DIGITS = 10
#: Default tolerance of :func:`compare_figure_data`: ``|actual - expected| <= DATA_ATOL + DATA_RTOL * |expected|``.
#: 1e-6 is a thousand times finer than a pixel of a 300 dpi figure (a value spanning an axis is drawn with
#: about 1e-3 relative precision) and far above float64 rounding (1e-16 a step) and the 10 digits written.
DATA_RTOL = 1e-6
#: For values that should be zero: differences below 1e-9 are rounding, whatever the value's size.
DATA_ATOL = 1e-9


@dataclass(frozen=True)
class FigureSpec:
    """A named figure or table of a study.

    Attributes
    ----------
    name : str
    func : callable
        ``func(context) -> (Figure or DataFrame, provenance dict)``; the dict
        may give ``preprocessor``, ``codebook_version``, ``data_version`` and
        ``seed``, and, for a figure, ``data``: a tidy DataFrame of the numbers
        it plots (one table; a ``panel`` column for several panels), written
        as ``data/<name>.csv``. A figure without ``data`` still renders; its
        manifest row for ``csv`` then has no file and no hash.
    caption : str
        One line describing it.
    kind : {'figure', 'table'}
    slow : bool
        Takes much longer than the others (model searches, robustness grids):
        drawn first when several processes draw, so that it does not start
        last and leave the other processes idle while it runs.
    """

    name: str
    func: Callable[[Any], tuple[Any, dict[str, Any]]]
    caption: str
    kind: str = "figure"
    slow: bool = False


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

    def _add(self, kind: str, name: str, caption: str, slow: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def deco(func: Callable[..., Any]) -> Callable[..., Any]:
            if name in self.specs:
                raise ArgumentError(f"{kind} {name!r} is registered twice")
            self.specs[name] = FigureSpec(name, func, caption, kind, slow)
            return func

        return deco

    def figure(self, name: str, caption: str, *, slow: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Decorator registering a figure function (``slow``: see :class:`FigureSpec`)."""
        return self._add("figure", name, caption, slow)

    def table(self, name: str, caption: str, *, slow: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Decorator registering a table function."""
        return self._add("table", name, caption, slow)

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


def data_bytes(table: Any) -> bytes:
    """A figure's data table as CSV: every float to :data:`DATA_DIGITS` significant digits, no index.

    Rounding first and then writing each float's shortest repr gives the same
    bytes on every platform for the same rounded numbers; text cells go through
    :func:`framing.base.io.csv_bytes` (no spreadsheet formulas).

    >>> import pandas as pd
    >>> data_bytes(pd.DataFrame({"k": [3], "value": [1 / 3]})).decode().splitlines()
    ['k,value', '3,0.3333333333']
    """
    table = pd.DataFrame(table).reset_index(drop=True)
    table.columns = [str(c) for c in table.columns]
    for col in table.columns:
        if pd.api.types.is_float_dtype(table[col]):
            table[col] = [float(f"{v:.{DATA_DIGITS}g}") for v in table[col].to_numpy(dtype=float)]
    return csv_bytes(table)


def read_figure_data(source: str | Path | bytes) -> Any:
    """Read a data file (a path, or the bytes :func:`data_bytes` gives) as :func:`compare_figure_data` expects.

    Only an empty cell is missing: a term such as ``null`` or ``NA`` stays text.
    """
    return pd.read_csv(io.BytesIO(source) if isinstance(source, bytes) else source, keep_default_na=False,
                       na_values=[""])


#: Tables left out of the TrueType fonts a PDF embeds. A PDF reader draws an embedded TrueType font's glyphs
#: from its "head", "hhea", "loca", "maxp", "cvt ", "prep", "glyf", "hmtx" and "fpgm" tables, with "cmap" for
#: a simple font (PDF Reference 1.7, section 5.8, "Embedded Font Programs"), and the PDF places every glyph
#: itself: substitution, positioning, kerning and math tables are never read. Subsetting them (DejaVu's
#: GSUB and GPOS are large) was about half the time fontTools took for a figure's PDF.
UNREAD_FONT_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "kern")


@contextmanager
def _lean_font_subsets() -> Iterator[None]:
    """While a PDF is written: fontTools' subsetter leaves :data:`UNREAD_FONT_TABLES` out of the fonts.

    matplotlib subsets each embedded font with ``fontTools.subset.Options()``, whose tables to drop start
    from the class default ``Options._drop_tables_default``; it is extended here and restored after (a
    process writes one figure at a time). The glyphs, their outlines and advance widths are those of a
    full subset (tested). Without that default (another fontTools) nothing changes but the time.
    """
    from fontTools import subset

    default = getattr(subset.Options, "_drop_tables_default", None)
    if not isinstance(default, list):
        yield
        return
    subset.Options._drop_tables_default = default + [t for t in UNREAD_FONT_TABLES if t not in default]
    try:
        yield
    finally:
        subset.Options._drop_tables_default = default


#: Resolution of every raster image written (dots per inch).
DPI = 300


@contextmanager
def written_resolution(fig: Figure) -> Iterator[Any]:
    """The figure at :data:`DPI`, as ``savefig(dpi=DPI)`` sets it while it draws, and the renderer that
    measures it there (text widths depend on the resolution); its own resolution is given back after."""
    dpi = fig.dpi
    fig.dpi = DPI
    try:
        yield fig.canvas.get_renderer()
    finally:
        fig.dpi = dpi


def _break_titles(fig: Figure, renderer: Any) -> bool:
    """Break each axes title (left, centre or right) that runs past the figure's edge between words,
    line by line, so that it ends inside; True when one changed.

    A constrained layout makes room for a title's height, not for its width (a long left-aligned
    title runs past the right edge of a figure of several panels).
    """
    pad = renderer.points_to_pixels(2)
    left, right = fig.bbox.x0 + pad, fig.bbox.x1 - pad
    changed = False
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        # matplotlib keeps the left and right titles beside ax.title; without them, the centre title alone
        for title in (getattr(ax, "_left_title", None), ax.title, getattr(ax, "_right_title", None)):
            if title is None or not title.get_visible() or not title.get_text().strip():
                continue
            box = title.get_window_extent(renderer)
            if box.x0 >= left - 0.5 and box.x1 <= right + 0.5:
                continue
            middle = (box.x0 + box.x1) / 2
            room = {"left": right - box.x0, "right": box.x1 - left}.get(
                title.get_horizontalalignment(), 2 * min(middle - left, right - middle))
            prop = title.get_fontproperties()
            lines: list[str] = []
            for line in title.get_text().split("\n"):
                words = line.split(" ")
                lines.append(words[0])
                for word in words[1:]:  # greedy: each line takes the words that fit (at least one)
                    wider = f"{lines[-1]} {word}"
                    if renderer.get_text_width_height_descent(wider, prop, ismath=False)[0] <= room:
                        lines[-1] = wider
                    else:
                        lines.append(word)
            text = "\n".join(lines)
            if text != title.get_text():
                title.set_text(text)
                changed = True
    return changed


@contextmanager
def _layout_once(fig: Figure) -> Iterator[None]:
    """The figure's layout (constrained or tight) computed once, as a PNG at :data:`DPI` computes it,
    and kept for every format written inside; the layout engine is given back after.

    ``savefig`` otherwise runs the layout engine again for each format: the PNG keeps the same
    layout (the same bytes), the PDF and SVG take the PNG's instead of one measured anew with their
    own text metrics (a fraction of a point apart), and the engine runs once instead of per format.
    An axes title that would run past the figure's edge is broken between words first
    (:func:`_break_titles`), and the figure laid out again.
    A figure without a layout engine, or on a canvas without its own renderer, is left as it is.
    """
    engine = fig.get_layout_engine()
    if engine is None or not fig.axes or not hasattr(fig.canvas, "get_renderer"):
        yield
        return
    with written_resolution(fig) as renderer:  # the renderer savefig lays a PNG out with
        engine.execute(fig)
        for _ in range(3):  # a broken title is taller: lay out again, which may move the panels
            if not _break_titles(fig, renderer):
                break
            engine.execute(fig)
    fig.set_layout_engine("none")
    try:
        yield
    finally:
        fig.set_layout_engine(engine)


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """Serialise a figure deterministically (no timestamps, fixed SVG ids; a PDF's fonts without the
    tables a PDF reader never reads, :data:`UNREAD_FONT_TABLES`)."""
    import matplotlib as mpl

    buf = io.BytesIO()
    with mpl.rc_context({"svg.hashsalt": "framing"}):
        if fmt == "pdf":
            with _lean_font_subsets():
                fig.savefig(buf, format=fmt, dpi=DPI, metadata=_METADATA[fmt])
        else:
            fig.savefig(buf, format=fmt, dpi=DPI, metadata=_METADATA[fmt])
    return buf.getvalue()


# --------------------------------------------------------------------------- rendering


@dataclass
class RenderResult:
    """What :func:`render` did for one figure."""

    name: str
    files: list[Path]
    error: str | None = None


@without_gc  # a figure's artists and the forked context it reads are not garbage: no collection walks them
def _make(spec: FigureSpec, context: Any, formats: tuple[str, ...]) -> tuple[dict[str, bytes], dict[str, Any]]:
    """Draw one figure or table and serialise it; a figure's data table becomes its ``csv`` blob."""
    import matplotlib.pyplot as plt

    if spec.kind == "table":
        table, prov = spec.func(context)
        return {fmt: table_bytes(table, fmt, spec.caption) for fmt in TABLE_FORMATS}, prov
    fig = None
    try:
        with paper_style():
            fig, prov = spec.func(context)
            prov = dict(prov)
            data = prov.pop("data", None)
            with _layout_once(fig):
                blobs = {fmt: figure_bytes(fig, fmt) for fmt in formats}
            if data is not None:
                blobs["csv"] = data_bytes(data)
            return blobs, prov
    finally:
        if fig is not None:
            plt.close(fig)


def _output_path(out: Path, spec: FigureSpec, fmt: str) -> Path:
    """Where one output of a figure or table goes: ``tables/``, ``data/`` (a figure's numbers) or the folder itself."""
    if spec.kind == "table":
        return out / "tables" / f"{spec.name}.{fmt}"
    if fmt == "csv":
        return out / DATA_FOLDER / f"{spec.name}.csv"
    return out / f"{spec.name}.{fmt}"


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
        # slow figures are handed out first; results come back in the order asked
        first = sorted(names, key=lambda n: not registry[n].slow)
        futures = {n: pool.submit(_worker, (n, formats)) for n in first}
        for name in names:
            yield futures[name].result()
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
        Tables are written as CSV and LaTeX whatever is asked, and a
        figure's data table as ``data/<name>.csv``.
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

    Notes
    -----
    ``MANIFEST.csv`` has one row per figure (or table) and format, the
    data file being the figure's ``csv`` row (``file`` ``data/<name>.csv``
    and its sha256; both empty when the figure gives no data table).
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
        entries: dict[str, bytes | None] = dict(blobs)
        if spec.kind == "figure":
            entries.setdefault("csv", None)  # no data table: the manifest says so, and an old data file goes
        with _locked(manifest_path):  # files and their manifest rows change together, one figure at a time
            for fmt, data in entries.items():
                path = _output_path(out, spec, fmt)
                if data is None:
                    path.unlink(missing_ok=True)
                else:
                    atomic_write(path, data)
                    files.append(path)
                rows.append({
                    "figure": name, "function": f"{spec.func.__module__}.{spec.func.__qualname__}", "format": fmt,
                    "file": "" if data is None else path.relative_to(out).as_posix(),
                    "sha256": "" if data is None else hashlib.sha256(data).hexdigest(),
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


# --------------------------------------------------------------------------- checking the data


def figure_data(registry: Registry, context: Any, name: str) -> Any:
    """The numbers one figure plots, as its data file would read back; None if its function gives none.

    The figure is drawn in the paper style and closed; nothing is written. A
    table of the registry is its own data.
    """
    import matplotlib.pyplot as plt

    if name not in registry:
        raise ArgumentError(f"unknown figure {name}; figures are {', '.join(registry)}")
    spec = registry[name]
    if spec.kind == "table":
        table, _ = spec.func(context)
        return read_figure_data(table_bytes(table, "csv", spec.caption))
    fig = None
    try:
        with paper_style():
            fig, prov = spec.func(context)
    finally:
        if fig is not None:
            plt.close(fig)
    data = prov.get("data")
    return None if data is None else read_figure_data(data_bytes(data))


def _cells(values: Any) -> Any:
    """A column as text for an exact comparison (missing: '')."""
    return np.array(["" if pd.isna(v) else str(v) for v in values], dtype=object)


def compare_figure_data(expected: Any, actual: Any, *, rtol: float = DATA_RTOL, atol: float = DATA_ATOL,
                        limit: int = 10) -> list[str]:
    """The differences between two data tables of a figure, one line each; empty when they agree.

    Numbers agree when ``|actual - expected| <= atol + rtol * |expected|``
    (:func:`numpy.isclose`; a missing value agrees only with a missing
    value, ``inf`` only with ``inf``); text and booleans must be equal. The
    columns, their order and the number of rows must be the same: rows are
    compared in order.

    Parameters
    ----------
    expected, actual : pandas.DataFrame, path or bytes
        A table as :func:`read_figure_data` reads it, or a data file.
    rtol : float, default=DATA_RTOL (1e-6)
    atol : float, default=DATA_ATOL (1e-9)
    limit : int, default=10
        Differing cells listed per column; the rest are counted.

    Returns
    -------
    list of str
        ``line 14 (lda, c_v, 5, 2), value: expected 0.4151, got 0.4152`` —
        the line of the file (the header is line 1), the row's text and
        whole-number cells to find it by, the column and both values.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"k": [3, 4], "c_v": [0.5, 0.25]})
    >>> compare_figure_data(a, a.assign(c_v=[0.5, 0.25 + 1e-12]))
    []
    >>> compare_figure_data(a, a.assign(c_v=[0.5, 0.3]))
    ['line 3 (4), c_v: expected 0.25, got 0.3']
    """
    exp = expected if isinstance(expected, pd.DataFrame) else read_figure_data(expected)
    act = actual if isinstance(actual, pd.DataFrame) else read_figure_data(actual)
    if list(exp.columns) != list(act.columns):
        return [f"columns differ: expected {', '.join(map(str, exp.columns))}; got {', '.join(map(str, act.columns))}"]
    if len(exp) != len(act):
        return [f"rows differ: expected {len(exp)}, got {len(act)}"]

    def numeric(s: Any) -> bool:
        return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)

    cells = {c: _cells(exp[c]) for c in exp.columns if not pd.api.types.is_float_dtype(exp[c])}  # to name a row by
    out = []
    for col in exp.columns:
        e, a = _cells(exp[col]), _cells(act[col])
        if numeric(exp[col]) and numeric(act[col]):
            bad = ~np.isclose(act[col].to_numpy(dtype=float), exp[col].to_numpy(dtype=float), rtol=rtol, atol=atol,
                              equal_nan=True)
        else:
            bad = e != a
        rows = np.flatnonzero(bad)
        for i in rows[:limit]:
            key = ", ".join(v[i] for c, v in cells.items() if c != col)[:80]
            where = f"line {i + 2} ({key})" if key else f"line {i + 2}"
            out.append(f"{where}, {col}: expected {e[i] or 'nothing'}, got {a[i] or 'nothing'}")
        if len(rows) > limit:
            out.append(f"... and {len(rows) - limit} more in {col}")
    return out


def check_figure_data(registry: Registry, committed: str | Path, regenerated: str | Path,
                      names: Sequence[str] | None = None, *, rtol: float = DATA_RTOL,
                      atol: float = DATA_ATOL) -> dict[str, list[str]]:
    """Compare the data files of two output folders of :func:`render`, figure by figure.

    Parameters
    ----------
    registry : Registry
    committed : str or Path
        The folder holding the data to check against (``figures``).
    regenerated : str or Path
        A folder the same figures were just rendered into.
    names : sequence of str or None
        None: every figure and table of the registry.
    rtol, atol : float
        As :func:`compare_figure_data`.

    Returns
    -------
    dict
        Figure name to its differences (see :func:`compare_figure_data`),
        empty where the data agree; a data file missing on one side is a
        difference, on both sides none (the figure gives no data).
    """
    result = {}
    for name in (list(registry) if names is None else names):
        spec = registry[name]
        rel = _output_path(Path(), spec, "csv")
        old, new = Path(committed) / rel, Path(regenerated) / rel
        if not old.is_file() and not new.is_file():
            result[name] = []
        elif not old.is_file():
            result[name] = [f"no {rel.as_posix()} in {committed} to check against"]
        elif not new.is_file():
            result[name] = [f"the figure gives no data table, but {committed} has {rel.as_posix()}"]
        else:
            result[name] = compare_figure_data(old, new, rtol=rtol, atol=atol)
    return result
