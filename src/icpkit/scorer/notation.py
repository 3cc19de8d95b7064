"""How a number is written in a cell, pandas-free: shared by the pandas reader
(`numbers`) and the compiled SQL (`sql/values`), so both read the same notation."""

from __future__ import annotations

import sys

SCALES = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mm": 1e6,
    "mn": 1e6,
    "mio": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "billions": 1e9,
}
MAX_FLOAT = sys.float_info.max
# Longer written numbers are not read: 250 digits times a billion stays a finite float.
LONGEST_WRITTEN = 250
# Longer plain numbers ("1e5", "0.25") are not read either: no one writes 1,000 digits, and
# every engine can then read the rest exactly (PostgreSQL through NUMERIC, see `sql.values`).
LONGEST_PLAIN = 1000


def written(value: float | str, decimal: str = ".") -> str:
    """A coded value as a cell would hold it under the `decimal` convention."""
    text = str(value)
    return text.replace(".", ",") if decimal == "," and not isinstance(value, str) else text
