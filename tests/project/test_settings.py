from __future__ import annotations

from pathlib import Path

import pytest

from icpkit.checks.config import load_config
from icpkit.checks.options import MAX_RANGE_RATIO, STALE_AFTER_DAYS
from icpkit.errors import ConfigError
from icpkit.findings import Severity
from tests.conftest import CheckFn, merge


def test_defaults_without_settings(project: Path) -> None:
    config = load_config(project)
    assert config.source is None
    assert config.fail_on is Severity.WARNING
    assert config.settings.option(MAX_RANGE_RATIO) == 10
    assert config.settings.option(STALE_AFTER_DAYS) == 120


def test_pyproject_table_found_from_a_subfolder(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.icp]\nfail-on = 'error'\nstale-after-days = 30\n"
    )
    (project / "icps").mkdir()
    config = load_config(project / "icps")
    assert config.source == project / "pyproject.toml"
    assert config.fail_on is Severity.ERROR
    assert config.settings.option(STALE_AFTER_DAYS) == 30


def test_an_explicit_file_of_any_name_may_hold_a_tool_icp_table(project: Path) -> None:
    (project / "ci.toml").write_text("[tool.icp]\nfail-on = 'error'\n")
    (project / "bare.toml").write_text("fail-on = 'info'\n")
    assert load_config(project, explicit=project / "ci.toml").fail_on is Severity.ERROR
    assert load_config(project, explicit=project / "bare.toml").fail_on is Severity.INFO


def test_icp_toml_wins_over_pyproject(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.icp]\nfail-on = 'error'\n")
    (project / "icp.toml").write_text("fail-on = 'info'\n")
    assert load_config(project).fail_on is Severity.INFO


@pytest.mark.parametrize(
    ("toml", "words"),
    [
        ("fail_on = 'error'\n", "unknown key 'fail_on'; did you mean 'fail-on'?"),
        ("fail-on = 'loud'\n", "key 'fail-on'"),
        ("max-range-ratio = 0.5\n", "key 'max-range-ratio'"),
        ("fail-on = \n", "invalid TOML"),
    ],
)
def test_bad_settings_name_the_key(project: Path, toml: str, words: str) -> None:
    (project / "icp.toml").write_text(toml)
    with pytest.raises(ConfigError, match=words.replace("?", r"\?")):
        load_config(project)


def test_severity_override_and_disable(base_text: str, run_check: CheckFn) -> None:
    text = merge(base_text, "psychographics: []\nlast_reviewed: 2025-01-01\n")
    toml = "disable = ['stale-review']\n[severity]\nICP017 = 'info'\n"
    report = run_check({"icps/base.yaml": text}, toml=toml)
    assert [(f.rule_id, f.severity) for f in report.findings] == [("ICP017", Severity.INFO)]
    assert not report.failed


def test_unknown_rule_in_settings_is_a_config_error(base_text: str, run_check: CheckFn) -> None:
    with pytest.raises(ConfigError, match="unknown rule 'ICP999'"):
        run_check({"icps/base.yaml": base_text}, toml="disable = ['ICP999']\n")


def test_a_value_mapping_for_empty_cells_is_refused(project: Path) -> None:
    (project / "icp.toml").write_text('[values.subsidiary_of]\n"" = "independent"\n')
    with pytest.raises(ConfigError, match=r"'values\.subsidiary_of' maps an empty cell"):
        load_config(project)
