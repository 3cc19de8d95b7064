"""Retention figures by band, each against a computation of its own from the plain lists
the customers file was written from (tests/scorer/customer_files.py)."""

from __future__ import annotations

import csv
import math
import statistics
from collections.abc import Sequence
from pathlib import Path

import pytest

from icpkit.format.valid import load_icp
from icpkit.project.settings import read_config
from icpkit.scorer.customers import read_customers
from icpkit.scorer.retention import CustomerBacktest, RetentionRow, customer_backtest
from tests.scorer.customer_files import (
    CUSTOMERS,
    CUSTOMERS_FILE,
    Customer,
    project,
    write_csv,
)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> CustomerBacktest:
    folder = project(tmp_path_factory.mktemp("customers"))
    icp = load_icp(folder / "icps" / "base.yaml")
    read = read_customers(folder / CUSTOMERS_FILE, [icp], read_config(folder))
    return customer_backtest(icp, read, resamples=200)


def _row(report: CustomerBacktest, band: str) -> RetentionRow:
    return next(r for r in (*report.bands, report.good_or_better) if r.band == band)


def _in(band: str) -> list[Customer]:
    if band == "good or better":
        return [c for c in CUSTOMERS if c.band in ("strong", "good")]
    return [c for c in CUSTOMERS if c.band == band]


def product_limit(customers: Sequence[Customer], at: int) -> float:
    """Kaplan and Meier's estimate, by its definition: over each churn time t <= at, the
    product of (1 - churned at t / still customers just before t)."""
    survival = 1.0
    for t in sorted({c.days for c in customers if c.churned and c.days <= at}):
        at_risk = sum(c.days >= t for c in customers)
        left = sum(c.churned and c.days == t for c in customers)
        survival *= 1 - left / at_risk
    return survival


def wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


BANDS = ("strong", "good", "poor", "good or better")


@pytest.mark.parametrize("band", BANDS)
def test_churn_and_its_wilson_interval(report: CustomerBacktest, band: str) -> None:
    row, mine = _row(report, band), _in(band)
    churned = sum(c.churned for c in mine)
    assert (row.customers, row.churned) == (len(mine), churned)
    assert row.churn_rate == pytest.approx(churned / len(mine))
    assert row.churn_interval == pytest.approx(wilson(churned, len(mine)))
    base = 1 - sum(c.churned for c in CUSTOMERS) / len(CUSTOMERS)
    assert row.retention_lift == pytest.approx((1 - churned / len(mine)) / base)


@pytest.mark.parametrize("band", BANDS)
def test_twelve_month_survival_is_the_product_limit_estimate(
    report: CustomerBacktest, band: str
) -> None:
    assert _row(report, band).survival_12m == pytest.approx(product_limit(_in(band), 365))


def test_survival_by_hand() -> None:
    # The poor band, worked on paper: churn at 60, 90, 120, 200, 300 (days <= 365) among
    # 10, 9, 7, 5 and 4 still customers.
    expected = (9 / 10) * (8 / 9) * (6 / 7) * (4 / 5) * (3 / 4)
    assert product_limit(_in("poor"), 365) == pytest.approx(expected)


def test_median_tenure(report: CustomerBacktest) -> None:
    # Poor: survival first falls to or below a half at day 300 (0.41); strong and good
    # keep more than half their customers throughout, so their median is not reached.
    assert product_limit(_in("poor"), 299) > 0.5 >= product_limit(_in("poor"), 300)
    assert _row(report, "poor").median_tenure_days == 300
    assert _row(report, "strong").median_tenure_days is None


@pytest.mark.parametrize("band", BANDS)
def test_revenue_figures(report: CustomerBacktest, band: str) -> None:
    row, mine = _row(report, band), _in(band)
    # A churned customer's blank current MRR is 0; an active one's blank leaves them out.
    measured = [(c.starting, 0.0 if c.current is None else c.current) for c in mine
                if c.starting is not None and (c.current is not None or c.churned)]  # fmt: skip
    assert row.nrr == pytest.approx(sum(now for _, now in measured) / sum(s for s, _ in measured))
    assert row.expanding == pytest.approx(sum(n > s for s, n in measured) / len(measured))
    lifetime = [c.lifetime for c in mine if c.lifetime is not None]
    assert row.avg_lifetime_revenue == pytest.approx(statistics.mean(lifetime))
    to_value = [c.to_value for c in mine if c.to_value is not None]
    assert row.median_days_to_value == pytest.approx(statistics.median(to_value))


def test_auc_for_retained_counts_pairs(report: CustomerBacktest) -> None:
    score = {"strong": 100, "good": 80, "poor": 0}
    kept = [score[c.band] for c in CUSTOMERS if not c.churned]
    gone = [score[c.band] for c in CUSTOMERS if c.churned]
    pairs = [1.0 if k > g else 0.5 if k == g else 0.0 for k in kept for g in gone]
    assert report.auc == pytest.approx(sum(pairs) / len(pairs))
    assert report.auc is not None and report.auc_interval is not None
    low, high = report.auc_interval
    assert low <= report.auc <= high


def test_what_the_file_cannot_say_is_said(report: CustomerBacktest) -> None:
    assert report.as_of == "2026-01-01"
    assert report.revenue == "MRR"
    assert any("without both starting_mrr and current_mrr" in w for w in report.warnings)


def test_without_dates_or_revenue_figures_are_missing_not_zero(tmp_path: Path) -> None:
    folder = project(tmp_path)
    path = folder / CUSTOMERS_FILE
    with path.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    # Keep the account, the status and the attributes: drop dates and money.
    keep = [i for i in range(len(header)) if i in (0, 1) or i >= 8]
    write_csv(path, [header[i] for i in keep], [[row[i] for i in keep] for row in rows])
    settings = folder / "pyproject.toml"
    text = settings.read_text(encoding="utf-8")
    dates = 'started_on = "Start Date"\nended_on = "Cancel Date"\n'
    settings.write_text(text.replace(dates, ""), encoding="utf-8")
    config = read_config(folder)
    icp = load_icp(folder / "icps" / "base.yaml")
    report = customer_backtest(icp, read_customers(path, [icp], config), resamples=0)
    row = report.good_or_better
    assert (row.survival_12m, row.median_tenure_days, row.nrr, row.expanding) == (None,) * 4
    assert row.churn_rate == pytest.approx(3 / 15)
    assert any("no started_on column" in w for w in report.warnings)
    assert any("no starting and current MRR" in w for w in report.warnings)
