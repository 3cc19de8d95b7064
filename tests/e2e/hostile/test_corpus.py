"""The hostile-input guarantee, as one corpus run against every command that reads a file.

Each file under `tests/e2e/hostile/inputs/` is one input class, in a folder named for its
area: `.yaml` files are ICP files, every other file a deal or account table. Every
command that reads that kind of file runs on it as a user would, through the installed
`icp`, and:

- never prints a traceback or an "internal error";
- exits 0, 1 (findings, failed gates) or 2 (the input is refused), nothing else;
- names the file when it refuses it;
- leaves an output written earlier exactly as it was when it fails.

A new hostile input is one new file: the test picks it up.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_icp as _icp
from tests.gitrepo import example_project

pytestmark = pytest.mark.slow  # a subprocess per input and command

INPUTS = Path(__file__).parent / "inputs"
EXAMPLE_ICP = "icps/midmarket-saas-revops.yaml"
EARLIER = "earlier output, which a failed run must leave alone\n"


def _inputs(kind: str) -> list[Path]:
    """Every input of a kind, wherever its area keeps it: ICP files by their `.yaml`."""
    found = sorted(p for p in INPUTS.rglob("*") if p.is_file())
    icps = [p for p in found if p.suffix.lower() in (".yaml", ".yml")]
    return icps if kind == "icp" else [p for p in found if p not in icps]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """This repository's example project, with an earlier output in place."""
    example_project(tmp_path)
    (tmp_path / "out.csv").write_text(EARLIER, encoding="utf-8")
    return tmp_path


def _assert_handled(done: subprocess.CompletedProcess[str], name: str, repo: Path) -> None:
    said = done.stdout + done.stderr
    assert "Traceback" not in said, said
    assert "internal error" not in said.lower(), said
    assert done.returncode in (0, 1, 2), (done.returncode, said)
    if done.returncode == 2:
        assert done.stderr.startswith("Error:") or "\nError:" in done.stderr, done.stderr
        assert name in done.stderr, f"the refusal does not name {name}: {done.stderr}"
        assert (repo / "out.csv").read_text(encoding="utf-8") == EARLIER


TABLE_COMMANDS = {
    "score": ("score", EXAMPLE_ICP, "{file}", "-o", "out.csv"),
    "score-duckdb": ("score", EXAMPLE_ICP, "{file}", "--engine", "duckdb", "-o", "out.csv"),
    "backtest": ("backtest", EXAMPLE_ICP, "--deals", "{file}", "--bootstrap", "0"),
    "suggest": ("suggest", "--deals", "{file}", "--draft", "draft.yaml"),
    "coverage": ("coverage", EXAMPLE_ICP, "--universe", "{file}"),
}


@pytest.mark.parametrize("command", sorted(TABLE_COMMANDS))
@pytest.mark.parametrize("table", _inputs("tables"), ids=lambda p: p.name)
def test_every_table_reader_handles_the_input(table: Path, command: str, repo: Path) -> None:
    shutil.copy(table, repo / table.name)
    args = [a.replace("{file}", table.name) for a in TABLE_COMMANDS[command]]
    _assert_handled(_icp(repo, *args), table.name, repo)


ICP_COMMANDS = {
    "check": ("check", "{file}"),
    "score": ("score", "{file}", "fixtures/deals/midmarket-saas-revops.csv", "-o", "out.csv"),
    "backtest": ("backtest", "{file}", "--bootstrap", "0"),
    "compile": ("compile", "{file}", "--dialect", "duckdb"),
    "explain": ("score", "{file}", "fixtures/deals/midmarket-saas-revops.csv", "--explain", "x"),
}


@pytest.mark.parametrize("command", sorted(ICP_COMMANDS))
@pytest.mark.parametrize("icp_file", _inputs("icp"), ids=lambda p: p.name)
def test_every_icp_reader_handles_the_input(icp_file: Path, command: str, repo: Path) -> None:
    target = repo / "icps" / icp_file.name
    shutil.copy(icp_file, target)
    args = [a.replace("{file}", f"icps/{icp_file.name}") for a in ICP_COMMANDS[command]]
    _assert_handled(_icp(repo, *args), icp_file.name, repo)


def test_the_site_build_survives_every_hostile_icp(repo: Path) -> None:
    for icp_file in _inputs("icp"):
        shutil.copy(icp_file, repo / "icps" / icp_file.name)
    (repo / "docs").mkdir()
    (repo / "docs" / "index.md").write_text("# ICPs\n", encoding="utf-8")
    (repo / "mkdocs.yml").write_text(
        "site_name: ICPs\ndocs_dir: docs\nplugins:\n  - icpkit\n", encoding="utf-8"
    )
    done = _icp(repo, "site", "build")
    said = done.stdout + done.stderr
    assert "Traceback" not in said and "internal error" not in said.lower(), said
    assert done.returncode in (0, 1, 2), said
