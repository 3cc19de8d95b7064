"""Columns that describe the sale, not the buyer: recorded while the deal is worked or
after it closes, they reflect the outcome a score is meant to predict.

A column filled in while the deal is worked (days in a stage, stage names, the number of
stage changes, the rep who owns it) or after it closes scores past deals well and cannot
score a new lead. Two tests, shared by `icp suggest` (which leaves such columns out of a
draft, `suggest.leakage`) and `icp backtest` (which warns about a rule reading one,
`scorer.hindsight`): the column's name, and the data itself (a single column that alone
tells wins from losses almost perfectly is too good to be a property of the account).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from icpkit.scorer.columns import column_key
from icpkit.scorer.contract import CATEGORY, NUMERIC
from icpkit.scorer.metrics import auc

# A single field whose AUC alone is this far from a coin flip is probable leakage: no
# account property sorts real deals that cleanly.
SEPARATION = 0.95
# Below this many known wins or losses a clean split is plausible by chance.
MIN_SIDE = 10
# Pseudo-deals at the overall win rate added to each category's other deals.
SMOOTHING = 10

MEASURES_SALE = "measures-the-sale"
NAMES_SELLER = "names-the-seller"
DEAL_SIZE = "deal-size"

_SALE_WORDS = frozenset(
    {"days", "day", "elapsed", "duration", "stage", "stages", "probability", "forecast",
     "velocity", "reason", "outcome", "result", "won", "lost"}
)  # fmt: skip
# "Stage" of the company, not of the deal: funding stage, growth stage.
_COMPANY_STAGE = frozenset({"funding", "investment", "series", "growth", "company", "maturity"})
_SELLER_WORDS = frozenset(
    {"owner", "rep", "reps", "seller", "salesperson", "salesrep", "agent", "ae", "sdr", "bdr"}
)
_SELLER = re.compile(r"(^|_)(account|sales)_(manager|executive)(_|$)|^manager$")
_SIZE = re.compile(r"(^|_)(deal|opportunity|close)_(size|value|amount)(_|$)|(^|_)amount(_|$)")


@dataclass(frozen=True)
class Named:
    """What a column's name says it holds: `kind` one of the three above, `reason` in words."""

    kind: str
    reason: str


def by_name(column: str, field: str) -> Named | None:
    """What its name (or the column's, when mapped) says it holds, or None: an account's."""
    names = {field, column_key(column)}
    words = {word for name in names for word in name.split("_")}
    if any(_SELLER.search(name) for name in names) or words & _SELLER_WORDS:
        return Named(NAMES_SELLER, "names the seller, not the buyer")
    if any(_SIZE.search(name) for name in names):
        return Named(DEAL_SIZE, "the deal's own size, like amount_usd")
    what = sorted(words & _SALE_WORDS)
    if words & _COMPANY_STAGE:
        what = [word for word in what if word not in ("stage", "stages")]
    if what:
        return Named(
            MEASURES_SALE,
            f"measures the sale itself ({', '.join(what)}): known only once the deal is worked",
        )
    return None


def separation(values: pd.Series, kind: str, won: np.ndarray) -> float | None:
    """How well the column alone ranks wins above losses, as an AUC folded to 0.5-1."""
    if kind == NUMERIC:
        numbers = values.to_numpy(dtype="float64", na_value=np.nan)
        known = ~np.isnan(numbers)
        score = numbers
    elif kind == CATEGORY:
        folded = values.astype("string").str.strip().str.lower()
        known = folded.notna().to_numpy(dtype=bool)
        if not known.any():
            return None
        frame = pd.DataFrame({"value": folded[known].to_numpy(), "won": won[known]})
        base = frame["won"].mean()
        grouped = frame.groupby("value")["won"]
        wins, deals = grouped.transform("sum"), grouped.transform("count")
        # Each deal scored by the win rate of the *other* deals with its value: a value seen
        # once says nothing about its own deal, however it ended.
        rate = (wins - frame["won"] + SMOOTHING * base) / (deals - 1 + SMOOTHING)
        score = np.full(len(won), np.nan)
        score[known] = rate.to_numpy(dtype="float64")
    else:
        return None
    if int((known & won).sum()) < MIN_SIDE or int((known & ~won).sum()) < MIN_SIDE:
        return None
    value = auc(score[known], won[known])
    if value is None:
        return None
    # Win rates only ever rank wins higher; a number may separate in either direction.
    return value if kind == CATEGORY else max(value, 1 - value)
