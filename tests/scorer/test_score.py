"""Exact scores, worked out by hand from the base ICP's weights, for every rule form."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from icpkit import score
from icpkit.project.mapping import DataMapping
from icpkit.scorer.contract import Ruler
from icpkit.scorer.prepare import prepare_accounts
from icpkit.scorer.score import score_frame
from icpkit.scorer.tables import Table
from tests.scorer.conftest import IcpFn

FULL = {
    "employees": "500",
    "revenue_usd": "50000000",
    "industry": "saas",
    "country": "US",
    "tech_stack": "salesforce",
    "triggers": "new-sales-leader;series-b-plus",
}


def one(make_icp: IcpFn, snippet: str = "", **cells: str | None) -> pd.Series:
    row = {**FULL, **cells}
    frame = pd.DataFrame([row])
    return score(make_icp(snippet), frame).iloc[0]


def test_full_fit_scores_every_point(make_icp: IcpFn) -> None:
    row = one(make_icp)
    assert (row["score"], row["band"], row["status"]) == (100.0, "strong", "scored")
    assert row["unknown_fields"] == "" and row["unknown_share"] == 0.0
    assert row["points.employees"] == 25 and row["points.triggers.series-b-plus"] == 15


@pytest.mark.parametrize(
    ("employees", "points"),
    [
        ("200", 25.0),  # both ends of a range are inside it
        ("2000", 25.0),
        ("2001", 0.0),
        ("199", 10.0),  # partial 80-199 at credit 0.4 of 25
        ("80", 10.0),
        ("79", 0.0),
        ("1,200", 25.0),  # numbers as CRMs write them
        ("1.2k", 25.0),
    ],
)
def test_ranges_and_partial_credit(make_icp: IcpFn, employees: str, points: float) -> None:
    row = one(make_icp, employees=employees)
    assert row["points.employees"] == points
    assert row["score"] == 75.0 + points


@pytest.mark.parametrize(
    ("industry", "points"), [(" SaaS ", 15.0), ("FINTECH", 15.0), ("martech", 0.0)]
)
def test_categories_ignore_case_and_spaces(make_icp: IcpFn, industry: str, points: float) -> None:
    assert one(make_icp, industry=industry)["points.industry"] == points


@pytest.mark.parametrize(
    ("stack", "points"),
    [
        ("Salesforce; Slack", 10.0),
        ("HubSpot;slack", 5.0),  # partial any [hubspot] at 0.5
        ("hubspot;salesforce", 10.0),  # the best credit wins, not the first listed
        ("sales", 0.0),  # list items match whole, not as substrings
        ("pipedrive", 0.0),
    ],
)
def test_any_lists_and_partial(make_icp: IcpFn, stack: str, points: float) -> None:
    assert one(make_icp, tech_stack=stack)["points.tech_stack"] == points


def test_all_lists_need_every_item(make_icp: IcpFn) -> None:
    snippet = "technographics:\n  tech_stack: {all: [salesforce, snowflake], weight: 10}\n"
    assert one(make_icp, snippet, tech_stack="Snowflake;salesforce")["points.tech_stack"] == 10
    assert one(make_icp, snippet, tech_stack="salesforce")["points.tech_stack"] == 0


def test_triggers_by_id_case_insensitive(make_icp: IcpFn) -> None:
    row = one(make_icp, triggers="New-Sales-Leader")
    assert row["points.triggers.new-sales-leader"] == 15
    assert row["points.triggers.series-b-plus"] == 0
    assert row["score"] == 85.0
    assert one(make_icp, triggers=None)["score"] == 70.0  # an empty cell: no triggers


def test_negative_weight_takes_points_away_and_score_stays_at_least_0(make_icp: IcpFn) -> None:
    snippet = "behavioral:\n  competitor_customer: {in: [yes], weight: -30}\n"
    assert one(make_icp, snippet, competitor_customer="Yes")["score"] == 70.0
    poor = one(
        make_icp,
        snippet,
        competitor_customer="yes",
        employees="5000",
        revenue_usd="1",
        industry="retail",
        triggers=None,
    )
    assert poor["points.competitor_customer"] == -30.0
    assert poor["score"] == 0.0  # 5 + 10 - 30, clipped


def test_first_matching_anti_icp_disqualifies(make_icp: IcpFn) -> None:
    snippet = (
        "anti_icp:\n"
        "  - {id: too-small, when: {employees: {max: 49}}, reason: Too small}\n"
        "  - {id: agency, when: {industry: {in: [agency]}, employees: {max: 100}}, reason: No}\n"
    )
    row = one(make_icp, snippet, employees="30", industry="Agency")
    assert (row["score"], row["band"], row["status"]) == (0.0, "disqualified", "disqualified")
    assert row["disqualifier"] == "too-small"
    both = one(make_icp, snippet, employees="90", industry="agency")
    assert both["disqualifier"] == "agency"  # every condition of `when` holds
    assert one(make_icp, snippet, employees="500", industry="agency")["status"] == "scored"


def test_unknown_never_disqualifies_and_is_named(make_icp: IcpFn) -> None:
    row = one(make_icp, employees="n/a", country="")
    assert row["status"] == "scored" and row["disqualifier"] == ""
    assert row["unknown_fields"] == "employees;country"
    assert row["unknown_share"] == 0.3
    assert row["score"] == 70.0


def test_insufficient_data_above_the_share(make_icp: IcpFn) -> None:
    # employees 25 + revenue 15 + industry 15 = 55% of the weight unknown, over 50%.
    row = one(make_icp, employees=None, revenue_usd="?", industry="unknown")
    assert (row["status"], row["band"]) == ("insufficient_data", "unknown")
    assert row["score"] == 45.0
    # Exactly at the share is still scored: only more than max_unknown_share is too much.
    at = one(make_icp, "scoring: {max_unknown_share: 0.55}\n", employees=None, revenue_usd="?",
             industry="unknown")  # fmt: skip
    assert at["status"] == "scored"


def test_missing_trigger_column_counts_as_unknown(make_icp: IcpFn) -> None:
    icp = make_icp()
    frame = pd.DataFrame([{k: v for k, v in FULL.items() if k != "triggers"}])
    row = score(icp, frame, mapping=DataMapping(absent_fields=("triggers",))).iloc[0]
    assert row["unknown_fields"] == "triggers" and row["unknown_share"] == 0.3
    assert row["score"] == 70.0


def test_bands_follow_the_icp_thresholds(make_icp: IcpFn) -> None:
    snippet = "scoring:\n  bands: {strong: 95, good: 80, possible: 60, weak: 30}\n"
    assert one(make_icp, snippet, triggers="series-b-plus")["band"] == "good"  # 85
    assert one(make_icp, snippet, triggers=None)["band"] == "possible"  # 70


def test_ruler_travels_with_every_row(make_icp: IcpFn) -> None:
    icp = make_icp()
    frame = pd.DataFrame([FULL, FULL])
    out = score(icp, frame, ruler=Ruler(icp.id, icp.version, "abc123"))
    assert out["icp_id"].tolist() == ["base", "base"]
    assert out["icp_version"].tolist() == ["2026-Q4"] * 2
    assert out["icp_commit"].tolist() == ["abc123"] * 2


def test_chunked_scoring_equals_one_pass(make_icp: IcpFn) -> None:
    icp = make_icp()
    rows = [{**FULL, "employees": str(e)} for e in range(0, 2500, 7)]
    frame = score(icp, pd.DataFrame(rows))
    prepared = prepare_accounts(Table(pd.DataFrame(rows), Path("rows")), [icp], DataMapping())
    seen: list[int] = []
    chunked = score_frame(icp, prepared.frame, chunk_rows=50, progress=seen.append)
    pd.testing.assert_frame_equal(chunked, frame)
    assert sum(seen) == len(rows) and len(seen) == -(-len(rows) // 50)
