"""Every GitHub workflow we ship passes GitHub's workflow schema (from check-jsonschema)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from icpkit.cli import cli
from tests.conftest import ROOT


def _validate(files: list[Path]) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    if not Path(tool).exists():
        pytest.skip("check-jsonschema is not installed")
    return subprocess.run(
        [tool, "--builtin-schema", "vendor.github-workflows", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_this_repositorys_workflows_are_valid() -> None:
    files = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert [f.name for f in files] == ["icp.yml", "pages.yml"]
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


def test_invalid_workflow_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n")
    assert _validate([bad]).returncode == 1
