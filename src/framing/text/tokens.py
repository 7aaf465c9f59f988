"""Tokens: every term of a corpus with its character span and its sentence, made once.

A :class:`Tokens` object is what the measures share. It is built by
:func:`tokens` from a corpus and a :class:`~framing.text.preprocess.Preprocessor`
(in parallel, from a token cache where one is given), and remembers both: the
preprocessor id and the corpus hash travel with it into every result. Each
token belongs to one paragraph and to one sentence of that paragraph, the
sentence that holds its start (:func:`framing.corpus.units.assign_sentences`),
so document, paragraph and sentence counts always add up.

Measures that need token positions (:func:`framing.dtm`, :func:`framing.kwic`,
:func:`framing.dispersion`, :func:`framing.collocations`,
:func:`framing.detect_frames`) accept a ``Tokens`` in place of a corpus, so a
figure run or a robustness grid tokenizes each corpus once per preprocessor.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections import Counter
from collections.abc import Iterator, Sequence
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from framing.base.deprecation import warn_once
from framing.base.errors import ArgumentError
from framing.base.gcpause import without_gc
from framing.base.parallel import map_chunks, resolve_jobs
from framing.corpus.model import Corpus, Document
from framing.corpus.units import assign_sentences
from framing.text.cache import CacheUnavailable, TokenCache
from framing.text.preprocess import Preprocessor, SpanColumns, token_machine

__all__ = ["Tokens", "tokens", "with_learned_phrases", "Span", "TOKEN_COLUMNS"]

#: ``(term, start, end)``: offsets into the document's clean text.
Span = tuple[str, int, int]

#: Columns of :meth:`Tokens.to_frame`.
TOKEN_COLUMNS = ["doc_id", "paragraph", "position", "term", "start", "end", "surface"]

_LEARN_DELIM = "\x1f"


class Tokens:
    """The token stream of a corpus under one preprocessor.

    Build one with :func:`tokens`. Immutable: its parts are tuples, and every
    view it gives is a new object.

    Attributes
    ----------
    corpus : Corpus
        The corpus the tokens point into.
    preprocessor : str
        The id of the :class:`Preprocessor` that made them (``pp-…``).
    pre : Preprocessor
    corpus_hash : str
        :attr:`Corpus.content_hash` of the corpus.
    learned_phrases : tuple of str
        Phrases learned from the corpus (``Preprocessor(learn_phrases=True)``).
    paragraph_ids : tuple of str
        One per paragraph row of ``corpus.units('paragraph')``.

    Examples
    --------
    >>> import framing as fr
    >>> toks = fr.tokens(fr.load_corpus(), fr.Preprocessor())
    >>> toks.preprocessor == fr.Preprocessor().id
    True
    >>> int(fr.dtm(toks, unit="paragraph").matrix.sum()) == len(toks)
    True
    """

    __slots__ = ("corpus", "pre", "preprocessor", "corpus_hash", "learned_phrases", "_paragraphs", "_keys",
                 "_sentence_of", "_n_sentences", "__weakref__")

    def __init__(self, corpus: Corpus, pre: Preprocessor, paragraphs: Sequence[Sequence[Span]],
                 learned_phrases: Sequence[str] = ()) -> None:
        units = corpus.units("paragraph")
        if len(paragraphs) != len(units):
            raise ArgumentError(f"{len(paragraphs)} token lists for {len(units)} paragraphs")
        object.__setattr__(self, "corpus", corpus)
        object.__setattr__(self, "pre", pre)
        object.__setattr__(self, "preprocessor", pre.id)
        object.__setattr__(self, "corpus_hash", corpus.content_hash)
        object.__setattr__(self, "learned_phrases", tuple(learned_phrases))
        object.__setattr__(self, "_paragraphs", tuple(tuple(p) for p in paragraphs))
        keys = tuple(zip(units["doc_id"].tolist(), units["paragraph"].astype(int).tolist()))
        object.__setattr__(self, "_keys", keys)
        object.__setattr__(self, "_sentence_of", None)
        object.__setattr__(self, "_n_sentences", 0)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Tokens is immutable; cannot set {name!r}")

    # -- the audit table, as fr.tokens() returned it before Tokens existed ----------------
    def _legacy_frame(self, what: str) -> pd.DataFrame:
        warn_once("Tokens-as-DataFrame", f"fr.tokens() returns a Tokens object now; {what} works on its table "
                  "through .to_frame(): call fr.tokens(...).to_frame() for the table")
        return self.to_frame()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or not hasattr(pd.DataFrame, name):
            raise AttributeError(f"'Tokens' object has no attribute {name!r}")
        return getattr(self._legacy_frame(f".{name}"), name)

    def __getitem__(self, key: Any) -> Any:
        return self._legacy_frame("indexing")[key]

    def __len__(self) -> int:
        return sum(len(p) for p in self._paragraphs)

    def __repr__(self) -> str:
        return (f"<Tokens {len(self)} tokens in {len(self._paragraphs)} paragraphs of {len(self.corpus)} documents, "
                f"{self.preprocessor}>")

    @property
    def paragraph_ids(self) -> tuple[str, ...]:
        return tuple(self.corpus.units("paragraph")["unit_id"])

    # -- views ----------------------------------------------------------------------
    def paragraphs(self) -> Iterator[tuple[str, int, tuple[Span, ...]]]:
        """``(doc_id, paragraph index, spans)`` for every paragraph, in corpus order."""
        for (d, p), spans in zip(self._keys, self._paragraphs):
            yield d, p, spans

    def documents(self) -> Iterator[tuple[str, list[Span]]]:
        """``(doc_id, spans)`` for every document, in corpus order."""
        current: str | None = None
        acc: list[Span] = []
        for (d, _), spans in zip(self._keys, self._paragraphs):
            if d != current:
                if current is not None:
                    yield current, acc
                current, acc = d, []
            acc.extend(spans)
        if current is not None:
            yield current, acc

    def _assign(self) -> tuple[tuple[np.ndarray, ...], int]:
        """Sentence row (of ``corpus.units('sentence')``) of every token, per paragraph; computed once."""
        if self._sentence_of is None:
            sents = self.corpus.units("sentence")
            starts = sents["start"].to_numpy()
            where: dict[tuple[str, int], np.ndarray] = {
                (d, int(p)): idx for (d, p), idx in sents.groupby(["doc_id", "paragraph"], sort=False).indices.items()
            }
            out = []
            for key, spans in zip(self._keys, self._paragraphs):
                idx = where.get(key)
                if idx is None or not spans:
                    out.append(np.zeros(0, dtype=np.int64))
                    continue
                local = assign_sentences([a for _, a, _ in spans], starts[idx])
                out.append(idx[local])
            object.__setattr__(self, "_sentence_of", tuple(out))
            object.__setattr__(self, "_n_sentences", len(sents))
        return self._sentence_of, self._n_sentences

    def sentences(self) -> list[list[Span]]:
        """The spans of every sentence, aligned with the rows of ``corpus.units('sentence')``."""
        sentence_of, n = self._assign()
        out: list[list[Span]] = [[] for _ in range(n)]
        for spans, rows in zip(self._paragraphs, sentence_of):
            if not len(rows):
                continue
            step = np.diff(rows)
            if (step < 0).any():  # tokens out of order (not made by framing's tokenizers): one at a time
                for tok, row in zip(spans, rows.tolist()):
                    out[row].append(tok)
                continue
            # a paragraph's tokens in order of position: each sentence's tokens are one slice of them
            cuts = (np.flatnonzero(step) + 1).tolist()
            row_of = rows.tolist()
            for a, b in zip([0, *cuts], [*cuts, len(spans)]):
                out[row_of[a]] = list(spans[a:b])
        return out

    def units(self, unit: str = "paragraph") -> pd.DataFrame:
        """``corpus.units(unit)`` (ids, offsets, metadata, text)."""
        return self.corpus.units(unit)  # type: ignore[arg-type]

    def counts(self, unit: str = "document") -> list[Counter[str]]:
        """Term counts per document, paragraph or sentence (rows of ``corpus.units(unit)``)."""
        if unit == "document":
            return [Counter(t for t, _, _ in spans) for _, spans in self.documents()]
        if unit == "paragraph":
            return [Counter(t for t, _, _ in spans) for spans in self._paragraphs]
        if unit == "sentence":
            return [Counter(t for t, _, _ in spans) for spans in self.sentences()]
        raise ArgumentError(f"unit={unit!r} is not valid; choose one of 'document', 'paragraph', 'sentence'")

    def to_frame(self) -> pd.DataFrame:
        """Every token with its span: the audit trail of every count.

        Returns
        -------
        pandas.DataFrame
            :data:`TOKEN_COLUMNS`: ``doc_id, paragraph, position, term, start,
            end, surface``, one row per token, ``position`` counting tokens
            within the document from 0, ``start``/``end`` offsets into the
            document's clean text and ``surface`` the text they span.
        """
        rows = []
        position: Counter[str] = Counter()
        for d, p, spans in self.paragraphs():
            text = self.corpus[d].text
            for t, a, b in spans:
                rows.append((d, p, position[d], t, a, b, text[a:b]))
                position[d] += 1
        return pd.DataFrame(rows, columns=TOKEN_COLUMNS)


# --------------------------------------------------------------------------- building


@without_gc  # in a worker process too, where a collection would walk the whole forked corpus
def _span_columns_of_documents(pre: Preprocessor, docs: Sequence[Document]) -> SpanColumns:
    """The spans of every paragraph of the documents as columns (one text per paragraph), offsets into
    each document's text; the words of all the paragraphs found at once (:meth:`TokenMachine.span_columns`).
    What a worker sends back: a few arrays, not a tuple per token."""
    return token_machine(pre).span_columns(*_paragraph_texts(docs))


def _paragraph_texts(docs: Sequence[Document]) -> tuple[list[str], list[int]]:
    """The text of every paragraph of the documents, in order, and where each starts in its document."""
    paragraphs = [(doc.text, para.start, para.end) for doc in docs for para in doc.paragraphs]
    return [text[a:b] for text, a, b in paragraphs], [a for _, a, _ in paragraphs]


def _per_document(docs: Sequence[Document], flat: Sequence[list[Span]]) -> list[list[list[Span]]]:
    """Paragraphs' spans, in corpus order, grouped by document."""
    out: list[list[list[Span]]] = []
    k = 0
    for doc in docs:
        n = len(doc.paragraphs)
        out.append(list(flat[k:k + n]))
        k += n
    return out


