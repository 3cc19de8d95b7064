"""`icp score --engine postgres` through the installed command, on the test server: a table
scored where it lives, written back as a table or to a file, equal to `icp score` on the
same rows; and the errors a user can act on, without ever showing the password."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from icpkit.scorer.tables import TEXT_DTYPE
from tests.conftest import run_icp
from tests.engines import URL_VAR, Postgres
from tests.scorer.sql.test_ranks import HELPER_LIKE
from tests.scorer.test_overrides import entry, write_overrides

ICP = "icps/midmarket-saas-revops.yaml"
DEALS = "fixtures/deals/midmarket-saas-revops.csv"


@pytest.fixture
def crm(example_repo: Path, postgres: Postgres) -> str:
    """The example deals as a text table in the test schema, as a CRM sync lands them."""
    frame = pd.read_csv(DEALS, dtype=str, keep_default_na=False, na_values=[""])
    postgres.load("accounts", frame.astype(TEXT_DTYPE))
    postgres.con.execute("DROP TABLE IF EXISTS icp_scores")
    return postgres.schema


def icp(folder: Path, *args: str) -> tuple[int, str, str]:
    done = run_icp(folder, *args)
    return done.returncode, done.stdout, done.stderr


def by_deal(frame: pd.DataFrame) -> pd.DataFrame:
    # A table has no row order: compared by deal id.
    return frame.sort_values("deal_id").reset_index(drop=True)


def test_into_writes_the_scores_as_a_table_replaced_in_one_go(
    example_repo: Path, crm: str, postgres: Postgres
) -> None:
    args = ("score", ICP, "--engine", "postgres", "--table", f"{crm}.accounts")
    for _ in range(2):  # the second run replaces the first run's table
        code, _, err = icp(example_repo, *args, "--into", f"{crm}.icp_scores")
        assert code == 0, err
    assert err.startswith("Scored 640 accounts: strong ") and err.endswith(f"{crm}.icp_scores\n")
    written = postgres.query("SELECT * FROM icp_scores")
    assert icp(example_repo, "score", ICP, DEALS, "-o", "pandas.parquet")[0] == 0
    expected = pd.read_parquet("pandas.parquet")
    assert list(written.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(
        by_deal(written).astype(object).where(by_deal(written).notna(), None),
        by_deal(expected).astype(object).where(by_deal(expected).notna(), None),
    )
    tables = postgres.query(
        f"SELECT table_name FROM information_schema.tables WHERE table_schema = '{crm}'"
    )
    assert sorted(tables["table_name"]) == ["accounts", "icp_scores"]  # no scratch left


@pytest.mark.slow
def test_file_output_has_the_bytes_and_types_icp_score_writes(example_repo: Path, crm: str) -> None:
    args = ("score", ICP, "--engine", "postgres", "--table", f"{crm}.accounts")
    for suffix in ("csv", "parquet"):
        code, _, err = icp(example_repo, *args, "-o", f"pg.{suffix}")
        assert code == 0, err
        assert icp(example_repo, "score", ICP, DEALS, "-o", f"pandas.{suffix}")[0] == 0
    pg_lines = Path("pg.csv").read_text(encoding="utf-8").splitlines()
    pandas_lines = Path("pandas.csv").read_text(encoding="utf-8").splitlines()
    assert pg_lines[0] == pandas_lines[0]
    assert sorted(pg_lines) == sorted(pandas_lines)
    expected, actual = pq.read_table("pandas.parquet"), pq.read_table("pg.parquet")
    assert [(f.name, f.type) for f in expected.schema] == [(f.name, f.type) for f in actual.schema]
    key = "deal_id"
    assert sorted(expected.to_pylist(), key=lambda r: r[key]) == sorted(
        actual.to_pylist(), key=lambda r: r[key]
    )


def test_numeric_columns_of_a_typed_table_are_read_as_numbers(
    example_repo: Path, crm: str, postgres: Postgres
) -> None:
    frame = pd.read_csv(DEALS, dtype=str, keep_default_na=False, na_values=[""])
    for column in ("employees", "sales_team_growth_pct"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
    postgres.load("typed", frame)
    frame.to_parquet("typed.parquet", index=False)
    args = ("score", ICP, "--engine", "postgres", "--table", f"{crm}.typed", "-o", "pg.parquet")
    code, _, err = icp(example_repo, *args)
    assert code == 0, err
    assert icp(example_repo, "score", ICP, "typed.parquet", "-o", "pandas.parquet")[0] == 0
    schema = pq.read_schema("pg.parquet")
    assert schema.field("employees").type == "int64"
    # Types, not nullability: DuckDB (which scores Parquet here) marks never-null columns.
    typed = [(f.name, f.type) for f in pq.read_schema("pandas.parquet")]
    assert [(f.name, f.type) for f in schema] == typed
    actual, expected = pd.read_parquet("pg.parquet"), pd.read_parquet("pandas.parquet")
    assert by_deal(actual)[["score", "band"]].equals(by_deal(expected)[["score", "band"]])


def test_errors_name_what_is_wrong_and_never_the_password(
    example_repo: Path, crm: str, postgres: Postgres
) -> None:
    args = ("score", ICP, "--engine", "postgres")
    code, _, err = icp(example_repo, *args, "--table", f"{crm}.nowhere", "-o", "x.csv")
    assert code == 2 and err == f"Error: no table {crm}.nowhere in the database (--table)\n"
    frame = pd.read_csv(DEALS, dtype=str, keep_default_na=False).drop(columns=["employees"])
    postgres.load("partial", frame.astype(TEXT_DTYPE))
    code, _, err = icp(example_repo, *args, "--table", f"{crm}.partial", "-o", "x.csv")
    assert code == 2 and err.startswith(f"Error: {crm}.partial: no column for employees")
    secret = "pa55-w0rd"
    for url in (f"postgresql://bob:{secret}@127.0.0.1:1/crm",
                f"postgresql://bob:{secret}@127.0.0.1:port/crm"):  # fmt: skip
        code, _, err = icp(example_repo, *args, "--url", url, "--table", "a", "-o", "x.csv")
        assert code == 2 and err.startswith("Error: ") and "bob@127.0.0.1" in err, err
        assert secret not in err
    code, _, err = icp(
        example_repo, *args, "--table", f"{crm}.accounts", "--into", f"{crm}.accounts"
    )
    assert code == 2 and "is the --table itself" in err
    both = ("--into", f"{crm}.icp_scores", "-o", "x.csv")
    code, _, err = icp(example_repo, *args, "--table", f"{crm}.accounts", *both)
    assert code == 2 and "--into schema.icp_scores or -o FILE (not both" in err
    code, out, _ = icp(example_repo, *args, "--table", f"{crm}.accounts")  # CSV on stdout
    assert code == 0 and out.startswith("deal_id,account,outcome,")
    code, _, err = icp(example_repo, "score", ICP, DEALS, "--table", f"{crm}.accounts")
    engines = "add --engine postgres or --engine spark"
    assert code == 2 and err == f"Error: --table and --into name warehouse tables: {engines}\n"


def test_without_psycopg_the_error_says_what_to_install(
    example_repo: Path, crm: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # A psycopg that cannot be imported, first on the path: the engine as on a machine
    # that installed icpkit without its postgres extra.
    shadow = tmp_path_factory.mktemp("no-psycopg")
    (shadow / "psycopg").mkdir()
    (shadow / "psycopg" / "__init__.py").write_text("raise ImportError('no psycopg here')\n")
    env = {**os.environ, "PYTHONPATH": str(shadow)}
    assert env[URL_VAR]
    args = ("score", ICP, "--engine", "postgres", "--table", f"{crm}.accounts", "-o", "x.csv")
    done = run_icp(example_repo, *args, env=env)
    assert done.returncode == 2
    assert done.stderr == (
        "Error: the postgres engine needs psycopg: pip install 'icpkit[postgres]'\n"
    )


def test_overrides_not_applied_on_the_server_are_said(
    example_repo: Path, crm: str, postgres: Postgres
) -> None:
    write_overrides(example_repo, entry("Aritekari io", "band: strong"))
    args = ("score", ICP, "--engine", "postgres", "--table", f"{crm}.accounts", "-o", "s.csv")
    code, _, err = icp(example_repo, *args)
    assert code == 0, err
    assert (
        "warning: the overrides in icps/midmarket-saas-revops.overrides.yaml are not applied "
        "with --engine postgres"
    ) in err
    scored = pd.read_csv(example_repo / "s.csv")
    assert "overridden" not in set(scored["status"])


def test_columns_named_like_the_query_s_helpers_are_carried_as_they_are(
    example_repo: Path, postgres: Postgres
) -> None:
    frame = pd.read_csv(DEALS, dtype=str, keep_default_na=False, na_values=[""])
    frame = frame.assign(**{name: f"{name}-{i}" for i, name in enumerate(HELPER_LIKE)})
    postgres.load("helpers", frame.astype(TEXT_DTYPE))
    frame.to_csv("helpers.csv", index=False)
    args = ("score", ICP, "--engine", "postgres", "--table", f"{postgres.schema}.helpers")
    code, _, err = icp(example_repo, *args, "-o", "pg.parquet")
    assert code == 0, err
    assert icp(example_repo, "score", ICP, "helpers.csv", "-o", "pandas.parquet")[0] == 0
    actual, expected = pd.read_parquet("pg.parquet"), pd.read_parquet("pandas.parquet")
    assert list(actual.columns) == list(expected.columns)
    shown = [*HELPER_LIKE, "score", "band", "abm_rank"]
    assert by_deal(actual)[shown].equals(by_deal(expected)[shown])


def test_columns_named_alike_but_for_case_are_refused_as_in_a_file(
    example_repo: Path, postgres: Postgres
) -> None:
    """PostgreSQL tells `Industry` from `INDUSTRY`; fields read names ignoring case, so a
    query would read whichever one it named: refused, as the file reader refuses them."""
    frame = pd.read_csv(DEALS, dtype=str, keep_default_na=False, na_values=[""])
    frame = frame.rename(columns={"industry": "INDUSTRY"})
    frame.insert(list(frame.columns).index("INDUSTRY"), "Industry", "fintech")
    postgres.load("alike", frame.astype(TEXT_DTYPE))
    args = ("score", ICP, "--engine", "postgres", "--table", f"{postgres.schema}.alike")
    code, _, err = icp(example_repo, *args, "-o", "pg.parquet")
    assert code == 2, err
    assert err.startswith(f"Error: {postgres.schema}.alike: columns ")
    assert "both named 'Industry' and 'INDUSTRY' (names are read ignoring case); " in err
    assert err.endswith("rename one in the table\n") and not Path("pg.parquet").exists()
