"""Every output format, compared byte for byte with a golden file.

Refresh after an intended change: `pytest tests/reporters --update-golden` (tests/goldenfile.py).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from icpkit.checks.runner import Report
from icpkit.findings import Finding, Severity
from icpkit.reporters import formats_for, render
from tests.conftest import CheckFn, merge
from tests.goldenfile import Golden

EXTENSIONS = {
    "text": "txt",
    "json": "json",
    "github": "txt",
    "sarif": "sarif",
    "markdown": "md",
    "junit": "xml",
}


@pytest.fixture
def report(base_text: str, run_check: CheckFn) -> Report:
    vague = merge(
        base_text,
        (
            "summary: Innovative companies | <script>alert(1)</script>, 100% of them\n"
            "psychographics: []\n"
            'last_reviewed: 2025-01-15  # icp: disable=ICP021 reason="Q1 review booked"\n'
        ),
    )
    hostile = base_text.replace("id: base", "id: hostile").replace(
        "status: active", 'status: "<script>alert(1)</script>|x"'
    )
    return run_check(
        {
            "icps/base.yaml": base_text.replace("id: base", "id: clean"),
            "icps/hostile.yaml": hostile,
            "icps/vague.yaml": vague.replace("id: base", "id: vague"),
        },
        paths=("icps",),
    )


@pytest.mark.parametrize("fmt", formats_for(Report))
def test_golden(fmt: str, report: Report, golden: Golden) -> None:
    golden.check(f"check.{fmt}.{EXTENSIONS[fmt]}", render(report, fmt))


def test_clean_file_renamed_finding(report: Report) -> None:
    # "clean" got id clean in base.yaml; id-mismatch proves the fixture is what we think.
    assert {(f.file, f.rule_id) for f in report.findings} >= {
        ("icps/base.yaml", "ICP024"),
        ("icps/vague.yaml", "ICP012"),
        ("icps/vague.yaml", "ICP017"),
    }
    assert [f.rule_id for f in report.suppressed] == ["ICP021"]


def test_json_and_sarif_parse(report: Report) -> None:
    payload = json.loads(render(report, "json"))
    assert payload["summary"]["findings"] == len(report.findings)
    sarif = json.loads(render(report, "sarif"))
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"ICP012", "ICP017", "ICP021"}
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert all(rule["helpUri"].endswith(f"/{rule['id']}/") for rule in rules)
    assert any(r.get("suppressions") for r in results)


def test_markdown_escapes_html_and_pipes(report: Report) -> None:
    text = render(report, "markdown")
    assert not re.search(r"(?<!\\)<script", text)
    assert "\\<script>alert(1)\\</script>\\|x" in text


def test_junit_is_well_formed(report: Report) -> None:
    root = ET.fromstring(render(report, "junit"))
    suite = root.find("testsuite")
    assert suite is not None
    assert int(suite.get("failures", "0")) == len(report.findings)


def test_github_orders_by_severity(report: Report) -> None:
    lines = render(report, "github").splitlines()
    commands = [line.split(" ", 1)[0] for line in lines if line.startswith("::")]
    assert commands == sorted(commands, key=lambda c: ["::error", "::warning", "::notice"].index(c))


def test_github_keeps_an_annotation_on_one_line(report: Report) -> None:
    # A raw newline would end the workflow command early; `:` and `,` would end a property.
    odd = Finding("icps/a:b,c.yaml", 3, 1, "ICP012", "buzzword", Severity.WARNING, "50% of\nus\r")
    lines = render(replace(report, findings=(odd,)), "github").splitlines()
    assert lines[0] == (
        "::warning file=icps/a%3Ab%2Cc.yaml,line=3,col=1,title=ICP012 buzzword::50%25 of%0Aus%0D"
    )
    assert len(lines) == 2 and lines[1].startswith("Found 1 finding")
