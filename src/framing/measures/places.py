"""Where each source points its subject: place mentions, blocs and partners.

Countries come from pycountry (ISO 3166, offline), extended by a gazetteer of
the names these texts use (``framing/data/places/gazetteer.yaml``), and each
place belongs to a bloc (``framing/data/places/blocs.yaml``: mainland China,
the Global South as the G77, the West, multilateral bodies, other). Terms
naming a category of countries ("the West", "developing countries") are
groupings, kept apart from places; a place standing for a government that
acts ("Beijing has imposed ...") is an actor, kept apart from the places a
text points to. All of it is data: pass your own files to change it.
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
import yaml

from framing.base.datafile import read_text, read_yaml, sha256_text
from framing.base.deprecation import warn_once
from framing.base.errors import ArgumentError, check_option
from framing.base.ids import paragraph_id
from framing.base.patterns import straighten, trie_regex
from framing.base.resample import dominance, percentile_interval, two_stage_weights
from framing.corpus.model import Corpus
from framing.text.tokens import Tokens

__all__ = ["Gazetteer", "load_gazetteer", "places", "orientation", "document_orientation", "partners",
           "MENTION_COLUMNS", "ORIENTATION_COLUMNS", "DOCUMENT_ORIENTATION_COLUMNS", "PARTNER_COLUMNS"]

MENTION_COLUMNS = [
    "doc_id", "group", "unit_id", "sentence_id", "place", "kind", "country", "bloc", "role", "names_bloc",
    "matched", "start", "end", "subject_in_sentence",
]
ORIENTATION_COLUMNS = [
    "group", "bloc", "mentions", "share", "low", "high", "total", "units", "docs", "single_document", "scope",
    "interval", "dominant_document", "dominant_share", "effective_docs", "share_loo_min", "share_loo_max", "actors",
]
DOCUMENT_ORIENTATION_COLUMNS = ["group", "doc_id", "bloc", "mentions", "share", "total"]
PARTNER_COLUMNS = ["group", "rank", "place", "kind", "bloc", "mentions", "share"]
Scope = Literal["sentence_with_subject", "all"]
_SCOPES = ("sentence_with_subject", "all")
Actors = Literal["exclude", "include"]
_ACTORS = ("exclude", "include")
Groupings = Literal["apart", "assign"]
_GROUPINGS = ("apart", "assign")
BLOCS = ("mainland_china", "global_south", "west", "multilateral", "other")
#: The bloc of a grouping term ("the West", "B&R countries") in the mentions table.
GROUPING = "grouping"
_SECTIONS = ("countries", "cities", "regions", "groupings", "bodies")
_ROLE_KEYS = ("adverbs", "modals", "verbs", "perfect", "progressive", "participles", "agency", "prepositions",
              "determiners", "compounds")


@dataclass(frozen=True)
class Entry:
    """A name and what it refers to."""

    name: str
    place: str
    kind: str  # country | city | region | grouping | body
    country: str | None
    bloc: str
    ambiguous: bool = False
    names_bloc: str = ""  # for a grouping: the bloc it names ("" if none)
    match_case: bool = True


def _fold(name: str) -> str:
    """A case-insensitive name's lookup key: lower case, one space between words."""
    return re.sub(r"[\s,\-\u2013]+", " ", name.lower()).strip()


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) or "(?!)"


