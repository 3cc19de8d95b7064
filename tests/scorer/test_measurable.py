"""No rule silently never matches: rules the deals cannot test, and values no deal holds,
are warned about in every backtest format and in `icp diff`."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from icpkit.scorer.vocabulary import unseen_values
from tests.conftest import invoke
from tests.scorer.conftest import IcpFn

TRIGGER_WARNING = (
    "trigger `new-sales-leader` (15 pts) cannot be measured on these deals: they have no "
    "`triggers` column; scores are capped at 70"
)
TYPO_WARNING = (
    "segment value `Strategic acount` (attribute `segment`) never occurs in these deals; "
    "did you mean `Strategic Account`?"
)


def misspell(project: Path) -> None:
    path = project / "icps" / "salvirt.yaml"
    path.write_text(path.read_text().replace("Strategic Account", "Strategic acount"))


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_every_backtest_format_names_what_cannot_match(
    salvirt: list[dict[str, str]], project: Path, fmt: str
) -> None:
    misspell(project)
    result = invoke("backtest", "--deals", "export.csv", "--bootstrap", "0", "--format", fmt)
    assert result.exit_code in (0, 1), result.output
    output = result.stdout
    if fmt == "json":
        data = json.loads(output)["results"][0]
        output = "\n".join(data["warnings"])
        assert {(u["field"], u["value"], u["closest"]) for u in data["unseen"]} >= {
            ("segment", "Strategic acount", "Strategic Account")
        }
        unmeasured = {(m["kind"], m["name"], m["column"], m["why"]) for m in data["unmeasured"]}
        assert unmeasured == {
            ("trigger", "new-sales-leader", "triggers", "absent"),
            ("trigger", "series-b-plus", "triggers", "absent"),
        }
    assert TRIGGER_WARNING in output
    assert TYPO_WARNING in output


def test_absent_attribute_and_anti_icp_columns_are_reported(
    salvirt: list[dict[str, str]], project: Path
) -> None:
    toml = project / "pyproject.toml"
    toml.write_text(
        toml.read_text().replace('["triggers"]', '["triggers", "tech_stack", "budgt_alloc"]')
    )
    rows = (project / "export.csv").read_text().splitlines()
    # The export has neither column; absent-fields says so, so the run goes on.
    header = rows[0].split(",")
    keep = [i for i, name in enumerate(header) if name not in ("Tech Stack", "Budgt Alloc")]
    (project / "export.csv").write_text(
        "\n".join(",".join(row.split(",")[i] for i in keep) for row in rows) + "\n"
    )
    result = invoke("backtest", "--deals", "export.csv", "--bootstrap", "0")
    assert result.exit_code in (0, 1), result.output
    text = " ".join(result.stdout.split())
    # 100 - 30 (two triggers) - 10 (tech_stack) = 60.
    assert (
        "attribute `tech_stack` (10 pts) cannot be measured on these deals: they have no "
        "`tech_stack` column; scores are capped at 60"
    ) in text
    assert (
        "anti-ICP `no-budget` cannot be measured on these deals: they have no `budgt_alloc` "
        "column; it never disqualifies"
    ) in text


def test_a_column_with_no_known_value_is_reported(
    salvirt: list[dict[str, str]], project: Path
) -> None:
    export = project / "export.csv"
    lines = export.read_text().splitlines()
    header = lines[0].split(",")
    column = header.index("Segment")
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split(",")
        cells[column] = "n/a"
        out.append(",".join(cells))
    export.write_text("\n".join(out) + "\n")
    result = invoke("backtest", "--deals", "export.csv", "--bootstrap", "0")
    assert (
        "attribute `segment` (10 pts) cannot be measured on these deals: their `segment` column "
        "holds no known value; scores are capped at 60"
    ) in " ".join(result.stdout.split())


def test_diff_says_an_added_trigger_cannot_be_measured(
    salvirt: list[dict[str, str]], project: Path
) -> None:
    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.email=t@t", "-c", "user.name=t", *args],
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "first")
    path = project / "icps" / "salvirt.yaml"
    path.write_text(
        path.read_text().replace(
            "triggers:\n",
            "triggers:\n  - {id: rfp, event: Issued an RFP, window_days: 30, "
            "detect: RFP feeds, weight: 15}\n",
            1,
        )
    )
    misspell(project)
    expected = (
        "trigger `rfp` (15 pts) cannot be measured on these deals: they have no `triggers` "
        "column, so it earns nothing on any deal here"
    )
    typo = "segment value `Strategic acount` (attribute `segment`) never occurs in these deals"
    args = ["diff", "HEAD:icps/salvirt.yaml", "icps/salvirt.yaml", "--deals", "export.csv"]
    text = invoke(*args)
    assert text.exit_code == 0, text.output
    flat = " ".join(text.stdout.split())
    assert f"Note: {expected}" in flat and typo in flat
    # The old version already lacked both trigger columns: only what this change adds.
    assert "new-sales-leader" not in flat.split("Note:", 1)[1]
    data = json.loads(invoke(*args, "--format", "json").stdout)
    spots = data["icps"][0]["impact"]["blind_spots"]
    assert any(s.startswith(expected) for s in spots)
    assert expected in invoke(*args, "--format", "markdown").stdout


def test_list_values_are_looked_up_item_by_item(make_icp: IcpFn) -> None:
    icp = make_icp("technographics:\n  tech_stack: {any: [slack, gong, Hubspto], weight: 10}\n")
    cells = [" Salesforce |Slack", "HubSpot||", None, "salesforce", "", "Gong Suite | slack"]
    deals = pd.DataFrame({"tech_stack": pd.Series(cells, dtype="string[pyarrow]")})
    unseen = unseen_values(icp, deals, separator="|")
    # Items are trimmed and folded; "Gong Suite" is an item, not "gong"; the most frequent
    # spelling of a value is the one suggested.
    assert [(u.field, u.value, u.closest) for u in unseen] == [
        ("tech_stack", "gong", None),
        ("tech_stack", "Hubspto", "HubSpot"),
    ]


@pytest.mark.parametrize(
    ("cells", "closest"),
    [
        (["HubSpot", "hubspot", "hubspot"], "hubspot"),  # the most frequent spelling
        (["HubSpot", "hubspot"] * 3, "HubSpot"),  # as frequent: the first held
        (["hubspot", "HubSpot"] * 3, "hubspot"),
    ],
)
def test_the_suggested_spelling_is_the_most_common_then_the_first(
    make_icp: IcpFn, cells: list[str], closest: str
) -> None:
    icp = make_icp("technographics:\n  tech_stack: {any: [Hubspto], weight: 10}\n")
    deals = pd.DataFrame({"tech_stack": pd.Series(cells, dtype="string[pyarrow]")})
    assert [u.closest for u in unseen_values(icp, deals)] == [closest]


def test_a_number_written_as_a_float_column_writes_it_is_suggested(make_icp: IcpFn) -> None:
    # `in: ["2"]` on a column saved from floats: `2.0` is too far from `2` for difflib.
    icp = make_icp("technographics:\n  tech_stack: {any: ['2', '7'], weight: 10}\n")
    cells = ["2.0", "3.0", "2.0", "12.0"]
    deals = pd.DataFrame({"tech_stack": pd.Series(cells, dtype="string[pyarrow]")})
    assert [(u.value, u.closest) for u in unseen_values(icp, deals)] == [("2", "2.0"), ("7", None)]
