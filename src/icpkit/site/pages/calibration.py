"""The bands' interpretation on the site: each band's historical win rate and interval."""

from __future__ import annotations

from icpkit.scorer.backtest import BacktestResult
from icpkit.site.markup import table, text

NOTE = (
    "Each band's win rate over the closed deals it held, with its 95% Wilson interval: "
    "what a band means when sales sees it. With few deals the interval is wide; a band "
    "winning more often than the one above it is listed under the warnings."
)


def interpretation(result: BacktestResult | None, band: str) -> str:
    """The band's historical reading for a table cell, empty without a backtest."""
    if result is None:
        return ""
    row = next((r for r in result.calibration if r.band == band), None)
    return "" if row is None else text(row.describe())


def section(result: BacktestResult) -> list[str]:
    """The backtest page's "What each band means" section."""
    rows = [
        [text(r.band), text(r.describe())]
        for r in result.calibration
        if r.deals or r.band not in ("disqualified", "unknown")
    ]
    return ["## What each band means\n", NOTE + "\n", table(["Band", "Historically"], rows)]
