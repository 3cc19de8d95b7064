"""Wins against losses, field by field, and the rule each field's data supports.

- numeric fields: the range holding 70-80% of wins with the best lift (seeds: "your
  ranges should capture at least 70-80% of your historical wins"), with its edges
  rounded to numbers people write; size fields stay within `max-range-ratio`;
- categories and list items that over-index in wins;
- triggers with their lift;
- anti-ICP candidates: values and tails where losses concentrate.

Predictive power is Youden's J (share of wins matched minus share of losses matched):
what the rule adds to telling wins from losses, and what weights are made proportional to.

Which values or range a rule holds is chosen among the deals whose field is known; its
shares, lift and power are over all closed deals, an unknown value counted as not matching,
since that is how the scorer treats it (it earns nothing): a rule that matches most known
values of a field that is rarely known adds little to the score.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from icpkit.format.model import Form, Match
from icpkit.scorer.contract import CATEGORY, LIST, NUMERIC
from icpkit.suggest.outcome import DEALS, NEGATIVE, POSITIVE, Outcome
from icpkit.text import number, percent

WIN_SHARE = (0.70, 0.80)
MIN_LIFT = 1.15
MIN_POWER = 0.05
# "Customer types who will never buy": an anti-ICP wins at most 15% as often as the
# average deal. Looser cuts disqualify too many wins and cost AUC on later deals.
ANTI_RATE = 0.15
ANTI_LOSSES = 5
STEPS = 40
# A rule is used when its power is this many standard errors above zero.
CHANCE = 2.5
# A minority segment (returning clients, the largest accounts): fewer than 70% of wins,
# but each deal in it wins at least this much more often than the average.
SEGMENT_LIFT = 1.5
SEGMENT_WINS = 0.10


@dataclass(frozen=True)
class AntiCandidate:
    id: str
    field: str
    match: Match
    deals: int
    losses: int
    win_rate: float
    loss_share: float

    def reason(self, base: float, outcome: Outcome = DEALS) -> str:
        return (
            f"{self.losses} of {self.deals} {outcome.rows} here {outcome.negative_past} "
            f"({outcome.rate} {percent(self.win_rate)} against {percent(base)} overall)"
        )


@dataclass(frozen=True)
class PartialEvidence:
    """Values outside the rule that still win more often: partial credit."""

    match: Match
    credit: float
    win_share: float
    loss_share: float
    lift: float


@dataclass(frozen=True)
class FieldEvidence:
    field: str
    kind: str
    wins: str
    losses: str
    difference: str
    known_wins: int
    known_losses: int
    # Every closed win and loss, known or not: what the shares below are of.
    all_wins: int
    all_losses: int
    match: Match | None = None
    win_share: float = 0.0
    loss_share: float = 0.0
    lift: float = 0.0
    note: str = ""
    anti: tuple[AntiCandidate, ...] = ()
    partial: tuple[PartialEvidence, ...] = ()

    @property
    def power(self) -> float:
        return self.win_share - self.loss_share if self.match is not None else 0.0

    @property
    def known(self) -> float:
        """The share of closed deals whose value is known: the most a rule can match."""
        closed = self.all_wins + self.all_losses
        return (self.known_wins + self.known_losses) / closed if closed else 0.0

    @property
    def spread(self) -> float:
        """The power's standard error: how far it moves from one sample of deals to the next."""
        wins, losses = max(self.all_wins, 1), max(self.all_losses, 1)
        w, l_ = self.win_share, self.loss_share
        return math.sqrt(w * (1 - w) / wins + l_ * (1 - l_) / losses)

    @property
    def used(self) -> bool:
        # A rule a little richer in wins than the average is what chance alone gives, the
        # more so as the best of many ranges or values was picked.
        return (
            self.match is not None
            and self.power >= max(MIN_POWER, CHANCE * self.spread)
            and self.lift >= MIN_LIFT
        )


@dataclass(frozen=True)
class TriggerEvidence:
    id: str
    win_share: float
    loss_share: float
    lift: float
    wins: int

    @property
    def power(self) -> float:
        return self.win_share - self.loss_share

    @property
    def used(self) -> bool:
        return self.lift >= MIN_LIFT and self.power >= MIN_POWER and self.wins >= 3


