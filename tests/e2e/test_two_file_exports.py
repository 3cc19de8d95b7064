"""Exports as they come: deals in one file, account attributes in another (Maven's shape),
and deals files without an id column, through the installed `icp` command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TESTS, merge
from tests.conftest import run_icp as icp
from tests.gitrepo import git

PIPELINE = "fixtures/deals/sales_pipeline.csv"
ACCOUNTS = "fixtures/deals/accounts.csv"
SETTINGS = """\
[tool.icp]
paths = ["icps"]
absent-fields = ["triggers"]
{extra}
[tool.icp.columns]
deal_id = "opportunity_id"
outcome = "deal_stage"
amount_usd = "close_value"
created_on = "engage_date"
closed_on = "close_date"
revenue_musd = "revenue"

[tool.icp.outcomes]
open = ["Engaging", "Prospecting"]

[tool.icp.values.sector]
technolgy = "technology"
"""
SCORING = """\
firmographics:
  employees: {min: 1000, max: 10000, weight: 40}
  revenue_musd: {min: 500, max: 5000, weight: 20}
  sector: {in: [technology, software], weight: 20}
  office_location: {in: [United States], weight: 10}
technographics: {}
triggers:
  - {id: new-sales-leader, event: New VP Sales or CRO hired, window_days: 60,
     detect: LinkedIn job-change alerts, weight: 10}
anti_icp:
  - {id: tiny, when: {employees: {max: 100}}, reason: Too small to need the product}
qualification:
  questions:
    - {ask: Roughly how many people work at the company?, tests: employees}
    - {ask: What was your revenue last year?, tests: revenue_musd}
    - {ask: "What do you sell, and from where?", tests: [sector, office_location]}
    - {ask: "Who leads sales today, and since when?", tests: new-sales-leader}
