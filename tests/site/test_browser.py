"""The built site in a real headless Chromium: pages render, charts show, scripts stay text.

Uses the system's Chromium through Playwright (tests.site.browsing). Screenshots go to
$ICPKIT_SCREENSHOTS when set.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from icpkit.cli import cli
from tests.site.browsing import launched, screenshots, serving
from tests.site.test_build import HOSTILE_SUMMARY, make_hostile

if TYPE_CHECKING:  # playwright is imported when a browser test runs (tests.site.browsing)
    from playwright.sync_api import Dialog

pytestmark = pytest.mark.slow  # a site build, then a browser


@pytest.fixture
def served(example_site: Path) -> Iterator[str]:
    make_hostile(example_site)
    result = CliRunner().invoke(cli, ["site", "build"])
    assert result.exit_code == 0, result.output
    with serving(example_site / "site") as url:
        yield url


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    return screenshots(tmp_path / "screenshots")


def test_icp_and_playbook_pages_in_a_real_browser(served: str, shots: Path) -> None:
    dialogs: list[str] = []
    outside: list[str] = []
    with launched() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})

        def dismiss(dialog: Dialog) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", dismiss)
        page.on(
            "request",
            lambda r: outside.append(r.url) if not r.url.startswith(served) else None,
        )

        page.goto(f"{served}/icps/midmarket-saas-revops/")
        page.wait_for_load_state("networkidle")
        triggers = page.locator("table", has_text="Detected by")
        assert triggers.is_visible()
        assert triggers.locator("tbody tr").count() == 3
        chart = page.locator("svg.icp-chart").first
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box is not None and box["height"] > 100
        assert page.get_by_text(HOSTILE_SUMMARY[:40]).first.is_visible()
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.locator("a[href^='javascript']").count() == 0
        page.screenshot(path=str(shots / "icp.png"), full_page=True)

        page.goto(f"{served}/icps/midmarket-saas-revops/playbook/")
        page.wait_for_load_state("networkidle")
        checklist = page.locator("table", has_text="Yes when")
        assert checklist.is_visible() and checklist.locator("tbody tr").count() == 9
        assert page.locator("table", has_text="Where to find it").is_visible()
        page.screenshot(path=str(shots / "playbook.png"), full_page=True)
        page.emulate_media(media="print")
        # On paper the playbook stands alone: no header, navigation or table of contents.
        assert not page.locator(".md-header").is_visible()
        assert not page.locator(".md-sidebar--primary").is_visible()
        pdf = page.pdf(path=str(shots / "playbook.pdf"), format="A4")
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert pdf.startswith(b"%PDF") and 1 <= pages <= 6, pages
        page.emulate_media(media="screen")

        page.goto(f"{served}/icps/midmarket-saas-revops/backtest/")
        page.wait_for_load_state("networkidle")
        charts = page.locator("svg.icp-chart")
        # Win rate, customers' churn, scores, lift and drift by quarter.
        assert charts.count() == 5 and all(charts.nth(i).is_visible() for i in range(5))
        page.screenshot(path=str(shots / "backtest.png"), full_page=True)

        # Search shows ICP text too; its results must not become markup either.
        page.keyboard.press("/")
        page.keyboard.type("script")
        page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
        assert page.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == []
    assert outside == []
