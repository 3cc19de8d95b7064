"""The retention gates of `validation`: they read the figures of the customers scoring
good or better, and fail the backtest as its other gates do (and `--against` compares
them by name, as it does every gate)."""

from __future__ import annotations

from dataclasses import replace

from icpkit.format.model import Icp, Validation
from icpkit.scorer.backtest import BacktestResult, Gate
from icpkit.scorer.churn_calibration import churn_calibration, churn_ordering_warnings
from icpkit.scorer.retention import CustomerBacktest

# Gates that fail above their threshold, not below: the reporters show them with <=.
AT_MOST_GATES = frozenset({"max_churn_good_or_better"})
SHARE_GATES = frozenset({"max_churn_good_or_better", "min_nrr"})


def with_customers(
    result: BacktestResult, icp: Icp, customers: CustomerBacktest | None
) -> BacktestResult:
    """`result` with the customers' figures, the retention gates the ICP sets, and a
    warning where the bands are not ordered by churn."""
    gates = retention_gates(icp.validation, customers)
    found = churn_ordering_warnings(churn_calibration(customers)) if customers else []
    warnings = (*result.warnings, *found)
    return replace(result, customers=customers, gates=(*result.gates, *gates), warnings=warnings)


def retention_gates(rules: Validation, customers: CustomerBacktest | None) -> list[Gate]:
    good = customers.good_or_better if customers is not None else None
    wanted: list[tuple[str, float | None, float | None, str]] = [
        (
            "max_churn_good_or_better",
            rules.max_churn_good_or_better,
            good.churn_rate if good else None,
            "churn rate of customers scoring good or better",
        ),
        (
            "min_retention_lift",
            rules.min_retention_lift,
            good.retention_lift if good else None,
            "retention lift of customers scoring good or better",
        ),
        (
            "min_nrr",
            rules.min_nrr,
            good.nrr if good else None,
            "net revenue retention of customers scoring good or better",
        ),
    ]
    gates = []
    for name, threshold, figure, what in wanted:
        if threshold is None:
            continue
        if customers is None:
            needs = f"{what}: needs validation.customers (or subscriptions)"
            gates.append(Gate(name, False, None, threshold, needs))
        elif figure is None:
            gates.append(Gate(name, False, None, threshold, f"{what} cannot be computed"))
        else:
            at_most = name in AT_MOST_GATES
            passed = figure <= threshold if at_most else figure >= threshold
            gates.append(Gate(name, passed, float(figure), float(threshold), what))
    return gates
