"""Topic models over paragraphs: LDA (gensim) and NMF (scikit-learn).

:class:`TopicModel` has scikit-learn manners: parameters are stored by
``__init__`` and checked by :meth:`TopicModel.fit`; what is learned ends in
``_``. The same matrix and ``random_state`` give the same topics in a fresh
process (gensim's ``LdaModel`` is used, not ``LdaMulticore``, which does not
repeat). Everything the model says comes out as tidy tables.
"""

from __future__ import annotations

import logging
import sys
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from itertools import combinations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from threadpoolctl import threadpool_limits  # installed with scikit-learn
from tqdm.auto import tqdm

from framing.base.datafile import read_text, read_yaml
from framing.base.deprecation import warn_once
from framing.base.errors import ArgumentError, check_option
from framing.base.gcpause import without_gc
from framing.base.ids import paragraph_id
from framing.base.grouping import group_labels
from framing.base.resample import dominance, percentile_interval, two_stage_weights
from framing.measures import coherence as coherence_kernels
from framing.measures.frames.matching import FrameResult
from framing.text.dtm import DocumentTermMatrix
from framing.text.tokens import Tokens

if TYPE_CHECKING:  # pragma: no cover
    from framing.corpus.model import Corpus

__all__ = [
    "TopicModel",
    "search_k",
    "topic_stability",
    "topic_prevalence",
    "topic_prevalence_differences",
    "document_prevalence",
    "PREVALENCE_COLUMNS",
    "topic_frames",
    "frex",
    "align_topics",
]

log = logging.getLogger(__name__)
Method = Literal["lda", "nmf"]


def frex(beta: np.ndarray, weight: float = 0.5) -> np.ndarray:
    """FREX scores (Roberts, Stewart & Airoldi 2016; R's stm).

    ``FREX_kv = 1 / (w / ECDF_k(excl_kv) + (1 − w) / ECDF_k(beta_kv))`` with
    exclusivity ``excl_kv = beta_kv / Σ_j beta_jv`` and each ECDF taken over
    the terms of topic ``k``: the harmonic mean of a term's rank in
    exclusivity and in frequency.
    """
    beta = np.asarray(beta, dtype=float)
    excl = beta / np.maximum(beta.sum(0, keepdims=True), 1e-300)

    def ecdf(x: np.ndarray) -> np.ndarray:
        ranks = np.argsort(np.argsort(x, axis=1, kind="stable"), axis=1, kind="stable") + 1
        return ranks / x.shape[1]

    return 1.0 / (weight / ecdf(excl) + (1 - weight) / ecdf(beta))


