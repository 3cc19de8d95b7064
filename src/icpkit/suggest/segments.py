"""One ICP or several: split the wins on one dimension at a time, as the seeds prescribe.

Each categorical field becomes segments by value (the largest K-1 values on their own, the
rest together as "other"), each numeric field by the range `evidence` proposes for it
(below it, in it, above it). A dimension's segments differ in what wins when, on some
other field, the wins of each segment sit elsewhere than one ICP would put them: expected
wins per segment and value are the segment's deals there times the segment's win rate
times one lift per value common to all segments (indirect standardisation), compared with
the wins seen by scipy's chi-square test (`chisquare`, with the degrees of freedom of the
no-difference model); the size of the difference is the share of wins misplaced. The
p-values of every dimension and field tried are adjusted together (Benjamini-Hochberg,
scipy's `false_discovery_control`). The dimension misplacing the most wins among the
differences that hold is chosen; below `MIN_DIFFERENCE` one ICP fits. Whatever `outcome`
says is a win counts ("won" against "lost"), so best customers against the rest segment
the same way as won deals against lost ones.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import chisquare, false_discovery_control

from icpkit.errors import InputError
from icpkit.format.model import Form, Icp, Match
from icpkit.scorer.contract import CATEGORY, NUMERIC
from icpkit.suggest.draft import layer_of, trigger_slugs, weights
from icpkit.suggest.evidence import Evidence, FieldEvidence
from icpkit.suggest.folds import CrossValidation, cross_validate
from icpkit.text import number

MIN_SEGMENTS, MAX_SEGMENTS = 2, 10
SEGMENT_FOLDS = 5  # each segment's out-of-fold figure, unless --folds says otherwise
# A segment's wins enter the test, and get a value of their own, from this many wins.
MIN_SEGMENT_WINS = 10
# Adjusted p-value under which a difference holds, and the share of wins it must misplace
# to deserve its own ICPs: a tenth of the wins sitting where one ICP would not put them
# (one model in both regions of a test world misplaces about 5% by chance).
ALPHA = 0.01
MIN_DIFFERENCE = 0.10
# Out-of-sample figures need every fold to hold wins and losses of the segment.
MIN_MEASURED = 50
PER_FOLD = 2
# A category with fewer wins than this joins the others in a field's profile.
MIN_PROFILE_WINS = 5
METHOD = (
    "for each other field, a chi-square test of the wins of each segment against where one "
    "common lift per value puts them (Benjamini-Hochberg adjusted over every dimension and "
    "field tried); the size is the share of wins misplaced; separate ICPs when "
    f"{MIN_DIFFERENCE:.0%} or more are misplaced at adjusted p < {ALPHA:g}"
)


@dataclass(frozen=True)
class Difference:
    """How differently one other field's values are spread over the wins of each segment."""

    field: str
    statistic: float
    dof: int
    p_value: float
    adjusted: float
    misplaced: float

    @property
    def holds(self) -> bool:
        return self.adjusted < ALPHA


@dataclass(frozen=True)
class Dimension:
    field: str
    kind: str
    segments: int  # segments with enough wins to be compared
    differences: tuple[Difference, ...]

    @property
    def strength(self) -> float:
        """The largest difference that holds (0 when none does)."""
        return max((d.misplaced for d in self.differences if d.holds), default=0.0)

    @property
    def strongest(self) -> Difference | None:
        return max(self.differences, key=lambda d: (d.holds, d.misplaced), default=None)


@dataclass(frozen=True)
class Segment:
    slug: str
    label: str
    match: Match
    closed: int
    wins: int
    icp_id: str
    draft_text: str | None = None
    draft: Icp | None = None
    evidence: Evidence | None = None
    folds: CrossValidation | None = None
    # Why there is no draft, or no out-of-sample figure.
    no_draft: str = ""
    unmeasured: str = ""

    @property
    def losses(self) -> int:
        return self.closed - self.wins


