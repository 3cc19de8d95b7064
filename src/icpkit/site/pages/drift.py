"""The backtest page's drift section: AUC per quarter of closed_on, drawn and tabled."""

from __future__ import annotations

from icpkit.format.model import Icp
from icpkit.reporters.drift import BAND_HEADS, auc_cell, band_cell, note, undated_text
from icpkit.scorer.drift import Drift, Period
from icpkit.site import charts
from icpkit.site.markup import table, text
from icpkit.site.pages.common import counted
from icpkit.text import number, percent

COIN = 0.5


def _point(period: Period) -> charts.Point:
    interval = period.auc_interval
    low, high = interval if interval else (None, None)
    if period.auc is None:
        return charts.Point(period.label, None, note="too small")
    return charts.Point(period.label, period.auc, low, high, note=counted(period.deals, "deal"))


def _bottom(drift: Drift, floor: float | None) -> float:
    """0.5 (a coin) unless a value, an interval or the floor sits below it: then down to a
    multiple of 0.2 (the chart's scale keeps its gridlines round)."""
    lows = [p.auc_interval[0] if p.auc_interval else p.auc for p in drift.periods]
    low = min((v for v in (*lows, floor) if v is not None), default=COIN)
    return COIN if low >= COIN else int(low * 5) / 5


def _chart(icp: Icp, drift: Drift) -> str:
    floor = icp.validation.drift.min_latest_auc if icp.validation.drift else None
    reference = (floor, f"gate floor {floor:.2f}") if floor is not None else (COIN, "a coin (0.50)")
    bottom = _bottom(drift, floor)
    svg = charts.line_chart(
        "drift",
        f"AUC by {drift.by} of closed_on",
        [_point(p) for p in drift.periods],
        bottom=bottom,
        top=1.0,
        fmt=lambda v: f"{v:.2f}",
        tick=lambda v, decimals: f"{v:.{max(decimals, 2)}f}",  # AUC has two decimals
        reference=reference,
    )
    return charts.figure(
        svg,
        f"AUC of the deals closed in each {drift.by}, with its 95% bootstrap interval; a "
        f"{drift.by} with too few deals to measure is a gap, not a point. A falling line "
        "means the ICP ranks recent deals worse than older ones.",
        "drift-chart",
    )


def _table(drift: Drift) -> str:
    rows = [
        [
            text(p.label),
            number(p.deals),
            number(p.wins),
            text(percent(p.win_rate, 1)),
            text(auc_cell(p)),
            text(percent(p.capture, 1)),
            text(note(p)),
        ]
        for p in drift.periods
    ]
    headers = [drift.by.capitalize(), "Deals", "Wins", "Win rate", "AUC (95% CI)", "Capture"]
    return table([*headers, "Note"], rows, align="lrrrrrl")


def _bands_table(drift: Drift) -> str:
    """Apart from the figures above, so neither table needs a scroll bar."""
    rows = [
        [text(p.label), *(text(band_cell(p, name)) for name in BAND_HEADS)] for p in drift.periods
    ]
    return table([drift.by.capitalize(), *BAND_HEADS], rows, align="l" + "r" * len(BAND_HEADS))


def section(icp: Icp, drift: Drift | None) -> list[str]:
    """`## Drift by quarter`, or nothing when the backtest was not split by period."""
    if drift is None:
        return []
    out = [f"## Drift by {drift.by}\n"]
    if not drift.periods:
        return [*out, text("No closed deal has a closed_on date.") + "\n"]
    out.append(
        text(f"The closed deals of each {drift.by} of closed_on; the last closed on ")
        + f"{text(drift.last_closed)}.\n"
    )
    out += [
        _chart(icp, drift),
        _table(drift),
        f"Capture is the share of the wins scoring good or better. A {drift.by} is full once "
        "a deal closed after it ended.\n",
        f"### Win rate by band and {drift.by}\n",
        _bands_table(drift),
        "Each cell holds the band's deals and their win rate, shown from 5 deals.\n",
    ]
    undated = undated_text(drift)
    if undated:
        out.append(f"{text(undated[0].upper() + undated[1:])}.\n")
    return out
