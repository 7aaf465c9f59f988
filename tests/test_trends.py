"""Trends: documents binned by date, measures per bin and group checked against pandas by hand,
intervals over documents checked against the exact bootstrap distribution."""

from __future__ import annotations

import logging
from itertools import product
from math import factorial

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

import framing as fr  # noqa: E402
from framing.measures.trends import (  # noqa: E402
    FRAME_TREND_COLUMNS,
    TERM_TREND_COLUMNS,
    TOPIC_TREND_COLUMNS,
    bin_dates,
    frame_trend,
    term_trend,
    topic_trend,
)
from framing.viz.plots import plot_term_trend, plot_topic_trend  # noqa: E402

#: Seven documents of two parties over two years; paragraphs are separated by blank lines, and every
#: word survives the default preprocessor as it is, so counts can be made from the texts with str.split.
DOCS = pd.DataFrame([
    ("a1", "x", "2020-02-10", "trade port trade\n\nbridge harbour"),
    ("a2", "x", "2020-07", "trade bridge\n\nharbour harbour port"),
    ("a3", "x", "2020-11-30", "port port\n\ntrade"),
    ("b1", "y", "2020-05-01", "bridge bridge trade"),
    ("b2", "y", "2021-01-15", "trade trade trade port"),
    ("a4", "x", "2021-03", "harbour bridge"),
    ("a5", "x", "2021-12-24", "trade harbour\n\nport"),
], columns=["doc_id", "party", "date", "text"])


@pytest.fixture(scope="module")
def corpus():
    return fr.Corpus.from_frame(DOCS, group_by="party", paragraphs="blank_line")


@pytest.fixture(scope="module")
def para_dtm(corpus):
    return fr.dtm(corpus, fr.Preprocessor(), unit="paragraph")


def _by_hand(freq_of, term="trade", by="party"):
    """Per bin and group: occurrences of ``term`` per 1,000 words and the number of documents, with pandas."""
    d = DOCS.assign(bin=DOCS["date"].map(freq_of), count=DOCS["text"].map(lambda t: t.split().count(term)),
                    tokens=DOCS["text"].map(lambda t: len(t.split())))
    keys = ["bin", by] if by else ["bin"]
    g = d.groupby(keys).agg(count=("count", "sum"), tokens=("tokens", "sum"), n_docs=("doc_id", "nunique"))
    return g.assign(value=1000 * g["count"] / g["tokens"])


# --------------------------------------------------------------------------- bins


@pytest.mark.parametrize("freq,label", [
    ("year", lambda p: str(p.year)),
    ("quarter", lambda p: f"{p.year}-Q{p.quarter}"),
    ("month", lambda p: f"{p.year}-{p.month:02d}"),
])
def test_trends_bin_dates_match_pandas_periods(freq, label):
    dates = pd.Series({"a": "2020-02-10", "b": "2020-07", "c": "2021-12-24", "d": "2020-11-30"})
    out = bin_dates(dates, freq)
    code = {"year": "Y", "quarter": "Q", "month": "M"}[freq]
    periods = [pd.Period(dates[d] if len(dates[d]) > 7 else dates[d] + "-01", code) for d in out["doc_id"]]
    assert out["bin"].tolist() == [label(p) for p in periods]
    assert out["start"].tolist() == [p.start_time.date().isoformat() for p in periods]
    assert out["end"].tolist() == [p.end_time.date().isoformat() for p in periods]


def test_trends_bin_dates_by_day_takes_dates_and_timestamps():
    out = bin_dates({"a": pd.Timestamp("2021-03-04 17:30"), "b": "2021-03-05", "c": np.datetime64("2021-03-06")}, "day")
    assert out["bin"].tolist() == ["2021-03-04", "2021-03-05", "2021-03-06"]
    assert (out["start"] == out["end"]).all()


def test_trends_an_interval_inside_one_bin_is_placed_one_across_bins_is_named():
    assert bin_dates({"a": "2025-08-05/2025-08-06"}, "month")["bin"].tolist() == ["2025-08"]
    assert bin_dates({"a": "2025-07/2025-09"}, "quarter")["bin"].tolist() == ["2025-Q3"]
    with pytest.raises(fr.ArgumentError, match=r"'a' \(2025-09/2025-11 spans 2025-Q3 to 2025-Q4\)"):
        bin_dates({"a": "2025-09/2025-11"}, "quarter")
    with pytest.raises(fr.ArgumentError, match=r"'b' \(2025 spans 2025-01 to 2025-12\)"):
        bin_dates({"a": "2025-03-01", "b": "2025"}, "month")


def test_trends_missing_dates_are_an_error_naming_the_documents():
    dates = {"a": "2020-01-01", "b": None, "c": "not a date", "d": float("nan"), "e": ""}
    with pytest.raises(fr.ArgumentError) as err:
        bin_dates(dates, "year")
    msg = str(err.value)
    assert "4 of 5 documents have no date within one year" in msg
    assert "'b' (no date)" in msg and "'c' ('not a date' is not an ISO 8601 date)" in msg and "'e' (no date)" in msg
    assert "dropna=True" in msg


def test_trends_dropna_leaves_them_out_and_reports_the_count(caplog, corpus):
    dated = DOCS.assign(date=DOCS["date"].where(~DOCS["doc_id"].isin(["a2", "b2"]), None))
    c = fr.Corpus.from_frame(dated, group_by="party", paragraphs="blank_line")
    m = fr.dtm(c, fr.Preprocessor(), unit="document")
    with pytest.raises(fr.ArgumentError, match=r"2 of 7 documents .* 'a2' \(no date\), 'b2' \(no date\)"):
        term_trend(m, "trade")
    with caplog.at_level(logging.WARNING, logger="framing.measures.trends"):
        table = term_trend(m, "trade", dropna=True, n_boot=50)
    assert "left out 2 of 7 documents" in caplog.text
    assert table.attrs["dropped"] == ["a2", "b2"]
    assert table["n_docs"].sum() == 5


def test_trends_bad_arguments_are_named(para_dtm):
    with pytest.raises(fr.ArgumentError, match=r"freq='week' is not valid; choose one of 'day', 'month', 'quarter', 'year'"):
        term_trend(para_dtm, "trade", freq="week")
    with pytest.raises(fr.ArgumentError, match=r"terms 'tarde' match no term of the matrix"):
        term_trend(para_dtm, ["trade", "tarde"])
    with pytest.raises(fr.ArgumentError, match=r"date='published': no column 'published'"):
        term_trend(para_dtm, "trade", date="published")
    with pytest.raises(fr.ArgumentError, match=r"n_boot=5 must be an integer of at least 10"):
        term_trend(para_dtm, "trade", n_boot=5)


# --------------------------------------------------------------------------- values against pandas


@pytest.mark.parametrize("freq,freq_of", [
    ("year", lambda d: d[:4]),
    ("quarter", lambda d: f"{d[:4]}-Q{(int(d[5:7]) - 1) // 3 + 1}"),
])
@pytest.mark.parametrize("unit", ["paragraph", "document"])
def test_trends_term_trend_matches_counts_by_hand(corpus, freq, freq_of, unit):
    table = term_trend(fr.dtm(corpus, fr.Preprocessor(), unit=unit), "trade", freq=freq, n_boot=50)
    assert list(table.columns) == TERM_TREND_COLUMNS
    expected = _by_hand(freq_of)
    got = table.set_index(["bin", "group"])
    assert sorted(got.index) == sorted(expected.index)
    for key, row in expected.iterrows():
        assert got.loc[key, "count"] == row["count"] and got.loc[key, "tokens"] == row["tokens"]
        assert got.loc[key, "value"] == pytest.approx(row["value"])
        assert got.loc[key, "n_docs"] == row["n_docs"]
    assert table["bin"].tolist() == sorted(table["bin"])  # bins in time order


