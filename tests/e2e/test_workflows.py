"""Every GitHub workflow we ship passes GitHub's workflow schema (from check-jsonschema)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from icpkit.cli import cli
from tests.conftest import ROOT
from tests.gitrepo import ICP_FILE, git, quarterly_repo


def _validate(
    files: list[Path], schema: str = "vendor.github-workflows"
) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    if not Path(tool).exists():
        pytest.skip("check-jsonschema is not installed")
    return subprocess.run(
        [tool, "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_this_repositorys_workflows_are_valid() -> None:
    files = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert [f.name for f in files] == ["drift.yml", "icp.yml", "pages.yml"]
    done = _validate(files)
    assert done.returncode == 0, done.stdout + done.stderr


def test_scaffolded_workflows_are_valid(tmp_path: Path) -> None:
    assert CliRunner().invoke(cli, ["init", str(tmp_path / "repo")]).exit_code == 0
    files = sorted((tmp_path / "repo" / ".github" / "workflows").glob("*.yml"))
    assert {f.name for f in files} == {"icp.yml", "pages.yml"}
    done = _validate(files)
    assert done.returncode == 0, done.stdout + done.stderr
    pages = (tmp_path / "repo" / ".github" / "workflows" / "pages.yml").read_text()
    assert "fetch-depth: 0" in pages and "icp site build" in pages
    assert "ICP_REPO_URL: ${{ github.server_url }}/${{ github.repository }}" in pages
    # Weekly too, so ages and stale badges read without script stay within a week.
    triggers = yaml.safe_load(pages)[True]  # YAML 1.1 reads the key `on` as true
    assert set(triggers) == {"push", "schedule", "workflow_dispatch"}
    (cron,) = (entry["cron"] for entry in triggers["schedule"])
    minute, hour, day, month, weekday = cron.split()
    assert (day, month) == ("*", "*") and all(f.isdigit() for f in (minute, hour, weekday))


def test_scaffolded_dependabot_config_is_valid(tmp_path: Path) -> None:
    assert CliRunner().invoke(cli, ["init", str(tmp_path / "repo")]).exit_code == 0
    done = _validate([tmp_path / "repo" / ".github" / "dependabot.yml"], "vendor.dependabot")
    assert done.returncode == 0, done.stdout + done.stderr


def test_invalid_workflow_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n")
    assert _validate([bad]).returncode == 1


def _steps(path: Path) -> dict[str, dict[str, Any]]:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {s["name"]: s for s in workflow["jobs"]["icp"]["steps"] if "name" in s}


def test_scaffold_runs_the_same_pull_request_steps(tmp_path: Path) -> None:
    assert CliRunner().invoke(cli, ["init", str(tmp_path / "repo")]).exit_code == 0
    ours = _steps(ROOT / ".github" / "workflows" / "icp.yml")
    theirs = _steps(tmp_path / "repo" / ".github" / "workflows" / "icp.yml")
    assert ours == theirs  # so the run below tests what `icp init` users get


_FAKE_GH = """#!/bin/sh
# Stands in for the GitHub CLI: logs each call, answers the comment listing.
echo "$*" >> "$GH_LOG"
case "$*" in
  *--paginate*) printf '%s' "$FAKE_COMMENT_IDS" ;;
