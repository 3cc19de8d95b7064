"""Backtest figures on deals whose scores are known by construction."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from icpkit.project.mapping import build_mapping
from icpkit.scorer.backtest import BacktestResult, backtest
from icpkit.scorer.prepare import prepare_deals
from icpkit.scorer.tables import Table
from tests.scorer.conftest import IcpFn

FIT = {"employees": "500", "revenue_usd": "50000000", "industry": "saas", "country": "US",
       "tech_stack": "salesforce", "triggers": "new-sales-leader;series-b-plus"}  # fmt: skip
POOR = {"employees": "5000", "revenue_usd": "1", "industry": "retail", "country": "DE",
        "tech_stack": "pipedrive", "triggers": ""}  # fmt: skip
SMALL = {**POOR, "employees": "30"}


def deals(groups: list[tuple[dict[str, str], int, int]], open_deals: int = 0) -> pd.DataFrame:
    rows = []
    for cells, count, wins in groups:
        for i in range(count):
            outcome = "won" if i < wins else "lost"
            closed = f"2026-0{1 + i % 9}-01"
            deal = {"outcome": outcome, "amount_usd": "1000", "cycle_days": str(30 + i)}
            rows.append({**cells, **deal, "closed_on": closed})
    rows += [{**FIT, "outcome": "open", "amount_usd": "1000"} for _ in range(open_deals)]
    for number, row in enumerate(rows):
        row["deal_id"] = f"D{number}"
    return pd.DataFrame(rows, dtype="string")


def run(make_icp: IcpFn, frame: pd.DataFrame, snippet: str = "", **options: Any) -> BacktestResult:
    icp = make_icp(snippet)
    prepared = prepare_deals(Table(frame, Path("deals.csv")), [icp], build_mapping({}))
    return backtest(icp, prepared.frame, **options)


def test_figures_by_hand(make_icp: IcpFn) -> None:
    result = run(make_icp, deals([(FIT, 10, 8), (POOR, 10, 1), (SMALL, 5, 0)], open_deals=2))
    assert (result.deals, result.open_deals, result.closed) == (27, 2, 25)
    assert (result.wins, result.losses) == (9, 16)
    assert result.base_win_rate == pytest.approx(9 / 25)
    bands = {row.band: row for row in result.bands}
    assert (bands["strong"].deals, bands["strong"].wins) == (10, 8)
    assert bands["strong"].lift == pytest.approx(0.8 / (9 / 25))
    assert bands["strong"].avg_won_amount == 1000.0
    assert bands["strong"].median_won_cycle_days == 33.5  # cycles 30..37 of the 8 wins
    assert (bands["poor"].deals, bands["poor"].wins) == (10, 1)
    assert (bands["disqualified"].deals, bands["disqualified"].wins) == (5, 0)
    # Wins 8x100, 1x0; losses 2x100, 14x0: (8 * (2 * .5 + 14) + 1 * 14 * .5) / (9 * 16).
    assert result.auc == pytest.approx(127 / 144)
    assert result.wins_good_or_better == pytest.approx(8 / 9)
    assert result.losses_below_possible == pytest.approx(14 / 16)
    assert [(d.id, d.deals, d.wins) for d in result.disqualifiers] == [("too-small", 5, 0)]
    employees = next(s for s in result.signals if s.name == "employees")
    assert (employees.fit_deals, employees.fit_win_rate) == (10, 0.8)
    assert employees.out_deals == 15
    assert employees.out_win_rate == pytest.approx(1 / 15)
    assert employees.wins_in_fit == pytest.approx(8 / 9)
    assert employees.losses_in_fit == pytest.approx(2 / 16)
    leader = next(s for s in result.signals if s.name == "new-sales-leader")
    assert (leader.kind, leader.fit_deals, leader.out_deals) == ("trigger", 10, 15)
    assert result.passed and [g.name for g in result.gates] == [
        "min_closed_deals", "min_wins_good_or_better", "min_losses_below_possible", "min_auc",
        "monotonic_win_rate",
    ]  # fmt: skip
    # The deals hold no fintech, GB or hubspot: the only warnings are those values.
    assert [(u.field, u.value) for u in result.unseen] == [
        ("industry", "fintech"), ("country", "GB"), ("tech_stack", "hubspot"),
    ]  # fmt: skip
    assert result.warnings == tuple(u.describe() for u in result.unseen)


def test_gates_fail_with_figure_and_threshold(make_icp: IcpFn) -> None:
    result = run(make_icp, deals([(FIT, 6, 1), (POOR, 6, 5)]))
    failed = {g.name: g for g in result.failed_gates}
    assert set(failed) == {
        "min_closed_deals", "min_wins_good_or_better", "min_losses_below_possible", "min_auc",
        "monotonic_win_rate",
    }  # fmt: skip
    assert (failed["min_closed_deals"].figure, failed["min_closed_deals"].threshold) == (12, 20)
    # Wins 1x100, 5x0; losses 5x100, 1x0: (1 * (5 * .5 + 1) + 5 * (1 * .5)) / 36.
    assert failed["min_auc"].figure == pytest.approx(1 / 6)
    assert failed["min_auc"].threshold == 0.7
    assert "poor 83% > strong 17%" in failed["monotonic_win_rate"].detail
    assert any("only 12 closed deals" in w for w in result.warnings)


def test_validation_overrides_defaults(make_icp: IcpFn) -> None:
    snippet = "validation: {min_closed_deals: 5, min_auc: 0.95, monotonic_win_rate: false}\n"
    result = run(make_icp, deals([(FIT, 10, 8), (POOR, 10, 1)]), snippet)
    assert {g.name for g in result.failed_gates} == {"min_auc"}
    assert "monotonic_win_rate" not in {g.name for g in result.gates}


def test_small_bands_warn_and_do_not_decide_monotonicity(make_icp: IcpFn) -> None:
    # 100 - 15 (one trigger) - 5 (country) - 5 (hubspot is half of tech_stack) = 75: good.
    good = {**FIT, "triggers": "new-sales-leader", "country": "DE", "tech_stack": "hubspot"}
    result = run(make_icp, deals([(FIT, 10, 5), (good, 3, 3), (POOR, 10, 1)]))
    assert any(w.startswith("band good holds 3 deals") for w in result.warnings)
    # good wins 100% against strong's 50%, but three deals are no evidence either way.
    assert "monotonic_win_rate" not in {g.name for g in result.failed_gates}


def test_since_keeps_only_later_deals(make_icp: IcpFn) -> None:
    frame = deals([(FIT, 10, 8), (POOR, 10, 1)])
    result = run(make_icp, frame, since=dt.date(2026, 5, 1))
    # closed_on cycles through months 1-9: months 5-9 of each group of ten remain.
    assert (result.closed, result.before_since, result.since) == (10, 10, "2026-05-01")


def test_since_counts_only_closed_deals_as_closed_before(make_icp: IcpFn) -> None:
    frame = deals([(FIT, 10, 8), (POOR, 10, 1)], open_deals=3)
    # One open deal carries a forecast close date before --since; the other two have none.
    frame.loc[frame.index[-1], "closed_on"] = "2026-02-01"
    result = run(make_icp, frame, since=dt.date(2026, 5, 1))
    # Months 1-4 of each group of ten closed before; the open deals are not among them.
    assert (result.closed, result.before_since) == (10, 10)
    assert "2 deals have no closed_on date, left out by --since" in result.warnings
    assert (
        "1 open deal has a closed_on date before 2026-05-01, left out by --since" in result.warnings
    )


def test_histogram_counts_scored_deals_by_ten_point_range(make_icp: IcpFn) -> None:
    result = run(make_icp, deals([(FIT, 10, 8), (POOR, 10, 1), (SMALL, 5, 0)]))
    assert [(b.low, b.high) for b in result.histogram][::9] == [(0, 10), (90, 100)]
    # A perfect fit scores exactly 100: it belongs in the top range. Disqualified deals
    # (SMALL) are not scored, so they are in no range.
    assert (result.histogram[-1].wins, result.histogram[-1].losses) == (8, 2)
    assert (result.histogram[0].wins, result.histogram[0].losses) == (1, 9)
    assert sum(b.wins + b.losses for b in result.histogram) == 20
