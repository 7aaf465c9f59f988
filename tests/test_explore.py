"""The explorer page: what it embeds, that it is self-contained and inert, and (in headless Chromium) that it works."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import framing as fr
from framing.base.errors import ArgumentError
from framing.cli import main
from framing.output.explore import allocate, explore, explore_data, explore_html, spread

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
INSTALL = ("the browser tests need Debian's chromium and chromium-driver and the selenium package: run the install "
           "step of .ci/run (apt-get install -y chromium chromium-driver) and pip install selenium")
HOSTILE = "</script><script>alert(1)</script> <img src=x onerror=alert(2)> & <!-- --> \u2028 end"


def data_of(page: str) -> dict:
    """The JSON the page embeds."""
    match = re.search(r'<script type="application/json" id="explore-data">(.*?)</script>', page, re.S)
    assert match, "no data block"
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def model(corpus):
    m = fr.dtm(corpus, unit="paragraph")
    m = m.select(~m.units["is_heading"].to_numpy()).trim(min_docs=2)
    return fr.TopicModel("lda", 4, random_state=1, passes=5).fit(m)


@pytest.fixture(scope="module")
def page(corpus, model, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("explore") / "explore.html"
    return explore(corpus, path, by="source_type", codebook="default", subject=["hong_kong"], topic_model=model)


@pytest.fixture(scope="module")
def hostile_corpus() -> fr.Corpus:
    texts = [
        f"The bridge matters. {HOSTILE} The bridge opened to trade with the world.",
        "Sanctions hit the city. The bridge is closed; sanctions and trade again.",
        f"A second {HOSTILE} text about trade and the bridge.",
        "Trade and sanctions, sanctions and trade, the world and the city.",
    ]
    frame = pd.DataFrame({"doc_id": ["a1", "a2", "b1", "b2"], "text": texts, "side": ["a", "a", "b", "b"]})
    return fr.Corpus.from_frame(frame, text="text", doc_id="doc_id", group_by="side", name="hostile")


@pytest.fixture(scope="module")
def hostile_page(hostile_corpus, tmp_path_factory) -> Path:
    return explore(hostile_corpus, tmp_path_factory.mktemp("hostile") / "hostile.html", min_count=1)


# --------------------------------------------------------------------------- without a browser


def test_explore_allocate_and_spread_share_a_cap():
    assert allocate([3, 50, 10], 20) == [3, 9, 8]  # q = 8 fits (3 + 8 + 8 = 19); one left goes to the first with more
    assert allocate([0, 5], 3) == [0, 3]
    assert allocate([2, 2], 10) == [2, 2]
    assert sum(allocate([7, 1, 30, 4], 9)) == 9
    assert spread(10, 3) == [1, 5, 8]
    assert spread(3, 5) == [0, 1, 2]


def test_explore_page_is_self_contained(page):
    html = page.read_text("utf-8")
    assert not re.search(r"""<script[^>]*\bsrc\s*=""", html, re.I)
    assert not re.search(r"""<link[^>]*rel\s*=\s*["']?stylesheet""", html, re.I)
    assert not re.search(r"""\b(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?(?:https?:)?//", html, re.I)
    assert "default-src 'none'" in html
    assert html.count("<script") == 2  # the data block and the page's script


def test_explore_embeds_hostile_text_inert(hostile_page):
    html = hostile_page.read_text("utf-8")
    assert html.count("<script") == 2 and html.count("</script>") == 2
    assert "alert(1)" in html and "<script>alert(1)" not in html and "<img src=x" not in html
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in html
    data = data_of(html)
    assert any(HOSTILE in seg[2] for seg in data["segments"])  # the text itself, unchanged, as data


def test_explore_same_inputs_give_the_same_bytes(corpus, model):
    kwargs = dict(by="source_type", codebook="default", topic_model=model, max_terms=300)
    assert explore_html(corpus, **kwargs) == explore_html(corpus, **kwargs)


def test_explore_states_and_keeps_its_caps(corpus):
    data = explore_data(corpus, by="source_type", codebook="default", max_terms=50, max_lines=2, max_evidence=20)
    assert len(data["terms"]["term"]) == 50 < data["terms"]["tested"]
    per_term = pd.Series([line[0] for line in data["kwic"]["lines"]]).value_counts()
    assert per_term.max() <= 2 and len(per_term) == 50
    assert len(data["frames"]["rows"]) == 20 < data["frames"]["n_hits"]
    assert sum(t[3] for t in data["frames"]["totals"]) == data["frames"]["n_hits"]
    assert len(data["comparisons"]) == 4 and {c["reference"] for c in data["comparisons"]} == {-1}


def test_explore_concordance_offsets_are_those_of_kwic(corpus):
    """Every occurrence, when the cap allows, at the offsets fr.kwic finds independently."""
    data = explore_data(corpus, by="source_type", max_lines=10_000)
    i = data["terms"]["term"].index("belt_and_road")
    segments, docs = data["segments"], data["docs"]
    found = {(docs[segments[s][0]][0], segments[s][1] + a, segments[s][1] + b)
             for t, s, _, a, b, _ in data["kwic"]["lines"] if t == i}
    expected = set(zip(*(fr.kwic(corpus, "belt_and_road")[c] for c in ("doc_id", "start", "end"))))
    assert found == {(d, int(a), int(b)) for d, a, b in expected} and len(found) > 10
    for t, s, lo, a, b, hi in data["kwic"]["lines"]:
        assert lo <= a < b <= hi <= len(segments[s][2])


def test_explore_evidence_is_the_frames_evidence(corpus):
    result = fr.detect_frames(corpus, "default", subject=["hong_kong"])
    data = explore_data(corpus, by="source_type", frames=result, max_terms=10)
    f, segments, docs = data["frames"], data["segments"], data["docs"]
    rows = {(f["ids"][r[0]], docs[r[1]][0], f["stances"][r[2]], segments[r[6]][1] + r[8], segments[r[6]][1] + r[9])
            for r in f["rows"]}
    ev = result.evidence
    assert rows == set(zip(ev["frame"], ev["doc_id"], ev["stance"], ev["start"].astype(int), ev["end"].astype(int)))
    for r in f["rows"]:
        text = segments[r[6]][2]
        assert text[r[8]:r[9]] == corpus[docs[r[1]][0]].text[segments[r[6]][1] + r[8]:segments[r[6]][1] + r[9]]


def test_explore_topic_map_is_classical_mds(corpus, model):
    from scipy.spatial.distance import jensenshannon

    from framing.output.explore import _js_distances, _pcoa

    points = np.array([[0.0, 0.0], [3.0, 0.0], [0.0, 4.0], [1.0, 1.0]])
    dist = np.linalg.norm(points[:, None] - points[None], axis=2)
    coords = _pcoa(dist)
    assert np.allclose(np.linalg.norm(coords[:, None] - coords[None], axis=2), dist)
    phi = model.topic_term_
    assert np.isclose(_js_distances(phi)[0, 1], jensenshannon(phi[0], phi[1], base=2))
    topics = explore_data(corpus, by="source_type", topic_model=model, max_terms=10)["topics"]
    assert topics["k"] == 4 and abs(sum(topics["prevalence"]) - 1) < 1e-3
    assert all(len(r) == 3 for r in topics["reps"])


@pytest.mark.parametrize("kwargs, message", [
    ({"target": "tabloid"}, "not a group"),
    ({"target": "press", "reference": "press"}, "same group"),
    ({"max_terms": 0}, "max_terms=0 must be an integer of at least 1"),
    ({"reference": pd.DataFrame({"term": ["a"], "count": [1]})}, "reference must be 'rest' or a group"),
    ({"by": "language"}, "at least two groups"),
])
def test_explore_rejects_bad_arguments(corpus, kwargs, message):
    with pytest.raises(ArgumentError, match=message):
        explore_data(corpus, **kwargs)


def test_explore_rejects_a_topic_model_of_another_corpus(hostile_corpus, model):
    with pytest.raises(ArgumentError, match="fitted to another corpus"):
        explore_data(hostile_corpus, topic_model=model)


def test_explore_refuses_to_write_into_a_corpus(corpus, corpus_copy, tmp_path):
    with pytest.raises(ArgumentError, match="never writes into a corpus"):
        explore(corpus, corpus_copy / "explore.html", max_terms=10)
    with pytest.raises(ArgumentError, match="ending in .html"):
        explore(corpus, tmp_path / "explore.csv", max_terms=10)
    assert not (corpus_copy / "explore.html").exists()


def test_explore_cli_writes_the_page(tmp_path, capsys):
    out = tmp_path / "page.html"
    code = main(["explore", str(ROOT / "corpus"), "--by", "source_type", "--target", "press", "--codebook", "default",
                 "--topics", "3", "--seed", "1", "--max-terms", "300", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    data = data_of(out.read_text("utf-8"))
    assert len(data["comparisons"]) == 1 and data["groups"][data["comparisons"][0]["target"]] == "press"
    assert data["frames"] is not None and data["topics"]["k"] == 3


def test_explore_cli_refuses_a_corpus_target_and_needs_out(corpus_copy, capsys):
    assert main(["explore", str(corpus_copy), "--out", str(corpus_copy / "x.html")]) == 2
    assert "never writes into a corpus" in capsys.readouterr().err
    assert main(["explore", str(corpus_copy)]) == 2
    assert "give --out FILE.html" in capsys.readouterr().err


# --------------------------------------------------------------------------- in headless Chromium


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium through Selenium, with the driver path given (Selenium Manager never runs)."""
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not (os.path.isfile(p) or shutil.which(p))]
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing.append("selenium")
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: {INSTALL}")
    old = os.environ.get("SE_OFFLINE")
    os.environ["SE_OFFLINE"] = "true"  # and nothing to download: both paths are given
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000",
                "--disable-background-networking", "--disable-component-update", "--no-first-run"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        if old is None:
            os.environ.pop("SE_OFFLINE", None)
        else:
            os.environ["SE_OFFLINE"] = old


def errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


@pytest.fixture
def opened(browser, page):
    browser.get(page.as_uri())
    yield browser
    assert errors(browser) == []


def by(driver, css: str):
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, css)


def test_explore_browser_page_loads_without_console_errors(opened, tmp_path):
    assert opened.title.endswith("framing explore")
    assert len(by(opened, "#scatter circle.pt")) > 100
    assert by(opened, "#kwic tr"), "the most key term's lines are shown at load"
    opened.save_screenshot(str(tmp_path / "explore.png"))


def test_explore_browser_search_finds_a_term(opened):
    from selenium.webdriver.common.keys import Keys

    box = by(opened, "#term-search")[0]
    box.send_keys("belt and")
    found = [b.text for b in by(opened, "#search-results button")]
    assert found and found[0] == "belt_and_road"
    assert by(opened, '#scatter circle.match[data-term="belt_and_road"]')
    box.send_keys(Keys.ENTER)
    assert by(opened, "#term-title")[0].text == "belt_and_road"
    keywords = {td.text for td in by(opened, "#kwic td.kw")}
    assert keywords and keywords <= {"Belt and Road", "B&R", "BRI", "B&R Initiative", "Belt and Road Initiative"}


def test_explore_browser_click_shows_concordance_lines(opened):
    from selenium.webdriver.common.action_chains import ActionChains

    circle = by(opened, "#scatter circle.pt")[-1]  # drawn last: on top of the others
    term = circle.get_attribute("data-term")
    ActionChains(opened).move_to_element(circle).click().perform()
    assert by(opened, "#term-title")[0].text == term
    rows = by(opened, "#kwic tr")
    assert rows and all(len(r.find_elements("css selector", "td")) == 4 for r in rows)
    first = rows[0].find_elements("css selector", "td.doc span")
    assert re.fullmatch(r"\S+ · [\d,]+–[\d,]+", first[1].text) and first[0].text


