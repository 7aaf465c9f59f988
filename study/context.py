"""The study's settings and the results its figures share."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

import framing as fr
from framing.base.errors import ArgumentError

SETTINGS = Path(__file__).with_name("settings.yaml")
ROOT = Path(__file__).resolve().parent.parent

#: The choices a settings file must give, and those it may leave out (with their default).
_TOPIC_KEYS = ("method", "k", "seed", "search_ks", "search_seeds", "stability_seeds")
_KNOWN = {"name", "corpus", "groups", "subject", "coding", "colors", "codebook", "role_frames", "role_terms", "seed",
          "n_boot", "robustness_permutations", "collocates", "topics", "trend"}


@dataclass(frozen=True)
class Settings:
    """Every choice behind the figures (see ``settings.yaml``).

    ``subject`` is None when the study names none (no collocates of the
    subject, no places figures); ``codebook`` is None for no frames (no frame
    figures); ``coding`` is empty without a coded sample.
    """

    name: str
    corpus: str
    subject_label: str
    subject_terms: str | tuple[str, ...]
    subject_place: str
    subject: fr.Subject | None
    coding: dict[str, str]
    codebook: str | None
    role_frames: tuple[str, ...]
    role_terms: tuple[str, ...]
    seed: int
    n_boot: int
    robustness_permutations: int
    collocates: dict[str, int]
    topic_method: str
    topic_k: int
    topic_seed: int
    search_ks: tuple[int, ...]
    search_seeds: tuple[int, ...]
    stability_seeds: tuple[int, ...]
    colors: dict[str, str]
    corpus_options: dict[str, Any] = field(default_factory=dict)
    group_by: str | None = None
    group_label: str = "group"
    group_plural: str = "groups"
    trend: str | None = None
    path: Path = SETTINGS

    @property
    def groups_word(self) -> str:
        """How captions name the groups (``source types``)."""
        return self.group_plural

    def order(self, groups: Any) -> list[str]:
        """Groups in the settings' colour order, any others after them by sorted label."""
        seen = [str(g) for g in dict.fromkeys(groups)]
        known = [g for g in self.colors if g in seen]
        return known + sorted(g for g in seen if g not in known)


def _plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in tuple("aeiou"):
        return word[:-1] + "ies"
    return word + ("es" if word.endswith(("s", "x", "ch", "sh")) else "s")


