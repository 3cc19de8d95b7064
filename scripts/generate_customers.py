#!/usr/bin/env python3
"""Write the synthetic customers fixtures (seeded: same bytes every run): fixtures/customers/
and fixtures/subscriptions/.

THE DATA IS SYNTHETIC. No real company or customer is in it. Each example ICP's customers
are the accounts that won in its deal fixture (fixtures/deals/, which this script reads
from scripts/generate_deals.py and leaves untouched), plus older customers drawn from the
same world that signed before the deals begin. Who churns and who grows is decided by a
retention model of each world's own (what makes an account stay: an owner for the tool,
the integrations it lives in, how much of the problem it has), with noise: close to the
ICP's idea of fit, but not its weights, so the ICP has to earn its retention figures too.

The file is written as a billing export writes it: title-case headers, `Active`,
`Churned` and `Cancelled`, a blank current MRR for some churned customers, blanks.

The same customers are also written as a subscriptions export (fixtures/subscriptions/:
one row per subscription period, with yearly renewals at the MRR the customer has grown
to), which aggregates to the same figures by band (fixtures/customers/README.md).

    python3 scripts/generate_customers.py          # rewrite the fixtures
    python3 scripts/generate_customers.py --check  # exit 1 if the committed files differ
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import math
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate_deals as deals

OUT = deals.ROOT / "fixtures" / "customers"
SUBSCRIPTIONS = deals.ROOT / "fixtures" / "subscriptions"
AS_OF = dt.date(2026, 11, 20)  # the export's date: every start and cancellation is before it
OLD_START = dt.date(2023, 1, 2)
OLD_DAYS = (deals.START - OLD_START).days

Traits = dict[str, object]
# A world's retention: (annual churn logit, yearly expansion rate, days to first value).
Retention = Callable[[random.Random, Traits], tuple[float, float, float]]


def _number(cell: str) -> float | None:
    """A cell as the deal generator's messy_number writes it: 1200, 1,200, $1.2M, $25K."""
    text = cell.strip().replace(",", "")
    scale = {"K": 1e3, "M": 1e6}.get(text[-1:], 1.0) if text else 1.0
    text = text.lstrip("$").rstrip("KM")
    try:
        return float(text) * scale
    except ValueError:
        return None


_COUNTRIES = {v.casefold(): k for k, spellings in deals.COUNTRY_VARIANTS.items() for v in spellings}


def _text(cell: str) -> str | None:
    text = cell.strip().casefold()
    if text in ("", "unknown", "n/a"):
        return None
    return _COUNTRIES.get(text, text.upper() if len(text) == 2 else text)


def traits(row: dict[str, str]) -> Traits:
    return {
        "employees": _number(row.get("employees", "")),
        "industry": _text(row.get("industry", "")),
        "erp": _text(row.get("erp", "")),
        "currencies": _number(row.get("currencies_count", "")),
        "growth": _number(row.get("sales_team_growth_pct", "")),
        "stack": row.get("tech_stack", "").casefold(),
        "triggers": set(filter(None, row.get("triggers", "").split(";"))),
    }


def _fired(t: Traits, trigger: str) -> bool:
    triggers = t["triggers"]
    return isinstance(triggers, set) and trigger in triggers


def _between(value: object, low: float, high: float) -> bool:
    return isinstance(value, float) and low <= value <= high


def midmarket(rng: random.Random, t: Traits) -> tuple[float, float, float]:
    """Forecasting sticks where a RevOps team owns it and the CRM feeds it."""
    churn = (
        -0.3
        - 1.0 * _between(t["employees"], 150, 3000)
        - 0.6 * (t["industry"] in ("saas", "fintech"))
        - 0.6 * ("salesforce" in str(t["stack"]))
        - 0.3 * _fired(t, "new-sales-leader")
        + 0.9 * _between(t["employees"], 0, 99)
        + 0.7 * (t["industry"] in ("consulting", "agency", "retail", "education"))
        + rng.gauss(0, 0.4)
    )
    growth = (
        -0.06
        + 0.12 * _between(t["employees"], 200, 2500)
        + 0.08 * _between(t["growth"], 20, 1e9)
        + 0.05 * (t["industry"] == "saas")
        + rng.gauss(0, 0.1)
    )
    value = (
        25 + 30 * ("salesforce" not in str(t["stack"])) + 20 * _between(t["employees"], 3001, 1e9)
    )
    return churn, growth, max(3.0, rng.gauss(value, 8))


def emea(rng: random.Random, t: Traits) -> tuple[float, float, float]:
    """Multi-currency close stays where there are many currencies and a serious ERP."""
    churn = (
        -0.4
        - 0.9 * _between(t["currencies"], 3, 1e9)
        - 0.6 * (t["industry"] in ("fintech", "payments", "insurtech"))
        - 0.5 * (t["erp"] in ("netsuite", "sap-s4hana", "microsoft-dynamics-365"))
        + 0.7 * (t["industry"] in ("retail", "public-sector", "logistics"))
        + 0.5 * _between(t["employees"], 0, 299)
        + rng.gauss(0, 0.4)
    )
    growth = (
        -0.05
        + 0.10 * _between(t["currencies"], 5, 1e9)
        + 0.06 * _fired(t, "acquisition-adds-currency")
        + 0.05 * _between(t["employees"], 500, 5000)
        + rng.gauss(0, 0.1)
    )
    value = 35 + 25 * (t["erp"] in ("xero", "sage", None)) + 15 * _between(t["currencies"], 8, 1e9)
    return churn, growth, max(3.0, rng.gauss(value, 10))


