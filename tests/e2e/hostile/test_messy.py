"""Messy but legitimate data: exports as CRMs and people write them, read right or reported.

Timezone-aware and mixed-offset dates, one day/month order per column, decimal commas,
overflowing and doubled signs, git paths git quotes, control characters in commits, and
labels YAML would misread. Each runs through the installed `icp` where users hit it.
"""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from icpkit.format.valid import load_icp
from tests.conftest import ROOT
from tests.gitrepo import ICP, ICP_FILE, example_project, git, quarterly_repo

ICP_BIN = str(Path(sys.executable).with_name("icp"))
DEALS = ROOT / "fixtures" / "deals" / "midmarket-saas-revops.csv"


def icp(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"ICP_TODAY": "2026-11-23", "NO_COLOR": "1"}
    return subprocess.run(
        [ICP_BIN, *args], cwd=folder, capture_output=True, text=True, env=env, check=False
    )


def _salesforce_deals(folder: Path) -> tuple[Path, Path]:
    """The example deals as Salesforce writes them (CreatedDate with a time and an offset,
    `Z` in most rows and `+02:00` in some; CloseDate a plain date; no cycle column), and
    the same deals with plain dates and the cycle days written out, to compare against."""
    frame = pd.read_csv(DEALS, dtype=str, keep_default_na=False)
    closed = pd.to_datetime(frame["closed_on"])
    created = closed - pd.to_timedelta(pd.to_numeric(frame["cycle_days"]), unit="D")
    stamps = [
        "" if pd.isna(c) else c.strftime("%Y-%m-%dT10:00:00.000" + ("Z" if i % 3 else "+02:00"))
        for i, c in enumerate(created)
    ]
    plain = frame.assign(cycle_days=frame["cycle_days"].where(created.notna().to_numpy(), ""))
    reference = folder / "fixtures" / "deals" / "plain.csv"
    plain.to_csv(reference, index=False)
    sf = frame.drop(columns=["cycle_days"])
    sf["created_on"] = stamps
    path = folder / "fixtures" / "deals" / "salesforce.csv"
    sf.to_csv(path, index=False)
    return path, reference


def _settings(folder: Path, extra: str) -> None:
    path = folder / "pyproject.toml"
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition("[tool.icp]\n")
    path.write_text(f"{head}[tool.icp]\n{extra}{rest}", encoding="utf-8")


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    example_project(tmp_path)
    return tmp_path


@pytest.mark.slow
def test_salesforce_dates_give_cycle_days_and_since(project: Path) -> None:
    deals, plain = _salesforce_deals(project)
    args = (ICP_FILE, "--deals", str(deals), "--format", "json", "--bootstrap", "0")
    done = icp(project, "backtest", *args, "--since", "2026-01-01")
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
    ours = json.loads(done.stdout)
    reference = icp(
        project, "backtest", ICP_FILE, "--deals", str(plain), *args[3:], "--since", "2026-01-01"
    )
    theirs = json.loads(reference.stdout)
    # The same deals left out by --since, and the same cycle days, as the plain export.
    ours_result, theirs_result = ours["results"][0], theirs["results"][0]
    assert ours_result["before_since"] == theirs_result["before_since"] > 0
    assert ours_result["bands"] == theirs_result["bands"]


def _dated_deals(folder: Path, dates: list[str], name: str = "dated") -> Path:
    """The example deals closed on `dates` (in turn), written as given."""
    frame = pd.read_csv(DEALS, dtype=str, keep_default_na=False)
    frame["closed_on"] = [dates[i % len(dates)] for i in range(len(frame))]
    path = folder / "fixtures" / "deals" / f"{name}.csv"
    frame.to_csv(path, index=False)
    return path


def _left_out(folder: Path, deals: Path, since: str) -> tuple[int, str]:
    """Deals --since left out, and the JSON report (its warnings say what was guessed)."""
    done = icp(folder, "backtest", ICP_FILE, "--deals", str(deals), "--format", "json",
               "--bootstrap", "0", "--since", since)  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    return int(json.loads(done.stdout)["results"][0]["before_since"]), done.stdout


