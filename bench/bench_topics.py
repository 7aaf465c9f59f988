"""Benchmark framing's topic models against scikit-learn's LDA, on data with known topics.

A synthetic paragraph-term matrix is drawn, with a fixed seed, from a known
topic model (the generative model of LDA): 20 true topics over a vocabulary
of 5,000 terms, each topic a Dirichlet(1) distribution over its own block of
250 terms (weight 0.95) plus a background distribution over all terms shared
by every topic (weight 0.05); each paragraph draws its topic mixture from
Dirichlet(0.1) and its length from Poisson(100) (at least one token), then
each token's topic from the mixture and its term from that topic. 20,000
paragraphs hold about two million tokens. The DocumentTermMatrix is built
directly from the counts (there is no text).

On the same matrix, in the same run, with k = 20, the script times

* (a) ``fr.TopicModel("lda", 20, random_state=1, passes=P).fit(m)``
  (gensim's ``LdaModel`` with framing's block E-step inside; P = 5 unless
  ``--passes``): seconds and seconds per pass, with an estimate of the part
  of the fit that is not the passes (the conversion to gensim's corpus and
  one more E-step after training, ``inference``), and the time of the
  perplexity, which the fit leaves to first use,
* (b) scikit-learn ``LatentDirichletAllocation(n_components=20,
  learning_method="batch", max_iter=P, random_state=1).fit(X)`` on the same
  CSR matrix: seconds and seconds per iteration,
* (c) ``fr.TopicModel("nmf", 20, random_state=1).fit(m)`` (scikit-learn
  ``NMF`` on tf-idf): seconds and the iterations it used (``n_iter_``),

checks how well each recovers the true topics (``framing.measures.topics.align_topics``,
cosine similarity of topic-term rows, Hungarian matching; mean and minimum
over the 20 topics, next to the ceiling that sampling noise allows), measures
the peak memory of (a), (b) and (c) in spawned child processes (the method of
``bench_dtm.py``), and times

* (f) ``fr.search_k(m, ks=range(3, 11), seeds=(1,), method="lda",
  progress=False)`` on the paragraphs of the bundled corpus (headings
  dropped, terms in at least two paragraphs).

Usage::

    .venv/bin/python bench/bench_topics.py                     # 20,000 paragraphs, 5 passes, best of 3
    .venv/bin/python bench/bench_topics.py --paragraphs 2000   # quick check
    .venv/bin/python bench/bench_topics.py --write             # also update bench/README.md
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.decomposition import LatentDirichletAllocation

import framing as fr
from framing.measures.topics import align_topics

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common  # noqa: E402  (bench/_common.py: helpers shared by the benchmarks)
from _common import SEED, Timing, say, verdict  # noqa: E402

DEFAULT_PARAGRAPHS = 20_000
DEFAULT_PASSES = 5
N_TOPICS = 20
VOCABULARY = 5_000
OWN_TERMS = VOCABULARY // N_TOPICS  # 250 terms of its own per topic
TOPIC_CONCENTRATION = 1.0  # Dirichlet parameter of a topic over its own terms
BACKGROUND_WEIGHT = 0.05  # share of every topic drawn from the shared background
BACKGROUND_CONCENTRATION = 1.0  # Dirichlet parameter of the background over all terms
DOC_ALPHA = 0.1  # Dirichlet parameter of a paragraph's topic mixture
MEAN_LENGTH = 100  # Poisson mean of a paragraph's length in tokens
PARAGRAPHS_PER_DOCUMENT = 5  # only for doc_id: paragraphs are grouped into notional documents
SEARCH_KS = tuple(range(3, 11))
SEARCH_SEEDS = (1,)
AIM_SEARCH_SECONDS = 60.0
GOOD_MATCH = 0.9  # cosine at which a recovered topic is counted as a good match

SECTION = "topics"  # of README

#: The steps fitted on the synthetic matrix, in table order.
FIT_STEPS = ("framing_lda", "sklearn_lda", "framing_nmf")
LABELS = {
    "framing_lda": "(a) **framing LDA**: `fr.TopicModel(\"lda\", 20, random_state=1, passes={P}).fit(m)`",
    "sklearn_lda": "(b) scikit-learn `LatentDirichletAllocation(n_components=20, learning_method=\"batch\", "
                   "max_iter={P}, random_state=1).fit(X)`",
    "framing_nmf": "(c) **framing NMF**: `fr.TopicModel(\"nmf\", 20, random_state=1).fit(m)`",
    "search_k": "(f) `fr.search_k(m, ks=range(3, 11), seeds=(1,), method=\"lda\", progress=False)`",
}


# --------------------------------------------------------------------------- data


@dataclass
class Synthetic:
    """The drawn matrix, the true topics and what the draw says about them."""

    matrix: sp.csr_matrix  # paragraphs × terms, int64 counts
    beta: np.ndarray  # true topics × terms, rows sum to 1
    empirical: np.ndarray  # topics × terms: counts of the tokens actually drawn from each topic
    stats: dict[str, Any]


def make_topics(rng: np.random.Generator) -> np.ndarray:
    """The true topic-term matrix (``N_TOPICS × VOCABULARY``, rows sum to 1).

    Topic ``k`` owns terms ``k*250 … k*250+249``: weight 0.95 spread over
    them by a Dirichlet(1) draw, plus weight 0.05 of one background
    distribution over all 5,000 terms (a Dirichlet(1) draw shared by every
    topic).
    """
    background = rng.dirichlet(np.full(VOCABULARY, BACKGROUND_CONCENTRATION))
    beta = np.empty((N_TOPICS, VOCABULARY))
    for k in range(N_TOPICS):
        own = np.zeros(VOCABULARY)
        own[k * OWN_TERMS:(k + 1) * OWN_TERMS] = rng.dirichlet(np.full(OWN_TERMS, TOPIC_CONCENTRATION))
        beta[k] = (1 - BACKGROUND_WEIGHT) * own + BACKGROUND_WEIGHT * background
    return beta / beta.sum(1, keepdims=True)


def make_synthetic(paragraphs: int, seed: int = SEED) -> Synthetic:
    """Draw ``paragraphs`` paragraphs from the known topics (same seed, same matrix).

    For each paragraph: topic mixture ``θ ~ Dirichlet(0.1)``, length
    ``max(1, Poisson(100))``, the number of its tokens from each topic
    ``~ Multinomial(length, θ)``, then each token's term from its topic
    (inverse CDF of the topic's distribution). Counts are summed into a
    CSR matrix of int64.
    """
    rng = np.random.default_rng(seed)
    beta = make_topics(rng)
    theta = rng.dirichlet(np.full(N_TOPICS, DOC_ALPHA), size=paragraphs)
    theta /= theta.sum(1, keepdims=True)
    lengths = np.maximum(rng.poisson(MEAN_LENGTH, size=paragraphs), 1)
    per_topic = rng.multinomial(lengths, theta)  # paragraphs × topics
    flat = per_topic.ravel()
    z = np.repeat(np.tile(np.arange(N_TOPICS), paragraphs), flat)
    rows = np.repeat(np.repeat(np.arange(paragraphs), N_TOPICS), flat)
    words = np.empty(len(z), dtype=np.int64)
    cdf = np.cumsum(beta, axis=1)
    for k in range(N_TOPICS):
        idx = np.flatnonzero(z == k)
        words[idx] = np.minimum(np.searchsorted(cdf[k], rng.random(len(idx)) * cdf[k, -1], side="right"), VOCABULARY - 1)
    matrix = sp.coo_matrix((np.ones(len(z), dtype=np.int64), (rows, words)), shape=(paragraphs, VOCABULARY)).tocsr()
    matrix.sum_duplicates()
    matrix.sort_indices()
    empirical = np.bincount(z * VOCABULARY + words, minlength=N_TOPICS * VOCABULARY).reshape(N_TOPICS, VOCABULARY)
    cos = (beta / np.linalg.norm(beta, axis=1, keepdims=True)) @ (beta / np.linalg.norm(beta, axis=1, keepdims=True)).T
    off = cos[~np.eye(N_TOPICS, dtype=bool)]
    stats = {
        "paragraphs": paragraphs,
        "tokens": int(lengths.sum()),
        "mean_length": float(lengths.mean()),
        "min_length": int(lengths.min()),
        "max_length": int(lengths.max()),
        "nnz": int(matrix.nnz),
        "terms_used": int((np.diff(matrix.tocsc().indptr) > 0).sum()),
        "max_true_cos": float(off.max()),
        "mean_true_cos": float(off.mean()),
        "main_topic_share": float(theta.max(1).mean()),
    }
    return Synthetic(matrix, beta, empirical.astype(float), stats)


def to_dtm(matrix: sp.csr_matrix) -> fr.DocumentTermMatrix:
    """A paragraph-level DocumentTermMatrix of ``matrix``, built directly (no text).

    Terms are ``w0000 … w4999``; paragraphs are grouped five to a notional
    document (``s00000/p000`` … in ``s00000``), ``start``/``end`` are token
    offsets within that document.
    """
    n = matrix.shape[0]
    lengths = np.asarray(matrix.sum(axis=1)).ravel()
    doc = np.arange(n) // PARAGRAPHS_PER_DOCUMENT
    par = np.arange(n) % PARAGRAPHS_PER_DOCUMENT
    ends = np.empty(n, dtype=np.int64)
    for d0 in range(0, n, PARAGRAPHS_PER_DOCUMENT):
        ends[d0:d0 + PARAGRAPHS_PER_DOCUMENT] = np.cumsum(lengths[d0:d0 + PARAGRAPHS_PER_DOCUMENT])
    units = pd.DataFrame({
        "unit_id": [f"s{d:05d}/p{p:03d}" for d, p in zip(doc, par)],
        "doc_id": [f"s{d:05d}" for d in doc],
        "start": ends - lengths,
        "end": ends,
    })
    terms = [f"w{j:04d}" for j in range(matrix.shape[1])]
    return fr.DocumentTermMatrix(matrix, terms, units, unit="paragraph", preprocessor="synthetic",
                                 corpus_hash=f"synthetic-{SEED}-{n}")


def bundled_paragraphs() -> fr.DocumentTermMatrix:
    """The bundled corpus's body paragraphs (headings dropped), terms in at least two of them."""
    m = fr.dtm(fr.load_corpus(), fr.Preprocessor(), unit="paragraph")
    return m.select(~m.units["is_heading"].to_numpy()).trim(min_docs=2)


# --------------------------------------------------------------------------- steps


def run_framing_lda(m: fr.DocumentTermMatrix, passes: int) -> fr.TopicModel:
    """(a) framing's LDA: gensim LdaModel, batch (one chunk), alpha and eta learned."""
    return fr.TopicModel("lda", N_TOPICS, random_state=1, passes=passes).fit(m)


def run_sklearn_lda(x: sp.csr_matrix, passes: int) -> LatentDirichletAllocation:
    """(b) scikit-learn's batch variational Bayes LDA, ``max_iter`` = passes."""
    return LatentDirichletAllocation(n_components=N_TOPICS, learning_method="batch", max_iter=passes,
                                     random_state=1).fit(x)


def run_framing_nmf(m: fr.DocumentTermMatrix, passes: int) -> fr.TopicModel:
    """(c) framing's NMF: scikit-learn NMF on tf-idf (``passes`` is not used)."""
    return fr.TopicModel("nmf", N_TOPICS, random_state=1).fit(m)


def run_search_k(m: fr.DocumentTermMatrix) -> pd.DataFrame:
    """(f) framing's diagnostics over k = 3 … 10, one seed."""
    return fr.search_k(m, ks=SEARCH_KS, seeds=SEARCH_SEEDS, method="lda", progress=False)


STEPS: dict[str, Callable[[Any, int], Any]] = {
    "framing_lda": run_framing_lda,
    "sklearn_lda": run_sklearn_lda,
    "framing_nmf": run_framing_nmf,
}


def step_input(name: str, m: fr.DocumentTermMatrix) -> Any:
    """What a step reads: the DocumentTermMatrix, or (sklearn) its CSR matrix."""
    return m.matrix if name == "sklearn_lda" else m


def topic_term(name: str, result: Any) -> np.ndarray:
    """A fitted model's topic-term matrix, rows summing to 1."""
    if name == "sklearn_lda":
        c = np.asarray(result.components_, dtype=float)
        return c / c.sum(1, keepdims=True)
    return np.asarray(result.topic_term_, dtype=float)


def warm_up() -> None:
    """Import and run everything once on the small bundled corpus (modules, gensim, sklearn, coherence)."""
    small = bundled_paragraphs()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fr.TopicModel("lda", 3, random_state=1, passes=1).fit(small)
        LatentDirichletAllocation(n_components=3, learning_method="batch", max_iter=1, random_state=1).fit(small.matrix)
        fr.TopicModel("nmf", 3, random_state=1).fit(small)
        fr.search_k(small, ks=[3], seeds=(1,), method="lda", progress=False, passes=1)


# --------------------------------------------------------------------------- timing


def time_call(name: str, fn: Callable[[], Any], repeat: int) -> tuple[Timing, list[Any]]:
    """Run ``fn`` ``repeat`` times (garbage collected before each); timings and every result."""
    results: list[Any] = []

    def keep(i: int, seconds: float, result: Any) -> None:
        results.append(result)
        say(f"  {name} run {i + 1}/{repeat}: {seconds:.2f} s")

    timing, _ = _common.time_repeats(name, fn, repeat, each=keep)
    return timing, results


def lda_overhead(model: fr.TopicModel, m: fr.DocumentTermMatrix) -> dict[str, float]:
    """Seconds of the parts of framing's LDA fit that are not training passes, redone once, and of the
    perplexity, which the fit does not compute.

    ``TopicModel.fit`` converts the matrix to gensim's corpus (``to_gensim``),
    trains, then runs ``inference`` over all units (the unit topic shares);
    the same two calls on the fitted model. ``perplexity_`` is computed on
    first use, from the fit's own topic weights (gensim's ``bound``, no
    inference of its own): timed once more with its memo cleared. gensim's
    ``log_perplexity`` (which infers every unit again, one at a time) is
    timed for comparison.
    """
    out: dict[str, float] = {}
    gc.collect()
    t = time.perf_counter()
    _, bow = m.to_gensim()
    out["to_gensim"] = time.perf_counter() - t
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=DeprecationWarning)
        t = time.perf_counter()
        model.model_.inference(bow)
        out["inference"] = time.perf_counter() - t
        model._perplexity = None  # the memo: recompute once
        t = time.perf_counter()
        _ = model.perplexity_
        out["perplexity_"] = time.perf_counter() - t
        t = time.perf_counter()
        model.model_.log_perplexity(bow)
        out["log_perplexity"] = time.perf_counter() - t
    return out


