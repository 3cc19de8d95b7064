"""`--to target-accounts`: the ranked ABM list with each account's tier (1:1, 1:few, 1:many
or what the ICP calls them), for the account-selection step.

The tiers are the scorer's (`abm_tier`, from the ICP's `activation.abm_tiers`), and so is
the rank where it wrote one (`abm_rank`); this list computes no tier of its own. An account
with no tier is not on the list, nor is one disqualified by the anti-ICP or by an override.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from icpkit.errors import InputError
from icpkit.export.selection import ranked
from icpkit.export.source import BAND, ICP_ID, ICP_VERSION, SCORE, STATUS, Scored
from icpkit.scorer.contract import ABM_RANK, ABM_TIER, DISQUALIFIED, ROUTE
from icpkit.scorer.tables import TEXT_DTYPE

RANK = "rank"
ACCOUNT_NAMES = ("account", "account name", "account id", "company", "company name", "name")


@dataclass(frozen=True)
class TargetList:
    frame: pd.DataFrame
    untiered: int  # accounts the scorer gave no tier (not on the list)


def target_accounts(scored: Scored, id_column: str | None, fields: Sequence[str]) -> TargetList:
    scored.require((ABM_TIER,), "target-accounts")
    key = _account_column(scored, id_column)
    extra = [scored.column(name, "--field") for name in fields]
    frame = scored.frame
    tier = frame[ABM_TIER].astype(TEXT_DTYPE).fillna("").str.strip()
    out = (frame[STATUS].astype(str) == DISQUALIFIED) | (frame[BAND].astype(str) == DISQUALIFIED)
    listed = (tier != "") & ~out
    rows = _ordered(frame[listed.to_numpy(dtype=bool)])
    route = [ROUTE] if ROUTE in frame.columns else []
    columns = list(dict.fromkeys([ABM_TIER, key, ICP_ID, ICP_VERSION, SCORE, BAND, *route, *extra]))
    table = rows[columns].copy()
    table.insert(0, RANK, _ranks(rows))
    untiered = int((~listed & ~out).sum())
    return TargetList(table.reset_index(drop=True), untiered)


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
