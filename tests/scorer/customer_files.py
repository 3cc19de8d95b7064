"""A small project whose customers file looks like a billing export, with every figure the
tests expect kept beside it as plain lists, so each test can compute its own answer."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import TESTS, merge

AS_OF = dt.date(2026, 1, 1)
FIT = {"Employees": "500", "Revenue USD": "50,000,000", "Industry": "SaaS", "Country": "US",
       "Tech Stack": "Salesforce", "Triggers": "new-sales-leader;series-b-plus"}  # fmt: skip
# 100 - 15 (series-b-plus) - 5 (country) = 80: good.
GOOD = {**FIT, "Country": "DE", "Triggers": "new-sales-leader"}
POOR = {"Employees": "5000", "Revenue USD": "1", "Industry": "Retail", "Country": "DE",
        "Tech Stack": "Pipedrive", "Triggers": ""}  # fmt: skip


@dataclass(frozen=True)
class Customer:
    band: str
    churned: bool
    days: int  # tenure: to the cancel date when churned, to AS_OF when active
    starting: float | None
    current: float | None  # None: blank in the file
    lifetime: float | None
    to_value: float | None


def _c(band: str, churned: bool, days: int, current: float | None, *rest: float | None) -> Customer:
    lifetime, to_value = (*rest, None, None)[:2]
    return Customer(band, churned, days, 1000.0, current, lifetime, to_value)


CUSTOMERS = (
    # strong: 2 of 10 churned
    _c("strong", True, 100, None, 3000, 20),
    _c("strong", True, 500, 0, 16000, 40),
    _c("strong", False, 30, 1000, 1000, 10),
    _c("strong", False, 50, 1100, 1800),
    _c("strong", False, 200, 1200, 7000, 15),
    _c("strong", False, 300, 1000, 10000, 25),
    _c("strong", False, 400, 1500, 14000, 12),
    _c("strong", False, 600, 900, 20000),
    _c("strong", False, 700, 1300, 24000, 30),
    _c("strong", False, 800, 2000, 30000, 18),
    # good: 1 of 5 churned
    _c("good", True, 250, 0, 8000, 35),
    _c("good", False, 100, 1000, 3000, 20),
    _c("good", False, 400, 1100, 13000, 45),
    _c("good", False, 450, 800, 15000),
    _c("good", False, 380, 1000, 12000, 30),
    # poor: 6 of 10 churned
    _c("poor", True, 60, 0, 2000, 90),
    _c("poor", True, 90, None, 3000, 60),
    _c("poor", True, 120, 0, 4000),
    _c("poor", True, 200, 0, 6000, 120),
    _c("poor", True, 300, None, 9000, 80),
    _c("poor", True, 400, 0, 12000, 70),
    _c("poor", False, 100, 900, 3000, 100),
    _c("poor", False, 150, 1000, 5000),
    _c("poor", False, 500, 800, 15000, 75),
    _c("poor", False, 700, None, 20000, 65),
)
CELLS = {"strong": FIT, "good": GOOD, "poor": POOR}
HEADER = ["Customer", "Status", "Start Date", "Cancel Date", "Starting MRR", "Current MRR",
          "Lifetime Revenue", "Days To Value", *FIT]  # fmt: skip


def _money(value: float | None) -> str:
    return "" if value is None else f"{value:,.0f}"


def customer_rows(labels: tuple[str, str] = ("Churned", "Active")) -> list[list[str]]:
    rows = []
    for number, c in enumerate(CUSTOMERS):
        start = AS_OF - dt.timedelta(days=c.days)
        end = ""
        if c.churned:
            # Churned customers left before AS_OF; the first one left on it, so the
            # latest date in the file is AS_OF.
            end_date = AS_OF - dt.timedelta(days=number * 3)
            start = end_date - dt.timedelta(days=c.days)
            end = end_date.strftime("%d/%m/%Y") if number % 2 else end_date.isoformat()
        label = labels[0] if c.churned else labels[1]
        if c.churned and number % 4 == 3:
            label = "cancelled"
        rows.append(
            [
                f"Account {number:02d}",
                label,
                start.isoformat(),
                end,
                _money(c.starting),
                "n/a" if c.current is None and not c.churned else _money(c.current),
                _money(c.lifetime),
                "" if c.to_value is None else f"{c.to_value:g}",
                *CELLS[c.band].values(),
            ]
        )
    return rows


SETTINGS = """\
[tool.icp]
paths = ["icps"]

[tool.icp.columns]
revenue_usd = "Revenue USD"

[tool.icp.customer-columns]
account = "Customer"
churned = "Status"
started_on = "Start Date"
ended_on = "Cancel Date"
{extra}
"""
DEALS = "fixtures/deals.csv"
CUSTOMERS_FILE = "fixtures/customers.csv"
LENIENT = """\
  min_closed_deals: 1
  min_wins_good_or_better: 0
  min_losses_below_possible: 0
  min_auc: 0
  monotonic_win_rate: false
"""


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def project(
    folder: Path,
    *,
    gates: str = "",
    extra: str = "",
    rows: list[list[str]] | None = None,
) -> Path:
    """icps/base.yaml backtested on a few deals and the customers above."""
    deals = [
        [f"D{i}", f"Account {i:02d}", "won" if i % 2 else "lost", *CELLS[band].values()]
        for i, band in enumerate(["poor", "strong"] * 6)
    ]
    write_csv(folder / DEALS, ["deal_id", "account", "outcome", *FIT], deals)
    write_csv(folder / CUSTOMERS_FILE, HEADER, customer_rows() if rows is None else rows)
    validation = f"validation:\n  deals: {DEALS}\n  customers: {CUSTOMERS_FILE}\n{LENIENT}{gates}"
    base = (TESTS / "data" / "base.yaml").read_text(encoding="utf-8")
    (folder / "icps").mkdir(exist_ok=True)
    (folder / "icps" / "base.yaml").write_text(merge(base, validation), encoding="utf-8")
    (folder / "pyproject.toml").write_text(SETTINGS.format(extra=extra), encoding="utf-8")
    return folder
