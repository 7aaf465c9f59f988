"""Benchmark :func:`framing.detect_frames` against a loop of one regex per indicator.

A synthetic corpus of about ten million tokens is made as ``bench_dtm.py``
makes its own (body sentences of the bundled corpus resampled with a fixed
seed into paragraphs of 3-6 sentences and documents of about 500 tokens).
A codebook of 300 indicators (10 frames × 30) is generated with a fixed seed
from the words of those body sentences: about 80% single words, 20%
two-word phrases taken from adjacent words of the sentences; every
indicator is distinct and no word serves two indicators, so no two hits can
overlap. It is written to a temporary YAML file and read back with
``load_codebook``.

On the same document texts, in the same run, the script times

* ``fr.Corpus.from_frame`` (building the corpus; reported, not compared),
* the token stream alone: ``fr.tokens(corpus, pre).sentences()`` on a
  freshly built Corpus (tokens with their offsets, sentences split, each
  token placed in its sentence), the input every detection builds before it
  matches anything; framing's speed cannot pass this floor,
* (a) ``fr.detect_frames(corpus, codebook, pre, matching="preprocessor")`` with
  ``pre = fr.Preprocessor(stopwords=None, normalize=None, phrases=None,
  token_pattern=r"[A-Za-z]+")`` (tokens are runs of ASCII letters,
  lowercased), on a Corpus freshly built for every repeat, so that each run
  pays for sentence splitting as a first call does,
* (b) the baseline: one compiled regular expression per indicator,
  ``(?<![A-Za-z])word(?![A-Za-z])`` for a term and
  ``(?<![A-Za-z])first\\s+second(?![A-Za-z])`` for a phrase
  (``re.IGNORECASE``), ``finditer`` over every document's text,
* (c) only if ``pyahocorasick`` can be imported (it is not a dependency and
  is never installed by this script): one Aho-Corasick automaton of all
  indicators over each lowercased text, hits kept at ASCII-letter
  boundaries; for reference,

reports seconds, MB of text per second (UTF-8 bytes / 10^6 / seconds) and
the ratio of the baseline's time to each; checks that (a) and (b) find the
same hits, as the multiset of ``(doc_id, indicator, start, end)``; then
measures the peak memory of each step in its own spawned child process (the
method of ``bench_dtm.py``).

A second case, run alone with ``--vocabulary N [N ...]``, measures how
matching grows with the number of distinct words: for each N, a corpus of N
distinct random words (lower-case ASCII letters, 6-12 long, seed
``SEED``), each used three times, in sentences of 12 words, paragraphs of 5
sentences and documents of 10 paragraphs, is matched against the bundled
codebook (its ``glob:`` indicators and context globs are decided per
distinct term). In a fresh spawned child per N, the corpus is built and
tokenized with the codebook's preprocessor first (not measured), then
``fr.detect_frames(tokens, codebook)`` is timed (wall clock) and its peak
memory taken (peak RSS growth, :func:`_common.measure_peak`, and the peak of
``tracemalloc``, Python allocations only). The table is printed, never
written to the README.

Usage::

    .venv/bin/python bench/bench_frames.py                  # 10M tokens, best of 3
    .venv/bin/python bench/bench_frames.py --tokens 500000  # quick check
    .venv/bin/python bench/bench_frames.py --write          # also update bench/README.md
    .venv/bin/python bench/bench_frames.py --vocabulary 20000 50000   # the many-distinct-words case only
"""

from __future__ import annotations

import argparse
import bisect
import gc
import json
import os
import random
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

import framing as fr
from framing.measures.frames.codebook import Codebook, load_codebook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import _common  # noqa: E402
from _common import SEED, Timing, say, verdict  # noqa: E402
from bench_dtm import (  # noqa: E402
    TOKEN_RE,
    body_sentences,
    build_corpus,
    count_tokens,
    make_documents,
    reset_framing_cache,
    to_frame,
)

N_FRAMES = 10
PER_FRAME = 30
PHRASE_SHARE = 0.2
AIM_MB_PER_SECOND = 20.0
AIM_RATIO = 5.0

SECTION = "frames"  # of README

#: framing's token stream for this benchmark: runs of ASCII letters, lowercased.
TOKEN_PATTERN = r"[A-Za-z]+"
WORD_RE = re.compile(TOKEN_PATTERN)
ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

#: Steps in table order; (c) runs only when pyahocorasick is importable.
STEPS_ORDER = ("from_frame", "tokens", "frames", "regex", "aho")
LABELS = {
    "from_frame": "`Corpus.from_frame` (corpus build, not compared)",
    "tokens": "floor: `fr.tokens(corpus, pre).sentences()`, the token stream every detection starts from",
    "frames": "(a) **framing**: `fr.detect_frames(corpus, codebook, pre, matching=\"preprocessor\")`",
    "regex": "(b) baseline: one compiled regex per indicator, `finditer` per document",
    "aho": "(c) reference: pyahocorasick automaton + letter-boundary check",
}