@dataclass(frozen=True)
class Segmentation:
    asked: int
    split: bool
    reason: str
    dimension: Dimension | None
    dimensions: tuple[Dimension, ...]  # every dimension compared, strongest first
    segments: tuple[Segment, ...]  # the drafts' segments, when split
    unknown: int  # closed deals whose value on the dimension is unknown (in no segment)
    folds: int
    seed: int
    method: str = METHOD


@dataclass(frozen=True)
class Drafting:
    """What `suggest.run` lends the segments: its evidence and draft writing."""

    gather: Callable[[pd.DataFrame, dict[str, str]], Evidence]
    # (evidence, training deals, id, fitted-on note) -> draft text and ICP, bands fitted
    fitted: Callable[[Evidence, pd.DataFrame, str, str], tuple[str, Icp]]
    # (evidence, id) -> ICP with default bands, for each fold
    render: Callable[[Evidence, str], Icp]
    layers: Mapping[str, str]
    separator: str
    source: str  # the file the rows come from, for errors
    noun: str = "closed deals"


@dataclass(frozen=True)
class _Split:
    slug: str
    label: str
    match: Match
    rows: np.ndarray  # bool mask over the closed rows

    def __post_init__(self) -> None:
        # The label goes into the draft's comments and the report's lines: one line each.
        shown = "".join(ch if ch.isprintable() else " " for ch in self.label)
        object.__setattr__(self, "label", shown)


def segment(
    closed: pd.DataFrame,
    keys: pd.Series,
    kinds: Mapping[str, str],
    evidence: Evidence,
    drafting: Drafting,
    *,
    asked: int,
    icp_id: str,
    folds: int,
    seed: int,
) -> Segmentation:
    """`closed`: one row per closed deal (or customer), `outcome` "won" or not; `keys` the
    fold groups of those rows; `evidence` the proposal on all of them."""
    won = (closed["outcome"] == "won").to_numpy(dtype=bool)
    if int(won.sum()) < MIN_SEGMENTS * MIN_SEGMENT_WINS:
        raise InputError(
            f"{drafting.source}: {int(won.sum())} wins cannot fill {MIN_SEGMENTS} segments of "
            f"{MIN_SEGMENT_WINS} wins each: --segments needs {MIN_SEGMENTS * MIN_SEGMENT_WINS} "
            "or more"
        )
    profiles = {f.field: f for f in evidence.fields if f.kind in (CATEGORY, NUMERIC)}
    splits = {
        name: found
        for name, field in profiles.items()
        if len(found := _splits(field, closed[name], won, asked)) >= MIN_SEGMENTS
    }
    dimensions = _compare(closed, won, profiles, splits)
    best = dimensions[0] if dimensions else None
    one = Segmentation(asked, False, "", None, dimensions, (), 0, folds, seed)
    if best is None:
        why = (
            f"one ICP fits: no field splits the wins into {MIN_SEGMENTS} or more segments of "
            f"{MIN_SEGMENT_WINS}+ wins to compare"
        )
        return replace(one, reason=why)
    if best.strength < MIN_DIFFERENCE:
        return replace(one, reason=_alike(best), dimension=best)
    chosen = splits[best.field]
    inside = np.logical_or.reduce([s.rows for s in chosen])
    own = {k: v for k, v in kinds.items() if not (k == best.field and v == CATEGORY)}
    drafted = tuple(
        _draft(closed, keys, s, own, drafting, icp_id=f"{icp_id}-{s.slug}", folds=folds, seed=seed)
        for s in chosen
    )
    strongest = best.strongest
    assert strongest is not None
    why = (
        f"separate ICPs by {best.field}, one per segment: the wins of its segments differ on "
        f"{strongest.field} ({strongest.misplaced:.0%} of wins misplaced by one ICP, adjusted p "
        f"{_p(strongest.adjusted)})"
    )
    unknown = int((~inside).sum())
    return replace(one, split=True, reason=why, dimension=best, segments=drafted, unknown=unknown)


