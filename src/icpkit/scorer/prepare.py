"""From a CRM export to the canonical columns the scorer reads, using the project's mapping.

Column names are resolved (mapping, exact name, then "Deal ID" ~ deal_id), coded values
and unknown markers mapped, numbers parsed, outcomes normalised. Problems that make a
result wrong stop with an InputError; problems that only make some cells unknown are
returned as issues for the reporter to show.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from icpkit.bounds import clip
from icpkit.errors import InputError
from icpkit.format.model import Icp
from icpkit.project.mapping import (
    TRIGGERS,
    CodeValue,
    DataMapping,
    band_value,
    code_spellings,
)
from icpkit.scorer.columns import (
    SHOW_ROWS,
    column_key,
    join_issues,
    joined,
    missing_message,
    resolve_columns,
)
from icpkit.scorer.contract import CATEGORY, LIST, NUMERIC, field_kinds, reads_trigger_ids
from icpkit.scorer.dates import read_dates
from icpkit.scorer.explicit import field_markers, kept_markers, spellings
from icpkit.scorer.notation import written
from icpkit.scorer.numbers import parse_numbers
from icpkit.scorer.tables import TEXT_DTYPE, Table, row_number
from icpkit.text import plural

# Cells a yes/no column holds (customers.py reads churned flags with these too).
TRUE_WORDS = frozenset({"true", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "no", "n", "0"})


@dataclass(frozen=True)
class Prepared:
    """Canonical columns (ICP fields, `triggers`, deal columns), same index as the source."""

    frame: pd.DataFrame
    issues: tuple[str, ...] = ()
    absent: frozenset[str] = frozenset()
    # Canonical name -> the file's column it was read from: what a message names.
    columns: Mapping[str, str] = field(default_factory=dict)


def prepare_accounts(
    table: Table, icps: Sequence[Icp], mapping: DataMapping, accounts: Table | None = None
) -> Prepared:
    """Accounts to score; with `accounts`, its attributes joined on by the account column."""
    kinds = field_kinds(icps)
    if reads_trigger_ids(icps):
        kinds[TRIGGERS] = LIST
    kinds.setdefault("account", CATEGORY)
    kept = kept_markers(icps, mapping)
    if accounts is None:
        return prepare_fields(
            table, table.frame, kinds, mapping, required=(), optional=_ACCOUNT_OPTIONAL, kept=kept
        )
    join = joined(table, accounts, mapping)
    prepared = prepare_fields(
        table, join.frame, kinds, mapping, required=(), optional=_ACCOUNT_OPTIONAL, kept=kept
    )
    issues = join_issues(table, accounts, join, prepared.frame.index)
    return replace(prepared, issues=(*prepared.issues, *issues))


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
    # Without ids two identical rows may well be two deals (same account, stage and dates).
    ids = resolve_columns(table, frame, {"deal_id": CATEGORY}, mapping, optional=_ID)
    copies = _copies(frame, ids["deal_id"]) if ids else pd.Series(False, index=frame.index)
    if copies.any():
        # Exact copies are an export artefact; the same id with other values is an error.
        rows = ", ".join(str(row_number(table, i)) for i in frame.index[copies][:SHOW_ROWS])
        issues.append(
            f"{table.path}: {int(copies.sum())} rows are exact copies of an earlier row and "
            f"were left out (rows {rows}{' ...' if copies.sum() > SHOW_ROWS else ''})"
        )
        frame = frame[~copies]
    join = None
    if accounts is not None:
        join = joined(replace(table, frame=frame), accounts, mapping)
        frame = join.frame
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
    prepared = prepare_fields(
        table,
        frame,
        kinds,
        mapping,
        required=("outcome",),
        optional=optional,
        kept=kept_markers(icps, mapping),
    )
    out = prepared.frame
    issues += prepared.issues
    if "deal_id" not in out:
        out.insert(0, "deal_id", _row_ids(table, out.index))
        out.attrs[ROW_NUMBERED] = True
        issues.append(_numbered_note(table, frame))
    out, kept = _check_ids(table, out, mapping.duplicate_deals)
    if kept:
        issues.append(kept)
    out["outcome"] = _outcomes(table, out["outcome"], mapping)
    if join is not None and accounts is not None:
        closed = out["outcome"].isin(["won", "lost"])
        issues += join_issues(table, accounts, join, out.index, closed)
    issues += read_date_columns(
        table,
        out,
        ("closed_on", "created_on"),
        mapping,
        lambda n, b: _bad_values(table, n, "dates", b),
    )
    if "cycle_days" not in out and {"closed_on", "created_on"} <= set(out):
        out["cycle_days"] = (out["closed_on"] - out["created_on"]).dt.days.astype("float64")
    return Prepared(out, tuple(issues), prepared.absent, prepared.columns)


def _repeats(ids: pd.Series, keep: Literal["first", False] = "first") -> np.ndarray:
    """`ids.duplicated(keep)` as an array, compared as integer codes: pandas compares
    Arrow strings several times slower. Most exports repeat no id, which Arrow's unique
    says in a third of the time factorising takes."""
    if ids.dtype == TEXT_DTYPE and len(pc.unique(pa.array(ids.array))) == len(ids):
        return np.zeros(len(ids), dtype=bool)
    codes, _ = pd.factorize(ids, use_na_sentinel=False)
    found: np.ndarray = pd.Series(codes).duplicated(keep=keep).to_numpy(dtype=bool)
    return found


def _copies(frame: pd.DataFrame, id_column: str) -> pd.Series:
    """`frame.duplicated()`, compared only among rows whose id repeats: a copy repeats its
    id, and most exports repeat none, so the other columns need not be compared at all."""
    copies = pd.Series(False, index=frame.index)
    repeated = _repeats(frame[id_column], keep=False)
    if repeated.any():
        copies[repeated] = frame[repeated].duplicated().to_numpy(dtype=bool)
    return copies


# In the attrs of deals without an id column, whose deal_id is therefore the row number.
ROW_NUMBERED = "deal_id_is_row_number"
_ACCOUNT_OPTIONAL = frozenset({"account"})
_ID = frozenset({"deal_id"})
# Without a deal id column each deal is named by its row number (see _row_ids).
_DEAL_OPTIONAL = frozenset(
    {"deal_id", "account", "amount_usd", "cycle_days", "closed_on", "created_on"}
)


def prepare_fields(
    table: Table,
    frame: pd.DataFrame,
    kinds: dict[str, str],
    mapping: DataMapping,
    *,
    required: Sequence[str],
    optional: frozenset[str] = frozenset(),
    kept: Mapping[str, frozenset[str]] | None = None,
) -> Prepared:
    """The `kinds` columns of any table (deals, customers) read as deals' columns are.
    `kept`: per field, the unknown markers its rules name, read as values (see explicit)."""
    kept = kept or {}
    if not len(table.frame):
        # Nothing to score or backtest: a gate failing on zero deals would hide the cause.
        raise InputError(f"{table.path}: the file has a header but no rows")
    found = resolve_columns(table, frame, kinds, mapping, optional=optional)
    missing = [name for name in required if name not in found]
    if missing:
        raise InputError(missing_message(table, frame, missing, mapping))
    out = pd.DataFrame(index=frame.index)
    issues: list[str] = []
    for name, column in found.items():
        unknown = spellings(field_markers(mapping, kept, name))
        raw = frame[column]
        # Factorised once: reading a text column and the thousands check of a numeric one
        # both go by distinct cell.
        text = isinstance(raw.dtype, pd.StringDtype)
        cells = pd.factorize(raw) if text or kinds[name] == NUMERIC else None
        values, bad = _convert(
            raw, kinds[name], mapping.values.get(name), unknown, mapping.decimal, cells
        )
        out[name] = values
        if bad is not None and len(bad):
            hint = _decimal_hint(bad, mapping.decimal)
            issues.append(_bad_values(table, name, "numbers", bad, column) + hint)
        elif cells is not None and kinds[name] == NUMERIC and mapping.values.get(name) is None:
            issues += _thousands_warning(table, column, cells, mapping.decimal)
    absent = frozenset(n for n in kinds if n not in found and n not in optional)
    return Prepared(out, tuple(issues), absent, found)


def _convert(
    raw: pd.Series,
    kind: str,
    codes: Mapping[str, CodeValue] | None,
    unknown: frozenset[str],
    decimal: str = ".",
    cells: tuple[np.ndarray, Any] | None = None,
) -> tuple[pd.Series, pd.Series | None]:
    """The column read as its field's kind, and the cells that are not numbers (for a
    numeric field). A text column is read once per distinct cell and spread back: a CRM
    column holds a few hundred spellings over any number of deals. Only text columns:
    an object column's 1 and True would fall together. `cells`: `raw` factorised."""
    if not isinstance(raw.dtype, pd.StringDtype):
        return _convert_cells(raw, kind, codes, unknown, decimal)
    position, distinct = cells or pd.factorize(raw, use_na_sentinel=True)
    if len(distinct) * 2 > len(raw):  # mostly distinct: nothing to save
        return _convert_cells(raw, kind, codes, unknown, decimal)
    values, bad = _convert_cells(
        pd.Series(distinct, dtype=raw.dtype), kind, codes, unknown, decimal
    )
    spread = _spread(values, position, raw.index)
    if bad is None or not len(bad):
        return spread, bad
    rows = np.isin(position, bad.index.to_numpy())
    return spread, pd.Series(
        bad.reindex(position[rows]).to_numpy(), index=raw.index[rows], dtype=bad.dtype
    )


