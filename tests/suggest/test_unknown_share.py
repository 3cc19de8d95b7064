"""A rule's shares are of all closed deals: an unknown value does not match, as it scores."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from tests.conftest import invoke
from tests.suggest.worlds import write_project


def rivals_export() -> pd.DataFrame:
    """300 won, 700 lost. Where the competitor is known, 'no-rival' holds 60% of the wins
    (60 of 100) and 33% of the losses (70 of 210); of all deals, 20% and 10%."""
    cells = [
        # (result, industry, competitor, deals)
        ("Won", "SaaS", "no-rival", 40), ("Won", "Retail", "no-rival", 20),
        ("Won", "SaaS", "rival", 30), ("Won", "Retail", "rival", 10),
        ("Won", "SaaS", "Unknown", 130), ("Won", "Retail", "Unknown", 70),
        ("Loss", "SaaS", "no-rival", 20), ("Loss", "Retail", "no-rival", 50),
        ("Loss", "SaaS", "rival", 40), ("Loss", "Retail", "rival", 100),
        ("Loss", "SaaS", "Unknown", 140), ("Loss", "Retail", "Unknown", 350),
    ]  # fmt: skip
    rows = [(r, i, c) for r, i, c, n in cells for _ in range(n)]
    frame = pd.DataFrame(rows, columns=["Opportunity Result", "Industry", "Competitor Type"])
    frame.insert(0, "Opportunity Number", [f"R-{n}" for n in range(len(frame))])
    frame.insert(1, "Account Name", [f"Account {n}" for n in range(len(frame))])
    return frame


def test_shares_lift_and_power_count_unknown_values_as_not_matching(project: Path) -> None:
    deals = write_project(project, rivals_export())
    result = invoke("suggest", "--deals", deals, "--draft", "draft.yaml")
    assert result.exit_code == 0, result.output
    rules = result.stdout.split("Proposed rules")[1]
    row = next(line.split() for line in rules.splitlines() if "no-rival" in line)
    # rule, wins, losses, lift (20% of 30% win rate: 60 of 130 won), power, weight, known
    assert row[0] == "competitor_type" and row[2:5] == ["20%", "10%", "1.54x"]
    assert row[5] == "0.10" and row[-1] == "31%"
    assert "no-rival 20%, rival 13%, unknown 67%" in result.stdout
    draft = Path("draft.yaml").read_text(encoding="utf-8")
    assert "# 20% of wins and 10% of losses match; win rate 1.54x the average" in draft
    assert "competitor_type is known for 31% of the closed deals" in draft

    report = invoke("suggest", "--deals", deals, "--format", "json")
    fields = {f["field"]: f for f in json.loads(report.stdout)["evidence"]["fields"]}
    competitor = fields["competitor_type"]
    assert (competitor["win_share"], competitor["loss_share"]) == (0.2, 0.1)
    assert (competitor["known_wins"], competitor["all_wins"]) == (100, 300)

    # The scorer gives the rule's points to exactly the deals the shares count.
    scored = invoke("score", "draft.yaml", deals, "-o", "scored.csv")
    assert scored.exit_code == 0, scored.output
    frame = pd.read_csv("scored.csv")
    won = frame["Opportunity Result"] == "Won"
    matched = frame["points.competitor_type"] > 0
    assert (matched[won].mean(), matched[~won].mean()) == (0.2, 0.1)
