"""Where each source points Hong Kong: place mentions, blocs and partners.

Countries come from pycountry (ISO 3166, offline), extended by a gazetteer of
the names these texts use (``framing/data/places/gazetteer.yaml``), and each
place belongs to a bloc (``framing/data/places/blocs.yaml``: mainland China,
the Global South as the G77, the West, multilateral bodies, other). Both are
data: pass your own files to change them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from ._yaml import YamlProblem, load_yaml
from .errors import ArgumentError, check_option

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import Corpus

__all__ = ["Gazetteer", "load_gazetteer", "places", "orientation", "partners", "MENTION_COLUMNS"]

MENTION_COLUMNS = [
    "doc_id", "group", "unit_id", "sentence_id", "place", "kind", "country", "bloc", "matched", "start", "end",
    "hong_kong_in_sentence",
]
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
        from .preprocess import Vocabulary, _trie_regex

        vocab = Vocabulary((), tuple((name, "x") for name in self.entries), (), "", "")
        self.regex = re.compile(_trie_regex(vocab), re.IGNORECASE)

    def __len__(self) -> int:
        return len(self.entries)

    def find(self, text: str) -> list[tuple[Entry, int, int]]:
        """Place mentions in a text: (entry, start, end), ambiguity resolved."""
        from .preprocess import _typography

        t = _typography(text)
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


def _read_yaml(path: str | Path, default: str) -> tuple[str, Any, str]:
    if str(path) == "default":
        text = resources.files("framing.data").joinpath(f"places/{default}").read_text("utf-8")
        label = f"framing/data/places/{default}"
    else:
        label = str(path)
        try:
            text = Path(path).read_text("utf-8")
        except FileNotFoundError:
            raise ArgumentError(f"{label}: file not found") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ArgumentError(f"{label}: cannot be read as UTF-8 text ({exc})") from None
    try:
        data, _ = load_yaml(text)
    except YamlProblem as exc:
        raise ArgumentError(f"{label}:{exc.line or 1}: not valid YAML: {exc.message}") from None
    if not isinstance(data, dict):
        raise ArgumentError(f"{label}: must be a mapping")
    return label, data, hashlib.sha256(text.encode()).hexdigest()


@lru_cache(maxsize=8)
def load_gazetteer(gazetteer: str = "default", blocs: str = "default") -> Gazetteer:
    """Countries (pycountry) plus the gazetteer file, classified by the bloc file.

    Parameters
    ----------
    gazetteer, blocs : str
        Paths, or ``'default'`` for the bundled files.
    """
    import pycountry

    glabel, g, gsha = _read_yaml(gazetteer, "gazetteer.yaml")
    blabel, b, bsha = _read_yaml(blocs, "blocs.yaml")
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
    city_states = {"HKG", "MAC", "SGP"}  # named like cities, counted as places of their own
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


def places(
    corpus: Corpus,
    *,
    gazetteer: str = "default",
    blocs: str = "default",
    subject: str = "HKG",
) -> pd.DataFrame:
    """Every mention of a place, sentence by sentence.

    Parameters
    ----------
    corpus : Corpus
    gazetteer, blocs : str
        Data files (``'default'``: the bundled ones).
    subject : str, default='HKG'
        The country code of the subject; its mentions get bloc ``self`` and
        mark sentences as speaking of it.

    Returns
    -------
    pandas.DataFrame
        :data:`MENTION_COLUMNS`: one row per mention with ``place`` (display
        name), ``kind`` (country, city, region, body), ``country`` (ISO
        alpha-3 for countries and cities), ``bloc``, the text ``matched`` and
        its offsets ``start``/``end`` in the document's clean text;
        ``group`` is the corpus' grouping value; ``hong_kong_in_sentence``
        whether the subject is named in the same sentence.
    """
    from .corpus import Corpus

    if not isinstance(corpus, Corpus):
        raise ArgumentError(f"places expects a framing Corpus, got {type(corpus).__name__}")
    gaz = load_gazetteer(str(gazetteer), str(blocs))
    sents = corpus.units("sentence")
    group = corpus.group_by
    rows = []
    for r in sents.itertuples():
        found = gaz.find(r.text)
        if not found:
            continue
        has_subject = any(e.country == subject for e, _, _ in found)
        gval = getattr(r, group) if group else None
        unit_id = f"{r.doc_id}/p{int(r.paragraph):03d}"
        for e, a, b in found:
            bloc = "self" if e.country == subject and e.kind in ("country", "city") else e.bloc
            rows.append((r.doc_id, gval, unit_id, r.unit_id, e.place, e.kind, e.country, bloc,
                         r.text[a:b], int(r.start) + a, int(r.start) + b, has_subject))
    return pd.DataFrame(rows, columns=MENTION_COLUMNS)


def orientation(
    mentions: pd.DataFrame,
    by: str = "group",
    *,
    scope: Literal["sentence_with_hong_kong", "all"] = "sentence_with_hong_kong",
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
    by : str, default='group'
        The grouping column of the mentions table.
    scope : {'sentence_with_hong_kong', 'all'}, default='sentence_with_hong_kong'
        Count only mentions in sentences that also name Hong Kong, or all.

    Returns
    -------
    pandas.DataFrame
        ``group, bloc, mentions, share, low, high, total, units, docs,
        single_document, scope``: one row per group and bloc (all blocs, zero
        counts included).
    """
    check_option("scope", scope, ("sentence_with_hong_kong", "all"))
    if by not in mentions.columns:
        raise ArgumentError(f"by={by!r} is not a column of the mentions table")
    m = mentions[mentions["bloc"] != "self"]
    if scope == "sentence_with_hong_kong":
        m = m[m["hong_kong_in_sentence"]]
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
        w = rng.multinomial(len(units), np.full(len(units), 1 / len(units)), size=n_boot).astype(float)
        reps = w @ c
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
    by: str = "group",
    *,
    n: int = 10,
    scope: Literal["sentence_with_hong_kong", "all"] = "sentence_with_hong_kong",
    level: Literal["place", "country"] = "place",
) -> pd.DataFrame:
    """The places most named together with Hong Kong in each group.

    Parameters
    ----------
    level : {'place', 'country'}, default='place'
        ``'country'`` folds cities into their country (Riyadh into Saudi
        Arabia, Beijing into China); regions and bodies stay as they are.

    Returns
    -------
    pandas.DataFrame
        ``group, rank, place, kind, bloc, mentions, share`` (``share`` of the
        group's mentions in scope, the subject left out).
    """
    check_option("scope", scope, ("sentence_with_hong_kong", "all"))
    check_option("level", level, ("place", "country"))
    m = mentions[mentions["bloc"] != "self"]
    if scope == "sentence_with_hong_kong":
        m = m[m["hong_kong_in_sentence"]]
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
