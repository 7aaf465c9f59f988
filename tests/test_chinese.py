"""Chinese and mixed Chinese-English text: segmentation, spans, stopwords, folding, kwic and frames.

The sentences are written for these tests (traditional and simplified), not taken from any source.
"""

import re

import pandas as pd
import pytest

import framing as fr
from framing.measures.frames.codebook import load_codebook
from framing.measures.frames.matcher import detect_text
from framing.text.preprocess import DEFAULT_TOKEN_PATTERN, iter_stopwords

pytest.importorskip("jieba")
pytest.importorskip("opencc")

PRE = fr.Preprocessor()

# written for the tests: two traditional, two simplified, one mixed
TEXTS = {
    "t1": "香港在「一帶一路」中擔當超級聯繫人的角色。\n\n二〇二五年，特區政府與東盟加強合作。",
    "t2": "評論指出，美國對香港官員實施制裁，國安法受到批評。",
    "s1": "香港是超级联系人，也是超级增值人。\n\n全球南方国家与中东的合作日益密切。",
    "s2": "坚决反对外国势力干涉香港事务。",
    "m1": "香港是超級聯繫人 and a bridge for the Belt and Road.",
}


@pytest.fixture(scope="module")
def corpus() -> fr.Corpus:
    df = pd.DataFrame({"doc_id": list(TEXTS), "text": list(TEXTS.values()),
                       "script": ["traditional", "traditional", "simplified", "simplified", "mixed"]})
    return fr.Corpus.from_frame(df, group_by="script")


def terms(text: str, pre: fr.Preprocessor = PRE) -> list[str]:
    return [t for t, _, _ in pre.tokenize(text)]


def test_chinese_clause_is_segmented_into_words():
    # before: the whole clause was one token
    assert terms("坚决反对外国势力干涉香港事务", fr.Preprocessor(chinese="keep")) == ["坚决反对外国势力干涉香港事务"]
    assert terms("坚决反对外国势力干涉香港事务") == ["坚决", "反对", "外国", "势力", "干涉", "hong_kong", "事务"]


def test_chinese_mixed_text_keeps_english_rules():
    assert terms(TEXTS["m1"]) == ["hong_kong", "super_connector", "bridge", "belt_and_road"]
    # Han characters glued to Latin letters or digits are cut apart
    assert terms("2025年香港GDP") == ["年", "hong_kong", "gdp"]


@pytest.mark.parametrize("text", list(TEXTS.values()))
def test_chinese_spans_point_at_the_surface(text):
    spans = PRE.tokenize(text)
    assert spans == sorted(spans, key=lambda s: s[1])
    assert sorted(PRE.terms(text)) == sorted(t for t, _, _ in spans)
    for term, a, b in spans:
        surface = text[a:b]
        assert surface.strip() == surface and surface
        if re.fullmatch(r"[\u4e00-\u9fff]+", surface) and not term.isascii():
            # an ordinary Chinese word: its term is its surface, folded to simplified characters
            assert len(term) == len(surface)


def test_chinese_offsets_of_a_hand_checked_sentence():
    text = "香港是超級聯繫人。"
    assert PRE.tokenize(text) == [("hong_kong", 0, 2), ("super_connector", 3, 8)]
    assert text[3:8] == "超級聯繫人"


def test_chinese_punctuation_is_never_a_token():
    text = "香港，東盟；中東：「一帶一路」『合作』《條例》！？、。"
    got = terms(text, fr.Preprocessor(stopwords=None))
    assert got == ["hong_kong", "asean", "middle_east", "belt_and_road", "合作", "条例"]
    assert not any(re.search(r"[，。、；：「」『』《》！？]", t) for t in got)


def test_chinese_traditional_and_simplified_fold_to_one_term():
    for trad, simp, term in [("一帶一路", "一带一路", "belt_and_road"), ("超級聯繫人", "超级联系人", "super_connector"),
                             ("超級增值人", "超级增值人", "super_value_adder"), ("中東", "中东", "middle_east"),
                             ("東盟", "东盟", "asean"), ("國家安全法", "国家安全法", "national_security_law"),
                             ("國安法", "国安法", "national_security_law"), ("全球南方", "全球南方", "global_south")]:
        assert terms(trad) == terms(simp) == [term]
    # ordinary words too: 國家 and 国家 count as one term, in simplified characters
    assert terms("國家發展") == terms("国家发展") == ["国家", "发展"]
    # without folding, the vocabulary still lists both forms, but other words keep their script
    seg = fr.Preprocessor(chinese="segment")
    assert terms("一帶一路", seg) == terms("一带一路", seg) == ["belt_and_road"]
    assert terms("发展", seg) == ["发展"]
    assert "".join(terms("國家發展", seg)) == "國家發展"  # kept as written (jieba's dictionary is simplified: folding helps)


def test_chinese_vocabulary_phrase_found_inside_a_dictionary_compound():
    # jieba's dictionary holds 香港特区政府 as one word; the vocabulary's 香港 is cut out of it
    assert terms("香港特區政府") == ["hong_kong", "特区政府"]


