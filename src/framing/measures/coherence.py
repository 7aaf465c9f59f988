"""Topic coherence (Röder, Both & Hinneburg 2015) as gensim's ``CoherenceModel`` computes it, vectorised.

Three measures, each per topic from its ``topn`` words:

* ``u_mass`` (Mimno et al. 2011): units as documents; for each word and each
  word ranked above it, ``log((D(w', w*) / N + ε) / (D(w*) / N))``, averaged;
* ``c_npmi``: windows of 10 words; the normalised PMI of every ordered pair
  of distinct words, ``log((D(w', w*) / N + ε) / (D(w') / N · D(w*) / N)) /
  −log(D(w', w*) / N + ε)``, averaged;
* ``c_v``: windows of 110 words; for each word, the cosine between its
  vector of NPMI with every topic word and the sum of those vectors over the
  topic's words, averaged.

``D`` counts the windows (or units) holding the words, ``N`` the windows
(units), ``ε = 1e-12``. A unit shorter than the window is one window; a
longer one has ``length − size + 1``. Counting follows gensim 4's
``WordOccurrenceAccumulator`` exactly, including how it slides: moving to
the next window it marks the word that left as absent before marking the
word that entered as present, so a word that leaves the window while
another of its occurrences stays inside is not counted in that window.
The counts then agree with gensim's, and the measures to the last bits of
floating-point summation order (checked in the tests). gensim builds a
Python counter of word pairs window by window; here each unit's windows are
a boolean matrix and the counts one matrix product, which is what makes a
search over many k and seeds affordable.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import scipy.sparse as sp

__all__ = ["WINDOW", "EPSILON", "coherence_counts", "document_counts", "topic_coherence"]

#: Window sizes of the sliding-window measures, gensim's defaults.
WINDOW = {"c_v": 110, "c_npmi": 10}
#: gensim's ``direct_confirmation_measure.EPSILON``.
EPSILON = 1e-12

Measure = Literal["c_v", "c_npmi", "u_mass"]


def _windows_present(codes: np.ndarray, n_words: int, size: int) -> np.ndarray:
    """Boolean (windows × words): which words gensim counts in each window of one unit (``codes`` in 0..n_words,
    ``n_words`` standing for a word outside the topics)."""
    length = len(codes)
    onehot = np.zeros((length, n_words + 1), dtype=bool)
    onehot[np.arange(length), codes] = True
    onehot = onehot[:, :n_words]
    if length <= size:  # one window (a unit of exactly `size` words is one window as well)
        return onehot.any(axis=0, keepdims=True)
    n = length - size + 1
    # events in time order: window 0 marks its words present at time 0; moving to window j >= 1 marks the word
    # that left (position j - 1) absent at time 2j - 1, then the word that entered (position j + size - 1) present
    # at time 2j. A word counts in window j when its last "present" event is later than its last "absent" one.
    steps = np.arange(n)
    present_t = np.where(onehot[size - 1:], (2 * steps)[:, None], -3)
    present_t[0] = np.where(onehot[:size].any(axis=0), 0, -3)
    absent_t = np.full((n, n_words), -2)
    absent_t[1:] = np.where(onehot[:n - 1], (2 * steps[1:] - 1)[:, None], -2)
    return np.maximum.accumulate(present_t, axis=0) > np.maximum.accumulate(absent_t, axis=0)


def coherence_counts(units: Sequence[np.ndarray], n_words: int, size: int) -> tuple[np.ndarray, float]:
    """Co-occurrence counts over sliding windows of ``size`` words: ``(counts, windows)``.

    ``units`` are arrays of word codes (``0..n_words - 1``, and ``n_words``
    for any other word); ``counts[a, b]`` is the number of windows holding
    both ``a`` and ``b``, ``counts[a, a]`` those holding ``a``; ``windows``
    is ``N``, every window of every unit (an empty unit is one empty window).
    """
    counts = np.zeros((n_words, n_words), dtype=np.int64)
    windows = 0
    for codes in units:
        length = len(codes)
        windows += 1 if length <= size else length - size + 1
        if length == 0:
            continue
        present = _windows_present(np.asarray(codes, dtype=np.int64), n_words, size).astype(np.int64)
        counts += present.T @ present
    return counts, float(windows)


def document_counts(matrix: sp.csr_matrix, columns: np.ndarray) -> tuple[np.ndarray, float]:
    """Units holding each pair of the ``columns`` of a unit × term matrix: ``(counts, units)``."""
    present = (sp.csr_matrix(matrix)[:, columns] > 0).astype(np.int64)
    return np.asarray((present.T @ present).todense()), float(matrix.shape[0])


def _npmi(counts: np.ndarray, n: float, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """gensim's normalised log ratio of word pairs ``(a[i], b[i])``, in its order of operations."""
    co = counts[a, b] / n + EPSILON
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.log(co / ((counts[a, a] / n) * (counts[b, b] / n)))
        return ratio / -np.log(co)


def topic_coherence(measure: Measure, topics: Sequence[Sequence[int]], counts: np.ndarray, n: float) -> np.ndarray:
    """Per-topic coherence from the counts of :func:`coherence_counts` (``c_v``, ``c_npmi``) or
    :func:`document_counts` (``u_mass``); ``topics`` hold row indices of ``counts``, best word first."""
    out = np.empty(len(topics))
    for t, words in enumerate(topics):
        w = np.asarray(words, dtype=np.int64)
        k = len(w)
        if measure == "u_mass":  # each word against every word ranked above it (gensim's s_one_pre)
            prime, star = (np.array(x, dtype=np.int64) for x in zip(*[(w[i], w[j]) for i in range(1, k) for j in range(i)]))
            with np.errstate(divide="ignore", invalid="ignore"):
                sims = np.log((counts[prime, star] / n + EPSILON) / (counts[star, star] / n))
            sims = np.where(counts[star, star] > 0, sims, 0.0)  # gensim: 0 where w* never occurs
        elif measure == "c_npmi":  # every ordered pair of distinct words (s_one_one)
            i, j = np.nonzero(~np.eye(k, dtype=bool))
            sims = _npmi(counts, n, w[i], w[j])
        else:  # c_v: each word's NPMI vector against the topic's summed vector (s_one_set, indirect cosine, γ = 1)
            lo, hi = np.minimum.outer(w, w), np.maximum.outer(w, w)
            m = _npmi(counts, n, lo.ravel(), hi.ravel()).reshape(k, k)
            total = m.sum(axis=0)
            with np.errstate(divide="ignore", invalid="ignore"):
                sims = (m @ total) / (np.sqrt((m ** 2).sum(axis=1)) * np.sqrt((total ** 2).sum()))
        out[t] = np.mean(sims)
    return out
