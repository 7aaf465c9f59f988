"""One self-contained HTML page to explore a comparison: terms, concordances, frame evidence, topics.

:func:`explore` writes a single HTML file that opens in any browser without a
network: its script, style and data are inlined, and its Content Security
Policy (``default-src 'none'``, the script and style allowed by their sha256)
forbids every request. It shows

- every term of two sides (a target group and its reference, or each group
  against the rest) on a scatter of their frequencies, as scattertext does
  (Kessler 2017), coloured by a keyness measure chosen in the page (Hardie's
  log ratio, Dunning's signed G², Monroe, Colaresi & Quinn's log-odds z);
  a search box finds a term;
- the concordance lines (KWIC) of the chosen term, with document, group and
  character offsets;
- the evidence of a codebook's frames, filtered by frame, group, document and
  stance, each hit in its sentence with the matched words marked;
- a topic model as LDAvis does (Sievert & Shirley 2014): topics placed by
  classical multidimensional scaling (PCoA) of the Jensen–Shannon distances
  between their term distributions, circles sized by the topic's share of
  tokens, the terms of the chosen topic ranked by relevance, and the
  paragraphs most typical of it.

What is embedded is capped so that a corpus of ten million tokens gives a page
of a few megabytes: the ``max_terms`` terms of the scatter (the most frequent
and the most key, taken in turn), up to ``max_lines`` concordance lines per
term (shared among the groups, evenly spaced through each group's
occurrences), up to ``max_evidence`` frame hits (shared among frame × group
cells the same way) and ``n_paragraphs`` paragraphs per topic. The page
states every cap with the full counts. Texts are embedded once: the stretches
of the documents that the lines, hits and paragraphs need, merged where they
overlap; every line, hit and paragraph is a pair of offsets into them (a
small corpus is embedded nearly whole).

All text reaches the page as JSON in a ``<script type="application/json">``
block with ``<``, ``>`` and ``&`` written as ``\\u003c``, ``\\u003e`` and
``\\u0026``, and the page's script inserts it with ``textContent`` only, so a
corpus text cannot add markup or script to the page. The same inputs give
the same bytes (no timestamps; keys sorted; numbers rounded to four
significant digits).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import math
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from framing.base.errors import ArgumentError
from framing.base.grouping import group_label, group_labels, resolve_by
from framing.base.io import atomic_write, refuse_corpus_target
from framing.base.version import VERSION
from framing.corpus.model import Corpus
from framing.measures.frames.codebook import Codebook, load_codebook
from framing.measures.frames.matching import FrameResult, Subject, detect_frames
from framing.measures.frames.stance import STANCES
from framing.measures.keywords.keyness import keyness
from framing.measures.topics import TopicModel
from framing.text.dtm import DocumentTermMatrix, dtm
from framing.text.preprocess import Preprocessor, token_machine
from framing.text.tokens import Tokens, tokens

__all__ = ["explore", "explore_html", "explore_data", "allocate", "spread", "EXPLORE_MEASURES"]

log = logging.getLogger(__name__)

#: The keyness columns the page can colour the scatter by (the first is the default).
EXPLORE_MEASURES = ("log_ratio", "g2", "logodds_z")
#: Further keyness columns shown for the chosen term.
_DETAILS = ("p_adj", "p_docs_adj", "docs_with_term", "dominant_share")
#: Characters of context kept on each side of a concordance line's keyword.
KWIC_WINDOW = 100
#: Characters kept on each side of a frame hit in a very long sentence.
SENTENCE_WINDOW = 300
#: Characters kept of a representative paragraph.
PARAGRAPH_CHARS = 1500
#: Stretches of a document closer than this are embedded as one.
_MERGE_GAP = 16
#: Terms per topic embedded for the relevance ranking (LDAvis shows 30).
TOPIC_TERMS = 30
_ASSETS = "explore_assets"


# --------------------------------------------------------------------------- small helpers


def _num(value: Any, digits: int = 4) -> float | int | None:
    """A number rounded to ``digits`` significant digits for the page; None for NaN and infinities."""
    if value is None:
        return None
    v = float(value)
    if not math.isfinite(v):
        return None
    if v == int(v) and abs(v) < 2**53:
        return int(v)
    return float(f"{v:.{digits}g}")


def _nums(values: Any, digits: int = 4) -> list[float | int | None]:
    return [_num(v, digits) for v in np.asarray(values, dtype=float)]


def allocate(sizes: Sequence[int], cap: int) -> list[int]:
    """How many of each cell to keep so that at most ``cap`` are kept in all, shared as evenly as the cells allow.

    Every cell keeps ``min(n, q)`` for the largest ``q`` that fits; what is
    left of ``cap`` goes, one each, to the first cells that have more.

    >>> allocate([3, 50, 10], 20)
    [3, 9, 8]
    >>> allocate([3, 4], 20)
    [3, 4]
    """
    sizes = [int(n) for n in sizes]
    if sum(sizes) <= cap:
        return sizes
    lo, hi = 0, max(sizes)
    while lo < hi:  # the largest q with sum(min(n, q)) <= cap
        mid = (lo + hi + 1) // 2
        if sum(min(n, mid) for n in sizes) <= cap:
            lo = mid
        else:
            hi = mid - 1
    take = [min(n, lo) for n in sizes]
    left = cap - sum(take)
    for i, n in enumerate(sizes):
        if left == 0:
            break
        if n > take[i]:
            take[i] += 1
            left -= 1
    return take


def spread(n: int, k: int) -> list[int]:
    """``k`` of the positions ``0 .. n-1``, evenly spaced (the middle of each of ``k`` equal stretches).

    >>> spread(10, 3)
    [1, 5, 8]
    """
    k = min(k, n)
    return [int((i + 0.5) * n / k) for i in range(k)]


def _json_for_html(data: Any) -> str:
    """JSON that is inert inside an HTML ``<script>`` element: ``<``, ``>``, ``&`` and the line separators escaped."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def _asset(name: str) -> str:
    return resources.files("framing.output").joinpath(_ASSETS, name).read_text("utf-8")


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


