#!/usr/bin/env python3
"""The full backtest of 100k deals plus 20k customers, as a user runs it: `icp backtest`
on the example ICP, its deals and customers fixtures resampled to size, in a copy of the
example project. Everything the report holds is computed: bands, AUC with its bootstrap
interval, wins vs losses, calibration, revenue, surprises, retention with Kaplan-Meier.

    python benchmarks/backtest_100k.py [--deals 100000] [--customers 20000] [--runs 3]

Target from issue 16: under 2 s. Figures, not a test: they depend on the machine. The
time is the whole command (start-up and reading the files included), best of `--runs`.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICP_ID = "midmarket-saas-revops"


def resample(source: Path, target: Path, rows: int, key: str) -> None:
    """`rows` rows drawn from `source` with replacement, each with its own `key` value."""
    import pandas as pd

    frame = pd.read_csv(source, dtype=str, keep_default_na=False)
    big = frame.sample(n=rows, replace=True, random_state=42).reset_index(drop=True)
    big[key] = [f"{value}-{i}" for i, value in enumerate(big[key])]
    big.to_csv(target, index=False)


def project(folder: Path, deals: int, customers: int) -> Path:
    for name in ("icps", "fixtures", "pyproject.toml"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name)
        else:
            shutil.copy(source, folder / name)
    for other in (folder / "icps").glob("*.yaml"):
        if other.stem != ICP_ID:
            other.unlink()
    resample(
        ROOT / "fixtures" / "deals" / f"{ICP_ID}.csv",
        folder / "fixtures" / "deals" / f"{ICP_ID}.csv",
        deals,
        "deal_id",
    )
    resample(
        ROOT / "fixtures" / "customers" / f"{ICP_ID}.csv",
        folder / "fixtures" / "customers" / f"{ICP_ID}.csv",
        customers,
        "Customer",
    )
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    icp = Path(sys.executable).parent / "icp"
    with tempfile.TemporaryDirectory(prefix="icpkit-bench-") as scratch:
        folder = project(Path(scratch), args.deals, args.customers)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            done = subprocess.run(
                [icp, "backtest", f"icps/{ICP_ID}.yaml"], cwd=folder, capture_output=True
            )
            times.append(time.perf_counter() - start)
            if done.returncode not in (0, 1):
                print(done.stderr.decode(), file=sys.stderr)
                return 1
    print(
        f"icp backtest, {args.deals:,} deals + {args.customers:,} customers: "
        f"best {min(times):.2f} s of {args.runs} (all: {', '.join(f'{t:.2f}' for t in times)})"
    )
    print("target: under 2 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
