"""`icp diff` and `icp history` renderings, compared byte for byte with golden files.

Refresh after an intended change: `pytest tests/diff --update-golden` (tests/goldenfile.py).
The quarterly repository is built with fixed authors and dates, so its commit ids are stable too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from icpkit.cli import cli
from tests.gitrepo import ICP
from tests.goldenfile import Golden

EXTENSIONS = {"text": "txt", "json": "json", "markdown": "md"}


@pytest.mark.parametrize("fmt", EXTENSIONS)
def test_diff_golden(fmt: str, quarters: Path, golden: Golden) -> None:
    result = CliRunner().invoke(cli, ["diff", f"{ICP}@2026-Q2", f"{ICP}@2026-Q3", "--format", fmt])
    assert result.exit_code == 0, result.output
    golden.check(f"diff.{EXTENSIONS[fmt]}", result.output)


@pytest.mark.parametrize("fmt", EXTENSIONS)
def test_history_golden(fmt: str, quarters: Path, golden: Golden) -> None:
    result = CliRunner().invoke(cli, ["history", ICP, "--format", fmt])
    assert result.exit_code == 0, result.output
    golden.check(f"history.{EXTENSIONS[fmt]}", result.output)
