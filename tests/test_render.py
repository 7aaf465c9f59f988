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


# --------------------------------------------------------------------------- the plotted data beside each figure


def figures_with_data(tables_by_name: dict) -> Registry:
    """Figures of one bar each whose functions give ``tables_by_name[name]`` as their data (None: no data)."""
    import matplotlib.pyplot as plt

    reg = Registry()
    for name, table in tables_by_name.items():
        def make(ctx, table=table):
            fig, ax = plt.subplots(figsize=(2, 1))
            ax.bar([0], [1])
            return fig, ({} if table is None else {"data": table})

        reg.figure(name, f"figure {name}")(make)
    return reg


def test_render_writes_each_figures_data_and_its_hash(tmp_path):
    table = pd.DataFrame({"panel": ["a", "b"], "k": [3, 4], "value": [1 / 3, -2e-7], "term": ["=cmd", "null"]})
    render(figures_with_data({"f1": table}), Context(), corpus_hash="c", formats=("png",), outdir=tmp_path)
    assert (tmp_path / "data" / "f1.csv").read_text() == "panel,k,value,term\na,3,0.3333333333,'=cmd\nb,4,-2e-07,null\n"
    entries = manifest_matches_files(tmp_path)
    assert sorted(entries) == ["data/f1.csv", "f1.png"]
    rows = {r["format"]: r for r in csv.DictReader((tmp_path / "MANIFEST.csv").open())}
    assert rows["csv"]["figure"] == "f1" and rows["csv"]["corpus_hash"] == "c"


def test_render_a_figure_without_data_still_renders_and_the_manifest_says_so(tmp_path):
    render(figures_with_data({"f1": pd.DataFrame({"x": [1.0]})}), Context(), corpus_hash="c", formats=("png",), outdir=tmp_path)
    results = render(figures_with_data({"f1": None}), Context(), corpus_hash="c", formats=("png",), outdir=tmp_path)
    assert results[0].error is None and [p.name for p in results[0].files] == ["f1.png"]
    assert not (tmp_path / "data" / "f1.csv").exists()  # the old data would no longer match the figure
    rows = {r["format"]: r for r in csv.DictReader((tmp_path / "MANIFEST.csv").open())}
    assert rows["csv"]["file"] == "" and rows["csv"]["sha256"] == ""
    assert rows["png"]["sha256"] == hashlib.sha256((tmp_path / "f1.png").read_bytes()).hexdigest()


def test_render_compare_figure_data_flags_a_changed_value_and_passes_within_tolerance():
    from framing.output.figures import DATA_ATOL, DATA_RTOL, compare_figure_data

    a = pd.DataFrame({"method": ["lda", "lda", "nmf"], "k": [3, 4, 3], "value": [0.4151, 85.47, 0.0],
                      "stable": [True, False, True]})
    assert DATA_RTOL == 1e-6 and DATA_ATOL == 1e-9
    # within tolerance: 1e-7 relative, and 1e-10 absolute at zero
    assert compare_figure_data(a, a.assign(value=[0.4151 * (1 + 1e-7), 85.47 * (1 - 1e-7), 1e-10])) == []
    # beyond it: 1e-5 relative, and 1e-8 absolute at zero
    diffs = compare_figure_data(a, a.assign(value=[0.4151 * (1 + 1e-5), 85.47, 1e-8]))
    assert diffs == [f"line 2 (lda, 3, True), value: expected 0.4151, got {0.4151 * (1 + 1e-5)}",
                     "line 4 (nmf, 3, True), value: expected 0.0, got 1e-08"]
    assert compare_figure_data(a, a.assign(value=[0.4151 * (1 + 1e-5), 85.47, 0.0]), rtol=1e-4) == []  # a looser rtol
    # text and booleans exactly; a missing value only matches a missing value
    assert compare_figure_data(a, a.assign(method=["lda", "LDA", "nmf"])) == ["line 3 (4, False), method: expected lda, got LDA"]
    assert compare_figure_data(a, a.assign(stable=[True, True, True])) == ["line 3 (lda, 4), stable: expected False, got True"]
    assert compare_figure_data(a, a.assign(value=[0.4151, float("nan"), 0.0])) == [
        "line 3 (lda, 4, False), value: expected 85.47, got nothing"]
    assert compare_figure_data(a.assign(value=float("nan")), a.assign(value=float("nan"))) == []
    # shape
    assert compare_figure_data(a, a.iloc[:2]) == ["rows differ: expected 3, got 2"]
    assert compare_figure_data(a, a[["k", "method", "value", "stable"]]) == [
        "columns differ: expected method, k, value, stable; got k, method, value, stable"]


def test_render_compare_figure_data_reads_files_as_written(tmp_path):
    from framing.output.figures import compare_figure_data, data_bytes

    table = pd.DataFrame({"term": ["NA", "-x"], "value": [1 / 7, 2.0]})
    (tmp_path / "a.csv").write_bytes(data_bytes(table))
    assert compare_figure_data(tmp_path / "a.csv", data_bytes(table.assign(value=[1 / 7 + 1e-12, 2.0]))) == []
    assert compare_figure_data(tmp_path / "a.csv", data_bytes(table.assign(term=["na", "-x"]))) == [
        "line 2, term: expected NA, got na"]
