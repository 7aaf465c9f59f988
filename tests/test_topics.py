"""Topic models: recovery of known topics, determinism, gensim coherence, prevalence."""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

import framing as fr
from framing.measures.topics import align_topics, frex


def synthetic_dtm(n_docs=300, n_topics=4, words_per_topic=15, doc_len=80, seed=0):
    """Documents drawn from known topics over (mostly) separate vocabularies."""
    rng = np.random.default_rng(seed)
    v = n_topics * words_per_topic
    beta = np.full((n_topics, v), 0.002)
    for k in range(n_topics):
        beta[k, k * words_per_topic:(k + 1) * words_per_topic] = rng.dirichlet(np.ones(words_per_topic)) + 0.01
    beta /= beta.sum(1, keepdims=True)
    theta = rng.dirichlet(np.full(n_topics, 0.2), size=n_docs)
    counts = np.vstack([rng.multinomial(doc_len, theta[d] @ beta) for d in range(n_docs)])
    terms = [f"w{i:03d}" for i in range(v)]
    units = pd.DataFrame({
        "unit_id": [f"d{i}/p000" for i in range(n_docs)], "doc_id": [f"d{i}" for i in range(n_docs)],
        "start": 0, "end": 1, "group": np.where(np.arange(n_docs) < n_docs // 2, "a", "b"),
    })
    m = fr.DocumentTermMatrix(sp.csr_matrix(counts), terms, units, unit="paragraph", preprocessor="pp-synthetic", corpus_hash="x")
    return m, beta, theta


@pytest.mark.parametrize("method", ["lda", "nmf"])
def test_topics_recover_known_topics(method):
    m, beta, _ = synthetic_dtm()
    model = fr.TopicModel(method, 4, random_state=3).fit(m)
    _, sim = align_topics(beta, model.topic_term_)
    assert sim.min() > 0.85, sim


def test_topics_align_topics_undoes_a_permutation():
    rng = np.random.default_rng(1)
    beta = rng.dirichlet(np.ones(30), size=5)
    order, sim = align_topics(beta, beta[[3, 0, 4, 1, 2]])
    assert list(order) == [1, 3, 4, 0, 2] and np.allclose(sim, 1)


def test_topics_same_seed_same_topics_in_a_fresh_process():
    m, _, _ = synthetic_dtm(n_docs=80)
    mine = fr.TopicModel("lda", 4, random_state=7, passes=5).fit(m).topic_term_
    code = f"""
import sys
sys.path.insert(0, {str(__import__('pathlib').Path(__file__).parent)!r})
import numpy as np
from test_topics import synthetic_dtm
import framing as fr
m, _, _ = synthetic_dtm(n_docs=80)
np.save(sys.stdout.buffer, fr.TopicModel("lda", 4, random_state=7, passes=5).fit(m).topic_term_)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True).stdout
    import io

    theirs = np.load(io.BytesIO(out))
    assert np.array_equal(mine, theirs)
    other = fr.TopicModel("lda", 4, random_state=8, passes=5).fit(m).topic_term_
    assert not np.array_equal(mine, other)


def test_topics_coherence_equals_gensim_called_directly():
    from gensim.corpora import Dictionary
    from gensim.models import CoherenceModel

    m, _, _ = synthetic_dtm(n_docs=100)
    model = fr.TopicModel("nmf", 4).fit(m)
    texts = model.token_lists()
    d = Dictionary(texts)
    topics = [model.top_terms(10).query("topic == @k")["term"].tolist() for k in range(4)]
    ref = CoherenceModel(topics=topics, texts=texts, dictionary=d, coherence="c_v", topn=10, processes=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # units of 80 terms fit C_V's window of 110: the order cannot matter, no warning
        assert np.allclose(model.coherence("c_v"), ref.get_coherence_per_topic())
    ref = CoherenceModel(topics=topics, texts=texts, dictionary=d, coherence="c_npmi", topn=10, processes=1)
    with pytest.warns(UserWarning, match="c_npmi read each unit's terms in the order of their terms"):
        assert np.allclose(model.coherence("c_npmi"), ref.get_coherence_per_topic())
    ref = CoherenceModel(topics=topics, corpus=[d.doc2bow(t) for t in texts], dictionary=d, coherence="u_mass", topn=10)
    assert np.allclose(model.coherence("u_mass"), ref.get_coherence_per_topic())


def test_topics_perplexity_is_gensims_and_computed_only_when_asked():
    m, _, _ = synthetic_dtm(n_docs=120)
    model = fr.TopicModel("lda", 4, random_state=2, passes=5).fit(m)
    assert model._perplexity is None  # the fit paid nothing for it
    _, bow = model._gensim_corpus()
    reference = 2 ** -model.model_.log_perplexity(bow)  # gensim infers each unit afresh from a random start
    assert model.perplexity_ == pytest.approx(reference, rel=1e-3)
    assert model.perplexity_ == fr.TopicModel("lda", 4, random_state=2, passes=5).fit(m).perplexity_
    assert np.isnan(fr.TopicModel("nmf", 4).fit(m).perplexity_)


def test_search_k_coherence_equals_each_model_on_its_own():
    m, _, _ = synthetic_dtm(n_docs=100)
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        table = fr.search_k(m, ks=[3, 4], seeds=[1], method="nmf", progress=False)
    assert [str(w.message)[:16] for w in said] == ["coherence c_npmi"]  # said once for the search, not per model
    m2, _, _ = synthetic_dtm(n_docs=100, seed=5)
    for k in (3, 4):
        alone = fr.TopicModel("nmf", k, random_state=1).fit(m)
        row = table.query("k == @k").iloc[0]
        # search_k counts windows once for the top words of every model; each model on its own counts
        # only its own: a pair's count is the same, so the coherence is the same to the last bit
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for measure in ("c_v", "c_npmi", "u_mass"):
                assert row[measure] == np.nanmean(alone.coherence(measure)), measure
    from framing.measures import topics

    with pytest.MonkeyPatch.context() as mp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mp.setattr(topics, "_count_once", lambda *_: False)  # counts per model, as for many distinct top words
        per_model = fr.search_k(m, ks=[3, 4], seeds=[1], method="nmf", progress=False)
    pd.testing.assert_frame_equal(per_model, table, check_exact=True)
    assert topics._count_once(100, [40, 40, 40, 40, 40, 40, 40]) and not topics._count_once(300, [40] * 7)
    refit = alone.fit(m2)  # a refit reads its own texts, not the first fit's
    assert [list(refit.terms_[c]) for c in refit._coherence_inputs()] == refit.token_lists()


def test_topics_coherence_over_the_text_order_equals_gensim_on_the_token_table(corpus):
    from gensim.corpora import Dictionary
    from gensim.models import CoherenceModel

    toks = fr.tokens(corpus, fr.Preprocessor())
    m = fr.dtm(toks, unit="paragraph")
    m = m.select(~m.units["is_heading"].to_numpy()).trim(min_docs=2)
    model = fr.TopicModel("nmf", 5, random_state=1).fit(m)
    # the reference sequences, from the token table: each modelled paragraph's terms by position, the model's terms only
    table = toks.to_frame().sort_values(["doc_id", "paragraph", "position"])
    table["unit_id"] = table["doc_id"] + "/p" + table["paragraph"].map("{:03d}".format)
    vocabulary = set(model.terms_)
    grouped = table[table["term"].isin(vocabulary)].groupby("unit_id", sort=False)["term"].agg(list)
    texts = [grouped.get(u, []) for u in model.units_["unit_id"]]
    assert model.token_sequences(toks) == texts
    assert [sorted(t) for t in texts] == [sorted(t) for t in model.token_lists()]  # the same words, in text order
    topics = [model.top_terms(10).query("topic == @k")["term"].tolist() for k in range(5)]
    d = Dictionary(texts)
    ref = CoherenceModel(topics=topics, texts=texts, dictionary=d, coherence="c_npmi", topn=10, processes=1)
    ours = model.coherence("c_npmi", texts=toks)
    assert np.allclose(ours, ref.get_coherence_per_topic())
    with pytest.warns(UserWarning, match="pass texts="):
        bags = model.coherence("c_npmi")
    assert not np.allclose(ours, bags)  # a window of 10 over alphabetical bags is another number
    # c_v's window of 110 holds every paragraph here (at most 96 terms): order cannot matter
    assert np.allclose(model.coherence("c_v", texts=toks), model.coherence("c_v"))
    table = fr.search_k(m, ks=[5], seeds=[1], method="nmf", progress=False, texts=toks)
    assert table["c_npmi"].iloc[0] == pytest.approx(np.nanmean(ours), abs=1e-12)
    other = fr.tokens(corpus, fr.Preprocessor(stopwords=None))
    with pytest.raises(fr.ArgumentError, match="pass the same Tokens"):
        model.coherence("c_npmi", texts=other)


def test_topics_frex_by_hand():
    beta = np.array([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]])
    # exclusivity: col sums 0.6, 0.4, 1.0 -> topic 0: 0.833, 0.75, 0.2; ECDF ranks (1..3)/3
    # topic 0: excl ranks [3, 2, 1]/3, beta ranks [3, 2, 1]/3 -> frex = ranks/3
    np.testing.assert_allclose(frex(beta)[0], [1.0, 2 / 3, 1 / 3])
    # topic 1: excl 0.167, 0.25, 0.8 -> ranks [1,2,3]; beta 0.1, 0.1, 0.8 -> ranks [1,2,3] (stable ties)
    np.testing.assert_allclose(frex(beta)[1], [1 / 3, 2 / 3, 1.0])


def test_topics_top_terms_and_relevance():
    m, _, _ = synthetic_dtm(n_docs=100)
    model = fr.TopicModel("nmf", 4).fit(m)
    t = model.top_terms(5, by="relevance", lambda_=0.6)
    assert list(t.columns) == ["topic", "label", "rank", "term", "weight", "prob"]
    assert t.groupby("topic").size().eq(5).all()
    row = t.iloc[0]
    j = list(model.terms_).index(row["term"])
    p = np.asarray(model.matrix_.sum(0)).ravel() / model.matrix_.sum()
    phi = model.topic_term_[0, j]
    assert row["weight"] == pytest.approx(0.6 * np.log(phi) + 0.4 * np.log(phi / p[j]))
    assert set(model.top_terms(3, by="frex")["rank"]) == {1, 2, 3}


def test_topics_unit_topics_and_representative_units(corpus):
    m = fr.dtm(corpus, fr.Preprocessor(), unit="paragraph")
    m = m.select(~m.units["is_heading"].to_numpy()).trim(min_docs=2)
    model = fr.TopicModel("nmf", 5).fit(m)
    ut = model.unit_topics()
    assert {"unit_id", "doc_id", "topic", "label", "share", "source_type"} <= set(ut.columns)
    assert np.allclose(ut.groupby("unit_id")["share"].sum(), 1)
    rep = model.representative_units(2, corpus=corpus)
    assert len(rep) == 10
    for r in rep.itertuples():
        assert corpus[r.doc_id].text[r.start:r.end] == r.text
        assert r.share == pytest.approx(ut[(ut["unit_id"] == r.unit_id) & (ut["topic"] == r.topic)]["share"].iloc[0])


def test_topics_labels_are_automatic_and_replaceable(tmp_path):
    m, _, _ = synthetic_dtm(n_docs=60)
    model = fr.TopicModel("nmf", 4).fit(m)
    assert all(label.startswith(f"t{k}: ") for k, label in enumerate(model.labels_))
    model.set_labels({0: "Finance"})
    assert model.labels_[0] == "Finance"
    path = tmp_path / "labels.yaml"
    path.write_text("1: Trade\n2: Culture\n", encoding="utf-8")
    model.set_labels(path)
    assert model.labels_[:3] == ["Finance", "Trade", "Culture"]
    assert set(model.top_terms(2)["label"]) >= {"Finance", "Trade"}
    with pytest.raises(fr.ArgumentError, match="label key 9 is not a topic number 0-3"):
        model.set_labels({9: "x"})


def test_topic_prevalence_means_and_seeded_intervals():
    m, _, theta = synthetic_dtm(n_docs=120)
    model = fr.TopicModel("nmf", 4).fit(m)
    prev = fr.topic_prevalence(model, by="group", n_boot=300, random_state=2)
    again = fr.topic_prevalence(model, by="group", n_boot=300, random_state=2)
    pd.testing.assert_frame_equal(prev, again)
    ut = model.unit_topics()
    direct = ut.groupby(["group", "topic"])["share"].mean()
    got = prev.set_index(["group", "topic"])["prevalence"]
    pd.testing.assert_series_equal(got.sort_index(), direct.sort_index(), check_names=False)
    assert (prev["low"] <= prev["prevalence"]).all() and (prev["prevalence"] <= prev["high"]).all()
    diff = fr.topic_prevalence_differences(model, by="group", n_boot=300)
    row = diff.iloc[0]
    assert row["difference"] == pytest.approx(direct[("a", 0)] - direct[("b", 0)])


def test_search_k_on_the_bundled_corpus_has_no_nan_or_warnings(corpus):
    toks = fr.tokens(corpus, fr.Preprocessor())
    m = fr.dtm(toks, unit="paragraph")
    m = m.select(~m.units["is_heading"].to_numpy()).trim(min_docs=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = fr.search_k(m, ks=[3, 5], seeds=(1, 2), method="lda", passes=5, progress=False, texts=toks)
    assert list(table.columns) == ["k", "seed", "method", "c_v", "c_npmi", "u_mass", "exclusivity", "perplexity", "reconstruction_error"]
    assert len(table) == 4
    assert table[["c_v", "c_npmi", "u_mass", "exclusivity", "perplexity"]].notna().all().all()


def test_topic_stability_flags_and_topic_frames(corpus):
    m = fr.dtm(corpus, fr.Preprocessor(), unit="paragraph")
    m = m.select(~m.units["is_heading"].to_numpy()).trim(min_docs=2)
    st = fr.topic_stability(m, 4, seeds=(1, 2, 3), method="lda", passes=5)
    assert list(st.columns) == ["topic", "label", "mean_similarity", "min_similarity", "runs", "stable"]
    assert st["min_similarity"].between(0, 1.0000001).all() and st["runs"].eq(3).all()
    model = fr.TopicModel("nmf", 5).fit(m)
    tf = fr.topic_frames(model, fr.detect_frames(corpus))
    assert tf["weighted_share"].between(0, 1).all()
    assert len(tf) == 5 * 8


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "plsa"}, r"method='plsa' is not valid"),
        ({"n_topics": 1}, r"n_topics=1 must be an integer of at least 2"),
        ({"n_topics": 500}, r"cannot hold 500 topics"),
        ({"random_state": None}, r"random_state=None must be an integer"),
    ],
)
def test_topics_bad_parameters_are_named_at_fit(kwargs, message):
    m, _, _ = synthetic_dtm(n_docs=30)
    with pytest.raises(fr.ArgumentError, match=message):
        fr.TopicModel(**kwargs).fit(m)
    with pytest.raises(fr.ArgumentError, match="not fitted yet"):
        fr.TopicModel().top_terms()


def test_topic_prevalence_documents_dominance_and_leave_one_out_by_hand():
    # six units in three documents; group a = docs A (2 units) and B (1 unit), group b = doc C (3 units).
    m, _, _ = synthetic_dtm(n_docs=6)
    m = fr.DocumentTermMatrix(m.matrix, m.terms, m.units.assign(doc_id=["A", "A", "B", "C", "C", "C"],
                                                                   group=["a", "a", "a", "b", "b", "b"]),
                              unit="paragraph", preprocessor="pp-synthetic", corpus_hash="x")
    model = fr.TopicModel("nmf", 2, random_state=0).fit(m)
    x = model.unit_topic_
    prev = fr.topic_prevalence(model, by="group", n_boot=200).set_index(["group", "topic"])
    for k in range(2):
        row = prev.loc[("a", k)]
        mass = np.array([x[0, k] + x[1, k], x[2, k]])
        assert row["dominant_share"] == pytest.approx(mass.max() / mass.sum())
        assert row["dominant_document"] == ("A" if mass[0] >= mass[1] else "B")
        assert row["effective_docs"] == pytest.approx(mass.sum() ** 2 / (mass**2).sum())
        without = sorted([x[2, k], x[:2, k].mean()])  # without A: B's unit; without B: A's two units
        assert (row["prevalence_loo_min"], row["prevalence_loo_max"]) == pytest.approx(tuple(without))
        assert row["interval"] == "documents"
        b = prev.loc[("b", k)]
        assert b["interval"] == "within-document" and np.isnan(b["prevalence_loo_min"]) and b["dominant_share"] == 1.0
    diff = fr.topic_prevalence_differences(model, by="group", n_boot=200)
    for k in range(2):
        d = diff[diff["topic"] == k].iloc[0]
        loo = np.array([x[2, k], x[:2, k].mean()]) - x[3:, k].mean()
        assert d["loo_docs"] == 2 and d["interval"] == "within-document"
        assert d["loo_holds"] == float((np.sign(loo) == np.sign(d["difference"])).all())
    per_doc = fr.document_prevalence(model, by="group")
    assert per_doc.set_index(["doc_id", "topic"]).loc[("C", 0), "prevalence"] == pytest.approx(x[3:, 0].mean())


def test_topic_prevalence_interval_resamples_documents():
    # group a: two documents, one all topic 0, one all topic 1 (by construction of the shares);
    # a two-stage bootstrap draws the same document twice in about half the replicates, so the
    # interval reaches both ends; a unit bootstrap would stay near 0.5.
    m, _, _ = synthetic_dtm(n_docs=40)
    units = m.units.assign(doc_id=["A"] * 10 + ["B"] * 10 + [f"c{i}" for i in range(20)], group=["a"] * 20 + ["b"] * 20)
    m = fr.DocumentTermMatrix(m.matrix, m.terms, units, unit="paragraph", preprocessor="pp-synthetic", corpus_hash="x")
    model = fr.TopicModel("nmf", 2, random_state=0).fit(m)
    shares = np.zeros((40, 2))
    shares[:10, 0] = shares[10:20, 1] = 1.0
    shares[20:] = 0.5
    object.__setattr__(model, "unit_topic_", shares)
    row = fr.topic_prevalence(model, by="group", n_boot=400).set_index(["group", "topic"]).loc[("a", 0)]
    assert row["prevalence"] == pytest.approx(0.5)
    assert row["low"] < 0.05 and row["high"] > 0.95


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_coherence_kernels_equal_gensim_on_long_units_with_repeated_words(seed):
    # units longer than both windows and words that recur within a window: gensim slides its windows by marking the
    # word that left absent, even when another of its occurrences is still inside; the kernels count the same
    from gensim.corpora import Dictionary
    from gensim.models import CoherenceModel

    from framing.measures import coherence as kernels

    rng = np.random.default_rng(seed)
    vocabulary = [f"w{i}" for i in range(40)]
    texts = [list(rng.choice(vocabulary, size=rng.integers(0, 300), p=rng.dirichlet(np.ones(40) * 0.5)))
             for _ in range(60)]
    topics = [list(rng.choice(vocabulary, size=8, replace=False)) for _ in range(5)]
    d = Dictionary(texts)
    topics = [[w for w in t if w in d.token2id] for t in topics]
    words = sorted({w for t in topics for w in t})
    code = {w: i for i, w in enumerate(words)}
    units = [np.array([code.get(w, len(words)) for w in text], dtype=np.int64) for text in texts]
    coded = [[code[w] for w in t] for t in topics]
    for measure in ("c_v", "c_npmi"):
        ref = CoherenceModel(topics=topics, texts=texts, dictionary=d, coherence=measure, processes=1)
        counts, n = kernels.coherence_counts(units, len(words), kernels.WINDOW[measure])
        ours = kernels.topic_coherence(measure, coded, counts, n)
        assert np.allclose(ours, ref.get_coherence_per_topic(), rtol=1e-12, atol=1e-12), measure
