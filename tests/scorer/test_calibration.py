"""Calibration: each band's historical win rate and Wilson interval, the ordering warning,
and `icp score --expected` in both engines, against figures computed here from the counts
the deals were built with."""

from __future__ import annotations

import csv
import html
import io
import json
import math
import re
from pathlib import Path

import markdown
import pandas as pd
import pytest

from icpkit.scorer.calibration import BandCalibration, calibrate, ordering_warnings, wilson
from tests.conftest import merge, run_icp

Z = 1.959963984540054  # the standard normal's 97.5% quantile: a 95% interval

# Deal profiles whose band the base ICP's weights fix (tests/data/base.yaml: employees 25
# with 0.4 credit at 80-199, revenue 15, industry 15, country 5, tech_stack 10 with 0.5 for
# hubspot, two triggers of 15; bands strong 85, good 70, possible 55, weak 40).
FIT = {"employees": "500", "revenue_usd": "50000000", "industry": "saas", "country": "US"}
PROFILES = {
    "strong": {**FIT, "tech_stack": "salesforce", "triggers": "new-sales-leader; series-b-plus"},
    "good": {**FIT, "tech_stack": "salesforce", "triggers": ""},  # 70
    "possible": {**FIT, "tech_stack": "hubspot", "triggers": ""},  # 65
    # 10 (partial employees) + 15 + 15 = 40
    "weak": {**FIT, "employees": "100", "country": "DE", "tech_stack": "pipedrive", "triggers": ""},
    # 25 (employees)
    "poor": {**FIT, "revenue_usd": "1000000", "industry": "retail", "country": "DE",
             "tech_stack": "pipedrive", "triggers": ""},
    "disqualified": {**FIT, "employees": "30", "tech_stack": "salesforce", "triggers": ""},
}  # fmt: skip
# (closed deals, wins) per band: rates that fall band by band.
ORDERED = {"strong": (10, 8), "good": (12, 6), "possible": (8, 3), "weak": (6, 1),
           "poor": (9, 1), "disqualified": (5, 0)}  # fmt: skip


def closed_form(wins: int, deals: int) -> tuple[float, float]:
    """The Wilson score interval, written out."""
    p = wins / deals
    centre = (p + Z * Z / (2 * deals)) / (1 + Z * Z / deals)
    half = Z / (1 + Z * Z / deals) * math.sqrt(p * (1 - p) / deals + Z * Z / (4 * deals**2))
    return centre - half, centre + half


def phrase(wins: int, deals: int) -> str:
    low, high = closed_form(wins, deals)
    share, low_share, high_share = (round(100 * v) for v in (wins / deals, low, high))
    return f"{share}% of such deals won ({low_share}-{high_share}%), {deals} deals"


def write_deals(path: Path, counts: dict[str, tuple[int, int]], open_deals: int = 3) -> None:
    rows = []
    for band, (deals, wins) in counts.items():
        for i in range(deals):
            outcome = "won" if i < wins else "lost"
            rows.append({"deal_id": f"{band}-{i}", "outcome": outcome, **PROFILES[band]})
    for i in range(open_deals):
        rows.append({"deal_id": f"open-{i}", "outcome": "open", **PROFILES["strong"]})
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def calibrated(project: Path, base_text: str) -> Path:
    """A project with one ICP whose validation.deals holds the ORDERED counts."""
    (project / "icps").mkdir()
    (project / "icps" / "base.yaml").write_text(
        merge(base_text, "validation:\n  deals: deals.csv\n")
    )
    (project / "pyproject.toml").write_text('[tool.icp]\npaths = ["icps"]\n')
    write_deals(project / "deals.csv", ORDERED)
    return project


@pytest.mark.parametrize(("wins", "deals"), [(0, 7), (7, 7), (1, 3), (61, 100), (84, 93)])
def test_wilson_equals_the_closed_formula(wins: int, deals: int) -> None:
    found = wilson(wins, deals)
    assert found == pytest.approx(closed_form(wins, deals), abs=1e-12)
    assert wilson(0, 0) is None


