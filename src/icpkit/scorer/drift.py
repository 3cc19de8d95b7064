"""Drift: the backtest's figures per quarter or month of `closed_on`, and the drift gates.

The seeds' "every 90 days pull your most recent deals, score them, adjust if signals
drift": the scores the backtest already computed, grouped by when each deal closed, so a
falling AUC or a shrinking capture shows the quarter it started in.

A period is *full* when the data run past it: some won or lost deal closed after its last
day. The data's own end decides, not today's date, so the same export gives the same
report on any day (a CI rerun, a golden file, last year's export backtested today) and an
export pulled mid-quarter never passes its half quarter off as full. Open deals do not
count toward that end: a CRM's close date on an open deal is a forecast.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from icpkit.format.model import DriftGates
from icpkit.scorer.contract import DISQUALIFIED_BAND, GOOD_OR_BETTER, SCORE_BANDS, UNKNOWN_BAND
from icpkit.scorer.gate import Gate
from icpkit.scorer.metrics import auc, auc_interval
from icpkit.text import plural

PERIODS = {"quarter": "Q", "month": "M"}
# Below these a period's AUC, capture and win rates are noise: it is reported as too small.
MIN_PERIOD_DEALS = 20  # as the whole backtest's warning
MIN_PERIOD_SIDE = 5  # wins and losses each
MIN_BAND_DEALS = 5  # as the backtest's band warning
FLOOR_GATE, DROP_GATE = "drift.min_latest_auc", "drift.max_auc_drop"
DRIFT_GATES = (FLOOR_GATE, DROP_GATE)
# Rounding noise must not fail a build that sits exactly on the tolerance.
_EPSILON = 1e-9


@dataclass(frozen=True)
class PeriodBand:
    band: str
    deals: int
    wins: int
    win_rate: float | None  # None below MIN_BAND_DEALS deals, or in a period too small


@dataclass(frozen=True)
class Period:
    """The closed deals of one quarter or month. Every figure is None when `too_small`."""

    label: str  # 2026-Q3, 2026-07
    start: str
    end: str
    full: bool
    deals: int
    wins: int
    losses: int
    unknown: int  # band unknown: counted, left out of the AUC and the capture
    win_rate: float | None
    auc: float | None
    auc_interval: tuple[float, float] | None
    capture: float | None  # share of the wins scoring good or better
    bands: tuple[PeriodBand, ...]
    too_small: str | None  # why the period is not measured, or None when it is


@dataclass(frozen=True)
class Drift:
    by: str  # quarter or month
    periods: tuple[Period, ...]  # first to last, empty ones between included
    undated: int  # closed deals without a closed_on date: in no period
    last_closed: str | None
    has_dates: bool = True  # False: the deals have no closed_on column at all

    def latest_full(self) -> Period | None:
        return next((p for p in reversed(self.periods) if p.full), None)

    def before(self, period: Period) -> Period | None:
        index = self.periods.index(period)
        return self.periods[index - 1] if index else None


def drift(scores: pd.DataFrame, deals: pd.DataFrame, by: str, *, resamples: int = 1000) -> Drift:
    """The closed deals of `deals`, scored in `scores` (the backtest's, indexed alike), per
    quarter or month of their `closed_on`."""
    closed = deals["outcome"].isin(["won", "lost"]).to_numpy(dtype=bool)
    won = (deals["outcome"] == "won").to_numpy(dtype=bool)[closed]
    band = scores["band"].to_numpy(dtype=object)[closed]
    score = scores["score"].to_numpy(dtype="float64")[closed]
    if "closed_on" not in deals:
        return Drift(by, (), int(closed.sum()), None, has_dates=False)
    when = pd.DatetimeIndex(deals["closed_on"][closed]).normalize()
    dated = np.asarray(when.notna(), dtype=bool)
    if not dated.any():
        return Drift(by, (), len(won), None)
    slots = when.to_period(PERIODS[by])
    last = when[dated].max()
    periods = []
    for slot in pd.period_range(slots[dated].min(), slots[dated].max(), freq=PERIODS[by]):
        inside = dated & np.asarray(slots == slot)
        full = bool(last > slot.end_time.normalize())
        figures = _Figures(won[inside], band[inside], score[inside])
        periods.append(figures.period(_label(slot, by), slot, full, resamples))
    undated = int((~dated).sum())
    return Drift(by, tuple(periods), undated, last.date().isoformat())


def _label(slot: pd.Period, by: str) -> str:
    return f"{slot.year}-Q{slot.quarter}" if by == "quarter" else slot.strftime("%Y-%m")


@dataclass(frozen=True)
class _Figures:
    won: np.ndarray
    band: np.ndarray
    score: np.ndarray

    def period(self, label: str, slot: pd.Period, full: bool, resamples: int) -> Period:
        won, band = self.won, self.band
        known = band != UNKNOWN_BAND
        small = (
            _too_small(int(known.sum()), int((known & won).sum()), int((known & ~won).sum()))
            if len(won)
            else "no closed deals"
        )
        wins = int(won.sum())
        measured = small is None
        return Period(
            label=label,
            start=slot.start_time.date().isoformat(),
            end=slot.end_time.date().isoformat(),
            full=full,
            deals=len(won),
            wins=wins,
            losses=len(won) - wins,
            unknown=int((~known).sum()),
            win_rate=wins / len(won) if measured else None,
            auc=auc(self.score[known], won[known]) if measured else None,
            auc_interval=(
                auc_interval(self.score[known], won[known], resamples=resamples)
                if measured
                else None
            ),
            capture=(
                float(np.isin(band[known & won], list(GOOD_OR_BETTER)).mean()) if measured else None
            ),
            bands=tuple(self._band(name, measured) for name in (*SCORE_BANDS, DISQUALIFIED_BAND)),
            too_small=small,
        )

    def _band(self, name: str, measured: bool) -> PeriodBand:
        inside = self.band == name
        deals, wins = int(inside.sum()), int((inside & self.won).sum())
        rate = wins / deals if measured and deals >= MIN_BAND_DEALS else None
        return PeriodBand(name, deals, wins, rate)


def _too_small(deals: int, wins: int, losses: int) -> str | None:
    if not deals:
        return "no closed deals with a band"
    if deals < MIN_PERIOD_DEALS:
        return f"{plural(deals, 'closed deal')}, fewer than {MIN_PERIOD_DEALS}"
    if wins < MIN_PERIOD_SIDE or losses < MIN_PERIOD_SIDE:
        return (
            f"{plural(wins, 'win')} and {plural(losses, 'loss', 'losses')}, "
            f"fewer than {MIN_PERIOD_SIDE} of each"
        )
    return None


def drift_gates(rules: DriftGates | None, quarters: Drift | None) -> tuple[Gate, ...]:
    """`validation.drift`'s gates on the latest full quarter; one that cannot be measured
    fails, as every gate does, rather than passing on no evidence."""
    if rules is None or quarters is None:
        return ()
    latest = quarters.latest_full()
    gates = []
    if rules.min_latest_auc is not None:
        gates.append(_floor(rules.min_latest_auc, quarters, latest))
    if rules.max_auc_drop is not None:
        gates.append(_drop(rules.max_auc_drop, quarters, latest))
    return tuple(gates)


def _no_full(quarters: Drift) -> str:
    if not quarters.has_dates:
        return "the deals have no closed_on column to split by quarter"
    if not quarters.periods:
        return "no closed deal has a closed_on date"
    return f"no quarter ended before the last deal closed ({quarters.last_closed})"


def _floor(threshold: float, quarters: Drift, latest: Period | None) -> Gate:
    if latest is None:
        return Gate(FLOOR_GATE, False, None, threshold, _no_full(quarters))
    what = f"AUC of {latest.label} (the latest full quarter)"
    if latest.auc is None:
        detail = f"{what} cannot be measured: {latest.too_small}"
        return Gate(FLOOR_GATE, False, None, threshold, detail)
    return Gate(FLOOR_GATE, latest.auc >= threshold, latest.auc, threshold, what)


def _drop(tolerance: float, quarters: Drift, latest: Period | None) -> Gate:
    if latest is None:
        return Gate(DROP_GATE, False, None, tolerance, _no_full(quarters))
    previous = quarters.before(latest)
    if previous is None:
        detail = f"no quarter before {latest.label} (the latest full quarter) to compare with"
        return Gate(DROP_GATE, False, None, tolerance, detail)
    if previous.auc is None or latest.auc is None:
        small = previous if previous.auc is None else latest
        detail = f"AUC of {small.label} cannot be measured: {small.too_small}"
        return Gate(DROP_GATE, False, None, tolerance, detail)
    fall = previous.auc - latest.auc
    detail = (
        f"AUC fall from {previous.label} ({previous.auc:.4f}) to {latest.label} "
        f"(the latest full quarter, {latest.auc:.4f})"
    )
    return Gate(DROP_GATE, fall <= tolerance + _EPSILON, fall, tolerance, detail)