@pytest.mark.slow
def test_one_day_first_value_makes_the_whole_column_day_first(project: Path) -> None:
    # 01/02/2026 is 1 February here, because 13/02/2026 in the same column is day-first.
    deals = _dated_deals(project, ["01/02/2026", "13/02/2026"])
    left_out, _ = _left_out(project, deals, "2026-01-15")
    assert left_out == 0
    iso = _dated_deals(project, ["2026-02-01", "2026-02-13"], "iso")
    assert _left_out(project, deals, "2026-02-02")[0] == _left_out(project, iso, "2026-02-02")[0]


def test_an_ambiguous_column_follows_date_order_or_says_it_guessed(project: Path) -> None:
    deals = _dated_deals(project, ["01/02/2026", "03/04/2026"])
    iso = _dated_deals(project, ["2026-01-02", "2026-03-04"], "iso")
    left_out, report = _left_out(project, deals, "2026-01-15")
    assert left_out == _left_out(project, iso, "2026-01-15")[0] > 0  # 2 January: month-first
    assert 'date-order = \\"dmy\\"' in report and "01/02/2026" in report
    _settings(project, 'date-order = "dmy"\n')
    left_out, report = _left_out(project, deals, "2026-01-15")
    assert left_out == 0 and "date-order" not in report


def test_a_column_in_both_orders_is_reported_not_guessed(project: Path) -> None:
    deals = _dated_deals(project, ["13/02/2026", "02/14/2026", "2026-03-01"])
    done = icp(project, "backtest", ICP_FILE, "--deals", str(deals), "--bootstrap", "0")
    assert done.returncode in (0, 1), done.stderr
    shown = done.stdout + done.stderr
    assert "both orders" in shown and "'13/02/2026'" in shown


def _european(folder: Path) -> tuple[Path, Path]:
    """The example deals as a European Excel writes them (`;`, cp1252, decimal commas,
    dots grouping thousands: 1.200 employees), and the same numbers as plain US ones."""
    frame = pd.read_csv(DEALS, dtype=str, keep_default_na=False)
    us, europe = frame.copy(), frame.copy()
    for name in ("amount_usd", "cycle_days", "employees", "revenue_usd", "sales_team_growth_pct"):
        numbers = pd.to_numeric(frame[name], errors="coerce")
        halves = [n + (0.5 if i % 4 == 0 else 0) for i, n in enumerate(numbers)]
        us[name] = ["" if pd.isna(n) else f"{n:.2f}" for n in halves]
        europe[name] = [
            ""
            if pd.isna(n)
            else f"{n:,.2f}".translate(str.maketrans(",.", ".,")).removesuffix(",00")
            for n in halves
        ]
    europe["account"] = europe["account"] + " Müller"  # a character cp1252 writes its own way
    us["account"] = europe["account"]
    reference = folder / "fixtures" / "deals" / "us.csv"
    us.to_csv(reference, index=False)
    path = folder / "fixtures" / "deals" / "europe.csv"
    europe.to_csv(path, index=False, sep=";", encoding="cp1252")
    return path, reference