esac
"""


def _run_step(
    step: dict[str, Any], cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    # GitHub runs `run:` scripts with this shell and these flags.
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=cwd,
        env=env | {k: str(v) for k, v in step.get("env", {}).items() if "${{" not in str(v)},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
def test_a_pull_request_run_annotates_gates_and_comments_once(tmp_path: Path) -> None:
    origin = quarterly_repo(tmp_path / "origin")
    clone = tmp_path / "pr"
    subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True)
    git(clone, "checkout", "-q", "-b", "add-ireland")
    path = clone / ICP_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("in: [US, GB, CA]", "in: [US, GB, CA, IE]"), encoding="utf-8")
    git(clone, "commit", "-qam", "Add Ireland")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(_FAKE_GH)
    (bin_dir / "gh").chmod(0o755)
    summary = tmp_path / "summary.md"
    log = tmp_path / "gh.log"
    env = {
        **os.environ,
        "PATH": os.pathsep.join(
            [str(bin_dir), str(Path(sys.executable).parent), os.environ["PATH"]]
        ),
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_REPOSITORY": "northwind/icps",
        "BASE_REF": "main",
        "PR": "7",
        "GH_TOKEN": "token",
        "GH_LOG": str(log),
        "FAKE_COMMENT_IDS": "",
    }
    steps = _steps(ROOT / ".github" / "workflows" / "icp.yml")
    # Ireland already earns partial credit: the check step fails with an annotation.
    flagged = _run_step(steps["icp check"], clone, env)
    assert flagged.returncode == 1
    assert flagged.stdout.startswith(f"::error file={ICP_FILE},line=41,col=9,title=ICP016")
    path.write_text(text.replace("in: [US, GB, CA]", "in: [US, GB, CA, NZ]"), encoding="utf-8")
    git(clone, "commit", "-qam", "New Zealand instead")
    summary.write_text("")
    for name in ("icp check", "icp backtest", "icp diff"):
        done = _run_step(steps[name], clone, env)
        assert done.returncode == 0, (name, done.stdout, done.stderr)
    report = summary.read_text(encoding="utf-8")
    assert report.index("### icp check") < report.index("### icp backtest: passed")
    assert "Compared with `origin/main`:" in report
    assert "<!-- icpkit-diff -->\n### ICP changes against `origin/main`" in report
    assert "| scoring | country in: added NZ; widened |" in report
    comment = _steps(ROOT / ".github" / "workflows" / "icp.yml")["Comment on the pull request"]
    assert _run_step(comment, clone, env).returncode == 0
    assert _run_step(comment, clone, env | {"FAKE_COMMENT_IDS": "4242\n"}).returncode == 0
    calls = log.read_text(encoding="utf-8").splitlines()
    assert calls[0].startswith("api repos/northwind/icps/issues/7/comments --paginate")
    assert (
        calls[1] == "api --method POST repos/northwind/icps/issues/7/comments -F body=@icp-diff.md"
    )
    assert (
        calls[3]
        == "api --method PATCH repos/northwind/icps/issues/comments/4242 -F body=@icp-diff.md"
    )
    # A gate broken by the pull request fails the backtest step, and still reports.
    path.write_text(
        text.replace("weight: 20\n    source: ZoomInfo", "weight: 0\n    source: ZoomInfo"),
        encoding="utf-8",
    )
    summary.write_text("")
    failed = _run_step(steps["icp backtest"], clone, env)
    assert failed.returncode == 1
    assert "passed at origin/main and fails now" in summary.read_text(encoding="utf-8")


def test_check_annotations_stay_within_githubs_per_step_limit(tmp_path: Path) -> None:
    from icpkit.checks.config import load_config
    from icpkit.checks.runner import check
    from icpkit.reporters.github import PER_STEP_LIMIT, GithubReporter

    folder = tmp_path / "icps"
    folder.mkdir()
    vague = "format: icp/1\nid: {id}\nname: x\n"
    for n in range(6):
        (folder / f"v{n}.yaml").write_text(vague.format(id=f"v{n}"), encoding="utf-8")
    report = check([folder], config=load_config(tmp_path))
    out = GithubReporter().render(report).splitlines()
    commands = [line for line in out if line.startswith(("::error", "::warning"))]
    assert len(report.findings) > PER_STEP_LIMIT
    errors = [c for c in commands if c.startswith("::error")]
    assert len(errors) == min(
        PER_STEP_LIMIT, sum(f.severity.value == "error" for f in report.findings)
    )
    left = len(report.findings) - len(
        [c for c in out if c.startswith("::") and "title=icp check" not in c]
    )
    assert f"::notice title=icp check::{left} more findings" in "\n".join(out)