def test_explore_browser_frame_and_group_filters_change_the_evidence(opened):
    from selenium.webdriver.support.ui import Select

    by(opened, "#tab-frames")[0].click()
    count = lambda: int(by(opened, "#ev-count")[0].get_attribute("data-n"))  # noqa: E731
    everything = count()
    Select(by(opened, "#ev-frame")[0]).select_by_visible_text("Western tensions (western_tensions)")
    frame_only = count()
    assert 0 < frame_only < everything
    assert {li.get_attribute("data-frame") for li in by(opened, "#ev-list li")} == {"western_tensions"}
    Select(by(opened, "#ev-group")[0]).select_by_visible_text("press")
    assert 0 < count() < frame_only
    items = by(opened, "#ev-list li")
    assert {li.get_attribute("data-group") for li in items} == {"press"}
    assert all(li.find_elements("css selector", "mark")[0].text for li in items)
    Select(by(opened, "#ev-stance")[0]).select_by_visible_text("negated")
    assert {li.get_attribute("data-stance") for li in by(opened, "#ev-list li")} <= {"negated"}


def test_explore_browser_topic_map_renders_circles(opened):
    by(opened, "#tab-topics")[0].click()
    circles = by(opened, "#topic-map circle.topic")
    assert len(circles) == 4 and all(float(c.get_attribute("r")) > 0 for c in circles)
    circles[-1].click()
    chosen = circles[-1].get_attribute("data-k")
    assert by(opened, "#topic-select")[0].get_attribute("value") == chosen
    assert len(by(opened, "#topic-bars rect.within")) == 30
    assert len(by(opened, "#topic-reps li")) == 3


def test_explore_browser_hostile_text_stays_text(browser, hostile_page):
    from selenium.common.exceptions import NoAlertPresentException

    browser.get(hostile_page.as_uri())
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    box = by(browser, "#term-search")[0]
    box.send_keys("alert\n")
    assert by(browser, "#term-title")[0].text == "alert"
    text = " ".join(td.text for td in by(browser, "#kwic td"))
    assert "<script>" in text and not by(browser, "#kwic img, #kwic script")
    assert errors(browser) == []
