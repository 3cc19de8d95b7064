"""icpkit as users get it: the built wheel in a fresh virtualenv, and `icp init`'s repository
installed and run exactly as its own workflows do, so it is green on day one."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from icpkit.version import __version__
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

TEMPLATES = ROOT / "src" / "icpkit" / "project" / "templates"
# A `run:` script that calls icp (not the gh comment step, which test_workflows covers).
_CALLS_ICP = re.compile(r"(^|[\s;&|(])icp\s", re.M)


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path

    @property
    def bin(self) -> Path:
        return self.venv / ("Scripts" if os.name == "nt" else "bin")

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of a workflow step: this venv first on PATH, the wheel findable."""
        env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
        env["PATH"] = os.pathsep.join([str(self.bin), env["PATH"]])
        # pip treats a space-separated PIP_FIND_LINKS as several locations.
        env["PIP_FIND_LINKS"] = " ".join(
            [str(self.wheel.parent), *filter(None, [os.environ.get("PIP_FIND_LINKS")])]
        )
        # The releases the suite is locked to, so this test passes tomorrow as today.
        env["PIP_CONSTRAINT"] = str(ROOT / "constraints.txt")
        return env | extra


def _run(
    args: list[str | Path], cwd: Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


def _ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, f"{done.args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """icpkit's wheel, built from a copy of the sources, installed in a fresh virtualenv."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"  # a copy, so the build leaves no build/ or egg-info behind
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    dist = base / "dist"
    # No build isolation: the build uses the locked setuptools of the dev environment.
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
    _ok(_run([*build, "-w", dist, source], base))
    (wheel,) = dist.glob("icpkit-*.whl")
    venv.EnvBuilder(with_pip=True, clear=True).create(base / "venv")
    done = Installed(wheel, base / "venv")
    _ok(_run([done.bin / "python", "-m", "pip", "install", "-q", wheel], base, done.env()))
    return done


def test_the_wheel_holds_every_template_including_dotfiles(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    shipped = {
        "icpkit/" + p.relative_to(ROOT / "src" / "icpkit").as_posix()
        for p in TEMPLATES.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert shipped and shipped <= names, sorted(shipped - names)
    repo = "icpkit/project/templates/repo/"
    for dotfile in (
        "dot-gitignore",
        "dot-pre-commit-config.yaml",
        "dot-github/workflows/icp.yml",
        "dot-github/workflows/pages.yml",
        "dot-github/dependabot.yml",
        "requirements.txt",
    ):
        assert repo + dotfile in names, dotfile
    assert "icpkit/format/schema/icp.schema.json" in names and "icpkit/py.typed" in names
    version = _ok(_run([installed.bin / "icp", "--version"], installed.venv, installed.env()))
    assert __version__ in version


def _steps(workflow: Path, job: str) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"][job][
        "steps"
    ]
    return [s for s in steps if "run" in s]


def _run_step(step: dict[str, Any], cwd: Path, env: dict[str, str]) -> str:
    # GitHub runs `run:` scripts with this shell and these flags; a value GitHub would
    # fill in from an expression is set by the caller instead.
    own = {k: str(v) for k, v in step.get("env", {}).items() if "${{" not in str(v)}
    done = _run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd, env | own
    )
    return _ok(done)


def _runs_on(step: dict[str, Any], event: str) -> bool:
    condition = str(step.get("if", ""))
    return event == "pull_request" or "pull_request" not in condition


def _icp_steps(steps: list[dict[str, Any]], event: str) -> list[dict[str, Any]]:
    return [s for s in steps if _CALLS_ICP.search(s["run"]) and _runs_on(s, event)]


def _install_steps(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [s for s in steps if "pip install" in s["run"]]


def test_a_new_repository_is_green_on_day_one(installed: Installed, tmp_path: Path) -> None:
    env = installed.env(GITHUB_ACTIONS="true", GITHUB_REPOSITORY="acme/acme-icps")
    origin = tmp_path / "acme-icps"
    _ok(_run([installed.bin / "icp", "init", origin, "--id", "acme-core"], tmp_path, env))
    for name in (".gitignore", ".pre-commit-config.yaml", ".github/dependabot.yml"):
        assert (origin / name).is_file(), name
    _ok(_run(["git", "init", "-q", "-b", "main"], origin))
    _ok(_run(["git", "add", "."], origin))
    _ok(_run(["git", "commit", "-qm", "icp init"], origin))
    clone = tmp_path / "checkout"
    _ok(_run(["git", "clone", "-q", origin, clone], tmp_path))
    icp_yml = clone / ".github" / "workflows" / "icp.yml"
    pages_yml = clone / ".github" / "workflows" / "pages.yml"
    checks, pages = _steps(icp_yml, "icp"), _steps(pages_yml, "build")

    # A runner starts without icpkit: the workflow's own install step must bring it.
    _ok(_run([installed.bin / "python", "-m", "pip", "uninstall", "-y", "-q", "icpkit"], clone))
    assert _install_steps(checks) == _install_steps(pages) != []
    for step in _install_steps(checks):
        _run_step(step, clone, env)
    shown = _ok(_run([installed.bin / "python", "-m", "pip", "show", "icpkit"], clone, env))
    assert f"Version: {__version__}" in shown

    # Push to main: no base branch to compare with.
    summary = tmp_path / "push.md"
    ran = []
    for step in _icp_steps(checks, "push"):
        _run_step(step, clone, env | {"BASE_REF": "", "GITHUB_STEP_SUMMARY": str(summary)})
        ran.append(step["name"])
    assert ran == ["icp check", "icp backtest", "icp site build"]
    assert "### icp backtest: passed" in summary.read_text(encoding="utf-8")

    # A pull request that widens the ICP: every gate against the base, and the diff.
    _ok(_run(["git", "checkout", "-q", "-b", "add-canada"], clone))
    icp = clone / "icps" / "acme-core.yaml"
    icp.write_text(icp.read_text().replace("in: [US, GB]", "in: [US, GB, CA]"))
    _ok(_run(["git", "commit", "-qam", "Sell to Canada too"], clone))
    summary = tmp_path / "pr.md"
    ran = []
    for step in _icp_steps(checks, "pull_request"):
        _run_step(step, clone, env | {"BASE_REF": "main", "GITHUB_STEP_SUMMARY": str(summary)})
        ran.append(step["name"])
    assert ran == ["icp check", "icp backtest", "icp diff", "icp site build"]
    report = summary.read_text(encoding="utf-8")
    assert "### icp backtest: passed" in report and "Compared with `origin/main`:" in report
    assert "country in: added CA; widened" in report

    # The Pages build, with the repository URL GitHub would give it.
    url = "https://github.com/acme/acme-icps"
    built = _icp_steps(pages, "push")
    assert [s["run"] for s in built] == ["icp site build"]
    _run_step(built[0], clone, env | {"ICP_REPO_URL": url})
    page = (clone / "site" / "icps" / "acme-core" / "index.html").read_text(encoding="utf-8")
    assert f'href="{url}/edit/main/icps/acme-core.yaml"' in page


def test_the_new_repositorys_pre_commit_hook_uses_the_installed_icp(
    installed: Installed, tmp_path: Path
) -> None:
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    assert pre_commit, "pre-commit is not installed"
    env = installed.env(PRE_COMMIT_HOME=str(tmp_path / "home"))
    repo = tmp_path / "repo"
    _ok(_run([installed.bin / "icp", "init", repo], tmp_path, env))
    _ok(_run(["git", "init", "-q"], repo))
    _ok(_run(["git", "add", "."], repo))
    _ok(_run([pre_commit, "run", "--all-files"], repo, env))
    icp = repo / "icps" / "example-icp.yaml"
    icp.write_text(icp.read_text().replace("    max: 2000\n", "    max: 150\n", 1))
    failed = _run([pre_commit, "run", "--all-files"], repo, env)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "[ICP008] `employees` min 200 is above max 150" in failed.stdout
