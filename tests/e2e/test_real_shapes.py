"""An export shaped the way a CRM report comes, unedited: no deal id column, triggers as
Yes/No columns of its own, `Unknown` meaning "nobody knows", input columns named like the
result columns, stages for outcomes, the same data as CSV and as an Excel workbook.

Everything runs through the installed `icp` command, with settings only.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TESTS, merge
from tests.conftest import run_icp as icp
from tests.gitrepo import git

HEADER = [
    "Opportunity Name",
    "Account Name",
    "Stage",
    "Employees",
    "Industry",
    "Budget Allocated",
    "RFP Issued",
    "New CFO",
    "Status",
    "Score",
]
SETTINGS = """\
[tool.icp]
paths = ["icps"]

[tool.icp.columns]
outcome = "Stage"
account = "Account Name"

[tool.icp.outcomes]
open = ["Prospecting", "Negotiation"]
"""
SCORING = """\
firmographics:
  employees: {min: 200, max: 2000, weight: 40}
  industry: {in: [SaaS, Fintech], weight: 30}
technographics: {}
triggers:
  - {id: rfp-issued, event: Issued an RFP for forecasting, window_days: 60,
     when: {rfp_issued: {in: ["Yes"]}}, weight: 15}
  - {id: new-cfo, event: A new CFO started, window_days: 90,
     when: {new_cfo: {in: ["Yes"]}}, weight: 15}
anti_icp:
  - {id: no-budget, when: {budget_allocated: {in: [Unknown]}},
     reason: Nobody knows whether there is budget; these deals stall}
qualification:
  questions:
    - {ask: Roughly how many people work at the company?, tests: employees}
    - {ask: What do you sell?, tests: industry}
    - {ask: Have you issued an RFP?, tests: rfp-issued}
    - {ask: Has a new CFO started?, tests: new-cfo}
