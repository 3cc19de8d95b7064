"""`icp history`: an ICP's versions across quarters, from git."""

from __future__ import annotations

from pathlib import Path

import click

from icpkit.checks.config import load_config
from icpkit.cli.options import config_option, format_option, output_option
from icpkit.cli.output import emit
from icpkit.diff.history import HistoryView, icp_history
from icpkit.reporters import render
from icpkit.reporters.registry import formats_for


@click.command("history")
@click.argument("icp")
@format_option(formats_for(HistoryView))
@output_option()
@config_option()
def command(icp: str, fmt: str, output: Path | None, config_file: Path | None) -> None:
    """Show an ICP's versions across quarters and what each one changed, from git.

    ICP is an ICP id (looked up under the configured paths) or a file. Each version
    lists its dates, authors and commits, and the semantic diff from the version
    before it. Renames are followed. Needs the full history: in CI check out with
    `fetch-depth: 0`.

    \b
    Examples:
      icp history midmarket-saas-revops
      icp history icps/midmarket-saas-revops.yaml --format markdown
    """
    config = load_config(explicit=config_file)
    emit(render(icp_history(icp, config), fmt), output)
