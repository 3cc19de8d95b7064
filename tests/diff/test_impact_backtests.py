"""A change's impact is the two versions' own backtests: each version scores the deals once."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from icpkit.checks.config import load_config
from icpkit.diff.impact import impact
from icpkit.format.valid import load_icp
from icpkit.scorer.deals import deal_files, read_deals
from icpkit.scorer.run import backtest_deals
from icpkit.scorer.score import score_frame

ICP = "icps/midmarket-saas-revops.yaml"


def _versions(root: Path) -> tuple[Path, Path]:
    old = root / ICP
    new = root / "icps" / "wider.yaml"
    # A narrower company size: some deals drop a band, and the figures move.
    text = old.read_text(encoding="utf-8").replace("id: midmarket-saas-revops", "id: wider")
    new.write_text(text.replace("    min: 200\n    max: 2000\n", "    min: 500\n    max: 900\n"))
    return old, new


def test_impact_figures_are_two_separate_backtests(example_repo: Path) -> None:
    config = load_config()
    old_path, new_path = _versions(example_repo)
    old, new = load_icp(old_path), load_icp(new_path)
    files = deal_files(new, config)
    assert files is not None
    found = impact(old, new, files, config=config)
    alone = [backtest_deals(icp, files, config=config, resamples=0) for icp in (old, new)]
    assert (found.old, found.new) == (alone[0], alone[1])
    assert found.metrics[0].old == alone[0].auc and found.metrics[0].new == alone[1].auc
    assert found.old.auc != found.new.auc
    # The bands compared deal by deal are those each version gives every deal, open ones too.
    deals = read_deals(files, [old], config).frame
    bands = [score_frame(icp, deals)["band"].astype(str).to_numpy() for icp in (old, new)]
    moved = set(deals["deal_id"].astype(str).to_numpy()[bands[0] != bands[1]])
    assert moved and {m.deal_id for m in found.moves} == moved
    assert found.deals == len(deals) > found.old.closed


def test_a_backtest_keeps_the_score_of_every_deal_it_was_given(example_repo: Path) -> None:
    config = load_config()
    icp = load_icp(example_repo / ICP)
    files = deal_files(icp, config)
    assert files is not None
    result = backtest_deals(icp, files, config=config, resamples=0)
    deals = read_deals(files, [icp], config).frame
    assert result.scores is not None and len(result.scores) == len(deals)
    expected = score_frame(icp, deals)
    assert np.array_equal(result.scores["score"].to_numpy(), expected["score"].to_numpy())
    closed = deals["outcome"].isin(["won", "lost"]).to_numpy()
    shut = result.scores[closed]
    assert sum(row.deals for row in result.bands) == len(shut) == result.closed
