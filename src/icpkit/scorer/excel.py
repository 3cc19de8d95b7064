"""Excel workbooks as CRMs and analysts hand them over, read into text cells like a CSV.

python-calamine (Rust) reads the sheet: pandas' own Excel engine for 2.2+, several times
faster than openpyxl on exports of 100k rows, and free of openpyxl's Python per cell.
Cells become the text Excel's own "Save as CSV" would write, so one mapping serves both:
whole numbers lose the `.0` Excel stores (`1200`, and an id typed as text keeps `00123`),
dates are ISO dates (`2026-01-05`, with the time only when there is one), booleans are
`TRUE`/`FALSE`. A report's title and filter lines above the header are skipped: the
header is the first row as wide as the widest of the first rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from icpkit.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
SHEET_MARK = "#"
HEADER_SEARCH_ROWS = 20


def split_sheet(path: Path) -> tuple[Path, str | None]:
    """`deals.xlsx#Closed` -> (`deals.xlsx`, `Closed`); any other path is itself."""
    name = path.name
    if SHEET_MARK in name and not path.is_file():
        base, _, sheet = name.rpartition(SHEET_MARK)
        if base.lower().endswith(EXCEL_SUFFIXES):
            return path.with_name(base), sheet
    return path, None


def is_excel(path: Path) -> bool:
    return split_sheet(path)[0].name.lower().endswith(EXCEL_SUFFIXES)


def read_excel(path: Path) -> tuple[pd.DataFrame, int, tuple[str, ...]]:
    """The sheet as text columns, the 1-based row of its header, and notes for the user."""
    from python_calamine import CalamineError, CalamineWorkbook

    file, wanted = split_sheet(path)
    try:
        workbook = CalamineWorkbook.from_path(str(file))
        names = list(workbook.sheet_names)
        sheet = _pick(path, names, wanted)
        rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except CalamineError as exc:
        raise InputError(f"{file}: cannot read as an Excel workbook: {exc}") from None
    notes = []
    if wanted is None and len(names) > 1:
        others = ", ".join(repr(n) for n in names[1:])
        notes.append(f"read sheet {sheet!r}, the first of {len(names)} (others: {others}); "
                     f"name another as {file.name}{SHEET_MARK}<sheet>")  # fmt: skip
    cells = [[_text(cell) for cell in row] for row in rows]
    header = _header_row(cells)
    if header is None:
        raise InputError(f"{path}: sheet {sheet!r} is empty")
    frame = _frame(cells[header], cells[header + 1 :])
    return frame, header + 1, tuple(notes)


def _pick(path: Path, names: Sequence[str], wanted: str | None) -> str:
    if not names:
        raise InputError(f"{path}: the workbook has no sheets")
    if wanted is None:
        return names[0]
    if wanted in names:
        return wanted
    folded = [n for n in names if n.casefold() == wanted.casefold()]
    if len(folded) == 1:
        return folded[0]
    listed = ", ".join(repr(n) for n in names)
    raise InputError(f"{path}: no sheet {wanted!r}; the workbook has {listed}")


def _text(cell: object) -> str:
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        # Excel keeps 15 significant digits: 0.1 + 0.2 is 0.3 there, as in its CSV.
        return str(int(cell)) if cell.is_integer() and abs(cell) < 1e15 else f"{cell:.15g}"
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat(sep=" ")
    if isinstance(cell, dt.date | dt.time):
        return cell.isoformat()
    return str(cell).strip()


def _header_row(cells: list[list[str]]) -> int | None:
    widths = [sum(1 for c in row if c) for row in cells[:HEADER_SEARCH_ROWS]]
    widest = max(widths, default=0)
    if not widest:
        return None
    return widths.index(widest)


def _frame(header: list[str], body: list[list[str]]) -> pd.DataFrame:
    import pandas as pd

    # Trailing columns that are empty in the header and every row are formatting, not data.
    used = [i for i, name in enumerate(header) if name or any(i < len(r) and r[i] for r in body)]
    width = used[-1] + 1 if used else 0
    names = [name or f"column {i + 1}" for i, name in enumerate(header[:width])]
    rows = [
        [cell or None for cell in row[:width]] + [None] * (width - len(row))
        for row in body
        if any(row[:width])
    ]
    return pd.DataFrame(rows, columns=names, dtype=object)