WORLDS: dict[str, tuple[Retention, int, int]] = {
    # name: (retention model, older customers, seed)
    "midmarket-saas-revops": (midmarket, 240, 101),
    "emea-fintech-multicurrency": (emea, 140, 103),
}
HEADER = ["Customer", "Status", "Start Date", "Cancel Date", "Starting MRR", "Current MRR",
          "Lifetime Revenue", "Days To Value"]  # fmt: skip


def _won(name: str) -> list[tuple[dict[str, str], dt.date, float | None]]:
    """The deal fixture's wins: the account's cells, its close date and its amount."""
    rows = csv.DictReader(io.StringIO(deals.deals(name)))
    return [
        (row, dt.date.fromisoformat(row["closed_on"]), _number(row["amount_usd"]))
        for row in rows
        if row["outcome"].casefold() in ("won", "closed won")
    ]


def _older(
    world: deals.World, count: int, rng: random.Random, taken: set[str]
) -> list[tuple[dict[str, str], dt.date, float]]:
    """Customers who signed before the deals begin, drawn from the deals' own world."""
    found: list[tuple[dict[str, str], dt.date, float]] = []
    while len(found) < count:
        row, logit, size = world(rng, taken)
        if rng.random() < deals.logistic(logit):
            signed = OLD_START + dt.timedelta(days=rng.randrange(OLD_DAYS))
            found.append((row, signed, round(size, -2)))
    return found


def _money(rng: random.Random, value: float | None) -> str:
    if value is None or rng.random() < 0.03:
        return ""
    return f"{value:,.2f}" if rng.random() < 0.3 else f"{value:.0f}"


@dataclass(frozen=True)
class Life:
    """What a customer did, as the subscriptions export needs it: its dates, and its MRR
    at the start and (before any churn) at the end, with the cells the export wrote."""

    start: dt.date
    end: dt.date | None  # None: still a customer
    starting: float | None
    current: float | None  # the MRR the customer reached, churned or not
    starting_cell: str
    current_cell: str  # as the customers file wrote it (blank or 0 once churned)
    cells: dict[str, str]  # the account's attributes


def customer(
    rng: random.Random,
    retention: Retention,
    row: dict[str, str],
    signed: dt.date,
    amount: float | None,
    read: Callable[[dict[str, str]], Traits] = traits,
) -> tuple[dict[str, str], Life]:
    churn, growth, to_value = retention(rng, read(row))
    start = signed + dt.timedelta(days=rng.randint(3, 21))
    yearly = -math.log(1 - deals.logistic(churn))  # the churn rate as a constant hazard
    stays = dt.timedelta(days=round(-math.log(1 - rng.random()) / yearly * 365))
    churned = start + stays < AS_OF
    end = start + stays if churned else AS_OF
    years = (end - start).days / 365
    starting = amount / 12 if amount else None
    current = starting * math.exp(growth * years) if starting else None
    lifetime = (starting + current) / 2 * years * 12 if starting and current else None
    status = rng.choice(["Churned"] * 4 + ["Cancelled"]) if churned else "Active"
    shown_current = ("" if rng.random() < 0.4 else "0") if churned else _money(rng, current)
    cells = {k: v for k, v in row.items() if k not in deals_columns}
    written = {
        "Customer": row["account"],
        "Status": status,
        "Start Date": start.isoformat(),
        "Cancel Date": end.isoformat() if churned else "",
        "Starting MRR": _money(rng, starting),
        "Current MRR": shown_current,
        "Lifetime Revenue": _money(rng, lifetime),
        "Days To Value": "" if rng.random() < 0.08 else str(round(to_value)),
        **cells,
    }
    life = Life(
        start,
        end if churned else None,
        starting,
        current,
        written["Starting MRR"],
        shown_current,
        cells,
    )
    return written, life


deals_columns = frozenset(
    {"deal_id", "account", "outcome", "amount_usd", "cycle_days", "closed_on"}
)


@functools.cache
def _world(name: str) -> tuple[tuple[dict[str, str], Life], ...]:
    retention, older, seed = WORLDS[name]
    rng = random.Random(seed)
    won = _won(name)
    taken = {row["account"] for row, _, _ in won}
    signed: list[tuple[dict[str, str], dt.date, float | None]] = [
        *_older(deals.WORLDS[name][0], older, rng, taken),
        *won,
    ]
    return tuple(customer(rng, retention, row, day, amount) for row, day, amount in signed)


