"""Why an account scored what it did, line by line: sales ignores a number it cannot question."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pandas as pd

from icpkit.errors import InputError
from icpkit.format.model import Icp, Trigger
from icpkit.project.mapping import TRIGGERS, DataMapping
from icpkit.scorer.columns import column_key
from icpkit.scorer.contract import points_column, trigger_column
from icpkit.scorer.score import condition_holds, score_parts
from icpkit.scorer.tables import TEXT_DTYPE
from icpkit.text import count, number, percent

if TYPE_CHECKING:
    # Only a type here: the backtest explains its surprises, and scorer.run backtests.
    from icpkit.scorer.run import ScoreRun

SHOW_MATCHES = 5
ROW = re.compile(r"row\s*\d+", flags=re.IGNORECASE)


@dataclass(frozen=True)
class Line:
    kind: str  # attribute, trigger (an id in the `triggers` column), trigger-when
    name: str
    value: str
    rule: str
    result: str  # fit, partial, out of fit, unknown, present, absent
    points: float
    weight: float


@dataclass(frozen=True)
class ConditionLine:
    field: str
    value: str
    rule: str
    result: str  # holds, does not hold, unknown


@dataclass(frozen=True)
class AntiLine:
    """One anti-ICP: whether it disqualified this account, and each condition's cell."""

    id: str
    reason: str
    result: str  # fired, did not fire, held (an earlier one fired), not scored (signal only)
    conditions: tuple[ConditionLine, ...]
    signal: str | None = None


@dataclass(frozen=True)
class Explanation:
    account: str  # the account's name, "" where the row has none
    icp_id: str
    icp_version: str
    icp_commit: str
    score: float
    band: str
    status: str
    disqualifier: str
    disqualifier_reason: str
    unknown_share: float
    lines: tuple[Line, ...]
    others: tuple[tuple[str, float, str], ...]
    anti_icp: tuple[AntiLine, ...] = ()
    deal_id: str = ""  # the row's deal id, where the file has a deal id column
    row: int | None = None  # the row as an editor shows it (the header is a row too)

    @property
    def name(self) -> str:
        """Which row this is: an account has many deals, so its name alone may not say."""
        where = f"deal {self.deal_id}" if self.deal_id else f"row {self.row}" if self.row else ""
        return ", ".join(part for part in (self.account, where) if part) or "(no account)"


@dataclass(frozen=True)
class Explained:
    found: tuple[Explanation, ...]  # the first SHOW_MATCHES matching rows, in the file's order
    matched: int  # every matching row
    notes: tuple[str, ...] = ()


def explain(run: ScoreRun, account: str, *, mapping: DataMapping | None = None) -> Explained:
    """Explanations for the rows whose account (or deal/account id) equals `account`, or
    the row `row N` names; a note says how many matched where more than are shown.

    `mapping` names the export's own deal id and account columns to search."""
    mapping = mapping or DataMapping()
    rows = _find(run, account, mapping)
    deals = _deal_ids(run, mapping)
    by_id = {item.icp.id: item.icp for item in run.icps}
    found = []
    for index in rows[:SHOW_MATCHES]:
        scored = run.frame.iloc[index]
        icp = by_id[str(scored["icp_id"])]
        prefix = f"{icp.id}." if len(run.icps) > 1 else ""
        row = run.canonical_for(icp.id).iloc[[index]]
        others = tuple(
            (item.icp.id, float(scored[f"{item.icp.id}.score"]), str(scored[f"{item.icp.id}.band"]))
            for item in run.icps
            if prefix and item.icp.id != icp.id
        )
        why = explain_row(icp, row, scored, _cell(row.iloc[0], "account"), mapping,
                          prefix=prefix, others=others)  # fmt: skip
        deal, line = _where(run, deals, index)
        found.append(replace(why, deal_id=deal, row=line))
    notes = []
    if len(rows) > len(found):
        deal, line = _where(run, deals, rows[len(found)])
        notes.append(_more(account, len(rows), len(found), deal or f"row {line}"))
    return Explained(tuple(found), len(rows), tuple(notes))


