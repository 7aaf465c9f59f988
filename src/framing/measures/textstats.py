"""Lexical diversity and readability of each document.

Two staples of quanteda's ``textstat_lexdiv`` and ``textstat_readability``,
computed on the toolkit's own units: the words are the preprocessor's tokens
and the sentences are the corpus' sentence units (the same every other
measure counts), not a second tokenizer's. Both return long tables, one row
per document and measure, carrying the documents' metadata, so groups are
compared the same way as everywhere else (``by=``).

The kernels (:func:`ttr`, :func:`mattr`, :func:`mtld`,
:func:`readability_scores`, :func:`count_syllables`) are small pure functions
that state their formulas.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, Literal

import numpy as np
import pandas as pd

from framing.base.errors import ArgumentError, check_option
from framing.base.grouping import group_labels, resolve_by
from framing.corpus.model import Corpus
from framing.text.preprocess import Preprocessor
from framing.text.tokens import Tokens, tokens

__all__ = [
    "lexical_diversity",
    "readability",
    "ttr",
    "mattr",
    "mtld",
    "readability_scores",
    "count_syllables",
    "LEXICAL_MEASURES",
    "READABILITY_MEASURES",
    "LEXICAL_DIVERSITY_COLUMNS",
    "READABILITY_COLUMNS",
]

#: Measures of :func:`lexical_diversity`.
LEXICAL_MEASURES = ("ttr", "mattr", "mtld")
#: Measures of :func:`readability`.
READABILITY_MEASURES = ("flesch", "flesch_kincaid", "gunning_fog", "smog", "coleman_liau", "ari")
#: The fixed columns of :func:`lexical_diversity` (the document metadata follows them).
LEXICAL_DIVERSITY_COLUMNS = ["unit_id", "doc_id", "group", "measure", "value", "tokens", "types", "settings",
                             "reason", "preprocessor"]
#: The fixed columns of :func:`readability` (the document metadata follows them).
READABILITY_COLUMNS = ["doc_id", "group", "measure", "value", "sentences", "words", "syllables", "polysyllables",
                       "letters", "reason", "preprocessor"]

#: SMOG was calibrated on samples of 30 sentences (McLaughlin 1969).
SMOG_MIN_SENTENCES = 30


def _running_words(numbers: Literal["drop", "keep"] = "drop") -> Preprocessor:
    """Every running word as it is written: no stopwords removed, no lemmas, no multiword terms."""
    return Preprocessor(stopwords=None, normalize=None, phrases=None, numbers=numbers)


# --------------------------------------------------------------------------- lexical diversity kernels


def _codes(words: Sequence[str]) -> np.ndarray:
    return np.unique(np.asarray(list(words), dtype=object).astype(str), return_inverse=True)[1].ravel()


def ttr(words: Sequence[str]) -> float:
    """Type-token ratio: distinct words over words; NaN for no words.

    It falls as a text grows (every new word is less likely to be new), so
    it compares only texts of about the same length.

    >>> ttr(["of", "the", "people", "by", "the", "people"])
    0.6666666666666666
    """
    n = len(words)
    return len(set(words)) / n if n else float("nan")


def mattr(words: Sequence[str], window: int = 50) -> float:
    """Moving-average type-token ratio (Covington & McFall 2010).

    The mean TTR of every window of ``window`` consecutive words (``n −
    window + 1`` of them); NaN when the text is shorter than the window.
    Computed without sliding: word ``i``, whose previous occurrence is at
    ``prev_i``, is a new type in the windows that start after ``prev_i``
    and contain it, so the types summed over all windows are counted word by
    word in one vectorised pass.

    >>> mattr(list("abcabc"), window=3)
    1.0
    >>> mattr(list("aabb"), window=2)
    0.6666666666666666
    """
    n = len(words)
    if n < window or window < 1:
        return float("nan")
    codes = _codes(words)
    order = np.argsort(codes, kind="stable")
    prev = np.full(n, -1, dtype=np.int64)
    same = codes[order[1:]] == codes[order[:-1]]
    prev[order[1:][same]] = order[:-1][same]
    i = np.arange(n, dtype=np.int64)
    first = np.maximum(np.maximum(0, i - window + 1), prev + 1)
    last = np.minimum(i, n - window)
    types_in_windows = np.maximum(0, last - first + 1).sum()
    return float(types_in_windows / (window * (n - window + 1)))


def _mtld_factors(codes: np.ndarray, threshold: float) -> float:
    """Factors of one MTLD pass: full factors plus the partial factor of the remainder."""
    factors = 0.0
    seen: set[int] = set()
    count = 0
    ratio = 1.0
    for c in codes.tolist():
        count += 1
        seen.add(c)
        ratio = len(seen) / count
        if ratio <= threshold:
            factors += 1.0
            seen, count, ratio = set(), 0, 1.0
    return factors + (1.0 - ratio) / (1.0 - threshold)


def mtld(words: Sequence[str], threshold: float = 0.72) -> float:
    """Measure of textual lexical diversity (McCarthy & Jarvis 2010), bidirectional.

    Reading forward, the TTR of the words since the last cut is taken after
    every word; when it falls to ``threshold`` or below, one *factor* is
    counted and the count starts again. The words left at the end add a
    partial factor ``(1 − TTR_rest) / (1 − threshold)``. One pass gives
    ``n / factors``; MTLD is the mean of the forward and the backward pass.
    It is the mean length of a stretch of text that keeps a TTR above
    ``threshold``. NaN when no word repeats (no factor, however partial:
    MTLD would be infinite).

    >>> mtld("of the people by the people for the people".split())
    9.0
    """
    n = len(words)
    if not n:
        return float("nan")
    codes = _codes(words)
    forward, backward = _mtld_factors(codes, threshold), _mtld_factors(codes[::-1], threshold)
    if forward <= 0 or backward <= 0:
        return float("nan")
    return float((n / forward + n / backward) / 2)


# --------------------------------------------------------------------------- lexical diversity table


def _units_of(toks: Tokens, unit: str) -> tuple[pd.DataFrame, list[list[str]]]:
    """The units (ids and document metadata) and the terms of each, in order."""
    meta = toks.corpus.meta
    if unit == "document":
        docs = list(toks.documents())
        words = [[t for t, _, _ in spans] for _, spans in docs]
        units = pd.DataFrame({"unit_id": [d for d, _ in docs], "doc_id": [d for d, _ in docs]})
    else:
        paras = toks.units("paragraph")
        words = [[t for t, _, _ in spans] for _, _, spans in toks.paragraphs()]
        units = paras[["unit_id", "doc_id"]].reset_index(drop=True)
    return units.merge(meta, on="doc_id", how="left", sort=False), words


def _metadata(frame: pd.DataFrame, units: pd.DataFrame, fixed: Sequence[str]) -> pd.DataFrame:
    """``frame`` with the units' metadata columns that do not clash with the fixed columns."""
    extra = [c for c in units.columns if c not in fixed]
    if not extra:
        return frame.reset_index(drop=True)
    return pd.concat([frame.reset_index(drop=True), units[extra].reset_index(drop=True)], axis=1)


