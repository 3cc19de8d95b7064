"""Which Parquet columns DuckDB reads as dictionaries (`scorer.sql.dictionary`): only a
column whose every data page is dictionary-encoded, whoever wrote the file."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from icpkit.scorer.sql.dictionary import dictionary_columns


def test_a_column_that_falls_back_to_plain_pages_is_not_a_dictionary(tmp_path: Path) -> None:
    rows = 300_000
    table = pa.table(
        {
            "unique": [f"account-{i}" for i in range(rows)],  # overflows the dictionary
            "few": ["saas", "fintech", " SaaS\u00a0"] * (rows // 3),
            "plain": ["x", "y", "z"] * (rows // 3),
            "number": list(range(rows)),
        }
    )
    path = tmp_path / "accounts.parquet"
    pq.write_table(
        table,
        path,
        row_group_size=100_000,
        use_dictionary=["unique", "few", "number"],
        dictionary_pagesize_limit=64_000,
    )
    found = dictionary_columns(duckdb.connect(), path)
    assert "few" in found
    assert not {"unique", "plain"} & found


def test_duckdb_s_own_parquet_is_read_the_same_way(tmp_path: Path) -> None:
    path = tmp_path / "duck.parquet"
    con = duckdb.connect()
    con.sql(
        "SELECT (i % 4)::VARCHAR AS few, 'id-' || i::VARCHAR AS unique FROM range(200000) t(i)"
    ).write_parquet(str(path))
    assert dictionary_columns(con, path) == {"few"}
