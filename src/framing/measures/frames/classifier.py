"""Frame models learned from coded examples, and their honest error.

A dictionary anticipates the words of a frame; coded examples show the words
a register actually uses. :class:`FrameClassifier` learns one logistic
regression per frame from a coded table (``unit_id`` and one 0/1 column per
frame) on two kinds of features: the units' tf-idf (unigrams and bigrams of
the analysis token stream) and, when a codebook is given, its indicator hits
per frame and per stance, so the dictionary is a feature, not a ceiling.

:func:`cross_validate_frames` scores the classifier, and the dictionary
beside it, on units it was not trained on, with folds grouped by document so
that no document sits on both sides of a split, and intervals from a
bootstrap over documents (the unit that was sampled).

:func:`check_coded` is the one gate every coded table passes: unknown units,
missing frames, values other than 0/1, a frame with one class or with fewer
than ten positives each end in one :class:`~framing.base.errors.CodedDataError`
naming the column and the rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from framing.base.errors import ArgumentError, CodedDataError, check_option
from framing.base.resample import bootstrap_weights
from framing.corpus.model import Corpus
from framing.measures.frames.codebook import Codebook, load_codebook
from framing.measures.frames.matching import detect_frames
from framing.measures.frames.stance import STANCES
from framing.text.preprocess import Preprocessor
from framing.text.tokens import Tokens, tokens

__all__ = ["FrameClassifier", "cross_validate_frames", "check_coded", "MIN_POSITIVES", "unit_frame_table"]

#: Fewest coded positives a frame needs before a model is fitted to it.
MIN_POSITIVES = 10
_UNITS = ("paragraph", "sentence", "document")
_ID_COLUMNS = {"unit_id", "doc_id", "split", "coder", "notes", "group", "text"}
_SUFFIXES = ("_stance", "_side", "_agreement", "_proba")


def _rows(mask: np.ndarray, ids: Sequence[Any], limit: int = 5) -> str:
    """``rows 3, 8 (unit ids 'a', 'b')``: 1-based data rows, as a spreadsheet shows them under the header."""
    idx = np.flatnonzero(mask)
    shown = ", ".join(str(i + 2) for i in idx[:limit])
    names = ", ".join(repr(str(ids[i])) for i in idx[:limit])
    more = f" and {len(idx) - limit} more" if len(idx) > limit else ""
    return f"row{'s' if len(idx) > 1 else ''} {shown}{more} (unit_id {names})"


def _frame_columns(coded: pd.DataFrame) -> list[str]:
    """Every column other than ids, free text and per-frame labels (``*_stance``, ``*_side`` …)."""
    return [c for c in coded.columns if c not in _ID_COLUMNS and not str(c).endswith(_SUFFIXES)]


def check_coded(
    coded: Any,
    unit_ids: Sequence[str],
    frames: Sequence[str] | None = None,
    *,
    unit: str = "paragraph",
    min_positives: int = MIN_POSITIVES,
    what: str = "coded",
) -> tuple[pd.DataFrame, list[str]]:
    """The coded table checked against the corpus' units: ``(table, frames)``.

    Empty cells (a tie between coders, a unit not coded for a frame) are
    allowed and left out of that frame; every other problem is reported at
    once, each naming the column and the rows.

    Raises
    ------
    CodedDataError
    """
    check_option("unit", unit, _UNITS)
    if not isinstance(coded, pd.DataFrame):
        raise CodedDataError(f"{what}: expected a table (pandas DataFrame) with unit_id and 0/1 frame columns, "
                             f"got {type(coded).__name__}")
    key = "unit_id" if "unit_id" in coded.columns or unit != "document" else "doc_id"
    if key not in coded.columns:
        raise CodedDataError(f"{what}: no 'unit_id' column; columns are {', '.join(map(str, coded.columns))}")
    table = coded.reset_index(drop=True).copy()
    table["unit_id"] = table[key].astype(str)
    ids = table["unit_id"].tolist()
    problems: list[str] = []
    known = set(unit_ids)
    unknown = ~table["unit_id"].isin(known).to_numpy()
    if unknown.any():
        problems.append(f"{what}: column {key!r}: {_rows(unknown, ids)} name no {unit} of this corpus "
                        f"(ids look like {next(iter(unit_ids), '')!r})")
    dup = table["unit_id"].duplicated(keep=False).to_numpy()
    if dup.any():
        problems.append(f"{what}: column {key!r}: {_rows(dup, ids)} code the same unit more than once")
    if frames is None:
        frames = _frame_columns(table)
        if not frames:
            problems.append(f"{what}: no frame column (one column of 0/1 per frame) among {', '.join(map(str, coded.columns))}")
    frames = list(frames)
    for f in frames:
        if f not in table.columns:
            problems.append(f"{what}: no column {f!r} for frame {f!r}; columns are {', '.join(map(str, coded.columns))}")
            continue
        raw = table[f]
        values = pd.to_numeric(raw, errors="coerce")
        bad = (raw.notna() & ~values.isin([0, 1])).to_numpy()
        if bad.any():
            shown = ", ".join(repr(v) for v in pd.unique(raw[bad])[:3])
            problems.append(f"{what}: column {f!r}: {_rows(bad, ids)} hold {shown}; codes must be 0 or 1 (empty: not coded)")
            continue
        n1, n0 = int((values == 1).sum()), int((values == 0).sum())
        if n1 == 0 or n0 == 0:
            problems.append(f"{what}: column {f!r}: every coded unit is {1 if n1 else 0}; a model needs units of both classes")
        elif n1 < min_positives:
            problems.append(f"{what}: column {f!r}: {n1} positive unit{'s' if n1 != 1 else ''}; at least "
                            f"{min_positives} are needed to learn and score a frame")
        table[f] = values.astype("Float64")
    if problems:
        raise CodedDataError(problems)
    return table, frames


def _unit_terms(toks: Tokens, unit: str) -> tuple[list[str], list[list[str]], list[str]]:
    """``(unit ids, terms per unit, doc id per unit)`` in the order of ``corpus.units(unit)``."""
    units = toks.corpus.units(unit)
    if unit == "paragraph":
        terms = [[t for t, _, _ in spans] for _, _, spans in toks.paragraphs()]
    elif unit == "sentence":
        terms = [[t for t, _, _ in spans] for spans in toks.sentences()]
    else:
        terms = [[t for t, _, _ in spans] for _, spans in toks.documents()]
    return units["unit_id"].astype(str).tolist(), terms, units["doc_id"].astype(str).tolist()


def unit_frame_table(result: Any, unit: str = "paragraph", *, stance: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Dictionary hits per unit and frame (``unit_id`` × frames), optionally of some stances only."""
    check_option("unit", unit, _UNITS)
    ev = result.evidence
    if stance is not None:
        ev = ev[ev["stance"].isin([stance] if isinstance(stance, str) else list(stance))]
    key = {"paragraph": "unit_id", "sentence": "sentence_id", "document": "doc_id"}[unit]
    counts = ev.groupby([key, "frame"]).size().unstack(fill_value=0)
    if unit == "paragraph":
        index = result.units["unit_id"]
    elif unit == "sentence":
        index = result.sentences["sentence_id"]
    else:
        index = pd.Index(pd.unique(result.units["doc_id"]))
    return counts.reindex(index=index, columns=result.codebook.frame_ids, fill_value=0)


