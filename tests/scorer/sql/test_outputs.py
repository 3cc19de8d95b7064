"""What `icp score` writes, the same from both engines and the compiled SQL: input columns
named like result columns are kept as `input_<name>`, `--keep` picks the input columns,
and the CSV and Parquet files are equal byte for byte and type for type."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from icpkit.errors import InputError
from icpkit.scorer.carry import carried_names
from tests.conftest import invoke

ICP = "icps/midmarket-saas-revops.yaml"
DEALS = "fixtures/deals/midmarket-saas-revops.csv"
FINTECH = "fixtures/deals/emea-fintech-multicurrency.csv"
RESULTS = ("icp_id", "score", "band", "status", "points.employees")


def test_the_rule_keeps_result_names_and_prefixes_clashing_inputs() -> None:
    names = carried_names(["Account", "Status", "SCORE", "band", "input_band"], RESULTS)
    assert names == {
        "Account": "Account",
        "Status": "input_Status",
        "SCORE": "input_SCORE",
        # input_band is taken by the input itself: prefix again rather than clash.
        "band": "input_input_band",
        "input_band": "input_band",
    }
    clash = carried_names(["Points.Employees"], RESULTS)
    assert clash == {"Points.Employees": "input_Points.Employees"}


def test_keep_picks_columns_in_its_order_matching_case_loosely() -> None:
    names = carried_names(["Account ID", "Status", "Name"], RESULTS, keep=["name", "Status"])
    assert names == {"Name": "Name", "Status": "input_Status"}
    with pytest.raises(InputError, match=r"crm\.csv: no column 'Owner' to --keep; .*Account ID"):
        carried_names(["Account ID"], RESULTS, keep=["Owner"], source="crm.csv")


@pytest.fixture
def clashing(example_repo: Path) -> Path:
    """The example deals with CRM columns named like result columns, and empty cells."""
    frames = [pd.read_csv(DEALS, dtype=str, keep_default_na=False),
              pd.read_csv(FINTECH, dtype=str, keep_default_na=False)]  # fmt: skip
    frame = pd.concat(frames, ignore_index=True).fillna("")
    frame.insert(1, "Status", [("Active", "", "Churned")[i % 3] for i in range(len(frame))])
    frame["score"] = "12"
    frame["BAND"] = "A"
    frame.loc[::4, "industry"] = ""
    frame.to_csv("clashing.csv", index=False)
    return example_repo / "clashing.csv"


def score(*args: str) -> None:
    result = invoke("score", *args)
    assert result.exit_code == 0, result.output


@pytest.mark.slow
@pytest.mark.parametrize("icps", [ICP, "icps/"])
def test_both_engines_write_the_same_bytes_and_types(clashing: Path, icps: str) -> None:
    for suffix in ("csv", "parquet", "jsonl"):
        score(icps, str(clashing), "-o", f"pandas.{suffix}")
        score(icps, str(clashing), "--engine", "duckdb", "-o", f"duck.{suffix}")
    pandas_csv = Path("pandas.csv").read_bytes()
    assert pandas_csv == Path("duck.csv").read_bytes()
    assert Path("pandas.jsonl").read_bytes() == Path("duck.jsonl").read_bytes()
    header = pandas_csv.decode().splitlines()[0].split(",")
    assert header[:3] == ["deal_id", "input_Status", "account"]
    assert {"input_score", "input_BAND", "score", "band", "status"} <= set(header)
    expected, actual = pq.read_table("pandas.parquet"), pq.read_table("duck.parquet")
    # DuckDB marks constant columns NOT NULL; the types and the values are what matter.
    assert [(f.name, f.type) for f in expected.schema] == [(f.name, f.type) for f in actual.schema]
    assert expected.to_pylist() == actual.to_pylist()
    assert str(expected.schema.field("band").type) == "string"
    rows = expected.to_pylist()
    # One convention for "nothing here": an empty input cell is null, a result with
    # nothing to say (no disqualifier, nothing unknown, no commit) is "".
    assert {r["input_Status"] for r in rows} == {"Active", None, "Churned"}
    disqualifiers = {r["disqualifier"] for r in rows}
    assert "" in disqualifiers and len(disqualifiers) > 1
    assert "" in {r["unknown_fields"] for r in rows} and {r["icp_commit"] for r in rows} == {""}


def test_keep_carries_the_named_columns_in_both_engines(clashing: Path) -> None:
    keep = ["--keep", "deal_id", "--keep", "status"]
    score(ICP, str(clashing), *keep, "-o", "pandas.csv")
    score(ICP, str(clashing), "--engine", "duckdb", *keep, "-o", "duck.csv")
    text = Path("pandas.csv").read_text()
    assert text == Path("duck.csv").read_text()
    assert text.startswith("deal_id,input_Status,icp_id,icp_version,icp_commit,score,band,")
    missing = invoke("score", ICP, str(clashing), "--keep", "Owner")
    assert missing.exit_code == 2 and "no column 'Owner' to --keep" in missing.stderr


def test_compiled_sql_with_keep_names_columns_as_icp_score_does(clashing: Path) -> None:
    compiled = invoke("compile", ICP, "--keep", "deal_id", "--keep", "Status", "--keep", "score")
    assert compiled.exit_code == 0, compiled.output
    assert "Status AS input_Status" in compiled.stdout
    con = duckdb.connect()
    con.sql(f"CREATE VIEW accounts AS SELECT * FROM read_csv('{clashing}', all_varchar=true)")
    actual = con.sql(compiled.stdout.strip().rstrip(";")).df()
    score(ICP, str(clashing), "--keep", "deal_id", "--keep", "Status", "--keep", "score",
          "-o", "pandas.parquet")  # fmt: skip
    expected = pd.read_parquet("pandas.parquet")
    assert list(actual.columns) == list(expected.columns)
    assert actual["input_score"].tolist() == ["12"] * len(actual)
    assert actual["score"].tolist() == expected["score"].tolist()


@pytest.mark.slow
def test_a_large_csv_scored_to_csv_keeps_the_input_s_row_order(example_repo: Path) -> None:
    # Past DuckDB's parallel-scan chunk (~120k rows) a join in the plan would reorder rows.
    rows = 130_000
    frame = pd.read_csv(DEALS, dtype=str, keep_default_na=False)
    frame = frame.iloc[[i % len(frame) for i in range(rows)]].reset_index(drop=True)
    frame["deal_id"] = [f"row-{i}" for i in range(rows)]
    frame.loc[::7, "industry"] = "=saas"
    frame.to_csv("many.csv", index=False)
    score(ICP, "many.csv", "--engine", "duckdb", "-o", "duck.csv")
    written = pd.read_csv("duck.csv", dtype=str, keep_default_na=False)
    assert written["deal_id"].tolist() == frame["deal_id"].tolist()
    assert written["industry"].iloc[0] == "'=saas"


@pytest.mark.slow
def test_a_large_parquet_file_scores_in_its_row_order_with_the_pandas_ranks(
    example_repo: Path,
) -> None:
    # Parquet input goes to DuckDB by itself, which reads row groups on parallel threads:
    # a join or window in the plan would then reorder the rows or rank ties out of order.
    rows = 130_000
    frame = pd.read_csv(DEALS, dtype=str, keep_default_na=False)
    frame = frame.iloc[[i % len(frame) for i in range(rows)]].reset_index(drop=True)
    frame["deal_id"] = [f"row-{i}" for i in range(rows)]
    frame["employees"] = pd.to_numeric(frame["employees"], errors="coerce").astype("Int64")
    frame.to_parquet("many.parquet", index=False, row_group_size=10_000)
    assert pq.ParquetFile("many.parquet").metadata.num_row_groups == 13
    auto = invoke("score", ICP, "many.parquet", "-o", "auto.parquet")
    assert auto.exit_code == 0 and "Scoring with duckdb" in auto.stderr, auto.output
    score(ICP, "many.parquet", "--engine", "pandas", "-o", "pandas.parquet")
    duck, expected = pd.read_parquet("auto.parquet"), pd.read_parquet("pandas.parquet")
    assert duck["deal_id"].tolist() == frame["deal_id"].tolist()
    # Ties are many (each fixture row 200 times): a rank in any other order would differ.
    assert duck["abm_tier"].eq("1:1").sum() > 0 and duck["abm_rank"].notna().sum() > 1_000
    pd.testing.assert_frame_equal(duck, expected)
