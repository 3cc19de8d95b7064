"""The backtest page lists the surprises, every value from the deals file inert."""

from __future__ import annotations

import re
from pathlib import Path

import markdown

from icpkit.checks.config import load_config
from icpkit.site.pages import backtest
from icpkit.site.project import collect
from tests.scorer.test_surprises import deals, write

HOSTILE = "<script>alert(1)</script>"


def test_backtest_page_shows_surprises_escaped(project: Path, base_text: str) -> None:
    rows = deals()
    rows[16]["deal_id"] = HOSTILE  # D17, the first surprise win
    rows[17]["account"] = "[x](javascript:alert(1)) | <img src=x onerror=alert(1)>"  # D18
    write(project, base_text + "validation:\n  deals: deals.csv\n", rows)
    (entry,) = collect(load_config(project), history=False).icps
    page = backtest.render(entry)
    assert "## Surprises" in page and "### What the surprises share" in page
    assert "<code>&#60;script&#62;alert&#40;1&#41;&#60;&#47;script&#62;</code>" in page
    assert "4 wins scoring weak or poor" in page
    assert "anti&#45;ICP too&#45;small" in page
    html = markdown.markdown(page, extensions=["tables"])
    assert "<script>" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "&#60;script&#62;" in html
    # Five surprise wins are retail, as are five of thirty closed deals.
    cells = re.findall(r"<td[^>]*>(.*?)</td>", html)
    assert [cells[i] for i in range(cells.index("retail") - 2, cells.index("retail") + 3)] == [
        "surprise wins",
        "industry",
        "retail",
        "5 &#40;100%&#41;",
        "5 &#40;17%&#41;",
    ]
