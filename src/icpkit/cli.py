"""The `icp` command. The only module that prints, apart from the reporters it calls."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Any

import click

from icpkit import __version__
from icpkit.errors import IcpError

FORMATS = ("text", "json", "github", "sarif", "markdown", "junit")
EXIT_FINDINGS = 1
EXIT_ERROR = 2


class IcpGroup(click.Group):
    """The one error boundary: `Error: ...` on stderr and exit 2, a traceback only with --debug."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except Exception as exc:
            if ctx.params.get("debug"):
                traceback.print_exc()
            if isinstance(exc, IcpError):
                message = str(exc)
            elif isinstance(exc, OSError):
                message = f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc)
            else:
                message = f"internal error: {exc!r}; rerun with --debug and report it"
            click.echo(f"Error: {message}", err=True)
            ctx.exit(EXIT_ERROR)


@click.group(cls=IcpGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="icp")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
def cli(debug: bool) -> None:
    """Ideal Customer Profiles as code: check, score and publish your ICPs."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Output format. Default: github under GitHub Actions, else text.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    help="Lowest severity that makes the exit code 1. Default: warning.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path),
    help="Settings file (icp.toml or pyproject.toml). Default: found upwards.",
)
@click.option("--no-baseline", is_flag=True, help="Ignore the baseline file.")
@click.option(
    "--write-baseline", is_flag=True, help="Accept every current finding into the baseline file."
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    help="Write the report to a file (atomically) instead of stdout.",
)
def check(
    paths: tuple[Path, ...],
    fmt: str | None,
    fail_on: str | None,
    config_file: Path | None,
    no_baseline: bool,
    write_baseline: bool,
    output: Path | None,
) -> None:
    """Check ICP files for schema errors and vague criteria.

    PATHS are ICP files or folders of them (default: `paths` in the settings, or icps/).
    Exit 0 when clean, 1 when findings reach --fail-on, 2 on usage or input errors.

    \b
    Examples:
      icp check
      icp check icps/midmarket-saas.yaml --format json
      icp check --fail-on error --format sarif -o icp.sarif
    """
    from icpkit.checks.runner import check as run_check
    from icpkit.config import load_config
    from icpkit.findings import Severity
    from icpkit.reporters import render

    config = load_config(explicit=config_file)
    baseline_file = config.baseline
    report = run_check(
        paths,
        config=config,
        fail_on=Severity.parse(fail_on) if fail_on else None,
        use_baseline=not no_baseline,
        write_baseline_to=baseline_file if write_baseline else None,
    )
    fmt = fmt or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    _emit(render(report, fmt, color=color), output)
    if report.baseline_written is not None:
        click.echo(
            f"Wrote {report.baseline_written} accepted findings to {baseline_file}", err=True
        )
    click.get_current_context().exit(EXIT_FINDINGS if report.failed else 0)


@cli.command()
@click.argument("rule", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def rules(rule: str | None, fmt: str) -> None:
    """List the rules, or show one rule's documentation.

    \b
    Examples:
      icp rules
      icp rules ICP004
      icp rules too-few-triggers
    """
    from icpkit.rules_view import describe, listing

    click.echo(describe(rule, fmt) if rule else listing(fmt), nl=False)


@cli.command()
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    help="Write the schema to a file (atomically) instead of stdout.",
)
def schema(output: Path | None) -> None:
    """Print the JSON Schema (Draft 2020-12) of the ICP file format.

    Editors validate ICP files as you type with it; see the editor setup page.

    \b
    Examples:
      icp schema > schema/icp.schema.json
      icp schema -o schema/icp.schema.json
    """
    from icpkit.schema import schema_text

    _emit(schema_text(), output)


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "--id",
    "icp_id",
    default="example-icp",
    show_default=True,
    help="Id (and file name) of the example ICP.",
)
def init(directory: Path, icp_id: str) -> None:
    """Start a new ICP repository in DIRECTORY.

    Writes an example ICP that passes `icp check`, fixtures/deals/, pyproject.toml,
    .pre-commit-config.yaml, mkdocs.yml and GitHub workflows. Refuses to overwrite files.

    \b
    Examples:
      icp init acme-icps
      icp init . --id midmarket-saas
    """
    from icpkit.scaffold import scaffold

    written = scaffold(directory, icp_id=icp_id)
    for path in written:
        click.echo(f"created {path}")
    click.echo(f"\nNext: cd {directory} && icp check")


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    from icpkit.fileio import atomic_write_text

    atomic_write_text(output, text)


def main() -> None:
    cli(prog_name="icp")
