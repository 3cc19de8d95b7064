"""The battle card in a real mkdocs build: what a rep reads on it, and that ICP text on it
stays text. Its one-sheet printout is checked in a browser (test_card_browser.py)."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.site.test_build import HOSTILE_NAME, build, page

CARD = "icps/{}/card/index.html"
MIDMARKET = "midmarket-saas-revops"
EMEA = "emea-fintech-multicurrency"


def _shown(site: Path, icp_id: str) -> str:
    """The card's text as a reader sees it: tags gone, character references decoded."""
    card = (site / CARD.format(icp_id)).read_text(encoding="utf-8")
    body = card[card.index('<div class="icp-card">') : card.index("</article>")]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def _section(shown: str, title: str, following: str) -> str:
    return shown[shown.index(f" {title} ") : shown.index(f" {following} ")]


def _won_by_band(project: Path, icp_id: str) -> dict[str, tuple[int, int]]:
    """Closed deals and wins per band, from `icp score` on the deals file: the card's
    evidence must agree with scoring the deals afresh, outside the backtest."""
    scored = project / "scored.csv"
    icp = Path(sys.executable).parent / "icp"
    files = [f"icps/{icp_id}.yaml", f"fixtures/deals/{icp_id}.csv"]
    subprocess.run(
        [str(icp), "score", *files, "-o", str(scored), "--keep", "outcome"],
        check=True,
        capture_output=True,
    )
    frame = pd.read_csv(scored)
    outcome = frame["outcome"].str.lower().str.removeprefix("closed ")
    closed = frame[outcome.isin(["won", "lost"])]
    won = outcome[closed.index] == "won"
    return {
        str(band): (len(group), int(won[group.index].sum()))
        for band, group in closed.groupby("band")
    }


@pytest.mark.slow
def test_the_card_holds_what_a_rep_needs(example_site: Path) -> None:
    result = build()
    assert result.exit_code == 0, result.output
    site = example_site / "site"
    shown = _shown(site, MIDMARKET)
    who = _section(shown, "Who", "Why now")
    for words in (
        "Employees 200-2,000 employees",
        "Annual revenue $20M-$200M",
        "one of United States, United Kingdom, Canada",
    ):
        assert words in who, words
    assert "Talk to VP Revenue Operations (Champion); Chief Revenue Officer (Economic buyer)" in (
        who
    )
    assert "Chief Financial Officer" not in who  # an influencer, not a primary persona
    # Triggers by weight, heaviest first, each with its window.
    why_now = _section(shown, "Why now", "Why us")
    assert why_now.index("New CRO or VP Sales hired act within 90 days") < why_now.index(
        "Closed a Series B or later round in the last six months act within 180 days"
    )
    why_us = _section(shown, "Why us", "Walk away when")
    assert "Call the quarter within 5%, two weeks before it closes" in why_us
    assert "They use today Salesforce forecast tab plus a spreadsheet rollup" in why_us
    assert "Proof: A 600-person payments company cut forecast error" in why_us
    assert "RevOps teams save about six hours" not in shown  # one proof point
    walk_away = _section(shown, "Walk away when", "Routing by score")
    assert "Employees up to 79 employees No RevOps function" in walk_away
    assert "Data team insists on building forecasting models in the warehouse" in walk_away
    routing = _section(shown, "Routing by score", "Objections")
    assert "strong 85+ Senior AE within one business day" in routing
    assert "poor below 40 No outbound" in routing
    objections = _section(shown, "Objections", "Budget authority")
    # Each objection with the answer sales gives; those without one come last.
    assert (
        "Another tool reps will not update VP Revenue Operations Reps update nothing new"
        in objections
    )
    assert objections.index("Reps update nothing new") < objections.index(
        "Fear of exposing a weak pipeline"
    )
    budget = _section(shown, "Budget authority", "Evidence")
    assert "Recommends: VP Revenue Operations, Director of Sales Operations" in budget
    assert (
        "Approves: VP Revenue Operations up to $40K; Chief Revenue Officer up to $150K; "
        "Chief Financial Officer, no limit" in budget
    )
    evidence = shown[shown.index(" Evidence ") :]
    assert "passes all 8 validation gates" in evidence
    for band, (deals, wins) in _won_by_band(example_site, MIDMARKET).items():
        if band in ("disqualified", "unknown"):
            assert f"{band.capitalize()} leads" not in evidence
            continue
        rate = f"{wins / deals:.0%}"
        assert f"{band.capitalize()} leads won {rate} of {deals} deals" in evidence, band
    # No author-facing figures: neither weights nor ids.
    assert "too-small" not in shown and "new-sales-leader" not in shown
    card = page(site, CARD.format(MIDMARKET))
    assert "active · version 2026-Q4 · owner pmm-team@northwind.example" in re.sub(
        r"<[^>]+>", "", card
    )
    # The profile and the playbook lead to the card.
    assert 'href="card/"' in page(site, f"icps/{MIDMARKET}/index.html")
    assert 'href="../card/"' in page(site, f"icps/{MIDMARKET}/playbook/index.html")