@dataclass(frozen=True)
class Evidence:
    deals: int
    wins: int
    losses: int
    fields: tuple[FieldEvidence, ...]
    triggers: tuple[TriggerEvidence, ...]
    outcomes: tuple[FieldEvidence, ...]  # deal size and cycle: shown, never proposed
    # How many times each negative counted in rates and lifts (see loss_weight).
    loss_weight: float = 1.0

    @property
    def base_rate(self) -> float:
        return self.wins / (self.wins + self.losses) if self.wins + self.losses else 0.0


def gather(
    deals: pd.DataFrame,
    kinds: Mapping[str, str],
    *,
    separator: str = ";",
    size_fields: Sequence[str] = (),
    max_range_ratio: float = 10.0,
    outcome: Outcome = DEALS,
) -> Evidence:
    """Evidence from canonical closed deals (`outcome` won/lost; fields as `kinds` says), or
    any rows whose `outcome` codes positives as won and negatives as lost (`outcome` words)."""
    closed = deals[deals["outcome"].isin([POSITIVE, NEGATIVE])]
    won = (closed["outcome"] == POSITIVE).to_numpy(dtype=bool)
    k = loss_weight(int(won.sum()), int((~won).sum()), outcome.lift_base)
    fields = []
    for name, kind in kinds.items():
        if name not in closed:
            continue
        if kind == NUMERIC:
            ratio = max_range_ratio if name in size_fields else None
            fields.append(_numeric(name, closed[name], won, ratio, outcome=outcome, k=k))
        elif kind == CATEGORY:
            fields.append(_category(name, closed[name], won, outcome, k))
        elif kind == LIST:
            fields.append(_items(name, closed[name], won, separator, outcome, k))
    outcomes = tuple(
        _numeric(name, closed[name], won, None, propose=False, outcome=outcome, k=k)
        for name in ("amount_usd", "cycle_days")
        if name in closed
    )
    triggers = _triggers(closed["triggers"], won, separator, k) if "triggers" in closed else ()
    return Evidence(
        len(deals), int(won.sum()), int((~won).sum()), tuple(fields), triggers, outcomes, k
    )


def loss_weight(wins: int, losses: int, lift_base: float | None) -> float:
    """How many times each negative counts when rates and lifts are read, so that they are
    read at `lift_base` when the positives are more common than that (1: as found).

    Lift is against the base rate: where 83% of customers are retained, no rule can retain
    1.15x as often as average, however well it sorts them. Counting each churned customer
    more reads every rate as if the positives were `lift_base` of the rows; shares of each
    group, power and its chance test are unchanged."""
    if lift_base is None or not wins or not losses or wins / (wins + losses) <= lift_base:
        return 1.0
    return wins * (1 - lift_base) / (losses * lift_base)


def nice(value: float) -> float:
    """Two significant figures: 1,234 -> 1,200; 87,654,321 -> 88,000,000."""
    if value == 0 or not math.isfinite(value):
        return value
    # round() to decimal digits, not a multiple of a float step: 0.7, never 0.7000000000000001
    return float(round(value, 1 - math.floor(math.log10(abs(value)))))


def roundest(low: float, high: float, *, above: bool) -> float:
    """The roundest number in (low, high] if `above`, else in [low, high): a cut people write
    that falls between the same two data values."""
    span = max(abs(low), abs(high))
    if span == 0:
        return high if above else low
    step = 10.0 ** math.floor(math.log10(span))
    for _ in range(16):
        cut = (math.floor(low / step) + 1) * step if above else (math.ceil(high / step) - 1) * step
        cut = round(cut, 12)
        if (low < cut <= high) if above else (low <= cut < high):
            return cut
        step /= 10
    return high if above else low


def _numeric(
    name: str,
    column: pd.Series,
    won: np.ndarray,
    ratio: float | None,
    *,
    propose: bool = True,
    outcome: Outcome = DEALS,
    k: float = 1.0,
) -> FieldEvidence:
    values = column.to_numpy(dtype="float64", na_value=np.nan)
    known = ~np.isnan(values)
    wins, losses = values[known & won], values[known & ~won]
    all_wins, all_losses = int(won.sum()), int((~won).sum())
    shown_wins = _spread(wins, all_wins)
    shown_losses = _spread(losses, all_losses)
    difference = _ratio_text(wins, losses, outcome)
    evidence = FieldEvidence(
        name, NUMERIC, shown_wins, shown_losses, difference, len(wins), len(losses),
        all_wins, all_losses,
    )  # fmt: skip
    if not propose or len(wins) < 5 or len(losses) < 3:
        return evidence
    base = len(wins) / (len(wins) + k * len(losses))
    edges = np.unique([nice(v) for v in np.quantile(wins, np.linspace(0, 1, STEPS + 1))])
    ordered_wins, ordered_losses = np.sort(wins), np.sort(losses)
    best: tuple[float, float, float, float, float] | None = None
    fallback: tuple[float, float, float, float, float] | None = None
    for i, low in enumerate(edges):
        for high in edges[i + 1 :]:
            if ratio is not None and (low <= 0 or high / low > ratio):
                continue
            covered = _between(ordered_wins, low, high) / len(wins)
            lost = _between(ordered_losses, low, high) / len(losses)
            inside = covered * len(wins) + lost * len(losses) * k
            lift = (covered * len(wins) / inside) / base if inside else 0.0
            option = (lift, covered, lost, float(low), float(high))
            if WIN_SHARE[0] <= covered <= WIN_SHARE[1]:
                if best is None or (lift, -high / max(low, 1e-9)) > (
                    best[0],
                    -best[4] / max(best[3], 1e-9),
                ):
                    best = option
            elif covered < WIN_SHARE[0] and (fallback is None or covered > fallback[1]):
                fallback = option
    chosen, note = best, ""
    if chosen is None and fallback is not None:
        chosen = fallback
        note = (
            f"no range within {ratio:g}x holds 70% of {outcome.positives}"
            if ratio
            else f"{outcome.positives} are spread thin"
        )
    segment = _segment(wins, losses, k=k)
    partial: tuple[PartialEvidence, ...] = ()

    def over_all(covered: float, lost: float) -> tuple[float, float, float]:
        return _share_lift(covered * len(wins), lost * len(losses), all_wins, all_losses, k)

    main_power = -1.0 if chosen is None else chosen[1] - chosen[2]
    if segment is not None and (main_power < MIN_POWER or 2 * main_power < segment[2] - segment[3]):
        # The 70-80% range says little and a minority of deals wins far more often.
        match, lift, covered, lost = segment
        low = -math.inf if match.min is None else match.min
        high = math.inf if match.max is None else match.max
        note = _segment_note(*over_all(covered, lost)[:2], all_wins, all_losses, outcome)
    elif chosen is None:
        return evidence
    else:
        lift, covered, lost, low, high = chosen
        match = Match(Form.RANGE, min=low, max=high)
        beside = _segment(wins, losses, min_lift=MIN_LIFT, outside=(low, high), k=k)
        if beside is not None:
            found = _partial(beside, lift)  # its credit from the lifts among known values
            shares = over_all(found.win_share, found.loss_share)
            partial = (PartialEvidence(found.match, found.credit, *shares),)
    anti = _tails(name, values, known, won, low, high, base, k)
    if partial and anti:
        # A tail that both wins more often and is disqualified would contradict itself.
        partial = ()
    return FieldEvidence(
        name, NUMERIC, shown_wins, shown_losses, difference, len(wins), len(losses),
        all_wins, all_losses, match, *over_all(covered, lost), note, anti, partial,
    )  # fmt: skip


Segment = tuple[Match, float, float, float]  # rule, lift, share of wins, share of losses