"""


def _rows() -> list[list[str]]:
    rng = random.Random(7)  # Mersenne Twister: the same rows on every Python
    rows = []
    for i in range(240):
        fit = rng.random() < 0.5
        small_or_big = rng.choice([rng.randint(10, 150), rng.randint(3000, 20000)])
        employees = rng.randint(200, 2000) if fit else small_or_big
        saas = rng.random() < (0.8 if fit else 0.3)
        industry = rng.choice(["SaaS", "Fintech"] if saas else ["Retail", "Manufacturing"])
        rfp = "Yes" if rng.random() < 0.4 else "No"
        cfo = "Yes" if rng.random() < 0.3 else "No"
        budget = "Unknown" if rng.random() < 0.12 else rng.choice(["Yes", "No"])
        chance = 0.15 + 0.35 * fit + 0.15 * (rfp == "Yes") + 0.1 * (cfo == "Yes")
        won = rng.random() < (0.05 if budget == "Unknown" else chance)
        stage = "Closed Won" if won else "Closed Lost"
        if i % 15 == 0:
            stage = rng.choice(["Prospecting", "Negotiation"])
        status = rng.choice(["Active", "Churned"])
        rows.append([f"Deal {i}", f"Acme {i % 180}", stage, f"{employees:,}", industry,
                     budget, rfp, cfo, status, str(rng.randint(5, 90))])  # fmt: skip
    return rows


@pytest.fixture
def export(tmp_path: Path) -> Path:
    with (tmp_path / "deals.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(_rows())
    base = (TESTS / "data" / "base.yaml").read_text(encoding="utf-8")
    text = merge(base, SCORING + "validation:\n  deals: deals.csv\n")
    (tmp_path / "icps").mkdir()
    (tmp_path / "icps" / "shape.yaml").write_text(text.replace("id: base", "id: shape"))
    (tmp_path / "pyproject.toml").write_text(SETTINGS, encoding="utf-8")
    return tmp_path


def _backtest(folder: Path, *args: str) -> dict[str, Any]:
    done = icp(folder, "backtest", "--format", "json", "--bootstrap", "0", *args)
    assert done.returncode in (0, 1), done.stderr  # gates may fail; input never does
    assert "Traceback" not in done.stderr
    [result] = json.loads(done.stdout)["results"]
    assert isinstance(result, dict)
    return result


def _closed(rows: list[list[str]]) -> list[list[str]]:
    return [r for r in rows if r[2].startswith("Closed")]


def test_the_export_backtests_unedited(export: Path) -> None:
    result = _backtest(export)
    closed = _closed(_rows())
    assert result["closed"] == len(closed)
    assert result["wins"] == sum(r[2] == "Closed Won" for r in closed)
    # No id column: rows are numbered, and the report says so instead of failing.
    assert any("no deal id column" in w for w in result["warnings"])
    # Triggers are read from the export's own Yes/No columns: nothing is left unmeasured.
    assert result["unmeasured"] == [] and result["unseen"] == []
    # `Unknown` is named by the anti-ICP, so it is a value there, not a missing cell.
    [no_budget] = result["disqualifiers"]
    assert no_budget["deals"] == sum(r[5] == "Unknown" for r in closed) > 0
    triggers = {s["name"]: s for s in result["signals"] if s["kind"] == "trigger"}
    rfp = [r for r in closed if r[6] == "Yes"]
    assert triggers["rfp-issued"]["fit_deals"] == len(rfp)
    assert triggers["rfp-issued"]["unknown_deals"] == 0
    assert result["auc"] > 0.7  # the triggers carry the signal the data was made with


def test_both_engines_write_the_same_file_and_keep_clashing_columns(export: Path) -> None:
    pandas_run = icp(export, "score", "icps/shape.yaml", "deals.csv", "-o", "pandas.csv")
    duckdb_run = icp(
        export, "score", "icps/shape.yaml", "deals.csv", "-o", "duckdb.csv", "--engine", "duckdb"
    )
    assert pandas_run.returncode == 0, pandas_run.stderr
    assert duckdb_run.returncode == 0, duckdb_run.stderr
    written = (export / "pandas.csv").read_bytes()
    assert written == (export / "duckdb.csv").read_bytes()
    with (export / "pandas.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    # The CRM's own Status and Score survive beside the result columns of the same name.
    assert [r["input_Status"] for r in rows] == [r[8] for r in _rows()]
    assert [r["input_Score"] for r in rows] == [r[9] for r in _rows()]
    unknown = [r for r in rows if r["Budget Allocated"] == "Unknown"]
    assert unknown and all(r["disqualifier"] == "no-budget" for r in unknown)
    assert all(r["status"] == "disqualified" for r in unknown)


def test_explain_finds_the_row_by_the_mapped_account_column(export: Path) -> None:
    done = icp(export, "score", "icps/shape.yaml", "deals.csv", "--explain", "Acme 7")
    assert done.returncode == 0, done.stderr
    assert "trigger rfp-issued" in done.stdout
    assert "no-budget:" in done.stdout and "budget_allocated" in done.stdout


def test_the_same_export_as_a_workbook_gives_the_same_backtest(export: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Pipeline report, all opportunities"])  # a title line above the header
    sheet.append(HEADER)
    for row in _rows():
        sheet.append(row)
    book.save(export / "deals.xlsx")
    from_csv = _backtest(export)
    from_xlsx = _backtest(export, "--deals", "deals.xlsx")
    for key in ("closed", "wins", "auc", "bands", "disqualifiers"):
        assert from_xlsx[key] == from_csv[key], key


def test_a_report_footer_is_left_out_by_both_engines(export: Path) -> None:
    footer = (
        '\n"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n'
        '"Confidential Information - Do Not Distribute"\n'
        '"Generated By:  Ann Lee  12/1/2026 10:02 AM"\n"Northwind Inc."\n'
    )
    with (export / "deals.csv").open("a", encoding="utf-8") as handle:
        handle.write(footer)
    result = _backtest(export)
    assert result["closed"] == len(_closed(_rows()))
    note = "deals.csv: left out the end of the file, where 4 lines fill only the first column"
    assert any(w.startswith(note) for w in result["warnings"])
    for engine in ("pandas", "duckdb"):
        done = icp(export, "score", "icps/shape.yaml", "deals.csv", "--engine", engine,
                   "-o", f"{engine}.csv")  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert note in done.stderr and "Scored 240 accounts" in done.stderr
    assert (export / "pandas.csv").read_bytes() == (export / "duckdb.csv").read_bytes()


def test_explain_names_rows_by_number_when_nothing_names_the_account(export: Path) -> None:
    with (export / "deals.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    with (export / "anonymous.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(row[2:] for row in rows)  # no name, no account
    settings = (export / "pyproject.toml").read_text().replace('account = "Account Name"\n', "")
    (export / "pyproject.toml").write_text(settings)
    done = icp(export, "score", "icps/shape.yaml", "anonymous.csv", "--explain", "row 3")
    assert done.returncode == 0, done.stderr
    # Row 3 as an editor shows it: the second deal, after the header.
    assert done.stdout.startswith("row 3: ")
    assert f"employees             {rows[2][3]}" in done.stdout
    outside = icp(export, "score", "icps/shape.yaml", "anonymous.csv", "--explain", "999")
    assert outside.returncode == 2 and "the file's rows are 2-241" in outside.stderr


def test_rows_shorter_than_the_header_read_alike_in_both_engines(export: Path) -> None:
    # Some exporters drop the trailing empty cells of a row.
    lines = (export / "deals.csv").read_text(encoding="utf-8").splitlines()
    short = [lines[0], *(line.rsplit(",", 1)[0] if i % 3 else line for i, line in
                         enumerate(lines[1:]))]  # fmt: skip
    (export / "short.csv").write_text("\n".join(short) + "\n", encoding="utf-8")
    for engine in ("pandas", "duckdb"):
        done = icp(export, "score", "icps/shape.yaml", "short.csv", "--engine", engine,
                   "-o", f"{engine}.csv")  # fmt: skip
        assert done.returncode == 0, done.stderr
    assert (export / "pandas.csv").read_bytes() == (export / "duckdb.csv").read_bytes()


def test_a_first_export_replacing_the_example_icp_is_not_an_error(export: Path) -> None:
    # As `icp init` leaves it: an example ICP on main that reads columns a real export lacks.
    shape = (export / "icps" / "shape.yaml").read_text()
    base = (
        (TESTS / "data" / "base.yaml").read_text(encoding="utf-8").replace("id: base", "id: shape")
    )
    (export / "icps" / "shape.yaml").write_text(base + "validation:\n  deals: deals.csv\n")
    git(export, "init", "-q", "-b", "main")
    git(export, "add", ".")
    git(export, "commit", "-q", "-m", "icp init")
    git(export, "checkout", "-q", "-b", "first-export")
    (export / "icps" / "shape.yaml").write_text(shape)
    git(export, "commit", "-q", "-am", "Our ICP, on our export")

    against = icp(export, "backtest", "--against", "main", "--bootstrap", "0")
    assert against.returncode in (0, 1), against.stderr
    assert "the version at main cannot be scored on these deals (" in against.stdout
    assert "nothing to compare" in against.stdout
    diffed = icp(export, "diff", "--base", "main")
    assert diffed.returncode == 0, diffed.stderr
    assert "impact not computed: the version before cannot be scored on these deals" in (
        diffed.stdout
    )


def test_diff_names_a_deal_once_when_nothing_names_its_account(export: Path) -> None:
    settings = (export / "pyproject.toml").read_text().replace('account = "Account Name"\n', "")
    (export / "pyproject.toml").write_text(settings)
    with (export / "deals.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    with (export / "deals.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(row[2:] for row in rows)  # no name, no account
    git(export, "init", "-q", "-b", "main")
    git(export, "add", ".")
    git(export, "commit", "-q", "-m", "ICP")
    path = export / "icps" / "shape.yaml"
    path.write_text(path.read_text().replace("in: [SaaS, Fintech]", "in: [SaaS]"))
    done = icp(export, "diff", "--base", "main", "--format", "json")
    assert done.returncode == 0, done.stderr
    [item] = json.loads(done.stdout)["icps"]
    moves = item["impact"]["moves"]
    assert moves and all(m["account"] == "" and m["deal_id"].isdigit() for m in moves)


def test_a_header_cell_a_spreadsheet_would_run_is_guarded_in_both_engines(export: Path) -> None:
    lines = (export / "deals.csv").read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("Opportunity Name", '"=HYPERLINK(""http://x"")"')
    (export / "evil.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for engine in ("pandas", "duckdb"):
        done = icp(export, "score", "icps/shape.yaml", "evil.csv", "--engine", engine,
                   "-o", f"{engine}.csv")  # fmt: skip
        assert done.returncode == 0, done.stderr
        header = (export / f"{engine}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert header.startswith('"\'=HYPERLINK(""http://x"")",Account Name,')
    assert (export / "pandas.csv").read_bytes() == (export / "duckdb.csv").read_bytes()


@pytest.mark.slow
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_failed_write_names_the_output(export: Path) -> None:
    for args in (("score", "icps/shape.yaml", "deals.csv"), ("backtest", "--bootstrap", "0")):
        for engine in ("pandas", "duckdb") if args[0] == "score" else ("pandas",):
            extra = ("--engine", engine) if args[0] == "score" else ()
            done = icp(export, *args, *extra, "-o", "/dev/full")
            assert done.returncode == 2
            assert done.stderr.strip() == "Error: No space left on device: /dev/full"


def test_a_nul_byte_deep_in_a_csv_is_refused_by_both_engines(export: Path) -> None:
    lines = (export / "deals.csv").read_text(encoding="utf-8").splitlines()
    body = lines[1:] * 40  # well past the first and last 64 KB
    body[2000] = body[2000][:10] + "\x00" + body[2000][10:]
    (export / "nul.csv").write_text("\n".join([lines[0], *body]) + "\n", encoding="utf-8")
    for engine in ("pandas", "duckdb"):
        done = icp(export, "score", "icps/shape.yaml", "nul.csv", "--engine", engine,
                   "-o", "out.csv")  # fmt: skip
        assert done.returncode == 2
        assert done.stderr.startswith("Error: nul.csv: line 2002 holds a NUL byte")


def test_nan_and_infinity_in_a_float_column_are_unknown_in_both_engines(export: Path) -> None:
    import pandas as pd

    frame = pd.read_csv(export / "deals.csv", dtype=str, keep_default_na=False)
    frame["Employees"] = [(float("nan"), float("inf"), -float("inf"), 500.0)[i % 4]
                          for i in range(len(frame))]  # fmt: skip
    frame.to_parquet(export / "typed.parquet")
    for engine in ("pandas", "duckdb"):
        done = icp(export, "score", "icps/shape.yaml", "typed.parquet", "--engine", engine,
                   "-o", f"{engine}.csv")  # fmt: skip
        assert done.returncode == 0, done.stderr
    assert (export / "pandas.csv").read_bytes() == (export / "duckdb.csv").read_bytes()
    with (export / "duckdb.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert all("employees" in r["unknown_fields"] for r in rows[:3])  # nan, inf, -inf
    assert "employees" not in rows[3]["unknown_fields"]
