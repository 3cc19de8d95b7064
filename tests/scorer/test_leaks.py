"""A rule that reads the outcome (the deal's stage, the days it took to qualify) is warned
about by `icp backtest`, in every format and on stderr, and fails no gate: the example
project's deals, with the columns a CRM fills in while a deal is worked."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.conftest import invoke, run_icp

ICP = "icps/midmarket-saas-revops.yaml"
DEALS = "fixtures/deals/midmarket-saas-revops.csv"
STAGE_WARNING = (
    "attribute `deal_stage` (5 pts) probably reads the outcome: `deal_stage` (column "
    "'Deal Stage') measures the sale itself (stage): known only once the deal is worked; "
    "it holds for 100.0% of the wins (265 of 265) and 0.0% of the losses (0 of 352) it can "
    "measure, a split no property of an account makes; a column like this (stage, close "
    "reason, days to close ...) is probably recorded after the outcome"
)
DAYS_WARNING = (
    "trigger `quick-qualify` (0 pts) probably reads the outcome: `qualify_speed` (column "
    "'Days To Qualify') measures the sale itself (days): known only once the deal is worked"
)
STAGE_RULE = "  deal_stage: {in: [Closed Won], weight: 5}\n"
QUICK_TRIGGER = """\
  - id: quick-qualify
    event: Qualified within a week of first contact
    window_days: 30
    detect: Days to qualify in the CRM
    when: {qualify_speed: {max: 7}}
    weight: 0
"""


# The customers file is mapped for the ICP too, and has no such columns.
CUSTOMERS = (
    "  customers: fixtures/customers/midmarket-saas-revops.csv\n"
    "  max_churn_good_or_better: 0.18\n  min_retention_lift: 1.02\n  min_nrr: 1.1\n"
)


def add_column(repo: Path, name: str, won: str, lost: str) -> None:
    """A column of the example deals holding `won` on each win, `lost` on each loss."""
    path = repo / DEALS
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for number, row in enumerate(rows):
        folded = row["outcome"].lower()
        row[name] = won if "won" in folded else lost if "lost" in folded else "Open"
        row["Days To Qualify"] = str(3 + number % 20)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def leaky(example_repo: Path) -> Path:
    """The example deals with a `Deal Stage` and a `Days To Qualify` column (mapped to
    `qualify_speed`, a name that says nothing), and an ICP reading both."""
    add_column(example_repo, "Deal Stage", "Closed Won", "Closed Lost")
    icp = example_repo / ICP
    text = icp.read_text(encoding="utf-8")
    assert CUSTOMERS in text
    text = text.replace(CUSTOMERS, "")
    text = text.replace("behavioral:\n", "behavioral:\n" + STAGE_RULE, 1)
    text = text.replace("anti_icp:\n", QUICK_TRIGGER + "\nanti_icp:\n", 1)
    icp.write_text(text, encoding="utf-8")
    settings = example_repo / "pyproject.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8")
        + '\n[tool.icp.columns]\nqualify_speed = "Days To Qualify"\n',
        encoding="utf-8",
    )
    return example_repo


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_a_rule_on_the_stage_is_warned_about_in_every_format(leaky: Path, fmt: str) -> None:
    result = invoke("backtest", ICP, "--bootstrap", "0", "--surprises", "0", "--format", fmt)
    # A warning, not a gate: the flattered gates pass.
    assert result.exit_code == 0, result.output
    output = result.stdout
    if fmt == "json":
        [data] = json.loads(output)["results"]
        output = "\n".join(data["warnings"])
        leaks = {leak["name"]: leak for leak in data["leaks"]}
        assert set(leaks) == {"deal_stage", "quick-qualify"}
        stage = leaks["deal_stage"]
        assert stage["kind"] == "attribute"
        assert stage["reads"] == [
            {
                "field": "deal_stage",
                "column": "Deal Stage",
                "reason": "measures the sale itself (stage): known only once the deal is worked",
            }
        ]
        assert (stage["wins"], stage["wins_matched"]) == (265, 265)
        assert (stage["losses"], stage["losses_matched"]) == (352, 0)
        assert stage["splits"] is True
        assert leaks["quick-qualify"]["splits"] is False
        assert {g["name"] for g in data["gates"]} == {
            "min_closed_deals", "min_wins_good_or_better", "min_losses_below_possible",
            "min_auc", "monotonic_win_rate",
        }  # fmt: skip
    text = flat(output)
    assert STAGE_WARNING in text
    assert DAYS_WARNING in text
    # Weightless, it flatters nothing yet; the stage rule does.
    assert "it carries no points, so no figure above depends on it" in text
    assert "the figures above flatter the ICP; drop the rule" in text
    # Beside a text report the warnings are already on the screen; else stderr has them.
    assert ("probably reads the outcome" in result.stderr) is (fmt != "text")


def test_the_installed_command_warns_on_stderr(leaky: Path) -> None:
    done = run_icp(leaky, "backtest", ICP, "--bootstrap", "0", "--format", "json")
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if "probably reads the outcome" in line]
    assert len(lines) == 2
    assert lines[0].startswith("warning: midmarket-saas-revops: attribute `deal_stage`")
    assert STAGE_WARNING in lines[0]


def test_a_rule_that_holds_for_the_losses_alone_is_warned_about_too(leaky: Path) -> None:
    """A disqualifier on a column that tells the outcome without a telling name: the split
    and the column's own separation say it, either way round."""
    add_column(leaky, "Account Tier", "Gold", "Silver")
    icp = leaky / ICP
    icp.write_text(
        icp.read_text(encoding="utf-8")
        .replace(STAGE_RULE, "")
        .replace(
            "anti_icp:\n",
            "anti_icp:\n  - {id: silver, when: {account_tier: {in: [Silver]}}, "
            "reason: Silver accounts never buy}\n",
            1,
        )
    )
    result = invoke("backtest", ICP, "--bootstrap", "0", "--surprises", "0")
    assert result.exit_code in (0, 1), result.output
    text = flat(result.stdout)
    assert (
        "anti-ICP `silver` probably reads the outcome: `account_tier` (column 'Account "
        "Tier') alone tells wins from losses almost perfectly (AUC 1.00); it holds for 0.0% "
        "of the wins (0 of 265) and 100.0% of the losses (352 of 352) it can measure, a "
        "split no property of an account makes"
    ) in text


def test_the_example_project_reads_no_outcome(example_repo: Path) -> None:
    result = invoke("backtest", "--bootstrap", "0", "--surprises", "0", "--format", "json")
    assert result.exit_code == 0, result.output
    assert all(not r["leaks"] for r in json.loads(result.stdout)["results"])
    assert "probably reads the outcome" not in result.stdout + result.stderr
