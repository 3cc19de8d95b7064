"""`icp site build` for real: mkdocs-material, the icpkit plugin, files on disk."""

from __future__ import annotations

import html
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from icpkit.checks import RULES
from icpkit.checks.runner import Report
from icpkit.cli import cli
from icpkit.project.settings import DEFAULT_DOCS_URL
from icpkit.reporters.common import help_url
from tests.gitrepo import git

HOSTILE_NAME = "Evil <script>alert('name')</script> ICP"
HOSTILE_SUMMARY = (
    "<script>window.__pwned=1;alert(1)</script> See [our site](javascript:alert(2)) and "
    '<img src=x onerror=alert(3)> {: onclick="alert(4)"} **bold** javascript:alert(5)'
)


def build(*args: str) -> Result:
    return CliRunner().invoke(cli, ["site", "build", *args])


def page(site: Path, path: str) -> str:
    """The page's HTML with character references decoded, as a reader sees the text."""
    return html.unescape((site / path).read_text(encoding="utf-8"))


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def make_hostile(project: Path) -> None:
    path = project / "icps" / "midmarket-saas-revops.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^name: .*$", f'name: "{HOSTILE_NAME}"', text, count=1, flags=re.M)
    text = re.sub(
        r"^summary: >-\n(  .*\n)+", f"summary: '{HOSTILE_SUMMARY}'\n", text, count=1, flags=re.M
    )
    path.write_text(text, encoding="utf-8")


def test_example_site_builds_without_warnings(example_site: Path) -> None:
    result = build()
    assert result.exit_code == 0, result.output
    assert "WARNING" not in result.output
    site = example_site / "site"
    # Built in a mkdtemp folder (0700), moved into place with the mode mkdir would give.
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(site.stat().st_mode) == 0o777 & ~umask
    home = page(site, "index.html")
    # The catalogue follows the hand-written home page, one row per ICP.
    assert "Ideal Customer Profiles as code" in home
    for name in ("Mid-market B2B SaaS scaling RevOps", "EMEA fintech scale-ups"):
        assert name in home
    assert re.search(r"<td[^>]*>0\.9\d</td>", home), "AUC column"
    assert "(strong, " in home, "top-band win rate"
    profile = page(site, "icps/midmarket-saas-revops/index.html")
    for expected in ("200-2,000 employees", "$20M-$200M", "120-199 employees: 50% credit"):
        assert expected in profile, expected
    assert "LinkedIn Sales Navigator job" in profile and "90 days" in profile
    assert 'class="icp-chart icp-chart--rows"' in profile  # the weights
    assert "https://github.com/icpkit/icpkit/edit/main/icps/midmarket-saas-revops.yaml" in profile
    playbook = page(site, "icps/midmarket-saas-revops/playbook/index.html")
    assert "Strong lead: 5 or more yes out of 9" in playbook
    assert "Fewer than 3 yes: disqualify" in playbook
    assert "Walk me through last Friday" in playbook
    # An objection with its answer; a knock-out question listed with the disqualifiers,
    # not counted among the yes answers.
    assert "Answer: Reps update nothing new" in playbook
    # Values read as people say them: the format's names, CLDR's countries, the ICP's own.
    profile = page(site, "icps/emea-fintech-multicurrency/index.html")
    assert "United Kingdom, Germany, Netherlands" in profile and "C-level" in profile
    assert "SAP S/4HANA" in profile and "sap-s4hana" not in profile
    assert "LinkedIn" in profile and ">linkedin<" not in profile
    # A field has one name on every page: its label on the profile and the backtest.
    backtest = page(site, "icps/emea-fintech-multicurrency/backtest/index.html")
    assert "Annual revenue (converted to USD)" in profile
    assert "Annual revenue (converted to USD)" in backtest and "Revenue (USD)" not in backtest
    emea = page(site, "icps/emea-fintech-multicurrency/playbook/index.html")
    assert "Strong lead: 4 or more yes out of 7" in emea
    walk_away = emea[emea.index('id="disqualifying-answers"') :]
    assert "Do you book all revenue in a single currency? <strong>Yes, one currency only" in (
        walk_away
    )
    assert emea.count("Forecast process set by a parent company outside EMEA") == 1
    backtest = page(site, "icps/midmarket-saas-revops/backtest/index.html")
    # Win rate, customers' churn, scores, lift, drift.
    assert backtest.count('class="icp-chart"') == 5
    assert "passed all 8 gates" in backtest  # five on deals, three on customers
    # The anti-ICP names an industry the synthetic deals never hold: the page warns.
    assert "staffing" in backtest and "never occurs in these deals" in backtest
    history = page(site, "icps/midmarket-saas-revops/history/index.html")
    assert "Example ICPs" in history and "Ana Lopez" in history
    retired = page(site, "icps/smb-founder-led-sales/backtest/index.html")
    assert "Backtest" in retired
    site_url = re.search(r"^site_url: (\S+)$", (example_site / "mkdocs.yml").read_text(), re.M)
    assert site_url is not None
    for rule in RULES:
        # The help link every finding prints is a page of this site.
        link = help_url(Report(findings=(), docs_url=DEFAULT_DOCS_URL), rule.id)
        assert link.startswith(site_url.group(1))
        text = page(site, link.removeprefix(site_url.group(1)) + "index.html")
        assert rule.name in text
    assert "Use instead" in page(site, "rules/ICP004/index.html")
    assert "Added in <strong>v0.1.0</strong>" in page(site, "rules/ICP004/index.html")
    # The index groups the rules by the kind of defect, in the order of the categories.
    index = page(site, "rules/index.html")
    headings = re.findall(r"<h2[^>]*>(\w+)", index)
    assert headings == ["Validity", "Specificity", "Scoring", "Freshness", "Suppression"]
    body = index[index.index('<h2 id="validity"') :]
    assert body.index("ICP021") > body.index('<h2 id="freshness"') > body.index("ICP013")