def _where(run: ScoreRun, deals: pd.Series | None, index: int) -> tuple[str, int]:
    """The row's deal id ("" without one) and its row as an editor shows it."""
    deal = "" if deals is None or pd.isna(deals.iloc[index]) else str(deals.iloc[index]).strip()
    return deal, index + run.header_row + 1


def _more(account: str, matched: int, shown: int, another: str) -> str:
    """How many matched, and how to explain one of those not shown."""
    by = "its row" if ROW.fullmatch(another) else "its deal id"
    return (
        f"{count(matched)} rows match {account!r}, {shown} explained (the first in the "
        f"file): explain another by {by}, e.g. --explain {another!r}, or write every row's "
        "points with -o"
    )


def _deal_ids(run: ScoreRun, mapping: DataMapping) -> pd.Series | None:
    """The file's deal id column: the one mapped as deal_id, else one named like it."""
    mapped = mapping.columns.get("deal_id")
    if mapped is not None and mapped in run.frame.columns:
        return run.frame[mapped]
    named = (c for c in run.frame.columns if column_key(str(c)) in DEAL_KEYS)
    found = next(named, None)
    return None if found is None else run.frame[found]


def explain_row(
    icp: Icp,
    row: pd.DataFrame,
    scored: pd.Series,
    account: str,
    mapping: DataMapping,
    *,
    prefix: str = "",
    others: tuple[tuple[str, float, str], ...] = (),
) -> Explanation:
    """One row explained: `row` its canonical values (a one-row frame), `scored` its score
    columns (each ICP's own under `prefix` when several scored it), `account` its account."""
    values = row.iloc[0]
    lines = [
        _attribute_line(a.field, a.match.describe(), a.weight, values, scored, prefix)
        for a in icp.attributes
    ]
    present = _cell(values, TRIGGERS)
    # Only a trigger with `when` is decided on the row; scoring it again costs 10 ms a row.
    conditional = any(trigger.when for trigger in icp.triggers)
    fired = score_parts(icp, row, separator=mapping.list_separator).triggers if conditional else {}
    for trigger in icp.triggers:
        points = float(scored[prefix + trigger_column(trigger.id)])
        if trigger.when:
            lines.append(_condition_line(trigger, values, float(fired[trigger.id][0]), points))
            continue
        known = TRIGGERS in values.index
        result = (
            "unknown"
            if not known
            else "present"
            if points or (trigger.id.casefold() in present.casefold().split(";"))
            else "absent"
        )
        lines.append(
            Line("trigger", trigger.id, present, trigger.event, result, points, trigger.weight)
        )
    disqualifier = str(scored["disqualifier"] or "")
    reason = next((a.reason for a in icp.anti_icp if a.id == disqualifier), "")
    return Explanation(
        account=account,
        icp_id=icp.id,
        icp_version=icp.version,
        icp_commit=str(scored["icp_commit"] or ""),
        score=float(scored["score"]),
        band=str(scored["band"]),
        status=str(scored["status"]),
        disqualifier=disqualifier,
        disqualifier_reason=reason,
        unknown_share=float(scored["unknown_share"]),
        lines=tuple(lines),
        others=others,
        anti_icp=anti_lines(icp, row, disqualifier, mapping),
    )


# Columns that name a deal or an account, as `column_key` spells them ("Deal ID" -> deal_id).
DEAL_KEYS = ("deal_id", "opportunity_id")
ID_KEYS = ("account", "account_id", "account_name", "deal_id", "opportunity_id", "id", "domain",
           "website")  # fmt: skip


