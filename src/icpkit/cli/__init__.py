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

# Each command is the `command` of the module of its name: icpkit.cli.<name>.
COMMANDS = (
    "backtest",
    "check",
    "compile",
    "coverage",
    "diff",
    "history",
    "init",
    "rules",
    "schema",
    "score",
    "site",
    "suggest",
)


class LazyGroup(IcpGroup):
    """Commands are imported by name when needed (click's lazy-loading pattern)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            command = importlib.import_module(f"icpkit.cli.{cmd_name}").command
            assert isinstance(command, click.Command) and command.name == cmd_name
            self.add_command(command)
        return super().get_command(ctx, cmd_name)


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
