"""Benchmark :func:`framing.measures.keywords.keyness` against scattertext's informative-prior log-odds ratio.

A synthetic corpus of about ten million tokens is made as ``bench_dtm.py``
makes its own (body sentences of the bundled corpus resampled with a fixed
seed into paragraphs of 3-6 sentences and documents of about 500 tokens),
except that every document gets a ``source_type`` and is built only from the
body sentences of that source type; the four source types take turns, so
each has the same number of documents. The groups therefore differ in
vocabulary as the real ones do.

In the same run the script times

* framing: ``fr.Corpus.from_frame``, ``fr.dtm(corpus, fr.Preprocessor(),
  unit="document")``, ``fr.keyness(m, by="source_type")`` (every group
  against the rest, every measure) on the existing matrix, dtm + keyness,
  and the whole thing from the DataFrame;
* scattertext 0.2.2, in its own virtual environment ``bench/.venv-peer``
  (it needs ``scipy<1.14``) through ``bench/peer_scattertext.py``: building
  its corpus from the same texts (``CorpusFromPandas`` with the model-free
  ``whitespace_nlp_with_sentences`` tokenizer, unigrams), then
  ``LogOddsRatioInformativeDirichletPrior`` for each category against the rest;

then measures the peak memory of each in fresh processes (the method of
``bench_dtm.py``), and checks that both compute the same statistic: the rank
correlation of framing's ``logodds_z`` with scattertext's scores over common
terms, with framing's default preprocessing and with plain lowercased tokens.

Usage::

    .venv/bin/python bench/bench_keyness.py                   # 10M tokens, best of 3
    .venv/bin/python bench/bench_keyness.py --tokens 500000   # quick check
    .venv/bin/python bench/bench_keyness.py --write           # also update bench/README.md
    .venv/bin/python bench/bench_keyness.py --no-peer         # framing only
    .venv/bin/python bench/bench_keyness.py --setup-peer      # only (re)build bench/.venv-peer
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

import framing as fr

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import _common  # noqa: E402
from _common import DOC_TOKENS, PARAGRAPH_SENTENCES, SEED, Timing, mib, say, verdict  # noqa: E402
from bench_dtm import count_tokens, reset_framing_cache  # noqa: E402

GROUP = "source_type"
AIM_KEYNESS_SECONDS = 1.0
AIM_RATIO = 10.0
CHECK_TARGET = "press"

SECTION = "keyness"  # of README

PEER_DIR = HERE / ".venv-peer"
PEER_REQUIREMENTS = HERE / "requirements-peer.txt"
PEER_SCRIPT = HERE / "peer_scattertext.py"
PEER_STAMP_NAME = ".requirements-installed"

#: framing steps, in table order.
FRAMING_STEPS = ("from_frame", "dtm", "keyness", "dtm_keyness", "e2e", "e2e_tokens")
LABELS = {
    "from_frame": "framing: `fr.Corpus.from_frame(df, …, group_by=\"source_type\")`",
    "dtm": "framing: `fr.dtm(corpus, fr.Preprocessor(), unit=\"document\")`",
    "keyness": "**framing: `fr.keyness(m, by=\"source_type\")`** (matrix exists)",
    "dtm_keyness": "framing: dtm + keyness (Corpus exists)",
    "e2e": "**framing end to end**: from_frame + dtm + keyness",
    "e2e_tokens": "framing end to end, 2×2 columns only: from_frame + dtm + `keyness(…, documents=False)`",
    "st_build": "scattertext: `CorpusFromPandas(…).build()`",
    "st_score": "scattertext: scoring (freq table, priors, 4 × `get_scores`)",
    "st_e2e": "**scattertext end to end**: build + scoring",
}
PLAIN = dict(stopwords=None, normalize=None, phrases=None, lowercase=True)


# --------------------------------------------------------------------------- corpus


def body_sentences_by_type() -> dict[str, list[str]]:
    """Body sentences (role ``'body'``) of the bundled corpus per source type, sorted by type."""
    sentences = fr.load_corpus().units("sentence")
    body = sentences[sentences["role"] == "body"]
    return {str(t): g["text"].tolist() for t, g in sorted(body.groupby(GROUP), key=lambda kv: str(kv[0]))}


def make_grouped_documents(
    by_type: dict[str, Sequence[str]],
    target_tokens: int,
    *,
    seed: int = SEED,
    doc_tokens: int = DOC_TOKENS,
    paragraph_sentences: tuple[int, int] = PARAGRAPH_SENTENCES,
) -> list[tuple[str, str, int]]:
    """``(source_type, text, tokens)`` per document, until ``target_tokens`` tokens.

    Source types take turns (document ``i`` gets type ``i mod 4`` in sorted
    order), so every type has the same number of documents; each document is
    made by :func:`_common.make_document` (as in ``bench_dtm.py``) from the
    sentences of its type only. Documents are added until the corpus holds
    at least ``target_tokens`` tokens and every type has as many as the
    others. One ``random.Random(seed)`` drives everything, so the same seed
    always gives the same corpus.
    """
    types = list(by_type)
    if not types or any(not by_type[t] for t in types):
        raise ValueError("every source type needs sentences")
    rng = random.Random(seed)
    lengths = {t: [count_tokens(s) for s in by_type[t]] for t in types}
    documents: list[tuple[str, str, int]] = []
    total = 0
    while total < target_tokens or len(documents) % len(types):
        t = types[len(documents) % len(types)]
        text, length = _common.make_document(rng, by_type[t], lengths[t], doc_tokens, paragraph_sentences)
        documents.append((t, text, length))
        total += length
    return documents


def to_frame(documents: Sequence[tuple[str, str, int]]) -> pd.DataFrame:
    """``doc_id`` (``d000000``, …), ``source_type``, ``text``: one row per document."""
    return pd.DataFrame({
        "doc_id": [f"d{i:06d}" for i in range(len(documents))],
        GROUP: [d[0] for d in documents],
        "text": [d[1] for d in documents],
    })


# --------------------------------------------------------------------------- framing steps


def build_corpus(frame: pd.DataFrame) -> fr.Corpus:
    return fr.Corpus.from_frame(frame, text="text", doc_id="doc_id", group_by=GROUP, name="synthetic")


def run_dtm(corpus: fr.Corpus) -> fr.DocumentTermMatrix:
    return fr.dtm(corpus, fr.Preprocessor(), unit="document")


def run_keyness(m: fr.DocumentTermMatrix) -> pd.DataFrame:
    return fr.keyness(m, by=GROUP)


def run_dtm_keyness(corpus: fr.Corpus) -> pd.DataFrame:
    return run_keyness(run_dtm(corpus))


def run_e2e_tokens(frame: pd.DataFrame) -> pd.DataFrame:
    """End to end without the document-level columns: the 2×2 statistics, what scattertext scores."""
    return fr.keyness(run_dtm(build_corpus(frame)), by=GROUP, documents=False)


def run_e2e(frame: pd.DataFrame) -> pd.DataFrame:
    return run_keyness(run_dtm(build_corpus(frame)))


STEPS: dict[str, Callable[[Any], Any]] = {
    "from_frame": build_corpus,
    "dtm": run_dtm,
    "keyness": run_keyness,
    "dtm_keyness": run_dtm_keyness,
    "e2e": run_e2e,
    "e2e_tokens": run_e2e_tokens,
}


def warm_up() -> None:
    """Import and load everything once (modules, data files) on the small bundled corpus."""
    small = fr.load_corpus()
    frame = pd.DataFrame({"doc_id": [d.doc_id for d in small], GROUP: small.docs[GROUP].astype(str).tolist(),
                          "text": [d.text for d in small]})
    run_e2e(frame)
    fr.keyness(fr.dtm(small, fr.Preprocessor(**PLAIN), unit="document"), by=GROUP)
    reset_framing_cache()


def time_step(name: str, arg: Any, repeat: int) -> tuple[Timing, Any]:
    """Run one framing step ``repeat`` times (cache cleared, garbage collected before each)."""
    return _common.time_repeats(name, lambda: STEPS[name](arg), repeat, before=reset_framing_cache)


def measure_memory(name: str, data_path: str) -> dict[str, Any]:
    """Peak memory growth of one framing step, in a fresh (spawned) process.

    The child loads the documents, builds the DataFrame (and the Corpus for
    ``dtm``, the Corpus and the matrix for ``keyness``), warms up, then
    measures the step with :func:`_common.measure_peak` (peak RSS during the
    step minus RSS just before it, as in ``bench_dtm.py``).
    """
    documents = _common.load_pickle(data_path)
    arg: Any = to_frame(documents)
    del documents
    if name in ("dtm", "keyness"):
        arg = build_corpus(arg)
    if name == "keyness":
        arg = run_dtm(arg)
    warm_up()
    return {"name": name, **_common.measure_peak(lambda: STEPS[name](arg))}


# --------------------------------------------------------------------------- peer (scattertext)


def peer_python(peer_dir: Path) -> Path:
    return peer_dir / "bin" / "python"


def _requirements_hash() -> str:
    return hashlib.sha256(PEER_REQUIREMENTS.read_bytes()).hexdigest()


def peer_ready(peer_dir: Path) -> bool:
    """True if the peer environment exists and was installed from the current requirements file."""
    stamp = peer_dir / PEER_STAMP_NAME
    return peer_python(peer_dir).exists() and stamp.exists() and stamp.read_text().strip() == _requirements_hash()


def setup_peer(peer_dir: Path, say: Callable[[str], None]) -> None:
    """Create ``peer_dir`` (a venv of the base Python) and pip-install bench/requirements-peer.txt into it."""
    if not peer_python(peer_dir).exists():
        say(f"creating the peer environment {peer_dir} (python -m venv)")
        subprocess.run([sys.executable, "-m", "venv", str(peer_dir)], check=True)
    say(f"installing {PEER_REQUIREMENTS.name} into {peer_dir} (pip, from PyPI; a few minutes the first time)")
    subprocess.run(
        [str(peer_python(peer_dir)), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-r", str(PEER_REQUIREMENTS)],
        check=True,
    )
    subprocess.run([str(peer_python(peer_dir)), "-c", "import scattertext"], check=True)
    (peer_dir / PEER_STAMP_NAME).write_text(_requirements_hash() + "\n")
    say(f"peer environment ready: {peer_python(peer_dir)}")


def run_peer(peer_dir: Path, data_path: str, *args: str) -> dict[str, Any]:
    """Run bench/peer_scattertext.py in the peer environment; its last stdout line is JSON."""
    cmd = [str(peer_python(peer_dir)), str(PEER_SCRIPT), "--data", data_path, *args]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"peer failed (exit {proc.returncode}): {' '.join(cmd)}")
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    return json.loads(lines[-1])


# --------------------------------------------------------------------------- sanity check


def compare_scores(k: pd.DataFrame, peer_scores: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Per target: framing's ``logodds_z`` against scattertext's score over the terms both have.

    Returns, per target, the number of framing terms, of terms in common,
    Spearman's ρ and Pearson's r over them, and the same ρ over the common
    terms whose two counts (target, rest) are identical in both tools.
    """
    out: dict[str, dict[str, float]] = {}
    for target, ours in k.groupby("target", sort=True):
        theirs = peer_scores[peer_scores["category"] == target]
        merged = ours[["term", "logodds_z", "n_target", "n_reference"]].merge(
            theirs[["term", "score", "n_target", "n_rest"]], on="term", how="inner", suffixes=("", "_st")
        )
        same = merged[(merged["n_target"] == merged["n_target_st"]) & (merged["n_reference"] == merged["n_rest"])]

        def rank_corr(df: pd.DataFrame) -> float:
            return float(stats.spearmanr(df["logodds_z"], df["score"]).statistic) if len(df) > 2 else float("nan")

        r = float(stats.pearsonr(merged["logodds_z"], merged["score"]).statistic) if len(merged) > 2 else float("nan")
        out[str(target)] = {
            "framing_terms": len(ours), "common": len(merged), "spearman": rank_corr(merged), "pearson": r,
            "same_counts": len(same), "spearman_same": rank_corr(same),
        }
    return out