def preprocessor() -> fr.Preprocessor:
    """The token stream matched: ASCII letter runs, lowercased, nothing removed or joined."""
    return fr.Preprocessor(stopwords=None, normalize=None, phrases=None, token_pattern=TOKEN_PATTERN)


# --------------------------------------------------------------------------- codebook


@dataclass
class CodebookPlan:
    """The generated indicators and what was left out to keep the comparison exact."""

    frames: list[list[tuple[str, str]]]  # per frame: (kind, value)
    vocabulary: int  # candidate single words
    pairs_seen: int  # distinct adjacent word pairs in the sentences
    pairs_not_whitespace: int  # pairs also found joined by something other than whitespace
    pairs_across_sentences: int  # pairs (a, b) with a ending one sentence and b starting another
    pairs_repeated: int  # pairs of one word twice ("very very")
    pairs_eligible: int

    @property
    def terms(self) -> int:
        return sum(k == "term" for f in self.frames for k, _ in f)

    @property
    def phrases(self) -> int:
        return sum(k == "phrase" for f in self.frames for k, _ in f)


def plan_codebook(
    sentences: Sequence[str],
    *,
    seed: int = SEED,
    n_frames: int = N_FRAMES,
    per_frame: int = PER_FRAME,
    phrase_share: float = PHRASE_SHARE,
) -> CodebookPlan:
    """Draw ``n_frames × per_frame`` indicators from the words of ``sentences``.

    Words: lowercased tokens of ``DEFAULT_TOKEN_PATTERN`` made only of the
    letters a-z (so neither "isn't" nor the pieces of "belt-and-road" unless
    they also stand alone), sorted. Phrases: pairs ``a b`` of such words that
    are adjacent runs of letters in a sentence, kept only if

    * every time ``a`` is followed by ``b`` in a sentence (as runs of ASCII
      letters, which is what framing's token stream sees) only whitespace
      lies between them: framing matches a phrase on tokens, so it would also
      match "belt-and", "rest, of" or "Kong's own", which the regex
      ``a\\s+b`` does not;
    * not (``a`` is the last word of some sentence and ``b`` the first word
      of some sentence): resampling puts sentences side by side, and where
      framing's sentence splitter does not cut between them (a sentence
      ending in a comma) framing would see ``a b`` while the regex, stopped by
      the punctuation, would not;
    * ``a != b``.

    Phrases are drawn first (``round(phrase_share × total)``), then terms
    from the words no phrase uses; no word serves two indicators. The
    indicators are shuffled and dealt ``per_frame`` to each frame.
    """
    total = n_frames * per_frame
    n_phrases = round(phrase_share * total)
    vocab: set[str] = set()
    firsts: set[str] = set()
    lasts: set[str] = set()
    separators: dict[tuple[str, str], set[str]] = {}
    for s in sentences:
        # a "purely alphabetic lower-case word": a whole token of framing's default pattern, letters a-z only
        vocab.update(w for w in (m.lower() for m in TOKEN_RE.findall(s)) if re.fullmatch(r"[a-z]+", w))
        runs = list(WORD_RE.finditer(s))
        if not runs:
            continue
        firsts.add(runs[0].group().lower())
        lasts.add(runs[-1].group().lower())
        for x, y in zip(runs, runs[1:]):
            separators.setdefault((x.group().lower(), y.group().lower()), set()).add(s[x.end():y.start()])
    words = sorted(vocab)
    not_ws = {p for p, seps in separators.items() if any(not sep.isspace() for sep in seps)}
    across = {p for p in separators if p[0] in lasts and p[1] in firsts}
    repeated = {p for p in separators if p[0] == p[1]}
    eligible = sorted(
        p for p in separators
        if p[0] in vocab and p[1] in vocab and p not in not_ws and p not in across and p not in repeated
    )
    rng = random.Random(seed)
    rng.shuffle(eligible)
    used: set[str] = set()
    indicators: list[tuple[str, str]] = []
    for a, b in eligible:
        if len(indicators) == n_phrases:
            break
        if a in used or b in used:
            continue
        used.update((a, b))
        indicators.append(("phrase", f"{a} {b}"))
    if len(indicators) < n_phrases:
        raise SystemExit(f"only {len(indicators)} phrases could be drawn, {n_phrases} wanted")
    rest = [w for w in words if w not in used]
    if len(rest) < total - n_phrases:
        raise SystemExit(f"only {len(rest)} words left for {total - n_phrases} terms")
    indicators += [("term", w) for w in rng.sample(rest, total - n_phrases)]
    rng.shuffle(indicators)
    frames = [indicators[i * per_frame:(i + 1) * per_frame] for i in range(n_frames)]
    return CodebookPlan(
        frames, len(words), len(separators), len(not_ws), len(across), len(repeated), len(eligible)
    )


def codebook_yaml(plan: CodebookPlan) -> str:
    """The plan as a framing codebook (values double-quoted: "no" and "on" stay strings)."""
    lines = ["codebook: bench", "version: 1", "frames:"]
    for i, inds in enumerate(plan.frames):
        lines += [f"  - id: f{i:02d}", f"    label: F{i:02d}", "    indicators:"]
        lines += [f"      - {kind}: {json.dumps(value)}" for kind, value in inds]
    return "\n".join(lines) + "\n"


