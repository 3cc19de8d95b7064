"""Rules that probably read the outcome: a backtest flattered by a column recorded after
the sale.

A rule on the deal's stage, its close reason or the days it took scores past deals very
well and tells nothing about a new lead, which has no such value yet; the gates pass and
nothing looks wrong. Two kinds of evidence, either enough for a warning (never a gate:
only the reader knows when a column is filled in):

- a field the rule reads is one `icp suggest` would leave out as leakage
  (`scorer.leakage`): by its name or its column's, or because it alone tells wins from
  losses almost perfectly;
- the rule itself splits the closed deals it can measure almost perfectly (`SPLIT`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from icpkit.bounds import clip
from icpkit.format.model import Icp
from icpkit.project.mapping import TRIGGERS
from icpkit.scorer import leakage
from icpkit.scorer.contract import field_kinds
from icpkit.scorer.measurable import ANTI_ICP, ATTRIBUTE, TRIGGER
from icpkit.scorer.score import Parts, frame_conditions_hold
from icpkit.text import number, percent

# A rule holding for at least 98% of the wins it can measure and at most 2% of the losses
# (or the reverse) tells the outcome by itself: a real account property, even a strong one,
# holds for some losses and misses some wins. The 2% leaves room for a few mistyped rows.
SPLIT = 0.98
# Wins and losses each (among the deals the rule can measure) below which a clean split
# is plausible by chance: a property true of 80% of wins and 20% of losses splits 20 and
# 20 deals perfectly about once in 7,500 backtests (0.8 ** 40), 10 and 10 once in 90.
MIN_SPLIT_SIDE = 20
AFTER = (
    "a column like this (stage, close reason, days to close ...) is probably recorded after "
    "the outcome, and a new lead has no such value yet"
)
FLATTERS = "the figures above flatter the ICP; drop the rule, or map a column known before the sale"
# A rule without points moves no score and no figure, yet.
WEIGHTLESS = (
    "it carries no points, so no figure above depends on it; give it points only once it "
    "reads a column known before the sale"
)


@dataclass(frozen=True)
class Read:
    """A field a rule reads, its column in the file, and why it looks like leakage (None:
    it does not, by itself)."""

    field: str
    column: str
    reason: str | None

    def label(self) -> str:
        source = f" (column {clip(self.column)!r})" if self.column != self.field else ""
        return f"`{self.field}`{source}"


@dataclass(frozen=True)
class Leak:
    """A rule that probably reads the outcome: what it reads, and how it splits the closed
    deals whose fields it can read (`wins_matched` of `wins` hold the rule)."""

    kind: str
    name: str
    weight: float
    reads: tuple[Read, ...]
    wins: int
    wins_matched: int
    losses: int
    losses_matched: int
    splits: bool

    def describe(self) -> str:
        """`attribute `stage` (10 pts) probably reads the outcome: `stage` (column 'Stage')
        measures the sale itself ...; it holds for 100.0% of the wins ...`."""
        label = (
            f"anti-ICP `{self.name}`"
            if self.kind == ANTI_ICP
            else f"{self.kind} `{self.name}` ({number(self.weight)} pts)"
        )
        flagged = [f"{r.label()} {r.reason}" for r in self.reads if r.reason]
        said = flagged or [f"it reads {', '.join(r.label() for r in self.reads)}"]
        if self.wins and self.losses:
            split = (
                f"it holds for {_share(self.wins_matched, self.wins, 'wins')} and "
                f"{_share(self.losses_matched, self.losses, 'losses')} it can measure"
            )
            if self.splits:
                split += ", a split no property of an account makes"
            said.append(split)
        weightless = self.weight == 0 and self.kind != ANTI_ICP
        return (
            f"{label} probably reads the outcome: {'; '.join(said)}; {AFTER}; "
            f"{WEIGHTLESS if weightless else FLATTERS}"
        )


def find_leaks(
    icp: Icp,
    closed: pd.DataFrame,
    parts: Parts,
    won: np.ndarray,
    columns: Mapping[str, str],
    separator: str = ";",
) -> tuple[Leak, ...]:
    """The ICP's rules that probably read the outcome, judged on the closed deals (`parts`
    scored on them, `won` their outcome); `columns` names each field's column in the file."""
    reads = _Reads(icp, closed, won, columns)
    found: list[Leak | None] = []
    for attribute in icp.attributes:
        credit = parts.credit[attribute.field]
        rule = (ATTRIBUTE, attribute.field, attribute.weight, reads.of([attribute.field]))
        found.append(_leak(*rule, credit == 1.0, ~np.isnan(credit), won))
    for trigger in icp.triggers:
        present = parts.triggers[trigger.id]
        fields = [c.field for c in trigger.when] or [TRIGGERS]
        rule = (TRIGGER, trigger.id, trigger.weight, reads.of(fields))
        found.append(_leak(*rule, present == 1.0, ~np.isnan(present), won))
    for anti in icp.anti_icp:
        if anti.when:
            hit, miss = frame_conditions_hold(closed, anti.when, separator)
            fields = [c.field for c in anti.when]
            found.append(_leak(ANTI_ICP, anti.id, 0.0, reads.of(fields), hit, hit | miss, won))
    return tuple(leak for leak in found if leak is not None)


class _Reads:
    """Each field's leakage test, run once however many rules read it."""

    def __init__(
        self, icp: Icp, closed: pd.DataFrame, won: np.ndarray, columns: Mapping[str, str]
    ) -> None:
        self.kinds = field_kinds([icp])
        self.closed, self.won, self.columns = closed, won, columns
        self._seen: dict[str, Read] = {}

    def of(self, fields: Sequence[str]) -> tuple[Read, ...]:
        return tuple(self._read(name) for name in dict.fromkeys(fields))

    def _read(self, name: str) -> Read:
        if name not in self._seen:
            column = self.columns.get(name, name)
            self._seen[name] = Read(name, column, self._reason(name, column))
        return self._seen[name]

    def _reason(self, name: str, column: str) -> str | None:
        named = leakage.by_name(column, name)
        if named is not None:
            return named.reason
        if name not in self.closed or name not in self.kinds:
            return None
        value = leakage.separation(self.closed[name], self.kinds[name], self.won)
        if value is None or value < leakage.SEPARATION:
            return None
        return f"alone tells wins from losses almost perfectly (AUC {value:.2f})"


def _leak(
    kind: str,
    name: str,
    weight: float,
    reads: tuple[Read, ...],
    matched: np.ndarray,
    measured: np.ndarray,
    won: np.ndarray,
) -> Leak | None:
    wins, losses = int((measured & won).sum()), int((measured & ~won).sum())
    wins_matched = int((matched & measured & won).sum())
    losses_matched = int((matched & measured & ~won).sum())
    splits = _splits(wins, wins_matched, losses, losses_matched)
    if not splits and not any(r.reason for r in reads):
        return None
    return Leak(kind, name, weight, reads, wins, wins_matched, losses, losses_matched, splits)


def _splits(wins: int, wins_matched: int, losses: int, losses_matched: int) -> bool:
    if wins < MIN_SPLIT_SIDE or losses < MIN_SPLIT_SIDE:
        return False
    won, lost = wins_matched / wins, losses_matched / losses
    # Either way round: a rule holding for the losses alone reads the outcome as well.
    return (won >= SPLIT and lost <= 1 - SPLIT) or (won <= 1 - SPLIT and lost >= SPLIT)


def _share(part: int, whole: int, what: str) -> str:
    """`100.0% of the wins (17,548 of 17,548)`."""
    return f"{percent(part / whole, 1)} of the {what} ({part:,} of {whole:,})"