# --------------------------------------------------------------------------- memory


def measure_memory(name: str, matrix_path: str, passes: int) -> dict[str, Any]:
    """Peak memory of one fit, run in a fresh (spawned) process.

    The child loads the matrix, builds the DocumentTermMatrix, warms up as
    the timing run does and collects garbage; the figure is the peak RSS
    during the fit (``VmHWM``, the mark reset through ``/proc/self/clear_refs``)
    minus the RSS just before it (``VmRSS``), fitted model included
    (:func:`_common.measure_peak`).
    """
    matrix: sp.csr_matrix = _common.load_pickle(matrix_path)
    m = to_dtm(matrix)
    arg = step_input(name, m)
    warm_up()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {"name": name, **_common.measure_peak(lambda: STEPS[name](arg, passes))}


def memory_in_children(names: Sequence[str], matrix: sp.csr_matrix, passes: int) -> dict[str, dict[str, Any]]:
    """Run :func:`measure_memory` for each step, one new spawned process per step."""
    return _common.memory_of_pickled(measure_memory, names, matrix, passes,
                                     prefix="bench_topics_", filename="matrix.pickle")


# --------------------------------------------------------------------------- machine


def thread_pools() -> str:
    """The native thread pools numpy, scipy and scikit-learn may use (threadpoolctl)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:  # pragma: no cover
        return "unknown (threadpoolctl not importable)"
    parts = [f"{p.get('internal_api')} {p.get('num_threads')} threads ({p.get('prefix')})" for p in threadpool_info()]
    return ", ".join(parts) or "none found"


def machine() -> dict[str, str]:
    """Cores, memory, CPU model, Python and library versions, thread pools, date (UTC)."""
    return _common.machine({
        **_common.package_versions("numpy", "scipy", "scikit-learn", "gensim", "pandas"),
        "framing": fr.__version__,
        "native thread pools": thread_pools(),
    })


# --------------------------------------------------------------------------- report


def render(
    *,
    info: dict[str, str],
    args: argparse.Namespace,
    data: dict[str, Any],
    timings: dict[str, Timing],
    recovery: dict[str, np.ndarray],
    repeatable: dict[str, float],
    nmf_iter: int,
    nmf_max_iter: int,
    overhead: dict[str, float],
    bundled: dict[str, Any],
    memory: dict[str, dict[str, Any]] | None,
    digests: tuple[str, str],
) -> str:
    """The results as Markdown: machine, data, times, recovery, memory, search_k and the aim."""
    P, R = args.passes, args.repeat
    lda, sk, nmf = timings["framing_lda"], timings["sklearn_lda"], timings["framing_nmf"]
    label = {k: v.replace("{P}", str(P)) for k, v in LABELS.items()}
    lines = [
        f"Run of `bench/bench_topics.py --paragraphs {data['paragraphs']} --passes {P} --repeat {R}`.",
        "",
        _common.machine_line(info) + ".",
        "",
        f"**Data.** {data['paragraphs']:,} paragraphs, {data['tokens']:,} tokens "
        f"({data['mean_length']:.1f} per paragraph, min {data['min_length']}, max {data['max_length']}), "
        f"{data['terms_used']:,} of {VOCABULARY:,} terms occur, {data['nnz']:,} non-zero cells; "
        f"drawn with seed {SEED} from {N_TOPICS} true topics (each {1 - BACKGROUND_WEIGHT:.2f} on its own "
        f"{OWN_TERMS} terms, {BACKGROUND_WEIGHT:.2f} shared background; cosine between two true topics "
        f"{data['mean_true_cos']:.3f} on average, {data['max_true_cos']:.3f} at most), paragraph mixtures "
        f"Dirichlet({DOC_ALPHA}) (a paragraph's largest topic holds {data['main_topic_share']:.0%} of it on average).",
        "",
        f"### Time, k = {N_TOPICS} (wall clock, best and median of {R})",
        "",
        "| step | best (s) | median (s) | passes / iterations | s per pass or iteration (best) | s per pass or iteration (median) |",
        "|---|---:|---:|---:|---:|---:|",
        f"| {label['framing_lda']} | {lda.best:.2f} | {lda.median:.2f} | {P} passes | {lda.best / P:.2f} | {lda.median / P:.2f} |",
        f"| {label['sklearn_lda']} | {sk.best:.2f} | {sk.median:.2f} | {P} iterations | {sk.best / P:.2f} | {sk.median / P:.2f} |",
        f"| {label['framing_nmf']} | {nmf.best:.2f} | {nmf.median:.2f} | {nmf_iter} iterations "
        f"(`n_iter_`; max_iter {nmf_max_iter}) | {nmf.best / nmf_iter:.3f} | {nmf.median / nmf_iter:.3f} |",
        "",
        f"**framing LDA ÷ scikit-learn LDA: {lda.best / sk.best:.2f}× on the best times, "
        f"{lda.median / sk.median:.2f}× on the medians** (the same ratio per pass, both doing {P}).",
        "",
    ]
    fixed = overhead["to_gensim"] + overhead["inference"]
    lines += [
        f"Not all of (a) is passes: `TopicModel.fit` also converts the matrix to gensim's corpus and, after "
        f"training, infers every paragraph's topics (`inference`). Redone once on the fitted model: `to_gensim` "
        f"{overhead['to_gensim']:.2f} s, `inference` {overhead['inference']:.2f} s, together {fixed:.2f} s; so "
        f"the {P} passes themselves took about {lda.best - fixed:.2f} s of the best run, **about "
        f"{(lda.best - fixed) / P:.2f} s per pass** ({(lda.best - fixed) / P / (sk.best / P):.2f}× scikit-learn's "
        "time per iteration). (b) times `fit` only, which ends after its last iteration. The perplexity is not "
        f"part of the fit: `perplexity_` computes it on first use from the fit's own topic weights "
        f"({overhead['perplexity_']:.2f} s here); gensim's `log_perplexity`, which infers every paragraph again "
        f"one at a time, takes {overhead['log_perplexity']:.2f} s.",
        "",
        "One gensim pass and one scikit-learn batch iteration are comparable but not identical units of work: "
        "both are an E-step over every paragraph followed by an M-step of the topic-term matrix, but gensim "
        "runs up to 400 inference iterations per paragraph (framing's `iterations`; stop when the mean change "
        "of its topic weights falls below 0.001) and learns `alpha` and `eta` after each pass, while "
        "scikit-learn runs up to 100 (`max_doc_update_iter`, same 0.001 tolerance) with fixed priors (1/k).",
        "",
        "### Recovery of the true topics",
        "",
        "Each fitted topic-term matrix (rows summing to 1; scikit-learn's `components_` normalised) is matched "
        "to the true topics with `framing.measures.topics.align_topics` (cosine similarity of the rows, Hungarian "
        "method). The ceiling row compares the true topics with the term frequencies of the tokens actually "
        "drawn from each topic: what a perfect estimate of the sample could reach.",
        "",
        f"| method | mean cosine | min cosine | topics with cosine ≥ {GOOD_MATCH} | same topics in every repeat |",
        "|---|---:|---:|---:|---|",
    ]
    names = {"ceiling": "ceiling: drawn tokens of each true topic", "framing_lda": "(a) framing LDA",
             "sklearn_lda": "(b) scikit-learn LDA", "framing_nmf": "(c) framing NMF (tf-idf)"}
    for key in ("ceiling", *FIT_STEPS):
        sim = recovery[key]
        same = "—" if key == "ceiling" else (
            "yes (identical)" if repeatable[key] == 0 else f"largest difference {repeatable[key]:.2g}")
        lines.append(f"| {names[key]} | {sim.mean():.3f} | {sim.min():.3f} | {(sim >= GOOD_MATCH).sum()} of "
                     f"{len(sim)} | {same} |")
    lines += ["", "### Memory", ""]
    if memory is not None:
        lines.append(
            "Each fit once more in a fresh `multiprocessing` \"spawn\" child, after loading the matrix, building "
            "the DocumentTermMatrix and warming up: peak RSS during the fit (`VmHWM`, /proc/self/status, the mark "
            "reset through `/proc/self/clear_refs` just before) minus the RSS just before it (`VmRSS`), fitted "
            "model included, as in `bench_dtm.py`."
            if all(v["exact"] for v in memory.values()) else
            "Each fit once more in a fresh `multiprocessing` \"spawn\" child: `ru_maxrss` after the fit minus its "
            "value before (the peak mark could not be reset, so a fit that stays below an earlier peak shows too little)."
        )
        sparse = data["sparse_bytes"] / 1024**2
        lines += [
            "",
            "| step | starts from | peak memory growth (MiB) |",
            "|---|---|---:|",
        ]
        for name in FIT_STEPS:
            src = "CSR matrix (int64)" if name == "sklearn_lda" else "DocumentTermMatrix"
            lines.append(f"| {label[name]} | {src} | {memory[name]['delta_kib'] / 1024:,.1f} |")
        lines += ["", f"The CSR matrix itself (`data + indices + indptr`) takes {sparse:,.1f} MiB."]
    else:
        lines.append("Memory not measured (`--no-memory`).")
    st = timings["search_k"]
    lines += [
        "",
        "### Choosing k on the bundled corpus",
        "",
        f"The bundled corpus's paragraphs without headings, terms in at least two paragraphs: "
        f"{bundled['units']:,} paragraphs × {bundled['terms']:,} terms, {bundled['tokens']:,} tokens "
        f"(built before timing). `search_k` fits one LDA per k (framing's defaults: 20 passes, up to 400 "
        f"inference iterations) and computes c_v, c_npmi and u_mass coherence, exclusivity and perplexity for each.",
        "",
        "| step | fits | best (s) | median (s) | s per fit (best) |",
        "|---|---:|---:|---:|---:|",
        f"| {label['search_k']} | {bundled['fits']} | {st.best:.2f} | {st.median:.2f} | {st.best / bundled['fits']:.2f} |",
        "",
    ]
    if digests[0] != digests[1]:
        lines += [f"**Warning:** framing's sources changed during the run ({digests[0]} → {digests[1]}).", ""]
    lines.append(
        f"**Aim: `search_k` over k = 3…10 with one seed on the bundled corpus in under a minute on two cores.** "
        f"{verdict(s < AIM_SEARCH_SECONDS for s in (st.best, st.median))}: {st.best:.1f} s best, {st.median:.1f} s median."
    )
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = _common.make_parser(__doc__)
    parser.add_argument("--paragraphs", type=int, default=DEFAULT_PARAGRAPHS,
                        help="synthetic paragraphs, about 100 tokens each (default 20,000)")
    parser.add_argument("--passes", type=int, default=DEFAULT_PASSES,
                        help="LDA passes (framing) and batch iterations (scikit-learn) (default 5)")
    _common.add_run_options(parser, section=SECTION)
    args = parser.parse_args(argv)
    if args.paragraphs < N_TOPICS or args.passes < 1 or args.repeat < 1:
        parser.error(f"--paragraphs must be at least {N_TOPICS}; --passes and --repeat must be positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    digest_start = _common.source_digest(fr)
    synth = make_synthetic(args.paragraphs)
    data = {**synth.stats, "sparse_bytes": synth.matrix.data.nbytes + synth.matrix.indices.nbytes
            + synth.matrix.indptr.nbytes}
    say(f"data: {data['paragraphs']:,} paragraphs, {data['tokens']:,} tokens, {data['nnz']:,} non-zeros")
    m = to_dtm(synth.matrix)
    warm_up()

    timings: dict[str, Timing] = {}
    recovery: dict[str, np.ndarray] = {"ceiling": align_topics(synth.beta, synth.empirical)[1]}
    repeatable: dict[str, float] = {}
    last: dict[str, Any] = {}
    for name in FIT_STEPS:
        arg = step_input(name, m)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            timings[name], results = time_call(name, lambda: STEPS[name](arg, args.passes), args.repeat)
        betas = [topic_term(name, r) for r in results]
        repeatable[name] = float(max(np.abs(b - betas[0]).max() for b in betas))
        recovery[name] = align_topics(synth.beta, betas[-1])[1]
        last[name] = results[-1]
        del results, betas
        say(f"  {name}: best {timings[name].best:.2f} s, median {timings[name].median:.2f} s; "
            f"recovery mean {recovery[name].mean():.3f}, min {recovery[name].min():.3f}")
    nmf_iter = int(last["framing_nmf"].model_.n_iter_)
    nmf_max_iter = int(last["framing_nmf"].max_iter)
    overhead = lda_overhead(last["framing_lda"], m)
    say(f"  framing LDA outside the passes: {overhead}")
    del last
    gc.collect()

    small = bundled_paragraphs()
    bundled = {"units": small.shape[0], "terms": small.shape[1], "tokens": int(small.matrix.sum()),
               "fits": len(SEARCH_KS) * len(SEARCH_SEEDS)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        timings["search_k"], _ = time_call("search_k", lambda: run_search_k(small), args.repeat)
    gc.collect()

    memory = None if args.no_memory else memory_in_children(FIT_STEPS, synth.matrix, args.passes)
    digests = _common.digests_since(digest_start, fr)
    results_md = render(
        info=machine(), args=args, data=data, timings=timings, recovery=recovery, repeatable=repeatable,
        nmf_iter=nmf_iter, nmf_max_iter=nmf_max_iter, overhead=overhead, bundled=bundled, memory=memory,
        digests=digests,
    )
    lda, sk = timings["framing_lda"], timings["sklearn_lda"]
    peak = (lambda n: memory[n]["delta_kib"] / 1024 if memory is not None else None)  # noqa: E731
    rows = [_common.Row(
        f"`TopicModel(\"lda\")` (gensim `LdaModel`), k = {N_TOPICS}, {args.passes} passes", f"{data['tokens'] / 1e6:.0f}M tokens",
        lda.best, "scikit-learn `LatentDirichletAllocation` (batch)", sk.best, peak("framing_lda"), peak("sklearn_lda"),
        aim="≤ 1.0× scikit-learn", met=lda.best <= sk.best,
        note=f"topic recovery {recovery['framing_lda'].mean():.3f} vs {recovery['sklearn_lda'].mean():.3f}")]
    _common.publish(results_md, write=args.write, section=SECTION, rows=rows, info=machine())
    return 0


if __name__ == "__main__":
    sys.exit(main())