def write_codebook(plan: CodebookPlan, directory: str) -> str:
    """Write the codebook YAML into ``directory``; return its path."""
    path = os.path.join(directory, "bench_codebook.yaml")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(codebook_yaml(plan))
    return path


def indicator_patterns(codebook: Codebook) -> list[tuple[str, str]]:
    """``(indicator label, regex source)`` for every indicator, in codebook order."""
    out = []
    for frame in codebook.frames:
        for ind in frame.indicators:
            words = ind.value.split()
            body = r"\s+".join(re.escape(w) for w in words)
            out.append((ind.label, r"(?<![A-Za-z])" + body + r"(?![A-Za-z])"))
    return out


# --------------------------------------------------------------------------- steps


def run_frames(corpus: fr.Corpus, codebook: Codebook) -> Any:
    """(a) framing end to end, from an existing Corpus: sentences, tokens, matching, evidence.

    ``matching="preprocessor"``: the indicators are matched on the benchmark's own token stream (runs of ASCII
    letters), the words the baseline's regular expressions see; the codebook's own matching (lemmas and
    multiword vocabulary, the default) would find other hits than the baseline, not the same ones faster.
    """
    return fr.detect_frames(corpus, codebook, preprocessor(), matching="preprocessor")


def run_regex(docs: Sequence[tuple[str, str]], codebook: Codebook) -> list[tuple[str, str, int, int]]:
    """(b) One compiled regex per indicator, over every document's text."""
    patterns = [(label, re.compile(src, re.IGNORECASE)) for label, src in indicator_patterns(codebook)]
    hits: list[tuple[str, str, int, int]] = []
    append = hits.append
    for doc_id, text in docs:
        for label, rx in patterns:
            for m in rx.finditer(text):
                append((doc_id, label, m.start(), m.end()))
    return hits


def have_aho() -> bool:
    try:
        import ahocorasick  # noqa: F401
    except ImportError:
        return False
    return True


def run_aho(docs: Sequence[tuple[str, str]], codebook: Codebook) -> list[tuple[str, str, int, int]]:
    """(c) An Aho-Corasick automaton of all indicators (phrases with one space) over lowercased texts."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for frame in codebook.frames:
        for ind in frame.indicators:
            key = " ".join(ind.value.lower().split())
            automaton.add_word(key, (ind.label, len(key)))
    automaton.make_automaton()
    letters = ASCII_LETTERS
    hits: list[tuple[str, str, int, int]] = []
    append = hits.append
    for doc_id, text in docs:
        low = text.lower()
        if len(low) != len(text):  # lower() changed the length (e.g. "İ"): offsets would drift
            raise ValueError(f"{doc_id}: lowercasing changes the text's length")
        n = len(low)
        for last, (label, length) in automaton.iter(low):
            start, end = last - length + 1, last + 1
            if (start == 0 or low[start - 1] not in letters) and (end == n or low[end] not in letters):
                append((doc_id, label, start, end))
    return hits


STEPS: dict[str, Callable[..., Any]] = {
    "from_frame": build_corpus,
    "frames": run_frames,
    "regex": run_regex,
    "aho": run_aho,
}


def warm_up(codebook: Codebook) -> None:
    """Import and load everything once (modules, the sentence splitter) on the small bundled corpus."""
    small = fr.load_corpus()
    docs = [(d.doc_id, d.text) for d in small]
    run_frames(small, codebook)
    run_regex(docs, codebook)
    if have_aho():
        run_aho(docs, codebook)
    reset_framing_cache()


# --------------------------------------------------------------------------- timing


def run_tokens(corpus: fr.Corpus) -> Any:
    """The token stream of the matching preprocessor, placed in sentences: what ``detect_frames`` builds first."""
    return fr.tokens(corpus, preprocessor()).sentences()


def time_framing(frame: pd.DataFrame, codebook: Codebook, repeat: int) -> tuple[Timing, Timing, Timing, Any]:
    """``from_frame``, the token stream alone, and ``detect_frames``, ``repeat`` times.

    A Corpus caches its sentence table, so a second ``detect_frames`` on the
    same Corpus would skip sentence splitting; every repeat therefore builds
    a new Corpus (timed as ``from_frame``) and clears framing's
    per-preprocessor cache before timing ``detect_frames`` on it. The token
    stream is timed the same way, on a Corpus of its own.
    """
    t_build, t_tokens, t_frames = Timing("from_frame"), Timing("tokens"), Timing("frames")
    result: Any = None
    for _ in range(repeat):
        result = corpus = None
        other = build_corpus(frame)
        reset_framing_cache()
        seconds, _ = _common.timed(lambda: run_tokens(other))
        t_tokens.seconds.append(seconds)
        del other
        seconds, corpus = _common.timed(lambda: build_corpus(frame))
        t_build.seconds.append(seconds)
        reset_framing_cache()
        seconds, result = _common.timed(lambda: run_frames(corpus, codebook))
        t_frames.seconds.append(seconds)
    return t_build, t_tokens, t_frames, result


def time_step(name: str, docs: Sequence[tuple[str, str]], codebook: Codebook, repeat: int) -> tuple[Timing, Any]:
    """Run a step over the texts ``repeat`` times; return the timings and the last result."""
    return _common.time_repeats(name, lambda: STEPS[name](docs, codebook), repeat)


# --------------------------------------------------------------------------- checks


Key = tuple[str, str, int, int]


def framing_hits(result: Any) -> Counter[Key]:
    """The multiset of ``(doc_id, indicator, start, end)`` of framing's evidence."""
    ev = result.evidence
    return Counter(zip(ev["doc_id"], ev["indicator"], ev["start"].astype(int), ev["end"].astype(int)))


def compare_hits(
    ours: Counter[Key], theirs: Counter[Key], texts: dict[str, str], limit: int = 5
) -> dict[str, Any]:
    """Counts of each side, whether the multisets are equal, and a few differences with context."""
    only_ours = ours - theirs
    only_theirs = theirs - ours

    def show(diff: Counter[Key]) -> list[str]:
        out = []
        for doc_id, label, a, b in sorted(diff)[:limit]:
            text = texts[doc_id]
            out.append(f"{doc_id} {label} {a}:{b} {text[max(0, a - 30):a]!r} [{text[a:b]!r}] {text[b:b + 30]!r}")
        return out

    return {
        "ours": sum(ours.values()),
        "theirs": sum(theirs.values()),
        "identical": ours == theirs,
        "only_ours": sum(only_ours.values()),
        "only_theirs": sum(only_theirs.values()),
        "examples_ours": show(only_ours),
        "examples_theirs": show(only_theirs),
    }


def phrases_across_sentences(hits: Sequence[Key], sentences: pd.DataFrame) -> tuple[int, int]:
    """``(phrase hits, phrase hits not inside one framing sentence)`` among the regex hits.

    framing matches sentence by sentence; a regex phrase hit whose first and
    last character fall in different sentences (or outside every sentence)
    is one framing cannot find.
    """
    spans: dict[str, tuple[list[int], list[int]]] = {}
    for doc_id, g in sentences.sort_values(["doc_id", "start"]).groupby("doc_id", sort=False):
        spans[str(doc_id)] = (g["start"].astype(int).tolist(), g["end"].astype(int).tolist())
    phrases = crossing = 0
    for doc_id, label, a, b in hits:
        if not label.startswith("phrase:"):
            continue
        phrases += 1
        starts, ends = spans.get(doc_id, ([], []))
        k = bisect.bisect_right(starts, a) - 1
        if k < 0 or b > ends[k]:
            crossing += 1
    return phrases, crossing


# --------------------------------------------------------------------------- memory


def measure_memory(name: str, texts_path: str, codebook_path: str) -> dict[str, Any]:
    """Peak memory of one step, run in a fresh (spawned) process.

    The child loads the texts and the codebook (and builds the Corpus for
    framing), warms up as the timing run does and collects garbage; the
    figure is the peak RSS during the step (``VmHWM``, the mark reset through
    ``/proc/self/clear_refs``) minus the RSS just before it (``VmRSS``),
    result included: the method of ``bench_dtm.py``.
    """
    texts: list[str] = _common.load_pickle(texts_path)
    frame = to_frame(texts)
    codebook = load_codebook(codebook_path)
    warm_up(codebook)
    if name == "from_frame":
        fn: Callable[[], Any] = lambda: build_corpus(frame)  # noqa: E731
    elif name == "frames":
        corpus = build_corpus(frame)
        fn = lambda: run_frames(corpus, codebook)  # noqa: E731
    else:
        docs = list(zip(frame["doc_id"], texts))
        fn = lambda: STEPS[name](docs, codebook)  # noqa: E731
    return {"name": name, **_common.measure_peak(fn)}


def memory_in_children(names: Sequence[str], texts: list[str], codebook_path: str, tmp: str) -> dict[str, dict[str, Any]]:
    """Run :func:`measure_memory` for each step, one new spawned process per step."""
    path = _common.write_pickle(texts, tmp, "texts.pickle")
    return _common.memory_in_children(measure_memory, names, path, codebook_path)


# --------------------------------------------------------------------------- many distinct words

#: Uses of each distinct word, words per sentence, sentences per paragraph, paragraphs per document.
VOCAB_USES, VOCAB_SENTENCE, VOCAB_PARAGRAPH, VOCAB_DOCUMENT = 3, 12, 5, 10