class _Texts:
    """The stretches of document text the page needs, merged, and offsets into them."""

    def __init__(self, corpus: Corpus, doc_order: dict[str, int]) -> None:
        self.corpus = corpus
        self.doc_order = doc_order
        self.wanted: list[tuple[int, int, int]] = []  # (document's place in the corpus, start, end)
        self.segments: list[list[Any]] = []  # [doc_id, start, text]
        self._starts: dict[str, list[int]] = {}
        self._rows: dict[str, list[int]] = {}

    def need(self, doc_id: str, start: int, end: int) -> None:
        self.wanted.append((self.doc_order[doc_id], int(start), int(end)))

    def build(self) -> None:
        """Merge what is needed into segments ``[doc_id, start, text]``, in corpus and offset order."""
        doc_ids = self.corpus.doc_ids
        merged: list[list[int]] = []
        for doc, a, b in sorted(self.wanted):
            if merged and merged[-1][0] == doc and a <= merged[-1][2] + _MERGE_GAP:
                merged[-1][2] = max(merged[-1][2], b)
            else:
                merged.append([doc, a, b])
        for doc, a, b in merged:
            doc_id = doc_ids[doc]
            self._starts.setdefault(doc_id, []).append(a)
            self._rows.setdefault(doc_id, []).append(len(self.segments))
            self.segments.append([doc_id, a, self.corpus[doc_id].text[a:b]])

    def locate(self, doc_id: str, *offsets: int) -> list[int]:
        """``[segment, offsets relative to it...]`` for offsets that lie in one needed stretch."""
        k = bisect_right(self._starts[doc_id], offsets[0]) - 1
        seg = self._rows[doc_id][k]
        base = self.segments[seg][1]
        return [seg, *(int(o) - base for o in offsets)]


# --------------------------------------------------------------------------- the comparison


def _comparisons(labels: list[str], by: Any, target: Any, reference: Any) -> list[tuple[str, str]]:
    """``(target, reference)`` pairs: the one asked for, each group against the rest, or each against a group."""
    if isinstance(reference, (pd.DataFrame, pd.Series)):
        raise ArgumentError("explore compares groups of the corpus: reference must be 'rest' or a group, "
                            "not a frequency list (use keyness() for that)")
    if not (isinstance(reference, str) and reference == "rest"):
        reference = group_label(reference, labels, "reference", by)
    if target is not None:
        target = group_label(target, labels, "target", by)
        if target == reference:
            raise ArgumentError(f"target and reference are the same group {target!r}")
        return [(target, reference)]
    return [(g, reference) for g in labels if g != reference]


