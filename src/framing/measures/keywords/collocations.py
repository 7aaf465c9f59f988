"""Collocations: adjacent n-grams and window collocates of a node term.

Counts are taken sentence by sentence on the preprocessor's token stream, so a
collocation never crosses a sentence (or document) boundary, and multiword
expressions are already single terms (``hong_kong``). With stopwords removed,
"adjacent" means adjacent among the remaining tokens; use
``Preprocessor(stopwords=None)`` for strict adjacency.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal

import numpy as np
import pandas as pd

from framing.base.errors import ArgumentError, check_option
from framing.base.gcpause import without_gc
from framing.base.grouping import group_labels, resolve_by
from framing.base.patterns import is_glob, term_pattern
from framing.corpus.model import Corpus
from framing.measures.keywords.keyness import g2_2x2
from framing.text.preprocess import Preprocessor
from framing.text.tokens import Tokens, tokens

__all__ = ["collocations", "sentence_tokens", "COLLOCATION_COLUMNS"]

COLLOCATION_COLUMNS = [
    "group", "node", "collocate", "position", "n", "f_node", "f_collocate", "expected",
    "pmi", "npmi", "g2", "t_score", "log_dice", "preprocessor",
]


def sentence_tokens(corpus: Corpus | Tokens, pre: Preprocessor | None = None, n_jobs: int | None = 1, cache: Any = None) -> pd.DataFrame:
    """Terms of every sentence, in order.

    Returns
    -------
    pandas.DataFrame
        The sentence units of ``corpus.units('sentence')`` (without text) with
        a column ``tokens``: the list of ``(term, start, end)`` of the
        sentence, offsets into the document's clean text.
    """
    toks = tokens(corpus, pre, n_jobs=n_jobs, cache=cache)
    units = toks.units("sentence").drop(columns="text")
    units["tokens"] = toks.sentences()
    return units


def _measures(n: np.ndarray, r1: np.ndarray, c1: np.ndarray, total: float) -> dict[str, np.ndarray]:
    """Association measures of 2×2 tables with O11 = n, row total r1, column total c1."""
    n = n.astype(float)
    expected = r1 * c1 / total
    pmi = np.log2(n / expected)
    with np.errstate(divide="ignore", invalid="ignore"):
        npmi = np.where(n < total, pmi / -np.log2(n / total), 1.0)
    # the same table as keyness: the pair's count against the node row's other tokens
    g2 = g2_2x2(n, c1 - n, r1, total - r1)
    sign = np.where(n >= expected, 1.0, -1.0)
    t = (n - expected) / np.sqrt(n)
    return {"expected": expected, "pmi": pmi, "npmi": npmi, "g2": sign * g2, "t_score": t}


@without_gc
def collocations(
    corpus: Corpus | Tokens,
    pre: Preprocessor | None = None,
    *,
    by: str | None = None,
    node: str | None = None,
    window: int = 5,
    size: Literal[2, 3] = 2,
    min_count: int = 3,
    sort: Literal["log_dice", "g2", "pmi", "npmi", "t_score", "n"] = "log_dice",
) -> pd.DataFrame:
    """Collocations per group: adjacent n-grams, or window collocates of a node.

    Parameters
    ----------
    corpus : Corpus or Tokens
    pre : Preprocessor or None
        None uses ``Preprocessor()`` (or the tokens' preprocessor).
    by : str or None
        A metadata column; None: the corpus' own grouping; ``()``: one
        group ``'all'``.
    node : str or None
        A term (e.g. ``'hong_kong'``) or a glob over terms (``'sanction*'``).
        Given: the collocates within ``window`` tokens on either side of each
        occurrence. None: adjacent n-grams.
    window : int, default=5
    size : {2, 3}, default=2
        Adjacent bigrams or trigrams (when ``node`` is None).
    min_count : int, default=3
        Minimum co-occurrence count ``n``.
    sort : str, default='log_dice'
        Column to sort by within each group, descending.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLLOCATION_COLUMNS`. ``node`` and ``collocate`` are
        the first word and the rest of an n-gram (``position`` ``'+1'`` or
        ``'+1+2'``), or the node and a collocate within the window
        (``position`` ``'±5'``). ``n``: co-occurrences; ``f_node``,
        ``f_collocate``: frequencies (for a trigram, of the bigram ``w2 w3``);
        ``N`` below: the group's tokens.

        Bigrams: the 2×2 table of NLTK's ``BigramAssocMeasures`` (rows: w1 /
        not w1, columns: w2 / not w2, marginals the unigram frequencies),
        ``expected = f1 f2 / N``, ``pmi = log2(n / expected)``,
        ``npmi = pmi / −log2(n / N)`` (Bouma 2009), ``g2`` Dunning's
        log-likelihood (signed: negative below expectation),
        ``t_score = (n − expected) / √n``, ``log_dice = 14 + log2(2n / (f1 +
        f2))`` (Rychlý 2008).

        Window collocates: the row total is the number of token slots in the
        windows around the node (``W``), so ``expected = W f_collocate / N``.

        Trigrams: ``expected = f1 f2 f3 / N²``, ``pmi = log2(n / expected)``,
        ``t_score`` as above, ``log_dice = 14 + log2(3n / (f1 + f2 + f3))``;
        ``npmi`` and ``g2`` (which need counts of gapped pairs) are NaN.
    """
    if not isinstance(corpus, (Corpus, Tokens)):
        raise ArgumentError(f"collocations expects a framing Corpus or Tokens, got {type(corpus).__name__}")
    toks = tokens(corpus, pre)
    pre = toks.pre
    check_option("size", size, (2, 3))
    check_option("sort", sort, ("log_dice", "g2", "pmi", "npmi", "t_score", "n"))
    if not isinstance(window, int) or window < 1:
        raise ArgumentError(f"window={window!r} must be a positive integer")
    if not isinstance(min_count, int) or min_count < 1:
        raise ArgumentError(f"min_count={min_count!r} must be a positive integer")
    sents = sentence_tokens(toks)
    codes, labels = group_labels(sents, resolve_by(by, toks.corpus.group_by))
    groups = pd.Series(np.asarray(labels, dtype=object)[codes], index=sents.index)

    node_terms: set[str] | None = None
    if node is not None:
        vocab = {t for toks in sents["tokens"] for t, _, _ in toks}
        node_terms = {t for t in vocab if t in term_pattern(node)} if is_glob(node) else ({node} & vocab)
        if not node_terms and not is_glob(node):  # a surface form, as kwic takes it: "Hong Kong", "sanctions"
            as_terms = pre.terms(node)
            if len(as_terms) == 1:
                node_terms = {as_terms[0]} & vocab
        if not node_terms:
            hint = pre.terms(node.replace("_", " "))
            extra = f" (the preprocessor turns it into {hint})" if hint and hint != [node] else ""
            raise ArgumentError(f"node={node!r} does not occur in the corpus{extra}")

    frames = []
    for g in dict.fromkeys(groups):
        streams = [[t for t, _, _ in toks] for toks in sents.loc[groups == g, "tokens"]]
        uni = Counter(t for s in streams for t in s)
        total = float(sum(uni.values()))
        if total == 0:
            continue
        if node_terms is not None:
            pairs: Counter[tuple[str, str]] = Counter()
            slots: Counter[str] = Counter()
            for s in streams:
                for i, t in enumerate(s):
                    if t not in node_terms:
                        continue
                    lo, hi = max(0, i - window), min(len(s), i + window + 1)
                    slots[t] += (hi - lo) - 1
                    for j in range(lo, hi):
                        if j != i:
                            pairs[(t, s[j])] += 1
            keys = [k for k, v in pairs.items() if v >= min_count]
            if not keys:
                continue
            n = np.array([pairs[k] for k in keys], dtype=float)
            f1 = np.array([uni[a] for a, _ in keys], dtype=float)
            f2 = np.array([uni[b] for _, b in keys], dtype=float)
            w = np.array([slots[a] for a, _ in keys], dtype=float)
            m = _measures(n, w, f2, total)
            position = f"±{window}"
            log_dice = 14 + np.log2(2 * n / (f1 + f2))
            nodes, colls = [a for a, _ in keys], [b for _, b in keys]
        elif size == 2:
            pairs = Counter((s[i], s[i + 1]) for s in streams for i in range(len(s) - 1))
            keys = [k for k, v in pairs.items() if v >= min_count]
            if not keys:
                continue
            n = np.array([pairs[k] for k in keys], dtype=float)
            f1 = np.array([uni[a] for a, _ in keys], dtype=float)
            f2 = np.array([uni[b] for _, b in keys], dtype=float)
            m = _measures(n, f1, f2, total)
            position = "+1"
            log_dice = 14 + np.log2(2 * n / (f1 + f2))
            nodes, colls = [a for a, _ in keys], [b for _, b in keys]
        else:
            triples = Counter((s[i], s[i + 1], s[i + 2]) for s in streams for i in range(len(s) - 2))
            keys3 = [k for k, v in triples.items() if v >= min_count]
            if not keys3:
                continue
            n = np.array([triples[k] for k in keys3], dtype=float)
            f = np.array([[uni[w_] for w_ in k] for k in keys3], dtype=float)
            expected = f.prod(axis=1) / total**2
            m = {
                "expected": expected, "pmi": np.log2(n / expected), "npmi": np.full(len(n), np.nan),
                "g2": np.full(len(n), np.nan), "t_score": (n - expected) / np.sqrt(n),
            }
            bigrams = Counter((s[i], s[i + 1]) for s in streams for i in range(len(s) - 1))
            f1 = f[:, 0]
            f2 = np.array([bigrams[(k[1], k[2])] for k in keys3], dtype=float)
            position = "+1+2"
            log_dice = 14 + np.log2(3 * n / f.sum(axis=1))
            nodes, colls = [k[0] for k in keys3], [f"{k[1]} {k[2]}" for k in keys3]
        frame = pd.DataFrame({
            "group": g, "node": nodes, "collocate": colls, "position": position, "n": n.astype(np.int64),
            "f_node": f1.astype(np.int64), "f_collocate": f2.astype(np.int64), **m, "log_dice": log_dice,
        })
        frame["preprocessor"] = pre.id
        frames.append(frame.sort_values([sort, "node", "collocate"], ascending=[False, True, True], kind="stable"))
    if not frames:
        return pd.DataFrame(columns=COLLOCATION_COLUMNS)
    return pd.concat(frames, ignore_index=True)[COLLOCATION_COLUMNS]

