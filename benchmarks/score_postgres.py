#!/usr/bin/env python3
"""The compiled query on PostgreSQL beside DuckDB: `icp score --engine postgres --into` on a
text table of 100k and 1M accounts, and `icp score --engine duckdb` on the same rows as CSV.

    python benchmarks/score_postgres.py [--rows 100000 1000000] [--inline 10000]

Uses the server at ICPKIT_POSTGRES_URL, else starts a throwaway one (scripts/pgserver.py).
Loading the table is timed apart from scoring it. `--inline N` also times N rows with the
CTEs left to the planner (no `AS MATERIALIZED`), the query before issue 18: it inlines
every number-parsing expression into each later stage, so expect minutes, not seconds.
Figures, not a test: they depend on the machine (and on work_mem, left at its default).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
ICP = ROOT / "icps" / "midmarket-saas-revops.yaml"


def _module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load(url: str, csv_path: Path) -> float:
    """The CSV as the text table bench.accounts, as a CRM sync lands it."""
    import psycopg

    header = csv_path.read_text(encoding="utf-8").split("\n", 1)[0].split(",")
    columns = ", ".join(f'"{name}" TEXT' for name in header)
    start = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as con:
        con.execute("DROP SCHEMA IF EXISTS bench CASCADE")
        con.execute("CREATE SCHEMA bench")
        con.execute(f"CREATE TABLE bench.accounts ({columns})")
        copy_sql = "COPY bench.accounts FROM STDIN WITH (FORMAT csv, HEADER true)"
        with con.cursor().copy(copy_sql) as copy, csv_path.open("rb") as handle:
            while block := handle.read(1 << 20):
                copy.write(block)
        con.execute("ANALYZE bench.accounts")
    return time.perf_counter() - start


def score_postgres(url: str) -> tuple[float, int]:
    from icpkit.checks.config import load_config
    from icpkit.scorer.loaded import scoring_icps
    from icpkit.scorer.sql.postgres import score_in_postgres

    config = load_config(ROOT)
    item = scoring_icps([ICP], config)[0]
    start = time.perf_counter()
    run = score_in_postgres(
        item, url=url, table="bench.accounts", config=config, into="bench.icp_scores"
    )
    return time.perf_counter() - start, run.rows


def score_inline(url: str) -> float:
    """The same query with every CTE left for the planner to inline."""
    import psycopg

    from icpkit.checks.config import load_config
    from icpkit.scorer.loaded import scoring_icps
    from icpkit.scorer.sql.compile import compile_icp

    config = load_config(ROOT)
    item = scoring_icps([ICP], config)[0]
    sql = compile_icp(
        item.icp, dialect="postgres", mapping=config.mapping, table="bench.accounts",
        ruler=item.ruler, pretty=False,
    ).sql.replace(" AS MATERIALIZED (", " AS (")  # fmt: skip
    start = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f"CREATE TABLE bench.inline_scores AS {sql}")
    return time.perf_counter() - start


def score_duckdb(csv_path: Path, out: Path) -> float:
    from icpkit.checks.config import load_config
    from icpkit.scorer.sql.engine import score_with_duckdb

    config = load_config(ROOT)
    start = time.perf_counter()
    score_with_duckdb([ICP], csv_path, config=config, out=out)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--inline", type=int, metavar="N", help="also time N rows inlined")
    args = parser.parse_args()
    make_accounts = _module(ROOT / "benchmarks" / "score_1m.py").make_accounts
    with ExitStack() as stack:
        url = os.environ.get("ICPKIT_POSTGRES_URL")
        if not url:
            url = stack.enter_context(_module(ROOT / "scripts" / "pgserver.py").running())
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        print(f"Accounts scored against {ICP.name}; PostgreSQL writes a table (--into),")
        print("DuckDB a Parquet file (-o), both from the same text rows.\n")
        print(f"{'rows':>10}{'PG load s':>11}{'PG score s':>12}{'DuckDB s':>10}")
        for rows in args.rows:
            csv_path, _ = make_accounts(tmp, rows)
            loaded = load(url, csv_path)
            scored, count = score_postgres(url)
            assert count == rows, (count, rows)
            duck = score_duckdb(csv_path, tmp / "scores.parquet")
            print(f"{rows:>10,}{loaded:>11.2f}{scored:>12.2f}{duck:>10.2f}", flush=True)
        if args.inline:
            csv_path, _ = make_accounts(tmp, args.inline)
            load(url, csv_path)
            materialized, _ = score_postgres(url)
            inline = score_inline(url)
            print(
                f"\n{args.inline:,} rows on PostgreSQL: {materialized:.2f} s materialised, "
                f"{inline:.2f} s with the CTEs inlined ({inline / materialized:.0f}x)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
