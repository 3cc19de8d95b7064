"""Won revenue and open pipeline by band on the site's backtest page."""

from __future__ import annotations

from icpkit.reporters.revenue import HEADERS, cells, shown, summary, width
from icpkit.scorer.backtest import BacktestResult
from icpkit.site.markup import bullets, table, text
from icpkit.text import percent

NOTE = (
    "Counts treat a small win like a large one. Where the won money and the open pipeline "
    "sit, by band, from each deal's amount (deals without one are left out and counted "
    "under the warnings)."
)


def section(result: BacktestResult) -> list[str]:
    """The "Revenue by band" section, or nothing when no deal has an amount."""
    figures = result.revenue
    if figures is None or (figures.won_revenue is None and figures.pipeline_value is None):
        return []
    columns = width(figures)
    rows = [[text(c) for c in cells(row, figures.currency)[:columns]] for row in shown(figures)]
    return [
        "## Revenue by band\n",
        NOTE + "\n",
        table([h.capitalize() for h in HEADERS[:columns]], rows, align="lrrrrr"[:columns]),
        bullets(text(line[0].upper() + line[1:]) for line in summary(figures)),
    ]


def target_row(share: float | None) -> list[list[str]]:
    """The profile's validation-targets row for `min_won_revenue_share`, when it is set."""
    if share is None:
        return []
    return [[text("Won revenue scoring good or better"), text(f"at least {percent(share)}")]]
