"""`icp suggest --from customers` on the example repository, as a user runs it: the best
customers and the AUC recomputed here from the committed fixture with pandas and scipy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from tests.conftest import run_icp

pytestmark = pytest.mark.slow

CUSTOMERS = "fixtures/customers/midmarket-saas-revops.csv"
CHURNED = {"churned", "cancelled"}


def _money(column: pd.Series) -> pd.Series:
    return pd.to_numeric(column.str.replace(r"[$,]", "", regex=True), errors="coerce")


def _fixture() -> pd.DataFrame:
    return pd.read_csv(CUSTOMERS, dtype=str, keep_default_na=False, na_values=[""])


def _top_quartile(values: pd.Series) -> tuple[pd.Series, float]:
    """Best: at or above the 75th percentile of the customers with a value (ties all best)."""
    known = values.dropna()
    cut = float(known.quantile(0.75))
    return known >= cut, cut


def _suggest(folder: Path, *args: str) -> dict[str, Any]:
    done = run_icp(folder, "suggest", "--from", "customers", "--customers", CUSTOMERS,
                   "--format", "json", "-o", "report.json", *args)  # fmt: skip
    assert done.returncode == 0, done.stderr
    data: dict[str, Any] = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    return data


def test_ltv_draft_ranks_the_top_quartile_by_lifetime_revenue(example_repo: Path) -> None:
    data = _suggest(example_repo, "--target", "ltv", "--draft", "icps/ltv-draft.yaml")
    best, cut = _top_quartile(_money(_fixture()["Lifetime Revenue"]))
    evidence = data["evidence"]
    assert (evidence["wins"], evidence["losses"]) == (int(best.sum()), int((~best).sum()))
    assert data["target"] == "ltv" and data["from"] == "customers"
    assert f"${cut:,.0f} or more" in str(data["best"])
    # The draft's AUC is for best against the rest: score the customers with the draft and
    # take the Mann-Whitney U of the best customers' scores over the rest's.
    scored = example_repo / "scored.csv"
    done = run_icp(example_repo, "score", "icps/ltv-draft.yaml", CUSTOMERS, "-o", str(scored))
    assert done.returncode == 0, done.stderr
    scores = pd.read_csv(scored, dtype={"band": str}).loc[best.index]
    known = scores["band"] != "unknown"
    inside, outside = scores["score"][known & best], scores["score"][known & ~best]
    u = stats.mannwhitneyu(inside, outside).statistic / (len(inside) * len(outside))
    fit = data["fit"]
    assert fit["auc"] == pytest.approx(u, abs=1e-9)
    assert fit["closed"] == len(best)
    # The out-of-sample figure is the out-of-fold AUC (5 folds unless told) for the target.
    held = data["out_of_sample"]
    folds = data["folds"]
    assert held["on"] == "folds" and held["target"] == "ltv" and folds["folds"] == 5
    assert held["auc"] == folds["auc"] and 0.5 < held["auc"] < fit["auc"]
    draft = (example_repo / "icps/ltv-draft.yaml").read_text(encoding="utf-8")
    # The ICP measured on these customers is compared, and its deals named beside them.
    assert f"  customers: {CUSTOMERS}\n  deals: fixtures/deals/midmarket-saas-revops.csv" in draft
    assert data["current"]["icp_id"] == "midmarket-saas-revops"
    assert "of best customers and" in draft


def test_nrr_text_report_names_the_target_and_its_out_of_fold_auc(example_repo: Path) -> None:
    data = _suggest(example_repo, "--target", "nrr", "--draft", "icps/nrr-draft.yaml")
    frame = _fixture()
    churned = frame["Status"].str.lower().isin(CHURNED)
    start, now = _money(frame["Starting MRR"]), _money(frame["Current MRR"])
    now = now.where(~(churned & now.isna()), 0.0)  # churned and blank: pays nothing now
    nrr = (now / start).where(start > 0)
    best, cut = _top_quartile(nrr)
    evidence = data["evidence"]
    assert (evidence["wins"], evidence["losses"]) == (int(best.sum()), int((~best).sum()))
    assert f"{cut:.2f} or more" in str(data["best"])
    unmeasured = int(nrr.isna().sum())
    assert any(f"{unmeasured} customers have no net revenue" in w for w in data["warnings"])
    text = run_icp(example_repo, "suggest", "--from", "customers", "--customers", CUSTOMERS,
                   "--target", "nrr", "--draft", "icps/nrr-draft.yaml", "--force")  # fmt: skip
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith(
        f"Best customers vs other customers: {CUSTOMERS}, {len(best)} customers "
        f"({int(best.sum())} best, {int((~best).sum())} other"
    )
    folds = data["folds"]
    line = next(ln for ln in text.stdout.splitlines() if ln.startswith("Draft, out of fold"))
    assert f"AUC {folds['auc']:.2f}" in line and "for nrr" in line


def test_retention_counts_active_against_churned_read_at_a_quarter(example_repo: Path) -> None:
    frame = _fixture()
    churned = int(frame["Status"].str.lower().isin(CHURNED).sum())
    retained = len(frame) - churned
    done = run_icp(example_repo, "suggest", "--from", "customers", "--customers", CUSTOMERS,
                   "--target", "retention")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(
        f"Retained customers vs churned customers: {CUSTOMERS}, {len(frame)} customers "
        f"({retained} retained, {churned} churned; retention rate {retained / len(frame):.0%})"
    )
    # 83% retained: each churned customer counts so that a quarter would be retained.
    weight = retained * 0.75 / (churned * 0.25)
    assert (
        f"Warning: {retained / len(frame):.0%} of the customers are retained customers: rates "
        f"and lifts here are read as if a quarter were, as for the top-quartile targets (each of "
        f"the churned customers counts {weight:.1f} times)"
    ) in done.stdout
    assert "for retention (retained customers above churned customers)" in done.stdout
    draft = example_repo / "icps/midmarket-saas-revops-retention-suggested.yaml"
    assert "retention rate (read as if a quarter were retained customers)" in draft.read_text(
        encoding="utf-8"
    )


def test_retention_draft_on_a_file_that_churns_by_size(example_repo: Path) -> None:
    """A customers file where small accounts churn: the draft keeps the large ones."""
    rng = np.random.default_rng(7)
    employees = rng.integers(20, 4000, size=300)
    churned = rng.random(300) < np.where(employees < 1000, 0.8, 0.1)
    pd.DataFrame({
        "Customer": [f"Acct {i}" for i in range(300)],
        "Status": np.where(churned, "Churned", "Active"),
        "Start Date": "2025-01-01",
        "Cancel Date": "",
        "employees": employees,
        "industry": rng.choice(["saas", "fintech", "retail"], size=300),
    }).to_csv(example_repo / "sized.csv", index=False)  # fmt: skip
    done = run_icp(example_repo, "suggest", "--from", "customers", "--customers", "sized.csv",
                   "--target", "retention", "--draft", "icps/sized.yaml",
                   "--format", "json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["evidence"]["wins"] == int((~churned).sum())
    assert data["weights"] == {"field:employees": 100}
    learnt = next(f for f in data["evidence"]["fields"] if f["field"] == "employees")
    assert learnt["match"]["min"] >= 1000  # the large accounts, where customers stay
    assert data["out_of_sample"]["auc"] > 0.7


def test_outcome_columns_are_left_out_as_leakage(example_repo: Path) -> None:
    frame = _fixture()
    churned = frame["Status"].str.lower().isin(CHURNED)
    frame["Cancellation Reason"] = churned.map({True: "price", False: None})
    frame["Churn Date"] = frame["Cancel Date"]
    frame["Health Score"] = np.where(churned, "red", "green")
    frame.to_csv(example_repo / CUSTOMERS, index=False)
    data = _suggest(example_repo, "--target", "ltv", "--draft", "icps/ltv-draft.yaml")
    left = {c["column"]: c for c in data["left_out"]}
    for column in ("Cancellation Reason", "Churn Date", "Health Score"):
        assert left[column]["leakage"] and left[column]["kind"] == "measures-the-outcome"
    assert not {"cancellation_reason", "churn_date", "health_score"} & set(data["fields"])
    # The customers file's own columns (outcome, dates, revenue) are never learnt from.
    assert not {"lifetime_revenue", "starting_mrr", "churned"} & set(data["fields"])


@pytest.mark.parametrize(
    ("target", "drop", "field"),
    [("ltv", "Lifetime Revenue", "lifetime_revenue"), ("nrr", "Starting MRR", "starting_mrr")],
)
def test_a_target_whose_field_is_not_mapped_stops(
    example_repo: Path, target: str, drop: str, field: str
) -> None:
    _fixture().drop(columns=[drop]).to_csv(example_repo / "short.csv", index=False)
    done = run_icp(example_repo, "suggest", "--from", "customers", "--customers", "short.csv",
                   "--target", target, "--draft", "x.yaml")  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith(f"Error: short.csv: --target {target} needs the field")
    assert field in done.stderr and "Traceback" not in done.stderr
    assert not (example_repo / "x.yaml").exists()


def test_empty_best_set_and_bad_combinations_stop(example_repo: Path) -> None:
    frame = _fixture()
    frame["Status"] = "Churned"
    frame.to_csv(example_repo / "gone.csv", index=False)
    gone = run_icp(example_repo, "suggest", "--from", "customers", "--customers", "gone.csv",
                   "--target", "retention")  # fmt: skip
    assert gone.returncode == 2
    assert "no retained (active) customer among 505 customers" in gone.stderr
    frame["Lifetime Revenue"] = "1000"
    frame.to_csv(example_repo / "flat.csv", index=False)
    flat = run_icp(example_repo, "suggest", "--from", "customers", "--customers", "flat.csv",
                   "--target", "ltv")  # fmt: skip
    assert flat.returncode == 2 and "no top quartile" in flat.stderr
    for args in (("--target", "ltv", "--holdout-since", "2026-01-01"), ()):
        bad = run_icp(example_repo, "suggest", "--from", "customers", "--customers", CUSTOMERS,
                      *args)  # fmt: skip
        assert bad.returncode == 2 and bad.stderr.startswith("Error: --from customers takes")
    # Two ICPs name a customers file: which one is the user's call.
    several = run_icp(example_repo, "suggest", "--from", "customers", "--target", "ltv")
    assert several.returncode == 2 and "several ICPs name a customers file" in several.stderr
    chosen = run_icp(example_repo, "suggest", "--from", "customers", "--target", "ltv",
                     "--current", "icps/midmarket-saas-revops.yaml",
                     "--draft", "y.yaml")  # fmt: skip
    assert chosen.returncode == 0, chosen.stderr
    assert "Current ICP midmarket-saas-revops 2026-Q4, same customers: AUC" in chosen.stdout
    # The draft names the compared ICP's deals beside its customers: it backtests at once.
    backtest = run_icp(example_repo, "backtest", "y.yaml", "--format", "json")
    assert backtest.returncode in (0, 1), backtest.stderr
    result = json.loads(backtest.stdout)["results"][0]
    assert result["deals_file"] == "fixtures/deals/midmarket-saas-revops.csv"
