"""Triggers read from the export's own columns (`when:`), on a file shaped like the IBM
win/loss export: title-case headers with spaces, Won/Loss, `Unknown` cells, `None` as a
real value, and no `triggers` column at all."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from icpkit import score
from icpkit.errors import InputError
from icpkit.project.mapping import DataMapping
from tests.conftest import invoke, merge
from tests.scorer.conftest import IcpFn

TRIGGERS = """triggers:
  - {id: returning-client, event: Bought from us in the past two years, window_days: 90,
     when: {revenue_from_client_past_two_years: {min: 1}}, weight: 15}
  - {id: reseller-led, event: A reseller brought the deal in unopposed, window_days: 30,
     when: {route_to_market: {in: [Reseller]}, competitor_type: {in: [None]}}, weight: 15}
"""
EXPORT = (
    "Opportunity Number,Account Name,Opportunity Result,Client Size By Employee Count,"
    "Annual Revenue,Industry,Country,CRM,Route To Market,Revenue From Client Past Two Years,"
    "Competitor Type\n"
    "101,Acme,Won,500,25M,SaaS,US,Salesforce,Reseller,2,None\n"
    "102,Globex,Loss,300,30M,SaaS,GB,HubSpot,Reseller,0,Unknown\n"
    "103,Initech,Won,1200,50M,Fintech,US,Salesforce,Telesales,Unknown,Unknown\n"
    "104,Umbrella,Loss,100,5M,Retail,DE,,Fields Sales,1,Known Competitor\n"
)
SETTINGS = """
[tool.icp]
paths = ["icps"]
unknown-values = ["", "unknown"]   # "None" means "no competitor" here

[tool.icp.columns]
deal_id = "Opportunity Number"
account = "Account Name"
outcome = "Opportunity Result"
employees = "Client Size By Employee Count"
revenue_usd = "Annual Revenue"
tech_stack = "CRM"
"""


@pytest.fixture
def export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, base_text: str) -> Path:
    (tmp_path / "icps").mkdir()
    (tmp_path / "icps" / "base.yaml").write_text(merge(base_text, TRIGGERS))
    (tmp_path / "pyproject.toml").write_text(SETTINGS)
    (tmp_path / "export.csv").write_text(EXPORT)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_when_triggers_score_without_a_triggers_column(export: Path) -> None:
    result = invoke("score", "icps/base.yaml", "export.csv", "-o", "scored.csv")
    assert result.exit_code == 0, result.output
    scored = pd.read_csv("scored.csv", dtype=str, keep_default_na=False).set_index("Account Name")
    returning = scored["points.triggers.returning-client"].astype(float).to_dict()
    reseller = scored["points.triggers.reseller-led"].astype(float).to_dict()
    assert returning == {"Acme": 15, "Globex": 0, "Initech": 0, "Umbrella": 15}
    # Globex: Reseller, competitor unknown -> unknown; Initech: Telesales is a known miss.
    assert reseller == {"Acme": 15, "Globex": 0, "Initech": 0, "Umbrella": 0}
    assert scored.loc["Acme", "score"] == "100.0"
    assert scored["unknown_fields"].to_dict() == {
        "Acme": "",
        "Globex": "competitor_type",
        "Initech": "revenue_from_client_past_two_years",
        "Umbrella": "tech_stack",
    }
    assert scored.loc["Globex", "unknown_share"] == "0.15"


def test_explain_shows_the_condition_the_cells_and_whether_it_fired(export: Path) -> None:
    shown = {}
    for account in ("Acme", "Globex", "Initech"):
        result = invoke("score", "icps/base.yaml", "export.csv", "--explain", account)
        assert result.exit_code == 0, result.output
        shown[account] = " ".join(result.stdout.split())
    # Long conditions wrap onto the next line rather than being cut short.
    assert (
        "trigger returning-client 2 revenue_from_client_past_two_years present 15 / 15 1..inf"
        in shown["Acme"]
    )
    assert (
        "trigger reseller-led Reseller; None route_to_market in [Reseller] and present 15 / 15 "
        "competitor_type in [None]" in shown["Acme"]
    )
    assert "trigger reseller-led Reseller; (unknown) route_to_market" in shown["Globex"]
    assert "and unknown 0 / 15 competitor_type in [None]" in shown["Globex"]
    assert "trigger returning-client 0 revenue_from_client_past_two_years absent" in shown["Globex"]
    assert "trigger returning-client (unknown) revenue_" in shown["Initech"]
    assert (
        "trigger reseller-led Telesales; (unknown) route_to_market in [Reseller] and absent"
        in (shown["Initech"])
    )


def test_duckdb_engine_scores_when_triggers_alike(export: Path) -> None:
    pytest.importorskip("duckdb")
    pandas_run = invoke("score", "icps/base.yaml", "export.csv", "-o", "pandas.parquet")
    duck_run = invoke(
        "score", "icps/base.yaml", "export.csv", "--engine", "duckdb", "-o", "duck.parquet"
    )
    assert pandas_run.exit_code == 0, pandas_run.output
    assert duck_run.exit_code == 0, duck_run.output
    expected, actual = pd.read_parquet("pandas.parquet"), pd.read_parquet("duck.parquet")
    for column in (
        "score",
        "band",
        "unknown_share",
        "unknown_fields",
        "points.triggers.reseller-led",
    ):
        assert expected[column].tolist() == actual[column].tolist(), column


def test_backtest_reads_when_triggers_from_the_deals(export: Path) -> None:
    result = invoke("backtest", "--deals", "export.csv", "--bootstrap", "0", "--format", "json")
    assert result.exit_code == 1, result.output  # four deals fail min_closed_deals, no error
    data = json.loads(result.stdout)["results"][0]
    signals = {s["name"]: s for s in data["signals"] if s["kind"] == "trigger"}
    assert set(signals) == {"returning-client", "reseller-led"}


def test_a_trigger_without_when_still_needs_the_triggers_column(
    export: Path, base_text: str
) -> None:
    mixed = TRIGGERS + (
        "  - {id: new-cfo, event: New CFO hired, window_days: 90, detect: LinkedIn alerts,"
        " weight: 0}\n"
    )
    (export / "icps" / "base.yaml").write_text(merge(base_text, mixed))
    result = invoke("score", "icps/base.yaml", "export.csv")
    assert result.exit_code == 2
    assert "no column for triggers" in result.output
    assert "give it a `when`" in result.output


def test_a_condition_on_a_column_the_export_lacks_is_unknown_on_every_row(
    make_icp: IcpFn,
) -> None:
    icp = make_icp(TRIGGERS)
    frame = pd.DataFrame(
        {
            "employees": ["500", "500"],
            "revenue_usd": ["25M", "25M"],
            "industry": ["saas", "saas"],
            "country": ["US", "US"],
            "tech_stack": ["Salesforce", "Salesforce"],
            "route_to_market": ["Reseller", "Telesales"],
            "competitor_type": ["None", "None"],
        }
    )
    mapping = DataMapping(
        absent_fields=("revenue_from_client_past_two_years",), unknown_values=("",)
    )
    scored = score(icp, frame, mapping=mapping)
    assert scored["points.triggers.reseller-led"].tolist() == [15.0, 0.0]
    assert scored["unknown_fields"].tolist() == ["revenue_from_client_past_two_years"] * 2
    assert scored["unknown_share"].tolist() == [0.15, 0.15]
    assert scored["score"].tolist() == [85.0, 70.0]
    with pytest.raises(InputError, match="no column for revenue_from_client_past_two_years"):
        score(icp, frame)
