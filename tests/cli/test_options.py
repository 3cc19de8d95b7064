"""Options spelled one way on every command, and --format offering what the reporters have."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from icpkit.checks import Rule
from icpkit.checks.runner import Report
from icpkit.cli import COMMANDS, cli
from icpkit.cli.errors import ISSUES_URL
from icpkit.cli.options import DATE
from icpkit.diff.history import HistoryView
from icpkit.diff.run import DiffReport
from icpkit.reporters import formats_for
from icpkit.reporters.rules import RuleCatalogue
from icpkit.scorer.coverage import Coverage
from icpkit.scorer.run import BacktestRun
from icpkit.suggest.run import Suggestion
from tests.conftest import ROOT

MIDMARKET = "icps/midmarket-saas-revops.yaml"
DEALS = "fixtures/deals/midmarket-saas-revops.csv"
# The result each command hands its reporter.
RESULTS: dict[str, type] = {
    "check": Report,
    "backtest": BacktestRun,
    "coverage": Coverage,
    "diff": DiffReport,
    "history": HistoryView,
    "rules": RuleCatalogue,
    "suggest": Suggestion,
}
# It serves until Ctrl-C: there is no report to write.
NO_REPORT = {"site serve"}


def leaves(group: click.Group = cli, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        if isinstance(command, click.Group):
            yield from leaves(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", command


def option(command: click.Command, name: str) -> click.Option | None:
    found = [p for p in command.params if isinstance(p, click.Option) and p.name == name]
    return found[0] if found else None


ALL = dict(leaves())


def test_every_command_module_is_registered() -> None:
    modules = {p.stem for p in (ROOT / "src" / "icpkit" / "cli").glob("*.py")}
    helpers = {"__init__", "errors", "options", "output", "spark"}
    assert set(COMMANDS) == modules - helpers
    assert {name.split()[0] for name in ALL} == set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_help_listing_holds_each_commands_own_first_sentence(name: str) -> None:
    command = cli.get_command(click.Context(cli), name)
    assert command is not None
    assert COMMANDS[name] == command.get_short_help_str(limit=10**6)


def test_help_lists_every_command_without_importing_one() -> None:
    def helped(*imported: str) -> subprocess.CompletedProcess[str]:
        code = (
            "import sys\n"
            "import click\n"
            "from icpkit.cli import cli\n"
            f"for name in {imported!r}:\n"
            "    cli.get_command(click.Context(cli), name)\n"
            "try:\n    cli.main(['--help'], prog_name='icp', standalone_mode=False)\n"
            "except SystemExit:\n    pass\n"
            "heavy = ('pandas', 'scipy')\n"
            "loaded = sorted(m for m in sys.modules if m.startswith('icpkit.cli.') or m in heavy)\n"
            "print('LOADED', loaded, file=sys.stderr)\n"
        )
        env = {**os.environ, "COLUMNS": "80"}
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)

    lazy = helped()
    assert "LOADED ['icpkit.cli.errors']" in lazy.stderr, lazy.stderr
    assert all(f"  {name} " in lazy.stdout for name in COMMANDS)
    # The same listing as click writes from the commands themselves.
    assert lazy.stdout == helped(*COMMANDS).stdout


@pytest.mark.parametrize("name", sorted(ALL))
def test_every_command_takes_output_and_config(name: str) -> None:
    command = ALL[name]
    config = option(command, "config_file")
    assert config is not None and "--config" in config.opts, name
    if name in NO_REPORT:
        assert option(command, "output") is None
        return
    output = option(command, "output")
    assert output is not None and set(output.opts) == {"-o", "--output"}, name


def test_site_keeps_mkdocs_spelling_of_its_config() -> None:
    for name in ("site build", "site serve"):
        config = option(ALL[name], "config_file")
        assert config is not None and set(config.opts) == {"--config", "--config-file", "-f"}


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_format_offers_exactly_the_formats_the_result_has(name: str) -> None:
    fmt = option(ALL[name], "fmt")
    assert fmt is not None and isinstance(fmt.type, click.Choice)
    assert tuple(fmt.type.choices) == formats_for(RESULTS[name])
    assert formats_for(RESULTS[name])


def test_commands_without_a_result_type_have_no_format() -> None:
    assert {name for name, command in ALL.items() if option(command, "fmt")} == set(RESULTS)


def test_rules_offers_the_formats_of_one_rule_and_of_the_list() -> None:
    assert formats_for(Rule) == formats_for(RuleCatalogue) == ("text", "json")


def test_every_date_option_reads_one_format() -> None:
    dates = {
        (name, o.name): o
        for name, command in ALL.items()
        for o in command.params
        if isinstance(o, click.Option) and "since" in (o.name or "")
    }
    assert set(dates) == {("backtest", "since"), ("suggest", "holdout_since")}
    assert all(o.type is DATE and o.metavar == "YYYY-MM-DD" for o in dates.values())


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for folder in ("icps", "fixtures"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args))


def test_score_out_stays_a_hidden_alias_of_output(repo: Path) -> None:
    new = invoke("score", MIDMARKET, DEALS, "-o", "new.csv")
    old = invoke("score", MIDMARKET, DEALS, "--out", "old.csv")
    assert new.exit_code == old.exit_code == 0, old.output
    assert Path("new.csv").read_bytes() == Path("old.csv").read_bytes()
    assert "--out " not in invoke("score", "--help").output
    both = invoke("score", MIDMARKET, DEALS, "-o", "a.csv", "--out", "b.csv")
    assert both.exit_code == 2 and "give -o/--output once" in both.stderr


def test_suggest_writes_the_draft_to_draft_and_the_report_to_output(repo: Path) -> None:
    done = invoke(
        "suggest", "--deals", DEALS, "--draft", "icps/d.yaml", "--format", "json", "-o", "r.json"
    )
    assert done.exit_code == 0, done.output
    assert done.stdout == ""
    assert json.loads(Path("r.json").read_text())["draft"] == "icps/d.yaml"
    assert "\nformat: icp/1\nid: d\n" in Path("icps/d.yaml").read_text()
    old = invoke("suggest", "--deals", DEALS, "--draft", "icps/e.yaml", "--report", "old.txt")
    assert old.exit_code == 0, old.output
    assert "icps/e.yaml" in Path("old.txt").read_text()
    assert "--report" not in invoke("suggest", "--help").output


@pytest.mark.parametrize("name", ["rules", "schema", "init"])
def test_commands_that_read_no_settings_still_refuse_bad_ones(repo: Path, name: str) -> None:
    Path("bad.toml").write_text("fail_on = 'error'\n")
    args = {"init": ["init", "new"]}.get(name, [name])
    done = invoke(*args, "--config", "bad.toml")
    assert done.exit_code == 2
    assert "unknown key 'fail_on'" in done.stderr
    assert not Path("new").exists()


def test_init_and_rules_write_their_report_with_output(repo: Path) -> None:
    assert invoke("init", "new", "-o", "created.txt").exit_code == 0
    assert "created new/icps/example-icp.yaml" in Path("created.txt").read_text()
    assert invoke("rules", "ICP004", "--format", "json", "-o", "r.json").exit_code == 0
    assert json.loads(Path("r.json").read_text())["id"] == "ICP004"


def test_the_issue_url_is_the_projects() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["urls"]["Issues"] == ISSUES_URL
