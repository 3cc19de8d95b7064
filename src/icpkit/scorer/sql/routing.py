"""The compiled SQL's routing columns: `route`, `sla_hours`, `abm_tier` and `abm_rank`,
as `scorer.routing` computes them, appended to the query's final SELECT.

The rank has RANK()'s meaning (band, then score descending): tied rows share a rank, as
in the pandas scorer, so no engine's scan order can change a rank. It is counted on the
distinct (band, score) keys and joined back (see `routed`). A join does not keep row
order, so where the engine numbers rows in scan order (DuckDB, PostgreSQL, Spark) the
source rows are numbered first (`_icp_row`) and the result is ordered by that number
again: rows come out in the order the engine read them. Snowflake and BigQuery have no
scan order to keep.

Where the ranks were counted beforehand (`scorer.sql.ranks`, DuckDB), each row's rank is
looked up by its score instead: no join, no row numbers, no sort, and DuckDB keeps a
single scan's order through the query.
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
from icpkit.scorer.sql.ranks import Ranks
from icpkit.scorer.sql.values import double, string

ROW = "_icp_row"
TOTALS, KEYED, RANKS = "icp_totals", "icp_keyed", "icp_ranks"
# The stages when ranks are looked up: neither is read twice, so neither is materialised.
SCORED_KEYS, LOOKED_UP = "icp_scored_keys", "icp_looked_up"
# The stages' own columns, which a carried `*` leaves out.
BAND_KEY, SCORE_KEY, RANK = "_icp_rank_band", "_icp_rank_score", "_icp_rank"
HELPERS = (BAND_KEY, SCORE_KEY, RANK)
# Where ranks are looked up, the band is computed once, in a stage, and read from there.
BAND = "_icp_band"
LOOKUP_HELPERS = (BAND, *HELPERS)
# Dialects whose engines number a table's rows in the order they scan them, and how.
_ROW_NUMBERS = {"duckdb": "ROW_NUMBER", "postgres": "ROW_NUMBER", "spark": "MONOTONIC"}
# Dialects that take `AS MATERIALIZED` and would otherwise inline a CTE read twice.
_MATERIALIZED_KEYED = frozenset({"duckdb", "postgres"})
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


def routed(
    final: exp.Select, activation: Activation, dialect: str, ranks: Ranks | None = None
) -> tuple[list[tuple[str, exp.Select]], exp.Select]:
    """`final` (naming `band` and `score`, reading `icp_totals`) with the routing columns
    after its own and, where the source rows are numbered, ordered as the table is; with
    the stages it then reads.

    A RANK() window over every row would sort the whole wide result (every carried
    column) once per window: 10M rows took minutes. The rank of a row is one plus the
    rows ordered before it, so it is computed on the distinct (band, score) keys, a few
    thousand, and joined back."""
    if ranks is not None:
        return _routed_by_lookup(final, activation, ranks)
    named = {e.alias: e.this for e in final.expressions if isinstance(e, exp.Alias)}
    band, score = named["band"], named["score"]
    keyed = exp.select(
        exp.Star(), exp.alias_(_key(band), BAND_KEY), exp.alias_(score.copy(), SCORE_KEY)
    ).from_(TOTALS)
    rows = exp.Count(this=exp.Star())
    # Neither key is ever NULL. Ascending with NULLS FIRST (the higher score first through
    # its negation) is the one order every dialect writes for a SUM window: sqlglot cannot
    # give BigQuery a DESC or NULLS LAST one.
    keys = [exp.column(BAND_KEY), exp.Neg(this=exp.column(SCORE_KEY))]
    before = exp.Window(
        this=exp.Sum(this=rows.copy()),
        order=exp.Order(expressions=[exp.Ordered(this=k, nulls_first=True) for k in keys]),
    )
    rank = exp.cast(
        exp.Add(this=exp.Sub(this=before, expression=rows.copy()), expression=_int(1)),
        exp.DataType.Type.BIGINT,
    )
    counted = (
        exp.select(exp.column(BAND_KEY), exp.column(SCORE_KEY), exp.alias_(rank, RANK))
        .from_(KEYED)
        .group_by(exp.column(BAND_KEY), exp.column(SCORE_KEY))
    )
    out = final.select(*_columns(band, activation), copy=True)
    out = out.from_(KEYED, copy=False).join(
        RANKS, using=[BAND_KEY, SCORE_KEY], join_type="left", copy=False
    )
    stages = [(KEYED, keyed), (RANKS, counted)]
    return stages, out.order_by(exp.column(ROW), copy=False) if dialect in _ROW_NUMBERS else out


def _routed_by_lookup(
    final: exp.Select, activation: Activation, ranks: Ranks
) -> tuple[list[tuple[str, exp.Select]], exp.Select]:
    """`routed` with the ranks counted beforehand: the band and score computed once in a
    stage, each routing column a function of them and of the rank found by score. One
    scan, no join: DuckDB keeps the table's order, so nothing is sorted."""
    final = final.copy()
    named = {e.alias: e for e in final.expressions if isinstance(e, exp.Alias)}
    band, score = named["band"].this, named["score"].this
    scored = exp.select(
        exp.Star(), exp.alias_(band.copy(), BAND), exp.alias_(score.copy(), SCORE_KEY)
    ).from_(TOTALS)
    named["band"].set("this", exp.column(BAND))
    named["score"].set("this", exp.column(SCORE_KEY))
    keyed = exp.select(
        exp.Star(),
        exp.alias_(_key(exp.column(BAND)), BAND_KEY),
        exp.alias_(_looked_up(ranks), RANK),
    ).from_(SCORED_KEYS)
    out = final.select(*_columns(exp.column(BAND), activation), copy=False)
    return [(SCORED_KEYS, scored), (LOOKED_UP, keyed)], out.from_(LOOKED_UP, copy=False)


