"""`icp diff`: what changed between two versions of an ICP, and what it does to deals."""

from __future__ import annotations

from pathlib import Path

import click

from icpkit.checks.config import load_config
from icpkit.cli.errors import ExitCode
from icpkit.cli.options import config_option, format_option, output_option
from icpkit.cli.output import emit
from icpkit.diff.run import DiffReport, diff_sides
from icpkit.reporters import formats_for, render


@click.command("diff")
@click.argument("sides", nargs=-1, metavar="[OLD NEW]")
@click.option(
    "--base",
    metavar="REV",
    help="Diff every ICP this branch changed since it left REV (e.g. main, origin/main).",
)
@click.option(
    "--deals",
    type=click.Path(path_type=Path),
    help="Deals both versions score, instead of the ICP's validation.deals.",
)
@click.option("--no-impact", is_flag=True, help="List the changes only; score no deals.")
@format_option(formats_for(DiffReport))
@output_option()
@click.option("--exit-code", is_flag=True, help="Exit 1 when any ICP changed, as `git diff` does.")
@config_option()
def command(
    sides: tuple[str, ...],
    base: str | None,
    deals: Path | None,
    no_impact: bool,
    fmt: str,
    output: Path | None,
    exit_code: bool,
    config_file: Path | None,
) -> ExitCode:
    """Show what changed between two versions of an ICP and what it does to the deals.

    Each side is a file, a git REV:path, or ICP_ID@YYYY-Qn (the last commit in which
    the ICP's version was that quarter). Changes are matched by natural key (trigger id,
    anti-ICP id, persona role, channel; an override by account), classed scoring, gate,
    routing, override (the ICP's overrides file) or content, and carry a stable
    fingerprint. Both versions then score the same deals: band moves and the
    backtest figures side by side. --format markdown writes a pull-request comment.

    \b
    Examples:
      icp diff midmarket-saas-revops@2026-Q2 midmarket-saas-revops@2026-Q3
      icp diff main:icps/midmarket-saas-revops.yaml icps/midmarket-saas-revops.yaml
      icp diff --base origin/main --format markdown -o icp-diff.md
    """
    config = load_config(explicit=config_file)
    report = diff_sides(sides, base=base, config=config, deals=deals, with_impact=not no_impact)
    emit(render(report, fmt), output)
    return ExitCode.FINDINGS if exit_code and report.changed else ExitCode.OK
