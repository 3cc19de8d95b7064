#!/usr/bin/env python3
"""Scoring 1M accounts: icpkit (pandas, vectorised) against a row-by-row Python scorer and
DuckDB running the same model as SQL on one thread; then a backtest of 100k deals.

    python benchmarks/score_1m.py [--rows 1000000] [--deals 100000]

Each engine runs in its own process so its peak memory (max RSS) is its own. Targets
from the issue: >= 5x faster than row-by-row, within 1.5x of DuckDB on CSV, peak memory
under 1.5 GB at 1M rows, backtest of 100k deals under 3 s. Figures, not a test: they
depend on the machine.
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


def make_accounts(folder: Path, rows: int) -> tuple[Path, Path]:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(42)
    industries = ["saas", "SaaS", "fintech", "martech", "retail", "agency"]
    triggers = ["new-sales-leader", "", "missed-forecast;series-b-plus-round"]
    size = np.exp(rng.uniform(np.log(10), np.log(20000), rows)).round()
    frame = pd.DataFrame(
        {
            "account": [f"acct-{i}" for i in range(rows)],
            "employees": size.astype(int).astype(str),
            "revenue_usd": (size * rng.uniform(5e4, 2e5, rows)).round(-3).astype(int).astype(str),
            "industry": rng.choice(industries, rows),
            "country": rng.choice(["US", "GB", "CA", "IE", "DE", "FR"], rows),
            "funding_stage": rng.choice(["series-a", "series-b", "series-c", "seed"], rows),
            "tech_stack": rng.choice(["salesforce;slack", "hubspot", "Salesforce", ""], rows),
            "sales_team_growth_pct": rng.normal(20, 15, rows).round().astype(int).astype(str),
            "intent_topic_surge": rng.choice(["sales-forecasting", "", "hr-tech"], rows),
            "triggers": rng.choice(triggers, rows),
        }
    )  # fmt: skip
    csv_path, parquet_path = folder / "accounts.csv", folder / "accounts.parquet"
    frame.to_csv(csv_path, index=False)
    frame.to_parquet(parquet_path, index=False)
    return csv_path, parquet_path


def run_icpkit(source: Path) -> int:
    from icpkit.format.valid import load_icp
    from icpkit.project.mapping import DataMapping
    from icpkit.scorer.prepare import prepare_accounts
    from icpkit.scorer.score import score_frame
    from icpkit.scorer.tables import read_table

    icp = load_icp(ICP)
    prepared = prepare_accounts(read_table(source), [icp], DataMapping())
    return len(score_frame(icp, prepared.frame))


def run_rows(source: Path) -> int:
    """The obvious implementation: csv.DictReader and a Python function per row."""
    import csv

    from icpkit.format.model import Form, Match
    from icpkit.format.valid import load_icp

    icp = load_icp(ICP)

    def matches(match: Match, raw: str) -> bool | None:
        form = match.form
        if raw == "":
            return None
        if form is Form.RANGE:
            value = float(raw)
            low, high = match.min, match.max
            return (low is None or value >= low) and (high is None or value <= high)
        if form is Form.IN:
            return raw.strip().casefold() in match.folded
        items = {i.strip().casefold() for i in raw.split(";")}
        wanted = match.folded
        return bool(items & wanted) if form is Form.ANY else wanted <= items

    count = 0
    with source.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            points = 0.0
            for attribute in icp.attributes:
                hit = matches(attribute.match, row[attribute.field])
                credit = 1.0 if hit else 0.0
                for partial in attribute.partial:
                    if not hit and matches(partial.match, row[attribute.field]):
                        credit = max(credit, partial.credit)
                points += credit * attribute.weight
            present = {t.strip().casefold() for t in row["triggers"].split(";")}
            points += sum(t.weight for t in icp.triggers if t.id in present)
            for anti in icp.anti_icp:
                if anti.when and all(matches(c.match, row[c.field]) for c in anti.when):
                    points = 0.0
                    break
            count += points >= 0
    return count


def sql_for(source: Path) -> str:
    """The ICP's model as one DuckDB query (issue 6 makes this a real compiler)."""
    from icpkit.format.model import Form, Match
    from icpkit.format.valid import load_icp

    icp = load_icp(ICP)

    def cond(field: str, match: Match) -> str:
        if match.form is Form.RANGE:
            value = f'TRY_CAST("{field}" AS DOUBLE)'
            parts = [f"{value} >= {match.min}"] if match.min is not None else []
            parts += [f"{value} <= {match.max}"] if match.max is not None else []
            return " AND ".join(parts)
        values = ", ".join(f"'{v}'" for v in sorted(match.folded))
        if match.form is Form.IN:
            return f'lower(trim("{field}")) IN ({values})'
        spaced = f"replace(replace(lower(trim(\"{field}\")), ' ;', ';'), '; ', ';')"
        items = f"string_split({spaced}, ';')"
        how = "list_has_any" if match.form is Form.ANY else "list_has_all"
        return f"{how}({items}, [{values}])"

    terms = []
    for a in icp.attributes:
        cases = [f"WHEN {cond(a.field, a.match)} THEN {a.weight}"]
        cases += [f"WHEN {cond(a.field, p.match)} THEN {a.weight * p.credit}" for p in a.partial]
        terms.append(f"CASE {' '.join(cases)} ELSE 0 END")
    split = "string_split(lower(triggers), ';')"
    terms += [f"CASE WHEN list_contains({split}, '{t.id}') THEN {t.weight} ELSE 0 END"
              for t in icp.triggers]  # fmt: skip
    anti = [
        f"WHEN {' AND '.join(cond(c.field, c.match) for c in a.when)} THEN '{a.id}'"
        for a in icp.anti_icp
        if a.when
    ]
    bands = " ".join(
        f"WHEN raw >= {floor} THEN '{name}'" for name, floor in icp.scoring.bands.items()
    )
    total = " + ".join(terms)
    disqualify = " ".join(anti)
    return f"""
        CREATE TABLE scored AS
        WITH s AS (
          SELECT *, LEAST(100, GREATEST(0, {total})) AS raw,
                 CASE {disqualify} ELSE NULL END AS disqualifier
          FROM read_csv('{source}', all_varchar = true)
        )
        SELECT *, CASE WHEN disqualifier IS NOT NULL THEN 0 ELSE raw END AS score,
               CASE WHEN disqualifier IS NOT NULL THEN 'disqualified' {bands} ELSE 'poor' END
                 AS band
        FROM s
    """  # fmt: skip


