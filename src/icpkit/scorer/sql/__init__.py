"""The ICP as SQL: one query that scores an accounts table inside a warehouse.

- `icpkit.scorer.sql.compile.compile_icp` builds the query with sqlglot for each dialect;
- `icpkit.scorer.sql.values` reads a cell the way `icpkit.scorer.prepare` does, in SQL;
- `icpkit.scorer.sql.engine` runs the query on DuckDB for local CSV and Parquet files.

The pandas scorer (`icpkit.scorer`) is the reference: both give the same score, band,
status and points for the same rows. Nothing is imported here, so that `icp check`
never loads pandas or sqlglot.
"""
