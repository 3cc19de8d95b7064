"""The backtest page shows the customers: the table holds what `icp backtest --format json`
says, the churn chart is drawn, and values from the customers file stay inert."""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path
from typing import Any

import markdown
import pytest
from click.testing import CliRunner

from icpkit.checks.config import load_config
from icpkit.cli import cli
from icpkit.site.pages import backtest, catalogue
from icpkit.site.project import collect
from tests.scorer.customer_files import HEADER, customer_rows, project

ICP = "midmarket-saas-revops"


def _figures(folder: Path) -> dict[str, Any]:
    """`BacktestResult.customers` at full precision (the JSON rounds to four places, which
    can move a one-decimal percentage), as plain dicts."""
    entry = next(e for e in collect(load_config(folder), history=False).icps if e.id == ICP)
    assert entry.backtest is not None and entry.backtest.customers is not None
    return dataclasses.asdict(entry.backtest.customers)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _expected(row: dict[str, Any]) -> list[str]:
    low_high = row["churn_interval"]
    return [
        row["band"],
        str(row["customers"]),
        _pct(row["churn_rate"]),
        "-" if low_high is None else f"{low_high[0]:.1%}-{low_high[1]:.1%}",
        "-" if row["retention_lift"] is None else f"{row['retention_lift']:.2f}x",
        "-" if row["median_tenure_days"] is None else f"{row['median_tenure_days']:.0f} d",
        _pct(row["survival_12m"]),
        _pct(row["nrr"]),
        _pct(row["expanding"]),
        "-" if row["avg_lifetime_revenue"] is None else f"${row['avg_lifetime_revenue']:,.0f}",
        "-" if row["median_days_to_value"] is None else f"{row['median_days_to_value']:.0f} d",
    ]


def _section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    end = page.find("<h2", start)
    return page[start : end if end != -1 else len(page)]


def _rows(part: str) -> list[list[str]]:
    body = part[part.index("<tbody>") : part.index("</tbody>")]
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
        ]
        for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_the_built_site_shows_the_customers(example_site: Path) -> None:
    figures = _figures(example_site)
    result = CliRunner().invoke(cli, ["site", "build"])
    assert result.exit_code == 0, result.output
    site = example_site / "site"
    page = (site / "icps" / ICP / "backtest" / "index.html").read_text(encoding="utf-8")
    part = _section(page, "customers")
    shown = [
        r
        for r in figures["bands"]
        if r["customers"] or r["band"] not in ("disqualified", "unknown")
    ]
    expected = [_expected(r) for r in (*shown, figures["good_or_better"], figures["overall"])]
    assert _rows(part) == expected
    assert "505 customers (84 churned" in html.unescape(part)
    # One chart: each band's churn with its interval, the overall rate as the reference.
    assert part.count('class="icp-chart"') == 1 and 'id="churn-chart"' in part
    found = re.search(r'<desc id="churn-desc">(.*?)</desc>', part)
    assert found is not None, part
    desc = html.unescape(found.group(1))
    strong = figures["bands"][0]
    low, high = strong["churn_interval"]
    assert f"strong: {strong['churn_rate']:.0%} ({low:.0%}-{high:.0%})" in desc
    assert f"all customers {figures['overall']['churn_rate']:.0%}" in desc
    # The retention gates sit in the gates table with the deal gates.
    gates = html.unescape(_section(page, "gates"))
    for gate in ("max_churn_good_or_better", "min_retention_lift", "min_nrr"):
        assert f"<code>{gate}</code>" in gates
    good = figures["good_or_better"]
    assert f"{good['churn_rate']:.1%} <= 18.0%" in gates
    # The home page: the good-or-better churn where the ICP names customers, "-" otherwise.
    home = (site / "index.html").read_text(encoding="utf-8")
    (revops,) = [r for r in _rows(_section(home, "active")) if r[0].startswith("Mid-market")]
    assert revops[5] == _pct(good["churn_rate"])
    retired = _rows(_section(home, "retired"))
    assert [r[5] for r in retired] == ["-"]


def test_values_from_the_customers_file_stay_inert(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    rows = customer_rows()
    rows[5][HEADER.index("Current MRR")] = "<b>9</b>"
    folder = project(tmp_path, rows=rows)
    data = collect(load_config(folder), history=False)
    (entry,) = data.icps
    page = backtest.render(entry)
    assert "## Customers" in page
    assert "&#60;b&#62;9&#60;&#47;b&#62;" in page
    rendered = markdown.markdown(page, extensions=["tables"])
    assert "<b>" not in rendered
    assert "<b>9</b>" in html.unescape(rendered), "shown as the characters"
    home = catalogue.body(data, "index.md", "icps")
    assert f"| {20 / 100:.1%}".replace(".", "&#46;") in home  # 3 of 15 good or better churned


def test_without_customers_there_is_no_section(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = project(tmp_path)
    text = (folder / "icps" / "base.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^  customers: .*\n", "", text, flags=re.M)
    (folder / "icps" / "base.yaml").write_text(text, encoding="utf-8")
    data = collect(load_config(folder), history=False)
    (entry,) = data.icps
    assert entry.backtest is not None and entry.backtest.customers is None
    assert "## Customers" not in backtest.render(entry)
    assert "| &#45; |" in catalogue.body(data, "index.md", "icps")


def test_the_page_shows_retained_vs_churned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    rows = customer_rows()
    column = HEADER.index("Industry")
    for row in rows:
        if row[column] == "Retail":
            row[column] = "<i>Retail</i>"
    data = collect(load_config(project(tmp_path, rows=rows)), history=False)
    (entry,) = data.icps
    assert entry.backtest is not None and entry.backtest.customers is not None
    found = entry.backtest.customers.signals
    assert found is not None
    page = markdown.markdown(backtest.render(entry), extensions=["tables", "attr_list"])
    part = page[page.index("Retained vs churned by signal") :]
    country = next(s for s in found.signals if s.name == "country")
    shown = _rows(part)
    assert shown[0][0].startswith("employees") and len(shown) == len(found.signals)
    expected = [
        f"{country.fit_customers} ({country.fit_churn_rate:.1%})",
        "0",
        f"{country.out_customers} ({country.out_churn_rate:.1%})",
    ]
    assert next(r for r in shown if r[0].startswith("country"))[1:4] == expected
    # The customers file's value is shown as its characters, never as markup.
    assert "<i>" not in part
    assert "industry <i>Retail</i>: held more by churned" in html.unescape(part)
