"""The counting pipeline on a Dask collection, on a two-worker LocalCluster."""

from __future__ import annotations

import pandas as pd
import pytest

import framing as fr

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                       host="127.0.0.1", silence_logs=40)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


@pytest.fixture(scope="module")
def frame(corpus):
    return corpus.docs[["doc_id", "source_type", "outlet", "text"]]


@pytest.mark.parametrize(("unit", "partitions"), [("document", 2), ("paragraph", 3), ("sentence", 4)])
def test_dask_dtm_equals_the_local_run(client, frame, unit, partitions):
    pre = fr.Preprocessor()
    local = fr.dtm(fr.Corpus.from_frame(frame, group_by="source_type"), pre, unit)
    docs = fr.DaskCorpus(dd.from_pandas(frame, npartitions=partitions), group_by="source_type")
    distributed_ = fr.dtm(docs, pre, unit)
    assert list(distributed_.terms) == list(local.terms)
    assert (distributed_.matrix != local.matrix).nnz == 0
    pd.testing.assert_frame_equal(distributed_.units, local.units)
    assert distributed_.corpus_hash == local.corpus_hash
    # the measures downstream are then the same too
    pd.testing.assert_frame_equal(fr.keyness(distributed_, by="source_type"), fr.keyness(local, by="source_type"))


def test_dask_frames_equal_the_local_run(client, frame):
    local = fr.detect_frames(fr.Corpus.from_frame(frame, group_by="source_type"), subject="hong_kong")
    remote = fr.detect_frames(fr.DaskCorpus(dd.from_pandas(frame, npartitions=3), group_by="source_type"), subject="hong_kong")
    pd.testing.assert_frame_equal(remote.evidence, local.evidence)
    pd.testing.assert_frame_equal(remote.units, local.units)
    assert remote.corpus_hash == local.corpus_hash
    pd.testing.assert_frame_equal(fr.frame_salience(remote, n_boot=100), fr.frame_salience(local, n_boot=100))


def test_dask_bad_input_is_named(client, frame):
    with pytest.raises(fr.ArgumentError, match="column\\(s\\) 'body' not in the Dask DataFrame"):
        fr.DaskCorpus(dd.from_pandas(frame, npartitions=2), text="body")
    with pytest.raises(fr.ArgumentError, match="learn_phrases needs the whole corpus at once; it is not available on a DaskCorpus"):
        fr.dtm(fr.DaskCorpus(dd.from_pandas(frame, npartitions=2)), fr.Preprocessor(learn_phrases=True))
    twice = pd.concat([frame, frame.iloc[[0]]], ignore_index=True)
    with pytest.raises(fr.ArgumentError, match="doc_id values repeat across partitions"):
        fr.dtm(fr.DaskCorpus(dd.from_pandas(twice, npartitions=2)))


def test_dask_the_old_dask_options_call_warns_once_and_gives_the_same_matrix(client, frame, monkeypatch):
    monkeypatch.setattr("framing.base.deprecation._WARNED", set())
    new = fr.dtm(fr.DaskCorpus(dd.from_pandas(frame, npartitions=2), group_by="source_type"))
    with pytest.warns(FutureWarning, match="DaskCorpus"):
        old = fr.dtm(dd.from_pandas(frame, npartitions=2), dask_options={"group_by": "source_type"})
    assert (old.matrix != new.matrix).nnz == 0 and list(old.terms) == list(new.terms)


def test_dtm_refuses_a_one_shot_generator():
    gen = (t for t in ["Hong Kong is a bridge."])
    with pytest.raises(fr.ArgumentError, match="one-shot generator cannot be read twice"):
        fr.dtm(gen)
