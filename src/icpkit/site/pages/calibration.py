"""The bands' interpretation on the site: each band's historical win rate and interval,
and its churn rate and interval where the ICP names customers."""

from __future__ import annotations

from icpkit.reporters.calibration import churn_text
from icpkit.scorer.backtest import BacktestResult
from icpkit.site.markup import table, text

NOTE = (
    "Each band's win rate over the closed deals it held, with its 95% Wilson interval: "
    "what a band means when sales sees it. With few deals the interval is wide; a band "
    "winning more often than the one above it is listed under the warnings."
)
CHURN_NOTE = (
    " Where the ICP names customers, each band's churn rate over the customers it holds, "
    "with its interval, too: a band churning more often than the one below it is listed "
    "under the warnings as well."
)
CHURN_HEADER = "Customers churned"


def interpretation(result: BacktestResult | None, band: str) -> str:
    """The band's historical reading for a table cell, empty without a backtest."""
    if result is None:
        return ""
    row = next((r for r in result.calibration if r.band == band), None)
    return "" if row is None else text(row.describe())


def churn_interpretation(result: BacktestResult | None, band: str) -> str:
    """The band's churn reading for a table cell, empty without customers."""
    return "" if result is None else text(churn_text(result, band))


def section(result: BacktestResult) -> list[str]:
    """The backtest page's "What each band means" section."""
    churn = result.customers is not None
    rows = [
        [text(r.band), text(r.describe())] + ([text(churn_text(result, r.band))] if churn else [])
        for r in result.calibration
        if r.deals or r.band not in ("disqualified", "unknown")
    ]
    headers = ["Band", "Historically"] + ([CHURN_HEADER] if churn else [])
    note = NOTE + (CHURN_NOTE if churn else "")
    return ["## What each band means\n", note + "\n", table(headers, rows)]
