"""Excel workbooks read wherever CSV is: real .xlsx files written by openpyxl, shaped like
CRM report exports (a title above the header, typed numbers and dates, several sheets)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from icpkit.errors import InputError
from icpkit.scorer.tables import read_table
from tests.conftest import invoke

ICP = "icps/midmarket-saas-revops.yaml"
DEALS = "fixtures/deals/midmarket-saas-revops.csv"
XLSX = "midmarket-saas-revops.xlsx"
NUMBERS = ("amount_usd", "cycle_days", "employees", "sales_team_growth_pct")


def workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = openpyxl.Workbook()
    blank = book.active  # a new workbook's one empty sheet
    assert isinstance(blank, Worksheet)
    book.remove(blank)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def typed_rows(csv: str) -> list[list[Any]]:
    """The CSV's rows as Excel holds them: numbers as numbers, dates as dates."""
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    rows: list[list[Any]] = [list(frame.columns)]
    for record in frame.to_dict("records"):
        row: list[Any] = []
        for column, value in record.items():
            if column in NUMBERS and re.fullmatch(r"-?\d+", value):
                row.append(int(value))
            elif column == "revenue_usd" and re.fullmatch(r"[\d,]+", value):
                row.append(float(value.replace(",", "")))
            elif column == "closed_on" and value:
                row.append(dt.date.fromisoformat(value))
            else:
                row.append(value or None)
        rows.append(row)
    return rows


def test_a_report_export_reads_as_text_cells(tmp_path: Path) -> None:
    path = workbook(tmp_path / "Opportunities.xlsx", {
        "Report": [
            ["Closed opportunities, FY26"],
            [],
            ["Filtered by: Stage = Closed Won, Closed Lost"],
            ["Account ID", "Employees", "Close Date", "Amount", "Created", "Churned"],
            ["00123", 1200, dt.date(2026, 1, 5), 25000.5, dt.datetime(2026, 1, 2, 9, 30), True],
            [],
            ["00124", None, dt.datetime(2026, 2, 1), 0.1 + 0.2, None, False],
        ],
        "Notes": [["not", "this"]],
    })  # fmt: skip
    table = read_table(path)
    frame = table.frame
    assert frame.columns.tolist() == ["Account ID", "Employees", "Close Date", "Amount",
                                      "Created", "Churned"]  # fmt: skip
    assert frame.to_dict("records")[0] == {
        "Account ID": "00123", "Employees": "1200", "Close Date": "2026-01-05",
        "Amount": "25000.5", "Created": "2026-01-02 09:30:00", "Churned": "TRUE",
    }  # fmt: skip
    # The blank row is skipped, an empty cell is missing, a float is Excel's 15 digits.
    assert len(frame) == 2 and pd.isna(frame["Employees"].iloc[1])
    assert frame["Amount"].iloc[1] == "0.3" and frame["Close Date"].iloc[1] == "2026-02-01"
    assert table.header_row == 4
    assert table.notes == ("read sheet 'Report', the first of 2 (others: 'Notes'); "
                           "name another as Opportunities.xlsx#<sheet>",)  # fmt: skip


