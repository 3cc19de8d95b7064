#!/usr/bin/env python3
"""Write the synthetic deal fixtures (seeded: same bytes every run): fixtures/deals/ and
the example deals `icp init` ships (src/icpkit/project/templates/repo/fixtures/deals/__ID__.csv).

THE DATA IS SYNTHETIC. No real company or deal is in it. It exists so that the example
ICPs have something true to be backtested against: each world below decides who wins
with its own model (how size, industry, stack and buying triggers drive a win, plus
noise), which resembles the ICP but is not a copy of its scoring model. The ICP has to
earn its AUC. Cells are written the way CRM exports write them: "1,200", "$25M",
"SaaS ", "United States", blanks and "n/a".

    python3 scripts/generate_deals.py          # rewrite the fixtures
    python3 scripts/generate_deals.py --check  # exit 1 if the committed files differ
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import random
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "deals"
START = dt.date(2025, 1, 6)
DAYS = 660  # closing dates run from January 2025 to the end of October 2026

Row = dict[str, str]

_SYLLABLES = ["nor", "tha", "vex", "lum", "cor", "ari", "zen", "qui", "bel", "dra", "mo", "tek"]
_SUFFIXES = ["Labs", "Systems", "Cloud", "Analytics", "Pay", "Health", "Works", "HQ", "AI", "io"]


def company(rng: random.Random, taken: set[str]) -> str:
    while True:
        stem = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 3)))).title()
        name = f"{stem} {rng.choice(_SUFFIXES)}"
        if name not in taken:
            taken.add(name)
            return name


def logistic(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def messy_number(rng: random.Random, value: float, money: bool = False) -> str:
    """A number as a CRM export might hold it."""
    roll = rng.random()
    if roll < 0.04:
        return rng.choice(["", "n/a"])
    if money and roll < 0.15:
        return f"${value / 1e6:.1f}M" if value >= 1e6 else f"${value / 1e3:.0f}K"
    if roll < 0.25:
        return f"{round(value):,}"
    return str(round(value))


def messy_text(rng: random.Random, value: str, variants: dict[str, list[str]]) -> str:
    roll = rng.random()
    if roll < 0.04:
        return rng.choice(["", "unknown"])
    if roll < 0.16 and value in variants:
        return rng.choice(variants[value])
    if roll < 0.24:
        return rng.choice([value.title(), value.upper(), f" {value} "])
    return value


def pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def stack(rng: random.Random, options: dict[str, float]) -> str:
    chosen = [tool for tool, p in options.items() if rng.random() < p]
    if not chosen:
        return ""
    cells = [rng.choice([t, t.title()]) for t in chosen]
    return rng.choice([";", "; "]).join(cells)


def fit(value: float, low: float, high: float, soft: float) -> float:
    """1 inside [low, high], falling off smoothly (in log space) outside it."""
    if low <= value <= high:
        return 1.0
    distance = math.log(low / value) if value < low else math.log(value / high)
    return max(0.0, 1.0 - distance / soft)


COUNTRY_VARIANTS = {
    "US": ["United States", "USA", "us"],
    "GB": ["UK", "United Kingdom", "gb"],
    "DE": ["Germany", "de"],
}


def chance(rng: random.Random, core: bool, inside: float, outside: float) -> bool:
    return rng.random() < (inside if core else outside)


def triggered(
    rng: random.Random, core: bool, odds: tuple[tuple[str, float, float], ...]
) -> list[str]:
    """Trigger ids present, each with its chance inside and outside the core segment."""
    return [t for t, inside, outside in odds if chance(rng, core, inside, outside)]


def log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def midmarket(rng: random.Random, taken: set[str]) -> tuple[Row, float, float]:
    """Mid-market SaaS forecasting: size, SaaS/fintech, Salesforce and a new sales leader win.

    About 40% of the pipeline comes from the segment the ICP describes (sales works it on
    purpose); the rest is inbound and opportunistic deals from everywhere else.
    """
    core = rng.random() < 0.4
    if core:
        employees = (
            log_uniform(rng, 200, 2000) if rng.random() < 0.9 else log_uniform(rng, 120, 4000)
        )
        revenue = (
            employees
            * rng.uniform(90_000, 110_000)
            * (rng.uniform(0.3, 1.2) if rng.random() < 0.1 else 1)
        )
    else:
        employees = log_uniform(rng, 20, 12000)
        revenue = employees * rng.uniform(40_000, 250_000)
    industry = (
        pick(rng, {"saas": 70, "fintech": 20, "healthtech": 5, "martech": 5})
        if core
        else pick(
            rng,
            {"saas": 12, "fintech": 4, "healthtech": 8, "martech": 8, "ecommerce": 14,
             "manufacturing": 14, "consulting": 12, "agency": 8, "education": 10, "retail": 10},
        )
    )  # fmt: skip
    country = (
        pick(rng, {"US": 62, "GB": 20, "CA": 10, "IE": 4, "AU": 4})
        if core
        else pick(rng, {"US": 30, "GB": 10, "CA": 4, "DE": 16, "FR": 12, "IN": 14, "BR": 14})
    )
    if core and rng.random() < 0.85:
        funding = pick(rng, {"series-b": 4, "series-c": 3, "series-d": 2, "growth-equity": 2})
    else:
        funding = pick(rng, {"seed": 3, "series-a": 4, "bootstrapped": 3, "public": 2,
                             "private-equity": 2, "series-b": 1})  # fmt: skip
    tools = stack(
        rng,
        {"salesforce": 0.88 if core else 0.25, "hubspot": 0.1 if core else 0.45,
         "slack": 0.7, "snowflake": 0.3, "gong": 0.2},
    )  # fmt: skip
    growth = rng.gauss(35, 15) if core else rng.gauss(10, 15)
    intent = rng.choice(["sales-forecasting", "revenue-operations", "pipeline-management"])
    triggers = triggered(
        rng,
        core,
        (("new-sales-leader", 0.45, 0.12), ("series-b-plus-round", 0.4, 0.05),
         ("missed-forecast", 0.3, 0.1)),
    )  # fmt: skip
    has = tools.casefold()
    logit = (
        -5.2
        + 2.6 * fit(employees, 200, 2000, 1.0)
        + 1.6 * (industry in ("saas", "fintech")) + 0.6 * (industry in ("healthtech", "martech"))
        + 1.2 * ("salesforce" in has)
        + 0.5 * (country in ("US", "GB", "CA"))
        + 0.5 * (funding in ("series-b", "series-c", "series-d", "growth-equity"))
        + 1.0 * ("new-sales-leader" in triggers)
        + 0.4 * ("missed-forecast" in triggers) + 0.3 * ("series-b-plus-round" in triggers)
        + 0.4 * (growth >= 20)
        + rng.gauss(0, 0.5)
    )  # fmt: skip
    if employees < 80 or industry in ("consulting", "agency"):
        logit -= 1.6
    row = {
        "account": company(rng, taken),
        "employees": messy_number(rng, employees),
        "revenue_usd": messy_number(rng, revenue, money=True),
        "industry": messy_text(rng, industry, {}),
        "country": messy_text(rng, country, COUNTRY_VARIANTS),
        "funding_stage": messy_text(rng, funding, {}),
        "tech_stack": tools,
        "sales_team_growth_pct": messy_number(rng, growth),
        "intent_topic_surge": intent if chance(rng, core, 0.6, 0.2) else "",
        "triggers": ";".join(triggers),
    }
    size = 18_000 + 32 * min(employees, 5000) * rng.uniform(0.6, 1.4)
    return row, logit, size


def emea(rng: random.Random, taken: set[str]) -> tuple[Row, float, float]:
    """EMEA fintech: several currencies, a regulated finance team and a new CFO win."""
    core = rng.random() < 0.4
    if core:
        employees = (
            log_uniform(rng, 500, 5000) if rng.random() < 0.9 else log_uniform(rng, 300, 8000)
        )
        revenue = employees * rng.uniform(180_000, 220_000)
    else:
        employees = log_uniform(rng, 60, 20000)
        revenue = employees * rng.uniform(60_000, 320_000)
    industry = (
        pick(rng, {"fintech": 50, "insurtech": 20, "payments": 25, "banking": 5})
        if core
        else pick(
            rng,
            {"fintech": 6, "insurtech": 2, "payments": 3, "banking": 14, "saas": 22,
             "logistics": 18, "public-sector": 10, "retail": 25},
        )
    )  # fmt: skip
    country = (
        pick(rng, {"GB": 30, "DE": 20, "NL": 12, "FR": 12, "IE": 6, "SE": 8, "NO": 4, "DK": 4,
                   "ES": 2, "IT": 2})
        if core
        else pick(rng, {"GB": 12, "DE": 10, "FR": 6, "ES": 14, "IT": 14, "PL": 12, "CH": 12,
                        "US": 20})
    )  # fmt: skip
    currencies = (
        rng.randint(3, 14) if core and rng.random() < 0.9 else rng.choice([1, 1, 2, 2, 3, 4])
    )
    erp = pick(
        rng,
        {"netsuite": 3, "sap-s4hana": 3, "microsoft-dynamics-365": 2, "xero": 3, "sage": 3}
        if not core
        else {"netsuite": 4, "sap-s4hana": 4, "microsoft-dynamics-365": 3, "sage": 1},
    )
    tools = stack(rng, {"salesforce": 0.6 if core else 0.3, "hubspot": 0.3, "slack": 0.6})
    triggers = triggered(
        rng,
        core,
        (("new-cfo", 0.4, 0.1), ("acquisition-adds-currency", 0.25, 0.04),
         ("regulatory-deadline", 0.3, 0.06)),
    )  # fmt: skip
    has = tools.casefold()
    logit = (
        -5.6
        + 1.9 * fit(employees, 500, 5000, 1.1)
        + 1.8 * (industry in ("fintech", "insurtech", "payments")) + 0.5 * (industry == "banking")
        + 1.3 * (currencies >= 3)
        + 0.6 * (country in ("GB", "DE", "NL", "FR", "IE", "SE", "NO", "DK"))
        + 0.5 * (erp in ("netsuite", "sap-s4hana", "microsoft-dynamics-365"))
        + 0.3 * bool(has)
        + 1.1 * ("new-cfo" in triggers) + 0.5 * ("acquisition-adds-currency" in triggers)
        + 0.5 * ("regulatory-deadline" in triggers)
        + rng.gauss(0, 0.5)
    )  # fmt: skip
    if currencies <= 1 or industry == "public-sector":
        logit -= 1.6
    row = {
        "account": company(rng, taken),
        "employees": messy_number(rng, employees),
        "revenue_usd": messy_number(rng, revenue, money=True),
        "industry": messy_text(rng, industry, {}),
        "country": messy_text(rng, country, COUNTRY_VARIANTS),
        "currencies_count": messy_number(rng, currencies),
        "erp": messy_text(rng, erp, {}),
        "tech_stack": tools,
        "triggers": ";".join(triggers),
    }
    size = 40_000 + 20 * min(employees, 8000) * rng.uniform(0.6, 1.5)
    return row, logit, size


def starter(rng: random.Random, taken: set[str]) -> tuple[Row, float, float]:
    """The ICP that `icp init` writes: US/UK mid-market SaaS and fintech on Salesforce.

    Exported the way a CRM report looks: title-case headers, `Closed Won`/`Closed Lost` and
    open stages, created and close dates instead of a cycle length, `Unknown` where a rep
    left a field empty. The new repository's pyproject.toml maps it onto the ICP's fields.
    """
    core = rng.random() < 0.5
    if core:
        employees = (
            log_uniform(rng, 200, 2000) if rng.random() < 0.85 else log_uniform(rng, 100, 4000)
        )
        revenue = employees * rng.uniform(80_000, 120_000)
    else:
        employees = log_uniform(rng, 15, 15000)
        revenue = employees * rng.uniform(40_000, 250_000)
    industry = (
        pick(rng, {"saas": 70, "fintech": 22, "martech": 8})
        if core
        else pick(
            rng,
            {"saas": 12, "fintech": 5, "martech": 10, "ecommerce": 16, "manufacturing": 16,
             "agency": 14, "education": 12, "retail": 15},
        )
    )  # fmt: skip
    country = (
        pick(rng, {"US": 70, "GB": 26, "CA": 4})
        if core
        else pick(rng, {"US": 34, "GB": 10, "DE": 18, "FR": 14, "IN": 12, "BR": 12})
    )
    tools = stack(
        rng,
        {"salesforce": 0.85 if core else 0.2, "hubspot": 0.12 if core else 0.5, "slack": 0.6},
    )
    triggers = triggered(rng, core, (("new-sales-leader", 0.5, 0.1), ("series-b-plus", 0.55, 0.08)))
    has = tools.casefold()
    logit = (
        -5.4
        + 2.6 * fit(employees, 200, 2000, 1.0)
        + 1.7 * (industry in ("saas", "fintech")) + 0.4 * (industry == "martech")
        + 1.2 * ("salesforce" in has) + 0.4 * ("hubspot" in has)
        + 0.5 * (country in ("US", "GB", "CA"))
        + 1.0 * ("new-sales-leader" in triggers) + 0.8 * ("series-b-plus" in triggers)
        + rng.gauss(0, 0.8)
    )  # fmt: skip
    if employees < 50 or industry == "agency":
        logit -= 1.6
    row = {
        "Account Name": company(rng, taken),
        "Employees": messy_number(rng, employees),
        "Annual Revenue": messy_number(rng, revenue, money=True),
        "Industry": messy_text(rng, industry, {}),
        "Country": messy_text(rng, country, COUNTRY_VARIANTS),
        "Tech Stack": tools,
        "Triggers": ";".join(triggers),
    }
    row = {k: "Unknown" if v == "unknown" else v for k, v in row.items()}
    size = 15_000 + 30 * min(employees, 5000) * rng.uniform(0.6, 1.4)
    return row, logit, size


World = Callable[[random.Random, set[str]], tuple[Row, float, float]]
WORLDS: dict[str, tuple[World, int, int]] = {
    # name: (world, deals, seed)
    "midmarket-saas-revops": (midmarket, 640, 7),
    "emea-fintech-multicurrency": (emea, 420, 11),
}


def deals(name: str) -> str:
    world, count, seed = WORLDS[name]
    rng = random.Random(seed)
    taken: set[str] = set()
    rows = []
    for number in range(1, count + 1):
        row, logit, size = world(rng, taken)
        closed = START + dt.timedelta(days=rng.randrange(DAYS))
        chance = logistic(logit)
        if closed > START + dt.timedelta(days=DAYS - 45) and rng.random() < 0.6:
            outcome = "open"
        else:
            outcome = "won" if rng.random() < chance else "lost"
        label = {"won": ["won", "won", "Closed Won"], "lost": ["lost", "lost", "Closed Lost"]}
        cycle = rng.gauss(120 - 60 * chance, 20) if outcome != "open" else None
        rows.append(
            {
                "deal_id": f"{name[:3].upper()}-{10000 + number}",
                "account": row.pop("account"),
                "outcome": rng.choice(label.get(outcome, ["open"])),
                "amount_usd": messy_number(rng, round(size, -2), money=True),
                "cycle_days": "" if cycle is None else str(max(7, round(cycle))),
                "closed_on": "" if outcome == "open" else closed.isoformat(),
                **row,
            }
        )
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


# `icp init` ships this file as its example deals (scaffold.py copies .csv verbatim).
STARTER = (
    ROOT / "src" / "icpkit" / "project" / "templates" / "repo" / "fixtures" / "deals" / "__ID__.csv"
)
STARTER_DEALS, STARTER_SEED = 180, 23


def starter_deals() -> str:
    """The example deals of a new repository: SYN- ids, created and closed dates."""
    rng = random.Random(STARTER_SEED)
    taken: set[str] = set()
    rows = []
    for number in range(1, STARTER_DEALS + 1):
        row, logit, size = starter(rng, taken)
        chance = logistic(logit)
        created = START + dt.timedelta(days=rng.randrange(DAYS - 30))
        cycle = dt.timedelta(days=max(14, round(rng.gauss(110 - 50 * chance, 20))))
        if created + cycle > START + dt.timedelta(days=DAYS):
            stage, closed = rng.choice(["Proposal", "Negotiation"]), ""
        else:
            stage = "Closed Won" if rng.random() < chance else "Closed Lost"
            closed = (created + cycle).isoformat()
        rows.append(
            {
                "Opportunity ID": f"SYN-{1000 + number}",
                "Account Name": row.pop("Account Name"),
                "Stage": stage,
                "Amount": messy_number(rng, round(size, -2), money=True),
                "Created Date": created.isoformat(),
                "Close Date": closed,
                **row,
            }
        )
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def outputs() -> dict[Path, str]:
    files = {OUT / f"{name}.csv": deals(name) for name in WORLDS}
    files[STARTER] = starter_deals()
    return files


def write_or_check(files: dict[Path, str], rows: str) -> int:
    """Write the fixtures, or with --check only say which differ from `files` (exit 1)."""
    check = "--check" in sys.argv[1:]
    stale = []
    for path, text in files.items():
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)} ({text.count(chr(10)) - 1} {rows})")
    for path in stale:
        print(f"{path.relative_to(ROOT)} differs from the generator's output", file=sys.stderr)
    return 1 if stale else 0


def main() -> int:
    return write_or_check(outputs(), "deals")


if __name__ == "__main__":
    sys.exit(main())
