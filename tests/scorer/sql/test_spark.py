"""`icp score --engine spark` through the installed command: a file or a catalog table
scored in a local Spark session, written to a file (the bytes `icp score` writes) or saved
as a table; and the errors a user can act on.

The tests that start Spark are marked `spark` and collected only when ICPKIT_ENGINES names
it (`scripts/dev.py test --engines spark`): each run of the command starts a JVM (~15 s).
The option checks made before a session starts run in every suite.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import run_icp
from tests.scorer.sql.test_compile import example_frame
from tests.scorer.test_overrides import entry, write_overrides

ICP = "icps/midmarket-saas-revops.yaml"
DEALS = "fixtures/deals/midmarket-saas-revops.csv"
# A metastore that outlives the command (Derby, in the test's folder), so that the table
# one run saves is there for the next, as in a team's own Spark setup.
CATALOG = ("--spark-conf", "spark.sql.catalogImplementation=hive",
           "--spark-conf", "spark.sql.warehouse.dir=warehouse")  # fmt: skip


def icp(folder: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    done = run_icp(folder, *args, env=env)
    return done.returncode, done.stdout, done.stderr


def summary(err: str) -> str:
    """The command's own last line (the JVM may print its start-up lines before it)."""
    return err.strip().splitlines()[-1]


@pytest.mark.slow
@pytest.mark.spark
@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_a_file_scored_in_spark_is_the_file_icp_score_writes(
    example_repo: Path, suffix: str
) -> None:
    code, _, err = icp(example_repo, "score", ICP, DEALS, "--engine", "spark", "-o", f"s{suffix}")
    assert code == 0, err
    assert icp(example_repo, "score", ICP, DEALS, "-o", f"p{suffix}")[0] == 0
    assert (example_repo / f"s{suffix}").read_bytes() == (example_repo / f"p{suffix}").read_bytes()
    assert summary(err).startswith("Scored 640 accounts: strong 97, ")
    assert summary(err).endswith(f" -> s{suffix}")


@pytest.mark.slow
@pytest.mark.spark
def test_overrides_not_applied_in_spark_are_said(example_repo: Path) -> None:
    write_overrides(example_repo, entry("Aritekari io", "band: strong"))
    code, _, err = icp(example_repo, "score", ICP, DEALS, "--engine", "spark", "-o", "s.csv")
    assert code == 0, err
    assert (
        "warning: the overrides in icps/midmarket-saas-revops.overrides.yaml are not applied "
        "with --engine spark"
    ) in err
    assert "overridden" not in set(pd.read_csv(example_repo / "s.csv")["status"])


@pytest.mark.slow
@pytest.mark.spark
def test_typed_parquet_is_read_by_spark_with_its_numbers_as_numbers(example_repo: Path) -> None:
    frame = example_frame(ICP, typed=True)
    frame.to_parquet("typed.parquet", index=False)
    code, _, err = icp(example_repo, "score", ICP, "typed.parquet", "--engine", "spark",
                       "--keep", "deal_id", "-o", "spark.parquet")  # fmt: skip
    assert code == 0, err
    pandas = ("score", ICP, "typed.parquet", "--keep", "deal_id", "-o", "pandas.parquet")
    assert icp(example_repo, *pandas)[0] == 0
    pd.testing.assert_frame_equal(
        pd.read_parquet("spark.parquet"), pd.read_parquet("pandas.parquet")
    )


@pytest.mark.slow
@pytest.mark.spark
def test_into_replaces_the_table_and_table_scores_it_in_place(example_repo: Path) -> None:
    into = ("score", ICP, DEALS, "--engine", "spark", "--into", "icp_scores", *CATALOG)
    for _ in range(2):  # the second run replaces the first run's table, not appends to it
        code, _, err = icp(example_repo, *into)
        assert code == 0, err
    assert summary(err) == (
        "Scored 640 accounts: strong 97, good 129, possible 65, weak 76, poor 145, "
        "disqualified 128 -> icp_scores"
    )
    # The saved table carries every deal column, so scoring it again scores the same rows.
    again = ("score", ICP, "--engine", "spark", "--table", "icp_scores", "--keep", "deal_id")
    code, _, err = icp(example_repo, *again, "-o", "again.parquet", *CATALOG)
    assert code == 0, err
    assert summary(err).startswith("Scored 640 accounts: strong 97, ")
    assert icp(example_repo, "score", ICP, DEALS, "--keep", "deal_id", "-o", "p.parquet")[0] == 0
    pd.testing.assert_frame_equal(pd.read_parquet("again.parquet"), pd.read_parquet("p.parquet"))
    # A table that is not in the catalog, and --into the --table itself: one Error line.
    code, _, err = icp(example_repo, *again[:-2], "--table", "nowhere", *CATALOG)
    assert code == 2
    assert summary(err) == "Error: no table nowhere in the Spark session's catalog (--table)"
    code, _, err = icp(example_repo, *again[:-2], "--into", "icp_scores", "-o", "x.csv")
    assert code == 2
    assert summary(err) == "Error: --engine spark writes --into a table or -o a file, not both"
    code, _, err = icp(example_repo, *again[:-2], "--into", "icp_scores", *CATALOG)
    assert code == 2
    assert summary(err) == "Error: --into icp_scores is the --table itself: name another table"


def test_options_are_checked_before_a_session_starts(example_repo: Path) -> None:
    base = ("score", ICP, DEALS, "--engine", "spark")
    cases = {
        ("--explain", "MID-10001"): "Error: --explain is not available with --engine spark",
        ("--expected",): "Error: --expected is not available with --engine spark",
        ("--into", "t", "-o", "x.csv"): "Error: --engine spark writes --into a table or -o "
        "a file, not both",
        ("--spark-conf", "nokey"): "Error: --spark-conf 'nokey': write KEY=VALUE",
    }
    for extra, message in cases.items():
        code, _, err = icp(example_repo, *base, *extra)
        assert (code, err) == (2, message + "\n"), extra
    for engine in ("pandas", "duckdb"):
        code, _, err = icp(example_repo, *base[:3], "--engine", engine, "--spark-master", "x")
        assert (code, err) == (
            2,
            "Error: --spark-master and --spark-conf set up --engine spark: add it\n",
        )
    remote = {**os.environ, "SPARK_REMOTE": "sc://localhost:15002"}
    code, _, err = icp(example_repo, *base, env=remote)
    assert code == 2 and "Spark Connect is not supported yet: unset SPARK_REMOTE" in err


def test_without_pyspark_the_error_says_what_to_install(
    example_repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # A pyspark that cannot be imported, first on the path: icpkit installed without its
    # spark extra (whether or not this environment has pyspark).
    shadow = tmp_path_factory.mktemp("no-pyspark")
    (shadow / "pyspark").mkdir()
    (shadow / "pyspark" / "__init__.py").write_text("raise ImportError('no pyspark here')\n")
    env = {**os.environ, "PYTHONPATH": str(shadow)}
    code, _, err = icp(example_repo, "score", ICP, DEALS, "--engine", "spark", env=env)
    assert (code, err) == (2, "Error: --engine spark needs pyspark: pip install 'icpkit[spark]'\n")