def align_topics(reference: np.ndarray, other: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Match the topics of ``other`` to those of ``reference`` (Hungarian method).

    Topics are compared by the cosine similarity of their term distributions
    (rows, same vocabulary); :func:`scipy.optimize.linear_sum_assignment`
    finds the one-to-one matching with the highest total similarity.

    Returns
    -------
    (order, similarity)
        ``other[order[k]]`` is matched to ``reference[k]``, with cosine
        ``similarity[k]``.
    """
    a = reference / np.linalg.norm(reference, axis=1, keepdims=True)
    b = other / np.linalg.norm(other, axis=1, keepdims=True)
    sim = a @ b.T
    from scipy.optimize import linear_sum_assignment  # where used, like scipy.stats

    rows, cols = linear_sum_assignment(-sim)
    order = np.empty(len(rows), dtype=int)
    order[rows] = cols
    return order, sim[np.arange(len(rows)), order]


class TopicModel:
    """LDA or NMF topics of a paragraph-level document-term matrix.

    Parameters
    ----------
    method : {'lda', 'nmf'}, default='lda'
        ``'lda'``: gensim ``LdaModel`` on counts (variational Bayes, priors
        ``alpha`` and ``eta`` learned from the data); ``'nmf'``:
        scikit-learn ``NMF`` on tf-idf weights (``init='nndsvda'``).
    n_topics : int, default=10
    random_state : int, default=0
    passes : int, default=20
        LDA passes over the corpus.
    iterations : int, default=400
        LDA inference iterations per document.
    max_iter : int, default=1000
        NMF iterations.
    init : {'nndsvda', 'random'}, default='nndsvda'
        NMF initialisation. ``'nndsvda'`` (SVD-based) is deterministic, so
        NMF topics do not vary with ``random_state``; use ``'random'`` to
        study their stability across seeds.

    Attributes
    ----------
    topic_term_ : numpy.ndarray, shape (n_topics, n_terms)
        Each topic's distribution over terms (rows sum to 1).
    unit_topic_ : numpy.ndarray, shape (n_units, n_topics)
        Each unit's topic shares (rows sum to 1).
    terms_ : numpy.ndarray
    units_ : pandas.DataFrame
        The units modelled (those with at least one token), with metadata.
    labels_ : list of str
        Automatic labels from the top FREX terms, or the researcher's own.
    perplexity_ : float
        LDA: ``2 ** -bound`` per word on the training units (gensim's
        variational bound, as ``log_perplexity`` takes it), computed on first
        use; NaN for NMF.
    reconstruction_error_ : float
        NMF: Frobenius norm of ``X − WH``; NaN for LDA.
    preprocessor_ : str
    """

    def __init__(
        self,
        method: Method = "lda",
        n_topics: int = 10,
        *,
        random_state: int = 0,
        passes: int = 20,
        iterations: int = 400,
        max_iter: int = 1000,
        init: Literal["nndsvda", "random"] = "nndsvda",
    ) -> None:
        self.method = method
        self.n_topics = n_topics
        self.random_state = random_state
        self.passes = passes
        self.iterations = iterations
        self.max_iter = max_iter
        self.init = init

    def __repr__(self) -> str:
        fitted = " fitted" if hasattr(self, "topic_term_") else ""
        return f"TopicModel(method={self.method!r}, n_topics={self.n_topics}, random_state={self.random_state}){fitted}"

    def _check_params(self) -> None:
        check_option("method", self.method, ("lda", "nmf"))
        check_option("init", self.init, ("nndsvda", "random"))
        if not isinstance(self.n_topics, (int, np.integer)) or self.n_topics < 2:
            raise ArgumentError(f"n_topics={self.n_topics!r} must be an integer of at least 2")
        if not isinstance(self.random_state, (int, np.integer)):
            raise ArgumentError(f"random_state={self.random_state!r} must be an integer: topics must repeat")
        if not 0 <= self.random_state < 2**32:
            raise ArgumentError(f"random_state={self.random_state!r} must lie in 0 .. 2**32 - 1")
        for name in ("passes", "iterations", "max_iter"):
            v = getattr(self, name)
            if not isinstance(v, (int, np.integer)) or v < 1:
                raise ArgumentError(f"{name}={v!r} must be a positive integer")

    # -- fitting ------------------------------------------------------------------------
    @without_gc  # a bag of words per unit, then the model's own objects: nothing to collect until it is fitted
    def fit(self, dtm: DocumentTermMatrix) -> TopicModel:
        """Fit the model to a document-term matrix of counts.

        Units without tokens are left out (and listed in ``units_``' absence).

        Raises
        ------
        ArgumentError
            For invalid parameters, a weighted matrix, or fewer units or terms
            than topics.
        """
        self._check_params()
        if not isinstance(dtm, DocumentTermMatrix):
            raise ArgumentError(f"fit expects a DocumentTermMatrix, got {type(dtm).__name__}")
        if dtm.weighting != "count":
            raise ArgumentError("fit needs a matrix of counts (NMF applies tf-idf itself)")
        keep = np.asarray(dtm.matrix.sum(axis=1)).ravel() > 0
        matrix = dtm.matrix[keep]
        if matrix.shape[0] < self.n_topics or matrix.shape[1] < self.n_topics:
            raise ArgumentError(
                f"{matrix.shape[0]} units and {matrix.shape[1]} terms cannot hold {self.n_topics} topics"
            )
        self.terms_ = np.asarray(dtm.terms, dtype=object)
        self.units_ = dtm.units[keep].reset_index(drop=True)
        self.preprocessor_ = dtm.preprocessor
        self.group_by_ = dtm.group_by
        self.corpus_hash_ = dtm.corpus_hash
        self.matrix_ = sp.csr_matrix(matrix)
        self._coherence_cache = None  # texts of an earlier fit are not this one's
        if self.method == "lda":
            self._fit_lda()
        else:
            self._fit_nmf()
        self.labels_ = self.auto_labels()
        return self

    def _fit_lda(self) -> None:
        """Fit gensim's ``LdaModel`` in float64 with BLAS and OpenMP held to one thread.

        The model is :class:`~framing.measures.batch_lda.BatchLdaModel`: gensim's
        own, with its per-document E-step run for blocks of documents at once
        (the same updates; topics equal gensim's loop to about 1e-15, checked
        in ``tests/test_batch_lda.py``), 3-4 times faster.

        One thread fixes the order in which BLAS sums, which a multi-threaded
        BLAS sets by the number of cores; float64 (gensim's default is
        float32) makes each rounding error some 5e8 times smaller. The same
        matrix and ``random_state`` give identical numbers run after run, and
        on machines with the same builds of numpy, scipy, OpenBLAS and gensim
        and the same CPU family. Identity across CPUs is not promised:
        OpenBLAS picks its kernels for the CPU it runs on (``OPENBLAS_CORETYPE``
        pins one), numpy picks SIMD loops for ``exp``, ``log`` and sums
        (``NPY_DISABLE_CPU_FEATURES`` turns some off), and other builds of
        libm or gensim's compiled helpers round differently in the last bit;
        variational EM can carry such a bit into the topics, and a changed
        top-10 term list into coherence. Compare results across machines with
        a tolerance (``framing figures --check``), not byte for byte.
        """
        from framing.measures.batch_lda import BatchLdaModel

        dictionary, bow = self._gensim_corpus()
        with warnings.catch_warnings(), threadpool_limits(limits=1):
            warnings.simplefilter("ignore", category=DeprecationWarning)
            model = BatchLdaModel(
                corpus=bow, id2word=dictionary, num_topics=int(self.n_topics), random_state=int(self.random_state),
                passes=int(self.passes), iterations=int(self.iterations), alpha="auto", eta="auto",
                chunksize=max(len(bow), 1), update_every=1, eval_every=None, dtype=np.float64, csr=self.matrix_,
            )
            gamma, _ = model.inference(bow)
        self.model_ = model
        self.dictionary_ = dictionary
        self.topic_term_ = np.asarray(model.get_topics(), dtype=float)
        self.unit_topic_ = gamma / gamma.sum(1, keepdims=True)
        self._gamma = gamma
        self._perplexity: float | None = None
        self.reconstruction_error_ = float("nan")

    def _gensim_corpus(self) -> tuple[Any, list[list[tuple[int, int]]]]:
        """The modelled units as gensim's dictionary and bag-of-words corpus."""
        sub = DocumentTermMatrix(self.matrix_, self.terms_, self.units_, unit="paragraph", preprocessor=self.preprocessor_,
                                 corpus_hash=self.corpus_hash_)
        return sub.to_gensim()

    @property
    def perplexity_(self) -> float:
        """LDA: ``2 ** -bound`` per word on the training units; NaN for NMF.

        ``bound`` is gensim's variational lower bound of the log-likelihood
        (``LdaModel.bound``, the quantity ``log_perplexity`` divides by the
        number of words), evaluated with the units' variational posteriors
        found at the end of the fit, the same ones ``unit_topic_`` normalises.
        Computed on first use, not in every fit: it needs no inference of its
        own, and a fit that never asks for it pays nothing.
        """
        self._check_fitted()
        if self.method != "lda":
            return float("nan")
        if self._perplexity is None:
            words = float(self.matrix_.sum())
            with warnings.catch_warnings(), threadpool_limits(limits=1):
                warnings.simplefilter("ignore", category=DeprecationWarning)
                # the counts the model was fitted on, no bag-of-words corpus built again
                bound = self.model_.bound(self.matrix_, gamma=self._gamma)
            self._perplexity = float(2 ** (-bound / words))
        return self._perplexity

    def _fit_nmf(self) -> None:
        from sklearn.decomposition import NMF
        from sklearn.feature_extraction.text import TfidfTransformer

        x = TfidfTransformer().fit_transform(self.matrix_)
        model = NMF(n_components=int(self.n_topics), init=self.init, random_state=int(self.random_state),
                    max_iter=int(self.max_iter))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ConvergenceWarning is reported through n_iter_
            w = model.fit_transform(x)
        h = model.components_
        self.model_ = model
        self.topic_term_ = h / np.maximum(h.sum(1, keepdims=True), 1e-300)
        totals = w.sum(1, keepdims=True)
        self.unit_topic_ = np.where(totals > 0, w / np.where(totals > 0, totals, 1), 1.0 / self.n_topics)
        self.reconstruction_error_ = float(model.reconstruction_err_)

    def _check_fitted(self) -> None:
        if not hasattr(self, "topic_term_"):
            raise ArgumentError("this TopicModel is not fitted yet: call .fit(dtm) first")

    # -- outputs -------------------------------------------------------------------------
    def term_scores(self, rank: Literal["prob", "frex", "relevance"] = "prob", lambda_: float = 0.6, *,
                    by: str | None = None) -> np.ndarray:
        """Topic × term scores used to rank terms (see :meth:`top_terms`)."""
        self._check_fitted()
        rank = _rank_arg(rank, by)
        check_option("rank", rank, ("prob", "frex", "relevance"))
        beta = self.topic_term_
        if rank == "prob":
            return beta
        if rank == "frex":
            return frex(beta)
        if not 0 <= lambda_ <= 1:
            raise ArgumentError(f"lambda_={lambda_!r} must lie in [0, 1]")
        p = np.asarray(self.matrix_.sum(0)).ravel().astype(float)
        p = p / p.sum()
        with np.errstate(divide="ignore"):
            return lambda_ * np.log(beta) + (1 - lambda_) * np.log(beta / p[None, :])

    def top_terms(self, n: int = 10, rank: Literal["prob", "frex", "relevance"] = "prob", lambda_: float = 0.6, *,
                  by: str | None = None) -> pd.DataFrame:
        """The top terms of every topic.

        Parameters
        ----------
        n : int, default=10
        rank : {'prob', 'frex', 'relevance'}, default='prob'
            ``'prob'``: the topic's term probability; ``'frex'``: FREX
            (frequent and exclusive, as in stm); ``'relevance'``: Sievert &
            Shirley's (2014) ``λ log φ_kw + (1 − λ) log(φ_kw / p_w)``.
        lambda_ : float, default=0.6
            λ of relevance.

        Returns
        -------
        pandas.DataFrame
            ``topic, label, rank, term, weight, prob`` (``weight`` is the
            ranking score; ``prob`` the term's probability in the topic).
        """
        scores = self.term_scores(_rank_arg(rank, by), lambda_)
        rows = []
        for k in range(scores.shape[0]):
            order = np.lexsort((self.terms_.astype(str), -scores[k]))[:n]
            for r, j in enumerate(order, 1):
                rows.append((k, self.labels_[k], r, self.terms_[j], float(scores[k, j]), float(self.topic_term_[k, j])))
        return pd.DataFrame(rows, columns=["topic", "label", "rank", "term", "weight", "prob"])

    def auto_labels(self, n: int = 3) -> list[str]:
        """Labels from each topic's top FREX terms: ``"t3: bridge · gateway · connect"``."""
        scores = frex(self.topic_term_)
        out = []
        for k in range(scores.shape[0]):
            order = np.lexsort((self.terms_.astype(str), -scores[k]))[:n]
            out.append(f"t{k}: " + " · ".join(str(self.terms_[j]) for j in order))
        return out

    def set_labels(self, labels: Mapping[int, str] | Sequence[str] | str | Path) -> TopicModel:
        """Replace labels by the researcher's own: a dict ``{topic: label}``, a
        list, or a YAML file mapping topic numbers to labels. Returns self."""
        self._check_fitted()
        if isinstance(labels, (str, Path)):
            text = read_text(labels, error=ArgumentError, missing="label file not found")
            data, _ = read_yaml(text, error=ArgumentError, label=str(labels))
            labels = data if isinstance(data, (dict, list)) else {}
        if isinstance(labels, Mapping):
            new = list(self.labels_)
            for k, v in labels.items():
                if not isinstance(k, (int, np.integer)) or not 0 <= int(k) < self.n_topics:
                    raise ArgumentError(f"label key {k!r} is not a topic number 0-{self.n_topics - 1}")
                new[int(k)] = str(v)
        else:
            new = [str(v) for v in labels]
            if len(new) != self.n_topics:
                raise ArgumentError(f"{len(new)} labels given for {self.n_topics} topics")
        self.labels_ = new
        return self

    def unit_topics(self) -> pd.DataFrame:
        """Long table of topic shares: ``unit_id, doc_id, topic, label, share`` and the units' metadata."""
        self._check_fitted()
        n, k = self.unit_topic_.shape
        out = pd.DataFrame({
            "unit_id": np.repeat(self.units_["unit_id"].to_numpy(), k),
            "doc_id": np.repeat(self.units_["doc_id"].to_numpy(), k),
            "topic": np.tile(np.arange(k), n),
            "label": np.tile(np.asarray(self.labels_, dtype=object), n),
            "share": self.unit_topic_.ravel(),
        })
        meta = self.units_.drop(columns=[c for c in ("doc_id",) if c in self.units_.columns])
        return out.merge(meta, on="unit_id", how="left")

    def representative_units(self, n: int = 3, corpus: Corpus | None = None) -> pd.DataFrame:
        """The units most typical of each topic (highest share).

        Returns
        -------
        pandas.DataFrame
            ``topic, label, rank, unit_id, doc_id, share, start, end`` and,
            when ``corpus`` is given, ``text``.
        """
        self._check_fitted()
        rows = []
        for k in range(self.n_topics):
            order = np.lexsort((np.arange(len(self.units_)), -self.unit_topic_[:, k]))[:n]
            for r, i in enumerate(order, 1):
                u = self.units_.iloc[i]
                rows.append((k, self.labels_[k], r, u["unit_id"], u["doc_id"], float(self.unit_topic_[i, k]),
                             int(u["start"]), int(u["end"])))
        out = pd.DataFrame(rows, columns=["topic", "label", "rank", "unit_id", "doc_id", "share", "start", "end"])
        if corpus is not None:
            out["text"] = [corpus[d].text[a:b] for d, a, b in zip(out["doc_id"], out["start"], out["end"])]
        return out

    def token_lists(self) -> list[list[str]]:
        """Each modelled unit as a list of its terms (counts expanded), for coherence."""
        self._check_fitted()
        m = self.matrix_
        out = []
        for i in range(m.shape[0]):
            lo, hi = m.indptr[i], m.indptr[i + 1]
            out.append([str(self.terms_[j]) for j, c in zip(m.indices[lo:hi], m.data[lo:hi]) for _ in range(int(c))])
        return out

    def token_sequences(self, tokens: Tokens) -> list[list[str]]:
        """Each modelled unit's terms in the order of its text, from the token stream the matrix was made from.

        Only the model's terms are kept (a term trimmed from the matrix is
        left out, as are stopwords the preprocessor dropped), so each list
        holds the same terms as :meth:`token_lists`, in reading order.

        Raises
        ------
        ArgumentError
            When ``tokens`` was made with another preprocessor or from another
            corpus, or lacks a modelled unit.
        """
        self._check_fitted()
        if not isinstance(tokens, Tokens):
            raise ArgumentError(f"texts must be the Tokens the matrix was made from, got {type(tokens).__name__}")
        if tokens.preprocessor != self.preprocessor_ or tokens.corpus_hash != self.corpus_hash_:
            raise ArgumentError(
                f"texts were made with {tokens.preprocessor} from corpus {tokens.corpus_hash[:10]}; the model's matrix "
                f"with {self.preprocessor_} from corpus {str(self.corpus_hash_)[:10]}: pass the same Tokens")
        vocabulary = set(map(str, self.terms_))
        by_unit = {paragraph_id(d, p): [t for t, _, _ in spans if t in vocabulary] for d, p, spans in tokens.paragraphs()}
        units = self.units_["unit_id"].astype(str)
        missing = [u for u in units if u not in by_unit]
        if missing:
            raise ArgumentError(f"texts lack {len(missing)} modelled unit(s), e.g. {missing[0]!r}: pass the same Tokens "
                                "(coherence from token order needs a paragraph-level matrix)")
        return [by_unit[u] for u in units]

    def _coherence_inputs(self, tokens: Tokens | None = None) -> list[np.ndarray]:
        """The coherence texts as arrays of term indices, built once per model (or per matrix: :func:`search_k`
        hands them to every model it fits on the same units)."""
        cached = getattr(self, "_coherence_cache", None)
        key = None if tokens is None else (tokens.preprocessor, tokens.corpus_hash)
        if cached is None or cached[0] != key:
            if tokens is None:  # token_lists as term indices: each unit's columns, repeated by their counts
                m = self.matrix_
                codes = [np.repeat(m.indices[lo:hi], m.data[lo:hi].astype(np.int64)).astype(np.int64)
                         for lo, hi in zip(m.indptr[:-1], m.indptr[1:])]
            else:
                index = {str(t): i for i, t in enumerate(self.terms_)}
                codes = [np.fromiter((index[w] for w in text), dtype=np.int64, count=len(text))
                         for text in self.token_sequences(tokens)]
            cached = self._coherence_cache = (key, codes)
        return cached[1]

    def coherence(self, measure: Literal["c_v", "c_npmi", "u_mass"] = "c_v", topn: int = 10, *,
                  texts: Tokens | None = None) -> np.ndarray:
        """Per-topic coherence as gensim's ``CoherenceModel`` computes it (:mod:`framing.measures.coherence`).

        Parameters
        ----------
        measure : {'c_v', 'c_npmi', 'u_mass'}, default='c_v'
            ``c_v`` and ``c_npmi`` count co-occurrences in sliding windows of
            110 and 10 words (Röder et al. 2015); ``u_mass`` in whole units.
        topn : int, default=10
        texts : Tokens, optional
            The token stream the matrix was made from. The windows then slide
            over each unit's terms in the order of its text
            (:meth:`token_sequences`). Without it a unit is its terms expanded
            from the matrix's counts (:meth:`token_lists`, in term order),
            which is exact for ``u_mass`` and for units shorter than the
            window, but puts into one window terms that are only
            alphabetically close: pass ``texts`` for ``c_npmi`` and for long
            units.
        """
        self._check_fitted()
        check_option("measure", measure, ("c_v", "c_npmi", "u_mass"))
        if texts is None:
            _warn_if_order_matters(self.matrix_, [measure])
        tops = self._top_indices(topn)
        words = np.unique(tops)  # the topics' words, as columns
        if measure == "u_mass":
            counts, n = coherence_kernels.document_counts(self.matrix_, words)
        else:
            counts, n = _window_counts(self._coherence_inputs(texts), len(self.terms_), words, measure)
        return _coherence_of(measure, tops, words, counts, n)

    def _top_indices(self, topn: int) -> np.ndarray:
        """Term indices of every topic's ``topn`` top terms by probability, best first (topics × topn)."""
        index = {str(t): i for i, t in enumerate(self.terms_)}
        top = self.top_terms(n=topn)["term"].astype(str).to_numpy().reshape(self.n_topics, -1)
        return np.array([[index[t] for t in row] for row in top], dtype=np.int64).reshape(self.n_topics, -1)

    def exclusivity(self, topn: int = 10) -> float:
        """Mean over topics of the summed FREX exclusivity of each topic's top terms (stm's exclusivity)."""
        self._check_fitted()
        beta = self.topic_term_
        excl = beta / beta.sum(0, keepdims=True)
        total = 0.0
        for k in range(beta.shape[0]):
            top = np.argsort(-beta[k], kind="stable")[:topn]
            total += excl[k, top].sum()
        return float(total / beta.shape[0])


def _window_counts(units: Sequence[np.ndarray], n_terms: int, words: np.ndarray, measure: str) -> tuple[np.ndarray, float]:
    """Sliding-window co-occurrence counts of the (sorted) term indices ``words`` over the coherence texts."""
    code = np.full(n_terms, len(words), dtype=np.int64)  # any other term: outside the topics
    code[words] = np.arange(len(words))
    return coherence_kernels.coherence_counts([code[u] for u in units], len(words), coherence_kernels.WINDOW[measure])


def _coherence_of(measure: str, tops: np.ndarray, words: np.ndarray, counts: np.ndarray, n: float) -> np.ndarray:
    """Per-topic coherence from counts over ``words`` (sorted term indices holding every index of ``tops``).

    A pair's count is the number of windows (or units) holding both terms, whatever other words were
    counted beside them: counts over more words give the same coherence."""
    topics = np.searchsorted(words, tops)  # each top term's row of `counts`
    return coherence_kernels.topic_coherence(measure, topics, counts, n)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- choosing k


def _warn_if_order_matters(matrix: sp.spmatrix, measures: Sequence[str]) -> None:
    """Warn (for the caller's caller) when a window measure, read without ``texts``, meets a unit longer than its
    window: there the order of the unit's terms, term order instead of text order, changes the counts."""
    lengths = np.asarray(matrix.sum(axis=1)).ravel()
    late = [m for m in measures if m in coherence_kernels.WINDOW and (lengths > coherence_kernels.WINDOW[m]).any()]
    if late:
        warnings.warn(f"coherence {' and '.join(late)} read each unit's terms in the order of their terms, not of the "
                      "text, and some units are longer than the measure's window: pass texts= (the Tokens the matrix "
                      "was made from) for windows over the text", UserWarning, stacklevel=3)


def _progress(iterable: Iterable[Any], total: int, desc: str, show: bool) -> Iterable[Any]:
    if not show:
        return iterable
    return tqdm(iterable, total=total, desc=desc, file=sys.stderr)


def search_k(
    dtm: DocumentTermMatrix,
    ks: Iterable[int] = range(3, 16),
    seeds: Sequence[int] = (1, 2, 3),
    method: Method = "lda",
    *,
    topn: int = 10,
    progress: bool = True,
    texts: Tokens | None = None,
    **model_params: Any,
) -> pd.DataFrame:
    """Diagnostics for every number of topics and seed.

    ``texts``: the token stream ``dtm`` was made from, so that coherence
    windows slide over the units' terms in reading order (see
    :meth:`TopicModel.coherence`).

    Returns
    -------
    pandas.DataFrame
        ``k, seed, method, c_v, c_npmi, u_mass, exclusivity, perplexity,
        reconstruction_error``: mean coherence over topics (gensim
        ``CoherenceModel`` on the tokens the model saw), stm-style
        exclusivity, and LDA perplexity or NMF reconstruction error. No
        single number picks k: prefer ranges where coherence and exclusivity
        are both high and stable over seeds, then read the topics.
    """
    ks = list(ks)
    if not ks or any(not isinstance(k, (int, np.integer)) or k < 2 for k in ks):
        raise ArgumentError(f"ks={ks!r} must be integers of at least 2")
    if not seeds:
        raise ArgumentError("seeds must name at least one random_state")
    rows = []
    jobs = [(k, s) for k in ks for s in seeds]
    if texts is None:
        _warn_if_order_matters(dtm.matrix, ["c_v", "c_npmi"])
    tops = []
    units: list[np.ndarray] = []
    n_terms = 0
    for k, s in _progress(jobs, len(jobs), f"search_k ({method})", progress):
        model = TopicModel(method, int(k), random_state=int(s), **model_params).fit(dtm)
        if not rows:  # every model is fitted on the same units: their coherence reads the same texts
            units, n_terms = model._coherence_inputs(texts), len(model.terms_)
        tops.append(model._top_indices(topn))
        row = {"k": int(k), "seed": int(s), "method": method, "c_v": np.nan, "c_npmi": np.nan,
               "u_mass": float(np.nanmean(model.coherence("u_mass", topn=topn, texts=texts)))}
        row["exclusivity"] = model.exclusivity(topn)
        row["perplexity"] = model.perplexity_
        row["reconstruction_error"] = model.reconstruction_error_
        rows.append(row)
    # the window measures: the texts read once for the top words of every model when that costs less than
    # reading them once per model (the counts are words × words per window: many distinct words cost more)
    words = np.unique(np.concatenate([t.ravel() for t in tops]))
    own = [np.unique(t) for t in tops]
    once = _count_once(len(words), [len(w) for w in own])
    for measure in ("c_v", "c_npmi"):
        shared = _window_counts(units, n_terms, words, measure) if once else None
        for row, top, mine in zip(rows, tops, own):
            if shared is None:
                cols, (counts, n) = mine, _window_counts(units, n_terms, mine, measure)
            else:
                cols, (counts, n) = words, shared
            row[measure] = float(np.nanmean(_coherence_of(measure, top, cols, counts, n)))
    return pd.DataFrame(rows)


def _count_once(n_words: int, per_model: Sequence[int]) -> bool:
    """Whether one pass over the coherence texts for all ``n_words`` top words of a search costs no more
    than a pass per model over its own (``per_model`` words each): a window's counts are words × words."""
    return n_words ** 2 <= sum(w ** 2 for w in per_model)


def topic_stability(
    dtm: DocumentTermMatrix,
    n_topics: int,
    seeds: Sequence[int] = (1, 2, 3, 4, 5),
    method: Method = "lda",
    *,
    reference: TopicModel | None = None,
    threshold: float = 0.7,
    **model_params: Any,
) -> pd.DataFrame:
    """How well each topic recurs when the model is refitted with other seeds.

    The reference model (the first seed, or ``reference``) is compared with a
    fit for every other seed; topics are aligned with :func:`align_topics`
    (Hungarian matching on cosine similarity of topic-term distributions).

    Returns
    -------
    pandas.DataFrame
        ``topic, label, mean_similarity, min_similarity, runs, stable``:
        ``stable`` is True when the topic's lowest match is at least
        ``threshold``.
    """
    if reference is None:
        reference = TopicModel(method, n_topics, random_state=int(seeds[0]), **model_params).fit(dtm)
        others = list(seeds[1:])
    else:
        others = [s for s in seeds if s != reference.random_state]
    if not others:
        raise ArgumentError("topic_stability needs at least two seeds")
    sims = []
    for s in others:
        other = TopicModel(method, n_topics, random_state=int(s), **model_params).fit(dtm)
        _, sim = align_topics(reference.topic_term_, other.topic_term_)
        sims.append(sim)
    sims_arr = np.vstack(sims)
    return pd.DataFrame({
        "topic": np.arange(n_topics), "label": reference.labels_,
        "mean_similarity": sims_arr.mean(0), "min_similarity": sims_arr.min(0), "runs": len(others) + 1,
        "stable": sims_arr.min(0) >= threshold,
    })


# --------------------------------------------------------------------------- prevalence


def _rank_arg(rank: str, by: str | None) -> str:
    if by is not None:
        warn_once("top_terms(by=)", "top_terms(by=...) and term_scores(by=...) are deprecated: the ranking is rank=...")
        return by
    return rank


def _model_groups(model: TopicModel, by: str | None) -> tuple[np.ndarray, list[str]]:
    """Group number of each modelled unit, and the group labels in order of appearance (by=None: the corpus' own)."""
    model._check_fitted()
    by = getattr(model, "group_by_", None) if by is None else by
    if by is None:
        raise ArgumentError("by=None: the modelled corpus has no grouping column; pass by=")
    if by not in model.units_.columns:
        raise ArgumentError(f"by={by!r} is not a metadata column of the modelled units")
    return group_labels(model.units_, by)


def _boot_means(x: np.ndarray, groups: np.ndarray, docs: np.ndarray, n_boot: int,
                rng: np.random.Generator) -> list[np.ndarray]:
    """Per group, ``n_boot × topics`` means of ``x`` over units resampled in two stages (documents, then units)."""
    out = []
    for g in range(groups.max() + 1):
        idx = np.flatnonzero(groups == g)
        w = two_stage_weights(rng, docs[idx], n_boot)
        out.append((w @ x[idx]) / np.maximum(w.sum(1, keepdims=True), 1.0))
    return out


PREVALENCE_COLUMNS = [
    "group", "topic", "label", "prevalence", "low", "high", "interval", "units", "docs", "dominant_document",
    "dominant_share", "effective_docs", "prevalence_loo_min", "prevalence_loo_max", "single_document",
]


def topic_prevalence(
    model: TopicModel,
    by: str | None = None,
    *,
    n_boot: int = 1000,
    confidence: float = 0.95,
    random_state: int | None = 0,
) -> pd.DataFrame:
    """Mean topic share per group, with intervals over documents and the documents behind it.

    The interval resamples the group's documents, then the units within each
    drawn document (two-stage bootstrap, Davison & Hinkley 1997, sec. 3.8);
    with one document only the units vary, and ``interval`` says
    ``'within-document'``. A topic model fitted to few documents tends to
    find the documents themselves: ``dominant_share`` shows how much of a
    group's topic mass one document carries.

    Returns
    -------
    pandas.DataFrame
        :data:`PREVALENCE_COLUMNS`: ``group, topic, label``; ``prevalence``:
        mean topic share of the group's units; ``low, high``: the interval;
        ``interval``: ``'documents'`` or ``'within-document'``; ``units,
        docs``; ``dominant_document, dominant_share``: the document carrying
        most of the group's mass of the topic (sum of its units' shares) and
        that share; ``effective_docs``: Kish's ``(Σm)²/Σm²`` over the
        documents' masses; ``prevalence_loo_min, prevalence_loo_max``: the
        group's prevalence with each of its documents left out in turn (NaN
        for one document); ``single_document``.
    """
    groups, labels = _model_groups(model, by)
    doc_codes, doc_names = pd.factorize(model.units_["doc_id"])
    rng = np.random.default_rng(random_state)
    x = model.unit_topic_
    reps = _boot_means(x, groups, doc_codes, n_boot, rng)
    rows = []
    for gi, g in enumerate(labels):
        idx = np.flatnonzero(groups == gi)
        gdocs, inv = np.unique(doc_codes[idx], return_inverse=True)
        mass = np.zeros((len(gdocs), model.n_topics))
        np.add.at(mass, inv, x[idx])
        units_per_doc = np.bincount(inv, minlength=len(gdocs)).astype(float)
        mean = x[idx].mean(0)
        lo, hi = percentile_interval(reps[gi], confidence)
        with np.errstate(divide="ignore", invalid="ignore"):
            loo = (mass.sum(0) - mass) / (len(idx) - units_per_doc)[:, None] if len(gdocs) >= 2 else None
        for k in range(model.n_topics):
            top, share, effective = dominance(mass[:, k])
            rows.append((g, k, model.labels_[k], float(mean[k]), float(lo[k]), float(hi[k]),
                         "documents" if len(gdocs) >= 2 else "within-document", len(idx), len(gdocs),
                         str(doc_names[gdocs[top]]) if top >= 0 else "", share, effective,
                         float(loo[:, k].min()) if loo is not None else np.nan,
                         float(loo[:, k].max()) if loo is not None else np.nan))
    out = pd.DataFrame(rows, columns=PREVALENCE_COLUMNS[:-1])
    out["single_document"] = out["docs"] == 1
    return out


def document_prevalence(model: TopicModel, by: str | None = None) -> pd.DataFrame:
    """Every document's own mean topic share: the evidence inside a group's prevalence.

    Returns
    -------
    pandas.DataFrame
        ``group, doc_id, topic, label, prevalence, units``, documents in
        the order of the modelled units.
    """
    groups, labels = _model_groups(model, by)
    units = model.units_.reset_index(drop=True).assign(_group=[labels[g] for g in groups])
    rows = []
    for (g, d), sub in units.groupby(["_group", "doc_id"], sort=False):
        mean = model.unit_topic_[sub.index.to_numpy()].mean(0) if len(sub) else np.zeros(model.n_topics)
        for k in range(model.n_topics):
            rows.append((g, d, k, model.labels_[k], float(mean[k]), len(sub)))
    return pd.DataFrame(rows, columns=["group", "doc_id", "topic", "label", "prevalence", "units"])


def topic_prevalence_differences(
    model: TopicModel,
    by: str | None = None,
    *,
    n_boot: int = 1000,
    confidence: float = 0.95,
    random_state: int | None = 0,
) -> pd.DataFrame:
    """Differences of mean topic share between every pair of groups, with intervals.

    Each group is resampled independently in two stages (documents, then
    units); the interval is the percentile interval of the difference of
    the resampled means. ``interval`` says ``'within-document'`` when
    either group rests on one document: the difference is then between
    those documents. ``loo_holds`` is 1.0 when the difference keeps its
    sign with each document of a multi-document group left out in turn
    (``loo_docs`` of them), 0.0 when one left out flips it, NaN when no
    document can be left out.

    Returns
    -------
    pandas.DataFrame
        ``group_a, group_b, topic, label, difference, low, high, interval,
        loo_holds, loo_docs, docs_a, docs_b, single_document``.
    """
    groups, labels = _model_groups(model, by)
    doc_codes = pd.factorize(model.units_["doc_id"])[0]
    x = model.unit_topic_
    reps = _boot_means(x, groups, doc_codes, n_boot, np.random.default_rng(random_state))
    docs = [len(np.unique(doc_codes[groups == g])) for g in range(len(labels))]

    def loo_means(g: int) -> np.ndarray:  # documents × topics: the group's mean without each document
        idx = np.flatnonzero(groups == g)
        d = doc_codes[idx]
        return np.array([x[idx[d != code]].mean(0) for code in np.unique(d)]) if len(np.unique(d)) >= 2 else np.empty((0, x.shape[1]))

    rows = []
    for a, b in combinations(range(len(labels)), 2):
        mean_a, mean_b = x[groups == a].mean(0), x[groups == b].mean(0)
        diff = mean_a - mean_b
        lo, hi = percentile_interval(reps[a] - reps[b], confidence)
        loo = np.concatenate([loo_means(a) - mean_b, mean_a - loo_means(b)])
        holds = (np.sign(loo) == np.sign(diff)).all(0).astype(float) if len(loo) else np.full(len(diff), np.nan)
        interval = "documents" if min(docs[a], docs[b]) >= 2 else "within-document"
        for k in range(model.n_topics):
            rows.append((labels[a], labels[b], k, model.labels_[k], float(diff[k]), float(lo[k]), float(hi[k]), interval,
                         float(holds[k]), len(loo), docs[a], docs[b], docs[a] == 1 or docs[b] == 1))
    return pd.DataFrame(rows, columns=["group_a", "group_b", "topic", "label", "difference", "low", "high", "interval",
                                       "loo_holds", "loo_docs", "docs_a", "docs_b", "single_document"])


def topic_frames(model: TopicModel, result: FrameResult) -> pd.DataFrame:
    """How often each topic's paragraphs carry each codebook frame.

    Each paragraph counts with its topic share as weight: for topic k and
    frame f, ``Σ_u share_uk · carries_uf / Σ_u share_uk``.

    Returns
    -------
    pandas.DataFrame
        ``topic, label, frame, weighted_share, units_with_frame``
        (``units_with_frame``: paragraphs whose largest topic is k that carry f).
    """
    model._check_fitted()
    carries = result.unit_frames.pivot(index="unit_id", columns="frame", values="carries").astype(float)
    missing = set(model.units_["unit_id"]) - set(carries.index)
    if missing:
        raise ArgumentError("the frame result and the topic model come from different corpora or units")
    c = carries.reindex(index=model.units_["unit_id"], columns=result.codebook.frame_ids).to_numpy()
    s = model.unit_topic_
    weighted = (s.T @ c) / s.sum(0)[:, None]
    top = s.argmax(1)
    rows = []
    for k in range(model.n_topics):
        for fi, f in enumerate(result.codebook.frame_ids):
            rows.append((k, model.labels_[k], f, float(weighted[k, fi]), int(c[top == k, fi].sum())))
    return pd.DataFrame(rows, columns=["topic", "label", "frame", "weighted_share", "units_with_frame"])

