"""`icp coverage` and rule ICP032 on a universe of accounts with known shape."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import invoke

ICP = "icps/midmarket-saas-revops.yaml"


@pytest.fixture
def market(example_repo: Path) -> Path:
    """The example project with a 5,000-account universe beside it."""
    tmp_path = example_repo
    rng = np.random.default_rng(3)
    rows = 5000
    size = np.exp(rng.uniform(np.log(5), np.log(50_000), rows)).round()
    pd.DataFrame(
        {
            "account": [f"acct-{i}" for i in range(rows)],
            "employees": size.astype(int),
            "revenue_usd": (size * rng.uniform(5e4, 2e5, rows)).round(),
            "industry": rng.choice(["saas", "fintech", "retail", "agency", "health"], rows),
            "country": rng.choice(["US", "GB", "DE", "IN", "CA"], rows),
            "funding_stage": rng.choice(["seed", "series-a", "series-b", "series-c"], rows),
            "tech_stack": rng.choice(["salesforce;slack", "hubspot", ""], rows),
            "sales_team_growth_pct": rng.normal(15, 15, rows).round(),
            "intent_topic_surge": rng.choice(["sales-forecasting", "", "hr"], rows),
            "triggers": rng.choice(["", "new-sales-leader", "missed-forecast"], rows),
        }
    ).to_parquet(tmp_path / "universe.parquet", index=False)
    return tmp_path


def test_share_and_bands_agree_across_engines(market: Path) -> None:
    pandas_run = invoke("coverage", ICP, "--universe", "universe.parquet", "--format", "json")
    duck_run = invoke("coverage", ICP, "--universe", "universe.parquet", "--format", "json",
                      "--engine", "duckdb")  # fmt: skip
    assert pandas_run.exit_code == duck_run.exit_code == 0, pandas_run.output
    left, right = json.loads(pandas_run.stdout), json.loads(duck_run.stdout)
    assert left == right
    assert left["accounts"] == 5000 and sum(left["bands"].values()) == 5000
    assert left["matched"] == left["bands"].get("strong", 0) + left["bands"].get("good", 0)
    assert 0 < left["share"] < 0.15 and not left["too_broad"]
    text = invoke("coverage", ICP, "--universe", "universe.parquet").stdout
    assert text.startswith(
        f"midmarket-saas-revops 2026-Q4 on universe.parquet: {left['matched']} of 5,000"
    )


def test_too_broad_exits_1_and_the_rule_warns(market: Path) -> None:
    # A universe and a tight limit in [tool.icp].
    text = Path("pyproject.toml").read_text(encoding="utf-8")
    text = text.replace(
        'fail-on = "warning"',
        'fail-on = "warning"\nuniverse = "universe.parquet"\nmax-coverage = 0.01',
    )
    Path("pyproject.toml").write_text(text, encoding="utf-8")
    result = invoke("coverage", ICP)
    assert result.exit_code == 1
    assert "Too broad: above max-coverage 1%" in result.stdout
    check = invoke("check", ICP, "--format", "json")
    findings = json.loads(check.stdout)["findings"]
    assert [f["rule"] for f in findings] == ["ICP032"]
    assert "good or better" in findings[0]["message"] and findings[0]["line"] > 1
    Path("pyproject.toml").write_text(
        text.replace("max-coverage = 0.01", "max-coverage = 0.5"), encoding="utf-8"
    )
    assert invoke("check", ICP).exit_code == 0


def test_no_universe_is_a_usage_error(market: Path) -> None:
    result = invoke("coverage", ICP)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: no universe")
