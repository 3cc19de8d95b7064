"""Cells engines once read each their own way (issue 18 point 3), one kind per test: the
compiled query, run on DuckDB and on a real PostgreSQL server (and on Spark when
ICPKIT_ENGINES=spark asks for it), gives what `icp score` gives, and `icp score` gives what
the cell says.

`duckdb-parquet` is DuckDB reading the cells from a dictionary-encoded Parquet file, as `icp
score --engine duckdb` reads one: its text columns are trimmed another way (see
`scorer.sql.dictionary`), which must give the same text.

PostgreSQL is the server ICPKIT_POSTGRES_URL names, driven through `psql`; the tests fail
without one unless ICPKIT_SKIP_ENGINES names postgres. Snowflake, BigQuery and
Spark (unless asked for) have their SQL text checked for the safe functions too.
"""

from __future__ import annotations

import dataclasses
import io
import math
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import sqlglot

from icpkit.format.model import Attribute, Form, Icp, Match
from icpkit.format.valid import load_icp
from icpkit.project.mapping import DataMapping
from icpkit.scorer.casing import fold
from icpkit.scorer.prepare import prepare_accounts
from icpkit.scorer.score import score_frame
from icpkit.scorer.sql.compile import compile_icp
from icpkit.scorer.sql.dictionary import dictionary_columns
from icpkit.scorer.sql.values import EDGE_SPACES
from icpkit.scorer.tables import TEXT_DTYPE, Table
from tests import engines
from tests.conftest import ROOT, invoke

Run = Callable[[pd.DataFrame, str], pd.DataFrame]
BASE = load_icp(ROOT / "icps" / "midmarket-saas-revops.yaml")
ICP = dataclasses.replace(
    BASE,
    attributes=(
        Attribute("employees", "firmographics", Match(Form.RANGE, min=100, max=1000), 30, (), ()),
        Attribute(
            "industry",
            "firmographics",
            Match(Form.IN, values=("saas", "İstanbul", "k-12", "ΟΔΟΣ")),
            30,
            (),
            (),
        ),
        Attribute(
            "tech_stack",
            "technographics",
            Match(Form.ANY, values=("salesforce", "hubspot")),
            40,
            (),
            (),
        ),
    ),
    triggers=(),
    anti_icp=(),
)
SCORE_COLUMNS = ["score", "band", "status", "unknown_share", "unknown_fields"]
POINTS = ["points.employees", "points.industry", "points.tech_stack"]


