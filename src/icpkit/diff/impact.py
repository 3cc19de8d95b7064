"""What a change does to the deals: both versions score the same deals, side by side.

The same deals file (and the same column mapping) serves both sides, so every difference
in the figures comes from the ICP change and none from the data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from icpkit.diff.retention import retention_figures
from icpkit.format.model import Icp
from icpkit.project.settings import Config
from icpkit.scorer.backtest import BacktestResult, Gate
from icpkit.scorer.contract import DISQUALIFIED_BAND, UNKNOWN_BAND
from icpkit.scorer.deals import DealFiles, read_deals, read_tables
from icpkit.scorer.measurable import blind_text
from icpkit.scorer.run import backtest_deals

# Higher is better; an unknown (too little data) account still outranks a disqualified one.
BAND_RANK = {
    "strong": 6,
    "good": 5,
    "possible": 4,
    "weak": 3,
    "poor": 2,
    UNKNOWN_BAND: 1,
    DISQUALIFIED_BAND: 0,
}


@dataclass(frozen=True)
class Move:
    """One deal whose band changed."""

    deal_id: str
    account: str
    outcome: str
    old_score: float
    new_score: float
    old_band: str
    new_band: str

    @property
    def up(self) -> bool:
        return BAND_RANK[self.new_band] > BAND_RANK[self.old_band]


RATE_EPSILON = 0.0005


@dataclass(frozen=True)
class Metric:
    name: str
    old: float | None
    new: float | None
    # Smaller moves are shown as no change: half the last digit reports print.
    epsilon: float = RATE_EPSILON
    higher_is_better: bool = True

    @property
    def delta(self) -> float | None:
        return None if self.old is None or self.new is None else self.new - self.old

    @property
    def same(self) -> bool:
        delta = self.delta
        return delta is None or abs(delta) < self.epsilon

    @property
    def worse(self) -> bool:
        delta = self.delta
        if delta is None or self.same:
            return False
        return (delta < 0) == self.higher_is_better


@dataclass(frozen=True)
class GateChange:
    name: str
    before: Gate | None  # None: the gate did not exist on that side
    after: Gate | None

    @property
    def old(self) -> bool | None:
        return self.before.passed if self.before else None

    @property
    def new(self) -> bool | None:
        return self.after.passed if self.after else None


@dataclass(frozen=True)
class Impact:
    deals_file: str
    deals: int
    moves: tuple[Move, ...]  # largest score change first
    metrics: tuple[Metric, ...]
    gates: tuple[GateChange, ...]
    old: BacktestResult
    new: BacktestResult

    @property
    def up(self) -> tuple[Move, ...]:
        return tuple(m for m in self.moves if m.up)

    @property
    def down(self) -> tuple[Move, ...]:
        return tuple(m for m in self.moves if not m.up)

    @property
    def unchanged(self) -> int:
        return self.deals - len(self.moves)

    @property
    def broken_gates(self) -> tuple[GateChange, ...]:
        return tuple(g for g in self.gates if g.old and g.new is False)

    @property
    def blind_spots(self) -> tuple[str, ...]:
        """What the new version brings that these deals cannot test, so shows no impact."""
        return blind_spots(self.old, self.new)


def blind_spots(old: BacktestResult, new: BacktestResult) -> tuple[str, ...]:
    before = {(m.kind, m.name) for m in old.unmeasured}
    notes = [
        f"{blind_text(m)}, so it earns nothing on any deal here"
        + (" (band moves come from its weight counting as unknown)" if m.weight > 0 else "")
        for m in new.unmeasured
        if (m.kind, m.name) not in before
    ]
    seen = {(u.field, u.value.lower(), u.where) for u in old.unseen}
    notes += [
        u.describe(", so it matches no deal here")
        for u in new.unseen
        if (u.field, u.value.lower(), u.where) not in seen
    ]
    return tuple(notes)


def impact(old: Icp, new: Icp, files: DealFiles, *, config: Config) -> Impact:
    """Backtest both versions on the deals; compare bands deal by deal and the figures."""
    tables = read_tables(files, config)
    # Each side's deals read for it alone: a marker only one side names is a value on that
    # side only (see scorer.explicit); the rows are the same on both sides.
    sides = [read_deals(tables, [icp], config) for icp in (old, new)]
    results = [
        backtest_deals(icp, side, config=config, resamples=0, customers_of=files)
        for icp, side in zip((old, new), sides, strict=True)
    ]
    before, after = (result.scores for result in results)
    assert before is not None and after is not None
    frame, shown = sides[1].frame, sides[1].shown
    return Impact(
        deals_file=shown,
        deals=len(frame),
        moves=_moves(frame, before, after),
        metrics=metrics(results[0], results[1]),
        gates=gate_changes(results[0], results[1]),
        old=results[0],
        new=results[1],
    )


def _moves(frame: pd.DataFrame, before: pd.DataFrame, after: pd.DataFrame) -> tuple[Move, ...]:
    old_band = before["band"].astype(str).to_numpy()
    new_band = after["band"].astype(str).to_numpy()
    moved = np.flatnonzero(old_band != new_band)
    ids = frame["deal_id"].astype(str).to_numpy()
    # No account column: the deal id alone names the deal (no second copy of it).
    accounts = (
        frame["account"].fillna("").astype(str).to_numpy()
        if "account" in frame
        else np.full(len(ids), "", dtype=object)
    )
    outcomes = frame["outcome"].astype(str).to_numpy()
    old_score = before["score"].to_numpy(dtype="float64")
    new_score = after["score"].to_numpy(dtype="float64")
    moves = [
        Move(
            deal_id=ids[i],
            account=accounts[i],
            outcome=outcomes[i],
            old_score=float(old_score[i]),
            new_score=float(new_score[i]),
            old_band=old_band[i],
            new_band=new_band[i],
        )
        for i in moved
    ]
    moves.sort(key=lambda m: (-abs(m.new_score - m.old_score), m.deal_id))
    return tuple(moves)


def metrics(old: BacktestResult, new: BacktestResult) -> tuple[Metric, ...]:
    """The figures a reviewer weighs, old and new: AUC, top-band win rate, capture, screening,
    and the customers' (diff.retention) where the ICP names customers."""
    old_top, new_top = old.top_band, new.top_band
    return (
        Metric("AUC", old.auc, new.auc),
        Metric(
            "Top-band win rate",
            old_top.win_rate if old_top else None,
            new_top.win_rate if new_top else None,
        ),
        Metric("Wins captured (good or better)", old.wins_good_or_better, new.wins_good_or_better),
        Metric(
            "Losses screened (below possible)", old.losses_below_possible, new.losses_below_possible
        ),
        *(
            Metric(f.name, f.old, f.new, epsilon=f.epsilon, higher_is_better=f.higher_is_better)
            for f in retention_figures(old, new)
        ),
        Metric("Gates passed", float(_passed(old)), float(_passed(new)), epsilon=0.5),
    )


def gate_changes(old: BacktestResult, new: BacktestResult) -> tuple[GateChange, ...]:
    before = {g.name: g for g in old.gates}
    after = {g.name: g for g in new.gates}
    names = [*after, *(n for n in before if n not in after)]
    return tuple(GateChange(name, before.get(name), after.get(name)) for name in names)


def _passed(result: BacktestResult) -> int:
    return sum(g.passed for g in result.gates)
