"""Keywords in context and lexical dispersion, on the measures' token stream.

A pattern is matched against the same terms the measures count, so
``kwic(corpus, "belt_and_road")`` (or "Belt and Road", or "B&R") finds every
variant the vocabulary maps to that term, and every hit carries its character
offsets into the document's clean text.
"""

from __future__ import annotations

import fnmatch
import html
import re
from collections.abc import Callable, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from framing.base.errors import ArgumentError, check_option
from framing.base.gcpause import without_gc
from framing.base.ids import paragraph_id
from framing.base.patterns import TermMatcher, TermPattern, UserRegex, is_glob
from framing.corpus.model import Corpus
from framing.measures.keywords.collocations import sentence_tokens
from framing.text.preprocess import Preprocessor
from framing.text.tokens import Tokens, tokens

__all__ = ["kwic", "dispersion", "Concordance", "compile_pattern"]

ValueType = Literal["auto", "fixed", "glob", "regex"]


class Concordance(pd.DataFrame):
    """A KWIC table that displays as an aligned concordance.

    It is a pandas DataFrame (filter, sort and export it as usual); in a
    notebook, and when printed, rows show the left context right-aligned, the
    keyword, and the right context.
    """

    _metadata = ["pattern"]

    @property
    def _constructor(self) -> Callable[..., Concordance]:
        return Concordance

    def _has_columns(self) -> bool:
        return {"left", "keyword", "right", "doc_id"} <= set(self.columns)

    def to_text(self, width: int = 60, max_rows: int = 50) -> str:
        """The concordance as aligned plain text."""
        if not self._has_columns():
            return pd.DataFrame(self).to_string()
        lines = []
        for row in self.head(max_rows).itertuples():
            left = str(row.left)[-width:].rjust(width)
            right = str(row.right)[:width]
            lines.append(f"{row.doc_id[:28]:<28} {left}  [{row.keyword}]  {right}")
        more = len(self) - min(len(self), max_rows)
        if more > 0:
            lines.append(f"... {more} more")
        return "\n".join(lines) if lines else "(no matches)"

    def __repr__(self) -> str:
        if not self._has_columns():
            return super().__repr__()
        return f"<Concordance: {len(self)} matches of {getattr(self, 'pattern', '?')!r}>\n" + self.to_text()

    def _repr_html_(self) -> str | None:
        if not self._has_columns():
            return super()._repr_html_()
        rows = []
        for row in self.head(200).itertuples():
            rows.append(
                "<tr>"
                f"<td style='text-align:left;color:#666'>{html.escape(str(row.doc_id))}</td>"
                f"<td style='text-align:right;white-space:nowrap'>{html.escape(str(row.left)[-80:])}</td>"
                f"<td style='text-align:center;font-weight:bold;white-space:nowrap'>{html.escape(str(row.keyword))}</td>"
                f"<td style='text-align:left;white-space:nowrap'>{html.escape(str(row.right)[:80])}</td>"
                "</tr>"
            )
        more = "" if len(self) <= 200 else f"<p>... {len(self) - 200} more rows</p>"
        head = f"<p><b>{len(self)}</b> matches of <code>{html.escape(str(getattr(self, 'pattern', '')))}</code></p>"
        return head + "<table>" + "".join(rows) + "</table>" + more


