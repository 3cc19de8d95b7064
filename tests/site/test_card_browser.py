"""The battle card printed by a real Chromium: one sheet on A4 and one on Letter, for every
example ICP, and the playbook's printout without the columns meant for the ICP's authors.

Pages are counted with poppler's `pdfinfo` and the text read with `pdftotext` (Debian's
poppler-utils, installed beside Chromium by `.ci/run`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.site.browsing import launched, poppler, screenshots, serving
from tests.site.test_build import build

pytestmark = pytest.mark.slow  # a site build, then a browser

ICPS = ("midmarket-saas-revops", "emea-fintech-multicurrency", "smb-founder-led-sales")
PAPERS = ("A4", "Letter")


@pytest.fixture
def served(example_site: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("ICP_TODAY", "2026-12-01")
    result = build()
    assert result.exit_code == 0, result.output
    with serving(example_site / "site") as url:
        yield url


def _sheets(pdf: Path) -> int:
    found = re.search(r"^Pages:\s+(\d+)$", poppler("pdfinfo", str(pdf)), re.M)
    assert found is not None
    return int(found.group(1))


def _printing(browser: Any, url: str) -> Any:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    return page


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    return screenshots(tmp_path)


def test_the_card_prints_on_one_a4_and_one_letter_sheet(served: str, shots: Path) -> None:
    with launched() as browser:
        for icp_id in ICPS:
            page = _printing(browser, f"{served}/icps/{icp_id}/card/")
            # No site chrome on paper: header, tabs, navigation, table of contents, footer.
            for chrome in (".md-header", ".md-tabs", ".md-sidebar", ".md-footer"):
                assert not page.locator(chrome).first.is_visible(), (icp_id, chrome)
            assert page.locator(".icp-card h2").count() >= 7
            for paper in PAPERS:
                pdf = shots / f"card-{icp_id}-{paper}.pdf"
                page.pdf(path=str(pdf), format=paper)
                assert _sheets(pdf) == 1, (icp_id, paper)
                printed = poppler("pdftotext", "-layout", str(pdf), "-")
                # The sheet says which ICP, at which status and version, built when.
                assert " · Battle card" in printed, icp_id
                assert re.search(r"(ACTIVE|RETIRED) · version \S+", printed), icp_id
                assert "built 2026-12-01" in printed
                for title in (
                    "Who",
                    "Why now",
                    "Why us",
                    "Walk away when",
                    "Objections",
                    "Evidence",
                ):
                    assert title in printed, (icp_id, title)
                assert "Made with Material" not in printed and "Back to top" not in printed
            page.close()
            phone = browser.new_page(viewport={"width": 390, "height": 844})
            phone.goto(f"{served}/icps/{icp_id}/card/")
            # On a phone the sections stack: nothing wider than the screen.
            width = phone.evaluate("[document.documentElement.scrollWidth, innerWidth]")
            assert width[0] <= width[1], (icp_id, width)
            phone.screenshot(path=str(shots / f"card-{icp_id}-phone.png"), full_page=True)
            phone.close()


def test_the_printed_playbook_has_no_tests_column(served: str, shots: Path) -> None:
    url = f"{served}/icps/midmarket-saas-revops/playbook/"
    with launched() as browser:
        screen = browser.new_page(viewport={"width": 1280, "height": 900})
        screen.goto(url)
        # On screen the authors see what each question tests.
        assert screen.locator("th", has_text="Tests").is_visible()
        assert screen.locator("td", has_text="Trigger: New CRO or VP Sales hired").is_visible()
        page = _printing(browser, url)
        assert not page.locator("th", has_text="Tests").is_visible()
        pdf = shots / "playbook-midmarket-saas-revops.pdf"
        page.pdf(path=str(pdf), format="A4")
    printed = poppler("pdftotext", "-layout", str(pdf), "-")
    checklist = printed[printed.index("Qualification checklist") :]
    header = next(line for line in checklist.splitlines() if "Yes when" in line)
    assert "Ask" in header and "Tests" not in header
    assert "Tests" not in printed and "Trigger: New CRO" not in printed
    assert "How many people work at the company" in printed
