"""The home page tells the truth: failing gates beside the AUC with the digits that show it,
the quarter's changes from git, the active ICPs side by side, the deals behind each figure.
Real mkdocs builds of the example project in real git repositories."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from icpkit.site.pages.home import MARKER, place
from tests.conftest import ROOT, run_icp
from tests.gitrepo import ICP, ICP_FILE, git, quarterly_repo
from tests.site.test_build import HOSTILE_NAME, build, make_hostile, page
from tests.site.test_status import set_field

EMEA = "emea-fintech-multicurrency"


def _site_repo(folder: Path) -> Path:
    """The example ICPs reviewed in 2026-Q2, Q3 and Q4, with this repository's docs."""
    folder.mkdir()
    shutil.copytree(ROOT / "docs", folder / "docs")
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    return quarterly_repo(folder)


def _raise_auc_gate(repo: Path) -> None:
    """Q4 also raises the AUC gate above the AUC, which rounds up to the new gate."""
    set_field(repo, ICP, "  min_auc", "0.92")
    git(
        repo,
        "commit",
        "-qam",
        "Raise the AUC gate",
        date="2026-11-20T10:00:00+00:00",
        author="Cleo Park",
    )


@pytest.fixture
def quarterly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = _site_repo(tmp_path / "repo")
    _raise_auc_gate(repo)
    monkeypatch.chdir(repo)
    monkeypatch.setenv("ICP_TODAY", "2026-12-01")
    return repo


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The quarterly repository's site as of 2026-12-01, built once for the tests that read it."""
    repo = _site_repo(tmp_path_factory.mktemp("home") / "repo")
    _raise_auc_gate(repo)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(repo)
        patch.setenv("ICP_TODAY", "2026-12-01")
        result = build()
    assert result.exit_code == 0, result.output
    return repo


def _auc(repo: Path, icp_id: str) -> float:
    done = run_icp(repo, "backtest", f"icps/{icp_id}.yaml", "--format", "json")
    auc = json.loads(done.stdout)["results"][0]["auc"]
    assert isinstance(auc, float)
    return auc


def _window(repo: Path, icp_id: str) -> str:
    """`617 deals closed 2025-01 to 2026-10`, read from the deals file itself."""
    deals = pd.read_csv(repo / "fixtures" / "deals" / f"{icp_id}.csv")
    outcome = deals["outcome"].str.lower().str.removeprefix("closed ")
    closed = deals[outcome.isin(["won", "lost"])]
    dates = pd.to_datetime(closed["closed_on"])
    first, last = dates.min().strftime("%Y-%m"), dates.max().strftime("%Y-%m")
    return f"{len(closed)} deals closed {first} to {last}"


def _section(home: str, heading: str) -> str:
    start = home.index(f">{heading}")
    end = home.find("<h2", start)
    return home[start : end if end > 0 else None]


def _cells(html_row: str) -> list[str]:
    """A table row's cells as a reader sees their text."""
    found = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", html_row, re.S)
    return [_text(c) for c in found]


def _text(markup: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))


def _home(repo: Path) -> str:
    return (repo / "site" / "index.html").read_text(encoding="utf-8")


def test_home_page_names_the_failing_gate_beside_an_auc_shown_to_enough_digits(
    built: Path,
) -> None:
    auc = _auc(built, ICP)
    assert round(auc, 2) == 0.92 > auc, "the fixture's AUC must round up onto the gate"
    home = _home(built)
    row = next(
        r for r in home.split("<tr>")[1:] if "Mid-market B2B SaaS scaling RevOps" in _text(r)
    )
    cell = _cells(row)[3]
    assert f"{auc:.4f}" in cell and "0.92 " not in cell.replace(f"{auc:.4f}", "")
    assert "fails 1 gate" in cell and "min_auc" in cell
    assert f"AUC {auc:.4f} < 0.9200" in cell
    # A passing ICP keeps two decimals and no failure.
    emea = next(r for r in home.split("<tr>")[1:] if "EMEA fintech scale-ups" in _text(r))
    assert f"{_auc(built, EMEA):.2f}" in _cells(emea)[3] and "fails" not in emea
    # The deals behind each backtest, on the home page and on the backtest page.
    for icp_id in (ICP, EMEA):
        window = _window(built, icp_id)
        assert window in _text(home), window
        backtest = page(built / "site", f"icps/{icp_id}/backtest/index.html")
        assert "deals closed " + window.split(" closed ")[1] in backtest


def test_the_catalogue_comes_before_the_guide_links(built: Path) -> None:
    home = page(built / "site", "index.html")
    home = home[home.index("<article") :]  # not the navigation
    intro = home.index("Ideal Customer Profiles as code")
    catalogue = home.index(">Active")
    guide = home.index('href="guide/format/"')
    assert intro < catalogue < home.index(">Side by side") < home.index(">At a glance") < guide


