"""`icp backtest` with a customers file, through the installed command: the figures in
every format, and the retention gates' exit code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_icp
from tests.gitrepo import git
from tests.scorer.customer_files import CUSTOMERS, project

# Of the 15 customers scoring good or better, 3 churned (20%); all 25: 9 (36%).
LIFT = 0.8 / (1 - 9 / 25)


def test_json_carries_the_customers_figures(tmp_path: Path) -> None:
    done = run_icp(project(tmp_path), "backtest", "--format", "json", "--bootstrap", "0")
    assert done.returncode == 0, done.stderr
    [result] = json.loads(done.stdout)["results"]
    customers = result["customers"]
    assert customers["customers"] == len(CUSTOMERS)
    assert customers["churned"] == sum(c.churned for c in CUSTOMERS)
    good = customers["good_or_better"]
    assert (good["customers"], good["churned"]) == (15, 3)
    assert good["retention_lift"] == pytest.approx(LIFT, abs=1e-4)
    assert [b["band"] for b in customers["bands"]][:2] == ["strong", "good"]


def test_text_and_markdown_show_the_table(tmp_path: Path) -> None:
    folder = project(tmp_path)
    text = run_icp(folder, "backtest", "--bootstrap", "0").stdout
    assert "customers: fixtures/customers.csv" in text
    assert "25 customers (9 churned, churn 36.0%)" in text
    markdown = run_icp(folder, "backtest", "--format", "markdown", "--bootstrap", "0").stdout
    assert "| good or better | 15 | 20.0% |" in markdown
    assert "| Band | Customers | Churn | 95% CI |" in markdown


@pytest.mark.parametrize(
    ("gates", "code", "line"),
    [
        ("  max_churn_good_or_better: 0.25\n", 0, "pass  max_churn_good_or_better: "),
        ("  max_churn_good_or_better: 0.15\n", 1, "good or better 20.0% > 15.0%"),
        (f"  min_retention_lift: {LIFT - 0.01:.3f}\n", 0, "pass  min_retention_lift"),
        (f"  min_retention_lift: {LIFT + 0.01:.3f}\n", 1, "FAIL  min_retention_lift"),
        ("  min_nrr: 0.9\n", 0, "pass  min_nrr"),
        ("  min_nrr: 1.0\n", 1, "FAIL  min_nrr"),
    ],
)
def test_a_retention_gate_decides_the_exit_code(
    tmp_path: Path, gates: str, code: int, line: str
) -> None:
    done = run_icp(project(tmp_path, gates=gates), "backtest", "--bootstrap", "0")
    assert done.returncode == code, done.stdout + done.stderr
    assert line in done.stdout


def test_a_retention_gate_without_customers_fails(tmp_path: Path) -> None:
    folder = project(tmp_path, gates="  min_nrr: 0.9\n")
    icp = folder / "icps" / "base.yaml"
    icp.write_text(
        icp.read_text(encoding="utf-8").replace("  customers: fixtures/customers.csv\n", ""),
        encoding="utf-8",
    )
    done = run_icp(folder, "backtest", "--bootstrap", "0")
    assert done.returncode == 1
    assert "FAIL  min_nrr: net revenue retention of customers scoring good or better: " in (
        done.stdout
    )
    assert "needs validation.customers" in done.stdout


def test_against_fails_a_retention_gate_that_passed_at_the_base(tmp_path: Path) -> None:
    folder = project(tmp_path, gates="  max_churn_good_or_better: 0.25\n")
    git(folder, "init", "-q")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "ICP with its customers")
    icp = folder / "icps" / "base.yaml"
    text = icp.read_text(encoding="utf-8")
    icp.write_text(text.replace("max_churn_good_or_better: 0.25", "max_churn_good_or_better: 0.15"))
    done = run_icp(folder, "backtest", "--bootstrap", "0", "--against", "HEAD")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "gate max_churn_good_or_better passed at HEAD and fails now" in done.stdout


def test_retained_vs_churned_in_every_format(tmp_path: Path) -> None:
    folder = project(tmp_path)
    done = run_icp(folder, "backtest", "--format", "json", "--bootstrap", "0")
    [result] = json.loads(done.stdout)["results"]
    found = result["customers"]["signals"]
    country = next(s for s in found["signals"] if s["name"] == "country")
    # Only the strong profile is in the US: 10 customers, 2 churned.
    strong = [c for c in CUSTOMERS if c.band == "strong"]
    assert country["fit_customers"] == len(strong)
    assert country["fit_churn_rate"] == pytest.approx(sum(c.churned for c in strong) / 10)
    retail = next(v for v in found["values"] if v["value"] == "Retail")
    assert (retail["leaning"], retail["customers"], retail["churned"]) == ("churned", 10, 6)
    text = run_icp(folder, "backtest", "--bootstrap", "0").stdout
    assert "retained vs churned" in text and "retained in fit" in text
    assert "industry Retail: held more by churned; 10 customers, churn 60.0%" in text
    markdown = run_icp(folder, "backtest", "--format", "markdown", "--bootstrap", "0").stdout
    assert "| Signal | Fit (churn rate) | Partial | Out of fit |" in markdown
    assert "| country (in \\[US, GB\\]) | 10 (20.0%) | 0 | 15 (46.7%) |" in markdown
