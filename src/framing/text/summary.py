"""The size of a corpus: documents, paragraphs, sentences, tokens and types."""

from __future__ import annotations

import warnings

import pandas as pd

from framing.base.errors import ArgumentError
from framing.corpus.model import Corpus, unsplit_note
from framing.text.dtm import dtm
from framing.text.preprocess import Preprocessor

__all__ = ["summary"]


def summary(corpus: Corpus, by: str | None = None, pre: Preprocessor | None = None) -> pd.DataFrame:
    """Size of each document, or of each group of documents.

    Parameters
    ----------
    corpus : Corpus
    by : str or None
        A metadata column to sum over (e.g. ``'source_type'``). None gives
        one row per document.
    pre : Preprocessor or None
        How tokens are counted. None counts running words: the default
        tokenizer with no stopwords removed, no normalisation and no
        multiword expressions.

    Returns
    -------
    pandas.DataFrame
        Per document: ``doc_id``, the grouping column if the corpus has one,
        ``paragraphs, headings, sentences, tokens, types, preprocessor``.
        With ``by``: the group column, ``documents, paragraphs, headings,
        sentences, tokens, types, preprocessor`` (types are counted over the
        whole group, not summed).

    Examples
    --------
    >>> import framing as fr
    >>> int(fr.summary(fr.load_corpus(), by="source_type")["documents"].sum())
    6
    """
    note = unsplit_note(corpus)
    if note:
        warnings.warn(note, UserWarning, stacklevel=2)
    if pre is None:
        pre = Preprocessor(stopwords=None, normalize=None, phrases=None)
    paras = corpus.units("paragraph")
    sents = corpus.units("sentence")
    m = dtm(corpus, pre, unit="document")
    counts = m.matrix
    base = corpus.meta
    keep = ["doc_id"] + ([corpus.group_by] if corpus.group_by and corpus.group_by in base else [])
    out = base[keep].copy()
    out["paragraphs"] = paras.groupby("doc_id").size().reindex(out["doc_id"]).to_numpy()
    out["headings"] = paras[paras["is_heading"]].groupby("doc_id").size().reindex(out["doc_id"]).fillna(0).astype(int).to_numpy()
    out["sentences"] = sents.groupby("doc_id").size().reindex(out["doc_id"]).to_numpy()
    out["tokens"] = counts.sum(axis=1).A1.astype(int)
    out["types"] = (counts > 0).sum(axis=1).A1.astype(int)
    out["preprocessor"] = pre.id
    if by is None:
        return out
    if by not in base.columns:
        raise ArgumentError(f"by={by!r} is not a metadata column; columns are {', '.join(base.columns)}")
    grouped = m.group(by)
    g = out.assign(**{by: base[by].to_numpy()}).groupby(by, sort=False)
    res = pd.DataFrame({by: list(g.groups)})
    res["documents"] = g.size().to_numpy()
    for col in ("paragraphs", "headings", "sentences", "tokens"):
        res[col] = g[col].sum().to_numpy()
    types = (grouped.matrix > 0).sum(axis=1).A1.astype(int)
    res["types"] = pd.Series(types, index=grouped.units[by]).reindex(res[by]).to_numpy()
    res["preprocessor"] = pre.id
    return res

