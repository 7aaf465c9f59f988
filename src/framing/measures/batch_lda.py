"""gensim's ``LdaModel`` with its E-step run for blocks of documents at once.

gensim's variational E-step (``LdaModel.inference``, after Hoffman, Blei &
Bach 2010, "Online learning for latent Dirichlet allocation", Algorithm 2,
with the Lee & Seung substitution that leaves ``phi`` implicit) loops over the
documents of a chunk in Python, and for each document over up to
``iterations`` updates of its ``gamma``. On the small units of discourse
corpora (paragraphs of a few dozen words) that loop, not arithmetic, is the
cost.

:class:`BatchLdaModel` keeps everything of ``LdaModel`` (initialisation, the
random draws and their order, the M-step, the learning-rate schedule, the
``alpha``/``eta`` Newton updates, saving and loading) and replaces only
``inference``. Documents are independent within an E-step, so it sorts them
by number of distinct terms into blocks, pads each document to its block's
longest (a padded entry counts zero) and runs the update for a whole block as
two batched matrix products a round. Each document still runs its own
fixed-point iteration and stops when the mean absolute change of its
``gamma`` falls below ``gamma_threshold``; a document that has stopped is
frozen and later dropped from its block. Per document the updates are
gensim's, term for term:

    gamma_d    = alpha + exp(E[log theta_d]) * ((n_dw / phinorm_dw) @ exp(E[log beta_w])^T)
    phinorm_dw = exp(E[log theta_d]) . exp(E[log beta_w]) + eps

only the order in which the floating-point sums are taken differs, so
results agree with gensim's to rounding (about 1e-15), not bit for bit
(``tests/test_batch_lda.py`` compares topics, priors, topic weights and
sufficient statistics). A chunk of fewer than :data:`FEW_DOCUMENTS` documents
(``bound``, ``log_perplexity`` and ``get_document_topics`` infer one at a
time) goes through gensim's own loop. ``bound`` given the documents' topic
weights (what :attr:`framing.TopicModel.perplexity_` asks) sums its
likelihood term over blocks of entries instead of one term of one document
at a time; without them gensim's own code runs. One difference in kind: a document
that lists the same term id twice (gensim's ``Dictionary`` never makes one)
has both entries counted in the sufficient statistics, where gensim's
``sstats[:, ids] +=`` keeps one.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from gensim.matutils import dirichlet_expectation
from gensim.models import LdaModel
from scipy.special import gammaln

__all__ = ["BatchLdaModel", "bow_to_csr"]


def bow_to_csr(chunk: Any, num_terms: int, dtype: Any) -> sp.csr_matrix:
    """A chunk of gensim bag-of-words documents as a CSR matrix, one row a document, in the chunk's order.

    Entries keep the documents' own order and repeated ids, as gensim's loop
    reads them; ids must lie below ``num_terms``.
    """
    docs = list(chunk)
    lengths = np.fromiter((len(d) for d in docs), dtype=np.int64, count=len(docs))
    indptr = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    nnz = int(indptr[-1])
    ids = np.fromiter((int(i) for d in docs for i, _ in d), dtype=np.int64, count=nnz)
    cts = np.fromiter((c for d in docs for _, c in d), dtype=dtype, count=nnz)
    return sp.csr_matrix((cts, ids, indptr), shape=(len(docs), num_terms))


#: Below this many documents a chunk goes through gensim's own loop (blocks would cost more than they save).
FEW_DOCUMENTS = 8
#: Entries × topics of a block of documents iterated together, at most (about 2 MB of float64) ...
BLOCK_CELLS = 1 << 18
#: ... and below which padding is not worth a block of its own.
SMALL_CELLS = 1 << 15


def _length_blocks(lengths: np.ndarray, k: int) -> list[np.ndarray]:
    """Documents grouped by number of entries, shortest first, into blocks padded to their longest.

    A block grows while its padded cells (documents × longest × ``k``) stay within
    ``BLOCK_CELLS`` and either within ``SMALL_CELLS`` or at most twice its real cells: padding
    costs arithmetic, a block costs a round of calls. Every block holds at least one document.
    """
    order = np.argsort(lengths, kind="stable")
    sorted_lengths = np.maximum(lengths[order], 1)
    out = []
    lo, n = 0, order.size
    while lo < n:
        hi, real = lo + 1, int(sorted_lengths[lo])
        while hi < n:
            width = int(sorted_lengths[hi])
            padded = (hi + 1 - lo) * width
            if padded * k > BLOCK_CELLS or (padded * k > SMALL_CELLS and padded > 2 * (real + width)):
                break
            real += width
            hi += 1
        out.append(order[lo:hi])
        lo = hi
    return out


class BatchLdaModel(LdaModel):  # type: ignore[misc]
    """``gensim.models.LdaModel`` whose E-step updates the documents of a chunk a block at a time.

    Parameters
    ----------
    *args, **kwargs
        As for ``LdaModel``.
    csr : scipy.sparse matrix or None
        The training corpus as a documents × terms matrix of counts, the same
        documents as ``corpus`` in the same order. Given, each pass reads it
        instead of converting the bag-of-words chunk again; it is dropped once
        the model is trained.
    """

    def __init__(self, *args: Any, csr: sp.csr_matrix | None = None, **kwargs: Any) -> None:
        self._csr = csr
        try:
            super().__init__(*args, **kwargs)
        finally:
            self._csr = None

    def _chunk_matrix(self, chunk: Any) -> sp.csr_matrix:
        csr = getattr(self, "_csr", None)
        if csr is not None and len(chunk) == csr.shape[0]:
            return csr
        return bow_to_csr(chunk, self.num_terms, self.dtype)

    def inference(self, chunk: Any, collect_sstats: bool = False) -> tuple[np.ndarray, np.ndarray | None]:
        """gensim's ``inference``, the documents of ``chunk`` updated a block at a time (see the module's notes)."""
        try:
            len(chunk)
        except TypeError:
            chunk = list(chunk)
        if len(chunk) < FEW_DOCUMENTS and getattr(self, "_csr", None) is None:
            # one document at a time (get_document_topics, bound, log_perplexity): gensim's loop is quicker
            return super().inference(chunk, collect_sstats=collect_sstats)  # type: ignore[no-any-return]
        x = self._chunk_matrix(chunk)
        n_docs, k = x.shape[0], self.num_topics
        dtype = self.dtype
        # the same draw as gensim's, from the same generator, before anything else
        gamma = self.random_state.gamma(100., 1. / 100., (n_docs, k)).astype(dtype, copy=False)
        exp_theta = np.exp(dirichlet_expectation(gamma)) if n_docs else np.zeros((0, k), dtype=dtype)
        eps = np.finfo(dtype).eps
        indptr = x.indptr.astype(np.int64, copy=False)
        cols = x.indices.astype(np.int64, copy=False)
        cts = np.asarray(x.data, dtype=dtype)
        exp_beta = self.expElogbeta
        beta_by_term = np.ascontiguousarray(exp_beta.T)  # terms × k
        lengths = np.diff(indptr)
        phinorm = np.zeros(cts.shape[0], dtype=dtype)
        # Documents are independent within an E-step. Iterate them in blocks of similar length,
        # each document's entries padded to the block's longest (a padded entry counts 0), so that
        # a block is two batched matrix products a round and stays in the processor's cache.
        for docs in _length_blocks(lengths, k):
            width = int(lengths[docs[-1]])
            valid = np.arange(width)[None, :] < lengths[docs][:, None]
            pos = np.where(valid, indptr[docs][:, None] + np.arange(width)[None, :], 0)
            counts = np.where(valid, cts[pos], 0.0) if width else np.zeros((docs.size, 0), dtype=dtype)
            beta = beta_by_term[np.where(valid, cols[pos], 0)] if width else np.zeros((docs.size, 0, k), dtype=dtype)
            gamma[docs], exp_theta[docs], block_phinorm = self._infer_block(gamma[docs], exp_theta[docs], beta, counts, eps)
            phinorm[pos[valid]] = block_phinorm[valid]

        sstats = None
        if collect_sstats:
            # sstats[k, w] = sum_d n_dw * exp(E[log theta_dk]) * exp(E[log beta_kw]) / phinorm_dw
            weights = sp.csr_matrix((cts / phinorm, cols, indptr), shape=x.shape)
            sstats = np.asarray((weights.T @ exp_theta).T, dtype=dtype)
            sstats *= exp_beta
        return gamma, sstats

    def _infer_block(self, gamma: np.ndarray, exp_theta: np.ndarray, beta: np.ndarray, counts: np.ndarray,
                     eps: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """gensim's fixed-point iteration for a block of documents: their gamma, exp(E[log theta])
        and each entry's phinorm once every document has settled or run ``iterations`` rounds.

        ``beta`` (documents × entries × k) holds each entry's column of exp(E[log beta]),
        ``counts`` (documents × entries) its count, 0 where a document has fewer entries.
        """
        gamma, exp_theta = gamma.copy(), exp_theta.copy()
        k = gamma.shape[1]
        phinorm = np.matmul(beta, exp_theta[:, :, None])[:, :, 0] + eps
        alpha, threshold = self.alpha, self.gamma_threshold
        # The rows still computed: the documents still iterating, and those that settled since the
        # rows were last compacted (their values are frozen: written back, never updated again).
        rows = np.arange(gamma.shape[0])
        live = np.ones(rows.size, dtype=bool)
        n_live = rows.size
        gamma_r, theta_r, beta_r, counts_r, phin_r = gamma, exp_theta, beta, counts, phinorm
        for _ in range(int(self.iterations)):
            if not n_live:
                break
            sums = np.matmul((counts_r / phin_r)[:, None, :], beta_r)[:, 0, :]
            new = alpha + theta_r * sums
            change = np.abs(new - gamma_r).sum(axis=1) / k
            done = change < threshold
            if n_live == rows.size:
                theta_r = np.exp(dirichlet_expectation(new))
            else:
                new[~live] = gamma_r[~live]
                done &= live
                theta_r = theta_r.copy()
                theta_r[live] = np.exp(dirichlet_expectation(new[live]))
            gamma_r = new
            phin_r = np.matmul(beta_r, theta_r[:, :, None])[:, :, 0] + eps
            if done.any():
                gone = rows[done]
                gamma[gone], exp_theta[gone], phinorm[gone] = gamma_r[done], theta_r[done], phin_r[done]
                live &= ~done
                n_live = int(live.sum())
                if n_live * 4 < rows.size * 3:  # a quarter of the rows frozen: drop them
                    rows, gamma_r, theta_r, beta_r, counts_r, phin_r = (
                        a[live] for a in (rows, gamma_r, theta_r, beta_r, counts_r, phin_r))
                    live = np.ones(rows.size, dtype=bool)
        rest = rows[live]  # documents that ran all the iterations
        gamma[rest], exp_theta[rest], phinorm[rest] = gamma_r[live], theta_r[live], phin_r[live]
        return gamma, exp_theta, phinorm

    def bound(self, corpus: Any, gamma: np.ndarray | None = None, subsample_ratio: float = 1.0) -> float:
        """gensim's ``bound`` (the variational lower bound of the corpus' log likelihood), summed over
        blocks of entries instead of one document and term at a time when ``gamma`` is given; then
        ``corpus`` may also be the documents × terms matrix of counts.

        Without ``gamma`` gensim infers each document on its own first, and its own loop runs.
        """
        if gamma is None:
            return float(super().bound(corpus, gamma=None, subsample_ratio=subsample_ratio))
        if sp.issparse(corpus):  # the documents × terms counts themselves
            x = sp.csr_matrix(corpus, dtype=self.dtype)
        else:
            x = bow_to_csr(list(corpus), self.num_terms, self.dtype)
        gamma = np.asarray(gamma, dtype=self.dtype).reshape(x.shape[0], self.num_topics)
        _lambda = self.state.get_lambda()
        elog_beta = dirichlet_expectation(_lambda)
        elog_theta = dirichlet_expectation(gamma)
        rows = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
        # E[log p(doc | theta, beta)]: each entry's count times logsumexp_k(E[log theta_dk] + E[log beta_kw])
        likelihood = 0.0
        step = max(1, BLOCK_CELLS // self.num_topics)
        beta_by_term = elog_beta.T
        for lo in range(0, x.nnz, step):
            hi = min(lo + step, x.nnz)
            scores = elog_theta[rows[lo:hi]] + beta_by_term[x.indices[lo:hi]]
            top = scores.max(axis=1)
            lse = top + np.log(np.exp(scores - top[:, None]).sum(axis=1))
            likelihood += float(np.dot(x.data[lo:hi], lse))
        alpha = self.alpha
        # E[log p(theta | alpha) - log q(theta | gamma)]
        score = likelihood
        score += float(np.sum((alpha - gamma) * elog_theta))
        score += float(np.sum(gammaln(gamma) - gammaln(alpha)))
        score += float(np.sum(gammaln(np.sum(alpha)) - gammaln(gamma.sum(axis=1))))
        score *= subsample_ratio
        # E[log p(beta | eta) - log q(beta | lambda)]
        score += float(np.sum((self.eta - _lambda) * elog_beta))
        score += float(np.sum(gammaln(_lambda) - gammaln(self.eta)))
        sum_eta = self.eta * self.num_terms if np.ndim(self.eta) == 0 else np.sum(self.eta)
        score += float(np.sum(gammaln(sum_eta) - gammaln(np.sum(_lambda, 1))))
        return score
