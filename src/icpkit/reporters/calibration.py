"""The backtest's calibration section: what each band means, as text and Markdown; with
customers, each band's churn rate beside its win rate (scorer.churn_calibration)."""

from __future__ import annotations

from icpkit.reporters.markdown import cell
from icpkit.scorer.backtest import BacktestResult
from icpkit.scorer.calibration import BandCalibration
from icpkit.scorer.churn_calibration import churn_calibration
from icpkit.scorer.contract import SCORE_BANDS

TITLE = "what each band means (historical win rate, 95% Wilson interval)"
CHURN_TITLE = "what each band means (historical win rate and churn rate, 95% Wilson intervals)"


def shown(result: BacktestResult) -> tuple[BandCalibration, ...]:
    """The score bands, and the outcome bands (disqualified, unknown) that held deals."""
    return tuple(r for r in result.calibration if r.band in SCORE_BANDS or r.deals)


def churn_text(result: BacktestResult, band: str) -> str:
    """The band's churn reading, empty without customers."""
    if result.customers is None:
        return ""
    row = next((r for r in churn_calibration(result.customers) if r.band == band), None)
    return "" if row is None else row.describe()


def _lines(result: BacktestResult) -> list[tuple[str, str]]:
    out = []
    for r in shown(result):
        churn = churn_text(result, r.band)
        out.append((r.band, r.describe() + (f"; {churn}" if churn else "")))
    return out


def _title(result: BacktestResult) -> str:
    return TITLE if result.customers is None else CHURN_TITLE


def text_lines(result: BacktestResult) -> list[str]:
    rows = _lines(result)
    if not rows:
        return []
    return ["", f"  {_title(result)}", *(f"    {band}: {line}" for band, line in rows)]


def markdown_lines(result: BacktestResult) -> list[str]:
    rows = _lines(result)
    if not rows:
        return []
    title = _title(result)
    return [
        "",
        f"**{title[0].upper()}{title[1:]}**",
        "",
        *(f"- {band}: {cell(line)}" for band, line in rows),
    ]
