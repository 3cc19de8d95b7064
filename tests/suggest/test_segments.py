"""`icp suggest --segments K`, as a user runs it: the installed command on exports whose
truth we wrote ourselves (two regions where opposite deals win, and a world where one
model wins everywhere)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chisquare

from icpkit.fileio import TEMP_MARK, atomic_write_all
from tests.conftest import ROOT, invoke, run_icp
from tests.suggest.worlds import regional_export, write_project

AMERICAS = "icps/deals-suggested-region-americas.yaml"
EMEA = "icps/deals-suggested-region-emea.yaml"


@pytest.fixture
def regions(project: Path) -> Path:
    write_project(project, regional_export())
    return project


@pytest.fixture
def alike(project: Path) -> Path:
    write_project(project, regional_export(differ=False))
    return project


def _json(folder: Path, *args: str) -> dict[str, Any]:
    done = run_icp(folder, "suggest", "--deals", "deals.csv", "--format", "json", *args)
    assert done.returncode == 0, done.stderr
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def test_regions_whose_wins_differ_get_one_draft_each(regions: Path) -> None:
    done = run_icp(regions, "suggest", "--deals", "deals.csv", "--segments", "3")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Separate ICPs by region, one per segment: the wins of its segments differ on " in out
    assert "differ on employee_count (" in out
    assert "Asked for up to 3; region has 2 segments." in out
    assert f"Drafts written: {AMERICAS}, {EMEA}" in out
    # One draft per segment, none for all deals at once.
    assert sorted(p.name for p in (regions / "icps").iterdir()) == [
        Path(AMERICAS).name,
        Path(EMEA).name,
    ]
    for name in (AMERICAS, EMEA):
        text = (regions / name).read_text(encoding="utf-8")
        assert f"id: {Path(name).stem}" in text and "# Segment region: " in text
        check = run_icp(regions, "check", name, "--format", "json")
        rules = {f["rule"] for f in json.loads(check.stdout)["findings"]}
        # The sections a person writes, and what this world's deals cannot show (no
        # triggers, no losing tail, two firmographic fields): as for the one draft.
        assert "ICP031" in rules and rules <= {"ICP031", "ICP004", "ICP007", "ICP011", "ICP029"}
        backtest = run_icp(regions, "backtest", name, "--format", "json")
        assert backtest.returncode in (0, 1), backtest.stderr
    # What wins differs: the Americas draft wants Software, the EMEA one Manufacturing.
    assert "industry: {in: [Software]" in (regions / AMERICAS).read_text(encoding="utf-8")
    assert "industry: {in: [Manufacturing]" in (regions / EMEA).read_text(encoding="utf-8")


def test_sizes_test_and_figures_equal_an_independent_computation(regions: Path) -> None:
    found = _json(regions, "--segments", "2")["segments"]
    assert found["split"] is True and found["dimension"] == "region"
    deals = pd.read_csv(regions / "deals.csv")
    won = deals["Opportunity Result"] == "Won"
    by_region = {s["label"]: s for s in found["segments"]}
    assert set(by_region) == {"region: Americas", "region: EMEA"}
    for region, group in deals.groupby("Region"):
        segment = by_region[f"region: {region}"]
        assert segment["closed"] == len(group)
        assert segment["wins"] == int(won[group.index].sum())
        assert segment["draft"] == f"icps/deals-suggested-region-{str(region).lower()}.yaml"
    # The test itself, from the file: employees in quartiles, each region's expected wins
    # per quartile at one lift per quartile common to both regions.
    edges = np.unique(np.quantile(deals["Employee Count"], [0.25, 0.5, 0.75]))
    quartile = np.searchsorted(edges, deals["Employee Count"], side="right")
    marked = deals.assign(quartile=quartile, won=won)
    cells = marked.groupby(["Region", "quartile"])["won"].agg(["size", "sum"])
    rate = marked.groupby("Region")["won"].mean()
    cell_regions = cells.index.get_level_values("Region")
    cells["spread"] = [n * rate[r] for r, n in zip(cell_regions, cells["size"], strict=True)]
    by_quartile = cells.groupby(level="quartile")[["sum", "spread"]].sum()
    lift = by_quartile["sum"] / by_quartile["spread"]
    quartiles = cells.index.get_level_values("quartile")
    cells["expected"] = [e * lift[q] for q, e in zip(quartiles, cells["spread"], strict=True)]
    for _, part in cells.groupby(level="Region"):
        cells.loc[part.index, "expected"] *= part["sum"].sum() / part["expected"].sum()
    expected = chisquare(cells["sum"], cells["expected"], ddof=len(cells) - 1 - 3)
    region = next(d for d in found["dimensions"] if d["field"] == "region")
    employees = next(x for x in region["differences"] if x["field"] == "employee_count")
    assert employees["dof"] == 3
    assert employees["statistic"] == pytest.approx(expected.statistic)
    assert employees["p_value"] == pytest.approx(expected.pvalue)
    misplaced = (cells["sum"] - cells["expected"]).abs().sum() / 2 / won.sum()
    assert employees["misplaced"] == pytest.approx(misplaced)
    assert employees["holds"] and employees["misplaced"] >= 0.1
    # Each segment's out-of-fold AUC is the one `icp suggest --folds 5` gives on a file
    # holding that segment's deals only.
    for region_name, group in deals.groupby("Region"):
        alone = regions / str(region_name)
        alone.mkdir()
        write_project(alone, group)
        plain = _json(alone, "--folds", "5", "--exclude", "Region")["folds"]
        segment = by_region[f"region: {region_name}"]
        assert segment["auc"] == pytest.approx(plain["auc"])
        assert segment["auc_interval"] == pytest.approx(plain["auc_interval"])
        assert segment["folds"]["scored"] == plain["scored"] == len(group)


def test_one_icp_fits_when_the_regions_win_alike(alike: Path) -> None:
    done = run_icp(alike, "suggest", "--deals", "deals.csv", "--segments", "3")
    assert done.returncode == 0, done.stderr
    assert "One ICP fits: no dimension's segments differ enough in what wins" in done.stdout
    assert "Draft written to icps/deals-suggested.yaml" in done.stdout
    segmented = (alike / "icps/deals-suggested.yaml").read_bytes()
    assert [p.name for p in (alike / "icps").iterdir()] == ["deals-suggested.yaml"]
    # The one draft is today's draft, byte for byte.
    again = run_icp(alike, "suggest", "--deals", "deals.csv", "--force")
    assert again.returncode == 0, again.stderr
    assert (alike / "icps/deals-suggested.yaml").read_bytes() == segmented
    found = _json(alike, "--segments", "3", "--force")["segments"]
    assert found["split"] is False and found["segments"] == []
    assert all(d["strength"] < 0.1 for d in found["dimensions"])
    assert {d["field"] for d in found["dimensions"]} == {"region", "industry", "employee_count"}


def test_two_segments_of_a_numeric_dimension_merge_the_smaller_tail(alike: Path) -> None:
    # Industry has three values: with K=2 the largest stands alone, the rest is "other".
    found = _json(alike, "--segments", "2")["segments"]
    industry = next(d for d in found["dimensions"] if d["field"] == "industry")
    employees = next(d for d in found["dimensions"] if d["field"] == "employee_count")
    assert industry["segments"] == employees["segments"] == 2


def test_bad_segment_counts_and_tiny_data_stop_with_one_line(regions: Path) -> None:
    for k in ("1", "11"):
        done = invoke("suggest", "--deals", "deals.csv", "--segments", k)
        assert done.exit_code == 2
        assert done.stderr.startswith(f"Error: --segments must be between 2 and 10, not {k}")
    one = invoke("suggest", "--deals", "deals.csv", "--segments", "1")
    assert "one ICP is what icp suggest drafts without it" in one.stderr
    dated = invoke("suggest", "--deals", "deals.csv", "--segments", "2",
                   "--holdout-since", "2026-01-01")  # fmt: skip
    assert dated.exit_code == 2 and "leave out --holdout-since" in dated.stderr
    write_project(regions, regional_export(rows=60), name="tiny.csv")
    tiny = run_icp(regions, "suggest", "--deals", "tiny.csv", "--segments", "2")
    assert tiny.returncode == 2
    assert (
        tiny.stderr.startswith("Error: tiny.csv: ") and "wins cannot fill 2 segments" in tiny.stderr
    )
    assert tiny.stderr.count("\n") == 1
    assert not list((regions / "icps").iterdir())


def test_existing_drafts_need_force_and_nothing_is_half_written(regions: Path) -> None:
    (regions / EMEA).write_text("mine\n", encoding="utf-8")
    refused = run_icp(regions, "suggest", "--deals", "deals.csv", "--segments", "2")
    assert refused.returncode == 2
    assert refused.stderr == f"Error: {EMEA} already exists; pass --force to replace it\n"
    assert not (regions / AMERICAS).exists()  # neither draft when one cannot be written
    assert (regions / EMEA).read_text(encoding="utf-8") == "mine\n"
    (regions / EMEA).unlink()
    (regions / AMERICAS).mkdir()  # a folder where a draft goes: no rename can replace it
    blocked = run_icp(regions, "suggest", "--deals", "deals.csv", "--segments", "2", "--force")
    assert blocked.returncode == 2 and AMERICAS in blocked.stderr
    assert not (regions / EMEA).exists()
    (regions / AMERICAS).rmdir()
    (regions / EMEA).write_text("mine\n", encoding="utf-8")
    forced = run_icp(regions, "suggest", "--deals", "deals.csv", "--segments", "2", "--force")
    assert forced.returncode == 0, forced.stderr
    assert (regions / EMEA).read_text(encoding="utf-8").startswith("# yaml-language-server")


def test_a_failed_write_leaves_none_of_the_files(tmp_path: Path) -> None:
    (tmp_path / "not-a-folder").write_text("", encoding="utf-8")
    first, second = tmp_path / "a.yaml", tmp_path / "not-a-folder" / "b.yaml"
    with pytest.raises(OSError):
        atomic_write_all({first: "a\n", second: "b\n"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-folder"]
    atomic_write_all({first: "a\n", tmp_path / "c.yaml": "c\n"})
    assert first.read_text(encoding="utf-8") == "a\n"
    assert not [p for p in tmp_path.iterdir() if TEMP_MARK in p.name]


def test_the_guide_quotes_the_example_repository_as_it_runs(example_repo: Path) -> None:
    deals = "fixtures/deals/midmarket-saas-revops.csv"
    done = run_icp(example_repo, "suggest", "--deals", deals, "--segments", "3")
    assert done.returncode == 0, done.stderr
    page = (ROOT / "docs" / "guide" / "validation.md").read_text(encoding="utf-8")
    quoted = next(line for line in page.splitlines() if line.startswith("One ICP fits: "))
    assert quoted in done.stdout.splitlines()
    assert "The one draft is written as without --segments." in done.stdout
