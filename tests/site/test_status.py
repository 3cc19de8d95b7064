"""Status, dates and confidentiality on the built site: real mkdocs builds, files on disk."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from icpkit.cli import cli
from icpkit.site.pages.status import age
from tests.gitrepo import git
from tests.site.test_build import build, page

PAGES = (
    "index.html",
    "playbook/index.html",
    "card/index.html",
    "backtest/index.html",
    "history/index.html",
)
TITLES = ("Profile", "Sales playbook", "Battle card", "Backtest", "History")
DRAFT = "midmarket-saas-revops"  # made a draft below
ACTIVE = "emea-fintech-multicurrency"
RETIRED = "smb-founder-led-sales"
HOSTILE_OWNER = "<script>alert('owner')</script> \"}@page{x:\\\" rev-ops"
ROBOTS = '<meta name="robots" content="noindex, nofollow">'


def set_field(project: Path, icp_id: str, field: str, value: str) -> None:
    path = project / "icps" / f"{icp_id}.yaml"
    text = path.read_text(encoding="utf-8")
    line = f"{field}: {value}"
    changed = re.sub(rf"^{field}: .*$", lambda _: line, text, count=1, flags=re.M)
    assert changed != text, field
    path.write_text(changed, encoding="utf-8")


def print_boxes(html_page: str) -> dict[str, str]:
    """The page's own @page margin boxes, their CSS escapes decoded."""
    style = re.search(r'<style class="icp-print">(.*?)</style>', html_page)
    assert style is not None
    css = style.group(1)
    assert "<" not in css and "'" not in css
    boxes = dict(re.findall(r'@([a-z-]+)\{content:"([^"]*)"\}', css))
    return {
        box: re.sub(r"\\([0-9a-f]{6})", lambda m: chr(int(m.group(1), 16)), value)
        for box, value in boxes.items()
    }


def status_line(raw: str) -> str:
    """The status line as a reader sees it, from the page's HTML as written."""
    found = re.search(r'<p class="icp-status">(.*?)</p>', raw)
    assert found is not None
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1)))