def _segment(
    wins: np.ndarray,
    losses: np.ndarray,
    *,
    min_lift: float = SEGMENT_LIFT,
    outside: tuple[float, float] | None = None,
    k: float = 1.0,
) -> Segment | None:
    """The one-sided cut (at least X, at most X) with the most power among those holding
    10-70% of wins at `min_lift` times the average win rate or better; with `outside`, only
    cuts that leave that range out."""
    ordered_wins, ordered_losses = np.sort(wins), np.sort(losses)
    levels = np.unique(np.concatenate([wins, losses]))
    if len(levels) > 4 * STEPS:
        levels = np.unique(np.quantile(levels, np.linspace(0, 1, 4 * STEPS + 1)))
    base = len(wins) / (len(wins) + k * len(losses))
    best: Segment | None = None
    for a, b in itertools.pairwise(levels):
        for above in (True, False):
            cut = roundest(float(a), float(b), above=above)
            if outside is not None and not (cut > outside[1] if above else cut < outside[0]):
                continue
            if above:
                matched_wins = len(wins) - np.searchsorted(ordered_wins, cut, "left")
                matched_losses = len(losses) - np.searchsorted(ordered_losses, cut, "left")
            else:
                matched_wins = np.searchsorted(ordered_wins, cut, "right")
                matched_losses = np.searchsorted(ordered_losses, cut, "right")
            covered, lost = matched_wins / len(wins), matched_losses / len(losses)
            if matched_wins < 5 or not SEGMENT_WINS <= covered < WIN_SHARE[0]:
                continue
            lift = matched_wins / (matched_wins + k * matched_losses) / base
            if lift < min_lift:
                continue
            if best is None or covered - lost > best[2] - best[3]:
                match = Match(Form.RANGE, min=cut) if above else Match(Form.RANGE, max=cut)
                best = (match, float(lift), float(covered), float(lost))
    return best


def _segment_note(
    covered: float, lost: float, wins: int, losses: int, outcome: Outcome = DEALS
) -> str:
    inside = covered * wins / (covered * wins + lost * losses)
    rest = (1 - covered) * wins
    outside = rest / (rest + (1 - lost) * losses)
    return (
        f"a minority segment: {percent(covered)} of {outcome.positives}, {outcome.rate} "
        f"{percent(inside)} against "
        f"{percent(outside)} elsewhere"
    )


def _partial(segment: Segment, lift: float) -> PartialEvidence:
    match, segment_lift, covered, lost = segment
    # Credit in proportion to how much more often the segment wins than average, against
    # the rule itself, in tenths; never full credit.
    share = (segment_lift - 1) / (lift - 1) if lift > 1 else 0.5
    credit = min(0.9, max(0.1, round(share, 1)))
    return PartialEvidence(match, credit, covered, lost, segment_lift)


def _share_lift(
    matched_wins: float, matched_losses: float, wins: int, losses: int, k: float
) -> tuple[float, float, float]:
    """The shares of all `wins` and `losses` a rule matches, and its lift over the average
    of them all: the unknown values are among the deals it does not match."""
    win_share = matched_wins / wins if wins else 0.0
    loss_share = matched_losses / losses if losses else 0.0
    base = wins / (wins + k * losses) if wins + losses else 0.0
    inside = matched_wins + k * matched_losses
    lift = matched_wins / inside / base if inside and base else 0.0
    return win_share, loss_share, lift


def _between(ordered: np.ndarray, low: float, high: float) -> int:
    return int(np.searchsorted(ordered, high, "right") - np.searchsorted(ordered, low, "left"))


def _tails(
    name: str,
    values: np.ndarray,
    known: np.ndarray,
    won: np.ndarray,
    low: float,
    high: float,
    base: float,
    k: float = 1.0,
) -> tuple[AntiCandidate, ...]:
    """Below the range or above it, the stretch where losses pile up, if there is one."""
    found = []
    losses_total = int((~won).sum())  # of all losses, as the draft says
    cuts = np.unique([nice(v) for v in np.quantile(values[known], np.linspace(0, 1, STEPS + 1))])
    for side, ok in (("below", cuts < low), ("above", cuts > high)):
        best: AntiCandidate | None = None
        for cut in cuts[ok]:
            inside = known & ((values <= cut) if side == "below" else (values >= cut))
            deals, wins = int(inside.sum()), int((inside & won).sum())
            losses = deals - wins
            if losses < ANTI_LOSSES or not deals or wins / (wins + k * losses) > ANTI_RATE * base:
                continue
            match = (
                Match(Form.RANGE, max=float(cut))
                if side == "below"
                else Match(Form.RANGE, min=float(cut))
            )
            candidate = AntiCandidate(
                f"{'small' if side == 'below' else 'large'}-{name.replace('_', '-')}",
                name,
                match,
                deals,
                losses,
                wins / deals,
                losses / losses_total if losses_total else 0.0,
            )
            if best is None or candidate.losses > best.losses:
                best = candidate
        if best is not None and best.loss_share >= 0.05:
            found.append(best)
    return tuple(found)


