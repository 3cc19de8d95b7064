"""ICPs that pass `icp check` work everywhere; ICPs that do not are refused everywhere.

Every hostile ICP in `inputs/icp/` goes through every command that reads an ICP (check,
score with both engines, backtest, compile, diff, site build): `icp check` reports it as a
located finding, and the other commands stop with a clear exit-2 error naming the file and
the line, never an internal error. Most inputs are snippets merged into the clean
`tests/data/base.yaml`; the ones in WHOLE are whole files.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from icpkit.cli import cli
from icpkit.format.valid import load_icp
from tests.conftest import TESTS, merge

INPUTS = Path(__file__).parent / "inputs" / "icp"
WHOLE = ("only-null.yaml", "only-tilde.yaml", "only-dashes.yaml")
ACCOUNTS = (
    "account,employees,revenue_usd,industry,country,tech_stack,triggers\n"
    "a1,500,50000000,saas,US,salesforce,new-sales-leader\n"
    "a2,40,3000000,retail,DE,hubspot,\n"
)
DEALS = "deal_id,outcome,close_date,amount,employees,revenue_usd,industry,country,tech_stack,"
DEALS += "triggers\n" + "".join(
    f"d{i},{'won' if i % 2 else 'lost'},2026-0{1 + i % 9}-01,1000,"
    f"{500 if i % 2 else 60},50000000,saas,US,salesforce,new-sales-leader\n"
    for i in range(30)
)

# input -> (rule icp check reports, a word of its message, the line it points at)
BROKEN = {
    "only-null.yaml": ("ICP001", "holds only an empty value", 1),
    "only-tilde.yaml": ("ICP001", "holds only an empty value", 1),
    "only-dashes.yaml": ("ICP001", "holds only an empty value", 1),
    "duplicate-trigger-id.yaml": ("ICP033", "trigger id `new-sales-leader` is used twice", 54),
    "duplicate-anti-icp-id.yaml": ("ICP034", "anti-ICP id `too-small` is used twice", 54),
    "field-in-two-sections.yaml": ("ICP035", "`employees` is also scored under firmographics", 57),
    "tagged-map.yaml": ("ICP001", "unsupported YAML tag '!budget'", 51),
    "tagged-list.yaml": ("ICP001", "unsupported YAML tag '!!omap'", 54),
    "tagged-set.yaml": ("ICP001", "unsupported YAML tag '!!set'", 54),
    "huge-int-tag.yaml": ("ICP001", "'1e999999' is not a whole number", 55),
    "huge-int.yaml": ("ICP001", "is too large to be a usable number", 54),
    "int-beyond-float.yaml": ("ICP001", "is too large to be a usable number", 53),
}


def icp(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def _text(name: str) -> str:
    raw = (INPUTS / name).read_text(encoding="utf-8")
    return raw if name in WHOLE else merge((TESTS / "data" / "base.yaml").read_text(), raw)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "icps").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.icp]\npaths = ["icps"]\n')
    (tmp_path / "accounts.csv").write_text(ACCOUNTS)
    (tmp_path / "deals.csv").write_text(DEALS)
    (tmp_path / "icps" / "good.yaml").write_text((TESTS / "data" / "base.yaml").read_text())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _clean(result: Result) -> None:
    assert "internal error" not in result.output, result.output
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_check_reports_a_located_finding(project: Path, name: str) -> None:
    (project / "icps" / "base.yaml").write_text(_text(name), encoding="utf-8")
    rule, words, line = BROKEN[name]
    result = icp("check", "icps/base.yaml", "--format", "text")
    _clean(result)
    assert result.exit_code == 1, result.output
    found = [ln for ln in result.output.splitlines() if f"[{rule}]" in ln]
    assert found, result.output
    assert any(words in ln for ln in found), found
    assert any(ln.startswith(f"icps/base.yaml:{line}:") for ln in found), found


@pytest.mark.parametrize("name", sorted(BROKEN))
@pytest.mark.parametrize(
    "command",
    [
        ("score", "{icp}", "accounts.csv"),
        ("score", "--engine", "duckdb", "{icp}", "accounts.csv"),
        ("backtest", "{icp}", "--deals", "deals.csv"),
        ("compile", "{icp}"),
        ("diff", "icps/good.yaml", "{icp}"),
    ],
    ids=["score", "score-duckdb", "backtest", "compile", "diff"],
)
def test_other_commands_refuse_it_naming_file_and_line(
    project: Path, name: str, command: tuple[str, ...]
) -> None:
    target = project / "icps" / "base.yaml"
    target.write_text(_text(name), encoding="utf-8")
    _, words, line = BROKEN[name]
    result = icp(*(part.format(icp="icps/base.yaml") for part in command))
    _clean(result)
    assert result.exit_code == 2, result.output
    assert re.search(rf"Error: \S*icps/base\.yaml:{line}:\d+: ", result.output), result.output
    assert words in result.output, result.output


@pytest.mark.parametrize("name", ["only-tilde.yaml", "duplicate-anti-icp-id.yaml"])
def test_a_refused_icp_leaves_earlier_output_intact(project: Path, name: str) -> None:
    (project / "icps" / "base.yaml").write_text(_text(name), encoding="utf-8")
    (project / "scores.csv").write_text("earlier scores\n")
    (project / "query.sql").write_text("earlier query\n")
    assert icp("score", "icps/base.yaml", "accounts.csv", "-o", "scores.csv").exit_code == 2
    assert icp("compile", "icps/base.yaml", "-o", "query.sql").exit_code == 2
    assert (project / "scores.csv").read_text() == "earlier scores\n"
    assert (project / "query.sql").read_text() == "earlier query\n"


def test_installed_icp_refuses_a_null_file(project: Path) -> None:
    (project / "icps" / "base.yaml").write_text("~\n")
    icp_bin = Path(sys.executable).parent / "icp"
    done = subprocess.run(
        [str(icp_bin), "score", "icps/base.yaml", "accounts.csv"], capture_output=True, text=True
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("Error: icps/base.yaml:1:1: "), done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_baseline_holding_null_is_a_located_error(project: Path) -> None:
    (project / "icp-baseline.yaml").write_text((INPUTS / "baseline-tilde.yaml").read_text())
    result = icp("check")
    _clean(result)
    assert result.exit_code == 2, result.output
    assert "icp-baseline.yaml:1:1: " in result.output and "empty value" in result.output


# ---- YAML 1.2 scalars ------------------------------------------------------------------


def test_a_code_with_a_leading_zero_stays_that_code(project: Path) -> None:
    text = (TESTS / "data" / "base.yaml").read_text().replace("[saas, fintech]", "[saas, 0111]")
    (project / "icps" / "base.yaml").write_text(text)
    assert icp("check", "icps/base.yaml").exit_code == 0
    industry = load_icp(project / "icps" / "base.yaml").attribute("industry")
    assert industry is not None and industry.match.values == ("saas", "0111")
    (project / "codes.csv").write_text(ACCOUNTS.replace(",saas,", ",0111,", 1))
    for engine in ("pandas", "duckdb"):
        result = icp("score", "--engine", engine, "icps/base.yaml", "codes.csv", "-o", "out.csv")
        assert result.exit_code == 0, result.output
        header, first, _ = (project / "out.csv").read_text().splitlines()
        assert dict(zip(header.split(","), first.split(","), strict=True))["score"] == "85.0"


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("window_days: 60", "window_days: 3:20", "`window_days` must be a whole number, not text"),
        ("max: 2000,", "max: 2_000,", "`max` must be a number, not text '2_000'"),
        ("window_days: 60", "window_days: 0b11001", "not text '0b11001'"),
        ("window_days: 60", "window_days: 0o74", "not text '0o74'"),
        ("window_days: 60", "window_days: 0x3C", "not text '0x3C'"),
        ("window_days: 60", "window_days: 074", "not text '074'"),
    ],
)
def test_yaml11_number_forms_are_not_numbers(project: Path, old: str, new: str, words: str) -> None:
    text = (TESTS / "data" / "base.yaml").read_text()
    assert old in text
    (project / "icps" / "base.yaml").write_text(text.replace(old, new, 1))
    result = icp("check", "icps/base.yaml")
    assert result.exit_code == 1
    assert "[ICP003]" in result.output and words in result.output, result.output
    scored = icp("score", "icps/base.yaml", "accounts.csv")
    assert scored.exit_code == 2 and words in scored.output, scored.output


def test_yaml12_floats_are_numbers(project: Path) -> None:
    text = (TESTS / "data" / "base.yaml").read_text()
    text = text.replace("min: 20000000, max: 200000000", "min: 2e7, max: 2.0E+8")
    (project / "icps" / "base.yaml").write_text(text)
    assert icp("check", "icps/base.yaml").exit_code == 0
    revenue = load_icp(project / "icps" / "base.yaml").attribute("revenue_usd")
    assert revenue is not None and (revenue.match.min, revenue.match.max) == (2e7, 2e8)


# ---- duplicate ICP ids -----------------------------------------------------------------


def _two_with_one_id(project: Path) -> None:
    base = (TESTS / "data" / "base.yaml").read_text()
    (project / "icps" / "good.yaml").unlink()
    (project / "icps" / "base.yaml").write_text(base)
    (project / "icps" / "base-emea.yaml").write_text(base.replace("[US, GB]", "[DE, FR]"))


def test_duplicate_ids_break_the_site_build_naming_both_files(project: Path) -> None:
    _two_with_one_id(project)
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# ICPs\n")
    (project / "mkdocs.yml").write_text(
        "site_name: ICPs\ntheme: {name: material}\nplugins: [icpkit]\n"
    )
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("previous site")
    for strict in ("--strict", "--no-strict"):
        result = icp("site", "build", strict)
        _clean(result)
        assert result.exit_code == 2, result.output
        assert "icps/base-emea.yaml" in result.output and "icps/base.yaml" in result.output
        assert "id `base`" in result.output, result.output
        assert (project / "site" / "index.html").read_text() == "previous site"


@pytest.mark.parametrize(
    "command",
    [("score", "icps", "accounts.csv"), ("backtest", "icps", "--deals", "deals.csv")],
    ids=["score", "backtest"],
)
def test_duplicate_ids_stop_score_and_backtest(project: Path, command: tuple[str, ...]) -> None:
    _two_with_one_id(project)
    result = icp(*command)
    _clean(result)
    assert result.exit_code == 2, result.output
    assert "icps/base-emea.yaml" in result.output and "icps/base.yaml" in result.output


# ---- settings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "key"),
    [
        ("max-range-ratio = nan", "max-range-ratio"),
        ("max-range-ratio = inf", "max-range-ratio"),
        ("max-coverage = nan", "max-coverage"),
        ("auc-tolerance = nan", "auc-tolerance"),
        ("[tool.icp.values.employees]\n'1-10' = {min = 1, max = nan}", "values.employees.1-10.max"),
        ("[tool.icp.values.employees]\nhuge = -inf", "values.employees.huge"),
    ],
)
def test_settings_refuse_nan_and_inf(project: Path, setting: str, key: str) -> None:
    (project / "pyproject.toml").write_text(f'[tool.icp]\npaths = ["icps"]\n{setting}\n')
    for command in (("check",), ("backtest", "icps/good.yaml", "--deals", "deals.csv")):
        result = icp(*command)
        _clean(result)
        assert result.exit_code == 2, result.output
        assert f"key '{key}'" in result.output and "not a usable number" in result.output, (
            result.output
        )


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_auc_tolerance_option_refuses_nan_and_inf(project: Path, value: str) -> None:
    result = icp("backtest", "icps/good.yaml", "--deals", "deals.csv", "--auc-tolerance", value)
    _clean(result)
    assert result.exit_code == 2, result.output
    assert "--auc-tolerance" in result.output, result.output
