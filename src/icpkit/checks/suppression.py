"""Inline suppressions: `# icp: disable=ICP004 reason="..."` and `# icp: disable-file=...`.

PyYAML drops comments, so directives are read from the raw lines. A directive after
content applies to its own line; a directive on a line of its own applies to the next
line; `disable-file` applies to the whole file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_DIRECTIVE = re.compile(
    r"#\s*icp:\s*(?P<kind>disable-file|disable)\s*=\s*(?P<rules>[A-Za-z0-9_,\- ]+?)"
    r"(?:\s+reason\s*=\s*\"(?P<reason>[^\"]*)\")?\s*$"
)


@dataclass
class Suppressions:
    lines: dict[int, dict[str, str]] = field(default_factory=dict)
    whole_file: dict[str, str] = field(default_factory=dict)

    def reason_for(self, rule_keys: tuple[str, str], line: int) -> str | None:
        """The suppression that covers a finding of this rule (id or name) on `line`."""
        for scope in (self.lines.get(line, {}), self.whole_file):
            for key in (*rule_keys, "all"):
                if key in scope:
                    return scope[key]
        return None


def parse(lines: list[str]) -> Suppressions:
    found = Suppressions()
    for number, text in enumerate(lines, start=1):
        match = _DIRECTIVE.search(text)
        if not match:
            continue
        reason = match.group("reason") or "inline comment"
        rules = {
            r.strip(): f"inline: {reason}" for r in match.group("rules").split(",") if r.strip()
        }
        if match.group("kind") == "disable-file":
            found.whole_file.update(rules)
            continue
        own_line = not text[: match.start()].strip()
        target = number + 1 if own_line else number
        found.lines.setdefault(target, {}).update(rules)
    return found
