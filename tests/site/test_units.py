"""The pieces of the site generator: escaping, descriptions with units, charts, git history."""

from __future__ import annotations

import html
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import markdown
import pytest

from icpkit.diff.history import changelog, revision_changes
from icpkit.format.describe import describe_match, describe_range, field_label
from icpkit.format.model import Form, Match
from icpkit.site import charts
from icpkit.site.markup import table, text
from icpkit.vcs.history import file_history, version_spans
from tests.conftest import merge
from tests.gitrepo import git

NASTY = [
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "<img src=x onerror=alert(1)>",
    '{: onclick="alert(1)"}',
    "**bold** _it_ `code` ~~del~~ ==mark==",
    "# heading | pipe",
    "1. numbered",
    "&amp; &lt;",
]


@pytest.mark.parametrize("value", NASTY)
def test_text_renders_as_the_same_characters_and_no_markup(value: str) -> None:
    rendered = markdown.markdown(
        text(value), extensions=["tables", "attr_list", "def_list", "admonition"]
    )
    assert rendered.startswith("<p>") and rendered.endswith("</p>")
    inner = rendered[3:-4]
    assert "<" not in inner and ">" not in inner
    assert html.unescape(inner) == value


def test_text_inside_a_table_keeps_one_cell() -> None:
    rendered = markdown.markdown(
        table(["A", "B"], [[text("x | y"), text("z")]]), extensions=["tables"]
    )
    assert rendered.count("<td") == 2 and "x | y" in html.unescape(rendered)


@pytest.mark.parametrize(
    ("field", "low", "high", "expected"),
    [
        ("employees", 200, 2000, "200-2,000 employees"),
        ("revenue_usd", 20_000_000, 200_000_000, "$20M-$200M"),
        ("revenue_usd", 10_000_000, 19_999_999, "$10M-$20M"),
        ("arr_usd", 2_500_000, None, "$2.5M+"),
        ("employees", None, 79, "up to 79 employees"),
        ("sales_team_growth_pct", 20, 200, "20-200%"),
        ("sales_team_growth_pct", 20, None, "20%+"),
        ("open_roles", 3, 12, "3-12"),
    ],
)
def test_ranges_read_with_units(
    field: str, low: float | None, high: float | None, expected: str
) -> None:
    assert describe_range(field, low, high) == expected


def test_categories_and_labels_read_as_words() -> None:
    assert (
        describe_match("industry", Match(Form.IN, values=("saas", "fintech")))
        == "one of saas, fintech"
    )
    assert (
        describe_match("tech_stack", Match(Form.ANY, values=("salesforce",))) == "any of salesforce"
    )
    assert field_label("revenue_usd") == "Revenue (USD)"
    assert field_label("arr_usd") == "ARR (USD)"
    assert field_label("sales_team_growth_pct") == "Sales team growth (%)"
    assert field_label("employees", "Headcount") == "Headcount"


def test_charts_are_well_formed_svg_with_escaped_labels() -> None:
    bars = [charts.Bar("<b>strong</b>", 0.9, "93 deals", kind="strong"), charts.Bar("weak", None)]
    svg = charts.bar_chart(
        "k", "Win rate", bars, top=1.0, fmt=lambda v: f"{v:.0%}", reference=(0.4, "all")
    )
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg" and root.get("role") == "img"
    assert len(root.findall(f"{ns}rect")) == 1  # no bar for a band without deals
    assert "&lt;b&gt;strong&lt;/b&gt;" in svg and "<b>" not in svg
    assert "weak: no deals" in root.findtext(f"{ns}desc", "")
    grouped = charts.grouped_bars(
        "g", "t", ["0-10", "10-20"], [charts.Series("wins", "win", [0.1, 0.9])], top=1.0, fmt=str
    )
    assert len(ET.fromstring(grouped).findall(f"{ns}rect")) == 3  # two bars and the legend key
    rows = charts.horizontal_bars("h", "t", [charts.Bar("x" * 60, 5.0)], fmt=str)
    assert "…" in rows and "x" * 60 in rows  # shortened on screen, whole in the tooltip


def _commit(repo: Path, text: str, message: str, date: str) -> None:
    (repo / "icps").mkdir(exist_ok=True)
    (repo / "icps" / "a.yaml").write_text(text)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", message, date=date)


