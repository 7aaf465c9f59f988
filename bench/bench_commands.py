"""Time the project's two commands as a user runs them: the paper's figures and the test suite.

On an installed environment (``.venv``, as ``make setup`` leaves it), the
script runs, in turns (figures, tests, figures, tests, ...: a drift in the
machine's speed slows both alike),

* (a) what ``make figures`` runs, ``python -m framing figures --study
  study.figures --format png,pdf``, into a temporary folder (``--out``), so
  the committed ``figures/`` is never touched; after each run every image it
  wrote is compared byte for byte with the committed one, and every data
  file with ``framing figures --check``'s tolerance (the images can differ
  in their last bytes on another machine, the data may not);
* (b) what ``make test`` runs, ``python -m pytest`` (two workers, the
  notebooks included), whose summary line must report no failure.

Each is a child process timed by wall clock, with the CPU seconds of the
process and everything it started (``getrusage(RUSAGE_CHILDREN)``). The aims
(issue "Speed"): ``make figures`` at most 15 s and ``make test`` at most
120 s on an installed environment; the verdict is taken on the median of the
runs, not the best.

Usage::

    .venv/bin/python bench/bench_commands.py                      # both, 3 runs each (about 7 minutes)
    .venv/bin/python bench/bench_commands.py --steps figures      # the figures only
    .venv/bin/python bench/bench_commands.py --write              # also update bench/README.md and RESULTS.md
"""

from __future__ import annotations

import re
import statistics
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(ROOT))  # the study package, whose registry says which figures have data
import _common  # noqa: E402
from _common import Timing, say  # noqa: E402

import framing as fr  # noqa: E402
from framing.output.figures import FORMATS, check_figure_data  # noqa: E402

SECTION = "commands"  # of README
AIMS = {"figures": 15.0, "tests": 120.0}
COMMANDS = {
    "figures": ["-m", "framing", "figures", "--study", "study.figures", "--format", "png,pdf"],
    "tests": ["-m", "pytest", "-q"],
}
LABELS = {"figures": "`make figures`: `framing figures --study study.figures --format png,pdf`",
          "tests": "`make test`: `pytest` (two workers, notebooks included)"}
SUMMARY = re.compile(r"^=*\s*(?P<line>(?:\d+ \w+(?:, )?)+) in [\d.]+s", re.M)


def run(step: str, out: str) -> tuple[float, float, str]:
    """One run of a command: wall seconds, CPU seconds of it and its children, its output."""
    args = [sys.executable, *COMMANDS[step]] + (["--out", out] if step == "figures" else [])
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{step}: exit {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.stdout + proc.stderr


def compare_figures(out: Path) -> dict[str, Any]:
    """Images byte for byte against the committed ones, and the data within the check's tolerance."""
    committed = ROOT / "figures"
    images = sorted(p for p in out.iterdir() if p.suffix[1:] in FORMATS)
    same = [p.name for p in images if (committed / p.name).is_file() and (committed / p.name).read_bytes() == p.read_bytes()]
    from study import figures as study

    report = check_figure_data(study.FIGURES, committed, out, list(study.FIGURES))
    return {"images": len(images), "identical": len(same), "differ": sorted({p.name for p in images} - set(same)),
            "data_differences": sum(len(v) for v in report.values())}


def parse_args(argv: Sequence[str] | None = None) -> Any:
    parser = _common.make_parser(__doc__ or "")
    parser.add_argument("--steps", nargs="+", choices=list(COMMANDS), default=list(COMMANDS))
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command (default 3)")
    parser.add_argument("--write", action="store_true", help=f"replace the {SECTION} section of {_common.README.name}")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    digest_start = _common.source_digest(fr)
    timings = {s: Timing(s) for s in args.steps}
    cpu: dict[str, list[float]] = {s: [] for s in args.steps}
    checks: list[dict[str, Any]] = []
    summaries: list[str] = []
    for i in range(args.repeat):
        for step in args.steps:
            with tempfile.TemporaryDirectory(prefix="bench_commands_") as tmp:
                wall, seconds, output = run(step, tmp)
                timings[step].seconds.append(wall)
                cpu[step].append(seconds)
                if step == "figures":
                    checks.append(compare_figures(Path(tmp)))
                    say(f"  run {i + 1} figures: {wall:.2f} s (CPU {seconds:.1f} s); images identical "
                        f"{checks[-1]['identical']}/{checks[-1]['images']}, data differences {checks[-1]['data_differences']}")
                else:
                    found = SUMMARY.search(output)
                    summaries.append(found.group("line") if found else "no summary line")
                    if found is None or "failed" in found.group("line") or "error" in found.group("line"):
                        raise SystemExit(f"tests: {summaries[-1]}\n{output[-3000:]}")
                    say(f"  run {i + 1} tests: {wall:.2f} s (CPU {seconds:.1f} s); {summaries[-1]}")
    digests = _common.digests_since(digest_start, fr)
    info = _common.machine(_common.package_versions("matplotlib", "fonttools", "pytest", "pytest-xdist"))
    results = render(info, timings, cpu, checks, summaries, args.repeat, digests)
    _common.publish(results, write=args.write, section=SECTION, info=info, rows=summary_rows(timings))
    return 0


def met(step: str, timing: Timing) -> bool:
    return timing.median <= AIMS[step]


def render(info: dict[str, str], timings: dict[str, Timing], cpu: dict[str, list[float]], checks: list[dict[str, Any]],
           summaries: list[str], repeat: int, digests: tuple[str, str]) -> str:
    lines = [_common.machine_line(info), "",
             f"{repeat} runs of each command, in turns; framing sources {digests[1]}.", "",
             "| command | best s | median s | every run (s) | CPU s (median) | aim | met (median) |",
             "|---|---:|---:|---|---:|---|---|"]
    for step, t in timings.items():
        runs = ", ".join(f"{s:.1f}" for s in t.seconds)
        cpu_median = statistics.median(cpu[step])
        lines.append(f"| {LABELS[step]} | {t.best:.2f} | {t.median:.2f} | {runs} | {cpu_median:.1f} | "
                     f"≤ {AIMS[step]:.0f} s | {'**yes**' if met(step, t) else 'no'} |")
    lines.append("")
    if checks:
        images = {c["images"] for c in checks}
        identical = [c["identical"] for c in checks]
        differ = sorted({n for c in checks for n in c["differ"]})
        lines.append(f"Figures: each run wrote {'/'.join(map(str, sorted(images)))} images; byte-identical to the committed "
                     f"`figures/`: {', '.join(map(str, identical))}" + (f" (differing: {', '.join(differ)})" if differ else "")
                     + f"; differences in the data files: {sum(c['data_differences'] for c in checks)}.")
    if summaries:
        lines.append(f"Tests: {'; '.join(dict.fromkeys(summaries))}.")
    return "\n".join(lines)


def summary_rows(timings: dict[str, Timing]) -> list[_common.Row]:
    return [_common.Row(LABELS[step], "bundled corpus" if step == "figures" else "the whole suite", t.best,
                        aim=f"≤ {AIMS[step]:.0f} s (median)", met=met(step, t), note=f"median {t.median:.2f} s of {len(t.seconds)}")
            for step, t in timings.items()]


if __name__ == "__main__":
    sys.exit(main())
