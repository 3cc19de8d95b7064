"""Every page kind in a real Chromium: light, dark, a phone's width and print.

For each kind (home, profile, playbook, backtest, history, rules, 404) and each way of
reading it, the page must not overflow sideways (a table may scroll inside its own frame,
the page never), chart text must stay legible on a phone, chart bars and text must keep
3:1 contrast against the background in both schemes, and a printed table must fit the
sheet. Screenshots and PDFs go to $ICPKIT_SHOTS when set, for a reviewer to look at.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.gitrepo import git
from tests.site.browsing import Quiet, launched, screenshots, serving
from tests.site.test_build import build

pytestmark = pytest.mark.slow  # a site build, then some forty page loads

ICP = "icps/midmarket-saas-revops"
PAGES = {
    "home": "",
    "profile": f"{ICP}/",
    "playbook": f"{ICP}/playbook/",
    "backtest": f"{ICP}/backtest/",
    "history": f"{ICP}/history/",
    "rules": "rules/",
    "rule": "rules/ICP001/",
    "404": "no/such/page/",
}
DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 375, "height": 812}
# A4 less the stylesheet's 12mm side margins, in CSS pixels: the width a sheet lays out.
SHEET = {"width": round((210 - 24) / 25.4 * 96), "height": 1000}


class _Site(Quiet):
    """Serves the site from the server's root, as a preview or an intranet would, and
    answers a missing page with the site's 404.html, as GitHub Pages does."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(str(self.directory)) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = tmp_path_factory.mktemp("layout")
    for folder in ("icps", "fixtures", "docs"):
        shutil.copytree(ROOT / folder, project / folder)
    for name in ("pyproject.toml", "mkdocs.yml"):
        shutil.copy(ROOT / name, project / name)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "Example ICPs")
    here = Path.cwd()
    os.chdir(project)
    try:
        result = build()
    finally:
        os.chdir(here)
    assert result.exit_code == 0, result.output
    with serving(project / "site", _Site) as url:
        yield url


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return screenshots(tmp_path_factory.mktemp("shots"), "ICPKIT_SHOTS")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launched() as found:
        yield found


# What sticks out of the page sideways: elements past the right edge of the window that
# no scrolling frame of their own (a table's, a figure's, a code block's) holds.
OVERFLOW = """() => {
  const framed = (e) => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x === "auto" || x === "scroll") return true;
    }
    return false;
  };
  const out = [...document.querySelectorAll(".md-content *")]
    .filter((e) => e.getBoundingClientRect().right > innerWidth + 1 && !framed(e))
    .map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
  return {width: document.scrollingElement.scrollWidth, window: innerWidth, out: out.slice(0, 5)};
}"""

# Tables wider than their frame: they scroll, with columns out of sight.
WIDE_TABLES = """() => [...document.querySelectorAll(".md-typeset table")]
  .map((t) => [t.closest(".md-typeset__scrollwrap") || t, t])
  .filter(([frame]) => frame.scrollWidth > frame.clientWidth + 1)
  .map(([frame, t]) => `${t.querySelector("th") ? t.querySelector("th").innerText : ""}: ` +
    `${frame.scrollWidth}px in ${frame.clientWidth}px`)"""

# The size each chart text is drawn at: its font size times the chart's scale on screen.
CHART_TEXT = """() => [...document.querySelectorAll("svg.icp-chart text")].map((t) => [
  t.textContent, parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a])"""

# WCAG contrast of every bar and chart text against the page background, from computed
# styles: the colour's alpha, fill-opacity and opacity blend it into the background.
CONTRAST = """() => {
  const rgba = (s) => {
    const m = s.match(/[\\d.]+/g).map(Number);
    return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1];
  };
  const linear = (c) => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  const lum = ([r, g, b]) => 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  const backdrop = (e) => {
    for (let p = e; p; p = p.parentElement) {
      const c = rgba(getComputedStyle(p).backgroundColor);
      if (c[3] > 0) return c;
    }
    return [255, 255, 255, 1];
  };
  const out = [];
  const drawn = "svg.icp-chart rect.icp-chart__bar, svg.icp-chart text";
  for (const e of document.querySelectorAll(drawn)) {
    const s = getComputedStyle(e);
    const c = rgba(s.fill);
    const a = c[3] * Number(s.fillOpacity) * Number(s.opacity);
    const bg = backdrop(e.closest("svg"));
    const mixed = [0, 1, 2].map((i) => c[i] * a + bg[i] * (1 - a));
    const [hi, lo] = [lum(mixed), lum(bg)].sort((x, y) => y - x);
    out.push([e.getAttribute("class"), e.textContent.slice(0, 20), (hi + 0.05) / (lo + 0.05)]);
  }
  return out;
}"""


