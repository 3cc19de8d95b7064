"""Scored inputs for `icp export`, made by the real `icp score` on the example repository."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import run_icp

MIDMARKET = "icps/midmarket-saas-revops.yaml"
DEALS = "fixtures/deals/midmarket-saas-revops.csv"
ROWS = 40


def write_accounts(repo: Path) -> Path:
    """The first deals of the midmarket fixture as an accounts file, with a website column
    (the deals carry none) so the LinkedIn template has a second column to fill."""
    frame = pd.read_csv(repo / DEALS, dtype=str, keep_default_na=False).head(ROWS)
    slugs = frame["account"].map(lambda name: re.sub(r"[^a-z0-9]+", "", name.lower()))
    frame.insert(2, "website", slugs + ".example")
    path = repo / "accounts.csv"
    frame.to_csv(path, index=False)
    return path


def score(repo: Path, accounts: Path, out: str = "scored.csv") -> Path:
    done = run_icp(repo, "score", MIDMARKET, str(accounts), "-o", out)
    assert done.returncode == 0, done.stderr
    return repo / out


def without_columns(scored: Path, *names: str) -> Path:
    """`scored` as an icpkit without routing wrote it: the named columns dropped."""
    frame = pd.read_csv(scored, dtype=str, keep_default_na=False)
    frame.drop(columns=list(names)).to_csv(scored, index=False)
    return scored


def write_overrides(repo: Path, forced: dict[str, str]) -> None:
    """An overrides file for the midmarket ICP: each account's decision (`band: good`,
    `target: exclude`)."""
    entries = "".join(
        f"  - account: {account}\n    {decision}\n    reason: The AE knows this account\n"
        "    owner: ae@example.com\n    expires: 2027-06-30\n"
        for account, decision in forced.items()
    )
    head = "format: icp-overrides/1\nicp: midmarket-saas-revops\noverrides:\n"
    (repo / "icps" / "midmarket-saas-revops.overrides.yaml").write_text(
        head + entries, encoding="utf-8"
    )


@pytest.fixture
def accounts(example_repo: Path) -> Path:
    return write_accounts(example_repo)


@pytest.fixture
def scored(example_repo: Path, accounts: Path) -> Path:
    """The accounts as `icp score` writes them: the example ICP routes and tiers them."""
    return score(example_repo, accounts)


@pytest.fixture
def routed(scored: Path) -> Path:
    return scored