def _spread(values: pd.Series, position: np.ndarray, index: pd.Index) -> pd.Series:
    """`values` (one per distinct cell) at each row's `position`; -1, a missing cell, takes
    the missing value. Numbers and Arrow text are gathered natively: pandas' generic take
    costs more than the rest of reading a column."""
    if values.dtype == np.float64:
        numbers = np.append(values.to_numpy(dtype=np.float64), np.nan)
        return pd.Series(numbers[position], index=index)
    if values.dtype == TEXT_DTYPE:
        cells = pa.array(values.array)
        gathered = cells.take(pa.array(position, mask=position < 0))
        return pd.Series(pd.array(gathered, dtype=TEXT_DTYPE), index=index)
    padded = pd.concat(
        [values.reset_index(drop=True), pd.Series([None], dtype=values.dtype)],
        ignore_index=True,
    )
    out = padded.take(position)
    out.index = index
    return out


def _convert_cells(
    raw: pd.Series,
    kind: str,
    codes: Mapping[str, CodeValue] | None,
    unknown: frozenset[str],
    decimal: str,
) -> tuple[pd.Series, pd.Series | None]:
    text = raw.astype(TEXT_DTYPE).str.strip()
    if codes:
        folded = text.str.lower()
        mark = decimal if kind == NUMERIC else "."
        spelled = code_spellings(codes, mark)
        mapped = folded.map({k: written(band_value(v), mark) for k, v in spelled.items()})
        hit = mapped.notna()
        text = text.astype("object").where(~hit, mapped).astype(TEXT_DTYPE)
    text = text.where(~text.isin(unknown).to_numpy(dtype=bool, na_value=False))
    if kind != NUMERIC:
        return text, None
    numbers = parse_numbers(text, decimal)
    bad = text[numbers.isna() & text.notna()]
    return numbers, bad


