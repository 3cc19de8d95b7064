"""Findings: what a check says about a place in a file."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

JsonPath = tuple[str | int, ...]

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


class Severity(enum.Enum):
    """How much a finding matters; `rank` orders them for `--fail-on`."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls(text.lower())
        except ValueError:
            names = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {text!r} (use one of: {names})") from None


_RANKS = {Severity.INFO: 1, Severity.WARNING: 2, Severity.ERROR: 3}


@dataclass(frozen=True, order=True)
class Mark:
    """A 1-based position in a file."""

    line: int
    column: int


@dataclass(frozen=True)
class Violation:
    """What a rule yields: where (a JSON path, or an explicit mark) and what is wrong."""

    path: JsonPath
    message: str
    mark: Mark | None = None


@dataclass(frozen=True)
class Finding:
    """A located, stamped violation, ready for a reporter."""

    file: str
    line: int
    column: int
    rule_id: str
    rule_name: str
    severity: Severity
    message: str
    json_path: str = "$"
    suppressed_by: str | None = field(default=None, compare=False)

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.rule_id, self.message)


def format_path(path: JsonPath) -> str:
    """Render a path the way JSONPath users read it: `$.triggers[1].window_days`."""
    out = ["$"]
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _PLAIN_KEY.match(part):
            out.append(f".{part}")
        else:
            out.append(f"[{part!r}]")
    return "".join(out)