def test_trends_one_group_and_globs(para_dtm):
    table = term_trend(para_dtm, ["trade", "b*"], by=(), n_boot=50)
    assert set(table["group"]) == {"all"}
    expected = _by_hand(lambda d: d[:4], by=None)
    bridge = _by_hand(lambda d: d[:4], term="bridge", by=None)
    got = table.set_index(["bin", "term"])
    for b in ("2020", "2021"):
        assert got.loc[(b, "trade"), "value"] == pytest.approx(expected.loc[b, "value"])
        assert got.loc[(b, "b*"), "count"] == bridge.loc[b, "count"]  # 'b*' matches only 'bridge' here


def test_trends_frame_trend_matches_paragraph_shares_by_hand(corpus, tmp_path):
    path = tmp_path / "cb.yml"
    path.write_text("trade_frame: [trade]\nbridge_frame: [bridge]\n", encoding="utf-8")
    result = fr.detect_frames(corpus, fr.load_codebook(path))
    table = frame_trend(result, freq="year", n_boot=50)
    assert list(table.columns) == FRAME_TREND_COLUMNS
    paras = DOCS.assign(p=DOCS["text"].str.split("\n\n")).explode("p")
    paras["bin"] = paras["date"].str[:4]
    for frame, word in (("trade_frame", "trade"), ("bridge_frame", "bridge")):
        has = paras.assign(w=paras["p"].map(lambda t: word in t.split()))
        expected = has.groupby(["bin", "party"]).agg(share=("w", "mean"), units=("w", "size"), with_=("w", "sum"),
                                                     n_docs=("doc_id", "nunique"))
        got = table[table["frame"] == frame].set_index(["bin", "group"])
        assert sorted(got.index) == sorted(expected.index)
        for key, row in expected.iterrows():
            assert got.loc[key, "value"] == pytest.approx(row["share"])
            assert got.loc[key, "n_units"] == row["units"] and got.loc[key, "units_with_frame"] == row["with_"]
            assert got.loc[key, "n_docs"] == row["n_docs"]
        single = got[got["n_docs"] == 1]
        assert len(single) and single["low"].isna().all() and single["high"].isna().all()  # one document: no interval


def test_trends_topic_trend_matches_mean_shares_by_hand(para_dtm):
    model = fr.TopicModel("nmf", 2, random_state=1).fit(para_dtm)
    table = topic_trend(model, freq="year", n_boot=50)
    assert list(table.columns) == TOPIC_TREND_COLUMNS
    long = model.unit_topics()
    long["bin"] = long["date"].str[:4]
    expected = long.groupby(["bin", "party", "topic"]).agg(share=("share", "mean"), n_docs=("doc_id", "nunique"),
                                                            units=("unit_id", "nunique"))
    got = table.set_index(["bin", "group", "topic"])
    assert sorted(got.index) == sorted(expected.index)
    for key, row in expected.iterrows():
        assert got.loc[key, "value"] == pytest.approx(row["share"])
        assert got.loc[key, "n_docs"] == row["n_docs"] and got.loc[key, "n_units"] == row["units"]
    assert set(table["label"]) == set(model.labels_)


# --------------------------------------------------------------------------- intervals over documents


def test_trends_two_documents_give_the_interval_between_their_own_rates():
    # each document has paragraphs of very different rates: resampling paragraphs would reach 0 and 1000,
    # resampling the two documents can only give their own rates (each drawn twice, p = 1/4) or the pooled one
    docs = pd.DataFrame({"doc_id": ["d1", "d2"], "date": ["2020-01", "2020-06"],
                         "text": ["trade trade\n\nport port port port", "trade\n\nport port port port port port port"]})
    m = fr.dtm(fr.Corpus.from_frame(docs, paragraphs="blank_line"), fr.Preprocessor(), unit="paragraph")
    row = term_trend(m, "trade", by=(), n_boot=2000).iloc[0]
    r1, r2 = 1000 * 2 / 6, 1000 * 1 / 8
    assert row["value"] == pytest.approx(1000 * 3 / 14)
    assert row["low"] == pytest.approx(r2) and row["high"] == pytest.approx(r1)


