"""The published hook, run the way users run it: `pre-commit try-repo` in a real git repo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, merge

pytestmark = pytest.mark.slow


def _git_repo(path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text, encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=path, check=True)
    subprocess.run(["git", "add", "-A"], cwd=path, check=True)
    return path


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def _try_repo(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    assert pre_commit, "pre-commit is not installed"
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "ICP_TODAY": "2026-11-23"}
    return subprocess.run(
        [pre_commit, "try-repo", str(ROOT), "icp-check", "--all-files"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )


def test_hook_passes_on_a_clean_repository(tmp_path: Path, pre_commit_home: Path) -> None:
    files = {f"icps/{p.name}": p.read_text() for p in (ROOT / "icps").glob("*.yaml")}
    files["mkdocs.yml"] = "site_name: not an ICP\n"  # other YAML is not the hook's business
    done = _try_repo(_git_repo(tmp_path, files), pre_commit_home)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "icp check" in done.stdout and "Passed" in done.stdout


def test_hook_fails_on_a_vague_icp(tmp_path: Path, pre_commit_home: Path, base_text: str) -> None:
    vague = merge(base_text, "triggers: []\n")
    done = _try_repo(_git_repo(tmp_path, {"icps/base.yaml": vague}), pre_commit_home)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Failed" in done.stdout
    assert "icps/base.yaml:51:1: error [ICP004]" in done.stdout