def _spans_of_documents(pre: Preprocessor, docs: Sequence[Document]) -> list[list[list[Span]]]:
    """The spans of every paragraph of each document, offsets into the document's text."""
    return _per_document(docs, token_machine(pre).spans_many(*_paragraph_texts(docs)))


def _spans_in_processes(pre: Preprocessor, docs: Sequence[Document], n_jobs: int | None) -> list[list[list[Span]]]:
    """:func:`_spans_of_documents` over ``n_jobs`` processes, each chunk of documents coming back as columns."""
    if resolve_jobs(n_jobs) <= 1:
        return _spans_of_documents(pre, docs)
    parts = map_chunks(partial(_span_columns_of_documents, pre), docs, n_jobs, per_job=8)
    return _per_document(docs, [spans for part in parts for spans in part.lists()])


def _learned_phraser(paragraph_terms: list[list[str]], pre: Preprocessor) -> Any:
    from gensim.models.phrases import ENGLISH_CONNECTOR_WORDS, Phrases

    model = Phrases(
        paragraph_terms, min_count=pre.phrase_min_count, threshold=pre.phrase_threshold,
        scoring="npmi", delimiter=_LEARN_DELIM, connector_words=ENGLISH_CONNECTOR_WORDS,
    )
    return model.freeze()


