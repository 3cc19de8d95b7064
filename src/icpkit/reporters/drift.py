"""Drift by quarter or month (`icp backtest --by`) in text, JSON and Markdown, and the
wording of the drift gates. The backtest's reports call these for their drift section."""

from __future__ import annotations

import dataclasses
from typing import Any

from icpkit.reporters.markdown import cell
from icpkit.scorer.drift import DROP_GATE, Drift, Period
from icpkit.scorer.gate import Gate
from icpkit.text import MISSING, percent, plural, rate_cell

BAND_HEADS = ("strong", "good", "possible", "weak", "poor", "disqualified")


def auc_cell(period: Period) -> str:
    """`0.91 (0.83-0.97)`; `too small` for a period not measured."""
    if period.auc is None:
        return "too small"
    interval = period.auc_interval
    return f"{period.auc:.2f}" + (f" ({interval[0]:.2f}-{interval[1]:.2f})" if interval else "")


def band_cell(period: Period, band: str) -> str:
    """A band's deals and win rate in the period: `13 (92.3%)`, `3 (-)` when too few."""
    row = next(b for b in period.bands if b.band == band)
    return rate_cell(row.deals, row.win_rate, 1)


def note(period: Period) -> str:
    """Why a period's figures are partial or missing: not full, too small to measure."""
    parts = [] if period.full else ["not full"]
    if period.too_small:
        parts.append(f"too small to measure: {period.too_small}")
    return "; ".join(parts)


def heading(drift: Drift) -> str:
    """`drift by quarter of closed_on (the last deal closed 2026-10-24)`."""
    end = f" (the last deal closed {drift.last_closed})" if drift.last_closed else ""
    return f"drift by {drift.by} of closed_on{end}"


def undated_text(drift: Drift) -> str | None:
    if not drift.undated:
        return None
    has = plural(drift.undated, "closed deal has", "closed deals have")
    return f"{has} no closed_on date: counted in the totals, in no {drift.by}"


def render_text(drift: Drift) -> list[str]:
    """The drift section of `icp backtest --format text`, indented like the rest."""
    out = ["", f"  {heading(drift)}"]
    if not drift.periods:
        out.append("    no closed deal has a closed_on date")
    else:
        bands = "".join(f"{name:>14}" for name in BAND_HEADS)
        out.append(
            f"  {drift.by:<10}{'deals':>7}{'wins':>6}{'win rate':>10}{'AUC (95% CI)':>18}"
            f"{'capture':>9}{bands}  note"
        )
        for p in drift.periods:
            cells = "".join(f"{band_cell(p, name):>14}" for name in BAND_HEADS)
            line = (
                f"  {p.label:<10}{p.deals:>7}{p.wins:>6}{percent(p.win_rate, 1):>10}"
                f"{auc_cell(p):>18}{percent(p.capture, 1):>9}{cells}  {note(p)}"
            )
            out.append(line.rstrip())
        out.append(
            "  capture: share of the wins scoring good or better; band cells: deals (win rate)"
        )
    undated = undated_text(drift)
    if undated:
        out.append(f"  {undated}")
    return out


def render_markdown(drift: Drift) -> list[str]:
    """The drift section of `icp backtest --format markdown`: a table, values escaped."""
    out = ["", f"**{cell(heading(drift)[0].upper() + heading(drift)[1:])}**", ""]
    if not drift.periods:
        return [*out, "No closed deal has a closed_on date."]
    heads = " | ".join(BAND_HEADS)
    out.append(
        f"| {drift.by.capitalize()} | Deals | Wins | Win rate | AUC (95% CI) | Capture | "
        f"{heads} | Note |"
    )
    out.append("|---" + "|---:" * (5 + len(BAND_HEADS)) + "|---|")
    for p in drift.periods:
        bands = " | ".join(band_cell(p, name) for name in BAND_HEADS)
        out.append(
            f"| {cell(p.label)} | {p.deals} | {p.wins} | {percent(p.win_rate, 1)} | "
            f"{auc_cell(p)} | {percent(p.capture, 1)} | {bands} | {cell(note(p)) or MISSING} |"
        )
    out += ["", "Capture: share of the wins scoring good or better. Band cells: deals (win rate)."]
    undated = undated_text(drift)
    if undated:
        out += ["", cell(undated[0].upper() + undated[1:]) + "."]
    return out


def render_json(drift: Drift) -> dict[str, Any]:
    data = dataclasses.asdict(drift)
    full = drift.latest_full()
    data["latest_full"] = full.label if full else None
    return data


def gate_text(gate: Gate) -> str:
    """A drift gate's line: AUCs to four places, as `min_auc` prints them."""
    if gate.name == DROP_GATE:
        if gate.figure is None:
            return f"{gate.detail} (tolerance {gate.threshold:.4f})"
        sign = "<=" if gate.passed else ">"
        return f"{gate.detail} {gate.figure:+.4f} {sign} {gate.threshold:.4f}"
    if gate.figure is None:
        return f"{gate.detail} (needs >= {gate.threshold:.4f})"
    sign = ">=" if gate.passed else "<"
    return f"{gate.detail} {gate.figure:.4f} {sign} {gate.threshold:.4f}"
