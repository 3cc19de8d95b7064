"""`icp score` without --engine: DuckDB for Parquet and large CSV files, pandas otherwise,
the same output either way, and the choice said on stderr."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from icpkit.scorer.pick import CSV_THRESHOLD_BYTES, pick_engine
from tests.conftest import run_icp

ICP = "icps/midmarket-saas-revops.yaml"
DEALS = "fixtures/deals/midmarket-saas-revops.csv"
SAID = "Scoring with duckdb: the accounts file is Parquet (--engine pandas to use pandas)"


def test_parquet_is_scored_on_duckdb_with_the_pandas_output(example_repo: Path) -> None:
    pd.read_csv(DEALS, dtype=str, keep_default_na=False).to_parquet("deals.parquet")
    picked = run_icp(example_repo, "score", ICP, "deals.parquet", "-o", "auto.csv")
    assert picked.returncode == 0, picked.stderr
    assert picked.stderr.splitlines()[0] == SAID
    chosen = run_icp(example_repo, "score", ICP, "deals.parquet", "-o", "pandas.csv",
                     "--engine", "pandas")  # fmt: skip
    assert chosen.returncode == 0, chosen.stderr
    assert "Scoring with" not in chosen.stderr
    auto, pandas = (example_repo / "auto.csv").read_bytes(), (example_repo / "pandas.csv")
    assert auto == pandas.read_bytes()
    assert auto.count(b"\n") > 20


def test_a_small_csv_stays_on_pandas(example_repo: Path) -> None:
    picked = run_icp(example_repo, "score", ICP, DEALS)
    assert picked.returncode == 0, picked.stderr
    assert "Scoring with" not in picked.stderr
    duckdb = run_icp(example_repo, "score", ICP, DEALS, "--engine", "duckdb")
    assert picked.stdout == duckdb.stdout and picked.stdout.count("\n") > 20


def test_explain_keeps_pandas_for_parquet(example_repo: Path) -> None:
    frame = pd.read_csv(DEALS, dtype=str, keep_default_na=False)
    frame.to_parquet("deals.parquet")
    name = str(frame["account"].iloc[0])
    done = run_icp(example_repo, "score", ICP, "deals.parquet", "--explain", name)
    assert done.returncode == 0, done.stderr
    assert "Scoring with" not in done.stderr
    assert name in done.stdout


def test_csv_files_from_the_threshold_up_go_to_duckdb(tmp_path: Path) -> None:
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    for path, size in ((small, CSV_THRESHOLD_BYTES - 1), (large, CSV_THRESHOLD_BYTES)):
        path.write_bytes(b"account\n")
        os.truncate(path, size)  # sparse: only the size is read
    assert pick_engine(small).engine == "pandas"
    assert pick_engine(large).engine == "duckdb"
    assert "CSV of 50 MB or more" in pick_engine(large).reason
    assert pick_engine(large, pandas_only="--explain").engine == "pandas"
    zipped = tmp_path / "large.csv.zip"
    large.rename(zipped)  # DuckDB would only get it from pandas: no gain
    assert pick_engine(zipped).engine == "pandas"
