"""The evidence behind a suggestion, on deals whose truth we wrote ourselves."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from icpkit.format.model import Form
from icpkit.scorer.contract import CATEGORY, LIST, NUMERIC
from icpkit.suggest.draft import fit_bands, weights
from icpkit.suggest.evidence import Evidence, gather, nice


def world(rows: int = 2000, seed: int = 7) -> pd.DataFrame:
    """Wins come from 200-2,000 employees, SaaS and fintech, Salesforce users, a new CFO;
    agencies never buy; country says nothing."""
    rng = np.random.default_rng(seed)
    employees = np.exp(rng.uniform(np.log(10), np.log(50_000), rows)).round()
    industry = rng.choice(["saas", "fintech", "retail", "agency", "health"], rows)
    stack = rng.choice(["salesforce;slack", "hubspot", "salesforce", "slack"], rows)
    triggers = rng.choice(["new-cfo", "", "webinar", "new-cfo;webinar"], rows)
    country = rng.choice(["US", "GB", "DE"], rows)
    fit = (
        0.10
        + 0.30 * np.isin(industry, ["saas", "fintech"])
        + 0.20 * (np.char.find(stack.astype(str), "salesforce") >= 0)
        + 0.20 * (np.char.find(triggers.astype(str), "new-cfo") >= 0)
    )
    # Outside 200-2,000 employees a deal wins a tenth as often.
    odds = np.where((employees >= 200) & (employees <= 2000), fit, fit / 10)
    odds = np.where(industry == "agency", 0.0, odds)
    won = rng.uniform(size=rows) < odds
    return pd.DataFrame(
        {
            "outcome": np.where(won, "won", "lost"),
            "employees": employees,
            "industry": industry,
            "tech_stack": stack,
            "country": country,
            "triggers": triggers,
        }
    )


KINDS = {"employees": NUMERIC, "industry": CATEGORY, "tech_stack": LIST, "country": CATEGORY}


@pytest.fixture(scope="module")
def evidence() -> Evidence:
    return gather(world(), KINDS, size_fields=("employees",))


def test_numeric_range_holds_70_to_80_percent_of_wins_around_the_true_zone(
    evidence: Evidence,
) -> None:
    employees = next(f for f in evidence.fields if f.field == "employees")
    match = employees.match
    assert match is not None and match.form is Form.RANGE
    assert match.min is not None and match.max is not None
    assert 0.70 <= employees.win_share <= 0.80
    assert 150 <= match.min <= 400 and 1000 <= match.max <= 2500
    assert match.max / match.min <= 10  # a size field: max-range-ratio
    assert employees.lift > 1.5
    # Outside the zone, at least one tail is a place where losses concentrate.
    assert any(a.field == "employees" for a in employees.anti)


def test_over_indexing_categories_and_items_are_proposed(evidence: Evidence) -> None:
    by = {f.field: f for f in evidence.fields}
    assert by["industry"].match is not None
    assert {v.lower() for v in by["industry"].match.values} == {"saas", "fintech"}
    stack = by["tech_stack"].match
    assert stack is not None and stack.form is Form.ANY
    assert stack.values == ("salesforce",)
    assert not by["country"].used  # no signal, no weight
    agency = [a for a in by["industry"].anti if "agency" in a.match.values]
    assert agency and agency[0].win_rate == 0.0


def test_triggers_carry_their_lift_and_weights_follow_power(evidence: Evidence) -> None:
    by = {t.id: t for t in evidence.triggers}
    assert by["new-cfo"].used and by["new-cfo"].lift > 1.15
    assert not by["webinar"].used
    shares = weights(evidence)
    assert sum(shares.values()) == 100
    assert set(shares) == {
        "field:employees",
        "field:industry",
        "field:tech_stack",
        "trigger:new-cfo",
    }
    powers = {f"field:{f.field}": f.power for f in evidence.fields if f.used}
    powers["trigger:new-cfo"] = by["new-cfo"].power
    ranked = sorted(powers, key=powers.__getitem__)
    assert [shares[k] for k in ranked] == sorted(shares[k] for k in ranked)


def test_nice_numbers_and_band_fitting() -> None:
    assert nice(1234) == 1200 and nice(87_654_321) == 88_000_000 and nice(0.456) == 0.46
    strong, good, possible, weak = fit_bands([10, 40, 55, 60, 70, 80, 90, 95])
    assert strong > good > possible > weak > 0 and good % 5 == 0
    assert fit_bands([]) == (85.0, 70.0, 55.0, 40.0)
