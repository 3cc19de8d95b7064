"""The routes, SLAs and ABM tiers of `activation:` on the playbook, the profile and the
battle card, in a real mkdocs build; a queue or a tier name is shown as text, never run."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from tests.site.test_build import build

MIDMARKET = "midmarket-saas-revops"
HOSTILE = "<script>window.__route=1</script> [x](javascript:alert(1))"


def _shown(path: Path) -> str:
    raw = path.read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", raw)))


@pytest.mark.slow
def test_pages_show_each_band_s_queue_sla_and_the_tiers(example_site: Path) -> None:
    path = example_site / "icps" / f"{MIDMARKET}.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in (
        ("poor: {queue: inbound-only}", f"poor: {{queue: '{HOSTILE}'}}"),
        ('{tier: "1:many", min_band: possible}', f"{{tier: '{HOSTILE}', min_band: possible}}"),
    ):
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    result = build()
    assert result.exit_code == 0, result.output
    pages = example_site / "site" / "icps" / MIDMARKET
    for name in ("playbook/index.html", "index.html", "card/index.html"):
        raw = (pages / name).read_text(encoding="utf-8")
        assert "<script>window.__route" not in raw and 'href="javascript' not in raw, name
    playbook = _shown(pages / "playbook" / "index.html")
    assert "Band Score What happens Queue SLA" in playbook
    prose = "Senior AE within one business day, with a RevOps solutions engineer"
    assert f"strong 85+ {prose} senior-ae within 24 h" in playbook
    assert f"poor below 40 No outbound; accept inbound only {HOSTILE} no SLA" in playbook
    assert "unknown too little data enrichment within 48 h" in playbook
    assert "ABM tier Accounts 1:1 ranked in the top 25, strong" in playbook
    assert "1:few ranked in the top 150, good or better" in playbook
    assert f"{HOSTILE} possible or better" in playbook
    profile = _shown(pages / "index.html")
    assert "Queue and SLA" in profile and "senior-ae, within 24 h" in profile
    assert "unknown too little data enrichment, within 48 h" in profile
    assert "1:1 ranked in the top 25, strong" in profile
    card = _shown(pages / "card" / "index.html")
    assert "senior-ae, within 24 h" in card and f"{HOSTILE}, no SLA" in card
    assert "ABM: 1:1: ranked in the top 25, strong · 1:few: ranked in the top 150" in card