@pytest.mark.slow
def test_a_knock_out_question_is_on_the_card_once(example_site: Path) -> None:
    assert build().exit_code == 0
    shown = _shown(example_site / "site", EMEA)
    walk_away = _section(shown, "Walk away when", "Routing by score")
    assert walk_away.startswith(
        " Walk away when Do you book all revenue in a single currency? Yes, one currency only"
    )
    # The anti-ICP the knock-out asks about is not listed again by its own condition.
    assert "Currencies" not in walk_away


@pytest.mark.slow
def test_without_a_backtest_the_card_shows_no_figures(example_site: Path) -> None:
    path = example_site / "icps" / f"{MIDMARKET}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  deals: fixtures/deals/", "  x-deals: fixtures/deals/"))
    assert build().exit_code == 0
    evidence = _shown(example_site / "site", MIDMARKET).split(" Evidence ")[1]
    assert evidence.strip().startswith("Not backtested against closed deals yet.")
    assert "leads won" not in evidence and "%" not in evidence


@pytest.mark.slow
def test_a_failing_gate_is_on_the_card(example_site: Path) -> None:
    path = example_site / "icps" / f"{MIDMARKET}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  min_auc: 0.7\n", "  min_auc: 0.99\n"), encoding="utf-8")
    assert build().exit_code == 0
    evidence = _shown(example_site / "site", MIDMARKET).split(" Evidence ")[1]
    assert "Backtest on 617 closed deals FAILS 1 of 8 validation gates: trust it with care." in (
        evidence
    )


@pytest.mark.slow
def test_long_lists_are_cut_with_a_note(example_site: Path) -> None:
    path = example_site / "icps" / f"{MIDMARKET}.yaml"
    text = path.read_text(encoding="utf-8")
    more = "".join(f"    - Extra message {i}\n" for i in range(2))
    path.write_text(text.replace("  messaging:\n", "  messaging:\n" + more, 1))
    assert build().exit_code == 0
    why_us = _section(_shown(example_site / "site", MIDMARKET), "Why us", "They use today")
    assert "Extra message 1 Call the quarter" in why_us and "Replace the Friday" not in why_us
    assert "2 more on the playbook" in why_us


@pytest.mark.slow
def test_the_card_says_how_we_win_against_an_alternative(example_site: Path) -> None:
    path = example_site / "icps" / f"{MIDMARKET}.yaml"
    text = path.read_text(encoding="utf-8")
    old = "  - Clari or Gong Forecast, usually when an enterprise seller already owns it\n"
    assert old in text
    answered = (
        "  - alternative: Clari or Gong Forecast\n"
        "    how_we_win: Live in two weeks on the fields reps already fill\n"
    )
    path.write_text(text.replace(old, answered), encoding="utf-8")
    assert build().exit_code == 0
    site = example_site / "site"
    why_us = _section(_shown(site, MIDMARKET), "They use today", "Walk away when")
    # The one sales can answer comes first, with its answer.
    assert why_us.startswith(
        " They use today Clari or Gong Forecast How we win: Live in two weeks on the fields"
    ), why_us
    profile = page(site, f"icps/{MIDMARKET}/index.html")
    assert "Clari or Gong Forecast<br><small>How we win: Live in two weeks" in profile


HOSTILE = "<script>window.__card=1</script> [x](javascript:alert(1)) <b onclick=alert(2)>b</b>"


@pytest.mark.slow
def test_hostile_text_on_the_card_stays_text(example_site: Path) -> None:
    path = example_site / "icps" / f"{MIDMARKET}.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^name: .*$", f'name: "{HOSTILE_NAME}"', text, count=1, flags=re.M)
    # A message, the proof point, a band's routing and an objection's answer.
    for old in (
        "- Call the quarter within 5%, two weeks before it closes",
        "- A 600-person payments company cut forecast error from 18% to 4% in two quarters",
        "strong: Senior AE within one business day, with a RevOps solutions engineer",
        "response: Reps update nothing new; scores are read from the Salesforce fields they "
        "already fill",
    ):
        assert old in text, old
        key = old.split(" ", 1)[0]
        text = text.replace(old, f"{key} '{HOSTILE}'")
    path.write_text(text, encoding="utf-8")
    assert build().exit_code == 0
    raw = (example_site / "site" / CARD.format(MIDMARKET)).read_text(encoding="utf-8")
    assert "<script>window.__card" not in raw and "<script>alert" not in raw
    assert 'href="javascript' not in raw and not re.search(r"<b\b", raw)
    shown = _shown(example_site / "site", MIDMARKET)
    # Shown as typed, in each place the card puts ICP text.
    assert shown.count(HOSTILE) == 4, shown
    assert "Evil &lt;script&gt;" in raw  # the title