def vocabulary_texts(n_words: int, seed: int = SEED) -> list[str]:
    """Documents holding ``n_words`` distinct random words, each :data:`VOCAB_USES` times, in shuffled order."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    words: set[str] = set()
    while len(words) < n_words:
        words.add("".join(rng.choice(letters) for _ in range(rng.randint(6, 12))))
    stream = sorted(words) * VOCAB_USES
    rng.shuffle(stream)
    sentences = [" ".join(stream[i:i + VOCAB_SENTENCE]).capitalize() + "."
                 for i in range(0, len(stream), VOCAB_SENTENCE)]
    paragraphs = [" ".join(sentences[i:i + VOCAB_PARAGRAPH]) for i in range(0, len(sentences), VOCAB_PARAGRAPH)]
    return ["\n\n".join(paragraphs[i:i + VOCAB_DOCUMENT]) for i in range(0, len(paragraphs), VOCAB_DOCUMENT)]


#: Indicators of the generated pattern codebook: globs, then regular expressions, over this many frames.
PATTERN_GLOBS, PATTERN_REGEXES, PATTERN_FRAMES = 950, 50, 10


def pattern_codebook_yaml(seed: int = SEED) -> str:
    """The bundled codebook plus frames of :data:`PATTERN_GLOBS` globs and :data:`PATTERN_REGEXES` regexes.

    Globs are ``abc*``, ``*abc`` or ``ab?c*`` over random letters, regexes
    ``^ab[aeiou]{2}`` or ``q[aeiou]z$``, all distinct, so a few of the random
    words of :func:`vocabulary_texts` match each.
    """
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"

    def pick(k: int) -> str:
        return "".join(rng.choice(letters) for _ in range(k))

    shapes = (lambda: pick(3) + "*", lambda: "*" + pick(3), lambda: pick(2) + "?" + pick(1) + "*")
    globs: set[str] = set()
    while len(globs) < PATTERN_GLOBS:
        globs.add(rng.choice(shapes)())
    regexes: set[str] = set()
    while len(regexes) < PATTERN_REGEXES:
        regexes.add(rng.choice(("^" + pick(2) + "[aeiou]{2}", pick(1) + "[aeiou]" + pick(1) + "$")))
    indicators = [("glob", g) for g in sorted(globs)] + [("regex", r) for r in sorted(regexes)]
    bundled = resources.files("framing.data").joinpath("codebooks/hong_kong_roles.yaml").read_text("utf-8")
    bundled = bundled.rstrip("\n") + "\n"
    lines = []
    per = -(-len(indicators) // PATTERN_FRAMES)
    for i in range(PATTERN_FRAMES):
        lines += [f"  - id: generated_{i:02d}", f"    label: Generated {i:02d}", "    indicators:"]
        lines += [f"      - {kind}: {json.dumps(value)}" for kind, value in indicators[i * per:(i + 1) * per]]
    return bundled + "\n".join(lines) + "\n"


def measure_vocabulary(name: str, patterns_path: str) -> dict[str, Any]:
    """Time and peak memory of ``detect_frames`` on ``N`` distinct words (run in a spawned child).

    ``name`` is ``'N:bundled'`` (the bundled codebook) or ``'N:patterns'``
    (the codebook at ``patterns_path``).
    """
    import hashlib
    import time
    import tracemalloc

    size, which = name.split(":")
    n_words = int(size)
    codebook = load_codebook("default" if which == "bundled" else patterns_path)
    fr.detect_frames(fr.load_corpus(), codebook)  # imports and loads everything once
    corpus = build_corpus(to_frame(vocabulary_texts(n_words)))
    toks = fr.tokens(corpus, codebook.preprocessor)  # tokenized and split into sentences before measuring
    distinct = len({t for doc in toks.sentences() for t, _, _ in doc})
    timing: dict[str, Any] = {}

    def run() -> Any:
        start = time.perf_counter()
        result = fr.detect_frames(toks, codebook)
        timing["seconds"] = time.perf_counter() - start
        timing["evidence"] = result.evidence
        return result

    memory = _common.measure_peak(run)
    ev = timing.pop("evidence")
    digest = hashlib.sha256(pd.util.hash_pandas_object(ev.astype(str), index=True).to_numpy().tobytes()).hexdigest()
    del ev
    gc.collect()
    tracemalloc.start()
    result = fr.detect_frames(toks, codebook)
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"name": name, "words": n_words, "codebook": which, "distinct_terms": distinct,
            "tokens": VOCAB_USES * n_words, "hits": len(result.evidence), "evidence_sha256": digest[:12],
            "traced_peak": traced, **timing, **memory}


def run_vocabulary(sizes: Sequence[int]) -> str:
    """The many-distinct-words case: one spawned child per size and codebook; the results as Markdown."""
    names = [f"{n}:{which}" for which in ("bundled", "patterns") for n in sizes]
    with tempfile.TemporaryDirectory(prefix="bench_frames_vocabulary_") as tmp:
        path = os.path.join(tmp, "patterns.yaml")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(pattern_codebook_yaml())
        results = _common.memory_in_children(measure_vocabulary, names, path, report=lambda _: None)
    rows = [
        f"Codebooks: the bundled one (its `glob:` indicators and context globs), and the bundled one plus "
        f"{PATTERN_GLOBS} generated `glob:` and {PATTERN_REGEXES} `regex:` indicators (`patterns`). Each word is "
        f"used {VOCAB_USES} times; tokenizing is not timed.",
        "",
        "| codebook | distinct words | distinct terms | tokens | `detect_frames(tokens)` (s) | peak RSS growth (MiB) | "
        "tracemalloc peak (MiB) | hits | evidence sha256 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results.values():
        say(f"  {r['codebook']} {r['words']:,} words: {r['seconds']:.2f} s, +{r['delta_kib'] / 1024:.1f} MiB RSS, "
            f"{r['traced_peak'] / 2**20:.1f} MiB traced, {r['hits']:,} hits")
        rows.append(f"| {r['codebook']} | {r['words']:,} | {r['distinct_terms']:,} | {r['tokens']:,} | "
                    f"{r['seconds']:.2f} | {r['delta_kib'] / 1024:,.1f} | {r['traced_peak'] / 2**20:,.1f} | "
                    f"{r['hits']:,} | {r['evidence_sha256']} |")
    return "\n".join(rows) + "\n"


# --------------------------------------------------------------------------- machine


def machine() -> dict[str, str]:
    """Cores, memory, CPU model, Python and library versions, date (UTC)."""
    return _common.machine({
        **_common.package_versions("pandas", "nltk"),
        "pyahocorasick": _common.pkg_version("pyahocorasick") if have_aho() else "not importable (step c skipped)",
        "framing": fr.__version__,
    })


# --------------------------------------------------------------------------- report


def render(
    *,
    info: dict[str, str],
    corpus_stats: dict[str, Any],
    plan: CodebookPlan,
    timings: dict[str, Timing],
    hits: dict[str, int],
    checks: dict[str, dict[str, Any]],
    crossing: tuple[int, int],
    memory: dict[str, dict[str, Any]] | None,
    repeat: int,
    digests: tuple[str, str],
) -> str:
    """The results as Markdown: machine, corpus, codebook, times, hits, memory and the aims."""
    mb = corpus_stats["bytes"] / 1e6
    tokens = corpus_stats["tokens"]
    base = timings["regex"]
    steps = [s for s in STEPS_ORDER if s in timings]
    lines = [
        f"Run of `bench/bench_frames.py --tokens {corpus_stats['target']} --repeat {repeat}`.",
        "",
        _common.machine_line(info)
        + f"; framing sources (sha256 of `src/framing/**/*.py`): {digests[0]}"
        + ("." if digests[0] == digests[1] else
           f" at the start, **{digests[1]} at the end: the sources changed during the run**, so the figures "
           "may mix two versions of framing."),
        "",
        f"**Corpus.** {corpus_stats['documents']:,} documents, {tokens:,} tokens "
        f"(matches of `DEFAULT_TOKEN_PATTERN`; {corpus_stats['letter_tokens']:,} runs of `[A-Za-z]+`), "
        f"{corpus_stats['sentences']:,} sentences (framing's splitter), {corpus_stats['chars']:,} characters, "
        f"{corpus_stats['bytes']:,} bytes of UTF-8 ({mb:,.1f} MB); resampled from {corpus_stats['source_sentences']} "
        f"body sentences with seed {SEED}.",
        "",
        f"**Codebook.** {len(plan.frames)} frames × {PER_FRAME} indicators: {plan.terms} terms and "
        f"{plan.phrases} two-word phrases, drawn with seed {SEED} from {plan.vocabulary:,} words and "
        f"{plan.pairs_eligible:,} eligible adjacent pairs of the body sentences; no word in two indicators. "
        f"Pairs left out: {plan.pairs_not_whitespace:,} also joined by something other than whitespace "
        f"(hyphen, comma, apostrophe…), {plan.pairs_across_sentences:,} whose first word ends a sentence and "
        f"second word starts one, {plan.pairs_repeated} of one word twice (of {plan.pairs_seen:,} distinct pairs).",
        "",
        f"### Time (wall clock, best and median of {repeat})",
        "",
        "| step | best (s) | median (s) | MB/s (best) | tokens/s (best) | baseline ÷ step (best) | baseline ÷ step (median) | hits |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in steps:
        t = timings[name]
        compared = name != "from_frame"
        rb = f"{base.best / t.best:.1f}×" if compared else "—"
        rm = f"{base.median / t.median:.1f}×" if compared else "—"
        h = f"{hits[name]:,}" if name in hits else "—"
        lines.append(
            f"| {LABELS[name]} | {t.best:.2f} | {t.median:.2f} | {mb / t.best:,.1f} | {tokens / t.best:,.0f} | {rb} | {rm} | {h} |"
        )
    if "aho" not in timings:
        lines.append(f"| {LABELS['aho']} | — | — | — | — | — | — | skipped: pyahocorasick not importable |")
    lines += [
        "",
        "MB = 10^6 bytes of UTF-8 text (all documents). (a) times only the `detect_frames` call, on a Corpus built "
        "just before it in every repeat (so each run splits sentences, as a first call does) with framing's "
        "per-preprocessor cache cleared; the Corpus build is the first row. (b) and (c) read the list of texts "
        "and include compiling their patterns.",
        "",
        "### Same hits?",
        "",
        "The multiset of `(doc_id, indicator, start, end)`: framing's evidence (offsets into the document's text) "
        "against the regex loop's `(doc_id, indicator, m.start(), m.end())` on the same texts.",
        "",
        "| comparison | hits (first) | hits (second) | identical | only in first | only in second |",
        "|---|---:|---:|---|---:|---:|",
    ]
    names = {"frames": "(a) framing", "aho": "(c) Aho-Corasick"}
    for name, c in checks.items():
        lines.append(
            f"| {names[name]} vs (b) regex loop | {c['ours']:,} | {c['theirs']:,} | "
            f"{'**yes**' if c['identical'] else '**no**'} | {c['only_ours']:,} | {c['only_theirs']:,} |"
        )
    lines += [
        "",
        f"Regex phrase hits: {crossing[0]:,}, of which {crossing[1]:,} do not lie inside one of framing's sentences "
        "(`\\s+` between two words of letters never crosses a sentence end).",
    ]
    for name, c in checks.items():
        for side, key in (("first", "examples_ours"), ("second", "examples_theirs")):
            if c[key]:
                lines += ["", f"First differences, only in the {side} ({names[name]} vs regex):", ""]
                lines += [f"* `{e}`" for e in c[key]]
    lines += ["", "### Memory", ""]
    if memory is not None:
        exact = all(m["exact"] for m in memory.values())
        how = (
            "peak RSS during the step (`VmHWM`, /proc/self/status, the mark reset through `/proc/self/clear_refs` "
            "just before) minus the RSS just before it (`VmRSS`), result included"
            if exact
            else "`ru_maxrss` after the step minus its value before (the peak mark could not be reset, so a step "
            "that stays below an earlier peak shows too little)"
        )
        lines += [
            f"Each step once more in a fresh `multiprocessing` \"spawn\" child, after loading the texts and the "
            f"codebook (and building the Corpus, for a) and warming up: {how}, as in `bench_dtm.py`.",
            "",
            "| step | starts from | peak memory growth (MiB) |",
            "|---|---|---:|",
        ]
        starts = {"from_frame": "DataFrame", "frames": "Corpus", "regex": "list of texts", "aho": "list of texts"}
        for name in steps:
            if name in memory:
                lines.append(f"| {LABELS[name]} | {starts[name]} | {memory[name]['delta_kib'] / 1024:,.1f} |")
    else:
        lines.append("Memory not measured (`--no-memory`).")
    a = timings["frames"]
    speeds = (mb / a.best, mb / a.median)
    ratios = (base.best / a.best, base.median / a.median)
    same = checks["frames"]["identical"]
    lines += [
        "",
        f"**Aim 1: framing end to end at least {AIM_MB_PER_SECOND:.0f} MB of text per second.** "
        f"{verdict(v >= AIM_MB_PER_SECOND for v in speeds)}: {speeds[0]:.1f} MB/s on the best time, "
        f"{speeds[1]:.1f} MB/s on the median.",
        "",
        f"**Aim 2: at least {AIM_RATIO:.0f}× faster than the regex loop, with identical hits.** "
        + (
            f"{verdict(v >= AIM_RATIO for v in ratios)}: {ratios[0]:.1f}× on the best times, "
            f"{ratios[1]:.1f}× on the medians; hits identical ({checks['frames']['ours']:,})."
            if same
            else f"**not met**: the hits differ ({checks['frames']['ours']:,} against {checks['frames']['theirs']:,}); "
            f"speed {ratios[0]:.1f}× on the best times, {ratios[1]:.1f}× on the medians."
        ),
    ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = _common.token_parser(__doc__, section=SECTION)
    parser.add_argument("--vocabulary", type=int, nargs="+", metavar="N",
                        help="run only the many-distinct-words case, for each number of distinct words N")
    args = _common.parse_token_args(parser, argv)
    if args.vocabulary is not None and (args.write or min(args.vocabulary) < 1):
        parser.error("--vocabulary takes positive numbers and prints its table; it cannot --write")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.vocabulary is not None:
        print(run_vocabulary(args.vocabulary))
        return 0
    digest_start = _common.source_digest(fr)
    sentences = body_sentences()
    plan = plan_codebook(sentences)
    texts = make_documents(sentences, args.tokens)
    frame = to_frame(texts)
    docs = list(zip(frame["doc_id"], texts))
    corpus_stats: dict[str, Any] = {
        "target": args.tokens,
        "source_sentences": len(sentences),
        "documents": len(texts),
        "tokens": sum(count_tokens(t) for t in texts),
        "letter_tokens": sum(sum(1 for _ in WORD_RE.finditer(t)) for t in texts),
        "chars": sum(map(len, texts)),
        "bytes": sum(len(t.encode("utf-8")) for t in texts),
    }
    say(f"corpus: {corpus_stats['documents']:,} documents, {corpus_stats['tokens']:,} tokens, "
        f"{corpus_stats['bytes'] / 1e6:.1f} MB; codebook: {plan.terms} terms, {plan.phrases} phrases")

    with tempfile.TemporaryDirectory(prefix="bench_frames_") as tmp:
        codebook_path = write_codebook(plan, tmp)
        codebook = load_codebook(codebook_path)
        warm_up(codebook)

        timings: dict[str, Timing] = {}
        hits: dict[str, int] = {}
        timings["from_frame"], timings["tokens"], timings["frames"], result = time_framing(frame, codebook, args.repeat)
        ours = framing_hits(result)
        hits["frames"] = sum(ours.values())
        sentence_table = result.sentences[["doc_id", "start", "end"]].copy()
        corpus_stats["sentences"] = len(sentence_table)
        del result
        say(f"  from_frame: best {timings['from_frame'].best:.2f} s")
        say(f"  tokens (floor): best {timings['tokens'].best:.2f} s, median {timings['tokens'].median:.2f} s")
        say(f"  frames: best {timings['frames'].best:.2f} s, median {timings['frames'].median:.2f} s, {hits['frames']:,} hits")

        timings["regex"], regex_hits = time_step("regex", docs, codebook, args.repeat)
        hits["regex"] = len(regex_hits)
        say(f"  regex: best {timings['regex'].best:.2f} s, median {timings['regex'].median:.2f} s, {hits['regex']:,} hits")
        theirs = Counter(regex_hits)
        by_id = dict(docs)
        checks = {"frames": compare_hits(ours, theirs, by_id)}
        crossing = phrases_across_sentences(regex_hits, sentence_table)
        del regex_hits, sentence_table
        c = checks["frames"]
        say(f"  hits: framing {c['ours']:,}, regex {c['theirs']:,}, identical: {c['identical']}; "
            f"regex phrase hits {crossing[0]:,}, crossing a sentence boundary {crossing[1]:,}")
        for e in c["examples_ours"]:
            say(f"    only framing: {e}")
        for e in c["examples_theirs"]:
            say(f"    only regex:   {e}")

        if have_aho():
            timings["aho"], aho_hits = time_step("aho", docs, codebook, args.repeat)
            hits["aho"] = len(aho_hits)
            checks["aho"] = compare_hits(Counter(aho_hits), theirs, by_id)
            del aho_hits
            say(f"  aho: best {timings['aho'].best:.2f} s, {hits['aho']:,} hits, "
                f"identical to regex: {checks['aho']['identical']}")
        else:
            say("  aho: skipped (pyahocorasick not importable)")
        del ours, theirs
        gc.collect()

        names = [s for s in STEPS_ORDER if s in timings and s != "tokens"]
        memory = None if args.no_memory else memory_in_children(names, texts, codebook_path, tmp)

    digests = _common.digests_since(digest_start, fr)
    results = render(
        info=machine(), corpus_stats=corpus_stats, plan=plan, timings=timings, hits=hits, checks=checks,
        crossing=crossing, memory=memory, repeat=args.repeat, digests=digests,
    )
    _common.publish(results, write=args.write, section=SECTION, info=machine(),
                    rows=summary_rows(timings, memory, corpus_stats, checks))
    return 0


def summary_rows(timings: dict[str, Timing], memory: dict[str, dict[str, Any]] | None, corpus_stats: dict[str, Any],
                 checks: dict[str, Any]) -> list[_common.Row]:
    """The lines of ``bench/RESULTS.md``: framing against the regex loop and the Aho–Corasick reference."""
    def peak(name: str) -> float | None:
        return memory[name]["delta_kib"] / 1024 if memory is not None and name in memory else None

    size = f"{corpus_stats['tokens'] / 1e6:.0f}M tokens"
    t = timings["frames"].best
    mb_s = corpus_stats["bytes"] / 1e6 / t
    rows = [_common.Row("`fr.detect_frames`, 300 indicators", size, t, "one regex per indicator", timings["regex"].best,
                        peak("frames"), peak("regex"), aim=f"≥ {AIM_MB_PER_SECOND:.0f} MB/s, same hits",
                        met=mb_s >= AIM_MB_PER_SECOND and checks["frames"]["identical"],
                        note=f"{mb_s:.1f} MB/s; hits identical: {checks['frames']['identical']}")]
    floor = timings["tokens"].best
    rows.append(_common.Row("`fr.tokens(corpus, pre).sentences()` alone: the token stream `detect_frames` starts from",
                            size, floor, "one regex per indicator", timings["regex"].best,
                            note=f"{corpus_stats['bytes'] / 1e6 / floor:.1f} MB/s; the ceiling of detect_frames "
                                 "while tokens are Python tuples"))
    if "aho" in timings:
        rows.append(_common.Row("`fr.detect_frames`, 300 indicators", size, t, "pyahocorasick + boundary check",
                                timings["aho"].best, peak("frames"), peak("aho"), note="matching alone, no sentences or stance"))
    return rows


if __name__ == "__main__":
    sys.exit(main())