def test_chinese_stopwords():
    text = "香港的角色和東盟的合作"
    assert terms(text) == ["hong_kong", "角色", "asean", "合作"]
    assert terms(text, fr.Preprocessor(stopwords="chinese")) == ["hong_kong", "角色", "asean", "合作"]
    assert terms(text, fr.Preprocessor(stopwords=None)) == ["hong_kong", "的", "角色", "和", "asean", "的", "合作"]
    # the Chinese list leaves English words alone, and the default removes both
    assert terms("the role of 香港", fr.Preprocessor(stopwords="chinese")) == ["the", "role", "of", "hong_kong"]
    assert terms("the role of 香港的") == ["role", "hong_kong"]
    assert {"的", "與", "与"} <= set(iter_stopwords(PRE, chinese=True)) - set(iter_stopwords(PRE))
    assert set(iter_stopwords(fr.Preprocessor(stopwords="chinese"), chinese=True)) == set(iter_stopwords(PRE, chinese=True)) - \
        set(iter_stopwords(PRE))
    # a traditional extra stopword removes its simplified form too
    assert terms("角色合作發展", fr.Preprocessor(extra_stopwords=("發展",))) == ["角色", "合作"]


def test_chinese_numbers_follow_the_numbers_option():
    text = "二〇二五年，香港有三百萬人。"
    assert terms(text) == ["年", "hong_kong", "人"]
    keep = fr.Preprocessor(numbers="keep")
    assert terms(text, keep) == ["二〇二五", "年", "hong_kong", "三百万", "人"]
    assert terms("一九九七年") == ["年"]


def test_chinese_english_results_unchanged():
    # worked by hand: the same as before Chinese segmentation existed
    sentence = "The U.S. sanctioned Hong Kong's officials; the Belt and Road is 10 years old."
    assert terms(sentence) == ["united_states", "sanction", "hong_kong", "official", "belt_and_road", "year", "old"]
    plain = fr.Preprocessor(stopwords=None, normalize=None, phrases=None, possessives="keep", typography="keep",
                            numbers="keep")
    text = "Hong Kong's role-play, don't stop: 2025 A.D."
    assert terms(text, plain) == re.findall(DEFAULT_TOKEN_PATTERN, text.lower())
    # and the same with Chinese segmentation off
    for text in (sentence, "Hong Kong as a super-connector for ASEAN and the Middle East."):
        assert PRE.tokenize(text) == fr.Preprocessor(chinese="keep").tokenize(text)


def test_chinese_own_token_pattern_is_applied_as_given():
    own = fr.Preprocessor(token_pattern=r"\S+", stopwords=None, normalize=None, phrases=None)
    assert terms("香港，中國 and", own) == ["香港，中國", "and"]


def test_chinese_setting_is_checked_and_recorded():
    with pytest.raises(fr.PreprocessorError, match=r"Preprocessor\(chinese='zh'\): choose 'fold', 'segment' or 'keep'"):
        fr.Preprocessor(chinese="zh")
    with pytest.raises(fr.PreprocessorError, match="choose 'english', None, or a tuple of words \\('chinese'"):
        fr.Preprocessor(stopwords="french")
    ids = {fr.Preprocessor(chinese=c).id for c in ("fold", "segment", "keep")}
    assert len(ids) == 3


def test_chinese_tokens_and_kwic(corpus):
    toks = fr.tokens(corpus, PRE)
    table = toks.to_frame()
    assert (table["surface"] == [corpus[d].text[a:b] for d, a, b in zip(table["doc_id"], table["start"], table["end"])]).all()
    hk = table[table["term"] == "hong_kong"]
    assert set(hk["surface"]) == {"香港"} and len(hk) == 5
    conc = fr.kwic(toks, "香港", window=3)
    assert len(conc) == 5 and set(conc["keyword"]) == {"香港"}
    for row in conc.itertuples():
        assert corpus[row.doc_id].text[row.start:row.end] == "香港"
    # a traditional pattern finds the simplified text and the other way round
    assert set(fr.kwic(toks, "一帶一路")["doc_id"]) == set(fr.kwic(toks, "一带一路")["doc_id"]) == {"t1", "m1"}
    assert set(fr.kwic(toks, "超級聯繫人")["doc_id"]) == {"t1", "s1", "m1"}


CODEBOOK_ZH = """\
codebook: zh_mini
version: 0.1
frames:
  - id: connector
    label: Connector
    indicators:
      - phrase: 超級聯繫人
      - phrase: 一帶一路
  - id: tension
    label: Tension
    indicators:
      - phrase: 制裁
      - phrase: 外国势力
"""


def test_chinese_codebook_indicators(tmp_path, corpus):
    path = tmp_path / "zh.yaml"
    path.write_text(CODEBOOK_ZH, encoding="utf-8")
    cb = load_codebook(path)
    hits = [(h.frame, h.indicator) for h in detect_text("香港是超级联系人，美國實施制裁。", cb)]
    assert hits == [("connector", "phrase:超級聯繫人"), ("tension", "phrase:制裁")]
    result = fr.detect_frames(corpus, cb)
    ev = result.evidence
    for row in ev.itertuples():
        assert corpus[row.doc_id].text[row.start:row.end] == row.matched
    found = set(zip(ev["doc_id"], ev["frame"], ev["matched"]))
    assert {("t1", "connector", "一帶一路"), ("t1", "connector", "超級聯繫人"), ("s1", "connector", "超级联系人"),
            ("m1", "connector", "超級聯繫人"), ("t2", "tension", "制裁"), ("s2", "tension", "外国势力")} <= found