def run_duckdb(source: Path) -> int:
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads = 1")
    query = sql_for(source)
    if source.suffix == ".parquet":
        query = query.replace("read_csv(", "read_parquet(").replace(", all_varchar = true", "")
    con.execute(query)
    row = con.execute("SELECT count(*) FROM scored").fetchone()
    return int(row[0]) if row else 0


def run_backtest(source: Path) -> int:
    import numpy as np
    import pandas as pd

    from icpkit.format.valid import load_icp
    from icpkit.project.mapping import DataMapping
    from icpkit.scorer.backtest import backtest
    from icpkit.scorer.prepare import prepare_deals
    from icpkit.scorer.tables import Table

    icp = load_icp(ICP)
    accounts = pd.read_parquet(source)
    rng = np.random.default_rng(1)
    accounts["deal_id"] = np.arange(len(accounts)).astype(str)
    accounts["outcome"] = np.where(rng.random(len(accounts)) < 0.3, "won", "lost")
    accounts["amount_usd"] = rng.integers(5_000, 90_000, len(accounts)).astype(str)
    accounts["cycle_days"] = rng.integers(10, 200, len(accounts)).astype(str)
    start = time.perf_counter()
    prepared = prepare_deals(Table(accounts, source), [icp], DataMapping())
    result = backtest(icp, prepared.frame)
    print(json.dumps({"inner_seconds": time.perf_counter() - start}), file=sys.stderr)
    return result.closed


ENGINES = {
    "icpkit": run_icpkit,
    "rows": run_rows,
    "duckdb": run_duckdb,
    "backtest": run_backtest,
}


def child(engine: str, source: Path) -> None:
    start = time.perf_counter()
    rows = ENGINES[engine](source)
    seconds = time.perf_counter() - start
    peak_mb = _peak_mb()
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": peak_mb}))


def _peak_mb() -> float:
    # VmHWM starts afresh at exec; ru_maxrss would carry the parent's footprint over.
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(engine: str, source: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", engine, str(source)],
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    for line in done.stderr.splitlines():
        if line.startswith("{"):
            figures.update(json.loads(line))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "SOURCE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        csv_path, parquet_path = make_accounts(Path(tmp), args.rows)
        print(f"{args.rows:,} accounts scored against {ICP.name}\n")
        print(f"{'engine':<28}{'seconds':>9}{'peak MB':>10}")
        results = {}
        for label, engine, source in (
            ("icpkit (pandas), CSV", "icpkit", csv_path),
            ("icpkit (pandas), Parquet", "icpkit", parquet_path),
            ("DuckDB SQL 1 thread, CSV", "duckdb", csv_path),
            ("DuckDB SQL 1 thread, Parquet", "duckdb", parquet_path),
            ("row by row (Python), CSV", "rows", csv_path),
        ):
            figures = measure(engine, source)
            results[label] = figures
            print(f"{label:<28}{figures['seconds']:>9.2f}{figures['peak_mb']:>10.0f}")
        ours = results["icpkit (pandas), CSV"]["seconds"]
        rows = results["row by row (Python), CSV"]["seconds"]
        duck = results["DuckDB SQL 1 thread, CSV"]["seconds"]
        peak = max(results[k]["peak_mb"] for k in results if k.startswith("icpkit"))
        print()
        print(f"speed-up over row by row (CSV): {rows / ours:5.1f}x   target >= 5x")
        print(f"icpkit / DuckDB time (CSV):     {ours / duck:5.2f}    target <= 1.5")
        print(f"icpkit peak memory:             {peak:5.0f} MB target < 1,536 MB")
        deals_path = Path(tmp) / "deals.parquet"
        import pandas as pd

        pd.read_parquet(parquet_path).head(args.deals).to_parquet(deals_path)
        figures = measure("backtest", deals_path)
        print(
            f"backtest of {args.deals:,} deals:     {figures['inner_seconds']:5.2f} s   "
            "target < 3 s (prepare, score, metrics, 1,000 bootstrap resamples)"
        )


if __name__ == "__main__":
    main()
