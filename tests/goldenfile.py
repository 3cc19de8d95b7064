"""Golden files: the one place output is compared with `tests/golden/`, or rewritten.

A test asks for the `golden` fixture and calls `golden.check(name, text)`. A normal run
compares byte for byte (line endings included) and fails with a diff; a file not there
yet fails too. `pytest --update-golden` rewrites the files that differ, and says so with
a `GoldenRewritten` warning per file (shown in pytest's warnings summary, also under
xdist), so a refresh never passes silently: review `git diff tests/golden` after it.
"""

from __future__ import annotations

import difflib
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
REFRESH = "if the change is intended: pytest --update-golden, then review git diff tests/golden"


class GoldenRewritten(UserWarning):
    """A golden file was rewritten under `--update-golden`."""


@dataclass(frozen=True)
class Golden:
    update: bool
    folder: Path = GOLDEN

    def check(self, name: str, got: str) -> None:
        __tracebackhide__ = True  # the failure points at the test, not here
        path = self.folder / name
        # Bytes, not read_text(): universal newlines would hide a change of line endings.
        expected = path.read_bytes().decode("utf-8") if path.is_file() else None
        if got == expected:
            return
        if self.update:
            path.write_bytes(got.encode("utf-8"))
            warnings.warn(GoldenRewritten(f"rewrote golden file {name}"), stacklevel=2)
            return
        if expected is None:
            pytest.fail(f"golden file {name} does not exist; {REFRESH}", pytrace=False)
        pytest.fail(f"output differs from golden file {name}; {REFRESH}\n{_diff(expected, got)}")


def _diff(expected: str, got: str) -> str:
    lines = list(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            got.splitlines(keepends=True),
            fromfile="golden",
            tofile="output",
        )
    )
    head, body = lines[:2], lines[2:]
    # repr() per line, so a changed line ending or trailing space is visible.
    shown = [
        line.rstrip("\n") if line.startswith("@@") else line[0] + repr(line[1:]) for line in body
    ]
    return "".join(head) + "\n".join(shown)
