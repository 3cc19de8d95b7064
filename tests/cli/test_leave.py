"""`main` leaves without the interpreter's teardown once pyarrow ran (apache/arrow#34314),
and still delivers everything and the right code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from icpkit import cli


class Left(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


def _exit(code: int) -> None:
    raise Left(code)


def test_after_pyarrow_main_flushes_and_exits_with_the_commands_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import pyarrow  # noqa: F401  (what `icp score` loads)

    monkeypatch.setattr("icpkit.cli.errors.os._exit", _exit)
    monkeypatch.setattr(sys, "argv", ["icp", "rules", "ICP004"])
    with pytest.raises(Left) as left:
        cli.main()
    assert left.value.code == 0
    assert "too-few-triggers" in capsys.readouterr().out


def test_a_usage_error_keeps_exit_code_2(monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow  # noqa: F401

    monkeypatch.setattr("icpkit.cli.errors.os._exit", _exit)
    monkeypatch.setattr(sys, "argv", ["icp", "rules", "ICP999"])
    with pytest.raises(Left) as left:
        cli.main()
    assert left.value.code == 2


def test_scored_output_arrives_whole_through_the_installed_command() -> None:
    root = Path(__file__).resolve().parents[2]
    deals = root / "fixtures" / "deals" / "midmarket-saas-revops.csv"
    icp_bin = Path(sys.executable).parent / "icp"
    done = subprocess.run(
        [icp_bin, "score", "icps/midmarket-saas-revops.yaml", str(deals)],
        capture_output=True,
        text=True,
        cwd=root,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    expected = len(deals.read_text(encoding="utf-8").splitlines())
    assert len(lines) == expected and "score" in lines[0].split(","), done.stderr[-500:]
