"""Tokens and the :class:`Preprocessor` that holds every preprocessing choice.

One frozen, hashable :class:`Preprocessor` records how text becomes terms. Its
short id (``pp-…``) is written into every table and figure made with it, and
changes whenever a setting or one of its data files changes.

The steps, in order, for each paragraph (tokens never cross a paragraph):

1. Typographic normalisation that keeps every offset: curly apostrophes and
   quotes become straight ones, Unicode hyphens become ``-``, no-break spaces
   become spaces.
2. Multiword expressions and variant names from a data file
   (``framing/data/vocabulary.yaml``) become one canonical token
   (``hong_kong``, ``belt_and_road`` for "B&R", ``united_states`` for "U.S."
   but not for the pronoun "us").
3. Runs of Chinese (Han) characters are folded to simplified characters and
   segmented into words with jieba (:attr:`Preprocessor.chinese`); the token
   pattern finds the remaining words; a possessive ``'s`` is removed.
4. Case folding, numbers, stopwords, variant spellings, and lemmas or stems.
5. Optionally, phrases learned from the corpus (gensim ``Phrases``, NPMI).

Every token keeps its character span in the clean text, so any count can be
traced back to the words that produced it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Literal, NamedTuple

import numpy as np

from framing.base.datafile import load_yaml, read_text, read_yaml
from framing.base.errors import PreprocessorError
from framing.base.memo import Memo
from framing.base.parallel import size_bounds
from framing.base.patterns import (
    COMBINING_MARKS, HAN_CHARS, INVISIBLE_JOINERS, TrieFinder, clean_word, straighten)
from framing.text.runs import RunScanner, Runs

__all__ = ["Preprocessor", "DEFAULT_TOKEN_PATTERN", "load_vocabulary", "Vocabulary", "TokenMachine", "token_machine", "iter_stopwords",
           "english_base_stopwords"]

#: Words of letters and digits, with inner hyphens or apostrophes kept
#: ("people-to-people", "Covid-19", "don't"). Applied case-insensitively when
#: ``lowercase=True``.
#: A word: letters and digits with their combining marks (vowel signs, harakat, decomposed accents) and any
#: invisible joiner inside it (a soft hyphen, a zero-width joiner), with inner hyphens and apostrophes.
_WORD = rf"[^\W_]+(?:[{COMBINING_MARKS}{INVISIBLE_JOINERS}]+[^\W_]*)*"
DEFAULT_TOKEN_PATTERN = rf"{_WORD}(?:['\-]{_WORD})*"
# The same tokens on ASCII text, where no mark or joiner can occur: three times faster than the full class.
_ASCII_TOKEN_PATTERN = r"[^\W_]+(?:['\-][^\W_]+)*"

#: The Han characters that Chinese segmentation applies to (:data:`framing.base.patterns.HAN_CHARS`).
HAN = HAN_CHARS
_HAN_RUN = re.compile(f"[{HAN}]+")
#: Chinese numerals: a Chinese token made only of these (and digits) is a number for ``numbers=``.
_ZH_NUMERALS = frozenset("〇零一二三四五六七八九十百千万萬亿億兩两壹贰貳叁參肆伍陆陸柒捌玖拾佰仟")
#: A year in Chinese digits before 年 (二〇二五年, 一九九七年): cut out as one number before segmenting,
#: which jieba would otherwise split as 二 / 〇 / 二 / 五年.
_ZH_YEAR = re.compile("[〇零一二三四五六七八九]{4}(?=年)")

def _data_text(name: str) -> str:
    return resources.files("framing.data").joinpath(name).read_text("utf-8")


@lru_cache(maxsize=None)
def _pkg_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"


# --------------------------------------------------------------------------- data files


@dataclass(frozen=True)
class Vocabulary:
    """Multiword expressions and variant spellings (see ``vocabulary.yaml``)."""

    phrases: tuple[tuple[str, str], ...]  # (phrase, term), case-insensitive
    exact: tuple[tuple[str, str], ...]  # (string, term), case-sensitive
    variants: tuple[tuple[str, str], ...]  # (word, replacement)
    sha256: str
    source: str


def load_vocabulary(source: str | Path = "default") -> Vocabulary:
    """Read a vocabulary file of multiword expressions and variant spellings.

    Parameters
    ----------
    source : str or Path, default='default'
        ``'default'`` for the bundled ``vocabulary.yaml``, or a path.

    Raises
    ------
    PreprocessorError
        Naming the file and entry, for a file that is missing, not YAML, or
        holds an entry without a ``term`` or with a term that is not one word.
    """
    if str(source) == "default":
        text, label = _data_text("vocabulary.yaml"), "framing/data/vocabulary.yaml"
    else:
        label = str(Path(source))
        text = read_text(source, error=PreprocessorError, missing="vocabulary file not found")
    # read every time, parsed once per content: an edited file is parsed again
    return _parse_vocabulary(text, label)


@lru_cache(maxsize=16)
def _parse_vocabulary(text: str, label: str) -> Vocabulary:
    """The vocabulary a file's text holds (``label`` names the file in errors)."""
    data, _ = read_yaml(text, error=PreprocessorError, label=label)
    if not isinstance(data, dict):
        raise PreprocessorError(f"{label}: must be a mapping with 'expressions' and 'variants'")
    phrases: list[tuple[str, str]] = []
    exact: list[tuple[str, str]] = []
    for i, entry in enumerate(data.get("expressions") or [], 1):
        term = entry.get("term") if isinstance(entry, dict) else None
        if not isinstance(term, str) or not re.fullmatch(r"\w+", term):
            raise PreprocessorError(f"{label}: expression {i}: 'term' must be one word such as united_states, got {term!r}")
        for key, target in (("phrases", phrases), ("exact", exact)):
            values = entry.get(key) or []
            if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
                raise PreprocessorError(f"{label}: expression {term!r}: '{key}' must be a list of strings")
            target.extend((straighten(v).strip(), term) for v in values)
    ignore = data.get("ignore") or {}
    ignored = ignore.get("exact") if isinstance(ignore, dict) else None
    if ignore and (not isinstance(ignored, list) or not all(isinstance(v, str) and v for v in ignored)):
        raise PreprocessorError(f"{label}: 'ignore' must be a mapping with 'exact': a list of strings")
    exact.extend((v, "") for v in ignored or [])
    variants = data.get("variants") or {}
    if not isinstance(variants, dict):
        raise PreprocessorError(f"{label}: 'variants' must be a mapping of word: replacement")
    var = tuple(sorted((str(k).lower(), str(v).lower()) for k, v in variants.items()))
    digest = hashlib.sha256(text.encode()).hexdigest()
    return Vocabulary(tuple(phrases), tuple(exact), var, digest, label)


