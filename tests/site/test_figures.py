"""The home page's figures: the AUC beside its gate, failing gates named, the deal window."""

from __future__ import annotations

import dataclasses
import html
import re

import pytest

from icpkit.checks.config import load_config
from icpkit.format.valid import load_icp
from icpkit.scorer.backtest import BacktestResult
from icpkit.scorer.deals import deal_files
from icpkit.scorer.gate import Gate
from icpkit.scorer.run import backtest_deals
from icpkit.scorer.window import DealWindow
from icpkit.site.pages.figures import auc_cell, deal_window
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def result() -> BacktestResult:
    config = load_config(ROOT)
    icp = load_icp(ROOT / "icps" / "emea-fintech-multicurrency.yaml")
    files = deal_files(icp, config)
    assert files is not None
    return backtest_deals(icp, files, config=config, resamples=0)


def _text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def test_a_failing_gate_is_named_beside_the_auc(result: BacktestResult) -> None:
    assert result.auc is not None and result.passed
    assert _text(auc_cell(result)).strip() == f"{result.auc:.2f}"
    gate = Gate("min_auc", False, 0.6999, 0.7, "AUC")
    gates = tuple(gate if g.name == "min_auc" else g for g in result.gates)
    failing = dataclasses.replace(result, auc=0.6999, gates=gates)
    shown = _text(auc_cell(failing))
    assert shown.startswith("0.6999 ") and "fails 1 gate" in shown
    assert "min_auc : AUC 0.6999 < 0.7000" in shown


def test_the_window_in_months_and_what_it_leaves_out(result: BacktestResult) -> None:
    assert deal_window(result, counted=True) == f"{result.closed} deals closed 2025-01 to 2026-10"
    one_month = dataclasses.replace(result, window=DealWindow("2026-09-02", "2026-09-30", 3))
    assert deal_window(one_month) == "deals closed in 2026-09 (3 of them with no close date)"
    undated = dataclasses.replace(result, window=None)
    assert deal_window(undated) == "deals, close dates unknown (no closed_on column)"
