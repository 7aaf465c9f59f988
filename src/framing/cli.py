"""The ``framing`` command line.

Every error the toolkit can name ends with one line on stderr and exit status
2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .errors import FramingError

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise FramingError(f"{self.prog}: {message}")


def _build() -> argparse.ArgumentParser:
    parser = _Parser(prog="framing", description="Comparative discourse analysis toolkit.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    corpus = sub.add_parser("corpus", help="inspect and validate a corpus folder")
    csub = corpus.add_subparsers(dest="action", required=True, parser_class=_Parser)
    check = csub.add_parser("check", help="validate a corpus folder and report every problem at once")
    check.add_argument("path", help="the corpus folder")
    summ = csub.add_parser("summary", help="print sizes per document or per group")
    summ.add_argument("path", nargs="?", default=None, help="the corpus folder (default: the bundled corpus)")
    summ.add_argument("--by", default=None, help="a metadata column to group by")

    figs = sub.add_parser("figures", help="regenerate the paper figures")
    figs.add_argument("--only", nargs="+", metavar="NAME", help="only these figures")
    figs.add_argument("--format", default="png,pdf", help="comma-separated formats: png, pdf, svg (default: png,pdf)")
    figs.add_argument("--out", default="figures", help="output folder (default: figures)")
    figs.add_argument("--list", action="store_true", help="list the figures and exit")
    return parser


def _corpus(args: argparse.Namespace) -> int:
    from .corpus import load_corpus

    if args.action == "check":
        corpus = load_corpus(args.path)
        print(f"{args.path}: OK, {len(corpus)} documents")
        return 0
    corpus = load_corpus(args.path)
    import pandas as pd

    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(corpus.summary(by=args.by).to_string(index=False))
    return 0


def _figures(args: argparse.Namespace) -> int:
    from .figures import FIGURES, render

    if args.list:
        for name, spec in FIGURES.items():
            print(f"{name}\t{spec.caption}")
        return 0
    results = render(
        args.only, formats=args.format.split(","), outdir=args.out,
        progress=lambda line: print(line, file=sys.stderr, flush=True),
    )
    failed = [r for r in results if r.error]
    for r in results:
        if r.error is None:
            print(f"{r.name}: " + ", ".join(str(f) for f in r.files))
    if failed:
        for r in failed:
            print(f"framing: figure {r.name} failed: {r.error}", file=sys.stderr)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    try:
        args = _build().parse_args(argv)
        if args.command == "corpus":
            return _corpus(args)
        return _figures(args)
    except FramingError as exc:
        text = str(exc)
        first, _, rest = text.partition("\n")
        print(f"framing: error: {first}", file=sys.stderr)
        if rest:
            print(rest, file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # pragma: no cover
        print("framing: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
