"""`--to target-accounts`: the ranked ABM list with each account's tier (1:1, 1:few, 1:many
or what the ICP calls them), for the account-selection step.

The tiers are the scorer's (`abm_tier`, from the ICP's `activation.abm_tiers`), and so is
the rank where it wrote one (`abm_rank`); this list computes no tier of its own. An account
with no tier is not on the list, nor is one disqualified by the anti-ICP or by an override.

Each account is listed once, from its best row (as the LinkedIn list keeps it). The scorer
ranks and tiers rows, so where an account fills several rows (a deals export) its
`abm_rank` counted the others too: `rank` is then the account's place among the listed
accounts, and a warning says what the row-counted tiers mean.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from icpkit.errors import InputError
from icpkit.export.selection import account_key, first_per, ranked
from icpkit.export.source import BAND, ICP_ID, ICP_VERSION, SCORE, STATUS, Scored
from icpkit.scorer.contract import ABM_RANK, ABM_TIER, DISQUALIFIED, ROUTE, band_rank
from icpkit.scorer.routing import competition_rank
from icpkit.scorer.tables import TEXT_DTYPE
from icpkit.text import plural

RANK = "rank"
ACCOUNT_NAMES = ("account", "account name", "account id", "company", "company name", "name")


@dataclass(frozen=True)
class TargetList:
    frame: pd.DataFrame
    untiered: int  # accounts not on the list for want of a tier (an unnamed row is one)
    repeated: int = 0  # rows of an account listed from its best row (a deals export)


def target_accounts(scored: Scored, id_column: str | None, fields: Sequence[str]) -> TargetList:
    scored.require((ABM_TIER,), "target-accounts")
    key = _account_column(scored, id_column)
    extra = [scored.column(name, "--field") for name in fields]
    frame = scored.frame
    tier = frame[ABM_TIER].astype(TEXT_DTYPE).fillna("").str.strip()
    out = (frame[STATUS].astype(str) == DISQUALIFIED) | (frame[BAND].astype(str) == DISQUALIFIED)
    listed = ((tier != "") & ~out).to_numpy(dtype=bool)
    # One row per account, its best, as the LinkedIn list keeps it.
    best, repeated = first_per(ranked(frame[listed]), key)
    rows = _ordered(best)
    route = [ROUTE] if ROUTE in frame.columns else []
    columns = list(dict.fromkeys([ABM_TIER, key, ICP_ID, ICP_VERSION, SCORE, BAND, *route, *extra]))
    table = rows[columns].copy()
    table.insert(0, RANK, _ranks(rows) if not repeated else _account_ranks(rows))
    left_off = frame[~listed & ~out.to_numpy(dtype=bool)]
    untiered = _accounts(left_off[key], exclude=account_key(best[key]))
    return TargetList(table.reset_index(drop=True), untiered, repeated)


def repeats_note(scored: Scored, found: TargetList) -> str | None:
    """What the tiers mean when the file held an account on several rows."""
    if not found.repeated:
        return None
    return (
        f"{scored.path}: {plural(found.repeated, 'row repeats', 'rows repeat')} an account "
        "listed from its best row. icp score tiers rows, not accounts, so a tier's `top` "
        "counted every row of an account and the tier holds fewer accounts than its top; "
        "`rank` is the account's place on this list. For tiers that count accounts, score "
        "one row per account"
    )


def _accounts(names: pd.Series, exclude: pd.Series) -> int:
    """How many accounts `names` holds that `exclude` does not: each unnamed row is one."""
    key = account_key(names)
    named = key[key != ""]
    return int((key == "").sum()) + len(set(named) - set(exclude))


def _account_column(scored: Scored, named: str | None) -> str:
    if named is not None:
        return scored.column(named, "--id-column")
    folded = {str(c).strip().casefold(): str(c) for c in scored.frame.columns}
    found = next((folded[n] for n in ACCOUNT_NAMES if n in folded), None)
    if found is None:
        raise InputError(
            f"{scored.path}: no account column (account, name ...): name the column that "
            "says which account a row is with --id-column"
        )
    return found


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    """Each ICP's accounts in rank order (the scorer's rank, else band and score), the ICPs in
    the order the file first names them."""
    icps = {icp: place for place, icp in enumerate(dict.fromkeys(frame[ICP_ID].astype(str)))}
    if ABM_RANK in frame.columns:
        keys = pd.DataFrame(
            {
                "icp": frame[ICP_ID].astype(str).map(icps),
                "rank": pd.to_numeric(frame[ABM_RANK], errors="coerce"),
            }
        )
        return frame.loc[keys.sort_values(["icp", "rank"], kind="mergesort").index]
    best = ranked(frame)
    place = best[ICP_ID].astype(str).map(icps)
    return best.loc[place.sort_values(kind="mergesort").index]


def _ranks(rows: pd.DataFrame) -> pd.Series:
    if ABM_RANK in rows.columns:
        return pd.to_numeric(rows[ABM_RANK], errors="coerce").astype("Int64")
    return rows.groupby(rows[ICP_ID].astype(str), sort=False).cumcount() + 1


def _account_ranks(rows: pd.DataFrame) -> pd.Series:
    """Each account's place among the listed accounts of its ICP, ranked as the scorer
    ranks (band, then score; ties share a rank): its `abm_rank` counted the account's other
    rows too."""
    order = rows[BAND].astype(str).map(band_rank).to_numpy(dtype="float64")
    scores = rows[SCORE].astype("float64").to_numpy()
    icps = rows[ICP_ID].astype(str).to_numpy()
    rank = np.zeros(len(rows), dtype=np.int64)
    for icp in dict.fromkeys(icps):
        mine = icps == icp
        rank[mine] = competition_rank(order[mine], scores[mine])
    return pd.Series(rank, index=rows.index, dtype="Int64")
