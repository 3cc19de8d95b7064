"""The customers an ICP is measured on: one row per customer account, as a billing or CS
export gives it, read through the same readers and mapping as the deals.

A customer's outcome is churned or active (labels mapped in `[tool.icp.customer-outcomes]`);
its dates, MRR or ARR, lifetime revenue and days to first value are optional. The rows
carry the account's attributes (or get them from the accounts file, joined by account),
so each customer is scored by the ICP as a deal is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from icpkit.bounds import clip
from icpkit.errors import InputError
from icpkit.format.model import Icp
from icpkit.project.mapping import TRIGGERS, DataMapping
from icpkit.project.settings import Config
from icpkit.scorer.columns import (
    SHOW_ROWS,
    Join,
    column_key,
    join_issues,
    joined,
    resolve_columns,
)
from icpkit.scorer.contract import CATEGORY, LIST, NUMERIC, field_kinds
from icpkit.scorer.deals import read_file
from icpkit.scorer.explicit import kept_markers
from icpkit.scorer.prepare import FALSE_WORDS, TRUE_WORDS, prepare_fields, read_date_columns
from icpkit.scorer.tables import TEXT_DTYPE, Table, row_number
from icpkit.text import plural

CHURNED = "churned"
DATES = ("started_on", "ended_on")
# MRR or ARR: net revenue retention is a ratio, so either pair measures it.
REVENUE_PAIRS = (("starting_mrr", "current_mrr"), ("starting_arr", "current_arr"))
FIGURES = (*(name for pair in REVENUE_PAIRS for name in pair), "lifetime_revenue", "days_to_value")
_OPTIONAL = frozenset({"account", TRIGGERS, *DATES, *FIGURES})
_TRUE = TRUE_WORDS | {"x"}  # a ticked box
_FALSE = FALSE_WORDS


@dataclass(frozen=True)
class Customers:
    """Canonical customers: the ICP fields, `churned` (bool), the dates and figures found."""

    frame: pd.DataFrame
    shown: str
    issues: tuple[str, ...]


def read_customers(
    path: Path, icps: Sequence[Icp], config: Config, accounts: Path | None = None
) -> Customers:
    """The customers file mapped for `icps`, the accounts file joined on when given."""
    table = read_file(path, config)
    other = read_file(accounts, config) if accounts is not None else None
    prepared = prepare_customers(table, icps, config.mapping, other)
    notes = (*table.notes, *(other.notes if other is not None else ()))
    return Customers(prepared.frame, str(table.path), (*notes, *prepared.issues))


@dataclass(frozen=True)
class _Prepared:
    frame: pd.DataFrame
    issues: tuple[str, ...]


def prepare_customers(
    table: Table,
    icps: Sequence[Icp],
    mapping: DataMapping,
    accounts: Table | None = None,
    *,
    fields: Mapping[str, str] | None = None,
) -> _Prepared:
    """`fields`: columns to read beyond the ICPs' own (what `icp suggest` learns from)."""
    join = join_customers(table, accounts, mapping)
    mapping = customer_mapping(mapping)
    frame = table.frame
    if join is not None:
        frame = join.frame
    kinds = {**(fields or {}), **field_kinds(icps)}
    kinds.update({TRIGGERS: LIST, "account": CATEGORY, CHURNED: CATEGORY})
    kinds.update(dict.fromkeys(DATES, CATEGORY))
    kinds.update(dict.fromkeys(FIGURES, NUMERIC))
    prepared = prepare_fields(
        table,
        frame,
        kinds,
        mapping,
        required=(CHURNED,),
        optional=_OPTIONAL,
        kept=kept_markers(icps, mapping),
    )
    out, issues = prepared.frame, list(prepared.issues)
    if join is not None and accounts is not None:
        issues += join_issues(table, accounts, join, out.index)
    _check_accounts(table, out)
    column = resolve_columns(table, frame, {CHURNED: CATEGORY}, mapping)[CHURNED]
    out[CHURNED] = _churned(table, out[CHURNED], column, mapping)
    issues += read_date_columns(
        table, out, DATES, mapping, lambda name, bad: _bad_dates(table, name, bad)
    )
    return _Prepared(out, tuple(issues))