class RoleRules:
    """The surface rule that tells an actor ("Beijing has imposed") from a place ("flights to Beijing").

    Built from the ``roles`` section of the gazetteer file, where the rule is
    written out with its reason: a mention is an actor when a verb or modal
    (after at most one adverb), a perfect or progressive form, a possessive
    with a noun of agency, or an agentive hyphen compound ("Beijing-backed")
    follows it, or when a past participle and "by" precede it ("sanctioned
    by Washington"). The verb clauses need the name to be a subject: a name
    governed by a preposition ("policy towards China has shifted") is not.
    """

    def __init__(self, words: dict[str, list[str]]) -> None:
        adv = rf"(?:(?:{_alternation(words['adverbs'])})\s+)?"
        end = r"(?![\w'-])"
        participle = rf"(?:[A-Za-z]+(?:ed|en)|{_alternation(words['participles'])})"
        self.verb = re.compile(
            rf"\s+{adv}(?:(?:{_alternation(words['verbs'])}){end}"
            rf"|(?:{_alternation(words['modals'])})(?!\s+{adv}(?:be|become){end})(?=\s+{adv}[A-Za-z]))"
        )
        self.perfect = re.compile(
            rf"\s+{adv}(?:{_alternation(words['perfect'])})\s+{adv}"
            rf"(?:been\s+{adv}[A-Za-z]+ing|(?!been\b){participle}){end}"
        )
        self.progressive = re.compile(
            rf"\s+{adv}(?:{_alternation(words['progressive'])})\s+{adv}(?![A-Za-z]*thing\b)[A-Za-z]+ing{end}"
        )
        self.possessive = re.compile(
            rf"'s?(?:\s+['\"]?[\w-]+['\"]?){{0,2}}\s+['\"]?(?:{_alternation(words['agency'])}){end}", re.IGNORECASE
        )
        self.compound = re.compile(rf"-(?:{_alternation(words['compounds'])}){end}", re.IGNORECASE)
        name = r"[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*)*"
        self.governed = re.compile(
            rf"(?<![\w'-])(?i:{_alternation(words['prepositions'])})\s+"
            rf"(?:(?i:{_alternation(words['determiners'])})\s+|\d[\d,.]*\s+)*(?:{name}\s+(?:and|or)\s+)*$"
        )
        self.by = re.compile(rf"(?<![\w'-]){participle}\s+by\s+(?:the\s+)?$", re.IGNORECASE)

    def role(self, text: str, start: int, end: int) -> str:
        """``'actor'`` or ``'place'`` for the name at ``text[start:end]`` (straightened text)."""
        after = text[end:end + 120]
        if after[:1] == "-" and after[1:2].isalpha():  # a hyphen compound: "Beijing-backed" acts, "UK-based" does not
            return "actor" if self.compound.match(after) else "place"
        if self.possessive.match(after):
            return "actor"
        before = text[max(0, start - 120):start]
        if any(rx.match(after) for rx in (self.verb, self.perfect, self.progressive)) and not self.governed.search(before):
            return "actor"
        return "actor" if self.by.search(text[max(0, start - 60):start]) else "place"


