"""Codebooks: frames as data a researcher can read, argue with and change.

A codebook is a YAML file (see ``framing/data/codebooks/hong_kong_roles.yaml``)::

    codebook: hong_kong_roles
    version: 1.0.0
    frames:
      - id: super_connector
        label: Super-connector
        definition:            # Entman (1993): what the frame promotes
          problem: ...
          cause: ...
          evaluation: ...
          remedy: ...
        indicators:
          - term: super_connector          # one term of the token stream
          - phrase: super value-adder      # preprocessed like the text
          - glob: "gateway*"               # a glob over terms
          - regex: "^conduit"              # a regular expression searched in terms
          - term: bridge                   # a context condition, in the same sentence
            context: {any: [mainland, china, world, west, western, east]}
            why: ...
        exclude:
          - phrase: bridge loan            # drops hits that overlap it
        examples: [...]                    # must trigger the frame
        counter_examples: [...]            # must not

Indicators are matched on the same token stream as every other measure, so
the variants the vocabulary maps to one term ("superconnector",
"super-connector") are caught, and lemmas ("sanctions" -> sanction) apply.

quanteda YAML dictionaries and LIWC ``.dic`` files are read too
(:meth:`Codebook.from_quanteda`, :meth:`Codebook.from_liwc`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from framing.base.datafile import YamlProblem, load_yaml, read_text
from framing.base.errors import ArgumentError, CodebookError, check_option
from framing.base.patterns import is_glob
from framing.measures.frames.matcher import describe_text, detect_text, terms_of
from framing.measures.frames.stance import StanceRules, parse_stance
from framing.text.preprocess import Preprocessor

__all__ = ["Codebook", "Frame", "Indicator", "Side", "CodebookError", "load_codebook", "default_stance"]

KINDS = ("term", "phrase", "glob", "regex")
FRAME_KEYS = {"id", "label", "definition", "indicators", "exclude", "examples", "counter_examples", "notes", "sides"}
INDICATOR_KEYS = {"term", "phrase", "glob", "regex", "context", "why", "shared_with", "variants"}
MATCHING_KEYS = {"lowercase": bool, "normalize": (str, type(None)), "phrases": (str, type(None))}
TOP_KEYS = {"codebook", "version", "description", "frames", "notes", "scope", "matching", "stance"}
CONTEXT_KEYS = {"any", "all", "none"}
ENTMAN = ("problem", "cause", "evaluation", "remedy")


@dataclass(frozen=True)
class Indicator:
    """One indicator of a frame.

    Attributes
    ----------
    kind : {'term', 'phrase', 'glob', 'regex'}
    value : str
    context_any, context_all, context_none : tuple of str
        Terms or globs the same sentence must hold (any / all) or must not.
        An entry ``"a|b|c*"`` is met by any of its alternatives, so
        ``all: ["china|mainland", "world|west*"]`` asks for one term of each
        side.
    why : str
        The reason for the indicator, from the definition and the texts.
    shared_with : tuple of str
        Other frames that declare the same indicator on purpose.
    line : int or None
        Line in the codebook file.
    variants : tuple of str
        Other words or phrases that count as this indicator (spellings,
        derived forms a lemmatiser keeps apart: "connector", "connecting").
    """

    kind: str
    value: str
    context_any: tuple[str, ...] = ()
    context_all: tuple[str, ...] = ()
    context_none: tuple[str, ...] = ()
    why: str = ""
    shared_with: tuple[str, ...] = ()
    line: int | None = None
    variants: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """``kind:value``, as the evidence table names the indicator."""
        return f"{self.kind}:{self.value}"

    @property
    def has_context(self) -> bool:
        return bool(self.context_any or self.context_all or self.context_none)


@dataclass(frozen=True)
class Side:
    """One side of a two-sided frame: who the frame holds responsible.

    A hit takes the side whose terms (or globs) its sentence holds; a
    sentence holding the terms of two sides is ``both``, of none ``none``.
    """

    name: str
    any: tuple[str, ...]
    why: str = ""
    line: int | None = None


@dataclass(frozen=True)
class Frame:
    """A frame: its definition, indicators, exclusions, examples and sides."""

    id: str
    label: str
    definition: dict[str, str] = field(default_factory=dict)
    indicators: tuple[Indicator, ...] = ()
    exclude: tuple[Indicator, ...] = ()
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    notes: str = ""
    line: int | None = None
    sides: tuple[Side, ...] = ()


def _mapping_lines(node: Any) -> dict[str, Any]:
    """Key -> value node of a YAML mapping node."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _line_of(node: Any, key: str) -> int:
    """1-based line of ``key`` in a YAML mapping node (1 when unknown)."""
    value = _mapping_lines(node).get(key)
    return value.start_mark.line + 1 if value is not None else 1


