"""The renderer of any study: the manifest follows the files figure by figure, under a lock; workers end with the run."""

from __future__ import annotations

import csv
import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pandas as pd
import pytest

from framing.output.figures import Registry, render


class Context:
    corpus_hash = "c" * 64

    def __init__(self, version: str = "1", stop_at: str | None = None) -> None:
        self.version, self.stop_at = version, stop_at


def tables(names: list[str]) -> Registry:
    reg = Registry()
    for name in names:
        def make(ctx: Context, name: str = name):
            if ctx.stop_at == name:
                raise KeyboardInterrupt  # as Ctrl-C would, in the middle of a run
            return pd.DataFrame({"figure": [name], "version": [ctx.version]}), {}

        reg.table(name, f"table {name}")(make)
    return reg


def manifest_matches_files(folder) -> dict[str, str]:
    rows = list(csv.DictReader((folder / "MANIFEST.csv").open()))
    for row in rows:
        assert row["sha256"] == hashlib.sha256((folder / row["file"]).read_bytes()).hexdigest(), row["file"]
    return {row["file"]: row["sha256"] for row in rows}


def test_render_an_interrupted_run_leaves_the_manifest_true_to_the_files(tmp_path):
    reg = tables(["t1", "t2", "t3"])
    render(reg, Context("1"), corpus_hash=Context.corpus_hash, outdir=tmp_path)
    with pytest.raises(KeyboardInterrupt):
        render(reg, Context("2", stop_at="t3"), corpus_hash=Context.corpus_hash, outdir=tmp_path)
    entries = manifest_matches_files(tmp_path)
    assert len(entries) == 6  # csv and tex of each table
    assert "2" in (tmp_path / "tables" / "t1.csv").read_text() and "1" in (tmp_path / "tables" / "t3.csv").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["MANIFEST.csv", "tables"]  # no lock or temporary file left


def test_render_two_runs_into_one_folder_lose_no_update(tmp_path):
    reg = tables([f"t{i}" for i in range(12)])
    names = list(reg)
    runs = [threading.Thread(target=render, args=(reg, Context(str(k)), names[k::2]),
                             kwargs={"corpus_hash": Context.corpus_hash, "outdir": tmp_path}) for k in (0, 1)]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    assert len(manifest_matches_files(tmp_path)) == 24


SCRIPT = """
import os, sys, time
import pandas as pd
from framing.output.figures import Registry, render
reg = Registry()
for i in range(4):
    @reg.table(f"slow{i}", "slow")
    def slow(ctx, i=i):
        open(os.path.join(sys.argv[1], f"pid{os.getpid()}"), "w").close()
        time.sleep(120)
        return pd.DataFrame({"x": [i]}), {}
class C: corpus_hash = "c"
render(reg, C(), corpus_hash="c", outdir=os.path.join(sys.argv[1], "out"), jobs=2)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as fh:
            return not any(line.startswith("State:") and "Z" in line for line in fh)
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux only")
def test_render_workers_end_when_the_run_is_killed(tmp_path):
    run = subprocess.Popen([sys.executable, "-c", textwrap.dedent(SCRIPT), str(tmp_path)])
    deadline = time.time() + 60
    while len(list(tmp_path.glob("pid*"))) < 2 and time.time() < deadline:
        time.sleep(0.1)
    workers = [int(p.name[3:]) for p in tmp_path.glob("pid*")]
    assert len(workers) == 2
    run.send_signal(signal.SIGTERM)
    run.wait(timeout=30)
    deadline = time.time() + 10
    while any(_alive(pid) for pid in workers) and time.time() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)
    assert not (tmp_path / "out" / "tables").exists()
