"""Do the accounts the ICP rates highly stay and grow? Churn, survival and revenue by band.

The seeds' test of an ICP is not only who signs: "build from best customers (highest
lifetime value, lowest churn, fastest time-to-value, highest expansion)". Each customer is
scored by the ICP; each band then gets its churn rate (Wilson interval), retention lift
over all customers, Kaplan-Meier tenure and 12-month survival (when dates exist), net
revenue retention, share expanding, lifetime revenue and days to value. The gates on
them are in `scorer.retention_gates`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from icpkit.format.model import Icp
from icpkit.scorer.calibration import wilson
from icpkit.scorer.contract import (
    DISQUALIFIED_BAND,
    GOOD_OR_BETTER,
    SCORE_BANDS,
    UNKNOWN_BAND,
    Ruler,
)
from icpkit.scorer.customers import CHURNED, REVENUE_PAIRS, Customers
from icpkit.scorer.metrics import auc, auc_interval
from icpkit.scorer.retention_signals import RetentionSignals, retention_signals
from icpkit.scorer.score import score_parts
from icpkit.text import plural

YEAR_DAYS = 365  # "12-month survival": survival at 365 days of tenure
MIN_CUSTOMERS = 20
GOOD_OR_BETTER_ROW = "good or better"


@dataclass(frozen=True)
class RetentionRow:
    """One band's customers (or all good-or-better ones) and what they did."""

    band: str
    customers: int
    churned: int
    churn_rate: float | None
    churn_interval: tuple[float, float] | None  # 95% Wilson interval of the churn rate
    retention_lift: float | None  # retention rate over all customers' retention rate
    median_tenure_days: float | None  # Kaplan-Meier; None when fewer than half churned
    survival_12m: float | None  # Kaplan-Meier at 365 days; None when nobody got that far
    nrr: float | None  # sum of current over sum of starting MRR (or ARR)
    expanding: float | None  # share whose current MRR exceeds their starting MRR
    avg_lifetime_revenue: float | None
    median_days_to_value: float | None


@dataclass(frozen=True)
class CustomerBacktest:
    customers_file: str
    customers: int
    churned: int
    # Active customers' tenure runs to this date: the latest date in the file.
    as_of: str | None
    revenue: str | None  # "MRR" or "ARR": which pair NRR and expansion were measured on
    overall: RetentionRow
    good_or_better: RetentionRow
    bands: tuple[RetentionRow, ...]
    auc: float | None  # how well the score ranks retained above churned customers
    auc_interval: tuple[float, float] | None
    warnings: tuple[str, ...]
    # Retained vs churned by attribute and value (scorer.retention_signals).
    signals: RetentionSignals | None = None
    currency: str = "USD"  # the ICP's: what lifetime revenue is in


def customer_backtest(
    icp: Icp,
    customers: Customers,
    *,
    ruler: Ruler | None = None,
    resamples: int = 1000,
    separator: str = ";",
) -> CustomerBacktest:
    """Score canonical customers (see `prepare_customers`) and measure retention by band."""
    frame = customers.frame
    parts = score_parts(icp, frame, ruler=ruler, separator=separator)
    scores = parts.scores
    band = scores["band"].to_numpy(dtype=object)
    churned = frame[CHURNED].to_numpy(dtype=bool)
    warnings = list(customers.issues)
    tenure, as_of, notes = _tenure(frame, churned)
    warnings += notes
    revenue, starting, current, notes = _revenue(frame, churned)
    warnings += notes
    figures = _Figures(churned, tenure, starting, current, frame)
    overall = figures.row("all", np.ones(len(frame), dtype=bool), None)
    base = 1 - overall.churn_rate if overall.churn_rate is not None else None
    rows = tuple(
        figures.row(name, band == name, base)
        for name in (*SCORE_BANDS, DISQUALIFIED_BAND, UNKNOWN_BAND)
    )
    good = figures.row(GOOD_OR_BETTER_ROW, np.isin(band, list(GOOD_OR_BETTER)), base)
    known = band != UNKNOWN_BAND
    score = scores["score"].to_numpy(dtype="float64")[known]
    retained = ~churned[known]
    if len(frame) < MIN_CUSTOMERS:
        warnings.append(
            f"only {plural(len(frame), 'customer')}: below {MIN_CUSTOMERS}, every retention "
            "figure here is mostly noise"
        )
    return CustomerBacktest(
        currency=icp.currency,
        customers_file=customers.shown,
        customers=len(frame),
        churned=int(churned.sum()),
        as_of=as_of,
        revenue=revenue,
        overall=overall,
        good_or_better=good,
        bands=rows,
        auc=auc(score, retained),
        auc_interval=auc_interval(score, retained, resamples=resamples),
        warnings=tuple(warnings),
        signals=retention_signals(icp, frame, parts, churned, separator=separator),
    )


