"""The few facts icpkit reads from git, through the `git` command (no library needed)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path


def run_git(cwd: Path, *args: str, strip: bool = True) -> str | None:
    """git's output (undecodable bytes replaced), or None when git fails or is missing."""
    raw = git_bytes(cwd, *args)
    if raw is None:
        return None
    out = raw.decode("utf-8", "replace")
    return out.strip() if strip else out


def git_fields(cwd: Path, *args: str) -> list[str] | None:
    """The NUL-separated fields of git's output (run it with `-z` or `%x00`), or None.

    git quotes paths it prints one per line (`"icps/\\303\\274ber.yaml"`) but not NUL-
    separated ones, and NUL is the one byte no path, subject or author can hold. Decoded
    as the file system decodes names, so a field passed back to git names the same file.
    """
    raw = git_bytes(cwd, *args)
    if raw is None:
        return None
    fields = [os.fsdecode(field) for field in raw.split(b"\0")]
    return fields[:-1] if fields and fields[-1] == "" else fields


def git_bytes(cwd: Path, *args: str) -> bytes | None:
    """git's output as bytes (a file's exact content), or None when git fails."""
    if shutil.which("git") is None:
        return None
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def file_exists(top: Path, commit: str, name: str) -> bool:
    """Whether `name` (relative to the repository's `top`) exists in `commit`."""
    return git_bytes(top, "cat-file", "-e", f"{commit}:{name}") is not None


def file_at(cwd: Path, commit: str, name: str) -> bytes | None:
    """The bytes of `name` in `commit`, read as git reads `commit:name`, or None."""
    return git_bytes(cwd, "show", f"{commit}:{name}")


def is_tracked(path: Path) -> bool:
    return run_git(path.parent, "ls-files", "--error-unmatch", "--", path.name) is not None


def has_edits(path: Path) -> bool:
    """Whether the file differs from its last commit (or git does not track it yet)."""
    return bool(run_git(path.parent, "status", "--porcelain", "--", path.name))


def repo_root(folder: Path) -> Path | None:
    top = run_git(folder, "rev-parse", "--show-toplevel")
    return Path(top) if top else None


def is_shallow(folder: Path) -> bool:
    return run_git(folder, "rev-parse", "--is-shallow-repository") == "true"


def resolve_commit(folder: Path, rev: str) -> str | None:
    """The full commit id `rev` names (branch, tag, sha, HEAD~2 ...), or None."""
    if rev.startswith("-"):
        return None  # never let a revision be read as an option
    return run_git(
        folder, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"
    )


def file_commit(path: Path) -> str | None:
    """The last commit that touched `path`, `+dirty` when it has uncommitted edits.

    None outside a git repository or for a file git does not track.
    """
    path = path.resolve()
    commit = run_git(path.parent, "log", "-1", "--format=%H", "--", path.name)
    if not commit:
        return None
    return f"{commit}+dirty" if has_edits(path) else commit


def head_time(folder: Path) -> int | None:
    """Seconds since the epoch of the checked-out commit: a reproducible build date."""
    stamp = run_git(folder, "log", "-1", "--format=%ct")
    return int(stamp) if stamp and stamp.isdigit() else None
