"""Overrides on the example repository, through the installed `icp` command: scoring applies
them in both engines (the model's band kept beside the forced one), an expired one is
warned about and left out, a broken file stops with its place, `icp compile` says the SQL
does not apply them, `icp check` flags them, and the backtest measures them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.conftest import ROOT, TODAY, run_icp

ICP = "icps/midmarket-saas-revops.yaml"
OVERRIDES = "icps/midmarket-saas-revops.overrides.yaml"
DEALS = "fixtures/deals/midmarket-saas-revops.csv"
# The tests pin today (tests.conftest.TODAY): one entry is valid long after it, one expired.
assert TODAY < "2027-06-30" and TODAY > "2026-01-31"


def entry(account: str, decision: str, expires: str = "2027-06-30") -> str:
    return (
        f"  - account: {account}\n    {decision}\n    reason: Strategic logo for {account}\n"
        f"    owner: jane.doe@northwind.example\n    expires: {expires}\n"
    )


def write_overrides(folder: Path, *entries: str) -> None:
    head = "format: icp-overrides/1\nicp: midmarket-saas-revops\noverrides:\n"
    (folder / OVERRIDES).write_text(head + "".join(entries), encoding="utf-8")


@pytest.fixture
def overridden(example_repo: Path) -> Path:
    # Aritekari io is a consulting firm (disqualified); Thalum io's override has expired.
    write_overrides(
        example_repo,
        entry("Aritekari io", "band: strong"),
        entry("Thalum io", "target: include", expires="2026-01-31"),
        entry("Dracor AI", "target: exclude"),
    )
    return example_repo


@pytest.mark.slow
@pytest.mark.parametrize(
    ("engine", "out"), [("pandas", "s.csv"), ("duckdb", "s.csv"), ("duckdb", "s.parquet")]
)
def test_score_forces_the_band_and_keeps_the_model_beside_it(
    overridden: Path, engine: str, out: str
) -> None:
    done = run_icp(overridden, "score", ICP, DEALS, "--engine", engine, "-o", out)
    assert done.returncode == 0, done.stderr
    frame = (
        pd.read_csv(overridden / out) if out.endswith(".csv") else pd.read_parquet(overridden / out)
    )
    rows = frame.set_index("account")
    forced = rows.loc["Aritekari io"]
    assert (forced["band"], forced["status"]) == ("strong", "overridden")
    assert (forced["model_band"], forced["model_status"]) == ("disqualified", "disqualified")
    assert forced["override_reason"] == "Strategic logo for Aritekari io"
    assert forced["override_owner"] == "jane.doe@northwind.example"
    assert str(forced["override_expires"]) == "2027-06-30"
    # The score and the disqualifier stay the model's: they describe the account.
    assert forced["score"] == 0 and forced["disqualifier"] == "services-business"
    # Routing follows the band sales sees, not the model's.
    assert (forced["route"], forced["sla_hours"]) == ("senior-ae", 24)
    assert pd.notna(forced["abm_rank"]) and forced["abm_tier"] != ""
    excluded = rows.loc["Dracor AI"]
    assert (excluded["band"], excluded["model_band"]) == ("disqualified", "strong")
    assert excluded["route"] == "closed-unqualified" and pd.isna(excluded["abm_rank"])
    expired = rows.loc["Thalum io"]
    assert expired["status"] != "overridden" and expired["band"] == expired["model_band"]
    assert "1 override expired and was not applied: 'Thalum io'" in done.stderr
    others = frame[~frame["account"].isin(["Aritekari io", "Dracor AI"])]
    assert (others["band"] == others["model_band"]).all()
    assert (others["status"] != "overridden").all()
    assert others["override_reason"].fillna("").eq("").all()


@pytest.mark.slow
def test_both_engines_write_the_same_file(overridden: Path) -> None:
    assert run_icp(overridden, "score", ICP, DEALS, "-o", "pandas.csv").returncode == 0
    duck = run_icp(overridden, "score", ICP, DEALS, "--engine", "duckdb", "-o", "duck.csv")
    assert duck.returncode == 0, duck.stderr
    assert (overridden / "pandas.csv").read_bytes() == (overridden / "duck.csv").read_bytes()


def test_without_an_overrides_file_no_column_is_added(example_repo: Path) -> None:
    assert run_icp(example_repo, "score", ICP, DEALS, "-o", "s.csv").returncode == 0
    header = (example_repo / "s.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "model_band" not in header and "override_reason" not in header


def test_a_broken_overrides_file_stops_scoring_at_its_place(example_repo: Path) -> None:
    write_overrides(example_repo, entry("Aritekari io", "band: top"))
    done = run_icp(example_repo, "score", ICP, DEALS, "-o", "s.csv")
    assert done.returncode == 2
    assert done.stderr.startswith(f"Error: {OVERRIDES}:5:11: `band` must be one of"), done.stderr
    assert not (example_repo / "s.csv").exists()


def test_an_override_for_an_account_the_file_lacks_is_said(overridden: Path) -> None:
    write_overrides(overridden, entry("Nobody Ltd", "band: strong"))
    done = run_icp(overridden, "score", ICP, DEALS, "-o", "s.csv")
    assert done.returncode == 0, done.stderr
    assert f"{OVERRIDES}: 1 override names accounts not in {DEALS}, e.g. 'Nobody Ltd'" in (
        done.stderr
    )


def test_compile_says_the_sql_does_not_apply_them(overridden: Path) -> None:
    done = run_icp(overridden, "compile", ICP, "--keep", "account")
    assert done.returncode == 0, done.stderr
    assert "-- Not applied here: the overrides in midmarket-saas-revops.overrides.yaml" in (
        done.stdout
    )
    assert f"the overrides in {OVERRIDES} are not in the SQL" in done.stderr


def test_check_flags_the_expired_override_at_its_line(overridden: Path) -> None:
    done = run_icp(overridden, "check")
    assert done.returncode == 1, done.stdout
    assert f"{OVERRIDES}:13:14: warning [ICP052] override of 'Thalum io' expired" in done.stdout
    # The accounts are those of validation.deals: all three are there.
    assert "ICP053" not in done.stdout
    # The example names no accounts file: the capacity share is not measured, and said.
    assert f"{OVERRIDES}:3:1: warning [ICP054] cannot measure the overrides' share" in done.stdout


def _poor(folder: Path) -> pd.DataFrame:
    """The closed example deals the model rates poor, with their outcomes (scored for real)."""
    assert run_icp(folder, "score", ICP, DEALS, "-o", "model.csv").returncode == 0
    frame = pd.read_csv(folder / "model.csv")
    frame = frame[(frame["band"] == "poor") & (frame["outcome"] != "open")]
    return frame.assign(won=frame["outcome"].str.lower().str.contains("won"))


def _outcomes(folder: Path) -> dict[str, Any]:
    """The backtest's `overrides` object, as its JSON report has it (parsed JSON: Any)."""
    done = run_icp(folder, "backtest", ICP, "--format", "json", "--bootstrap", "0")
    assert done.returncode in (0, 1), done.stderr
    found: dict[str, Any] = json.loads(done.stdout)["results"][0]["overrides"]
    return found