@dataclass(frozen=True)
class _Figures:
    churned: np.ndarray
    tenure: np.ndarray  # days; NaN when the dates do not say
    starting: np.ndarray  # NaN when unknown
    current: np.ndarray
    frame: pd.DataFrame

    def row(self, name: str, inside: np.ndarray, base: float | None) -> RetentionRow:
        customers, churned = int(inside.sum()), int((inside & self.churned).sum())
        rate = churned / customers if customers else None
        lift = (1 - rate) / base if rate is not None and base else None
        median, survival = kaplan_meier(self.tenure[inside], self.churned[inside])
        start, now = self.starting[inside], self.current[inside]
        measured = ~np.isnan(start) & ~np.isnan(now)
        total = float(start[measured].sum())
        return RetentionRow(
            band=name,
            customers=customers,
            churned=churned,
            churn_rate=rate,
            churn_interval=wilson(churned, customers),
            retention_lift=lift,
            median_tenure_days=median,
            survival_12m=survival,
            nrr=float(now[measured].sum()) / total if total > 0 else None,
            expanding=float((now[measured] > start[measured]).mean()) if measured.any() else None,
            avg_lifetime_revenue=_stat(self._column("lifetime_revenue")[inside], np.mean),
            median_days_to_value=_stat(self._column("days_to_value")[inside], np.median),
        )

    def _column(self, name: str) -> np.ndarray:
        if name not in self.frame:
            return np.full(len(self.frame), np.nan)
        return self.frame[name].to_numpy(dtype="float64", na_value=np.nan)


def kaplan_meier(tenure: np.ndarray, churned: np.ndarray) -> tuple[float | None, float | None]:
    """Median tenure and survival at 365 days from the product-limit estimate; None where
    the data cannot say (no dates, fewer than half churned, nobody followed a year)."""
    known = ~np.isnan(tenure)
    days, events = tenure[known], churned[known]
    if not len(days) or not events.any():
        survival = 1.0 if len(days) and days.max() >= YEAR_DAYS else None
        return None, survival
    from scipy import stats  # half a second to import: only where a curve is computed

    curve = stats.ecdf(stats.CensoredData(uncensored=days[events], right=days[~events])).sf
    below = np.flatnonzero(curve.probabilities <= 0.5)
    median = float(curve.quantiles[below[0]]) if len(below) else None
    survival = float(curve.evaluate(YEAR_DAYS)) if days.max() >= YEAR_DAYS else None
    return median, survival


def _tenure(frame: pd.DataFrame, churned: np.ndarray) -> tuple[np.ndarray, str | None, list[str]]:
    """Days each customer stayed (churned) or has stayed so far (active, censored at the
    latest date the file holds), and what the dates could not say."""
    nothing = np.full(len(frame), np.nan)
    if "started_on" not in frame:
        return nothing, None, ["no started_on column: tenure and survival cannot be computed"]
    start = frame["started_on"]
    end = frame["ended_on"] if "ended_on" in frame else pd.Series(pd.NaT, index=frame.index)
    # An active customer's end date is a renewal or contract date, not a departure.
    end = end.where(churned)
    latest = pd.concat([start, end]).max()
    if pd.isna(latest):
        return nothing, None, ["no dates in started_on: tenure and survival cannot be computed"]
    stop = end.where(churned, latest)
    days = (stop - start).dt.days.to_numpy(dtype="float64", na_value=np.nan)
    notes = []
    undated = int((churned & np.isnan(days) & start.notna().to_numpy()).sum())
    if undated:
        notes.append(
            f"{plural(undated, 'churned customer has', 'churned customers have')} no ended_on "
            "date: counted in churn rates, left out of tenure and survival"
        )
    backwards = days < 0
    if backwards.any():
        notes.append(
            f"{plural(int(backwards.sum()), 'customer')} ended before they started: left out "
            "of tenure and survival"
        )
        days[backwards] = np.nan
    unstarted = int(start.isna().sum())
    if unstarted:
        notes.append(
            f"{plural(unstarted, 'customer has', 'customers have')} no started_on date: "
            "left out of tenure and survival"
        )
    return days, latest.date().isoformat(), notes


def _revenue(
    frame: pd.DataFrame, churned: np.ndarray
) -> tuple[str | None, np.ndarray, np.ndarray, list[str]]:
    for first, now in REVENUE_PAIRS:
        if first in frame and now in frame:
            starting = frame[first].to_numpy(dtype="float64", na_value=np.nan)
            current = frame[now].to_numpy(dtype="float64", na_value=np.nan)
            # A churned customer pays nothing now, whether the export says 0 or leaves it blank.
            current = np.where(churned & np.isnan(current), 0.0, current)
            notes = []
            unmeasured = int((np.isnan(starting) | np.isnan(current)).sum())
            if unmeasured:
                notes.append(
                    f"{plural(unmeasured, 'customer')} without both {first} and {now}: left "
                    "out of net revenue retention and expansion"
                )
            return first.rsplit("_", 1)[1].upper(), starting, current, notes
    nothing = np.full(len(frame), np.nan)
    note = (
        "no starting and current MRR (or ARR) columns: net revenue retention and expansion "
        "cannot be computed"
    )
    return None, nothing, nothing, [note]


def _stat(values: np.ndarray, how: Callable[[np.ndarray], Any]) -> float | None:
    values = values[~np.isnan(values)]
    return float(how(values)) if len(values) else None
