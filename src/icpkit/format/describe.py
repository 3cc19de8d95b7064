"""Plain-language descriptions of ICP values: "200-2,000 employees", "$20M-$200M"."""

from __future__ import annotations

from collections.abc import Sequence

from icpkit.format.model import Attribute, Condition, Form, Match
from icpkit.text import number, percent, short_money

_WORDS = {"usd": "USD", "arr": "ARR", "mrr": "MRR", "pct": "%", "it": "IT", "crm": "CRM"}


def field_label(name: str, label: str | None = None) -> str:
    """`revenue_usd` -> "Revenue (USD)"; an explicit `label` wins."""
    if label:
        return label
    words = name.split("_")
    unit = words.pop() if len(words) > 1 and words[-1] in ("usd", "pct", "days") else None
    text = " ".join(_WORDS.get(w, w) for w in words)
    text = text[:1].upper() + text[1:]
    if unit:
        text += f" ({_WORDS.get(unit, unit)})"
    return text


def _number(field: str, value: float) -> str:
    if field.endswith("_usd"):
        return short_money(value)
    return number(value)


def _unit(field: str) -> str:
    if field.endswith("_pct"):
        return "%"
    if field.endswith("_days"):
        return " days"
    if field == "employees" or field.endswith(("_employees", "_headcount")):
        return " employees"
    return ""


def describe_range(field: str, low: float | None, high: float | None) -> str:
    unit = _unit(field)
    if low is not None and high is not None:
        return f"{_number(field, low)}-{_number(field, high)}{unit}"
    if low is not None:
        return f"{_number(field, low)}+{unit}" if unit != "%" else f"{_number(field, low)}%+"
    if high is not None:
        return f"up to {_number(field, high)}{unit}"
    return "any value"


def describe_match(field: str, match: Match) -> str:
    if match.form is Form.RANGE:
        return describe_range(field, match.min, match.max)
    values = ", ".join(match.values)
    if match.form is Form.IN:
        return values if len(match.values) == 1 else f"one of {values}"
    return f"{match.form.value} of {values}"


def describe_partial(attribute: Attribute) -> list[str]:
    return [
        f"{describe_match(attribute.field, p.match)}: {percent(p.credit)} credit"
        for p in attribute.partial
    ]


def describe_conditions(conditions: Sequence[Condition]) -> str:
    """ "Employees up to 49 and Country DE": an anti-ICP's or a trigger's `when`."""
    return " and ".join(
        f"{field_label(c.field)} {describe_match(c.field, c.match)}" for c in conditions
    )