def segment_files(found: Segmentation, draft: Path) -> dict[str, tuple[Path, str]]:
    """Each segment's draft file beside `draft`, named by its id `<id>-<segment-slug>`."""
    return {
        s.icp_id: (draft.parent / f"{s.icp_id}.yaml", s.draft_text)
        for s in found.segments
        if s.draft_text is not None
    }


def _alike(best: Dimension) -> str:
    strongest = best.strongest
    largest = (
        ""
        if strongest is None
        else f"; the largest difference: the wins of {best.field}'s segments on "
        f"{strongest.field}, {strongest.misplaced:.0%} of wins misplaced (adjusted p "
        f"{_p(strongest.adjusted)})"
    )
    return (
        f"one ICP fits: no dimension's segments differ enough in what wins ({MIN_DIFFERENCE:.0%} "
        f"of wins or more misplaced by one ICP at adjusted p < {ALPHA:g}){largest}"
    )


def _p(value: float) -> str:
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def _splits(field: FieldEvidence, column: pd.Series, won: np.ndarray, asked: int) -> list[_Split]:
    if field.kind == CATEGORY:
        return _by_value(field.field, column, won, asked)
    if field.match is None or field.match.form is not Form.RANGE:
        return []  # a number without a proposed range has no cut to split at
    return _by_range(field.field, column, field.match, asked)


def _by_value(name: str, column: pd.Series, won: np.ndarray, asked: int) -> list[_Split]:
    text = column.astype("string").str.strip()
    folded = np.asarray(text.str.lower().astype(object).where(text.notna(), None))
    known = pd.notna(folded)
    counts = pd.Series(folded[known & won]).value_counts()
    common = text[known].groupby(folded[known]).agg(lambda s: s.value_counts().index[0])
    spelled = {str(k): str(v) for k, v in common.items()}  # as most rows write each value
    own = [str(v) for v, n in counts.items() if n >= MIN_SEGMENT_WINS]
    rest = sorted(set(folded[known]) - set(own))
    if len(own) > asked or (rest and len(own) == asked):
        own, rest = own[: asked - 1], sorted(set(folded[known]) - set(own[: asked - 1]))
    labels = [spelled[v] for v in own]
    slugs = trigger_slugs([*labels, "(other)"] if rest else labels)
    prefix = name.replace("_", "-")
    out = [
        _Split(f"{prefix}-{slugs[label]}", f"{name}: {label}",
               Match(Form.IN, values=(label,)), known & (folded == value))
        for value, label in zip(own, labels, strict=True)
    ]  # fmt: skip
    if rest:
        values = tuple(spelled[str(v)] for v in rest)
        rows = known & np.isin(folded, np.array(rest, dtype=object))
        out.append(_Split(f"{prefix}-{slugs['(other)']}", f"{name}: other ({len(rest)} values)",
                          Match(Form.IN, values=values), rows))  # fmt: skip
    return out


def _by_range(name: str, column: pd.Series, match: Match, asked: int) -> list[_Split]:
    values = column.to_numpy(dtype="float64", na_value=np.nan)
    known = ~np.isnan(values)
    low, high = match.min, match.max
    below = known & (values < low) if low is not None else np.zeros(len(values), dtype=bool)
    above = known & (values > high) if high is not None else np.zeros(len(values), dtype=bool)
    middle = known & ~below & ~above
    if asked < 3 and below.any() and above.any():
        # The smaller tail joins the proposed range, which holds most wins already.
        if below.sum() <= above.sum():
            middle, below, match = middle | below, below & False, Match(Form.RANGE, max=high)
        else:
            middle, above, match = middle | above, above & False, Match(Form.RANGE, min=low)
    parts = [
        (f"under-{_slug_number(low)}", f"{name} under {number(low)}",
         Match(Form.RANGE, max=low), below) if low is not None else None,
        (_range_slug(match), f"{name} {_range_label(match)}", match, middle),
        (f"over-{_slug_number(high)}", f"{name} over {number(high)}",
         Match(Form.RANGE, min=high), above) if high is not None else None,
    ]  # fmt: skip
    prefix = name.replace("_", "-")
    return [
        _Split(f"{prefix}-{slug}", label, rule, rows)
        for slug, label, rule, rows in filter(None, parts)
        if rows.any()
    ]