@pytest.mark.slow
def test_decimal_commas_read_as_the_setting_says(project: Path) -> None:
    deals, reference = _european(project)
    assert b";20.100;" in deals.read_bytes()  # 20100 dollars: the ambiguous case
    # Unset, the cells only a decimal comma explains are reported, with the setting to use.
    done = icp(project, "backtest", ICP_FILE, "--deals", str(deals), "--bootstrap", "0")
    assert done.returncode in (0, 1), done.stderr
    shown = done.stdout + done.stderr
    assert "not read as numbers" in shown and 'decimal = ","' in shown
    args = ("--format", "json", "--bootstrap", "0")
    theirs = icp(project, "backtest", ICP_FILE, "--deals", str(reference), *args)
    _settings(project, 'decimal = ","\n')
    ours = icp(project, "backtest", ICP_FILE, "--deals", str(deals), *args)
    assert ours.returncode == theirs.returncode, ours.stderr
    ours_result = json.loads(ours.stdout)["results"][0]
    theirs_result = json.loads(theirs.stdout)["results"][0]
    assert ours_result["bands"] == theirs_result["bands"]
    # The deals' own warnings: the example's customers file writes US numbers, which a
    # project-wide decimal comma rightly misreads, and says so under result.customers.
    assert not [w for w in ours_result["warnings"] if "not read as numbers" in w]


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_overflow_and_doubled_signs_are_unreadable_not_wrong(project: Path, engine: str) -> None:
    accounts = project / "accounts.csv"
    cells = ["-1e309", "1e309", "--500", "$-+5", "1" + "0" * 400, "500"]
    frame = pd.read_csv(DEALS, dtype=str, keep_default_na=False).head(len(cells))
    assert (frame["employees"] != "").all()
    frame.assign(employees=cells).to_csv(accounts, index=False)
    out = project / "scored.csv"
    done = icp(project, "score", ICP_FILE, str(accounts), "-o", str(out), "--engine", engine)
    assert done.returncode == 0, done.stderr
    scored = pd.read_csv(out, dtype=str, keep_default_na=False)
    unknown = scored["unknown_fields"].str.contains("employees")
    assert unknown.tolist() == [True] * 5 + [False]
    if engine == "pandas":
        assert "'-1e309'" in done.stderr and "'--500'" in done.stderr


ODD_FOLDER = 'icps/über "nord"'  # git quotes both the non-ASCII letter and the quotes
ODD_SUBJECT = "Move to the \x1enorth\x1f team\rfolder"
ODD_AUTHOR = "Zoë\x1eTest"


@pytest.mark.parametrize(
    ("subject", "author"), [("Move", "Ana Lopez"), (ODD_SUBJECT, ODD_AUTHOR)], ids=["path", "both"]
)
def test_history_and_quarters_follow_a_path_git_quotes(
    tmp_path: Path, subject: str, author: str
) -> None:
    repo = quarterly_repo(tmp_path / "repo")
    (repo / ODD_FOLDER).mkdir()
    moved = f"{ODD_FOLDER}/{ICP}.yaml"
    git(repo, "mv", ICP_FILE, moved)
    git(repo, "commit", "-qm", subject, date="2026-11-10T10:00:00+00:00", author=author)
    done = icp(repo, "history", ICP, "--format", "json")
    assert done.returncode == 0, done.stderr
    history = json.loads(done.stdout)
    # Every commit read, each with the file as it was, through the move into the folder.
    assert [v["version"] for v in history["versions"]] == ["2026-Q4", "2026-Q3", "2026-Q2"]
    commits = [c for v in history["versions"] for c in v["commits"]]
    assert len(commits) == 5
    assert (commits[0]["subject"], commits[0]["author"]) == (subject, author)
    assert commits[0]["path"] == f"{ODD_FOLDER}/{ICP}.yaml"
    diff = icp(repo, "diff", f"{ICP}@2026-Q2", f"{ICP}@2026-Q3", "--format", "json")
    assert diff.returncode in (0, 1), diff.stderr
    assert json.loads(diff.stdout)["icps"][0]["changes"]


