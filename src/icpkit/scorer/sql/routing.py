"""The compiled SQL's routing columns: `route`, `sla_hours`, `abm_tier` and `abm_rank`,
as `scorer.routing` computes them, appended to the query's final SELECT.

The rank is RANK() over the whole result (band, score descending): tied rows share a
rank, as in the pandas scorer, so no engine's scan order can change a rank. A window
sorts, so where the engine numbers rows in scan order (DuckDB, PostgreSQL, Spark) the
source rows are numbered first (`_icp_row`) and the result is ordered by that number
again: rows come out in the order the engine read them. Snowflake and BigQuery have no
scan order to keep.
"""

from __future__ import annotations

from sqlglot import exp

from icpkit.format.model import Activation
from icpkit.scorer.contract import (
    ABM_RANK,
    ABM_TIER,
    ROUTE,
    SCORE_BANDS,
    SLA_HOURS,
)
from icpkit.scorer.sql.values import double, string

ROW = "_icp_row"
# Dialects whose engines number a table's rows in the order they scan them, and how.
_ROW_NUMBERS = {"duckdb": "ROW_NUMBER", "postgres": "ROW_NUMBER", "spark": "MONOTONIC"}
# An outcome band sorts after every score band, so ranks 1..n are the ranked rows'.
_UNRANKED = len(SCORE_BANDS)


def row_number(dialect: str) -> exp.Expr | None:
    """The source row's place in the table, where `dialect` has one (see the module)."""
    how = _ROW_NUMBERS.get(dialect)
    if how is None:
        return None
    if how == "MONOTONIC":
        return exp.Anonymous(this="monotonically_increasing_id")
    return exp.Window(this=exp.RowNumber())


def routed(final: exp.Select, activation: Activation, dialect: str) -> exp.Select:
    """`final` (naming `band` and `score`) with the routing columns after its own, and,
    where the source rows are numbered, ordered as the table is."""
    named = {e.alias: e.this for e in final.expressions if isinstance(e, exp.Alias)}
    band, score = named["band"], named["score"]
    order = _band_order(band)
    keys = [
        exp.Ordered(this=exp.Coalesce(this=order.copy(), expressions=[_int(_UNRANKED)])),
        exp.Ordered(this=score.copy(), desc=True),
    ]
    numbered = dialect in _ROW_NUMBERS
    window = exp.Window(this=exp.Rank(), order=exp.Order(expressions=keys))
    ranked = exp.Not(this=exp.Is(this=order.copy(), expression=exp.null()))
    columns = {
        ROUTE: _route(band, activation),
        SLA_HOURS: _sla(band, activation),
        ABM_TIER: _tier(activation, window, order),
        ABM_RANK: exp.Case().when(ranked, window.copy()),
    }
    out = final.select(*(exp.alias_(e, name) for name, e in columns.items()), copy=True)
    return out.order_by(exp.column(ROW), copy=False) if numbered else out


def _band_order(band: exp.Expr) -> exp.Expr:
    """0 for strong ... 4 for poor; NULL for an outcome band (never ranked)."""
    case = exp.Case(this=band.copy())
    for index, name in enumerate(SCORE_BANDS):
        case = case.when(string(name), _int(index))
    return case


def _route(band: exp.Expr, activation: Activation) -> exp.Expr:
    case = exp.Case(this=band.copy())
    for item in activation.routes:
        case = case.when(string(item.band), string(item.queue))
    return case.else_(string("")) if activation.routes else string("")


def _sla(band: exp.Expr, activation: Activation) -> exp.Expr:
    null = exp.cast(exp.null(), exp.DataType.Type.DOUBLE)
    timed = [r for r in activation.routes if r.sla_hours is not None]
    case = exp.Case(this=band.copy())
    for item in timed:
        case = case.when(string(item.band), double(float(item.sla_hours or 0.0)))
    return case.else_(null) if timed else null


def _tier(activation: Activation, window: exp.Expr, order: exp.Expr) -> exp.Expr:
    """The first tier whose tests hold; an unranked row's NULL order fails every one. It
    sorts after every ranked row, so a ranked row's RANK() is its rank among them."""
    case = exp.Case()
    for tier in activation.abm_tiers:
        weakest = SCORE_BANDS.index(tier.min_band) if tier.min_band else _UNRANKED - 1
        test: exp.Expr = exp.LTE(this=order.copy(), expression=_int(weakest))
        if tier.top is not None:
            top = exp.LTE(this=window.copy(), expression=_int(tier.top))
            test = exp.and_(test, top)
        case = case.when(test, string(tier.name))
    return case.else_(string("")) if activation.abm_tiers else string("")


def _int(value: int) -> exp.Expr:
    return exp.Literal.number(value)