def _apply_phraser(phraser: Any, spans: Sequence[Span]) -> list[Span]:
    words = [t for t, _, _ in spans]
    out: list[Span] = []
    i = 0
    for token, _score in phraser.analyze_sentence(words):
        n = token.count(_LEARN_DELIM) + 1
        first, last = spans[i], spans[i + n - 1]
        out.append((token.replace(_LEARN_DELIM, "_"), first[1], last[2]))
        i += n
    return out


@without_gc
def tokens(corpus: Corpus | Tokens, pre: Preprocessor | None = None, *, n_jobs: int | None = 1,
           cache: TokenCache | str | Any = None) -> Tokens:
    """Tokenize a corpus once, for every measure.

    Parameters
    ----------
    corpus : Corpus or Tokens
        A ``Tokens`` is returned as it is (``pre`` must then be None or its
        preprocessor).
    pre : Preprocessor or None
        None uses ``Preprocessor()``, the documented defaults.
    n_jobs : int or None, default=1
        Processes tokenizing documents (-1: all cores). The tokens are the
        same whatever the number.
    cache : TokenCache, str, Path or None
        A token cache (or its folder): documents already tokenized with this
        preprocessor are read from it, the others tokenized and stored.

    Returns
    -------
    Tokens
        ``.to_frame()`` gives one row per token (``doc_id, paragraph,
        position, term, start, end, surface``).

    Examples
    --------
    >>> import framing as fr
    >>> t = fr.tokens(fr.load_corpus(), fr.Preprocessor()).to_frame()
    >>> sorted(set(t.query("term == 'belt_and_road'")["surface"]))
    ['B&R', 'B&R Initiative', 'BRI', 'Belt and Road', 'Belt and Road Initiative']
    """
    if isinstance(corpus, Tokens):
        if pre is not None and pre.id != corpus.preprocessor:
            raise ArgumentError(f"these tokens were made by {corpus.preprocessor}, not by pre={pre.id}")
        return corpus
    if not isinstance(corpus, Corpus):
        raise ArgumentError(f"tokens expects a framing Corpus, got {type(corpus).__name__}")
    pre = Preprocessor() if pre is None else pre
    if not isinstance(pre, Preprocessor):
        raise ArgumentError(f"pre must be a framing Preprocessor, got {type(pre).__name__}")
    docs = list(corpus)
    if cache is not None and not isinstance(cache, TokenCache):
        try:
            cache = TokenCache(cache)
        except CacheUnavailable as exc:
            warnings.warn(f"{exc}; tokenizing without a cache", RuntimeWarning, stacklevel=2)
            cache = None
    per_doc: list[Any] = [None] * len(docs)
    todo = list(range(len(docs)))
    if cache is not None:
        for i, d in enumerate(docs):
            per_doc[i] = cache.get(d, pre)
        todo = [i for i in todo if per_doc[i] is None]
    fresh = _spans_in_processes(pre, [docs[i] for i in todo], n_jobs)
    for i, spans in zip(todo, fresh):
        per_doc[i] = spans
        if cache is not None:
            cache.put(docs[i], pre, spans)
    paragraphs = [spans for doc_spans in per_doc for spans in doc_spans]
    return _phrased(corpus, pre, paragraphs)


