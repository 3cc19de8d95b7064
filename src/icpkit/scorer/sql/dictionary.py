"""Which columns of a Parquet file DuckDB reads as dictionaries (each distinct value once).

DuckDB evaluates a plain function of a dictionary column on its distinct values only, but a
CASE on every row: the edge-space trim written as a CASE (`values.trimmed`) costs a tenth
of a second per million rows and per column, the same trim as a plain TRIM next to nothing.
On a column of unique values it is the other way round, so the trim is chosen per column,
from how the file stores it: only a column whose every data page is dictionary-encoded is
read as a dictionary throughout.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

_DICTIONARY_PAGES = frozenset({"PLAIN_DICTIONARY", "RLE_DICTIONARY"})


def dictionary_columns(con: Any, path: Path) -> frozenset[str]:
    """The top-level columns of the Parquet file at `path` stored as dictionaries in every
    row group; a writer that does not say how its pages are encoded gets none."""
    literal = "'" + str(path).replace("'", "''") + "'"
    rows = con.sql(
        f"SELECT path_in_schema, encoding_stats FROM parquet_metadata({literal})"
    ).fetchall()
    verdicts: dict[str, bool] = {}
    for column, stats in rows:
        data = [s for s in stats or () if str(s["page_type"]).startswith("DATA_PAGE")]
        encoded = bool(data) and all(str(s["encoding"]) in _DICTIONARY_PAGES for s in data)
        name = str(column)
        verdicts[name] = verdicts.get(name, True) and encoded
    return frozenset(name for name, encoded in verdicts.items() if encoded)
