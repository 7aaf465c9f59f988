"""Where each source points its subject: place mentions, blocs and partners.

Countries come from pycountry (ISO 3166, offline), extended by a gazetteer of
the names these texts use (``framing/data/places/gazetteer.yaml``), and each
place belongs to a bloc (``framing/data/places/blocs.yaml``: mainland China,
the Global South as the G77, the West, multilateral bodies, other). Both are
data: pass your own files to change them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from framing.base.datafile import read_text, read_yaml, sha256_text
from framing.base.deprecation import warn_once
from framing.base.errors import ArgumentError, check_option
from framing.base.ids import paragraph_id
from framing.base.patterns import straighten, trie_regex
from framing.base.resample import bootstrap_weights
from framing.corpus.model import Corpus
from framing.text.tokens import Tokens

__all__ = ["Gazetteer", "load_gazetteer", "places", "orientation", "partners", "MENTION_COLUMNS"]

MENTION_COLUMNS = [
    "doc_id", "group", "unit_id", "sentence_id", "place", "kind", "country", "bloc", "matched", "start", "end",
    "subject_in_sentence",
]
Scope = Literal["sentence_with_subject", "all"]
_SCOPES = ("sentence_with_subject", "all")
BLOCS = ("mainland_china", "global_south", "west", "multilateral", "other")


@dataclass(frozen=True)
class Entry:
    """A name and what it refers to."""

    name: str
    place: str
    kind: str  # country | city | region | body
    country: str | None
    bloc: str
    ambiguous: bool = False


class Gazetteer:
    """Names of places with their kind, country and bloc, compiled for matching."""

    def __init__(self, entries: Sequence[Entry], *, source: str, sha256: str) -> None:
        self.entries = {e.name: e for e in entries}
        self.source = source
        self.sha256 = sha256
        self.regex = re.compile(trie_regex((), list(self.entries)), re.IGNORECASE)

    def __len__(self) -> int:
        return len(self.entries)

    def find(self, text: str) -> list[tuple[Entry, int, int]]:
        """Place mentions in a text: (entry, start, end), ambiguity resolved."""
        t = straighten(text)
        out = []
        for m in self.regex.finditer(t):
            name = m.group()
            end = m.end()
            if name not in self.entries and name.endswith(("'s", "'S")):
                name, end = name[:-2], end - 2
            entry = self.entries.get(name)
            if entry is None:
                continue
            if entry.ambiguous and _looks_like_a_name(t, m.start(), end):
                continue
            out.append((entry, m.start(), end))
        return out


_CAP_WORD_BEFORE = re.compile(r"([A-Z][a-z]+)\s+$")
_CAP_WORD_AFTER = re.compile(r"^\s+([A-Z][a-z]+)")
_FUNCTION_WORDS = frozenset("The A An In To From With And Of For On At By As Or But Including Both".split())


def _looks_like_a_name(text: str, start: int, end: int) -> bool:
    """True when a capitalised word stands right before or after (a person's name:
    "Michael Jordan", "Chad Smith"); function words ("In Jordan") do not count."""
    before = _CAP_WORD_BEFORE.search(text[max(0, start - 30):start])
    if before and before.group(1) not in _FUNCTION_WORDS:
        return True
    after = _CAP_WORD_AFTER.search(text[end:end + 30])
    return bool(after and after.group(1) not in _FUNCTION_WORDS)


def _read_file(path: str | Path, default: str) -> tuple[str, str]:
    if str(path) == "default":
        return f"framing/data/places/{default}", resources.files("framing.data").joinpath(f"places/{default}").read_text("utf-8")
    return str(path), read_text(path, error=ArgumentError, missing="file not found")


def _parse(label: str, text: str) -> tuple[Any, str]:
    data, _ = read_yaml(text, error=ArgumentError, label=label)
    if not isinstance(data, dict):
        raise ArgumentError(f"{label}: must be a mapping")
    return data, sha256_text(text)


def load_gazetteer(gazetteer: str = "default", blocs: str = "default") -> Gazetteer:
    """Countries (pycountry) plus the gazetteer file, classified by the bloc file.

    The files are read at every call and the compiled gazetteer is reused
    only for the same file contents, so an edited file takes effect at once.

    Parameters
    ----------
    gazetteer, blocs : str
        Paths, or ``'default'`` for the bundled files.
    """
    return _compile_gazetteer(*_read_file(gazetteer, "gazetteer.yaml"), *_read_file(blocs, "blocs.yaml"))


@lru_cache(maxsize=8)
def _compile_gazetteer(glabel: str, gtext: str, blabel: str, btext: str) -> Gazetteer:
    """The gazetteer compiled from the files' contents (the cache key is the contents)."""
    import pycountry

    g, gsha = _parse(glabel, gtext)
    b, bsha = _parse(blabel, btext)
    bloc_of: dict[str, str] = {}
    for bloc, codes in (b.get("blocs") or {}).items():
        for code in codes or []:
            if str(code) in bloc_of:
                raise ArgumentError(f"{blabel}: country {code} is in two blocs ({bloc_of[str(code)]} and {bloc})")
            bloc_of[str(code)] = str(bloc)
    default = str(b.get("default") or "other")
    ambiguous = set(g.get("ambiguous") or [])
    entries: dict[str, Entry] = {}

    def add(name: str, place: str, kind: str, country: str | None, bloc: str) -> None:
        name = str(name).strip()
        if name and name not in entries:
            entries[name] = Entry(name, place, kind, country, bloc, name in ambiguous)

    names_of: dict[str, str] = {}
    for c in pycountry.countries:
        display = getattr(c, "common_name", None) or c.name
        names_of[c.alpha_3] = display
    city_states = {str(c) for c in g.get("city_states") or []}  # named like cities, counted as places of their own
    for code, names in (g.get("countries") or {}).items():
        if code not in names_of:
            raise ArgumentError(f"{glabel}: countries: {code!r} is not an ISO 3166 alpha-3 code")
        for name in names or []:
            add(name, names_of[code], "city" if code in city_states else "country", code, bloc_of.get(code, default))
    for c in pycountry.countries:
        bloc = bloc_of.get(c.alpha_3, default)
        kind = "city" if c.alpha_3 in city_states else "country"
        for name in (getattr(c, "common_name", None), c.name, getattr(c, "official_name", None)):
            if name and "," not in name:
                add(name, names_of[c.alpha_3], kind, c.alpha_3, bloc)
    for city, code in (g.get("cities") or {}).items():
        if code not in names_of:
            raise ArgumentError(f"{glabel}: cities: {city!r} names unknown country {code!r}")
        add(city, str(city), "city", code, bloc_of.get(code, default))
    for kind, key in (("region", "regions"), ("body", "bodies")):
        for name, bloc in (g.get(key) or {}).items():
            add(name, str(name), kind, None, str(bloc))
    # one display name for region variants
    canon = {"South-east Asia": "Southeast Asia", "Asia Pacific": "Asia-Pacific", "West": "the West", "Asean": "ASEAN",
             "International Organization for Mediation": "IOMed", "United Nations": "UN", "World Trade Organization": "WTO",
             "International Civil Aviation Organization": "ICAO", "European Union": "EU", "Belt and Road countries": "B&R countries",
             "Gulf states": "Gulf", "Western countries": "the West", "Western governments": "the West",
             "Western nations": "the West", "Western powers": "the West", "Western markets": "the West"}
    for name, target in canon.items():
        if name in entries and target in entries:
            e = entries[name]
            entries[name] = Entry(e.name, entries[target].place, e.kind, e.country, e.bloc, e.ambiguous)
    return Gazetteer(list(entries.values()), source=f"{glabel} + {blabel}", sha256=(gsha + bsha)[:16])


