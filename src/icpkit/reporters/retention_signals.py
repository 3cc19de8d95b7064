"""The customers' retained-vs-churned table and values, as text and Markdown (JSON carries
the dataclasses of `scorer.retention_signals` as they are).

Values come from a billing export: text flattens them to one line, Markdown escapes them.
"""

from __future__ import annotations

from icpkit.reporters.markdown import cell
from icpkit.reporters.surprises import flat
from icpkit.scorer.retention import CustomerBacktest
from icpkit.scorer.retention_signals import RetentionSignal, RetentionSignals, RetentionValue
from icpkit.text import percent, rate_cell

TABLE_TITLE = "retained vs churned"
HEADERS = (
    "Signal",
    "Fit (churn rate)",
    "Partial",
    "Out of fit",
    "Unknown",
    "Retained in fit",
    "Churned in fit",
)
LEANING = {"retained": "held more by retained", "churned": "held more by churned"}


def _pct(value: float | None) -> str:
    return percent(value, 1)


def label(signal: RetentionSignal) -> str:
    """`industry (in [saas, fintech])` or `trigger new-sales-leader`, as wins vs losses."""
    return (
        f"{signal.name} ({signal.rule})" if signal.kind == "attribute" else f"trigger {signal.name}"
    )


def cells(signal: RetentionSignal) -> list[str]:
    """One signal's figures in HEADERS order, as the Markdown report and the site show them."""
    return [
        label(signal),
        rate_cell(signal.fit_customers, signal.fit_churn_rate, 1),
        rate_cell(signal.partial_customers, signal.partial_churn_rate, 1),
        rate_cell(signal.out_customers, signal.out_churn_rate, 1),
        str(signal.unknown_customers),
        _pct(signal.retained_in_fit),
        _pct(signal.churned_in_fit),
    ]


def values_title(found: RetentionSignals) -> str:
    return (
        f"values held far more by retained or by churned customers ({found.min_holders} or "
        f"more holders, churning at most 1/{found.ratio:g} or at least {found.ratio:g}x as "
        "often as all customers)"
    )


def value_text(value: RetentionValue) -> str:
    """`10 customers, churn 10.0% (1.8-40.4%), 0.60x all; held by 2.1% of retained, ...`"""
    low, high = value.churn_interval
    return (
        f"{value.customers:,} customers, churn {_pct(value.churn_rate)} "
        f"({low * 100:.1f}-{_pct(high)}), {value.ratio:.2f}x all customers; held by "
        f"{_pct(value.retained_share)} of retained, {_pct(value.churned_share)} of churned"
    )


def _signals(report: CustomerBacktest) -> RetentionSignals | None:
    found = report.signals
    return found if found is not None and found.signals else None


def text_lines(report: CustomerBacktest) -> list[str]:
    found = _signals(report)
    if found is None:
        return []
    out = [
        "",
        f"  {TABLE_TITLE:<34}{'fit (churn)':>15}{'partial':>15}{'out of fit':>15}"
        f"{'unknown':>9}{'retained in fit':>17}{'churned in fit':>16}",
    ]
    for s in found.signals:
        row = cells(s)
        out.append(
            f"  {row[0][:33]:<34}{row[1]:>15}{row[2]:>15}{row[3]:>15}{row[4]:>9}"
            f"{row[5]:>17}{row[6]:>16}"
        )
    out += ["", f"  {values_title(found)}"]
    if not found.values:
        out.append("    (none)")
    for v in found.values:
        out.append(f"    {flat(v.field)} {flat(v.value)}: {LEANING[v.leaning]}; {value_text(v)}")
    return out


def markdown_lines(report: CustomerBacktest) -> list[str]:
    found = _signals(report)
    if found is None:
        return []
    out = [
        "",
        "<details><summary>Retained vs churned by attribute and trigger</summary>",
        "",
        f"| {' | '.join(HEADERS)} |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *(f"| {cell(label(s))} | {' | '.join(cells(s)[1:])} |" for s in found.signals),
        "",
        f"{values_title(found)[0].upper()}{values_title(found)[1:]}:",
        "",
    ]
    if not found.values:
        out.append("- (none)")
    out += [
        f"- {cell(v.field)} {cell(v.value)}: {LEANING[v.leaning]}; {cell(value_text(v))}"
        for v in found.values
    ]
    return [*out, "", "</details>"]
