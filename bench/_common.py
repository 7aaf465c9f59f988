"""Helpers shared by the benchmarks in bench/ (standard library only).

Used by the ``bench_*.py`` scripts (in framing's environment) and by
``peer_scattertext.py`` (in the peer environment ``bench/.venv-peer``, which
has no framing), so nothing here may import framing or a third-party
package; what needs framing takes it as a parameter:

* :data:`SEED`, :data:`DEFAULT_TOKENS`, :data:`DOC_TOKENS`,
  :data:`PARAGRAPH_SENTENCES`: the design of the synthetic corpora;
* :func:`make_document`: one synthetic document, resampled from sentences;
* :class:`Timing`, :func:`timed`, :func:`time_repeats`: wall-clock times of
  repeated runs;
* :func:`status_kib`, :func:`reset_peak_rss`, :func:`measure_peak`: peak
  resident-set growth of a call, from ``/proc/self/status``;
  :func:`write_pickle`, :func:`load_pickle`, :func:`memory_in_children`,
  :func:`memory_of_pickled`: that measure, one fresh spawned process a step;
* :func:`pkg_version`, :func:`package_versions`, :func:`machine`,
  :func:`machine_line`, :func:`source_digest`, :func:`digests_since`: what
  the results were measured on;
* :func:`mib`, :func:`fmt_int`, :func:`verdict`: small formatters;
* :func:`say`, :func:`make_parser`, :func:`add_run_options`,
  :func:`token_parser`, :func:`parse_token_args`: progress and command line;
* :data:`README`, :func:`markers`, :func:`replace_section`,
  :func:`write_section`, :func:`publish`: the results sections of
  ``bench/README.md``, rewritten atomically;
* :class:`Row`, :func:`render_summary`: one line per measured step with its
  peer, kept in ``bench/results/<section>.json`` and gathered into
  ``bench/RESULTS.md`` (:data:`RESULTS`) whenever a benchmark writes.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import gc
import hashlib
import json
import multiprocessing
import os
import pickle
import platform
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import ModuleType
from typing import Any

#: Seed of every synthetic corpus and draw.
SEED = 20251122
#: Default size of the synthetic text corpora, in tokens.
DEFAULT_TOKENS = 10_000_000
#: Tokens a synthetic document aims at.
DOC_TOKENS = 500
#: Sentences per synthetic paragraph (inclusive range).
PARAGRAPH_SENTENCES = (3, 6)

#: The README whose results sections the benchmarks rewrite (``--write``).
README = Path(__file__).resolve().with_name("README.md")
#: The one table of every benchmark's headline steps, rebuilt from :data:`RESULTS_DIR` on every write.
RESULTS = README.with_name("RESULTS.md")
#: One JSON file per benchmark section: its rows and the machine they were measured on.
RESULTS_DIR = README.with_name("results")


# --------------------------------------------------------------------------- corpus


def make_document(
    rng: random.Random,
    sentences: Sequence[str],
    lengths: Sequence[int],
    doc_tokens: int,
    paragraph_sentences: tuple[int, int],
) -> tuple[str, int]:
    """One document resampled from ``sentences``; returns ``(text, tokens)``.

    A paragraph is ``rng.randint(*paragraph_sentences)`` sentences drawn with
    replacement (``rng.randrange``) and joined by a space. Paragraphs are
    added while they bring the document's length closer to ``doc_tokens``: a
    paragraph that would overshoot by more than the document still lacks is
    dropped and the document ends (the first paragraph is always kept).
    Paragraphs are joined by a blank line. ``lengths[i]`` is the number of
    tokens of ``sentences[i]``.
    """
    n = len(sentences)
    paragraphs: list[str] = []
    length = 0
    while length < doc_tokens:
        picks = [rng.randrange(n) for _ in range(rng.randint(*paragraph_sentences))]
        added = sum(lengths[i] for i in picks)
        if paragraphs and length + added - doc_tokens > doc_tokens - length:
            break
        paragraphs.append(" ".join(sentences[i] for i in picks))
        length += added
    return "\n\n".join(paragraphs), length


# --------------------------------------------------------------------------- timing


@dataclass
class Timing:
    """Wall-clock seconds of every repeat of one step."""

    name: str
    seconds: list[float] = field(default_factory=list)

    @property
    def best(self) -> float:
        return min(self.seconds)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Collect garbage, then call ``fn``; its wall-clock seconds and its result."""
    gc.collect()
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def time_repeats(
    name: str,
    fn: Callable[[], Any],
    repeat: int,
    *,
    before: Callable[[], Any] | None = None,
    each: Callable[[int, float, Any], Any] | None = None,
) -> tuple[Timing, Any]:
    """Call ``fn`` ``repeat`` times; the timings and the last result.

    Before each run the previous result is dropped, ``before()`` is called
    (to clear a cache, say) and garbage is collected (:func:`timed`); after
    each run ``each(i, seconds, result)`` is called, ``i`` counting from 0.
    """
    timing = Timing(name)
    result: Any = None
    for i in range(repeat):
        result = None
        if before is not None:
            before()
        seconds, result = timed(fn)
        timing.seconds.append(seconds)
        if each is not None:
            each(i, seconds, result)
    return timing, result