def test_the_quarters_changes_come_from_git_and_link_each_history(built: Path) -> None:
    done = run_icp(built, "diff", f"{ICP}@2026-Q3", ICP_FILE, "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    expected = json.loads(done.stdout)["icps"][0]["changes"]
    assert any(c["category"] == "gate" for c in expected)  # the raised AUC gate
    home = _home(built)
    changes = _section(home, "What changed in 2026-Q4")
    assert f'href="icps/{ICP}/history/"' in changes
    text = _text(changes)
    assert "version 2026-Q3 to 2026-Q4: 2 commits (2026-11-02 to 2026-11-20)" in text
    assert "by Ana Lopez, Cleo Park" in text
    for change in expected:
        assert f"{change['category'].capitalize()}: {change['summary']}" in text, change
    # The other ICPs were last committed in Q2.
    assert "No changes this quarter: EMEA fintech scale-ups" in text
    assert "employees min 300" not in text  # a Q3 change


def test_a_quarter_without_commits_says_so(
    quarterly: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ICP_TODAY", "2027-02-01")
    result = build("--no-strict")  # the reviews are stale by then: only warnings
    assert result.exit_code == 0, result.output
    changes = _section(_home(quarterly), "What changed in 2027-Q1")
    assert "No changes this quarter." in changes
    assert "2027-01-01 to 2027-02-01" in changes


def test_active_icps_side_by_side(built: Path) -> None:
    table = _section(_home(built), "Side by side")
    rows = {cells[0].strip(): cells[1:] for r in table.split("<tr>")[1:] if (cells := _cells(r))}
    header = rows.pop("")
    assert "Mid-market B2B SaaS scaling RevOps" in header[0] and "EMEA fintech" in header[1]
    assert all("Seed-stage" not in h for h in header), "a retired ICP is not compared"
    mid, emea = ({k: v[i] for k, v in rows.items()} for i in (0, 1))
    assert list(rows) == [
        "Size",
        "Region",
        "Industry",
        "Primary persona",
        "Key triggers",
        "Top-band win rate",
        "AUC",
        "Backtested on",
        "Status",
        "Freshness",
    ]
    assert "200-2,000 employees" in mid["Size"] and "$20M-$200M" in mid["Size"]
    assert "500-5,000 employees" in emea["Size"]
    assert "United States, United Kingdom, Canada" in mid["Region"]
    assert "United Kingdom, Germany, Netherlands" in emea["Region"]
    assert "SaaS, Fintech" in mid["Industry"] and "Insurtech" in emea["Industry"]
    assert "VP Revenue Operations" in mid["Primary persona"]
    assert "Chief Financial Officer" in emea["Primary persona"]
    # The three heaviest triggers, heaviest first.
    assert mid["Key triggers"].index("New CRO or VP Sales hired") < mid["Key triggers"].index(
        "Closed a Series B"
    )
    assert re.search(r"\d+% \(strong, \d+ deals\)", mid["Top-band win rate"])
    assert "fails 1 gate" in mid["AUC"] and "fails" not in emea["AUC"]
    assert _window(built, EMEA) in emea["Backtested on"]
    assert "active" in mid["Status"] and "primary" in mid["Status"]
    assert "reviewed 2026-11-02" in mid["Freshness"] and "29 days ago" in mid["Freshness"]


def test_hostile_icp_text_stays_text_on_the_home_page(quarterly: Path) -> None:
    make_hostile(quarterly)
    path = quarterly / ICP_FILE
    hostile = "<img src=x onerror=alert(9)> [x](javascript:alert(10)) | cell"
    text = path.read_text(encoding="utf-8").replace(
        "event: New CRO or VP Sales hired", f"event: '{hostile}'", 1
    )
    path.write_text(text.replace("role: VP Revenue Operations", f"role: '{hostile}'", 1), "utf-8")
    git(quarterly, "commit", "-qam", "<script>alert(11)</script>", date="2026-11-25T10:00:00+00:00")
    result = build()
    assert result.exit_code == 0, result.output
    raw = (quarterly / "site" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in raw and "<img src=x" not in raw
    assert 'href="javascript' not in raw
    home = _home(quarterly)
    side = _text(_section(home, "Side by side"))
    assert HOSTILE_NAME in side and hostile in side  # shown as typed, in its own cell
    assert HOSTILE_NAME in _text(_section(home, "What changed in 2026-Q4"))


def test_place_puts_the_catalogue_after_the_opening_or_at_the_marker() -> None:
    page_text = "# Home\n\nOur ICPs.\nSecond line.\n\n- [Guide](guide.md)\n"
    assert (
        place(page_text, "CAT\n")
        == "# Home\n\nOur ICPs.\nSecond line.\n\nCAT\n\n---\n\n- [Guide](guide.md)\n"
    )
    assert place("# Home\n\n## Guide\n\ntext\n", "CAT") == "# Home\n\nCAT\n\n## Guide\n\ntext\n"
    marked = f"# Home\n\n- a\n\n{MARKER}\n\nEnd.\n"
    assert place(marked, "CAT") == "# Home\n\n- a\n\n\nCAT\n\n\nEnd.\n"
    assert place("", "CAT") == "CAT\n"
