"""The customers part of a backtest report: churn, survival and revenue by band, in text
and Markdown (JSON carries the same figures as the result's `customers`)."""

from __future__ import annotations

from icpkit.reporters import retention_signals
from icpkit.reporters.markdown import cell
from icpkit.scorer.backtest import BacktestResult, Gate
from icpkit.scorer.contract import DISQUALIFIED_BAND, UNKNOWN_BAND
from icpkit.scorer.retention import CustomerBacktest, RetentionRow
from icpkit.scorer.retention_gates import AT_MOST_GATES, SHARE_GATES
from icpkit.text import MISSING, beside, count, money, percent, plural


def _pct(value: float | None) -> str:
    return percent(value, 1)


def _days(value: float | None) -> str:
    return MISSING if value is None else f"{value:.0f} d"


def _ratio(value: float | None) -> str:
    return MISSING if value is None else f"{value:.2f}x"


def _interval(row: RetentionRow) -> str:
    ci = row.churn_interval
    return MISSING if ci is None else f"{ci[0]:.1%}-{ci[1]:.1%}"


def retention_gate_text(gate: Gate) -> str | None:
    """How a retention gate reads, or None for a gate of another kind."""
    if gate.name not in AT_MOST_GATES and gate.name not in {"min_retention_lift", "min_nrr"}:
        return None
    if gate.threshold is None:
        return gate.detail
    share = gate.name in SHARE_GATES
    unit = "" if share else "x"
    at_most = gate.name in AT_MOST_GATES
    digits = 1 if share else 2
    figure, threshold = beside(gate.figure or 0.0, gate.threshold, digits, share=share)
    if gate.figure is None:
        return f"{gate.detail} (needs {'<=' if at_most else '>='} {threshold}{unit})"
    signs = ("<=", ">") if at_most else (">=", "<")
    sign = signs[0] if gate.passed else signs[1]
    return f"{gate.detail} {figure}{unit} {sign} {threshold}{unit}"


def shown(report: CustomerBacktest) -> list[RetentionRow]:
    """The bands worth a row (disqualified and unknown only when they hold customers), then
    good or better, then all customers."""
    rows = [
        r for r in report.bands if r.customers or r.band not in (DISQUALIFIED_BAND, UNKNOWN_BAND)
    ]
    return [*rows, report.good_or_better, report.overall]


HEADERS = (
    "Band",
    "Customers",
    "Churn",
    "95% CI",
    "Retention lift",
    "Median tenure",
    "12-month survival",
    "NRR",
    "Expanding",
    "Avg lifetime revenue",
    "Median days to value",
)


def cells(row: RetentionRow, currency: str = "USD") -> list[str]:
    """One band's figures as the Markdown report and the site show them, in HEADERS order."""
    return [
        row.band,
        count(row.customers),
        _pct(row.churn_rate),
        _interval(row),
        _ratio(row.retention_lift),
        _days(row.median_tenure_days),
        _pct(row.survival_12m),
        _pct(row.nrr),
        _pct(row.expanding),
        money(row.avg_lifetime_revenue, currency),
        _days(row.median_days_to_value),
    ]


def headline(report: CustomerBacktest) -> str:
    """`180 customers (32 churned), tenure counted to 2026-10-31, NRR on MRR`."""
    text = f"{plural(report.customers, 'customer')} ({count(report.churned)} churned"
    text += f", churn {_pct(report.overall.churn_rate)})"
    if report.as_of:
        text += f", active customers' tenure counted to {report.as_of}"
    if report.revenue:
        text += f", NRR on {report.revenue}"
    return text


def retained_auc(report: CustomerBacktest) -> str:
    if report.auc is None:
        return "AUC for retained cannot be computed (needs both churned and active customers)"
    interval = report.auc_interval
    ci = f" (95% CI {interval[0]:.2f}-{interval[1]:.2f})" if interval else ""
    return f"AUC for retained {report.auc:.2f}{ci}"


_TEXT_HEAD = (
    f"  {'customers by band':<17}{'customers':>10}{'churn':>8}{'95% CI':>14}{'lift':>7}"
    f"{'tenure':>9}{'12-mo':>8}{'NRR':>8}{'expanding':>10}{'avg lifetime':>14}"
    f"{'to value':>10}"
)


def customers_text(result: BacktestResult) -> list[str]:
    """The lines the text report shows for the customers, empty without a customers file."""
    report = result.customers
    if report is None:
        return []
    out = ["", f"  customers: {report.customers_file}", f"  {headline(report)}", "", _TEXT_HEAD]
    for row in shown(report):
        out.append(
            f"  {row.band:<17}{row.customers:>10,}{_pct(row.churn_rate):>8}{_interval(row):>14}"
            f"{_ratio(row.retention_lift):>7}{_days(row.median_tenure_days):>9}"
            f"{_pct(row.survival_12m):>8}{_pct(row.nrr):>8}{_pct(row.expanding):>10}"
            f"{money(row.avg_lifetime_revenue, report.currency):>14}"
            f"{_days(row.median_days_to_value):>10}"
        )
    out += ["", f"  {retained_auc(report)}"]
    out.append("  (tenure: Kaplan-Meier median; 12-mo: Kaplan-Meier survival at 365 days)")
    out += retention_signals.text_lines(report)
    if report.warnings:
        out += ["", "  customer warnings", *(f"    - {w}" for w in report.warnings)]
    return out


def customers_markdown(result: BacktestResult) -> list[str]:
    report = result.customers
    if report is None:
        return []
    out = ["", f"Customers ({cell(report.customers_file)}): {cell(headline(report))}. "]
    out[-1] += f"{retained_auc(report)}."
    out += [
        "",
        f"| {' | '.join(HEADERS)} |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in shown(report):
        out.append(f"| {' | '.join(cells(row, report.currency))} |")
    out += retention_signals.markdown_lines(report)
    if report.warnings:
        out += ["", *(f"- {cell(w)}" for w in report.warnings)]
    return out