def _word_lines(text: str) -> set[str]:
    """The words of a word-list file: one a line, ``#`` starting a comment line."""
    return {w for line in text.splitlines() if not line.lstrip().startswith("#") for w in line.split()}


@lru_cache(maxsize=1)
def english_base_stopwords() -> frozenset[str]:
    """scikit-learn's ``ENGLISH_STOP_WORDS`` (318 words), the base of the ``"english"`` stopword list,
    as copied in ``framing/data/stopwords_en_base.txt`` (tested against the installed scikit-learn)."""
    return frozenset(_word_lines(_data_text("stopwords_en_base.txt")))


@lru_cache(maxsize=1)
def _stopword_file() -> tuple[frozenset[str], str]:
    """The ``"english"`` stopwords and the sha256 of the files that make them (base list, then changes)."""
    base, text = _data_text("stopwords_en_base.txt"), _data_text("stopwords.yaml")
    data, _ = load_yaml(text)
    words = (english_base_stopwords() - set(data.get("keep") or ())) | set(data.get("add") or ())
    return frozenset(words), hashlib.sha256((base + "\0" + text).encode()).hexdigest()


@lru_cache(maxsize=1)
def _stopwords_zh() -> tuple[frozenset[str], str]:
    """The Chinese stopwords (``framing/data/stopwords_zh.txt``: one word a line, traditional then simplified)."""
    text = _data_text("stopwords_zh.txt")
    return frozenset(_word_lines(text)), hashlib.sha256(text.encode()).hexdigest()


@lru_cache(maxsize=1)
def _lemma_exceptions() -> tuple[dict[str, str], str]:
    text = _data_text("lemmas.yaml")
    data, _ = load_yaml(text)
    return {str(k): str(v) for k, v in (data.get("exceptions") or {}).items()}, hashlib.sha256(text.encode()).hexdigest()


# --------------------------------------------------------------------------- the preprocessor

StopwordsOption = Literal["english", "chinese"] | tuple[str, ...] | None