def _range_label(match: Match) -> str:
    if match.min is None:
        return f"up to {number(match.max or 0)}"
    if match.max is None:
        return f"{number(match.min)} or more"
    return f"{number(match.min)}-{number(match.max)}"


def _range_slug(match: Match) -> str:
    if match.min is None:
        return f"up-to-{_slug_number(match.max or 0)}"
    if match.max is None:
        return f"from-{_slug_number(match.min)}"
    return f"{_slug_number(match.min)}-{_slug_number(match.max)}"


def _slug_number(value: float) -> str:
    return f"{value:g}".replace(".", "p").replace("-", "minus").replace("+", "")


def _compare(
    closed: pd.DataFrame,
    won: np.ndarray,
    profiles: Mapping[str, FieldEvidence],
    splits: Mapping[str, list[_Split]],
) -> tuple[Dimension, ...]:
    tested: list[tuple[str, Difference]] = []
    sizes: dict[str, int] = {}
    for name, parts in splits.items():
        compared = [s for s in parts if int((s.rows & won).sum()) >= MIN_SEGMENT_WINS]
        if len(compared) < MIN_SEGMENTS:
            continue
        sizes[name] = len(compared)
        segment_of = np.full(len(closed), -1)
        for i, part in enumerate(compared):
            segment_of[part.rows] = i
        for other, field in profiles.items():
            found = (
                _homogeneity(other, segment_of, _profile(field, closed[other]), won)
                if other != name
                else None
            )
            if found is not None:
                tested.append((name, found))
    if not tested:
        return ()
    adjusted = false_discovery_control([d.p_value for _, d in tested], method="bh")
    dimensions = [
        Dimension(
            name,
            profiles[name].kind,
            count,
            tuple(
                replace(d, adjusted=float(a))
                for (owner, d), a in zip(tested, adjusted, strict=True)
                if owner == name
            ),
        )
        for name, count in sizes.items()
    ]
    return tuple(sorted(dimensions, key=_rank))


def _rank(dimension: Dimension) -> tuple[float, float, str]:
    strongest = dimension.strongest
    return (-dimension.strength, -(strongest.misplaced if strongest else 0.0), dimension.field)


def _profile(field: FieldEvidence, column: pd.Series) -> np.ndarray:
    """Each row's bin on `field` (-1 unknown): its value, or for numbers its quartile over
    the closed deals (finer than the proposed range, which fits all wins at once)."""
    if field.kind == NUMERIC:
        values = column.to_numpy(dtype="float64", na_value=np.nan)
        edges = np.unique(np.nanquantile(values, [0.25, 0.5, 0.75]))
        bins = np.searchsorted(edges, values, side="right")
        return np.where(np.isnan(values), -1, bins)
    codes, _ = pd.factorize(column.astype("string").str.strip().str.lower())
    return np.asarray(codes)