class FrameClassifier:
    """One logistic regression per frame, learned from coded units.

    Parameters
    ----------
    frames : sequence of str or None
        The frames to learn; None: every column of the coded table other
        than ``unit_id, doc_id, split, coder, notes, group, text`` and the
        per-frame labels ``*_stance, *_side, *_agreement, *_proba``.
    codebook : Codebook, str or None
        A codebook whose indicator hits (per frame, and per frame and
        stance) join the features; None: words only.
    random_state : int or None
        Seed of the solver (liblinear), for repeatable fits.
    pre : Preprocessor or None
        The analysis token stream for the tf-idf features; None: the
        default :class:`~framing.Preprocessor` (lemmas, stopwords removed).
    C : float, default=1.0
        Inverse regularisation strength of each regression.
    threshold : float, default=0.5
        Probability above which a unit is predicted to carry a frame.
    codebook_weight : float, default=1.0
        Scale of the codebook features against the tf-idf ones (larger:
        the dictionary counts for more before regularisation).

    Attributes
    ----------
    frames_ : list of str
    models_ : dict
        Frame -> fitted :class:`sklearn.linear_model.LogisticRegression`.
    vectorizer_ : sklearn.feature_extraction.text.TfidfVectorizer

    Examples
    --------
    >>> clf = FrameClassifier(codebook="default", random_state=0)      # doctest: +SKIP
    >>> clf.fit(corpus, coded).predict(corpus).head()                   # doctest: +SKIP
    """

    def __init__(self, frames: Sequence[str] | None = None, codebook: Codebook | str | None = None,
                 random_state: int | None = None, *, pre: Preprocessor | None = None, C: float = 1.0,
                 threshold: float = 0.5, codebook_weight: float = 1.0) -> None:
        self.frames = None if frames is None else list(frames)
        self.codebook = codebook
        self.random_state = random_state
        self.pre = pre
        self.C = C
        self.threshold = threshold
        self.codebook_weight = codebook_weight

    def __repr__(self) -> str:
        cb = self.codebook if isinstance(self.codebook, (str, type(None))) else self.codebook.version_id
        return f"FrameClassifier(frames={self.frames!r}, codebook={cb!r}, random_state={self.random_state!r})"

    # -- features ------------------------------------------------------------------------
    def _codebook(self) -> Codebook | None:
        if self.codebook is None or isinstance(self.codebook, Codebook):
            return self.codebook
        return load_codebook(self.codebook)

    def _features(self, corpus: Corpus, unit: str, fit: bool) -> tuple[Any, list[str], list[str]]:
        from sklearn.feature_extraction.text import TfidfVectorizer

        if not isinstance(corpus, Corpus):
            raise ArgumentError(f"expected a framing Corpus, got {type(corpus).__name__}")
        pre = self.pre if self.pre is not None else Preprocessor()
        ids, terms, docs = _unit_terms(tokens(corpus, pre), unit)
        if fit:
            self.vectorizer_ = TfidfVectorizer(analyzer=_grams, sublinear_tf=True, min_df=1)
            words = self.vectorizer_.fit_transform(terms)
        else:
            words = self.vectorizer_.transform(terms)
        blocks = [words]
        codebook = self._codebook()
        if codebook is not None:
            result = detect_frames(corpus, codebook)
            parts = [unit_frame_table(result, unit).reindex(ids, fill_value=0).to_numpy(dtype=float)]
            for st in STANCES:
                parts.append(unit_frame_table(result, unit, stance=st).reindex(ids, fill_value=0).to_numpy(dtype=float))
            blocks.append(sparse.csr_matrix(self.codebook_weight * np.log1p(np.hstack(parts))))
        return sparse.hstack(blocks).tocsr(), ids, docs

    # -- fitting ---------------------------------------------------------------------------
    def fit(self, corpus: Corpus, coded: pd.DataFrame, unit: str = "paragraph") -> FrameClassifier:
        """Learn every frame from the coded units of ``corpus``.

        ``coded``: ``unit_id`` as in ``corpus.units(unit)`` (``doc_id`` for
        ``unit='document'``) and one 0/1 column per frame; empty cells are
        left out of that frame.
        """
        from sklearn.linear_model import LogisticRegression

        check_option("unit", unit, _UNITS)
        X, ids, _ = self._features(corpus, unit, fit=True)
        table, frames = check_coded(coded, ids, self.frames, unit=unit)
        row = {u: i for i, u in enumerate(ids)}
        self.frames_ = frames
        self.unit_ = unit
        self.models_ = {}
        for f in frames:
            known = table[f].notna().to_numpy()
            idx = [row[u] for u in table.loc[known, "unit_id"]]
            y = table.loc[known, f].astype(int).to_numpy()
            model = LogisticRegression(C=self.C, class_weight="balanced", solver="liblinear",
                                       random_state=self.random_state, max_iter=1000)
            self.models_[f] = model.fit(X[idx], y)
        return self

    def predict_proba(self, corpus: Corpus, unit: str | None = None) -> pd.DataFrame:
        """``unit_id`` and one ``<frame>_proba`` column per frame."""
        if not hasattr(self, "models_"):
            raise ArgumentError("this FrameClassifier is not fitted yet; call .fit(corpus, coded) first")
        unit = self.unit_ if unit is None else unit
        X, ids, _ = self._features(corpus, unit, fit=False)
        out = pd.DataFrame({"unit_id": ids})
        for f in self.frames_:
            out[f"{f}_proba"] = self.models_[f].predict_proba(X)[:, 1]
        return out

    def predict(self, corpus: Corpus, unit: str | None = None) -> pd.DataFrame:
        """``unit_id``, one 0/1 column per frame and a ``<frame>_proba`` column each."""
        proba = self.predict_proba(corpus, unit)
        out = proba[["unit_id"]].copy()
        for f in self.frames_:
            out[f] = (proba[f"{f}_proba"] >= self.threshold).astype(int)
        for f in self.frames_:
            out[f"{f}_proba"] = proba[f"{f}_proba"]
        return out

    def top_features(self, frame: str, n: int = 15) -> pd.DataFrame:
        """The features with the largest weights for ``frame``: what the model learned, to read and argue with."""
        if not hasattr(self, "models_") or frame not in self.models_:
            raise ArgumentError(f"no fitted model for frame {frame!r}")
        names = list(self.vectorizer_.get_feature_names_out())
        codebook = self._codebook()
        if codebook is not None:
            names += [f"[codebook] {f}" for f in codebook.frame_ids]
            names += [f"[codebook] {f} ({st})" for st in STANCES for f in codebook.frame_ids]
        w = self.models_[frame].coef_[0]
        order = np.argsort(-w)[:n]
        return pd.DataFrame({"feature": [names[i] for i in order], "weight": w[order]})


