"""The DuckDB engine's `expected_win_rate`: a CASE on band with the rates baked in."""

from __future__ import annotations

from collections.abc import Mapping

from sqlglot import exp

from icpkit.scorer.contract import EXPECTED_WIN_RATE


def with_expected_sql(query: str, rates: Mapping[str, float]) -> str:
    """`query` with `expected_win_rate` after its columns, as `scorer.expected` maps it."""
    if not rates:
        return f"SELECT *, CAST(NULL AS DOUBLE) AS {_name()} FROM ({query})"
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
    return f"SELECT *, {case.sql('duckdb')} AS {_name()} FROM ({query})"


def _name() -> str:
    return exp.to_identifier(EXPECTED_WIN_RATE).sql("duckdb")
