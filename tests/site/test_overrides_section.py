"""The backtest page's overrides section, from a real backtest of the example repository."""

from __future__ import annotations

import html
from pathlib import Path

from icpkit.checks.config import load_config
from icpkit.scorer.run import backtest_paths
from icpkit.site.pages.overrides import section
from tests.scorer.test_overrides import ICP, entry, write_overrides


def test_the_backtest_page_shows_how_the_overrides_did(example_repo: Path) -> None:
    write_overrides(example_repo, entry("Aritekari io", "band: strong"))
    config = load_config(example_repo)
    [result] = backtest_paths([example_repo / ICP], config=config, resamples=0).results
    page = html.unescape("\n".join(section(result)))
    assert page.startswith("## Overrides against the model\n")
    assert "File: <code>icps/midmarket-saas-revops.overrides.yaml</code>." in page
    assert "lifted: 0 of 1 deal won (0%) over 1 account" in page
    assert "too few to tell" in page


def test_no_overrides_file_no_section(example_repo: Path) -> None:
    config = load_config(example_repo)
    [result] = backtest_paths([example_repo / ICP], config=config, resamples=0).results
    assert result.overrides is None and section(result) == []
