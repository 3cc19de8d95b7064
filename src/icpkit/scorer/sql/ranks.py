"""Ranks counted before the query that routes: each score's `abm_rank`, from the count of
rows per (band, score) key, so the routing query looks a row's rank up by its score.

`scorer.sql.routing` ranks inside the query by joining the keys' ranks back to the rows;
a join loses the scan order, so the rows are numbered and sorted again, and on DuckDB that
sort of the wide result costs more than the scoring itself. Where the engine can first
count the keys (a cheap GROUP BY: only band and score are computed), the ranks are known
before the routing query runs, and it needs neither join nor sort.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from icpkit.scorer.contract import SCORE_BANDS

# Scores are rounded to hundredths (0.00 to 100.00), so a lookup has at most this many.
_MOST = 10_001


@dataclass(frozen=True)
class Ranks:
    """The rank of each ranked score, indexed by (the score in hundredths less `low`) over
    `step`: the scores' common spacing, since DuckDB's lookup costs grow with the list.

    A score band is a function of the score (its floor), so among ranked rows the score
    alone names the key; `None` fills the places no ranked row holds."""

    low: int
    ranks: tuple[int | None, ...]
    step: int = 1


def count_ranks(keys: Iterable[tuple[str, float, int]]) -> Ranks | None:
    """The ranks of the (band, score, rows) counts, as RANK() over band then score
    descending gives them: one plus the ranked rows ordered before. Rows in an outcome band
    (disqualified, unknown) are never ranked.

    None where a lookup by score could give a wrong rank: a score not in whole hundredths,
    one score in two score bands, or a NaN; the caller then ranks in the query itself."""
    ranked: dict[tuple[int, float], int] = {}
    for band, score, rows in keys:
        if band not in SCORE_BANDS:
            continue
        if score != score:  # NaN: no lookup can find it
            return None
        key = (SCORE_BANDS.index(band), float(score))
        ranked[key] = ranked.get(key, 0) + int(rows)
    hundredths: dict[int, int] = {}
    before = 0
    for (_, score), rows in sorted(ranked.items(), key=lambda item: (item[0][0], -item[0][1])):
        where = round(score * 100)
        if where / 100 != score or where in hundredths:
            return None
        hundredths[where] = before + 1
        before += rows
    if not hundredths:
        return Ranks(0, ())
    low, high = min(hundredths), max(hundredths)
    if high - low + 1 > _MOST:
        return None
    step = math.gcd(*(where - low for where in hundredths)) or 1
    places = range(low, high + 1, step)
    return Ranks(low, tuple(hundredths.get(where) for where in places), step)
