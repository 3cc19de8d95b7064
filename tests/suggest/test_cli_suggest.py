"""`icp suggest` on the example repository, as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from icpkit.format.valid import load_icp
from tests.conftest import invoke
from tests.goldenfile import Golden

DEALS = "fixtures/deals/midmarket-saas-revops.csv"
DRAFT = "icps/midmarket-saas-revops-suggested.yaml"


def test_draft_passes_check_apart_from_the_marked_sections(example_repo: Path) -> None:
    result = invoke("suggest", "--deals", DEALS, "--holdout-since", "2026-03-01")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Wins vs losses: fixtures/deals/midmarket-saas-revops.csv")
    assert "Characteristic" in out and "Deal size (amount_usd)" in out
    assert "Anti-ICP candidates" in out
    later = [line for line in out.splitlines() if "on later deals" in line or "same later" in line]
    assert len(later) == 2
    assert "Current ICP midmarket-saas-revops 2026-Q4" in later[1]
    closed = {line.rsplit(" on ", 1)[1] for line in later}
    assert len(closed) == 1  # the draft and the current ICP on the same later deals
    text = Path(DRAFT).read_text(encoding="utf-8")
    lines = text.splitlines()
    check = invoke("check", DRAFT, "--format", "json")
    assert check.exit_code == 1
    findings = json.loads(check.stdout)["findings"]
    # Every finding sits on a marked line, and every marked line has its ICP031 finding.
    assert all("TODO(author)" in lines[f["line"] - 1] for f in findings)
    marked = {n for n, line in enumerate(lines, 1) if "TODO(author)" in line and ":" in line}
    marked -= {n for n, line in enumerate(lines, 1) if line.startswith("#")}
    assert {f["line"] for f in findings if f["rule"] == "ICP031"} == marked
    # The data-backed sections are complete: the draft scores and backtests as it is.
    icp = load_icp(Path(DRAFT))
    positive = [a.weight for a in icp.attributes] + [t.weight for t in icp.triggers]
    assert sum(positive) == 100
    assert {"industry", "tech_stack", "employees"} <= {a.field for a in icp.attributes}
    backtest = invoke("backtest", DRAFT, "--format", "json")
    assert backtest.exit_code in (0, 1), backtest.output
    assert json.loads(backtest.stdout)["results"][0]["auc"] > 0.8


def test_json_report_and_explicit_paths(example_repo: Path) -> None:
    result = invoke("suggest", "--deals", DEALS, "--id", "mid-draft",
                    "--draft", "drafts/mid-draft.yaml",
                    "--format", "json", "-o", "report.json")  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(Path("report.json").read_text(encoding="utf-8"))
    assert data["draft"] == "drafts/mid-draft.yaml"
    assert sum(data["weights"].values()) == 100
    assert data["holdout"] is None and data["current"]["icp_id"] == "midmarket-saas-revops"
    assert load_icp(Path("drafts/mid-draft.yaml")).id == "mid-draft"
    again = invoke("suggest", "--deals", DEALS, "--id", "mid-draft",
                   "--draft", "drafts/mid-draft.yaml")  # fmt: skip
    assert again.exit_code == 2 and "--force" in again.stderr
    forced = invoke("suggest", "--deals", DEALS, "--draft", "drafts/mid-draft.yaml", "--force")
    assert forced.exit_code == 0


def test_bad_inputs_stop_with_one_line(example_repo: Path) -> None:
    late = invoke("suggest", "--deals", DEALS, "--holdout-since", "2030-01-01")
    assert late.exit_code == 2
    assert late.stderr.startswith("Error: fixtures/deals/midmarket-saas-revops.csv: too few")
    frame = pd.read_csv(DEALS, dtype=str)
    frame[frame["outcome"].str.lower().str.contains("won")].to_csv("wins.csv", index=False)
    only_wins = invoke("suggest", "--deals", "wins.csv", "--draft", "x.yaml")
    assert only_wins.exit_code == 2 and "won and lost" in only_wins.stderr
    assert not Path("x.yaml").exists()
    missing = invoke("suggest", "--deals", "nowhere.csv")
    assert missing.exit_code == 2 and "not found" in missing.stderr


def test_report_and_draft_match_golden(example_repo: Path, golden: Golden) -> None:
    result = invoke("suggest", "--deals", DEALS, "--holdout-since", "2026-03-01")
    assert result.exit_code == 0, result.output
    golden.check("suggest.txt", result.stdout)
    golden.check("suggest.draft.yaml", Path(DRAFT).read_bytes().decode("utf-8"))


def test_output_naming_a_yaml_file_points_at_draft(tmp_path: Path) -> None:
    # -o once named the draft; a report must never land in what was meant as an ICP file.
    from icpkit.cli import cli

    target = tmp_path / "icps" / "new.yaml"
    result = CliRunner().invoke(cli, ["suggest", "--deals", "d.csv", "-o", str(target)])
    assert result.exit_code == 2
    assert f"use --draft {target}" in result.output
    assert not target.exists()
