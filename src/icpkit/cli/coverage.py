"""`icp coverage`: how much of the market an ICP claims."""

from __future__ import annotations

from pathlib import Path

import click

from icpkit.checks.config import load_config
from icpkit.cli.errors import ExitCode
from icpkit.cli.options import config_option, format_option, output_option
from icpkit.cli.output import emit, warn
from icpkit.reporters import formats_for, render
from icpkit.scorer.coverage import Coverage, coverage, universe_for


@click.command("coverage")
@click.argument("icp", type=click.Path(path_type=Path))
@click.option("--universe", type=click.Path(path_type=Path), help="Account universe file.")
@click.option(
    "--engine", type=click.Choice(["pandas", "duckdb"]), default="pandas", show_default=True
)
@format_option(formats_for(Coverage))
@output_option()
@config_option()
def command(
    icp: Path,
    universe: Path | None,
    engine: str,
    fmt: str,
    output: Path | None,
    config_file: Path | None,
) -> ExitCode:
    """Share of an account universe ICP rates good or better, and its split by band.

    A real ICP is a narrow slice of the market, roughly 5-15%. Exit 1 when the share is
    above max-coverage (default 0.15); --universe defaults to [tool.icp] universe, else
    the accounts file of a two-file export (validation.accounts or [tool.icp] accounts).

    \b
    Examples:
      icp coverage icps/midmarket-saas-revops.yaml --universe data/universe.parquet
      icp coverage icps/midmarket-saas-revops.yaml --engine duckdb --format json
    """
    config = load_config(explicit=config_file)
    result = coverage(icp, universe_for(icp, config, universe), config=config, engine=engine)
    if result.unmeasured:
        warn(
            f"{result.universe} has no column for {', '.join(result.unmeasured)}: scored as "
            "unknown there (a field of the deal, not of the account?): no rule on it counts "
            "in this measure"
        )
    emit(render(result, fmt), output)
    return ExitCode.FINDINGS if result.too_broad else ExitCode.OK