def _seq_lines(node: Any) -> list[Any]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


class Codebook:
    """A set of frames; build with :func:`load_codebook` or the ``from_*`` readers.

    Attributes
    ----------
    name, version : str
    frames : tuple of Frame
    source : str
        The file it was read from.
    sha256 : str
        Of the file's bytes: results record it with the version.
    matching : dict
        How indicators are matched (``lowercase``, ``normalize``,
        ``phrases``), whatever preprocessing the analysis uses: see
        :attr:`preprocessor`.
    stance : StanceRules
        The cues that give every hit its stance.
    """

    def __init__(self, name: str, version: str, frames: Sequence[Frame], *, source: str = "", sha256: str = "",
                 description: str = "", matching: dict[str, Any] | None = None,
                 stance: StanceRules | None = None) -> None:
        self.name = name
        self.version = version
        self.frames = tuple(frames)
        self.source = source
        self.sha256 = sha256
        self.description = description
        self.matching = dict(matching or {})
        self.stance = stance if stance is not None else default_stance()

    @property
    def preprocessor(self) -> Preprocessor:
        """The token stream indicators are matched on, owned by the codebook.

        The codebook's ``matching:`` settings over :func:`~framing.measures.frames.matcher.frame_preprocessor`
        (lemmas, the bundled multiword vocabulary, case folded, every word
        kept): frame hits do not change when the analysis preprocessing of
        keywords or topics does.
        """
        return _matching_preprocessor(tuple(sorted(self.matching.items())))

    def __repr__(self) -> str:
        return f"<Codebook {self.name!r} v{self.version}: {len(self.frames)} frames ({', '.join(self.frame_ids)})>"

    @property
    def frame_ids(self) -> list[str]:
        return [f.id for f in self.frames]

    @property
    def version_id(self) -> str:
        """``name@version+sha8``: recorded with every result."""
        return f"{self.name}@{self.version}+{self.sha256[:8]}"

    def __getitem__(self, frame_id: str) -> Frame:
        for f in self.frames:
            if f.id == frame_id:
                return f
        raise KeyError(f"no frame {frame_id!r} in codebook {self.name!r}; frames are {', '.join(self.frame_ids)}")

    def indicators(self) -> pd.DataFrame:
        """One row per indicator: ``frame, kind, value, context, why, line``."""
        rows = []
        for f in self.frames:
            for ind in f.indicators:
                ctx = "; ".join(
                    f"{k}: {', '.join(v)}" for k, v in
                    (("any", ind.context_any), ("all", ind.context_all), ("none", ind.context_none)) if v
                )
                rows.append((f.id, ind.kind, ind.value, ctx, ind.why, ind.line))
        return pd.DataFrame(rows, columns=["frame", "kind", "value", "context", "why", "line"])

    # -- reading ------------------------------------------------------------------------
    @classmethod
    def from_yaml(cls, path: str | Path) -> Codebook:
        """Read a framing codebook YAML file (see the module docstring)."""
        label, text = _read(path)
        try:
            data, node = load_yaml(text)
        except YamlProblem as exc:
            raise CodebookError(f"{label}:{exc.line or 1}: not valid YAML: {exc.message}") from None
        if not isinstance(data, dict) or "frames" not in data:
            raise CodebookError(f"{label}:1: a codebook is a mapping with 'codebook', 'version' and 'frames'")
        problems: list[str] = []
        unknown = sorted(set(data) - TOP_KEYS)
        if unknown:
            problems.append(f"{label}:1: unknown top-level key(s) {', '.join(unknown)}")
        frame_nodes = _seq_lines(_mapping_lines(node).get("frames"))
        frames: list[Frame] = []
        raw_frames = data.get("frames") or []
        if not isinstance(raw_frames, list):
            raise CodebookError(f"{label}: 'frames' must be a list")
        if not raw_frames:
            problems.append(f"{label}:{_line_of(node, 'frames')}: 'frames' is empty; a codebook needs at least one frame")
        for i, raw in enumerate(raw_frames):
            fnode = frame_nodes[i] if i < len(frame_nodes) else None
            fline = fnode.start_mark.line + 1 if fnode is not None else None
            where = f"{label}:{fline}" if fline else label
            if not isinstance(raw, dict):
                problems.append(f"{where}: frame {i + 1} must be a mapping")
                continue
            fid = raw.get("id")
            name = f"frame {fid!r}" if fid else f"frame {i + 1}"
            if not isinstance(fid, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", fid):
                problems.append(f"{where}: {name}: 'id' must be a lower-case identifier such as super_connector")
            bad = sorted(set(raw) - FRAME_KEYS)
            if bad:
                problems.append(f"{where}: {name}: unknown key(s) {', '.join(bad)}")
            definition = raw.get("definition") or {}
            if not isinstance(definition, dict):
                problems.append(f"{where}: {name}: 'definition' must map problem/cause/evaluation/remedy to text")
                definition = {}
            fmap = _mapping_lines(fnode)
            inds = _indicators(raw.get("indicators"), _seq_lines(fmap.get("indicators")), label, name, problems)
            if not inds:
                problems.append(f"{where}: {name}: no indicators")
            excl = _indicators(raw.get("exclude"), _seq_lines(fmap.get("exclude")), label, f"{name} exclude", problems)
            sides = _sides(raw.get("sides"), fmap.get("sides"), label, name, problems)
            examples = raw.get("examples") or []
            counters = raw.get("counter_examples") or []
            for key, value in (("examples", examples), ("counter_examples", counters)):
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    problems.append(f"{where}: {name}: '{key}' must be a list of sentences")
            frames.append(Frame(
                id=str(fid), label=str(raw.get("label") or fid), definition={str(k): str(v) for k, v in definition.items()},
                indicators=tuple(inds), exclude=tuple(excl),
                examples=tuple(examples) if isinstance(examples, list) else (),
                counter_examples=tuple(counters) if isinstance(counters, list) else (),
                notes=str(raw.get("notes") or ""), line=fline, sides=sides,
            ))
        matching = _matching(data.get("matching"), label, _line_of(node, "matching"), problems)
        top = _mapping_lines(node)
        stance_node = _mapping_lines(top.get("stance")).get("cues")
        raw_stance = data.get("stance", "english")
        if raw_stance in ("english", "default"):
            stance = default_stance()
        elif raw_stance in ("none", None):
            stance = StanceRules()
        else:
            stance = parse_stance(raw_stance, _seq_lines(stance_node), label, problems)
        made = None
        try:  # what parsed is checked too, so one pass reports every problem
            made = cls(
                str(data.get("codebook") or Path(label).stem), str(data.get("version") or "0"), frames,
                source=label, sha256=hashlib.sha256(text.encode()).hexdigest(),
                description=str(data.get("description") or ""), matching=matching, stance=stance,
            )
        except (CodebookError, ArgumentError, TypeError, ValueError) as exc:
            if not problems:
                raise
            problems.append(f"{label}: {exc}")
        if problems:
            if made is not None:
                try:
                    problems.extend(p for p in made.check() if p not in problems)
                except (CodebookError, ArgumentError, TypeError, ValueError, KeyError):
                    pass  # the structural problems above are what to fix first
            raise CodebookError(problems)
        assert made is not None
        return made

    @classmethod
    def from_quanteda(cls, path: str | Path) -> Codebook:
        """Read a quanteda YAML dictionary: keys are frames, values lists of patterns.

        Nested keys become ``parent.child`` frames. Patterns are globs when they
        hold ``*`` or ``?`` (quanteda's default ``valuetype = "glob"``), else
        words or phrases, matched on the token stream.
        """
        label, text = _read(path)
        try:
            data, _ = load_yaml(text)
        except YamlProblem as exc:
            raise CodebookError(f"{label}:{exc.line or 1}: not valid YAML: {exc.message}") from None
        if not isinstance(data, dict):
            raise CodebookError(f"{label}:1: a quanteda dictionary is a mapping of keys to lists of patterns")
        frames: list[Frame] = []

        def walk(prefix: str, value: Any) -> None:
            if isinstance(value, dict):
                for k, v in value.items():
                    walk(f"{prefix}.{k}" if prefix else str(k), v)
                return
            values = value if isinstance(value, list) else [value]
            inds = []
            for v in values:
                if isinstance(v, (dict, list)):
                    walk(prefix, v)
                    continue
                v = str(v)
                inds.append(Indicator("glob" if any(c in v for c in "*?") else "phrase", v))
            if inds:
                fid = re.sub(r"[^a-z0-9_.]", "_", prefix.lower())
                frames.append(Frame(fid, prefix, indicators=tuple(inds)))

        try:
            walk("", data)
        except RecursionError:
            raise CodebookError(f"{label}: keys nested too deeply to be a dictionary") from None
        return cls(Path(label).stem, "quanteda", frames, source=label, sha256=hashlib.sha256(text.encode()).hexdigest())

    @classmethod
    def from_liwc(cls, path: str | Path) -> Codebook:
        """Read a LIWC ``.dic`` file: a ``%``-delimited category block, then
        ``word<TAB>category ids``; a final ``*`` is a wildcard."""
        label, text = _read(path)
        lines = text.splitlines()
        marks = [i for i, ln in enumerate(lines) if ln.strip() == "%"]
        if len(marks) < 2:
            raise CodebookError(f"{label}:1: a LIWC dictionary starts with a category block between two '%' lines")
        cats: dict[str, str] = {}
        problems: list[str] = []
        for i in range(marks[0] + 1, marks[1]):
            parts = lines[i].split()
            if not parts:
                continue
            if len(parts) < 2:
                problems.append(f"{label}:{i + 1}: category line needs an id and a name, got {lines[i]!r}")
                continue
            cats[parts[0]] = parts[1]
        members: dict[str, list[Indicator]] = {c: [] for c in cats}
        for i in range(marks[1] + 1, len(lines)):
            if "\t" in lines[i]:  # word<TAB>ids, the ids separated by tabs or spaces; the word may hold spaces
                head, _, rest = lines[i].partition("\t")
                parts = [head.strip(), *rest.split()]
            else:
                parts = lines[i].split()
            parts = [p for p in parts if p]
            if not parts:
                continue
            word, ids = parts[0], parts[1:]
            for cid in ids:
                if cid not in cats:
                    problems.append(f"{label}:{i + 1}: word {word!r} names unknown category {cid!r}")
                    continue
                kind = "glob" if word.endswith("*") else "phrase"
                members[cid].append(Indicator(kind, word, line=i + 1))
        if problems:
            raise CodebookError(problems)
        frames = [Frame(re.sub(r"[^a-z0-9_]", "_", cats[c].lower()), cats[c], indicators=tuple(v))
                  for c, v in members.items() if v]
        return cls(Path(label).stem, "liwc", frames, source=label, sha256=hashlib.sha256(text.encode()).hexdigest())

    # -- checking ----------------------------------------------------------------------
    def _at(self, line: int | None) -> str:
        """``file:line``, or the file alone where the line is unknown (quanteda and LIWC entries)."""
        return f"{self.source}:{line}" if line else self.source

    def check(self, pre: Any = None) -> list[str]:
        """Every problem of the codebook, at once (an empty list when none).

        Checks duplicate frame ids, regular expressions that do not compile,
        an indicator in two frames without ``shared_with``, indicators that
        leave no term after preprocessing, lose words to stopwords or cannot
        match at all under the codebook's matching (a multiword term the
        vocabulary never makes, an inflected form the lemmatiser never
        leaves), examples that do not trigger their frame or counter-examples
        that do, and stance cue examples whose hits do not take the cue's
        stance. Messages name the frame and the line.

        ``pre``: check against another token stream than the codebook's own
        (:attr:`preprocessor`).
        """
        pre = self.preprocessor if pre is None else pre
        keep_all = dataclasses.replace(pre, stopwords=None, extra_stopwords=())
        problems: list[str] = []
        seen: dict[str, int | None] = {}
        for f in self.frames:
            if f.id in seen:
                problems.append(f"{self._at(f.line)}: duplicate frame id {f.id!r} (first at line {seen[f.id]})")
            seen.setdefault(f.id, f.line)
        owners: dict[tuple[str, str], list[tuple[str, Indicator]]] = {}
        for f in self.frames:
            for ind in (*f.indicators, *f.exclude):
                where = f"{self._at(ind.line)}: frame {f.id!r}"
                if ind.kind == "regex":
                    try:
                        re.compile(ind.value)
                    except re.error as exc:
                        problems.append(f"{where}: regex {ind.value!r} does not compile ({exc})")
                        continue
                if ind.kind in ("term", "phrase"):
                    terms = terms_of(ind, pre)
                    unreachable = _unreachable(ind, pre)
                    if unreachable:
                        problems.append(f"{where}: {unreachable}")
                    for v in ind.variants:
                        if not terms_of(Indicator("phrase", v), pre):
                            problems.append(f"{where}: variant {v!r} of {ind.label} leaves no term after preprocessing")
                    if not terms:
                        problems.append(f"{where}: {ind.kind} {ind.value!r} leaves no term after preprocessing ({pre.id})")
                    elif len(terms) < len(terms_of(ind, keep_all)):
                        problems.append(
                            f"{where}: phrase {ind.value!r} loses words to the stopword list and would match as "
                            f"{' '.join(terms)!r}; keep stopwords (the default for frames) or rephrase it"
                        )
                for c in (*ind.context_any, *ind.context_all, *ind.context_none):
                    if not c.strip():
                        problems.append(f"{where}: empty context entry in {ind.label}")
            for ind in f.indicators:
                key = (ind.kind, " ".join(terms_of(ind, pre)) if ind.kind in ("term", "phrase") else ind.value)
                owners.setdefault(key, []).append((f.id, ind))
        for key, pairs in owners.items():
            frames_of = {fid for fid, _ in pairs}
            if len(frames_of) < 2:
                continue
            for fid, ind in pairs:
                undeclared = frames_of - {fid} - set(ind.shared_with)
                if undeclared and not ind.has_context:
                    problems.append(
                        f"{self._at(ind.line)}: frame {fid!r}: indicator {ind.label} is also in "
                        f"{', '.join(sorted(undeclared))} without saying so (add shared_with)"
                    )
        if not problems:
            for f in self.frames:
                for ex in f.examples:
                    if f.id not in {h.frame for h in detect_text(ex, self, pre)}:
                        problems.append(f"{self._at(f.line)}: frame {f.id!r}: example does not trigger it: {ex!r}")
                for ex in f.counter_examples:
                    if f.id in {h.frame for h in detect_text(ex, self, pre)}:
                        problems.append(f"{self._at(f.line)}: frame {f.id!r}: counter-example triggers it: {ex!r}")
            for cue in self.stance.cues:
                for ex in cue.examples:
                    found = describe_text(ex, self, pre)
                    if not found:
                        problems.append(f"{self._at(cue.line)}: stance cue {cue.stance!r}: example has no frame hit: {ex!r}")
                    elif not any(h["stance"] == cue.stance for h in found):
                        got = ", ".join(sorted({h["stance"] for h in found}))
                        problems.append(f"{self._at(cue.line)}: stance cue {cue.stance!r}: example reads as {got}: {ex!r}")
        return problems

    def validate(self, pre: Any = None) -> Codebook:
        """Raise :class:`CodebookError` listing every problem of :meth:`check`."""
        problems = self.check(pre)
        if problems:
            raise CodebookError(problems)
        return self


@lru_cache(maxsize=1)
def default_stance() -> StanceRules:
    """The bundled English stance cues (``framing/data/stance_en.yaml``)."""
    label = "framing/data/stance_en.yaml"
    text = resources.files("framing.data").joinpath("stance_en.yaml").read_text("utf-8")
    data, node = load_yaml(text)
    problems: list[str] = []
    rules = parse_stance(data, _seq_lines(_mapping_lines(node).get("cues")), label, problems)
    if problems:  # pragma: no cover - the bundled file is tested
        raise CodebookError(problems)
    return rules


@lru_cache(maxsize=32)
def _matching_preprocessor(items: tuple[tuple[str, Any], ...]) -> Preprocessor:
    settings = dict(items)
    return Preprocessor(stopwords=None, **settings)


def _matching(raw: Any, label: str, line: int, problems: list[str]) -> dict[str, Any]:
    """The ``matching:`` section: how a codebook's indicators meet the text."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(f"{label}:{line}: 'matching' must map lowercase/normalize/phrases to values")
        return {}
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in MATCHING_KEYS:
            problems.append(f"{label}:{line}: matching: unknown key {key!r}; keys are {', '.join(MATCHING_KEYS)}")
            continue
        if not isinstance(value, MATCHING_KEYS[key]):
            problems.append(f"{label}:{line}: matching.{key}: {value!r} is not a valid value")
            continue
        if key == "normalize" and value not in (None, "lemma", "stem"):
            problems.append(f"{label}:{line}: matching.normalize: choose lemma, stem or null, got {value!r}")
            continue
        if key == "phrases" and value not in (None, "default"):
            path = Path(value)
            if not path.is_absolute() and label != "framing/data/codebooks/hong_kong_roles.yaml":
                path = Path(label).parent / path
            if not path.is_file():
                problems.append(f"{label}:{line}: matching.phrases: vocabulary file {value!r} not found (looked at {path})")
                continue
            value = str(path)
        out[key] = value
    return out


def _sides(raw: Any, node: Any, label: str, name: str, problems: list[str]) -> tuple[Side, ...]:
    if raw is None:
        return ()
    where = f"{label}:{node.start_mark.line + 1}" if node is not None else label
    if not isinstance(raw, dict) or len(raw) < 2:
        problems.append(f"{where}: {name}: 'sides' must map at least two side names to {{any: [terms], why: ...}}")
        return ()
    out = []
    lines = _mapping_lines(node)
    for side, spec in raw.items():
        line = lines[side].start_mark.line + 1 if side in lines else None
        if not isinstance(side, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", side) or side in ("both", "none"):
            problems.append(f"{where}: {name}: side name {side!r} must be a lower-case identifier other than both/none")
            continue
        terms = spec.get("any") if isinstance(spec, dict) else None
        terms = [terms] if isinstance(terms, str) else terms
        if not isinstance(terms, list) or not terms or not all(isinstance(t, str) and t.strip() for t in terms):
            problems.append(f"{where}: {name}: side {side!r} needs 'any': a list of terms or globs")
            continue
        out.append(Side(side, tuple(t.strip().lower() for t in terms), str(spec.get("why") or ""), line))
    return tuple(out)


def _unreachable(ind: Indicator, pre: Any) -> str:
    """Why a term indicator can never match under ``pre`` ('' when it can)."""
    if ind.kind != "term" or not re.fullmatch(r"\w+", ind.value):
        return ""
    value = ind.value.lower()
    if "_" in value:
        vocab = getattr(pre, "_vocabulary", None)
        known = {t for _, t in vocab.phrases} | {t for _, t in vocab.exact} if vocab is not None else set()
        if value not in known and not getattr(pre, "learn_phrases", False):
            return (f"term {ind.value!r} is a multiword term that the matching vocabulary "
                    f"({getattr(pre, 'phrases', None) or 'none'}) never makes; write it as a phrase "
                    f"({ind.value.replace('_', ' ')!r}) or add it to the vocabulary")
        return ""
    got = [t for t, _, _ in pre.tokenize(value)]
    if got and got != [value]:
        return (f"term {ind.value!r} becomes {' '.join(got)!r} under the codebook's matching ({pre.id}) and can "
                f"never match as written; write {' '.join(got)!r}")
    return ""


def _read(path: str | Path) -> tuple[str, str]:
    if str(path) == "default":
        text = resources.files("framing.data").joinpath("codebooks/hong_kong_roles.yaml").read_text("utf-8")
        return "framing/data/codebooks/hong_kong_roles.yaml", text
    return str(Path(path)), read_text(path, error=CodebookError, missing="codebook file not found")


def _glob_problems(glob: str) -> list[str]:
    """Why a glob can never match a term: it holds a character no term has.

    A glob matches one whole term, and terms hold neither spaces (a multiword
    term is joined with ``_``) nor ``|``, which is not alternation in a glob.
    """
    out = []
    if "|" in glob:
        out.append(f"glob {glob!r} holds '|', which no term contains (a glob has no alternation): "
                   "write one indicator per pattern, or a regex")
    if any(c.isspace() for c in glob):
        out.append(f"glob {glob!r} holds a space, which no term contains (a glob matches one term; "
                   "multiword terms are joined with '_', e.g. 'belt_and_*')")
    return out


def _indicators(raw: Any, nodes: list[Any], label: str, name: str, problems: list[str]) -> list[Indicator]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.append(f"{label}: {name}: indicators must be a list")
        return []
    out = []
    for i, item in enumerate(raw):
        line = nodes[i].start_mark.line + 1 if i < len(nodes) else None
        where = f"{label}:{line}" if line else label
        if isinstance(item, str):
            item = {"glob" if is_glob(item) else "phrase": item}
        if not isinstance(item, dict):
            problems.append(f"{where}: {name}: indicator must be a mapping such as {{term: bridge}}")
            continue
        kinds = [k for k in KINDS if k in item]
        bad = sorted(set(item) - INDICATOR_KEYS)
        if bad:
            problems.append(f"{where}: {name}: unknown key(s) {', '.join(bad)} in an indicator")
        if len(kinds) != 1:
            problems.append(f"{where}: {name}: an indicator needs exactly one of {', '.join(KINDS)}")
            continue
        value = item[kinds[0]]
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{where}: {name}: {kinds[0]} must be a non-empty string")
            continue
        if kinds[0] == "glob":
            problems.extend(f"{where}: {name}: {p}" for p in _glob_problems(value.strip()))
        ctx = item.get("context") or {}
        if not isinstance(ctx, dict) or set(ctx) - CONTEXT_KEYS:
            problems.append(f"{where}: {name}: context must map any/all/none to lists of terms or globs")
            ctx = {}
        lists = {}
        for key in CONTEXT_KEYS:
            v = ctx.get(key) or []
            if isinstance(v, str):
                v = [v]
            if not isinstance(v, list):
                problems.append(f"{where}: {name}: context.{key} must be a list")
                v = []
            lists[key] = tuple(str(x).lower() for x in v)
            for x in lists[key]:  # an entry is alternatives joined by '|'
                for part in x.split("|"):
                    if is_glob(part):
                        problems.extend(f"{where}: {name}: context.{key}: {p}" for p in _glob_problems(part))
        shared = item.get("shared_with") or []
        shared = [shared] if isinstance(shared, str) else shared
        variants = item.get("variants") or []
        variants = [variants] if isinstance(variants, str) else variants
        if not isinstance(variants, list) or not all(isinstance(v, str) and v.strip() for v in variants):
            problems.append(f"{where}: {name}: variants must be a list of words or phrases")
            variants = []
        if variants and kinds[0] not in ("term", "phrase"):
            problems.append(f"{where}: {name}: variants belong to term and phrase indicators, not {kinds[0]}")
            variants = []
        out.append(Indicator(
            kinds[0], value.strip(), lists["any"], lists["all"], lists["none"], str(item.get("why") or ""),
            tuple(str(s) for s in shared), line, tuple(v.strip() for v in variants),
        ))
    return out


def load_codebook(path: str | Path = "default", *, format: str = "auto") -> Codebook:
    """Read a codebook: framing YAML, a quanteda YAML dictionary, or LIWC ``.dic``.

    Parameters
    ----------
    path : str or Path, default='default'
        ``'default'`` is the bundled Hong Kong role codebook.
    format : {'auto', 'framing', 'quanteda', 'liwc'}, default='auto'
        ``'auto'``: ``.dic`` files are LIWC; YAML with a ``frames`` list is a
        framing codebook; other YAML a quanteda dictionary.
    """
    check_option("format", format, ("auto", "framing", "quanteda", "liwc"))
    if format == "liwc" or (format == "auto" and str(path).lower().endswith(".dic")):
        return Codebook.from_liwc(path)
    if format == "quanteda":
        return Codebook.from_quanteda(path)
    if format == "framing" or str(path) == "default":
        return Codebook.from_yaml(path)
    label, text = _read(path)
    try:
        data, _ = load_yaml(text)
    except YamlProblem as exc:
        raise CodebookError(f"{label}:{exc.line or 1}: not valid YAML: {exc.message}") from None
    if isinstance(data, dict) and "frames" in data:  # a framing codebook, even with an empty 'frames:'
        return Codebook.from_yaml(path)
    return Codebook.from_quanteda(path)