def test_bands_read_as_their_history() -> None:
    rows = calibrate([("strong", 93, 57), ("good", 0, 0)])
    low, high = closed_form(57, 93)
    strong = rows[0]
    assert strong == BandCalibration("strong", 93, 57, 57 / 93, strong.low, strong.high)
    assert (strong.low, strong.high) == pytest.approx((low, high))
    assert rows[0].describe() == phrase(57, 93) == "61% of such deals won (51-71%), 93 deals"
    assert rows[1].describe() == "no closed deals: no history to go by"
    # Thousands of deals: an interval narrower than a point gets a decimal.
    low, high = closed_form(9952, 61482)
    narrow = calibrate([("poor", 61482, 9952)])[0].describe()
    assert narrow == f"16% of such deals won ({100 * low:.1f}-{100 * high:.1f}%), 61,482 deals"


def test_out_of_order_bands_are_warned_about_with_their_numbers() -> None:
    rows = calibrate([("strong", 20, 2), ("good", 40, 30), ("possible", 4, 4), ("weak", 20, 2)])
    warnings = ordering_warnings(rows)
    # possible (4 deals) is too thin to compare, so good is compared with weak: in order.
    assert warnings == [
        f"calibration: band good won more often than band strong: good {phrase(30, 40)}; "
        f"strong {phrase(2, 20)}; the intervals do not overlap"
    ]
    assert ordering_warnings(calibrate([("strong", 10, 5), ("good", 10, 6)]))[0].endswith(
        "the intervals overlap, so this may be noise"
    )
    assert ordering_warnings(calibrate([("strong", 10, 6), ("good", 10, 6)])) == []