def _postgres(frame: pd.DataFrame, sql: str) -> pd.DataFrame:
    url = os.environ.get("ICPKIT_POSTGRES_URL")
    if not url:
        skipped = os.environ.get("ICPKIT_SKIP_ENGINES", "").lower().split(",")
        if "postgres" in [s.strip() for s in skipped]:
            pytest.skip("PostgreSQL tests skipped: ICPKIT_SKIP_ENGINES names postgres")
        pytest.fail(
            "no PostgreSQL server (ICPKIT_POSTGRES_URL is not set): start one, or set "
            "ICPKIT_SKIP_ENGINES=postgres to skip these tests on purpose"
        )
    psql = shutil.which("psql")
    assert psql, "psql is not on PATH: install the PostgreSQL client"
    columns = ", ".join(f'"{c}" {_pg_type(frame[c])}' for c in frame.columns)
    rows = ",\n".join(
        "(" + ", ".join(_pg_literal(v) for v in row) + ")"
        for row in frame.astype(object).itertuples(index=False)
    )
    script = (
        f"CREATE TEMP TABLE accounts ({columns});\nINSERT INTO accounts VALUES {rows};\n{sql};\n"
    )
    done = subprocess.run(
        [psql, url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "--csv", "-P", "null=<NULL>"],
        input=script,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = pd.read_csv(io.StringIO(done.stdout), dtype=str, keep_default_na=False)
    out = out.astype(object).where(out != "<NULL>", None)
    for column in ("score", "unknown_share", *POINTS):
        out[column] = [None if v is None else float(v) for v in out[column]]
    return out


def _pg_type(column: pd.Series) -> str:
    return "DOUBLE PRECISION" if column.dtype.kind == "f" else "TEXT"


def _pg_literal(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "NULL" if value is None else "'NaN'::float8"
    if isinstance(value, float):
        return f"'{value!r}'::float8".replace("inf", "Infinity")
    return "'" + str(value).replace("'", "''") + "'"


def _duckdb(frame: pd.DataFrame, sql: str) -> pd.DataFrame:
    con = duckdb.connect()
    con.register("accounts", frame)
    found: pd.DataFrame = con.sql(sql).df()  # duckdb's .df() is untyped
    return found


PARQUET = "duckdb-parquet"


@pytest.fixture(params=engines.names("duckdb", PARQUET, "postgres"))
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Run]:
    dialect = str(request.param)
    if dialect == PARQUET:
        return dialect, lambda frame, sql: _parquet(frame, sql, tmp_path / "accounts.parquet")
    if dialect == "spark":
        # The one session of the run (tests/engines.py), only when ICPKIT_ENGINES asks.
        spark: engines.Spark = request.getfixturevalue("spark")
        return dialect, lambda frame, sql: _loaded(spark, frame).query(sql)
    return dialect, _duckdb if dialect == "duckdb" else _postgres


def _parquet_file(frame: pd.DataFrame, path: Path) -> frozenset[str]:
    """`frame` written with every text column dictionary-encoded; those columns."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path, use_dictionary=True)
    return dictionary_columns(duckdb.connect(), path)


def _parquet(frame: pd.DataFrame, sql: str, path: Path) -> pd.DataFrame:
    _parquet_file(frame, path)
    con = duckdb.connect()
    literal = "'" + str(path).replace("'", "''") + "'"
    con.sql(f"CREATE VIEW accounts AS SELECT * FROM read_parquet({literal})")
    found: pd.DataFrame = con.sql(sql).df()
    return found


def _loaded(spark: engines.Spark, frame: pd.DataFrame) -> engines.Spark:
    spark.load("accounts", frame)
    return spark


def scored(
    engine: tuple[str, Run],
    frame: pd.DataFrame,
    typed: frozenset[str] = frozenset(),
    icp: Icp = ICP,
    mapping: DataMapping | None = None,
) -> pd.DataFrame:
    """The pandas scores of `frame`, after checking that the engine gives the same."""
    mapping = mapping or DataMapping(absent_fields=("triggers",))
    prepared = prepare_accounts(Table(frame, Path("accounts.csv")), [icp], mapping)
    expected = score_frame(icp, prepared.frame)[SCORE_COLUMNS + POINTS]
    dialect, run = engine
    dictionary: frozenset[str] = frozenset()
    if dialect == PARQUET:
        # Written once to compile: the query depends on how the file stores each column
        # (the engine writes the same file again, to run it).
        with tempfile.TemporaryDirectory() as folder:
            dictionary = _parquet_file(frame, Path(folder) / "accounts.parquet")
        dialect = "duckdb"
        text = {c for c in frame.columns if c not in typed and frame[c].notna().any()}
        assert dictionary >= text, (dictionary, text)
    compiled = compile_icp(
        icp,
        dialect=dialect,
        mapping=mapping,
        keep=[],
        columns={name: name for name in frame.columns},
        typed_numbers=typed,
        dictionary_columns=dictionary,
        pretty=False,
    )
    actual = run(frame, compiled.sql)[SCORE_COLUMNS + POINTS]
    for column in expected.columns:
        left = expected[column].astype(object).where(expected[column].notna(), None).tolist()
        right = actual[column].astype(object).where(actual[column].notna(), None).tolist()
        assert left == right, (dialect, column, frame.to_dict("list"))
    return expected


def accounts(**columns: Sequence[str | None]) -> pd.DataFrame:
    rows = len(next(iter(columns.values())))
    data = {"employees": ["500"] * rows, "industry": ["saas"] * rows}
    data["tech_stack"] = ["salesforce"] * rows
    return pd.DataFrame({**data, **columns}).astype(TEXT_DTYPE)


def known(frame: pd.DataFrame, field: str) -> list[bool]:
    return [field not in str(v).split(";") for v in frame["unknown_fields"]]


def test_numbers_no_cell_aborts_and_each_reads_as_pandas_reads_it(
    engine: tuple[str, Run],
) -> None:
    cells = ["1e999", "-1e999", "1e-400", "-1e-400", "9" * 400, "1" + "0" * 300, "NaN",
             "nan", "inf", "-Infinity", "1e99999", "0e99999", "1e-99999", "2e-324",
             "5e-324", "1.7976931348623157e308", "1.8e308", "1" * 1001,
             "0." + "0" * 500 + "1e600", "1e0005", "2.5E2", " 250 ", "\u00a0250\u00a0",
             "1.5e+2", "-0", "2" + "0" * 299 + "e-297", "1." + "0" * 998]  # fmt: skip
    result = scored(engine, accounts(employees=cells))
    points = dict(zip(cells, result["points.employees"], strict=True))
    unknown = dict(zip(cells, known(result, "employees"), strict=True))
    # Out of a double's range or not a number at all: unknown, never an error.
    for cell in ["1e999", "-1e999", "9" * 400, "NaN", "inf", "1e99999", "1.8e308", "1" * 1001]:
        assert not unknown[cell], cell
    # Too small for a double (0.0) or tiny: a known miss of the range.
    for cell in ["1e-400", "-1e-400", "1e-99999", "0e99999", "2e-324", "5e-324", "-0",
                 "1." + "0" * 998]:  # fmt: skip
        assert unknown[cell] and points[cell] == 0.0, cell
    for cell in [
        "1e0005",
        "2.5E2",
        " 250 ",
        "\u00a0250\u00a0",
        "1.5e+2",
        "2" + "0" * 299 + "e-297",
    ]:
        assert points[cell] == (0.0 if cell == "1e0005" else 30.0), cell


def test_typed_numeric_columns_read_infinities_and_nan_as_unknown(
    engine: tuple[str, Run],
) -> None:
    frame = accounts(industry=["saas"] * 6)
    frame["employees"] = [float("inf"), float("-inf"), float("nan"), 1e-320, 500.0, None]
    result = scored(engine, frame, typed=frozenset({"employees"}))
    assert known(result, "employees") == [False, False, False, True, True, False]
    assert result["points.employees"].tolist() == [0.0, 0.0, 0.0, 0.0, 30.0, 0.0]


def test_unicode_spaces_at_a_cells_edge_are_trimmed_as_str_strip_trims_them(
    engine: tuple[str, Run],
) -> None:
    cells = ["\u00a0saas\u00a0", "\u2003SaaS", "saas\u3000", "\u202fsaas\u205f",
             "\u2000\u200asaas", "\u1680saas\u2028", "\tsaas\n", "\x85saas\x1c",
             # Not spaces to str.strip(): a zero-width space and the BOM stay, and miss.
             "\u200bsaas", "\ufeffsaas", "sa\u00a0as"]  # fmt: skip
    result = scored(engine, accounts(industry=cells))
    assert result["points.industry"].tolist() == [30.0] * 8 + [0.0] * 3


def test_whitespace_around_list_separators_is_removed_as_pandas_removes_it(
    engine: tuple[str, Run],
) -> None:
    cells = ["Slack ;\tHubSpot", "slack\t;\tSalesforce", "slack\r\n;hubspot", "slack;\x0chubspot",
             "Slack ; HubSpot ", "HubSpot", "\u00a0HubSpot\u00a0",
             # Only ASCII whitespace goes (RE2's \s): these items keep theirs, and miss.
             "slack;\u00a0salesforce", "slack;\x0bsalesforce", "slack;\u3000hubspot",
             "sales force;hub spot"]  # fmt: skip
    result = scored(engine, accounts(tech_stack=cells))
    assert result["points.tech_stack"].tolist() == [40.0] * 7 + [0.0] * 4


def test_case_folds_letter_by_letter_as_arrow_folds_cells(engine: tuple[str, Run]) -> None:
    cells = ["SAAS", "İSTANBUL", "İstanbul", "istanbul", "ISTANBUL", "\u212a-12", "K-12",
             "ΟΔΟΣ", "οδοσ", "οδος"]  # fmt: skip
    result = scored(engine, accounts(industry=cells))
    # `ΟΔΟΣ` in the ICP folds to `οδοσ`, as the cell `ΟΔΟΣ` does (in Spark too, where Java's
    # LOWER alone would make it `οδος`); a cell written with the final `ς` is another spelling.
    assert result["points.industry"].tolist() == [30.0] * 9 + [0.0]


def test_category_cells_that_look_like_numbers_compare_as_text(engine: tuple[str, Run]) -> None:
    # A text field holding numbers (ICP038 refuses a value test on a field read as one).
    match = Match(Form.IN, values=("1000", "saas"))
    industry = dataclasses.replace(ICP.attributes[1], match=match)
    icp = dataclasses.replace(ICP, attributes=(ICP.attributes[0], industry, ICP.attributes[2]))
    cells = ["1000", " 1000 ", "1000.0", "1,000", "1e3", "01000"]
    result = scored(engine, accounts(industry=cells), icp=icp)
    assert result["points.industry"].tolist() == [30.0, 30.0, 0.0, 0.0, 0.0, 0.0]


def test_a_band_code_matches_as_a_number_column_writes_it(engine: tuple[str, Run]) -> None:
    # A float column saved by pandas or Excel writes the code 2 as `2.0`; before, it was
    # read as the number 2, not as the band, with no warning.
    codes = {"2": (100.0, 900.0), "3": (5000.0, None)}
    mapping = DataMapping(absent_fields=("triggers",), values={"employees": codes})
    cells = ["2", "2.0", " 2.0 ", "3.0", "2.00", "2.5", "20"]
    result = scored(engine, accounts(employees=cells), mapping=mapping)
    assert result["points.employees"].tolist() == [30.0, 30.0, 30.0, 0.0, 0.0, 0.0, 0.0]
    assert all(known(result, "employees"))
    frame = accounts(industry=["saas"] * 4)
    frame["employees"] = [2.0, 3.0, None, 2.5]  # a DOUBLE column, as Parquet stores it
    typed = scored(engine, frame, typed=frozenset({"employees"}), mapping=mapping)
    assert typed["points.employees"].tolist() == [30.0, 0.0, 0.0, 0.0]


@pytest.mark.parametrize("dialect", ["spark", "snowflake", "bigquery", "postgres"])
def test_no_plain_cast_reads_a_cell_in_dialects_not_run_here(dialect: str) -> None:
    sql = compile_icp(ICP, dialect=dialect, mapping=DataMapping(), pretty=False).sql
    tree = sqlglot.parse_one(sql, read=dialect)
    safe = {"spark": "TRY_CAST(", "snowflake": "TRY_CAST(", "bigquery": "SAFE_CAST("}
    if dialect in safe:
        assert safe[dialect] in sql
        # Every cast of a cell's text to a number may fail quietly there.
        plain = [
            c
            for c in tree.find_all(sqlglot.exp.Cast)
            if not isinstance(c, sqlglot.exp.TryCast)
            and not c.args.get("safe")
            and c.this.find(sqlglot.exp.Column) is not None
        ]
        assert [c.sql(dialect) for c in plain if c.to.is_type("double")] == []
    else:
        # PostgreSQL has no safe cast: numbers go through NUMERIC, bounded before the cast.
        assert "AS DECIMAL)) >= 1.7976931348623158e308" in sql
    assert "\u0130\u212a" in sql  # İ and the Kelvin sign mapped before LOWER
    assert "[ \t\n\x0c\r]*;[ \t\n\x0c\r]*" in tree.sql("duckdb")
    assert "\u00a0" in tree.sql("duckdb")  # NBSP trimmed


def test_edge_spaces_are_what_str_strip_trims() -> None:
    assert "".join(chr(c) for c in range(0x110000) if chr(c).isspace()) == EDGE_SPACES


def test_icp_values_fold_letter_by_letter() -> None:
    assert fold("İSTANBUL") == "istanbul" != "İSTANBUL".lower()
    assert fold("ΟΔΟΣ") == "οδοσ" != "ΟΔΟΣ".lower()
    assert fold("\u212a-12 Straße") == "k-12 straße"


def test_a_sigma_is_mapped_before_lower_so_no_dialect_needs_a_warning(example_repo: Path) -> None:
    # Java and ICU lower a word-final capital sigma to a final one: the query maps it first.
    icp = example_repo / "icps" / "midmarket-saas-revops.yaml"
    text = icp.read_text(encoding="utf-8")
    icp.write_text(text.replace("[consulting, agency,", "[consulting, ΟΔΟΣ,"), encoding="utf-8")
    for dialect in ("duckdb", "postgres", "spark", "snowflake", "bigquery"):
        result = invoke("compile", str(icp), "--dialect", dialect, "--keep", "account")
        assert result.exit_code == 0, result.output
        assert "sigma" not in result.stderr and "warning" not in result.stderr
        assert ("\u0130\u212a\u03a3" in result.stdout) is (dialect != "duckdb")


def test_a_value_test_on_a_numeric_field_is_refused(example_repo: Path) -> None:
    icp = example_repo / "icps" / "midmarket-saas-revops.yaml"
    text = icp.read_text(encoding="utf-8")
    icp.write_text(text.replace("{employees: {max: 79}}", "{employees: {in: [0]}}"), "utf-8")
    for args in (
        ["compile", str(icp)],
        ["score", str(icp), "fixtures/deals/midmarket-saas-revops.csv"],
    ):
        result = invoke(*args)
        assert result.exit_code == 2, result.output
        assert "`employees` is a number (a range reads it at line 17)" in result.stderr
    checked = invoke("check", str(icp))
    assert checked.exit_code == 1 and "ICP038" in checked.output


def test_a_unicode_space_inside_a_written_number_is_a_gap_as_pandas_reads_it(
    engine: tuple[str, Run],
) -> None:
    # The pandas reader's `\s` is Python's: NBSP, ideographic and em spaces, even \x1c.
    cells = ["0.25\u00a0K", "0.25\u3000k", "$\u2003250", "250\x85", "(\x1c250)", "250\u200bk"]
    result = scored(engine, accounts(employees=cells))
    assert known(result, "employees") == [True, True, True, True, True, False]
    assert result["points.employees"].tolist() == [30.0, 30.0, 30.0, 30.0, 0.0, 0.0]