def _key(band: exp.Expr) -> exp.Expr:
    return exp.Coalesce(this=_band_order(band), expressions=[_int(_UNRANKED)])


def _columns(band: exp.Expr, activation: Activation) -> list[exp.Expr]:
    """The routing columns, from the final band, the band's key and the rank."""
    # An outcome band's key sorts after every score band's: it is never ranked.
    key = exp.column(BAND_KEY)
    ranked = exp.LT(this=key.copy(), expression=_int(_UNRANKED))
    columns = {
        ROUTE: _route(band, activation),
        SLA_HOURS: _sla(band, activation),
        ABM_TIER: _tier(activation, exp.column(RANK), key),
        ABM_RANK: exp.Case().when(ranked, exp.column(RANK)),
    }
    return [exp.alias_(e, name) for name, e in columns.items()]


def _looked_up(ranks: Ranks) -> exp.Expr:
    """The rank of the row's score, from the list of ranks by score (DuckDB's lists count
    from 1). An unranked row may find another score's rank here: its band key
    keeps it out of every tier and its `abm_rank` NULL."""
    bigint = exp.DataType.Type.BIGINT
    if not ranks.ranks:
        return exp.cast(exp.null(), bigint)
    listed = exp.Array(expressions=[exp.null() if r is None else _int(r) for r in ranks.ranks])
    hundredths = exp.cast(
        exp.Round(this=exp.Mul(this=exp.column(SCORE_KEY), expression=double(100.0))), bigint
    )
    offset: exp.Expr = exp.paren(exp.Sub(this=hundredths, expression=_int(ranks.low)))
    if ranks.step > 1:
        offset = exp.IntDiv(this=offset, expression=_int(ranks.step))
    where = exp.Add(this=offset, expression=_int(1))
    return exp.cast(exp.Anonymous(this="list_extract", expressions=[listed, where]), bigint)


def materialized(name: str, dialect: str) -> bool:
    """Whether the stage `name` is computed once where the planner could inline it: the
    keyed rows are read twice (ranked, then joined), and DuckDB would score them twice."""
    return name == KEYED and dialect in _MATERIALIZED_KEYED


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


def _tier(activation: Activation, rank: exp.Expr, key: exp.Expr) -> exp.Expr:
    """The first tier whose tests hold; an unranked row's key fails every one, and sorts
    after every ranked row, so a ranked row's rank is its rank among them."""
    case = exp.Case()
    for tier in activation.abm_tiers:
        weakest = SCORE_BANDS.index(tier.min_band) if tier.min_band else _UNRANKED - 1
        test: exp.Expr = exp.LTE(this=key.copy(), expression=_int(weakest))
        if tier.top is not None:
            top = exp.LTE(this=rank.copy(), expression=_int(tier.top))
            test = exp.and_(test, top)
        case = case.when(test, string(tier.name))
    return case.else_(string("")) if activation.abm_tiers else string("")


def _int(value: int) -> exp.Expr:
    return exp.Literal.number(value)
