"""`icp score --expected`: each row's `expected_win_rate`, the historical win rate of the
band it falls in, from a backtest of its ICP's `validation.deals` (scorer.calibration), and
where the ICP names customers its `expected_churn_rate`, the band's historical churn rate
(scorer.churn_calibration).

The rates are computed here once, before scoring, and handed to either engine: the pandas
engine maps the band column (`with_expected`), the DuckDB engine runs a CASE on band with
the same rounded rates (`scorer.sql.expected`), so the column is the same in both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from icpkit.errors import InputError
from icpkit.paths import relative_path
from icpkit.project.settings import Config
from icpkit.scorer.backtest import backtest
from icpkit.scorer.calibration import (
    MIN_ORDERED_DEALS,
    WARNING_NAME,
    Expected,
    expected_rates,
    thin_bands,
)
from icpkit.scorer.churn_calibration import (
    churn_calibration,
    churn_ordering_warnings,
    expected_churn_rates,
    thin_churn_bands,
)
from icpkit.scorer.contract import EXPECTED_CHURN_RATE, EXPECTED_WIN_RATE
from icpkit.scorer.deals import deal_files, read_deals
from icpkit.scorer.loaded import Loaded, scoring_icps
from icpkit.scorer.retention import CustomerBacktest
from icpkit.scorer.retention_run import backtest_customers
from icpkit.text import plural


def expected_for_paths(paths: Sequence[Path], config: Config) -> Expected:
    """`expected_for` the ICPs `icp score` scores with these paths."""
    return expected_for(scoring_icps(paths, config), config)


def expected_for(loaded: Sequence[Loaded], config: Config) -> Expected:
    """Backtest each ICP on its validation.deals and keep its bands' win rates."""
    rates: dict[str, dict[str, float]] = {}
    churn: dict[str, dict[str, float]] = {}
    notes: list[str] = []
    for item in loaded:
        icp = item.icp
        files = deal_files(icp, config)
        if files is None:
            shown = relative_path(item.path, config.root)
            raise InputError(
                f"{shown}: --expected reads each band's win rate from a backtest of "
                "validation.deals, and this ICP names none: set validation.deals"
            )
        read = read_deals(files, [icp], config)
        result = backtest(
            icp,
            read.frame,
            deals_file=read.shown,
            ruler=item.ruler,
            resamples=0,
            separator=config.mapping.list_separator,
        )
        rates[icp.id] = expected_rates(result.calibration)
        for row in thin_bands(result.calibration):
            notes.append(
                f"{icp.id}: expected_win_rate of band {row.band} rests on "
                f"{plural(row.deals, 'closed deal')} of {read.shown} (fewer than "
                f"{MIN_ORDERED_DEALS})" + (": its rows get no rate" if not row.deals else "")
            )
        prefix = f"{WARNING_NAME}: "
        notes += [f"{icp.id}: {w}" for w in result.warnings if w.startswith(prefix)]
        customers = backtest_customers(icp, files, config=config, ruler=item.ruler, resamples=0)
        if customers is not None:
            churn[icp.id] = _churn_rates(icp.id, customers, notes)
    if churn:
        for item in loaded:
            if item.icp.id not in churn:
                churn[item.icp.id] = {}
                notes.append(
                    f"{item.icp.id}: names no validation.customers (or subscriptions): its "
                    "rows get no expected_churn_rate"
                )
    return Expected(rates, tuple(notes), churn or None)


def _churn_rates(icp_id: str, customers: CustomerBacktest, notes: list[str]) -> dict[str, float]:
    """The bands' churn rates, with what they rest on added to `notes`."""
    rows = churn_calibration(customers)
    for row in thin_churn_bands(rows):
        notes.append(
            f"{icp_id}: expected_churn_rate of band {row.band} rests on "
            f"{plural(row.customers, 'customer')} of {customers.customers_file} (fewer than "
            f"{MIN_ORDERED_DEALS})" + (": its rows get no rate" if not row.customers else "")
        )
    notes += [f"{icp_id}: {w}" for w in churn_ordering_warnings(rows)]
    return expected_churn_rates(rows)


def with_expected(
    frame: pd.DataFrame, rates: Mapping[str, float], churn: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """`frame` (one ICP's result columns) with `expected_win_rate` after them, and
    `expected_churn_rate` after it when `churn` is given."""
    out = frame.copy()
    out[EXPECTED_WIN_RATE] = out["band"].map(dict(rates)).astype("float64")
    if churn is not None:
        out[EXPECTED_CHURN_RATE] = out["band"].map(dict(churn)).astype("float64")
    return out
