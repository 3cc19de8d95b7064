from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from icpkit.checks.config import load_config
from icpkit.checks.runner import Report, check
from icpkit.cli import cli
from icpkit.scorer.override_data import override_facts
from tests.engines import Postgres, Spark, postgres_engine, requested, spark_engine
from tests.goldenfile import Golden

TESTS = Path(__file__).parent
ROOT = TESTS.parent
TODAY = "2026-11-23"
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*):", re.M)
_FILE_MARK = re.compile(r"^# file: (\S+)\n", re.M)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="Rewrite the golden files that differ."
    )


@pytest.fixture(autouse=True)
def _pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    # Staleness rules depend on the date; tests must not start failing next quarter.
    monkeypatch.setenv("ICP_TODAY", TODAY)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")


def pytest_configure(config: pytest.Config) -> None:
    requested()  # a misspelt ICPKIT_ENGINES stops the run before anything is collected


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Spark is opt-in (tests/engines.py): its tests are deselected, said in the summary,
    # unless ICPKIT_ENGINES names it; asked for, they run and fail without pyspark or Java.
    if "spark" in requested():
        return
    dropped = [item for item in items if item.get_closest_marker("spark")]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if not item.get_closest_marker("spark")]


@pytest.fixture(scope="session")
def spark() -> Iterator[Spark]:
    """The local Spark session (tests/engines.py), started once for the run."""
    with spark_engine() as engine:
        yield engine


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """The test PostgreSQL server (tests/engines.py), one schema per test worker."""
    with postgres_engine() as engine:
        yield engine


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    """Compares output with its file in tests/golden/ (rewrites it under --update-golden)."""
    return Golden(update=bool(request.config.getoption("--update-golden")))


@pytest.fixture
def base_text() -> str:
    return (TESTS / "data" / "base.yaml").read_text(encoding="utf-8")


def merge(base: str, snippet: str) -> str:
    """Replace the top-level sections of `base` that `snippet` names, then append it."""
    replaced = set(_TOP_KEY.findall(snippet))
    kept: list[str] = []
    skipping = False
    for line in base.splitlines(keepends=True):
        key = _TOP_KEY.match(line)
        if key:
            skipping = key.group(1) in replaced
        if not skipping:
            kept.append(line)
    return "".join(kept) + snippet


def split_files(snippet: str, default: str) -> dict[str, str]:
    """A snippet may hold several files, each after a `# file: name.yaml` line."""
    parts = _FILE_MARK.split(snippet)
    if len(parts) == 1:
        return {default: snippet}
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def invoke(*args: str) -> Result:
    """The `icp` command in-process, stdout and stderr kept apart."""
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def example_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of this repository's example project (ICPs, deal fixtures, settings)."""
    for folder in ("icps", "fixtures"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)
    yield tmp_path


CheckFn = Callable[..., Report]


@pytest.fixture
def run_check(project: Path) -> CheckFn:
    def run(files: dict[str, str], *, toml: str = "", paths: tuple[str, ...] = ()) -> Report:
        for name, text in files.items():
            target = project / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        if toml:
            (project / "icp.toml").write_text(toml, encoding="utf-8")
        config = load_config(project)
        return check(
            paths
            or tuple(
                n for n in files if n.endswith((".yaml", ".yml")) and n != "icp-baseline.yaml"
            ),
            config=config,
            # As `icp check` reads an ICP's data for the rules on its overrides file.
            facts=override_facts,
        )

    return run


def run_icp(
    folder: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The installed `icp` command, as a user runs it in `folder` (with `env`, if given)."""
    found = shutil.which("icp", path=str(Path(sys.executable).parent)) or shutil.which("icp")
    assert found, "the icp command is not installed"
    return subprocess.run(
        [found, *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
