"""`icp score --expected`: each row's `expected_win_rate`, the historical win rate of the
band it falls in, from a backtest of its ICP's `validation.deals` (scorer.calibration).

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
from icpkit.scorer.contract import EXPECTED_WIN_RATE
from icpkit.scorer.deals import deal_files, read_deals
from icpkit.scorer.loaded import Loaded, scoring_icps
from icpkit.text import plural


def expected_for_paths(paths: Sequence[Path], config: Config) -> Expected:
    """`expected_for` the ICPs `icp score` scores with these paths."""
    return expected_for(scoring_icps(paths, config), config)


def expected_for(loaded: Sequence[Loaded], config: Config) -> Expected:
    """Backtest each ICP on its validation.deals and keep its bands' win rates."""
    rates: dict[str, dict[str, float]] = {}
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
    return Expected(rates, tuple(notes))


def with_expected(frame: pd.DataFrame, rates: Mapping[str, float]) -> pd.DataFrame:
    """`frame` (one ICP's result columns) with `expected_win_rate` after them."""
    out = frame.copy()
    out[EXPECTED_WIN_RATE] = out["band"].map(dict(rates)).astype("float64")
    return out
