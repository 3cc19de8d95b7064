"""`icp check`: lint ICP files."""

from __future__ import annotations

import os
from pathlib import Path

import click

from icpkit.checks.config import load_config
from icpkit.checks.runner import Report, check
from icpkit.cli.errors import ExitCode
from icpkit.cli.options import config_option, format_option, output_option
from icpkit.cli.output import coloured, emit
from icpkit.findings import Severity
from icpkit.format.model import Icp
from icpkit.project.settings import Config
from icpkit.reporters import formats_for, render
from icpkit.scorer.override_facts import OverrideFacts


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@format_option(
    formats_for(Report),
    default=None,
    help="Output format. Default: github under GitHub Actions, else text.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    help="Lowest severity that makes the exit code 1. Default: warning.",
)
@config_option()
@click.option("--no-baseline", is_flag=True, help="Ignore the baseline file.")
@click.option(
    "--write-baseline", is_flag=True, help="Accept every current finding into the baseline file."
)
@output_option()
def command(
    paths: tuple[Path, ...],
    fmt: str | None,
    fail_on: str | None,
    config_file: Path | None,
    no_baseline: bool,
    write_baseline: bool,
    output: Path | None,
) -> ExitCode:
    """Check ICP files for schema errors and vague criteria.

    PATHS are ICP files or folders of them (default: `paths` in the settings, or icps/).
    Exit 0 when clean, 1 when findings reach --fail-on, 2 on usage or input errors.

    \b
    Examples:
      icp check
      icp check icps/midmarket-saas.yaml --format json
      icp check --fail-on error --format sarif -o icp.sarif
    """
    config = load_config(explicit=config_file)
    report = check(
        paths,
        config=config,
        fail_on=Severity.parse(fail_on) if fail_on else None,
        use_baseline=not no_baseline,
        write_baseline_to=config.baseline if write_baseline else None,
        facts=_override_facts,
    )
    fmt = fmt or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    emit(render(report, fmt, color=coloured(output)), output)
    if report.baseline_written is not None:
        click.echo(
            f"Wrote {report.baseline_written} accepted findings to {config.baseline}", err=True
        )
    return ExitCode.FINDINGS if report.failed else ExitCode.OK


def _override_facts(icp: Icp, icp_path: Path, config: Config) -> OverrideFacts:
    """The data an overrides file's rules measure; pandas is loaded only for an ICP that
    has an overrides file."""
    from icpkit.scorer.override_data import override_facts

    return override_facts(icp, icp_path, config)
