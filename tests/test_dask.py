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
    distributed_ = fr.dtm(dd.from_pandas(frame, npartitions=partitions), pre, unit, dask_options={"group_by": "source_type"})
    assert list(distributed_.terms) == list(local.terms)
    assert (distributed_.matrix != local.matrix).nnz == 0
    pd.testing.assert_frame_equal(distributed_.units, local.units)
    assert distributed_.corpus_hash == local.corpus_hash
    # the measures downstream are then the same too
    pd.testing.assert_frame_equal(fr.keyness(distributed_, by="source_type"), fr.keyness(local, by="source_type"))


def test_dask_frames_equal_the_local_run(client, frame):
    local = fr.detect_frames(fr.Corpus.from_frame(frame, group_by="source_type"))
    remote = fr.detect_frames(dd.from_pandas(frame, npartitions=3), dask_options={"group_by": "source_type"})
    pd.testing.assert_frame_equal(remote.evidence, local.evidence)
    pd.testing.assert_frame_equal(fr.frame_salience(remote, n_boot=100), fr.frame_salience(local, n_boot=100))


def test_dask_bad_input_is_named(client, frame):
    with pytest.raises(fr.ArgumentError, match="column\\(s\\) 'body' not in the Dask DataFrame"):
        fr.dtm(dd.from_pandas(frame, npartitions=2), dask_options={"text": "body"})
    with pytest.raises(fr.ArgumentError, match="learn_phrases needs the whole corpus"):
        fr.dtm(dd.from_pandas(frame, npartitions=2), fr.Preprocessor(learn_phrases=True))


def test_dtm_refuses_a_one_shot_generator():
    gen = (t for t in ["Hong Kong is a bridge."])
    with pytest.raises(fr.ArgumentError, match="one-shot generator cannot be read twice"):
        fr.dtm(gen)
