"""`icp score` and `icp backtest` as users run them: on the example repository, on a
CRM-shaped export with a mapping, and on bad data."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from icpkit.cli import cli
from tests.conftest import invoke
from tests.goldenfile import Golden

MIDMARKET = "icps/midmarket-saas-revops.yaml"
FIELDS = ("employees", "revenue_usd", "industry", "country", "funding_stage", "tech_stack",
          "sales_team_growth_pct", "intent_topic_surge", "triggers")  # fmt: skip


def test_backtest_of_the_examples_passes(example_repo: Path) -> None:
    result = invoke("backtest")
    assert result.exit_code == 0, result.output
    # Five deal gates and three retention gates on the customers fixture.
    assert result.output.count("passed all 8 gates") == 2
    assert "skipped " in result.output and "smb-founder-led-sales.yaml: retired" in result.output
    assert re.search(r"AUC 0\.\d\d \(95% CI 0\.\d\d-0\.\d\d\)", result.output)


def test_backtest_json_matches_golden(example_repo: Path, golden: Golden) -> None:
    result = invoke("backtest", "--format", "json")
    assert result.exit_code == 0, result.output
    golden.check("backtest.json", result.output)
    data = json.loads(result.output)
    assert data["passed"] is True and len(data["results"]) == 2


@pytest.mark.parametrize(("fmt", "suffix"), [("text", "txt"), ("markdown", "md")])
def test_backtest_renderings_match_golden(
    example_repo: Path, golden: Golden, fmt: str, suffix: str
) -> None:
    result = invoke("backtest", "--format", fmt)
    assert result.exit_code == 0, result.output
    golden.check(f"backtest.{suffix}", result.output)


def test_explanation_matches_golden(example_repo: Path, golden: Golden) -> None:
    deals = "fixtures/deals/midmarket-saas-revops.csv"
    result = CliRunner().invoke(cli, ["score", MIDMARKET, deals, "--explain", "MID-10003"])
    assert result.exit_code == 0, result.output
    golden.check("explain.txt", result.stdout)


def test_scrambled_weights_fail_a_gate(example_repo: Path) -> None:
    data = yaml.safe_load((example_repo / MIDMARKET).read_text())
    # Still 100 in total, but the points now sit on intent and triggers, which most
    # wins lack, instead of size, industry and CRM, which most wins have.
    weights = {"employees": 5, "revenue_usd": 5, "industry": 5, "country": 5,
               "funding_stage": 5, "tech_stack": 5, "sales_team_growth_pct": 5,
               "intent_topic_surge": 30}  # fmt: skip
    for layer in ("firmographics", "technographics", "behavioral"):
        for name, spec in data[layer].items():
            spec["weight"] = weights[name]
    for trigger, weight in zip(data["triggers"], (20, 10, 5), strict=True):
        trigger["weight"] = weight
    data["id"] = "scrambled"
    (example_repo / "icps" / "scrambled.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    assert invoke("check", "icps/scrambled.yaml").exit_code == 0  # a valid ICP, a wrong one
    result = invoke("backtest", "icps/scrambled.yaml")
    assert result.exit_code == 1, result.output
    assert re.search(
        r"FAIL  min_wins_good_or_better: share of wins scoring good or better "
        r"\d+\.\d% < 70\.0%",
        result.output,
    ), result.output
    assert "scrambled: FAILED" in result.output


def test_backtest_markdown_to_a_file_and_since(example_repo: Path) -> None:
    result = invoke(
        "backtest",
        MIDMARKET,
        "--format",
        "markdown",
        "-o",
        "out/report.md",
        "--since",
        "2026-01-01",
    )
    assert result.exit_code in (0, 1), result.output
    report = (example_repo / "out" / "report.md").read_text()
    assert report.startswith("### icp backtest: ")
    assert "closed before 2026-01-01 left out" in report
    assert "<details><summary>Wins vs losses" in report


def test_score_writes_every_format_and_explains(example_repo: Path) -> None:
    deals = "fixtures/deals/midmarket-saas-revops.csv"
    for suffix in ("csv", "parquet", "json", "jsonl"):
        result = invoke("score", MIDMARKET, deals, "-o", f"scored.{suffix}")
        assert result.exit_code == 0, result.output
    frame = pd.read_parquet(example_repo / "scored.parquet")
    assert {"score", "band", "status", "disqualifier", "unknown_fields"} <= set(frame.columns)
    assert {"icp_id", "icp_version", "icp_commit", "points.employees"} <= set(frame.columns)
    assert "points.triggers.new-sales-leader" in frame.columns
    assert frame["score"].between(0, 100).all() and len(frame) == 640
    first = frame["account"].iloc[0]
    shown = invoke("score", MIDMARKET, deals, "--explain", first)
    assert shown.exit_code == 0, shown.output
    assert shown.output.startswith(f"{first}, deal {frame['deal_id'].iloc[0]}: ")
    assert "trigger new-sales-leader" in shown.output and "employees" in shown.output


def test_several_icps_give_each_account_its_best_fit(example_repo: Path) -> None:
    accounts = example_repo / "accounts.csv"
    accounts.write_text(
        "account,employees,revenue_usd,industry,country,funding_stage,tech_stack,"
        "sales_team_growth_pct,intent_topic_surge,currencies_count,erp,triggers\n"
        "Revops Co,600,60000000,saas,US,series-c,salesforce,40,sales-forecasting,1,,"
        "new-sales-leader\n"
        "Euro Pay,3000,600000000,payments,DE,growth-equity,hubspot,5,,9,netsuite,new-cfo\n"
    )
    result = invoke("score", "icps/", "accounts.csv", "-o", "best.csv")
    assert result.exit_code == 0, result.output
    best = pd.read_csv(example_repo / "best.csv")
    assert best["icp_id"].tolist() == ["midmarket-saas-revops", "emea-fintech-multicurrency"]
    assert best["emea-fintech-multicurrency.disqualifier"].iloc[0] == "single-currency"
    assert "smb-founder-led-sales.score" not in best.columns  # retired ICPs sit out


CRM_EXPORT = (
    "\ufeffOpportunity ID;Account Name;Stage;Amount;Close Date;Created Date;Employees;"
    "Annual Revenue;Industry;Billing Country;CRM\n"
    "0061;Acme;Closed Won;$48,000;2026-03-02;2026-01-01;3;$25M;SaaS;United States;Salesforce\n"
    "0062;Globex;Closed Lost;12.5k;2026-02-11;2026-02-01;1;n/a;Retail;Germany;\n"
    "0063;Initech;Negotiation;;;2026-05-01;2;$40M;Fintech;UK;HubSpot\n"
)
CRM_MAPPING = """
[tool.icp]
paths = ["icps"]
absent-fields = ["triggers"]

