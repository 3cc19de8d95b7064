"""Revenue-weighted figures beside the counts: where the won money and the open pipeline sit.

A count treats a $5K win like a $500K one. The seeds ask for "average deal size ... by ICP
score band"; this adds the share of won revenue that scored good or better (gateable as
`validation.min_won_revenue_share`) and the open pipeline by band, from `amount_usd`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from icpkit.scorer.contract import ALL_BANDS, GOOD_OR_BETTER, UNKNOWN_BAND
from icpkit.text import money, plural

AMOUNT = "amount_usd"


@dataclass(frozen=True)
class RevenueBand:
    """One band's won revenue (and its share of all won revenue) and open pipeline."""

    band: str
    won_revenue: float | None
    won_revenue_share: float | None
    open_deals: int
    pipeline_value: float | None
    avg_open_deal: float | None


@dataclass(frozen=True)
class Revenue:
    """Won revenue and open pipeline over deals whose band is known and amount given."""

    won_revenue: float | None
    won_revenue_good_or_better: float | None
    open_deals: int
    pipeline_value: float | None
    pipeline_good_or_better: float | None
    bands: tuple[RevenueBand, ...]
    # Won and open deals with a known band but no amount: left out of every figure above.
    unpriced_wins: int
    unpriced_open: int
    currency: str = "USD"  # the ICP's: what the amounts are in


def revenue(deals: pd.DataFrame, band: np.ndarray, currency: str = "USD") -> Revenue:
    """The figures for `deals` (canonical, open ones included) scored into `band`."""
    outcome = deals["outcome"].to_numpy(dtype=object)
    amount = (
        deals[AMOUNT].to_numpy(dtype="float64", na_value=np.nan)
        if AMOUNT in deals
        else np.full(len(deals), np.nan)
    )
    known = band != UNKNOWN_BAND
    priced = ~np.isnan(amount)
    won, shut_open = (outcome == "won") & known, (outcome == "open") & known
    good = np.isin(band, list(GOOD_OR_BETTER))
    won_total = _total(amount, won & priced)
    pipeline = _total(amount, shut_open & priced)
    rows = []
    for name in ALL_BANDS:
        inside = band == name
        won_here = _total(amount, won & priced & inside)
        open_here = shut_open & inside
        value = _total(amount, open_here & priced)
        priced_open = int((open_here & priced).sum())
        rows.append(
            RevenueBand(
                band=name,
                won_revenue=won_here,
                won_revenue_share=_share(won_here, won_total),
                open_deals=int(open_here.sum()),
                pipeline_value=value,
                avg_open_deal=value / priced_open if value is not None and priced_open else None,
            )
        )
    return Revenue(
        won_revenue=won_total,
        won_revenue_good_or_better=_share(_total(amount, won & priced & good), won_total),
        open_deals=int(shut_open.sum()),
        pipeline_value=pipeline,
        pipeline_good_or_better=_share(_total(amount, shut_open & priced & good), pipeline),
        bands=tuple(rows),
        unpriced_wins=int((won & ~priced).sum()),
        unpriced_open=int((shut_open & ~priced).sum()),
        currency=currency,
    )


def _total(amount: np.ndarray, keep: np.ndarray) -> float | None:
    """The sum of the kept amounts; None when none is kept (no money is not $0)."""
    return float(amount[keep].sum()) if keep.any() else None


def _share(part: float | None, whole: float | None) -> float | None:
    if whole is None or whole <= 0:
        return None
    return (part or 0.0) / whole


def revenue_warnings(figures: Revenue) -> list[str]:
    """Deals left out of the revenue figures for want of an amount: they would bias them."""
    found = []
    if figures.unpriced_wins and figures.won_revenue is not None:
        found.append(
            f"{plural(figures.unpriced_wins, 'won deal has', 'won deals have')} no {AMOUNT}: "
            f"left out of the won revenue "
            f"({money(figures.won_revenue, figures.currency)} from the rest)"
        )
    if figures.unpriced_open:
        rest = (
            f"left out of the pipeline value "
            f"({money(figures.pipeline_value, figures.currency)} from the rest)"
            if figures.pipeline_value is not None
            else "the pipeline has no value to report"
        )
        has = plural(figures.unpriced_open, "open deal has", "open deals have")
        found.append(f"{has} no {AMOUNT}: {rest}")
    return found