def _subject_set(subject: str | Sequence[str] | None) -> frozenset[str]:
    if subject is None:
        return frozenset()
    values = [subject] if isinstance(subject, str) else list(subject)
    bad = [v for v in values if not isinstance(v, str) or not v.strip()]
    if bad:
        raise ArgumentError(f"subject: {bad[0]!r} is not a place name or country code")
    return frozenset(v.strip() for v in values)


def _is_subject(e: Entry, subject: frozenset[str]) -> bool:
    return bool(subject) and (e.country in subject or e.place in subject or e.name in subject)


def places(
    corpus: Corpus | Tokens,
    *,
    gazetteer: str = "default",
    blocs: str = "default",
    subject: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Every mention of a place, sentence by sentence.

    Parameters
    ----------
    corpus : Corpus or Tokens
        Places are found in the clean text, so only the corpus of a
        ``Tokens`` is used.
    gazetteer, blocs : str
        Data files (``'default'``: the bundled ones).
    subject : str, list of str or None, default=None
        The place the study is about: an ISO alpha-3 code (``'HKG'``), a
        place's display name or a name as written, or a list of them. Its
        mentions get bloc ``self`` and mark sentences as speaking of it.

    Returns
    -------
    pandas.DataFrame
        :data:`MENTION_COLUMNS`, then the document metadata: one row per
        mention with ``place`` (display name), ``kind`` (country, city,
        region, body), ``country`` (ISO alpha-3 for countries and cities),
        ``bloc``, the text ``matched`` and its offsets ``start``/``end`` in
        the document's clean text; ``group`` is the corpus' grouping value;
        ``subject_in_sentence`` whether the subject is named in the same
        sentence.
    """
    if isinstance(corpus, Tokens):
        corpus = corpus.corpus
    if not isinstance(corpus, Corpus):
        raise ArgumentError(f"places expects a framing Corpus or Tokens, got {type(corpus).__name__}")
    gaz = load_gazetteer(str(gazetteer), str(blocs))
    wanted = _subject_set(subject)
    sents = corpus.units("sentence")
    group = corpus.group_by
    rows = []
    for r in sents.itertuples():
        found = gaz.find(r.text)
        if not found:
            continue
        has_subject = any(_is_subject(e, wanted) for e, _, _ in found)
        gval = getattr(r, group) if group else None
        unit_id = paragraph_id(r.doc_id, r.paragraph)
        for e, a, b in found:
            bloc = "self" if _is_subject(e, wanted) and e.kind in ("country", "city") else e.bloc
            rows.append((r.doc_id, gval, unit_id, r.unit_id, e.place, e.kind, e.country, bloc,
                         r.text[a:b], int(r.start) + a, int(r.start) + b, has_subject))
    out = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    meta = corpus.meta
    extra = [c for c in meta.columns if c not in out.columns]
    return out.merge(meta[["doc_id", *extra]], on="doc_id", how="left", validate="many_to_one")


def _scope(scope: str) -> str:
    if scope == "sentence_with_hong_kong":
        warn_once("scope=sentence_with_hong_kong", "scope='sentence_with_hong_kong' is deprecated; use 'sentence_with_subject'")
        return "sentence_with_subject"
    check_option("scope", scope, _SCOPES)
    return scope


def _in_scope(mentions: pd.DataFrame, scope: str) -> pd.DataFrame:
    m = mentions[mentions["bloc"] != "self"]
    if scope == "sentence_with_subject":
        m = m[m["subject_in_sentence"]]
    return m


def orientation(
    mentions: pd.DataFrame,
    by: str | None = None,
    *,
    scope: Scope = "sentence_with_subject",
    n_boot: int = 1000,
    confidence: float = 0.95,
    random_state: int | None = 0,
) -> pd.DataFrame:
    """Each bloc's share of a group's place mentions, with bootstrap intervals.

    Mentions of the subject itself (bloc ``self``) are left out. Intervals
    come from resampling paragraphs within the group.

    Parameters
    ----------
    mentions : pandas.DataFrame
        :func:`places` output.
    by : str or None
        A column of the mentions table (any document metadata); None: the
        corpus' own grouping (``group``).
    scope : {'sentence_with_subject', 'all'}, default='sentence_with_subject'
        Count only mentions in sentences that also name the subject, or all.

    Returns
    -------
    pandas.DataFrame
        ``group, bloc, mentions, share, low, high, total, units, docs,
        single_document, scope``: one row per group and bloc (all blocs, zero
        counts included).
    """
    scope = _scope(scope)
    by = "group" if by is None else by
    if by not in mentions.columns:
        raise ArgumentError(f"by={by!r} is not a column of the mentions table; columns are {', '.join(mentions.columns)}")
    m = _in_scope(mentions, scope)
    blocs = [b for b in BLOCS if b in set(m["bloc"])] + sorted(set(m["bloc"]) - set(BLOCS))
    blocs = blocs or list(BLOCS)
    rng = np.random.default_rng(random_state)
    tail = (1 - confidence) / 2
    rows = []
    for g, gm in m.groupby(by, sort=False):
        units = list(dict.fromkeys(gm["unit_id"]))
        counts = gm.groupby(["unit_id", "bloc"]).size().unstack(fill_value=0).reindex(index=units, columns=blocs, fill_value=0)
        c = counts.to_numpy(dtype=float)
        total = c.sum()
        reps = bootstrap_weights(rng, len(units), n_boot) @ c
        reps = reps / np.maximum(reps.sum(1, keepdims=True), 1e-300)
        lo, hi = np.quantile(reps, [tail, 1 - tail], axis=0)
        docs = gm["doc_id"].nunique()
        for bi, bloc in enumerate(blocs):
            rows.append((g, bloc, int(c[:, bi].sum()), float(c[:, bi].sum() / total) if total else np.nan,
                         float(lo[bi]), float(hi[bi]), int(total), len(units), int(docs)))
    out = pd.DataFrame(rows, columns=["group", "bloc", "mentions", "share", "low", "high", "total", "units", "docs"])
    out["single_document"] = out["docs"] == 1
    out["scope"] = scope
    return out


def partners(
    mentions: pd.DataFrame,
    by: str | None = None,
    *,
    n: int = 10,
    scope: Scope = "sentence_with_subject",
    level: Literal["place", "country"] = "place",
) -> pd.DataFrame:
    """The places most named together with the subject in each group.

    Parameters
    ----------
    by : str or None
        A column of the mentions table; None: the corpus' own grouping (``group``).
    scope : {'sentence_with_subject', 'all'}, default='sentence_with_subject'
        Count only mentions in sentences that also name the subject, or all.
    level : {'place', 'country'}, default='place'
        ``'country'`` folds cities into their country (Riyadh into Saudi
        Arabia, Beijing into China); regions and bodies stay as they are.

    Returns
    -------
    pandas.DataFrame
        ``group, rank, place, kind, bloc, mentions, share`` (``share`` of the
        group's mentions in scope, the subject left out).
    """
    scope = _scope(scope)
    check_option("level", level, ("place", "country"))
    by = "group" if by is None else by
    if by not in mentions.columns:
        raise ArgumentError(f"by={by!r} is not a column of the mentions table; columns are {', '.join(mentions.columns)}")
    m = _in_scope(mentions, scope)
    if level == "country":
        import pycountry

        def name(code: str) -> str:
            c = pycountry.countries.get(alpha_3=code)
            return (getattr(c, "common_name", None) or c.name) if c else code

        is_city = m["kind"] == "city"
        m = m.assign(place=np.where(is_city, m["country"].map(lambda c: name(c) if isinstance(c, str) else c), m["place"]),
                     kind=np.where(is_city, "country", m["kind"]))
    rows = []
    for g, gm in m.groupby(by, sort=False):
        counts = gm.groupby(["place", "kind", "bloc"]).size().reset_index(name="mentions")
        counts = counts.sort_values(["mentions", "place"], ascending=[False, True]).head(n)
        total = len(gm)
        for r, row in enumerate(counts.itertuples(), 1):
            rows.append((g, r, row.place, row.kind, row.bloc, int(row.mentions), row.mentions / total))
    return pd.DataFrame(rows, columns=["group", "rank", "place", "kind", "bloc", "mentions", "share"])
