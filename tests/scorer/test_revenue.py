"""Revenue by band and the `min_won_revenue_share` gate, against sums computed here with
pandas from the deals file the test wrote."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import markdown
import pandas as pd
import pytest

from icpkit.diff.change import Category
from icpkit.diff.changes import categorise
from tests.conftest import merge, run_icp
from tests.scorer.test_calibration import PROFILES

# Per band: (won amounts, lost amounts, open amounts); None is a deal without an amount.
DEALS: dict[str, tuple[list[int | None], list[int | None], list[int | None]]] = {
    "strong": ([90_000, 60_000, None], [20_000], [50_000, 30_000]),
    "good": ([40_000, 40_000], [10_000, 5_000], [None, 20_000]),
    "possible": ([15_000], [8_000, 8_000], []),
    "weak": ([120_000], [3_000, 4_000], [70_000]),
    "poor": ([5_000], [1_000] * 5, [9_000]),
    "disqualified": ([], [2_000] * 4, [1_000]),
}


def write_deals(path: Path, with_amounts: bool = True) -> pd.DataFrame:
    rows = []
    for band, outcomes in DEALS.items():
        for outcome, amounts in zip(("won", "lost", "open"), outcomes, strict=True):
            for i, amount in enumerate(amounts):
                row = {"deal_id": f"{band}-{outcome}-{i}", "outcome": outcome, "band": band}
                rows.append({**row, "amount_usd": amount, **PROFILES[band]})
    frame = pd.DataFrame(rows)
    shown = frame.drop(columns=["band"] if with_amounts else ["band", "amount_usd"])
    shown.to_csv(path, index=False)
    return frame


@pytest.fixture
def priced(project: Path, base_text: str) -> Path:
    (project / "icps").mkdir()
    (project / "icps" / "base.yaml").write_text(
        merge(base_text, "validation:\n  deals: deals.csv\n")
    )
    (project / "pyproject.toml").write_text('[tool.icp]\npaths = ["icps"]\n')
    return project


def _gated(project: Path, base_text: str, share: float) -> None:
    snippet = f"validation:\n  deals: deals.csv\n  min_won_revenue_share: {share}\n"
    (project / "icps" / "base.yaml").write_text(merge(base_text, snippet))


def test_revenue_by_band_equals_sums_of_the_deals(priced: Path) -> None:
    deals = write_deals(priced / "deals.csv")
    done = run_icp(priced, "backtest", "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    result = json.loads(done.stdout)["results"][0]
    figures = result["revenue"]
    won = deals[deals["outcome"] == "won"].dropna(subset=["amount_usd"])
    pipeline = deals[deals["outcome"] == "open"].dropna(subset=["amount_usd"])
    won_by_band = won.groupby("band")["amount_usd"].sum()
    good = won_by_band[["strong", "good"]].sum()
    assert figures["won_revenue"] == won["amount_usd"].sum()
    assert figures["won_revenue_good_or_better"] == pytest.approx(good / won_by_band.sum(), 1e-4)
    assert figures["pipeline_value"] == pipeline["amount_usd"].sum()
    open_good = pipeline[pipeline["band"].isin(["strong", "good"])]["amount_usd"].sum()
    assert figures["pipeline_good_or_better"] == pytest.approx(
        open_good / pipeline["amount_usd"].sum(), 1e-4
    )
    assert figures["open_deals"] == int((deals["outcome"] == "open").sum())
    assert (figures["unpriced_wins"], figures["unpriced_open"]) == (1, 1)
    rows = {row["band"]: row for row in figures["bands"]}
    for band in DEALS:
        row = rows[band]
        band_open = deals[(deals["band"] == band) & (deals["outcome"] == "open")]
        assert row["open_deals"] == len(band_open)
        value = band_open["amount_usd"].dropna()
        assert row["pipeline_value"] == (value.sum() if len(value) else None)
        assert row["avg_open_deal"] == (pytest.approx(value.mean(), 1e-4) if len(value) else None)
        if band in won_by_band:
            assert row["won_revenue"] == won_by_band[band]
            assert row["won_revenue_share"] == pytest.approx(
                won_by_band[band] / won_by_band.sum(), abs=1e-4
            )
        else:  # no won deal: no money, not $0
            assert row["won_revenue"] is None
    assert (
        "1 won deal has no amount_usd: left out of the won revenue ($370,000 from the rest)"
        in (result["warnings"])
    )
    text = run_icp(priced, "backtest").stdout
    assert "  strong             $150,000    40.5%           2       $80,000        $40,000" in text
    assert "won revenue scoring good or better: 62.2% of $370,000" in text
    assert "open pipeline scoring good or better: 55.6% of $180,000 (7 open deals)" in text
    markdown = run_icp(priced, "backtest", "--format", "markdown").stdout
    assert "| strong | $150,000 | 40.5% | 2 | $80,000 | $40,000 |" in markdown


def test_billions_keep_the_columns_apart(priced: Path) -> None:
    path = priced / "deals.csv"
    write_deals(path)
    frame = pd.read_csv(path)
    frame["amount_usd"] *= 1_000_000  # poor's open deal: $9,000,000,000, wider than its column
    frame.to_csv(path, index=False)
    text = run_icp(priced, "backtest").stdout
    head = re.search(r"^  band +won revenue", text, re.MULTILINE)
    assert head is not None
    table = text[head.start() :].split("\n\n", 1)[0].splitlines()
    headers = "band won revenue of won open deals pipeline avg open deal"
    assert table[0].split() == headers.split(" ")
    poor = next(line for line in table if line.startswith("  poor "))
    billions = "poor $5,000,000,000 1.4% 1 $9,000,000,000 $9,000,000,000"
    assert poor.split() == billions.split()
    # Every column ends where its header does: right-aligned under it.
    assert {len(line) for line in table} == {len(table[0])}


def test_the_revenue_gate_passes_fails_and_needs_amounts(priced: Path, base_text: str) -> None:
    write_deals(priced / "deals.csv")
    _gated(priced, base_text, 0.6)
    done = run_icp(priced, "backtest")
    assert (
        "pass  min_won_revenue_share: share of won revenue scoring good or better 62.2% >= 60.0%"
        in done.stdout
    )
    _gated(priced, base_text, 0.7)
    done = run_icp(priced, "backtest")
    assert done.returncode == 1
    assert (
        "FAIL  min_won_revenue_share: share of won revenue scoring good or better 62.2% < 70.0%"
        in done.stdout
    )
    write_deals(priced / "deals.csv", with_amounts=False)
    done = run_icp(priced, "backtest")
    assert done.returncode == 1
    assert (
        "FAIL  min_won_revenue_share: share of won revenue scoring good or better cannot be "
        "computed from these deals (needs >= 70.0%)"
    ) in done.stdout
    assert "won revenue" not in done.stdout.split("gates")[0]  # no amounts: no section


def test_the_gate_is_validated_and_diffed_as_a_gate(priced: Path, base_text: str) -> None:
    _gated(priced, base_text, 1.5)
    done = run_icp(priced, "check", "icps/base.yaml")
    assert done.returncode == 1 and "min_won_revenue_share" in done.stdout
    assert categorise(("validation", "min_won_revenue_share")) is Category.GATE
    _gated(priced, base_text, 0.5)
    (priced / "old.yaml").write_text((priced / "icps" / "base.yaml").read_text())
    _gated(priced, base_text, 0.7)
    done = run_icp(priced, "diff", "old.yaml", "icps/base.yaml", "--format", "json")
    change = next(
        c
        for c in json.loads(done.stdout)["icps"][0]["changes"]
        if "min_won_revenue_share" in str(c)
    )
    assert change["category"] == "gate" and "stricter" in change["summary"]


def test_site_shows_revenue_by_band_and_the_gate(priced: Path, base_text: str) -> None:
    from icpkit.checks.config import load_config
    from icpkit.site.pages import backtest, profile
    from icpkit.site.project import collect

    write_deals(priced / "deals.csv")
    _gated(priced, base_text, 0.7)
    (entry,) = collect(load_config(priced), history=False).icps
    page = html.unescape(markdown.markdown(backtest.render(entry), extensions=["tables"]))
    assert "<h2>Revenue by band</h2>" in page
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", page[page.index("Revenue by band") :])
    assert cells[:6] == ["strong", "$150,000", "40.5%", "2", "$80,000", "$40,000"]
    assert "Won revenue scoring good or better: 62.2% of $370,000" in page
    shown = html.unescape(
        markdown.markdown(profile.render(entry, "x.md", None), extensions=["tables"])
    )
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", shown)
    row = cells.index("Won revenue scoring good or better")
    assert cells[row + 1] == "at least 70%"


def test_an_icp_in_euros_shows_every_amount_in_euros(project: Path, base_text: str) -> None:
    (project / "icps").mkdir()
    snippet = (
        "currency: EUR\nbudget_authority:\n  recommends: [RevOps]\n"
        "  approves:\n    - {role: VP Sales, up_to: 45000}\n"
        "validation:\n  deals: deals.csv\n"
    )
    (project / "icps" / "base.yaml").write_text(merge(base_text, snippet))
    (project / "pyproject.toml").write_text('[tool.icp]\npaths = ["icps"]\n')
    write_deals(project / "deals.csv")
    text = run_icp(project, "backtest").stdout
    assert "won revenue scoring good or better: 62.2% of €370,000" in text
    assert "  strong             €150,000    40.5%           2       €80,000        €40,000" in text
    assert "$" not in text
    done = run_icp(project, "backtest", "--format", "json")
    result = json.loads(done.stdout)["results"][0]
    assert (result["currency"], result["revenue"]["currency"]) == ("EUR", "EUR")
    assert (
        "| strong | €150,000 | 40.5% | 2 | €80,000 | €40,000 |"
        in run_icp(project, "backtest", "--format", "markdown").stdout
    )


def test_a_currency_must_be_an_iso_code(project: Path, base_text: str) -> None:
    (project / "icps").mkdir()
    (project / "icps" / "base.yaml").write_text(merge(base_text, "currency: euro\n"))
    done = run_icp(project, "check", "icps")
    assert done.returncode == 1
    assert "must be an ISO 4217 currency code such as EUR" in done.stdout
