from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from icpkit.checks.config import load_config
from icpkit.checks.runner import check
from icpkit.cli import cli
from icpkit.format.model import quarter_of
from icpkit.version import __version__
from tests.conftest import ROOT, TODAY
from tests.gitrepo import git

TEMPLATES = ROOT / "src" / "icpkit" / "project" / "templates" / "repo"


def test_init_scaffolds_a_repository_that_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "acme-icps"
    result = CliRunner().invoke(cli, ["init", str(target), "--id", "midmarket-saas"])
    assert result.exit_code == 0, result.output
    for name in (
        "icps/midmarket-saas.yaml",
        "fixtures/deals/midmarket-saas.csv",
        "fixtures/customers/midmarket-saas.csv",
        "pyproject.toml",
        ".pre-commit-config.yaml",
        "mkdocs.yml",
        ".github/workflows/icp.yml",
        ".github/workflows/pages.yml",
        ".gitignore",
        "schema/icp.schema.json",
    ):
        assert (target / name).is_file(), name
    text = (target / "icps" / "midmarket-saas.yaml").read_text()
    assert "last_reviewed: 2026-11-23" in text and "version: 2026-Q4" in text
    # Not a package: `pip install .` of icps/, schema/ and fixtures/ cannot build.
    settings = tomllib.loads((target / "pyproject.toml").read_text())
    assert "project" not in settings and "build-system" not in settings
    requirements = (target / "requirements.txt").read_text()
    assert f"\nicpkit[site]=={__version__}\n" in requirements
    monkeypatch.chdir(target)
    report = check(config=load_config(target))
    assert report.findings == ()


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: mine\n")
    result = CliRunner().invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code == 2
    assert "refusing to overwrite existing files" in result.output
    assert (tmp_path / "mkdocs.yml").read_text() == "site_name: mine\n"
    assert not (tmp_path / "icps").exists()


def test_init_rejects_a_bad_id(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", str(tmp_path), "--id", "Bad Id"])
    assert result.exit_code == 2
    assert "must be a slug" in result.output


def test_scaffold_supports_the_quarterly_review(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "acme"
    assert CliRunner().invoke(cli, ["init", str(target), "--id", "acme-core"]).exit_code == 0
    git(target, "init", "-q", "-b", "main")
    git(target, "add", ".")
    git(target, "commit", "-qm", "Start")
    monkeypatch.chdir(target)
    path = target / "icps" / "acme-core.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    first_trigger = data["triggers"][0]["id"]
    path.write_text(
        path.read_text(encoding="utf-8").replace(f"id: {first_trigger}", "id: renamed-trigger"),
        encoding="utf-8",
    )
    quarter = quarter_of(dt.date.fromisoformat(TODAY))
    diff = CliRunner().invoke(cli, ["diff", f"acme-core@{quarter}", "icps/acme-core.yaml"])
    assert diff.exit_code == 0, diff.output
    assert f"trigger {first_trigger}: removed" in diff.output
    assert "trigger renamed-trigger: added" in diff.output
    history = CliRunner().invoke(cli, ["history", "acme-core"])
    assert history.exit_code == 0, history.output
    assert f"{quarter}  " in history.output and "Start" in history.output


def test_scaffold_passes_its_backtest_gates_on_synthetic_deals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "acme"
    assert CliRunner().invoke(cli, ["init", str(target), "--id", "acme-core"]).exit_code == 0
    deals = (target / "fixtures" / "deals" / "acme-core.csv").read_text()
    # Copied as it is: CRM cells such as "$1.2M" are not template placeholders.
    assert deals == (TEMPLATES / "fixtures" / "deals" / "__ID__.csv").read_text()
    rows = deals.splitlines()[1:]
    assert len(rows) >= 120 and all(row.startswith("SYN-") for row in rows)
    assert (
        "**The example deals are synthetic.**"
        in (target / "fixtures" / "deals" / "README.md").read_text()
    )
    assert "SYNTHETIC" in (target / "icps" / "acme-core.yaml").read_text()
    monkeypatch.chdir(target)
    result = CliRunner().invoke(cli, ["backtest"])
    assert result.exit_code == 0, result.output
    assert "acme-core: passed all 5 gates" in result.output
    closed = re.search(r"(\d+) closed deals \((\d+) won, (\d+) lost", result.output)
    assert closed and int(closed[1]) >= 120 and int(closed[2]) >= 30 and int(closed[3]) >= 30
    assert "not read as" not in result.output  # every cell is read as the ICP means it


def test_scaffold_reports_churn_by_band_from_its_synthetic_customers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "acme"
    assert CliRunner().invoke(cli, ["init", str(target), "--id", "acme-core"]).exit_code == 0
    path = target / "fixtures" / "customers" / "acme-core.csv"
    assert path.read_text() == (TEMPLATES / "fixtures" / "customers" / "__ID__.csv").read_text()
    readme = (target / "fixtures" / "customers" / "README.md").read_text()
    assert "**The example customers are synthetic.**" in readme and "acme-core.csv" in readme
    monkeypatch.chdir(target)
    result = CliRunner().invoke(cli, ["backtest", "--format", "json", "--bootstrap", "0"])
    assert result.exit_code == 0, result.output
    customers = json.loads(result.output)["results"][0]["customers"]
    # Each band's churn, against the customers file scored on its own by `icp score`.
    # Named as the deals name it, so that the deals' column mapping reads it.
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(path.read_text().replace("Customer,", "Account Name,", 1))
    scored = CliRunner().invoke(cli, ["score", "icps/acme-core.yaml", str(accounts)])
    assert scored.exit_code == 0, scored.output
    rows = list(csv.DictReader(io.StringIO(scored.stdout)))
    assert customers["customers"] == len(rows) >= 80
    for band in customers["bands"]:
        # The input Status is carried as input_Status beside the result column status.
        mine = [r["input_Status"] != "Active" for r in rows if r["band"] == band["band"]]
        assert (band["customers"], band["churned"]) == (len(mine), sum(mine)), band["band"]
    by_band = {b["band"]: b for b in customers["bands"]}
    assert by_band["strong"]["churn_rate"] < by_band["poor"]["churn_rate"]
    assert customers["signals"]["signals"], "retained vs churned by attribute"
    text = CliRunner().invoke(cli, ["backtest"]).output
    assert "customers: fixtures/customers/acme-core.csv" in text
    assert "not read as" not in text  # every cell is read as the ICP means it


def test_readme_installs_the_way_the_workflows_do(tmp_path: Path) -> None:
    assert CliRunner().invoke(cli, ["init", str(tmp_path)]).exit_code == 0
    readme = (tmp_path / "README.md").read_text()
    for name in ("icp.yml", "pages.yml"):
        workflow = yaml.safe_load((tmp_path / ".github" / "workflows" / name).read_text())
        installs = [
            step["run"]
            for job in workflow["jobs"].values()
            for step in job["steps"]
            if "pip install" in step.get("run", "")
        ]
        assert installs == ["pip install -r requirements.txt"], name
        assert installs[0] in readme
    assert "pip install .\n" not in readme and "pip install . " not in readme
    hook = (tmp_path / ".pre-commit-config.yaml").read_text()
    assert "requirements.txt" in hook and "language: system" in hook
