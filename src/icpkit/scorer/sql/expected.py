"""The DuckDB engine's `expected_win_rate` (and `expected_churn_rate`): a CASE on band with
the rates baked in."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlglot import exp

from icpkit.scorer.carry import carried_names
from icpkit.scorer.contract import EXPECTED_CHURN_RATE, EXPECTED_WIN_RATE


def with_expected_sql(
    query: str,
    rates: Mapping[str, float],
    carried: Sequence[str],
    results: Sequence[str],
    churn: Mapping[str, float] | None = None,
    last: Sequence[str] = (),
) -> str:
    """`query` (carrying the input columns `carried` before its `results`) with
    `expected_win_rate` after its columns, and `expected_churn_rate` after it when `churn`
    is given, as `scorer.expected` maps them. An input column named like one is carried as
    `input_<name>`, as the pandas engine carries it. The columns `last` (the routing
    columns, see `scorer.sql.routing`) stay last, after the rates, as in the pandas engine."""
    columns = {EXPECTED_WIN_RATE: rates}
    if churn is not None:
        columns[EXPECTED_CHURN_RATE] = churn
    star = _star(carried, results, list(columns), last)
    added = ", ".join(f"{_case(found)} AS {_name(name)}" for name, found in columns.items())
    after = "".join(f", {_name(name)}" for name in last)
    return f"SELECT {star}, {added}{after} FROM ({query})"


def _case(rates: Mapping[str, float]) -> str:
    null = exp.cast(exp.null(), exp.DataType.Type.DOUBLE)
    if not rates:
        return null.sql("duckdb")
    case = exp.Case(
        this=exp.column("band"),
        ifs=[
            exp.If(
                this=exp.Literal.string(band),
                true=exp.cast(exp.Literal.number(repr(rate)), exp.DataType.Type.DOUBLE),
            )
            for band, rate in rates.items()
        ],
        default=null,
    )
    return case.sql("duckdb")


def _star(
    carried: Sequence[str], results: Sequence[str], added: Sequence[str], last: Sequence[str]
) -> str:
    before = carried_names(carried, results)
    after = carried_names(carried, [*results, *added])
    renames = [
        f"{_quoted(before[name])} AS {_quoted(after[name])}"
        for name in carried
        if before[name] != after[name]
    ]
    star = "*"
    if last:
        star += f" EXCLUDE ({', '.join(_name(name) for name in last)})"
    return f"{star} RENAME ({', '.join(renames)})" if renames else star


def _quoted(name: str) -> str:
    return exp.to_identifier(name, quoted=True).sql("duckdb")


def _name(name: str) -> str:
    return exp.to_identifier(name).sql("duckdb")
