"""Which engine `icp score` runs when none is named: DuckDB where it is the fast path.

DuckDB reads Parquet and large CSV files itself, in parallel, and the compiled query gives
the pandas scorer's output; pandas stays the engine for small files, for the formats
DuckDB would only get from pandas anyway (Excel, JSON, zipped CSV), and whenever an
option only pandas supports is given.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from icpkit.scorer.excel import split_sheet
from icpkit.scorer.tables import table_format

# CSV files at least this large are scored on DuckDB: about half a million accounts, where
# DuckDB's parallel reader starts saving seconds over pandas.
CSV_THRESHOLD_BYTES = 50_000_000
CSV_THRESHOLD_SHOWN = "50 MB"
# The CSV files DuckDB reads itself (see `scorer.sql.engine`); others go through pandas.
_NATIVE_CSV = (".csv", ".gz", ".tsv", ".txt")


@dataclass(frozen=True)
class Picked:
    """The engine, and why it was picked when it was not pandas (said on stderr)."""

    engine: str
    reason: str = ""


def pick_engine(accounts: Path, *, pandas_only: str | None = None) -> Picked:
    """DuckDB for a Parquet file, or a CSV file of CSV_THRESHOLD_BYTES or more, when DuckDB
    is installed; pandas otherwise, and always when `pandas_only` names an option given
    that only the pandas engine supports."""
    path = split_sheet(accounts)[0]
    if pandas_only is not None or not path.is_file() or not _duckdb_installed():
        return Picked("pandas")
    fmt = table_format(accounts)
    if fmt == "parquet":
        return Picked("duckdb", "the accounts file is Parquet")
    size = path.stat().st_size
    if fmt == "csv" and path.suffix.lower() in _NATIVE_CSV and size >= CSV_THRESHOLD_BYTES:
        return Picked("duckdb", f"the accounts file is a CSV of {CSV_THRESHOLD_SHOWN} or more")
    return Picked("pandas")


def _duckdb_installed() -> bool:
    return importlib.util.find_spec("duckdb") is not None