def _thousands_warning(
    table: Table, column: str, cells: tuple[np.ndarray, Any], decimal: str
) -> list[str]:
    """`1.500` reads as 1.5 with a decimal point and as 1500 in a European export: when a
    column's every cell with that mark has exactly three digits after it, the file may
    well group thousands with it, so say so rather than read a wrong number in silence.
    `cells`: the column factorised, each distinct cell once in the file's order."""
    mark = re.escape(decimal)
    position, distinct = cells
    counts = np.bincount(position[position >= 0], minlength=len(distinct))
    text = pd.Series(distinct, dtype=object).astype(TEXT_DTYPE).str.strip()
    hit = text.str.contains(mark, regex=True).fillna(False).to_numpy(dtype=bool)
    marked = text[hit]
    grouped = marked.str.fullmatch(rf"[-+]?\d{{1,3}}({mark}\d{{3}})+")
    if not len(marked) or not bool(grouped.all()):
        return []
    other = "," if decimal == "." else "."
    example = str(marked.iloc[0])
    return [
        f"{table.path}: column {column!r}: every number with a {decimal!r} has three digits "
        f"after it ({int(counts[hit].sum())} cells, like {example!r}), read as "
        f"{parse_numbers(pd.Series([example], dtype=TEXT_DTYPE), decimal).iloc[0]:g}; if the "
        f'file groups thousands with {decimal!r}, set decimal = "{other}" under [tool.icp]'
    ]


