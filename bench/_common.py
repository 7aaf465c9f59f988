"""Helpers shared by the benchmarks in bench/ (standard library only).

Used by ``bench_dtm.py`` and ``bench_keyness.py`` (in framing's environment)
and by ``peer_scattertext.py`` (in the peer environment ``bench/.venv-peer``,
which has no framing), so nothing here may import framing or a third-party
package:

* :func:`make_document`: one synthetic document, resampled from sentences;
* :func:`status_kib`, :func:`reset_peak_rss`, :func:`measure_peak`: peak
  resident-set growth of a call, from ``/proc/self/status``;
* :func:`pkg_version`, :func:`machine`: what the results were measured on;
* :func:`replace_section`: rewrite the text between two markers of a file,
  atomically.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import platform
import random
import resource
import tempfile
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

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
    new = text[: start + len(start_marker)] + "\n" + content + text[end:]
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(new)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
