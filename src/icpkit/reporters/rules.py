"""Text for `icp rules`: the list, and one rule's documentation."""

from __future__ import annotations

import json
from dataclasses import dataclass

from icpkit.checks import RULES, AnyRule, Rule
from icpkit.reporters.registry import register


@dataclass(frozen=True)
class RuleCatalogue:
    """Every rule, in registry order: what `icp rules` lists."""

    rules: tuple[AnyRule, ...] = RULES


def _as_dict(rule: AnyRule) -> dict[str, str | list[str]]:
    return {
        "id": rule.id,
        "name": rule.name,
        "severity": rule.severity.value,
        "scope": rule.scope.value,
        "category": rule.category.value,
        "added": rule.added,
        "options": [o.key for o in rule.options],
        "summary": rule.summary,
    }


def _list_json(catalogue: RuleCatalogue) -> str:
    return json.dumps([_as_dict(r) for r in catalogue.rules], indent=2) + "\n"


def _list_text(catalogue: RuleCatalogue) -> str:
    width = max(len(r.name) for r in catalogue.rules)
    kinds = max(len(r.category.value) for r in catalogue.rules)
    rows = [
        f"{r.id}  {r.name:<{width}}  {r.severity.value:<7}  {r.category.value:<{kinds}}  "
        f"{r.summary}"
        for r in catalogue.rules
    ]
    return "\n".join(rows) + "\n"


def _rule_json(rule: AnyRule) -> str:
    return json.dumps({**_as_dict(rule), "doc": rule.doc}, indent=2) + "\n"


def _rule_text(rule: AnyRule) -> str:
    head = f"{rule.id} {rule.name} (default severity: {rule.severity.value})"
    about = f"Category: {rule.category.value}. Added in v{rule.added}."
    return f"{head}\n{'=' * len(head)}\n\n{about}\n\n{rule.doc}\n"


register(RuleCatalogue, "text", _list_text)
register(RuleCatalogue, "json", _list_json)
register(Rule, "text", _rule_text)
register(Rule, "json", _rule_json)
