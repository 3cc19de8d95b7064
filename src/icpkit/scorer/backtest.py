"""Backtest an ICP against closed deals: does a higher score mean a higher win rate?

Implements the seeds' validation: win rate by band, the quality checklist (wins scoring
good or better, losses below possible), the wins-vs-losses table per attribute and
trigger, and the `validation` gates that fail CI.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from icpkit.errors import InputError
from icpkit.format.model import Icp
from icpkit.scorer.calibration import BandCalibration, calibrate, ordering_warnings
from icpkit.scorer.contract import (
    BELOW_POSSIBLE,
    DISQUALIFIED_BAND,
    GOOD_OR_BETTER,
    INSUFFICIENT,
    SCORE_BANDS,
    SCORED,
    UNKNOWN_BAND,
    Ruler,
)
from icpkit.scorer.drift import Drift, drift, drift_gates
from icpkit.scorer.gate import Gate as Gate  # re-exported: scorer.drift gives gates too
from icpkit.scorer.leaks import Leak, find_leaks
from icpkit.scorer.measurable import Unmeasured, describe, score_cap, unmeasured
from icpkit.scorer.metrics import auc, auc_interval
from icpkit.scorer.override_outcomes import OverrideOutcomes
from icpkit.scorer.retention import CustomerBacktest
from icpkit.scorer.revenue import Revenue, revenue, revenue_warnings
from icpkit.scorer.score import Parts, score_parts
from icpkit.scorer.surprises import Surprises, find_surprises
from icpkit.scorer.vocabulary import Unseen, unseen_values
from icpkit.scorer.window import DealWindow, deal_window
from icpkit.text import percent, plural

MIN_DEALS = 20
MIN_BAND_DEALS = 5


@dataclass(frozen=True)
class BandRow:
    band: str
    deals: int
    wins: int
    win_rate: float | None
    lift: float | None
    avg_won_amount: float | None
    median_won_cycle_days: float | None


@dataclass(frozen=True)
class DisqualifierRow:
    id: str
    reason: str
    deals: int
    wins: int
    win_rate: float | None


@dataclass(frozen=True)
class SignalRow:
    """One line of the wins-vs-losses table: an attribute's fit, or a trigger's presence."""

    kind: str
    name: str
    rule: str
    fit_deals: int
    fit_win_rate: float | None
    partial_deals: int
    partial_win_rate: float | None
    out_deals: int
    out_win_rate: float | None
    unknown_deals: int
    wins_in_fit: float | None
    losses_in_fit: float | None


@dataclass(frozen=True)
class ScoreBin:
    """Scored deals (not disqualified, not unknown) whose score falls in [low, high)."""

    low: int
    high: int
    wins: int
    losses: int


@dataclass(frozen=True)
class BacktestResult:
    icp_id: str
    icp_version: str
    icp_commit: str | None
    deals_file: str
    since: str | None
    deals: int
    open_deals: int
    before_since: int
    closed: int
    wins: int
    losses: int
    base_win_rate: float | None
    insufficient_data: int
    auc: float | None
    auc_interval: tuple[float, float] | None
    wins_good_or_better: float | None
    losses_below_possible: float | None
    bands: tuple[BandRow, ...]
    disqualifiers: tuple[DisqualifierRow, ...]
    signals: tuple[SignalRow, ...]
    histogram: tuple[ScoreBin, ...]
    gates: tuple[Gate, ...]
    warnings: tuple[str, ...]
    # Rules these deals cannot test, and values the ICP names that no deal holds.
    unmeasured: tuple[Unmeasured, ...] = ()
    unseen: tuple[Unseen, ...] = ()
    # Rules that probably read the outcome (scorer.leaks), each also among the warnings.
    leaks: tuple[Leak, ...] = ()
    # The figures per quarter or month of closed_on, with `by` (scorer.drift).
    drift: Drift | None = None
    # Wins it did not predict, losses it expected to win; None when not asked for.
    surprises: Surprises | None = None
    # What the customers did, by band (validation.customers); None: no customers file.
    customers: CustomerBacktest | None = None
    # Each band's win rate with its Wilson interval: what the band means (scorer.calibration).
    calibration: tuple[BandCalibration, ...] = ()
    # Won revenue and open pipeline by band (scorer.revenue).
    revenue: Revenue | None = None
    # When the closed deals closed (scorer.window): the period the figures describe.
    window: DealWindow | None = None
    # The ICP's currency (ISO 4217): what every amount above is in.
    currency: str = "USD"
    # How the overridden accounts' deals did against the model (scorer.override_outcomes);
    # None: the ICP has no overrides file.
    overrides: OverrideOutcomes | None = None
    # The score columns of every deal given (open ones too, after `since`), indexed as the
    # deals: what the figures were computed from, not part of any report.
    scores: pd.DataFrame | None = field(default=None, repr=False, compare=False)

    @property
    def passed(self) -> bool:
        return all(gate.passed for gate in self.gates)

    @property
    def failed_gates(self) -> tuple[Gate, ...]:
        return tuple(gate for gate in self.gates if not gate.passed)

    @property
    def top_band(self) -> BandRow | None:
        """The best score band that holds any deals: what "top-band win rate" reports."""
        return next((r for r in self.bands if r.band in SCORE_BANDS and r.deals), None)


def backtest(
    icp: Icp,
    deals: pd.DataFrame,
    *,
    deals_file: str = "",
    ruler: Ruler | None = None,
    since: dt.date | None = None,
    resamples: int = 1000,
    separator: str = ";",
    issues: tuple[str, ...] = (),
    by: str | None = None,
    surprises: int = 0,
    columns: Mapping[str, str] | None = None,
) -> BacktestResult:
    """Score canonical deals (see `prepare_deals`) and measure how the score ranks outcomes;
    with `surprises`, list that many of each kind (see `scorer.surprises`). `columns`: the
    file's column of each field, named in warnings (default: the field's own name)."""
    warnings = list(issues)
    total = len(deals)
    before_since = 0
    if since is not None:
        if "closed_on" not in deals:
            raise InputError(f"{deals_file}: --since needs a closed_on column in the deals")
        deals, before_since, notes = _since(deals, since)
        warnings += notes
    if by is not None and "closed_on" not in deals:
        raise InputError(f"{deals_file}: --by {by} needs a closed_on column in the deals")
    open_deals = int((deals["outcome"] == "open").sum())
    shut = deals["outcome"].isin(["won", "lost"]).to_numpy(dtype=bool)
    closed = deals[shut]
    # Every deal is scored once, open ones too, and kept: a caller comparing versions deal
    # by deal (`diff.impact`) reads these scores instead of scoring again.
    every = score_parts(icp, deals, ruler=ruler, separator=separator)
    parts = _rows(every, shut)
    frame = parts.scores
    won = (closed["outcome"] == "won").to_numpy(dtype=bool)
    band = frame["band"].to_numpy(dtype=object)
    known = band != UNKNOWN_BAND
    wins, losses = int(won.sum()), int((~won).sum())
    base = wins / len(won) if len(won) else None

    value = auc(frame["score"].to_numpy()[known], won[known])
    interval = auc_interval(frame["score"].to_numpy()[known], won[known], resamples=resamples)
    good_share = _share(np.isin(band[known & won], list(GOOD_OR_BETTER)))
    below_share = _share(np.isin(band[known & ~won], list(BELOW_POSSIBLE)))
    rows = _bands(closed, band, won, base)
    insufficient = int((frame["status"] == INSUFFICIENT).sum())
    missing = unmeasured(icp, closed)
    unseen = unseen_values(icp, closed, separator=separator)
    warnings += rule_warnings(icp, missing, unseen)
    leaks = find_leaks(icp, closed, parts, won, columns or {}, separator)
    warnings += [leak.describe() for leak in leaks]
    warnings += _warnings(len(won), insufficient, rows)
    periods = drift(every.scores, deals, by, resamples=resamples) if by else None
    quarters = periods if by == "quarter" else None
    if icp.validation.drift is not None and quarters is None:
        quarters = drift(every.scores, deals, "quarter", resamples=0)
    calibration = calibrate((r.band, r.deals, r.wins) for r in rows)
    warnings += ordering_warnings(calibration)
    money = revenue(deals, every.scores["band"].to_numpy(dtype=object), icp.currency)
    warnings += revenue_warnings(money)
    result = BacktestResult(
        icp_id=icp.id,
        icp_version=icp.version,
        icp_commit=ruler.commit if ruler else None,
        deals_file=deals_file,
        since=since.isoformat() if since else None,
        deals=total,
        open_deals=open_deals,
        before_since=before_since,
        closed=len(won),
        wins=wins,
        losses=losses,
        base_win_rate=base,
        insufficient_data=insufficient,
        auc=value,
        auc_interval=interval,
        wins_good_or_better=good_share,
        losses_below_possible=below_share,
        bands=rows,
        disqualifiers=_disqualifiers(icp, frame, won),
        signals=_signals(icp, parts, won),
        histogram=_histogram(frame, won),
        gates=(),
        warnings=tuple(warnings),
        unmeasured=missing,
        unseen=unseen,
        leaks=leaks,
        calibration=calibration,
        revenue=money,
        currency=icp.currency,
        window=deal_window(closed),
        scores=every.scores,
        drift=periods,
        surprises=(
            find_surprises(icp, closed, frame, show=surprises, separator=separator)
            if surprises
            else None
        ),
    )
    return _with_gates(icp, result, quarters)


def _since(deals: pd.DataFrame, since: dt.date) -> tuple[pd.DataFrame, int, list[str]]:
    """The deals closed on or after `since`, the closed deals left out for closing before
    it, and warnings for the other deals it leaves out."""
    notes: list[str] = []
    keep = (deals["closed_on"] >= pd.Timestamp(since)).fillna(False).to_numpy(dtype=bool)
    undated = int(deals["closed_on"].isna().sum())
    if undated:
        has = plural(undated, "deal has", "deals have")
        notes.append(f"{has} no closed_on date, left out by --since")
    # Undated deals are in the warning above: counting them as "closed before" too (open
    # ones most often) would count them twice, and as closed.
    earlier = ~keep & deals["closed_on"].notna().to_numpy(dtype=bool)
    decided = deals["outcome"].isin(["won", "lost"]).to_numpy(dtype=bool)
    forecast = int((earlier & ~decided).sum())
    if forecast:
        has = plural(forecast, "open deal has", "open deals have")
        notes.append(f"{has} a closed_on date before {since.isoformat()}, left out by --since")
    return deals[keep], int((earlier & decided).sum()), notes


def _rows(parts: Parts, keep: np.ndarray) -> Parts:
    return Parts(
        credit={name: credit[keep] for name, credit in parts.credit.items()},
        triggers={name: present[keep] for name, present in parts.triggers.items()},
        scores=parts.scores[keep],
    )


def _share(flags: np.ndarray) -> float | None:
    return float(flags.mean()) if len(flags) else None


def _rate(wins: int, deals: int) -> float | None:
    return wins / deals if deals else None


def _bands(
    closed: pd.DataFrame, band: np.ndarray, won: np.ndarray, base: float | None
) -> tuple[BandRow, ...]:
    amount = _column(closed, "amount_usd")
    cycle = _column(closed, "cycle_days")
    rows = []
    for name in (*SCORE_BANDS, DISQUALIFIED_BAND, UNKNOWN_BAND):
        inside = band == name
        deals, wins = int(inside.sum()), int((inside & won).sum())
        rate = _rate(wins, deals)
        won_here = inside & won
        rows.append(
            BandRow(
                band=name,
                deals=deals,
                wins=wins,
                win_rate=rate,
                lift=rate / base if rate is not None and base else None,
                avg_won_amount=_stat(amount[won_here], np.nanmean),
                median_won_cycle_days=_stat(cycle[won_here], np.nanmedian),
            )
        )
    return tuple(rows)


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame:
        return np.full(len(frame), np.nan)
    return frame[name].to_numpy(dtype="float64", na_value=np.nan)


def _stat(values: np.ndarray, how: Callable[[np.ndarray], Any]) -> float | None:
    values = values[~np.isnan(values)]
    if not len(values):
        return None
    return float(how(values))


def _histogram(frame: pd.DataFrame, won: np.ndarray, width: int = 10) -> tuple[ScoreBin, ...]:
    scored = (frame["status"] == SCORED).to_numpy(dtype=bool)
    # A score of exactly 100 belongs in the top bin, not in a bin of its own.
    slot = np.minimum(frame["score"].to_numpy(dtype="float64") // width, 100 // width - 1)
    bins = []
    for low in range(0, 100, width):
        inside = scored & (slot == low // width)
        wins = int((inside & won).sum())
        bins.append(ScoreBin(low, low + width, wins, int(inside.sum()) - wins))
    return tuple(bins)


def _disqualifiers(icp: Icp, frame: pd.DataFrame, won: np.ndarray) -> tuple[DisqualifierRow, ...]:
    which = frame["disqualifier"].to_numpy(dtype=object)
    rows = []
    for anti in icp.anti_icp:
        if not anti.when:
            continue
        hit = which == anti.id
        deals, wins = int(hit.sum()), int((hit & won).sum())
        rows.append(DisqualifierRow(anti.id, anti.reason, deals, wins, _rate(wins, deals)))
    return tuple(rows)


def _signals(icp: Icp, parts: Parts, won: np.ndarray) -> tuple[SignalRow, ...]:
    rows = []
    for attribute in icp.attributes:
        credit = parts.credit[attribute.field]
        rows.append(_signal("attribute", attribute.field, attribute.match.describe(), credit, won))
    for trigger in icp.triggers:
        rows.append(_signal("trigger", trigger.id, "present", parts.triggers[trigger.id], won))
    return tuple(rows)


def _signal(kind: str, name: str, rule: str, credit: np.ndarray, won: np.ndarray) -> SignalRow:
    fit = credit == 1.0
    out = credit == 0.0
    partial = (credit > 0.0) & (credit < 1.0)
    return SignalRow(
        kind=kind,
        name=name,
        rule=rule,
        fit_deals=int(fit.sum()),
        fit_win_rate=_rate(int((fit & won).sum()), int(fit.sum())),
        partial_deals=int(partial.sum()),
        partial_win_rate=_rate(int((partial & won).sum()), int(partial.sum())),
        out_deals=int(out.sum()),
        out_win_rate=_rate(int((out & won).sum()), int(out.sum())),
        unknown_deals=int(np.isnan(credit).sum()),
        wins_in_fit=_share(fit[won]),
        losses_in_fit=_share(fit[~won]),
    )


def rule_warnings(
    icp: Icp, missing: tuple[Unmeasured, ...], unseen: tuple[Unseen, ...]
) -> list[str]:
    """A line per rule the deals cannot test and per named value no deal holds."""
    cap = score_cap(icp, missing)
    return [describe(m, cap) for m in missing] + [u.describe() for u in unseen]


def _warnings(closed: int, insufficient: int, rows: tuple[BandRow, ...]) -> list[str]:
    found = []
    if closed < MIN_DEALS:
        found.append(
            f"only {closed:,} closed deals: below {MIN_DEALS}, every figure here is mostly noise"
        )
    for row in rows:
        if row.band in SCORE_BANDS and 0 < row.deals < MIN_BAND_DEALS:
            found.append(
                f"band {row.band} holds {plural(row.deals, 'deal')} "
                f"(fewer than {MIN_BAND_DEALS}): "
                "its win rate is not evidence either way"
            )
    if insufficient:
        found.append(
            f"{insufficient:,} closed deals lack the data to score (band unknown) and are left "
            "out of the AUC and the quality checklist; see unknown_fields in `icp score`"
        )
    return found


def _with_gates(icp: Icp, result: BacktestResult, quarters: Drift | None) -> BacktestResult:
    rules = icp.validation
    gates = [
        _at_least(
            "min_closed_deals",
            result.closed,
            rules.min_closed_deals,
            "closed deals",
        ),
        _at_least(
            "min_wins_good_or_better",
            result.wins_good_or_better,
            rules.min_wins_good_or_better,
            "share of wins scoring good or better",
        ),
        _at_least(
            "min_losses_below_possible",
            result.losses_below_possible,
            rules.min_losses_below_possible,
            "share of losses scoring below possible",
        ),
        _at_least("min_auc", result.auc, rules.min_auc, "AUC"),
    ]
    if rules.min_won_revenue_share is not None:
        share = result.revenue.won_revenue_good_or_better if result.revenue else None
        what = "share of won revenue scoring good or better"
        gates.append(_at_least("min_won_revenue_share", share, rules.min_won_revenue_share, what))
    if rules.monotonic_win_rate:
        gates.append(_monotonic(result.bands))
    gates += drift_gates(rules.drift, quarters)
    return replace(result, gates=tuple(gates))


def _at_least(name: str, figure: float | None, threshold: float, what: str) -> Gate:
    if figure is None:
        return Gate(name, False, None, threshold, f"{what} cannot be computed from these deals")
    passed = figure >= threshold
    return Gate(name, passed, float(figure), float(threshold), what)


def _monotonic(rows: tuple[BandRow, ...]) -> Gate:
    # Bands with too few deals are noise; comparing them would fail gates at random.
    ranked = [r for r in rows if r.band in SCORE_BANDS and r.deals >= MIN_BAND_DEALS]
    for higher, lower in itertools.pairwise(ranked):
        assert higher.win_rate is not None and lower.win_rate is not None
        if lower.win_rate > higher.win_rate:
            detail = (
                f"win rate rises as the band falls: {lower.band} {percent(lower.win_rate)} > "
                f"{higher.band} {percent(higher.win_rate)}"
            )
            return Gate("monotonic_win_rate", False, None, None, detail)
    return Gate("monotonic_win_rate", True, None, None, "win rate never rises as the band falls")
