"""Benchmark :func:`framing.text.dtm` against scikit-learn's ``CountVectorizer``.

A synthetic corpus of about ten million tokens is made by resampling, with a
fixed seed, the body sentences of the corpus bundled with framing: sentences
are drawn with replacement into paragraphs of 3-6 sentences (joined by a
space), and paragraphs are added to a document until it holds about 500
tokens (paragraphs joined by a blank line). A token is a match of
``framing.text.preprocess.DEFAULT_TOKEN_PATTERN``.

On the same document texts, in the same run, the script times

* ``fr.Corpus.from_frame`` (building the corpus; reported, not compared),
* (a) ``fr.dtm(corpus, fr.Preprocessor(), unit="document")``: default
  preprocessing, multiword expressions on (the headline number),
* (b) ``fr.dtm`` with ``stopwords=None, normalize=None, phrases=None``,
* (c) ``CountVectorizer(token_pattern=DEFAULT_TOKEN_PATTERN, lowercase=True)``
  ``.fit_transform(texts)``,
* (d) a floor: ``re.findall`` with the same pattern plus a
  ``collections.Counter`` per document, no matrix,

reports seconds, tokens per second and the ratio of each to CountVectorizer,
then measures the peak memory of each step in its own spawned child process
(peak resident set size during the step minus the resident set size just
before it, from /proc/self/status), and the size of each sparse result next to the size of a dense
matrix of the same shape.

Usage::

    .venv/bin/python bench/bench_dtm.py                  # 10M tokens, best of 3
    .venv/bin/python bench/bench_dtm.py --tokens 1000000 # quick check
    .venv/bin/python bench/bench_dtm.py --write          # also update bench/README.md
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import statistics
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer

import framing as fr
from framing.text.preprocess import DEFAULT_TOKEN_PATTERN

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common  # noqa: E402  (bench/_common.py: helpers shared by the benchmarks)
from _common import DOC_TOKENS, PARAGRAPH_SENTENCES, SEED, Timing, fmt_int, mib, say  # noqa: E402

AIM_RATIO = 1.0  # the speed issue's aim: the full default pipeline at CountVectorizer's speed
SECTION = "results"  # of README

TOKEN_RE = re.compile(DEFAULT_TOKEN_PATTERN)
FLOOR_RE = re.compile(DEFAULT_TOKEN_PATTERN, re.IGNORECASE)

#: Steps that read the framing Corpus (the others read the list of texts).
CORPUS_STEPS = ("dtm_default", "dtm_plain")
#: Steps compared with CountVectorizer, in table order.
COMPARED_STEPS = ("dtm_default", "dtm_plain", "countvectorizer", "floor")
LABELS = {
    "from_frame": "`Corpus.from_frame` (corpus build, not compared)",
    "dtm_default": "(a) `fr.dtm`, default `Preprocessor()`",
    "dtm_plain": "(b) `fr.dtm`, `stopwords=None, normalize=None, phrases=None`",
    "countvectorizer": "(c) scikit-learn `CountVectorizer.fit_transform`",
    "floor": "(d) floor: `re.findall` + `Counter` per document",
}


# --------------------------------------------------------------------------- corpus


def count_tokens(text: str) -> int:
    """Number of matches of ``DEFAULT_TOKEN_PATTERN`` in ``text``."""
    return sum(1 for _ in TOKEN_RE.finditer(text))


def body_sentences() -> list[str]:
    """The body sentences (role ``'body'``) of the bundled corpus, in corpus order."""
    sentences = fr.load_corpus().units("sentence")
    return sentences.loc[sentences["role"] == "body", "text"].tolist()


def make_documents(
    sentences: Sequence[str],
    target_tokens: int,
    *,
    seed: int = SEED,
    doc_tokens: int = DOC_TOKENS,
    paragraph_sentences: tuple[int, int] = PARAGRAPH_SENTENCES,
) -> list[str]:
    """Resample ``sentences`` into documents until they hold ``target_tokens`` tokens.

    A paragraph is ``randint(*paragraph_sentences)`` sentences drawn with
    replacement and joined by a space. Paragraphs are added to a document
    while they bring its length closer to ``doc_tokens`` (a paragraph that
    would overshoot by more than the document still lacks is dropped and the
    document ends); paragraphs are joined by a blank line. The same seed
    always gives the same documents.
    """
    if not sentences:
        raise ValueError("no sentences to resample")
    rng = random.Random(seed)
    lengths = [count_tokens(s) for s in sentences]
    documents: list[str] = []
    total = 0
    while total < target_tokens:
        text, length = _common.make_document(rng, sentences, lengths, doc_tokens, paragraph_sentences)
        documents.append(text)
        total += length
    return documents


def to_frame(texts: Sequence[str]) -> pd.DataFrame:
    """One row per document: ``doc_id`` (``d000000``, ...) and ``text``."""
    return pd.DataFrame({"doc_id": [f"d{i:06d}" for i in range(len(texts))], "text": list(texts)})


# --------------------------------------------------------------------------- steps


def build_corpus(frame: pd.DataFrame) -> fr.Corpus:
    """The framing corpus of the synthetic documents."""
    return fr.Corpus.from_frame(frame, text="text", doc_id="doc_id", name="synthetic")


def run_dtm_default(corpus: fr.Corpus) -> fr.DocumentTermMatrix:
    """(a) Default preprocessing: lowercase, stopwords, lemmas, multiword expressions."""
    return fr.dtm(corpus, fr.Preprocessor(), unit="document")


def run_dtm_plain(corpus: fr.Corpus) -> fr.DocumentTermMatrix:
    """(b) Plain lowercased tokens: no stopwords, no lemmas, no multiword expressions."""
    return fr.dtm(corpus, fr.Preprocessor(stopwords=None, normalize=None, phrases=None), unit="document")


def run_countvectorizer(texts: Sequence[str]) -> Any:
    """(c) scikit-learn's CountVectorizer with framing's token pattern."""
    return CountVectorizer(token_pattern=DEFAULT_TOKEN_PATTERN, lowercase=True).fit_transform(texts)


def run_floor(texts: Sequence[str]) -> list[Counter[str]]:
    """(d) The floor: one regex pass and one Counter per document, no matrix."""
    findall = FLOOR_RE.findall
    return [Counter(findall(t)) for t in texts]


STEPS: dict[str, Callable[[Any], Any]] = {
    "from_frame": build_corpus,
    "dtm_default": run_dtm_default,
    "dtm_plain": run_dtm_plain,
    "countvectorizer": run_countvectorizer,
    "floor": run_floor,
}


def step_input(name: str, texts: list[str], frame: pd.DataFrame, corpus: fr.Corpus | None) -> Any:
    """What a step reads: the DataFrame, the Corpus or the list of texts."""
    if name == "from_frame":
        return frame
    if name in CORPUS_STEPS:
        if corpus is None:
            raise ValueError(f"step {name!r} needs the corpus")
        return corpus
    return texts


def reset_framing_cache() -> None:
    """Forget framing's compiled preprocessors and their per-word memo tables.

    ``framing`` caches one compiled "machine" per Preprocessor, including a
    table from each surface word to its term; clearing it before every timed
    run makes each repeat pay for filling that table, as a first call in a
    new session does, instead of timing a warm cache.
    """
    from framing.text.preprocess import token_machine

    token_machine.cache_clear()


def warm_up() -> None:
    """Import and load everything once (modules, data files) on the small bundled corpus."""
    small = fr.load_corpus()
    texts = [doc.text for doc in small]
    run_dtm_default(small)
    run_dtm_plain(small)
    run_countvectorizer(texts)
    run_floor(texts)
    reset_framing_cache()


# --------------------------------------------------------------------------- timing


@dataclass
class Output:
    """What a step produced: matrix shape and storage, tokens counted."""

    rows: int
    columns: int | None = None
    nnz: int | None = None
    sparse_bytes: int | None = None
    dense_bytes: int | None = None
    counted: int | None = None


def describe_output(result: Any) -> Output | None:
    """Shape, sparse storage (data+indices+indptr) and dense size of a step's result."""
    if isinstance(result, fr.DocumentTermMatrix):
        result = result.matrix
    if hasattr(result, "indptr"):
        rows, columns = result.shape
        sparse = result.data.nbytes + result.indices.nbytes + result.indptr.nbytes
        return Output(rows, columns, int(result.nnz), int(sparse), rows * columns * result.dtype.itemsize, int(result.sum()))
    if isinstance(result, list) and all(isinstance(c, Counter) for c in result):
        return Output(len(result), len(set().union(*result)), None, None, None, sum(c.total() for c in result))
    return None


