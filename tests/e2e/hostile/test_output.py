"""Output that cannot hurt whoever opens it: CSV opened in a spreadsheet runs no formula,
Markdown in a PR comment or job summary makes no link, image, mention, HTML or new block,
and the site shows file names as text.

Every hostile value goes in where a user's data does (a CRM export, an ICP file, a commit,
a file name) and comes out through the real command.
"""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner, Result

from icpkit.cli import cli
from icpkit.reporters.markdown import cell, code
from tests.conftest import ROOT
from tests.gitrepo import ICP, ICP_FILE, example_project, git, q2_text

DEALS = f"fixtures/deals/{ICP}.csv"
# A payload per spreadsheet trigger (OWASP CSV injection), then harmless look-alikes.
FORMULAS = {
    '=HYPERLINK("http://evil.test","x")': '\'=HYPERLINK("http://evil.test","x")',
    "+1+cmd|' /C calc'!A0": "'+1+cmd|' /C calc'!A0",
    "-2+3": "'-2+3",
    "@SUM(1+1)": "'@SUM(1+1)",
    "\t=1+1": "'\t=1+1",
    "\r=1+1": "'\r=1+1",
    "-5": "-5",
    "+7.5": "+7.5",
    "-1e3": "-1e3",
    "Acme = best": "Acme = best",
}
LINK = "[x](javascript:alert(1))"
HOSTILE = (
    f"{LINK} ![i](https://evil.test/p.png) <img src=x onerror=alert(1)> @octocat see #1 "
    "https://evil.test www.evil.test\r# Heading\n- item\u2028> quote | pipe `tick`"
)


def icp(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def assert_inert(markdown: str) -> None:
    """No link, image, HTML, mention, issue link, autolink or new block from HOSTILE."""
    assert "\r" not in markdown and "\u2028" not in markdown
    assert not re.search(r"(?<!\\)\[(?:x|i)(?<!\\)\]", markdown), markdown
    assert not re.search(r"(?<!\\)<img", markdown)
    assert "@octocat" not in markdown and "#1 " not in markdown
    assert "https://evil" not in markdown and "www.evil" not in markdown
    for line in markdown.splitlines():
        assert not line.startswith(("# Heading", "- item", "> quote")), line
    assert "\\[x\\](javascript:alert(1))" in markdown


# ---- CSV -------------------------------------------------------------------------------


@pytest.fixture
def accounts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example project, its deals' account names replaced by formulas, one a bare CR."""
    example_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    frame = pd.read_csv(DEALS, dtype=str, keep_default_na=False)
    names = [*FORMULAS, "two\rlines"]
    frame["account"] = [names[i % len(names)] for i in range(len(frame))]
    # Quoted, as CRMs export a cell holding a CR (pandas alone would leave it bare).
    frame.to_csv("accounts.csv", index=False, quoting=csv.QUOTE_NONNUMERIC)
    return tmp_path / "accounts.csv"


def _setting(line: str) -> None:
    """Add `line` to [tool.icp] itself, not to the sub-table that ends the file."""
    path = Path("pyproject.toml")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("[tool.icp]\n", f"[tool.icp]\n{line}\n", 1), encoding="utf-8")


def _cells(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_score_csv_neutralises_formulas_and_keeps_numbers(accounts: Path, engine: str) -> None:
    done = icp("score", ICP_FILE, str(accounts), "--engine", engine, "-o", "scored.csv")
    assert done.exit_code == 0, done.output
    rows = _cells(Path("scored.csv"))
    source = _cells(accounts)
    assert len(rows) == len(source)
    for row, raw in zip(rows, source, strict=True):
        assert row["account"] == FORMULAS.get(raw["account"], raw["account"])
    # Result numbers, negative ones too, are written as numbers, never quote-prefixed.
    numbers = [name for name in rows[0] if name == "score" or name.startswith("points.")]
    assert len(numbers) > 1
    cells = [r[name] for r in rows for name in numbers]
    assert [c for c in cells if c and not re.fullmatch(r"-?\d+(\.\d+)?", c)] == []


def test_both_engines_write_the_same_guarded_bytes(accounts: Path) -> None:
    for engine in ("pandas", "duckdb"):
        done = icp("score", ICP_FILE, str(accounts), "--engine", engine, "-o", f"{engine}.csv")
        assert done.exit_code == 0, done.output
    assert Path("pandas.csv").read_bytes() == Path("duckdb.csv").read_bytes()


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_a_bare_cr_is_quoted_so_the_file_reads_back_with_its_rows(
    accounts: Path, engine: str
) -> None:
    done = icp("score", ICP_FILE, str(accounts), "--engine", engine, "-o", "scored.csv")
    assert done.exit_code == 0, done.output
    data = Path("scored.csv").read_bytes()
    assert b'"two\rlines"' in data
    back = pd.read_csv("scored.csv", dtype=str, keep_default_na=False)
    assert len(back) == len(pd.read_csv(accounts, dtype=str))
    assert "two\rlines" in set(back["account"])


def test_stdout_csv_is_guarded_too(accounts: Path) -> None:
    done = icp("score", ICP_FILE, str(accounts))
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader(io.StringIO(done.stdout, newline="")))
    assert {r["account"] for r in rows} >= {"'@SUM(1+1)", "-5", "two\rlines"}


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_csv_raw_writes_cells_as_scored(accounts: Path, engine: str) -> None:
    flag = icp("score", ICP_FILE, str(accounts), "--engine", engine, "--csv-raw", "-o", "a.csv")
    assert flag.exit_code == 0, flag.output
    _setting("csv-raw = true")
    setting = icp("score", ICP_FILE, str(accounts), "--engine", engine, "-o", "b.csv")
    assert setting.exit_code == 0, setting.output
    for name in ("a.csv", "b.csv"):
        values = {r["account"] for r in _cells(Path(name))}
        assert {"@SUM(1+1)", "-2+3", "\t=1+1"} <= values


