"""A subscriptions export (one row per period) becomes one customer per account, with the
accounts file's attributes joined on; then it backtests as a customers file does."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from icpkit.format.valid import load_icp
from icpkit.project.settings import read_config
from icpkit.scorer.subscriptions import MONTH_DAYS, read_subscriptions
from tests.conftest import run_icp
from tests.scorer.customer_files import FIT, POOR, project, write_csv

SUBSCRIPTIONS = "fixtures/subscriptions.csv"
ACCOUNTS = "fixtures/accounts.csv"
# account, start, end, MRR: A upgraded and stays; B left; C's first MRR is unknown.
PERIODS = [
    ["Alpha", "2025-01-01", "2025-06-30", "100"],
    ["Alpha", "2025-07-01", "", "150"],
    ["Beta", "2025-02-01", "2025-05-01", "200"],
    ["Beta", "2025-02-01", "2025-03-01", "50"],
    ["Gamma", "2025-03-01", "2025-12-31", "n/a"],
    ["Gamma", "2026-01-01", "", "80"],
]
LATEST = pd.Timestamp("2026-01-01")


def _project(folder: Path) -> Path:
    project(folder)
    write_csv(folder / SUBSCRIPTIONS, ["Customer", "Start Date", "Cancel Date", "MRR"], PERIODS)
    attributes = [["Alpha", *FIT.values()], ["Beta", *POOR.values()], ["Gamma", *FIT.values()]]
    # The deals' accounts too: the accounts file joins onto the deals as well.
    attributes += [[f"Account {i:02d}", *(FIT if i % 2 else POOR).values()] for i in range(12)]
    write_csv(folder / ACCOUNTS, ["account", *FIT], attributes)
    icp = folder / "icps" / "base.yaml"
    text = icp.read_text(encoding="utf-8").replace(
        "  customers: fixtures/customers.csv\n",
        f"  subscriptions: {SUBSCRIPTIONS}\n  accounts: {ACCOUNTS}\n",
    )
    icp.write_text(text, encoding="utf-8")
    return folder


def _days(start: str, end: pd.Timestamp | str) -> float:
    return float((pd.Timestamp(end) - pd.Timestamp(start)).days)


def test_periods_become_one_customer_per_account(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    icp = load_icp(folder / "icps" / "base.yaml")
    read = read_subscriptions(folder / SUBSCRIPTIONS, [icp], read_config(folder), folder / ACCOUNTS)
    frame = read.frame.set_index("account")
    assert list(frame.index) == ["Alpha", "Beta", "Gamma"]
    assert frame["churned"].tolist() == [False, True, False]
    assert frame.loc["Beta", "ended_on"] == pd.Timestamp("2025-05-01")
    assert frame[["ended_on"]].loc[["Alpha", "Gamma"]].isna().all().all()
    assert frame["started_on"].tolist() == [pd.Timestamp(d) for d in
                                            ("2025-01-01", "2025-02-01", "2025-03-01")]  # fmt: skip
    # Starting MRR: the periods of the first day (Beta had two); current: the open ones.
    assert frame.loc["Alpha", "starting_mrr"] == 100 and frame.loc["Beta", "starting_mrr"] == 250
    assert frame["starting_mrr"].isna()["Gamma"]
    assert frame.loc["Alpha", "current_mrr"] == 150 and frame.loc["Gamma", "current_mrr"] == 80
    lifetime = (
        100 * _days("2025-01-01", "2025-06-30") + 150 * _days("2025-07-01", LATEST)
    ) / MONTH_DAYS
    assert frame.loc["Alpha", "lifetime_revenue"] == pytest.approx(lifetime)
    # Attributes come from the accounts file, joined by account.
    assert frame.loc["Beta", "industry"] == "Retail"


def test_a_subscriptions_export_backtests(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    done = run_icp(folder, "backtest", "--format", "json", "--bootstrap", "0")
    assert done.returncode == 0, done.stderr
    [result] = json.loads(done.stdout)["results"]
    customers = result["customers"]
    assert customers["customers_file"] == SUBSCRIPTIONS
    assert (customers["customers"], customers["churned"]) == (3, 1)
    good = customers["good_or_better"]
    assert (good["customers"], good["churned"]) == (2, 0)
    # NRR of the good-or-better customers: Gamma has no starting MRR, so Alpha alone.
    assert good["nrr"] == pytest.approx(1.5)


def test_customers_and_subscriptions_are_one_or_the_other(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    icp = folder / "icps" / "base.yaml"
    text = icp.read_text(encoding="utf-8")
    both = text.replace("  subscriptions:", "  customers: fixtures/customers.csv\n  subscriptions:")
    icp.write_text(both, encoding="utf-8")
    done = run_icp(folder, "check")
    assert done.returncode == 1
    assert "names both customers and subscriptions" in done.stdout
