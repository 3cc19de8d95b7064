"""The semantic diff on ICP data: matching, wording, categories and fingerprints."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from icpkit.diff import Category, Kind, diff
from icpkit.format.loader import load_file
from tests.conftest import ROOT


@pytest.fixture
def icp() -> dict[str, Any]:
    data: dict[str, Any] = load_file(ROOT / "icps" / "midmarket-saas-revops.yaml").data
    return data


def _summaries(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return [c.summary for c in diff(old, new)]


def test_identical_versions_have_no_changes(icp: dict[str, Any]) -> None:
    assert diff(icp, copy.deepcopy(icp)) == []


def test_inserting_a_trigger_first_reads_as_one_addition(icp: dict[str, Any]) -> None:
    new = copy.deepcopy(icp)
    trigger = {"id": "ipo", "event": "Filed for an IPO", "window_days": 180, "weight": 5}
    new["triggers"].insert(0, {**trigger, "detect": "SEC EDGAR S-1 filings"})
    changes = diff(icp, new)
    assert len(changes) == 1
    only = changes[0]
    assert (only.kind, only.category, only.location) == (
        Kind.ADDED,
        Category.SCORING,
        "triggers[ipo]",
    )
    assert only.summary == "trigger ipo: added (5 points: Filed for an IPO)"


def test_reordering_keyed_items_is_not_a_change(icp: dict[str, Any]) -> None:
    new = copy.deepcopy(icp)
    for key in ("triggers", "anti_icp", "personas", "reachability"):
        new[key].reverse()
    assert diff(icp, new) == []


def test_ranges_say_numbers_and_direction(icp: dict[str, Any]) -> None:
    new = copy.deepcopy(icp)
    new["firmographics"]["employees"]["min"] = 150
    new["firmographics"]["employees"]["max"] = 1500
    new["firmographics"]["revenue_usd"]["weight"] = 20
    new["anti_icp"][0]["when"]["employees"]["max"] = 99
    new["scoring"]["bands"]["good"] = 65
    assert _summaries(icp, new) == [
        "employees min 200 -> 150: widened",
        "employees max 2,000 -> 1,500: narrowed",
        "revenue_usd weight 15 -> 20: raised (+5 points)",
        "anti-ICP too-small employees max 79 -> 99: widened: disqualifies more accounts",
        "scoring bands good 70 -> 65: lowered: the band is easier to reach",
    ]


def test_value_lists_compare_as_sets(icp: dict[str, Any]) -> None:
    new = copy.deepcopy(icp)
    new["firmographics"]["industry"]["in"] = ["fintech", "saas", "insurtech"]
    new["firmographics"]["country"]["in"] = ["US", "GB"]
    assert _summaries(icp, new) == [
        "industry in: added insurtech; widened",
        "country in: removed CA; narrowed",
    ]


def test_categories(icp: dict[str, Any]) -> None:
    new = copy.deepcopy(icp)
    new["validation"]["min_auc"] = 0.75
    new["triggers"][0]["detect"] = "Apollo job-change alerts"
    new["triggers"][0]["weight"] = 15
    new["firmographics"]["employees"]["source"] = "LinkedIn headcount"
    new["anti_icp"].append(
        {"id": "agency", "signal": "They resell our work", "reason": "Not a buyer"}
    )
    new["x-crm-segment"] = "MM"
    by_location = {c.location: c for c in diff(icp, new)}
    assert by_location["validation.min_auc"].category is Category.GATE
    assert by_location["validation.min_auc"].summary == "validation min_auc 0.7 -> 0.75: stricter"
    assert by_location["triggers[new-sales-leader].weight"].category is Category.SCORING
    assert by_location["triggers[new-sales-leader].detect"].category is Category.CONTENT
    assert by_location["firmographics.employees.source"].category is Category.CONTENT
    # A human-observed signal is for the playbook: it cannot change a score.
    assert by_location["anti_icp[agency]"].category is Category.CONTENT
    assert by_location["x-crm-segment"].category is Category.CONTENT
    order = [c.category for c in diff(icp, new)]
    assert order == sorted(order, key=lambda c: c.rank)  # scoring changes come first


def test_drift_gates_are_gates_with_their_direction(icp: dict[str, Any]) -> None:
    old = copy.deepcopy(icp)
    old["validation"]["drift"] = {"min_latest_auc": 0.65, "max_auc_drop": 0.1}
    new = copy.deepcopy(old)
    new["validation"]["drift"] = {"min_latest_auc": 0.7, "max_auc_drop": 0.15}
    changes = {c.location: c for c in diff(old, new)}
    floor, drop = (
        changes["validation.drift.min_latest_auc"],
        changes["validation.drift.max_auc_drop"],
    )
    assert floor.category is drop.category is Category.GATE
    assert floor.summary == "validation drift min_latest_auc 0.65 -> 0.7: stricter"
    # A larger tolerated fall lets more through.
    assert drop.summary == "validation drift max_auc_drop 0.1 -> 0.15: looser"
    [added] = diff(icp, old)
    assert (added.location, added.category) == ("validation.drift", Category.GATE)


def test_a_trigger_condition_is_a_scoring_change_in_words(icp: dict[str, Any]) -> None:
    old = copy.deepcopy(icp)
    old["triggers"][1]["when"] = {"funding_round_months": {"max": 6}}
    new = copy.deepcopy(old)
    new["triggers"][1]["when"]["funding_round_months"]["max"] = 9
    new["triggers"][1]["when"]["funding_stage"] = {"in": ["series-b", "series-c"]}
    new["triggers"][0]["when"] = {"rfp": {"in": ["Yes"]}}
    new["triggers"].append(
        {"id": "rfp", "event": "Issued an RFP", "when": {"rfp": {"in": ["Yes"]}}, "weight": 5}
    )
    changes = diff(old, new)
    assert all(c.category is Category.SCORING for c in changes)
    assert [c.summary for c in changes] == [
        "trigger new-sales-leader when: added (fires when rfp Yes)",
        "trigger series-b-plus-round funding_round_months max 6 -> 9: widened: "
        "fires for more accounts",
        "trigger series-b-plus-round funding_stage: added (fires when funding_stage one of "
        "series-b, series-c)",
        "trigger rfp: added (5 points when rfp Yes: Issued an RFP)",
    ]
    dropped = diff(new, old)
    assert "trigger new-sales-leader when: removed (fires when rfp Yes)" in [
        c.summary for c in dropped
    ]


def test_text_lists_align_so_an_insertion_is_one_change(icp: dict[str, Any]) -> None:
    new = copy.deepcopy(icp)
    new["psychographics"].insert(1, "Buys tools the board has heard of")
    new["jobs_to_be_done"][0] = new["jobs_to_be_done"][0] + " every week"
    changes = diff(icp, new)
    assert [(c.kind, c.summary) for c in changes] == [
        (Kind.ADDED, 'psychographics: added "Buys tools the board has heard of"'),
        (
            Kind.CHANGED,
            f'jobs_to_be_done: "{icp["jobs_to_be_done"][0]}" reworded: 2 words added',
        ),
    ]


def test_repeated_channels_are_told_apart(icp: dict[str, Any]) -> None:
    new = copy.deepcopy(icp)
    new["reachability"].append({"channel": "linkedin", "detail": "RevOps Co-op members"})
    new["reachability"].append({"channel": "linkedin", "detail": "Pavilion CRO members"})
    old = copy.deepcopy(new)
    old["reachability"].pop()
    changes = diff(old, new)
    assert [c.location for c in changes] == ["reachability[linkedin#3]"]


def test_fingerprints_are_stable_and_distinct(icp: dict[str, Any]) -> None:
    new = copy.deepcopy(icp)
    new["firmographics"]["employees"]["min"] = 150
    new["triggers"][1]["weight"] = 10
    first = {c.location: c.fingerprint for c in diff(icp, new)}
    shuffled_old, shuffled_new = copy.deepcopy(icp), copy.deepcopy(new)
    shuffled_old["triggers"].reverse()
    shuffled_new["summary"] = "Another summary entirely, so the file differs in other places too."
    second = {c.location: c.fingerprint for c in diff(shuffled_old, shuffled_new)}
    assert len(first) == 2  # one change per edit, so the checks below are not over nothing
    assert first.items() <= second.items()
    assert len(set(first.values())) == len(first)
    assert all(re.fullmatch(r"[0-9a-f]{12}", f) for f in first.values())


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            {"firmographics": {"employees": {"min": "two hundred"}}},
            {"firmographics": {"employees": {"min": 200}}},
        ),
        ({"firmographics": {"employees": "big"}}, {"firmographics": {"employees": {"min": 200}}}),
        ({"firmographics": {}}, {"firmographics": {"employees": {"in": 5, "weight": "x"}}}),
        (
            {"anti_icp": [{"id": "a", "when": "small"}]},
            {"anti_icp": [{"id": "a", "when": {"x": 1}}]},
        ),
        ({"anti_icp": [{"id": "a"}]}, {"anti_icp": []}),
        ({"triggers": "none"}, {"triggers": [{"id": "t"}]}),
        ({"firmographics": {"e": {"partial": "half"}}}, {"firmographics": {"e": {"partial": [1]}}}),
    ],
)
def test_old_commits_that_break_the_schema_still_diff(old: Any, new: Any) -> None:
    # Old commits need not be schema-valid; the history must not crash on them.
    changes = diff(old, new)
    assert changes and all(c.summary and c.fingerprint for c in changes)


def test_answering_an_alternative_or_objection_is_one_change_at_its_item(
    icp: dict[str, Any],
) -> None:
    clari = "Clari or Gong Forecast, usually when an enterprise seller already owns it"
    answered = copy.deepcopy(icp)
    answered["alternatives"][2] = {"alternative": clari, "how_we_win": "Live in two weeks"}
    [change] = diff(icp, answered)
    assert (change.category, change.location) == (Category.CONTENT, f"alternatives[{clari}]")
    reworded = copy.deepcopy(answered)
    reworded["alternatives"][2]["how_we_win"] = "Live in ten days"
    reworded["alternatives"].insert(0, "Nothing at all")
    changes = {c.location: c for c in diff(answered, reworded)}
    assert set(changes) == {"alternatives[Nothing at all]", f"alternatives[{clari}].how_we_win"}
    assert changes["alternatives[Nothing at all]"].kind is Kind.ADDED
    said = "Another tool reps will not update"
    objections = reworded["personas"][0]["objections"]
    assert objections[0]["objection"] == said
    objections[0]["response"] = "They update nothing new"
    [change] = diff(answered | {"alternatives": reworded["alternatives"]}, reworded)
    assert change.location == f"personas[VP Revenue Operations].objections[{said}].response"


def test_a_route_or_tier_change_is_a_routing_change(icp: dict[str, Any]) -> None:
    """Scores stay, accounts go elsewhere: its own category, between gates and words."""
    new = copy.deepcopy(icp)
    new["activation"]["routes"]["strong"]["sla_hours"] = 4
    new["activation"]["abm_tiers"].insert(0, {"tier": "strategic", "top": 5})
    new["activation"]["abm_tiers"][2]["top"] = 200
    new["summary"] = "Reworded."
    changes = diff(icp, new)
    assert [(c.category, c.location) for c in changes] == [
        (Category.ROUTING, "activation.routes.strong.sla_hours"),
        (Category.ROUTING, "activation.abm_tiers[strategic]"),
        (Category.ROUTING, "activation.abm_tiers[1:few].top"),
        (Category.CONTENT, "summary"),
    ]
    assert changes[0].summary == "activation routes strong sla_hours 24 -> 4: lowered (-20)"
    assert changes[2].summary.startswith("activation ABM tier 1:few top 150 -> 200")
