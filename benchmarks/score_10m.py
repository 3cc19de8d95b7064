#!/usr/bin/env python3
"""10M accounts in Parquet: the compiled query on DuckDB against the pandas scorer.

    python benchmarks/score_10m.py [--rows 10000000] [--skip-pandas]

One run each, in its own process (so each peak memory, max RSS, is its own), on the
same file, both writing the scored accounts to Parquet as `icp score -o` does. Target
from issue 6: 10M rows scored in under 10 s on a 2-core machine. Figures, not a test:
they depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICP = ROOT / "icps" / "midmarket-saas-revops.yaml"


def make_universe(path: Path, rows: int) -> None:
    """Warehouse-shaped accounts (numeric columns typed), generated inside DuckDB."""
    import duckdb

    pick = "list_element({0}, 1 + floor(random() * {1})::INT)"
    con = duckdb.connect()
    con.sql("SELECT setseed(0.42)")
    con.sql(
        f"""
        COPY (
          SELECT
            'acct-' || i AS account,
            round(exp(ln(10) + random() * (ln(20000) - ln(10))))::INTEGER AS employees,
            round(exp(ln(1e6) + random() * (ln(5e9) - ln(1e6))), -3) AS revenue_usd,
            {pick.format("['saas', 'SaaS', 'fintech', 'martech', 'retail', 'agency']", 6)}
              AS industry,
            {pick.format("['US', 'GB', 'CA', 'IE', 'DE', 'FR']", 6)} AS country,
            {pick.format("['series-a', 'series-b', 'series-c', 'seed']", 4)} AS funding_stage,
            {pick.format("['salesforce;slack', 'hubspot', 'Salesforce', '']", 4)} AS tech_stack,
            round(random() * 60 - 10)::INTEGER AS sales_team_growth_pct,
            {pick.format("['sales-forecasting', '', 'hr-tech']", 3)} AS intent_topic_surge,
            {pick.format("['new-sales-leader', '', 'missed-forecast;series-b-plus-round']", 3)}
              AS triggers
          FROM range({rows}) AS t(i)
        ) TO '{path}' (FORMAT PARQUET)
        """
    )  # fmt: skip


def run(engine: str, source: Path, out: Path) -> dict[str, float | int]:
    from icpkit.checks.config import load_config

    config = load_config(ROOT)
    start = time.perf_counter()
    if engine == "duckdb":
        from icpkit.scorer.sql.engine import score_with_duckdb

        rows = score_with_duckdb([ICP], source, config=config, out=out).rows
    else:
        from icpkit.scorer.run import score_file
        from icpkit.scorer.tables import write_table

        frame = score_file([ICP], source, config=config).frame
        write_table(frame, out)
        rows = len(frame)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"rows": rows, "seconds": seconds, "peak_mb": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--skip-pandas", action="store_true", help="Time DuckDB only.")
    parser.add_argument("--engine", help=argparse.SUPPRESS)
    parser.add_argument("--source", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine:  # the child process: one engine, figures as JSON
        out = args.source.with_name(f"scored-{args.engine}.parquet")
        print(json.dumps(run(args.engine, args.source, out)))
        return
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "universe.parquet"
        start = time.perf_counter()
        make_universe(source, args.rows)
        size = source.stat().st_size / 1e6
        print(f"{args.rows:,} accounts, {size:.0f} MB of Parquet, made in "
              f"{time.perf_counter() - start:.1f} s")  # fmt: skip
        engines = ["duckdb"] if args.skip_pandas else ["duckdb", "pandas"]
        for engine in engines:
            done = subprocess.run(
                [sys.executable, __file__, "--engine", engine, "--source", str(source)],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode:
                print(f"{engine:>7}: failed: {done.stderr.strip().splitlines()[-1:]}")
                continue
            figures = json.loads(done.stdout)
            rate = figures["rows"] / figures["seconds"] / 1e6
            print(
                f"{engine:>7}: {figures['seconds']:6.1f} s  {rate:5.2f} M rows/s  "
                f"peak {figures['peak_mb']:,.0f} MB"
            )
        print("target: under 10 s for 10M rows (compiled query on DuckDB, 2 cores)")


if __name__ == "__main__":
    main()