class Gazetteer:
    """Names of places with their kind, country and bloc, compiled for matching.

    Names of case-sensitive sections match as written; names of
    case-insensitive ones in any case and with a space or hyphen between
    words. Overlapping matches resolve leftmost first, then longest; a
    ``not_places`` phrase overlapping a match removes it.
    """

    def __init__(self, entries: Sequence[Entry], *, source: str, sha256: str, not_places: Sequence[str] = (),
                 roles: RoleRules | None = None) -> None:
        self.entries = {e.name: e for e in entries}
        self.source = source
        self.sha256 = sha256
        self.roles = roles
        exact = [e.name for e in self.entries.values() if e.match_case]
        self._folded: dict[str, Entry] = {}
        for e in self.entries.values():
            if not e.match_case:
                self._folded.setdefault(_fold(e.name), e)
        self.regex = re.compile(trie_regex((), exact), re.IGNORECASE) if exact else None
        # longer phrases first, so a phrase's trie branch is tried before its prefix's end ("Gulf states" before "Gulf")
        folded = sorted({e.name for e in self.entries.values() if not e.match_case}, key=len, reverse=True)
        self.folded_regex = re.compile(trie_regex(folded), re.IGNORECASE) if folded else None
        nots = sorted({str(p) for p in not_places}, key=len, reverse=True)
        self.not_regex = re.compile(trie_regex(nots), re.IGNORECASE) if nots else None

    def __len__(self) -> int:
        return len(self.entries)

    def _folded_entry(self, name: str) -> Entry | None:
        key = _fold(name)
        if key.endswith("'s"):
            key = key[:-2]
        entry = self._folded.get(key)
        if entry is None and key.endswith("s"):  # the optional plural of trie phrases
            entry = self._folded.get(key[:-1])
        return entry

    def find(self, text: str) -> list[tuple[Entry, int, int]]:
        """Place mentions in a text: (entry, start, end), ambiguity and overlaps resolved."""
        t = straighten(text)
        found: list[tuple[int, int, Entry]] = []
        if self.regex is not None:
            for m in self.regex.finditer(t):
                name, end = m.group(), m.end()
                if name not in self.entries and name.endswith(("'s", "'S")):
                    name, end = name[:-2], end - 2
                entry = self.entries.get(name)
                if entry is None or (entry.ambiguous and _looks_like_a_name(t, m.start(), end)):
                    continue
                found.append((m.start(), end, entry))
        if self.folded_regex is not None:
            for m in self.folded_regex.finditer(t):
                name, end = m.group(), m.end()
                if name.lower().endswith("'s"):
                    name, end = name[:-2], end - 2
                entry = self._folded_entry(name)
                if entry is not None:
                    found.append((m.start(), end, entry))
        found.sort(key=lambda f: (f[0], f[0] - f[1]))
        kept: list[tuple[int, int, Entry]] = []
        for f in found:
            if not kept or f[0] >= kept[-1][1]:
                kept.append(f)
        if self.not_regex is not None and kept:
            spans = [(m.start(), m.end()) for m in self.not_regex.finditer(t)]
            kept = [f for f in kept if not any(f[0] < b and a < f[1] for a, b in spans)]
        return [(entry, a, b) for a, b, entry in kept]

    def role(self, text: str, start: int, end: int) -> str:
        """``'actor'`` where the name at ``text[start:end]`` stands for a government or body that acts, else ``'place'``.

        The rule is the gazetteer file's ``roles`` section; a gazetteer
        without one calls every mention a place.

        >>> g = load_gazetteer()
        >>> [g.role(s, s.index("Beijing"), s.index("Beijing") + 7)
        ...  for s in ("Beijing has tightened control.", "Flights to Beijing are full.")]
        ['actor', 'place']
        """
        if self.roles is None:
            return "place"
        return self.roles.role(straighten(text), start, end)


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


def _parse(label: str, text: str) -> tuple[Any, yaml.Node | None, str]:
    data, node = read_yaml(text, error=ArgumentError, label=label)
    if not isinstance(data, dict):
        raise ArgumentError(f"{label}: must be a mapping")
    return data, node, sha256_text(text)


def _line(node: yaml.Node | None, *path: str) -> int | None:
    """1-based line of the value at a path of mapping keys / sequence items (None if not found)."""
    line = None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            hit = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == step]
            if not hit:
                return line
            line, node = hit[0][0].start_mark.line + 1, hit[0][1]
        elif isinstance(node, yaml.SequenceNode):
            hit = [v for v in node.value if isinstance(v, yaml.ScalarNode) and v.value == step]
            if not hit:
                return line
            line, node = hit[0].start_mark.line + 1, hit[0]
        else:
            return line
    return line


class _Where:
    """Names the file and line of an entry in error messages."""

    def __init__(self, label: str, node: yaml.Node | None) -> None:
        self.label, self.node = label, node

    def __call__(self, *path: str) -> str:
        line = _line(self.node, *path)
        return f"{self.label}:{line}" if line else self.label


def _mapping(data: dict[str, Any], key: str, where: _Where) -> dict[str, Any]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise ArgumentError(f"{where(key)}: {key} must be a mapping of names, got {type(value).__name__}")
    return value


def _names(data: dict[str, Any], key: str, where: _Where) -> list[str]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ArgumentError(f"{where(key)}: {key} must be a list of names, got {value!r}")
    return [v.strip() for v in value]


def _role_rules(data: dict[str, Any], where: _Where) -> RoleRules | None:
    roles = data.get("roles")
    if roles is None:
        return None
    if not isinstance(roles, dict):
        raise ArgumentError(f"{where('roles')}: roles must be a mapping of word lists ({', '.join(_ROLE_KEYS)})")
    unknown = sorted(set(roles) - set(_ROLE_KEYS))
    if unknown:
        raise ArgumentError(f"{where('roles', unknown[0])}: roles: {unknown[0]!r} is not a list of this section; "
                            f"the lists are {', '.join(_ROLE_KEYS)}")
    words = {}
    for key in _ROLE_KEYS:
        value = roles.get(key) or []
        bad = [v for v in value if not isinstance(v, str) or not v.strip()] if isinstance(value, list) else [value]
        if bad:
            raise ArgumentError(f"{where('roles', key)}: roles: {key}: {bad[0]!r} is not a word")
        words[key] = [v.strip() for v in value]
    return RoleRules(words)


