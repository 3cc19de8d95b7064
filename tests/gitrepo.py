"""Real git repositories for tests: commits with chosen authors and dates."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from tests.conftest import ROOT

ICP = "midmarket-saas-revops"
ICP_FILE = f"icps/{ICP}.yaml"
_TRIGGER_MISSED = re.compile(r"  - id: missed-forecast\n(?:    .*\n)+")


def git(
    folder: Path,
    *args: str,
    date: str = "2026-10-01T10:00:00+00:00",
    author: str = "Ana Lopez",
) -> str:
    email = author.split()[0].lower() + "@example.com"
    done = subprocess.run(
        ["git", "-c", f"user.name={author}", "-c", f"user.email={email}", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
        env=os.environ | {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date},
    )
    return done.stdout


def example_project(folder: Path) -> None:
    """This repository's example ICPs, deals and settings (no git yet)."""
    for name in ("icps", "fixtures"):
        shutil.copytree(ROOT / name, folder / name)
    # Only the [tool.icp] tables: the commits (and the golden files that show their ids)
    # must not change whenever a dependency does.
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    settings = text[text.index("\n[tool.icp]") + 1 :]
    tables = [line for line in settings.splitlines() if line.startswith("[")]
    assert all(t.startswith("[tool.icp") for t in tables), "[tool.icp] must come last"
    (folder / "pyproject.toml").write_text(settings, encoding="utf-8")


def q2_text(current: str) -> str:
    """Spring: narrower (300+ employees), no missed-forecast trigger, smaller too-small cut."""
    text = _quarter(current, "2026-Q2", "2026-04-08")
    text = text.replace("    min: 200\n    max: 2000\n", "    min: 300\n    max: 2000\n", 1)
    text = _TRIGGER_MISSED.sub("", text, count=1)
    text = text.replace(
        "  industry:\n    in: [saas, fintech]\n    weight: 15",
        "  industry:\n    in: [saas, fintech]\n    weight: 20",
        1,
    )
    return text.replace("when: {employees: {max: 79}}", "when: {employees: {max: 49}}")


def q3_text(current: str) -> str:
    """Summer: widened back to 200 employees, missed-forecast trigger added."""
    text = _quarter(current, "2026-Q3", "2026-07-07")
    return text.replace("when: {employees: {max: 79}}", "when: {employees: {max: 49}}")


def _quarter(text: str, version: str, reviewed: str) -> str:
    text = re.sub(r"^version: .*$", f"version: {version}", text, count=1, flags=re.M)
    return re.sub(r"^last_reviewed: .*$", f"last_reviewed: {reviewed}", text, count=1, flags=re.M)


def quarterly_repo(folder: Path) -> Path:
    """The example project in git with the ICP reviewed in 2026-Q2, Q3 and Q4.

    Q2 has two commits (the second a typo fix by another author), so "the last commit of
    the quarter" is not the first one.
    """
    example_project(folder)
    icp = folder / ICP_FILE
    current = icp.read_text(encoding="utf-8")
    git(folder, "init", "-q", "-b", "main")
    icp.write_text(
        q2_text(current).replace("has put the forecast", "has put teh forecast"), encoding="utf-8"
    )
    git(folder, "add", ".")
    git(folder, "commit", "-qm", "Q2 review", date="2026-04-08T09:00:00+00:00")
    icp.write_text(q2_text(current), encoding="utf-8")
    ben = "Ben Okafor"
    git(folder, "commit", "-qam", "Fix typo", date="2026-05-20T15:30:00+00:00", author=ben)
    icp.write_text(q3_text(current), encoding="utf-8")
    git(
        folder, "commit", "-qam", "Q3 review", date="2026-07-07T11:00:00+00:00", author="Ben Okafor"
    )
    icp.write_text(current, encoding="utf-8")
    git(folder, "commit", "-qam", "Q4 review", date="2026-11-02T10:00:00+00:00")
    return folder
