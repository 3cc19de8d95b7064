"""From a CRM export to the canonical columns the scorer reads, using the project's mapping.

Column names are resolved (mapping, exact name, then "Deal ID" ~ deal_id), coded values
and unknown markers mapped, numbers parsed, outcomes normalised. Problems that make a
result wrong stop with an InputError; problems that only make some cells unknown are
returned as issues for the reporter to show.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from icpkit.errors import InputError
from icpkit.mapping import TRIGGERS, CodeValue, DataMapping, band_value
from icpkit.model import Form, Icp
from icpkit.scorer.numbers import parse_numbers
from icpkit.scorer.tables import TEXT_DTYPE, Table, table_format

NUMERIC, CATEGORY, LIST = "numeric", "category", "list"
SHOW_ROWS = 5


@dataclass(frozen=True)
class Prepared:
    """Canonical columns (ICP fields, `triggers`, deal columns), same index as the source."""

    frame: pd.DataFrame
    issues: tuple[str, ...] = ()
    absent: frozenset[str] = frozenset()


def field_kinds(icps: Iterable[Icp]) -> dict[str, str]:
    """Every field the ICPs read, and how to read it. A range anywhere makes it numeric."""
    kinds: dict[str, str] = {}
    for icp in icps:
        uses = [(a.field, a.match.form) for a in icp.attributes]
        uses += [(c.field, c.match.form) for anti in icp.anti_icp for c in anti.when]
        uses += [(c.field, c.match.form) for trigger in icp.triggers for c in trigger.when]
        for name, form in uses:
            kind = NUMERIC if form is Form.RANGE else CATEGORY if form is Form.IN else LIST
            if kinds.get(name) != NUMERIC:
                kinds[name] = kind
    return kinds


def reads_trigger_ids(icps: Iterable[Icp]) -> bool:
    """Whether a trigger is read from the `triggers` column (one without `when`)."""
    return any(icp.column_triggers for icp in icps)


def prepare_accounts(table: Table, icps: Sequence[Icp], mapping: DataMapping) -> Prepared:
    kinds = field_kinds(icps)
    if reads_trigger_ids(icps):
        kinds[TRIGGERS] = LIST
    kinds.setdefault("account", CATEGORY)
    return _prepare(table, table.frame, kinds, mapping, required=(), optional=_ACCOUNT_OPTIONAL)


def prepare_deals(
    table: Table,
    icps: Sequence[Icp],
    mapping: DataMapping,
    accounts: Table | None = None,
    *,
    fields: Mapping[str, str] | None = None,
) -> Prepared:
    """Deals with their outcome; account attributes joined from `accounts` when given.

    `fields` adds columns to read beyond the ICPs' own (name -> numeric/category/list).
    """
    frame = table.frame
    issues: list[str] = []
    copies = frame.duplicated()
    if copies.any():
        # Exact copies are an export artefact; the same id with other values is an error.
        rows = ", ".join(str(_row(table, i)) for i in frame.index[copies][:SHOW_ROWS])
        issues.append(
            f"{table.path}: {int(copies.sum())} rows are exact copies of an earlier row and "
            f"were left out (rows {rows}{' ...' if copies.sum() > SHOW_ROWS else ''})"
        )
        frame = frame[~copies]
    if accounts is not None:
        frame = _join_accounts(replace(table, frame=frame), accounts, mapping)
    kinds = {**(fields or {}), **field_kinds(icps)}
    kinds[TRIGGERS] = LIST
    kinds.update(
        deal_id=CATEGORY,
        account=CATEGORY,
        outcome=CATEGORY,
        amount_usd=NUMERIC,
        cycle_days=NUMERIC,
        closed_on=CATEGORY,
        created_on=CATEGORY,
    )
    # Read when present (icp suggest learns from it), needed only for triggers without `when`.
    optional = _DEAL_OPTIONAL if reads_trigger_ids(icps) else _DEAL_OPTIONAL | {TRIGGERS}
    prepared = _prepare(
        table, frame, kinds, mapping, required=("deal_id", "outcome"), optional=optional
    )
    out = prepared.frame
    issues += prepared.issues
    out, kept = _check_ids(table, out, mapping.duplicate_deals)
    if kept:
        issues.append(kept)
    out["outcome"] = _outcomes(table, out["outcome"], mapping)
    for name in ("closed_on", "created_on"):
        if name in out:
            out[name], bad = _dates(out[name])
            if len(bad):
                issues.append(_bad_values(table, name, "dates", bad))
    if "cycle_days" not in out and {"closed_on", "created_on"} <= set(out):
        out["cycle_days"] = (out["closed_on"] - out["created_on"]).dt.days.astype("float64")
    return Prepared(out, tuple(issues), prepared.absent)


_ACCOUNT_OPTIONAL = frozenset({"account"})
_DEAL_OPTIONAL = frozenset({"account", "amount_usd", "cycle_days", "closed_on", "created_on"})


def _prepare(
    table: Table,
    frame: pd.DataFrame,
    kinds: dict[str, str],
    mapping: DataMapping,
    *,
    required: Sequence[str],
    optional: frozenset[str] = frozenset(),
) -> Prepared:
    found = resolve_columns(table, frame, kinds, mapping, optional=optional)
    missing = [name for name in required if name not in found]
    if missing:
        raise InputError(_missing_message(table, frame, missing))
    out = pd.DataFrame(index=frame.index)
    issues: list[str] = []
    # Matching the usual spellings avoids lower-casing every cell of every column.
    unknown = frozenset(mapping.unknown_values)
    unknown |= {u.upper() for u in unknown} | {u.title() for u in unknown}
    for name, column in found.items():
        values, bad = _convert(frame[column], kinds[name], mapping.values.get(name), unknown)
        out[name] = values
        if bad is not None and len(bad):
            issues.append(_bad_values(table, name, "numbers", bad, column))
    absent = frozenset(n for n in kinds if n not in found and n not in optional)
    return Prepared(out, tuple(issues), absent)


def resolve_columns(
    table: Table,
    frame: pd.DataFrame,
    kinds: dict[str, str],
    mapping: DataMapping,
    *,
    optional: frozenset[str] = frozenset(),
) -> dict[str, str]:
    """Canonical name -> source column. Raises when a needed column cannot be found."""
    columns = list(frame.columns)
    by_key = {column_key(c): c for c in reversed(columns)}
    found: dict[str, str] = {}
    missing: list[str] = []
    for name in kinds:
        mapped = mapping.columns.get(name)
        if mapped is not None:
            if mapped not in frame.columns:
                raise InputError(
                    f"{table.path}: [tool.icp.columns] maps {name} to {mapped!r}, "
                    f"which is not a column of the file{_closest(mapped, columns)}"
                )
            found[name] = mapped
        elif name in frame.columns or column_key(name) in by_key:
            found[name] = name if name in frame.columns else by_key[column_key(name)]
        elif name not in optional and name not in mapping.absent_fields:
            missing.append(name)
    if missing:
        raise InputError(_missing_message(table, frame, missing))
    return found


def column_key(name: str) -> str:
    """ "Deal ID" -> deal_id: how a CRM column name is matched to a field name."""
    return re.sub(r"[^0-9a-z]+", "_", name.casefold()).strip("_")


def _closest(name: str, columns: Sequence[str]) -> str:
    near = difflib.get_close_matches(name, columns, n=1, cutoff=0.6)
    return f"; did you mean {near[0]!r}?" if near else ""


def _missing_message(table: Table, frame: pd.DataFrame, missing: Sequence[str]) -> str:
    columns = [str(c) for c in frame.columns]
    lines = [f"{table.path}: no column for {', '.join(missing)}."]
    lines.append("Map them to your file's columns in pyproject.toml, for example:")
    lines.append("  [tool.icp.columns]")
    for name in missing:
        near = difflib.get_close_matches(name, columns, n=1, cutoff=0.6)
        lines.append(f'  {name} = "{near[0] if near else "<column name>"}"')
    shown = ", ".join(repr(c) for c in columns[:30]) + (" ..." if len(columns) > 30 else "")
    lines.append(f"Columns in the file: {shown}")
    if len(columns) == 1:
        lines.append(
            "The file has a single column: is it CSV with an unusual delimiter, or not CSV?"
        )
    fields = [n for n in missing if n not in ("deal_id", "outcome")]
    if fields:
        lines.append(
            f"If your data has no such column, list it in absent-fields to score it as "
            f"unknown: absent-fields = {fields!r}"
        )
    if TRIGGERS in missing:
        lines.append(
            "A trigger can also be read from the file's own columns: give it a `when`, such "
            'as when: {opportunity_type: {in: ["New Business"]}}, and it needs no triggers column'
        )
    return "\n".join(lines)


def _convert(
    raw: pd.Series,
    kind: str,
    codes: Mapping[str, CodeValue] | None,
    unknown: frozenset[str],
) -> tuple[pd.Series, pd.Series | None]:
    text = raw.astype(TEXT_DTYPE).str.strip()
    if codes:
        folded = text.str.lower()
        mapped = folded.map({k: band_value(v) for k, v in codes.items()})
        hit = mapped.notna()
        text = text.astype("object").where(~hit, mapped).astype(TEXT_DTYPE)
    text = text.where(~text.isin(unknown).to_numpy(dtype=bool, na_value=False))
    if kind != NUMERIC:
        return text, None
    numbers = parse_numbers(text)
    bad = text[numbers.isna() & text.notna()]
    return numbers, bad


def _bad_values(
    table: Table, name: str, what: str, bad: pd.Series, column: str | None = None
) -> str:
    rows = ", ".join(f"row {_row(table, i)} {str(v)!r}" for i, v in bad.head(SHOW_ROWS).items())
    source = f" (column {column!r})" if column and column != name else ""
    more = " ..." if len(bad) > SHOW_ROWS else ""
    return (
        f"{table.path}: {name}{source}: {len(bad)} value{'s' if len(bad) != 1 else ''} "
        f"not read as {what}, scored as unknown: {rows}{more}"
    )


def _row(table: Table, index: object) -> int:
    # CSV row numbers as a spreadsheet or editor shows them: the header is row 1.
    position = int(index) if isinstance(index, int) else 0
    return position + (2 if table_format(table.path) == "csv" else 1)


def _check_ids(table: Table, out: pd.DataFrame, duplicates: str) -> tuple[pd.DataFrame, str]:
    ids = out["deal_id"]
    if ids.isna().any():
        rows = [_row(table, i) for i in ids[ids.isna()].index[:SHOW_ROWS]]
        count = int(ids.isna().sum())
        raise InputError(f"{table.path}: {count} deals have no deal_id (rows {rows})")
    repeated = ids.duplicated()
    if not repeated.any():
        return out, ""
    first = list(dict.fromkeys(ids[repeated].tolist()))[:SHOW_ROWS]
    shown = ", ".join(repr(str(v)) for v in first)
    count = ids[repeated].nunique()
    if duplicates == "first":
        note = (
            f"{table.path}: {count} deal ids are on several rows; kept the first row of each "
            f'(duplicate-deals = "first"), e.g. {shown}'
        )
        return out[~repeated], note
    raise InputError(
        f"{table.path}: {count} deal ids appear more than once, e.g. {shown}; each closed deal "
        'must be one row (or set duplicate-deals = "first" under [tool.icp])'
    )


def _outcomes(table: Table, labels: pd.Series, mapping: DataMapping) -> pd.Series:
    lookup = mapping.outcome_of()
    folded = labels.astype(TEXT_DTYPE).str.strip().str.lower()
    outcome = folded.map(lookup)
    unknown = labels[outcome.isna()]
    if len(unknown):
        counts = unknown.fillna("(empty)").value_counts().head(8)
        listed = ", ".join(f"{label!r} ({count})" for label, count in counts.items())
        raise InputError(
            f"{table.path}: unknown outcome labels: {listed}. Name them in pyproject.toml:\n"
            f"  [tool.icp.outcomes]\n"
            f'  won = ["Closed Won"]\n  lost = ["Closed Lost"]\n  open = ["Negotiation"]'
        )
    return outcome.astype(TEXT_DTYPE)


def _dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    parsed = pd.to_datetime(values, errors="coerce", format="mixed")
    return parsed, values[parsed.isna() & values.notna()]


def _join_accounts(deals: Table, accounts: Table, mapping: DataMapping) -> pd.DataFrame:
    key = {"account": CATEGORY}
    left = resolve_columns(deals, deals.frame, key, mapping)["account"]
    right = resolve_columns(accounts, accounts.frame, key, mapping)["account"]
    names = accounts.frame[right].astype(TEXT_DTYPE).str.strip()
    repeated = names[names.duplicated() & names.notna()]
    if len(repeated):
        raise InputError(
            f"{accounts.path}: {repeated.nunique()} accounts appear more than once, e.g. "
            f"{repeated.iloc[0]!r}; the accounts file needs one row per account"
        )
    extra = accounts.frame.drop(columns=[right])
    extra = extra[[c for c in extra.columns if c not in deals.frame.columns]]
    extra.index = pd.Index(names)
    keys = deals.frame[left].astype(TEXT_DTYPE).str.strip()
    matched = extra.reindex(keys.to_numpy()).set_axis(deals.frame.index)
    return pd.concat([deals.frame, matched], axis=1)
