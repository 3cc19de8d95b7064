from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from icpkit.cli import cli
from tests.conftest import ROOT, merge


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


@pytest.fixture
def examples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "icps", tmp_path / "icps")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_check_examples_is_clean(examples: Path) -> None:
    result = invoke("check")
    assert result.exit_code == 0, result.output
    assert "All checks passed: 3 files checked" in result.output


def test_check_findings_exit_1_with_parseable_lines(examples: Path, base_text: str) -> None:
    (examples / "icps" / "base.yaml").write_text(merge(base_text, "triggers: []\n"))
    result = invoke("check", "icps/base.yaml")
    assert result.exit_code == 1
    assert "\nicps/base.yaml:51:1: error [ICP004] 0 buying triggers" in result.output
    assert result.output.rstrip().endswith("in 1 of 1 file.")


def test_fail_on_threshold(examples: Path, base_text: str) -> None:
    # ICP012 is a warning: it fails by default, not with --fail-on error.
    (examples / "icps" / "base.yaml").write_text(merge(base_text, "summary: Innovative SaaS.\n"))
    assert invoke("check", "icps/base.yaml").exit_code == 1
    assert invoke("check", "icps/base.yaml", "--fail-on", "error").exit_code == 0


def test_github_format_is_automatic_under_actions(examples: Path, base_text: str) -> None:
    (examples / "icps" / "base.yaml").write_text(merge(base_text, "triggers: []\n"))
    result = invoke("check", "icps/base.yaml", env={"GITHUB_ACTIONS": "true"})
    assert (
        "\n::error file=icps/base.yaml,line=51,col=1,title=ICP004 too-few-triggers::0 buying"
        in (result.output)
    )


def test_output_file_is_written(examples: Path) -> None:
    result = invoke("check", "--format", "json", "-o", "out/report.json")
    assert result.exit_code == 0
    assert json.loads((examples / "out" / "report.json").read_text())["summary"]["files"] == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("check", "missing/"), "Error: path not found: missing"),
        (("check", "empty"), "Error: no ICP files (*.yaml, *.yml) in empty"),
        (("rules", "ICP999"), "Error: unknown rule 'ICP999'"),
    ],
)
def test_usage_errors_exit_2_without_traceback(
    examples: Path, args: tuple[str, ...], message: str
) -> None:
    (examples / "empty").mkdir()
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_bad_config_exit_2(examples: Path) -> None:
    (examples / "icp.toml").write_text("fail_on = 'error'\n")
    result = invoke("check")
    assert result.exit_code == 2
    assert "unknown key 'fail_on'; did you mean 'fail-on'?" in result.output


def test_rules_list_and_detail() -> None:
    listing = invoke("rules")
    assert "ICP004  too-few-triggers" in listing.output
    assert re.search(r"^ICP021  stale-review +warning  freshness +The ICP", listing.output, re.M)
    detail = invoke("rules", "too-few-triggers")
    assert detail.output.startswith("ICP004 too-few-triggers (default severity: error)")
    assert "Category: specificity. Added in v0.1.0." in detail.output
    assert "## Why is this bad?" in detail.output
    # The options that change the rule are part of its documentation.
    assert "`min-triggers` (integer, default `2`)" in detail.output
    as_json = json.loads(invoke("rules", "--format", "json").output)
    assert as_json[3]["id"] == "ICP004"
    assert as_json[3]["category"] == "specificity" and as_json[3]["options"] == ["min-triggers"]


def test_schema_command(tmp_path: Path) -> None:
    printed = json.loads(invoke("schema").output)
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    invoke("schema", "-o", str(tmp_path / "s.json"))
    assert json.loads((tmp_path / "s.json").read_text()) == printed


def test_every_command_has_examples_in_its_help() -> None:
    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        assert command is not None and "Examples:" in (command.help or ""), name


def _installed(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert found, f"{name} is not installed"
    return found


def test_installed_command_and_module(examples: Path) -> None:
    env = {**os.environ, "ICP_TODAY": "2026-11-23"}
    done = subprocess.run([_installed("icp"), "check"], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    module = subprocess.run(
        [sys.executable, "-m", "icpkit", "check", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert json.loads(module.stdout)["summary"]["failed"] is False


def test_installed_command_error_boundary(examples: Path) -> None:
    (examples / "icps" / "bad.yaml").write_bytes(b"\xff\xfe not utf8")
    missing = subprocess.run([_installed("icp"), "check", "nope"], capture_output=True, text=True)
    assert missing.returncode == 2
    assert missing.stderr.strip() == "Error: path not found: nope"
    bad = subprocess.run(
        [_installed("icp"), "check", "icps/bad.yaml"], capture_output=True, text=True
    )
    assert bad.returncode == 1
    assert "icps/bad.yaml:1:1: error [ICP001] file is not UTF-8" in bad.stdout


def test_check_path_stays_light(examples: Path) -> None:
    # pre-commit runs `icp check` on every commit: heavy libraries must stay unimported.
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from icpkit.cli import cli\n"
        "result = CliRunner().invoke(cli, ['check'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(sorted(m for m in ('pandas', 'numpy', 'mkdocs') if m in sys.modules))\n"
    )
    env = {**os.environ, "ICP_TODAY": "2026-11-23"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr
