"""One deliberately vague ICP per rule: `icp check` must exit 1 naming the rule at its place."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from icpkit.checks import RULES, Scope
from icpkit.cli import cli

VAGUE = Path(__file__).parent / "vague"
_EXPECT = re.compile(r"expect: (ICP\d{3}) at (\d+):(\d+)")


def _cases() -> list[tuple[str, Path, str, int, int]]:
    cases = []
    for path in sorted(VAGUE.rglob("*.yaml")):
        found = _EXPECT.search(path.read_text(encoding="utf-8").splitlines()[0])
        if found:
            rule, line, col = found.group(1), int(found.group(2)), int(found.group(3))
            target = (
                path if path.parent == VAGUE else next(p for p in path.parents if p.parent == VAGUE)
            )
            cases.append((rule, target, path.relative_to(VAGUE).as_posix(), line, col))
    return cases


CASES = _cases()


def test_every_file_rule_has_a_vague_example() -> None:
    covered = {rule for rule, *_ in CASES}
    # ICP032 measures the project's configured universe; tests/scorer/test_coverage.py gives it one.
    wanted = {r.id for r in RULES if r.scope is not Scope.BASELINE and r.id != "ICP032"}
    assert wanted <= covered, sorted(wanted - covered)


@pytest.mark.parametrize(
    ("rule", "target", "shown", "line", "col"), CASES, ids=[c[0] for c in CASES]
)
def test_vague_example_fails_with_its_rule_at_its_place(
    rule: str, target: Path, shown: str, line: int, col: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(VAGUE)
    result = CliRunner().invoke(cli, ["check", target.relative_to(VAGUE).as_posix()])
    assert result.exit_code == 1, result.output
    assert re.search(rf"^{re.escape(shown)}:{line}:{col}: \w+ \[{rule}\] ", result.output, re.M), (
        result.output
    )
