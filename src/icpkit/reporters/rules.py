"""Text for `icp rules`: the list, and one rule's documentation."""

from __future__ import annotations

import json

from icpkit.checks import RULES, AnyRule, find_rule


def _as_dict(rule: AnyRule) -> dict[str, str]:
    return {
        "id": rule.id,
        "name": rule.name,
        "severity": rule.severity.value,
        "scope": rule.scope.value,
        "summary": rule.summary,
    }


def listing(fmt: str) -> str:
    if fmt == "json":
        return json.dumps([_as_dict(r) for r in RULES], indent=2) + "\n"
    width = max(len(r.name) for r in RULES)
    rows = [f"{r.id}  {r.name:<{width}}  {r.severity.value:<7}  {r.summary}" for r in RULES]
    return "\n".join(rows) + "\n"


def describe(key: str, fmt: str) -> str:
    rule = find_rule(key)
    if fmt == "json":
        return json.dumps({**_as_dict(rule), "doc": rule.doc}, indent=2) + "\n"
    head = f"{rule.id} {rule.name} (default severity: {rule.severity.value})"
    return f"{head}\n{'=' * len(head)}\n\n{rule.doc}\n"
