"""Candidate indicators from coded data, for the analyst to accept or reject.

Coded paragraphs show words a codebook did not anticipate. For one frame,
:func:`suggest_indicators` ranks the terms of the coded positive paragraphs
against the coded negatives (Dunning's G² over paragraph counts, with the
log ratio for direction) and, optionally, the neighbours of the frame's own
indicators in word vectors trained on the corpus (gensim Word2Vec, one
worker, seeded). For each candidate it says what accepting it would do on the
coded units: the positive paragraphs it would add that the codebook misses,
the negative ones it would wrongly add, and its precision there. Nothing is
added to a codebook by this function: the analyst reads the table and the
paragraphs, and edits the YAML (King, Lam & Roberts 2017 on keyword
discovery as computer-assisted, not automatic).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from framing.base.errors import ArgumentError
from framing.corpus.model import Corpus
from framing.measures.frames.classifier import check_coded, unit_frame_table
from framing.measures.frames.codebook import Codebook, load_codebook
from framing.measures.frames.matcher import terms_of
from framing.measures.frames.matching import detect_frames
from framing.measures.keywords.keyness import g2_2x2
from framing.text.preprocess import english_base_stopwords
from framing.text.tokens import tokens

__all__ = ["suggest_indicators", "SUGGESTION_COLUMNS"]

SUGGESTION_COLUMNS = [
    "term", "source", "score", "g2", "log_ratio", "positive_units", "negative_units", "precision",
    "adds_true", "adds_false", "already_indicator", "example",
]


def suggest_indicators(
    corpus: Corpus,
    coded: pd.DataFrame,
    frame: str,
    codebook: Codebook | str = "default",
    *,
    n: int = 20,
    min_units: int = 2,
    vectors: bool = False,
    random_state: int = 0,
) -> pd.DataFrame:
    """Terms that the coded positives of ``frame`` use and its indicators miss.

    Parameters
    ----------
    corpus : Corpus
    coded : DataFrame
        ``unit_id`` (paragraphs) and a 0/1 column named ``frame``; use the
        units the codebook is developed on, not those it is scored on.
    frame : str
    codebook : Codebook or str, default='default'
    n : int, default=20
        Candidates from keyness (and as many from vectors).
    min_units : int, default=2
        A candidate occurs in at least this many coded positive paragraphs.
    vectors : bool, default=False
        Also propose the nearest neighbours of the frame's indicator terms in
        Word2Vec vectors trained on the corpus (small corpora give noisy
        neighbours; read them as prompts).
    random_state : int, default=0

    Returns
    -------
    pandas.DataFrame
        :data:`SUGGESTION_COLUMNS`: ``source`` is ``keyness`` or
        ``neighbour``; ``positive_units``/``negative_units`` the coded
        paragraphs holding the term; ``precision`` their ratio;
        ``adds_true``/``adds_false`` the coded positives/negatives it would
        add that the codebook does not already flag; ``example`` one coded
        positive sentence-sized snippet with the term.
    """
    if not isinstance(codebook, Codebook):
        codebook = load_codebook(codebook)
    if frame not in codebook.frame_ids:
        raise ArgumentError(f"frame {frame!r} is not in the codebook; frames are {', '.join(codebook.frame_ids)}")
    if not isinstance(n, int) or n < 1:
        raise ArgumentError(f"n={n!r} must be a positive integer")
    units = corpus.units("paragraph")
    ids = units["unit_id"].astype(str).tolist()
    table, _ = check_coded(coded, ids, [frame], min_positives=1)
    known = table[table[frame].notna()]
    truth = dict(zip(known["unit_id"], known[frame].astype(int)))
    pre = codebook.preprocessor
    toks = tokens(corpus, pre)
    result = detect_frames(toks, codebook)
    flagged = unit_frame_table(result)[frame].reindex(ids, fill_value=0).to_numpy() > 0
    terms = [[t for t, _, _ in spans] for _, _, spans in toks.paragraphs()]
    texts = units["text"].astype(str).tolist()
    own = {" ".join(terms_of(ind, pre)) for ind in codebook[frame].indicators if ind.kind in ("term", "phrase")}
    function_words = english_base_stopwords()  # function words are not indicators

    pos_rows = [i for i, u in enumerate(ids) if truth.get(u) == 1]
    neg_rows = [i for i, u in enumerate(ids) if truth.get(u) == 0]
    vocab: dict[str, list[int]] = {}
    for i in pos_rows + neg_rows:
        for t in set(terms[i]):
            vocab.setdefault(t, []).append(i)
    pos_set = set(pos_rows)
    cand = [t for t, rows in vocab.items() if sum(r in pos_set for r in rows) >= min_units
            and t not in function_words and not t.isdigit()]
    a = np.array([sum(r in pos_set for r in vocab[t]) for t in cand], dtype=float)
    b = np.array([len(vocab[t]) - a[k] for k, t in enumerate(cand)], dtype=float)
    na, nb = float(len(pos_rows)), float(len(neg_rows))
    g2 = g2_2x2(a, b, na, nb) if cand else np.zeros(0)
    log_ratio = np.log2(((a + 0.5) / (na + 0.5)) / ((b + 0.5) / (nb + 0.5))) if cand else np.zeros(0)
    order = [k for k in np.lexsort((np.array(cand, dtype=object), -g2)) if log_ratio[k] > 0][:n]
    picked: list[tuple[str, str, float]] = [(cand[k], "keyness", float(g2[k])) for k in order]
    if vectors:
        picked += _neighbours(toks, own, {t for t, _, _ in picked}, n, random_state)
    rows = []
    for term, source, score in picked:
        rows_with = vocab.get(term, [])
        p = [r for r in rows_with if r in pos_set]
        q = [r for r in rows_with if r not in pos_set]
        example = ""
        if p:
            text = texts[p[0]]
            at = text.lower().find(term.replace("_", " ").split()[0])
            example = " ".join(text[max(0, at - 80): at + 80].split()) if at >= 0 else " ".join(text[:160].split())
        k = cand.index(term) if term in cand else None
        rows.append({
            "term": term, "source": source, "score": score,
            "g2": float(g2[k]) if k is not None else np.nan,
            "log_ratio": float(log_ratio[k]) if k is not None else np.nan,
            "positive_units": len(p), "negative_units": len(q),
            "precision": len(p) / len(rows_with) if rows_with else np.nan,
            "adds_true": sum(1 for r in p if not flagged[r]), "adds_false": sum(1 for r in q if not flagged[r]),
            "already_indicator": term in own, "example": example,
        })
    return pd.DataFrame(rows, columns=SUGGESTION_COLUMNS)


def _neighbours(toks: Any, seeds: set[str], taken: set[str], n: int, random_state: int) -> list[tuple[str, str, float]]:
    from gensim.models import Word2Vec

    sentences = [[t for t, _, _ in s] for s in toks.sentences() if s]
    model = Word2Vec(sentences, vector_size=50, window=5, min_count=2, workers=1, seed=random_state, epochs=50)
    present = [s for s in sorted(seeds) if " " not in s and s in model.wv.key_to_index]
    if not present:
        return []
    out = []
    for term, sim in model.wv.most_similar(positive=present, topn=n + len(taken) + len(seeds)):
        if term in taken or term in seeds:
            continue
        out.append((term, "neighbour", float(sim)))
        if len(out) == n:
            break
    return out
