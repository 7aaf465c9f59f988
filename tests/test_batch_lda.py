"""framing's LDA runs gensim's LdaModel with the E-step over whole blocks of documents: the
same model as gensim's own loop, to rounding."""

from __future__ import annotations

import copy
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from gensim.models import LdaModel
from threadpoolctl import threadpool_limits

import framing as fr
from framing.measures import batch_lda
from framing.measures.batch_lda import BatchLdaModel, bow_to_csr


def _fit(cls, bow, dictionary, k, seed, passes=10, **extra):
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        warnings.simplefilter("ignore", category=DeprecationWarning)
        return cls(corpus=bow, id2word=dictionary, num_topics=k, random_state=seed, passes=passes, iterations=400,
                   alpha="auto", eta="auto", chunksize=max(len(bow), 1), update_every=1, eval_every=None,
                   dtype=np.float64, **extra)


def _uneven_corpus(seed=0):
    """Documents of 0 to 400 entries (empty, one-word and long ones) over 300 terms."""
    rng = np.random.default_rng(seed)
    lengths = np.concatenate([[0, 1, 1, 2, 0], rng.integers(1, 40, 150), [250, 400]])
    rng.shuffle(lengths)
    bow = []
    for n in lengths:
        ids = np.sort(rng.choice(300, size=min(int(n), 300), replace=False))
        bow.append([(int(i), int(c)) for i, c in zip(ids, rng.integers(1, 5, ids.size))])
    from gensim.corpora import Dictionary

    d = Dictionary([[f"w{i}" for i in range(300)]])
    return bow, d


def _compare(a, b, rtol=1e-9):
    assert np.allclose(a.get_topics(), b.get_topics(), rtol=rtol, atol=1e-14)
    assert np.allclose(a.alpha, b.alpha, rtol=rtol, atol=1e-14)
    assert np.allclose(a.eta, b.eta, rtol=rtol, atol=1e-14)


@pytest.mark.parametrize("k,seed", [(3, 1), (7, 2)])
def test_batch_lda_equals_gensims_loop_on_the_bundled_paragraphs(corpus, k, seed):
    m = fr.dtm(corpus, unit="paragraph").trim(min_docs=2)
    keep = np.asarray(m.matrix.sum(1)).ravel() > 0
    m = m.select(keep)
    d, bow = m.to_gensim()
    ref = _fit(LdaModel, bow, d, k, seed)
    new = _fit(BatchLdaModel, bow, d, k, seed, csr=sp.csr_matrix(m.matrix))
    _compare(ref, new)
    # the unit topics, inferred afresh from the same random state
    g_ref, _ = copy.deepcopy(ref).inference(bow)
    twin = copy.deepcopy(ref)
    twin.__class__ = BatchLdaModel
    g_new, _ = twin.inference(bow)
    assert np.allclose(g_ref, g_new, rtol=1e-9)
    assert new._csr is None  # the training matrix is not kept in the model


def test_batch_lda_equals_gensim_on_empty_short_and_long_documents(monkeypatch):
    bow, d = _uneven_corpus()
    # small blocks, so that long documents sit alone and blocks of many widths are made
    monkeypatch.setattr(batch_lda, "BLOCK_CELLS", 1 << 11)
    monkeypatch.setattr(batch_lda, "SMALL_CELLS", 1 << 8)
    ref = _fit(LdaModel, bow, d, 4, 5, passes=4)
    new = _fit(BatchLdaModel, bow, d, 4, 5, passes=4)  # no csr: each pass converts the chunk
    _compare(ref, new)
    ref_gamma, ref_stats = copy.deepcopy(ref).inference(bow, collect_sstats=True)
    twin = copy.deepcopy(ref)
    twin.__class__ = BatchLdaModel
    new_gamma, new_stats = twin.inference(bow, collect_sstats=True)
    assert np.allclose(ref_gamma, new_gamma, rtol=1e-9)
    assert np.allclose(ref_stats, new_stats, rtol=1e-9, atol=1e-300)
    empty = [i for i, doc in enumerate(bow) if not doc]
    assert np.allclose(new_gamma[empty], twin.alpha)  # an empty document's gamma is alpha


def test_batch_lda_blocks_hold_every_document_once_within_their_limits():
    rng = np.random.default_rng(3)
    lengths = np.concatenate([rng.integers(0, 60, 500), [0, 0, 5000]])
    k = 10
    blocks = batch_lda._length_blocks(lengths, k)
    seen = np.concatenate(blocks)
    assert sorted(seen.tolist()) == list(range(lengths.size))
    widths = [max(int(lengths[b].max()), 1) for b in blocks]
    assert all(np.diff(np.concatenate([lengths[b] for b in blocks])) >= 0)  # shortest first
    for b, w in zip(blocks, widths):
        assert b.size == 1 or b.size * w * k <= batch_lda.BLOCK_CELLS
        padded, real = b.size * w, int(np.maximum(lengths[b], 1).sum())
        assert b.size == 1 or padded * k <= batch_lda.SMALL_CELLS or padded <= 2 * real


def test_bow_to_csr_keeps_the_documents_order_and_counts():
    bow = [[(3, 2), (0, 1)], [], [(1, 5)]]
    m = bow_to_csr(bow, 4, np.float64)
    assert m.shape == (3, 4)
    assert m.indices.tolist() == [3, 0, 1] and m.data.tolist() == [2.0, 1.0, 5.0]
    assert m.indptr.tolist() == [0, 2, 2, 3]


def test_batch_lda_few_documents_take_gensims_own_loop_exactly():
    bow, d = _uneven_corpus(seed=2)
    ref = _fit(LdaModel, bow, d, 3, 1, passes=2)
    twin = copy.deepcopy(ref)
    twin.__class__ = BatchLdaModel
    few = [doc for doc in bow if doc][: batch_lda.FEW_DOCUMENTS - 1]
    a, _ = copy.deepcopy(ref).inference(few)
    b, _ = copy.deepcopy(twin).inference(few)
    assert np.array_equal(a, b)  # the same code: bit for bit
    assert copy.deepcopy(ref).log_perplexity(bow) == copy.deepcopy(twin).log_perplexity(bow)


def test_batch_lda_bound_with_the_fits_topic_weights_equals_gensims():
    bow, d = _uneven_corpus(seed=4)  # empty, one-word and long documents
    model = _fit(BatchLdaModel, bow, d, 5, 3, passes=3)
    gamma, _ = copy.deepcopy(model).inference(bow)
    ours = model.bound(bow, gamma=gamma[:, None, :])  # the shape TopicModel.perplexity_ hands over
    theirs = LdaModel.bound(model, bow, gamma=gamma[:, None, :])
    assert ours == pytest.approx(theirs, rel=1e-12)
    assert model.bound(bow, gamma=gamma) == pytest.approx(theirs, rel=1e-12)  # one row a document also
    assert model.bound(bow[:40], gamma=gamma[:40], subsample_ratio=3.0) == pytest.approx(
        LdaModel.bound(model, bow[:40], gamma=gamma[:40, None, :], subsample_ratio=3.0), rel=1e-12)
    # without topic weights gensim infers each document afresh: its own code runs
    assert copy.deepcopy(model).bound(bow) == LdaModel.bound(copy.deepcopy(model), bow)
