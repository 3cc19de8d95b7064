"""The backtest page's customers: churn, survival and revenue by band, as the reports show them.

The file name and the warnings come from the customers file and its values: every one goes
through `text` or `code`, so a customer named `<b>` shows as those characters.
"""

from __future__ import annotations

from icpkit.reporters.customers import HEADERS, cells, headline, retained_auc, shown
from icpkit.scorer.backtest import BacktestResult
from icpkit.scorer.retention import CustomerBacktest
from icpkit.site import charts
from icpkit.site.markup import bullets, code, prose, table, text
from icpkit.site.pages import retention_signals
from icpkit.text import MISSING, percent

NOTE = (
    "Winning a deal is the start: whether the customers each band brought in stayed, grew "
    "and paid back. Tenure is the Kaplan-Meier median and 12-month survival the Kaplan-Meier "
    "estimate at 365 days, so customers still active count for the time they have been."
)


def _churn_chart(report: CustomerBacktest) -> str:
    rows = shown(report)[:-2]  # the bands, without good or better and all customers
    points = [
        charts.Point(
            r.band,
            r.churn_rate,
            r.churn_interval[0] if r.churn_interval else None,
            r.churn_interval[1] if r.churn_interval else None,
            note=f"{r.customers:,} customers",
        )
        for r in rows
    ]
    highs = [r.churn_interval[1] for r in rows if r.churn_interval is not None]
    top = min(1.0, (int(max([*highs, 0.25]) * 4) + 1) / 4)  # the next quarter up
    overall = report.overall.churn_rate
    reference = None if overall is None else (overall, f"all customers {percent(overall)}")
    svg = charts.line_chart(
        "churn",
        "Churn rate by score band",
        points,
        bottom=0.0,
        top=top,
        fmt=percent,
        tick=charts.percent_tick,
        reference=reference,
    )
    return charts.figure(
        svg,
        "Share of each band's customers who churned, with its 95% Wilson interval; the dashed "
        "line is the churn rate of all customers. A useful ICP loses fewer customers the "
        "higher the band.",
        "churn-chart",
    )


def section(result: BacktestResult) -> list[str]:
    """The "Customers" section, or nothing when the ICP names no customers file."""
    report = result.customers
    if report is None:
        return []
    rows = [[text(c) for c in cells(row, report.currency)] for row in shown(report)]
    out = [
        "## Customers\n",
        NOTE + "\n",
        f"Scored from {code(report.customers_file)}: {text(headline(report))}. "
        f"{text(retained_auc(report))}.\n",
        _churn_chart(report),
        table(list(HEADERS), rows, align="l" + "r" * (len(HEADERS) - 1)),
        *retention_signals.section(report),
    ]
    if report.warnings:
        out += ["**Customer warnings**\n", bullets(prose(w) for w in report.warnings)]
    return out


def catalogue_cell(result: BacktestResult | None) -> str:
    """The home page's churn of good-or-better customers, `-` without customers."""
    report = None if result is None else result.customers
    if report is None or report.good_or_better.churn_rate is None:
        return text(MISSING)
    return text(percent(report.good_or_better.churn_rate, 1))
