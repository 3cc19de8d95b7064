"""Drift by quarter and month, against figures counted by hand from the deals file.

The deals come in profiles whose scores are known by construction (the tests' base ICP:
employees 25, revenue 15, industry 15, country 5, tech_stack 10, two triggers of 15), so
every expected AUC is counted pair by pair from the CSV's own rows, without the scorer's
metrics.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from icpkit.checks.config import load_config
from icpkit.scorer.deals import DealFiles
from icpkit.scorer.run import backtest_deals
from tests.conftest import ROOT, invoke, merge, run_icp
from tests.goldenfile import Golden
from tests.scorer.conftest import IcpFn

POOR = {"employees": "5000", "revenue_usd": "1", "industry": "retail", "country": "DE",
        "tech_stack": "pipedrive", "triggers": ""}  # fmt: skip
FIT = {"employees": "500", "revenue_usd": "50000000", "industry": "saas", "country": "US",
       "tech_stack": "salesforce", "triggers": "new-sales-leader;series-b-plus"}  # fmt: skip
# Each profile: its cells, the band and the score they earn on the base ICP.
PROFILES = {
    "A": (FIT, "strong", 100.0),
    "B": ({**FIT, "triggers": ""}, "good", 70.0),  # 25 + 15 + 15 + 5 + 10
    # Partial employees (0.4 x 25) and hubspot (0.5 x 10) + revenue, industry, country: 50.
    "C": ({**FIT, "employees": "100", "tech_stack": "hubspot", "triggers": ""}, "weak", 50.0),
    "D": (POOR, "poor", 0.0),
    "E": ({**FIT, "employees": "30"}, "disqualified", 0.0),  # anti-ICP too-small
    # Employees, revenue and industry unknown: 55 of 100 points, over max_unknown_share.
    "F": ({**FIT, "employees": "", "revenue_usd": "", "industry": ""}, "unknown", None),
}
GOOD_OR_BETTER = {"strong", "good"}
# (quarter's first month, {profile: (wins, losses)}): a sharp quarter, a blurred one, one
# with too few wins, an empty one, and a running one with too few deals.
PLAN: list[tuple[dt.date, dict[str, tuple[int, int]]]] = [
    (
        dt.date(2025, 7, 1),
        {"A": (6, 1), "B": (5, 3), "C": (2, 4), "D": (1, 6), "E": (0, 3), "F": (1, 1)},
    ),
    (dt.date(2025, 10, 1), {"A": (3, 3), "B": (3, 3), "C": (3, 2), "D": (2, 5), "E": (1, 2)}),
    (dt.date(2026, 1, 1), {"A": (2, 2), "B": (1, 4), "D": (0, 8), "E": (0, 5)}),
    (dt.date(2026, 7, 1), {"A": (2, 0), "D": (0, 3)}),
]


def plan_rows(plan: list[tuple[dt.date, dict[str, tuple[int, int]]]]) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for first, profiles in plan:
        i = 0
        for name, (wins, losses) in profiles.items():
            for outcome in ["won"] * wins + ["lost"] * losses:
                # Spread over the quarter's months, but the running quarter ends in August.
                month = first.month + i % (2 if first.year == 2026 and first.month == 7 else 3)
                day = dt.date(first.year, month, 1 + (7 * i) % 28).isoformat()
                rows.append({**PROFILES[name][0], "profile": name, "outcome": outcome,
                             "closed_on": day})  # fmt: skip
                i += 1
    # A closed deal without a date, and an open one whose close date is a forecast.
    rows.append({**FIT, "profile": "A", "outcome": "won", "closed_on": ""})
    rows.append({**FIT, "profile": "A", "outcome": "open", "closed_on": "2027-01-15"})
    for number, row in enumerate(rows):
        row["deal_id"] = f"D{number:03d}"
    return rows


def write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def quarter_of(day: str) -> str:
    year, month = int(day[:4]), int(day[5:7])
    return f"{year}-Q{(month - 1) // 3 + 1}"


def quarter_end(label: str) -> dt.date:
    year, quarter = int(label[:4]), int(label[-1])
    after = dt.date(year + quarter // 4, quarter % 4 * 3 + 1, 1)
    return after - dt.timedelta(days=1)


def pairwise_auc(pairs: Iterable[tuple[float, bool]]) -> float:
    """Every win against every loss: 1 when the win scores higher, a half for a tie."""
    pairs = list(pairs)
    wins = [s for s, won in pairs if won]
    losses = [s for s, won in pairs if not won]
    hits = sum(1.0 if w > loss else 0.5 if w == loss else 0.0 for w in wins for loss in losses)
    return hits / (len(wins) * len(losses))


@dataclass
class Hand:
    """One period's figures, counted from the CSV rows."""

    deals: int = 0
    wins: int = 0
    known: int = 0  # with a band (profile F has none)
    known_wins: int = 0
    auc: float | None = None
    capture: float | None = None
    bands: dict[str, tuple[int, int]] = field(default_factory=dict)  # band: (deals, wins)

    @property
    def measured(self) -> bool:
        return self.known >= 20 and min(self.known_wins, self.known - self.known_wins) >= 5