def time_rounds(
    steps: dict[str, Callable[[], Any]],
    repeat: int,
    *,
    before: Callable[[], Any] | None = None,
) -> tuple[dict[str, Timing], dict[str, Any]]:
    """Time every step once per round, ``repeat`` rounds; the timings and each step's last result.

    The steps take turns (a, b, c, a, b, c, ...) rather than running all
    repeats of one step before the next, so a machine whose speed drifts
    during the run (a shared host, a warming CPU) slows every step alike
    and the ratios between them stay fair.
    """
    timings = {name: Timing(name) for name in steps}
    results: dict[str, Any] = dict.fromkeys(steps)
    for _ in range(repeat):
        for name, fn in steps.items():
            results[name] = None
            if before is not None:
                before()
            seconds, results[name] = timed(fn)
            timings[name].seconds.append(seconds)
    return timings, results


# --------------------------------------------------------------------------- memory


def status_kib(field: str) -> int:
    """A memory field of ``/proc/self/status`` (``VmRSS``, ``VmHWM``), in KiB."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise OSError(f"no {field} in /proc/self/status")


def reset_peak_rss() -> bool:
    """Reset this process' peak-RSS high-water mark (Linux >= 4.0); False if impossible."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        return False
    return True


def measure_peak(fn: Callable[[], Any]) -> dict[str, Any]:
    """Peak resident-set growth while ``fn()`` runs, result included.

    Collects garbage, resets the kernel's peak-RSS mark
    (``/proc/self/clear_refs``), notes the current RSS (``VmRSS``) as the
    baseline, calls ``fn`` and reads the peak (``VmHWM``) while its result is
    still alive. Without ``clear_refs`` the fallback is ``ru_maxrss`` minus
    ``ru_maxrss`` at the baseline (``exact`` False), which hides a step that
    stays below an earlier peak. Returns ``baseline_kib, peak_kib,
    delta_kib, exact``.
    """
    gc.collect()
    exact = reset_peak_rss()
    if exact:
        baseline = status_kib("VmRSS")
    else:
        baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    result = fn()
    peak = status_kib("VmHWM") if exact else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    del result
    return {"baseline_kib": baseline, "peak_kib": peak, "delta_kib": peak - baseline, "exact": exact}


def write_pickle(obj: Any, directory: str, name: str) -> str:
    """Pickle ``obj`` to ``directory/name`` (highest protocol); return the path."""
    path = os.path.join(directory, name)
    with open(path, "wb") as fh:
        pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def load_pickle(path: str) -> Any:
    """What :func:`write_pickle` wrote to ``path``."""
    with open(path, "rb") as fh:
        return pickle.load(fh)


def memory_in_children(
    measure: Callable[..., dict[str, Any]],
    names: Sequence[str],
    *args: Any,
    report: Callable[[str], None] | None = None,
) -> dict[str, dict[str, Any]]:
    """``measure(name, *args)`` for each step name, one new spawned process per step.

    ``measure`` must be a module-level function (it is pickled by name) that
    returns a dict with ``delta_kib`` (as :func:`measure_peak` does); each
    step's growth is reported as ``  memory NAME: +N MiB`` through
    ``report`` (default :func:`say`; pass ``lambda _: None`` for silence).
    """
    report = say if report is None else report
    context = multiprocessing.get_context("spawn")
    out: dict[str, dict[str, Any]] = {}
    for name in names:
        with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            out[name] = pool.submit(measure, name, *args).result()
        report(f"  memory {name}: +{out[name]['delta_kib'] / 1024:.0f} MiB")
    return out


def memory_of_pickled(
    measure: Callable[..., dict[str, Any]],
    names: Sequence[str],
    data: Any,
    *args: Any,
    prefix: str,
    filename: str,
) -> dict[str, dict[str, Any]]:
    """:func:`memory_in_children` with ``data`` pickled to a temporary file first.

    Each child gets ``measure(name, path, *args)``, ``path`` being the
    pickle (read it with :func:`load_pickle`); the temporary directory
    (``prefix``) is removed afterwards.
    """
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        path = write_pickle(data, tmp, filename)
        return memory_in_children(measure, names, path, *args)


# --------------------------------------------------------------------------- machine


