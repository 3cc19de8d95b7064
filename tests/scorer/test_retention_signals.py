"""Retained vs churned by signal and value, against a count of the plain customer lists
(tests/scorer/customer_files.py) by which profile fits which rule of icps/base.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from icpkit.format.valid import load_icp
from icpkit.project.settings import read_config
from icpkit.scorer.customers import read_customers
from icpkit.scorer.retention import CustomerBacktest, customer_backtest
from icpkit.scorer.retention_signals import MIN_HOLDERS, RATIO, RetentionSignals
from tests.scorer.customer_files import CELLS, CUSTOMERS, CUSTOMERS_FILE, project

# Which profiles (by band) are in full fit of each rule of base.yaml, read off the rules:
# FIT fits all; GOOD is in DE and lacks series-b-plus; POOR (5000 employees, revenue 1,
# Retail, DE, Pipedrive, no triggers) fits none.
IN_FIT = {
    "employees": {"strong", "good"},
    "revenue_usd": {"strong", "good"},
    "industry": {"strong", "good"},
    "country": {"strong"},
    "tech_stack": {"strong", "good"},
    "new-sales-leader": {"strong", "good"},
    "series-b-plus": {"strong"},
}
CATEGORIES = {"industry": "Industry", "country": "Country", "tech_stack": "Tech Stack"}


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> RetentionSignals:
    folder = project(tmp_path_factory.mktemp("signals"))
    icp = load_icp(folder / "icps" / "base.yaml")
    read = read_customers(folder / CUSTOMERS_FILE, [icp], read_config(folder))
    report: CustomerBacktest = customer_backtest(icp, read, resamples=0)
    assert report.signals is not None
    return report.signals


@pytest.mark.parametrize("name", sorted(IN_FIT))
def test_each_signal_counts_fit_and_churn(found: RetentionSignals, name: str) -> None:
    signal = next(s for s in found.signals if s.name == name)
    fit = [c for c in CUSTOMERS if c.band in IN_FIT[name]]
    out = [c for c in CUSTOMERS if c.band not in IN_FIT[name]]
    assert (signal.fit_customers, signal.out_customers, signal.partial_customers) == (
        len(fit),
        len(out),
        0,
    )
    assert signal.fit_churn_rate == pytest.approx(sum(c.churned for c in fit) / len(fit))
    assert signal.out_churn_rate == pytest.approx(sum(c.churned for c in out) / len(out))
    retained = [c for c in CUSTOMERS if not c.churned]
    churned = [c for c in CUSTOMERS if c.churned]
    assert signal.retained_in_fit == pytest.approx(
        sum(c.band in IN_FIT[name] for c in retained) / len(retained)
    )
    assert signal.churned_in_fit == pytest.approx(
        sum(c.band in IN_FIT[name] for c in churned) / len(churned)
    )


def _expected_values() -> set[tuple[str, str, str, int, int]]:
    """Each categorical value and trigger presence held by enough customers whose churn
    rate is RATIO times everyone's or more, or 1/RATIO or less."""
    base = sum(c.churned for c in CUSTOMERS) / len(CUSTOMERS)
    holders: dict[tuple[str, str], list[bool]] = {}
    for c in CUSTOMERS:
        cells = CELLS[c.band]
        for field, column in CATEGORIES.items():
            holders.setdefault((field, cells[column]), []).append(c.churned)
        for trigger in ("new-sales-leader", "series-b-plus"):
            present = "present" if c.band in IN_FIT[trigger] else "not present"
            holders.setdefault((f"trigger {trigger}", present), []).append(c.churned)
    out = set()
    for (field, value), churned in holders.items():
        ratio = sum(churned) / len(churned) / base
        if len(churned) >= MIN_HOLDERS and (ratio >= RATIO or ratio <= 1 / RATIO):
            leaning = "churned" if ratio >= RATIO else "retained"
            out.add((field, value, leaning, len(churned), sum(churned)))
    return out


def test_values_lean_as_their_holders_churn(found: RetentionSignals) -> None:
    listed = {
        (v.field, v.value, v.leaning, v.customers, v.churned)
        for v in found.values
        if v.field in CATEGORIES or v.field.startswith("trigger ")
    }
    expected = _expected_values()
    assert listed == expected
    # The fixture is built so that both directions occur: the test cannot pass empty.
    assert {leaning for _, _, leaning, _, _ in expected} == {"retained", "churned"}


def test_a_value_holds_its_shares_and_interval(found: RetentionSignals) -> None:
    saas = next(v for v in found.values if (v.field, v.value) == ("industry", "SaaS"))
    mine = [c for c in CUSTOMERS if c.band in ("strong", "good")]
    kept = [c for c in CUSTOMERS if not c.churned]
    gone = [c for c in CUSTOMERS if c.churned]
    assert saas.churn_rate == pytest.approx(sum(c.churned for c in mine) / len(mine))
    assert saas.retained_share == pytest.approx(sum(not c.churned for c in mine) / len(kept))
    assert saas.churned_share == pytest.approx(sum(c.churned for c in mine) / len(gone))
    low, high = saas.churn_interval
    assert low < saas.churn_rate < high


def test_nobody_churned_lists_no_value(tmp_path: Path) -> None:
    folder = project(tmp_path)
    path = folder / CUSTOMERS_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(",Churned,", ",Active,").replace(",cancelled,", ",Active,"), encoding="utf-8"
    )
    icp = load_icp(folder / "icps" / "base.yaml")
    report = customer_backtest(icp, read_customers(path, [icp], read_config(folder)), resamples=0)
    assert report.churned == 0
    assert report.signals is not None and report.signals.values == ()
    assert all(s.fit_churn_rate in (0.0, None) for s in report.signals.signals)
