"""Calibration: what a band means, read from the deals it held.

A band's historical win rate, with its Wilson interval, is the band's interpretation
("strong: 61% of such deals won (52-69%), 93 deals") in the backtest, on the site and as
`icp score --expected`'s `expected_win_rate` column. Bands whose rates do not fall as the
band falls are warned about, with the numbers, so a reader sees where the score misleads.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from icpkit.scorer.contract import SCORE_BANDS
from icpkit.text import percent, plural

LEVEL = 0.95
# Bands holding fewer deals are left out of the ordering check: their rates are noise.
MIN_ORDERED_DEALS = 5
# What `expected_win_rate` holds: enough digits for a rate, the same in both engines.
DIGITS = 4
WARNING_NAME = "calibration"


@dataclass(frozen=True)
class BandCalibration:
    """One band's closed deals and wins, its win rate and the rate's 95% Wilson interval."""

    band: str
    deals: int
    wins: int
    win_rate: float | None
    low: float | None
    high: float | None

    def describe(self) -> str:
        """`61% of such deals won (52-69%), 93 deals`, or why there is no rate."""
        if self.win_rate is None or self.low is None or self.high is None:
            return "no closed deals: no history to go by"
        # A narrow interval (thousands of deals) would read "16-16%" at whole percents.
        digits = 0 if round(self.low * 100) != round(self.high * 100) else 1
        interval = f"{self.low * 100:.{digits}f}-{percent(self.high, digits)}"
        return (
            f"{percent(self.win_rate)} of such deals won ({interval}), {plural(self.deals, 'deal')}"
        )


@dataclass(frozen=True)
class Expected:
    """Band -> historical win rate for each ICP id (what `expected_win_rate` holds), and
    what a reader of the column should know about those rates."""

    rates: Mapping[str, Mapping[str, float]]
    notes: tuple[str, ...] = ()
    # Band -> historical churn rate per ICP id (`expected_churn_rate`), when any ICP scored
    # names customers; None: no column (scorer.churn_calibration).
    churn: Mapping[str, Mapping[str, float]] | None = None


def wilson(wins: int, deals: int, level: float = LEVEL) -> tuple[float, float] | None:
    """The Wilson score interval of wins out of deals; None without deals."""
    if deals <= 0:
        return None
    # scipy.stats takes half a second to import: only a command that computes an interval
    # pays for it.
    from scipy.stats import binomtest

    interval = binomtest(wins, deals).proportion_ci(confidence_level=level, method="wilson")
    return float(interval.low), float(interval.high)


def band_calibration(band: str, deals: int, wins: int) -> BandCalibration:
    interval = wilson(wins, deals)
    rate = wins / deals if deals else None
    low, high = interval if interval else (None, None)
    return BandCalibration(band, deals, wins, rate, low, high)


def calibrate(counts: Iterable[tuple[str, int, int]]) -> tuple[BandCalibration, ...]:
    """Each (band, closed deals, wins) with its rate and interval, in the order given."""
    return tuple(band_calibration(band, deals, wins) for band, deals, wins in counts)


def ordering_warnings(rows: Iterable[BandCalibration]) -> list[str]:
    """One warning per pair of neighbouring score bands (each with enough deals) whose
    lower band won more often: the bands then do not mean what their names say."""
    ranked = [r for r in rows if r.band in SCORE_BANDS and r.deals >= MIN_ORDERED_DEALS]
    found = []
    for higher, lower in itertools.pairwise(ranked):
        assert higher.win_rate is not None and lower.win_rate is not None
        if lower.win_rate <= higher.win_rate:
            continue
        assert higher.high is not None and lower.low is not None
        overlap = (
            "the intervals overlap, so this may be noise"
            if lower.low <= higher.high
            else "the intervals do not overlap"
        )
        found.append(
            f"{WARNING_NAME}: band {lower.band} won more often than band {higher.band}: "
            f"{lower.band} {lower.describe()}; {higher.band} {higher.describe()}; {overlap}"
        )
    return found


def expected_rates(rows: Iterable[BandCalibration]) -> dict[str, float]:
    """Band -> historical win rate, rounded as `expected_win_rate` writes it; bands that
    held no closed deals have no rate and are left out (their rows get an empty cell)."""
    return {r.band: round(r.win_rate, DIGITS) for r in rows if r.win_rate is not None}


def thin_bands(rows: Iterable[BandCalibration]) -> list[BandCalibration]:
    """Score bands whose rate rests on fewer than MIN_ORDERED_DEALS closed deals."""
    return [r for r in rows if r.band in SCORE_BANDS and r.deals < MIN_ORDERED_DEALS]