def compile_pattern(
    pattern: str, pre: Preprocessor, valuetype: ValueType = "auto"
) -> list[Callable[[str], bool]]:
    """Turn a pattern into one term matcher per token of the match.

    ``'fixed'``: the pattern is preprocessed like the text ("Belt and Road",
    "B&R" and "belt_and_road" all give ``belt_and_road``; "sanctions" gives
    ``sanction`` with lemmas on); ``'glob'``: space-separated globs over
    terms (``connect*``, ``global_*``); ``'regex'``: a regular expression
    searched in each term (one token). ``'auto'``: glob if the pattern holds
    ``*``, ``?`` or ``[``, else fixed.
    """
    check_option("valuetype", valuetype, ("auto", "fixed", "glob", "regex"))
    if not isinstance(pattern, str) or not pattern.strip():
        raise ArgumentError(f"pattern {pattern!r} is empty")
    if valuetype == "auto":
        valuetype = "glob" if is_glob(pattern) else "fixed"
    # globs and regexes decided once per distinct term (one memo for the call, shared by the pattern's globs)
    if valuetype == "regex":
        try:
            return [TermMatcher().add(TermPattern("regex", pattern))]
        except re.error as exc:
            raise ArgumentError(f"pattern {pattern!r} is not a valid regular expression ({exc})") from None
    if valuetype == "glob":
        matcher = TermMatcher()
        return [matcher.add(TermPattern("glob", p)) for p in pattern.split()]
    stripped = pattern.strip()
    if re.fullmatch(r"\w+(?:_\w+)+", stripped):  # a term written as such: "belt_and_road"
        terms = [stripped.lower()]
    else:
        terms = [t for t, _, _ in pre.tokenize(pattern)]
    if not terms:
        raise ArgumentError(
            f"pattern {pattern!r} leaves no term after preprocessing ({pre.describe()}); "
            "it may be a stopword: pass pre=Preprocessor(stopwords=None)"
        )
    return [lambda t, term=term: t == term for term in terms]


def _matches(terms: list[str], matchers: list[Callable[[str], bool]]) -> list[tuple[int, int]]:
    k = len(matchers)
    out = []
    i = 0
    while i <= len(terms) - k:
        if all(matchers[j](terms[i + j]) for j in range(k)):
            out.append((i, i + k))
            i += k
        else:
            i += 1
    return out


@without_gc
def kwic(
    corpus: Corpus | Tokens,
    pattern: str,
    window: int = 8,
    pre: Preprocessor | None = None,
    *,
    valuetype: ValueType = "auto",
    case_sensitive: bool = False,
    context: Literal["tokens", "sentence"] = "tokens",
) -> Concordance:
    """Every occurrence of a pattern, with its context and offsets.

    Parameters
    ----------
    corpus : Corpus or Tokens
    pattern : str
        A word, a phrase ("super connector"), a term ("belt_and_road"), a glob
        ("connect*") or, with ``valuetype='regex'``, a regular expression.
    window : int, default=8
        Tokens of context on each side (within the paragraph).
    pre : Preprocessor or None
        The token stream to match on; None uses ``Preprocessor()``, the one
        the measures use by default.
    valuetype : {'auto', 'fixed', 'glob', 'regex'}, default='auto'
        See :func:`compile_pattern`.
    case_sensitive : bool, default=False
        Also require the matched text to contain the pattern as written
        (fixed patterns) or to match it case-sensitively (glob, regex).
    context : {'tokens', 'sentence'}, default='tokens'
        ``'sentence'`` gives the whole sentence around the match instead of
        ``window`` tokens.

    Returns
    -------
    Concordance
        A DataFrame with ``doc_id``, the corpus' grouping column (if any),
        ``unit_id`` (the paragraph), ``start, end`` (offsets of the match in
        the document's clean text), ``left, keyword, right`` and ``term``
        (the matched terms). Displays as an aligned concordance.
    """
    if not isinstance(corpus, (Corpus, Tokens)):
        raise ArgumentError(f"kwic expects a framing Corpus or Tokens, got {type(corpus).__name__}")
    toks = tokens(corpus, pre)
    pre, corpus = toks.pre, toks.corpus
    check_option("context", context, ("tokens", "sentence"))
    if not isinstance(window, int) or window < 0:
        raise ArgumentError(f"window={window!r} must be a non-negative integer")
    matchers = compile_pattern(pattern, pre, valuetype)
    kind = valuetype if valuetype != "auto" else ("glob" if is_glob(pattern) else "fixed")
    surface_check: Callable[[str], bool] | None = None
    if case_sensitive:
        if kind == "regex":
            surface_check = UserRegex(pattern, what="pattern").search
        elif kind == "glob":
            surface_check = lambda s: fnmatch.fnmatchcase(s, pattern)  # noqa: E731
        else:
            surface_check = lambda s: pattern in s  # noqa: E731

    group = corpus.group_by
    sents = sentence_tokens(toks)
    rows: list[dict[str, Any]] = []
    for doc_id, doc_sents in sents.groupby("doc_id", sort=False):
        text = corpus[doc_id].text
        for para, psents in doc_sents.groupby("paragraph", sort=False):
            spans = [tok for toks in psents["tokens"] for tok in toks]
            terms = [t for t, _, _ in spans]
            for i, j in _matches(terms, matchers):
                start, end = spans[i][1], spans[j - 1][2]
                keyword = text[start:end]
                if surface_check is not None and not surface_check(keyword):
                    continue
                if context == "sentence":
                    srow = psents[(psents["start"] <= start) & (psents["end"] >= start)].iloc[0]
                    lo, hi = int(srow["start"]), int(max(srow["end"], end))
                else:
                    lo = spans[max(0, i - window)][1] if window else start
                    hi = spans[min(len(spans), j + window) - 1][2] if window else end
                row = {"doc_id": doc_id}
                if group:
                    row[group] = corpus[doc_id].meta.get(group)
                row.update(
                    unit_id=paragraph_id(doc_id, para), start=start, end=end,
                    left=" ".join(text[lo:start].split()), keyword=" ".join(keyword.split()),
                    right=" ".join(text[end:hi].split()), term=" ".join(terms[i:j]),
                )
                rows.append(row)
    columns = ["doc_id"] + ([group] if group else []) + ["unit_id", "start", "end", "left", "keyword", "right", "term"]
    out = Concordance(pd.DataFrame(rows, columns=columns))
    out.pattern = pattern
    return out