"""


def _accounts() -> list[list[str]]:
    rows = []
    for i in range(12):
        fit = i % 2 == 0
        sector = ("technolgy" if i == 0 else "technology") if fit else "retail"
        employees = 2000 + 300 * i if fit else 40 + 10 * i
        revenue = f"{800 + 50 * i}.5" if fit else f"{20 + i}.25"
        country = "United States" if fit else "Kenya"
        rows.append([f"Account {i}", sector, str(1990 + i), revenue, str(employees), country, ""])
    return rows


def _pipeline() -> list[list[str]]:
    rows = []
    for i in range(160):
        account = f"Account {i % 12}"
        fit = (i % 12) % 2 == 0
        if i % 8 == 0:
            # Open deals, some not tied to an account yet (Maven has these).
            stage = "Engaging" if i % 16 else "Prospecting"
            rows.append([f"OP{i:04d}", "Moses Frase", "GTX Pro", "" if i % 16 == 0 else account,
                         stage, "2017-01-02", "", ""])  # fmt: skip
            continue
        won = (i % 4 != 1) if fit else (i % 4 == 1)
        value = str(1000 + 10 * i) if won else "0"
        rows.append([f"OP{i:04d}", "Darcel Schlecht", "MG Special", account,
                     "Won" if won else "Lost", "2017-01-02", "2017-03-01", value])  # fmt: skip
    return rows


def _csv(path: Path, header: str, rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([header, *(",".join(r) for r in rows)]) + "\n", encoding="utf-8")


def _project(
    folder: Path, *, validation: str, extra: str = "", accounts: list[list[str]] | None = None
) -> None:
    _csv(
        folder / ACCOUNTS,
        "account,sector,year_established,revenue,employees,office_location,subsidiary_of",
        _accounts() if accounts is None else accounts,
    )
    _csv(
        folder / PIPELINE,
        "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value",
        _pipeline(),
    )
    base = (TESTS / "data" / "base.yaml").read_text(encoding="utf-8")
    icp = merge(base, SCORING + validation).replace("id: base", "id: maven-tech")
    (folder / "icps").mkdir()
    (folder / "icps" / "maven-tech.yaml").write_text(icp, encoding="utf-8")
    (folder / "pyproject.toml").write_text(SETTINGS.format(extra=extra), encoding="utf-8")


@pytest.fixture
def maven(tmp_path: Path) -> Path:
    """A two-file export named in the ICP: validation.deals and validation.accounts."""
    _project(tmp_path, validation=f"validation:\n  deals: {PIPELINE}\n  accounts: {ACCOUNTS}\n")
    return tmp_path


def _backtest(folder: Path, *args: str) -> dict[str, Any]:
    done = icp(folder, "backtest", "--format", "json", "--bootstrap", "0", *args)
    assert done.returncode in (0, 1), done.stderr
    [result] = json.loads(done.stdout)["results"]
    assert isinstance(result, dict)
    return result


def test_backtest_joins_the_accounts_named_in_the_icp(maven: Path) -> None:
    result = _backtest(maven)
    assert (result["deals"], result["open_deals"], result["closed"]) == (160, 20, 140)
    # Every closed deal got its account's attributes: none lacks the data to score.
    assert result["insufficient_data"] == 0
    assert isinstance(result["auc"], float) and result["auc"] > 0.7
    # Open deals without an account are fine: no warning about them.
    assert not [w for w in result["warnings"] if "no account" in str(w)]


@pytest.mark.slow
def test_the_accounts_setting_is_the_default_for_every_icp(tmp_path: Path) -> None:
    _project(
        tmp_path, validation=f"validation:\n  deals: {PIPELINE}\n", extra=f'accounts = "{ACCOUNTS}"'
    )
    assert _backtest(tmp_path)["insufficient_data"] == 0
    done = icp(tmp_path, "coverage", "icps/maven-tech.yaml")
    # Without a universe, coverage is measured on the accounts file.
    assert f"on {ACCOUNTS}: 6 of 12 accounts good or better" in done.stdout, done.stderr
    # Another list of accounts lacking a field: the join is tried, and both reasons shown.
    _csv(tmp_path / "universe.csv", "account,employees", [["Elsewhere Ltd", "5000"]])
    done = icp(tmp_path, "score", "icps/maven-tech.yaml", "universe.csv")
    assert done.returncode == 2
    assert done.stderr.startswith("Error: universe.csv: [tool.icp.columns] maps revenue_musd")
    assert f"Joining {ACCOUNTS} did not help: universe.csv: none of the 1 account" in done.stderr


@pytest.mark.slow
def test_site_diff_suggest_and_score_read_the_same_two_files(maven: Path) -> None:
    (maven / "mkdocs.yml").write_text(
        "site_name: ICPs\ndocs_dir: docs\nplugins:\n  - icpkit\n", encoding="utf-8"
    )
    (maven / "docs").mkdir()
    (maven / "docs" / "index.md").write_text("# ICPs\n", encoding="utf-8")
    git(maven, "init", "-q", "-b", "main")
    git(maven, "add", ".")
    git(maven, "commit", "-q", "-m", "Two-file export")

    built = icp(maven, "site", "build", "--no-strict")
    assert built.returncode == 0, built.stderr
    page = (maven / "site" / "icps" / "maven-tech" / "backtest" / "index.html").read_text()
    assert "140 closed deals" in page.replace("&#46;", ".")

    git(maven, "checkout", "-q", "-b", "wider")
    path = maven / "icps" / "maven-tech.yaml"
    path.write_text(path.read_text().replace("in: [United States]", "in: [United States, Kenya]"))
    diffed = icp(maven, "diff", "--base", "main")
    assert diffed.returncode == 0, diffed.stderr
    assert f"of 160 deals in {PIPELINE}" in diffed.stdout

    suggested = icp(maven, "suggest", "--deals", PIPELINE, "--draft", "draft.yaml")
    assert suggested.returncode == 0, suggested.stderr
    draft = (maven / "draft.yaml").read_text()
    # Fields only the accounts file has were learnt from, and the draft names that file.
    assert "  employees:" in draft and "  sector:" in draft
    assert f"  accounts: {ACCOUNTS}" in draft

    scored = icp(maven, "score", "icps/maven-tech.yaml", PIPELINE, "-o", "scored.csv")
    assert scored.returncode == 0, scored.stderr
    assert "Scored 160 accounts" in scored.stderr
    # The open deals that name no account can not be scored, and say so.
    assert f"10 rows have no account, so nothing from {ACCOUNTS}" in scored.stderr


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_duckdb_engine_joins_the_accounts_file_as_pandas_does(maven: Path, suffix: str) -> None:
    written = {}
    for engine in ("pandas", "duckdb"):
        out = f"{engine}{suffix}"
        done = icp(maven, "score", "icps/maven-tech.yaml", PIPELINE, "--engine", engine, "-o", out)
        assert done.returncode == 0, done.stderr
        assert f"10 rows have no account, so nothing from {ACCOUNTS}" in done.stderr
        written[engine] = maven / out
    if suffix == ".csv":
        assert written["pandas"].read_bytes() == written["duckdb"].read_bytes()
    import pandas as pd

    frames = [
        pd.read_parquet(p) if suffix == ".parquet" else pd.read_csv(p) for p in written.values()
    ]
    by_pandas, by_duckdb = frames
    pd.testing.assert_frame_equal(by_pandas, by_duckdb)
    # The deals file's own columns are carried; the accounts file's only score the rows.
    assert "sector" not in frames[0].columns and "points.sector" in frames[0].columns


@pytest.mark.slow
def test_join_problems_are_counted_not_dropped(tmp_path: Path) -> None:
    rows = _accounts()
    _project(
        tmp_path,
        validation=f"validation:\n  deals: {PIPELINE}\n  accounts: {ACCOUNTS}\n",
        accounts=[r for r in rows if r[0] != "Account 3"],
    )
    result = _backtest(tmp_path)
    assert result["deals"] == 160 and result["insufficient_data"] == 14
    assert (
        f"{PIPELINE}: 14 deals (14 closed) name 1 account not in {ACCOUNTS}, "
        "e.g. 'Account 3'; their account fields are scored as unknown"
    ) in result["warnings"]

    _csv(tmp_path / ACCOUNTS, "account,sector", [["Account 1", "retail"], ["Account 1", "x"]])
    done = icp(tmp_path, "backtest")
    assert done.returncode == 2
    assert (
        f"Error: {ACCOUNTS}: 1 account on several rows (column 'account'), e.g. 'Account 1'"
        in done.stderr
    )

    _csv(tmp_path / ACCOUNTS, "company,sector", [["Account 1", "retail"]])
    done = icp(tmp_path, "backtest")
    assert done.returncode == 2
    assert f"Error: {ACCOUNTS}: no column for account." in done.stderr

    _csv(tmp_path / ACCOUNTS, "account,sector", [["Someone Else", "retail"]])
    done = icp(tmp_path, "backtest")
    assert done.returncode == 2
    assert (
        f"Error: {PIPELINE}: none of the 12 accounts in its column 'account' is in {ACCOUNTS} "
        "(column 'account'): 'Account 1', 'Account 2', 'Account 3' against 'Someone Else' there"
    ) in done.stderr


def test_a_deals_file_without_an_id_column_backtests_unedited(maven: Path) -> None:
    text = (maven / PIPELINE).read_text().splitlines()
    (maven / PIPELINE).write_text("\n".join(line.split(",", 1)[1] for line in text) + "\n")
    settings = maven / "pyproject.toml"
    settings.write_text(settings.read_text().replace('deal_id = "opportunity_id"\n', ""))
    result = _backtest(maven)
    # Identical rows are separate deals when nothing says otherwise: none is left out.
    assert (result["deals"], result["closed"]) == (160, 140)
    [note] = [w for w in result["warnings"] if "no deal id" in str(w)]
    assert note.startswith(
        f"{PIPELINE}: no deal id column, so each deal is named by its row number ("
    )
    assert "rows repeat an earlier row and count as deals of their own" in note


@pytest.mark.slow
def test_coverage_of_deals_joins_the_accounts_file_in_both_engines(maven: Path) -> None:
    reports = [
        icp(maven, "coverage", "icps/maven-tech.yaml", "--universe", PIPELINE, "--engine", engine)
        for engine in ("pandas", "duckdb")
    ]
    for done in reports:
        assert done.returncode in (0, 1), done.stderr
    assert reports[0].stdout == reports[1].stdout
    assert "unknown" in reports[0].stdout  # the open deals that name no account


@pytest.mark.slow
def test_coverage_of_accounts_scores_a_deal_field_as_unknown_and_says_so(
    tmp_path: Path,
) -> None:
    # An anti-ICP on the product sold: a column of the deals, not of the accounts.
    _project(tmp_path, validation=f"validation:\n  deals: {PIPELINE}\n  accounts: {ACCOUNTS}\n")
    path = tmp_path / "icps" / "maven-tech.yaml"
    path.write_text(path.read_text().replace(
        "anti_icp:\n",
        "anti_icp:\n  - {id: starter, when: {product: {in: [MG Special]}}, reason: Too small}\n",
    ))  # fmt: skip
    for engine in ("pandas", "duckdb"):
        done = icp(tmp_path, "coverage", "icps/maven-tech.yaml", "--engine", engine)
        assert done.returncode in (0, 1), done.stderr
        assert f"warning: {ACCOUNTS} has no column for product: scored as unknown" in done.stderr
        assert "12 accounts" in done.stdout


def _with_deal_column(folder: Path, header: str, value: str) -> None:
    """The deals file with one more column, the same `value` on every row."""
    lines = (folder / PIPELINE).read_text(encoding="utf-8").splitlines()
    rows = [f"{lines[0]},{header}", *(f"{line},{value}" for line in lines[1:])]
    (folder / PIPELINE).write_text("\n".join(rows) + "\n", encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("header", ["sector", "Sector"])
def test_a_column_in_both_files_is_read_from_the_deals_whatever_its_case(
    maven: Path, header: str
) -> None:
    # Every deal says retail; the accounts file says technology for half the accounts.
    _with_deal_column(maven, header, "retail")
    result = _backtest(maven)
    said = (
        f"{PIPELINE} and {ACCOUNTS} both have the column {header!r}"
        + ("" if header == "sector" else f" ('sector' in {ACCOUNTS})")
        + f": the values in {PIPELINE} are used, as its rows record each account at the time, "
        f"and those in {ACCOUNTS} left out"
    )
    assert said in result["warnings"]
    assert any("`technology`" in w and "never occurs" in str(w) for w in result["warnings"])
    written = []
    for engine in ("pandas", "duckdb"):
        out = f"{engine}.csv"
        done = icp(maven, "score", "icps/maven-tech.yaml", PIPELINE, "--engine", engine, "-o", out)
        assert done.returncode == 0, done.stderr
        assert f"warning: {said}" in done.stderr
        written.append((maven / out).read_bytes())
    assert written[0] == written[1]
    assert b"technology" not in written[0]


def test_a_mapping_to_the_accounts_spelling_of_a_shared_column_says_which_is_read(
    maven: Path,
) -> None:
    # The accounts file's `revenue` is mapped; the deals file has `Revenue` too.
    _with_deal_column(maven, "Revenue", "10")
    done = icp(maven, "backtest")
    assert done.returncode == 2
    assert done.stderr.startswith(
        f"Error: [tool.icp.columns] maps revenue_musd to 'revenue', a column of {ACCOUNTS} "
        f"that {PIPELINE} has too, as 'Revenue': where both files have a column, "
        f"{PIPELINE}'s is read, so map revenue_musd to 'Revenue'"
    ), done.stderr


@pytest.mark.slow
def test_an_account_spelled_in_another_case_is_not_joined_and_the_warning_says_so(
    maven: Path,
) -> None:
    text = (maven / PIPELINE).read_text(encoding="utf-8")
    (maven / PIPELINE).write_text(text.replace(",Account 3,", ",ACCOUNT 3,"), encoding="utf-8")
    result = _backtest(maven)
    # Kept case-sensitive, as overrides match an account (activate.md): counted, and why.
    assert result["insufficient_data"] == 14
    assert (
        f"{PIPELINE}: 14 deals (14 closed) name 1 account not in {ACCOUNTS}, e.g. 'ACCOUNT 3'; "
        "their account fields are scored as unknown; 1 of these accounts (14 deals) is there "
        "in another case, e.g. 'ACCOUNT 3' for 'Account 3': accounts are joined letter for "
        "letter (spaces trimmed, case kept), so spell them alike in both files"
    ) in result["warnings"]

    (maven / PIPELINE).write_text(text.replace(",Account ", ",ACCOUNT "), encoding="utf-8")
    done = icp(maven, "backtest")
    assert done.returncode == 2
    assert (
        "there; 12 of these accounts are there in another case, e.g. 'ACCOUNT 1' for "
        "'Account 1', 'ACCOUNT 2' for 'Account 2', 'ACCOUNT 3' for 'Account 3': accounts are "
        "joined letter for letter"
    ) in done.stderr
