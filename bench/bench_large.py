"""Benchmark: a corpus of 200 MB, streamed from a CSV file.

A researcher's corpus can be larger than the memory the toolkit should
need. This run writes a CSV of about ``--mb`` megabytes of text (documents
resampled from the bundled corpus' body sentences, as in ``bench_dtm.py``,
fixed seed) and reads it through ``fr.CorpusScan`` in chunks of
``--chunksize`` documents, each step in a fresh spawned process:

- ``fr.dtm(scan, unit="paragraph")`` with the default preprocessing;
- ``fr.detect_frames(scan)`` with the bundled codebook;

reporting wall-clock time, throughput and peak resident-memory growth of the
step, and the size of what the step returns (the result kept in memory).

Usage::

    .venv/bin/python bench/bench_large.py [--mb 200] [--chunksize 2000] [--write]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import _common  # noqa: E402
import bench_dtm  # noqa: E402

import framing as fr  # noqa: E402

SECTION = "large"  # of README


def _result_mib(result: Any) -> float:
    """Memory held by a step's result: its tables (deep) and sparse arrays."""
    if isinstance(result, fr.DocumentTermMatrix):
        m = result.matrix
        return (m.data.nbytes + m.indices.nbytes + m.indptr.nbytes + result.units.memory_usage(deep=True).sum()) / 2**20
    tables = [result.evidence, result.units, result.unit_frames]
    return sum(float(t.memory_usage(deep=True).sum()) for t in tables) / 2**20


def _step(name: str, path: str, chunksize: int) -> dict[str, Any]:
    """One step on the CSV at ``path`` in this (spawned) process: time, peak growth, result size."""
    bench_dtm.warm_up()
    scan = fr.CorpusScan(path, chunksize=chunksize)
    held: dict[str, Any] = {}

    def run() -> None:
        start = time.perf_counter()
        held["result"] = fr.dtm(scan, fr.Preprocessor(), unit="paragraph") if name == "dtm" else fr.detect_frames(scan)
        held["seconds"] = time.perf_counter() - start

    out = _common.measure_peak(run)
    out["seconds"] = held["seconds"]
    out["result_mib"] = _result_mib(held["result"])
    result = held["result"]
    out["shape"] = (f"{result.shape[0]:,} paragraphs x {result.shape[1]:,} terms" if name == "dtm"
                    else f"{len(result.evidence):,} hits in {len(result.units):,} paragraphs")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = _common.make_parser(__doc__)
    parser.add_argument("--mb", type=float, default=200.0, help="megabytes of text to generate (default 200)")
    parser.add_argument("--chunksize", type=int, default=2000, help="documents per chunk of the scan")
    parser.add_argument("--steps", nargs="+", choices=("dtm", "frames"), default=["dtm", "frames"],
                        help="what to run on the file (default both)")
    parser.add_argument("--section", default=SECTION, help=f"README section to write (default {SECTION})")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)

    sentences = bench_dtm.body_sentences()
    per_token = sum(len(s) for s in sentences) / sum(bench_dtm.count_tokens(s) for s in sentences)
    texts = bench_dtm.make_documents(sentences, int(args.mb * 1e6 / per_token))
    n_tokens = sum(map(bench_dtm.count_tokens, texts))
    frame = bench_dtm.to_frame(texts)
    mb = sum(len(t) for t in texts) / 1e6
    out_dir = HERE / "out"
    out_dir.mkdir(exist_ok=True)
    path = out_dir / "large.csv"
    frame.to_csv(path, index=False)
    n_docs = len(frame)
    del texts, frame
    _common.say(f"wrote {path} ({mb:,.0f} MB of text, {n_docs:,} documents)")
    try:
        steps = _common.memory_in_children(_step, tuple(args.steps), str(path), args.chunksize)
    finally:
        path.unlink()

    info = _common.machine(_common.package_versions("pandas", "numpy", "framing"))
    lines = [
        f"Run of `bench/bench_large.py --mb {args.mb:g} --chunksize {args.chunksize} --steps {' '.join(args.steps)}`: "
        f"{mb:,.0f} MB of text, {n_tokens:,} tokens in {n_docs:,} documents, read from a CSV file through `fr.CorpusScan`.",
        "",
        _common.machine_line(info) + ".",
        "",
        "| step | seconds | MB/s | peak memory growth (MiB) | result held (MiB) | result |",
        "|---|---:|---:|---:|---:|---|",
    ]
    labels = {"dtm": "`fr.dtm(scan, Preprocessor(), unit=\"paragraph\")`", "frames": "`fr.detect_frames(scan)`"}
    rows = []
    for name in args.steps:
        s = steps[name]
        lines.append(f"| {labels[name]} | {s['seconds']:.1f} | {mb / s['seconds']:.1f} | {s['delta_kib'] / 1024:,.0f} | "
                     f"{s['result_mib']:,.0f} | {s['shape']} |")
        rows.append(_common.Row(f"{labels[name]} through `CorpusScan`", f"{mb:,.0f} MB ({n_tokens / 1e6:,.0f}M tokens)",
                                s["seconds"], peak_mib=s["delta_kib"] / 1024, note=f"{mb / s['seconds']:.1f} MB/s"))
    text = "\n".join(lines)
    _common.publish(text, write=args.write, section=args.section, rows=rows, info=info)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
