"""Routing and ABM tiers: the last step of a score run, read from each row's final band.

What the four columns hold (the compiled SQL, `scorer.sql.routing`, writes the same):
- `route`, `sla_hours`: the route `activation.routes` gives the row's band, "" and null
  where that band has none (rule ICP040 names it);
- `abm_rank`: the row's place among the rows of its ICP that have a score band (never a
  disqualified or unknown one), strong first, then by score, highest first; 1 is the best
  fit. Rows with the same band and score share a rank and the next rank skips (1, 2, 2, 4,
  SQL's RANK): a tie is not broken by row order, which a warehouse table does not have, so
  every engine gives every row the same rank. Null for a row that is not ranked;
- `abm_tier`: the first of `activation.abm_tiers` whose `top` (a rank at most) and
  `min_band` (that band or a better one) both hold, each when set; "" for none. A tie
  across a tier's `top` puts every tied row in the tier, so it can hold more than `top`.

Only an ICP with `activation:` adds the columns; with several ICPs, each row is routed and
ranked by its best fit's ICP, among the rows that ICP fits best.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from icpkit.format.model import Activation, Icp
from icpkit.scorer.contract import (
    ABM_RANK,
    ABM_TIER,
    ROUTE,
    SCORE_BANDS,
    SLA_HOURS,
    band_rank,
    routing_columns,
)


def route_frame(result: pd.DataFrame, icps: Sequence[Icp]) -> pd.DataFrame:
    """`result` (its `icp_id`, `band` and `score` columns) with the routing columns after
    its own, or `result` itself when no ICP has `activation:`."""
    if not routing_columns(icps):
        return result
    ids = result["icp_id"].astype(str).to_numpy()
    bands = result["band"].astype(str).to_numpy()
    scores = result["score"].to_numpy(dtype="float64")
    order = pd.Series(bands).map(_BAND_ORDER).to_numpy(dtype="float64")
    rows = len(result)
    route = np.full(rows, "", dtype=object)
    sla = np.full(rows, np.nan)
    tier = np.full(rows, "", dtype=object)
    rank = np.zeros(rows, dtype=np.int64)
    for icp in icps:
        if icp.activation is None:
            continue
        mine = ids == icp.id
        for item in icp.activation.routes:
            hit = mine & (bands == item.band)
            route[hit] = item.queue
            sla[hit] = np.nan if item.sla_hours is None else item.sla_hours
        ranked = np.flatnonzero(mine & ~np.isnan(order))
        rank[ranked] = competition_rank(order[ranked], scores[ranked])
        _tiers(icp.activation, tier, mine & (rank > 0), rank, order)
    out = result.copy()
    out[ROUTE] = pd.Categorical(route)
    out[SLA_HOURS] = sla
    out[ABM_TIER] = pd.Categorical(tier)
    out[ABM_RANK] = pd.Series(rank, index=result.index, dtype="Int64").mask(rank == 0)
    return out


_BAND_ORDER = {band: band_rank(band) for band in SCORE_BANDS}


def competition_rank(order: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """1-based ranks by band, then score descending, ties sharing the lowest (SQL RANK)."""
    # lexsort's last key sorts first.
    sort = np.lexsort((-scores, order))
    ordered, best = order[sort], scores[sort]
    starts = np.ones(len(sort), dtype=bool)
    starts[1:] = (ordered[1:] != ordered[:-1]) | (best[1:] != best[:-1])
    positions = np.arange(1, len(sort) + 1)
    ranks = np.empty(len(sort), dtype=np.int64)
    ranks[sort] = np.maximum.accumulate(np.where(starts, positions, 0))
    return ranks


def _tiers(
    activation: Activation,
    tier: np.ndarray,
    ranked: np.ndarray,
    rank: np.ndarray,
    order: np.ndarray,
) -> None:
    """Each ranked row's first qualifying tier, written into `tier`."""
    free = ranked.copy()
    for item in activation.abm_tiers:
        hit = free.copy()
        if item.top is not None:
            hit &= rank <= item.top
        if item.min_band is not None:
            hit &= order <= SCORE_BANDS.index(item.min_band)
        tier[hit] = item.name
        free &= ~hit
