"""A draft ICP in a real Chromium: its status survives printing, its ages follow the clock.

The printed PDF is read back with poppler's `pdftotext` (Debian's poppler-utils, which
`.ci/run` installs beside Chromium): the header and footer live in the page margins,
where no DOM query reaches.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.gitrepo import git
from tests.site.test_browser import CHROMIUM_ARGS, _chromium
from tests.site.test_build import build
from tests.site.test_status import DRAFT, set_field

pytestmark = pytest.mark.slow  # a site build, then a browser

PLAYBOOK = f"icps/{DRAFT}/playbook/"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def served(example_site: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("ICP_TODAY", "2026-12-01")
    set_field(example_site, DRAFT, "status", "draft")
    git(example_site, "commit", "-qam", "Back to draft")
    result = build()
    assert result.exit_code == 0, result.output
    handler = functools.partial(_Quiet, directory=str(example_site / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join()


def _pdf_text(pdf: Path) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        if os.environ.get("ICPKIT_REQUIRE_BROWSER") == "1":
            pytest.fail("pdftotext not found (apt-get install poppler-utils)")
        pytest.skip("pdftotext not installed (apt-get install poppler-utils)")
    done = subprocess.run([tool, "-layout", str(pdf), "-"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _open(browser: Any, url: str, *, script: bool = True, clock: str | None = None) -> Any:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, timezone_id="UTC", java_script_enabled=script
    )
    page = context.new_page()
    if clock:
        page.clock.set_fixed_time(clock)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page


def test_a_printed_draft_playbook_is_dated_and_marked(served: str, tmp_path: Path) -> None:
    executable = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    shots = Path(os.environ.get("ICPKIT_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    pdf = shots / "playbook-draft.pdf"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = _open(browser, f"{served}/{PLAYBOOK}", clock="2026-12-01T09:00:00Z")
        page.screenshot(path=str(shots / "playbook-draft.png"))
        page.emulate_media(media="print")
        banner = page.locator(".icp-banner--draft")
        assert banner.is_visible()
        assert banner.inner_text().startswith("Draft: this ICP is not approved yet.")
        assert page.locator(".icp-status").is_visible()
        page.pdf(path=str(pdf), format="A4")
        browser.close()
    printed = _pdf_text(pdf)
    sheets = printed.split("\f")
    sheets = [s for s in sheets if s.strip()]
    assert len(sheets) >= 2
    for number, sheet in enumerate(sheets, 1):
        lines = [line for line in sheet.splitlines() if line.strip()]
        # The header on top of every sheet, the footer at its foot.
        assert "Mid-market B2B SaaS scaling RevOps · Sales playbook" in lines[0], lines[0]
        assert "DRAFT · version 2026-Q4" in lines[0]
        assert "DRAFT · owner pmm-team@northwind.example · last reviewed 2026-11-02" in lines[-1]
        assert "built 2026-12-01 from icps/midmarket-saas-revops.yaml at" in lines[-1]
        assert re.search(rf"\b{number} ?/ ?{len(sheets)}$", lines[-1].rstrip()), lines[-1]
    assert "Draft: this ICP is not approved yet." in sheets[0]


def test_ages_are_counted_on_the_day_the_page_is_read(served: str) -> None:
    executable = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        # Built 2026-12-01, read four months later: 150 days since the review, stale.
        page = _open(browser, f"{served}/{PLAYBOOK}", clock="2027-04-01T08:00:00Z")
        assert page.locator(".icp-status .icp-age").inner_text() == "150 days ago"
        stale = page.locator(".icp-status .icp-badge--stale")
        assert stale.is_visible() and stale.inner_text() == "stale: 150 days"
        home = _open(browser, served + "/", clock="2027-04-01T08:00:00Z")
        # One per ICP in use in the catalogue, not the retired one (the comparison repeats them).
        catalogue = home.locator("table:not(:has-text('Primary persona')) .icp-badge--stale")
        assert catalogue.locator("visible=true").count() == 2
        # Without script the page says what it said when built, and when that was.
        bare = _open(browser, f"{served}/{PLAYBOOK}", script=False)
        assert bare.locator(".icp-status .icp-age").inner_text() == "29 days ago as of 2026-12-01"
        assert not bare.locator(".icp-status .icp-badge--stale").is_visible()
        browser.close()