def _select_terms(tables: list[pd.DataFrame], counts: np.ndarray, terms: np.ndarray, max_terms: int) -> np.ndarray:
    """Column indices of the terms shown: the most frequent and the most key (``|logodds_z|``), taken in turn."""
    tested = sorted(set().union(*(set(t["term"]) for t in tables)))
    if len(tested) <= max_terms:
        col = {t: i for i, t in enumerate(terms)}
        return np.array(sorted(col[t] for t in tested), dtype=np.int64)
    col = {t: i for i, t in enumerate(terms)}
    idx = np.array([col[t] for t in tested], dtype=np.int64)
    total = counts[:, idx].sum(0)
    z = np.zeros(len(tested))
    pos = {t: i for i, t in enumerate(tested)}
    for table in tables:
        where = table["term"].map(pos).to_numpy(dtype=np.int64)
        zz = np.abs(table["logodds_z"].to_numpy(dtype=float))
        np.maximum.at(z, where, np.nan_to_num(zz, nan=0.0))
    names = np.asarray(tested, dtype=object)
    by_freq = np.lexsort((names, -total))
    by_key = np.lexsort((names, -z))
    chosen: dict[int, None] = {}
    for a, b in zip(by_freq, by_key):
        for j in (a, b):
            if len(chosen) < max_terms:
                chosen.setdefault(int(j), None)
        if len(chosen) >= max_terms:
            break
    return np.sort(idx[list(chosen)])


def _paragraph_spans(source: Corpus | Tokens, pre: Preprocessor) -> Iterator[tuple[str, list[tuple[str, int, int]]]]:
    """``(doc_id, spans)`` of every paragraph in corpus order, offsets into the document's text.

    A corpus is tokenized paragraph by paragraph without keeping the spans
    (memory stays that of one paragraph); learned phrases need the whole
    corpus, so then the tokens are made first.
    """
    if isinstance(source, Corpus) and pre.learn_phrases:
        source = tokens(source, pre)
    if isinstance(source, Tokens):
        for doc_id, _, spans in source.paragraphs():
            yield doc_id, list(spans)
        return
    spans_of = token_machine(pre).spans
    for doc in source:
        for para in doc.paragraphs:
            yield doc.doc_id, [(t, a + para.start, b + para.start)
                               for t, a, b in spans_of(doc.text[para.start:para.end])]


def _kwic_lines(source: Corpus | Tokens, pre: Preprocessor, shown: np.ndarray, terms: np.ndarray,
                group_counts: np.ndarray, doc_group: dict[str, int], max_lines: int) -> list[tuple[int, str, int, int]]:
    """Up to ``max_lines`` occurrences of each shown term, shared among the groups by :func:`allocate` and
    evenly spaced through each group's occurrences (:func:`spread`): ``(term, doc_id, start, end)``."""
    index = {str(terms[j]): i for i, j in enumerate(shown)}
    n_groups = group_counts.shape[0]
    wanted: list[list[list[int]]] = [[[] for _ in range(n_groups)] for _ in range(len(shown))]
    for i, j in enumerate(shown):
        sizes = group_counts[:, j].astype(int).tolist()
        for g, k in enumerate(allocate(sizes, max_lines)):
            wanted[i][g] = spread(sizes[g], k)[::-1]  # popped from the end: smallest first
    seen = [[0] * n_groups for _ in range(len(shown))]
    out: list[tuple[int, str, int, int]] = []
    for doc_id, spans in _paragraph_spans(source, pre):
        g = doc_group.get(doc_id)
        if g is None:
            continue
        for t, a, b in spans:
            i = index.get(t)
            if i is None:
                continue
            want, count = wanted[i][g], seen[i]
            if want and count[g] == want[-1]:
                want.pop()
                out.append((i, doc_id, a, b))
            count[g] += 1
    return out


# --------------------------------------------------------------------------- topics


def _pcoa(dist: np.ndarray) -> np.ndarray:
    """Classical multidimensional scaling (Torgerson 1952; Gower's PCoA) of a distance matrix to two dimensions.

    ``B = -½ J D² J`` with ``J = I - 11ᵀ/n``; the coordinates are the two
    leading eigenvectors scaled by the square roots of their (positive)
    eigenvalues. Each axis' sign is fixed so that its largest coordinate in
    absolute value is positive, so the map does not flip between runs.
    """
    n = dist.shape[0]
    j = np.eye(n) - 1.0 / n
    b = -0.5 * j @ (dist**2) @ j
    values, vectors = np.linalg.eigh((b + b.T) / 2)
    order = np.argsort(-values, kind="stable")[:2]
    coords = np.zeros((n, 2))
    for c, k in enumerate(order):
        if values[k] > 1e-12:
            v = vectors[:, k] * math.sqrt(values[k])
            if v[np.argmax(np.abs(v))] < 0:
                v = -v
            coords[:, c] = v
    return coords


