"""Layout without a browser: round gridlines labelled exactly, the portable 404 page, and
published text free of literal backticks and of the build machine's paths."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from icpkit.site import charts, notfound
from icpkit.site.markup import prose
from tests.site.test_build import build

NS = "{http://www.w3.org/2000/svg}"


def _ticks(svg: str) -> list[tuple[float, str]]:
    """Each gridline's height in the plot beside the label drawn at it."""
    root = ET.fromstring(svg)
    lines = [float(g.get("y1", "")) for g in root.iter(f"{NS}line") if "grid" in g.get("class", "")]
    labels = [t.text or "" for t in root.iter(f"{NS}text") if t.get("class") == "icp-chart__tick"]
    return list(zip(lines, labels, strict=True))


def _value(label: str) -> float:
    number = float(label.rstrip("x%"))
    return number / 100 if label.endswith("%") else number


@pytest.mark.parametrize(
    ("top", "tick"),
    [(1.25, charts.times_tick), (2.5, charts.times_tick), (0.25, charts.percent_tick),
     (0.3, charts.percent_tick), (0.07, charts.percent_tick), (3.7, charts.plain_tick)],
)  # fmt: skip
def test_every_gridline_is_labelled_with_its_exact_value(top: float, tick: charts.Tick) -> None:
    bars = [charts.Bar("a", top * 0.9), charts.Bar("b", top * 0.2)]
    ticks = _ticks(charts.bar_chart("k", "t", bars, top=top, fmt=str, tick=tick))
    assert 3 <= len(ticks) <= 6
    (y0, first), (y1, last) = ticks[0], ticks[-1]
    low, high = _value(first), _value(last)
    assert low == 0.0 and high >= top
    step = (high - low) / (len(ticks) - 1)
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 6) in {1.0, 2.0, 2.5, 5.0}, step
    for y, label in ticks:
        # The label's value sits where the axis puts it, to the pixel's tenth.
        expected = low + (high - low) * (y0 - y) / (y0 - y1)
        assert abs(_value(label) - expected) < 1e-9 + step * 1e-3, (label, expected)
    assert len({label for _, label in ticks}) == len(ticks)


def test_the_lift_of_1_25_reads_1_25x() -> None:
    labels = [label for _, label in _ticks(
        charts.bar_chart("l", "t", [charts.Bar("a", 1.2)], top=1.25, fmt=str,
                         tick=charts.times_tick)
    )]  # fmt: skip
    assert labels == ["0.00x", "0.25x", "0.50x", "0.75x", "1.00x", "1.25x"]


def test_a_line_chart_scale_starts_at_its_bottom() -> None:
    points = [charts.Point("Q1", 0.8), charts.Point("Q2", 0.6)]
    svg = charts.line_chart("d", "t", points, bottom=0.4, top=1.0, fmt=str)
    assert [label for _, label in _ticks(svg)] == ["0.4", "0.6", "0.8", "1.0"]


def test_prose_turns_backticks_into_code_and_keeps_the_rest_inert() -> None:
    shown = prose("value `<b>central-bank</b>` never occurs <i>` here")
    assert shown.startswith("value <code>&#60;b&#62;central&#45;bank&#60;&#47;b&#62;</code>")
    assert "<b>" not in shown and "<i>" not in shown
    assert shown.endswith("&#96; here")  # an unpaired backtick is only a character


def test_the_404_page_links_from_a_base_that_follows_the_server() -> None:
    page = (
        '<html><head><link rel="stylesheet" href="/icpkit/assets/main.css">'
        '<script src="/icpkit/assets/bundle.js"></script></head>'
        '<body><a href="/icpkit/guide/">Guide</a><a href="https://x.example/icpkit/">x</a>'
        "</body></html>"
    )
    out = notfound.portable(page, notfound.base_path("https://icpkit.github.io/icpkit"))
    assert out.startswith('<html><head><base href="/icpkit/"><script>')
    assert 'href="assets/main.css"' in out and 'src="assets/bundle.js"' in out
    assert 'href="guide/"' in out and 'href="https://x.example/icpkit/"' in out
    # Served from the site_url root, nothing to change.
    assert notfound.portable(page, notfound.base_path(None)) == page


class _Text(HTMLParser):
    """Text a reader sees: outside code, scripts, styles and the charts' SVG."""

    SKIP = frozenset({"code", "pre", "script", "style", "svg", "kbd", "samp"})
    VOID = frozenset({"br", "img", "meta", "link", "input", "hr", "wbr", "source", "base"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.seen: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if not self.SKIP.intersection(self.open):
            self.seen.append(data)


@pytest.mark.slow  # a site build
def test_published_text_has_no_backticks_and_no_build_path(example_site: Path) -> None:
    result = build()
    assert result.exit_code == 0, result.output
    # The command names the folder as the user would type it.
    assert re.match(r"Built \d+ pages into site in ", result.output), result.output
    build_dir = str(example_site.resolve())
    for page in (example_site / "site").rglob("*.html"):
        source = page.read_text(encoding="utf-8")
        assert build_dir not in source, page
        reader = _Text()
        reader.feed(source)
        ticked = [t.strip()[:80] for t in reader.seen if "`" in t]
        assert ticked == [], (page, ticked)
    assert build_dir not in (example_site / "site" / "search" / "search_index.json").read_text()
