"""What commands write to the terminal: reports to stdout or a file, a progress bar."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

PROGRESS_BYTES = 20_000_000


def emit(text: str, output: Path | None) -> None:
    """Text to stdout, or atomically to `output`."""
    if output is None:
        click.echo(text, nl=False)
        return
    from icpkit.fileio import atomic_write_text

    atomic_write_text(output, text)


def warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


def coloured(output: Path | None) -> bool:
    """Colour only on a terminal, and never with NO_COLOR."""
    return output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ


@contextmanager
def progress(source: Path) -> Iterator[Callable[[int, int], None] | None]:
    """A bar on stderr for big inputs on a terminal; nothing in pipes and CI logs."""
    big = source.is_file() and source.stat().st_size > PROGRESS_BYTES
    if not (big and sys.stderr.isatty()):
        yield None
        return
    bars: list[Any] = []

    def advance(step: int, total: int) -> None:
        if not bars:
            bars.append(click.progressbar(length=total, label="scoring", file=sys.stderr))
            bars[0].__enter__()
        bars[0].update(step)

    try:
        yield advance
    finally:
        if bars:
            bars[0].__exit__(None, None, None)