def customer_mapping(mapping: DataMapping) -> DataMapping:
    """A billing export names its columns its own way: customer-columns wins over columns."""
    return replace(mapping, columns={**mapping.columns, **mapping.customer_columns})


def join_customers(table: Table, accounts: Table | None, mapping: DataMapping) -> Join | None:
    """The accounts file joined on by account: its columns named by the project's mapping,
    the customers file's by the customer mapping."""
    if accounts is None:
        return None
    return joined(table, accounts, mapping, own=customer_mapping(mapping))


def _check_accounts(table: Table, out: pd.DataFrame) -> None:
    if "account" not in out:
        return
    names = out["account"].astype(TEXT_DTYPE).str.strip()
    repeated = names[names.duplicated() & names.notna()]
    if len(repeated):
        shown = ", ".join(repr(str(v)) for v in repeated.unique()[:SHOW_ROWS])
        raise InputError(
            f"{table.path}: {plural(repeated.nunique(), 'account')} on several rows, e.g. "
            f"{shown}; the customers file needs one row per customer account"
        )


def _churned(table: Table, labels: pd.Series, column: str, mapping: DataMapping) -> pd.Series:
    lookup = mapping.customer_outcome_of()
    folded = labels.astype(TEXT_DTYPE).str.strip().str.lower()
    outcome = folded.map(lookup)
    unknown = labels[outcome.isna()]
    if not len(unknown):
        return (outcome == CHURNED).astype(bool)
    blank = unknown.isna()
    if blank.all():
        rows = ", ".join(str(row_number(table, i)) for i in unknown.index[:SHOW_ROWS])
        raise InputError(
            f"{table.path}: {len(unknown)} customers have no churned/active outcome in column "
            f"{column!r} (rows {rows}{' ...' if len(unknown) > SHOW_ROWS else ''}): fill it "
            "in, or remove the rows"
        )
    counts = unknown.fillna("(empty)").value_counts().head(8)
    listed = ", ".join(f"{clip(str(label))!r} ({count})" for label, count in counts.items())
    raise InputError(
        f"{table.path}: column {column!r} holds labels that are neither churned nor active: "
        f"{listed}. Say what each means in the settings (pyproject.toml or icp.toml):\n"
        + _hint([str(label) for label in counts.index if label != "(empty)"], column)
    )


def _hint(labels: Sequence[str], column: str) -> str:
    """The labels found, each under the outcome its words suggest: TRUE means churned in
    a column that asks "churned?" and active in one that asks "active?"."""
    asks = set(column_key(column).split("_"))
    asks_active = bool({"active", "retained", "current", "live"} & asks)
    groups: dict[str, list[str]] = {CHURNED: [], "active": []}
    for label in labels:
        folded = label.strip().lower()
        words = set(re.findall(r"[a-z]+", folded))
        if folded in _TRUE:
            kind = "active" if asks_active else CHURNED
        elif folded in _FALSE:
            kind = CHURNED if asks_active else "active"
        elif words & {"churn", "churned", "cancel", "cancelled", "ended", "closed", "lapsed"}:
            kind = CHURNED
        else:
            kind = "active"
        groups[kind].append(label)
    lines = [
        f"  {kind} = [{', '.join(json.dumps(t, ensure_ascii=False) for t in found)}]"
        for kind, found in groups.items()
        if found
    ]
    return "\n".join(["  [tool.icp.customer-outcomes]", *lines])


def _bad_dates(table: Table, name: str, bad: pd.Series) -> str:
    rows = ", ".join(
        f"row {row_number(table, i)} {clip(str(v))!r}" for i, v in bad.head(SHOW_ROWS).items()
    )
    more = " ..." if len(bad) > SHOW_ROWS else ""
    return f"{table.path}: {name}: {plural(len(bad), 'value')} not read as dates: {rows}{more}"