def pkg_version(name: str) -> str:
    """Installed version of a distribution, or ``'not installed'``."""
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def machine(packages: dict[str, str]) -> dict[str, str]:
    """Date (UTC), CPU, cores, memory, OS, Python, then ``packages`` (label -> version)."""
    mem = "unknown"
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    mem = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
                    break
    except OSError:
        pass
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), cpu)
    except OSError:
        pass
    return {
        "date (UTC)": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M"),
        "CPU": f"{cpu}, {os.cpu_count()} cores (`os.cpu_count()`)",
        "memory": f"{mem} (MemTotal, /proc/meminfo)",
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        **packages,
    }


def package_versions(*names: str) -> dict[str, str]:
    """``{name: pkg_version(name)}`` for each distribution, in order."""
    return {name: pkg_version(name) for name in names}


def machine_line(info: dict[str, str]) -> str:
    """``**Machine.** label: value; …`` (no final full stop) for a results section."""
    return "**Machine.** " + "; ".join(f"{k}: {v}" for k, v in info.items())


def source_digest(package: ModuleType) -> str:
    """sha256 (12 hex digits) of a package's Python sources as they are on disk now.

    Taken at the start and at the end of a run: spawned memory children
    import the package afresh, so a change to its sources during the run
    would make their figures (and any later step) measure other code than
    the timings.
    """
    root = Path(str(package.__file__)).resolve().parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:12]


def digests_since(start: str, package: ModuleType) -> tuple[str, str]:
    """``(start, digest now)`` of ``package``'s sources, with a warning if they differ."""
    digests = (start, source_digest(package))
    if digests[0] != digests[1]:
        say(f"WARNING: {package.__name__}'s sources changed during the run ({digests[0]} -> {digests[1]}); "
            "rerun for clean figures")
    return digests


# --------------------------------------------------------------------------- formatting


def mib(n_bytes: float | None) -> str:
    """Bytes as MiB with one decimal and thousands separators; ``—`` for None."""
    if n_bytes is None:
        return "—"
    return f"{n_bytes / 1024**2:,.1f}"


def fmt_int(n: int | None) -> str:
    """An integer with thousands separators; ``—`` for None."""
    return "—" if n is None else f"{n:,}"


def verdict(checks: Iterable[bool]) -> str:
    """``**met**`` if every check holds, ``**not met**`` if none does, else ``**met on one measure only**``."""
    met = list(checks)
    return "**met**" if all(met) else ("**not met**" if not any(met) else "**met on one measure only**")


# --------------------------------------------------------------------------- command line


def say(msg: str) -> None:
    """Progress to stderr, flushed at once."""
    print(msg, file=sys.stderr, flush=True)


def make_parser(doc: str) -> argparse.ArgumentParser:
    """An argument parser described by the first paragraph of ``doc`` (a script's docstring)."""
    return argparse.ArgumentParser(description=doc.split("\n\n")[0])


def add_run_options(
    parser: argparse.ArgumentParser, *, section: str, memory_help: str = "skip the per-step memory children"
) -> None:
    """``--repeat`` (default 3), ``--write`` (the README ``section``) and ``--no-memory``."""
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each step (default 3)")
    parser.add_argument("--write", action="store_true", help=f"replace the {section} section of {README.name}")
    parser.add_argument("--no-memory", action="store_true", help=memory_help)


def token_parser(doc: str, *, section: str, memory_help: str = "skip the per-step memory children") -> argparse.ArgumentParser:
    """:func:`make_parser` with ``--tokens`` (default :data:`DEFAULT_TOKENS`) and :func:`add_run_options`."""
    parser = make_parser(doc)
    parser.add_argument("--tokens", type=int, default=DEFAULT_TOKENS,
                        help=f"corpus size in tokens (default {DEFAULT_TOKENS:,})")
    add_run_options(parser, section=section, memory_help=memory_help)
    return parser


