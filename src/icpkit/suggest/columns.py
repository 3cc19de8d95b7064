"""Which columns a draft learns from: the usable ones, minus --exclude, within --only,
past the leakage guard. Every column left out is kept with its reason for the report."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from icpkit.errors import UsageError
from icpkit.project.mapping import TRIGGERS
from icpkit.project.settings import Config
from icpkit.scorer.columns import column_key
from icpkit.scorer.contract import CATEGORY, LIST, NUMERIC
from icpkit.scorer.dates import read_dates
from icpkit.scorer.leakage import SEPARATION, separation
from icpkit.scorer.numbers import parse_numbers
from icpkit.scorer.tables import TEXT_DTYPE
from icpkit.suggest.leakage import EXCLUDED, NOT_ONLY, UNUSABLE, LeftOut, by_data, by_name
from icpkit.text import percent

DEAL_COLUMNS = (
    "deal_id",
    "account",
    "outcome",
    "amount_usd",
    "cycle_days",
    "closed_on",
    "created_on",
)
_FIELD = re.compile(r"^[a-z][a-z0-9_]*$")
# Of rows with a value, for a column to be learnt from: below it, shares among the few
# filled cells look decisive and a draft leaning on them leaves most deals unscored.
MIN_KNOWN = 0.2


@dataclass(frozen=True)
class Columns:
    """Which columns to learn from: by default every usable one past the leakage guard."""

    only: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    guard: bool = True


@dataclass(frozen=True)
class Detected:
    kinds: dict[str, str]
    sources: dict[str, str]  # field -> the column it is read from
    left_out: tuple[LeftOut, ...]
    id_column: str | None


def detect_fields(
    frame: pd.DataFrame,
    config: Config,
    kept: Mapping[str, frozenset[str]] | None = None,
    reserved: Sequence[str] = DEAL_COLUMNS,
) -> Detected:
    """Which columns to learn from, and how to read each: numbers, categories or lists.

    `kept`: per field, the unknown markers the current ICP names, which are values there
    (see scorer.explicit), so `None` competitors count as known where the ICP says so.
    `reserved`: the fields the file is read by (the deal columns), never learnt from."""
    kept = kept or {}
    mapping = config.mapping
    taken = {mapping.columns.get(name, name) for name in reserved}
    by_name = {column_key(column): column for column in frame.columns}
    taken |= {by_name[name] for name in reserved if name in by_name}
    id_column = mapping.columns.get("deal_id", by_name.get("deal_id"))
    markers = set(mapping.unknown_values)
    kinds: dict[str, str] = {}
    sources: dict[str, str] = {}
    skipped: list[LeftOut] = []
    renamed = {source: name for name, source in mapping.columns.items()}
    for column in frame.columns:
        name = renamed.get(column, column_key(column))

        def skip(reason: str, column: str = column, name: str = name) -> None:
            skipped.append(LeftOut(column, name, UNUSABLE, reason))

        if column in taken or name == TRIGGERS:
            continue
        if not _FIELD.match(name):
            skip("not usable as a field name")
            continue
        text = frame[column].astype(TEXT_DTYPE).str.strip()
        text = text[text.notna() & ~text.str.lower().isin(markers - kept.get(name, set()))]
        if len(text) < 5:
            skip("fewer than 5 known values")
            continue
        if len(text) < MIN_KNOWN * len(frame):
            # Shares among the few known cells look strong, but a rule on the field leaves
            # most deals unknown, and the draft's AUC would be measured on the rest.
            skip(f"known on {percent(len(text) / len(frame))} of rows: a rule on it would leave "
                 "most deals unscored")  # fmt: skip
            continue
        sources[name] = column
        numbers = parse_numbers(text)
        if numbers.notna().mean() >= 0.9:
            kinds[name] = NUMERIC
            continue
        if read_dates(text).dates.notna().mean() >= 0.9:
            skip("dates")
            continue
        if text.str.contains(mapping.list_separator, regex=False).mean() >= 0.05:
            kinds[name] = LIST
            continue
        distinct = text.str.lower().nunique()
        if distinct > max(30, len(text) // 2):
            skip(f"{distinct} distinct values, like names or ids")
            continue
        kinds[name] = CATEGORY
    return Detected(kinds, sources, tuple(skipped), id_column)


def select(
    detected: Detected,
    columns: Columns,
    shown: str,
    guard: Callable[[str, str], LeftOut | None] = by_name,
) -> tuple[dict[str, str], tuple[LeftOut, ...], frozenset[str]]:
    """The fields to learn from after --only, --exclude and the guard on column names
    (`guard`: column and field to the reason it is left out), and the fields --only names."""
    only = {_resolve(name, detected, shown, "--only") for name in columns.only}
    exclude = {_resolve(name, detected, shown, "--exclude") for name in columns.exclude}
    both = only & exclude
    if both:
        raise UsageError(f"{', '.join(sorted(both))}: named in both --only and --exclude")
    kinds: dict[str, str] = {}
    left_out = list(detected.left_out)
    for name, kind in detected.kinds.items():
        column = detected.sources[name]
        leak = guard(column, name) if columns.guard else None
        if name in exclude:
            left_out.append(LeftOut(column, name, EXCLUDED, "left out by --exclude"))
        elif only and name not in only:
            left_out.append(LeftOut(column, name, NOT_ONLY, "not named in --only"))
        elif leak is not None and name not in only:
            left_out.append(leak)
        else:
            kinds[name] = kind
    return kinds, tuple(left_out), frozenset(only)


def _resolve(given: str, detected: Detected, shown: str, option: str) -> str:
    """A field from a column header or field name, as the user typed it."""
    for name, column in detected.sources.items():
        if given in (name, column) or column_key(given) in (name, column_key(column)):
            if name in detected.kinds:
                return name
            raise UsageError(f"{option} {given}: {shown} column {column!r} cannot be learned from")
    known = ", ".join(repr(c) for c in detected.sources.values())
    raise UsageError(
        f"{option} {given}: no such column to learn from in {shown} (deal columns such as "
        f"the outcome are never learned from); columns: {known}"
    )


def separating(
    prepared: pd.DataFrame,
    kinds: dict[str, str],
    sources: dict[str, str],
    named: frozenset[str],
    contrast: str = "wins from losses",
) -> tuple[dict[str, str], tuple[LeftOut, ...]]:
    """Fields that alone tell wins from losses almost perfectly, unless --only names them."""
    closed = prepared[prepared["outcome"].isin(["won", "lost"])]
    won = (closed["outcome"] == "won").to_numpy(dtype=bool)
    kept: dict[str, str] = {}
    leaky: list[LeftOut] = []
    for name, kind in kinds.items():
        value = separation(closed[name], kind, won) if name in closed else None
        if value is not None and value >= SEPARATION and name not in named:
            leaky.append(by_data(sources.get(name, name), name, value, contrast))
        else:
            kept[name] = kind
    return kept, tuple(leaky)
