"""Explicit beats default: a value the ICP names reads as a value even when it is also an
unknown marker, for that field only, in the pandas scorer and the compiled SQL alike."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from tests.conftest import invoke, merge


def test_an_anti_icp_naming_a_marker_disqualifies_those_deals(
    salvirt: list[dict[str, str]],
) -> None:
    result = invoke("backtest", "--deals", "export.csv", "--bootstrap", "0", "--format", "json")
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)["results"][0]
    named = sum(row["Budgt Alloc"].lower() == "unknown" for row in salvirt)
    assert named > 0
    (no_budget,) = [d for d in data["disqualifiers"] if d["id"] == "no-budget"]
    assert no_budget["deals"] == named


def test_markers_stay_unknown_where_no_rule_names_them(salvirt: list[dict[str, str]]) -> None:
    result = invoke("score", "icps/salvirt.yaml", "export.csv", "-o", "scored.csv")
    assert result.exit_code == 0, result.output
    scored = pd.read_csv("scored.csv", keep_default_na=False)
    # industry names no marker: its "Unknown" is missing, not out of fit.
    missing = scored["Industry"] == "Unknown"
    assert missing.any()
    assert scored["unknown_fields"][missing].str.contains("industry").all()
    assert not scored["unknown_fields"][~missing].str.contains("industry").any()
    # budgt_alloc names only "Unknown": n/a, None and empty cells still never disqualify.
    other = scored["Budgt Alloc"].str.lower().isin(["n/a", "none", ""])
    assert other.any() and (scored["disqualifier"][other] == "").all()


def test_the_compiled_sql_reads_the_named_marker_alike(salvirt: list[dict[str, str]]) -> None:
    pandas_run = invoke("score", "icps/salvirt.yaml", "export.csv", "-o", "pandas.csv")
    sql_run = invoke(
        "score", "icps/salvirt.yaml", "export.csv", "--engine", "duckdb", "-o", "sql.csv"
    )
    assert pandas_run.exit_code == 0 and sql_run.exit_code == 0, sql_run.output
    left = pd.read_csv("pandas.csv", keep_default_na=False).sort_values("Deal ID")
    right = pd.read_csv("sql.csv", keep_default_na=False).sort_values("Deal ID")
    for column in ("disqualifier", "score", "band", "unknown_fields"):
        assert left[column].tolist() == right[column].tolist(), column
    assert (left["disqualifier"] == "no-budget").sum() == sum(
        row["Budgt Alloc"].lower() == "unknown" for row in salvirt
    )


OTHER = """\
firmographics:
  employees: {min: 200, max: 2000, weight: 30}
  industry: {in: [saas, fintech], weight: 20}
  budgt_alloc: {in: [Approved], weight: 10}
technographics:
  tech_stack: {any: [salesforce], weight: 10}
"""


def test_a_marker_one_icp_names_is_no_value_for_another(
    salvirt: list[dict[str, str]], project: Path, base_text: str
) -> None:
    # A second ICP reads the budget too, as an attribute that names no marker.
    other = merge(base_text, OTHER).replace("id: base", "id: other")
    (project / "icps" / "other.yaml").write_text(other)
    alone = invoke("score", "icps/other.yaml", "export.csv", "-o", "alone.csv")
    together = invoke("score", "icps/", "export.csv", "-o", "together.csv")
    assert alone.exit_code == 0 and together.exit_code == 0, together.output
    left = pd.read_csv("alone.csv", keep_default_na=False)
    right = pd.read_csv("together.csv", keep_default_na=False)
    assert left["unknown_fields"].str.contains("budgt_alloc").any()
    assert left["unknown_fields"].tolist() == right["other.unknown_fields"].tolist()
    assert left["score"].tolist() == right["other.score"].tolist()
    # --explain reads the cells as the ICP that scored the row did.
    row = next(r for r in salvirt if r["Budgt Alloc"] == "Unknown")
    shown = invoke("score", "icps/", "export.csv", "--explain", row["Deal ID"])
    assert shown.exit_code == 0, shown.output
    assert "(other " in shown.stdout.splitlines()[0]
    line = next(x for x in shown.stdout.splitlines() if x.strip().startswith("budgt_alloc"))
    assert line.split()[1:3] == ["(unknown)", "in"] and " unknown " in line
