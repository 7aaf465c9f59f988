"""The ``framing`` command line.

Every error the toolkit can name ends with one line on stderr and exit status
2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framing.base.errors import ArgumentError, CodebookError, CorpusError, FramingError
from framing.base.datafile import read_text
from framing.base.io import atomic_write, csv_bytes, refuse_corpus_target
from framing.corpus.cleaning import check_paragraphs
from framing.corpus.model import Corpus, unsplit_note
from framing.corpus.readers import TABLE_SUFFIXES, load_corpus, read_table
from framing.measures.frames.codebook import load_codebook
from framing.measures.frames.matching import detect_frames
from framing.measures.frames.salience import frame_salience
from framing.measures.keywords.collocations import collocations
from framing.measures.keywords.keyness import keyness
from framing.measures.keywords.kwic import kwic
from framing.measures.topics import TopicModel, topic_prevalence
from framing.output.explore import explore
from framing.output.figures import DATA_ATOL, DATA_RTOL, FORMATS, check_figure_data, render
from framing.text.dtm import dtm
from framing.text.preprocess import Preprocessor
from framing.text.summary import summary

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise FramingError(f"{self.prog}: {message}")


def _whole(low: int, high: int | None, bounds: str) -> Any:
    """An argparse type: a whole number in ``[low, high)``; ``bounds`` says the range in the message."""

    def parse(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
        if n < low or (high is not None and n >= high):
            raise argparse.ArgumentTypeError(f"{n} {bounds}")
        return n

    return parse


def _paragraphs_arg(value: str) -> str:
    """An argparse type: a way of marking paragraphs (``auto``, ``blank_line``, ``line`` or a regular expression)."""
    try:
        return check_paragraphs(value)
    except ArgumentError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


_seed = _whole(0, 2**32, "must lie in 0 .. 4294967295")  # a random seed
_positive = _whole(1, None, "must be at least 1")  # a count of rows


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

    def corpus_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("corpus", help="a corpus folder, or a CSV / Parquet / JSON Lines table")
        p.add_argument("--text-col", default="text", help="text column of a table (default: text)")
        p.add_argument("--id-col", default="doc_id", help="id column of a table (default: doc_id)")
        p.add_argument("--paragraphs", default="auto", type=_paragraphs_arg,
                       help="how a table's texts mark paragraphs: blank_line, line, auto (blank lines where a text has "
                            "any, else every line; default), or a regular expression found in the line that starts "
                            "one (e.g. '^(Q|A):')")
        p.add_argument("--speakers", nargs="?", const=True, default=None, metavar="REGEX",
                       help="read speaker turns ('Q:', 'A:', 'Mr Lee:' at the start of a line, or a regular "
                            "expression whose first group is the label): each paragraph records its speaker and the "
                            "label is kept out of the tokens")
        p.add_argument("--group-by", default=None, metavar="COLUMN",
                       help="a table's grouping column, the corpus' own (default: none, or --by when given)")
        p.add_argument("--no-lowercase", action="store_true", help="keep case")
        p.add_argument("--stopwords", choices=["english", "none"], default="english")
        p.add_argument("--normalize", choices=["lemma", "stem", "none"], default="lemma")
        p.add_argument("--no-phrases", action="store_true", help="no multiword expressions or variants")
        p.add_argument("--learn-phrases", action="store_true", help="also join phrases learned from the corpus")
        p.add_argument("--extra-stopwords", default=None, metavar="WORDS_OR_FILE",
                       help="more stopwords: comma-separated words, or a UTF-8 file with one word per line")
        p.add_argument("--out", default=None, help="write the table to this CSV file instead of printing it")

    key = sub.add_parser("keyness", help="key terms of each group (or one target) against a reference")
    corpus_args(key)
    key.add_argument("--by", default=None, help="grouping column (default: the corpus' own)")
    key.add_argument("--target", default=None)
    key.add_argument("--reference", default="rest")
    key.add_argument("--sort", default="g2", choices=["g2", "chi2", "log_ratio", "logodds_z", "pct_diff", "p"])
    key.add_argument("--min-count", type=int, default=5)
    key.add_argument("--unit", default="paragraph", choices=["document", "paragraph", "sentence"])
    key.add_argument("--correction", default=None, choices=["yates", "williams"])
    key.add_argument("-n", type=_positive, default=20, help="rows per target when printing (default: 20)")

    kw = sub.add_parser("kwic", help="every occurrence of a pattern, in context")
    corpus_args(kw)
    kw.add_argument("pattern", help="a word, phrase, term, glob (connect*) or, with --regex, a regular expression")
    kw.add_argument("--window", type=int, default=8)
    kw.add_argument("--regex", action="store_true", help="treat PATTERN as a regular expression")
    kw.add_argument("--sentence", action="store_true", help="show whole sentences as context")

    col = sub.add_parser("collocations", help="adjacent bigrams or window collocates of a node")
    corpus_args(col)
    col.add_argument("--node", default=None, help="a term or glob, e.g. united_states or sanction*")
    col.add_argument("--by", default=None, help="grouping column (default: the corpus' own)")
    col.add_argument("--window", type=int, default=5)
    col.add_argument("--min-count", type=int, default=3)
    col.add_argument("-n", type=_positive, default=20, help="rows per group when printing (default: 20)")

    fr_ = sub.add_parser("frames", help="detect frames; write salience, evidence and unit tables")
    corpus_args(fr_)
    fr_.set_defaults(stopwords="none")
    fr_.add_argument("--codebook", default="default", help="a codebook YAML, quanteda YAML or LIWC .dic (default: bundled)")
    fr_.add_argument("--by", default=None, help="grouping column (default: the corpus' own)")
    fr_.add_argument("--scope", default="all", choices=["all", "paragraph", "sentence"])
    fr_.add_argument("--subject", nargs="+", default=None, metavar="ALIAS",
                     help="the subject's terms or phrases (marks sentences for --scope paragraph/sentence)")
    fr_.add_argument("--seed", type=_seed, default=0)
    fr_.add_argument("--n-boot", type=int, default=1000)

    tp = sub.add_parser("topics", help="fit a topic model over paragraphs; write its tables")
    corpus_args(tp)
    tp.add_argument("--k", type=int, default=8, help="number of topics (default: 8)")
    tp.add_argument("--method", default="lda", choices=["lda", "nmf"])
    tp.add_argument("--seed", type=_seed, default=1)
    tp.add_argument("--by", default=None, help="grouping column for prevalence (default: the corpus' own)")
    tp.add_argument("--min-docs", type=int, default=2, help="keep terms in at least this many paragraphs (default: 2)")

    ex = sub.add_parser("explore", help="write one self-contained HTML page: terms, concordances, frame evidence, topics")
    corpus_args(ex)
    ex.add_argument("--by", default=None, help="grouping column (default: the corpus' own)")
    ex.add_argument("--target", default=None, help="the group to compare (default: each group, chosen in the page)")
    ex.add_argument("--reference", default="rest", help="'rest' (default) or a group")
    ex.add_argument("--min-count", type=_positive, default=5)
    ex.add_argument("--codebook", default=None, help="show frame evidence of this codebook ('default': the bundled one)")
    ex.add_argument("--subject", nargs="+", default=None, metavar="ALIAS", help="the subject's terms or phrases")
    ex.add_argument("--topics", type=_whole(2, None, "must be at least 2"), default=None, metavar="K",
                    help="fit K topics over paragraphs for the topic map")
    ex.add_argument("--method", default="lda", choices=["lda", "nmf"])
    ex.add_argument("--seed", type=_seed, default=1, help="the topic model's random seed (default: 1)")
    ex.add_argument("--max-terms", type=_positive, default=2000, help="terms on the scatter (default: 2000)")
    ex.add_argument("--max-lines", type=_positive, default=12, help="concordance lines per term (default: 12)")
    ex.add_argument("--max-evidence", type=_positive, default=5000, help="frame hits on the page (default: 5000)")

    cb = sub.add_parser("codebook", help="check a codebook")
    cbsub = cb.add_subparsers(dest="action", required=True, parser_class=_Parser)
    cbc = cbsub.add_parser("check", help="report every problem of a codebook at once")
    cbc.add_argument("file")

    figs = sub.add_parser("figures", help="regenerate a study's figures (default: the study package in this folder)")
    figs.add_argument("--study", default="study.figures",
                      help="a study settings file (.yaml: drawn with study.figures) or the module that defines the study's "
                           "FIGURES registry and make_context() (default: study.figures)")
    figs.add_argument("--only", nargs="+", metavar="NAME", help="only these figures")
    figs.add_argument("--format", default="png,pdf", help="comma-separated formats: png, pdf, svg (default: png,pdf)")
    figs.add_argument("--out", default="figures", help="output folder (default: figures)")
    figs.add_argument("--list", action="store_true", help="list the figures and exit")
    figs.add_argument("--jobs", type=int, default=None, help="processes drawing figures (default: the cores, at most 4)")
    figs.add_argument("--check", action="store_true",
                      help="regenerate into a temporary folder and compare each figure's data with OUT/data/ "
                           f"(rtol {DATA_RTOL:g}, atol {DATA_ATOL:g}); writes nothing; exit 1 on a difference")
    return parser


def _corpus(args: argparse.Namespace) -> int:
    if args.action == "check":
        corpus = load_corpus(args.path)
        print(f"{args.path}: OK, {len(corpus)} documents")
        note = unsplit_note(corpus)
        if note:
            print(f"note: {note}")
        return 0
    corpus = load_corpus(args.path)

    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(summary(corpus, by=args.by).to_string(index=False))
    return 0


def _load(args: argparse.Namespace) -> Any:
    """A corpus folder, or a table read into Corpus.from_frame."""

    path = Path(args.corpus)
    speakers = getattr(args, "speakers", None)
    if path.is_dir() or not path.exists():
        return load_corpus(path, speakers=speakers)
    if path.suffix.lower() not in TABLE_SUFFIXES:
        raise CorpusError(f"{path}: not a corpus folder, nor a .csv, .parquet or .jsonl table")
    df = read_table(path, id_column=args.id_col, text_column=args.text_col)
    group = getattr(args, "group_by", None)
    if group is not None and group not in df.columns:
        raise ArgumentError(f"--group-by {group!r}: not a column of {path}; its columns are {', '.join(map(str, df.columns))}")
    if group is None:
        group = getattr(args, "by", None)
    return Corpus.from_frame(df, text=args.text_col, doc_id=args.id_col,
                             group_by=group if group in df.columns else None, name=path.stem,
                             paragraphs=getattr(args, "paragraphs", "auto"), speakers=speakers)


def _pre(args: argparse.Namespace) -> Any:
    return Preprocessor(
        lowercase=not args.no_lowercase,
        stopwords=None if args.stopwords == "none" else "english",
        normalize=None if args.normalize == "none" else args.normalize,
        phrases=None if args.no_phrases else "default",
        learn_phrases=args.learn_phrases,
        extra_stopwords=_extra_stopwords(getattr(args, "extra_stopwords", None)),
    )


def _extra_stopwords(value: str | None) -> tuple[str, ...]:
    """--extra-stopwords: a file of words (one a line, '#' comments) or comma-separated words."""
    if not value:
        return ()
    path = Path(value)
    if path.is_file():
        lines = read_text(path, error=ArgumentError, label=f"--extra-stopwords {path}").splitlines()
        words = [ln.split("#", 1)[0].strip() for ln in lines]
    else:
        words = [w.strip() for w in value.split(",")]
    return tuple(w for w in words if w)


def _check_out(args: argparse.Namespace, kind: str) -> None:
    """Check --out before any work: not in the corpus, its folder exists, the right kind of path."""
    if not getattr(args, "out", None):
        return
    out = Path(args.out)
    refuse_corpus_target(out, corpus=getattr(args, "corpus", None), error=ArgumentError)
    if kind == "file" and out.is_dir():
        raise ArgumentError(f"--out {out} is a folder; give a file name")
    if kind == "folder" and out.exists() and not out.is_dir():
        raise ArgumentError(f"--out {out} is a file; give a folder for the tables")
    if not out.parent.is_dir():
        raise ArgumentError(f"--out {out}: the folder {out.parent} does not exist")
    if not os.access(out.parent, os.W_OK):
        raise ArgumentError(f"--out {out}: the folder {out.parent} is not writable")


def _emit(table: Any, args: argparse.Namespace, printed: Any) -> int:
    """Write the full table to --out (atomically; checked by :func:`_check_out` before the work), or print ``printed``."""
    if args.out:
        out = Path(args.out)
        try:
            atomic_write(out, csv_bytes(table))
        except OSError as exc:
            raise ArgumentError(f"cannot write {out} ({exc.strerror or exc})") from None
        print(f"{out}: {len(table)} rows")
        return 0

    with pd.option_context("display.width", 200, "display.max_columns", 30, "display.max_rows", 500):
        print(printed if isinstance(printed, str) else printed.to_string(index=False))
    return 0


def _keyness(args: argparse.Namespace) -> int:
    _check_out(args, "file")
    corpus = _load(args)
    m = dtm(corpus, _pre(args), unit=args.unit)
    table = keyness(m, by=args.by, target=args.target, reference=args.reference, min_count=args.min_count,
                    sort=args.sort, correction=args.correction)
    cols = ["target", "reference", "term", "n_target", "n_reference", "g2", "log_ratio", "logodds_z", "p_adj"]
    return _emit(table, args, table.groupby("target", sort=False).head(args.n)[cols])


def _kwic(args: argparse.Namespace) -> int:
    _check_out(args, "file")
    corpus = _load(args)
    table = kwic(corpus, args.pattern, window=args.window, pre=_pre(args),
                 valuetype="regex" if args.regex else "auto", context="sentence" if args.sentence else "tokens")
    return _emit(table, args, table.to_text(max_rows=10_000))


def _collocations(args: argparse.Namespace) -> int:
    _check_out(args, "file")
    corpus = _load(args)
    table = collocations(corpus, _pre(args), by=args.by, node=args.node, window=args.window, min_count=args.min_count)
    cols = ["group", "node", "collocate", "n", "pmi", "g2", "t_score", "log_dice"]
    return _emit(table, args, table.groupby("group", sort=False).head(args.n)[cols])


def _write_tables(folder: str, tables: dict[str, Any]) -> Any:
    """Write each table as ``<folder>/<name>.csv`` through a temporary file (the folder was checked by
    :func:`_check_out` before the work); return the folder."""
    out = Path(folder)
    out.mkdir(exist_ok=True)
    for name, table in tables.items():
        try:
            atomic_write(out / f"{name}.csv", csv_bytes(table))
        except OSError as exc:
            raise ArgumentError(f"cannot write {out / (name + '.csv')} ({exc.strerror or exc})") from None
    return out


def _frames(args: argparse.Namespace) -> int:
    _check_out(args, "folder")
    codebook = load_codebook(args.codebook)
    problems = codebook.check(_pre(args))
    if problems:

        raise CodebookError(problems)
    corpus = _load(args)
    result = detect_frames(corpus, codebook, _pre(args), subject=args.subject)
    salience = frame_salience(result, by=args.by, scope=args.scope, n_boot=args.n_boot, random_state=args.seed)
    if args.out is None:
        cols = ["group", "frame", "hits", "per_1000", "share_units", "share_units_low", "share_units_high", "docs"]
        return _emit(salience, args, salience[cols])
    out = _write_tables(args.out, {"salience": salience, "evidence": result.evidence, "units": result.unit_frames})
    print(f"{out}: salience.csv ({len(salience)} rows), evidence.csv ({len(result.evidence)}), units.csv ({len(result.unit_frames)})")
    return 0


def _topics(args: argparse.Namespace) -> int:
    _check_out(args, "folder")
    corpus = _load(args)
    m = dtm(corpus, _pre(args), unit="paragraph")
    m = m.select(~m.units["is_heading"].to_numpy()).trim(min_docs=args.min_docs)
    model = TopicModel(args.method, args.k, random_state=args.seed).fit(m)
    by = args.by or corpus.group_by
    # tidy tables, each fact once: the units and their metadata in one table, the shares in a long
    # table of ids, and the model itself as its topic-term probabilities (CSV, not a pickle)
    shares = model.unit_topics()[["unit_id", "topic", "share"]]
    beta = model.topic_term_
    topic_terms = pd.DataFrame({"topic": np.repeat(np.arange(beta.shape[0]), beta.shape[1]),
                                "term": np.tile(np.asarray(model.terms_, dtype=object), beta.shape[0]),
                                "prob": beta.ravel()})
    tables = {"top_terms": model.top_terms(10, rank="frex"), "topics": pd.DataFrame({"topic": range(len(model.labels_)),
                                                                                     "label": model.labels_}),
              "units": model.units_, "unit_topics": shares, "topic_terms": topic_terms[topic_terms["prob"] > 0],
              "representative_units": model.representative_units(3, corpus=corpus)}
    if by:
        tables["prevalence"] = topic_prevalence(model, by=by, random_state=args.seed)
    if args.out is None:
        top = tables["top_terms"]
        return _emit(top, args, top.groupby("topic").head(5)[["topic", "label", "rank", "term", "prob"]])
    out = _write_tables(args.out, tables)
    print(f"{out}: " + ", ".join(f"{n}.csv" for n in tables))
    return 0


def _explore(args: argparse.Namespace) -> int:
    if not args.out:
        raise ArgumentError("explore writes a page: give --out FILE.html")
    if Path(args.out).suffix.lower() not in (".html", ".htm"):
        raise ArgumentError(f"--out {args.out}: the explorer is an HTML page; give a file name ending in .html")
    _check_out(args, "file")
    codebook = None
    if args.codebook is not None:
        codebook = load_codebook(args.codebook)
        problems = codebook.check()
        if problems:
            raise CodebookError(problems)
    corpus = _load(args)
    pre = _pre(args)
    model = None
    if args.topics is not None:
        m = dtm(corpus, pre, unit="paragraph")
        m = m.select(~m.units["is_heading"].to_numpy()).trim(min_docs=2)
        model = TopicModel(args.method, args.topics, random_state=args.seed).fit(m)
    out = explore(corpus, args.out, by=args.by, target=args.target, reference=args.reference, pre=pre,
                  min_count=args.min_count, codebook=codebook, subject=args.subject, topic_model=model,
                  max_terms=args.max_terms, max_lines=args.max_lines, max_evidence=args.max_evidence)
    print(f"{out}: {out.stat().st_size:,} bytes, one self-contained page")
    return 0


def _codebook(args: argparse.Namespace) -> int:
    codebook = load_codebook(args.file)
    problems = codebook.check()
    if problems:
        raise CodebookError(problems)
    n = sum(len(f.indicators) for f in codebook.frames)
    print(f"{args.file}: OK, {len(codebook.frames)} frames, {n} indicators, "
          f"{sum(len(f.examples) + len(f.counter_examples) for f in codebook.frames)} examples pass")
    return 0


def _study(name: str) -> Any:
    """The study module: its FIGURES registry and make_context()."""
    try:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if not name.startswith(str(exc.name)) or os.getcwd() in sys.path:
                raise
            sys.path.insert(0, os.getcwd())  # a study folder beside the command, as `python -m` would see it
            module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        raise ArgumentError(f"--study {name}: no such module ({exc}); run from the project folder or name the module") from None
    if not hasattr(module, "FIGURES") or not hasattr(module, "make_context"):
        raise ArgumentError(f"--study {name}: the module defines no FIGURES registry and make_context()")
    return module


def _study_plan(args: argparse.Namespace) -> tuple[Any, Any, dict[str, Any], dict[str, str]]:
    """The study module, its registry, what make_context() takes and the figures skipped (name: why).

    A ``.yaml`` study is a settings file drawn with ``study.figures``; a module
    with a ``plan(settings)`` gives the registry for its settings."""
    settings = None
    if args.study.lower().endswith((".yaml", ".yml")):
        module = _study("study.figures")
        settings = module.load_settings(args.study)  # every problem of the file at once, before any work
    else:
        module = _study(args.study)
    if hasattr(module, "plan"):
        registry, skipped = module.plan(settings)
    else:
        registry, skipped = module.FIGURES, {}
    return module, registry, ({} if settings is None else {"settings": settings}), skipped


def _figures(args: argparse.Namespace) -> int:
    module, registry, given, skipped = _study_plan(args)
    if args.list:
        for name, spec in registry.specs.items():
            print(f"{name}\t{spec.caption}")
        for name, why in skipped.items():
            print(f"{name}\tskipped: {why}")
        return 0
    refuse_corpus_target(args.out, what="--out", error=ArgumentError)
    jobs = max(1, args.jobs if args.jobs is not None else min(4, os.cpu_count() or 1))
    if args.only:  # fail on a bad name before the study is computed
        unknown = [n for n in args.only if n not in registry and n not in skipped]
        if unknown:
            raise ArgumentError(f"unknown figure {', '.join(unknown)}; figures are {', '.join(registry)}")
    notes = [f"note: {name} skipped: {why}" for name, why in skipped.items() if not args.only or name in args.only]
    args.only = [n for n in args.only if n in registry] if args.only else None
    if args.only == []:
        for line in notes:
            print(line, file=sys.stderr)
        return 0
    names = args.only or list(registry)
    context = module.make_context(warm=jobs > 1 and len(names) > 1, **given)
    if args.check:
        code = _check_figures(args, registry, context, jobs)
        for line in notes:
            print(line, file=sys.stderr)
        return code
    results = render(
        registry, context, args.only, corpus_hash=context.corpus_hash, formats=args.format.split(","),
        outdir=args.out, jobs=jobs, progress=lambda line: print(line, file=sys.stderr, flush=True),
    )
    for line in notes:  # after the arguments were accepted: an error stays the first line
        print(line, file=sys.stderr)
    failed = [r for r in results if r.error]
    for r in results:
        if r.error is None:
            print(f"{r.name}: " + ", ".join(str(f) for f in r.files))
    if failed:
        for r in failed:
            print(f"framing: figure {r.name} failed: {r.error}", file=sys.stderr)
        return 1
    return 0


def _check_figures(args: argparse.Namespace, registry: Any, context: Any, jobs: int) -> int:
    """``figures --check``: draw into a temporary folder, compare the data with those in ``--out``; 1 on a difference."""
    with tempfile.TemporaryDirectory(prefix="framing-check-") as tmp:
        results = render(
            registry, context, args.only, corpus_hash=context.corpus_hash, formats=args.format.split(","),
            outdir=tmp, jobs=jobs, progress=lambda line: print(line, file=sys.stderr, flush=True),
        )
        report = check_figure_data(registry, args.out, tmp, [r.name for r in results if r.error is None])
        images = [(f, Path(args.out) / f.relative_to(tmp)) for r in results for f in r.files if f.suffix[1:] in FORMATS]
        same = sum(old.is_file() and old.read_bytes() == new.read_bytes() for new, old in images)
    with_data = {r.name for r in results if any(f.suffix == ".csv" for f in r.files)}
    for name, diffs in report.items():
        if not diffs:
            print(f"{name}: {'data agree' if name in with_data else 'no data table to compare'}")
            continue
        print(f"{name}: {len(diffs)} difference{'s' if len(diffs) != 1 else ''} (rtol {DATA_RTOL:g}, atol {DATA_ATOL:g})")
        for line in diffs:
            print(f"  {line}")
    if images:
        print(f"images: {same} of {len(images)} byte-identical to those in {args.out} (not checked: fonts, FreeType "
              "and BLAS builds vary between machines)")
    for r in results:
        if r.error:
            print(f"framing: figure {r.name} failed: {r.error}", file=sys.stderr)
    return 1 if any(report.values()) or any(r.error for r in results) else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    try:
        args = _build().parse_args(argv)
        handler = {"corpus": _corpus, "keyness": _keyness, "kwic": _kwic, "collocations": _collocations,
                   "frames": _frames, "codebook": _codebook, "topics": _topics,
                   "explore": _explore}
        return handler.get(args.command, _figures)(args)
    except FramingError as exc:
        text = str(exc)
        first, _, rest = text.partition("\n")
        print(f"framing: error: {first}", file=sys.stderr)
        if rest:
            print(rest, file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head`: stop quietly

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:  # pragma: no cover
        print("framing: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