def test_diff_base_sees_a_changed_icp_whose_path_git_quotes(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    example_project(repo)
    odd = f"{ODD_FOLDER}/{ICP}.yaml"
    (repo / ODD_FOLDER).mkdir()
    shutil.move(repo / ICP_FILE, repo / odd)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "ICPs")
    git(repo, "checkout", "-qb", "feature")
    path = repo / odd
    path.write_text(
        path.read_text(encoding="utf-8").replace("max: 2000", "max: 3000", 1), encoding="utf-8"
    )
    done = icp(repo, "diff", "--base", "main", "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    diffs = json.loads(done.stdout)["icps"]
    assert [d["status"] for d in diffs] == ["changed"], diffs


# Labels YAML would read as something else (an alias, a comment, a mapping, a list item,
# a boolean, null, an octal number) or that need quoting (quotes, a line break, a tab).
LABELS = ["Funding Round!", "ÜBER", "*alias", ": colon", "#hash", "- dash", "yes", "no",
          "null", "it's \"quoted\"", "line\nbreak", "&anchor", "!tag", "%pct", "@at", "~",
          "0111", "a: b", "x #y", "tab\there", "{brace}", "[list]", "|pipe", ">fold"]  # fmt: skip


def test_suggest_writes_any_label_so_the_draft_reads_it_back_exactly(tmp_path: Path) -> None:
    rng = random.Random(3)
    good = LABELS[::2]
    deals = tmp_path / "deals.csv"
    with deals.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Deal ID", "Outcome", "Segment", "Employees", "Triggers"])
        for i in range(400):
            won = rng.random() < 0.4
            segment = rng.choice(good if won and rng.random() < 0.8 else LABELS)
            triggers = ";".join(rng.sample(good if won else LABELS, 2))
            writer.writerow([f"D{i}", "Won" if won else "Lost", segment, rng.randint(10, 5000),
                             triggers])  # fmt: skip
    (tmp_path / "pyproject.toml").write_text('[tool.icp]\npaths = ["icps"]\n', encoding="utf-8")
    done = icp(tmp_path, "suggest", "--deals", "deals.csv", "--id", "drafted",
               "--draft", "icps/drafted.yaml")  # fmt: skip
    assert done.returncode == 0, done.stderr
    draft = load_icp(tmp_path / "icps" / "drafted.yaml")
    drafted = next(a for a in draft.attributes if a.field == "segment")
    assert set(drafted.match.values) <= set(LABELS)
    assert len(set(drafted.match.values) & set(good)) >= 8  # the winning labels, as written
    read = {c.match.values[0] for t in draft.triggers for c in t.when if c.field == "triggers"}
    plain = {t.id for t in draft.triggers if not t.when}
    assert read | plain <= {label.lower() for label in LABELS}
    assert len(read) >= 6 and "funding round!" in read
    # The draft scores its own deals: every trigger it names is found in the column.
    backtest = icp(tmp_path, "backtest", "icps/drafted.yaml", "--deals", "deals.csv",
                   "--bootstrap", "0", "--format", "json")  # fmt: skip
    assert backtest.returncode in (0, 1), backtest.stderr
    assert json.loads(backtest.stdout)["results"][0]["auc"] > 0.7


def test_salesforce_dates_reach_the_site_and_diff_impact(project: Path) -> None:
    deals, _ = _salesforce_deals(project)
    shutil.copy(deals, project / "fixtures" / "deals" / f"{ICP}.csv")  # validation.deals
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", ".")
    git(project, "commit", "-qm", "Example")
    done = icp(project, "site", "build")
    assert done.returncode == 0, done.stderr
    page = (project / "site" / "icps" / ICP / "backtest" / "index.html").read_text("utf-8")
    assert "median cycle" in page.lower() and " d<" in page
    old = project / "old.yaml"
    old.write_text(
        (project / ICP_FILE).read_text("utf-8").replace("max: 2000", "max: 5000", 1), "utf-8"
    )
    diff = icp(project, "diff", "old.yaml", ICP_FILE, "--format", "json")
    assert diff.returncode in (0, 1), diff.stderr
    assert json.loads(diff.stdout)["icps"][0]["impact"] is not None


def test_a_decimal_setting_the_file_contradicts_says_so(project: Path) -> None:
    _settings(project, 'decimal = ","\n')
    done = icp(project, "backtest", ICP_FILE, "--bootstrap", "0")  # the US-written deals
    assert done.returncode in (0, 1), done.stderr
    assert 'set decimal = "."' in done.stdout + done.stderr