def parse_token_args(parser: argparse.ArgumentParser, argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse ``argv`` with a :func:`token_parser`; ``--tokens`` and ``--repeat`` must be positive."""
    args = parser.parse_args(argv)
    if args.tokens < 1 or args.repeat < 1:
        parser.error("--tokens and --repeat must be positive")
    return args


# --------------------------------------------------------------------------- README


def replace_section(path: Path, start_marker: str, end_marker: str, content: str) -> None:
    """Replace the text between ``start_marker`` and ``end_marker`` in ``path``, atomically.

    The new file is written to a temporary file in the same directory,
    flushed and fsynced, then moved over ``path`` with ``os.replace``, so a
    reader sees the old file or the new one, never a mix.
    """
    text = path.read_text("utf-8")
    start = text.find(start_marker)
    end = text.find(end_marker, start + len(start_marker)) if start >= 0 else -1
    if start < 0 or end < 0:
        raise SystemExit(f"{path}: markers {start_marker} … {end_marker} not found in order")
    _atomic_write(path, text[: start + len(start_marker)] + "\n" + content + text[end:])


def markers(section: str) -> tuple[str, str]:
    """The start and end markers of a results section of the README."""
    return f"<!-- {section}:start -->", f"<!-- {section}:end -->"


def write_section(section: str, content: str, path: Path = README) -> None:
    """Replace the text between the markers of ``section`` in ``path``, atomically."""
    replace_section(path, *markers(section), content)


@dataclass
class Row:
    """One measured step of a benchmark, beside its peer in the same run, for ``RESULTS.md``.

    ``seconds`` and ``peer_seconds`` are best wall-clock times; ``ratio`` is
    framing's time over the peer's (below 1: framing is faster); memory is
    peak resident-set growth in MiB where the benchmark measured it; ``aim``
    says what the issue asks of the step and ``met`` whether this run meets it.
    """

    step: str
    size: str
    seconds: float
    peer: str = ""
    peer_seconds: float | None = None
    peak_mib: float | None = None
    peer_peak_mib: float | None = None
    aim: str = ""
    met: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.seconds / self.peer_seconds if self.peer_seconds else None


def _atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a fsynced temporary file and ``os.replace``: old file or new, never a mix."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _num(value: float | None, fmt: str) -> str:
    return "—" if value is None or value != value else format(value, fmt)


def render_summary(results_dir: Path = RESULTS_DIR) -> str:
    """``RESULTS.md``: every benchmark's rows in one table, from the JSON files of their last written runs."""
    order = ["results", "sentences", "frames", "keyness", "topics", "scale", "large", "huge", "commands"]
    runs = [json.loads(path.read_text("utf-8")) for path in results_dir.glob("*.json")]
    runs.sort(key=lambda r: (order.index(r["section"]) if r["section"] in order else len(order), r["section"]))
    lines = [
        "# Benchmark results",
        "",
        "One line per measured step, beside its peer in the same run. Written by the benchmarks themselves",
        "(`make bench`, or any `bench/bench_*.py --write`) from `bench/results/*.json`; do not edit by hand.",
        "The method, the corpora and the reading of each benchmark are in [README.md](README.md).",
        "",
        "Times are the best wall-clock seconds of the run; *framing ÷ peer* below 1 means framing is faster.",
        "Memory is the peak growth of resident memory during the step, where the benchmark measures it.",
        "",
        "| benchmark | step | size | framing (s) | peer | peer (s) | framing ÷ peer | peak MiB (framing / peer) "
        "| aim | met | run (UTC) |",
        "|---|---|---|---:|---|---:|---:|---:|---|---|---|",
    ]
    for run in runs:
        for r in run["rows"]:
            row = Row(**r)
            mem = "—" if row.peak_mib is None and row.peer_peak_mib is None else \
                f"{_num(row.peak_mib, ',.0f')} / {_num(row.peer_peak_mib, ',.0f')}"
            met = "—" if row.met is None else ("**yes**" if row.met else "no")
            step = row.step + (f" ({row.note})" if row.note else "")
            lines.append(
                f"| {run['benchmark']} | {step} | {row.size} | {_num(row.seconds, ',.2f')} | {row.peer or '—'} | "
                f"{_num(row.peer_seconds, ',.2f')} | {_num(row.ratio, '.2f')} | {mem} | {row.aim or '—'} | {met} | "
                f"{run['machine'].get('date (UTC)', '?')} |"
            )
    lines += ["", "Machines of the runs:", ""]
    for run in runs:
        info = {k: v for k, v in run["machine"].items() if k in ("date (UTC)", "CPU", "memory", "Python")}
        lines.append(f"- {run['benchmark']}: " + "; ".join(f"{k} {v}" for k, v in info.items()))
    return "\n".join(lines) + "\n"


def publish(results: str, *, write: bool, section: str, rows: Sequence[Row] = (),
            info: dict[str, str] | None = None) -> None:
    """Print ``results``; with ``write``, also put them in the README's ``section`` and say so.

    ``rows`` (with the ``info`` of :func:`machine`) are the run's headline
    steps: written to ``bench/results/<section>.json``, after which
    ``bench/RESULTS.md`` is rebuilt from every benchmark's last rows.
    """
    print(results)
    if write:
        write_section(section, results)
        say(f"wrote {README}")
        if rows:
            RESULTS_DIR.mkdir(exist_ok=True)
            record = {"section": section, "benchmark": Path(sys.argv[0]).stem, "machine": info or {},
                      "rows": [r.__dict__ for r in rows]}
            _atomic_write(RESULTS_DIR / f"{section}.json", json.dumps(record, indent=1, ensure_ascii=False) + "\n")
            _atomic_write(RESULTS, render_summary())
            say(f"wrote {RESULTS}")
