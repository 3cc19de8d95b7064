from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft202012Validator

from icpkit.format.schema import icp_schema, schema_text
from tests.conftest import ROOT, CheckFn, merge


def test_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(icp_schema())
    assert icp_schema()["$schema"].endswith("2020-12/schema")


def test_committed_editor_copy_matches_the_package() -> None:
    # icps/*.yaml point editors at schema/icp.schema.json; it must not drift.
    committed = (ROOT / "schema" / "icp.schema.json").read_text(encoding="utf-8")
    assert json.loads(committed) == json.loads(schema_text())


def test_every_violation_is_reported_sorted_with_hints(base_text: str, run_check: CheckFn) -> None:
    text = (
        merge(base_text, "statsu: active\nversion: Q4\nx-team: fine\n")
        .replace("seniority: vp", "seniority: boss")
        .replace("status: active\n", "", 1)
    )
    report = run_check({"icps/base.yaml": text})
    messages = [(f.line, f.message) for f in report.findings]
    assert [f.rule_id for f in report.findings] == ["ICP003"] * 4
    assert messages == sorted(messages)
    joined = " | ".join(m for _, m in messages)
    assert "unknown key `statsu`; did you mean `status`?" in joined
    assert "missing required key `status`" in joined
    assert "`version` must be a quarter label such as 2026-Q4" in joined
    assert "`seniority` must be one of" in joined
    assert not any("x-team" in m for m in joined.split(" | "))


def test_type_errors_name_what_was_expected(base_text: str, run_check: CheckFn) -> None:
    report = run_check({"icps/base.yaml": merge(base_text, "triggers: {a: 1}\n")})
    [finding] = report.findings
    assert finding.message == "`triggers` must be a list, not a map"
    assert finding.json_path == "$.triggers"


def test_attribute_needs_one_rule_form(base_text: str, run_check: CheckFn) -> None:
    snippet = "technographics:\n  tech_stack: {weight: 10}\n  crm: {in: [a], min: 1, weight: 0}\n"
    report = run_check({"icps/base.yaml": merge(base_text, snippet)})
    messages = sorted(f.message for f in report.findings)
    assert any("needs a fit rule" in m for m in messages)
    assert any("mixes rule forms" in m for m in messages)


def test_schema_command_output_is_the_schema(tmp_path: Path) -> None:
    assert json.loads(schema_text())["title"].startswith("icpkit ICP file")


def test_a_trigger_when_takes_the_anti_icp_condition_forms(
    base_text: str, run_check: CheckFn
) -> None:
    snippet = (
        "triggers:\n"
        "  - {id: rfp, event: Sent an RFP, window_days: 90, when: {rfp: {in: [Yes]}}, weight: 15}\n"
        "  - {id: a, event: Sent an RFP, window_days: 90, when: {}, weight: 15}\n"
        "  - {id: b, event: Sent an RFP, window_days: 90, when: {Bad Name: {min: 1}}, weight: 15}\n"
        "  - {id: c, event: An RFP, window_days: 9, when: {rfp: {in: [x], min: 1}}, weight: 5}\n"
    )
    report = run_check({"icps/base.yaml": merge(base_text, snippet)})
    found = sorted((f.json_path, f.message) for f in report.findings if f.rule_id == "ICP003")
    assert found == [
        ("$.triggers[1].when", "`when` needs at least 1 entry"),
        (
            "$.triggers[2].when",
            "`when` field names are snake_case column names such as revenue_usd",
        ),
        ("$.triggers[3].when.rfp", "`rfp` mixes rule forms: use one of min/max, in, any or all"),
    ]


def test_an_alternative_may_say_how_we_win(
    base_text: str, run_check: CheckFn, tmp_path: Path
) -> None:
    from icpkit.format.model import Alternative
    from icpkit.format.valid import load_icp

    snippet = (
        "alternatives:\n"
        "  - Spreadsheets\n"
        "  - {alternative: Clari, how_we_win: Live in two weeks on the fields reps fill}\n"
    )
    assert run_check({"icps/base.yaml": merge(base_text, snippet)}).findings == ()
    icp = load_icp(tmp_path / "icps" / "base.yaml")
    assert icp.alternatives == (
        Alternative("Spreadsheets"),
        Alternative("Clari", "Live in two weeks on the fields reps fill"),
    )
    # Half a pair is an error on its line, not an alternative without an answer.
    half = "alternatives:\n  - Spreadsheets\n  - {alternative: Clari}\n"
    [finding] = run_check({"icps/base.yaml": merge(base_text, half)}).findings
    assert finding.message == "`alternatives` must be a text, or {alternative, how_we_win}"
    assert finding.json_path == "$.alternatives[1]"
