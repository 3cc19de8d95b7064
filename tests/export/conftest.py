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


def add_pending_columns(scored: Path, overrides: dict[str, str] | None = None) -> Path:
    """The columns `icp score` gains in the routing and overrides branches (issue 19), added
    here as those branches write them, until they are merged: then delete this function
    and score with an ICP that has `activation:` and an overrides file instead.

    Routing: a route and SLA per band; `abm_rank` among the rows with a score band (strong
    first, then by score); `abm_tier` 1:1 for the top 3 good-or-better, 1:few for the next
    7, 1:many for the other good-or-better ones. Overrides: each named account gets status
    `overridden` and the band given (`target: exclude` writes `disqualified`), with the
    model's band and status and a reason beside it; routing follows the final band."""
    frame = pd.read_csv(scored, dtype=str, keep_default_na=False)
    frame["model_band"], frame["model_status"] = frame["band"], frame["status"]
    frame["override_reason"] = ""
    for account, band in (overrides or {}).items():
        row = frame["account"] == account
        assert row.any(), account
        frame.loc[row, ["band", "status", "override_reason"]] = [band, "overridden", "AE knows"]
    if not overrides:
        frame = frame.drop(columns=["model_band", "model_status", "override_reason"])
    routes = {"strong": ("senior-ae", "24"), "good": ("ae", "48"), "possible": ("sdr", "72")}
    frame["route"] = frame["band"].map(lambda b: routes.get(b, ("nurture", ""))[0])
    frame["sla_hours"] = frame["band"].map(lambda b: routes.get(b, ("", ""))[1])
    order = {"strong": 0, "good": 1, "possible": 2, "weak": 3, "poor": 4}
    place = frame["band"].map(order)
    ranked = frame[place.notna()].assign(_b=place, _s=-frame["score"].astype(float))
    ranked = ranked.sort_values(["_b", "_s"], kind="mergesort")
    frame["abm_rank"] = ""
    frame.loc[ranked.index, "abm_rank"] = [str(i) for i in range(1, len(ranked) + 1)]
    rank = pd.to_numeric(frame["abm_rank"], errors="coerce")
    good = frame["band"].isin(["strong", "good"])
    frame["abm_tier"] = ""
    frame.loc[good, "abm_tier"] = "1:many"
    frame.loc[good & (rank <= 10), "abm_tier"] = "1:few"
    frame.loc[good & (rank <= 3), "abm_tier"] = "1:1"
    frame.to_csv(scored, index=False)
    return scored


@pytest.fixture
def accounts(example_repo: Path) -> Path:
    return write_accounts(example_repo)


@pytest.fixture
def scored(example_repo: Path, accounts: Path) -> Path:
    """The accounts as `icp score` writes them today, without routing or overrides."""
    return score(example_repo, accounts)


@pytest.fixture
def routed(scored: Path) -> Path:
    return add_pending_columns(scored)
