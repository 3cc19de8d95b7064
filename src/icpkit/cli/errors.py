"""The one error boundary of the `icp` command, and its exit codes."""

from __future__ import annotations

import contextlib
import os
import sys
import traceback
from enum import IntEnum
from typing import Any, NoReturn

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


def run(group: click.Group) -> NoReturn:
    """The process boundary: run the command line and exit with its code, the one place
    that leaves the process."""
    code: int | str | None = 0
    try:
        group(prog_name="icp")
    except SystemExit as stop:
        code = stop.code
    leave(code)


def leave(code: int | str | None) -> NoReturn:
    """Exit with `code`. Once pyarrow has run, skip the interpreter's teardown: Arrow's
    thread pools can abort it after all work is done ("terminate called without an active
    exception", SIGABRT; apache/arrow#34314), which turns a finished, correct run into a
    crash. By now every file is written, closed and renamed; only the streams need a flush."""
    if "pyarrow" not in sys.modules:
        sys.exit(code)
    if isinstance(code, str):
        print(code, file=sys.stderr)
    for stream in (sys.stdout, sys.stderr):
        # A closed pipe (`icp score | head`): nothing more can reach it.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)
