"""`icp diff` and `icp history` renderings, compared byte for byte with golden files.

Refresh after an intended change: `pytest tests/diff --update-golden`. The quarterly
repository is built with fixed authors and dates, so its commit ids are stable too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from icpkit.cli import cli
from tests.gitrepo import ICP

GOLDEN = Path(__file__).parent.parent / "golden"
EXTENSIONS = {"text": "txt", "json": "json", "markdown": "md"}


def _check(name: str, got: str, request: pytest.FixtureRequest) -> None:
    golden = GOLDEN / name
    if request.config.getoption("--update-golden"):
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", EXTENSIONS)
def test_diff_golden(fmt: str, quarters: Path, request: pytest.FixtureRequest) -> None:
    result = CliRunner().invoke(cli, ["diff", f"{ICP}@2026-Q2", f"{ICP}@2026-Q3", "--format", fmt])
    assert result.exit_code == 0, result.output
    _check(f"diff.{EXTENSIONS[fmt]}", result.output, request)


@pytest.mark.parametrize("fmt", EXTENSIONS)
def test_history_golden(fmt: str, quarters: Path, request: pytest.FixtureRequest) -> None:
    result = CliRunner().invoke(cli, ["history", ICP, "--format", fmt])
    assert result.exit_code == 0, result.output
    _check(f"history.{EXTENSIONS[fmt]}", result.output, request)
