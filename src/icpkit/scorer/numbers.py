"""Numbers as CRMs write them: "1,200", "$25M", "2.5k", "(300)", "12%", "EUR 1.2bn"."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from icpkit.scorer.tables import TEXT_DTYPE

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
_PLAIN = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
_PATTERN = (
    r"^\s*(?P<open>\()?\s*(?P<sign>[-+])?\s*(?:[$€£¥]|usd|eur|gbp)?\s*(?P<sign2>[-+])?\s*"
    # Thousands separators only between groups of three, so "3,5" is not read as 35.
    r"(?P<digits>\d{1,3}(?:[,'_ ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*"
    r"(?P<scale>" + "|".join(sorted(SCALES, key=len, reverse=True)) + r")?"
    r"\.?\s*(?:usd|eur|gbp|[$€£%])?\s*\)?\s*$"
)


def parse_numbers(values: pd.Series) -> pd.Series:
    """Float values, NaN where a cell is empty or not a number (the caller reports those).

    Vectorised: plain numbers go through `to_numeric`; only the rest meet the regex.
    """
    if pd.api.types.is_bool_dtype(values):
        return pd.Series(float("nan"), index=values.index, dtype="float64")
    if pd.api.types.is_numeric_dtype(values):
        return values.astype("float64")
    text = values.astype(TEXT_DTYPE).str.strip()
    arrow = pa.array(text)
    plain = pc.match_substring_regex(arrow, _PLAIN)
    # Cast only the plain numbers, in Arrow: to_numeric would walk the cells in Python.
    cast = pc.cast(pc.if_else(plain, arrow, pa.scalar(None, pa.string())), pa.float64())
    result = pd.Series(cast.to_numpy(zero_copy_only=False), index=values.index, dtype="float64")
    rest = result.isna() & text.notna() & (text != "")
    if not rest.any():
        return result
    parts = text[rest].str.lower().str.extract(_PATTERN)
    digits = parts["digits"].str.replace(r"[,'_ ]", "", regex=True)
    number = pd.to_numeric(digits, errors="coerce").astype("float64")
    scale = parts["scale"].fillna("").map({"": 1.0, **SCALES}).astype("float64")
    minus = (parts["sign"].fillna("") + parts["sign2"].fillna("")).str.contains("-")
    negative = (parts["open"].notna() | minus).to_numpy(dtype=bool)
    number = number * scale
    number[negative] = -number[negative]
    result.loc[rest] = number.to_numpy()
    return result
