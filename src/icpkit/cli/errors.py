"""The one error boundary of the `icp` command, and its exit codes."""

from __future__ import annotations

import traceback
from enum import IntEnum
from typing import Any

import click

from icpkit.errors import IcpError

# Where users report an internal error: the repository's issue tracker (pyproject's
# [project.urls] Issues, which a test keeps equal to this).
ISSUES_URL = "https://github.com/icpkit/icpkit/issues"


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1  # findings at or above --fail-on, or a failed gate
    USAGE = 2  # usage, settings or input error
    INTERNAL = 3  # a bug in icpkit
    INTERRUPTED = 130  # Ctrl-C: 128 + SIGINT, as shells report it


class IcpGroup(click.Group):
    """Commands return an exit code; anything they raise ends here as one `Error:` line.

    Usage, settings and input errors exit 2; any other exception is a bug in icpkit and
    exits 3 with a line saying where to report it. The traceback only with --debug.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            code = super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo("\nInterrupted.", err=True)
            ctx.exit(ExitCode.INTERRUPTED)
        except Exception as exc:
            ctx.exit(_report(exc, debug=bool(ctx.params.get("debug"))))
        ctx.exit(int(code or ExitCode.OK))


def _report(exc: Exception, *, debug: bool) -> ExitCode:
    if debug:
        traceback.print_exc()
    if isinstance(exc, IcpError):
        click.echo(f"Error: {exc}", err=True)
        return ExitCode.USAGE
    if isinstance(exc, OSError):
        message = f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc)
        click.echo(f"Error: {message}", err=True)
        return ExitCode.USAGE
    click.echo(f"Error: internal error: {exc!r}", err=True)
    hint = "" if debug else " with the output of `icp --debug ...`"
    click.echo(f"This is a bug in icpkit: please report it at {ISSUES_URL}{hint}.", err=True)
    return ExitCode.INTERNAL