def test_site_makes_no_outside_requests(example_site: Path) -> None:
    assert build().exit_code == 0
    for path in (example_site / "site").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        # Links may point outside (edit on GitHub); nothing may be loaded from outside.
        tags = re.findall(r"<(?:script|img|link|iframe)\b[^>]*>", text)
        loaded = [
            tag
            for tag in tags
            if re.search(r'(?:src|href)="https?:', tag) and 'rel="canonical"' not in tag
        ]
        assert loaded == [], (path, loaded)
        assert 'data-md-component="source"' not in text, "repository stats call GitHub's API"


@pytest.mark.slow
def test_generated_site_is_reproducible(example_site: Path, tmp_path: Path) -> None:
    assert build("--site-dir", str(tmp_path / "one")).exit_code == 0
    assert build("--site-dir", str(tmp_path / "two")).exit_code == 0
    one, two = files_of(tmp_path / "one"), files_of(tmp_path / "two")
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_text_from_icp_files_is_escaped(example_site: Path, engine: str) -> None:
    make_hostile(example_site)
    result = build("--engine", engine)
    assert result.exit_code == 0, result.output
    site = example_site / "site"
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<script>window" not in text, path
        # No element carries a handler: the docs may show such text, escaped, in code.
        assert not re.search(r"<[a-z]+\b[^>]*\bon(?:error|click)=", text), path
        assert 'href="javascript' not in text and "<strong>bold" not in text, path
    profile = (site / "icps/midmarket-saas-revops/index.html").read_text(encoding="utf-8")
    assert "&#60;script&#62;window" in profile  # shown as text
    assert "Evil &lt;script&gt;" in profile  # the page title and nav


@pytest.mark.slow
def test_strict_build_fails_on_a_broken_link_and_keeps_the_old_site(example_site: Path) -> None:
    assert build().exit_code == 0
    before = files_of(example_site / "site")
    index = example_site / "docs" / "index.md"
    index.write_text(index.read_text() + "\nSee [nowhere](missing.md).\n")
    result = build()
    assert result.exit_code == 1
    assert "missing.md" in result.output and "site not written" in result.output
    assert files_of(example_site / "site") == before
    assert not [p for p in example_site.iterdir() if p.name.startswith(".site-")]


