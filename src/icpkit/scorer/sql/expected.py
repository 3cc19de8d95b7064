"""The DuckDB engine's `expected_win_rate`: a CASE on band with the rates baked in."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlglot import exp

from icpkit.scorer.carry import carried_names
from icpkit.scorer.contract import EXPECTED_WIN_RATE


def with_expected_sql(
    query: str, rates: Mapping[str, float], carried: Sequence[str], results: Sequence[str]
) -> str:
    """`query` (carrying the input columns `carried` before its `results`) with
    `expected_win_rate` after its columns, as `scorer.expected` maps it. An input column
    named like it is carried as `input_<name>`, as the pandas engine carries it."""
    star = _star(carried, results)
    if not rates:
        return f"SELECT {star}, CAST(NULL AS DOUBLE) AS {_name()} FROM ({query})"
    case = exp.Case(
        this=exp.column("band"),
        ifs=[
            exp.If(
                this=exp.Literal.string(band),
                true=exp.cast(exp.Literal.number(repr(rate)), exp.DataType.Type.DOUBLE),
            )
            for band, rate in rates.items()
        ],
        default=exp.cast(exp.null(), exp.DataType.Type.DOUBLE),
    )
    return f"SELECT {star}, {case.sql('duckdb')} AS {_name()} FROM ({query})"


def _star(carried: Sequence[str], results: Sequence[str]) -> str:
    before = carried_names(carried, results)
    after = carried_names(carried, [*results, EXPECTED_WIN_RATE])
    renames = [
        f"{_quoted(before[name])} AS {_quoted(after[name])}"
        for name in carried
        if before[name] != after[name]
    ]
    return f"* RENAME ({', '.join(renames)})" if renames else "*"


def _quoted(name: str) -> str:
    return exp.to_identifier(name, quoted=True).sql("duckdb")


def _name() -> str:
    return exp.to_identifier(EXPECTED_WIN_RATE).sql("duckdb")
