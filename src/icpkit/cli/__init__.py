"""The `icp` command: the group, its commands (one module each) and `main`.

The CLI and the reporters it calls are the only code that prints. Each command module
is imported only when its command runs (or help lists it), so `icp check` in a
pre-commit hook never loads pandas.
"""

from __future__ import annotations

import importlib

import click

from icpkit.cli.errors import IcpGroup, run
from icpkit.version import __version__

# Each command is the `command` of the module of its name: icpkit.cli.<name>, listed by
# `icp --help` with the first sentence of its help, from here: importing every command to
# list them would load pandas and scipy (a second before the help shows). A test keeps
# each sentence equal to the command's own.
COMMANDS = {
    "backtest": "Backtest ICPs against closed deals and enforce their validation gates.",
    "check": "Check ICP files for schema errors and vague criteria.",
    "compile": "Compile ICP into SQL that scores every row of an accounts table in the warehouse.",
    "coverage": "Share of an account universe ICP rates good or better, and its split by band.",
    "diff": "Show what changed between two versions of an ICP and what it does to the deals.",
    "export": "Export scored accounts or an ICP's criteria for a CRM, LinkedIn or an ABM tool.",
    "history": "Show an ICP's versions across quarters and what each one changed, from git.",
    "init": "Start a new ICP repository in DIRECTORY.",
    "rules": "List the rules, or show one rule's documentation.",
    "schema": "Print the JSON Schema (Draft 2020-12) of the ICP file format.",
    "score": "Score ACCOUNTS (CSV, Excel, Parquet or JSON Lines) against one or more ICPs.",
    "site": (
        "Build or preview the ICP site (mkdocs-material or Zensical, configured by mkdocs.yml)."
    ),
    "suggest": (
        "Propose an ICP from won and lost deals (or from the best customers): wins over opinions."
    ),
}


class LazyGroup(IcpGroup):
    """Commands are imported by name when they run (click's lazy-loading pattern)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            command = importlib.import_module(f"icpkit.cli.{cmd_name}").command
            assert isinstance(command, click.Command) and command.name == cmd_name
            self.add_command(command)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's listing, with each command not yet imported standing in as its help."""
        listed = [
            (name, self.commands.get(name) or click.Command(name, help=COMMANDS[name]))
            for name in self.list_commands(ctx)
        ]
        shown = [(name, command) for name, command in listed if not command.hidden]
        if not shown:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in shown)
        with formatter.section("Commands"):
            formatter.write_dl([(name, c.get_short_help_str(limit)) for name, c in shown])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="icp")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
def cli(debug: bool) -> None:
    """Ideal Customer Profiles as code: check, score and publish your ICPs.

    Exit codes: 0 clean, 1 findings or a failed gate, 2 usage, settings or input error,
    3 internal error (a bug: please report it), 130 interrupted.
    """


def main() -> None:
    run(cli)
