"""Do the findings survive the analyst's choices? (Denny & Spirling 2018)

:func:`robustness` reruns an analysis over a grid of specifications, the full
factorial of the choices that apply to it, and reports for each finding of
the baseline specification how often it holds. Keyness varies the
preprocessing. Frames are matched as the codebook declares, so preprocessing
cannot move them; their grid varies what can: the unit, the subject scope,
the measure and the stance filter, then leaves out each document and each
indicator in turn, so a finding that one document or one indicator carries
shows as such. A finding no specification could flip is reported as
untestable, not as holding everywhere.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from framing.base.errors import ArgumentError, check_option
from framing.corpus.model import Corpus
from framing.measures.frames.codebook import Codebook, load_codebook
from framing.measures.frames.matching import FrameResult, detect_frames
from framing.measures.frames.salience import frame_differences
from framing.measures.frames.stance import STANCES
from framing.measures.keywords.keyness import keyness
from framing.text.dtm import dtm
from framing.text.preprocess import Preprocessor
from framing.text.tokens import Tokens, tokens, with_learned_phrases

__all__ = ["robustness", "RobustnessResult", "default_grid"]

Analysis = Literal["keyness", "frames"]

_GRID: dict[str, dict[str, list[Any]]] = {
    "keyness": {
        "lowercase": [True, False],
        "stopwords": ["english", None],
        "normalize": ["lemma", "stem", None],
        "phrases": ["default", None],
        "learn_phrases": [False, True],
    },
    "frames": {
        "unit": ["paragraph", "sentence"],
        "scope": ["paragraph", "all"],
        "measure": ["share_units", "per_1000"],
        "stance": ["all", "affirmed"],
    },
}
#: What a frames specification may leave out, one at a time, on the baseline settings.
LEAVE_OUT = ("documents", "indicators")


def default_grid(analysis: Analysis) -> dict[str, list[Any]]:
    """The full factorial of the choices that apply to an analysis; the first value of each is the baseline.

    - keyness (48 specifications): lowercase, stopwords, lemmas / stems / none,
      multiword expressions, learned phrases. The unit does not enter: G² and
      the log ratio are sums over tokens and do not depend on it.
    - frames (16): the unit over which shares and tests are computed
      (paragraph or sentence), the scope (paragraphs that speak of the
      subject, or all), the measure (share of units, hits per 1,000 tokens)
      and the stance filter (every hit, or affirmed hits only);
      :func:`robustness` adds one specification per document and per
      indicator left out.
    """
    check_option("analysis", analysis, tuple(_GRID))
    return {k: list(v) for k, v in _GRID[analysis].items()}


@dataclass
class RobustnessResult:
    """What :func:`robustness` found.

    Attributes
    ----------
    specs : pandas.DataFrame
        One row per specification: ``spec`` (``s00`` is the baseline), its
        settings and the preprocessor id.
    findings : pandas.DataFrame
        One row per finding and specification, with what the finding
        measured there and whether it ``holds``.
    summary : pandas.DataFrame
        One row per finding: its description, its baseline value, the share
        of specifications where it holds, and the specifications where it
        flips.
    """

    analysis: str
    specs: pd.DataFrame
    findings: pd.DataFrame
    summary: pd.DataFrame


def _specs(grid: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    keys = list(grid)
    return [dict(zip(keys, values)) for values in itertools.product(*(grid[k] for k in keys))]


def _preprocessor(spec: Mapping[str, Any]) -> Preprocessor:
    args = {k: v for k, v in spec.items() if k != "unit"}
    return Preprocessor(**args)


def robustness(
    corpus: Corpus,
    analysis: Analysis = "frames",
    grid: Mapping[str, Sequence[Any]] | None = None,
    *,
    by: str | None = None,
    codebook: Codebook | str = "default",
    subject: str | Sequence[str] | None = None,
    frames: Sequence[str] | None = None,
    leave_out: Sequence[str] = LEAVE_OUT,
    top_n: int = 20,
    n_perm: int = 1000,
    alpha: float = 0.05,
    random_state: int = 0,
    progress: Callable[[str], None] | None = None,
) -> RobustnessResult:
    """Rerun an analysis over a grid of preprocessing choices; report what holds.

    Parameters
    ----------
    corpus : Corpus
    analysis : {'keyness', 'frames'}, default='frames'
    grid : mapping or None
        Setting -> values; the first value of each is the baseline. None uses
        :func:`default_grid`. Settings are :class:`Preprocessor` arguments
        plus ``unit`` (frames).
    by : str or None
        The grouping column; None uses the corpus' own.
    codebook : Codebook or str, default='default'
        For ``analysis='frames'``.
    subject : str, list of str, Subject or None
        For ``analysis='frames'``: the subject, as for
        :func:`framing.detect_frames`; without it the grid's scope is
        ``'all'`` only.
    frames : sequence of str or None
        Frames whose findings are tracked; None: all.
    leave_out : sequence of {'documents', 'indicators'}
        Frames: besides the grid, one specification per document left out
        and per indicator of the tracked frames (with hits) left out, on
        the baseline settings.
    top_n : int, default=20
        Keyness: the size of each group's top list compared across specifications.
    n_perm : int, default=1000
        Frames: permutations per test.
    alpha : float, default=0.05
        Frames: a difference counts as significant below this p-value.
    random_state : int, default=0
    progress : callable or None
        Called with a line of text per specification.

    Returns
    -------
    RobustnessResult

    Notes
    -----
    Findings, taken from the baseline specification:

    - keyness, per group: its top-``top_n`` terms by G² against the rest. In
      each specification: Spearman's rank correlation of G² with the baseline
      over the terms both share, and the overlap (Jaccard) of the top lists
      after mapping each term to its baseline form where the specification
      changed only its spelling (a term is compared by the baseline terms it
      was counted from). ``holds``: overlap of at least half.
    - frames, per pair of groups and frame: the difference of the share of
      units carrying the frame, its sign and its permutation p-value. A
      finding is a difference significant in the baseline; it ``holds`` in a
      specification when its sign is the same and it stays significant.
      Also, per group, which frame it carries most: ``holds`` when that frame
      stays first.
    """
    if not isinstance(corpus, Corpus):
        raise ArgumentError(f"robustness expects a framing Corpus, got {type(corpus).__name__}")
    check_option("analysis", analysis, ("keyness", "frames"))
    grid = default_grid(analysis) if grid is None else {k: list(v) for k, v in grid.items()}
    allowed = set(_GRID[analysis])
    if analysis == "keyness":
        allowed |= {"token_pattern", "numbers", "extra_stopwords", "phrase_min_count", "phrase_threshold"}
    unknown = sorted(set(grid) - allowed)
    if unknown and analysis == "frames":
        raise ArgumentError(
            f"grid: setting(s) {', '.join(unknown)} do not apply to frames: frames are matched as the codebook "
            f"declares, whatever the preprocessing; vary {', '.join(sorted(allowed))} (and leave_out=)"
        )
    if unknown:
        raise ArgumentError(f"grid: setting(s) {', '.join(unknown)} do not apply to {analysis}; use {', '.join(sorted(allowed))}")
    for what in leave_out:
        check_option("leave_out", what, LEAVE_OUT)
    if analysis == "frames" and subject is None and "paragraph" in grid.get("scope", ()):
        if "scope" in dict(default_grid("frames")) and grid["scope"] == default_grid("frames")["scope"]:
            grid["scope"] = ["all"]  # without a subject there is no subject scope to vary
        else:
            raise ArgumentError("grid: scope='paragraph' keeps the paragraphs that speak of the subject; pass subject=")
    if any(not v for v in grid.values()):
        raise ArgumentError("grid: every setting needs at least one value")
    by = by or corpus.group_by
    if by is None:
        raise ArgumentError("robustness needs groups to compare: pass by= or use a corpus with a grouping column")
    specs = _specs(grid)
    rows = []
    if analysis == "frames":
        cb = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
        for key, allowed_values in (("scope", ("paragraph", "all")), ("measure", ("share_units", "per_1000")),
                                    ("unit", ("paragraph", "sentence")), ("stance", ("all", *STANCES))):
            for v in grid.get(key, ()):
                check_option(key, v, allowed_values)
        fixed = {k: v[0] for k, v in default_grid("frames").items()}
        if subject is None:
            fixed["scope"] = "all"
        specs = [{**fixed, **spec, "drop": ""} for spec in specs]
        base_spec = specs[0]
        if "documents" in leave_out:
            specs += [{**base_spec, "drop": f"document:{d.doc_id}"} for d in corpus]
        if "indicators" in leave_out:
            tracked = list(frames) if frames is not None else cb.frame_ids
            ev = detect_frames(corpus, cb, subject=subject).evidence
            used = ev.loc[ev["frame"].isin(tracked), "indicator"]
            specs += [{**base_spec, "drop": f"indicator:{ind}"} for ind in sorted(pd.unique(used))]
        for i, spec in enumerate(specs):
            rows.append({"spec": f"s{i:02d}", **spec, "preprocessor": cb.preprocessor.id})
    else:
        for i, spec in enumerate(specs):
            try:
                pre = _preprocessor(spec)
            except Exception as exc:  # a bad value in the grid: name it
                raise ArgumentError(f"grid specification {spec}: {exc}") from None
            rows.append({"spec": f"s{i:02d}", **spec, "preprocessor": pre.id})
    spec_table = pd.DataFrame(rows, dtype=object)  # keep None as None, not NaN
    if analysis == "keyness":
        findings = _keyness_findings(corpus, specs, spec_table, by, top_n, progress)
    else:
        findings = _frame_findings(corpus, specs, spec_table, by, codebook, subject, frames, n_perm, alpha, random_state,
                                   progress)
    summary = _summarise(findings, spec_table)
    if analysis == "frames":
        cb = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
        findings.attrs["codebook"] = cb.version_id
    return RobustnessResult(analysis, spec_table, findings, summary)


def _keyness_findings(corpus: Corpus, specs: list[dict[str, Any]], table: pd.DataFrame, by: str, top_n: int,
                      progress: Callable[[str], None] | None) -> pd.DataFrame:
    from scipy.stats import spearmanr  # where used: scipy.stats would add a third to `import framing`

    results = []
    token_maps = []
    streams = _TokenMemo(corpus)
    base_at = {(d, a): t for d, _, spans in streams(_preprocessor(specs[0])).paragraphs() for t, a, _ in spans}
    for i, spec in enumerate(specs):
        if progress:
            progress(f"[{i + 1}/{len(specs)}] keyness {table.loc[i, 'preprocessor']}")
        toks = streams(_preprocessor(spec))
        k = keyness(dtm(toks, unit="document"), by=by, min_count=3, documents=False)  # the findings rank by G² alone
        results.append(k)
        # which baseline term does each term of this spec start on? (for the overlap of top lists)
        mapping: dict[str, dict[str, int]] = {}
        for d, _, ss in toks.paragraphs():
            for t, a, _ in ss:
                b = base_at.get((d, a))
                if b is not None:
                    mapping.setdefault(t, {}).setdefault(b, 0)
                    mapping[t][b] += 1
        token_maps.append({t: max(bs, key=bs.get) for t, bs in mapping.items()})
    # each specification's table split by group once: terms and G² as arrays, rows in table order
    split = [{g: (kg["term"].to_numpy(dtype=object), kg["g2"].to_numpy(dtype=float))
              for g, kg in k.groupby("target", sort=False)} for k in results]
    rows = []
    for g in results[0]["target"].drop_duplicates():
        bterms, bg2 = split[0][g]
        btop = [bterms[j] for j in _by_g2(bg2)[:top_n]]
        bpos = {t: j for j, t in enumerate(bterms)}
        for i, parts in enumerate(split):
            terms, g2 = parts.get(g, (np.empty(0, dtype=object), np.empty(0)))
            mapped = [token_maps[i].get(t) for t in terms]  # the baseline term each term starts on, or None
            top = [b for b in (mapped[j] for j in _by_g2(g2)) if b is not None][:top_n]
            overlap = len(set(top) & set(btop)) / len(set(top) | set(btop)) if top or btop else np.nan
            common: dict[str, float] = {}  # baseline term -> G² of its first term in table order
            for b, v in zip(mapped, g2.tolist()):
                if b is not None and b not in common:
                    common[b] = v
            shared = [t for t in bterms if t in common]  # in the baseline's order
            rho = (float(spearmanr(bg2[[bpos[t] for t in shared]], [common[t] for t in shared]).statistic)
                   if len(shared) > 2 else np.nan)
            rows.append({"finding": f"keyness:{g}", "description": f"top {top_n} key terms of {g} (G², vs the rest)",
                         "spec": f"s{i:02d}", "value": overlap, "rank_correlation": rho, "holds": bool(overlap >= 0.5),
                         "baseline": ", ".join(btop[:5])})
    return pd.DataFrame(rows)


def _by_g2(g2: np.ndarray) -> list[int]:
    """Positions by G², largest first, NaN last: the order of ``DataFrame.sort_values('g2', ascending=False)``,
    ties included (pandas sorts the reversed values with numpy's quicksort and reverses the result)."""
    nan = np.isnan(g2)
    kept = np.flatnonzero(~nan)[::-1]
    order = kept[g2[kept].argsort(kind="quicksort")][::-1]
    return [*order.tolist(), *np.flatnonzero(nan).tolist()]


class _TokenMemo:
    """Tokens of one corpus per preprocessor, made once in a run."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.made: dict[str, Tokens] = {}

    def __call__(self, pre: Preprocessor) -> Tokens:
        if pre.id not in self.made:
            if pre.learn_phrases:  # the same tokens as without learned phrases, then phrases learned on them
                self.made[pre.id] = with_learned_phrases(self(dataclasses.replace(pre, learn_phrases=False)), pre)
            else:
                self.made[pre.id] = tokens(self.corpus, pre)
        return self.made[pre.id]


def _subset(result: FrameResult, *, drop_doc: str | None = None, drop_indicator: str | None = None) -> FrameResult:
    """The same result without one document, or without the hits of one indicator."""
    units, ev, sents = result.units, result.evidence, result.sentences
    if drop_doc is not None:
        units = units[units["doc_id"] != drop_doc]
        ev = ev[ev["doc_id"] != drop_doc]
        sents = sents[sents["doc_id"] != drop_doc]
    if drop_indicator is not None:
        ev = ev[ev["indicator"] != drop_indicator]
    return FrameResult(evidence=ev, units=units, sentences=sents, codebook=result.codebook,
                       preprocessor=result.preprocessor, subject=result.subject, group_by=result.group_by,
                       corpus_hash=result.corpus_hash, headings=result.headings)


def _frame_findings(corpus: Corpus, specs: list[dict[str, Any]], table: pd.DataFrame, by: str, codebook: Any,
                    subject: Any, frames: Sequence[str] | None, n_perm: int, alpha: float, random_state: int,
                    progress: Callable[[str], None] | None) -> pd.DataFrame:
    cb = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
    tracked = list(frames) if frames is not None else cb.frame_ids
    missing = [f for f in tracked if f not in cb.frame_ids]
    if missing:
        raise ArgumentError(f"frames: {', '.join(missing)} not in the codebook; frames are {', '.join(cb.frame_ids)}")
    # frames are matched as the codebook declares: one detection serves every specification
    base_result = detect_frames(corpus, cb, subject=subject)
    per_spec = []
    for i, spec in enumerate(specs):
        if progress:
            progress(f"[{i + 1}/{len(specs)}] frames {table.loc[i, 'spec']}")
        drop = spec.get("drop") or ""
        kind, _, what = drop.partition(":")
        result = _subset(base_result, drop_doc=what if kind == "document" else None,
                         drop_indicator=what if kind == "indicator" else None) if drop else base_result
        if spec.get("unit", "paragraph") == "sentence":
            result = _sentence_level(result)
        stance = None if spec.get("stance", "all") == "all" else spec["stance"]
        d = frame_differences(result, by=by, scope=spec.get("scope", "paragraph"), measure=spec.get("measure", "share_units"),
                              level="unit", n_perm=n_perm, random_state=random_state, stance=stance)
        d = d[d["frame"].isin(tracked)]
        top = _top_frames(result, by, tracked, spec.get("scope", "paragraph"), stance)
        per_spec.append((d, top, result))
    base_d, base_top, base = per_spec[0]
    # per specification: each (group a, group b, frame)'s difference and p, and the (frame, group)s with a hit
    tests = [{(a, b, f): (diff, p) for a, b, f, diff, p in
              zip(d["group_a"], d["group_b"], d["frame"], d["difference"], d["p"])} for d, _, _ in per_spec]
    present = [set(zip(res.evidence["frame"].astype(object), res.evidence["group"].astype(object)))
               for _, _, res in per_spec]
    rows = []
    sig = base_d[base_d["p"] < alpha]
    for r in sig.itertuples():
        higher, lower = (r.group_a, r.group_b) if r.difference > 0 else (r.group_b, r.group_a)
        fid = f"frames:{r.frame}:{higher}>{lower}"
        desc = f"{higher} carries {r.frame} more than {lower}"
        # a group with no hit of the frame in any specification cannot come to carry it more: untestable
        never = all((r.frame, lower) not in hit for hit in present)
        for i, found in enumerate(tests):
            m, flip = found.get((r.group_a, r.group_b, r.frame)), 1.0
            if m is None:  # the groups may come in the other order once a document is left out
                m, flip = found.get((r.group_b, r.group_a, r.frame)), -1.0
            if m is None or never:  # a group left with no documents, or a finding no choice can flip
                holds = np.nan
                value = p = np.nan
                same = np.nan
            else:
                value, p = flip * float(m[0]), float(m[1])
                same = bool(np.sign(value) == np.sign(r.difference))
                holds = bool(same and p < alpha)
            rows.append({"finding": fid, "description": desc, "spec": f"s{i:02d}", "value": value, "p": p,
                         "same_sign": same, "holds": holds,
                         "baseline": f"{r.difference:+.3f} (p = {r.p:.4f})" + (
                             f"; untestable: {lower} has no hit of {r.frame} in any specification" if never else "")})
    for g, f in base_top.items():
        for i, (_, top, _) in enumerate(per_spec):
            rows.append({"finding": f"frames:{g}:top", "description": f"{f} is the frame {g} carries most", "spec": f"s{i:02d}",
                         "value": np.nan, "p": np.nan, "same_sign": np.nan,
                         "holds": bool(top.get(g) == f) if g in top else np.nan, "baseline": f})
    return pd.DataFrame(rows)


def _top_frames(result: Any, by: str, tracked: Sequence[str], scope: str = "all", stance: str | None = None,
                ) -> dict[str, str]:
    hits, _, units = result.hits_matrix(scope, stance)
    frames = result.codebook.frame_ids
    carries = hits[:, [frames.index(f) for f in tracked]] > 0
    codes, groups = pd.factorize(units[by])  # in order of first appearance, as groupby(sort=False); NaN: -1, no group
    out = {}
    for code, g in enumerate(groups):
        share = carries[codes == code].mean(0)
        out[str(g)] = tracked[int(np.argmax(share))]
    return out


def _sentence_level(result: FrameResult) -> FrameResult:
    """A new result: the same hits with sentences as the units of shares and tests."""
    s = result.sentences
    meta_cols = [c for c in result.units.columns if c not in ("unit_id", "start", "end", "n_tokens", "mentions_subject", "index",
                                                              "unit", "paragraph", "sentence", "role", "is_heading")]
    meta = result.units[meta_cols].drop_duplicates("doc_id").set_index("doc_id")
    units = pd.DataFrame({"unit_id": s["sentence_id"].to_numpy(), "doc_id": s["doc_id"].to_numpy(),
                          "start": s["start"].to_numpy(), "end": s["end"].to_numpy(),
                          "n_tokens": s["n_tokens"].to_numpy(), "mentions_subject": s["mentions_subject"].to_numpy()})
    heading = result.units.set_index("unit_id")["is_heading"]
    units["is_heading"] = s["unit_id"].map(heading).fillna(False).astype(bool).to_numpy()  # a heading's sentences
    units = units.join(meta.drop(columns=[c for c in meta.columns if c in units.columns], errors="ignore"), on="doc_id")
    ev = result.evidence.assign(unit_id=result.evidence["sentence_id"])
    sentences = s.assign(unit_id=s["sentence_id"])
    return FrameResult(evidence=ev, units=units, sentences=sentences, codebook=result.codebook,
                       preprocessor=result.preprocessor, subject=result.subject, group_by=result.group_by,
                       corpus_hash=result.corpus_hash, headings=result.headings)


def _summarise(findings: pd.DataFrame, specs: pd.DataFrame) -> pd.DataFrame:
    if findings.empty:
        return pd.DataFrame(columns=["finding", "description", "baseline", "specs", "holds_share", "flips", "flips_when",
                                     "flipping_specs"])
    rows = []
    settings = [c for c in specs.columns if c not in ("spec", "preprocessor")]
    for fid, g in findings.groupby("finding", sort=False):
        tested = g[g["holds"].notna()]
        flips = tested.loc[~tested["holds"].astype(bool), "spec"].tolist()
        flip_settings = ""
        if flips:
            # the settings whose values differ from the baseline in every flipping specification
            flipped = specs.set_index("spec").loc[flips, settings]
            base = specs.iloc[0]
            common = [s for s in settings if all(v != base[s] for v in flipped[s])]
            if common == ["drop"]:  # only leave-one-out specifications flip it: name what was left out
                flip_settings = "without " + ", ".join(v.split(":", 1)[1] for v in flipped["drop"])
            else:
                # a setting explains the flips when every flipping specification departs from the baseline on it
                flip_settings = ", ".join(
                    f"{s}≠{base[s]}" if flipped[s].nunique(dropna=False) > 1 else f"{s}={flipped[s].iloc[0]}" for s in common
                ) if common else "(no single setting)"
        untestable = tested.empty
        row = {"finding": fid, "description": g["description"].iloc[0], "baseline": g["baseline"].iloc[0],
               "specs": len(tested), "holds_share": float(tested["holds"].astype(bool).mean()) if len(tested) else np.nan,
               "flips": len(flips), "flips_when": "untestable: no specification could flip it" if untestable else flip_settings,
               "flipping_specs": " ".join(flips)}
        if "rank_correlation" in g.columns:
            row["rank_correlation_min"] = float(g["rank_correlation"].min())
            row["overlap_mean"] = float(g["value"].mean())
        rows.append(row)
    return pd.DataFrame(rows)
