"""Parallel and cached preprocessing give exactly the single-process results."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

import framing as fr


@pytest.fixture(scope="module")
def larger():
    """40 documents resampled from the bundled corpus' sentences (fixed seed)."""
    sents = fr.load_corpus().units("sentence")
    body = sents[sents["role"] == "body"]
    rng = np.random.default_rng(7)
    texts, groups = [], []
    for i in range(40):
        g = ["official", "academic", "press", "commentary"][i % 4]
        pool = body[body["source_type"] == g]["text"].to_numpy()
        paras = ["  ".join(rng.choice(pool, 3)) for _ in range(4)]
        texts.append("\n\n".join(paras))
        groups.append(g)
    df = pd.DataFrame({"doc_id": [f"d{i:02d}" for i in range(40)], "text": texts, "source_type": groups})
    return fr.Corpus.from_frame(df, group_by="source_type")


def same(a: fr.DocumentTermMatrix, b: fr.DocumentTermMatrix) -> bool:
    return list(a.terms) == list(b.terms) and (a.matrix != b.matrix).nnz == 0 and a.units.equals(b.units)


@pytest.mark.parametrize("unit", ["document", "paragraph", "sentence"])
def test_scale_two_processes_give_the_same_matrix(larger, unit):
    pre = fr.Preprocessor()
    assert same(fr.dtm(larger, pre, unit, n_jobs=1), fr.dtm(larger, pre, unit, n_jobs=2))


@pytest.mark.parametrize("pre", [fr.Preprocessor(), fr.Preprocessor(punctuation="keep"), fr.Preprocessor(learn_phrases=True)],
                         ids=["default", "regex-per-paragraph", "learned-phrases"])
def test_scale_two_processes_give_the_same_token_stream(larger, pre):
    """Workers send their spans back as columns; the parent makes the same tuples a single process makes."""
    one, two = fr.tokens(larger, pre, n_jobs=1), fr.tokens(larger, pre, n_jobs=2)
    assert [s for _, _, s in one.paragraphs()] == [s for _, _, s in two.paragraphs()]
    assert one.learned_phrases == two.learned_phrases and len(one) > 1000


def test_scale_two_processes_give_the_same_frames(larger):
    one = fr.detect_frames(larger, n_jobs=1, subject="hong_kong")
    two = fr.detect_frames(larger, n_jobs=2, subject="hong_kong")  # matched and read for stance in the workers
    pd.testing.assert_frame_equal(one.evidence, two.evidence)
    pd.testing.assert_frame_equal(one.units, two.units)
    pd.testing.assert_frame_equal(one.sentences, two.sentences)
    assert one.corpus_hash == two.corpus_hash == larger.content_hash
    pd.testing.assert_frame_equal(fr.frame_salience(one), fr.frame_salience(two))
    assert len(one.evidence) > 50


