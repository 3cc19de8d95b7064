"""Dates as CRMs write them, read with one day/month order per column.

Salesforce writes `CreatedDate` as `2026-03-01T10:00:00.000Z` beside a date-only
`CloseDate`; European exports write `13/02/2026`, American ones `02/13/2026`. Every value
becomes a UTC calendar date (timezone-naive, at midnight), so columns with different
offsets subtract and compare. ISO values (`2026-03-15`, with or without a time and an
offset) are always year-month-day; the other values of a column share one order, taken
from the `date-order` setting or from the column itself: a first part above 12 can only
be a day, a second part above 12 only a day too.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from icpkit.scorer.tables import TEXT_DTYPE

DMY, MDY, YMD = "dmy", "mdy", "ymd"
_ISO = r"^\d{4}-\d{1,2}-\d{1,2}(?:[T ].*)?$"
_PARTS = r"^(?P<a>\d{1,4})[./-](?P<b>\d{1,2})[./-](?P<c>\d{1,4})\b"


@dataclass(frozen=True)
class ReadDates:
    """UTC dates (NaT where unknown), the cells that are not dates, and a note on the order."""

    dates: pd.Series
    bad: pd.Series
    note: str = ""


def read_dates(values: pd.Series, order: str | None = None) -> ReadDates:
    """`order`: the `date-order` setting, or None to infer it from the column."""
    text = values.astype(TEXT_DTYPE).str.strip()
    text = text.where(text != "")
    iso = text.str.match(_ISO).fillna(False).to_numpy(dtype=bool)
    # Arrow strings keep the object path out; utc=True accepts mixed offsets in one column.
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us, UTC]")
    if iso.any():
        parsed[iso] = pd.to_datetime(text[iso], format="ISO8601", utc=True, errors="coerce")
    rest = text.notna().to_numpy(dtype=bool) & ~iso
    note = ""
    if rest.any():
        chosen, note = _order(text[rest], order)
        if chosen is not None:
            parsed[rest] = pd.to_datetime(
                text[rest],
                format="mixed",
                dayfirst=chosen == DMY,
                yearfirst=chosen == YMD,
                utc=True,
                errors="coerce",
            )
            parsed[rest] = _in_order(text[rest], parsed[rest], chosen)
    dates = parsed.dt.tz_convert(None).dt.normalize()
    return ReadDates(dates, values[dates.isna() & text.notna()], note)


def _in_order(text: pd.Series, parsed: pd.Series, order: str) -> pd.Series:
    # The parser takes dayfirst as a hint and swaps day and month when the hint fails
    # (02/13/2026 under dmy): such a value is not in the column's order, so not a date.
    parts = text.str.extract(_PARTS)
    day = parts[{DMY: "a", MDY: "b", YMD: "c"}[order]]
    known = day.notna() & parsed.notna()
    wrong = known & (day.where(known, "0").astype(int) != parsed.dt.day)
    return parsed.where(~wrong)


def _order(text: pd.Series, order: str | None) -> tuple[str | None, str]:
    """The order of the column's non-ISO values, and a note when it is a guess or a clash."""
    if order is not None:
        return order, ""
    parts = text.str.extract(_PARTS).dropna()
    if parts.empty:
        return MDY, ""  # month names and the like: the parser reads them whatever the order
    first, second = parts["a"].astype(int), parts["b"].astype(int)
    if (parts["a"].str.len() == 4).all():
        return YMD, ""
    day_first, month_first = bool((first > 12).any()), bool((second > 12).any())
    if day_first and month_first:
        dmy = text[first.reindex(text.index, fill_value=0) > 12].iloc[0]
        mdy = text[second.reindex(text.index, fill_value=0) > 12].iloc[0]
        return None, (
            f"dates in both orders ({dmy!r} is day-first, {mdy!r} month-first), so none of "
            'them was read: fix the column, or set date-order = "dmy" or "mdy" under [tool.icp]'
        )
    if day_first:
        return DMY, ""
    if month_first:
        return MDY, ""
    return MDY, (
        f"dates such as {text.iloc[0]!r} could be day-first or month-first; read as "
        'month-first: set date-order = "dmy" (or "mdy") under [tool.icp] to say which'
    )