# --------------------------------------------------------------------------- report


def _ratio(a: float | None, b: float | None) -> str:
    return "—" if a is None or b is None else f"{a / b:.2f}×"


def render(
    *,
    args: argparse.Namespace,
    info: dict[str, str],
    corpus_stats: dict[str, Any],
    timings: dict[str, Timing],
    outputs: dict[str, str],
    memory: dict[str, dict[str, Any]] | None,
    peer: dict[str, Any] | None,
    peer_memory: dict[str, Any] | None,
    check: dict[str, dict[str, dict[str, float]]] | None,
) -> str:
    """The results as Markdown: machine, corpus, times, ratios, memory, sanity check, aims."""
    tokens = corpus_stats["tokens"]
    lines = [
        f"Run of `bench/bench_keyness.py --tokens {args.tokens} --repeat {args.repeat}`"
        + (" --no-peer" if args.no_peer else "") + ".",
        "",
        _common.machine_line(info) + ".",
        "",
    ]
    if peer is not None:
        lines += [
            "**Peer environment** (`bench/.venv-peer`): "
            + "; ".join(f"{k}: {v}" for k, v in peer["versions"].items()) + ".",
            "",
        ]
    per_type = ", ".join(f"{t} {n:,}" for t, n in corpus_stats["docs_per_type"].items())
    tok_type = ", ".join(f"{t} {n:,}" for t, n in corpus_stats["tokens_per_type"].items())
    lines += [
        f"**Corpus.** {corpus_stats['documents']:,} documents ({per_type}), {tokens:,} tokens "
        f"(matches of `DEFAULT_TOKEN_PATTERN`; {tok_type}), {corpus_stats['chars']:,} characters; "
        f"{corpus_stats['mean_tokens']:.1f} tokens per document (min {corpus_stats['min_tokens']}, "
        f"max {corpus_stats['max_tokens']}); each document resampled from the body sentences of its own "
        f"source type ({corpus_stats['sentences']}) with seed {SEED}.",
        "",
        f"### Time (wall clock, best and median of {args.repeat})",
        "",
        "| step | best (s) | median (s) | tokens/s (best) | result |",
        "|---|---:|---:|---:|---|",
    ]
    rows: list[tuple[str, list[float]]] = [(n, timings[n].seconds) for n in FRAMING_STEPS]
    if peer is not None:
        for key in ("build", "score", "total"):
            name = {"build": "st_build", "score": "st_score", "total": "st_e2e"}[key]
            rows.append((name, [r[key] for r in peer["runs"]]))
    for name, secs in rows:
        best, median = min(secs), statistics.median(secs)
        lines.append(
            f"| {LABELS[name]} | {best:.2f} | {median:.2f} | {tokens / best:,.0f} | {outputs.get(name, '')} |"
        )
    lines.append("")
    lines.append(
        "framing's per-preprocessor cache is cleared before every framing run. The scattertext build and "
        "scoring times are the two parts of each of its end-to-end runs (best and median of each taken "
        "separately); nothing of scattertext runs outside the peer environment."
    )

    k, e2e = timings["keyness"], timings["e2e"]
    dk = timings["dtm_keyness"]
    st_total = [r["total"] for r in peer["runs"]] if peer is not None else None
    st_score = [r["score"] for r in peer["runs"]] if peer is not None else None
    lines += [
        "",
        "### Ratios (scattertext time / framing time)",
        "",
        "| comparison | best | median |",
        "|---|---:|---:|",
    ]
    if peer is not None:
        assert st_total is not None and st_score is not None
        lines += [
            f"| **end to end, from the DataFrame**: scattertext build + scoring / framing from_frame + dtm + keyness | "
            f"{_ratio(min(st_total), e2e.best)} | {_ratio(statistics.median(st_total), e2e.median)} |",
            f"| end to end, 2×2 columns only: scattertext build + scoring / framing with `documents=False` | "
            f"{_ratio(min(st_total), timings['e2e_tokens'].best)} | "
            f"{_ratio(statistics.median(st_total), timings['e2e_tokens'].median)} |",
            f"| scattertext build + scoring / framing dtm + keyness (Corpus exists) | "
            f"{_ratio(min(st_total), dk.best)} | {_ratio(statistics.median(st_total), dk.median)} |",
            f"| statistic only: scattertext scoring / framing keyness | "
            f"{_ratio(min(st_score), k.best)} | {_ratio(statistics.median(st_score), k.median)} |",
        ]
    else:
        lines.append("| (scattertext not run: `--no-peer`) | — | — |")

    lines += ["", "### Memory", ""]
    if memory is not None:
        lines += [
            "Peak resident-set growth of each step, each in a fresh process (framing: a `multiprocessing` "
            "\"spawn\" child; scattertext: a new `peer_scattertext.py --mode memory` process), after loading the "
            "documents (and building what the step starts from) and warming up: peak RSS during the step "
            "(`VmHWM`, /proc/self/status, the mark reset through `/proc/self/clear_refs` just before) minus the RSS "
            "just before it (`VmRSS`), result included, as in `bench_dtm.py`.",
            "",
            "| step | starts from | peak memory growth (MiB) |",
            "|---|---|---:|",
            f"| {LABELS['dtm']} | Corpus | {mib(memory['dtm']['delta_kib'] * 1024)} |",
            f"| {LABELS['keyness']} | matrix | {mib(memory['keyness']['delta_kib'] * 1024)} |",
            f"| {LABELS['e2e']} | DataFrame | {mib(memory['e2e']['delta_kib'] * 1024)} |",
        ]
        if peer_memory is not None:
            lines.append(f"| {LABELS['st_e2e']} | DataFrame | {mib(peer_memory['memory']['delta_kib'] * 1024)} |")
        if not all(m["exact"] for m in memory.values()):
            lines += ["", "The peak mark could not be reset here; figures use `ru_maxrss` growth and may be too low."]
    else:
        lines.append("Memory not measured (`--no-memory`).")

    lines += ["", "### Do both compute the same statistic?", ""]
    if check is not None:
        lines += [
            "framing's `logodds_z` (Monroe et al. 2008, informative Dirichlet prior = corpus counts, "
            "`prior_scale=1`) against scattertext's `LogOddsRatioInformativeDirichletPrior` (prior = corpus "
            "counts, `scale_type=\"none\"`), over the terms both have, for each target against the rest. framing "
            "tests only terms with at least 5 occurrences (`min_count=5`). Its default preprocessing lemmatises, "
            "removes stopwords and joins multiword expressions, so only some terms match scattertext's lowercased "
            "word forms; with `fr.Preprocessor(stopwords=None, normalize=None, phrases=None, lowercase=True)` "
            "the terms are nearly the same (scattertext splits `belt-and-road` and `isn't` at the hyphen and "
            "the apostrophe, framing keeps them whole); the last column keeps only the terms whose target and "
            "rest counts are identical in both tools. "
            "scattertext's variance has four terms, framing's the two of the usual approximation "
            "(1/(y_i+α_w) + 1/(y_j+α_w)), so values differ slightly even on identical counts.",
            "",
            "| target | preprocessing | framing terms | in common | Spearman ρ | Pearson r | same counts in both | Spearman ρ (same counts) |",
            "|---|---|---:|---:|---:|---:|---:|---:|",
        ]
        for label, per_target in check.items():
            for target, c in per_target.items():
                lines.append(
                    f"| {target} | {label} | {c['framing_terms']:,} | {c['common']:,} | {c['spearman']:.4f} | "
                    f"{c['pearson']:.4f} | {c['same_counts']:,} | {c['spearman_same']:.4f} |"
                )
    else:
        lines.append("Not run (`--no-peer`).")

    k_best_ok, k_median_ok = k.best < AIM_KEYNESS_SECONDS, k.median < AIM_KEYNESS_SECONDS
    lines += [
        "",
        f"**Aim 1: keyness of every group, all measures, under {AIM_KEYNESS_SECONDS:g} second once the matrix exists.** "
        f"{verdict([k_best_ok, k_median_ok])}: {k.best:.2f} s best, {k.median:.2f} s median.",
        "",
    ]
    if peer is not None:
        assert st_total is not None
        rb, rm = min(st_total) / e2e.best, statistics.median(st_total) / e2e.median
        lines.append(
            f"**Aim 2: at least {AIM_RATIO:g}× faster than scattertext end to end** (from the DataFrame). "
            f"{verdict([rb >= AIM_RATIO, rm >= AIM_RATIO])}: {rb:.2f}× on the best times, {rm:.2f}× on the medians."
        )
    else:
        lines.append(f"**Aim 2: at least {AIM_RATIO:g}× faster than scattertext end to end.** not measured (`--no-peer`).")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = _common.token_parser(__doc__, section=SECTION, memory_help="skip the memory processes")
    parser.add_argument("--no-peer", action="store_true", help="skip scattertext (framing only)")
    parser.add_argument("--setup-peer", action="store_true", help="only create/update the peer environment, then exit")
    parser.add_argument("--peer-venv", type=Path, default=PEER_DIR, help=f"peer environment (default {PEER_DIR})")
    args = _common.parse_token_args(parser, argv)
    if args.setup_peer and args.no_peer:
        parser.error("--setup-peer and --no-peer contradict each other")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    peer_dir: Path = args.peer_venv.resolve()
    if args.setup_peer:
        setup_peer(peer_dir, say)
        return 0
    if args.no_peer:
        say("--no-peer: scattertext is skipped; only framing is timed (no ratio, no correlation check)")
    elif not peer_ready(peer_dir):
        say(f"peer environment {peer_dir} missing or out of date; building it (use --no-peer to skip scattertext)")
        setup_peer(peer_dir, say)

    by_type = body_sentences_by_type()
    documents = make_grouped_documents(by_type, args.tokens)
    per_doc = [d[2] for d in documents]
    types = list(by_type)
    corpus_stats = {
        "sentences": ", ".join(f"{t} {len(s)}" for t, s in by_type.items()),
        "documents": len(documents),
        "docs_per_type": {t: sum(1 for d in documents if d[0] == t) for t in types},
        "tokens_per_type": {t: sum(d[2] for d in documents if d[0] == t) for t in types},
        "tokens": sum(per_doc),
        "chars": sum(len(d[1]) for d in documents),
        "mean_tokens": statistics.fmean(per_doc),
        "min_tokens": min(per_doc),
        "max_tokens": max(per_doc),
    }
    say(f"corpus: {corpus_stats['documents']:,} documents, {corpus_stats['tokens']:,} tokens")
    frame = to_frame(documents)

    with tempfile.TemporaryDirectory(prefix="bench_keyness_") as tmp:
        data_pickle = _common.write_pickle(documents, tmp, "documents.pickle")
        data_jsonl = os.path.join(tmp, "documents.jsonl")
        frame.to_json(data_jsonl, orient="records", lines=True, force_ascii=False)
        del documents

        # ---- framing, timed
        warm_up()
        timings: dict[str, Timing] = {}
        outputs: dict[str, str] = {}
        timings["from_frame"], corpus = time_step("from_frame", frame, args.repeat)
        outputs["from_frame"] = f"{len(corpus):,} documents"
        timings["dtm"], m = time_step("dtm", corpus, args.repeat)
        outputs["dtm"] = f"{m.shape[0]:,} × {m.shape[1]:,} matrix, {int(m.matrix.sum()):,} tokens counted"
        timings["keyness"], k = time_step("keyness", m, args.repeat)
        outputs["keyness"] = f"{len(k):,} rows × {k.shape[1]} columns ({k['target'].nunique()} targets)"
        for name, arg in (("dtm_keyness", corpus), ("e2e", frame), ("e2e_tokens", frame)):
            timings[name], _ = time_step(name, arg, args.repeat)
            outputs[name] = outputs["keyness"]
        for name in FRAMING_STEPS:
            say(f"  {name}: best {timings[name].best:.3f} s, median {timings[name].median:.3f} s")

        # ---- scattertext, timed (peer environment)
        peer = peer_memory = check = None
        if not args.no_peer:
            scores_csv = os.path.join(tmp, "scattertext_scores.csv")
            say("scattertext (peer environment) ...")
            peer = run_peer(peer_dir, data_jsonl, "--mode", "time", "--repeat", str(args.repeat), "--scores", scores_csv)
            outputs["st_build"] = f"{peer['documents']:,} × {peer['terms']:,} matrix, {peer['tokens_counted']:,} tokens counted"
            outputs["st_score"] = outputs["st_e2e"] = f"{len(peer['categories'])} × {peer['terms']:,} scores"
            peer_scores = pd.read_csv(scores_csv, keep_default_na=False, na_filter=False,
                                      dtype={"term": str, "category": str, "score": float,
                                             "n_target": np.int64, "n_rest": np.int64})
            say("sanity check: framing logodds_z vs scattertext scores ...")
            m_plain = fr.dtm(corpus, fr.Preprocessor(**PLAIN), unit="document")
            k_plain = fr.keyness(m_plain, by=GROUP)
            check = {
                "default `Preprocessor()`": compare_scores(k, peer_scores),
                "plain: no stopwords, lemmas or phrases; lowercased": compare_scores(k_plain, peer_scores),
            }
            for label, per_target in check.items():
                c = per_target[CHECK_TARGET]
                say(f"  {CHECK_TARGET}, {label}: {c['common']} common terms, Spearman rho {c['spearman']:.4f}; "
                    f"{c['same_counts']} with the same counts, rho {c['spearman_same']:.4f}")
            del m_plain, k_plain, peer_scores
        del corpus, m, k
        gc.collect()

        # ---- memory, each in a fresh process
        memory = None
        if not args.no_memory:
            memory = _common.memory_in_children(measure_memory, ("dtm", "keyness", "e2e"), data_pickle)
            if not args.no_peer:
                peer_memory = run_peer(peer_dir, data_jsonl, "--mode", "memory")
                say(f"  memory scattertext end to end: +{peer_memory['memory']['delta_kib'] / 1024:.0f} MiB")

    info = _common.machine({
        **_common.package_versions("numpy", "scipy", "pandas", "simplemma"),
        "framing": fr.__version__,
    })
    results = render(
        args=args, info=info, corpus_stats=corpus_stats, timings=timings, outputs=outputs, memory=memory,
        peer=peer, peer_memory=peer_memory, check=check,
    )
    size = f"{corpus_stats['tokens'] / 1e6:.0f}M tokens" if "tokens" in corpus_stats else ""
    e2e = timings["e2e"]
    st_best = min(r["total"] for r in peer["runs"]) if peer is not None else None
    rows = [_common.Row(
        "keyness end to end: from_frame + `fr.dtm` + `fr.keyness`", size, e2e.best,
        "scattertext build + scoring" if peer is not None else "", st_best,
        memory["e2e"]["delta_kib"] / 1024 if memory is not None else None,
        peer_memory["memory"]["delta_kib"] / 1024 if peer_memory is not None else None,
        aim="≤ 0.10× (10× faster)", met=(e2e.best * 10 <= st_best) if st_best else None)]
    tok = timings["e2e_tokens"]
    rows.append(_common.Row(
        "keyness end to end, 2×2 columns only (`documents=False`, as scattertext scores)", size, tok.best,
        "scattertext build + scoring" if peer is not None else "", st_best, None, None,
        aim="≤ 0.10× (10× faster)", met=(tok.best * 10 <= st_best) if st_best else None))
    _common.publish(results, write=args.write, section=SECTION, rows=rows, info=info)
    return 0


if __name__ == "__main__":
    sys.exit(main())
