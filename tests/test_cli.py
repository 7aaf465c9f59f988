"""The command line: results on stdout, one readable error line and exit 2 otherwise."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import warnings

import pandas as pd
import pytest

from conftest import ROOT, write


def run_process(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m framing ARGS`` in its own process: the exit status the shell sees."""
    return subprocess.run([sys.executable, "-m", "framing", *args], capture_output=True, text=True, timeout=300)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``framing.cli.main(ARGS)`` in this process, stdout and stderr captured.

    What a subprocess adds (the interpreter's start, ``sys.exit`` of the status) is tested by the
    ``run_process`` tests below; the rest run here, about 2 s a call faster. Warnings are printed to the
    captured stderr as Python prints them by default, not recorded by pytest.
    """
    from framing.cli import main

    out, err = io.StringIO(), io.StringIO()

    def show(message, category, filename, lineno, file=None, line=None):
        err.write(warnings.formatwarning(message, category, filename, lineno, line))

    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
        warnings.resetwarnings()
        warnings.simplefilter("default")
        warnings.showwarning = show
        try:
            status = main(list(args))
        except SystemExit as exc:  # pragma: no cover - main returns its status; argparse's --help exits
            status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return subprocess.CompletedProcess(["framing", *args], status, out.getvalue(), err.getvalue())


def test_cli_runs_as_a_module_with_its_exit_status():
    res = run_process("corpus", "check", str(ROOT / "corpus"))
    assert res.returncode == 0, res.stderr
    assert "OK, 6 documents" in res.stdout
    res = run_process("corpus", "summary", "--by", "party")
    assert res.returncode == 2
    assert res.stderr.startswith("framing: error: by='party' is not a metadata column")
    assert len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.stderr
    res = run_process("frobnicate")
    assert res.returncode == 2 and res.stderr.startswith("framing: error: framing: argument command: invalid choice")


def test_cli_in_process_and_as_a_module_print_the_same():
    args = ("kwic", str(ROOT / "corpus"), "super connector", "--window", "3")
    here, there = cli(*args), run_process(*args)
    assert (here.returncode, here.stdout) == (there.returncode, there.stdout)
    assert here.stdout.count("[") == 3


def test_cli_corpus_check_accepts_the_bundled_corpus():
    res = cli("corpus", "check", str(ROOT / "corpus"))
    assert res.returncode == 0, res.stderr
    assert "OK, 6 documents" in res.stdout


def test_cli_corpus_check_reports_every_problem_and_exits_2(tmp_path):
    write(tmp_path / "a.md", "---\ndoc_id: same\n---\nText.\n")
    write(tmp_path / "b.md", "---\ndoc_id: same\n---\nText.\n")
    write(tmp_path / "c.txt", b"caf\xe9")
    res = cli("corpus", "check", str(tmp_path))
    assert res.returncode == 2
    assert res.stderr.startswith("framing: error: 2 problems:")
    assert "duplicate doc_id 'same'" in res.stderr and "c.txt:1: bytes are not UTF-8" in res.stderr
    assert "Traceback" not in res.stderr


def test_cli_corpus_summary_prints_a_table():
    res = cli("corpus", "summary", "--by", "source_type")
    assert res.returncode == 0, res.stderr
    assert "commentary" in res.stdout and "tokens" in res.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["corpus", "check", "/no/such/folder"], "framing: error: /no/such/folder: no such corpus folder"),
        (["figures", "--only", "fig00_nope"], "framing: error: unknown figure fig00_nope"),
        (["figures", "--format", "gif"], "framing: error: format gif is not valid"),
        (["corpus", "summary", "--by", "party"], "framing: error: by='party' is not a metadata column"),
        (["frobnicate"], "framing: error: framing: argument command: invalid choice: 'frobnicate'"),
    ],
)
def test_cli_bad_arguments_end_with_one_line_and_status_2(args, message):
    res = cli(*args)
    assert res.returncode == 2
    assert res.stderr.startswith(message)
    assert len(res.stderr.strip().splitlines()) == 1
    assert "Traceback" not in res.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_cli_unwritable_output_folder(tmp_path):  # pragma: no cover - not run as root
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o500)
    res = cli("figures", "--out", str(out))
    assert res.returncode == 2 and "is not writable" in res.stderr


def test_cli_output_folder_that_is_a_file(tmp_path):
    target = write(tmp_path / "file", "x")
    res = cli("figures", "--out", str(target))
    assert res.returncode == 2
    assert res.stderr.startswith(f"framing: error: output folder {target} is not writable")


def test_cli_figures_writes_into_the_output_folder(tmp_path):
    res = cli("figures", "--only", "fig01_corpus_overview", "--format", "png", "--out", str(tmp_path))
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "fig01_corpus_overview.png").stat().st_size > 10_000
    assert "[1/1] fig01_corpus_overview" in res.stderr


def test_cli_keyness_writes_the_full_table(tmp_path):
    import pandas as pd

    out = tmp_path / "k.csv"
    res = cli("keyness", str(ROOT / "corpus"), "--by", "source_type", "--target", "press", "--reference", "official", "--out", str(out))
    assert res.returncode == 0, res.stderr
    table = pd.read_csv(out)
    assert set(table["target"]) == {"press"} and set(table["reference"]) == {"official"}
    assert "logodds_z" in table.columns


def test_cli_keyness_reads_a_csv_table(tmp_path):
    import pandas as pd

    texts = {"a": "Sanctions and security laws. " * 5, "b": "Belt and Road and the Gulf. " * 5}
    pd.DataFrame({"doc_id": list(texts), "text": list(texts.values()), "side": ["x", "y"]}).to_csv(tmp_path / "t.csv", index=False)
    res = cli("keyness", str(tmp_path / "t.csv"), "--by", "side", "--min-count", "1")
    assert res.returncode == 0, res.stderr
    assert "belt_and_road" in res.stdout and "sanction" in res.stdout


def test_cli_kwic_and_collocations_print_results():
    res = cli("kwic", str(ROOT / "corpus"), "super connector", "--window", "3")
    assert res.returncode == 0 and res.stdout.count("[") == 3
    res = cli("collocations", str(ROOT / "corpus"), "--node", "hong_kong", "--by", "source_type", "-n", "2")
    assert res.returncode == 0 and "hong_kong" in res.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["keyness", "CORPUS", "--target", "blog"], "framing: error: target='blog' is not a group of 'source_type'"),
        (["keyness", "CORPUS", "--by", "party"], "framing: error: by='party': no column 'party'"),
        (["kwic", "CORPUS", "[x", "--regex"], "framing: error: pattern '[x' is not a valid regular expression"),
        (["kwic", "CORPUS", "the"], "framing: error: pattern 'the' leaves no term after preprocessing"),
        (["collocations", "CORPUS", "--node", "atlantis"], "framing: error: node='atlantis' does not occur"),
        (["keyness", "/no/such.csv"], "framing: error: /no/such.csv: no such corpus folder"),
        (["keyness", "CORPUS", "--out", "/no/such/dir/k.csv"], "framing: error: --out /no/such/dir/k.csv: the folder /no/such/dir does not exist"),
        (["keyness", "CORPUS", "-n", "-1"], "framing: error: framing keyness: argument -n: -1 must be at least 1"),
        (["keyness", "CORPUS", "--out", "CORPUS"], "framing: error: --out CORPUS is inside the corpus"),
        (["keyness", "CORPUS", "--out", "/tmp"], "framing: error: --out /tmp is a folder"),
    ],
)
def test_cli_measure_commands_bad_arguments(args, message):
    corpus = str(ROOT / "corpus")
    res = cli(*[corpus if a == "CORPUS" else a for a in args])
    assert res.returncode == 2, res.stdout
    assert res.stderr.startswith(message.replace("CORPUS", corpus)), res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_cli_frames_writes_three_tables(tmp_path):
    import pandas as pd

    res = cli("frames", str(ROOT / "corpus"), "--out", str(tmp_path / "frames"), "--n-boot", "100")
    assert res.returncode == 0, res.stderr
    sal = pd.read_csv(tmp_path / "frames" / "salience.csv")
    ev = pd.read_csv(tmp_path / "frames" / "evidence.csv")
    assert sal["hits"].sum() == len(ev)
    assert (tmp_path / "frames" / "units.csv").exists()


def test_cli_codebook_check(tmp_path):
    res = cli("codebook", "check", "default")
    assert res.returncode == 0 and "OK, 8 frames" in res.stdout
    bad = write(tmp_path / "cb.yaml", "frames:\n  - id: a\n    indicators:\n      - regex: '[x'\n  - id: a\n    indicators:\n      - term: b\n")
    res = cli("codebook", "check", str(bad))
    assert res.returncode == 2
    assert res.stderr.startswith("framing: error: 2 problems:")
    assert "duplicate frame id 'a'" in res.stderr and "does not compile" in res.stderr
    res = cli("codebook", "check", str(tmp_path / "missing.yaml"))
    assert res.returncode == 2 and "codebook file not found" in res.stderr


def test_cli_topics_writes_tables(tmp_path):
    import pandas as pd

    res = cli("topics", str(ROOT / "corpus"), "--k", "4", "--method", "nmf", "--out", str(tmp_path / "t"))
    assert res.returncode == 0, res.stderr
    top = pd.read_csv(tmp_path / "t" / "top_terms.csv")
    assert set(top["topic"]) == {0, 1, 2, 3}
    prev = pd.read_csv(tmp_path / "t" / "prevalence.csv")
    assert set(prev["group"]) == {"official", "academic", "press", "commentary"}
    # each fact once: shares are ids and numbers only, the metadata sit in units.csv, no pickle
    shares = pd.read_csv(tmp_path / "t" / "unit_topics.csv")
    units = pd.read_csv(tmp_path / "t" / "units.csv")
    assert list(shares.columns) == ["unit_id", "topic", "share"] and len(shares) == 4 * len(units)
    assert units["unit_id"].is_unique and "source_type" in units.columns
    assert shares.groupby("unit_id")["share"].sum().round(6).eq(1).all()
    beta = pd.read_csv(tmp_path / "t" / "topic_terms.csv", keep_default_na=False)
    assert beta.groupby("topic")["prob"].sum().round(6).eq(1).all()
    assert not list((tmp_path / "t").glob("*.p*kl*"))
    res = cli("topics", str(ROOT / "corpus"), "--k", "1")
    assert res.returncode == 2 and "n_topics=1 must be an integer of at least 2" in res.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["frames", "CORPUS", "--by", "party"], "framing: error: by='party'"),
        (["frames", "CORPUS", "--codebook", "/no/such.yaml"], "framing: error: /no/such.yaml: codebook file not found"),
        (["frames", "CORPUS", "--scope", "hk"], "framing: error: framing frames: argument --scope: invalid choice: 'hk'"),
        (["topics", "CORPUS", "--by", "party"], "framing: error: by='party' is not a metadata column"),
        (["topics", "/no/such/folder"], "framing: error: /no/such/folder: no such corpus folder"),
        (["kwic", "/no/such/folder", "x"], "framing: error: /no/such/folder: no such corpus folder"),
        (["collocations", "CORPUS", "--window", "0", "--node", "hong_kong"], "framing: error: window=0 must be a positive integer"),
        (["kwic", "CORPUS"], "framing: error: framing kwic: the following arguments are required: pattern"),
        (["codebook", "check"], "framing: error: framing codebook check: the following arguments are required: file"),
        (["topics", "CORPUS", "--seed", "-1"], "framing: error: framing topics: argument --seed: -1 must lie in 0 .. 4294967295"),
        (["frames", "CORPUS", "--seed", "x"], "framing: error: framing frames: argument --seed: 'x' is not a whole number"),
        (["figures", "--out", "CORPUS/manifest.yaml"], "framing: error: --out CORPUS/manifest.yaml is inside the corpus"),
    ],
)
def test_cli_every_subcommand_names_its_bad_argument(args, message):
    corpus = str(ROOT / "corpus")
    res = cli(*[a.replace("CORPUS", corpus) for a in args])
    assert res.returncode == 2, (res.stdout, res.stderr)
    assert res.stderr.startswith(message.replace("CORPUS", corpus)), res.stderr
    assert len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.stderr


def test_cli_figures_check_compares_the_data_and_writes_nothing(tmp_path):
    figure = ["--only", "fig01_corpus_overview", "--format", "png", "--jobs", "1"]
    assert cli("figures", *figure, "--out", str(tmp_path)).returncode == 0
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    res = cli("figures", *figure, "--check", "--out", str(tmp_path))
    assert res.returncode == 0, res.stderr
    assert "fig01_corpus_overview: data agree" in res.stdout and "images: 1 of 1 byte-identical" in res.stdout
    data = tmp_path / "data" / "fig01_corpus_overview.csv"
    lines = data.read_text().splitlines()
    lines[1] = lines[1].rsplit(",", 1)[0] + ",1"  # the first document's running words
    data.write_text("\n".join(lines) + "\n")
    before[data] = data.read_bytes()
    res = cli("figures", *figure, "--check", "--out", str(tmp_path))
    assert res.returncode == 1
    assert "fig01_corpus_overview: 1 difference (rtol 1e-06, atol 1e-09)" in res.stdout
    assert "line 2 (a, official_br_office_work, official, 1, 95, 146), tokens: expected 1, got 4" in res.stdout
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before  # --check writes nothing


def test_cli_speakers_group_by_and_extra_stopwords(tmp_path, capsys):
    from framing.cli import main

    table = tmp_path / "t.csv"
    pd.DataFrame({"doc_id": ["d1", "d2"], "party": ["A", "B"],
                  "text": ["Q: I'd say the sanctions hurt.\nA: We're firm on sanctions.",
                           "Q: What about trade?\nA: Trade grows with partners."]}).to_csv(table, index=False)
    words = tmp_path / "stop.txt"
    words.write_text("grow  # a comment\nfirm\n", encoding="utf-8")
    out = tmp_path / "k.csv"
    assert main(["keyness", str(table), "--group-by", "party", "--speakers", "--extra-stopwords", str(words),
                 "--min-count", "1", "--out", str(out)]) == 0
    k = pd.read_csv(out)
    assert set(k["target"]) == {"A", "B"}
    assert not {"q", "a", "grow", "firm", "i'd", "we're"} & set(k["term"]) and "sanction" in set(k["term"])
    assert main(["keyness", str(table), "--group-by", "nope"]) == 2
    assert "--group-by 'nope': not a column" in capsys.readouterr().err
