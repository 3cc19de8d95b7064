"""The few facts icpkit reads from git, through the `git` command (no library needed)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def _git(cwd: Path, *args: str) -> str | None:
    if shutil.which("git") is None:
        return None
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def file_commit(path: Path) -> str | None:
    """The last commit that touched `path`, `+dirty` when it has uncommitted edits.

    None outside a git repository or for a file git does not track.
    """
    path = path.resolve()
    commit = _git(path.parent, "log", "-1", "--format=%H", "--", path.name)
    if not commit:
        return None
    changed = _git(path.parent, "status", "--porcelain", "--", path.name)
    return f"{commit}+dirty" if changed else commit


def head_time(folder: Path) -> int | None:
    """Seconds since the epoch of the checked-out commit: a reproducible build date."""
    stamp = _git(folder, "log", "-1", "--format=%ct")
    return int(stamp) if stamp and stamp.isdigit() else None