def by_hand(rows: list[dict[str, str]], period: str) -> dict[str, Hand]:
    """Per period of the closed, dated rows: counts, the AUC, capture, band win rates."""
    groups: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        if row["outcome"] in ("won", "lost") and row["closed_on"]:
            key = quarter_of(row["closed_on"]) if period == "quarter" else row["closed_on"][:7]
            groups.setdefault(key, []).append(row)
    out = {}
    for key, members in groups.items():
        known = [r for r in members if PROFILES[r["profile"]][2] is not None]
        pairs = [(PROFILES[r["profile"]][2] or 0.0, r["outcome"] == "won") for r in known]
        wins = [r for r in known if r["outcome"] == "won"]
        hand = Hand(
            deals=len(members),
            wins=sum(r["outcome"] == "won" for r in members),
            known=len(known),
            known_wins=len(wins),
        )
        if 0 < len(wins) < len(known):
            hand.auc = pairwise_auc(pairs)
            good = sum(PROFILES[r["profile"]][1] in GOOD_OR_BETTER for r in wins)
            hand.capture = good / len(wins)
        for band in ("strong", "good", "possible", "weak", "poor", "disqualified"):
            inside = [r for r in known if PROFILES[r["profile"]][1] == band]
            hand.bands[band] = (len(inside), sum(r["outcome"] == "won" for r in inside))
        out[key] = hand
    return out


@pytest.fixture
def deals_csv(tmp_path: Path) -> Path:
    return write(tmp_path / "deals.csv", plan_rows(PLAN))


def test_quarters_equal_the_figures_counted_by_hand(make_icp: IcpFn, deals_csv: Path) -> None:
    icp = make_icp()
    result = backtest_deals(
        icp, DealFiles(deals_csv), config=load_config(deals_csv.parent), by="quarter"
    )
    rows = read(deals_csv)
    # The scores are the ones the profiles were built to earn.
    frame = result.scores
    assert frame is not None
    for row, band in zip(rows, frame["band"], strict=True):
        assert band == PROFILES[row["profile"]][1], row
    drift = result.drift
    assert drift is not None and drift.by == "quarter"
    expected = by_hand(rows, "quarter")
    last = max(r["closed_on"] for r in rows if r["outcome"] != "open" and r["closed_on"])
    assert drift.last_closed == last == "2026-08-22"  # the open deal's 2027 date is a forecast
    assert drift.undated == 1
    # Every quarter from the first to the last, the empty one included.
    assert [p.label for p in drift.periods] == [
        "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3",
    ]  # fmt: skip
    for period in drift.periods:
        hand = expected.get(period.label, Hand())
        assert period.full == (quarter_end(period.label) < dt.date.fromisoformat(last))
        assert (period.deals, period.wins) == (hand.deals, hand.wins), period.label
        assert period.unknown == period.deals - hand.known
        assert (period.too_small is None) == hand.measured, period.label
        if not hand.measured:
            assert (period.auc, period.auc_interval, period.capture, period.win_rate) == (
                None, None, None, None,
            )  # fmt: skip
            assert all(b.win_rate is None for b in period.bands)
            continue
        assert period.auc == pytest.approx(hand.auc)
        assert period.capture == pytest.approx(hand.capture)
        assert period.win_rate == pytest.approx(hand.wins / hand.deals)
        assert period.auc is not None and period.auc_interval is not None
        low, high = period.auc_interval
        assert low <= period.auc <= high
        for band in period.bands:
            deals, wins = hand.bands[band.band]
            assert (band.deals, band.wins) == (deals, wins), (period.label, band.band)
            assert band.win_rate == (pytest.approx(wins / deals) if deals >= 5 else None)
    assert [p.label for p in drift.periods if p.too_small is None] == ["2025-Q3", "2025-Q4"]
    by_label = {p.label: p for p in drift.periods}
    assert by_label["2026-Q1"].too_small == "3 wins and 19 losses, fewer than 5 of each"
    assert by_label["2026-Q2"].too_small == "no closed deals"
    assert by_label["2026-Q3"].too_small == "5 closed deals, fewer than 20"
    assert [p.label for p in drift.periods if not p.full] == ["2026-Q3"]


