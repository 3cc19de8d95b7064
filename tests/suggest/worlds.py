"""CRM exports whose truth we wrote ourselves: title-case headers, Won/Lost, Unknown cells."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

SETTINGS = """\
[tool.icp]
paths = ["icps"]
absent-fields = ["triggers"]
unknown-values = ["", "unknown"]

[tool.icp.columns]
deal_id = "Opportunity Number"
outcome = "Opportunity Result"
account = "Account Name"
"""


def leaky_export(rows: int = 900, seed: int = 11) -> pd.DataFrame:
    """Wins come from the industry, company size and returning clients (a third of deals,
    winning three times as often). Days in stage, the rep and a health score only record
    how the sale went; region says nothing. No dates."""
    rng = np.random.default_rng(seed)
    accounts = rng.integers(0, rows // 3, rows)  # about three deals per account
    industry = np.array(["Retail", "Logistics", "Health", "Media"])[accounts % 4]
    employees = np.round(np.exp(rng.uniform(np.log(20), np.log(20_000), rows // 3)))[accounts]
    returning = rng.uniform(size=rows) < 0.2
    region = rng.choice(["East", "West", "North"], rows)
    odds = (
        0.08
        + 0.12 * np.isin(industry, ["Retail", "Logistics"])
        + 0.12 * ((employees >= 200) & (employees <= 5000))
        + 0.45 * returning
    )
    won = rng.uniform(size=rows) < odds
    days = np.where(won, rng.integers(1, 20, rows), rng.integers(15, 90, rows))
    health = np.where(won, rng.uniform(80, 100, rows), rng.uniform(0, 75, rows))
    rep = np.where(won & (rng.uniform(size=rows) < 0.7), "Ann", rng.choice(["Bob", "Cy"], rows))
    industry_cells = np.where(rng.uniform(size=rows) < 0.05, "Unknown", industry)
    return pd.DataFrame(
        {
            "Opportunity Number": [f"OP-{i:05d}" for i in range(rows)],
            "Account Name": [f"Account {a}" for a in accounts],
            "Industry": industry_cells,
            "Employee Count": employees.astype(int),
            "Revenue From Client Past Two Years": np.where(returning, rng.integers(1, 5, rows), 0),
            "Region": region,
            "Elapsed Days In Sales Stage": days,
            "Sales Rep": rep,
            "Health Score": health.round(1),
            "Opportunity Result": np.where(won, "Won", "Loss"),
        }
    )


def noise_export(rows: int = 400, seed: int = 5) -> pd.DataFrame:
    """Every column is independent of the outcome."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "Opportunity Number": [f"N-{i}" for i in range(rows)],
            "Account Name": [f"Account {i % 150}" for i in range(rows)],
            "Region": rng.choice(["East", "West", "North"], rows),
            "Industry": rng.choice(["Retail", "Media"], rows),
            "Employee Count": rng.integers(10, 5000, rows),
            "Opportunity Result": rng.choice(["Won", "Loss"], rows, p=[0.3, 0.7]),
        }
    )


def write_project(root: Path, frame: pd.DataFrame, name: str = "deals.csv") -> str:
    (root / "icps").mkdir(exist_ok=True)
    (root / "pyproject.toml").write_text(SETTINGS, encoding="utf-8")
    frame.to_csv(root / name, index=False)
    return name


def regional_export(rows: int = 1400, seed: int = 23, *, differ: bool = True) -> pd.DataFrame:
    """Two regions. With `differ`, what wins is opposite in each: large software companies
    in the Americas, small manufacturers in EMEA. Without it, one model wins everywhere
    (mid-sized software companies), each trait multiplying the odds the same in both
    regions, so the wins of each region look alike."""
    rng = np.random.default_rng(seed)
    region = rng.choice(["Americas", "EMEA"], rows)
    industry = rng.choice(["Software", "Manufacturing", "Retail"], rows)
    employees = np.round(np.exp(rng.uniform(np.log(20), np.log(20_000), rows))).astype(int)
    if differ:
        americas = 0.05 + 0.3 * (employees >= 1000) + 0.2 * (industry == "Software")
        emea = 0.05 + 0.3 * (employees < 200) + 0.2 * (industry == "Manufacturing")
        odds = np.where(region == "Americas", americas, emea)
    else:
        odds = (
            0.05
            * 3.0 ** ((employees >= 200) & (employees <= 2000))
            * 2.5 ** (industry == "Software")
        )
    won = rng.uniform(size=rows) < odds
    return pd.DataFrame(
        {
            "Opportunity Number": [f"R-{i:05d}" for i in range(rows)],
            "Account Name": [f"Account {i}" for i in range(rows)],
            "Region": region,
            "Industry": industry,
            "Employee Count": employees,
            "Opportunity Result": np.where(won, "Won", "Loss"),
        }
    )
