from __future__ import annotations

from pathlib import Path

import yaml

from icpkit.checks.config import load_config
from icpkit.checks.runner import check
from tests.conftest import CheckFn, merge

STALE = "last_reviewed: 2025-01-15\n"
ACCEPTED_STALE = {
    "rule": "ICP021",
    "file": "icps/base.yaml",
    "path": "$.last_reviewed",
    "reason": "Review booked",
    "expires": "2027-01-31",
}


def test_disable_on_the_line(base_text: str, run_check: CheckFn) -> None:
    text = merge(base_text, 'last_reviewed: 2025-01-15  # icp: disable=ICP021 reason="Q1 booked"\n')
    report = run_check({"icps/base.yaml": text})
    assert report.findings == ()
    [hidden] = report.suppressed
    assert hidden.rule_id == "ICP021"
    assert hidden.suppressed_by == "inline: Q1 booked"


def test_disable_on_the_line_before_by_name(base_text: str, run_check: CheckFn) -> None:
    text = merge(base_text, "# icp: disable=stale-review\n" + STALE)
    assert run_check({"icps/base.yaml": text}).findings == ()


def test_disable_does_not_reach_other_lines(base_text: str, run_check: CheckFn) -> None:
    text = merge(base_text, "# icp: disable=ICP021\n\n" + STALE)
    assert [f.rule_id for f in run_check({"icps/base.yaml": text}).findings] == ["ICP021"]


def test_disable_file(base_text: str, run_check: CheckFn) -> None:
    text = "# icp: disable-file=ICP021,ICP017\n" + merge(base_text, STALE + "psychographics: []\n")
    report = run_check({"icps/base.yaml": text})
    assert report.findings == ()
    assert len(report.suppressed) == 2


def _stale_project(project: Path, base_text: str) -> None:
    """One ICP with a stale review (ICP021) and no psychographics (ICP017)."""
    (project / "icps").mkdir()
    (project / "icps" / "base.yaml").write_text(merge(base_text, STALE + "psychographics: []\n"))
    (project / "icp.toml").write_text("paths = ['icps']\n")


def _baseline(project: Path, entries: list[dict[str, str]]) -> None:
    (project / "icp-baseline.yaml").write_text(yaml.safe_dump({"accepted": entries}))


def test_baseline_accepts_expires_and_goes_stale(base_text: str, project: Path) -> None:
    _stale_project(project, base_text)
    _baseline(
        project,
        [
            ACCEPTED_STALE,
            {
                "rule": "ICP017",
                "file": "icps/base.yaml",
                "path": "$.psychographics",
                "reason": "Interviews pending",
                "expires": "2026-01-01",
            },
            {"rule": "ICP004", "file": "icps/base.yaml", "path": "$.triggers", "reason": "Old"},
        ],
    )
    report = check(config=load_config(project))
    got = sorted((f.rule_id, f.file) for f in report.findings)
    assert got == [
        ("ICP017", "icps/base.yaml"),
        ("ICP900", "icp-baseline.yaml"),
        ("ICP901", "icp-baseline.yaml"),
    ]
    [accepted] = report.suppressed
    assert accepted.suppressed_by == "baseline: Review booked"
    assert check(config=load_config(project), use_baseline=False).suppressed == ()


def test_write_baseline_keeps_reasons(base_text: str, project: Path) -> None:
    _stale_project(project, base_text)
    _baseline(
        project,
        [ACCEPTED_STALE],
    )
    report = check(config=load_config(project), write_baseline_to=project / "icp-baseline.yaml")
    assert report.findings == ()
    assert report.baseline_written == 2
    written = yaml.safe_load((project / "icp-baseline.yaml").read_text())["accepted"]
    by_rule = {row["rule"]: row for row in written}
    assert [row["rule"] for row in written] == ["ICP021", "ICP017"]  # in file order
    assert by_rule["ICP021"]["reason"] == "Review booked"
    assert by_rule["ICP021"]["expires"] == "2027-01-31"
    assert by_rule["ICP017"]["reason"].startswith("TODO")


def test_broken_baseline_is_a_config_error(base_text: str, project: Path) -> None:
    import pytest

    from icpkit.errors import ConfigError

    (project / "icps").mkdir()
    (project / "icps" / "base.yaml").write_text(base_text)
    (project / "icp.toml").write_text("paths = ['icps']\n")
    (project / "icp-baseline.yaml").write_text("accepted:\n  - {rule: ICP021}\n")
    with pytest.raises(ConfigError, match=r"icp-baseline.yaml:2:5: accepted finding needs"):
        check(config=load_config(project))