def _measure_list(measures: str | Sequence[str], allowed: tuple[str, ...]) -> list[str]:
    chosen = [measures] if isinstance(measures, str) else list(measures)
    if not chosen:
        raise ArgumentError(f"measures=() asks for nothing; choose from {', '.join(map(repr, allowed))}")
    for m in chosen:
        check_option("measures", m, allowed)
    return list(dict.fromkeys(chosen))


def lexical_diversity(
    tokens_or_corpus: Tokens | Corpus,
    measures: str | Sequence[Literal["ttr", "mattr", "mtld"]] = ("ttr", "mattr", "mtld"),
    window: int = 50,
    by: str | Sequence[str] | None = None,
    *,
    pre: Preprocessor | None = None,
    unit: Literal["document", "paragraph"] = "document",
    threshold: float = 0.72,
    min_tokens: int = 100,
) -> pd.DataFrame:
    """Lexical diversity of each document (or paragraph): TTR, MATTR and MTLD.

    - ``ttr``: types over tokens. It falls as a text grows, whatever the
      writer does: compare it only between texts of about equal length.
    - ``mattr``: the moving-average TTR of Covington & McFall (2010), the
      mean TTR of every window of ``window`` consecutive tokens. Its scale
      depends on ``window`` but not on the text's length.
    - ``mtld``: McCarthy & Jarvis' (2010) measure of textual lexical
      diversity, the mean length of the stretches over which the TTR stays
      above ``threshold`` (0.72), averaged over a forward and a backward
      pass, with a partial factor for the rest (see :func:`mtld`). It is the
      least length-sensitive of the three in McCarthy & Jarvis' validation,
      but Koizumi & In'nami (2012) found it still moves with length in
      texts under about 100 tokens, hence ``min_tokens``.

    Too short a unit gives NaN, with the reason: no tokens; fewer tokens
    than ``window`` (MATTR); fewer than ``min_tokens`` tokens, or no
    repeated word (MTLD).

    Parameters
    ----------
    tokens_or_corpus : Tokens or Corpus
        The words of each unit in order. A ``Corpus`` is tokenized with
        ``pre``; ``Tokens`` are used as they are (their preprocessor decides
        what a type is: lemmas pool inflections, removed stopwords are not
        counted).
    measures : str or sequence of {'ttr', 'mattr', 'mtld'}, default=('ttr', 'mattr', 'mtld')
    window : int, default=50
        MATTR's window, in tokens. Values compare only at one window;
        quanteda (``MATTR_window``) and lexicalrichness default to 100, a
        window that leaves paragraphs and short documents without a value.
    by : str, list of str or None, default=None
        The ``group`` label of each row: None, the corpus' own grouping;
        ``()`` one group ``'all'``; any metadata column(s). Rows stay one
        per unit: the measures are not pooled over a group.
    pre : Preprocessor or None, default=None
        For a ``Corpus``: None counts running words as written
        (``Preprocessor(stopwords=None, normalize=None, phrases=None)``: no
        stopwords removed, no lemmas, no multiword terms; case folded).
    unit : {'document', 'paragraph'}, default='document'
    threshold : float, default=0.72
        MTLD's TTR threshold, McCarthy & Jarvis' value.
    min_tokens : int, default=100
        MTLD is NaN for units with fewer tokens.

    Returns
    -------
    pandas.DataFrame
        :data:`LEXICAL_DIVERSITY_COLUMNS`, one row per unit and measure
        (units in corpus order, measures in the order asked), then the
        document metadata columns: ``unit_id, doc_id`` (equal for
        documents); ``group``; ``measure``; ``value``; ``tokens, types``
        of the unit; ``settings`` (``'window=50'`` for MATTR,
        ``'threshold=0.72'`` for MTLD, ``''`` for TTR); ``reason``: why
        ``value`` is NaN, ``''`` when it is not; ``preprocessor``. For one
        column per measure: ``table.pivot(index='unit_id', columns='measure',
        values='value')``.

    References
    ----------
    Covington, M. A. & McFall, J. D. (2010). Cutting the Gordian knot: the
    moving-average type-token ratio (MATTR). *Journal of Quantitative
    Linguistics* 17(2), 94-100.
    McCarthy, P. M. & Jarvis, S. (2010). MTLD, vocd-D, and HD-D: a
    validation study of sophisticated approaches to lexical diversity
    assessment. *Behavior Research Methods* 42(2), 381-392.
    Koizumi, R. & In'nami, Y. (2012). Effects of text length on lexical
    diversity measures. *System* 40(4), 522-532.

    Examples
    --------
    >>> import framing as fr
    >>> from framing.measures.textstats import lexical_diversity
    >>> ld = lexical_diversity(fr.load_corpus())
    >>> ld.pivot(index="doc_id", columns="measure", values="value").shape
    (6, 3)
    >>> bool(ld["value"].between(0, 1).where(ld["measure"] != "mtld", True).all())
    True
    """
    chosen = _measure_list(measures, LEXICAL_MEASURES)
    check_option("unit", unit, ("document", "paragraph"))
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 1:
        raise ArgumentError(f"window={window!r} must be a positive integer")
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold < 1:
        raise ArgumentError(f"threshold={threshold!r} must lie in (0, 1)")
    if isinstance(min_tokens, bool) or not isinstance(min_tokens, (int, np.integer)) or min_tokens < 0:
        raise ArgumentError(f"min_tokens={min_tokens!r} must be a non-negative integer")
    if isinstance(tokens_or_corpus, Corpus):
        toks = tokens(tokens_or_corpus, _running_words() if pre is None else pre)
    elif isinstance(tokens_or_corpus, Tokens):
        toks = tokens(tokens_or_corpus, pre)
    else:
        raise ArgumentError(f"lexical_diversity expects framing Tokens or a Corpus, got {type(tokens_or_corpus).__name__}")
    units, words = _units_of(toks, unit)
    codes, labels = group_labels(units, resolve_by(by, toks.corpus.group_by))
    group = np.asarray(labels, dtype=object)[codes]

    rows = []
    for k, w in enumerate(words):
        n, types = len(w), len(set(w))
        for measure in chosen:
            reason, settings = "", ""
            if measure == "ttr":
                value = ttr(w)
            elif measure == "mattr":
                settings = f"window={window}"
                value = mattr(w, window)
                if n < window:
                    reason = f"{n} tokens, fewer than the window of {window}"
            else:
                settings = f"threshold={threshold}"
                value = mtld(w, threshold) if n >= min_tokens else float("nan")
                if n < min_tokens:
                    reason = f"{n} tokens, fewer than min_tokens={min_tokens}"
                elif np.isnan(value):
                    reason = "no word repeats: MTLD is infinite"
            if n == 0:
                reason = "no tokens"
            rows.append((units["unit_id"].iat[k], units["doc_id"].iat[k], group[k], measure, value, n, types,
                         settings, reason, toks.preprocessor))
    table = pd.DataFrame(rows, columns=LEXICAL_DIVERSITY_COLUMNS)
    repeated = units.loc[units.index.repeat(len(chosen))]
    return _metadata(table, repeated, LEXICAL_DIVERSITY_COLUMNS)