def _js_distances(phi: np.ndarray) -> np.ndarray:
    """Jensen–Shannon distances between rows (Lin 1991; Endres & Schindelin 2003), in [0, 1].

    ``JS(p, q) = sqrt(½ KL(p ‖ m) + ½ KL(q ‖ m))`` with ``m = ½ (p + q)``
    and base-2 logarithms (``0 log 0 = 0``); rows are normalised to sum to 1.
    """
    p = phi / np.maximum(phi.sum(1, keepdims=True), 1e-300)
    k = p.shape[0]
    out = np.zeros((k, k))
    for a in range(k):
        for b in range(a + 1, k):
            m = (p[a] + p[b]) / 2
            with np.errstate(divide="ignore", invalid="ignore"):
                kl = [np.where(x > 0, x * np.log2(x / m), 0.0).sum() for x in (p[a], p[b])]
            out[a, b] = out[b, a] = math.sqrt(max(0.0, (kl[0] + kl[1]) / 2))
    return out


def _topics_data(model: TopicModel, by: Any, texts: _Texts, n_paragraphs: int) -> dict[str, Any]:
    phi = np.asarray(model.topic_term_, dtype=float)
    theta = np.asarray(model.unit_topic_, dtype=float)
    k = phi.shape[0]
    unit_tokens = np.asarray(model.matrix_.sum(axis=1)).ravel().astype(float)
    term_freq = np.asarray(model.matrix_.sum(axis=0)).ravel().astype(float)
    mass = theta.T @ unit_tokens  # tokens of each topic, as LDAvis estimates them
    prevalence = mass / max(mass.sum(), 1e-300)
    coords = _pcoa(_js_distances(phi))
    p_w = term_freq / max(term_freq.sum(), 1e-300)
    with np.errstate(divide="ignore"):
        log_phi, log_lift = np.log(phi), np.log(phi / np.where(p_w > 0, p_w, 1.0))
    keep: set[int] = set()
    per_topic: list[list[int]] = []
    names = model.terms_.astype(str)
    for t in range(k):
        chosen: dict[int, None] = {}
        for lam in np.linspace(0, 1, 11):
            rel = lam * log_phi[t] + (1 - lam) * log_lift[t]
            for j in np.lexsort((names, -rel))[:TOPIC_TERMS]:
                chosen.setdefault(int(j), None)
        per_topic.append(sorted(chosen))
        keep |= set(chosen)
    vocab = sorted(keep)
    local = {j: i for i, j in enumerate(vocab)}
    groups, glabels = group_labels(model.units_, by) if by is not None else (np.zeros(len(theta), dtype=int), ["all"])
    shares = [[_num(theta[groups == g, t].mean()) for t in range(k)] for g in range(len(glabels))]
    reps: list[list[list[Any]]] = []
    units = model.units_
    for t in range(k):
        order = np.lexsort((np.arange(len(units)), -theta[:, t]))[:n_paragraphs]
        rows = []
        for i in order:
            doc = str(units["doc_id"].iloc[i])
            a, b = int(units["start"].iloc[i]), int(units["end"].iloc[i])
            hi = min(b, a + PARAGRAPH_CHARS)
            texts.need(doc, a, hi)
            rows.append([doc, a, hi, _num(theta[i, t]), int(hi < b), str(units["unit_id"].iloc[i])])
        reps.append(rows)
    return {
        "k": k, "labels": [str(x) for x in model.labels_], "method": str(model.method),
        "model": repr(model), "x": _nums(coords[:, 0]), "y": _nums(coords[:, 1]), "prevalence": _nums(prevalence),
        "mass": _nums(mass), "vocab": [names[j] for j in vocab], "term_freq": [int(term_freq[j]) for j in vocab],
        "phi": [[[local[j], _num(phi[t, j])] for j in per_topic[t]] for t in range(k)],
        "groups": glabels, "group_share": shares, "reps": reps, "n_units": int(len(units)),
        "tokens": int(unit_tokens.sum()), "vocabulary": int(len(names)),
    }


# --------------------------------------------------------------------------- frames