def test_invalid_icp_stops_the_build_with_one_error(example_site: Path) -> None:
    path = example_site / "icps" / "midmarket-saas-revops.yaml"
    path.write_text(path.read_text().replace("tier: primary", "tier: premium"))
    result = build()
    assert result.exit_code == 2
    assert result.output.startswith("Error: ") and "midmarket-saas-revops.yaml" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_missing_mkdocs_yml_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = build("--engine", engine)
    assert result.exit_code == 2
    assert "mkdocs.yml not found" in result.output and "icp init" in result.output
    assert list(tmp_path.iterdir()) == []


def test_generated_page_may_not_overwrite_a_hand_written_one(example_site: Path) -> None:
    clash = example_site / "docs" / "rules" / "ICP004.md"
    clash.parent.mkdir()
    clash.write_text("# mine\n")
    result = build()
    assert result.exit_code == 2
    assert "docs/rules/ICP004.md exists" in result.output


def test_stale_icp_gets_a_badge(example_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICP_TODAY", "2027-06-01")
    assert build("--no-strict").exit_code == 0
    home = page(example_site / "site", "index.html")
    assert re.search(r'icp-badge--stale"[^>]*>stale: \d+ days', home)
    catalogue = home[: home.index('id="side-by-side"')]  # the comparison repeats them
    assert "(retired)" in home and catalogue.count("icp-badge--stale") == 2


def test_history_lists_versions_across_quarters(example_site: Path) -> None:
    path = example_site / "icps" / "midmarket-saas-revops.yaml"
    text = path.read_text().replace("version: 2026-Q4", "version: 2027-Q1")
    path.write_text(text.replace("    min: 200\n    max: 2000\n", "    min: 150\n    max: 2000\n"))
    git(example_site, "commit", "-qam", "Q1 review", date="2027-01-10T09:00:00+00:00")
    assert build().exit_code == 0
    history = page(example_site / "site", "icps/midmarket-saas-revops/history/index.html")
    assert history.index("2027-Q1") < history.index("2026-Q4")
    assert "Q1 review" in history and "2 commits over 2 versions" in history
    # The changelog is the semantic diff between versions, as `icp history` prints it.
    shown = html.unescape(re.sub(r"<[^>]+>", "", history))
    assert "Since 2026-Q4: 2 changes: 1 scoring, 1 content." in shown
    assert "employees min 200 -> 150: widened" in shown


def test_scaffolded_repository_builds_its_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "acme"
    assert CliRunner().invoke(cli, ["init", str(target)]).exit_code == 0
    git(target, "init", "-q", "-b", "main")
    git(target, "add", ".")
    git(target, "commit", "-q", "-m", "Start")
    monkeypatch.chdir(target)
    result = build()
    assert result.exit_code == 0, result.output
    assert "example-icp" in page(target / "site", "icps/example-icp/index.html")


@pytest.mark.slow
def test_mkdocs_itself_runs_the_plugin(example_site: Path) -> None:
    mkdocs = Path(sys.executable).parent / "mkdocs"
    if not mkdocs.exists():
        pytest.skip("mkdocs is not installed beside this Python")
    done = subprocess.run(
        [str(mkdocs), "build", "--strict", "--site-dir", "out"],
        capture_output=True,
        text=True,
        check=False,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": str(mkdocs.parent) + ":/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert (
        example_site / "out" / "icps" / "midmarket-saas-revops" / "playbook" / "index.html"
    ).exists()


@pytest.mark.slow
def test_installed_icp_command_builds_the_site(example_site: Path) -> None:
    icp = shutil.which("icp") or str(Path(sys.executable).parent / "icp")
    done = subprocess.run([icp, "site", "build"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert re.match(r"Built \d+ pages into .*site in ", done.stdout)
    assert "Material for MkDocs" not in done.stderr
