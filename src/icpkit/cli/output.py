"""Output helpers shared by the command modules."""

from __future__ import annotations

from pathlib import Path

import click


def emit(text: str, output: Path | None) -> None:
    """Text to stdout, or atomically to `output`."""
    if output is None:
        click.echo(text, nl=False)
        return
    from icpkit.fileio import atomic_write_text

    atomic_write_text(output, text)


CONFIG_OPTION = click.option(
    "--config", "config_file", type=click.Path(path_type=Path), help="Settings file."
)

KEEP_OPTION = click.option(
    "--keep",
    multiple=True,
    metavar="COL",
    help="An input column to carry into the result (repeatable); one named like a result "
    "column (score, band, status ...) is carried as input_<name>. Default: all of them "
    "(icp compile cannot see the table's columns, so it carries them as they are).",
)
