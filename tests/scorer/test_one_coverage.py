"""Rule ICP032 and `icp coverage` are one computation: on the same market file they agree."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import invoke

ICP = "icps/midmarket-saas-revops.yaml"


def _market(folder: Path, *, drop: tuple[str, ...] = ()) -> None:
    rng = np.random.default_rng(11)
    rows = 2000
    size = np.exp(rng.uniform(np.log(5), np.log(50_000), rows)).round()
    frame = pd.DataFrame(
        {
            "account": [f"acct-{i}" for i in range(rows)],
            "employees": size.astype(int),
            "revenue_usd": (size * rng.uniform(5e4, 2e5, rows)).round(),
            "industry": rng.choice(["saas", "fintech", "retail", "agency"], rows),
            "country": rng.choice(["US", "GB", "DE", "CA"], rows),
            "funding_stage": rng.choice(["series-a", "series-b", "series-c"], rows),
            "tech_stack": rng.choice(["salesforce;slack", "hubspot", ""], rows),
            "sales_team_growth_pct": rng.normal(25, 15, rows).round(),
            "intent_topic_surge": rng.choice(["sales-forecasting", "", "hr"], rows),
            "triggers": rng.choice(["", "new-sales-leader", "missed-forecast"], rows),
        }
    )
    frame.drop(columns=list(drop)).to_csv(folder / "market.csv", index=False)


def _configure(folder: Path, limit: float) -> None:
    settings = folder / "pyproject.toml"
    text = settings.read_text(encoding="utf-8")
    extra = f'universe = "market.csv"\nmax-coverage = {limit}'
    settings.write_text(text.replace('fail-on = "warning"', f'fail-on = "warning"\n{extra}'))


@pytest.mark.parametrize("drop", [(), ("intent_topic_surge",)], ids=["full", "no-intent-column"])
def test_the_rule_reports_the_share_icp_coverage_measures(
    example_repo: Path, drop: tuple[str, ...]
) -> None:
    # Without a column for a field the market cannot hold (intent), `icp coverage` scores
    # it as unknown and still measures; the rule measures the same, rather than giving up.
    _market(example_repo, drop=drop)
    _configure(example_repo, 0.01)
    measured = invoke("coverage", ICP, "--format", "json")
    assert measured.exit_code == 1, measured.output
    share = json.loads(measured.stdout)["share"]
    assert 0.01 < share < 1
    checked = invoke("check", ICP, "--format", "json")
    [finding] = [f for f in json.loads(checked.stdout)["findings"] if f["rule"] == "ICP032"]
    assert finding["message"].startswith(f"rates {share:.0%} of the universe in market.csv")


def test_below_the_limit_neither_complains(example_repo: Path) -> None:
    _market(example_repo, drop=("intent_topic_surge",))
    _configure(example_repo, 0.9)
    assert invoke("coverage", ICP).exit_code == 0
    checked = invoke("check", ICP, "--format", "json")
    assert not [f for f in json.loads(checked.stdout)["findings"] if f["rule"] == "ICP032"]
