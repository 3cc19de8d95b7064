"""The home page at phone width in a real Chromium: the failing gate shows, and the wide
tables scroll inside their own boxes while the page itself never scrolls sideways."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.site.browsing import launched, serving
from tests.site.test_browser import shots as shots  # a fixture
from tests.site.test_home import built as built  # the module's built site, a fixture

pytestmark = pytest.mark.slow  # a site build, then a browser


@pytest.fixture
def served(built: Path) -> Iterator[str]:
    with serving(built / "site") as url:
        yield url


def test_home_page_at_phone_width(served: str, shots: Path) -> None:
    with launched() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(f"{served}/")
        page.wait_for_load_state("networkidle")
        width = page.evaluate("window.innerWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        failing = page.locator(".icp-badge--fail", has_text="fails 1 gate").first
        assert failing.is_visible()
        compare = page.locator("table", has_text="Primary persona")
        assert compare.is_visible()
        box = compare.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        page.screenshot(path=str(shots / "home-phone.png"), full_page=True)