@pytest.mark.slow
def test_backtest_says_when_the_exceptions_beat_the_model(example_repo: Path) -> None:
    poor = _poor(example_repo)
    winners = poor[poor["won"]]["account"].head(10).tolist()
    losers = poor[~poor["won"]]["account"].head(2).tolist()
    write_overrides(example_repo, *(entry(a, "band: strong") for a in winners + losers))
    found = _outcomes(example_repo)
    [group] = found["groups"]
    assert (group["direction"], group["deals"], group["wins"]) == ("lifted", 12, 10)
    expected = poor["won"].mean()  # the poor band's calibrated win rate
    assert group["expected_rate"] == pytest.approx(expected, abs=1e-4)
    assert group["verdict"] == "beat the model" and group["p_value"] < 0.001
    text = run_icp(example_repo, "backtest", ICP, "--bootstrap", "0").stdout
    # As the guide quotes it (docs/guide/activate.md).
    guide = (ROOT / "docs" / "guide" / "activate.md").read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if ln.strip().startswith("lifted:"))
    assert line.startswith("    lifted: 10 of 12 deals won (83%) over 12 accounts")
    assert line in guide
    markdown = run_icp(example_repo, "backtest", ICP, "--format", "markdown", "--bootstrap", "0")
    assert "**Overrides** (`icps/midmarket-saas-revops.overrides.yaml`)" in markdown.stdout


@pytest.mark.slow
def test_backtest_says_too_few_below_ten_deals_and_no_difference_at_the_model_rate(
    example_repo: Path,
) -> None:
    poor = _poor(example_repo)
    write_overrides(example_repo, *(entry(a, "band: strong") for a in poor["account"].head(3)))
    [group] = _outcomes(example_repo)["groups"]
    assert group["deals"] == 3 and group["verdict"] == "too few" and group["p_value"] is None
    # One win in ten, about the poor band's own rate: nothing to learn.
    ten = [*poor[poor["won"]]["account"].head(1), *poor[~poor["won"]]["account"].head(9)]
    write_overrides(example_repo, *(entry(a, "band: strong") for a in ten))
    [group] = _outcomes(example_repo)["groups"]
    assert (group["deals"], group["wins"], group["verdict"]) == (10, 1, "as the model")
