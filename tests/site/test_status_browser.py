"""A draft ICP in a real Chromium: its status survives printing, its ages follow the clock.

The printed PDF is read back with poppler's `pdftotext` (Debian's poppler-utils, which
`.ci/run` installs beside Chromium): the header and footer live in the page margins,
where no DOM query reaches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.gitrepo import git
from tests.site.browsing import launched, poppler, screenshots, serving
from tests.site.test_build import build
from tests.site.test_status import DRAFT, set_field

pytestmark = pytest.mark.slow  # a site build, then a browser

PLAYBOOK = f"icps/{DRAFT}/playbook/"


@pytest.fixture
def served(example_site: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("ICP_TODAY", "2026-12-01")
    set_field(example_site, DRAFT, "status", "draft")
    git(example_site, "commit", "-qam", "Back to draft")
    result = build()
    assert result.exit_code == 0, result.output
    with serving(example_site / "site") as url:
        yield url


def _pdf_text(pdf: Path) -> str:
    return poppler("pdftotext", "-layout", str(pdf), "-")


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
    shots = screenshots(tmp_path)
    pdf = shots / "playbook-draft.pdf"
    with launched() as browser:
        page = _open(browser, f"{served}/{PLAYBOOK}", clock="2026-12-01T09:00:00Z")
        page.screenshot(path=str(shots / "playbook-draft.png"))
        page.emulate_media(media="print")
        banner = page.locator(".icp-banner--draft")
        assert banner.is_visible()
        assert banner.inner_text().startswith("Draft: this ICP is not approved yet.")
        assert page.locator(".icp-status").is_visible()
        page.pdf(path=str(pdf), format="A4")
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
    with launched() as browser:
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
