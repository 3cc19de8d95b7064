"""CSV for people: a cell a spreadsheet would run as a formula is written as text.

Scored files carry CRM values, and a cell such as `=HYPERLINK(...)` or `@SUM(...)` runs
when the file is opened in Excel, LibreOffice or Google Sheets. As OWASP recommends for
CSV injection, a text cell that starts with `=`, `+`, `-`, `@`, a tab or a CR gets a
leading `'`, which spreadsheets read as "this is text". A cell that is a plain number
(`-5`, `+7.5`, `-1e3`) is left alone: a spreadsheet reads it as that number and runs
nothing, and numeric columns are written as numbers. `csv-raw = true` in [tool.icp] or
`icp score --csv-raw` writes cells as scored, for machine pipelines.

Both engines apply the same test (`TRIGGERS` and the ASCII-only `NUMBER`, which Python's
`re` and DuckDB's RE2 read alike as a full match) and so write the same bytes.
"""

from __future__ import annotations

import io
import re
from typing import IO

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"
GUARD = "'"


def guarded_name(name: str) -> str:
    """A header cell is a cell too: an input column named `=HYPERLINK(...)` is guarded."""
    risky = name[:1] in TRIGGERS and re.fullmatch(NUMBER, name) is None
    return GUARD + name if risky else name


def guarded(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with each formula-like text cell prefixed with `'`, its header cells too;
    numbers untouched."""
    names = [guarded_name(str(c)) for c in frame.columns]
    if names != [str(c) for c in frame.columns]:
        frame = frame.set_axis(names, axis=1)
    replaced = {}
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
            continue
        text = column.astype("string")
        risky = text.str[:1].isin(TRIGGERS) & ~text.str.fullmatch(NUMBER)
        risky = risky.fillna(False).astype(bool)
        if risky.any():
            replaced[position] = column.astype(object).where(~risky, GUARD + text.astype(object))
    if not replaced:
        return frame
    out = frame.copy()
    for position, values in replaced.items():
        out.isetitem(position, values.to_numpy(dtype=object))
    return out


def write_csv(frame: pd.DataFrame, handle: IO[str], *, raw: bool = False) -> None:
    """Write `frame` as CSV with `\\n` line ends, guarded unless `raw`.

    Python's csv module quotes a cell holding a line end only if it is in its
    `lineterminator`, so a bare CR would go out unquoted and read back as a row break.
    Writing with `\\r\\n` quotes every CR and LF; each record is one `write` call, so its
    `\\r\\n` becomes `\\n` on the way out, as DuckDB's COPY writes."""
    (frame if raw else guarded(frame)).to_csv(_LineEnds(handle), index=False, lineterminator="\r\n")


def csv_text(frame: pd.DataFrame, *, raw: bool = False) -> str:
    buffer = io.StringIO()
    write_csv(frame, buffer, raw=raw)
    return buffer.getvalue()


class _LineEnds(io.TextIOBase):
    """A file pandas writes CSV records to, each ending in `\\r\\n`, written with `\\n`."""

    def __init__(self, handle: IO[str]) -> None:
        super().__init__()
        self._handle = handle

    def writable(self) -> bool:
        return True

    def write(self, record: str) -> int:
        if record.endswith("\r\n"):
            record = record[:-2] + "\n"
        return self._handle.write(record)