def test_csv_raw_setting_must_be_a_boolean(accounts: Path) -> None:
    _setting('csv-raw = "yes"')
    done = icp("score", ICP_FILE, str(accounts), "-o", "a.csv")
    assert done.exit_code == 2
    assert "csv-raw" in done.output and "Traceback" not in done.output


# ---- Markdown --------------------------------------------------------------------------


def test_the_helper_leaves_plain_text_readable() -> None:
    assert cell("Closed won 72.8% >= 70.0% (needs 3)") == "Closed won 72.8% >= 70.0% (needs 3)"
    assert cell("1. first") == "1\\. first" and cell("=== x") == "\\=== x"
    assert code("firmographics.employees.min") == "`firmographics.employees.min`"
    assert code("a`b|c") == "<code>a\\`b\\|c</code>"
    # A message's quoted value stays inline code, where GitHub links and mentions nothing.
    assert cell("id `[x](y) @me` differs") == "id `[x](y) @me` differs"
    assert cell("`a|b` @me") == "<code>a\\|b</code> @&#8203;me"
    assert cell("``` - x") == "\\`\\`\\` - x"


@pytest.fixture
def hostile_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example project in git: hostile account names in the deals, an ICP value no deal
    holds, and two commits whose subject and author are hostile."""
    example_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    frame = pd.read_csv(DEALS, dtype=str, keep_default_na=False)
    frame["account"] = [f"{HOSTILE} {i}" for i in range(len(frame))]
    frame.to_csv(DEALS, index=False)
    path = Path(ICP_FILE)
    current = path.read_text(encoding="utf-8")
    hostile_value = HOSTILE.replace("\r", " ").replace("\n", " ").replace("\u2028", " ")
    path.write_text(
        q2_text(current).replace("in: [saas, fintech]", f"in: [saas, fintech, {hostile_value!r}]"),
        encoding="utf-8",
    )
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", HOSTILE, author="Mallory @octocat")
    path.write_text(current, encoding="utf-8")
    git(tmp_path, "commit", "-qam", f"Widen {HOSTILE}", author="Eve [x](javascript:alert(1))")
    return tmp_path


def test_history_markdown_is_inert(hostile_repo: Path) -> None:
    done = icp("history", ICP_FILE, "--format", "markdown")
    assert done.exit_code == 0, done.output
    assert_inert(done.stdout)
    assert "Mallory @&#8203;octocat" in done.stdout


def test_diff_markdown_is_inert(hostile_repo: Path) -> None:
    done = icp("diff", "--base", "HEAD~1", "--format", "markdown")
    assert done.exit_code == 0, done.output
    assert "| Deal | Account |" in done.stdout  # the hostile accounts are shown
    assert_inert(done.stdout)


def test_backtest_markdown_is_inert(hostile_repo: Path) -> None:
    git(hostile_repo, "checkout", "-q", "HEAD~1")
    done = icp("backtest", ICP_FILE, "--format", "markdown")
    assert done.exit_code in (0, 1), done.output
    assert "never occurs in these deals" in done.stdout
    assert_inert(done.stdout)


def test_check_markdown_is_inert(hostile_repo: Path) -> None:
    shutil.copy(ICP_FILE, f"icps/{LINK}.yaml")
    done = icp("check", "icps", "--format", "markdown")
    assert done.exit_code == 1, done.output
    # Inside a code span the name is inert; in a message it is escaped.
    assert "| `icps/[x](javascript:alert(1)).yaml:" in done.stdout
    assert "(icps/\\[x\\](javascript:alert(1)).yaml)" in done.stdout
    outside_code = re.sub(r"`[^`]*`", "", done.stdout)
    assert not re.search(r"(?<!\\)\[x(?<!\\)\]", outside_code)


# ---- site ------------------------------------------------------------------------------


def test_site_shows_deals_file_and_folder_names_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for tree in ("icps", "fixtures", "docs"):
        shutil.copytree(ROOT / tree, tmp_path / tree)
    for name in ("pyproject.toml", "mkdocs.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    folder = Path("fixtures", "[f](javascript:alert(2))`x`")
    folder.mkdir()
    deals = folder / f"{LINK}.csv"
    shutil.move(DEALS, deals)
    path = Path(ICP_FILE)
    path.write_text(path.read_text(encoding="utf-8").replace(DEALS, str(deals)), encoding="utf-8")
    # An ICP in a folder whose name would close the edit link's href attribute.
    hostile = Path("icps", 'x" onmouseover="alert(3)" y=')
    hostile.mkdir()
    shutil.move("icps/smb-founder-led-sales.yaml", hostile / "smb-founder-led-sales.yaml")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "Example ICPs")
    done = icp("site", "build")
    assert done.exit_code == 0, done.output
    pages = list(Path("site").rglob("*.html"))
    assert pages
    shown = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"href=[\"']?\s*javascript", text, re.I), page
        assert 'onmouseover="alert' not in text, page
        shown += f"{LINK}.csv" in html.unescape(text)
    assert shown, "the deals file name is shown somewhere"
