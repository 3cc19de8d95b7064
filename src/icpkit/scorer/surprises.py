"""Surprises: wins the ICP did not predict and losses it expected to win.

The seeds' quarterly review asks "what do surprise wins have in common? What do surprise
losses lack?": a surprise is a closed deal whose outcome contradicts its band. Each one is
explained by `scorer.explain` (the same lines `icp score --explain` prints), and the
values they share more often than closed deals do point at what the ICP is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from icpkit.format.model import Icp
from icpkit.project.mapping import DataMapping
from icpkit.scorer.contract import (
    DISQUALIFIED_BAND,
    LIST,
    NUMERIC,
    field_kinds,
    trigger_column,
)
from icpkit.scorer.explain import ConditionLine, Line, explain_row
from icpkit.scorer.prepare import ROW_NUMBERED
from icpkit.text import number

SHOW = 5
# A value held by one or two surprises is an anecdote (one of two surprises is already
# "50%"): a shared value needs at least this many surprises holding it, ...
MIN_SHARED = 3
# ... a part of them this large (among a thousand surprises, 2% of them in one country
# is a sliver that chance over-represents easily, not what they share) ...
MIN_SHARE = 0.1
# ... and a share among them this many times its share among all closed deals.
MIN_RATIO = 1.5
LOW_BANDS = frozenset({"weak", "poor"})
HIGH_BANDS = frozenset({"strong"})
UNKNOWN_VALUE = "(unknown)"
QUANTILES = 4


@dataclass(frozen=True)
class Surprise:
    """One surprising deal, with the explanation lines that drove its score: for a win the
    points it missed, for a loss the points it earned, for a disqualified win the
    conditions of the anti-ICP that fired."""

    deal: str  # the mapped deal id, or "row N" when the export has none
    account: str
    outcome: str
    score: float
    band: str
    amount_usd: float | None
    drivers: tuple[Line, ...]
    disqualifier: str = ""
    disqualifier_reason: str = ""
    conditions: tuple[ConditionLine, ...] = ()


@dataclass(frozen=True)
class DisqualifiedWins:
    """Wins an anti-ICP entry screened out: each one asks whether the entry is wrong."""

    id: str
    reason: str
    wins: int
    deals: tuple[Surprise, ...]


@dataclass(frozen=True)
class Shared:
    """A value over-represented among one group of surprises ("wins" or "losses")."""

    group: str
    field: str
    value: str
    surprises: int
    surprise_share: float
    closed: int
    closed_share: float
    ratio: float


@dataclass(frozen=True)
class Surprises:
    shown: int
    wins_total: int  # won, scored weak or poor
    wins: tuple[Surprise, ...]
    losses_total: int  # lost, scored strong
    losses: tuple[Surprise, ...]
    disqualified: tuple[DisqualifiedWins, ...]
    shared: tuple[Shared, ...]
    min_shared: int = MIN_SHARED
    min_share: float = MIN_SHARE
    min_ratio: float = MIN_RATIO
    currency: str = "USD"  # the ICP's: what the amounts are in


def find_surprises(
    icp: Icp,
    closed: pd.DataFrame,
    scores: pd.DataFrame,
    *,
    show: int = SHOW,
    separator: str = ";",
) -> Surprises:
    """The surprises among `closed` (canonical closed deals), scored as `scores` says
    (same index); `show` deals per list and shared values per group."""
    mapping = DataMapping(list_separator=separator)
    won = (closed["outcome"] == "won").to_numpy(dtype=bool)
    band = scores["band"].astype(str).to_numpy()
    score = scores["score"].to_numpy(dtype="float64")
    amount = _amounts(closed)
    low_wins = won & np.isin(band, list(LOW_BANDS))
    high_losses = ~won & np.isin(band, list(HIGH_BANDS))
    barred = won & (band == DISQUALIFIED_BAND)
    # Ties go by id, or by row when the rows are the ids ("row 9" before "row 10").
    numbered = bool(closed.attrs.get(ROW_NUMBERED))
    ties = np.arange(len(closed)) if numbered else closed["deal_id"].astype(str).to_numpy()

    def explained(rows: np.ndarray, order: tuple[np.ndarray, ...]) -> tuple[Surprise, ...]:
        picked = _ranked(rows, order, ties)[:show]
        return tuple(_surprise(icp, closed, scores, i, mapping) for i in picked)

    return Surprises(
        currency=icp.currency,
        shown=show,
        wins_total=int(low_wins.sum()),
        wins=explained(low_wins, (score, -amount)),
        losses_total=int(high_losses.sum()),
        losses=explained(high_losses, (-score, -amount)),
        disqualified=tuple(
            DisqualifiedWins(
                anti.id,
                anti.reason,
                int(hit.sum()),
                explained(hit, (-amount,)),
            )
            for anti in icp.anti_icp
            if (hit := barred & (scores["disqualifier"].astype(str).to_numpy() == anti.id)).any()
        ),
        shared=tuple(
            _shared(
                {"wins": low_wins | barred, "losses": high_losses},
                icp,
                closed,
                scores,
                separator,
                show,
            )
        ),
    )


def _amounts(closed: pd.DataFrame) -> np.ndarray:
    if "amount_usd" not in closed:
        return np.zeros(len(closed))
    return closed["amount_usd"].to_numpy(dtype="float64", na_value=np.nan)


def _ranked(rows: np.ndarray, order: tuple[np.ndarray, ...], ids: np.ndarray) -> list[int]:
    """Positions of `rows`, by `order` (first key first; a missing amount last), then id."""
    where = np.flatnonzero(rows)
    keys = [np.nan_to_num(key[where], nan=np.inf) for key in order]
    # lexsort sorts by its last key first: the id, breaking ties, goes first.
    sequence = np.lexsort([ids[where], *reversed(keys)])
    return [int(where[i]) for i in sequence]


def _surprise(
    icp: Icp, closed: pd.DataFrame, scores: pd.DataFrame, position: int, mapping: DataMapping
) -> Surprise:
    row = closed.iloc[[position]]
    values = row.iloc[0]
    deal = str(values["deal_id"])
    if closed.attrs.get(ROW_NUMBERED):
        deal = f"row {deal}"
    account = "" if "account" not in row or pd.isna(values["account"]) else str(values["account"])
    why = explain_row(icp, row, scores.iloc[position], account, mapping)
    won = values["outcome"] == "won"
    fired = next((a for a in why.anti_icp if a.result == "fired"), None)
    amount = _amounts(row)[0]
    return Surprise(
        deal=deal,
        account=account,
        outcome=str(values["outcome"]),
        score=why.score,
        band=why.band,
        amount_usd=None if np.isnan(amount) or "amount_usd" not in row else float(amount),
        drivers=() if fired else _drivers(why.lines, won),
        disqualifier=why.disqualifier,
        disqualifier_reason=why.disqualifier_reason,
        conditions=fired.conditions if fired else (),
    )


def _drivers(lines: tuple[Line, ...], won: bool) -> tuple[Line, ...]:
    """A win that scored low: the lines that missed points, most missed first. A loss that
    scored strong: the lines that earned points, most first."""
    if won:
        missed = [(max(line.weight, 0.0) - line.points, line) for line in lines]
        return tuple(line for gap, line in sorted(missed, key=lambda m: -m[0]) if gap > 0)
    earned = sorted((line for line in lines if line.points > 0), key=lambda line: -line.points)
    return tuple(earned)


@dataclass(frozen=True)
class _Held:
    """Which deals hold which value of one field: deal -> cell, cell -> values (a list
    cell holds several), each value under its most common spelling."""

    name: str
    cells: np.ndarray  # per deal, its cell's code
    pair_cell: np.ndarray  # (cell, value) pairs
    pair_value: np.ndarray
    spelling: tuple[str, ...]  # per value

    def deals(self, rows: np.ndarray | None = None) -> np.ndarray:
        """Per value, how many deals (of `rows`) hold it."""
        cells = self.cells if rows is None else self.cells[rows]
        counts = np.bincount(cells, minlength=int(self.pair_cell.max(initial=-1)) + 1)
        held: np.ndarray = np.bincount(
            self.pair_value, weights=counts[self.pair_cell], minlength=len(self.spelling)
        )
        return held.astype(np.int64)


def _shared(
    groups: dict[str, np.ndarray],
    icp: Icp,
    closed: pd.DataFrame,
    scores: pd.DataFrame,
    separator: str,
    show: int,
) -> list[Shared]:
    """Per group, the values held by at least MIN_SHARED and MIN_SHARE of its deals and
    MIN_RATIO times as often as by closed deals, the most over-represented first."""
    found: dict[str, list[Shared]] = {group: [] for group in groups}
    total = len(closed)
    for held in _values(icp, closed, scores, separator):
        everyone = held.deals()
        for group, rows in groups.items():
            size = int(rows.sum())
            if size < MIN_SHARED:
                continue
            inside = held.deals(rows)
            share, base = inside / size, everyone / max(total, 1)
            enough = (inside >= MIN_SHARED) & (share >= MIN_SHARE)
            for value in np.flatnonzero(enough & (share >= MIN_RATIO * base)):
                found[group].append(
                    Shared(
                        group,
                        held.name,
                        held.spelling[value],
                        int(inside[value]),
                        float(share[value]),
                        int(everyone[value]),
                        float(base[value]),
                        float(share[value] / base[value]),
                    )
                )
    listed: list[Shared] = []
    for values in found.values():
        values.sort(key=lambda s: (-s.ratio, -s.surprises, s.field, s.value))
        listed += values[:show]
    return listed


def _values(
    icp: Icp, closed: pd.DataFrame, scores: pd.DataFrame, separator: str
) -> Iterator[_Held]:
    """Each field the ICP reads (a number as its quartile, a list cell as its items), then
    each trigger, present or not."""
    for name, kind in field_kinds([icp]).items():
        if name not in closed:
            continue
        column = closed[name]
        if kind == NUMERIC:
            yield _held(name, _quantiles(column), None)
        else:
            yield _held(
                name,
                column,
                separator if kind == LIST else None,
            )
    for trigger in icp.triggers:
        points = scores[trigger_column(trigger.id)].to_numpy(dtype="float64")
        yield _held(f"trigger {trigger.id}", np.where(points != 0, "present", "not present"), None)


# The customers' retained-vs-churned values are read alike (scorer.retention_signals).
field_values = _values


def _held(
    name: str, cells: pd.Series | pd.Categorical[str] | np.ndarray, separator: str | None
) -> _Held:
    """Factorised once, so that only distinct cells are split, stripped and folded: a
    field of 100k deals holds a few hundred, few enough for plain Python."""
    codes, uniques = pd.factorize(cells, use_na_sentinel=False)
    deals = np.bincount(codes, minlength=len(uniques))
    # Values compare case-insensitively, as the scorer reads them; each is numbered in
    # order of first appearance and shown under its most common spelling.
    numbered: dict[str, int] = {}
    spellings: list[dict[str, int]] = []
    pair_cell: list[int] = []
    pair_value: list[int] = []
    for index, cell in enumerate(uniques):
        missing = pd.isna(cell)
        items = [] if missing else [cell] if separator is None else str(cell).split(separator)
        written = [str(item).strip() for item in items]
        held: set[int] = set()
        for item in dict.fromkeys(w for w in written if w) or [UNKNOWN_VALUE]:
            value = numbered.setdefault(item.casefold(), len(numbered))
            if value == len(spellings):
                spellings.append({})
            if value in held:
                continue  # "Salesforce;salesforce" is one deal holding one value
            held.add(value)
            pair_cell.append(index)
            pair_value.append(value)
            spellings[value][item] = spellings[value].get(item, 0) + int(deals[index])
    return _Held(
        name,
        codes.astype(np.int64),
        np.asarray(pair_cell, dtype=np.int64),
        np.asarray(pair_value, dtype=np.int64),
        tuple(min(counts, key=lambda w: (-counts[w], w)) for counts in spellings),
    )


def _quantiles(column: pd.Series) -> pd.Categorical[str]:
    """A number as the quartile of closed deals it falls in, named by the values there
    (quartiles that coincide merge: `pd.qcut` drops repeated edges). Categorical, so that
    `_held` factorises a handful of names rather than a label per deal."""
    values = column.astype("float64")
    present = values.notna().to_numpy()
    known = values[present]
    if known.nunique() <= QUANTILES:
        # Few distinct numbers (a count of currencies, a flag) read best as themselves.
        group, distinct = pd.factorize(known)
        names = [number(value) for value in distinct]
    else:
        group = pd.qcut(known, QUANTILES, labels=False, duplicates="drop").to_numpy()
        spans = known.groupby(group).agg(["min", "max"])
        names = [
            number(low) if low == high else f"{number(low)}-{number(high)}"
            for low, high in zip(spans["min"], spans["max"], strict=True)
        ]
    names.append(UNKNOWN_VALUE)
    # Two spans can print alike once rounded: one name is one value.
    categories = list(dict.fromkeys(names))
    recode = np.array([categories.index(name) for name in names], dtype=np.int64)
    codes = np.full(len(values), len(names) - 1, dtype=np.int64)
    codes[present] = np.asarray(group, dtype=np.int64)
    return pd.Categorical.from_codes(recode[codes], categories=pd.Index(categories))
