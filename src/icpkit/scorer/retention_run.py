"""The customers of an ICP's validation files, read and measured: what `icp backtest` and
`icp score --expected` share (scorer.run, scorer.expected)."""

from __future__ import annotations

from icpkit.format.model import Icp
from icpkit.project.settings import Config
from icpkit.scorer.contract import Ruler
from icpkit.scorer.customers import read_customers
from icpkit.scorer.deals import DealFiles
from icpkit.scorer.retention import CustomerBacktest, customer_backtest
from icpkit.scorer.subscriptions import read_subscriptions


def backtest_customers(
    icp: Icp,
    files: DealFiles | None,
    *,
    config: Config,
    ruler: Ruler | None = None,
    resamples: int = 1000,
) -> CustomerBacktest | None:
    """The customers of `files` (validation.customers) scored and measured; None: none."""
    if files is None or (files.customers is None and files.subscriptions is None):
        return None
    if files.customers is not None:
        read = read_customers(files.customers, [icp], config, files.accounts)
    else:
        assert files.subscriptions is not None
        read = read_subscriptions(files.subscriptions, [icp], config, files.accounts)
    return customer_backtest(
        icp, read, ruler=ruler, resamples=resamples, separator=config.mapping.list_separator
    )
