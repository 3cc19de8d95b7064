"""`icp compile` and `icp score --engine duckdb` on the example repository: the SQL gives
the scores `icp score` gives (run on DuckDB and on a real PostgreSQL server, and on local
Spark when ICPKIT_ENGINES=spark asks for it), parses in every dialect, and works as a view."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import sqlglot

from icpkit.format.valid import load_icp
from icpkit.project.mapping import TRIGGERS
from icpkit.scorer.contract import NUMERIC, field_kinds
from icpkit.scorer.sql.dialects import DIALECTS
from icpkit.scorer.tables import TEXT_DTYPE
from tests import engines
from tests.conftest import ROOT, invoke
from tests.engines import Engine
from tests.goldenfile import Golden

EXAMPLES = {
    "icps/midmarket-saas-revops.yaml": "fixtures/deals/midmarket-saas-revops.csv",
    "icps/emea-fintech-multicurrency.yaml": "fixtures/deals/emea-fintech-multicurrency.csv",
}
ALL_ICPS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "icps").glob("*.yaml"))


def assert_same(expected: pd.DataFrame, actual: pd.DataFrame) -> None:
    assert list(actual.columns) == list(expected.columns)
    assert len(actual) == len(expected)
    for column in expected.columns:
        left = expected[column].astype(object).where(expected[column].notna(), None).tolist()
        right = actual[column].astype(object).where(actual[column].notna(), None).tolist()
        assert left == right, column


def assert_engines_agree(icp: str, data: str) -> None:
    """`icp score` of `data` with the pandas engine and with DuckDB: the same file."""
    pandas_run = invoke("score", icp, data, "--engine", "pandas", "-o", "pandas.parquet")
    assert pandas_run.exit_code == 0, pandas_run.output
    run = invoke("score", icp, data, "--engine", "duckdb", "-o", "duck.parquet")
    assert run.exit_code == 0, run.output
    assert_same(pd.read_parquet("pandas.parquet"), pd.read_parquet("duck.parquet"))


@pytest.mark.parametrize("icp", list(EXAMPLES))
def test_engine_duckdb_writes_what_the_pandas_engine_writes(example_repo: Path, icp: str) -> None:
    pandas_run = invoke("score", icp, EXAMPLES[icp], "-o", "pandas.parquet")
    duck_run = invoke("score", icp, EXAMPLES[icp], "--engine", "duckdb", "-o", "duck.parquet")
    assert pandas_run.exit_code == 0, pandas_run.output
    assert duck_run.exit_code == 0, duck_run.output
    expected = pd.read_parquet("pandas.parquet")
    assert_same(expected, pd.read_parquet("duck.parquet"))
    # Same summary line: the band counts are the same.
    summary = pandas_run.stderr.splitlines()[-1].split(" -> ")[0]
    assert duck_run.stderr.splitlines()[-1] == f"{summary} -> duck.parquet"
    assert set(expected["band"]) >= {"strong", "poor", "disqualified"}
    assert not list(example_repo.glob(".duck.parquet.*"))


# A field no fixture has, for an example ICP written for another CRM: filled in, cycling
# through numbers, blanks and markers, so the comparison still reads every kind of cell.
FILLER = ("2", "3", "", "11", "n/a", "4", "30", "Unknown")


def example_frame(icp: str, *, typed: bool) -> pd.DataFrame:
    """The ICP's own deals fixture (or the first one, with the fields it lacks filled in);
    `typed`: its numeric fields as numeric columns, as a warehouse table holds them."""
    data = EXAMPLES.get(icp, next(iter(EXAMPLES.values())))
    frame = pd.read_csv(data, dtype=str, keep_default_na=False, na_values=[""])
    kinds = field_kinds([load_icp(ROOT / icp)])
    for name in kinds:
        if name not in frame.columns and name != TRIGGERS:
            frame[name] = [FILLER[i % len(FILLER)] for i in range(len(frame))]
    frame = frame.astype(TEXT_DTYPE)
    if typed:
        for name in (n for n, kind in kinds.items() if kind == NUMERIC):
            frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("Float64")
    return frame


@pytest.fixture(params=engines.names("duckdb", "postgres"))
def engine(request: pytest.FixtureRequest) -> Engine:
    return engines.engine(request, request.param)


@pytest.mark.parametrize("typed", [False, True], ids=["text", "typed"])
@pytest.mark.parametrize("icp", ALL_ICPS)
def test_compiled_query_run_in_each_engine_gives_the_scores_of_icp_score(
    example_repo: Path, icp: str, typed: bool, engine: Engine
) -> None:
    """Every example ICP, on an all-text table and on a typed one (compiled with
    --typed-numbers), in each engine: the rows `icp score` writes for the same data."""
    frame = example_frame(icp, typed=typed)
    frame.to_parquet("accounts.parquet", index=False)
    flags = ["--typed-numbers"] if typed else []
    compiled = invoke("compile", icp, "--dialect", engine.dialect, *flags)
    assert compiled.exit_code == 0, compiled.output
    engine.load("accounts", frame)
    # A table has no row order (PostgreSQL's COPY may fill earlier pages): by deal id.
    actual = engine.query(compiled.stdout.strip().rstrip(";")).sort_values("deal_id")
    assert invoke("score", icp, "accounts.parquet", "-o", "pandas.parquet").exit_code == 0
    expected = pd.read_parquet("pandas.parquet")
    assert_same(expected.sort_values("deal_id"), actual)
    assert expected["band"].nunique() >= 3  # a comparison across bands, not one


def test_csv_output_and_stdout_match_too(example_repo: Path) -> None:
    icp, deals = next(iter(EXAMPLES.items()))
    assert invoke("score", icp, deals, "-o", "pandas.csv").exit_code == 0
    assert invoke("score", icp, deals, "--engine", "duckdb", "-o", "duck.csv").exit_code == 0
    expected = pd.read_csv("pandas.csv", dtype=str, keep_default_na=False)
    actual = pd.read_csv("duck.csv", dtype=str, keep_default_na=False)
    for column in ("score", "unknown_share"):
        expected[column] = expected[column].astype(float).astype(str)
        actual[column] = actual[column].astype(float).astype(str)
    assert_same(expected[["deal_id", "score", "band", "status", "disqualifier"]],
                actual[["deal_id", "score", "band", "status", "disqualifier"]])  # fmt: skip
    printed = invoke("score", icp, deals, "--engine", "duckdb")
    assert printed.stdout.splitlines()[0] == ",".join(actual.columns)


def test_typed_parquet_columns_are_read_as_numbers(example_repo: Path) -> None:
    """Warehouse exports have numeric columns: the SQL reads them directly."""
    icp, deals = next(iter(EXAMPLES.items()))
    frame = pd.read_csv(deals, dtype=str, keep_default_na=False, na_values=[""])
    for column in ("employees", "sales_team_growth_pct"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
    frame.to_parquet("typed.parquet", index=False)
    assert_engines_agree(icp, "typed.parquet")


def test_several_icps_pick_the_best_fit_alike(example_repo: Path) -> None:
    frames = [pd.read_csv(deals, dtype=str, keep_default_na=False) for deals in EXAMPLES.values()]
    pd.concat(frames).fillna("").to_csv("both.csv", index=False)
    assert invoke("score", "icps/", "both.csv", "-o", "pandas.parquet").exit_code == 0
    run = invoke("score", "icps/", "both.csv", "--engine", "duckdb", "-o", "duck.parquet")
    assert run.exit_code == 0, run.output
    expected = pd.read_parquet("pandas.parquet")
    assert expected["icp_id"].nunique() > 1
    assert_same(expected, pd.read_parquet("duck.parquet"))


def test_zipped_csv_is_read_through_pandas(example_repo: Path) -> None:
    import zipfile

    icp, deals = next(iter(EXAMPLES.items()))
    with zipfile.ZipFile("deals.csv.zip", "w") as archive:
        archive.write(deals, "deals.csv")
    assert invoke("score", icp, deals, "-o", "pandas.parquet").exit_code == 0
    run = invoke("score", icp, "deals.csv.zip", "--engine", "duckdb", "-o", "duck.parquet")
    assert run.exit_code == 0, run.output
    assert_same(pd.read_parquet("pandas.parquet"), pd.read_parquet("duck.parquet"))


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("icp", ALL_ICPS)
def test_compiled_sql_parses_in_every_dialect(example_repo: Path, icp: str, dialect: str) -> None:
    for extra in (
        [],
        ["--view", "analytics.icp_scores"],
        ["--keep", "account_id", "--keep", "name"],
    ):
        result = invoke("compile", icp, "--dialect", dialect, "--table", "crm.accounts", *extra)
        assert result.exit_code == 0, result.output
        statement = sqlglot.parse_one(result.stdout, read=dialect)
        if extra and extra[0] == "--view":
            assert isinstance(statement, sqlglot.exp.Create)
        assert "crm.accounts" in result.stdout


def test_dialect_specifics(example_repo: Path) -> None:
    icp = "icps/midmarket-saas-revops.yaml"
    bigquery = invoke("compile", icp, "--dialect", "bigquery").stdout
    assert "`points__triggers__new_sales_leader`" in bigquery
    assert "points." not in bigquery
    assert re.search(r"SELECT\s+\*\s+EXCEPT \(_icp_r_employees", bigquery)
    assert "REGEXP_CONTAINS" in bigquery
    postgres = invoke("compile", icp, "--dialect", "postgres").stdout
    assert "src AS _icp_source" in postgres and "_icp_source\n  ).*" in postgres
    assert "DOUBLE PRECISION" in postgres
    # Each stage computed once: PostgreSQL's planner would inline them all (issue 18).
    stages = ("icp_raw", "icp_text", "icp_values", "icp_credits", "icp_totals")
    assert all(f"{stage} AS MATERIALIZED (" in postgres for stage in stages)
    # DuckDB computes its stages once, but would score the routed rows twice (ranked, then
    # joined) unless told.
    duckdb = invoke("compile", icp, "--dialect", "duckdb").stdout
    assert re.findall(r"(\w+) AS MATERIALIZED \(", duckdb) == ["icp_keyed"]
    spark = invoke("compile", icp, "--dialect", "spark").stdout
    assert "STRUCT(src.*) AS _icp_source" in spark and "_icp_source.*" in spark
    snowflake = invoke("compile", icp, "--dialect", "snowflake").stdout
    assert re.search(r"\*\s+EXCLUDE \(_icp_r_employees", snowflake) and "TRY_CAST" in snowflake
    typed = invoke("compile", icp, "--typed-numbers").stdout
    assert "CAST(src.employees AS DOUBLE)" in typed


def test_view_scores_the_table_it_names(example_repo: Path) -> None:
    icp, deals = next(iter(EXAMPLES.items()))
    result = invoke("compile", icp, "--view", "icp_scores", "--table", "raw_accounts",
                    "--keep", "deal_id", "-o", "view.sql")  # fmt: skip
    assert result.exit_code == 0, result.output
    con = duckdb.connect()
    con.sql(f"CREATE TABLE raw_accounts AS SELECT * FROM read_csv('{deals}', all_varchar=true)")
    con.sql(Path("view.sql").read_text(encoding="utf-8"))
    rows = con.sql("SELECT deal_id, score, band FROM icp_scores ORDER BY deal_id").fetchall()
    assert invoke("score", icp, deals, "-o", "pandas.parquet").exit_code == 0
    expected = pd.read_parquet("pandas.parquet").sort_values("deal_id")
    assert rows == list(zip(expected["deal_id"], expected["score"], expected["band"], strict=True))
    header = Path("view.sql").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("-- midmarket-saas-revops 2026-Q4")


def test_engine_errors_are_one_line(example_repo: Path) -> None:
    icp, deals = next(iter(EXAMPLES.items()))
    explain = invoke("score", icp, deals, "--engine", "duckdb", "--explain", "MID-10001")
    assert explain.exit_code == 2
    assert explain.stderr.startswith("Error: --explain")
    pd.read_csv(deals, dtype=str).drop(columns=["employees"]).to_csv("partial.csv", index=False)
    pandas_error = invoke("score", icp, "partial.csv")
    duck_error = invoke("score", icp, "partial.csv", "--engine", "duckdb")
    assert duck_error.exit_code == pandas_error.exit_code == 2
    assert duck_error.stderr == pandas_error.stderr
    assert "no column for employees" in duck_error.stderr
    missing = invoke("score", icp, "nowhere.csv", "--engine", "duckdb")
    assert missing.exit_code == 2 and "data file not found" in missing.stderr
    bad = invoke("compile", icp, "--dialect", "oracle")
    assert bad.exit_code == 2


def test_installed_command_compiles(example_repo: Path) -> None:
    found = shutil.which("icp", path=str(Path(sys.executable).parent)) or shutil.which("icp")
    assert found, "the icp command is not installed"
    done = subprocess.run(
        [found, "compile", "icps/midmarket-saas-revops.yaml", "--dialect", "snowflake"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert sqlglot.parse_one(done.stdout, read="snowflake")


def test_snowflake_sql_matches_golden(example_repo: Path, golden: Golden) -> None:
    """The query as a warehouse team reviews it (the copy is outside git: no commit)."""
    result = invoke("compile", "icps/emea-fintech-multicurrency.yaml", "--dialect", "snowflake")
    assert result.exit_code == 0, result.output
    golden.check("compile.snowflake.sql", result.stdout)


def test_without_keep_compile_warns_that_clashing_columns_stay_as_they_are(
    example_repo: Path,
) -> None:
    icp = next(iter(EXAMPLES))
    bare = invoke("compile", icp, "--dialect", "duckdb")
    assert bare.exit_code == 0, bare.output
    assert "warning: without --keep every column of accounts is carried as it is" in bare.stderr
    kept = invoke("compile", icp, "--dialect", "duckdb", "--keep", "account")
    assert kept.exit_code == 0, kept.output
    assert "warning" not in kept.stderr
