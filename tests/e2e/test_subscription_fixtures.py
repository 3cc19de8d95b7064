"""The committed subscriptions fixtures, aggregated per account, give each band the same
churn, survival and revenue retention as the customers files they were written beside
(scripts/generate_customers.py); lifetime revenue and days to value are the documented
exceptions (fixtures/customers/README.md)."""

from __future__ import annotations

import csv
from dataclasses import asdict, replace

import pandas as pd
import pytest

from icpkit.format.valid import load_icp
from icpkit.project.settings import read_config
from icpkit.scorer.customers import Customers, read_customers
from icpkit.scorer.retention import customer_backtest
from icpkit.scorer.subscriptions import read_subscriptions
from tests.conftest import ROOT

NAMES = ("midmarket-saas-revops", "emea-fintech-multicurrency")
SAME = ("band", "customers", "churned", "churn_rate", "churn_interval", "retention_lift",
        "median_tenure_days", "survival_12m", "nrr", "expanding")  # fmt: skip


def _one_period(read: Customers) -> Customers:
    """The one documented difference: an account that became a customer on the file's
    latest day has a single period, so its current MRR is its starting MRR there, while
    the customers file says it has grown since."""
    frame = read.frame.copy()
    latest = pd.concat([frame["started_on"], frame["ended_on"]]).max()
    same_day = (frame["started_on"] == latest) & ~frame["churned"]
    assert same_day.sum() <= 3, "an exception, not the rule"
    frame.loc[same_day, "current_mrr"] = frame.loc[same_day, "starting_mrr"]
    return replace(read, frame=frame)


@pytest.mark.parametrize("name", NAMES)
def test_subscriptions_give_the_customers_files_figures(name: str) -> None:
    config = read_config(ROOT)
    icp = load_icp(ROOT / "icps" / f"{name}.yaml")
    files = (
        _one_period(read_customers(ROOT / "fixtures" / "customers" / f"{name}.csv", [icp], config)),
        read_subscriptions(ROOT / "fixtures" / "subscriptions" / f"{name}.csv", [icp], config),
    )
    customers, periods = (customer_backtest(icp, f, resamples=0) for f in files)
    assert periods.as_of == customers.as_of and periods.revenue == customers.revenue == "MRR"
    for mine, theirs in zip(
        (*customers.bands, customers.good_or_better, customers.overall),
        (*periods.bands, periods.good_or_better, periods.overall),
        strict=True,
    ):
        expected, got = asdict(mine), asdict(theirs)
        for key in SAME:
            assert got[key] == pytest.approx(expected[key]), (mine.band, key)
        # Not in a subscriptions export; lifetime revenue is MRR times months there.
        assert theirs.median_days_to_value is None
    assert customers.auc == pytest.approx(periods.auc)


@pytest.mark.parametrize("name", NAMES)
def test_an_account_churned_when_no_period_is_open(name: str) -> None:
    """Counted from the raw files: the customers file's Status against open periods."""
    with (ROOT / "fixtures" / "customers" / f"{name}.csv").open(encoding="utf-8") as handle:
        status = {r["Customer"]: r["Status"] != "Active" for r in csv.DictReader(handle)}
    open_: dict[str, bool] = {}
    with (ROOT / "fixtures" / "subscriptions" / f"{name}.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            open_[row["Customer"]] = open_.get(row["Customer"], False) or not row["Cancel Date"]
    assert {account: not is_open for account, is_open in open_.items()} == status
    assert 0 < sum(status.values()) < len(status)
