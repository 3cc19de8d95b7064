"""`apply_overrides` on a combined frame: only the row's own ICP's overrides apply, and
what cannot apply is said."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from icpkit.format.overrides import Overrides, load_overrides, require_valid
from icpkit.scorer.overrides import apply_overrides
from tests.scorer.test_overrides import entry

TODAY = dt.date(2026, 11, 23)


def _overrides(tmp_path: Path, icp_id: str, *entries: str) -> dict[str, Overrides]:
    path = tmp_path / f"{icp_id}.overrides.yaml"
    head = f"format: icp-overrides/1\nicp: {icp_id}\noverrides:\n"
    path.write_text(head + "".join(entries), encoding="utf-8")
    return {icp_id: require_valid(load_overrides(path, icp_id))}


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "icp_id": ["smb", "mid", "mid"],
            "band": pd.Categorical(["poor", "good", "weak"], categories=["good", "weak", "poor"]),
            "status": ["scored", "scored", "scored"],
        }
    )


def test_an_account_whose_best_fit_is_another_icp_keeps_its_band(tmp_path: Path) -> None:
    found = _overrides(tmp_path, "mid", entry("Acme", "band: strong"), entry("Beta", "band: poor"))
    accounts = pd.Series(["Acme", "Beta", "Gamma"], dtype="object")
    applied = apply_overrides(_frame(), accounts, found, TODAY, source="accounts.csv")
    frame = applied.frame
    assert frame["band"].tolist() == ["poor", "poor", "weak"]
    assert frame["status"].tolist() == ["scored", "overridden", "scored"]
    assert frame["model_band"].tolist() == ["poor", "good", "weak"]
    assert applied.overridden == 1
    assert any("'Acme' (best fit smb)" in note for note in applied.notes), applied.notes
    # A categorical band stays one; "overridden" joins the statuses.
    assert isinstance(frame["band"].dtype, pd.CategoricalDtype)


def test_without_an_account_column_nothing_is_applied_and_it_is_said(tmp_path: Path) -> None:
    found = _overrides(tmp_path, "mid", entry("Acme", "band: strong"))
    applied = apply_overrides(_frame(), None, found, TODAY, source="accounts.csv")
    assert applied.overridden == 0
    assert (applied.frame["status"] == "scored").all()
    assert "accounts.csv: no account column, so the 1 override of" in applied.notes[0]
