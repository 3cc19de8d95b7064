"""The customers' figures in `icp diff`'s impact: both versions score the same customers.

Beside the won/lost figures, where the ICP names customers: the churn rate, retention
lift and net revenue retention of the customers scoring good or better, and the AUC for
retained. A change that wins more deals but rates the customers who leave higher shows
here.
"""

from __future__ import annotations

from dataclasses import dataclass

from icpkit.scorer.backtest import BacktestResult
from icpkit.scorer.retention import RetentionRow

CHURN = "Churn rate (good or better)"
LIFT = "Retention lift (good or better)"
NRR = "NRR (good or better)"
AUC_RETAINED = "AUC for retained"
# How the reporters print each: shares at one decimal, the lift at two, the AUC at three.
PERCENT_METRICS = frozenset({CHURN, NRR})
RATIO_METRICS = frozenset({LIFT})
AUC_METRICS = frozenset({AUC_RETAINED})


@dataclass(frozen=True)
class Figure:
    name: str
    old: float | None
    new: float | None
    higher_is_better: bool
    epsilon: float  # half the last digit the reports print


def retention_figures(old: BacktestResult, new: BacktestResult) -> tuple[Figure, ...]:
    """The four figures, old and new; none when neither side has customers."""
    if old.customers is None and new.customers is None:
        return ()
    before, after = _good(old), _good(new)
    return (
        Figure(CHURN, _churn(before), _churn(after), False, 0.0005),
        Figure(LIFT, _lift(before), _lift(after), True, 0.005),
        Figure(NRR, _nrr(before), _nrr(after), True, 0.0005),
        Figure(AUC_RETAINED, _auc(old), _auc(new), True, 0.0005),
    )


def _good(result: BacktestResult) -> RetentionRow | None:
    return result.customers.good_or_better if result.customers is not None else None


def _churn(row: RetentionRow | None) -> float | None:
    return row.churn_rate if row else None


def _lift(row: RetentionRow | None) -> float | None:
    return row.retention_lift if row else None


def _nrr(row: RetentionRow | None) -> float | None:
    return row.nrr if row else None


def _auc(result: BacktestResult) -> float | None:
    return result.customers.auc if result.customers is not None else None
