"""Plain-language descriptions of ICP values: "200-2,000 employees", "$20M-$200M"."""

from __future__ import annotations

from collections.abc import Sequence

from icpkit.format.display import Names, acronyms
from icpkit.format.model import Attribute, Condition, Form, Match
from icpkit.text import number, percent, short_money

_WORDS = {"pct": "%"}
# The suffixes that make a field an amount of money in that currency: `revenue_eur`.
MONEY_SUFFIXES = frozenset(
    [
        "usd",
        "eur",
        "gbp",
        "chf",
        "cad",
        "aud",
        "nzd",
        "jpy",
        "cny",
        "inr",
        "sgd",
        "hkd",
        "sek",
        "nok",
        "dkk",
        "pln",
        "brl",
        "mxn",
        "zar",
    ]
)


def field_label(name: str, label: str | None = None) -> str:
    """`revenue_usd` -> "Revenue (USD)", `erp` -> "ERP"; an explicit `label` wins."""
    if label:
        return label
    words = name.split("_")
    last = words[-1]
    unit = words.pop() if len(words) > 1 and last in (*MONEY_SUFFIXES, "pct", "days") else None
    text = acronyms(" ".join(_WORDS.get(w, w) for w in words))
    text = text[:1].upper() + text[1:]
    if unit:
        text += f" ({_WORDS.get(unit, unit.upper() if unit in MONEY_SUFFIXES else unit)})"
    return text


def field_currency(field: str) -> str | None:
    """The currency a field's name says it is in: `revenue_usd` -> USD."""
    last = field.rsplit("_", 1)[-1]
    return last.upper() if "_" in field and last in MONEY_SUFFIXES else None


def _number(field: str, value: float) -> str:
    currency = field_currency(field)
    return short_money(value, currency) if currency else number(value)


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


def describe_match(field: str, match: Match, names: Names | None = None) -> str:
    """In words; `names` shows values as people say them, None as written in the file."""
    if match.form is Form.RANGE:
        return describe_range(field, match.min, match.max)
    values = ", ".join(names.values(match.values, field) if names else match.values)
    if match.form is Form.IN:
        return values if len(match.values) == 1 else f"one of {values}"
    return f"{match.form.value} of {values}"


def describe_partial(attribute: Attribute, names: Names | None = None) -> list[str]:
    return [
        f"{describe_match(attribute.field, p.match, names)}: {percent(p.credit)} credit"
        for p in attribute.partial
    ]


def describe_conditions(conditions: Sequence[Condition], names: Names | None = None) -> str:
    """ "Employees up to 49 and Country DE": an anti-ICP's or a trigger's `when`."""
    return " and ".join(
        f"{field_label(c.field)} {describe_match(c.field, c.match, names)}" for c in conditions
    )