def test_trends_interval_sits_at_the_exact_bootstrap_quantiles():
    """Five documents: the exact distribution of the resampled rate over all 5^5 ordered draws
    (126 distinct ones, weighted by their multinomial probability), computed here with itertools."""
    counts = np.array([0, 1, 2, 4, 7])
    tokens = np.array([10, 8, 9, 10, 12])
    words = lambda k, n: " ".join(["trade"] * k + ["port"] * (n - k))  # noqa: E731
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(5)], "date": "2020",
                         "text": [words(k, n) for k, n in zip(counts, tokens)]})
    m = fr.dtm(fr.Corpus.from_frame(docs), fr.Preprocessor(), unit="document")
    row = term_trend(m, "trade", by=(), n_boot=20000, random_state=3).iloc[0]

    values, probs = [], []
    for draw in product(range(6), repeat=5):
        if sum(draw) != 5:
            continue
        w = np.array(draw)
        values.append(1000 * (w @ counts) / (w @ tokens))
        probs.append(factorial(5) / np.prod([factorial(k) for k in draw]) / 5**5)
    values, probs = np.array(values), np.array(probs)
    assert probs.sum() == pytest.approx(1.0)

    def below(x):  # P(X < x), P(X <= x) of the exact bootstrap distribution
        return probs[values < x - 1e-9].sum(), probs[values <= x + 1e-9].sum()

    tol = 0.006  # Monte Carlo error of a 2.5% quantile from 20,000 draws is about 0.0011
    lo_strict, lo_weak = below(row["low"])
    hi_strict, hi_weak = below(row["high"])
    assert lo_strict <= 0.025 + tol and lo_weak >= 0.025 - tol
    assert hi_strict <= 0.975 + tol and hi_weak >= 0.975 - tol
    assert values.min() < row["low"] < row["value"] < row["high"] < values.max()  # not just the extremes


def test_trends_are_deterministic(para_dtm):
    a = term_trend(para_dtm, "trade", n_boot=200, random_state=7)
    b = term_trend(para_dtm, "trade", n_boot=200, random_state=7)
    pd.testing.assert_frame_equal(a, b)


# --------------------------------------------------------------------------- plots


def test_trends_plot_term_trend_lines_bands_legend_and_bins(para_dtm):
    table = term_trend(para_dtm, ["trade", "bridge"], freq="quarter", n_boot=50)
    fig, ax = plt.subplots()
    out = plot_term_trend(table, term="trade", colors={"y": "#123456"}, ax=ax)
    assert out is ax
    assert len(ax.lines) == 2  # one per party
    legend = {t.get_text(): to_hex(h.get_color()) for h, t in zip(ax.get_legend().legend_handles, ax.get_legend().get_texts())}
    assert legend == {"x (5 docs)": "#0072b2", "y (2 docs)": "#123456"}
    t = table[table["term"] == "trade"]
    assert [x.get_text() for x in ax.get_xticklabels()] == sorted(t["bin"].unique())
    plt.close(fig)
    with pytest.raises(fr.ArgumentError, match="choose one with term="):
        plot_term_trend(table)
    with pytest.raises(fr.ArgumentError, match="term 'port' is not in the table"):
        plot_term_trend(table, term="port")


def test_trends_plot_frame_and_topic_trend(corpus, para_dtm, tmp_path):
    path = tmp_path / "cb.yml"
    path.write_text("trade_frame: [trade]\n", encoding="utf-8")
    table = frame_trend(fr.detect_frames(corpus, fr.load_codebook(path)), freq="year", n_boot=50)
    fig, (ax1, ax2) = plt.subplots(1, 2)
    fr.plot_frame_trend(table, ax=ax1)
    assert [t.get_text() for t in ax1.get_xticklabels()] == ["2020", "2021"]
    assert [t.get_text() for t in ax1.get_legend().get_texts()] == ["x (5 docs)", "y (2 docs)"]
    model = fr.TopicModel("nmf", 2, random_state=1).fit(para_dtm)
    plot_topic_trend(topic_trend(model, freq="year", n_boot=50), topic=1, legend=False, ax=ax2)
    assert ax2.get_legend() is None and ax2.get_title(loc="left") == f"1: {model.labels_[1]}"
    plt.close(fig)
