from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from icpkit.format.model import Icp
from icpkit.format.valid import load_icp
from tests.conftest import merge

IcpFn = Callable[..., Icp]


@pytest.fixture
def make_icp(tmp_path: Path, base_text: str) -> IcpFn:
    """The tests' base ICP (weights: employees 25, revenue 15, industry 15, country 5,
    tech_stack 10, triggers 15 + 15), with top-level sections replaced by `snippet`."""

    def make(snippet: str = "", name: str = "base") -> Icp:
        path = tmp_path / f"{name}.yaml"
        path.write_text(merge(base_text, snippet).replace("id: base", f"id: {name}"))
        return load_icp(path)

    return make


# A budget cell per deal, cycling: the anti-ICP names "Unknown", so only its spellings count.
BUDGETS = ("Approved", "Unknown", "UNKNOWN", "n/a", "", "Pending", "unknown", "N/A", "None")
INDUSTRIES = ("SaaS", "Fintech", "Unknown", "Retail")

SALVIRT = """\
firmographics:
  employees: {min: 200, max: 2000, weight: 30}
  industry: {in: [saas, fintech], weight: 20}
  segment: {in: [Strategic Account, Mid-market], weight: 10}
technographics:
  tech_stack: {any: [salesforce], weight: 10}
anti_icp:
  - {id: no-budget, when: {budgt_alloc: {in: [Unknown]}},
     reason: Nobody has set money aside; these deals stall in procurement}
  - {id: build-in-house, signal: Insists on building everything in-house,
     reason: Not a buyer; evaluations end in a build decision}
"""


def write_export(path: Path, deals: int = 36) -> list[dict[str, str]]:
    """A CRM-shaped export: title-case headers, Won/Lost labels, `Unknown` cells."""
    rows = [
        {
            "Deal ID": f"SV-{i:03d}",
            "Account Name": f"Account {i}",
            "Stage": "Won" if i % 3 == 0 else "Lost",
            "Employees": str(150 + 40 * i),
            "Industry": INDUSTRIES[i % len(INDUSTRIES)],
            "Segment": "Strategic Account" if i % 2 else "SMB",
            "Tech Stack": "Salesforce; Slack" if i % 4 else "HubSpot",
            "Budgt Alloc": BUDGETS[i % len(BUDGETS)],
        }
        for i in range(deals)
    ]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


@pytest.fixture
def salvirt(project: Path, base_text: str) -> list[dict[str, str]]:
    (project / "icps").mkdir()
    (project / "icps" / "salvirt.yaml").write_text(
        merge(base_text, SALVIRT).replace("id: base", "id: salvirt")
    )
    (project / "pyproject.toml").write_text(
        '[tool.icp]\npaths = ["icps"]\nabsent-fields = ["triggers"]\n'
        '[tool.icp.columns]\naccount = "Account Name"\noutcome = "Stage"\n'
    )
    return write_export(project / "export.csv")
