"""The leakage guard, minority segments and the fold split, on data we made ourselves."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from icpkit.format.model import Form
from icpkit.format.valid import read_icp
from icpkit.scorer.columns import column_key
from icpkit.scorer.contract import CATEGORY, NUMERIC
from icpkit.scorer.leakage import DEAL_SIZE, MEASURES_SALE, NAMES_SELLER, separation
from icpkit.suggest.draft import FROM_ICP, FROM_NAME, GUESSED, layer_of, render_draft
from icpkit.suggest.evidence import gather, roundest
from icpkit.suggest.folds import assign_folds, group_keys
from icpkit.suggest.leakage import by_name

IBM_HEADERS = {
    "Supplies Subgroup": None,
    "Supplies Group": None,
    "Region": None,
    "Route To Market": None,
    "Elapsed Days In Sales Stage": MEASURES_SALE,
    "Sales Stage Change Count": MEASURES_SALE,
    "Total Days Identified Through Qualified": MEASURES_SALE,
    "Client Size By Revenue": None,
    "Client Size By Employee Count": None,
    "Revenue From Client Past Two Years": None,
    "Competitor Type": None,
    "Ratio Days Identified To Total Days": MEASURES_SALE,
    "Ratio Days Validated To Total Days": MEASURES_SALE,
    "Ratio Days Qualified To Total Days": MEASURES_SALE,
    "Deal Size Category": DEAL_SIZE,
    # Not IBM's, but what other exports hold.
    "Funding Stage": None,
    "Deal Stage": MEASURES_SALE,
    "Sales Agent": NAMES_SELLER,
    "Opportunity Owner": NAMES_SELLER,
    "Account Manager": NAMES_SELLER,
    "Loss Reason": MEASURES_SALE,
    "Employees": None,
}


@pytest.mark.parametrize(("header", "kind"), IBM_HEADERS.items())
def test_names_that_describe_the_sale_or_the_seller(header: str, kind: str | None) -> None:
    found = by_name(header, column_key(header))
    assert (found.kind if found else None) == kind


def test_a_mapped_column_is_judged_by_its_source_name_too() -> None:
    found = by_name("Days In Stage", "velocity_band")
    assert found is not None and found.kind == MEASURES_SALE
    assert by_name("Days In Stage", "tenure") is not None


def test_only_a_near_perfect_split_counts_as_leakage() -> None:
    rng = np.random.default_rng(3)
    won = rng.uniform(size=600) < 0.3
    perfect = pd.Series(np.where(won, rng.uniform(50, 60, 600), rng.uniform(0, 49, 600)))
    useful = pd.Series(np.where(won, rng.normal(1, 1, 600), rng.normal(0, 1, 600)))
    assert separation(perfect, NUMERIC, won) == 1.0
    assert 0.6 < (separation(useful, NUMERIC, won) or 0) < 0.95
    # Lower on wins counts the same as higher: the split is what gives it away.
    assert separation(-perfect, NUMERIC, won) == 1.0
    labels = pd.Series(np.where(won, "closed-won stage", rng.choice(["a", "b"], 600)))
    assert (separation(labels, CATEGORY, won) or 0) > 0.95
    # One deal per value would look perfect on its own win rate; other deals' say nothing.
    ids = pd.Series([f"id-{i}" for i in range(600)])
    assert (separation(ids, CATEGORY, won) or 0) < 0.7
    assert separation(perfect[:15], NUMERIC, won[:15]) is None  # too few to judge


def _segment_world(rows: int = 3000, seed: int = 4) -> pd.DataFrame:
    """A third of deals are returning clients (prior revenue 1-4) who win 3x as often; the
    rest split evenly; and employees with a main zone plus a smaller, weaker tail."""
    rng = np.random.default_rng(seed)
    returning = rng.uniform(size=rows) < 0.3
    prior = np.where(returning, rng.integers(1, 5, rows), 0)
    employees = rng.choice(
        [50, 150, 300, 600, 3000, 20_000], rows, p=[0.2, 0.2, 0.2, 0.2, 0.1, 0.1]
    )
    odds = np.where(returning, 0.6, 0.18)
    odds = odds * np.select(
        [np.isin(employees, [150, 300, 600]), employees == 20_000], [1.6, 1.5], 0.3
    )
    won = rng.uniform(size=rows) < odds
    return pd.DataFrame(
        {"outcome": np.where(won, "won", "lost"), "prior": prior, "employees": employees}
    )


def test_a_minority_segment_becomes_a_rule_and_a_weaker_tail_partial_credit() -> None:
    evidence = gather(_segment_world(), {"prior": NUMERIC, "employees": NUMERIC})
    prior = next(f for f in evidence.fields if f.field == "prior")
    assert prior.used and prior.match is not None and prior.match.form is Form.RANGE
    assert prior.match.min is not None and 0 < prior.match.min <= 1 and prior.match.max is None
    assert 0.3 < prior.win_share < 0.7 and prior.lift > 1.8
    assert prior.note.startswith("a minority segment")
    employees = next(f for f in evidence.fields if f.field == "employees")
    assert employees.used and employees.match is not None
    assert employees.match.min == 150 and employees.match.max == 600
    (partial,) = employees.partial
    assert partial.match.min is not None and 3000 < partial.match.min <= 20_000
    assert 0 < partial.credit < 1 and partial.lift > 1
    text = render_draft(evidence, icp_id="seg", deals_file="d.csv", today=dt.date(2026, 11, 23),
                        fitted_on="3000 closed deals")  # fmt: skip
    icp = read_icp(text.encode("utf-8"), "seg.yaml")[0]
    scored = next(a for a in icp.attributes if a.field == "employees")
    assert [(p.match.min, p.credit) for p in scored.partial] == [
        (partial.match.min, partial.credit)
    ]
    assert "# a minority segment" in text


def test_cuts_are_round_numbers_between_the_data_values() -> None:
    assert roundest(0, 12500.5, above=True) == 10000
    assert roundest(0, 1, above=True) == 1
    assert roundest(1234, 1290, above=True) == 1240
    assert roundest(210, 480, above=False) == 400
    assert roundest(0.12, 0.5, above=False) == 0.4


def test_folds_keep_accounts_and_copies_together_and_are_seeded() -> None:
    frame = pd.DataFrame(
        {
            "account": ["a", "a", "b", None, None, "c", None, "d"],
            "outcome": ["won", "lost"] * 4,
        }
    )
    source = pd.DataFrame(
        {
            "Id": list("12345678"),
            "Industry": ["x", "y", "x", "copy", "copy", "z", "other", "x"],
            "Result": ["Won", "Loss"] * 4,
        }
    )
    source.loc[4, "Result"] = "Loss"  # rows 3 and 4 differ only in their id
    keys = group_keys(frame, source, "Id")
    assert keys[0] == keys[1] and keys[3] == keys[4] and keys[3] != keys[6]
    folds = assign_folds(keys, 3, seed=1)
    assert folds[0] == folds[1] and folds[3] == folds[4]
    assert set(folds) == {0, 1, 2}
    assert (assign_folds(keys, 3, seed=1) == folds).all()
    many = pd.Series([f"k{i}" for i in range(200)])
    assert not (assign_folds(many, 5, seed=1) == assign_folds(many, 5, seed=2)).all()
    assert np.bincount(assign_folds(many, 5, seed=1)).tolist() == [40] * 5


def test_layers_from_the_current_icp_the_name_or_a_marked_guess() -> None:
    assert layer_of("route_to_market", {"route_to_market": "behavioral"}) == (
        "behavioral",
        FROM_ICP,
    )
    assert layer_of("competitor_type") == ("behavioral", FROM_NAME)
    assert layer_of("employee_count") == ("firmographics", FROM_NAME)
    assert layer_of("tech_stack") == ("technographics", FROM_NAME)
    assert layer_of("supplies_subgroup") == ("firmographics", GUESSED)