# --------------------------------------------------------------------------- readability kernels


@lru_cache(maxsize=1)
def _hyphenator() -> Any:
    import pyphen

    return pyphen.Pyphen(lang="en_US")


@lru_cache(maxsize=65536)
def count_syllables(word: str) -> int:
    """Syllables of an English word, from hyphenation points.

    Each hyphen-separated part counts its pyphen hyphenation points plus
    one (pyphen's ``en_US`` dictionary: Liang's (1983) TeX patterns, shipped
    inside the package), apostrophes removed first; a part with no letter
    (a number) counts one. This is textstat's fallback counter. It
    undercounts: the patterns place no break within two letters of either
    end of a word nor between some vowels, so "area" and "idea" count one
    syllable, "diplomacy" three. Polysyllable counts, and so SMOG and
    Gunning's fog, come out low.

    >>> count_syllables("international"), count_syllables("people-to-people")
    (5, 5)
    """
    hyphenator = _hyphenator()
    total = 0
    for part in word.lower().replace("'", "").split("-"):
        if not part:
            continue
        total += len(hyphenator.positions(part)) + 1 if any(c.isalpha() for c in part) else 1
    return max(total, 1)


def readability_scores(
    sentences: np.ndarray | float,
    words: np.ndarray | float,
    syllables: np.ndarray | float,
    polysyllables: np.ndarray | float,
    letters: np.ndarray | float,
) -> dict[str, np.ndarray]:
    """The published readability formulas, vectorised over texts.

    With ``S`` sentences, ``W`` words, ``Y`` syllables, ``P`` words of three
    or more syllables and ``L`` letters (and digits):

    - ``flesch``: Flesch (1948) reading ease, ``206.835 − 1.015 W/S − 84.6 Y/W``;
    - ``flesch_kincaid``: Kincaid et al. (1975) grade,
      ``0.39 W/S + 11.8 Y/W − 15.59``;
    - ``gunning_fog``: Gunning (1952), ``0.4 (W/S + 100 P/W)``;
    - ``smog``: McLaughlin (1969) grade, ``1.0430 √(30 P/S) + 3.1291``;
    - ``coleman_liau``: Coleman & Liau (1975), ``0.0588 (100 L/W) −
      0.296 (100 S/W) − 15.8``;
    - ``ari``: Senter & Smith (1967) automated readability index,
      ``4.71 L/W + 0.5 W/S − 21.43``.

    NaN where ``S`` or ``W`` is 0.

    >>> round(float(readability_scores(1, 10, 15, 1, 50)["flesch_kincaid"]), 2)
    6.01
    """
    s, w, y, p, ltr = (np.asarray(v, dtype=float) for v in (sentences, words, syllables, polysyllables, letters))
    ok = (s > 0) & (w > 0)
    s, w = np.where(ok, s, np.nan), np.where(ok, w, np.nan)
    wps, spw, lpw = w / s, y / w, ltr / w
    return {
        "flesch": 206.835 - 1.015 * wps - 84.6 * spw,
        "flesch_kincaid": 0.39 * wps + 11.8 * spw - 15.59,
        "gunning_fog": 0.4 * (wps + 100.0 * p / w),
        "smog": 1.0430 * np.sqrt(30.0 * p / s) + 3.1291,
        "coleman_liau": 0.0588 * (100.0 * lpw) - 0.296 * (100.0 * s / w) - 15.8,
        "ari": 4.71 * lpw + 0.5 * wps - 21.43,
    }


