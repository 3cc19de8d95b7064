from __future__ import annotations

from pathlib import Path

import pytest

from tests.gitrepo import quarterly_repo


@pytest.fixture
def quarters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example project in git, its main ICP reviewed in 2026-Q2, Q3 and Q4; cwd there."""
    repo = quarterly_repo(tmp_path / "repo")
    monkeypatch.chdir(repo)
    return repo