def _open(browser: Any, url: str, viewport: dict[str, int], scheme: str = "light") -> Any:
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page


def _no_overflow(page: Any, where: str) -> None:
    found = page.evaluate(OVERFLOW)
    assert found["width"] <= found["window"], (where, found)
    assert found["out"] == [], (where, found)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_wide_screen_in_both_schemes(browser: Any, served: str, shots: Path, scheme: str) -> None:
    for kind, path in PAGES.items():
        page = _open(browser, f"{served}/{path}", DESKTOP, scheme)
        where = f"{kind} {scheme}"
        expected = "slate" if scheme == "dark" else "default"
        assert page.locator("body").get_attribute("data-md-color-scheme") == expected, where
        # Styled wherever it is served from: the 404 page too, though not under site_url.
        header = page.evaluate("getComputedStyle(document.querySelector('.md-header')).position")
        assert header == "sticky", where
        _no_overflow(page, where)
        assert page.evaluate(WIDE_TABLES) == [], where
        low = [(c, t, round(r, 2)) for c, t, r in page.evaluate(CONTRAST) if r < 3.0]
        assert low == [], (where, low)
        page.screenshot(path=str(shots / f"{kind}-{scheme}.png"), full_page=True)
        page.context.close()


def test_phone_width(browser: Any, served: str, shots: Path) -> None:
    sizes: list[float] = []
    for kind, path in PAGES.items():
        page = _open(browser, f"{served}/{path}", PHONE)
        _no_overflow(page, kind)
        # Wide tables become one card per row: no column is left off screen.
        assert page.evaluate(WIDE_TABLES) == [], kind
        small = [(t, round(px, 1)) for t, px in page.evaluate(CHART_TEXT) if px < 10]
        assert small == [], (kind, small[:5])
        sizes += [px for _, px in page.evaluate(CHART_TEXT)]
        page.screenshot(path=str(shots / f"{kind}-phone.png"), full_page=True)
        page.context.close()
    assert len(sizes) > 50  # the profile's and backtest's charts were measured


def test_phone_checklist_reads_as_sentences(browser: Any, served: str) -> None:
    page = _open(browser, f"{served}/{PAGES['playbook']}", PHONE)
    cell = page.locator("table", has_text="Yes when").locator("tbody td").nth(1)
    # The widest line of the question: about half the screen or more, not two words a line.
    widest = cell.evaluate(
        """(td) => { const r = document.createRange(); r.selectNodeContents(td);
             return Math.max(...[...r.getClientRects()].map((x) => x.width)); }"""
    )
    assert widest >= PHONE["width"] * 0.45, widest
    page.context.close()


def test_print(browser: Any, served: str, shots: Path) -> None:
    for kind, path in PAGES.items():
        page = _open(browser, f"{served}/{path}", SHEET)
        page.emulate_media(media="print")
        _no_overflow(page, f"{kind} print")
        # A table cut at the margin, with a scrollbar drawn over it, is what this prevents.
        assert page.evaluate(WIDE_TABLES) == [], kind
        frames = page.evaluate(
            """() => [...document.querySelectorAll('.md-typeset__scrollwrap')]
                 .map((e) => getComputedStyle(e).overflowX)"""
        )
        assert set(frames) <= {"visible"}, (kind, frames)
        pdf = page.pdf(path=str(shots / f"{kind}.pdf"), format="A4")
        assert pdf.startswith(b"%PDF")
        page.context.close()
