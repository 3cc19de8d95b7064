"""Calibration by churn: what a band means for the customers it brought in.

Where the ICP names customers, each band's churn rate with its 95% Wilson interval (from
`scorer.retention`) joins its win rate as the band's interpretation ("strong: 61% of such
deals won (52-69%); 12% of such customers churned (8-18%)"), in the backtest, on the site
and as `icp score --expected`'s `expected_churn_rate` column. Churn should fall as the band
rises: a higher band churning more often than the one below it is warned about, as a lower
band winning more often is (`scorer.calibration.ordering_warnings`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from icpkit.scorer.calibration import DIGITS, MIN_ORDERED_DEALS, WARNING_NAME
from icpkit.scorer.contract import SCORE_BANDS
from icpkit.scorer.retention import CustomerBacktest
from icpkit.text import percent, plural


@dataclass(frozen=True)
class BandChurn:
    """One band's customers and churned customers, the rate and its 95% Wilson interval."""

    band: str
    customers: int
    churned: int
    churn_rate: float | None
    low: float | None
    high: float | None

    def describe(self) -> str:
        """`12% of such customers churned (8-18%), 178 customers`, or why there is no rate."""
        if self.churn_rate is None or self.low is None or self.high is None:
            return "no customers: no churn history to go by"
        digits = 0 if round(self.low * 100) != round(self.high * 100) else 1
        interval = f"{self.low * 100:.{digits}f}-{percent(self.high, digits)}"
        return (
            f"{percent(self.churn_rate)} of such customers churned ({interval}), "
            f"{plural(self.customers, 'customer')}"
        )


def churn_calibration(report: CustomerBacktest) -> tuple[BandChurn, ...]:
    """Each band of the customer backtest, in band order, as its churn interpretation."""
    rows = []
    for row in report.bands:
        low, high = row.churn_interval if row.churn_interval else (None, None)
        rows.append(BandChurn(row.band, row.customers, row.churned, row.churn_rate, low, high))
    return tuple(rows)


def churn_ordering_warnings(rows: Iterable[BandChurn]) -> list[str]:
    """One warning per pair of neighbouring score bands (each with enough customers) whose
    higher band churned more often: the bands then do not mean what their names say."""
    ranked = [r for r in rows if r.band in SCORE_BANDS and r.customers >= MIN_ORDERED_DEALS]
    found = []
    for higher, lower in itertools.pairwise(ranked):
        assert higher.churn_rate is not None and lower.churn_rate is not None
        if higher.churn_rate <= lower.churn_rate:
            continue
        assert higher.low is not None and lower.high is not None
        overlap = (
            "the intervals overlap, so this may be noise"
            if higher.low <= lower.high
            else "the intervals do not overlap"
        )
        found.append(
            f"{WARNING_NAME}: band {higher.band} churned more often than band {lower.band}: "
            f"{higher.band} {higher.describe()}; {lower.band} {lower.describe()}; {overlap}"
        )
    return found


def expected_churn_rates(rows: Iterable[BandChurn]) -> dict[str, float]:
    """Band -> historical churn rate, rounded as `expected_churn_rate` writes it; bands
    without customers are left out (their rows get an empty cell)."""
    return {r.band: round(r.churn_rate, DIGITS) for r in rows if r.churn_rate is not None}


def thin_churn_bands(rows: Iterable[BandChurn]) -> list[BandChurn]:
    """Score bands whose churn rate rests on fewer than MIN_ORDERED_DEALS customers."""
    return [r for r in rows if r.band in SCORE_BANDS and r.customers < MIN_ORDERED_DEALS]