def test_months_equal_the_figures_counted_by_hand(make_icp: IcpFn, deals_csv: Path) -> None:
    icp = make_icp()
    result = backtest_deals(
        icp, DealFiles(deals_csv), config=load_config(deals_csv.parent), by="month"
    )
    assert result.drift is not None
    expected = by_hand(read(deals_csv), "month")
    labels = [p.label for p in result.drift.periods]
    assert labels[0] == "2025-07" and labels[-1] == "2026-08" and len(labels) == 14
    for period in result.drift.periods:
        hand = expected.get(period.label, Hand())
        assert (period.deals, period.wins) == (hand.deals, hand.wins), period.label
        assert period.too_small is not None  # no month holds 20 deals
    assert [p.label for p in result.drift.periods if not p.full] == ["2026-08"]


def test_no_by_no_drift_and_the_figures_stay_the_same(make_icp: IcpFn, deals_csv: Path) -> None:
    icp = make_icp()
    config = load_config(deals_csv.parent)
    plain = backtest_deals(icp, DealFiles(deals_csv), config=config)
    split = backtest_deals(icp, DealFiles(deals_csv), config=config, by="quarter")
    assert plain.drift is None
    assert (plain.auc, plain.bands, plain.gates) == (split.auc, split.bands, split.gates)


def _project(tmp_path: Path, base_text: str, rows: list[dict[str, str]], gates: str) -> Path:
    write(tmp_path / "deals.csv", rows)
    # Only the drift gates under test can fail: the others are set where these deals pass.
    validation = (
        "validation:\n  deals: deals.csv\n  min_auc: 0.5\n  min_wins_good_or_better: 0\n"
        f"  min_losses_below_possible: 0\n  monotonic_win_rate: false\n{gates}"
    )
    (tmp_path / "icps").mkdir()
    (tmp_path / "icps" / "base.yaml").write_text(merge(base_text, validation), encoding="utf-8")
    return tmp_path


# Two full quarters, the second ranking worse, and a third still running.
GATED = [*PLAN[:2], (dt.date(2026, 1, 1), {"A": (1, 0)})]


def _gate_aucs() -> tuple[float, float]:
    hand = by_hand(plan_rows(GATED), "quarter")
    before, latest = hand["2025-Q3"].auc, hand["2025-Q4"].auc
    assert before is not None and latest is not None
    return before, latest