def _homogeneity(
    field: str, segment_of: np.ndarray, bins: np.ndarray, won: np.ndarray
) -> Difference | None:
    """Do the wins of each segment sit on `field`'s values where one common lift puts them?

    Expected wins per segment and value: the segment's deals there, times the segment's win
    rate, times the value's lift common to all segments (its wins over the wins it would
    have if each segment's wins were spread like its deals: indirect standardisation, so a
    field that differs only because the segments' deals differ is not a difference)."""
    rows = (segment_of >= 0) & (bins >= 0)
    deals = pd.crosstab(segment_of[rows], bins[rows])
    wins = pd.crosstab(segment_of[rows & won], bins[rows & won])
    wins = wins.reindex(index=deals.index, columns=deals.columns, fill_value=0)
    # Rare values join together: a cell of one or two wins says nothing about a segment.
    rare = deals.columns[wins.sum(axis=0) < MIN_PROFILE_WINS]
    if len(rare):
        deals = deals.drop(columns=rare).assign(_rare=deals[rare].sum(axis=1))
        wins = wins.drop(columns=rare).assign(_rare=wins[rare].sum(axis=1))
    keep = wins.sum(axis=1) > 0
    n, w = deals.loc[keep].to_numpy(float), wins.loc[keep].to_numpy(float)
    n, w = n[:, n.sum(axis=0) > 0], w[:, n.sum(axis=0) > 0]
    segments, values = n.shape
    if segments < 2 or values < 2:
        return None
    spread = n * (w.sum(axis=1) / n.sum(axis=1))[:, None]
    expected = spread * (w.sum(axis=0) / spread.sum(axis=0))[None, :]
    expected *= (w.sum(axis=1) / expected.sum(axis=1))[:, None]
    cells = expected > 0
    dof = (segments - 1) * (values - 1)
    found = chisquare(w[cells], expected[cells], ddof=int(cells.sum()) - 1 - dof)
    misplaced = float(np.abs(w - expected).sum() / 2 / w.sum())
    p_value = float(found.pvalue)
    return Difference(field, float(found.statistic), dof, p_value, p_value, misplaced)


def _draft(
    closed: pd.DataFrame,
    keys: pd.Series,
    split: _Split,
    kinds: dict[str, str],
    drafting: Drafting,
    *,
    icp_id: str,
    folds: int,
    seed: int,
) -> Segment:
    part = closed[split.rows]
    wins = int((part["outcome"] == "won").sum())
    base = Segment(split.slug, split.label, split.match, len(part), wins, icp_id)
    losses = len(part) - wins
    if not wins or not losses:
        return replace(base, no_draft=f"its {drafting.noun} are all {'won' if wins else 'lost'}")
    evidence = drafting.gather(part, kinds)
    why = _undraftable(evidence, drafting.layers)
    if why:
        return replace(base, evidence=evidence, no_draft=why)
    fitted_on = f"{len(part)} {drafting.noun} of the segment {split.label}"
    text, draft = drafting.fitted(evidence, part, icp_id, fitted_on)
    text = _marked(text, split, len(part))
    need = MIN_MEASURED
    if (
        len(part) < need
        or min(wins, losses) < PER_FOLD * folds
        or keys[split.rows].nunique() < folds
    ):
        small = (
            f"too small to measure out of sample: {len(part):,} {drafting.noun} ({wins:,} won, "
            f"{losses:,} lost); {folds} folds need {need} with {PER_FOLD * folds} of each"
        )
        return replace(base, draft_text=text, draft=draft, evidence=evidence, unmeasured=small)

    def refit(train: pd.DataFrame) -> Icp | None:
        found = drafting.gather(train, kinds)
        if not found.wins or not found.losses or _undraftable(found, drafting.layers):
            return None
        return drafting.render(found, icp_id)

    measured = cross_validate(
        part, keys[split.rows], folds=folds, seed=seed, fit=refit, separator=drafting.separator
    )
    return replace(base, draft_text=text, draft=draft, evidence=evidence, folds=measured)


def _undraftable(evidence: Evidence, layers: Mapping[str, str]) -> str:
    if not weights(evidence):
        return "no field separates its wins from its losses"
    used = [f.field for f in evidence.fields if f.used]
    if all(layer_of(name, layers)[0] != "firmographics" for name in used):
        return "no firmographic field separates its wins from its losses"
    return ""


def _marked(text: str, split: _Split, closed: int) -> str:
    """The draft says which segment it is for: its rules were learnt there only."""
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    note = [
        f"# Segment {split.label} ({closed:,} closed): score only accounts of this segment",
        "# with it; the other segments have their own draft.",
    ]
    return "\n".join([*lines[:at], *note, *lines[at:]])
