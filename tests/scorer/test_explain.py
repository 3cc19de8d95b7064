"""`--explain` shows every anti-ICP condition and finds rows by the export's own id columns."""

from __future__ import annotations

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
    assert result.stdout.startswith(f"{row['Account Name']}: 0/100, disqualified")
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