def time_step(name: str, arg: Any, repeat: int) -> tuple[Timing, Any]:
    """Run one step ``repeat`` times (framing's cache cleared, garbage collected before each).

    Returns the timings and the last result.
    """
    return _common.time_repeats(name, lambda: STEPS[name](arg), repeat, before=reset_framing_cache)


# --------------------------------------------------------------------------- memory


def measure_memory(name: str, texts_path: str) -> dict[str, Any]:
    """Peak memory of one step, run in a fresh (spawned) process.

    The child loads the texts (and builds the DataFrame, and the Corpus for the
    framing steps), warms up as the timing run does and collects garbage.
    Then it resets the kernel's peak-RSS mark (``/proc/self/clear_refs``) and
    notes the current RSS (``VmRSS``) as baseline; the figure is the peak RSS
    after the step (``VmHWM``) minus that baseline: how far the resident set
    grew at its highest point during the step, result included.

    ``VmHWM`` rather than ``ru_maxrss``: for a child started by fork+exec the
    kernel folds the parent's RSS at the fork into ``ru_maxrss``, and
    ``clear_refs`` does not reset that part. Without ``clear_refs`` the
    fallback is ``ru_maxrss`` minus ``ru_maxrss`` at the baseline, which
    hides a step that stays below an earlier peak.
    """
    texts: list[str] = _common.load_pickle(texts_path)
    frame = to_frame(texts)
    corpus = build_corpus(frame) if name in CORPUS_STEPS else None
    arg = step_input(name, texts, frame, corpus)
    warm_up()
    return {"name": name, **_common.measure_peak(lambda: STEPS[name](arg))}


