"""`icp coverage`: how much of the market an ICP claims."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import click

from icpkit.cli.output import CONFIG_OPTION, emit
from icpkit.project.settings import Config


@click.command("coverage")
@click.argument("icp", type=click.Path(path_type=Path))
@click.option("--universe", type=click.Path(path_type=Path), help="Account universe file.")
@click.option(
    "--engine", type=click.Choice(["pandas", "duckdb"]), default="pandas", show_default=True
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the report to a file.")
@CONFIG_OPTION
def coverage_command(
    icp: Path,
    universe: Path | None,
    engine: str,
    fmt: str,
    output: Path | None,
    config_file: Path | None,
) -> None:
    """Share of an account universe ICP rates good or better, and its split by band.

    A real ICP is a narrow slice of the market, roughly 5-15%. Exit 1 when the share is
    above max-coverage (default 0.15); --universe defaults to [tool.icp] universe, else
    the accounts file of a two-file export (validation.accounts or [tool.icp] accounts).

    \b
    Examples:
      icp coverage icps/midmarket-saas-revops.yaml --universe data/universe.parquet
      icp coverage icps/midmarket-saas-revops.yaml --engine duckdb --format json
    """
    from icpkit.checks.config import load_config
    from icpkit.errors import UsageError
    from icpkit.scorer.coverage import NARROW, coverage

    config = load_config(explicit=config_file)
    source = universe or config.settings.universe or _accounts_file(icp, config)
    if source is None:
        raise UsageError("no universe: pass --universe FILE or set universe in [tool.icp]")
    result = coverage(icp, source, config=config, engine=engine)
    if result.unmeasured:
        fields = ", ".join(result.unmeasured)
        click.echo(
            f"warning: {result.universe} has no column for {fields}: scored as unknown there "
            "(a field of the deal, not of the account?): no rule on it counts in this measure",
            err=True,
        )
    if fmt == "json":
        data = {**asdict(result), "matched": result.matched, "share": result.share,
                "too_broad": result.too_broad}  # fmt: skip
        emit(json.dumps(data, indent=2) + "\n", output)
    else:
        lines = [
            f"{result.icp_id} {result.icp_version} on {result.universe}: "
            f"{result.matched} of {result.accounts} accounts good or better ({result.share:.1%})",
            "",
        ]
        from icpkit.scorer.contract import ALL_BANDS as BANDS

        for band in BANDS:
            count = result.bands.get(band, 0)
            share = count / result.accounts if result.accounts else 0.0
            lines.append(f"  {band:<13}{count:>10}  {share:6.1%}")
        lines.append("")
        if result.too_broad:
            lines.append(
                f"Too broad: above max-coverage {result.limit:.0%}. A real ICP is a narrow "
                "slice of the market (roughly 5-15%); narrow the ranges or split the segment."
            )
        elif result.narrow:
            lines.append(
                f"Narrow: under {NARROW:.0%}. Check the backtest: does it still hold most wins?"
            )
        else:
            lines.append(f"Within the usual 5-15% (max-coverage {result.limit:.0%}).")
        emit("\n".join(lines) + "\n", output)
    if result.too_broad:
        sys.exit(1)


def _accounts_file(icp: Path, config: Config) -> Path | None:
    from icpkit.format.valid import load_icp

    named = load_icp(icp).validation.accounts
    return config.root / named if named else config.accounts
