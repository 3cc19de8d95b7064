"""Headline figures beside what judges them: the AUC beside its gate, every gate an ICP
fails named next to it, and the deals the figures were measured on.

The home page is where a leader decides which ICP to trust, so it must not read "AUC 0.90"
while a gate fails, nor "0.70" for an AUC of 0.6999 below a 0.70 gate.
"""

from __future__ import annotations

from icpkit.reporters.backtest import gate_text
from icpkit.scorer.backtest import BacktestResult
from icpkit.site.markup import badge, code, join, text
from icpkit.text import MISSING, beside, plural


def auc_figure(result: BacktestResult | None) -> str:
    """The AUC with two decimals, or more where two would hide its side of `min_auc`."""
    if result is None or result.auc is None:
        return MISSING
    gate = next((g for g in result.gates if g.name == "min_auc"), None)
    if gate is None or gate.threshold is None:
        return f"{result.auc:.2f}"
    return beside(result.auc, gate.threshold)[0]


def failing_gates(result: BacktestResult | None) -> str:
    """A red "fails N gates" badge and each failing gate by name; empty when all pass."""
    failed = result.failed_gates if result is not None else ()
    if not failed:
        return ""
    names = ", ".join(g.name for g in failed)
    label = f"fails {plural(len(failed), 'gate')}"
    lines = [f"<small>{code(g.name)}: {text(gate_text(g))}</small>" for g in failed]
    return join([badge(label, "fail", title=f"failing backtest gates: {names}"), *lines])


def auc_cell(result: BacktestResult | None) -> str:
    """The catalogue's AUC cell: the figure, then the gates it fails, if any."""
    return join([text(auc_figure(result)), failing_gates(result)])


def deal_window(result: BacktestResult, *, counted: bool = False) -> str:
    """`deals closed 2025-07 to 2026-09` (`402 deals closed ...` when `counted`): the
    months the backtest's closed deals closed in, from their `closed_on` dates."""
    deals = plural(result.closed, "deal") if counted else "deals"
    window = result.window
    if window is None:
        return f"{deals}, close dates unknown (no closed_on column)"
    if window.first is None or window.last is None:
        return f"{deals}, none with a close date"
    first, last = window.first[:7], window.last[:7]
    span = f"in {first}" if first == last else f"{first} to {last}"
    out = f"{deals} closed {span}"
    if window.undated:
        out += f" ({window.undated:,} of them with no close date)"
    return out