def raw(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


@pytest.fixture
def pinned(example_site: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example with a draft ICP, built as of 2026-12-01."""
    monkeypatch.setenv("ICP_TODAY", "2026-12-01")
    set_field(example_site, DRAFT, "status", "draft")
    git(example_site, "commit", "-qam", "Back to draft")
    result = build()
    assert result.exit_code == 0, result.output
    return example_site / "site"


def test_every_icp_page_shows_status_version_owner_review_and_build_date(pinned: Path) -> None:
    expected = {
        DRAFT: ("draft", "pmm-team@northwind.example", "2026-11-02", 29),
        ACTIVE: ("active", "emea-marketing@northwind.example", "2026-10-20", 42),
    }
    for icp_id, (status, owner, reviewed, days) in expected.items():
        for name, title in zip(PAGES, TITLES, strict=True):
            shown = raw(pinned, f"icps/{icp_id}/{name}")
            line = status_line(shown)
            assert line.startswith(f"{status} · version 2026-Q4 · owner {owner} · "), line
            assert f"last reviewed {reviewed} ({days} days ago as of 2026-12-01)" in line
            # Then the stale badge, hidden: not stale on the build date.
            assert line.rstrip().endswith(f"built 2026-12-01 stale: {days} days")
            assert re.search(r"icp-badge--stale[^>]* hidden>", shown)
            boxes = print_boxes(shown)
            assert boxes["top-left"].endswith(f" · {title}")
            assert boxes["top-right"] == f"{status.upper()} · version 2026-Q4"
            footer = boxes["bottom-left"]
            assert footer.startswith(f"{status.upper()} · owner {owner} · last reviewed {reviewed}")
            assert re.search(
                rf"built 2026-12-01 from icps/{icp_id}\.yaml at [0-9a-f]{{7}}$", footer
            )
            draft_box = "icp-banner--draft" in shown
            assert draft_box == (icp_id == DRAFT), (icp_id, name)
            assert "icp-banner--retired" not in shown
    retired = raw(pinned, f"icps/{RETIRED}/playbook/index.html")
    assert '<div class="icp-banner icp-banner--retired" role="note"><strong>Retired</strong>' in (
        retired
    )
    assert print_boxes(retired)["top-right"].startswith("RETIRED · version")
    draft = raw(pinned, f"icps/{DRAFT}/backtest/index.html")
    assert "Draft: this ICP is not approved yet." in html.unescape(re.sub(r"<[^>]+>", "", draft))
    # The banner comes before the page's own title.
    assert draft.index("icp-banner--draft") < draft.index("<h1")


def test_stale_badges_carry_their_dates_for_the_script(pinned: Path) -> None:
    # Not stale on the build date: hidden, with what the script needs to show it later.
    profile = page(pinned, f"icps/{DRAFT}/index.html")
    badge = re.search(r'<span class="icp-badge icp-badge--stale"[^>]*>', profile)
    assert badge is not None
    assert 'data-icp-stale-since="2026-11-02"' in badge.group(0)
    assert 'data-icp-stale-after="120"' in badge.group(0) and " hidden" in badge.group(0)
    home = page(pinned, "index.html")
    catalogue = home[: home.index('id="side-by-side"')]  # the comparison repeats them
    assert catalogue.count("icp-badge--stale") == 2  # the retired ICP never goes stale
    assert '<time class="icp-age" datetime="2026-11-02" data-icp-since="2026-11-02">' in profile
    retired = page(pinned, f"icps/{RETIRED}/index.html")
    assert "icp-badge--stale" not in retired
    script = (pinned / "assets" / "icpkit.js").read_text(encoding="utf-8")
    assert "data-icp-since" in script and "data-icp-stale-since" in script
    assert re.search(r'<script src="(\.\./)*assets/icpkit\.js"', profile)


def test_stale_on_the_build_date_shows_the_badge(
    example_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ICP_TODAY", "2027-06-01")
    assert build("--no-strict").exit_code == 0
    profile = raw(example_site / "site", f"icps/{ACTIVE}/playbook/index.html")
    badge = re.search(r'<span class="icp-badge icp-badge--stale"[^>]*>([^<]*)<', profile)
    assert badge is not None and " hidden" not in badge.group(0)
    assert html.unescape(badge.group(1)) == "stale: 224 days"
    assert "(224 days ago as of 2027-06-01)" in status_line(profile)


def test_status_text_from_the_icp_is_escaped(
    example_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ICP_TODAY", "2026-12-01")
    # YAML single quotes: a quote is doubled, nothing else is special.
    set_field(example_site, ACTIVE, "owner", "'" + HOSTILE_OWNER.replace("'", "''") + "'")
    assert build().exit_code == 0
    for name in PAGES:
        written = raw(example_site / "site", f"icps/{ACTIVE}/{name}")
        assert "<script>alert" not in written
        assert f"owner {HOSTILE_OWNER} · last reviewed" in status_line(written)
        boxes = print_boxes(written)
        assert set(boxes) == {"top-left", "top-right", "bottom-left"}
        assert boxes["bottom-left"].startswith(f"ACTIVE · owner {HOSTILE_OWNER} · last")


def test_scaffolded_site_asks_search_engines_to_stay_away(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "acme"
    result = CliRunner().invoke(cli, ["init", str(target)])
    assert result.exit_code == 0
    assert "GitHub Pages, which anyone can read unless your organisation has private" in (
        result.stderr
    )
    assert "guide/site/#confidentiality" in result.stderr
    assert "noindex: true" in (target / "mkdocs.yml").read_text(encoding="utf-8")
    git(target, "init", "-q", "-b", "main")
    git(target, "add", ".")
    git(target, "commit", "-q", "-m", "Start")
    monkeypatch.chdir(target)
    assert build().exit_code == 0
    site = target / "site"
    pages = sorted(site.rglob("*.html"))
    assert site / "404.html" in pages and len(pages) > 10
    for path in pages:
        head = path.read_text(encoding="utf-8").split("</head>")[0]
        assert head.count(ROBOTS) == 1, path
    assert (
        (site / "robots.txt").read_text(encoding="utf-8").endswith("User-agent: *\nDisallow: /\n")
    )


def test_noindex_is_off_unless_asked(example_site: Path) -> None:
    assert build().exit_code == 0
    site = example_site / "site"
    assert not (site / "robots.txt").exists()
    assert all(ROBOTS not in p.read_text(encoding="utf-8") for p in site.rglob("*.html"))


def test_ages_read_right_on_the_day_and_ahead_of_it() -> None:
    day = dt.date(2026, 12, 1)
    assert age(day, day).endswith(">today as of 2026&#45;12&#45;01</time>")
    assert ">1 day ago as of" in age(dt.date(2026, 11, 30), day)
    assert ">3 days ahead as of" in age(dt.date(2026, 12, 4), day)