class _Reader:
    """Reads a settings mapping, collecting every problem (``file: key: what is wrong``) instead of stopping."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path, self.data, self.problems = path, data, []

    def bad(self, key: str, what: str) -> None:
        self.problems.append(f"{self.path}: {key}: {what}")

    def get(self, key: str, kind: Any, default: Any = ..., *, within: dict[str, Any] | None = None,
            prefix: str = "") -> Any:
        source = self.data if within is None else within
        name = prefix + key
        if key not in source or source[key] is None:
            if default is ...:
                self.bad(name, "missing")
            return None if default is ... else default
        value = source[key]
        try:
            if kind is int:
                if isinstance(value, bool) or not isinstance(value, int):
                    raise ValueError
                return value
            if kind is str:
                if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                    raise ValueError
                return str(value)
            if kind == "strs":  # a term or a list of terms
                items = [value] if isinstance(value, str) else value
                if not isinstance(items, list) or not items or not all(isinstance(v, str) and v for v in items):
                    raise ValueError
                return tuple(items)
            if kind == "ints":
                if not isinstance(value, list) or not value or not all(isinstance(v, int) and not isinstance(v, bool)
                                                                        for v in value):
                    raise ValueError
                return tuple(value)
            if kind is dict:
                if not isinstance(value, dict):
                    raise ValueError
                return value
        except ValueError:
            expected = {int: "a whole number", str: "text", "strs": "a term or a list of terms",
                        "ints": "a list of whole numbers", dict: "a mapping"}[kind]
            self.bad(name, f"expected {expected}, got {value!r}")
            return None if default is ... else default
        raise TypeError(kind)  # pragma: no cover


def _resolve(path: Path, value: str) -> str:
    """A path of the settings file, relative to its folder (``bundled`` and ``default`` stay as they are)."""
    return str((path.parent / value).resolve()) if not Path(value).is_absolute() else value


def load_settings(path: str | Path = SETTINGS) -> Settings:
    """Read a study settings file.

    Paths in it (the corpus, the codebook, the coded sample) are relative to
    the file's folder. Every missing or invalid setting is reported at once,
    in one :class:`~framing.base.errors.ArgumentError` naming the file and
    each key.
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ArgumentError(f"{path}: cannot be read ({exc})") from None
    if not isinstance(data, dict):
        raise ArgumentError(f"{path}: expected a mapping of settings, got {type(data).__name__}")
    r = _Reader(path, data)
    for key in sorted(set(map(str, data)) - _KNOWN):
        r.bad(key, f"unknown setting; settings are {', '.join(sorted(_KNOWN))}")

    name = r.get("name", str)
    corpus_value = data.get("corpus")
    corpus, options = "bundled", {}
    if isinstance(corpus_value, dict):
        corpus_path = r.get("path", str, within=corpus_value, prefix="corpus.")
        corpus = _resolve(path, corpus_path) if corpus_path else ""
        for key in ("text", "doc_id", "paragraphs"):
            if key in corpus_value:
                options[key] = r.get(key, str, within=corpus_value, prefix="corpus.")
        if "speakers" in corpus_value:
            speakers = corpus_value["speakers"]
            if not isinstance(speakers, (bool, str)):
                r.bad("corpus.speakers", f"expected true, false or a regular expression, got {speakers!r}")
            options["speakers"] = speakers
        for key in sorted(set(map(str, corpus_value)) - {"path", "text", "doc_id", "paragraphs", "speakers"}):
            r.bad(f"corpus.{key}", "unknown; give path, text, doc_id, paragraphs, speakers")
    else:
        corpus_path = r.get("corpus", str)
        if corpus_path is not None:
            corpus = corpus_path if corpus_path == "bundled" else _resolve(path, corpus_path)
    if corpus not in ("", "bundled") and not Path(corpus).exists():
        r.bad("corpus", f"no such folder or table: {corpus}")

    g = r.get("groups", dict, {})
    group_by = r.get("column", str, None, within=g, prefix="groups.")
    group_label = r.get("label", str, "group", within=g, prefix="groups.")
    group_plural = r.get("plural", str, _plural(group_label), within=g, prefix="groups.")

    s = data.get("subject")
    label, terms, place, subject = "", (), "", None
    if isinstance(s, dict):
        label = r.get("label", str, within=s, prefix="subject.") or ""
        terms = r.get("terms", "strs", within=s, prefix="subject.") or ()
        terms = terms[0] if len(terms) == 1 else terms
        place = r.get("place", str, "", within=s, prefix="subject.")
        aliases = r.get("aliases", "strs", None, within=s, prefix="subject.")
        anaphora = r.get("anaphora", "strs", (), within=s, prefix="subject.")
        aliases = aliases or ((terms,) if isinstance(terms, str) else tuple(terms))
        subject = fr.Subject(tuple(aliases), tuple(anaphora), label) if aliases else None
    elif s not in (None, "none"):
        r.bad("subject", f"expected a mapping (label, terms, aliases, anaphora, place) or none, got {s!r}")

    codebook = r.get("codebook", str, "none")
    codebook = None if codebook == "none" else (codebook if codebook == "default" else _resolve(path, codebook))
    if codebook not in (None, "default") and not Path(codebook).is_file():
        r.bad("codebook", f"no such file: {codebook}")
    coding = {str(k): str(v) for k, v in r.get("coding", dict, {}).items()}
    if coding and "consensus" in coding:
        coding["consensus"] = _resolve(path, coding["consensus"])
    role_frames = r.get("role_frames", "strs", ())
    if codebook is not None and not role_frames and data.get("role_frames") is None:
        r.bad("role_frames", "missing: which of the codebook's frames the figures show")
    role_terms = r.get("role_terms", "strs", ())
    seed = r.get("seed", int)
    colors = {str(k): str(v) for k, v in r.get("colors", dict, {}).items()}
    trend = data.get("trend")
    if trend is not None and trend not in ("day", "month", "quarter", "year"):
        r.bad("trend", f"{trend!r}: give day, month, quarter or year (the bins of the frame trend), or leave it out")
        trend = None
    collocates = r.get("collocates", dict, {"window": 5, "min_count": 2, "n": 10})
    for key in ("window", "min_count", "n"):
        r.get(key, int, within=collocates, prefix="collocates.")
    t = r.get("topics", dict)
    topics = {}
    if t is not None:
        for key in _TOPIC_KEYS:
            kind = "ints" if key.endswith("s") else (str if key == "method" else int)
            optional = {"search_ks": (), "search_seeds": (), "stability_seeds": (1, 2, 3, 4, 5, 6)}
            topics[key] = r.get(key, kind, *((optional[key],) if key in optional else ()), within=t, prefix="topics.")
        if isinstance(topics.get("k"), int) and isinstance(topics.get("seed"), int):
            k = topics["k"]
            topics["search_ks"] = topics["search_ks"] or tuple(range(max(2, k - 2), k + 3))
            topics["search_seeds"] = topics["search_seeds"] or (topics["seed"],)
        if topics.get("method") not in (None, "lda", "nmf"):
            r.bad("topics.method", f"expected lda or nmf, got {topics['method']!r}")
    permutations = r.get("robustness_permutations", int, 500)
    if permutations is not None and permutations < 100:
        r.bad("robustness_permutations", f"expected at least 100, got {permutations}")
    if r.problems:
        raise ArgumentError("\n".join([f"{path}: {len(r.problems)} missing or invalid setting"
                                        f"{'s' if len(r.problems) != 1 else ''}:", *(f"  - {p}" for p in r.problems)]))
    return Settings(
        name=name, corpus=corpus, subject_label=label, subject_terms=terms, subject_place=place, subject=subject,
        coding=coding, codebook=codebook, role_frames=tuple(role_frames), role_terms=tuple(role_terms), seed=seed,
        n_boot=r.get("n_boot", int, 2000), robustness_permutations=permutations,
        collocates={k: int(v) for k, v in collocates.items()},
        topic_method=topics["method"], topic_k=topics["k"], topic_seed=topics["seed"], search_ks=topics["search_ks"],
        search_seeds=topics["search_seeds"], stability_seeds=topics["stability_seeds"], colors=colors,
        corpus_options=options, group_by=group_by, group_label=group_label, group_plural=group_plural, path=path,
        trend=trend,
    )