def _decimal_hint(bad: pd.Series, decimal: str) -> str:
    """When every unreadable cell reads under the other decimal mark ("1.200,50"), the
    column is probably written that way, and its "1.200" cells were misread too."""
    other = "," if decimal == "." else "."
    if not parse_numbers(bad, other).notna().all():
        return ""
    example = "1.200,50" if other == "," else "1,200.50"
    return (
        f'; they read as numbers written like "{example}": if the file writes numbers that '
        f'way, set decimal = "{other}" under [tool.icp] (its other cells were read with '
        f'"{decimal}" as the decimal mark)'
    )


def read_date_columns(
    table: Table,
    frame: pd.DataFrame,
    names: Sequence[str],
    mapping: DataMapping,
    unread: Callable[[str, pd.Series], str],
) -> list[str]:
    """Read `frame`'s date columns among `names` in place, as dates under the mapping's day
    order; what the reader noticed, with `unread(name, cells)` for cells that are not dates."""
    issues = []
    for name in names:
        if name in frame:
            read = read_dates(frame[name], mapping.date_order)
            frame[name] = read.dates
            if read.note:
                issues.append(f"{table.path}: {name}: {read.note}")
            if len(read.bad):
                issues.append(unread(name, read.bad))
    return issues


def _bad_values(
    table: Table, name: str, what: str, bad: pd.Series, column: str | None = None
) -> str:
    rows = ", ".join(
        f"row {row_number(table, i)} {clip(v)!r}" for i, v in bad.head(SHOW_ROWS).items()
    )
    source = f" (column {column!r})" if column and column != name else ""
    more = " ..." if len(bad) > SHOW_ROWS else ""
    return (
        f"{table.path}: {name}{source}: {plural(len(bad), 'value')} "
        f"not read as {what}, scored as unknown: {rows}{more}"
    )


def _row_ids(table: Table, index: pd.Index) -> pd.Series:
    # The row number an editor shows: what a reader needs to find the deal in the file.
    return pd.Series([str(row_number(table, i)) for i in index], index=index, dtype=TEXT_DTYPE)


def _numbered_note(table: Table, frame: pd.DataFrame) -> str:
    ids = [
        str(c)
        for c in frame.columns
        if "id" in column_key(str(c)).split("_") and frame[c].notna().all() and frame[c].is_unique
    ]
    hint = f'; if {ids[0]!r} is one, map it: deal_id = "{ids[0]}"' if ids else ""
    same = int(frame.duplicated().sum())
    kept = f" ({same:,} rows repeat an earlier row and count as deals of their own)" if same else ""
    return f"{table.path}: no deal id column, so each deal is named by its row number{kept}{hint}"