def _frames_data(result: FrameResult, doc_group: dict[str, int], texts: _Texts, max_evidence: int) -> dict[str, Any]:
    """The codebook, the totals of all hits per frame, group and stance, and a sample of hits (doc ids not yet
    replaced by their place in the page's list)."""
    ev = result.evidence
    frames = list(result.codebook.frame_ids)
    frame_of = {f: i for i, f in enumerate(frames)}
    stances = list(STANCES) + sorted(set(ev["stance"].astype(str)) - set(STANCES))
    stance_of = {s: i for i, s in enumerate(stances)}
    f_idx = ev["frame"].map(frame_of).to_numpy()
    g_idx = ev["doc_id"].map(doc_group).to_numpy()
    s_idx = ev["stance"].astype(str).map(stance_of).to_numpy()
    totals = (pd.DataFrame({"f": f_idx, "g": g_idx, "s": s_idx}).value_counts().sort_index().reset_index())
    cells = pd.DataFrame({"f": f_idx, "g": g_idx, "row": np.arange(len(ev))}).groupby(["f", "g"], sort=True)
    groups = list(cells)
    take = allocate([len(rows) for _, rows in groups], max_evidence)
    picked = sorted(int(rows["row"].iloc[p]) for (_, rows), k in zip(groups, take) for p in spread(len(rows), k))
    sample = ev.iloc[picked]
    sent = result.sentences
    s_start = sent["start"].reindex(sample["sentence_id"]).to_numpy()
    s_end = sent["end"].reindex(sample["sentence_id"]).to_numpy()
    lookups: dict[str, dict[str, int]] = {"indicator": {}, "cue": {}, "side": {}}
    rows = []
    for r, lo0, hi0 in zip(sample.itertuples(index=False), s_start, s_end):
        doc = str(r.doc_id)
        a, b = int(r.start), int(r.end)
        lo0 = a if pd.isna(lo0) else int(lo0)
        hi0 = b if pd.isna(hi0) else int(hi0)
        lo, hi = max(lo0, a - SENTENCE_WINDOW), min(hi0, b + SENTENCE_WINDOW)
        texts.need(doc, lo, hi)
        codes = [lookups[c].setdefault(str(getattr(r, c) or ""), len(lookups[c])) for c in ("indicator", "cue", "side")]
        rows.append([frame_of[r.frame], doc, stance_of[str(r.stance)], *codes, lo, a, b, hi,
                     int(lo > lo0) + 2 * int(hi < hi0)])
    codebook = result.codebook
    subject = result.subject
    return {
        "ids": frames, "labels": [codebook[f].label for f in frames], "stances": stances,
        "indicators": list(lookups["indicator"]), "cues": list(lookups["cue"]), "sides": list(lookups["side"]),
        "rows": rows, "totals": totals.to_numpy(dtype=np.int64).tolist(), "n_hits": int(len(ev)),
        "codebook": codebook.version_id, "preprocessor": result.preprocessor,
        "subject": (subject.label or ", ".join(subject.aliases)) if isinstance(subject, Subject) else "",
    }


# --------------------------------------------------------------------------- the page


