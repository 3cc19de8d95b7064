"""Rule cases as data: tests/checks/cases/ICPxxx.yaml, each a snippet and its findings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import CheckFn, merge

CASES = Path(__file__).parent / "cases"


def _load() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted(CASES.glob("ICP*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert path.stem == data["rule"], path
        found.extend((data["rule"], case) for case in data["cases"])
    return found


ALL = _load()


@pytest.mark.parametrize(("rule", "case"), ALL, ids=[f"{r}-{c['name']}" for r, c in ALL])
def test_rule_case(rule: str, case: dict[str, Any], base_text: str, run_check: CheckFn) -> None:
    report = run_check(
        {"icps/base.yaml": merge(base_text, case["snippet"])}, toml=case.get("toml", "")
    )
    got = [f for f in report.findings if f.rule_id == rule]
    expected = case["expect"]
    assert sorted(f.json_path for f in got) == sorted(e["path"] for e in expected), [
        (f.json_path, f.message) for f in report.findings
    ]
    for item in expected:
        assert any(item["message"] in f.message for f in got if f.json_path == item["path"]), (
            item,
            [f.message for f in got],
        )