def memory_in_children(names: Sequence[str], texts: list[str]) -> dict[str, dict[str, Any]]:
    """Run :func:`measure_memory` for each step, one new spawned process per step."""
    return _common.memory_of_pickled(measure_memory, names, texts, prefix="bench_dtm_", filename="texts.pickle")


# --------------------------------------------------------------------------- machine


def machine() -> dict[str, str]:
    """Cores, memory, CPU model, Python and library versions, date (UTC)."""
    return _common.machine({
        **_common.package_versions("numpy", "scipy", "scikit-learn", "pandas", "simplemma"),
        "framing": fr.__version__,
    })


# --------------------------------------------------------------------------- report


def render(
    *,
    info: dict[str, str],
    corpus_stats: dict[str, Any],
    timings: dict[str, Timing],
    outputs: dict[str, Output | None],
    memory: dict[str, dict[str, Any]] | None,
    repeat: int,
) -> str:
    """The results as Markdown: machine, corpus, times, memory, and the aim."""
    tokens = corpus_stats["tokens"]
    cv = timings["countvectorizer"]
    lines = [
        f"Run of `bench/bench_dtm.py --tokens {corpus_stats['target']} --repeat {repeat}`.",
        "",
        _common.machine_line(info) + ".",
        "",
        f"**Corpus.** {corpus_stats['documents']:,} documents, {tokens:,} tokens "
        f"(matches of `DEFAULT_TOKEN_PATTERN`), {corpus_stats['paragraphs']:,} paragraphs, "
        f"{corpus_stats['chars']:,} characters; {corpus_stats['mean_tokens']:.1f} tokens per document "
        f"(min {corpus_stats['min_tokens']}, max {corpus_stats['max_tokens']}); "
        f"resampled from {corpus_stats['sentences']} body sentences with seed {SEED}.",
        "",
        f"### Time (wall clock, best and median of {repeat})",
        "",
        "| step | best (s) | median (s) | tokens/s (best) | × CountVectorizer (best) | × CountVectorizer (median) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name in ("from_frame", *COMPARED_STEPS):
        t = timings[name]
        ratio_best = f"{t.best / cv.best:.2f}" if name in COMPARED_STEPS else "—"
        ratio_median = f"{t.median / cv.median:.2f}" if name in COMPARED_STEPS else "—"
        lines.append(
            f"| {LABELS[name]} | {t.best:.2f} | {t.median:.2f} | {tokens / t.best:,.0f} | {ratio_best} | {ratio_median} |"
        )
    lines.append("")
    lines.append(
        "The framing steps (a, b) time only the `fr.dtm` call, on a Corpus built beforehand; "
        "framing's per-preprocessor cache is cleared before every repeat, so each pays for "
        "compiling its preprocessor and filling its word table, as a first call in a new session does. "
        "Steps (a) to (d) take turns, one run of each per round, so a drift in the machine's speed during "
        "the run slows them alike."
    )
    lines += [
        "",
        "### Memory and the matrix",
        "",
    ]
    if memory is not None:
        exact = all(m["exact"] for m in memory.values())
        how = (
            "peak RSS growth of the step: peak RSS after it (`VmHWM`, /proc/self/status) minus the RSS just before it "
            "(`VmRSS`), the kernel's peak mark being reset via `/proc/self/clear_refs` before the step; each step runs "
            "in a fresh `multiprocessing` \"spawn\" child, after loading the texts (and building the Corpus for a "
            "and b) and warming up (`ru_maxrss` is not used: in a spawned child it includes the parent's RSS at the fork)"
            if exact
            else "peak RSS growth: `resource.getrusage(RUSAGE_SELF).ru_maxrss` after the step minus its value after "
            "loading the texts, in a fresh `multiprocessing` \"spawn\" child per step (the peak mark could not be "
            "reset, so a step that stays below an earlier peak shows too little)"
        )
        lines.append(f"Memory is the {how}. Matrix sizes are `data + indices + indptr` bytes of the CSR result.")
    else:
        lines.append("Memory not measured (`--no-memory`). Matrix sizes are `data + indices + indptr` bytes of the CSR result.")
    lines += [
        "",
        "| step | peak memory (MiB) | rows × terms | non-zeros | sparse matrix (MiB) | dense would be (MiB) | tokens counted |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name in ("from_frame", *COMPARED_STEPS):
        out = outputs.get(name)
        mem = mib(memory[name]["delta_kib"] * 1024) if memory is not None and name in memory else "—"
        if out is None:
            shape = nnz = sparse = dense = counted = "—"
        else:
            shape = f"{out.rows:,} × {fmt_int(out.columns)}" if out.columns is not None else f"{out.rows:,} documents"
            if name == "floor":
                shape += " (no matrix)"
            nnz, sparse, dense, counted = fmt_int(out.nnz), mib(out.sparse_bytes), mib(out.dense_bytes), fmt_int(out.counted)
        lines.append(f"| {LABELS[name]} | {mem} | {shape} | {nnz} | {sparse} | {dense} | {counted} |")
    a, cvt = timings["dtm_default"], timings["countvectorizer"]
    best_ratio, median_ratio = a.best / cvt.best, a.median / cvt.median
    verdict = _common.verdict([best_ratio <= AIM_RATIO, median_ratio <= AIM_RATIO])
    lines += [
        "",
        f"**Aim: `fr.dtm` with default preprocessing no slower than {AIM_RATIO}× CountVectorizer.** "
        f"{verdict}: {best_ratio:.2f}× on the best times, {median_ratio:.2f}× on the medians.",
    ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    return _common.parse_token_args(_common.token_parser(__doc__, section=SECTION), argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    sentences = body_sentences()
    texts = make_documents(sentences, args.tokens)
    per_doc = [count_tokens(t) for t in texts]
    corpus_stats = {
        "target": args.tokens,
        "sentences": len(sentences),
        "documents": len(texts),
        "tokens": sum(per_doc),
        "paragraphs": sum(t.count("\n\n") + 1 for t in texts),
        "chars": sum(map(len, texts)),
        "mean_tokens": statistics.fmean(per_doc),
        "min_tokens": min(per_doc),
        "max_tokens": max(per_doc),
    }
    say(f"corpus: {corpus_stats['documents']:,} documents, {corpus_stats['tokens']:,} tokens")
    frame = to_frame(texts)
    warm_up()

    timings: dict[str, Timing] = {}
    outputs: dict[str, Output | None] = {}
    timings["from_frame"], corpus = time_step("from_frame", frame, args.repeat)
    outputs["from_frame"] = Output(rows=len(corpus))
    say(f"  from_frame: best {timings['from_frame'].best:.2f} s")
    inputs = {name: step_input(name, texts, frame, corpus) for name in COMPARED_STEPS}
    steps = {name: (lambda name=name: STEPS[name](inputs[name])) for name in COMPARED_STEPS}
    compared, results = _common.time_rounds(steps, args.repeat, before=reset_framing_cache)
    for name in COMPARED_STEPS:
        timings[name] = compared[name]
        outputs[name] = describe_output(results[name])
        say(f"  {name}: best {timings[name].best:.2f} s, median {timings[name].median:.2f} s")
    del corpus, results, inputs
    gc.collect()

    memory = None if args.no_memory else memory_in_children(("from_frame", *COMPARED_STEPS), texts)
    results = render(
        info=machine(), corpus_stats=corpus_stats, timings=timings, outputs=outputs, memory=memory, repeat=args.repeat
    )
    _common.publish(results, write=args.write, section=SECTION, rows=summary_rows(timings, memory, corpus_stats),
                    info=machine())
    return 0


def summary_rows(timings: dict[str, Timing], memory: dict[str, dict[str, Any]] | None,
                 corpus_stats: dict[str, Any]) -> list[_common.Row]:
    """The lines of ``bench/RESULTS.md``: both framing steps against CountVectorizer."""
    def peak(name: str) -> float | None:
        return memory[name]["delta_kib"] / 1024 if memory is not None and name in memory else None

    size = f"{corpus_stats['tokens'] / 1e6:.0f}M tokens"
    cv = timings["countvectorizer"]
    return [
        _common.Row("`fr.dtm`, default `Preprocessor()`", size, timings["dtm_default"].best, "CountVectorizer",
                    cv.best, peak("dtm_default"), peak("countvectorizer"), f"≤ {AIM_RATIO:.1f}× CountVectorizer",
                    timings["dtm_default"].best / cv.best <= AIM_RATIO),
        _common.Row("`fr.dtm`, no stopwords, lemmas or phrases", size, timings["dtm_plain"].best, "CountVectorizer",
                    cv.best, peak("dtm_plain"), peak("countvectorizer")),
    ]


if __name__ == "__main__":
    sys.exit(main())