def test_backtest_reports_each_band_in_every_format(calibrated: Path) -> None:
    done = run_icp(calibrated, "backtest", "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    result = json.loads(done.stdout)["results"][0]
    by_band = {row["band"]: row for row in result["calibration"]}
    for band, (deals, wins) in ORDERED.items():
        low, high = closed_form(wins, deals)
        row = by_band[band]
        assert (row["deals"], row["wins"]) == (deals, wins)
        assert row["win_rate"] == pytest.approx(wins / deals, abs=1e-4)
        assert (row["low"], row["high"]) == pytest.approx((low, high), abs=1e-4)
    assert by_band["unknown"]["deals"] == 0 and by_band["unknown"]["low"] is None
    assert not any(w.startswith("calibration:") for w in result["warnings"])
    text = run_icp(calibrated, "backtest").stdout
    markdown = run_icp(calibrated, "backtest", "--format", "markdown").stdout
    for band, (deals, wins) in ORDERED.items():
        assert f"    {band}: {phrase(wins, deals)}\n" in text
        assert f"- {band}: {phrase(wins, deals)}\n" in markdown
    assert "unknown:" not in text  # an outcome band that held no deals is left out


def test_backtest_warns_when_a_lower_band_wins_more(calibrated: Path) -> None:
    write_deals(calibrated / "deals.csv", {**ORDERED, "strong": (10, 1), "good": (12, 10)})
    done = run_icp(calibrated, "backtest", "--format", "json")
    warnings = json.loads(done.stdout)["results"][0]["warnings"]
    assert (
        f"calibration: band good won more often than band strong: good {phrase(10, 12)}; "
        f"strong {phrase(1, 10)}; the intervals do not overlap"
    ) in warnings


def _accounts(path: Path) -> None:
    """One account per profile, and a weak one twice, with an input column carried."""
    rows = [{"account": band, **profile} for band, profile in PROFILES.items()]
    rows.append({"account": "weak-2", **PROFILES["weak"]})
    pd.DataFrame(rows).to_csv(path, index=False)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_expected_win_rate_is_the_bands_history_in_both_engines(
    calibrated: Path, suffix: str
) -> None:
    write_deals(calibrated / "deals.csv", {**ORDERED, "poor": (0, 0)})  # poor: no history
    _accounts(calibrated / "accounts.csv")
    frames = []
    for engine in ("pandas", "duckdb"):
        out = f"scored-{engine}{suffix}"
        done = run_icp(
            calibrated, "score", "icps/base.yaml", "accounts.csv", "--expected",
            "--engine", engine, "--keep", "account", "-o", out,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "base: expected_win_rate of band poor rests on 0 closed deals" in done.stderr
        path = calibrated / out
        frames.append(pd.read_csv(path) if suffix == ".csv" else pd.read_parquet(path))
    pandas_frame, duckdb_frame = frames
    if suffix == ".csv":
        assert (calibrated / "scored-pandas.csv").read_bytes() == (
            calibrated / "scored-duckdb.csv"
        ).read_bytes()
    pd.testing.assert_frame_equal(pandas_frame, duckdb_frame, check_dtype=False)
    assert list(pandas_frame.columns)[-1] == "expected_win_rate"
    got = dict(zip(pandas_frame["account"], pandas_frame["expected_win_rate"], strict=True))
    for band, (deals, wins) in ORDERED.items():
        if band != "poor":
            assert got[band] == round(wins / deals, 4), band
    assert got["weak-2"] == got["weak"]
    assert math.isnan(got["poor"])  # a band without closed deals has no rate, not zero


def test_expected_win_rate_with_several_icps_in_both_engines(
    calibrated: Path, base_text: str
) -> None:
    other = merge(base_text, "validation:\n  deals: other.csv\n").replace("id: base", "id: other")
    (calibrated / "icps" / "other.yaml").write_text(other)
    write_deals(calibrated / "other.csv", dict.fromkeys(ORDERED, (10, 5)))
    _accounts(calibrated / "accounts.csv")
    outputs = []
    for engine in ("pandas", "duckdb"):
        done = run_icp(
            calibrated, "score", "icps", "accounts.csv", "--expected", "--engine", engine,
            "--keep", "account",
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    frame = pd.read_csv(calibrated / "accounts.csv").assign(
        **pd.read_csv(io.StringIO(outputs[0]))[
            ["icp_id", "expected_win_rate", "base.expected_win_rate", "other.expected_win_rate"]
        ]
    )
    assert set(frame["other.expected_win_rate"]) == {0.5}
    picked = frame.apply(lambda r: r[f"{r['icp_id']}.expected_win_rate"], axis=1)
    assert (picked == frame["expected_win_rate"]).all()


def test_expected_needs_deals_and_compile_refuses(calibrated: Path, base_text: str) -> None:
    (calibrated / "icps" / "base.yaml").write_text(base_text)
    _accounts(calibrated / "accounts.csv")
    done = run_icp(calibrated, "score", "icps/base.yaml", "accounts.csv", "--expected")
    assert done.returncode == 2
    assert done.stderr.startswith("Error: icps/base.yaml: --expected reads each band's win rate")
    assert "Traceback" not in done.stderr
    done = run_icp(calibrated, "compile", "icps/base.yaml", "--expected")
    assert done.returncode == 2 and done.stdout == ""
    assert "icp compile does not write expected_win_rate" in done.stderr
    assert "icp score --expected" in done.stderr


def test_site_pages_show_what_each_band_means(calibrated: Path) -> None:
    from icpkit.checks.config import load_config
    from icpkit.site.pages import backtest, profile
    from icpkit.site.project import collect

    (entry,) = collect(load_config(calibrated), history=False).icps
    pages = {"backtest": backtest.render(entry), "profile": profile.render(entry, "x.md", None)}
    shown = {
        name: html.unescape(markdown.markdown(page, extensions=["tables"]))
        for name, page in pages.items()
    }
    for page in shown.values():
        for band, (deals, wins) in ORDERED.items():
            assert re.search(
                rf"<td[^>]*>{band}</td>(\s*<td[^>]*>[^<]*</td>)*?"
                rf"\s*<td[^>]*>{re.escape(phrase(wins, deals))}</td>",
                page,
            )
    assert "<h2>What each band means</h2>" in shown["backtest"]
    assert ">Historically</th>" in shown["profile"]


def test_an_input_column_named_expected_win_rate_is_carried_as_input(calibrated: Path) -> None:
    pd.DataFrame([{"account": "good", **PROFILES["good"], "Expected_Win_Rate": 0.3}]).to_csv(
        calibrated / "accounts.csv", index=False
    )
    outputs = []
    for engine in ("pandas", "duckdb"):
        done = run_icp(
            calibrated, "score", "icps/base.yaml", "accounts.csv", "--expected", "--engine", engine
        )
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    frame = pd.read_csv(io.StringIO(outputs[0]))
    assert frame.loc[0, "input_Expected_Win_Rate"] == 0.3
    assert frame.loc[0, "expected_win_rate"] == round(6 / 12, 4)