class Study:
    """A corpus with the study's settings; each shared result is computed once.

    Parameters
    ----------
    corpus : framing.Corpus or None
        None loads the corpus the settings name (``bundled``: the bundled one;
        a folder or a table, read with the settings' ``corpus`` options).
    settings : Settings or None
        None reads ``study/settings.yaml``.
    """

    def __init__(self, corpus: fr.Corpus | None = None, settings: Settings | None = None) -> None:
        self.settings = load_settings() if settings is None else settings
        if corpus is None:
            s = self.settings
            corpus = fr.load_corpus(None if s.corpus == "bundled" else s.corpus, group_by=s.group_by, **s.corpus_options)
        self.corpus = corpus
        self._memo: dict[Any, Any] = {}

    @property
    def corpus_hash(self) -> str:
        return self.corpus.content_hash

    @property
    def by(self) -> str:
        """The grouping the figures compare: the settings' column, else the corpus' own."""
        by = self.settings.group_by or self.corpus.group_by
        if by is None:
            raise ArgumentError(f"{self.settings.path}: groups.column: missing, and the corpus names no grouping column")
        return by

    def groups(self) -> list[str]:
        """The corpus' groups, in the settings' order (their colours' order, then by label)."""
        meta = self.corpus.meta
        return self.settings.order(meta[self.by].dropna().astype(str)) if self.by in meta.columns else []

    def _once(self, key: Any, make: Any) -> Any:
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def tokens(self, pre: fr.Preprocessor | None = None) -> fr.Tokens:
        """The corpus' tokens under ``pre`` (default ``Preprocessor()``), made once."""
        pre = fr.Preprocessor() if pre is None else pre
        return self._once(("tokens", pre.id), lambda: fr.tokens(self.corpus, pre))

    def frames(self) -> fr.FrameResult:
        """The codebook's frames, matched as the codebook declares, the subject (if any) under its other names."""
        s = self.settings
        if s.codebook is None:
            raise ArgumentError(f"{s.path}: codebook: none given, so there are no frames")
        return self._once("frames", lambda: fr.detect_frames(self.corpus, s.codebook, subject=s.subject))

    def coded(self, split: str | None = None) -> pd.DataFrame:
        """The coded sample's consensus (the settings' ``coding.consensus``), optionally one split of it.

        Empty for a corpus other than the one coded (its units were not
        coded), or when the settings name no coded sample.
        """
        if "consensus" not in self.settings.coding:
            return pd.DataFrame(columns=["unit_id", "split"])
        path = ROOT / self.settings.coding["consensus"]
        table = pd.read_csv(path, keep_default_na=False, dtype={"split": str})
        known = set(self.corpus.units("paragraph")["unit_id"])
        table = table[table["unit_id"].isin(known)]
        return table if split is None else table[table["split"] == split]

    def topic_dtm(self) -> fr.DocumentTermMatrix:
        """Paragraphs (headings left out), terms in at least two paragraphs."""
        def make() -> fr.DocumentTermMatrix:
            m = fr.dtm(self.tokens(), unit="paragraph")
            return m.select(~m.units["is_heading"].to_numpy()).trim(min_docs=2)

        return self._once("topic_dtm", make)

    def topic_model(self) -> fr.TopicModel:
        s = self.settings
        return self._once("topic_model", lambda: fr.TopicModel(
            s.topic_method, s.topic_k, random_state=s.topic_seed).fit(self.topic_dtm()))

    def mentions(self) -> Any:
        """Every place mention, the subject marked."""
        return self._once("mentions", lambda: fr.places(self.corpus, subject=self.settings.subject_place))

    def robustness(self) -> tuple[fr.RobustnessResult, fr.RobustnessResult]:
        """The frame grid (the role frames, the study's subject and seed) and the keyness grid, run once.

        fig12 and notebook 05 read these, so the figure and the notebook report
        the same verdicts from the same seed."""
        s = self.settings
        return self._once("robustness", lambda: (
            fr.robustness(self.corpus, "frames", codebook=s.codebook, subject=s.subject, frames=list(s.role_frames),
                          n_perm=s.robustness_permutations, random_state=s.seed),
            fr.robustness(self.corpus, "keyness"),
        ))

    def warm(self) -> Study:
        """Compute the shared results now (before figures are drawn in forked processes)."""
        if self.settings.codebook is not None:
            self.frames()
        self.topic_model()
        if self.settings.subject_place:
            self.mentions()
        return self