def _phrased(corpus: Corpus, pre: Preprocessor, paragraphs: Sequence[Sequence[Span]]) -> Tokens:
    """Tokens under ``pre`` from the paragraphs' spans before learned phrases: phrases learned
    from them and joined when ``pre.learn_phrases``, the spans as they are otherwise."""
    learned: tuple[str, ...] = ()
    if pre.learn_phrases:
        phraser = _learned_phraser([[t for t, _, _ in s] for s in paragraphs], pre)
        learned = tuple(sorted(k.replace(_LEARN_DELIM, "_") for k in phraser.phrasegrams))
        paragraphs = [_apply_phraser(phraser, s) for s in paragraphs]
    return Tokens(corpus, pre, paragraphs, learned)


def with_learned_phrases(base: Tokens, pre: Preprocessor) -> Tokens:
    """The tokens of ``pre`` (which learns phrases) from ``base``, the tokens of the same
    preprocessor without them: equal to ``tokens(base.corpus, pre)``, with no second
    tokenization. A robustness grid uses it for the specifications that differ only there.

    Raises
    ------
    ArgumentError
        When ``base`` was not made by ``pre`` with ``learn_phrases=False``.
    """
    plain = dataclasses.replace(pre, learn_phrases=False)
    if base.learned_phrases or base.preprocessor != plain.id:
        raise ArgumentError(f"these tokens were made by {base.preprocessor}, not by {plain.id} "
                            "(the preprocessor without learned phrases)")
    return _phrased(base.corpus, pre, [spans for _, _, spans in base.paragraphs()])