def test_a_sheet_is_picked_with_a_hash(tmp_path: Path) -> None:
    path = workbook(tmp_path / "crm.xlsx", {
        "Summary": [["Total", 3]],
        "Closed deals": [["deal_id", "outcome"], ["D-1", "Won"]],
        "Empty": [],
    })  # fmt: skip
    table = read_table(tmp_path / "crm.xlsx#Closed deals")
    assert table.frame.to_dict("records") == [{"deal_id": "D-1", "outcome": "Won"}]
    assert table.notes == ()
    assert read_table(tmp_path / "crm.xlsx#closed DEALS").frame.shape == (1, 2)
    with pytest.raises(InputError, match=r"crm\.xlsx#Empty: sheet 'Empty' is empty"):
        read_table(tmp_path / "crm.xlsx#Empty")
    with pytest.raises(InputError, match=r"no sheet 'Won'; the workbook has 'Summary', "):
        read_table(tmp_path / "crm.xlsx#Won")
    with pytest.raises(InputError, match=r"data file not found: .*other\.xlsx$"):
        read_table(path.with_name("other.xlsx#Closed deals"))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("deals.xlsx", b"PK\x03\x04 not really a zip", "cannot read as an Excel workbook"),
        ("deals.xlsx", b"deal_id,outcome\nD-1,Won\n", "cannot read as an Excel workbook"),
    ],
)
def test_a_broken_workbook_is_one_clear_error(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    (tmp_path / name).write_bytes(content)
    with pytest.raises(InputError, match=message) as caught:
        read_table(tmp_path / name)
    assert name in str(caught.value)


def test_a_workbook_named_csv_says_what_it_is(tmp_path: Path) -> None:
    workbook(tmp_path / "book.xlsx", {"Sheet": [["a"], [1]]})
    (tmp_path / "deals.csv").write_bytes((tmp_path / "book.xlsx").read_bytes())
    with pytest.raises(InputError, match=r"deals\.csv: not a CSV file: it is an Excel workbook"):
        read_table(tmp_path / "deals.csv")


@pytest.fixture
def deals_xlsx(example_repo: Path) -> Path:
    title = [["Closed deals export"], []]
    sheets = {"Deals": title + typed_rows(DEALS), "Pivot": [["x"]]}
    return workbook(example_repo / XLSX, sheets)


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_icp_score_reads_excel_as_it_reads_the_csv(deals_xlsx: Path, engine: str) -> None:
    csv = invoke("score", ICP, DEALS, "--engine", engine, "-o", "from_csv.parquet")
    xlsx = invoke("score", ICP, XLSX, "--engine", engine, "-o", "from_xlsx.parquet")
    assert csv.exit_code == 0 and xlsx.exit_code == 0, xlsx.output
    expected, actual = pd.read_parquet("from_csv.parquet"), pd.read_parquet("from_xlsx.parquet")
    result = [c for c in expected.columns if c == "score" or c.startswith(("band", "points."))]
    assert actual[result].equals(expected[result])
    assert actual["deal_id"].tolist() == expected["deal_id"].tolist()
    assert "warning: read sheet 'Deals', the first of 2" in xlsx.stderr


def test_backtest_suggest_coverage_and_diff_read_excel(deals_xlsx: Path) -> None:
    def run(*args: str) -> str:
        result = invoke(*args)
        assert result.exit_code in (0, 1), result.output
        return result.stdout.replace(f"{XLSX}#Deals", DEALS)

    def same(*args: str) -> None:
        assert run(*args, f"{XLSX}#Deals") == run(*args, DEALS), args

    same("backtest", ICP, "--format", "json", "--deals")
    same("suggest", "--current", ICP, "--force", "--format", "json", "--deals")
    same("coverage", ICP, "--format", "json", "--universe")
    changed = Path("changed.yaml")
    bands = Path(ICP).read_text().replace("strong: 85, good: 70", "strong: 80, good: 60")
    changed.write_text(bands)
    same("diff", ICP, str(changed), "--format", "json", "--deals")
    # validation.deals may name the workbook's sheet too.
    icp = Path(ICP)
    icp.write_text(icp.read_text().replace(f"deals: {DEALS}", f"deals: {XLSX}#Deals"))
    report = json.loads(invoke("backtest", ICP, "--format", "json").stdout)
    assert report["results"][0]["deals_file"] == f"{XLSX}#Deals"
    assert report["results"][0]["closed"] > 20 and report["passed"]


def test_messages_name_the_row_of_the_sheet(example_repo: Path) -> None:
    rows = [["Closed deals export"], [], *typed_rows(DEALS)]
    rows[5][rows[2].index("employees")] = "lots"  # the sixth row of the sheet
    workbook(example_repo / "report.xlsx", {"Deals": rows})
    result = invoke("score", ICP, "report.xlsx", "-o", "scored.csv")
    assert result.exit_code == 0, result.output
    assert (
        "report.xlsx: employees: 1 value not read as numbers, scored as unknown: row 6 'lots'"
        in (result.stderr)
    )


def test_a_run_that_stops_on_the_first_sheet_says_which_sheet_it_read(
    example_repo: Path,
) -> None:
    workbook(example_repo / "crm.xlsx", {
        "Summary": [["Total", "Won"], [3, 2]],
        "Closed deals": [["deal_id", "outcome"], ["D-1", "Won"]],
    })  # fmt: skip
    done = invoke("backtest", "icps/midmarket-saas-revops.yaml", "--deals", "crm.xlsx")
    assert done.exit_code == 2
    assert "Note: read sheet 'Summary', the first of 2 (others: 'Closed deals')" in done.stderr
