"""`icp diff`'s impact shows the customers' figures of both versions beside the won/lost
ones, each equal to a count of the plain customer lists (tests/scorer/customer_files.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from icpkit.diff.impact import impact
from icpkit.diff.retention import AUC_RETAINED, CHURN, LIFT, NRR
from icpkit.format.valid import load_icp
from icpkit.project.settings import read_config
from icpkit.scorer.deals import deal_files
from tests.conftest import run_icp
from tests.scorer.customer_files import CUSTOMERS, Customer, project

# The new version screens out Germany: the good profile (DE) and the poor one (DE) are
# disqualified, scoring 0; only the strong profile stays good or better.
SCREEN = """\
  - {id: no-germany, when: {country: {in: [DE]}}, reason: Not selling in Germany yet}
"""
SCORES = {
    "old": {"strong": 100.0, "good": 80.0, "poor": 0.0},
    "new": {"strong": 100.0, "good": 0.0, "poor": 0.0},
}
GOOD_OR_BETTER = {"old": {"strong", "good"}, "new": {"strong"}}


def _versions(folder: Path) -> tuple[Path, Path]:
    old = folder / "icps" / "base.yaml"
    text = old.read_text(encoding="utf-8")
    new = folder / "icps" / "new.yaml"
    new.write_text(text.replace("anti_icp:\n", "anti_icp:\n" + SCREEN, 1), encoding="utf-8")
    return old, new


def _nrr(mine: list[Customer]) -> float:
    pairs = [(c.starting, 0.0 if c.current is None else c.current) for c in mine
             if c.starting is not None and (c.current is not None or c.churned)]  # fmt: skip
    return sum(now for _, now in pairs) / sum(start for start, _ in pairs)


def _auc(scores: dict[str, float]) -> float:
    kept = [scores[c.band] for c in CUSTOMERS if not c.churned]
    gone = [scores[c.band] for c in CUSTOMERS if c.churned]
    pairs = [1.0 if k > g else 0.5 if k == g else 0.0 for k in kept for g in gone]
    return sum(pairs) / len(pairs)


def _expected(side: str) -> dict[str, float]:
    mine = [c for c in CUSTOMERS if c.band in GOOD_OR_BETTER[side]]
    churn = sum(c.churned for c in mine) / len(mine)
    base = 1 - sum(c.churned for c in CUSTOMERS) / len(CUSTOMERS)
    return {
        CHURN: churn,
        LIFT: (1 - churn) / base,
        NRR: _nrr(mine),
        AUC_RETAINED: _auc(SCORES[side]),
    }


def test_impact_holds_both_sides_customer_figures(tmp_path: Path) -> None:
    folder = project(tmp_path)
    old_path, new_path = _versions(folder)
    config = read_config(folder)
    old, new = load_icp(old_path), load_icp(new_path)
    files = deal_files(old, config)
    assert files is not None
    found = {m.name: m for m in impact(old, new, files, config=config).metrics}
    before, after = _expected("old"), _expected("new")
    for name in (CHURN, LIFT, NRR, AUC_RETAINED):
        measured = (found[name].old, found[name].new)
        assert measured == pytest.approx((before[name], after[name])), name
    # Screening out the good band's customers moves NRR and the AUC: the test can fail.
    assert before[NRR] != pytest.approx(after[NRR])
    assert before[AUC_RETAINED] != pytest.approx(after[AUC_RETAINED])
    assert found[CHURN].higher_is_better is False
    # The retention figures sit between the won/lost ones and the gate count.
    assert list(found).index(CHURN) > list(found).index("AUC")
    assert list(found)[-1] == "Gates passed"


def test_text_shows_them_side_by_side(tmp_path: Path) -> None:
    folder = project(tmp_path)
    _versions(folder)
    done = run_icp(folder, "diff", "icps/base.yaml", "icps/new.yaml")
    assert done.returncode == 0, done.stderr
    before, after = _expected("old"), _expected("new")
    line = next(x for x in done.stdout.splitlines() if x.strip().startswith(NRR))
    shown = re.split(r"\s{2,}", line.strip())
    assert shown[:3] == [NRR, f"{before[NRR]:.1%}", f"{after[NRR]:.1%}"]
    assert f"{AUC_RETAINED}" in done.stdout
    markdown = run_icp(folder, "diff", "icps/base.yaml", "icps/new.yaml", "--format", "markdown")
    lift = f"| {LIFT} | {before[LIFT]:.2f}x | {after[LIFT]:.2f}x |"
    assert lift in markdown.stdout


def test_without_customers_no_retention_row(tmp_path: Path) -> None:
    folder = project(tmp_path)
    _versions(folder)
    for name in ("base.yaml", "new.yaml"):
        path = folder / "icps" / name
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^  customers: .*\n", "", text, flags=re.M), encoding="utf-8")
    done = run_icp(folder, "diff", "icps/base.yaml", "icps/new.yaml")
    assert done.returncode == 0, done.stderr
    assert "Wins captured" in done.stdout and CHURN not in done.stdout