def explore_html(
    corpus: Corpus | Tokens,
    *,
    by: str | Sequence[str] | None = None,
    target: Any = None,
    reference: Any = "rest",
    pre: Preprocessor | None = None,
    min_count: int = 5,
    codebook: Codebook | str | None = None,
    subject: str | Sequence[str] | Subject | dict[str, Any] | None = None,
    frames: FrameResult | None = None,
    topic_model: TopicModel | None = None,
    max_terms: int = 2000,
    max_lines: int = 12,
    max_evidence: int = 5000,
    n_paragraphs: int = 3,
    title: str | None = None,
) -> str:
    """The explorer page as HTML text.

    Parameters are those of :func:`explore`, which writes this text to a
    file.

    Returns
    -------
    str
        One HTML document: its style, script and data inlined, its Content
        Security Policy forbidding every request (``default-src 'none'``;
        the script and style allowed by their sha256).
    """
    data = explore_data(corpus, by=by, target=target, reference=reference, pre=pre, min_count=min_count,
                        codebook=codebook, subject=subject, frames=frames, topic_model=topic_model,
                        max_terms=max_terms, max_lines=max_lines, max_evidence=max_evidence,
                        n_paragraphs=n_paragraphs, title=title)
    style, script = _asset("explore.css"), _asset("explore.js")
    if "</" in script or "</" in style:
        raise AssertionError("an explorer asset holds '</', which would end its element early")  # pragma: no cover
    csp = (f"default-src 'none'; script-src '{_sha256(script)}'; style-src '{_sha256(style)}'; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    page = _asset("explore.html")
    for key, value in (("{{CSP}}", csp), ("{{STYLE}}", style), ("{{SCRIPT}}", script)):
        page = page.replace(key, value)
    before, marker, after = page.partition("{{DATA}}")
    if not marker:
        raise AssertionError("the explorer template has no {{DATA}} marker")  # pragma: no cover
    return before + _json_for_html(data) + after


def explore_data(
    corpus: Corpus | Tokens,
    *,
    by: str | Sequence[str] | None = None,
    target: Any = None,
    reference: Any = "rest",
    pre: Preprocessor | None = None,
    min_count: int = 5,
    codebook: Codebook | str | None = None,
    subject: str | Sequence[str] | Subject | dict[str, Any] | None = None,
    frames: FrameResult | None = None,
    topic_model: TopicModel | None = None,
    max_terms: int = 2000,
    max_lines: int = 12,
    max_evidence: int = 5000,
    n_paragraphs: int = 3,
    title: str | None = None,
) -> dict[str, Any]:
    """What the explorer page embeds, as a JSON-ready dict.

    Parameters are those of :func:`explore`.

    Returns
    -------
    dict
        ``format`` (1); ``meta`` (title, corpus name and hash, preprocessor,
        sizes, ``min_count``); ``groups``, ``group_tokens``, ``group_docs``;
        ``docs``: ``[doc_id, group]`` of every document the page names;
        ``segments``: ``[doc, start, text]``, the stretches of text embedded
        (``start`` an offset into the document's clean text); ``terms``:
        ``term`` and ``count`` (groups × terms) of the terms shown, with
        ``tested`` (terms with ``min_count`` occurrences) and ``max_terms``;
        ``comparisons``: per comparison its ``target`` and ``reference``
        (group numbers, -1 for the rest), the keyness ``values`` of
        :data:`EXPLORE_MEASURES` and ``p_adj, p_docs_adj, docs_with_term,
        dominant_share`` per term, ``dominant`` (a document's number or -1)
        and the document counts; ``kwic``: ``lines`` ``[term, segment,
        context start, start, end, context end]``; ``frames`` (or None):
        frame ids and labels, stances, ``rows`` ``[frame, doc, stance,
        indicator, cue, side, segment, sentence start, start, end, sentence
        end, cut]`` (``cut``: 1 the sentence is cut on the left, 2 on the
        right), ``totals`` ``[frame, group, stance, hits]`` of all hits and
        ``n_hits``; ``topics`` (or None): map coordinates, prevalence, the
        terms for the relevance ranking and representative paragraphs
        ``[segment, start, end, share, cut, unit_id]``. Offsets inside a
        row are relative to its segment.
    """
    for name, value, low in (("min_count", min_count, 1), ("max_terms", max_terms, 1), ("max_lines", max_lines, 0),
                             ("max_evidence", max_evidence, 0), ("n_paragraphs", n_paragraphs, 0)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise ArgumentError(f"{name}={value!r} must be an integer of at least {low}")
    if isinstance(corpus, Tokens):
        if pre is not None and pre.id != corpus.preprocessor:
            raise ArgumentError(f"these tokens were made by {corpus.preprocessor}, not by pre={pre.id}")
        source: Corpus | Tokens = corpus
        pre, the_corpus = corpus.pre, corpus.corpus
    elif isinstance(corpus, Corpus):
        pre = Preprocessor() if pre is None else pre
        if not isinstance(pre, Preprocessor):
            raise ArgumentError(f"pre must be a framing Preprocessor, got {type(pre).__name__}")
        source, the_corpus = corpus, corpus
    else:
        raise ArgumentError(f"explore expects a framing Corpus or Tokens, got {type(corpus).__name__} "
                            "(a corpus read in chunks must be loaded into a Corpus first)")
    if frames is not None and (codebook is not None or subject is not None):
        raise ArgumentError("give either frames= (a FrameResult) or codebook= and subject=, not both")
    if frames is not None and not isinstance(frames, FrameResult):
        raise ArgumentError(f"frames must be a FrameResult, got {type(frames).__name__}")
    if topic_model is not None:
        if not isinstance(topic_model, TopicModel):
            raise ArgumentError(f"topic_model must be a TopicModel, got {type(topic_model).__name__}")
        if not hasattr(topic_model, "topic_term_"):
            raise ArgumentError("topic_model is not fitted yet: call .fit(dtm) first")
        if topic_model.corpus_hash_ != the_corpus.content_hash:
            raise ArgumentError("topic_model was fitted to another corpus (its corpus hash differs)")
    if frames is not None and frames.corpus_hash != the_corpus.content_hash:
        raise ArgumentError("frames were detected in another corpus (their corpus hash differs)")

    m: DocumentTermMatrix = dtm(source, pre, unit="paragraph")
    by_ = resolve_by(by, m.group_by)
    if by_ is None:
        raise ArgumentError("explore compares groups: pass by= a metadata column (the corpus has no grouping column)")
    rows, labels = group_labels(m.units, by_)
    if len(labels) < 2:
        raise ArgumentError(f"explore needs at least two groups of {by_!r}; found {', '.join(labels)}")
    pairs = _comparisons(labels, by_, target, reference)
    log.info("explore: keyness of %d comparison(s) over %d terms", len(pairs), m.shape[1])
    tables = [keyness(m, by=by_, target=t, reference=r, min_count=min_count) for t, r in pairs]

    indicator = sp.csr_matrix((np.ones(len(rows)), (rows, np.arange(len(rows)))), shape=(len(labels), len(rows)))
    group_counts = np.asarray((indicator @ m.matrix).todense(), dtype=np.int64)
    sizes = group_counts.sum(1)
    shown = _select_terms(tables, group_counts, m.terms, max_terms)
    shown_terms = [str(t) for t in m.terms[shown]]
    tested = len(set().union(*(set(t["term"]) for t in tables)))

    meta = the_corpus.meta
    doc_rows, doc_labels = group_labels(meta, by_, "the documents' metadata")
    label_of = {lab: i for i, lab in enumerate(labels)}
    doc_group = {d: label_of[doc_labels[g]] for d, g in zip(meta["doc_id"], doc_rows) if doc_labels[g] in label_of}
    doc_order = {d: i for i, d in enumerate(the_corpus.doc_ids)}
    used: set[str] = set()

    log.info("explore: concordance lines of %d terms", len(shown))
    lines = _kwic_lines(source, pre, shown, m.terms, group_counts, doc_group, max_lines)
    comparisons, dominants = [], []
    for (t, r), table in zip(pairs, tables):
        table = table.set_index("term").reindex(shown_terms)
        values = {c: _nums(table[c]) for c in (*EXPLORE_MEASURES, *_DETAILS)}
        dominant = table["dominant_document"].fillna("").astype(str).tolist()
        used |= {d for d in dominant if d in doc_order}
        dominants.append(dominant)
        first = table.dropna(subset=["n_target"])
        comparisons.append({
            "target": label_of[t], "reference": -1 if r == "rest" else label_of[r], "values": values,
            "docs_target": int(first["docs_target"].iloc[0]) if len(first) else 0,
            "docs_reference": int(first["docs_reference"].iloc[0]) if len(first) else 0,
            "doc_test": str(first["doc_test"].iloc[0]) if len(first) else "",
        })

    texts = _Texts(the_corpus, doc_order)
    kwic_rows = []
    bounds: dict[str, list[tuple[int, int]]] = {}
    for i, d, a, b in lines:
        if d not in bounds:
            bounds[d] = [(p.start, p.end) for p in the_corpus[d].paragraphs]
        p_lo, p_hi = bounds[d][bisect_right(bounds[d], (a, math.inf)) - 1]
        lo, hi = max(p_lo, a - KWIC_WINDOW), min(p_hi, b + KWIC_WINDOW)
        texts.need(d, lo, hi)
        kwic_rows.append((i, d, lo, a, b, hi))
    result = frames
    if result is None and codebook is not None:
        log.info("explore: frames of the codebook")
        result = detect_frames(source, codebook if isinstance(codebook, Codebook) else load_codebook(codebook),
                               subject=subject)
    frames_data = _frames_data(result, doc_group, texts, max_evidence) if result is not None else None
    topics_data = _topics_data(topic_model, by_, texts, n_paragraphs) if topic_model is not None else None
    texts.build()

    # the documents the page names, in corpus order; everything else points to them by place
    used |= {seg[0] for seg in texts.segments}
    doc_ids = sorted((d for d in used if d in doc_group), key=doc_order.__getitem__)
    doc_index = {d: i for i, d in enumerate(doc_ids)}
    segments = [[doc_index[d], a, text] for d, a, text in texts.segments]
    if frames_data is not None:
        frames_data["rows"] = [[r[0], doc_index[r[1]], *r[2:6], *texts.locate(r[1], *r[6:10]), r[10]]
                               for r in frames_data["rows"]]
    if topics_data is not None:
        topics_data["reps"] = [[[*texts.locate(r[0], r[1], r[2]), *r[3:]] for r in reps] for reps in topics_data["reps"]]
    kwic = [[i, *texts.locate(d, lo, a, b, hi)] for i, d, lo, a, b, hi in kwic_rows]
    for cmp, dominant in zip(comparisons, dominants):  # the target document carrying most of each term
        cmp["dominant"] = [doc_index.get(d, -1) for d in dominant]

    by_name = by_ if isinstance(by_, str) else " | ".join(by_)
    name = title or (f"{the_corpus.name}: {pairs[0][0]} vs {pairs[0][1]}" if len(pairs) == 1
                     else f"{the_corpus.name}: each {by_name} against {'the rest' if pairs[0][1] == 'rest' else pairs[0][1]}")
    return {
        "format": 1,
        "meta": {
            "title": name, "corpus": the_corpus.name, "corpus_hash": the_corpus.content_hash,
            "preprocessor": m.preprocessor, "preprocessing": pre.describe(), "framing": VERSION, "by": by_name,
            "documents": len(the_corpus), "paragraphs": int(m.shape[0]), "tokens": int(sizes.sum()),
            "vocabulary": int(m.shape[1]), "min_count": int(min_count),
        },
        "groups": labels,
        "group_tokens": [int(s) for s in sizes],
        "group_docs": [int(len({d for d, g in doc_group.items() if g == gi})) for gi in range(len(labels))],
        "docs": [[d, doc_group[d]] for d in doc_ids],
        "segments": segments,
        "terms": {"term": shown_terms, "count": group_counts[:, shown].tolist(), "tested": tested,
                  "max_terms": int(max_terms)},
        "comparisons": comparisons,
        "measures": list(EXPLORE_MEASURES),
        "kwic": {"lines": kwic, "max_lines": int(max_lines), "window": KWIC_WINDOW},
        "frames": frames_data,
        "topics": topics_data,
    }


def explore(
    corpus: Corpus | Tokens,
    path: str | Path,
    *,
    by: str | Sequence[str] | None = None,
    target: Any = None,
    reference: Any = "rest",
    pre: Preprocessor | None = None,
    min_count: int = 5,
    codebook: Codebook | str | None = None,
    subject: str | Sequence[str] | Subject | dict[str, Any] | None = None,
    frames: FrameResult | None = None,
    topic_model: TopicModel | None = None,
    max_terms: int = 2000,
    max_lines: int = 12,
    max_evidence: int = 5000,
    n_paragraphs: int = 3,
    title: str | None = None,
) -> Path:
    """Write one self-contained HTML page to explore how groups differ: terms, concordances, frames, topics.

    The page needs no network and no other file (see the module's notes on
    what is embedded and how it is kept safe). It compares ``target`` with
    ``reference`` as :func:`framing.keyness` does, on a paragraph-level
    document-term matrix; with ``target=None`` the page offers every group
    against the rest (or against the ``reference`` group) in a menu.

    Parameters
    ----------
    corpus : Corpus or Tokens
        The corpus, or its tokens (then ``pre`` is theirs).
    path : str or Path
        The ``.html`` file to write (atomically). A path inside a corpus
        folder (one with a ``manifest.yaml`` at or above it) is refused.
    by : str, list of str or None, default=None
        The grouping: None is the corpus' own (``corpus.group_by``); any
        document metadata column(s).
    target : group value or None, default=None
        The group to compare; None offers each group.
    reference : 'rest' or a group, default='rest'
    pre : Preprocessor or None
        The preprocessing of terms; None is ``Preprocessor()``.
    min_count : int, default=5
        Terms with fewer occurrences in the compared groups are not tested
        (keyness' ``min_count``), nor shown.
    codebook : Codebook, str or None
        A codebook (or a path for :func:`framing.load_codebook`; ``'default'``
        the bundled one): its frames are detected and their evidence shown.
    subject : str, list of str, Subject, mapping or None
        The subject for :func:`framing.detect_frames`.
    frames : FrameResult or None
        Frames already detected in this corpus, instead of ``codebook``.
    topic_model : TopicModel or None
        A topic model fitted to this corpus (its paragraphs): the topic map.
    max_terms : int, default=2000
        Terms on the scatter: the most frequent and the most key (largest
        ``|logodds_z|`` in any comparison), taken in turn.
    max_lines : int, default=12
        Concordance lines per term, shared among the groups
        (:func:`allocate`) and evenly spaced through each group's
        occurrences (:func:`spread`). Lines are embedded for the terms of
        the scatter only.
    max_evidence : int, default=5000
        Frame hits embedded, shared among frame × group cells the same way.
    n_paragraphs : int, default=3
        Representative paragraphs per topic (highest topic share).
    title : str or None
        The page's title; None names the corpus and the comparison.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ArgumentError
        For a path inside a corpus or not ending in ``.html``, an unknown
        group, a bound out of range, a frame result or topic model of another
        corpus, or fewer than two groups.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import framing as fr
    >>> from framing.output.explore import explore
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     explore(fr.load_corpus(), pathlib.Path(folder) / "explore.html", by="source_type", max_terms=100).name
    'explore.html'
    """
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise ArgumentError(f"{path}: the explorer is an HTML page; give a file name ending in .html")
    refuse_corpus_target(path, what="the explorer page", error=ArgumentError)
    if path.is_dir():
        raise ArgumentError(f"{path} is a folder; give a file name ending in .html")
    page = explore_html(corpus, by=by, target=target, reference=reference, pre=pre, min_count=min_count,
                        codebook=codebook, subject=subject, frames=frames, topic_model=topic_model,
                        max_terms=max_terms, max_lines=max_lines, max_evidence=max_evidence,
                        n_paragraphs=n_paragraphs, title=title)
    try:
        atomic_write(path, page.encode("utf-8"))
    except OSError as exc:
        raise ArgumentError(f"cannot write {path} ({exc.strerror or exc})") from None
    return path
