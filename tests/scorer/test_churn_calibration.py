"""Calibration by churn: each band's churn rate and Wilson interval beside its win rate,
the ordering warning, and `icp score --expected`'s expected_churn_rate in both engines,
against counts of the plain customer lists (tests/scorer/customer_files.py)."""

from __future__ import annotations

import csv
import html
import io
import math
import re
from pathlib import Path

import markdown
import pandas as pd
import pytest

from icpkit.scorer.churn_calibration import BandChurn, churn_ordering_warnings
from tests.conftest import run_icp
from tests.scorer.customer_files import (
    CELLS,
    CUSTOMERS,
    CUSTOMERS_FILE,
    HEADER,
    customer_rows,
    project,
    write_csv,
)
from tests.scorer.test_calibration import closed_form

BANDS = ("strong", "good", "poor")


def _counts(band: str) -> tuple[int, int]:
    mine = [c for c in CUSTOMERS if c.band == band]
    return len(mine), sum(c.churned for c in mine)


def churn_phrase(customers: int, churned: int) -> str:
    low, high = closed_form(churned, customers)
    share, low_share, high_share = (round(100 * v) for v in (churned / customers, low, high))
    return f"{share}% of such customers churned ({low_share}-{high_share}%), {customers} customers"


def _accounts(path: Path) -> None:
    """One account per profile, named by its band."""
    write_csv(path, ["account", *CELLS["strong"]], [[b, *CELLS[b].values()] for b in BANDS])


def test_backtest_reads_each_band_by_its_churn_too(tmp_path: Path) -> None:
    folder = project(tmp_path)
    text = run_icp(folder, "backtest", "--bootstrap", "0").stdout
    assert "historical win rate and churn rate, 95% Wilson intervals" in text
    for band in BANDS:
        line = next(x for x in text.splitlines() if x.strip().startswith(f"{band}: "))
        assert line.endswith(f"; {churn_phrase(*_counts(band))}"), line
    markdown_text = run_icp(folder, "backtest", "--format", "markdown", "--bootstrap", "0").stdout
    assert f"; {churn_phrase(*_counts('poor'))}" in markdown_text
    # The strong and good bands both churn 20%, poor 60%: ordered, so no warning.
    assert "churned more often than band" not in text


def test_a_higher_band_churning_more_is_warned_about(tmp_path: Path) -> None:
    rows = customer_rows()
    # A strong customer still active cancels: strong 3 of 10 churn, good 1 of 5.
    first = next(i for i, c in enumerate(CUSTOMERS) if c.band == "strong" and not c.churned)
    rows[first][HEADER.index("Status")] = "Churned"
    rows[first][HEADER.index("Cancel Date")] = "2025-12-01"
    folder = project(tmp_path, rows=rows)
    text = run_icp(folder, "backtest", "--bootstrap", "0").stdout
    expected = (
        f"calibration: band strong churned more often than band good: strong "
        f"{churn_phrase(10, 3)}; good {churn_phrase(5, 1)}; the intervals overlap, so this "
        "may be noise"
    )
    assert expected in text
    _accounts(folder / "accounts.csv")
    done = run_icp(folder, "score", "icps/base.yaml", "accounts.csv", "--expected")
    assert f"base: {expected}" in done.stderr


def test_the_warning_says_when_intervals_do_not_overlap() -> None:
    rows = [
        BandChurn("strong", 100, 60, 0.6, 0.5, 0.69),
        BandChurn("good", 100, 10, 0.1, 0.05, 0.17),
    ]
    [warning] = churn_ordering_warnings(rows)
    assert warning.endswith("the intervals do not overlap")
    # Too few customers in a band: not compared at all.
    assert churn_ordering_warnings([rows[0], BandChurn("good", 4, 0, 0.0, 0.0, 0.49)]) == []


def test_expected_churn_rate_is_the_bands_history_in_both_engines(tmp_path: Path) -> None:
    folder = project(tmp_path)
    _accounts(folder / "accounts.csv")
    outputs = []
    for engine in ("pandas", "duckdb"):
        done = run_icp(
            folder, "score", "icps/base.yaml", "accounts.csv", "--expected", "--engine", engine,
            "--keep", "account",
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "expected_churn_rate of band possible rests on 0 customers" in done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    frame = pd.read_csv(io.StringIO(outputs[0]))
    assert list(frame.columns)[-2:] == ["expected_win_rate", "expected_churn_rate"]
    got = dict(zip(frame["account"], frame["expected_churn_rate"], strict=True))
    for band in BANDS:
        customers, churned = _counts(band)
        assert got[band] == round(churned / customers, 4), band
    # The good band won no deal (the deals hold none), yet its customers have a churn rate.
    good_rate = frame.set_index("account").loc["good", "expected_win_rate"]
    assert isinstance(good_rate, float) and math.isnan(good_rate)


def test_without_customers_there_is_no_churn_column(tmp_path: Path) -> None:
    folder = project(tmp_path)
    path = folder / "icps" / "base.yaml"
    path.write_text(re.sub(r"^  customers: .*\n", "", path.read_text(), flags=re.M))
    _accounts(folder / "accounts.csv")
    done = run_icp(folder, "score", "icps/base.yaml", "accounts.csv", "--expected")
    assert done.returncode == 0, done.stderr
    header = next(csv.reader(io.StringIO(done.stdout)))
    assert header[-1] == "expected_win_rate" and "expected_churn_rate" not in header


def test_an_icp_without_customers_among_several_gets_empty_cells(tmp_path: Path) -> None:
    folder = project(tmp_path)
    text = (folder / "icps" / "base.yaml").read_text()
    other = re.sub(r"^  customers: .*\n", "", text, flags=re.M).replace("id: base", "id: other")
    (folder / "icps" / "other.yaml").write_text(other)
    _accounts(folder / "accounts.csv")
    outputs = []
    for engine in ("pandas", "duckdb"):
        done = run_icp(folder, "score", "icps", "accounts.csv", "--expected", "--engine", engine)
        assert done.returncode == 0, done.stderr
        assert "other: names no validation.customers" in done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    frame = pd.read_csv(io.StringIO(outputs[0]))
    assert frame["other.expected_churn_rate"].isna().all()
    assert frame["base.expected_churn_rate"].tolist() == [
        round(churned / customers, 4) for customers, churned in map(_counts, BANDS)
    ]


def test_compile_still_refuses_and_says_why(tmp_path: Path) -> None:
    done = run_icp(project(tmp_path), "compile", "icps/base.yaml", "--expected")
    assert done.returncode == 2 and done.stdout == ""
    assert "expected_win_rate or expected_churn_rate" in done.stderr


def test_site_pages_show_each_bands_churn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from icpkit.checks.config import load_config
    from icpkit.site.pages import backtest, profile
    from icpkit.site.project import collect

    monkeypatch.chdir(tmp_path)
    (entry,) = collect(load_config(project(tmp_path)), history=False).icps
    pages = {"backtest": backtest.render(entry), "profile": profile.render(entry, "x.md", None)}
    for name, page in pages.items():
        shown = html.unescape(markdown.markdown(page, extensions=["tables"]))
        assert ">Customers churned</th>" in shown, name
        for band in BANDS:
            phrase = re.escape(churn_phrase(*_counts(band)))
            assert re.search(
                rf"<td[^>]*>{band}</td>(\s*<td[^>]*>[^<]*</td>)*?\s*<td[^>]*>{phrase}</td>", shown
            ), (name, band)
    assert (tmp_path / CUSTOMERS_FILE).exists()
