"""The deal window: the close dates of a backtest's closed deals (scorer.window)."""

from __future__ import annotations

import pandas as pd

from icpkit.scorer.window import DealWindow, deal_window


def test_first_and_last_close_date_and_the_undated_ones() -> None:
    closed = pd.DataFrame(
        {"closed_on": pd.to_datetime(pd.Series(["2026-03-31", None, "2025-07-01", "2026-09-30"]))}
    )
    assert deal_window(closed) == DealWindow("2025-07-01", "2026-09-30", 1)


def test_no_dates_is_said_not_guessed() -> None:
    assert deal_window(pd.DataFrame({"outcome": ["won"]})) is None
    undated = pd.DataFrame({"closed_on": pd.to_datetime(pd.Series([None, None]))})
    assert deal_window(undated) == DealWindow(None, None, 2)