def test_history_follows_versions_and_renames(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    _commit(tmp_path, "id: a\nversion: 2026-Q2\nsummary: one\n", "Q2", "2026-04-02T10:00:00+00:00")
    _commit(tmp_path, "id: a\nversion: 2026-Q2\nsummary: two\n", "fix", "2026-05-02T10:00:00+00:00")
    _commit(tmp_path, "id: a\nversion: 2026-Q3\nsummary: two\n", "Q3", "2026-07-02T10:00:00+00:00")
    git(tmp_path, "mv", "icps/a.yaml", "icps/b.yaml")
    git(tmp_path, "commit", "-q", "-m", "rename", date="2026-07-03T10:00:00+00:00")
    history = file_history(tmp_path / "icps" / "b.yaml")
    assert history.tracked and not history.shallow and not history.dirty
    assert [r.subject for r in history.revisions] == ["rename", "Q3", "fix", "Q2"]
    assert history.revisions[-1].path == "icps/a.yaml"
    spans = version_spans(history.revisions)
    assert [(s.version, len(s.revisions)) for s in spans] == [("2026-Q3", 2), ("2026-Q2", 2)]
    assert spans[1].first.subject == "Q2" and spans[1].authors == ("Ana Lopez",)
    fix = revision_changes(history.revisions[3], history.revisions[2])
    assert [(c.location, c.summary) for c in fix] == [("summary", "summary one -> two")]
    log = changelog(history)
    assert [v.span.version for v in log] == ["2026-Q3", "2026-Q2"]
    assert [c.location for c in log[0].changes] == ["version"]  # the rename is not a change
    assert log[1].previous is None and log[1].changes == ()
    (tmp_path / "icps" / "b.yaml").write_text("id: a\n")
    assert file_history(tmp_path / "icps" / "b.yaml").dirty


def test_history_outside_git_and_in_a_shallow_clone(tmp_path: Path) -> None:
    (tmp_path / "loose.yaml").write_text("id: x\n")
    assert not file_history(tmp_path / "loose.yaml").tracked
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q", "-b", "main")
    _commit(origin, "version: 2026-Q2\n", "one", "2026-04-02T10:00:00+00:00")
    _commit(origin, "version: 2026-Q3\n", "two", "2026-07-02T10:00:00+00:00")
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(tmp_path / "shallow")],
        check=True,
    )
    history = file_history(tmp_path / "shallow" / "icps" / "a.yaml")
    assert history.shallow and len(history.revisions) == 1


def test_trigger_conditions_read_as_words_and_stay_text(tmp_path: Path, base_text: str) -> None:
    from icpkit.format.valid import load_icp
    from icpkit.site.pages import playbook, profile
    from icpkit.site.project import SiteIcp
    from icpkit.vcs.history import FileHistory
    from tests.conftest import merge

    hostile = "<script>alert(1)</script>"
    snippet = (
        "triggers:\n"
        "  - {id: rfp-issued, event: Issued an RFP, window_days: 90, weight: 15,\n"
        f"     when: {{rfp: {{in: ['{hostile}']}}, competitor_type: {{in: [None]}}}}}}\n"
        "  - {id: returning-client, event: Bought from us before, window_days: 90, weight: 15,\n"
        "     when: {prior_revenue_usd: {min: 1}}, detect: Finance ledger}\n"
    )
    path = tmp_path / "base.yaml"
    path.write_text(merge(base_text, snippet), encoding="utf-8")
    entry = SiteIcp(
        load_icp(path), path, "icps/base.yaml", (), None, "", FileHistory((), False, False, False),
        0, False,
    )  # fmt: skip
    for page in (profile.render(entry, "icps/base/index.md", None), playbook.render(entry)):
        rendered = markdown.markdown(page, extensions=["tables"])
        assert "<script>" not in rendered
        shown = html.unescape(rendered)
        assert f"From the data: Rfp {hostile} and Competitor type None" in shown
        assert "From the data: Prior revenue (USD) $1+<br>Finance ledger" in shown


def test_budget_limits_read_in_the_currency_they_were_given_in(
    base_text: str, tmp_path: Path
) -> None:
    from icpkit.format.valid import load_icp
    from icpkit.site.pages import card, profile

    snippet = (
        "currency: EUR\nbudget_authority:\n  recommends: [RevOps]\n  approves:\n"
        "    - {role: VP Sales, up_to: 45000}\n    - {role: CFO, up_to_usd: 150000}\n"
        "    - {role: CEO}\n"
    )
    (tmp_path / "base.yaml").write_text(merge(base_text, snippet))
    icp = load_icp(tmp_path / "base.yaml")
    shown = html.unescape(profile._budget(icp))
    assert "up to €45K" in shown and "up to $150K" in shown and "no limit" in shown
    assert "VP Sales up to €45K; CFO up to $150K; CEO, no limit" in html.unescape(card._budget(icp))