def _grams(terms: list[str]) -> list[str]:
    """Unigrams and bigrams of a unit's terms (the tf-idf analyzer)."""
    return [*terms, *(f"{a} {b}" for a, b in zip(terms, terms[1:]))]


def _scores(t: np.ndarray, p: np.ndarray, w: np.ndarray | None = None) -> tuple[float, float, float]:
    w = np.ones(len(t)) if w is None else w
    tp, fp, fn = float(w[t & p].sum()), float(w[~t & p].sum()), float(w[t & ~p].sum())
    precision = tp / (tp + fp) if tp + fp else np.nan
    recall = tp / (tp + fn) if tp + fn else np.nan
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else np.nan
    return precision, recall, f1


def cross_validate_frames(
    corpus: Corpus,
    coded: pd.DataFrame,
    frames: Sequence[str] | None = None,
    codebook: Codebook | str | None = "default",
    *,
    unit: str = "paragraph",
    n_splits: int = 5,
    random_state: int | None = 0,
    n_boot: int = 1000,
    confidence: float = 0.95,
    headings: bool = False,
    **classifier: Any,
) -> pd.DataFrame:
    """Precision, recall and F1 of the classifier and the dictionary on units they did not learn from.

    Folds are grouped by document (a document's units never sit on both
    sides); with fewer documents than ``n_splits`` every document is its own
    fold. Predictions of all folds are pooled; intervals come from a
    bootstrap over documents. Coded titles, headings and deks are left out
    of training and scoring unless ``headings=True``, as :func:`detect_frames`
    leaves them out of the measure.

    Returns
    -------
    pandas.DataFrame
        ``frame, method`` (``classifier`` or ``dictionary``: at least one
        hit), ``units, positives, documents, folds, precision, recall, f1``
        and ``precision_low`` … ``f1_high``.
    """
    from sklearn.model_selection import GroupKFold

    check_option("unit", unit, _UNITS)
    if not isinstance(corpus, Corpus):
        raise ArgumentError(f"expected a framing Corpus, got {type(corpus).__name__}")
    units = corpus.units(unit)
    ids = units["unit_id"].astype(str).tolist()
    table, frames = check_coded(coded, ids, frames, unit=unit)
    if not headings and "is_heading" in units.columns:
        apparatus = set(units.loc[units["is_heading"].to_numpy(dtype=bool), "unit_id"].astype(str))
        table = table[~table["unit_id"].isin(apparatus)].reset_index(drop=True)
    doc_of = dict(zip(ids, units["doc_id"].astype(str)))
    table["doc_id"] = table["unit_id"].map(doc_of)
    docs = pd.unique(table["doc_id"])
    k = min(n_splits, len(docs))
    if k < 2:
        raise CodedDataError("cross_validate_frames: the coded units come from one document; folds grouped by "
                             "document need at least two")
    folds = list(GroupKFold(n_splits=k).split(table, groups=table["doc_id"]))
    pred = {f: np.full(len(table), np.nan) for f in frames}
    for train, test in folds:
        part = table[["unit_id", *frames]].copy()
        part.loc[part.index[test], frames] = pd.NA
        usable = [f for f in frames if (part[f] == 1).sum() >= MIN_POSITIVES and (part[f] == 0).any()]
        if not usable:  # no frame can be learned without this fold's documents
            continue
        clf = FrameClassifier(usable, codebook, random_state, **classifier).fit(corpus, part, unit=unit)
        got = clf.predict(corpus, unit).set_index("unit_id")
        test_ids = table["unit_id"].iloc[test]
        for f in usable:
            pred[f][test] = got.loc[test_ids, f].to_numpy()
    dictionary = None
    if codebook is not None:
        cb = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
        hits = unit_frame_table(detect_frames(corpus, cb), unit)
        dictionary = hits.reindex(table["unit_id"], fill_value=0)
    rng = np.random.default_rng(random_state)
    doc_index = pd.Index(docs)
    weights = bootstrap_weights(rng, len(docs), n_boot)
    rows = []
    for f in frames:
        known = table[f].notna().to_numpy()
        truth = table[f].to_numpy(dtype=float) == 1
        methods = {"classifier": pred[f]}
        if dictionary is not None and f in dictionary.columns:
            methods["dictionary"] = (dictionary[f].to_numpy() > 0).astype(float)
        for method, p in methods.items():
            keep = known & ~np.isnan(p)
            t, q = truth[keep], p[keep] == 1
            di = doc_index.get_indexer(table["doc_id"].to_numpy()[keep])
            point = _scores(t, q)
            reps = np.array([_scores(t, q, w[di]) for w in weights])
            tail = (1 - confidence) / 2
            lo, hi = np.nanquantile(reps, [tail, 1 - tail], axis=0) if len(reps) else (np.full(3, np.nan),) * 2
            rows.append({
                "frame": f, "method": method, "units": int(keep.sum()), "positives": int(t.sum()),
                "documents": int(len(np.unique(di))), "folds": k,
                "precision": point[0], "recall": point[1], "f1": point[2],
                "precision_low": lo[0], "precision_high": hi[0], "recall_low": lo[1], "recall_high": hi[1],
                "f1_low": lo[2], "f1_high": hi[2],
            })
    return pd.DataFrame(rows)
