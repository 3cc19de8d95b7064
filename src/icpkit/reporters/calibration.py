"""The backtest's calibration section: what each band means, as text and Markdown."""

from __future__ import annotations

from icpkit.reporters.markdown import cell
from icpkit.scorer.backtest import BacktestResult
from icpkit.scorer.calibration import BandCalibration
from icpkit.scorer.contract import SCORE_BANDS

TITLE = "what each band means (historical win rate, 95% Wilson interval)"


def shown(result: BacktestResult) -> tuple[BandCalibration, ...]:
    """The score bands, and the outcome bands (disqualified, unknown) that held deals."""
    return tuple(r for r in result.calibration if r.band in SCORE_BANDS or r.deals)


def text_lines(result: BacktestResult) -> list[str]:
    rows = shown(result)
    if not rows:
        return []
    return ["", f"  {TITLE}", *(f"    {r.band}: {r.describe()}" for r in rows)]


def markdown_lines(result: BacktestResult) -> list[str]:
    rows = shown(result)
    if not rows:
        return []
    return [
        "",
        f"**{TITLE[0].upper()}{TITLE[1:]}**",
        "",
        *(f"- {r.band}: {cell(r.describe())}" for r in rows),
    ]