def _find(run: ScoreRun, account: str, mapping: DataMapping) -> list[int]:
    """Row positions of the account; the first column that knows it wins."""
    wanted = account.strip().casefold()
    candidates: dict[str, pd.Series] = {}
    for name in ("account", "deal_id"):
        if name in run.canonical:
            candidates[mapping.columns.get(name, name)] = run.canonical[name]
    for name in ("deal_id", "account_id", "account"):
        mapped = mapping.columns.get(name)
        if mapped is not None and mapped in run.frame.columns and mapped not in candidates:
            candidates[mapped] = run.frame[mapped]
    for name in run.frame.columns:
        if column_key(str(name)) in ID_KEYS and name not in candidates:
            candidates[str(name)] = run.frame[name]
    for column in candidates.values():
        hits = column.astype(TEXT_DTYPE).str.strip().str.lower() == wanted
        if hits.fillna(False).any():
            return [int(i) for i in hits.fillna(False).to_numpy(dtype=bool).nonzero()[0]]
    # "row 12" names a row in any file: the way to reach one deal of an account with many.
    if not candidates or ROW.fullmatch(account.strip()):
        return [_by_row(run, account)]
    first = next(iter(candidates.values()))
    sample = ", ".join(repr(str(v)) for v in first.dropna().head(3))
    searched = ", ".join(repr(c) for c in candidates)
    hint = f"; accounts look like {sample}" if sample else ""
    raise InputError(f"no account {account!r} in the scored file (searched {searched}){hint}")


def _by_row(run: ScoreRun, account: str) -> int:
    """With no id column rows are named by their row number (as backtest names deals)."""
    match = re.fullmatch(r"(?:row\s*)?(\d+)", account.strip(), flags=re.IGNORECASE)
    first = run.header_row + 1
    last = first + len(run.frame) - 1
    if match is None:
        raise InputError(
            f"no account {account!r}: the scored file has no account or deal id column, so "
            f"rows are named by their row number ({first}-{last}); or map one under "
            '[tool.icp.columns], e.g. account = "Account Name"'
        )
    row = int(match.group(1))
    if not first <= row <= last:
        raise InputError(f"no row {row}: the file's rows are {first}-{last}")
    return row - first


def anti_lines(
    icp: Icp, row: pd.DataFrame, disqualifier: str, mapping: DataMapping
) -> tuple[AntiLine, ...]:
    """Every anti-ICP with each condition's cell and whether it holds, for a one-row frame."""
    values = row.iloc[0]
    out = []
    for anti in icp.anti_icp:
        conditions = []
        for condition in anti.when:
            matched, known = condition_holds(
                row, condition.field, condition.match, mapping.list_separator
            )
            result = "unknown" if not known[0] else "holds" if matched[0] else "does not hold"
            value = _cell(values, condition.field)
            conditions.append(
                ConditionLine(condition.field, value, condition.match.describe(), result)
            )
        if not anti.when:
            result = "not scored (signal only)"
        elif anti.id == disqualifier:
            result = "fired"
        elif all(c.result == "holds" for c in conditions):
            result = f"held, but {disqualifier} fired first"
        else:
            result = "did not fire"
        out.append(AntiLine(anti.id, anti.reason, result, tuple(conditions), anti.signal))
    return tuple(out)


def _cell(values: pd.Series, name: str) -> str:
    if name not in values.index or pd.isna(values[name]):
        return ""
    value = values[name]
    if isinstance(value, float):
        return number(value)
    return str(value)


def _attribute_line(
    name: str, rule: str, weight: float, values: pd.Series, scored: pd.Series, prefix: str
) -> Line:
    value = _cell(values, name)
    points = float(scored[prefix + points_column(name)])
    if not value:
        result = "unknown"
    elif weight and points == weight:
        result = "fit"
    elif points:
        result = f"partial ({percent(points / weight)})"
    else:
        result = "out of fit"
    return Line("attribute", name, value, rule, result, points, weight)


def _condition_line(trigger: Trigger, values: pd.Series, present: float, points: float) -> Line:
    """A `when` trigger: the cells its conditions read, the conditions, fired or not."""
    cells = "; ".join(_cell(values, c.field) or "(unknown)" for c in trigger.when)
    rule = " and ".join(f"{c.field} {c.match.describe()}" for c in trigger.when)
    result = "unknown" if math.isnan(present) else "present" if present else "absent"
    return Line("trigger-when", trigger.id, cells, rule, result, points, trigger.weight)