def test_the_drift_gates_pass_and_fail_through_the_cli(tmp_path: Path, base_text: str) -> None:
    before, latest = _gate_aucs()
    assert before - latest > 0.1  # the plan's second quarter ranks worse by construction
    floor = round(latest - 0.05, 2)
    folder = _project(
        tmp_path,
        base_text,
        plan_rows(GATED),
        f"  drift: {{min_latest_auc: {floor}, max_auc_drop: 0.5}}\n",
    )
    done = run_icp(folder, "backtest", "icps/base.yaml", "--format", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    gates = {g["name"]: g for g in json.loads(done.stdout)["results"][0]["gates"]}
    assert gates["drift.min_latest_auc"]["figure"] == pytest.approx(latest, abs=1e-4)
    assert gates["drift.max_auc_drop"]["figure"] == pytest.approx(before - latest, abs=1e-4)
    assert gates["drift.min_latest_auc"]["passed"] and gates["drift.max_auc_drop"]["passed"]
    assert "drift" not in json.loads(done.stdout)["results"][0]  # only with --by

    icp = folder / "icps" / "base.yaml"
    icp.write_text(icp.read_text().replace("max_auc_drop: 0.5", "max_auc_drop: 0.1"))
    done = run_icp(folder, "backtest", "icps/base.yaml")
    assert done.returncode == 1, done.stdout + done.stderr
    assert (
        f"FAIL  drift.max_auc_drop: AUC fall from 2025-Q3 ({before:.4f}) to 2025-Q4 "
        f"(the latest full quarter, {latest:.4f}) {before - latest:+.4f} > 0.1000"
    ) in done.stdout
    assert (
        f"pass  drift.min_latest_auc: AUC of 2025-Q4 (the latest full quarter) {latest:.4f} "
        f">= {floor:.4f}"
    ) in done.stdout
    assert "FAILED 1 of 6 gates" in done.stdout

    icp.write_text(icp.read_text().replace(f"min_latest_auc: {floor}", "min_latest_auc: 0.99"))
    done = run_icp(folder, "backtest", "icps/base.yaml")
    assert done.returncode == 1
    assert (
        f"FAIL  drift.min_latest_auc: AUC of 2025-Q4 (the latest full quarter) {latest:.4f} "
        "< 0.9900"
    ) in done.stdout


def test_a_gate_that_cannot_be_measured_fails(tmp_path: Path, base_text: str) -> None:
    # The full PLAN: its latest full quarter (2026-Q2) is empty, and the one before it
    # (2026-Q1) has too few wins to measure.
    folder = _project(
        tmp_path, base_text, plan_rows(PLAN), "  drift: {min_latest_auc: 0.5, max_auc_drop: 1}\n"
    )
    done = run_icp(folder, "backtest", "icps/base.yaml")
    assert done.returncode == 1, done.stdout + done.stderr
    assert (
        "FAIL  drift.min_latest_auc: AUC of 2026-Q2 (the latest full quarter) cannot be "
        "measured: no closed deals (needs >= 0.5000)"
    ) in done.stdout
    assert (
        "FAIL  drift.max_auc_drop: AUC of 2026-Q1 cannot be measured: 3 wins and 19 losses, "
        "fewer than 5 of each (tolerance 1.0000)"
    ) in done.stdout


def test_a_gate_without_a_full_quarter_fails(tmp_path: Path, base_text: str) -> None:
    rows = plan_rows([(dt.date(2026, 7, 1), {"A": (12, 0), "D": (0, 12)})])
    folder = _project(tmp_path, base_text, rows, "  drift: {min_latest_auc: 0.5}\n")
    done = run_icp(folder, "backtest", "icps/base.yaml")
    assert done.returncode == 1, done.stdout + done.stderr
    assert (
        "FAIL  drift.min_latest_auc: no quarter ended before the last deal closed (2026-08-22)"
    ) in done.stdout


def test_by_without_dates_is_an_input_error(tmp_path: Path, base_text: str) -> None:
    rows = [{k: v for k, v in row.items() if k != "closed_on"} for row in plan_rows(PLAN)]
    folder = _project(tmp_path, base_text, rows, "")
    done = run_icp(folder, "backtest", "icps/base.yaml", "--by", "quarter")
    assert done.returncode == 2
    assert done.stderr == "Error: deals.csv: --by quarter needs a closed_on column in the deals\n"
    (folder / "icps" / "base.yaml").write_text(
        (folder / "icps" / "base.yaml").read_text() + "  drift: {max_auc_drop: 0.1}\n"
    )
    done = run_icp(folder, "backtest", "icps/base.yaml")
    assert done.returncode == 1
    assert "FAIL  drift.max_auc_drop: the deals have no closed_on column" in done.stdout


def test_by_month_in_every_format(tmp_path: Path, base_text: str) -> None:
    folder = _project(tmp_path, base_text, plan_rows(PLAN), "")
    text = run_icp(folder, "backtest", "icps/base.yaml", "--by", "month")
    assert text.returncode == 0, text.stdout + text.stderr
    assert "drift by month of closed_on (the last deal closed 2026-08-22)" in text.stdout
    assert "1 closed deal has no closed_on date: counted in the totals, in no month" in text.stdout
    assert "  2026-08" in text.stdout and "not full; too small to measure" in text.stdout
    data = json.loads(run_icp(folder, "backtest", "icps/base.yaml", "--by", "month",
                              "--format", "json").stdout)  # fmt: skip
    drift = data["results"][0]["drift"]
    assert (drift["by"], drift["undated"], drift["latest_full"]) == ("month", 1, "2026-07")
    assert len(drift["periods"]) == 14 and drift["periods"][-1]["full"] is False
    markdown = run_icp(folder, "backtest", "icps/base.yaml", "--by", "month", "--format",
                       "markdown").stdout  # fmt: skip
    assert "**Drift by month of closed\\_on (the last deal closed 2026-08-22)**" in markdown
    assert "| Month | Deals | Wins | Win rate | AUC (95% CI) | Capture |" in markdown


@pytest.mark.parametrize(("fmt", "suffix"), [("text", "txt"), ("json", "json"), ("markdown", "md")])
def test_by_quarter_on_the_example_matches_golden(
    example_repo: Path, golden: Golden, fmt: str, suffix: str
) -> None:
    icp = example_repo / "icps" / "midmarket-saas-revops.yaml"
    icp.write_text(icp.read_text() + "  drift: {min_latest_auc: 0.65, max_auc_drop: 0.1}\n")
    result = invoke("backtest", str(icp.relative_to(example_repo)), "--by", "quarter",
                    "--format", fmt)  # fmt: skip
    assert result.exit_code == 0, result.output
    golden.check(f"backtest.by-quarter.{suffix}", result.output)


def test_the_guide_quotes_the_example_as_it_prints() -> None:
    # docs/guide/validation.md shows the example's drift table and gates; the golden file
    # above is that run, so a change of figure or wording fails here until the page follows.
    page = (ROOT / "docs" / "guide" / "validation.md").read_text(encoding="utf-8")
    printed = (ROOT / "tests" / "golden" / "backtest.by-quarter.txt").read_text(encoding="utf-8")
    quoted = [line for line in page.splitlines() if line.startswith("    pass  drift.")]
    quoted += [line for line in page.splitlines() if line.startswith("  2026-Q")]
    assert len(quoted) == 5
    for line in quoted:
        assert line.split("  ...")[0] in printed, line
