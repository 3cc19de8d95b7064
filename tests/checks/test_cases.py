"""Rule cases as data: tests/checks/cases/ICPxxx.yaml, each a snippet and its findings.

A case's `snippet` replaces sections of the base ICP (tests/data/base.yaml), in
icps/base.yaml or, after `# file: NAME` lines, in several ICP files under icps/ (for
the rules that compare ICPs). `files` are written as given, beside icp.toml (a baseline,
an account universe); `toml` is the project's settings. `expect` lists every finding of
the case's rule: its file (icps/base.yaml unless named), JSON path, line and a fragment of
its message.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from icpkit.checks import RULES, AnyRule
from icpkit.findings import Finding
from tests.conftest import CheckFn, merge, split_files

CASES = Path(__file__).parent / "cases"
BASELINE = "icp-baseline.yaml"


def _files() -> dict[str, dict[str, Any]]:
    found = {}
    for path in sorted(CASES.glob("ICP*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert path.stem == data["rule"], path
        found[data["rule"]] = data
    return found


FILES = _files()
ALL = [(rule, case) for rule, data in FILES.items() for case in data["cases"]]


@pytest.mark.parametrize(("rule", "case"), ALL, ids=[f"{r}-{c['name']}" for r, c in ALL])
def test_rule_case(rule: str, case: dict[str, Any], base_text: str, run_check: CheckFn) -> None:
    files = {
        f"icps/{name}": merge(base_text, text)
        for name, text in split_files(case["snippet"], "base.yaml").items()
    }
    files.update(case.get("files", {}))
    # With a baseline, check the folder as a project does: the baseline applies to it.
    paths = ("icps",) if BASELINE in files else ()
    report = run_check(files, toml=case.get("toml", ""), paths=paths)
    got = [f for f in report.findings if f.rule_id == rule]
    expected = case["expect"]
    shown = [(f.file, f.line, f.json_path, f.message) for f in report.findings]
    assert sorted(_where(f) for f in got) == sorted(_expected_where(e) for e in expected), shown
    for item in expected:
        assert any(_matches(f, item) for f in got), (item, shown)


def _where(finding: Finding) -> tuple[str, str]:
    return finding.file, finding.json_path


def _expected_where(item: dict[str, Any]) -> tuple[str, str]:
    return item.get("file", "icps/base.yaml"), item["path"]


def _matches(finding: Finding, item: dict[str, Any]) -> bool:
    return (
        _where(finding) == _expected_where(item)
        and item["message"] in finding.message
        and finding.line == item["line"]
    )


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_rule_has_cases_and_one_that_fires(rule: AnyRule) -> None:
    # A file of passing cases only would still pass with the rule deleted.
    assert rule.id in FILES, f"no tests/checks/cases/{rule.id}.yaml"
    assert any(case["expect"] for case in FILES[rule.id]["cases"]), rule.id


def test_case_files_name_registered_rules() -> None:
    assert set(FILES) <= {r.id for r in RULES}