def load_gazetteer(gazetteer: str = "default", blocs: str = "default") -> Gazetteer:
    """Countries (pycountry) plus the gazetteer file, classified by the bloc file.

    The files are read at every call and the compiled gazetteer is reused
    only for the same file contents, so an edited file takes effect at once.

    Parameters
    ----------
    gazetteer, blocs : str
        Paths, or ``'default'`` for the bundled files.

    Raises
    ------
    ArgumentError
        Naming the file, line and value of an entry that cannot be used.

    Examples
    --------
    >>> g = load_gazetteer()
    >>> [(e.place, e.kind, e.bloc, e.names_bloc) for e, _, _ in g.find("Ties with the global south and Saudi Arabia.")]
    [('Global South', 'grouping', 'grouping', 'global_south'), ('Saudi Arabia', 'country', 'global_south', '')]
    """
    return _compile_gazetteer(*_read_file(gazetteer, "gazetteer.yaml"), *_read_file(blocs, "blocs.yaml"))


@lru_cache(maxsize=8)
def _compile_gazetteer(glabel: str, gtext: str, blabel: str, btext: str) -> Gazetteer:
    """The gazetteer compiled from the files' contents (the cache key is the contents)."""
    import pycountry

    g, gnode, gsha = _parse(glabel, gtext)
    b, bnode, bsha = _parse(blabel, btext)
    gw, bw = _Where(glabel, gnode), _Where(blabel, bnode)
    bloc_of: dict[str, str] = {}
    for bloc, codes in _mapping(b, "blocs", bw).items():
        for code in codes or []:
            if str(code) in bloc_of:
                raise ArgumentError(f"{bw('blocs', bloc)}: country {code} is in two blocs ({bloc_of[str(code)]} and {bloc})")
            bloc_of[str(code)] = str(bloc)
    default = str(b.get("default") or "other")
    ambiguous = set(_names(g, "ambiguous", gw))
    folded_sections = set(_names(g, "case_insensitive", gw))
    for section in sorted(folded_sections - set(_SECTIONS)):
        raise ArgumentError(f"{gw('case_insensitive')}: case_insensitive: {section!r} is not a section; "
                            f"choose from {', '.join(_SECTIONS)}")
    keep_case = set(_names(g, "keep_case", gw))
    entries: dict[str, Entry] = {}

    def add(name: str, place: str, kind: str, country: str | None, bloc: str, section: str, names_bloc: str = "") -> None:
        name = str(name).strip()
        if name and name not in entries:
            match_case = section not in folded_sections or name in keep_case
            entries[name] = Entry(name, place, kind, country, bloc, name in ambiguous, names_bloc, match_case)

    names_of: dict[str, str] = {}
    for c in pycountry.countries:
        display = getattr(c, "common_name", None) or c.name
        names_of[c.alpha_3] = display
    city_states = {str(c) for c in g.get("city_states") or []}  # named like cities, counted as places of their own
    for code, names in _mapping(g, "countries", gw).items():
        if code not in names_of:
            raise ArgumentError(f"{gw('countries', code)}: countries: {code!r} is not an ISO 3166 alpha-3 code")
        for name in names or []:
            add(name, names_of[code], "city" if code in city_states else "country", code, bloc_of.get(code, default),
                "countries")
    for c in pycountry.countries:
        bloc = bloc_of.get(c.alpha_3, default)
        kind = "city" if c.alpha_3 in city_states else "country"
        for name in (getattr(c, "common_name", None), c.name, getattr(c, "official_name", None)):
            if name and "," not in name:
                add(name, names_of[c.alpha_3], kind, c.alpha_3, bloc, "countries")
    for city, code in _mapping(g, "cities", gw).items():
        if code not in names_of:
            raise ArgumentError(f"{gw('cities', city)}: cities: {city!r} names unknown country {code!r}")
        add(city, str(city), "city", code, bloc_of.get(code, default), "cities")
    for kind, key in (("region", "regions"), ("body", "bodies")):
        for name, bloc in _mapping(g, key, gw).items():
            if not isinstance(bloc, str) or not bloc.strip():
                raise ArgumentError(f"{gw(key, name)}: {key}: {name!r} must name its bloc, got {bloc!r}")
            add(name, str(name), kind, None, bloc.strip(), key)
    for name, named in _mapping(g, "groupings", gw).items():
        if named is not None and not isinstance(named, str):
            raise ArgumentError(f"{gw('groupings', name)}: groupings: {name!r} must name the bloc it names "
                                f"(\"\" for none), got {named!r}")
        add(name, str(name), "grouping", None, GROUPING, "groupings", (named or "").strip())
    for name in sorted(keep_case):
        if name not in entries:
            raise ArgumentError(f"{gw('keep_case', name)}: keep_case: {name!r} is not a name of this gazetteer")
    # variants shown under one display name
    for name, target in _mapping(g, "same_place", gw).items():
        for value in (name, target):
            if str(value) not in entries:
                raise ArgumentError(f"{gw('same_place', name)}: same_place: {value!r} is not a name of this gazetteer")
        e = entries[str(name)]
        entries[str(name)] = Entry(e.name, entries[str(target)].place, e.kind, e.country, e.bloc, e.ambiguous,
                                   e.names_bloc, e.match_case)
    not_places = _names(g, "not_places", gw)
    return Gazetteer(list(entries.values()), source=f"{glabel} + {blabel}", sha256=(gsha + bsha)[:16],
                     not_places=not_places, roles=_role_rules(g, gw))


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
        The place the study is about: an ISO alpha-3 code, a place's
        display name or a name as written, or a list of them. Its mentions
        get bloc ``self`` and mark sentences as speaking of it.

    Returns
    -------
    pandas.DataFrame
        :data:`MENTION_COLUMNS`, then the document metadata; one row per
        mention:

        - ``doc_id``, ``group`` (the corpus' grouping value), ``unit_id``
          (the paragraph), ``sentence_id``;
        - ``place``: display name; ``kind``: country, city, region,
          grouping (a term naming a category of countries: "the West",
          "B&R countries") or body; ``country``: ISO alpha-3 for countries
          and cities;
        - ``bloc``: the bloc of the bloc file, ``self`` for the subject,
          ``grouping`` for every grouping;
        - ``role``: ``actor`` where the name stands for a government or
          body that acts ("Beijing has imposed", "Washington's sanctions",
          "sanctioned by Washington"), ``place`` otherwise; the rule is the
          gazetteer file's ``roles`` section;
        - ``names_bloc``: for a grouping, the bloc it names ("the West":
          west), ``''`` when it names none ("B&R countries") and for every
          other kind;
        - ``matched``: the text, at ``start``/``end`` in the document's
          clean text; ``subject_in_sentence``: whether the subject is named
          in the same sentence.

    Examples
    --------
    >>> import framing as fr
    >>> text = "Beijing has tightened control over Hong Kong. Hong Kong flights to Beijing and the Middle East resumed."
    >>> c = fr.Corpus.from_frame(pd.DataFrame({"doc_id": ["a"], "text": [text]}))
    >>> m = fr.places(c, subject="HKG")
    >>> m.loc[m["bloc"] != "self", ["place", "bloc", "role"]].values.tolist()
    [['Beijing', 'mainland_china', 'actor'], ['Beijing', 'mainland_china', 'place'], ['Middle East', 'global_south', 'place']]
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
            rows.append((r.doc_id, gval, unit_id, r.unit_id, e.place, e.kind, e.country, bloc, gaz.role(r.text, a, b),
                         e.names_bloc, r.text[a:b], int(r.start) + a, int(r.start) + b, has_subject))
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


def _counted(mentions: pd.DataFrame, by: str | None, scope: str, actors: str,
             groupings: str) -> tuple[pd.DataFrame, dict[Any, int], str, str]:
    """The mentions a measure counts: ``(mentions, actors set apart by group, by, scope)``."""
    scope = _scope(scope)
    check_option("actors", actors, _ACTORS)
    check_option("groupings", groupings, _GROUPINGS)
    by = "group" if by is None else by
    if not isinstance(mentions, pd.DataFrame):
        raise ArgumentError(f"expected the mentions table of framing.places, got {type(mentions).__name__}")
    if by not in mentions.columns:
        raise ArgumentError(f"by={by!r} is not a column of the mentions table; columns are {', '.join(mentions.columns)}")
    for option, column in (("actors='exclude'", "role"), ("groupings='assign'", "names_bloc")):
        wanted = actors == "exclude" if column == "role" else groupings == "assign"
        if wanted and column not in mentions.columns:
            raise ArgumentError(f"{option} needs the mentions table's {column!r} column, which this table lacks; "
                                "make the table again with framing.places")
    m = _in_scope(mentions, scope)
    apart: dict[Any, int] = {}
    if actors == "exclude":
        is_actor = m["role"] == "actor"
        apart = {_group_key(g): int(n) for g, n in is_actor.groupby(m[by], sort=False, dropna=False).sum().items()}
        m = m[~is_actor]
    if groupings == "assign":
        named = m["kind"].eq("grouping") & m["names_bloc"].fillna("").astype(str).ne("")
        m = m.assign(bloc=m["bloc"].where(~named, m["names_bloc"]))
    return m, apart, by, scope


def _group_key(value: Any) -> Any:
    """A group value usable as a dict key (every missing value is None)."""
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else value


def _bloc_order(blocs: pd.Series) -> list[str]:
    present = set(blocs)
    order = [*BLOCS, GROUPING]
    out = [b for b in order if b in present] + sorted(present - set(order))
    return out or list(BLOCS)


def orientation(
    mentions: pd.DataFrame,
    by: str | None = None,
    *,
    scope: Scope = "sentence_with_subject",
    actors: Actors = "exclude",
    groupings: Groupings = "apart",
    n_boot: int = 1000,
    confidence: float = 0.95,
    random_state: int | None = 0,
) -> pd.DataFrame:
    """Each bloc's share of a group's place mentions, with two-stage bootstrap intervals.

    Mentions of the subject itself (bloc ``self``) are left out. The interval
    resamples the group's documents with replacement, then the paragraphs of
    every drawn document (a two-stage bootstrap: Davison & Hinkley 1997,
    sec. 3.8), so that it reflects how much documents differ; the percentile
    interval of the replicates is reported (Efron & Tibshirani 1993). A group
    whose mentions come from one document can only resample that document's
    paragraphs: its interval is about that text, not about its source type.

    Parameters
    ----------
    mentions : pandas.DataFrame
        :func:`places` output.
    by : str or None
        A column of the mentions table (any document metadata); None: the
        corpus' own grouping (``group``).
    scope : {'sentence_with_subject', 'all'}, default='sentence_with_subject'
        Count only mentions in sentences that also name the subject, or all.
    actors : {'exclude', 'include'}, default='exclude'
        ``'exclude'`` counts only mentions whose ``role`` is ``place`` (the
        places a text points to) and sets actors apart ("Beijing has
        imposed ..."); ``'include'`` counts every mention.
    groupings : {'apart', 'assign'}, default='apart'
        ``'apart'`` gives grouping terms ("the West", "B&R countries") their
        own row, bloc ``grouping``; ``'assign'`` counts each in the bloc it
        names (``names_bloc``) and keeps those naming none under
        ``grouping``.
    n_boot : int, default=1000
    confidence : float, default=0.95
    random_state : int or None, default=0

    Returns
    -------
    pandas.DataFrame
        :data:`ORIENTATION_COLUMNS`, one row per group and bloc (all blocs
        present in the table, zero counts included):

        - ``group``: the value of ``by``; ``bloc``;
        - ``mentions``: the group's counted mentions of the bloc; ``total``:
          all its counted mentions; ``share``: ``mentions / total``;
        - ``low``, ``high``: the percentile interval of ``share`` at
          ``confidence``;
        - ``units``: paragraphs with counted mentions; ``docs``: documents
          with counted mentions; ``single_document``: ``docs == 1``;
        - ``scope``: the scope counted;
        - ``interval``: ``'documents'`` when the group has two or more
          documents with mentions (documents, then paragraphs resampled),
          ``'within-document'`` otherwise (paragraphs only);
        - ``dominant_document``, ``dominant_share``: the document with most
          of the group's mentions of the bloc and its share of them (``''``
          and NaN for a bloc with no mentions);
        - ``effective_docs``: ``(Σm)²/Σm²`` over the documents' mentions of
          the bloc (Kish 1965): 1 when one document carries the bloc, the
          number of documents when they carry equal parts, 0 for none;
        - ``share_loo_min``, ``share_loo_max``: the lowest and highest share
          of the bloc with each of the group's documents left out in turn
          (NaN for a group of one document); :func:`document_orientation`
          gives every document's own share;
        - ``actors``: how many of the group's mentions in scope were set
          apart as actors (0 with ``actors='include'``); a group whose
          mentions are all actors has no rows.

    Examples
    --------
    >>> import framing as fr
    >>> text = "Hong Kong courts the Middle East and the West. Beijing has tightened control over Hong Kong."
    >>> c = fr.Corpus.from_frame(pd.DataFrame({"doc_id": ["a"], "text": [text], "side": ["x"]}), group_by="side")
    >>> o = orientation(fr.places(c, subject="HKG"), n_boot=50)
    >>> o[["bloc", "mentions", "share", "actors"]].values.tolist()
    [['global_south', 1, 0.5, 1], ['grouping', 1, 0.5, 1]]
    """
    m, apart, by, scope = _counted(mentions, by, scope, actors, groupings)
    if not isinstance(n_boot, int) or n_boot < 10:
        raise ArgumentError(f"n_boot={n_boot!r} must be an integer of at least 10")
    if not 0 < confidence < 1:
        raise ArgumentError(f"confidence={confidence!r} must lie in (0, 1)")
    blocs = _bloc_order(m["bloc"])
    rng = np.random.default_rng(random_state)
    rows = []
    for g, gm in m.groupby(by, sort=False, dropna=False):
        units = list(dict.fromkeys(gm["unit_id"]))
        counts = gm.groupby(["unit_id", "bloc"]).size().unstack(fill_value=0).reindex(index=units, columns=blocs, fill_value=0)
        c = counts.to_numpy(dtype=float)
        total = c.sum()
        unit_doc = gm.drop_duplicates("unit_id").set_index("unit_id")["doc_id"].reindex(units)
        doc_codes, doc_names = pd.factorize(unit_doc)
        reps = two_stage_weights(rng, doc_codes, n_boot) @ c
        reps = reps / np.maximum(reps.sum(1, keepdims=True), 1e-300)
        lo, hi = percentile_interval(reps, confidence)
        per_doc = np.zeros((len(doc_names), len(blocs)))
        np.add.at(per_doc, doc_codes, c)
        docs = len(doc_names)
        loo = None
        if docs >= 2:
            with np.errstate(divide="ignore", invalid="ignore"):
                loo = (per_doc.sum(0) - per_doc) / (total - per_doc.sum(1))[:, None]
        for bi, bloc in enumerate(blocs):
            top, top_share, effective = dominance(per_doc[:, bi])
            rows.append({
                "group": g, "bloc": bloc, "mentions": int(c[:, bi].sum()), "share": float(c[:, bi].sum() / total),
                "low": float(lo[bi]), "high": float(hi[bi]), "total": int(total), "units": len(units), "docs": docs,
                "single_document": docs == 1, "scope": scope,
                "interval": "documents" if docs >= 2 else "within-document",
                "dominant_document": str(doc_names[top]) if top >= 0 else "", "dominant_share": top_share,
                "effective_docs": effective,
                "share_loo_min": float(np.nanmin(loo[:, bi])) if loo is not None else np.nan,
                "share_loo_max": float(np.nanmax(loo[:, bi])) if loo is not None else np.nan,
                "actors": apart.get(_group_key(g), 0),
            })
    return pd.DataFrame(rows, columns=ORIENTATION_COLUMNS)


def document_orientation(
    mentions: pd.DataFrame,
    by: str | None = None,
    *,
    scope: Scope = "sentence_with_subject",
    actors: Actors = "exclude",
    groupings: Groupings = "apart",
) -> pd.DataFrame:
    """Every document's own bloc shares: the evidence inside a group's :func:`orientation` estimate.

    Parameters
    ----------
    mentions : pandas.DataFrame
        :func:`places` output.
    by, scope, actors, groupings
        As in :func:`orientation`, which this table breaks down.

    Returns
    -------
    pandas.DataFrame
        :data:`DOCUMENT_ORIENTATION_COLUMNS`: one row per document with
        counted mentions and bloc (zero counts included), documents in order
        of appearance within their group; ``mentions`` of the bloc in the
        document, ``total`` counted mentions of the document, ``share`` =
        ``mentions / total``.

    Examples
    --------
    >>> import framing as fr
    >>> df = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Hong Kong and Egypt.", "Hong Kong and France."], "side": "x"})
    >>> m = fr.places(fr.Corpus.from_frame(df, group_by="side"), subject="HKG")
    >>> document_orientation(m)[["doc_id", "bloc", "share"]].values.tolist()
    [['a', 'global_south', 1.0], ['a', 'west', 0.0], ['b', 'global_south', 0.0], ['b', 'west', 1.0]]
    """
    m, _, by, _ = _counted(mentions, by, scope, actors, groupings)
    blocs = _bloc_order(m["bloc"])
    rows = []
    for (g, doc), dm in m.groupby([by, "doc_id"], sort=False, dropna=False):
        counts = dm["bloc"].value_counts()
        total = len(dm)
        for bloc in blocs:
            n = int(counts.get(bloc, 0))
            rows.append((g, doc, bloc, n, n / total, total))
    return pd.DataFrame(rows, columns=DOCUMENT_ORIENTATION_COLUMNS)


def partners(
    mentions: pd.DataFrame,
    by: str | None = None,
    *,
    n: int = 10,
    scope: Scope = "sentence_with_subject",
    level: Literal["place", "country"] = "place",
    actors: Actors = "exclude",
) -> pd.DataFrame:
    """The places most named together with the subject in each group.

    Parameters
    ----------
    by : str or None
        A column of the mentions table; None: the corpus' own grouping (``group``).
    n : int, default=10
        Places per group.
    scope : {'sentence_with_subject', 'all'}, default='sentence_with_subject'
        Count only mentions in sentences that also name the subject, or all.
    level : {'place', 'country'}, default='place'
        ``'country'`` folds cities into their country (Riyadh into Saudi
        Arabia, Beijing into China); regions, groupings and bodies stay as
        they are.
    actors : {'exclude', 'include'}, default='exclude'
        ``'exclude'`` counts only mentions whose ``role`` is ``place``
        (a partner or destination, not a government acting); ``'include'``
        counts all.

    Returns
    -------
    pandas.DataFrame
        :data:`PARTNER_COLUMNS`: ``group``, ``rank`` (1 = most named),
        ``place``, ``kind``, ``bloc`` (``grouping`` for grouping terms),
        ``mentions`` and ``share`` of the group's counted mentions (the
        subject left out).
    """
    check_option("level", level, ("place", "country"))
    m, _, by, _ = _counted(mentions, by, scope, actors, "apart")
    if level == "country":
        import pycountry

        def name(code: str) -> str:
            c = pycountry.countries.get(alpha_3=code)
            return (getattr(c, "common_name", None) or c.name) if c else code

        is_city = m["kind"] == "city"
        m = m.assign(place=np.where(is_city, m["country"].map(lambda c: name(c) if isinstance(c, str) else c), m["place"]),
                     kind=np.where(is_city, "country", m["kind"]))
    rows = []
    for g, gm in m.groupby(by, sort=False, dropna=False):
        counts = gm.groupby(["place", "kind", "bloc"]).size().reset_index(name="mentions")
        counts = counts.sort_values(["mentions", "place"], ascending=[False, True]).head(n)
        total = len(gm)
        for r, row in enumerate(counts.itertuples(), 1):
            rows.append((g, r, row.place, row.kind, row.bloc, int(row.mentions), row.mentions / total))
    return pd.DataFrame(rows, columns=PARTNER_COLUMNS)