def test_scale_a_large_corpus_is_matched_a_chunk_at_a_time_with_the_same_frames(larger, monkeypatch):
    from framing.base.parallel import size_bounds
    from framing.measures.frames import matching

    whole = matching._match(fr.tokens(larger, matching.frame_preprocessor()), fr.load_codebook(),
                            fr.Subject.coerce("hong_kong"))  # the corpus' tokens held at once
    sizes = [len(d.text) for d in larger]
    monkeypatch.setattr(matching, "CHUNK_CHARACTERS", sum(sizes) // 7)
    assert len(size_bounds(sizes, matching.CHUNK_CHARACTERS)) >= 8  # seven chunks or more
    chunked = fr.detect_frames(larger, subject="hong_kong")
    for part in ("evidence", "units", "sentences"):
        pd.testing.assert_frame_equal(getattr(whole, part), getattr(chunked, part))
    pd.testing.assert_frame_equal(fr.frame_salience(whole), fr.frame_salience(chunked))
    assert chunked.corpus_hash == larger.content_hash and len(chunked.evidence) > 50


def test_size_bounds_close_a_chunk_once_it_reaches_the_limit():
    from framing.base.parallel import size_bounds

    assert size_bounds([3, 3, 3, 3], 6) == [0, 2, 4]
    assert size_bounds([10, 1, 1], 5) == [0, 1, 3]  # an item larger than the limit is a chunk of its own
    assert size_bounds([1, 1], 100) == [0, 2] and size_bounds([], 5) == [0, 0]


def test_scale_cache_hits_and_gives_the_same_results(tmp_path, larger):
    pre = fr.Preprocessor()
    cache = fr.TokenCache(tmp_path / "cache")
    first = fr.dtm(larger, pre, "paragraph", cache=cache)
    assert (cache.hits, cache.misses) == (0, 40)
    second = fr.dtm(larger, pre, "paragraph", cache=cache)
    assert cache.hits == 40
    assert same(first, second) and same(first, fr.dtm(larger, pre, "paragraph"))
    pd.testing.assert_frame_equal(fr.tokens(larger, pre).to_frame(), fr.tokens(larger, pre, cache=cache).to_frame())
    # frames share the cache only with the same preprocessor: a new setting misses everything
    fresh = fr.TokenCache(tmp_path / "cache")
    fr.dtm(larger, fr.Preprocessor(normalize="stem"), cache=fresh)
    assert fresh.hits == 0 and fresh.misses == 40


def test_scale_a_changed_document_invalidates_only_itself(tmp_path, larger):
    pre = fr.Preprocessor()
    fr.dtm(larger, pre, cache=tmp_path)
    df = larger.docs
    df.loc[3, "text"] = df.loc[3, "text"] + " An added sentence about the Global South."
    changed = fr.Corpus.from_frame(df, group_by="source_type")
    cache = fr.TokenCache(tmp_path)
    m = fr.dtm(changed, pre, cache=cache)
    assert (cache.hits, cache.misses) == (39, 1)
    assert same(m, fr.dtm(changed, pre))


def test_scale_corrupt_or_foreign_cache_files_are_rebuilt_never_trusted(tmp_path, larger):
    pre = fr.Preprocessor()
    cache = fr.TokenCache(tmp_path)
    reference = fr.dtm(larger, pre, cache=cache)
    files = sorted(tmp_path.rglob("*.npz"))
    files[0].write_bytes(b"not a zip file")                                   # corrupt
    np.savez(files[1], header=np.array("{}"), terms=np.array(["x"]))          # foreign
    np.savez(files[2], header=np.array([{"evil": 1}], dtype=object), terms=np.array([1], dtype=object))  # needs pickle
    with np.load(files[3], allow_pickle=False) as data:                       # tampered arrays, header kept
        arrays = {k: data[k] for k in data.files}
    arrays["terms"] = np.array(["tampered"] * len(arrays["terms"]))
    np.savez(files[3], **arrays)
    cache = fr.TokenCache(tmp_path)
    again = fr.dtm(larger, pre, cache=cache)
    assert cache.rebuilt == 4 and cache.hits == 36
    assert same(reference, again)
    # and they were rewritten: the next run hits everything
    cache = fr.TokenCache(tmp_path)
    fr.dtm(larger, pre, cache=cache)
    assert cache.hits == 40 and cache.rebuilt == 0


def test_scale_forged_or_out_of_range_cache_files_are_rebuilt(tmp_path, larger):
    """Anyone who can write the cache folder can forge a file with a checksum of their own; an entry must be
    signed with the cache's own key and fit its document."""
    import hashlib
    import hmac
    import json

    from framing.text import cache as cache_module

    pre = fr.Preprocessor()
    reference = fr.dtm(larger, pre, "paragraph", cache=fr.TokenCache(tmp_path / "a"))
    fr.dtm(larger, pre, "paragraph", cache=fr.TokenCache(tmp_path / "b"))   # another cache, another key
    files = sorted((tmp_path / "a").rglob("*.npz"))

    def rewrite(f, change, key=None):
        with np.load(f, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
        change(arrays)
        header = json.loads(str(arrays["header"]))
        secret = key if key is not None else hashlib.sha256(b"attacker").digest()
        h = hmac.new(secret, digestmod=hashlib.sha256)
        h.update("\x1f".join(arrays["terms"].tolist()).encode("utf-8"))
        for k in ("para", "start", "end"):
            h.update(np.ascontiguousarray(arrays[k]).tobytes())
        header["hmac"] = h.hexdigest()
        arrays["header"] = np.array(json.dumps(header))
        np.savez(f, **arrays)

    own = (tmp_path / "a" / cache_module.KEY_FILE).read_bytes()
    rewrite(files[0], lambda a: a.__setitem__("terms", np.array(["sanction"] * len(a["terms"]))))  # forged, own checksum
    rewrite(files[1], lambda a: a.__setitem__("start", a["start"] + 10**9), key=own)               # offsets 10^9
    rewrite(files[2], lambda a: a.__setitem__("para", np.full_like(a["para"], -1)), key=own)       # negative paragraph
    twin = tmp_path / "b" / files[3].relative_to(tmp_path / "a")
    files[3].write_bytes(twin.read_bytes())                                                         # made by another cache
    cache = fr.TokenCache(tmp_path / "a")
    again = fr.dtm(larger, pre, "paragraph", cache=cache)
    assert cache.rebuilt == 4 and same(reference, again)


def test_scale_cache_refuses_a_corpus_folder(corpus_copy):
    with pytest.raises(fr.ArgumentError, match="is a corpus folder"):
        fr.TokenCache(corpus_copy)


@pytest.mark.parametrize("bad", [0, -2, 1.5, "all"])
def test_scale_bad_n_jobs_is_named(corpus, bad):
    with pytest.raises(fr.ArgumentError, match="n_jobs="):
        fr.dtm(corpus, fr.Preprocessor(), n_jobs=bad)


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_scale_chunked_scan_equals_the_whole_corpus(tmp_path, larger, suffix):
    df = larger.docs[["doc_id", "source_type", "text"]]
    path = tmp_path / f"docs{suffix}"
    {".csv": lambda: df.to_csv(path, index=False), ".parquet": lambda: df.to_parquet(path),
     ".jsonl": lambda: df.to_json(path, orient="records", lines=True)}[suffix]()
    scan = fr.CorpusScan(path, group_by="source_type", chunksize=7)
    pre = fr.Preprocessor()
    whole = fr.Corpus.from_frame(df, group_by="source_type")
    for unit in ("document", "paragraph"):
        assert same(fr.dtm(scan, pre, unit), fr.dtm(whole, pre, unit))
    assert fr.dtm(scan, pre).corpus_hash == whole.content_hash
    pd.testing.assert_frame_equal(fr.detect_frames(scan).evidence, fr.detect_frames(whole).evidence)


def test_scale_scan_uses_n_jobs_and_the_cache_like_a_corpus(tmp_path, larger):
    df = larger.docs[["doc_id", "source_type", "text"]]
    scan = fr.CorpusScan([df.iloc[i:i + 9] for i in range(0, len(df), 9)], group_by="source_type")
    whole = fr.Corpus.from_frame(df, group_by="source_type")
    pre = fr.Preprocessor()
    cache = fr.TokenCache(tmp_path / "cache")
    first = fr.dtm(scan, pre, "paragraph", n_jobs=2, cache=cache)
    assert (cache.hits, cache.misses) == (0, len(df))
    again = fr.dtm(scan, pre, "paragraph", cache=cache)
    assert cache.hits == len(df)
    assert same(first, again) and same(first, fr.dtm(whole, pre, "paragraph"))
    frames = fr.detect_frames(scan, n_jobs=2, subject="hong_kong")
    pd.testing.assert_frame_equal(frames.evidence, fr.detect_frames(whole, subject="hong_kong").evidence)


def test_scale_scan_refuses_a_one_shot_generator(larger):
    df = larger.docs[["doc_id", "text"]]
    with pytest.raises(fr.ArgumentError, match="one-shot iterator or generator cannot be read twice"):
        fr.CorpusScan(chunk for chunk in [df])
    scan = fr.CorpusScan(lambda: (df.iloc[i:i + 10] for i in range(0, len(df), 10)))   # a fresh pass per call
    assert same(fr.dtm(scan), fr.dtm(fr.Corpus.from_frame(df)))
    assert same(fr.dtm(scan), fr.dtm(scan))


def test_scale_a_doc_id_repeated_across_chunks_of_a_csv_is_an_error(tmp_path, corpus):
    df = corpus.docs[["doc_id", "source_type", "text"]]
    twice = pd.concat([df.iloc[:3], df.iloc[[0]], df.iloc[3:]], ignore_index=True)
    path = tmp_path / "docs.csv"
    twice.to_csv(path, index=False)
    scan = fr.CorpusScan(path, group_by="source_type", chunksize=2)
    for run in (lambda: fr.dtm(scan), lambda: fr.dtm(scan, unit="paragraph"), lambda: fr.detect_frames(scan)):
        with pytest.raises(fr.ArgumentError, match=r"doc_id values repeat across partitions \('"):
            run()


def test_scale_scan_problems_name_the_file_and_its_rows_in_every_chunk(tmp_path, corpus):
    df = corpus.docs[["doc_id", "source_type", "text"]].copy()
    df.loc[1, "doc_id"] = "bad id"
    df.loc[4, "text"] = None
    path = tmp_path / "docs.csv"
    df.to_csv(path, index=False)
    with pytest.raises(fr.CorpusError, match="2 problems") as info:
        fr.dtm(fr.CorpusScan(path, chunksize=2))
    text = str(info.value)
    assert f"{path} row 1: doc_id 'bad id'" in text and f"{path} row 4: document" in text


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_scale_an_unwritable_cache_folder_warns_and_tokenizes_anyway(tmp_path, corpus):  # pragma: no cover - not as root
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    with pytest.warns(RuntimeWarning, match="tokenizing without a cache"):
        toks = fr.tokens(corpus, cache=folder / "cache")
    assert len(toks) > 0


def test_scale_a_cache_path_that_cannot_be_a_folder_warns_and_tokenizes_anyway(tmp_path, corpus):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.warns(RuntimeWarning, match="tokenizing without a cache"):
        toks = fr.tokens(corpus, fr.Preprocessor(), cache=blocker / "cache")
    assert len(toks) == len(fr.tokens(corpus, fr.Preprocessor()))


def test_scale_worker_chunks_come_back_as_blocks_stacked_on_the_union_of_terms():
    import scipy.sparse as sp

    from framing.base.parallel import map_chunks
    from framing.text.dtm import stack_blocks

    # chunks keep their order and their size; one process is one chunk
    sizes = map_chunks(len, list(range(50)), n_jobs=2)
    assert len(sizes) == 8 and sum(sizes) == 50 and max(sizes) - min(sizes) <= 1
    firsts = map_chunks(lambda chunk: chunk[0], list(range(50)), n_jobs=2)
    assert firsts == sorted(firsts) and firsts[0] == 0
    assert map_chunks(len, list(range(50)), n_jobs=1) == [50]
    # blocks over different (even unsorted) terms: the rows of the whole matrix, columns on the sorted union
    a = (sp.csr_matrix(np.array([[1, 0, 2], [0, 3, 0]])), np.array(["b", "d", "a"], dtype=object))
    b = (sp.csr_matrix(np.array([[4, 5]])), np.array(["a", "c"], dtype=object))
    matrix, terms = stack_blocks([a, b])
    assert list(terms) == ["a", "b", "c", "d"]
    assert matrix.toarray().tolist() == [[2, 1, 0, 0], [0, 0, 0, 3], [4, 0, 5, 0]]
    assert matrix.has_sorted_indices
