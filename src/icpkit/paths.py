"""Paths as messages and reports show them: the way the user would type them."""

from __future__ import annotations

import os
from pathlib import Path


def display_path(path: Path) -> str:
    """Relative to the working folder when inside it, else absolute and normalised."""
    absolute = path.absolute()
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return Path(os.path.normpath(absolute)).as_posix()


def relative_path(path: Path, root: Path) -> str:
    """`path` relative to `root` (a project or repository top), or as given when outside."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
