"""The home page at phone width in a real Chromium: the failing gate shows, and the wide
tables scroll inside their own boxes while the page itself never scrolls sideways."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.site.test_browser import CHROMIUM_ARGS, _chromium
from tests.site.test_browser import shots as shots  # a fixture
from tests.site.test_home import built as built  # the module's built site, a fixture

pytestmark = pytest.mark.slow  # a site build, then a browser


@pytest.fixture
def served(built: Path) -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(built / "site"))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join()


def test_home_page_at_phone_width(served: str, shots: Path) -> None:
    executable = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
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
        browser.close()
