"""Found in review: a mostly empty column, only non-firmographic signal, the id of `-o`."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from icpkit.format.valid import load_icp
from tests.conftest import invoke
from tests.suggest.worlds import leaky_export, write_project


def test_a_mostly_empty_column_is_left_out_however_strong_it_looks(project: Path) -> None:
    frame = leaky_export()
    rng = np.random.default_rng(3)
    # Filled on one deal in seven, and then nearly always a win: a rule on it would score
    # six deals in seven as unknown, and its AUC would be measured on the seventh.
    filled = rng.uniform(size=len(frame)) < 0.15
    won = frame["Opportunity Result"] == "Won"
    frame["Parent Company"] = np.where(filled & won, "Holdco A", np.where(filled, "Holdco B", ""))
    deals = write_project(project, frame)
    done = invoke("suggest", "--deals", deals, "--format", "json", "--draft", "icps/d.yaml")
    assert done.exit_code == 0, done.output
    [left] = [c for c in json.loads(done.stdout)["left_out"] if c["column"] == "Parent Company"]
    assert "known on 1" in left["reason"] and "unscored" in left["reason"]
    assert "parent_company" not in Path("icps/d.yaml").read_text(encoding="utf-8")


def test_no_firmographic_signal_writes_no_draft_and_says_why(project: Path) -> None:
    frame = leaky_export()
    rng = np.random.default_rng(4)
    won = (frame["Opportunity Result"] == "Won").to_numpy()
    referral = won & (rng.uniform(size=len(frame)) < 0.7)
    frame["Lead Source"] = np.where(referral, "Referral", rng.choice(["Ads", "Events"], len(frame)))
    deals = write_project(project, frame)
    done = invoke("suggest", "--deals", deals, "--only", "Lead Source", "--draft", "icps/d.yaml")
    assert done.exit_code == 1, done.output
    assert "No firmographic field (size, revenue, industry, place) separates" in done.stdout
    assert not Path("icps/d.yaml").exists()


def test_the_draft_id_is_the_output_file_name(project: Path) -> None:
    deals = write_project(project, leaky_export())
    done = invoke("suggest", "--deals", deals, "--draft", "icps/emea-first-draft.yaml")
    assert done.exit_code == 0, done.output
    assert load_icp(Path("icps/emea-first-draft.yaml")).id == "emea-first-draft"


def test_labels_that_yaml_1_2_reads_as_numbers_stay_labels() -> None:
    from icpkit.format.loader import load_bytes
    from icpkit.suggest.draft import _q

    for label in ("2e7", "1e400", "0111", "yes", ".inf", "saas", "Funding Round!"):
        doc = load_bytes(f"a: [{_q(label)}]\n".encode(), Path("x.yaml"))
        assert doc.data == {"a": [label]}, (label, doc.violations)
