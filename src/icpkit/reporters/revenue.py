"""The backtest's revenue section: won revenue and open pipeline by band, text and Markdown."""

from __future__ import annotations

from icpkit.reporters.markdown import cell
from icpkit.scorer.backtest import BacktestResult
from icpkit.scorer.contract import SCORE_BANDS
from icpkit.scorer.revenue import Revenue, RevenueBand
from icpkit.text import count, money, percent, plural

HEADERS = ("band", "won revenue", "of won", "open deals", "pipeline", "avg open deal")


def shown(figures: Revenue) -> tuple[RevenueBand, ...]:
    """The score bands, and the outcome bands that hold won revenue or open deals."""
    return tuple(r for r in figures.bands if r.band in SCORE_BANDS or r.won_revenue or r.open_deals)


def width(figures: Revenue) -> int:
    """How many of HEADERS to show: without open deals the pipeline columns say nothing."""
    return len(HEADERS) if figures.open_deals else 3


def cells(row: RevenueBand, currency: str = "USD") -> tuple[str, ...]:
    return (
        row.band,
        money(row.won_revenue, currency),
        percent(row.won_revenue_share, 1),
        count(row.open_deals),
        money(row.pipeline_value, currency),
        money(row.avg_open_deal, currency),
    )


def summary(figures: Revenue) -> list[str]:
    """The headline shares: of won revenue, and of the open pipeline when there is one."""
    lines = [
        f"won revenue scoring good or better: {percent(figures.won_revenue_good_or_better, 1)}"
        f" of {money(figures.won_revenue, figures.currency)}"
    ]
    if figures.pipeline_value is not None:
        lines.append(
            f"open pipeline scoring good or better: {percent(figures.pipeline_good_or_better, 1)}"
            f" of {money(figures.pipeline_value, figures.currency)}"
            f" ({plural(figures.open_deals, 'open deal')})"
        )
    return lines


def _has_money(result: BacktestResult) -> Revenue | None:
    figures = result.revenue
    if figures is None or (figures.won_revenue is None and figures.pipeline_value is None):
        return None
    return figures


def text_lines(result: BacktestResult) -> list[str]:
    figures = _has_money(result)
    if figures is None:
        return []
    shown_columns = width(figures)
    table = [HEADERS[:shown_columns]]
    table += [cells(row, figures.currency)[:shown_columns] for row in shown(figures)]
    widths = _widths(table, (13, 14, 9, 12, 14, 15)[:shown_columns])
    out = [""]
    for values in table:
        out.append(
            "  "
            + "".join(
                f"{v:<{w}}" if i == 0 else f"{v:>{w}}"
                for i, (v, w) in enumerate(zip(values, widths, strict=True))
            )
        )
    out += ["", *(f"  {line}" for line in summary(figures))]
    return out


def _widths(table: list[tuple[str, ...]], least: tuple[int, ...]) -> tuple[int, ...]:
    """Each column's width: its usual one, wider where a cell needs it, so that a billion
    in pipeline keeps a space before it instead of running into the column on its left."""
    # The band column is left-aligned: one space after it parts it from the next.
    return tuple(
        max(usual, max(len(values[i]) for values in table) + (1 if i == 0 else 2))
        for i, usual in enumerate(least)
    )


def markdown_lines(result: BacktestResult) -> list[str]:
    figures = _has_money(result)
    if figures is None:
        return []
    shown_columns = width(figures)
    out = ["", "| " + " | ".join(h.capitalize() for h in HEADERS[:shown_columns]) + " |"]
    out.append("|---" + "|---:" * (shown_columns - 1) + "|")
    out += [
        "| " + " | ".join(cells(row, figures.currency)[:shown_columns]) + " |"
        for row in shown(figures)
    ]
    out += ["", *(f"- {cell(line)}" for line in summary(figures))]
    return out