def _csv(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def customers(name: str) -> str:
    return _csv([row for row, _ in _world(name)])


def periods(life: Life, account: str, latest: dt.date) -> list[dict[str, str]]:
    """The customer's subscription periods: one a year from its start (a renewal at the
    MRR it had grown to by then), the last one open while it is a customer, else ending on
    its cancel date (a customer of under a year whose MRR moved gets a second period
    half way, at its new MRR). No renewal falls after `latest`, the customers file's latest date, so
    both files count an active customer's tenure to the same day."""
    stop = life.end or latest
    starts = [life.start]
    while (following := starts[-1] + dt.timedelta(days=365)) < stop and following <= latest:
        starts.append(following)
    if len(starts) == 1 and life.end is None and (stop - life.start).days > 1:
        # Its MRR changed within its first year: an upgrade half way, billed from then on.
        starts.append(life.start + (stop - life.start) / 2)
    out = []
    for number, begun in enumerate(starts):
        last = number == len(starts) - 1
        ends = life.end if last else starts[number + 1]
        out.append(
            {
                "Customer": account,
                "Start Date": begun.isoformat(),
                "Cancel Date": ends.isoformat() if ends else "",
                "MRR": _mrr(life, number, len(starts), last),
                **life.cells,
            }
        )
    return out


def _mrr(life: Life, number: int, count: int, last: bool) -> str:
    """The first period bills the starting MRR and an open last one the current MRR, each
    as the customers file wrote it (so NRR reads alike); renewals in between grow
    geometrically from one to the other."""
    if number == 0:
        return life.starting_cell
    if last and life.end is None:
        return life.current_cell
    if life.starting is None or life.current is None:
        return ""
    return f"{life.starting * (life.current / life.starting) ** (number / (count - 1)):.2f}"


def subscriptions(name: str) -> str:
    world = _world(name)
    latest = max(d for _, life in world for d in (life.start, life.end) if d is not None)
    rows = [p for row, life in world for p in periods(life, row["Customer"], latest)]
    return _csv(rows)


def starter(rng: random.Random, t: Traits) -> tuple[float, float, float]:
    """The ICP `icp init` writes: forecasting sticks at mid-market SaaS on Salesforce."""
    churn = (
        -0.6
        - 0.9 * _between(t["employees"], 150, 3000)
        - 0.5 * (t["industry"] in ("saas", "fintech"))
        - 0.6 * ("salesforce" in str(t["stack"]))
        + 0.8 * _between(t["employees"], 0, 99)
        + 0.6 * (t["industry"] in ("agency", "retail", "education", "ecommerce"))
        + rng.gauss(0, 0.4)
    )
    growth = -0.05 + 0.12 * _between(t["employees"], 200, 2500) + rng.gauss(0, 0.1)
    return churn, growth, max(3.0, rng.gauss(30 + 25 * ("salesforce" not in str(t["stack"])), 8))


# `icp init` ships these as its example customers (scaffold.py copies .csv verbatim).
STARTER = deals.STARTER.parent.parent / "customers" / "__ID__.csv"
STARTER_OLDER, STARTER_SEED = 40, 29
_STARTER_CELLS = {"Employees": "employees", "Annual Revenue": "revenue_usd",
                  "Industry": "industry", "Country": "country", "Tech Stack": "tech_stack",
                  "Triggers": "triggers"}  # fmt: skip


def _starter_row(row: dict[str, str]) -> dict[str, str]:
    """A starter deal's account: its name, and its cells under the starter's headers."""
    return {"account": row["Account Name"], **{k: row[k] for k in _STARTER_CELLS}}


def _starter_traits(row: dict[str, str]) -> Traits:
    return traits({field: row[header] for header, field in _STARTER_CELLS.items()} | {
        "tech_stack": row["Tech Stack"], "triggers": row["Triggers"]
    })  # fmt: skip


def starter_customers() -> str:
    """The example customers of a new repository: the starter deals' wins and older ones."""
    rng = random.Random(STARTER_SEED)
    rows = list(csv.DictReader(io.StringIO(deals.starter_deals())))
    won = [
        (_starter_row(r), dt.date.fromisoformat(r["Close Date"]), _number(r["Amount"]))
        for r in rows
        if r["Stage"] == "Closed Won"
    ]
    taken = {r["Account Name"] for r in rows}
    older = [
        (_starter_row(r), day, size)
        for r, day, size in _older(deals.starter, STARTER_OLDER, rng, taken)
    ]
    made = [
        customer(rng, starter, row, day, amount, _starter_traits)
        for row, day, amount in [*older, *won]
    ]
    return _csv([row for row, _ in made])


def outputs() -> dict[Path, str]:
    files = {OUT / f"{name}.csv": customers(name) for name in WORLDS}
    files[STARTER] = starter_customers()
    return files


def subscription_outputs() -> dict[Path, str]:
    return {SUBSCRIPTIONS / f"{name}.csv": subscriptions(name) for name in WORLDS}


def main() -> int:
    written = deals.write_or_check(outputs(), "customers")
    return max(written, deals.write_or_check(subscription_outputs(), "subscription periods"))


if __name__ == "__main__":
    sys.exit(main())
