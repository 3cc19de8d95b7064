from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT


def git(folder: Path, *args: str, date: str = "2026-10-01T10:00:00+00:00") -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Ana Lopez", "-c", "user.email=ana@example.com", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
        env=os.environ | {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date},
    )
    return done.stdout


@pytest.fixture
def example_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This repository's example: ICPs, deals, settings, docs and mkdocs.yml, in git."""
    for folder in ("icps", "fixtures", "docs"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    for name in ("pyproject.toml", "mkdocs.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "Example ICPs")
    monkeypatch.chdir(tmp_path)
    return tmp_path
