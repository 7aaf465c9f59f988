"""Compiled artefacts are keyed by the content they were compiled from: an edited data file takes effect."""

from __future__ import annotations

import pandas as pd

import framing as fr


def test_stale_an_edited_vocabulary_makes_a_new_id_and_new_tokens(tmp_path):
    vocab = tmp_path / "vocabulary.yaml"
    vocab.write_text("expressions:\n  - term: big_apple\n    phrases: [big apple]\n", encoding="utf-8")
    old = fr.Preprocessor(phrases=str(vocab), stopwords=None)
    assert [t for t, _, _ in old.tokenize("the big apple and the red river")] == ["the", "big_apple", "and", "the", "red", "river"]
    vocab.write_text("expressions:\n  - term: red_river\n    phrases: [red river]\n", encoding="utf-8")
    new = fr.Preprocessor(phrases=str(vocab), stopwords=None)
    assert new.id != old.id and new != old
    assert [t for t, _, _ in new.tokenize("the big apple and the red river")] == ["the", "big", "apple", "and", "the", "red_river"]
    # the old preprocessor keeps the vocabulary its id was made from
    assert "big_apple" in [t for t, _, _ in old.tokenize("the big apple")]


def test_stale_a_token_cache_never_stores_old_tokens_under_a_new_id(tmp_path):
    vocab = tmp_path / "vocabulary.yaml"
    corpus = fr.Corpus.from_frame(pd.DataFrame({"doc_id": ["a"], "text": ["The big apple and the red river."]}))
    cache = fr.TokenCache(tmp_path / "cache")
    vocab.write_text("expressions:\n  - term: big_apple\n    phrases: [big apple]\n", encoding="utf-8")
    fr.tokens(corpus, fr.Preprocessor(phrases=str(vocab)), cache=cache)
    vocab.write_text("expressions:\n  - term: red_river\n    phrases: [red river]\n", encoding="utf-8")
    pre = fr.Preprocessor(phrases=str(vocab))
    fresh = fr.tokens(corpus, pre, cache=cache).to_frame()["term"].tolist()
    assert "red_river" in fresh and "big_apple" not in fresh
    again = fr.tokens(corpus, pre, cache=fr.TokenCache(tmp_path / "cache")).to_frame()["term"].tolist()
    assert again == fresh


def test_stale_an_edited_blocs_file_takes_effect_in_the_same_process(tmp_path):
    blocs = tmp_path / "blocs.yaml"
    corpus = fr.Corpus.from_frame(pd.DataFrame({"doc_id": ["a"], "text": ["France and Egypt signed."]}))
    blocs.write_text("blocs:\n  west: [FRA]\n  global_south: [EGY]\ndefault: other\n", encoding="utf-8")
    first = fr.places(corpus, blocs=str(blocs)).set_index("place")["bloc"].to_dict()
    blocs.write_text("blocs:\n  global_south: [EGY]\ndefault: other\n", encoding="utf-8")
    second = fr.places(corpus, blocs=str(blocs)).set_index("place")["bloc"].to_dict()
    assert first == {"France": "west", "Egypt": "global_south"}
    assert second == {"France": "other", "Egypt": "global_south"}


def test_stale_the_word_memo_is_bounded_and_gives_the_same_terms(monkeypatch):
    from framing.base import memo
    from framing.text import preprocess

    monkeypatch.setattr(memo, "MEMO_LIMIT", 50)
    pre = fr.Preprocessor(stopwords=None, phrases=None)
    machine = preprocess.token_machine(pre)
    words = " ".join(f"word{i}x" for i in range(400))
    terms = [t for t, _, _ in pre.tokenize(words)]
    assert terms == [f"word{i}x" for i in range(400)]
    assert len(machine.memo) <= 50 and len(machine.span_memo) <= 50


def test_stale_the_stance_head_memo_is_bounded_and_gives_the_same_stances(monkeypatch):
    from framing.base import memo
    from framing.measures.frames.stance import Cue, StanceRules

    monkeypatch.setattr(memo, "MEMO_LIMIT", 20)
    rules = StanceRules((Cue("negated", ("not", "*n't")), Cue("past", ("was",))))
    sentence = " ".join(f"w{i}" for i in range(200)) + " Hong Kong was not a bridge"
    start = sentence.index("bridge")
    assert rules.classify(sentence, start, start + 6) == ("negated", "not")
    assert len(rules._heads.memo) <= 20
    assert rules.classify("Hong Kong wasn't a bridge", 18, 24) == ("negated", "wasn't")
