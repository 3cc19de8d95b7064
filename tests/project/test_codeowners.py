"""`icp init`'s CODEOWNERS, through the installed command: sales, marketing and customer
success asked to sign off icps/, and left out with --no-codeowners."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import run_icp


def _rules(text: str) -> dict[str, list[str]]:
    rules = [line.split() for line in text.splitlines() if line.strip() and line[0] != "#"]
    return {parts[0]: parts[1:] for parts in rules}


def test_init_asks_three_teams_to_sign_off_the_icps(tmp_path: Path) -> None:
    done = run_icp(tmp_path, "init", "repo")
    assert done.returncode == 0, done.stderr
    owners = tmp_path / "repo" / ".github" / "CODEOWNERS"
    assert f"created {Path('repo/.github/CODEOWNERS')}" in done.stdout
    rules = _rules(owners.read_text(encoding="utf-8"))
    assert rules["/icps/"] == [
        "@your-org/sales",
        "@your-org/marketing",
        "@your-org/customer-success",
    ]
    # The last matching line wins: overrides, sales' calls, come after the folder.
    assert list(rules)[-1] == "/icps/*.overrides.yaml" and rules[list(rules)[-1]] == [
        "@your-org/sales"
    ]
    # Every owner is a GitHub handle, so the file works once the placeholders are replaced.
    assert all(re.fullmatch(r"@[\w-]+(/[\w-]+)?", o) for team in rules.values() for o in team)
    assert (tmp_path / "repo" / "schema" / "overrides.schema.json").is_file()
    # The new repository still passes its own check.
    assert run_icp(tmp_path / "repo", "check").returncode == 0


def test_no_codeowners_leaves_it_out(tmp_path: Path) -> None:
    done = run_icp(tmp_path, "init", "repo", "--no-codeowners")
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "repo" / ".github" / "CODEOWNERS").exists()
    assert (tmp_path / "repo" / ".github" / "workflows" / "icp.yml").is_file()