[tool.icp.columns]
deal_id = "Opportunity ID"
account = "Account Name"
outcome = "Stage"
amount_usd = "Amount"
closed_on = "Close Date"
created_on = "Created Date"
revenue_usd = "Annual Revenue"
country = "Billing Country"
tech_stack = "CRM"

[tool.icp.outcomes]
open = ["Negotiation"]

[tool.icp.values.employees]
"1" = {max = 100}
"2" = {min = 100, max = 1000}
"3" = {min = 1000, max = 5000}

[tool.icp.values.country]
"United States" = "US"
Germany = "DE"
UK = "GB"
"""


def test_a_crm_export_scores_unedited_with_a_mapping(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, base_text: str
) -> None:
    (tmp_path / "icps").mkdir()
    (tmp_path / "icps" / "base.yaml").write_text(base_text)
    (tmp_path / "pyproject.toml").write_text(CRM_MAPPING)
    (tmp_path / "export.csv").write_bytes(CRM_EXPORT.encode("utf-8"))
    monkeypatch.chdir(tmp_path)
    result = invoke("score", "icps/base.yaml", "export.csv", "--explain", "acme")
    assert result.exit_code == 0, result.output
    # employees code 3 -> 3,000 (0 of 25), revenue 25M 15, SaaS 15, US 5, Salesforce 10.
    assert result.output.startswith("Acme, deal 0061: 45/100, weak")
    assert "3,000" in result.output
    backtest = invoke("backtest", "--deals", "export.csv", "--bootstrap", "0", "--format", "json")
    data = json.loads(backtest.output)["results"][0]
    assert (data["closed"], data["wins"], data["open_deals"]) == (2, 1, 1)
    assert backtest.exit_code == 1  # two closed deals cannot pass min_closed_deals
    assert data["bands"][0]["band"] == "strong"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "deals.csv: the file is empty"),
        ("deal_id,outcome{f}\n1,won{e}\n1,lost{e}\n", "1 deal ids appear more than once, e.g. '1'"),
        ("deal_id,outcome{f}\n1,Won{e}\n2,Maybe{e}\n", "unknown outcome labels: 'Maybe' (1)"),
        ("deal_id,result\n1,won\n", "no column for employees, revenue_usd"),
        ("format: icp/1\nid: x\n", "single column"),
    ],
)
def test_bad_deal_files_exit_2_with_one_clear_error(
    example_repo: Path, content: str, message: str
) -> None:
    fields = ",".join(["", *FIELDS])
    (example_repo / "deals.csv").write_text(content.format(f=fields, e="," * len(FIELDS)))
    result = CliRunner().invoke(cli, ["backtest", MIDMARKET, "--deals", "deals.csv"])
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Error: ")
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_binary_file_is_not_csv(example_repo: Path) -> None:
    pd.DataFrame({"a": [1]}).to_parquet(example_repo / "deals.csv")
    result = invoke("backtest", MIDMARKET, "--deals", "deals.csv")
    assert result.exit_code == 2
    assert "not a CSV file: it is a Parquet file" in result.output


def test_non_numeric_values_warn_and_carry_on(example_repo: Path) -> None:
    text = (example_repo / "fixtures/deals/midmarket-saas-revops.csv").read_text().splitlines()
    header = text[0].split(",")
    column = header.index("employees")
    cells = text[1].split(",")
    cells[column] = "lots"
    (example_repo / "deals.csv").write_text("\n".join([text[0], ",".join(cells), *text[2:]]) + "\n")
    result = invoke("score", MIDMARKET, "deals.csv", "-o", "out.csv")
    assert result.exit_code == 0, result.output
    assert "warning: deals.csv: employees: 1 value not read as numbers" in result.output
    assert "row 2 'lots'" in result.output


def test_installed_backtest_command(example_repo: Path) -> None:
    found = shutil.which("icp", path=str(Path(sys.executable).parent)) or shutil.which("icp")
    assert found
    env = {**os.environ, "ICP_TODAY": "2026-11-23"}
    done = subprocess.run(
        [found, "backtest", "--format", "markdown"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("### icp backtest: passed")