def _check_ids(table: Table, out: pd.DataFrame, duplicates: str) -> tuple[pd.DataFrame, str]:
    ids = out["deal_id"]
    if ids.isna().any():
        rows = [row_number(table, i) for i in ids[ids.isna()].index[:SHOW_ROWS]]
        count = int(ids.isna().sum())
        raise InputError(f"{table.path}: {count:,} deals have no deal_id (rows {rows})")
    repeated = _repeats(ids)
    if not repeated.any():
        return out, ""
    first = list(dict.fromkeys(ids[repeated].tolist()))[:SHOW_ROWS]
    shown = ", ".join(repr(str(v)) for v in first)
    count = ids[repeated].nunique()
    if duplicates == "first":
        note = (
            f"{table.path}: {count:,} deal ids are on several rows; kept the first row of each "
            f'(duplicate-deals = "first"), e.g. {shown}'
        )
        return out[~repeated], note
    raise InputError(
        f"{table.path}: {count:,} deal ids appear more than once, e.g. {shown}; each closed deal "
        'must be one row (or set duplicate-deals = "first" under [tool.icp])'
    )


def _outcomes(table: Table, labels: pd.Series, mapping: DataMapping) -> pd.Series:
    lookup = mapping.outcome_of()
    folded = labels.astype(TEXT_DTYPE).str.strip().str.lower()
    outcome = folded.map(lookup)
    unknown = labels[outcome.isna()]
    blank = unknown.isna() | (unknown.astype(TEXT_DTYPE).str.strip() == "")
    if len(unknown) and blank.all():
        rows = ", ".join(str(row_number(table, i)) for i in unknown.index[:SHOW_ROWS])
        raise InputError(
            f"{table.path}: {len(unknown)} rows have no outcome (rows {rows}"
            f"{' ...' if len(unknown) > SHOW_ROWS else ''}): fill in won, lost or open, or "
            "remove the rows"
        )
    if len(unknown):
        counts = unknown.fillna("(empty)").value_counts().head(8)
        listed = ", ".join(f"{clip(label)!r} ({count})" for label, count in counts.items())
        hint = _outcomes_hint(list(counts.index))
        if hint:
            advice = f"Say what each means in the settings (pyproject.toml or icp.toml):\n{hint}"
        else:
            advice = "Labels that long are not outcomes: is this the outcome column, or the file?"
        raise InputError(f"{table.path}: unknown outcome labels: {listed}. {advice}")
    return outcome.astype(TEXT_DTYPE)


def _outcomes_hint(labels: Sequence[object]) -> str:
    """The labels found, each under the outcome its words suggest (open when they say
    neither won nor lost): a starting point the user corrects, not a guess applied."""
    groups: dict[str, list[str]] = {"won": [], "lost": [], "open": []}
    flags: list[str] = []
    for label in labels:
        text = str(label)
        if text == "(empty)" or clip(text) != text:
            continue  # a label that long is not one: more likely a line of another file
        kind = _outcome_words(text)
        groups[kind].append(text)
        if text.strip().lower() in TRUE_WORDS | FALSE_WORDS:
            flags.append(text)
    lines = [
        f"  {kind} = [{', '.join(json.dumps(t, ensure_ascii=False) for t in found)}]"
        for kind, found in groups.items()
        if found
    ]
    if flags:
        # A flag column (TRUE/FALSE, 1/0) is most often "is won"; one named for the loss
        # reads the other way round, which only the user knows.
        yes = "/".join(f for f in flags if f.strip().lower() in TRUE_WORDS) or "none"
        no = "/".join(f for f in flags if f.strip().lower() in FALSE_WORDS) or "none"
        lines.append(f"  # {yes} read as won, {no} as lost: swap them if the column flags a loss")
    return "\n".join(["  [tool.icp.outcomes]", *lines]) if lines else ""


def _outcome_words(label: str) -> str:
    """The outcome a label's words say; a yes/no flag is read as "won?"; open otherwise."""
    folded = label.strip().lower()
    if folded in TRUE_WORDS:
        return "won"
    if folded in FALSE_WORDS:
        return "lost"
    words = set(re.findall(r"[a-z]+", folded))
    return "won" if words & {"won", "win"} else "lost" if words & {"lost", "loss"} else "open"
