"""Files written atomically get the mode a plain write would give them, not mkstemp's 0600."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from icpkit.fileio import atomic_target, atomic_write_text
from tests.conftest import invoke


@pytest.fixture
def umask_027() -> Iterator[int]:
    old = os.umask(0o027)
    try:
        yield 0o027
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_files_honour_the_umask(tmp_path: Path, umask_027: int) -> None:
    atomic_write_text(tmp_path / "report.md", "# Backtest\n")
    with atomic_target(tmp_path / "scored.parquet") as tmp:
        tmp.write_bytes(b"PAR1")
        assert mode(tmp) == 0o600  # still private while half-written
    assert mode(tmp_path / "report.md") == mode(tmp_path / "scored.parquet") == 0o640


def test_a_replaced_file_keeps_its_mode(tmp_path: Path, umask_027: int) -> None:
    target = tmp_path / "scored.csv"
    target.write_text("old\n")
    target.chmod(0o664)
    atomic_write_text(target, "new\n")
    assert target.read_text() == "new\n" and mode(target) == 0o664


def test_icp_score_output_is_readable_by_the_group(example_repo: Path, umask_027: int) -> None:
    deals = "fixtures/deals/midmarket-saas-revops.csv"
    for engine in ("pandas", "duckdb"):
        out = example_repo / f"{engine}.csv"
        result = invoke("score", "icps/midmarket-saas-revops.yaml", deals, "--engine", engine,
                        "-o", str(out))  # fmt: skip
        assert result.exit_code == 0, result.output
        assert mode(out) == 0o640, engine
