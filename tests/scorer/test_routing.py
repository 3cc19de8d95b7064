"""`route`, `sla_hours`, `abm_tier` and `abm_rank` on every scored row: from the final band,
ranked by band and score (ties share a rank), the same from the pandas engine, the DuckDB
engine and the compiled SQL; absent for an ICP without `activation:`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml

from icpkit.scorer.contract import ROUTING_COLUMNS, SCORE_BANDS
from tests.conftest import invoke
from tests.scorer.sql.test_compile import assert_same

ICP = "icps/midmarket-saas-revops.yaml"
DEALS = "fixtures/deals/midmarket-saas-revops.csv"


def scored(*args: str, out: str = "pandas.parquet") -> pd.DataFrame:
    result = invoke("score", *args, "-o", out)
    assert result.exit_code == 0, result.output
    return pd.read_parquet(out)


def activation(path: str) -> dict[str, Any]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    found: dict[str, Any] = data["activation"]
    return found


def test_every_row_carries_its_band_s_route_tier_and_rank(example_repo: Path) -> None:
    frame = scored(ICP, DEALS)
    assert list(frame.columns[-4:]) == list(ROUTING_COLUMNS)
    routes = activation(ICP)["routes"]
    assert isinstance(routes, dict)
    for band, rows in frame.groupby("band"):
        assert set(rows["route"]) == {routes[band]["queue"]}, band
        sla = routes[band].get("sla_hours")
        assert rows["sla_hours"].isna().all() if sla is None else set(rows["sla_hours"]) == {sla}
    ranked = frame[frame["band"].isin(SCORE_BANDS)]
    unranked = frame[~frame["band"].isin(SCORE_BANDS)]
    assert len(unranked) and unranked["abm_rank"].isna().all()
    assert set(unranked["abm_tier"]) == {""}
    # A row's rank is one more than the ranked rows that beat it: a better band, or the
    # same band and a higher score. Ties share it.
    order = ranked["band"].astype(str).map(SCORE_BANDS.index).to_numpy()
    score = ranked["score"].to_numpy()
    better = (order[None, :] < order[:, None]) | (
        (order[None, :] == order[:, None]) & (score[None, :] > score[:, None])
    )
    assert ranked["abm_rank"].tolist() == (better.sum(axis=1) + 1).tolist()
    assert ranked["abm_rank"].duplicated().any()  # the fixture has ties to share
    # 1:1 is the top 25 strong accounts, 1:few the rest of the top 150 good or better,
    # 1:many every other possible or better; weak and poor are in no tier.
    rank, bands = ranked["abm_rank"], ranked["band"].astype(str)
    expected = np.select(
        [
            (rank <= 25) & (bands == "strong"),
            (rank <= 150) & bands.isin(["strong", "good"]),
            bands.isin(["strong", "good", "possible"]),
        ],
        ["1:1", "1:few", "1:many"],
        default="",
    )
    assert ranked["abm_tier"].astype(str).tolist() == expected.tolist()
    assert set(expected) == {"1:1", "1:few", "1:many", ""}


@pytest.mark.slow
def test_ties_share_a_rank_in_every_engine(example_repo: Path) -> None:
    """Identical accounts score alike and share a rank, the next rank skipping (1, 2, 2,
    4), in both engines whatever the row order; rows come out in the file's order."""
    rows = pd.read_csv(DEALS, dtype=str, keep_default_na=False)
    strong = rows.iloc[[0]]
    tied = pd.concat([rows.iloc[1:40], strong, strong, rows.iloc[40:80], strong])
    tied = tied.assign(deal_id=[f"D{i}" for i in range(len(tied))])
    tied.to_csv("tied.csv", index=False)
    expected = scored(ICP, "tied.csv")
    duck = scored(ICP, "tied.csv", "--engine", "duckdb", out="duck.parquet")
    assert_same(expected, duck)
    twins = expected[expected["account"] == strong["account"].iloc[0]]
    assert len(set(twins["score"])) == 1
    assert len(twins) == 3
    alike = expected[(expected["score"] == twins["score"].iloc[0]) & (expected["band"] == "strong")]
    (rank,) = set(alike["abm_rank"])
    assert alike.index.isin(twins.index).sum() == 3
    # The ranks the tie takes up are skipped.
    assert not expected["abm_rank"].between(rank + 1, rank + len(alike) - 1).any()
    assert (expected["abm_rank"] == rank + len(alike)).any()
    assert expected["deal_id"].tolist() == tied["deal_id"].tolist()
    tied.iloc[::-1].to_csv("reversed.csv", index=False)
    again = scored(ICP, "reversed.csv").set_index("deal_id")["abm_rank"].fillna(0)
    assert again.loc[expected["deal_id"]].tolist() == expected["abm_rank"].fillna(0).tolist()


