"""Columns a draft must not learn from: they describe the sale, not the buyer.

The tests themselves (the column's name, and a column that alone tells wins from losses
almost perfectly) are `scorer.leakage`'s, which `icp backtest` shares; this module keeps
every column left out with its reason for the report.
"""

from __future__ import annotations

from dataclasses import dataclass

from icpkit.scorer import leakage
from icpkit.scorer.leakage import DEAL_SIZE, MEASURES_SALE, NAMES_SELLER

PROBABLE_LEAKAGE = "probable-leakage"
# What a customer did after signing (churn, renewal, expansion): the target itself.
MEASURES_OUTCOME = "measures-the-outcome"
EXCLUDED = "excluded"
NOT_ONLY = "not-in-only"
UNUSABLE = "unusable"
LEAKAGE = frozenset({MEASURES_SALE, NAMES_SELLER, DEAL_SIZE, PROBABLE_LEAKAGE, MEASURES_OUTCOME})


@dataclass(frozen=True)
class LeftOut:
    """A column the draft does not learn from, and why."""

    column: str
    field: str
    kind: str
    reason: str

    @property
    def leakage(self) -> bool:
        return self.kind in LEAKAGE

    def __str__(self) -> str:
        return f"{self.column}: {self.reason}"


def by_name(column: str, field: str) -> LeftOut | None:
    """Left out for what its name (or the column's, when mapped) says it holds, or None."""
    named = leakage.by_name(column, field)
    if named is None:
        return None
    # A draft shows the deal's size beside its bands; it never learns from it.
    shown = " (shown, not learned)" if named.kind == DEAL_SIZE else ""
    return LeftOut(column, field, named.kind, named.reason + shown)


def by_data(column: str, field: str, value: float, contrast: str = "wins from losses") -> LeftOut:
    return LeftOut(
        column,
        field,
        PROBABLE_LEAKAGE,
        f"probable leakage: alone it tells {contrast} almost perfectly (AUC "
        f"{value:.2f}); name it in --only if it is truly known before the sale",
    )
