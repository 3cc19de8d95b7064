"""Which column of a file holds each field, and the accounts file joined onto a file by
its account column: what both engines settle before they score (the pandas engine in
`prepare`, the SQL engine in `sql.engine`), so they resolve and join alike.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd

from icpkit.bounds import clip
from icpkit.errors import InputError
from icpkit.project.mapping import TRIGGERS, DataMapping
from icpkit.scorer.casing import fold
from icpkit.scorer.contract import CATEGORY
from icpkit.scorer.tables import TEXT_DTYPE, Table, row_number
from icpkit.text import plural

SHOW_ROWS = 5


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
                    f"which is not a column of the file{_closest(name, mapped, frame, mapping)}"
                    + "".join(f"\nNote: {note}" for note in table.notes)
                )
            found[name] = mapped
        elif name in frame.columns or column_key(name) in by_key:
            found[name] = name if name in frame.columns else by_key[column_key(name)]
        elif name not in optional and name not in mapping.absent_fields:
            missing.append(name)
    if missing:
        raise InputError(missing_message(table, frame, missing, mapping))
    return found


def column_key(name: str) -> str:
    """ "Deal ID" -> deal_id: how a CRM column name is matched to a field name."""
    return re.sub(r"[^0-9a-z]+", "_", name.casefold()).strip("_")


def _closest(name: str, wanted: str, frame: pd.DataFrame, mapping: DataMapping) -> str:
    near = _suggest_column(name, wanted, frame, mapping)
    return f"; did you mean {near!r}?" if near else ""


# Words in the name of a column that identifies its rows: `Opportunity Number`, `Deal No`.
_ID_WORDS = frozenset({"id", "number", "no", "nr", "num", "key"})


def _suggest_column(
    name: str, wanted: str, frame: pd.DataFrame, mapping: DataMapping
) -> str | None:
    """The column of `frame` most likely meant for field `name`, where `wanted` (the mapped
    column, or the field's own name) is not one; None when none is likely.

    Spelling alone misleads: `Opportunity ID` is closest to `Opportunity Result`, the
    outcome column. So a column that holds another field is never offered, and an id field
    is offered only columns that look like ids (an id word in the name, values nearly all
    distinct), the closest in spelling first.
    """
    if name == "outcome":
        held = _outcome_column(frame, mapping)
        if held is not None:
            return held[0]
    taken = _taken(name, frame, mapping)
    columns = [str(c) for c in frame.columns if str(c) not in taken]
    if "id" not in column_key(name).split("_"):
        near = difflib.get_close_matches(wanted, columns, n=1, cutoff=0.6)
        return near[0] if near else None
    ids = [c for c in columns if _ID_WORDS & set(column_key(c).split("_")) and _distinct(frame[c])]
    key = column_key(wanted)
    ranked = sorted(ids, key=lambda c: -difflib.SequenceMatcher(None, key, column_key(c)).ratio())
    return ranked[0] if ranked else None


def _taken(name: str, frame: pd.DataFrame, mapping: DataMapping) -> set[str]:
    """The columns that hold a field other than `name`: mapped to it, or (for the outcome,
    when no column is mapped or named so) holding won and lost labels."""
    present = {str(c) for c in frame.columns}
    taken = {c for field, c in mapping.columns.items() if field != name and c in present}
    if name != "outcome" and mapping.columns.get("outcome") not in present:
        named = [c for c in present if column_key(c) == "outcome"]
        held = _outcome_column(frame, mapping)
        taken |= set(named) or ({held[0]} if held else set())
    return taken


def _distinct(values: pd.Series) -> bool:
    """Nearly every filled cell distinct: an id, even where an export repeats a few rows."""
    filled = values.astype(TEXT_DTYPE).str.strip()
    filled = filled[filled.notna() & (filled != "")]
    return len(filled) > 0 and filled.nunique() >= 0.9 * len(filled)


def missing_message(
    table: Table, frame: pd.DataFrame, missing: Sequence[str], mapping: DataMapping
) -> str:
    columns = [str(c) for c in frame.columns]
    lines = [f"{table.path}: no column for {', '.join(missing)}."]
    lines.append("Map them to your file's columns in pyproject.toml, for example:")
    lines.append("  [tool.icp.columns]")
    for name in missing:
        held = _outcome_column(frame, mapping) if name == "outcome" else None
        if held is not None:
            lines.append(f'  {name} = "{held[0]}"   # holds {held[1]}')
            continue
        near = _suggest_column(name, name, frame, mapping)
        lines.append(f'  {name} = "{near or "<column name>"}"')
    shown = ", ".join(repr(clip(c)) for c in columns[:30]) + (" ..." if len(columns) > 30 else "")
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
    # What the reader noticed may be why (a workbook's first sheet read, an encoding
    # guessed): said here, since the warnings of a run that stops are never printed.
    lines += [f"Note: {note}" for note in table.notes]
    return "\n".join(lines)


def _outcome_column(frame: pd.DataFrame, mapping: DataMapping) -> tuple[str, str] | None:
    """The column whose cells read as both won and lost labels, with its commonest values.

    A column's name says little (`Source` is close to "outcome"; `Status` holds Won/Lost).
    """
    lookup = mapping.outcome_of()
    best: tuple[int, str, str] | None = None
    for column in frame.columns:
        counts = frame[column].astype(TEXT_DTYPE).str.strip().value_counts()
        outcomes = counts.index.str.lower().map(lookup)
        if not {"won", "lost"} <= set(outcomes.dropna()):
            continue
        known = int(counts[outcomes.notna()].sum())
        if best is None or known > best[0]:
            shown = ", ".join(str(v) for v in counts.index[:6])
            best = (known, str(column), shown + (" ..." if len(counts) > 6 else ""))
    return (best[1], best[2]) if best else None


@dataclass(frozen=True)
class Join:
    frame: pd.DataFrame
    keys: pd.Series  # each deal's account name, stripped
    unmatched: pd.Series  # the deal names an account the accounts file does not hold
    names: pd.Series  # the accounts file's account names, stripped
    # Columns both files hold, as (the deals file's name, the accounts file's): the deals'
    # are kept, the accounts file's left out (see `_shared_columns`).
    shared: tuple[tuple[str, str], ...] = ()


def joined(
    deals: Table, accounts: Table, mapping: DataMapping, *, own: DataMapping | None = None
) -> Join:
    """`own`: how the left file's columns are named, when not as the accounts file's are
    (a billing export's customer-columns)."""
    key = {"account": CATEGORY}
    left = _join_column(deals, accounts, own or mapping)
    right = resolve_columns(accounts, accounts.frame, key, mapping)["account"]
    names = accounts.frame[right].astype(TEXT_DTYPE).str.strip()
    repeated = names[names.duplicated() & names.notna()]
    if len(repeated):
        shown = ", ".join(repr(str(v)) for v in repeated.unique()[:SHOW_ROWS])
        raise InputError(
            f"{accounts.path}: {plural(repeated.nunique(), 'account')} on several rows (column "
            f"{right!r}), e.g. {shown}; the accounts file needs one row per account"
        )
    extra = accounts.frame.drop(columns=[right])
    shared = _shared_columns(list(deals.frame.columns), list(extra.columns))
    _check_mapped(deals, accounts, shared, own or mapping)
    extra = extra.drop(columns=[theirs for _, theirs in shared])
    extra.index = pd.Index(names)
    keys = deals.frame[left].astype(TEXT_DTYPE).str.strip()
    keys = keys.where(keys != "")
    unmatched = keys.notna() & ~keys.isin(names.dropna()).to_numpy(dtype=bool)
    if keys.notna().any() and unmatched[keys.notna()].all():
        raise InputError(
            f"{deals.path}: none of the {plural(keys.nunique(), 'account')} in its column "
            f"{left!r} is in {accounts.path} (column {right!r}): {_examples(keys)} against "
            f"{_examples(names)} there{_case_hint(keys, names)}"
        )
    matched = extra.reindex(keys.to_numpy()).set_axis(deals.frame.index)
    return Join(pd.concat([deals.frame, matched], axis=1), keys, unmatched, names, shared)


def _shared_columns(own: list[str], theirs: list[str]) -> tuple[tuple[str, str], ...]:
    """The accounts file's columns that name one of the deals file's, as a field finds its
    column (`column_key`: `Sector` is `sector`), each with the deals file's name for it.

    The deals file's is the one read: a deal's row records the account as it was at the
    deal, the accounts file as it is now. One rule whatever the case of the headers (an
    exact-name test kept both `Sector` and `sector`, and the field read whichever it met).
    """
    mine: dict[str, str] = {}
    for name in own:
        mine.setdefault(_same_column(name), str(name))
    return tuple((mine[_same_column(c)], str(c)) for c in theirs if _same_column(c) in mine)


def _check_mapped(
    deals: Table, accounts: Table, shared: tuple[tuple[str, str], ...], mapping: DataMapping
) -> None:
    """A mapping naming the accounts file's spelling of a column the deals file has too,
    spelled otherwise: that column is left out, so the mapped name would be missing."""
    for name, column in mapping.columns.items():
        mine = next((m for m, theirs in shared if theirs == column and m != column), None)
        if mine is not None:
            raise InputError(
                f"[tool.icp.columns] maps {name} to {clip(column)!r}, a column of "
                f"{accounts.path} that {deals.path} has too, as {clip(mine)!r}: where both files "
                f"have a column, {deals.path}'s is read, so map {name} to {clip(mine)!r}"
            )


def _same_column(name: object) -> str:
    # A header of punctuation only has no key; it is the same column only letter for letter.
    return column_key(str(name)) or str(name)


def _case_hint(lost: pd.Series, names: pd.Series, rows: str = "") -> str:
    """The accounts in `lost` the accounts file holds in another case, with examples: the
    join keeps case (as an override matches an account, letter for letter), so `CANCITY`
    finds no `Cancity`. `rows` names the rows of `lost` (`deals`, `rows`) to count them."""
    spelled: dict[str, str] = {}
    for name in names.dropna().unique():
        spelled.setdefault(fold(str(name)), str(name))
    mine = [str(v) for v in lost.dropna().unique()]
    near = {name: spelled[fold(name)] for name in mine if fold(name) in spelled}
    if not near:
        return ""
    counted = f" ({int(lost.isin(list(near)).sum())} {rows})" if rows else ""
    shown = ", ".join(f"{clip(a)!r} for {clip(b)!r}" for a, b in list(near.items())[:3])
    return (
        f"; {len(near)} of these accounts{counted} {'is' if len(near) == 1 else 'are'} there "
        f"in another case, e.g. {shown}: "
        "accounts are joined letter for letter (spaces trimmed, case kept), so spell them "
        "alike in both files"
    )


def join_accounts(
    table: Table, accounts: Table, mapping: DataMapping
) -> tuple[Table, tuple[str, ...]]:
    """The rows of `table` with the accounts file's columns beside them, as read (not
    mapped), and what the join noticed: for an engine that maps cells itself."""
    join = joined(table, accounts, mapping)
    issues = join_issues(table, accounts, join, join.frame.index)
    return replace(table, frame=join.frame), tuple(issues)


def _join_column(deals: Table, accounts: Table, mapping: DataMapping) -> str:
    try:
        return resolve_columns(deals, deals.frame, {"account": CATEGORY}, mapping)["account"]
    except InputError as exc:
        raise InputError(
            f"{exc}\nThe account column joins {accounts.path} onto the deals."
        ) from None


def _examples(values: pd.Series) -> str:
    return ", ".join(repr(clip(v)) for v in values.dropna().unique()[:3])


def join_issues(
    table: Table, accounts: Table, join: Join, index: pd.Index, closed: pd.Series | None = None
) -> list[str]:
    """Rows the join gave no account attributes (of deals: closed ones): counted, kept, and
    scored with those fields unknown. Open deals without an account need none."""
    keys = join.keys.loc[index]
    unmatched = join.unmatched.loc[index].to_numpy(dtype=bool)
    shut = closed.to_numpy(dtype=bool) if closed is not None else None
    issues = []
    lost = keys[unmatched]
    unit = "deals" if shut is not None else "rows"
    if join.shared:
        issues.append(_shared_issue(table, accounts, join.shared))
    if len(lost):
        some = f" ({int((unmatched & shut).sum())} closed)" if shut is not None else ""
        issues.append(
            f"{table.path}: {len(lost)} {unit}{some} name "
            f"{plural(lost.nunique(), 'account')} not in {accounts.path}, e.g. {_examples(lost)}; "
            f"their account fields are scored as unknown{_case_hint(lost, join.names, unit)}"
        )
    blank = keys.isna().to_numpy(dtype=bool)
    blank = blank & shut if shut is not None else blank
    if blank.any():
        rows = ", ".join(str(row_number(table, i)) for i in keys.index[blank][:SHOW_ROWS])
        issues.append(
            f"{table.path}: {int(blank.sum())} {'closed deals' if shut is not None else 'rows'} "
            f"have no account, so nothing from {accounts.path}; their account fields are "
            f"scored as unknown (rows {rows}{' ...' if blank.sum() > SHOW_ROWS else ''})"
        )
    return issues


def _shared_issue(table: Table, accounts: Table, shared: tuple[tuple[str, str], ...]) -> str:
    shown = ", ".join(
        repr(clip(mine)) + ("" if mine == theirs else f" ({clip(theirs)!r} in {accounts.path})")
        for mine, theirs in shared
    )
    columns = "columns" if len(shared) > 1 else "column"
    return (
        f"{table.path} and {accounts.path} both have the {columns} {shown}: "
        f"the values in {table.path} are used, as its rows record each account at "
        f"the time, and those in {accounts.path} left out"
    )
