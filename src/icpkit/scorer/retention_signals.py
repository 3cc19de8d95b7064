"""Retained vs churned by attribute: the wins-vs-losses table's retention counterpart.

The backtest's wins-vs-losses table says which parts of the ICP separate wins from losses.
This says the same for the customers: for each attribute and trigger, the churn rate of
the customers in fit, in partial fit and out of fit, and how many of the retained and of
the churned customers were in fit; then, field by field, the values held by retained
customers far more (or far less) often than by churned ones. Values are read as the
surprises table reads them (`scorer.surprises.field_values`: a number by its quartile, a
list cell by its items), so the two tables name values alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from icpkit.format.model import Icp
from icpkit.scorer.calibration import wilson
from icpkit.scorer.score import Parts
from icpkit.scorer.surprises import field_values

# A value held by a handful of customers says nothing about them: at least this many ...
MIN_HOLDERS = 5
# ... churning this many times as often as all customers (or 1/RATIO as often) or more.
RATIO = 1.5
SHOW_VALUES = 3  # per field and direction


@dataclass(frozen=True)
class RetentionSignal:
    """One line of the retained-vs-churned table: an attribute's fit, or a trigger's
    presence, with the churn rate of the customers at each level of fit."""

    kind: str
    name: str
    rule: str
    fit_customers: int
    fit_churn_rate: float | None
    partial_customers: int
    partial_churn_rate: float | None
    out_customers: int
    out_churn_rate: float | None
    unknown_customers: int
    retained_in_fit: float | None  # share of the retained customers that were in fit
    churned_in_fit: float | None


@dataclass(frozen=True)
class RetentionValue:
    """A value over-represented among the retained customers (`leaning` "retained") or
    among the churned ones ("churned"), as its holders' churn rate against everyone's."""

    field: str
    value: str
    leaning: str
    customers: int  # customers holding the value
    churned: int
    churn_rate: float
    churn_interval: tuple[float, float]  # 95% Wilson interval
    ratio: float  # churn rate of the holders over the churn rate of all customers
    retained_share: float  # share of the retained customers holding it
    churned_share: float


@dataclass(frozen=True)
class RetentionSignals:
    signals: tuple[RetentionSignal, ...]
    values: tuple[RetentionValue, ...]
    min_holders: int = MIN_HOLDERS
    ratio: float = RATIO


def retention_signals(
    icp: Icp, frame: pd.DataFrame, parts: Parts, churned: np.ndarray, *, separator: str = ";"
) -> RetentionSignals:
    """The table and the values of the customers `frame`, scored into `parts`."""
    rows = [
        _signal("attribute", a.field, a.match.describe(), parts.credit[a.field], churned)
        for a in icp.attributes
    ]
    rows += [
        _signal("trigger", t.id, "present", parts.triggers[t.id], churned) for t in icp.triggers
    ]
    return RetentionSignals(tuple(rows), tuple(_values(icp, frame, parts, churned, separator)))


def _rate(k: int, n: int) -> float | None:
    return k / n if n else None


def _share(flags: np.ndarray) -> float | None:
    return float(flags.mean()) if len(flags) else None


def _signal(
    kind: str, name: str, rule: str, credit: np.ndarray, churned: np.ndarray
) -> RetentionSignal:
    fit, out = credit == 1.0, credit == 0.0
    partial = (credit > 0.0) & (credit < 1.0)
    return RetentionSignal(
        kind=kind,
        name=name,
        rule=rule,
        fit_customers=int(fit.sum()),
        fit_churn_rate=_rate(int((fit & churned).sum()), int(fit.sum())),
        partial_customers=int(partial.sum()),
        partial_churn_rate=_rate(int((partial & churned).sum()), int(partial.sum())),
        out_customers=int(out.sum()),
        out_churn_rate=_rate(int((out & churned).sum()), int(out.sum())),
        unknown_customers=int(np.isnan(credit).sum()),
        retained_in_fit=_share(fit[~churned]),
        churned_in_fit=_share(fit[churned]),
    )


def _values(
    icp: Icp, frame: pd.DataFrame, parts: Parts, churned: np.ndarray, separator: str
) -> list[RetentionValue]:
    total, lost = len(churned), int(churned.sum())
    if not lost or lost == total:
        return []  # nobody (or everybody) churned: no value can lean either way
    found: list[RetentionValue] = []
    for held in field_values(icp, frame, parts.scores, separator):
        holders, gone = held.deals(), held.deals(churned)
        listed = [
            _value(held.name, held.spelling[i], int(holders[i]), int(gone[i]), total, lost)
            for i in np.flatnonzero(holders >= MIN_HOLDERS)
        ]
        kept = sorted((v for v in listed if v.leaning == "retained"), key=_order)
        left = sorted((v for v in listed if v.leaning == "churned"), key=_order)
        found += kept[:SHOW_VALUES] + left[:SHOW_VALUES]
    return found


def _order(value: RetentionValue) -> tuple[float, int]:
    """The most lopsided first: the lowest churn ratio, or the highest."""
    lean = value.ratio if value.leaning == "retained" else -value.ratio
    return lean, -value.customers


def _value(field: str, value: str, n: int, k: int, total: int, lost: int) -> RetentionValue:
    """`n` customers hold `value`, `k` of them churned, of `total` and `lost`."""
    ratio = (k / n) / (lost / total)
    leaning = "churned" if ratio >= RATIO else "retained" if ratio <= 1 / RATIO else ""
    interval = wilson(k, n)
    assert interval is not None
    retained = (n - k) / (total - lost)
    return RetentionValue(field, value, leaning, n, k, k / n, interval, ratio, retained, k / lost)
