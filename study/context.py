"""The study's settings and the results its figures share."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

import framing as fr
from framing.base.errors import ArgumentError

SETTINGS = Path(__file__).with_name("settings.yaml")
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Every choice behind the figures (see ``settings.yaml``)."""

    name: str
    corpus: str
    subject_label: str
    subject_terms: str | tuple[str, ...]
    subject_place: str
    subject: fr.Subject
    coding: dict[str, str]
    codebook: str
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


def load_settings(path: str | Path = SETTINGS) -> Settings:
    """Read a study settings file; a missing key is named with the file."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
        s, t = data["subject"], data["topics"]
        terms = s["terms"] if isinstance(s["terms"], str) else tuple(s["terms"])
        return Settings(
            name=str(data["name"]), corpus=str(data["corpus"]), subject_label=str(s["label"]), subject_terms=terms,
            subject_place=str(s["place"]), codebook=str(data["codebook"]),
            subject=fr.Subject(tuple(s["aliases"]), tuple(s.get("anaphora") or ()), str(s["label"])),
            coding={k: str(v) for k, v in data["coding"].items()},
            role_frames=tuple(data["role_frames"]), role_terms=tuple(data["role_terms"]), seed=int(data["seed"]),
            n_boot=int(data["n_boot"]), robustness_permutations=int(data["robustness_permutations"]),
            collocates={k: int(v) for k, v in data["collocates"].items()},
            topic_method=str(t["method"]), topic_k=int(t["k"]), topic_seed=int(t["seed"]),
            search_ks=tuple(t["search_ks"]), search_seeds=tuple(t["search_seeds"]),
            stability_seeds=tuple(t["stability_seeds"]),
            colors={str(k): str(v) for k, v in (data.get("colors") or {}).items()},
        )
    except (OSError, yaml.YAMLError) as exc:
        raise ArgumentError(f"{path}: cannot be read ({exc})") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise ArgumentError(f"{path}: missing or invalid setting {exc}") from None


class Study:
    """A corpus with the study's settings; each shared result is computed once.

    Parameters
    ----------
    corpus : framing.Corpus or None
        None loads the corpus the settings name (``bundled``: the bundled one).
    settings : Settings or None
        None reads ``study/settings.yaml``.
    """

    def __init__(self, corpus: fr.Corpus | None = None, settings: Settings | None = None) -> None:
        self.settings = load_settings() if settings is None else settings
        if corpus is None:
            corpus = fr.load_corpus(None if self.settings.corpus == "bundled" else self.settings.corpus)
        self.corpus = corpus
        self._memo: dict[Any, Any] = {}

    @property
    def corpus_hash(self) -> str:
        return self.corpus.content_hash

    @property
    def by(self) -> str:
        """The grouping the figures compare (the corpus' own)."""
        return self.corpus.group_by or "source_type"

    def _once(self, key: Any, make: Any) -> Any:
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def tokens(self, pre: fr.Preprocessor | None = None) -> fr.Tokens:
        """The corpus' tokens under ``pre`` (default ``Preprocessor()``), made once."""
        pre = fr.Preprocessor() if pre is None else pre
        return self._once(("tokens", pre.id), lambda: fr.tokens(self.corpus, pre))

    def frames(self) -> fr.FrameResult:
        """The role codebook's frames, matched as the codebook declares, the subject under its other names."""
        s = self.settings
        return self._once("frames", lambda: fr.detect_frames(self.corpus, s.codebook, subject=s.subject))

    def coded(self, split: str | None = None) -> pd.DataFrame:
        """The coded sample's consensus (``corpus/coding/consensus.csv``), optionally one split of it.

        Empty for a corpus other than the bundled one (its units were not coded).
        """
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
        self.frames()
        self.topic_model()
        self.mentions()
        return self
