"""The scattertext side of ``bench_keyness.py``; runs in the peer environment.

scattertext 0.2.2 needs ``scipy<1.14``, which framing's environment cannot
have, so this script runs with ``bench/.venv-peer/bin/python`` (made by
``bench_keyness.py --setup-peer`` from ``bench/requirements-peer.txt``) and
talks to ``bench_keyness.py`` through files and one line of JSON on stdout.
It imports nothing from framing.

Input: a JSON Lines file, one document per line with ``doc_id``,
``source_type`` and ``text`` (the synthetic corpus of ``bench_keyness.py``).

What one end-to-end run does (every call is timed together, wall clock):

1. build: ``st.CorpusFromPandas(df, category_col="source_type",
   text_col="text", nlp=st.whitespace_nlp_with_sentences,
   feats_from_spacy_doc=st.UnigramsFromSpacyDoc()).build()``: tokenise every
   document with scattertext's model-free regex tokenizer (split on ``\\W``,
   lowercase, punctuation dropped) and count unigrams into its term-document
   matrix;
2. score: ``tf = corpus.get_term_freq_df()`` (counts per category),
   ``priors = st.PriorFactory(corpus, starting_count=0).use_all_categories()
   .get_priors()`` (the prior: each term's count in the whole corpus), then
   for each of the four categories ``st.LogOddsRatioInformativeDirichletPrior(
   priors, sigma=1, scale_type="none").get_scores(tf[cat], rest)`` with
   ``rest`` the sum of the other three categories' counts: Monroe, Colaresi
   & Quinn's (2008) z-score of the log-odds ratio with an informative
   Dirichlet prior, the prior being the corpus counts unscaled, as in
   framing's ``logodds_z`` with ``prior_scale=1``.

Modes:

* ``--mode time``: import, warm up on the first 8 documents, then run the
  whole thing ``--repeat`` times (garbage collected before each), noting the
  build and score times of each run; ``--scores PATH`` writes the last run's
  scores as CSV (``term, category, score, n_target, n_rest``: each z-score
  and the two counts it rests on);
* ``--mode memory``: import, load, warm up, then run it once and report the
  peak resident-set growth (``bench/_common.measure_peak``, the method of
  ``bench_dtm.py``); meant to run in a fresh process.

The result is one line of JSON on stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common  # noqa: E402

warnings.filterwarnings("ignore")  # scattertext's imports are noisy (SyntaxWarning, FutureWarning)

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import scattertext as st  # noqa: E402

CATEGORY = "source_type"
TEXT = "text"
WARM_UP_DOCS = 8
CALLS = {
    "build": (
        'st.CorpusFromPandas(df, category_col="source_type", text_col="text", '
        "nlp=st.whitespace_nlp_with_sentences, feats_from_spacy_doc=st.UnigramsFromSpacyDoc()).build()"
    ),
    "score": (
        "tf = corpus.get_term_freq_df(); priors = st.PriorFactory(corpus, starting_count=0)"
        ".use_all_categories().get_priors(); for each category: "
        'st.LogOddsRatioInformativeDirichletPrior(priors, sigma=1, scale_type="none")'
        '.get_scores(tf[f"{cat} freq"], tf[other columns].sum(axis=1))'
    ),
}


def build(df: pd.DataFrame) -> st.TermDocMatrix:
    """scattertext's corpus (term-document matrix) of the documents, unigrams only, no model."""
    return st.CorpusFromPandas(
        df,
        category_col=CATEGORY,
        text_col=TEXT,
        nlp=st.whitespace_nlp_with_sentences,
        feats_from_spacy_doc=st.UnigramsFromSpacyDoc(),
    ).build()


def score(corpus: st.TermDocMatrix) -> dict[str, pd.Series]:
    """Each category against the rest: log-odds ratio, informative Dirichlet prior, z-scores."""
    tf = corpus.get_term_freq_df()  # terms × "<category> freq"
    priors = st.PriorFactory(corpus, starting_count=0).use_all_categories().get_priors()
    scores: dict[str, pd.Series] = {}
    categories = list(corpus.get_categories())
    for cat in categories:
        others = [f"{c} freq" for c in categories if c != cat]
        scorer = st.LogOddsRatioInformativeDirichletPrior(priors, sigma=1, scale_type="none")
        scores[cat] = scorer.get_scores(tf[f"{cat} freq"], tf[others].sum(axis=1))
    return scores


def end_to_end(df: pd.DataFrame) -> tuple[st.TermDocMatrix, dict[str, pd.Series], float, float]:
    """Build, then score; returns the corpus, the scores and the two times (s)."""
    t0 = time.perf_counter()
    corpus = build(df)
    t1 = time.perf_counter()
    scores = score(corpus)
    t2 = time.perf_counter()
    return corpus, scores, t1 - t0, t2 - t1


def versions() -> dict[str, str]:
    return {
        "Python": sys.version.split()[0],
        **_common.package_versions("scattertext", "numpy", "scipy", "pandas", "scikit-learn", "spacy"),
    }


def load(path: str) -> pd.DataFrame:
    df = pd.read_json(path, lines=True, dtype={"doc_id": str, CATEGORY: str, TEXT: str})
    return df.reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="JSON Lines: doc_id, source_type, text")
    parser.add_argument("--mode", choices=("time", "memory"), default="time")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scores", help="write the last run's scores here (CSV: term, category, score, n_target, n_rest)")
    args = parser.parse_args(argv)

    df = load(args.data)
    end_to_end(df.head(WARM_UP_DOCS).copy())  # warm up: every code path once, on a few documents
    out: dict[str, object] = {"mode": args.mode, "versions": versions(), "calls": CALLS, "documents": len(df)}

    if args.mode == "memory":
        gc.collect()
        out["memory"] = _common.measure_peak(lambda: end_to_end(df))
        print(json.dumps(out), flush=True)
        return 0

    runs = []
    corpus = scores = None
    for i in range(args.repeat):
        corpus = scores = None
        gc.collect()
        corpus, scores, t_build, t_score = end_to_end(df)
        runs.append({"build": t_build, "score": t_score, "total": t_build + t_score})
        print(f"  scattertext run {i + 1}: build {t_build:.2f} s, score {t_score:.3f} s", file=sys.stderr, flush=True)
    assert corpus is not None and scores is not None
    tf = corpus.get_term_freq_df()
    out["runs"] = runs
    out["terms"] = int(corpus.get_num_terms())
    out["categories"] = list(corpus.get_categories())
    out["tokens_counted"] = int(np.asarray(tf.values).sum())
    out["nnz"] = int(corpus.get_term_doc_mat().nnz)
    if args.scores:
        total = tf.sum(axis=1)
        frame = pd.concat(
            [
                pd.DataFrame({
                    "term": s.index.astype(str),
                    "category": cat,
                    "score": s.to_numpy(),
                    "n_target": tf[f"{cat} freq"].reindex(s.index).to_numpy(),
                    "n_rest": (total - tf[f"{cat} freq"]).reindex(s.index).to_numpy(),
                })
                for cat, s in scores.items()
            ],
            ignore_index=True,
        )
        frame.to_csv(args.scores, index=False)
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