# --------------------------------------------------------------------------- readability table


def readability(
    corpus: Corpus,
    measures: str | Sequence[Literal["flesch", "flesch_kincaid", "gunning_fog", "smog", "coleman_liau", "ari"]] = (
        "flesch", "flesch_kincaid", "gunning_fog", "smog", "coleman_liau", "ari"),
    by: str | Sequence[str] | None = None,
    *,
    headings: bool = False,
    syllables: Callable[[str], int] | None = None,
) -> pd.DataFrame:
    """Readability of each document by the classic formulas.

    Sentences are the corpus' own sentence units (``corpus.units('sentence')``,
    split with the toolkit's abbreviation list), those without a word left
    out. Words are running words as written, numbers included
    (``Preprocessor(stopwords=None, normalize=None, phrases=None,
    numbers='keep')``: a hyphenated compound is one word, a possessive
    ``'s`` is not counted). Letters are the letters and digits of the words.
    Syllables come from :func:`count_syllables`, pyphen's hyphenation
    patterns, which undercount (see there); a word of three or more
    syllables is a polysyllable, every one of them, where Gunning also left
    out proper names, compounds of easy words and ``-ed``/``-es`` endings.
    The formulas are in :func:`readability_scores`.

    textstat (0.7) is not used: for English it counts syllables with NLTK's
    CMU dictionary, which is not installed with NLTK and which it downloads
    at run time; it splits sentences with its own pattern (dropping
    sentences of two words or fewer) and returns 0 where a score is
    undefined. Pass ``syllables=`` to count syllables another way (a CMU
    dictionary lookup, say).

    The formulas were fitted on running prose (school texts, 100-word or
    30-sentence samples). Headings are left out by default; lists, tables
    and quoted fragments still count as sentences, so read the scores as a
    comparison between documents of one corpus, not as school grades.

    Parameters
    ----------
    corpus : Corpus
    measures : str or sequence of str, default: all
        Any of ``'flesch', 'flesch_kincaid', 'gunning_fog', 'smog',
        'coleman_liau', 'ari'``.
    by : str, list of str or None, default=None
        The ``group`` label of each row: None, the corpus' own grouping;
        ``()`` one group ``'all'``; any metadata column(s). Rows stay one
        per document.
    headings : bool, default=False
        Count heading paragraphs (titles, section headings) as sentences.
    syllables : callable or None, default=None
        ``word -> int`` for each (lower-case) word; None uses
        :func:`count_syllables`.

    Returns
    -------
    pandas.DataFrame
        :data:`READABILITY_COLUMNS`, one row per document and measure
        (documents in corpus order), then the document metadata columns:
        ``doc_id, group, measure, value``; the counts behind it:
        ``sentences, words, syllables, polysyllables, letters``; ``reason``:
        why ``value`` is NaN (no words; SMOG with fewer than 30 sentences,
        the sample it was calibrated on), ``''`` otherwise;
        ``preprocessor``: the id of the word tokenizer. Flesch reading ease
        runs from about 100 (easy) down, and can be negative; the others
        are US school grades.

    References
    ----------
    Flesch, R. (1948). A new readability yardstick. *Journal of Applied
    Psychology* 32(3), 221-233.
    Kincaid, J. P., Fishburne, R. P., Rogers, R. L. & Chissom, B. S. (1975).
    Derivation of new readability formulas for Navy enlisted personnel.
    Research Branch Report 8-75.
    Gunning, R. (1952). *The Technique of Clear Writing*. McGraw-Hill.
    McLaughlin, G. H. (1969). SMOG grading: a new readability formula.
    *Journal of Reading* 12(8), 639-646.
    Coleman, M. & Liau, T. L. (1975). A computer readability formula
    designed for machine scoring. *Journal of Applied Psychology* 60(2),
    283-284.
    Senter, R. J. & Smith, E. A. (1967). Automated Readability Index.
    AMRL-TR-6620, Wright-Patterson Air Force Base.

    Examples
    --------
    >>> import framing as fr
    >>> from framing.measures.textstats import readability
    >>> r = readability(fr.load_corpus(), ["flesch_kincaid", "smog"])
    >>> r.shape[0], sorted(r["measure"].unique())
    (12, ['flesch_kincaid', 'smog'])
    """
    chosen = _measure_list(measures, READABILITY_MEASURES)
    if not isinstance(corpus, Corpus):
        raise ArgumentError(f"readability expects a framing Corpus, got {type(corpus).__name__}")
    if syllables is not None and not callable(syllables):
        raise ArgumentError(f"syllables={syllables!r} must be a function word -> int, or None")
    count = count_syllables if syllables is None else syllables
    pre = _running_words(numbers="keep")
    toks = tokens(corpus, pre)
    sents = corpus.units("sentence")
    keep = np.ones(len(sents), dtype=bool) if headings else ~sents["is_heading"].to_numpy(dtype=bool)
    doc_ids = corpus.doc_ids
    where = {d: k for k, d in enumerate(doc_ids)}
    counts = np.zeros((len(doc_ids), 5), dtype=np.int64)  # sentences, words, syllables, polysyllables, letters
    for doc_id, use, spans in zip(sents["doc_id"].tolist(), keep.tolist(), toks.sentences()):
        if not use or not spans:
            continue
        row = counts[where[doc_id]]
        row[0] += 1
        for term, _, _ in spans:
            n = count(term)
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
                raise ArgumentError(f"syllables({term!r}) returned {n!r}; expected a non-negative integer")
            row[1] += 1
            row[2] += n
            row[3] += n >= 3
            row[4] += sum(c.isalnum() for c in term)
    scores = readability_scores(*counts.T)
    meta = corpus.meta.reset_index(drop=True)
    codes, labels = group_labels(meta, resolve_by(by, corpus.group_by))
    group = np.asarray(labels, dtype=object)[codes]

    rows = []
    for k, doc_id in enumerate(doc_ids):
        s, w, y, p, ltr = counts[k].tolist()
        for measure in chosen:
            value = float(scores[measure][k])
            reason = ""
            if w == 0:
                reason = "no words"
            elif measure == "smog" and s < SMOG_MIN_SENTENCES:
                value = float("nan")
                reason = f"{s} sentence{'' if s == 1 else 's'}, fewer than the {SMOG_MIN_SENTENCES} SMOG was made for"
            rows.append((doc_id, group[k], measure, value, s, w, y, p, ltr, reason, pre.id))
    table = pd.DataFrame(rows, columns=READABILITY_COLUMNS)
    repeated = meta.loc[meta.index.repeat(len(chosen))]
    return _metadata(table, repeated, READABILITY_COLUMNS)