def _spread(values: np.ndarray, total: int) -> str:
    """The known values' median and middle half, and how many of `total` are unknown."""
    if not len(values):
        return "no data"
    q1, median, q3 = np.quantile(values, [0.25, 0.5, 0.75])
    shown = f"median {number(nice(median))} (middle half {number(nice(q1))}-{number(nice(q3))})"
    return shown + _unknown(len(values), total, ", ")


def _unknown(known: int, total: int, before: str) -> str:
    # Never rounded down to 0% while some are unknown.
    return f"{before}unknown {percent(max(1 - known / total, 0.01))}" if known < total else ""


def _ratio_text(wins: np.ndarray, losses: np.ndarray, outcome: Outcome = DEALS) -> str:
    if not len(wins) or not len(losses):
        return ""
    a, b = float(np.median(wins)), float(np.median(losses))
    if a <= 0 or b <= 0:
        return ""
    if max(a, b) / min(a, b) < 1.1:
        return "about the same"
    if a >= b:
        return f"{outcome.positives} {a / b:.1f}x higher"
    return f"{outcome.positives} {b / a:.1f}x lower"


def _category(
    name: str, column: pd.Series, won: np.ndarray, outcome: Outcome = DEALS, k: float = 1.0
) -> FieldEvidence:
    text = column.astype("string").str.strip()
    folded = text.str.lower()
    known = folded.notna().to_numpy(dtype=bool)
    spelled = _spellings(text[known], folded[known])
    table = pd.crosstab(folded[known].to_numpy(), won[known])
    return _choose(
        name, CATEGORY, table, won, known, spelled, lambda values: Match(Form.IN, values=values),
        outcome=outcome, k=k,
    )  # fmt: skip


def _items(
    name: str,
    column: pd.Series,
    won: np.ndarray,
    separator: str,
    words: Outcome = DEALS,
    k: float = 1.0,
) -> FieldEvidence:
    text = column.astype("string")
    known = text.notna().to_numpy(dtype=bool)
    exploded = text[known].str.split(separator).explode().str.strip().dropna()
    exploded = exploded[exploded != ""]
    folded = exploded.str.lower()
    rows = pd.Series(np.arange(len(column)), index=column.index)
    outcome = won[rows.loc[folded.index].to_numpy()]
    # One vote per deal and item, however often a cell repeats it.
    pairs = pd.DataFrame(
        {"item": folded.to_numpy(), "row": rows.loc[folded.index].to_numpy(), "won": outcome}
    ).drop_duplicates(["item", "row"])
    table = pd.crosstab(pairs["item"].to_numpy(), pairs["won"].to_numpy())
    spelled = _spellings(exploded, folded)
    return _choose(
        name, LIST, table, won, known, spelled,
        lambda values: Match(Form.ANY, values=values), pairs, words, k,
    )  # fmt: skip


def _spellings(text: pd.Series, folded: pd.Series) -> dict[str, str]:
    """Each folded value as it is most often written (`saas` -> `SaaS` if most write that)."""
    frame = pd.DataFrame({"text": text.to_numpy(), "folded": folded.to_numpy()})
    common = frame.groupby("folded")["text"].agg(lambda s: s.value_counts().index[0])
    return {str(k): str(v) for k, v in common.items()}


