"""Ranks counted before the routing query (`scorer.sql.ranks`): RANK()'s meaning from the
(band, score) counts, a refusal wherever a lookup by score could be wrong, and the same
rows from the looked-up query as from the one that joins its ranks back."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from icpkit.format.valid import load_icp
from icpkit.project.mapping import DataMapping
from icpkit.scorer.sql.compile import compile_icp
from icpkit.scorer.sql.ranks import Ranks, count_ranks
from tests.scorer.sql.test_compile import assert_engines_agree, assert_same

ICP = "icps/midmarket-saas-revops.yaml"
DEALS = "fixtures/deals/midmarket-saas-revops.csv"


def rank_of(ranks: Ranks, score: float) -> int | None:
    place, left = divmod(round(score * 100) - ranks.low, ranks.step)
    assert left == 0
    return ranks.ranks[place]


def test_ranks_are_band_first_then_score_descending_ties_sharing() -> None:
    ranks = count_ranks(
        [("good", 70.0, 3), ("strong", 90.0, 2), ("strong", 85.5, 1), ("poor", 10.0, 4),
         ("disqualified", 90.0, 7), ("unknown", 0.0, 2), ("good", 60.0, 1)]
    )  # fmt: skip
    assert ranks is not None
    # strong 90 x2 -> 1, strong 85.5 -> 3, good 70 x3 -> 4, good 60 -> 7, poor 10 -> 8.
    expected = {90.0: 1, 85.5: 3, 70.0: 4, 60.0: 7, 10.0: 8}
    assert {score: rank_of(ranks, score) for score in expected} == expected
    # Spaced 0.5 apart: one place per half point, not per hundredth.
    assert ranks.step == 50 and len(ranks.ranks) == (9000 - 1000) // 50 + 1
    assert sum(r is not None for r in ranks.ranks) == len(expected)


def test_outcome_bands_are_never_ranked_and_may_share_a_score() -> None:
    ranks = count_ranks([("disqualified", 0.0, 5), ("unknown", 42.0, 1), ("weak", 42.0, 2)])
    assert ranks == Ranks(4200, (1,), 1)
    assert count_ranks([("disqualified", 0.0, 5)]) == Ranks(0, ())


@pytest.mark.parametrize(
    "keys",
    [
        [("good", 70.001, 1)],  # not in whole hundredths
        [("good", float("nan"), 1)],
        [("good", 70.0, 1), ("possible", 70.0, 1)],  # one score, two bands
    ],
    ids=["fraction", "nan", "two-bands"],
)
def test_a_lookup_that_could_be_wrong_is_refused(keys: list[tuple[str, float, int]]) -> None:
    assert count_ranks(keys) is None


def test_looked_up_ranks_give_the_joined_query_s_rows_in_the_same_order(
    example_repo: Path,
) -> None:
    """The fixture twice over, shuffled (ties in every band): the query that looks ranks
    up and the one that joins them back give the same rows, every column, in scan order."""
    frame = pd.read_csv(DEALS, dtype=str, keep_default_na=False)
    frame = pd.concat([frame, frame]).sample(frac=1, random_state=7).reset_index(drop=True)
    frame["deal_id"] = [f"D{i}" for i in range(len(frame))]
    icp = load_icp(Path(ICP))
    mapping = DataMapping()
    con = duckdb.connect()
    con.register("accounts", frame)
    keyed = compile_icp(icp, mapping=mapping, keep=[], pretty=False, routing=False).sql
    counts = con.sql(f"SELECT band, score, count(*) FROM ({keyed}) GROUP BY ALL").fetchall()
    ranks = count_ranks((str(b), float(s), int(n)) for b, s, n in counts)
    assert ranks is not None and ranks.step > 1
    columns = list(frame.columns)
    joined = con.sql(compile_icp(icp, mapping=mapping, keep=columns).sql).df()
    looked_up_sql = compile_icp(icp, mapping=mapping, keep=columns, ranks=ranks).sql
    assert "JOIN" not in looked_up_sql and "ORDER BY" not in looked_up_sql
    looked_up = con.sql(looked_up_sql).df()
    assert looked_up["deal_id"].tolist() == frame["deal_id"].tolist()
    assert_same(joined, looked_up)
    assert looked_up["abm_rank"].duplicated().any() and looked_up["abm_tier"].nunique() >= 3


def test_ranks_are_looked_up_in_duckdb_only() -> None:
    icp = load_icp(Path(__file__).resolve().parents[3] / ICP)
    with pytest.raises(ValueError, match="DuckDB"):
        compile_icp(icp, dialect="postgres", ranks=Ranks(0, ()))


def test_icp_score_on_a_parquet_file_routes_as_pandas_does(example_repo: Path) -> None:
    """The engine's own path: a dictionary-encoded Parquet file, ranks counted first."""
    frame = pd.read_csv(DEALS, dtype=str, keep_default_na=False)
    pd.concat([frame, frame.iloc[:50]]).to_parquet("deals.parquet", index=False)
    # Without --engine a Parquet file is scored by DuckDB: both engines are named.
    assert_engines_agree(ICP, "deals.parquet")


# Named like the query's helper columns, in another case too (DuckDB folds it).
HELPER_LIKE = (
    "_icp_band", "_icp_rank", "_icp_rank_score", "_ICP_Rank_Band", "_icp_total", "_icp_row",
    "_icp_r_employees", "_icp_carried_0",
)  # fmt: skip


@pytest.mark.parametrize("suffix", ["parquet", "csv"])
def test_source_columns_named_like_the_query_s_helpers_are_carried_as_they_are(
    example_repo: Path, suffix: str
) -> None:
    """Each would duplicate or shadow a stage's own column: the query carries them under
    names of its own, and the result has them back as the file has them."""
    frame = pd.read_csv(DEALS, dtype=str, keep_default_na=False)
    frame = frame.assign(**{name: f"{name}-{i}" for i, name in enumerate(HELPER_LIKE)})
    if suffix == "csv":
        frame.to_csv("deals.csv", index=False)
    else:
        frame.to_parquet("deals.parquet", index=False)
    assert_engines_agree(ICP, f"deals.{suffix}")
    scored = pd.read_parquet("duck.parquet")
    assert list(scored.columns[: len(frame.columns)]) == list(frame.columns)
    assert scored[list(HELPER_LIKE)].equals(frame[list(HELPER_LIKE)])
