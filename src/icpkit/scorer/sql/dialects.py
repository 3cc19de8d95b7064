"""The SQL dialects `icp compile` writes (kept apart so the CLI can list them cheaply)."""

DIALECTS = ("duckdb", "snowflake", "bigquery", "spark", "postgres")
