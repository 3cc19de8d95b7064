"""Scoring accounts and backtesting ICPs against deals (pandas; imported only when used).

- `score(icp, frame)`: score columns for a table whose columns are ICP field names.
- `backtest(icp, deals)`: a `BacktestResult` from canonical deals (see `prepare_deals`).
- `score_file` and `backtest_paths` (in `icpkit.scorer.run`): what the CLI commands do.
"""

from __future__ import annotations

import pandas as pd

from icpkit.mapping import DataMapping
from icpkit.model import Icp
from icpkit.scorer.backtest import BacktestResult, backtest
from icpkit.scorer.prepare import prepare_accounts
from icpkit.scorer.score import Ruler, score_frame
from icpkit.scorer.tables import Table

__all__ = ["BacktestResult", "Ruler", "backtest", "score"]


def score(
    icp: Icp,
    frame: pd.DataFrame,
    *,
    mapping: DataMapping | None = None,
    ruler: Ruler | None = None,
) -> pd.DataFrame:
    """Score every row of `frame`; columns are mapped and values parsed as `icp score` does."""
    from pathlib import Path

    mapping = mapping or DataMapping()
    prepared = prepare_accounts(Table(frame, Path("<frame>")), [icp], mapping)
    return score_frame(icp, prepared.frame, ruler=ruler, separator=mapping.list_separator)
