"""`icp backtest`: ICPs against closed deals, and their validation gates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from icpkit.checks.config import load_config
from icpkit.cli.errors import ExitCode
from icpkit.cli.options import (
    FiniteRange,
    config_option,
    format_option,
    output_option,
    since_option,
)
from icpkit.cli.output import emit, warn
from icpkit.reporters import formats_for, render
from icpkit.scorer.run import BacktestRun, backtest_against, backtest_paths


@click.command("backtest")
@click.argument("icps", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--deals",
    type=click.Path(path_type=Path),
    help="Deals to backtest against, instead of each ICP's validation.deals.",
)
@click.option(
    "--accounts",
    type=click.Path(path_type=Path),
    help="Account attributes to join onto the deals by their account column, instead of "
    "validation.accounts or the accounts setting.",
)
@since_option()
@click.option(
    "--by",
    type=click.Choice(["quarter", "month"]),
    help="Also report AUC, win rate by band and capture per quarter or month of closed_on (drift).",
)
@format_option(formats_for(BacktestRun))
@output_option()
@click.option(
    "--bootstrap",
    "resamples",
    type=click.IntRange(0, 100_000),
    default=1000,
    show_default=True,
    help="Bootstrap resamples for the AUC interval (0 to skip).",
)
@click.option(
    "--against",
    metavar="REV",
    help="Also backtest each ICP as it was at REV; fail if AUC fell or a gate broke.",
)
@click.option(
    "--auc-tolerance",
    type=FiniteRange(0, 1),
    help="How far AUC may fall below REV's. Default: auc-tolerance setting, else 0.02.",
)
@click.option(
    "--surprises",
    type=click.IntRange(0, 1000),
    default=5,
    show_default=True,
    metavar="N",
    help="List the N lowest-scoring wins, the N highest-scoring losses, the wins each "
    "anti-ICP disqualified and N values they share (0 to hide them).",
)
@config_option()
def command(
    icps: tuple[Path, ...],
    deals: Path | None,
    accounts: Path | None,
    since: dt.datetime | None,
    by: str | None,
    fmt: str,
    output: Path | None,
    resamples: int,
    against: str | None,
    auc_tolerance: float | None,
    surprises: int,
    config_file: Path | None,
) -> ExitCode:
    """Backtest ICPs against closed deals and enforce their validation gates.

    ICPS are files or folders (default: `paths` in the settings). Reports win rate, lift,
    deal size and cycle by band, AUC with a bootstrap interval, the quality checklist,
    disqualifiers, the wins-vs-losses table and the surprises (wins scoring weak or poor
    or disqualified, losses scoring strong, what they share); --by quarter or month adds
    those figures per period of closed_on. Exit 1 when a gate fails (validation.drift
    among them), or with --against REV when the change lowered AUC by more than the
    tolerance or broke a gate that passed at REV (both versions score the same deals).

    \b
    Examples:
      icp backtest
      icp backtest icps/midmarket-saas-revops.yaml --since 2026-07-01
      icp backtest --by quarter
      icp backtest --against origin/main --format markdown -o backtest.md
      icp backtest --surprises 10
    """
    config = load_config(explicit=config_file)
    day = since.date() if since else None
    run = backtest_paths(
        icps,
        config=config,
        deals=deals,
        accounts=accounts,
        since=day,
        resamples=resamples,
        by=by,
        surprises=surprises,
    )
    if against is not None:
        tolerance = config.auc_tolerance if auc_tolerance is None else auc_tolerance
        run = backtest_against(run, against, config=config, tolerance=tolerance, since=day)
    emit(render(run, fmt), output)
    _warn_leaks(run, fmt, output)
    return ExitCode.OK if run.passed else ExitCode.FINDINGS


def _warn_leaks(run: BacktestRun, fmt: str, output: Path | None) -> None:
    """A rule reading the outcome passes every gate it flatters, so its warning goes to
    stderr as well, where CI logs show it whatever became of the report; not beside a
    text report on stdout, whose warnings already hold it."""
    if fmt == "text" and output is None:
        return
    for result in run.results:
        for leak in result.leaks:
            warn(f"{result.icp_id}: {leak.describe()}")
