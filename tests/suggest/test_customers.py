"""The best customers by target, the outcome-column guard and the loss weight, as functions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from icpkit.errors import InputError
from icpkit.scorer.leakage import NAMES_SELLER
from icpkit.suggest.customers import after_signing, best_customers
from icpkit.suggest.evidence import loss_weight
from icpkit.suggest.leakage import MEASURES_OUTCOME


def test_ties_at_the_cut_are_all_best_and_missing_values_in_neither() -> None:
    frame = pd.DataFrame({
        "churned": [False] * 9,
        "lifetime_revenue": [1.0, 2.0, 3.0, 4.0, 5.0, 5.0, 5.0, 8.0, np.nan],
    })  # fmt: skip
    coded, best = best_customers(frame, "ltv", "c.csv")
    cut = float(np.quantile([1, 2, 3, 4, 5, 5, 5, 8], 0.75))  # 5.0: three customers tie there
    assert best.cut == cut == 5.0
    assert (best.best, best.rest, best.unmeasured) == (4, 4, 1)
    assert coded.tolist()[-1] is pd.NA and coded.tolist()[4:8] == ["won"] * 4


def test_nrr_counts_a_churned_blank_as_zero_and_skips_a_zero_start() -> None:
    frame = pd.DataFrame({
        "churned": [True, False, False, False, False],
        "starting_mrr": [100.0, 100.0, 100.0, 0.0, 100.0],
        "current_mrr": [np.nan, 90.0, 150.0, 50.0, 120.0],
    })  # fmt: skip
    coded, best = best_customers(frame, "nrr", "c.csv")
    assert best.cut == pytest.approx(float(np.quantile([0.0, 0.9, 1.5, 1.2], 0.75)))
    assert coded.tolist() == ["lost", "lost", "won", pd.NA, "lost"]
    with pytest.raises(InputError, match="needs the fields starting_mrr and current_mrr"):
        best_customers(frame.drop(columns=["current_mrr"]), "nrr", "c.csv")


def test_outcome_columns_are_named_as_such_and_company_revenue_is_not() -> None:
    for column in ("Cancellation Reason", "Churn Date", "Renewal Status", "Current MRR"):
        found = after_signing(column, column.lower().replace(" ", "_"))
        assert found is not None and found.kind == MEASURES_OUTCOME, column
    assert after_signing("Revenue (USD)", "revenue_usd") is None
    assert after_signing("Employees", "employees") is None
    seller = after_signing("Account Owner", "account_owner")  # the deals' guard still applies
    assert seller is not None and seller.kind == NAMES_SELLER


def test_loss_weight_reads_rates_at_a_quarter_only_when_more_are_positive() -> None:
    assert loss_weight(421, 84, 0.25) == pytest.approx(421 * 0.75 / (84 * 0.25))
    assert loss_weight(100, 300, 0.25) == 1.0
    assert loss_weight(421, 84, None) == 1.0
    wins, losses = 421, 84
    k = loss_weight(wins, losses, 0.25)
    assert wins / (wins + k * losses) == pytest.approx(0.25)
