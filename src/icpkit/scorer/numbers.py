"""Numbers as CRMs write them: "1,200", "$25M", "2.5k", "(300)", "12%", "EUR 1.2bn".

With `decimal = ","` the marks swap roles ("1.200,50" is 1200.5, "1.200" is 1200). A
number too large for a float ("-1e309") or with two signs ("--500") is not read: an
infinity or a guessed sign would be a silently wrong number. One too small ("1e-400") is
0.0, as a float reads it; one longer than 1,000 characters is not read at all.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from icpkit.scorer.notation import LONGEST_PLAIN, LONGEST_WRITTEN, MAX_FLOAT, SCALES
from icpkit.scorer.tables import TEXT_DTYPE

_PLAIN = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
_CURRENCY = r"(?:[$€£¥]|usd|eur|gbp)"
_PATTERN = (
    # One sign, before or after the currency ("-$3k", "$-3k"), never both.
    rf"^\s*(?P<open>\()?\s*(?:(?P<sign>[-+])\s*{_CURRENCY}?|{_CURRENCY}?\s*(?P<sign2>[-+])?)\s*"
    # Thousands separators only between groups of three, so "3,5" is not read as 35.
    r"(?P<digits>\d{1,3}(?:[,'_ ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*"
    r"(?P<scale>" + "|".join(sorted(SCALES, key=len, reverse=True)) + r")?"
    r"\.?\s*(?:usd|eur|gbp|[$€£%])?\s*\)?\s*$"
)


def swap_marks(text: pd.Series) -> pd.Series:
    """ "1.200,50" -> "1,200.50": a decimal-comma number in the notation the reader reads."""
    return text.str.translate(str.maketrans(".,", ",."))


def parse_numbers(values: pd.Series, decimal: str = ".") -> pd.Series:
    """Float values, NaN where a cell is empty or not a number (the caller reports those).

    Vectorised: plain numbers go through `to_numeric`; only the rest meet the regex.
    """
    if pd.api.types.is_bool_dtype(values):
        return pd.Series(float("nan"), index=values.index, dtype="float64")
    if pd.api.types.is_numeric_dtype(values):
        return values.astype("float64")
    text = values.astype(TEXT_DTYPE).str.strip()
    if decimal == ",":
        text = swap_marks(text)
    arrow = pa.array(text)
    plain = pc.and_(
        pc.match_substring_regex(arrow, _PLAIN),
        pc.less_equal(pc.utf8_length(arrow), LONGEST_PLAIN),
    )
    # Cast only the plain numbers, in Arrow: to_numeric would walk the cells in Python.
    cast = pc.cast(pc.if_else(plain, arrow, pa.scalar(None, pa.string())), pa.float64())
    result = pd.Series(cast.to_numpy(zero_copy_only=False), index=values.index, dtype="float64")
    short = (text.str.len() <= LONGEST_WRITTEN).fillna(False).to_numpy(dtype=bool)
    rest = result.isna() & text.notna() & (text != "") & short
    if not rest.any():
        return _finite(result)
    # The regex runs in Python cell by cell: once per distinct spelling, then spread back.
    codes, distinct = pd.factorize(text[rest])
    written = _written(pd.Series(distinct, dtype=TEXT_DTYPE))
    result.loc[rest] = written[codes]
    return _finite(result)


def _written(text: pd.Series) -> np.ndarray:
    """The numbers `text` writes the CRM way ("$25M", "(300)"), NaN where it writes none."""
    parts = text.str.lower().str.extract(_PATTERN)
    digits = parts["digits"].str.replace(r"[,'_ ]", "", regex=True)
    number = pd.to_numeric(digits, errors="coerce").astype("float64")
    scale = parts["scale"].fillna("").map({"": 1.0, **SCALES}).astype("float64")
    minus = (parts["sign"].fillna("") + parts["sign2"].fillna("")).str.contains("-")
    negative = (parts["open"].notna() | minus).to_numpy(dtype=bool)
    number = number * scale
    number[negative] = -number[negative]
    return number.to_numpy(dtype="float64")


def _finite(numbers: pd.Series) -> pd.Series:
    return numbers.where(numbers.abs() <= MAX_FLOAT)