@pytest.mark.parametrize("dialect", ["duckdb", "postgres", "spark", "bigquery", "snowflake"])
def test_compiled_sql_routes_in_every_dialect(example_repo: Path, dialect: str) -> None:
    compiled = invoke("compile", ICP, "--dialect", dialect)
    assert compiled.exit_code == 0, compiled.output
    sql = compiled.stdout
    for name in ROUTING_COLUMNS:
        assert f"AS {name}" in sql, name
    assert "'senior-ae'" in sql
    # Ranked on the distinct (band, score) keys and joined back: no window over every row.
    assert "RANK() OVER" not in sql and re.search(r"SUM\(COUNT\(\*\)\) OVER", sql)
    assert re.search(r"LEFT JOIN icp_ranks\s+USING \(_icp_rank_band, _icp_rank_score\)", sql)
    # The scan order is kept where the engine has one; warehouses have none to keep.
    ordered = re.search(r"ORDER BY\s+_icp_row;", sql) is not None
    assert ordered == (dialect in ("duckdb", "postgres", "spark"))


def test_compiled_query_in_duckdb_routes_as_icp_score_does(example_repo: Path) -> None:
    compiled = invoke("compile", ICP, "--dialect", "duckdb")
    assert compiled.exit_code == 0, compiled.output
    con = duckdb.connect()
    con.sql(f"CREATE VIEW accounts AS SELECT * FROM read_csv('{DEALS}', all_varchar=true)")
    actual = con.sql(compiled.stdout.strip().rstrip(";")).df()
    expected = scored(ICP, DEALS)
    assert_same(expected, actual)


@pytest.mark.slow
def test_expected_rates_come_before_the_routing_columns_in_both_engines(
    example_repo: Path,
) -> None:
    pandas_frame = scored(ICP, DEALS, "--expected")
    duck = scored(ICP, DEALS, "--expected", "--engine", "duckdb", out="duck.parquet")
    assert_same(pandas_frame, duck)
    columns = list(pandas_frame.columns)
    assert columns.index("expected_win_rate") < columns.index("route")
    assert columns[-4:] == list(ROUTING_COLUMNS)


@pytest.mark.slow
def test_several_icps_rank_each_icp_s_accounts_apart(example_repo: Path) -> None:
    frames = [pd.read_csv(f"fixtures/deals/{name}.csv", dtype=str, keep_default_na=False)
              for name in ("midmarket-saas-revops", "emea-fintech-multicurrency")]  # fmt: skip
    pd.concat(frames).fillna("").to_csv("both.csv", index=False)
    expected = scored("icps/", "both.csv")
    duck = scored("icps/", "both.csv", "--engine", "duckdb", out="duck.parquet")
    assert_same(expected, duck)
    for icp_id, rows in expected[expected["abm_rank"].notna()].groupby("icp_id"):
        # Ranks 1.. within each ICP: each one its predecessor's (a tie) or its place.
        ranks = sorted(rows["abm_rank"])
        assert ranks[0] == 1, icp_id
        assert all(r in (ranks[i - 1], i + 1) for i, r in enumerate(ranks) if i), icp_id
    fintech = expected[expected["icp_id"] == "emea-fintech-multicurrency"]
    assert set(fintech["route"]) <= {
        r["queue"] for r in activation("icps/emea-fintech-multicurrency.yaml")["routes"].values()
    }


@pytest.mark.slow
def test_an_icp_without_activation_adds_no_routing_columns(example_repo: Path) -> None:
    text = Path(ICP).read_text(encoding="utf-8")
    start = text.index("\nactivation:")
    end = text.index("\nvalidation:")
    Path(ICP).write_text(text[:start] + text[end:], encoding="utf-8")
    for engine in ("pandas", "duckdb"):
        frame = scored(ICP, DEALS, "--engine", engine, out=f"{engine}.parquet")
        assert not set(ROUTING_COLUMNS) & set(frame.columns), engine
    compiled = invoke("compile", ICP)
    assert "abm_rank" not in compiled.stdout and "_icp_row" not in compiled.stdout


@pytest.mark.slow
def test_a_band_without_a_route_has_an_empty_route_and_no_sla(example_repo: Path) -> None:
    data = yaml.safe_load(Path(ICP).read_text(encoding="utf-8"))
    del data["activation"]["routes"]["poor"]
    del data["activation"]["abm_tiers"]
    Path(ICP).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    frame = scored(ICP, DEALS)
    duck = scored(ICP, DEALS, "--engine", "duckdb", out="duck.parquet")
    assert_same(frame, duck)
    poor = frame[frame["band"] == "poor"]
    assert len(poor) and set(poor["route"]) == {""} and poor["sla_hours"].isna().all()
    assert set(frame["abm_tier"]) == {""} and frame["abm_rank"].notna().any()
