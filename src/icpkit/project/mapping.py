"""How a CRM export's columns and values map onto ICP fields: the `[tool.icp]` data settings.

Pure values, no pandas: the settings loader builds this, the scorer applies it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Labels the common CRMs write, so most exports need no outcome mapping at all.
DEFAULT_OUTCOME_LABELS: dict[str, tuple[str, ...]] = {
    "won": ("won", "closed won", "closed-won", "closed_won", "closedwon", "win"),
    "lost": ("lost", "closed lost", "closed-lost", "closed_lost", "closedlost", "loss"),
    "open": ("open", "pipeline", "in progress"),
}

# Cells that mean "nobody knows": read as unknown, never as a category called "n/a".
DEFAULT_UNKNOWN_VALUES = ("", "n/a", "na", "-", "--", "?", "unknown", "null", "none", "#n/a")

# A customers file's churned/active labels (`[tool.icp.customer-outcomes]` adds more). A
# TRUE/FALSE cell is not here: whether TRUE means churned depends on the column's question.
DEFAULT_CUSTOMER_LABELS: dict[str, tuple[str, ...]] = {
    "churned": ("churned", "cancelled", "canceled", "terminated", "lost", "inactive"),
    "active": ("active", "retained", "current", "live", "renewed"),
}

TRIGGERS = "triggers"

# A coded value stands for a number, a [low, high] band, or a category.
CodeValue = float | str | tuple[float | None, float | None]


@dataclass(frozen=True)
class DataMapping:
    """Column names, outcome labels, value codes and unknown markers of one data source."""

    columns: Mapping[str, str] = field(default_factory=dict)
    outcomes: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(DEFAULT_OUTCOME_LABELS)
    )
    values: Mapping[str, Mapping[str, CodeValue]] = field(default_factory=dict)
    unknown_values: tuple[str, ...] = DEFAULT_UNKNOWN_VALUES
    absent_fields: tuple[str, ...] = ()
    list_separator: str = ";"
    # "error", or "first": keep the first row of a deal id (exports of opportunity lines)
    duplicate_deals: str = "error"
    # "dmy", "mdy" or "ymd" for dates that are not ISO; None: inferred per column
    date_order: str | None = None
    # "." or ",": the decimal mark of numbers (the other one groups thousands)
    decimal: str = "."
    customer_outcomes: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(DEFAULT_CUSTOMER_LABELS)
    )
    # Column names of the customers file where a billing export names them otherwise.
    customer_columns: Mapping[str, str] = field(default_factory=dict)

    def outcome_of(self) -> dict[str, str]:
        """Casefolded label -> won/lost/open."""
        return {
            label.strip().lower(): outcome
            for outcome, labels in self.outcomes.items()
            for label in labels
        }

    def customer_outcome_of(self) -> dict[str, str]:
        """Casefolded label -> churned/active."""
        return {
            label.strip().lower(): outcome
            for outcome, labels in self.customer_outcomes.items()
            for label in labels
        }


def band_value(code: CodeValue) -> float | str:
    """The value a coded band is scored as: its midpoint, or its one known edge."""
    if not isinstance(code, tuple):
        return code
    low, high = code
    if low is not None and high is not None:
        return (low + high) / 2
    edge = low if low is not None else high
    if edge is None:
        raise ValueError("a band needs at least one edge")
    return edge


def code_spellings(codes: Mapping[str, CodeValue], decimal: str = ".") -> dict[str, CodeValue]:
    """The codes, each whole-number one also as a number column writes it: `2` as `2.0`
    (a float column saved to CSV by pandas or Excel, a DOUBLE read as text by DuckDB or
    Spark), else the band code `2` would be read as the number 2, in silence."""
    out = dict(codes)
    for key, value in codes.items():
        if _WHOLE_NUMBER.fullmatch(key):
            for mark in dict.fromkeys((".", decimal)):
                out.setdefault(f"{int(key)}{mark}0", value)
    return out


_WHOLE_NUMBER = re.compile(r"[-+]?[0-9]+")


def build_mapping(table: Mapping[str, Any]) -> DataMapping:
    """From the schema-valid settings table (keys as users write them in TOML)."""
    outcomes = {k: list(v) for k, v in DEFAULT_OUTCOME_LABELS.items()}
    for outcome, labels in (table.get("outcomes") or {}).items():
        outcomes[outcome] += [str(label) for label in labels]
    customers = {k: list(v) for k, v in DEFAULT_CUSTOMER_LABELS.items()}
    for outcome, labels in (table.get("customer-outcomes") or {}).items():
        customers[outcome] += [str(label) for label in labels]
    return DataMapping(
        columns={str(k): str(v) for k, v in (table.get("columns") or {}).items()},
        outcomes={k: tuple(v) for k, v in outcomes.items()},
        values={
            name: {str(raw).strip().lower(): _code(v) for raw, v in codes.items()}
            for name, codes in (table.get("values") or {}).items()
        },
        # Given, the list replaces the defaults: in some exports "None" is a real value.
        unknown_values=tuple(
            str(v).strip().lower() for v in table.get("unknown-values", DEFAULT_UNKNOWN_VALUES)
        ),
        absent_fields=tuple(str(a) for a in table.get("absent-fields") or ()),
        list_separator=str(table.get("list-separator", ";")),
        duplicate_deals=str(table.get("duplicate-deals", "error")),
        date_order=str(table["date-order"]) if "date-order" in table else None,
        decimal=str(table.get("decimal", ".")),
        customer_outcomes={k: tuple(v) for k, v in customers.items()},
        customer_columns={str(k): str(v) for k, v in (table.get("customer-columns") or {}).items()},
    )


def _code(value: Any) -> CodeValue:
    # TOML has no null, so an open band is a table with one edge: {min = 25000}.
    if isinstance(value, Mapping):
        return (_edge(value.get("min")), _edge(value.get("max")))
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return float(value)
    return str(value)


def _edge(value: Any) -> float | None:
    return None if value is None else float(value)
