"""The backtest page's drift section: the chart and the table say the same numbers."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from click.testing import CliRunner

from icpkit.checks.config import load_config
from icpkit.cli import cli
from icpkit.format.valid import load_icp
from icpkit.reporters.drift import BAND_HEADS, auc_cell, band_cell
from icpkit.scorer.deals import deal_files
from icpkit.scorer.run import backtest_deals
from icpkit.site import charts

NS = "{http://www.w3.org/2000/svg}"


def test_a_line_chart_breaks_at_a_gap_and_escapes_its_labels() -> None:
    points = [
        charts.Point("Q1", 0.9, 0.8, 0.95, "80 deals"),
        charts.Point("Q2", 0.85, 0.7, 0.9, "75 deals"),
        charts.Point("<script>x</script>", None, note="too small"),
        charts.Point("Q4", 0.6, note="40 deals"),
        charts.Point("Q5", 0.7, 0.5, 0.8, "41 deals"),
    ]
    svg = charts.line_chart(
        "d", "AUC", points, bottom=0.5, top=1.0, fmt=lambda v: f"{v:.2f}", reference=(0.65, "f")
    )
    root = ET.fromstring(svg)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert len(root.findall(f"{NS}circle")) == 4  # no point for the period without a value
    # Two runs of the line, one each side of the gap: never drawn through it as a zero.
    lines = [p.get("points", "").split() for p in root.findall(f"{NS}polyline")]
    assert [len(line) for line in lines] == [2, 2]
    assert len(root.findall(f"{NS}line[@class='icp-chart__whisker']")) == 3
    desc = root.findtext(f"{NS}desc", "")
    assert "Q1: 0.90 (0.80-0.95) (80 deals)" in desc and "<script>x</script>: too small" in desc
    # 0.5 at the bottom of the plot, 1.0 at the top: Q4's 0.6 sits a fifth of the way up.
    q4 = lines[1][0].split(",")
    assert float(q4[1]) == round(300 - 52 - (300 - 20 - 52) * 0.2, 1)


def _cells(row: str) -> list[str]:
    return [
        html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)
    ]


def test_the_backtest_page_draws_drift_as_its_table_says(example_site: Path) -> None:
    result = CliRunner().invoke(cli, ["site", "build"])
    assert result.exit_code == 0, result.output
    text = (example_site / "site/icps/midmarket-saas-revops/backtest/index.html").read_text()
    section = text[text.index('id="drift-by-quarter"') :]
    svg = re.search(r"<svg.*?</svg>", section, re.S)
    assert svg is not None
    desc = ET.fromstring(svg.group(0)).findtext(f"{NS}desc", "")
    tables = re.findall(r"<tbody>(.*?)</tbody>", section, re.S)
    rows, bands = ([_cells(r) for r in re.findall(r"<tr>(.*?)</tr>", t, re.S)] for t in tables[:2])
    # The figures the backtest computes, independently of the page.
    config = load_config(example_site)
    icp = load_icp(example_site / "icps" / "midmarket-saas-revops.yaml")
    files = deal_files(icp, config)
    assert files is not None
    drift = backtest_deals(icp, files, config=config, by="quarter").drift
    assert drift is not None
    assert [r[0] for r in rows] == [p.label for p in drift.periods]
    for row, cells, period in zip(rows, bands, drift.periods, strict=True):
        assert (row[1], row[2], row[4]) == (str(period.deals), str(period.wins), auc_cell(period))
        assert cells == [period.label, *(band_cell(period, name) for name in BAND_HEADS)]
        if period.auc is None:
            assert f"{period.label}: too small" in desc
            assert row[-1].endswith(f"too small to measure: {period.too_small}")
        else:
            assert f"{period.label}: {auc_cell(period)} ({period.deals} deals)" in desc
