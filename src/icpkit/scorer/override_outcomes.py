"""How the overridden accounts' closed deals did against the model's prediction for them.

The seeds: "document exceptions and analyze outcomes; adjust ICP if exceptions
consistently perform well". For each closed deal of an account the overrides file names
(expired entries too: they were exceptions when the deal ran), the model predicted its
band's calibrated win rate (`scorer.calibration`). The deals split by what the override
did: lifted (forced above the model's band) and lowered (forced below). Lifted deals
"beat the model" when they won more often than it expected by more than chance allows:
a one-sided binomial test (scipy) of their wins against the mean of their expected
rates; lowered ones likewise, the other way. Below MIN_DEALS closed deals a group is
"too few to tell", whatever its rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from icpkit.format.overrides import Overrides
from icpkit.scorer.calibration import BandCalibration
from icpkit.scorer.contract import ALL_BANDS
from icpkit.text import percent, plural

MIN_DEALS = 10
SIGNIFICANCE = 0.05
LIFTED, LOWERED = "lifted", "lowered"
BEAT, BELOW, ALIKE, TOO_FEW = "beat the model", "below the model", "as the model", "too few"


@dataclass(frozen=True)
class OverrideGroup:
    """The closed deals of accounts an override moved one way, and how they did."""

    direction: str  # LIFTED or LOWERED
    accounts: int
    deals: int
    wins: int
    win_rate: float | None
    # The mean of the model's calibrated win rates of their bands: what it expected.
    expected_rate: float | None
    p_value: float | None
    verdict: str

    def describe(self) -> str:
        """`lifted: 9 of 12 deals won (75%), the model expected 31%: beat the model ...`"""
        if not self.deals:
            return f"{self.direction}: no closed deals"
        head = (
            f"{self.direction}: {self.wins} of {plural(self.deals, 'deal')} won "
            f"({percent(self.win_rate)}) over {plural(self.accounts, 'account')}, "
            f"the model expected {percent(self.expected_rate)}"
        )
        if self.verdict == TOO_FEW:
            return f"{head}: too few to tell (fewer than {MIN_DEALS} closed deals)"
        p = self.p_value
        shown = "no test" if p is None else "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
        if self.verdict == BEAT:
            return (
                f"{head}: the exceptions beat the model ({shown}); consider widening the "
                "ICP to what these accounts share"
            )
        if self.verdict == BELOW:
            return (
                f"{head}: they won less often than the model expected ({shown}): "
                "the overrides were right"
            )
        return f"{head}: no clear difference from the model ({shown})"


@dataclass(frozen=True)
class OverrideOutcomes:
    file: str
    overrides: int
    groups: tuple[OverrideGroup, ...]
    # Closed deals of overridden accounts whose model band held no closed deals (no rate),
    # or whose override left the band as it was: counted, not tested.
    unrated: int = 0
    unchanged: int = 0


def override_outcomes(
    overrides: Overrides,
    deals: pd.DataFrame,
    bands: pd.Series,
    calibration: Sequence[BandCalibration],
    *,
    shown: str,
) -> OverrideOutcomes:
    """The outcomes of `deals` (canonical: `account`, `outcome`) whose account `overrides`
    names, with `bands` the model's band of each deal (same index); `shown`: the file as
    reports name it."""
    rates = {row.band: row.win_rate for row in calibration if row.win_rate is not None}
    entries = {entry.account: entry for entry in overrides.entries}
    if "account" not in deals or not entries:
        return OverrideOutcomes(shown, len(overrides.entries), ())
    closed = deals["outcome"].isin(["won", "lost"]).to_numpy(dtype=bool)
    named = deals["account"].astype("object").isin(list(entries)).to_numpy(dtype=bool)
    rows = deals[closed & named]
    model = bands.loc[rows.index].astype("object")
    rank = {band: i for i, band in enumerate(ALL_BANDS)}
    moved: dict[str, list[tuple[str, bool, float]]] = {LIFTED: [], LOWERED: []}
    unrated = unchanged = 0
    for index, account in rows["account"].items():
        band = str(model.at[index])
        forced = entries[str(account)].forced(band)
        if forced == band:
            unchanged += 1
            continue
        if band not in rates:
            unrated += 1
            continue
        way = LIFTED if rank[forced] < rank[band] else LOWERED
        won = bool(rows.at[index, "outcome"] == "won")
        moved[way].append((str(account), won, rates[band]))
    groups = tuple(_group(way, found) for way, found in moved.items() if found)
    return OverrideOutcomes(shown, len(overrides.entries), groups, unrated, unchanged)


def _group(direction: str, deals: list[tuple[str, bool, float]]) -> OverrideGroup:
    wins = sum(won for _, won, _ in deals)
    expected = float(np.mean([rate for _, _, rate in deals]))
    count = len(deals)
    accounts = len({account for account, _, _ in deals})
    if count < MIN_DEALS:
        return OverrideGroup(
            direction, accounts, count, wins, wins / count, expected, None, TOO_FEW
        )
    # scipy.stats is imported only when a group is large enough to test.
    from scipy.stats import binomtest

    # Lifted accounts are a bet that they win more often than their band; lowered, less.
    alternative = "greater" if direction == LIFTED else "less"
    p_value = float(binomtest(wins, count, expected, alternative=alternative).pvalue)
    verdict = (BEAT if direction == LIFTED else BELOW) if p_value < SIGNIFICANCE else ALIKE
    return OverrideGroup(direction, accounts, count, wins, wins / count, expected, p_value, verdict)