@dataclass(frozen=True, kw_only=True)
class Preprocessor:
    """Every choice that turns text into terms, frozen and hashable.

    Parameters
    ----------
    lowercase : bool, default=True
        Fold case. The token pattern is then applied case-insensitively.
        Multiword expressions marked ``exact`` are matched before folding, so
        "US" (the country) and "us" (the pronoun) stay apart.
    token_pattern : str or None, default=None
        A regular expression for one token; None uses
        :data:`DEFAULT_TOKEN_PATTERN` (letters and digits with their
        combining marks, with inner hyphens and apostrophes; a soft hyphen or
        zero-width joiner inside a word does not split it). With
        ``typography='fold'`` typographic apostrophes are straightened first,
        so a pattern only needs ``'``. A pattern is applied as given: with
        ``possessives='keep'``, ``typography='keep'``, ``stopwords=None``,
        ``normalize=None``, ``phrases=None`` and ``numbers='keep'`` the terms
        are ``re.findall(pattern, text.lower())``, as in CountVectorizer or
        quanteda with the same pattern. A token is the whole match: a group
        is written ``(?:...)`` (a capturing group is an error).
    numbers : {'drop', 'keep'}, default='drop'
        Drop tokens made of digits without a letter ("2025", "1,400").
    punctuation : {'drop', 'keep'}, default='drop'
        ``'keep'`` also makes every other non-space character a token.
    stopwords : {'english', 'chinese'}, tuple of str, or None, default='english'
        ``'english'``: scikit-learn's list (copied in
        ``framing/data/stopwords_en_base.txt``) less the content words listed in
        ``framing/data/stopwords.yaml``, and the Chinese function words of
        ``framing/data/stopwords_zh.txt`` (no Chinese word is an English one,
        so they only act on Chinese text); ``'chinese'``: the Chinese list
        alone; a tuple: your own list; None: keep all.
    extra_stopwords : tuple of str, default=()
        Added to ``stopwords``.
    normalize : {'lemma', 'stem'} or None, default='lemma'
        ``'lemma'``: simplemma's English dictionary (offline) with the
        exceptions of ``framing/data/lemmas.yaml`` ("according to" stays
        ``according``); a hyphenated compound keeps its form ("long-arm",
        "Afghan-led"), only a plural last part losing its ending
        ("think-tanks" -> ``think-tank``); ``'stem'``: NLTK's Snowball
        (Porter2) stemmer; None: surface forms.
    phrases : 'default', path, or None, default='default'
        The vocabulary of multiword expressions and variant spellings; None
        turns off multiword expressions and variants altogether.
    learn_phrases : bool, default=False
        Also join word pairs that the corpus itself binds (gensim ``Phrases``
        with the NPMI scorer, Bouma 2009).
    phrase_min_count : int, default=5
    phrase_threshold : float, default=0.5
        NPMI threshold in (-1, 1] for learned phrases.
    possessives : {'strip', 'keep'}, default='strip'
        ``'strip'``: a possessive ``'s`` is not part of the term ("Hong Kong's"
        counts as ``hong_kong``; "it's", "let's" are not possessives).
    typography : {'fold', 'keep'}, default='fold'
        ``'fold'``: curly apostrophes and quotes, Unicode hyphens and no-break
        spaces are straightened before matching, and each term is put in
        Unicode NFC form without invisible joiners (a soft hyphen inside
        "sanc\u00adtions"); spans keep the offsets of the original text.
        ``'keep'``: the text is matched as it is.
    chinese : {'fold', 'segment', 'keep'}, default='fold'
        How runs of Han characters (Chinese) are tokenized; text without them
        is not affected. ``'fold'``: each character is folded from traditional
        to simplified (OpenCC's character tables, one character for one, so
        offsets are kept; needs ``opencc-python-reimplemented``) and the run
        is segmented into words with jieba's dictionary (precise mode, HMM
        off, so every word is a dictionary word and the result depends on the
        dictionary alone; needs ``jieba``). Terms of Chinese text are then in
        simplified characters (國家 and 国家 count as one term ``国家``), the
        spans point at the text as written. The vocabulary's Chinese phrases
        are added to jieba's dictionary and become their term (一帶一路 ->
        ``belt_and_road``); a token of Chinese numerals (二〇二五) is a number
        for ``numbers``; Chinese punctuation is never part of a word.
        Chinese function words (``framing/data/stopwords_zh.txt``) are removed
        with ``stopwords='english'`` or ``'chinese'``.
        ``'segment'``: the same without folding. ``'keep'``: no segmentation:
        the token pattern makes each run of Han characters one token (a
        Chinese clause is one token), as in framing 0.1.0. With a
        ``token_pattern`` of your own, the pattern is applied as given and
        Chinese is not segmented.

    Notes
    -----
    The defaults suit comparative discourse research: lemmas pool inflections
    (sanction, sanctions, sanctioned) while staying readable, which matters in
    a small corpus; names of places and institutions are kept whole; spelling
    differences between British-style official texts and American-style
    outlets are not reported as vocabulary differences; stopwords are removed
    for readable keyword lists and topics (set ``stopwords=None`` to study
    function words such as "we" and "our").

    Examples
    --------
    >>> import framing as fr
    >>> pre = fr.Preprocessor()
    >>> [t for t, _, _ in pre.tokenize("The U.S. sanctioned Hong Kong's officials.")]
    ['united_states', 'sanction', 'hong_kong', 'official']
    """

    lowercase: bool = True
    token_pattern: str | None = None
    numbers: Literal["drop", "keep"] = "drop"
    punctuation: Literal["drop", "keep"] = "drop"
    stopwords: StopwordsOption = "english"
    extra_stopwords: tuple[str, ...] = ()
    normalize: Literal["lemma", "stem"] | None = "lemma"
    phrases: str | None = "default"
    learn_phrases: bool = False
    phrase_min_count: int = 5
    phrase_threshold: float = 0.5
    possessives: Literal["strip", "keep"] = "strip"
    typography: Literal["fold", "keep"] = "fold"
    chinese: Literal["fold", "segment", "keep"] = "fold"
    # the vocabulary read when the preprocessor was made: the id covers its content, and tokenizing
    # uses exactly it (an edited file makes a new id and a new machine, never a stale one)
    _vocabulary: Vocabulary | None = field(default=None, init=False, repr=False, compare=False)
    _fingerprint: str = field(default="", init=False, repr=False, compare=True)

    def __post_init__(self) -> None:
        def bad(name: str, value: object, allowed: str) -> PreprocessorError:
            return PreprocessorError(f"Preprocessor({name}={value!r}): {allowed}")

        if not isinstance(self.lowercase, bool):
            raise bad("lowercase", self.lowercase, "must be True or False")
        if self.token_pattern is not None:
            if not isinstance(self.token_pattern, str) or not self.token_pattern:
                raise bad("token_pattern", self.token_pattern, "must be a non-empty regular expression")
            try:
                compiled = re.compile(self.token_pattern)
            except re.error as exc:
                raise bad("token_pattern", self.token_pattern, f"is not a valid regular expression ({exc})") from None
            if compiled.match(""):
                raise bad("token_pattern", self.token_pattern, "matches the empty string")
            if compiled.groups:
                raise bad("token_pattern", self.token_pattern,
                          "has a capturing group: a token is the whole match, so write a group as (?:...)")
        if self.numbers not in ("drop", "keep"):
            raise bad("numbers", self.numbers, "choose 'drop' or 'keep'")
        if self.punctuation not in ("drop", "keep"):
            raise bad("punctuation", self.punctuation, "choose 'drop' or 'keep'")
        stop = self.stopwords
        if isinstance(stop, (list, set, frozenset)):
            stop = tuple(sorted(str(s) for s in stop))
            object.__setattr__(self, "stopwords", stop)
        if not (stop is None or stop in ("english", "chinese") or
                (isinstance(stop, tuple) and all(isinstance(s, str) for s in stop))):
            raise bad("stopwords", self.stopwords,
                      "choose 'english', None, or a tuple of words ('chinese': the Chinese list alone)")
        extra = self.extra_stopwords
        if isinstance(extra, str):
            raise bad("extra_stopwords", extra, "must be a tuple of words, not one string")
        object.__setattr__(self, "extra_stopwords", tuple(sorted({str(s).lower() for s in extra})))
        if self.normalize not in (None, "lemma", "stem"):
            raise bad("normalize", self.normalize, "choose 'lemma', 'stem' or None")
        if self.phrases is not None and not isinstance(self.phrases, (str, Path)):
            raise bad("phrases", self.phrases, "choose 'default', a path to a vocabulary file, or None")
        if isinstance(self.phrases, Path):
            object.__setattr__(self, "phrases", str(self.phrases))
        if self.possessives not in ("strip", "keep"):
            raise bad("possessives", self.possessives, "choose 'strip' or 'keep'")
        if self.typography not in ("fold", "keep"):
            raise bad("typography", self.typography, "choose 'fold' or 'keep'")
        if self.chinese not in ("fold", "segment", "keep"):
            raise bad("chinese", self.chinese, "choose 'fold', 'segment' or 'keep'")
        if not isinstance(self.learn_phrases, bool):
            raise bad("learn_phrases", self.learn_phrases, "must be True or False")
        if not isinstance(self.phrase_min_count, int) or self.phrase_min_count < 1:
            raise bad("phrase_min_count", self.phrase_min_count, "must be a positive integer")
        if not isinstance(self.phrase_threshold, (int, float)) or not -1 < self.phrase_threshold <= 1:
            raise bad("phrase_threshold", self.phrase_threshold, "must lie in (-1, 1] (an NPMI score)")
        vocab = load_vocabulary(self.phrases) if self.phrases is not None else None
        object.__setattr__(self, "_vocabulary", vocab)
        object.__setattr__(self, "_fingerprint", self._compute_fingerprint(vocab))

    # -- identity ----------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        """Every setting as plain data (what the id is computed from)."""
        out = {k: v for k, v in asdict(self).items() if not k.startswith("_")}
        out["token_pattern"] = self.token_pattern or DEFAULT_TOKEN_PATTERN
        out["stopwords"] = list(self.stopwords) if isinstance(self.stopwords, tuple) else self.stopwords
        out["extra_stopwords"] = list(self.extra_stopwords)
        return out

    def _compute_fingerprint(self, vocab: Vocabulary | None) -> str:
        record = self.settings()
        record["vocabulary_sha256"] = vocab.sha256 if vocab else None
        if self.stopwords == "english":
            record["stopwords_sha256"] = _stopword_file()[1]
        if self.stopwords in ("english", "chinese"):
            record["stopwords_zh_sha256"] = _stopwords_zh()[1]
        if self.chinese != "keep" and self.token_pattern is None:
            record["jieba"] = _pkg_version("jieba")
        if self.chinese == "fold" and self.token_pattern is None:
            record["opencc-python-reimplemented"] = _pkg_version("opencc-python-reimplemented")
        if self.normalize == "lemma":
            record["lemmas_sha256"] = _lemma_exceptions()[1]
            record["simplemma"] = _pkg_version("simplemma")
        elif self.normalize == "stem":
            record["nltk"] = _pkg_version("nltk")
        if self.learn_phrases:
            record["gensim"] = _pkg_version("gensim")
        blob = json.dumps(record, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()

    @property
    def id(self) -> str:
        """Short stable id, ``pp-`` and 10 hex digits, recorded with every result."""
        return "pp-" + self._fingerprint[:10]

    def describe(self) -> str:
        """One line naming the id and every non-default setting."""
        defaults = Preprocessor.__dataclass_fields__
        changed = [
            f"{k}={getattr(self, k)!r}" for k in defaults
            if not k.startswith("_") and getattr(self, k) != defaults[k].default
        ]
        return f"{self.id} ({', '.join(changed) if changed else 'defaults'})"

    # -- tokenizing ----------------------------------------------------------------
    def tokenize(self, text: str) -> list[tuple[str, int, int]]:
        """Terms of one text with their character spans.

        Learned phrases are not applied here: they need the corpus (see
        :func:`framing.text.dtm`).

        Parameters
        ----------
        text : str

        Returns
        -------
        list of (term, start, end)
            In text order; ``text[start:end]`` is the surface form the term
            came from (a possessive ``'s`` excluded).
        """
        if not isinstance(text, str):
            raise PreprocessorError(f"tokenize expects a string, got {type(text).__name__}")
        return token_machine(self).spans(text)

    def terms(self, text: str) -> list[str]:
        """The terms of one text, without offsets (the fast path used for counting)."""
        if not isinstance(text, str):
            raise PreprocessorError(f"terms expects a string, got {type(text).__name__}")
        return token_machine(self).terms(text)


# --------------------------------------------------------------------------- the machine


#: Words ending in 's that are contractions, not possessives.
_CONTRACTIONS = frozenset(
    "it's that's there's here's what's who's where's when's how's he's she's let's".split()
)


def _is_possessive(word: str) -> bool:
    return len(word) > 2 and word[-2:] in ("'s", "'S") and word.lower() not in _CONTRACTIONS


#: Characters of text a batch method of :class:`TokenMachine` scans at once: enough to spread the cost of each
#: array operation thin, few enough that its arrays (some ten bytes a character) stay small.
BATCH_CHARACTERS = 2_000_000


def batch_bounds(lengths: Sequence[int]) -> list[int]:
    """Boundaries of consecutive texts (of these lengths) of about :data:`BATCH_CHARACTERS` characters each
    (``[0, len(lengths)]``: one batch)."""
    return size_bounds(lengths, BATCH_CHARACTERS)


class SpanColumns(NamedTuple):
    """The words of several texts as columns: ``terms[term_ids[k]]`` is word ``k``, at ``starts[k]:ends[k]``,
    and the words of text ``i`` are ``bounds[i]:bounds[i + 1]``, in order of position."""

    terms: list[str]
    term_ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    bounds: np.ndarray

    def lists(self) -> list[list[tuple[str, int, int]]]:
        """``(term, start, end)`` per word, a list per text."""
        terms = self.terms
        words = [terms[i] for i in self.term_ids.tolist()]
        starts, ends, bounds = self.starts.tolist(), self.ends.tolist(), self.bounds.tolist()
        return [list(zip(words[a:b], starts[a:b], ends[a:b])) for a, b in zip(bounds[:-1], bounds[1:])]

    @classmethod
    def of_lists(cls, spans: Sequence[Sequence[tuple[str, int, int]]]) -> SpanColumns:
        index: dict[str, int] = {}
        flat = [w for text in spans for w in text]
        term_ids = np.fromiter((index.setdefault(t, len(index)) for t, _, _ in flat), dtype=np.int64, count=len(flat))
        starts = np.fromiter((a for _, a, _ in flat), dtype=np.int64, count=len(flat))
        ends = np.fromiter((b for _, _, b in flat), dtype=np.int64, count=len(flat))
        bounds = np.concatenate([[0], np.cumsum([len(text) for text in spans], dtype=np.int64)]).astype(np.int64)
        return cls(list(index), term_ids, starts, ends, bounds)


class TokenMachine:
    """The compiled form of a Preprocessor: regexes and per-form memo tables."""

    def __init__(self, pre: Preprocessor) -> None:
        pattern = pre.token_pattern or DEFAULT_TOKEN_PATTERN
        ascii_pattern = pattern if pre.token_pattern else _ASCII_TOKEN_PATTERN
        if pre.punctuation == "keep":
            pattern, ascii_pattern = (f"(?:{p})|[^\\w\\s]" for p in (pattern, ascii_pattern))
        # the default patterns are made of case-free classes: IGNORECASE would change nothing but the speed
        flags = re.IGNORECASE if pre.lowercase and pre.token_pattern else 0
        self.token_re = re.compile(pattern, flags)
        self.ascii_token_re = re.compile(ascii_pattern, flags)
        self.lowercase = pre.lowercase
        self.drop_numbers = pre.numbers == "drop"
        stop: set[str] = set()
        if pre.stopwords == "english":
            stop |= _stopword_file()[0]
        elif isinstance(pre.stopwords, tuple):
            stop |= {s.lower() for s in pre.stopwords}
        stop |= set(pre.extra_stopwords)
        self.stop = frozenset(stop)
        # removed from Chinese tokens: the Chinese list with 'english' or 'chinese', and the words given
        self.stop_han = self.stop | (_stopwords_zh()[0] if pre.stopwords in ("english", "chinese") else frozenset())
        vocab = pre._vocabulary
        self.variants = dict(vocab.variants) if vocab else {}
        self.mwe_re: re.Pattern[str] | None = None
        self.mwe: TrieFinder | None = None
        self.exact: dict[str, str] = {}
        self.phrase_key: dict[str, str] = {}
        # Chinese segmentation goes with the default token pattern: a pattern of one's own is applied as given
        self.chinese = pre.chinese if pre.token_pattern is None else "keep"
        self.han_vocab: dict[str, str] = {}  # Chinese phrase -> term, matched on the segmenter's tokens
        self._han: _HanSegmenter | None = None
        phrases, exacts = (list(vocab.phrases), list(vocab.exact)) if vocab else ([], [])
        if self.chinese != "keep":
            self.han_vocab = {p: t for p, t in phrases + exacts if t and _HAN_RUN.search(p)}
            phrases = [(p, t) for p, t in phrases if p not in self.han_vocab]
            exacts = [(e, t) for e, t in exacts if e not in self.han_vocab]
        if phrases or exacts:
            for phrase, term in phrases:
                words = [w for w in re.split(r"[\s,\-\u2013]+", phrase) if w]
                self.phrase_key[" ".join(words).lower()] = term
            for string, term in exacts:
                self.exact[string] = term
            self.mwe = TrieFinder([p for p, _ in phrases], [e for e, _ in exacts])
            self.mwe_re = self.mwe.regex
        self.normalize = pre.normalize
        self.fold = pre.typography == "fold"
        self.strip_possessive = pre.possessives == "strip"
        self.lemma_exceptions = _lemma_exceptions()[0] if pre.normalize == "lemma" else {}
        self.memo = Memo(self._finish)
        self.mwe_memo = Memo(self._compound)
        # surface -> (term, characters of a possessive 's to leave out of the span)
        self.span_memo = Memo(lambda g: (self.memo[g], 2 if self.strip_possessive and _is_possessive(g) else 0))
        # the token pattern's words found with array operations over many texts at once, where the pattern
        # is a run of character classes that never takes a space (:mod:`framing.text.runs`); None: one regex
        # per text
        scanner = None
        if pre.punctuation != "keep":
            scanner = RunScanner.for_pattern(self.token_re, default=pre.token_pattern is None)
        self.scanner = scanner if scanner is not None and not scanner.takes(" ") else None

    # one surface word -> term or None
    def _finish(self, surface: str) -> str | None:
        if self.strip_possessive and _is_possessive(surface):
            surface = surface[:-2]
        word = clean_word(surface) if self.fold else surface
        low = word.lower()
        if self.drop_numbers and not any(c.isalpha() for c in word) and any(c.isdigit() for c in word):
            return None
        if low in self.stop:
            return None
        if self.lowercase:
            word = low
        word = self.variants.get(low, word) if self.variants else word
        if self.normalize == "lemma":
            if low in self.lemma_exceptions:
                word = self.lemma_exceptions[low]
            elif any(c.isalpha() for c in word):
                word = _lemmatize(word, self.lowercase)
        elif self.normalize == "stem":
            word = _stem(word)
        if not word or word.lower() in self.stop:
            return None
        return word

    # a matched multiword expression -> its canonical term
    def _compound(self, matched: str) -> str:
        core = matched[:-2] if matched.endswith(("'s", "'S")) and matched not in self.exact else matched
        if core in self.exact:
            return self.exact[core]
        key = " ".join(w for w in re.split(r"[\s,\-\u2013]+", core) if w).lower()
        if key in self.phrase_key:
            return self.phrase_key[key]
        if key.endswith("s") and key[:-1] in self.phrase_key:
            return self.phrase_key[key[:-1]]
        return self.exact.get(core.rstrip("s"), key.replace(" ", "_"))  # pragma: no cover

    def surface(self, text: str) -> tuple[list[str], list[str]]:
        """Surface tokens (not yet finished) and compound terms of one text."""
        t = straighten(text) if self.fold else text
        compounds: list[str] = []
        found = self.mwe.matches(t) if self.mwe is not None else None
        if found:
            # each expression becomes one space, as re.sub(regex, " ", t) would make it
            mwe_memo = self.mwe_memo
            pieces: list[str] = []
            last = 0
            for m in found:
                term = mwe_memo[m.group()]
                if term:
                    compounds.append(term)
                pieces.append(t[last:m.start()])
                last = m.end()
            pieces.append(t[last:])
            t = " ".join(pieces)
        if self.chinese != "keep" and not t.isascii() and _HAN_RUN.search(t):
            han, t = self._segment(t)
            compounds.extend(term for term, _, _ in han)
        return (self.ascii_token_re if t.isascii() else self.token_re).findall(t), compounds

    def count(self, surface: list[str], compounds: list[str]) -> Counter[str]:
        """Term counts from :meth:`surface` output (None terms removed)."""
        counts = Counter(map(self.memo.__getitem__, surface))
        counts.pop(None, None)  # type: ignore[call-overload]
        if compounds:
            counts.update(compounds)
        return counts

    def terms(self, text: str) -> list[str]:
        surface, compounds = self.surface(text)
        found = [f for f in map(self.memo.__getitem__, surface) if f is not None]
        return found + compounds

    def _prepared(self, texts: Sequence[str]) -> list[tuple[str, list[tuple[str, int, int]]]]:
        """Each text as the token pattern meets it (typography straightened, multiword expressions and
        Chinese words blanked, the length unchanged) with the terms already found in it and their spans;
        the expressions of all the texts found in one pass (:meth:`TrieFinder.matches_many`)."""
        ts = [straighten(t) for t in texts] if self.fold else list(texts)
        found = self.mwe.matches_many(ts) if self.mwe is not None else None
        out: list[tuple[str, list[tuple[str, int, int]]]] = []
        for k, t in enumerate(ts):
            extra: list[tuple[str, int, int]] = []
            if found and found[k]:
                pieces: list[str] = []
                last = 0
                for a, b, g in found[k]:
                    end = b - 2 if g.endswith(("'s", "'S")) and g not in self.exact else b
                    term = self.mwe_memo[g]
                    if term:  # an ignored expression ("HK$") only masks its text
                        extra.append((term, a, end))
                    pieces.append(t[last:a])
                    pieces.append(" " * (b - a))
                    last = b
                pieces.append(t[last:])
                t = "".join(pieces)
            if self.chinese != "keep" and not t.isascii() and _HAN_RUN.search(t):
                han, t = self._segment(t)
                extra.extend(han)
            out.append((t, extra))
        return out

    def spans(self, text: str) -> list[tuple[str, int, int]]:
        [(t, out)] = self._prepared([text])
        found = bool(out)
        span_memo = self.span_memo
        for m in (self.ascii_token_re if t.isascii() else self.token_re).finditer(t):
            term, cut = span_memo[m.group()]
            if term is not None:
                out.append((term, m.start(), m.end() - cut))
        if found:
            out.sort(key=lambda x: x[1])
        return out

    def spans_many(self, texts: Sequence[str], shift: Sequence[int] | None = None) -> list[list[tuple[str, int, int]]]:
        """``[self.spans(t) for t in texts]``, the words of all texts found at once where the pattern allows;
        with ``shift``, each text's offsets moved by its shift (the text's place in a longer one)."""
        if self.scanner is None or len(texts) < 2:
            if shift is None:
                return [self.spans(t) for t in texts]
            return [[(term, a + d, b + d) for term, a, b in self.spans(t)] if d else self.spans(t)
                    for t, d in zip(texts, shift)]
        return self.span_columns(texts, shift).lists()

    def span_columns(self, texts: Sequence[str], shift: Sequence[int] | None = None) -> SpanColumns:
        """What :meth:`spans_many` gives, as columns (:class:`SpanColumns`): a few arrays however many
        words, cheap to send from a worker process."""
        if self.scanner is None:
            return SpanColumns.of_lists(self.spans_many(texts, shift))
        index: dict[str, int] = {}
        parts = []
        bounds = batch_bounds([len(t) for t in texts])
        for first, last in zip(bounds[:-1], bounds[1:]):
            parts.append(self._span_batch(texts[first:last], None if shift is None else shift[first:last], index))
        term_ids, starts, ends, counts = (np.concatenate([p[k] for p in parts]) for k in range(4))
        return SpanColumns(list(index), term_ids, starts, ends, np.concatenate([[0], np.cumsum(counts)]))

    def _words(self, texts: Sequence[str], index: dict[str, int],
               ) -> tuple[list[tuple[str, list[tuple[str, int, int]]]], Runs, np.ndarray]:
        """The texts prepared (:meth:`_prepared`), the runs of their words (:class:`~framing.text.runs.Runs`)
        and each word's term as an index into ``index`` (extended), -1 for a word that gives no term."""
        prepared = self._prepared(texts)
        runs = self.scanner.scan([t for t, _ in prepared])  # type: ignore[union-attr]
        memo = self.memo
        form_term = np.fromiter(
            (-1 if (term := memo[f]) is None else index.setdefault(term, len(index)) for f in runs.forms),
            dtype=np.int64, count=len(runs.forms))
        return prepared, runs, form_term[runs.ids] if len(runs.ids) else np.zeros(0, dtype=np.int64)

    def _span_batch(self, texts: Sequence[str], shift: Sequence[int] | None, index: dict[str, int],
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Term ids (into ``index``, extended), starts and ends of the words of ``texts`` in order of
        text and position, and each text's number of words."""
        prepared, runs, term_ids = self._words(texts, index)
        span_memo = self.span_memo
        cut = np.fromiter((span_memo[f][1] for f in runs.forms), dtype=np.int64, count=len(runs.forms))
        keep = term_ids >= 0
        term_ids, text_of = term_ids[keep], runs.texts[keep]
        starts, ends = runs.starts[keep], runs.ends[keep] - cut[runs.ids[keep]]
        extra = [(k, term, a, b) for k, (_, found) in enumerate(prepared) for term, a, b in found]
        if extra:  # expressions and Chinese words, in their places: before a word at the same start, as a stable sort
            term_ids = np.concatenate([[index.setdefault(e[1], len(index)) for e in extra], term_ids]).astype(np.int64)
            text_of = np.concatenate([[e[0] for e in extra], text_of]).astype(np.int64)
            starts = np.concatenate([[e[2] for e in extra], starts]).astype(np.int64)
            ends = np.concatenate([[e[3] for e in extra], ends]).astype(np.int64)
            order = np.lexsort((starts, text_of))
            term_ids, text_of, starts, ends = term_ids[order], text_of[order], starts[order], ends[order]
        if shift is not None and len(text_of):
            moved = np.asarray(shift, dtype=np.int64)[text_of]
            starts, ends = starts + moved, ends + moved
        return term_ids, starts, ends, np.bincount(text_of, minlength=len(texts))

    def term_columns(self, texts: Sequence[str], index: dict[str, int] | None = None,
                     ) -> tuple[list[str], np.ndarray, np.ndarray] | None:
        """Every term of ``texts`` as columns: the distinct terms, then per occurrence its term's index
        and its text's index (within a text in no set order). What :meth:`terms` finds in each text, made
        without a Python object per word; None when the token pattern is not a run of classes.

        ``index`` (term -> index), when given, is used and extended, so that the columns of several
        calls share one numbering of the terms."""
        if self.scanner is None:
            return None
        index = {} if index is None else index
        term_parts: list[np.ndarray] = []
        text_parts: list[np.ndarray] = []
        bounds = batch_bounds([len(t) for t in texts])
        for first, last in zip(bounds[:-1], bounds[1:]):
            prepared, runs, term_ids = self._words(texts[first:last], index)
            keep = term_ids >= 0
            term_parts.append(term_ids[keep])
            text_parts.append(runs.texts[keep] + first)
            extra_terms = [index.setdefault(term, len(index)) for _, extra in prepared for term, _, _ in extra]
            if extra_terms:
                term_parts.append(np.asarray(extra_terms, dtype=np.int64))
                text_parts.append(np.asarray([first + k for k, (_, extra) in enumerate(prepared) for _ in extra],
                                             dtype=np.int64))
        return list(index), np.concatenate(term_parts), np.concatenate(text_parts)

    def _segment(self, t: str) -> tuple[list[tuple[str, int, int]], str]:
        """Chinese words of the Han runs of ``t`` (term, start, end), and ``t`` with those runs blanked."""
        if self._han is None:
            self._han = _HanSegmenter(self)
        return self._han.segment(t)


class _HanSegmenter:
    """Chinese words of a text: jieba's precise mode on each run of Han characters, made when first needed.

    The jieba dictionary is read from the installed wheel into a private ``jieba.Tokenizer`` (no cache file
    is written, nothing is logged, jieba's shared tokenizer is not touched); the vocabulary's Chinese
    phrases are added to it in sorted order with jieba's suggested frequency, and a dictionary compound
    that begins or ends with one of them is taken out, so the phrase is found inside it ("香港特区政府" ->
    香港 / 特区 / 政府).
    """

    def __init__(self, machine: TokenMachine) -> None:
        self.fold = machine.chinese == "fold"
        self.table: dict[int, str] = _folding_table() if self.fold else {}
        self.vocab = {self.convert(p): t for p, t in sorted(machine.han_vocab.items())}
        self.stop = machine.stop_han | {self.convert(s) for s in machine.stop_han if _HAN_RUN.search(s)}
        self.drop_numbers = machine.drop_numbers
        self.tokenizer = _jieba_tokenizer(tuple(sorted(self.vocab)))
        self.memo = Memo(self._finish)

    def convert(self, text: str) -> str:
        return text.translate(self.table) if self.fold else text

    def _finish(self, word: str) -> str | None:
        if word in self.vocab:
            return self.vocab[word]
        if self.drop_numbers and all(c in _ZH_NUMERALS or c.isdigit() for c in word):
            return None
        return None if word in self.stop else word

    def segment(self, t: str) -> tuple[list[tuple[str, int, int]], str]:
        out: list[tuple[str, int, int]] = []
        pieces: list[str] = []
        last = 0
        memo = self.memo
        for run in _HAN_RUN.finditer(t):
            a, b = run.span()
            text = self.convert(run.group())  # one character for one: offsets carry over
            parts, at = [], 0
            for year in _ZH_YEAR.finditer(text):
                parts += [(text[at:year.start()], at, False), (year.group(), year.start(), True)]
                at = year.end()
            parts.append((text[at:], at, False))
            for part, offset, is_year in parts:
                words = [(part, 0, len(part))] if is_year else self.tokenizer.tokenize(part, HMM=False)
                for word, i, j in words:
                    term = memo[word] if not is_year or not self.drop_numbers else None
                    if term is not None:
                        out.append((term, a + offset + i, a + offset + j))
            pieces += [t[last:a], " " * (b - a)]
            last = b
        pieces.append(t[last:])
        return out, "".join(pieces)


@lru_cache(maxsize=1)
def _folding_table() -> dict[int, str]:
    """Traditional (and Hong Kong variant) characters -> simplified, one character for one (OpenCC's tables)."""
    try:
        opencc_files = resources.files("opencc").joinpath("dictionary")  # heavy: opencc-python-reimplemented
    except ModuleNotFoundError:
        raise PreprocessorError(
            "Preprocessor(chinese='fold') needs opencc-python-reimplemented to fold traditional Chinese to "
            "simplified: pip install opencc-python-reimplemented, or use chinese='segment' or 'keep'") from None

    def single(name: str) -> dict[str, str]:
        pairs = (line.split("\t") for line in opencc_files.joinpath(name).read_text("utf-8").splitlines())
        return {p[0]: p[1].split()[0] for p in pairs if len(p) == 2 and len(p[0]) == 1 and len(p[1].split()[0]) == 1}

    hk, ts = single("HKVariantsRev.txt"), single("TSCharacters.txt")
    chars = set(hk) | set(ts)
    table = {ord(c): ts.get(hk.get(c, c), hk.get(c, c)) for c in chars}
    return {k: v for k, v in table.items() if chr(k) != v}


@lru_cache(maxsize=1)
def _jieba_dictionary() -> tuple[dict[str, int], int]:
    """jieba's bundled dictionary as (prefix-frequency table, total), read once per process."""
    try:
        import jieba  # heavy: only for Chinese text
    except ModuleNotFoundError:
        raise PreprocessorError(
            "Chinese text needs jieba to be segmented into words: pip install jieba==0.42.1, "
            "or use Preprocessor(chinese='keep') to keep each run of Chinese characters as one token") from None
    tk = jieba.Tokenizer()
    return tk.gen_pfdict(tk.get_dict_file())  # type: ignore[no-any-return]


@lru_cache(maxsize=4)
def _jieba_tokenizer(words: tuple[str, ...]) -> Any:
    """A private jieba tokenizer with ``words`` added, and the dictionary compounds around them removed."""
    import jieba  # heavy: only for Chinese text

    freq, total = _jieba_dictionary()
    tk = jieba.Tokenizer()
    tk.FREQ, tk.total, tk.initialized = dict(freq), total, True
    vocab = set(words)
    sizes = sorted({len(w) for w in vocab})
    for word, f in freq.items() if vocab else ():  # dictionary order: deterministic
        if f and word not in vocab and len(word) > sizes[0] and any(
                word[:n] in vocab or word[-n:] in vocab for n in sizes if n < len(word)):
            tk.FREQ[word] = 0
            tk.total -= f
    for word in words:
        tk.add_word(word)
    return tk


@lru_cache(maxsize=1)
def _snowball() -> Any:
    from nltk.stem.snowball import SnowballStemmer  # heavy: only when a preprocessor stems

    return SnowballStemmer("english")


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """NLTK's English Snowball stem of a word (lower-cased), remembered for every preprocessor that
    stems: a robustness grid's stemming specifications share one vocabulary's stems."""
    return str(_snowball().stem(word))


def _lemmatize(word: str, lowercase: bool) -> str:
    """simplemma's English lemma; a hyphenated compound is not lemmatised inside.

    simplemma joins or bends compounds ("long-arm" -> "longarm", "Afghan-led"
    -> "afghan-lead"), so a compound keeps its form, except that a plural last
    part loses its ending ("think-tanks" -> "think-tank").
    """
    import simplemma

    if "-" in word:
        head, _, last = word.rpartition("-")
        lemma = simplemma.lemmatize(last, lang="en")
        word = f"{head}-{lemma}" if last.lower().endswith("s") and last.lower().startswith(lemma.lower()) and \
            len(last) - len(lemma) in (1, 2) else word
        return word.lower() if lowercase else word
    lemma = simplemma.lemmatize(word, lang="en")
    return lemma.lower() if lowercase else lemma


@lru_cache(maxsize=32)
def token_machine(pre: Preprocessor) -> TokenMachine:
    """The compiled form of a preprocessor (one per preprocessor, reused)."""
    return TokenMachine(pre)


def iter_stopwords(pre: Preprocessor, *, chinese: bool = False) -> Iterable[str]:
    """The stopwords a preprocessor removes, sorted: from words, or with ``chinese=True`` from Chinese tokens."""
    machine = token_machine(pre)
    return sorted(machine.stop_han if chinese else machine.stop)
