"""Options every command spells the same way: made here, so they cannot drift."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import click

F = TypeVar("F", bound=Callable[..., Any])
Decorator = Callable[[F], F]

DATE = click.DateTime(formats=["%Y-%m-%d"])


class FiniteRange(click.FloatRange):
    """A FloatRange that also refuses nan, which compares false with both bounds."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{value!r} is not a number.", param, ctx)
        return number


def output_option(
    help: str = "Write the report to a file (atomically) instead of stdout.",
    *,
    hidden_aliases: tuple[str, ...] = (),
) -> Decorator[Any]:
    """`-o/--output PATH`; an old spelling stays accepted as a hidden alias."""
    option = click.option("--output", "-o", type=click.Path(path_type=Path), help=help)
    if not hidden_aliases:
        return option

    def decorate(f: F) -> F:
        alias = click.option(
            *hidden_aliases, "output_alias", type=click.Path(path_type=Path), hidden=True
        )
        return option(alias(_merge_alias(f, hidden_aliases[0])))

    return decorate


def _merge_alias(f: F, old: str) -> F:
    @functools.wraps(f)
    def merged(*args: Any, output: Path | None, output_alias: Path | None, **kwargs: Any) -> Any:
        if output is not None and output_alias is not None:
            raise click.UsageError(f"give -o/--output once ({old} is its old spelling)")
        return f(*args, output=output if output is not None else output_alias, **kwargs)

    # functools.wraps gives `merged` f's name, doc and signature for click; mypy cannot
    # see that, so it is told.
    return cast(F, merged)


def config_option(
    help: str = "Settings file (icp.toml or pyproject.toml). Default: found upwards.",
    *aliases: str,
    default: Any = None,
    show_default: bool = False,
) -> Decorator[Any]:
    return click.option(
        "--config",
        *aliases,
        "config_file",
        type=click.Path(path_type=Path),
        default=default,
        show_default=show_default,
        help=help,
    )


def format_option(
    formats: tuple[str, ...], *, default: str | None = "text", help: str | None = None
) -> Decorator[Any]:
    """`--format`, offering exactly `formats` (from the reporters' registry)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(formats),
        default=default,
        show_default=default is not None,
        help=help or "Output format.",
    )


def since_option(
    name: str = "--since",
    help: str = "Only deals closed on or after this date (an out-of-time check).",
) -> Decorator[Any]:
    return click.option(name, type=DATE, metavar="YYYY-MM-DD", help=help)


def validate_settings(config_file: Path | None) -> None:
    """A command that reads no settings still refuses a bad --config rather than ignore it."""
    if config_file is not None:
        from icpkit.checks.config import load_config

        load_config(explicit=config_file)


KEEP_OPTION = click.option(
    "--keep",
    multiple=True,
    metavar="COL",
    help="An input column to carry into the result (repeatable); one named like a result "
    "column (score, band, status ...) is carried as input_<name>. Default: all of them "
    "(icp compile cannot see the table's columns, so it carries them as they are).",
)