def dispersion(
    corpus: Corpus | Tokens,
    patterns: Sequence[str],
    pre: Preprocessor | None = None,
    *,
    valuetype: ValueType = "auto",
) -> pd.DataFrame:
    """Where each pattern occurs through each document.

    Parameters
    ----------
    corpus : Corpus or Tokens
    patterns : sequence of str
        Terms, phrases or globs, as for :func:`kwic`.
    pre : Preprocessor or None
    valuetype : {'auto', 'fixed', 'glob', 'regex'}, default='auto'

    Returns
    -------
    pandas.DataFrame
        One row per occurrence: ``pattern, doc_id``, the grouping column (if
        any), ``term, token_index, n_tokens, position, start, end``, where
        ``position = (token_index + 0.5) / n_tokens`` lies in (0, 1): the
        relative place of the occurrence in the document's token stream.
    """
    if isinstance(patterns, str):
        patterns = [patterns]
    if not isinstance(corpus, (Corpus, Tokens)):
        raise ArgumentError(f"dispersion expects a framing Corpus or Tokens, got {type(corpus).__name__}")
    toks = tokens(corpus, pre)
    pre, corpus = toks.pre, toks.corpus
    compiled = [(p, compile_pattern(p, pre, valuetype)) for p in patterns]
    streams = dict(toks.documents())
    group = corpus.group_by
    rows = []
    for d in corpus.doc_ids:
        spans = streams.get(d, [])
        terms = [t for t, _, _ in spans]
        n = len(terms)
        for p, matchers in compiled:
            for i, j in _matches(terms, matchers):
                row = {"pattern": p, "doc_id": d}
                if group:
                    row[group] = corpus[d].meta.get(group)
                row.update(term=" ".join(terms[i:j]), token_index=i, n_tokens=n, position=(i + 0.5) / n,
                           start=spans[i][1], end=spans[j - 1][2])
                rows.append(row)
    columns = ["pattern", "doc_id"] + ([group] if group else []) + ["term", "token_index", "n_tokens", "position", "start", "end"]
    return pd.DataFrame(rows, columns=columns).astype({"token_index": np.int64, "n_tokens": np.int64})
