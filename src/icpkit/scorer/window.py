"""The deal window behind a backtest: when its closed deals closed.

A win rate means little without its period: "deals closed 2025-07 to 2026-09" says which
market the figures describe, and how old they are.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class DealWindow:
    first: str | None  # the earliest close date among the closed deals (ISO), None if none
    last: str | None
    undated: int  # closed deals without a close date, outside the window


def deal_window(closed: pd.DataFrame) -> DealWindow | None:
    """The close dates of the won and lost deals given; None when they carry no dates."""
    if "closed_on" not in closed:
        return None
    dates = pd.to_datetime(closed["closed_on"], errors="coerce").dropna()
    undated = len(closed) - len(dates)
    if dates.empty:
        return DealWindow(None, None, undated)
    return DealWindow(dates.min().date().isoformat(), dates.max().date().isoformat(), undated)
