"""`--explain` shows every anti-ICP condition and finds rows by the export's own id columns."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.conftest import invoke

SECOND = """\
  - {id: big-and-unbudgeted, when: {budgt_alloc: {in: [Unknown]}, employees: {min: 1000}},
     reason: Big accounts without a budget stall for a year}
"""


def rename_id(project: Path, name: str) -> None:
    export = project / "export.csv"
    export.write_text(export.read_text().replace("Deal ID", name, 1))
    toml = project / "pyproject.toml"
    toml.write_text(toml.read_text() + f'deal_id = "{name}"\n')


def row_of(salvirt: list[dict[str, str]], budget: str) -> dict[str, str]:
    return next(r for r in salvirt if r["Budgt Alloc"] == budget and int(r["Employees"]) > 1000)


def test_explain_finds_a_deal_by_its_mapped_id_column(
    salvirt: list[dict[str, str]], project: Path
) -> None:
    rename_id(project, "Opportunity Number")
    row = row_of(salvirt, "Unknown")
    result = invoke("score", "icps/salvirt.yaml", "export.csv", "--explain", row["Deal ID"])
    assert result.exit_code == 0, result.output
    heading = f"{row['Account Name']}, deal {row['Deal ID']}: 0/100, disqualified"
    assert result.stdout.startswith(heading)
    missing = invoke("score", "icps/salvirt.yaml", "export.csv", "--explain", "SV-999")
    assert missing.exit_code == 2
    assert "searched 'Account Name', 'Opportunity Number'" in missing.output


def test_explain_lists_each_anti_icp_condition_and_whether_it_fired(
    salvirt: list[dict[str, str]], project: Path
) -> None:
    path = project / "icps" / "salvirt.yaml"
    path.write_text(path.read_text().replace("anti_icp:\n", "anti_icp:\n" + SECOND, 1))
    # The first anti-ICP fires; the second (listed after) also holds, and says so.
    row = row_of(salvirt, "Unknown")
    lines = invoke("score", "icps/salvirt.yaml", "export.csv", "--explain", row["Deal ID"])
    text = [" ".join(line.split()) for line in lines.stdout.splitlines()]
    start = text.index("anti-ICP")
    assert text[start + 1 :] == [
        "big-and-unbudgeted: fired",
        "budgt_alloc Unknown in [Unknown] holds",
        f"employees {int(row['Employees']):,} 1,000..inf holds",
        "no-budget: held, but big-and-unbudgeted fired first",
        "budgt_alloc Unknown in [Unknown] holds",
        "build-in-house: not scored (signal only)",
        "signal: Insists on building everything in-house",
    ]
    other = row_of(salvirt, "n/a")
    shown = invoke("score", "icps/salvirt.yaml", "export.csv", "--explain", other["Deal ID"])
    flat = [" ".join(line.split()) for line in shown.stdout.splitlines()]
    assert "no-budget: did not fire" in flat
    assert "budgt_alloc (unknown) in [Unknown] unknown" in flat


def repeat_account(project: Path, rows: int, drop: str | None = None) -> None:
    """The first `rows` deals all with one account, as a deals export has them; `drop`
    leaves a column out."""
    export = project / "export.csv"
    with export.open(newline="", encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    for row in table[:rows]:
        row["Account Name"] = "Globex"
    fields = [name for name in table[0] if name != drop]
    with export.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(table)


def headings(text: str) -> list[str]:
    return [line.split(":")[0] for line in text.splitlines() if line and not line[0].isspace()]


def test_explain_names_each_deal_and_says_how_many_matched(
    salvirt: list[dict[str, str]], project: Path
) -> None:
    repeat_account(project, 7)
    shown = invoke("score", "icps/salvirt.yaml", "export.csv", "--explain", "globex")
    assert shown.exit_code == 0, shown.output
    assert headings(shown.stdout) == [f"Globex, deal SV-00{i}" for i in range(5)]
    assert (
        "warning: 7 rows match 'globex', 5 explained (the first in the file): explain "
        "another by its deal id, e.g. --explain 'SV-005', or write every row's points with -o"
    ) in shown.stderr
    one = invoke("score", "icps/salvirt.yaml", "export.csv", "--explain", "SV-005")
    assert headings(one.stdout) == ["Globex, deal SV-005"] and "rows match" not in one.stderr


def test_explain_names_rows_by_number_without_a_deal_id(
    salvirt: list[dict[str, str]], project: Path
) -> None:
    repeat_account(project, 6, drop="Deal ID")
    shown = invoke("score", "icps/salvirt.yaml", "export.csv", "--explain", "Globex")
    assert shown.exit_code == 0, shown.output
    # The header is row 1: the first deal is row 2.
    assert headings(shown.stdout) == [f"Globex, row {n}" for n in range(2, 7)]
    assert "6 rows match 'Globex', 5 explained" in shown.stderr
    assert "explain another by its row, e.g. --explain 'row 7'" in shown.stderr
    # The file has an account column, and a row is still reached by its number.
    last = invoke("score", "icps/salvirt.yaml", "export.csv", "--explain", "row 7")
    assert last.exit_code == 0, last.output
    assert headings(last.stdout) == ["Globex, row 7"]
