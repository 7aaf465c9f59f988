"""Benchmark framing's sentence splitter against NLTK's Punkt, which it reproduces.

The synthetic corpus of ``bench_dtm.py`` (body sentences of the bundled
corpus resampled with a fixed seed into paragraphs of 3-6 sentences and
documents of about 500 tokens; ten million tokens by default) is cut into
paragraphs at blank lines. On the same paragraphs, in the same run, the
script times

* (a) ``framing.corpus.units.split_sentences`` (:class:`PunktRules`: Punkt's
  untrained decisions in one regular-expression pass),
* (b) the reference: the same function with NLTK's
  ``PunktSentenceTokenizer`` (same abbreviations) in place of
  :class:`PunktRules`,

reports seconds, MB of text per second (UTF-8 bytes / 10^6 / seconds) and
the ratio, and compares the boundaries: the share of (a)'s and (b)'s
sentence ends, as ``(paragraph, offset)``, that both find (the aim is at
least 99.5%; the implementation aims at 100%).

Usage::

    .venv/bin/python bench/bench_sentences.py                  # 10M tokens, best of 3
    .venv/bin/python bench/bench_sentences.py --tokens 500000  # quick check
    .venv/bin/python bench/bench_sentences.py --write          # also update bench/README.md
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import _common  # noqa: E402
from _common import Timing, say  # noqa: E402
from bench_dtm import body_sentences, make_documents  # noqa: E402

from framing.corpus import units  # noqa: E402

SECTION = "sentences"  # of README
AIM_MB_PER_SECOND = 20.0
AIM_AGREEMENT = 0.995

Splitter = Callable[[str], list[tuple[int, int]]]


def paragraphs(tokens: int) -> list[str]:
    """The benchmark corpus's paragraphs (its documents cut at blank lines)."""
    return [p for doc in make_documents(body_sentences(), tokens) for p in doc.split("\n\n") if p.strip()]


def split_all(split: Splitter, texts: Sequence[str]) -> list[list[tuple[int, int]]]:
    return [split(t) for t in texts]


def ends(spans: Sequence[Sequence[tuple[int, int]]]) -> set[tuple[int, int]]:
    """Every sentence end as ``(paragraph, offset)``."""
    return {(i, b) for i, para in enumerate(spans) for _, b in para}


def agreement(a: set[tuple[int, int]], b: set[tuple[int, int]]) -> float:
    """Boundaries both find, over boundaries either finds."""
    union = a | b
    return len(a & b) / len(union) if union else 1.0


def render(n_bytes: int, n_paragraphs: int, timings: dict[str, Timing], agree: float, n_ends: int) -> str:
    machine = _common.machine_line(_common.machine(_common.package_versions("nltk", "regex")))
    fast, ref = timings["framing"].best, timings["nltk"].best
    rows = [
        "| step | best s | MB/s |",
        "|---|---:|---:|",
        f"| (a) **framing** `split_sentences` (`PunktRules`) | {fast:.2f} | {n_bytes / 1e6 / fast:.1f} |",
        f"| (b) reference: NLTK `PunktSentenceTokenizer`, same abbreviations | {ref:.2f} | {n_bytes / 1e6 / ref:.1f} |",
    ]
    met = _common.verdict([n_bytes / 1e6 / fast >= AIM_MB_PER_SECOND, agree >= AIM_AGREEMENT])
    return "\n".join([
        machine,
        "",
        f"{n_paragraphs:,} paragraphs, {n_bytes / 1e6:.1f} MB of text; best of {len(timings['framing'].seconds)} runs.",
        "",
        *rows,
        "",
        f"(a) is {ref / fast:.1f}× as fast as (b). Sentence ends found by both: {agree:.4%} of {n_ends:,}. "
        f"Aim (≥ {AIM_MB_PER_SECOND:.0f} MB/s, ≥ {AIM_AGREEMENT:.1%} of boundaries): {met}.",
        "",
    ])


def main(argv: Sequence[str] | None = None) -> int:
    parser = _common.token_parser(__doc__, section=SECTION)
    args = _common.parse_token_args(parser, argv)
    say(f"corpus of {args.tokens:,} tokens …")
    texts = paragraphs(args.tokens)
    n_bytes = sum(len(t.encode("utf-8")) for t in texts)
    steps: dict[str, Splitter] = {"framing": units.split_sentences, "nltk": units._punkt_reference_spans}
    timings: dict[str, Timing] = {}
    results = {}
    for name, split in steps.items():
        split(texts[0])  # warm up: abbreviations, NLTK import
        timings[name], results[name] = _common.time_repeats(name, lambda split=split: split_all(split, texts), args.repeat)
        say(f"{name}: best {timings[name].best:.2f} s")
    a, b = ends(results["framing"]), ends(results["nltk"])
    agree = agreement(a, b)
    report = render(n_bytes, len(texts), timings, agree, len(a | b))
    fast = n_bytes / 1e6 / timings["framing"].best
    row = _common.Row("`split_sentences` (`PunktRules`)", f"{n_bytes / 1e6:.0f} MB", timings["framing"].best,
                      "NLTK `PunktSentenceTokenizer`", timings["nltk"].best,
                      aim=f"≥ {AIM_MB_PER_SECOND:.0f} MB/s, ≥ {AIM_AGREEMENT:.1%} of boundaries",
                      met=fast >= AIM_MB_PER_SECOND and agree >= AIM_AGREEMENT,
                      note=f"{fast:.1f} MB/s, {agree:.2%} of boundaries shared")
    _common.publish(report, write=args.write, section=SECTION, rows=[row],
                    info=_common.machine(_common.package_versions("nltk", "regex")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