def _choose(
    name: str,
    kind: str,
    table: pd.DataFrame,
    won: np.ndarray,
    known: np.ndarray,
    spelled: Mapping[str, str],
    build: Callable[[tuple[str, ...]], Match],
    pairs: pd.DataFrame | None = None,
    outcome: Outcome = DEALS,
    k: float = 1.0,
) -> FieldEvidence:
    wins_known, losses_known = int((known & won).sum()), int((known & ~won).sum())
    all_wins, all_losses = int(won.sum()), int((~won).sum())
    wins_by = table.get(True, pd.Series(0, index=table.index)).astype(int)
    losses_by = table.get(False, pd.Series(0, index=table.index)).astype(int)
    shown_wins = _mix(wins_by, wins_known, all_wins, spelled)
    shown_losses = _mix(losses_by, losses_known, all_losses, spelled)
    evidence = FieldEvidence(
        name, kind, shown_wins, shown_losses, "", wins_known, losses_known, all_wins, all_losses
    )
    if wins_known < 5 or losses_known < 3:
        return evidence
    base = wins_known / (wins_known + k * losses_known)
    rate = wins_by / (wins_by + k * losses_by)
    support = max(3, math.ceil(0.05 * wins_known))
    over = rate[(rate / base >= MIN_LIFT) & (wins_by >= support)].sort_values(ascending=False)
    anti_support = max(ANTI_LOSSES, math.ceil(0.05 * losses_known))
    under = rate[(rate <= ANTI_RATE * base) & (losses_by >= anti_support)].sort_values()
    anti: tuple[AntiCandidate, ...] = ()
    if len(under):
        values = tuple(spelled.get(str(v), str(v)) for v in under.index)
        deals = int((wins_by + losses_by)[under.index].sum())
        losses = int(losses_by[under.index].sum())
        anti = (
            AntiCandidate(
                f"low-win-{name.replace('_', '-')}",
                name,
                Match(Form.IN, values=values),
                deals,
                losses,
                (deals - losses) / deals,
                losses / all_losses,
            ),
        )
    if not len(over):
        return FieldEvidence(
            name,
            kind,
            shown_wins,
            shown_losses,
            f"no value over-indexes in {outcome.positives}",
            wins_known,
            losses_known,
            all_wins,
            all_losses,
            anti=anti,
        )
    chosen = tuple(spelled.get(str(v), str(v)) for v in over.index)
    if pairs is not None:
        # Deals holding any chosen item, each counted once however many it holds.
        rows = pairs.loc[pairs["item"].isin(over.index), "row"].unique()
        matched_wins, matched_losses = int(won[rows].sum()), int((~won[rows]).sum())
    else:
        matched_wins = int(wins_by[over.index].sum())
        matched_losses = int(losses_by[over.index].sum())
    win_share, loss_share, lift = _share_lift(matched_wins, matched_losses, all_wins, all_losses, k)
    top = spelled.get(str(over.index[0]), str(over.index[0]))
    found = over.index[0]  # its rate as found, not as weighted
    shown = wins_by[found] / (wins_by[found] + losses_by[found])
    difference = f"{outcome.positives} skew {top} ({percent(shown)} {outcome.rate})"
    match = build(chosen)
    return FieldEvidence(
        name, kind, shown_wins, shown_losses, difference, wins_known, losses_known,
        all_wins, all_losses, match, win_share, loss_share, lift, "", anti,
    )  # fmt: skip


def _mix(counts: pd.Series, known: int, total: int, spelled: Mapping[str, str]) -> str:
    """The three commonest values as shares of all `total` rows, and the unknown share."""
    if not known:
        return "no data"
    top = counts.sort_values(ascending=False).head(3)
    parts = [f"{spelled.get(str(k), str(k))} {percent(v / total)}" for k, v in top.items() if v]
    return (", ".join(parts) or "none") + _unknown(known, total, ", ")


def _triggers(
    column: pd.Series, won: np.ndarray, separator: str, k: float = 1.0
) -> tuple[TriggerEvidence, ...]:
    text = column.astype("string").fillna("").str.lower()
    items = text.str.split(separator).apply(lambda cell: {i.strip() for i in cell if i.strip()})
    ids = sorted(set().union(*items.tolist())) if len(items) else []
    wins, losses = int(won.sum()), int((~won).sum())
    base = wins / (wins + k * losses) if wins + losses else 0.0
    out = []
    for trigger_id in ids:
        has = items.apply(lambda found, t=trigger_id: t in found).to_numpy(dtype=bool)
        with_wins, with_losses = int((has & won).sum()), int((has & ~won).sum())
        rate = with_wins / (with_wins + k * with_losses) if with_wins + with_losses else 0.0
        out.append(
            TriggerEvidence(
                trigger_id,
                with_wins / wins if wins else 0.0,
                with_losses / losses if losses else 0.0,
                rate / base if base else 0.0,
                with_wins,
            )
        )
    return tuple(sorted(out, key=lambda t: -t.power))
