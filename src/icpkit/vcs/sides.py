"""What `icp diff` compares: an ICP file, a file in a git revision, or an ICP in a quarter.

- `icps/acme.yaml`: the file as it is on disk now;
- `main:icps/acme.yaml` (git's `REV:path`, path from the repository's top);
- `acme@2026-Q3`: the last commit in which the ICP's `version` was 2026-Q3.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from icpkit.errors import InputError, UsageError
from icpkit.format.loader import Document
from icpkit.format.model import Icp
from icpkit.format.valid import read_icp
from icpkit.project.settings import Config
from icpkit.vcs.git import file_at, file_commit, git_fields, is_shallow, repo_root, resolve_commit
from icpkit.vcs.history import FileHistory, Revision, file_history

QUARTER_SPEC = re.compile(r"^(?P<id>[a-z0-9][a-z0-9-]*)@(?P<quarter>\d{4}-Q[1-4])$")
SHALLOW_HINT = (
    "this clone is shallow, so older commits are missing: fetch the full history "
    "(`git fetch --unshallow`, or `fetch-depth: 0` on actions/checkout)"
)


@dataclass(frozen=True)
class Side:
    """One version of an ICP, wherever it came from."""

    label: str  # as the user wrote it, or as `--base` derived it
    icp: Icp
    doc: Document
    path: Path  # the file on disk (for git sides: where it is in the working tree)
    commit: str | None = None
    date: dt.datetime | None = None
    author: str | None = None
    # Read from the disk: `commit` is then the file's last commit, not where it was read.
    on_disk: bool = False
    # Where files read with the ICP (its overrides) are read, when not at `commit`: an
    # ID@QUARTER side holds every commit up to the next version, not only the ICP's own.
    companions_at: str | None = None

    @property
    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = self.doc.data
        return data

    @property
    def short(self) -> str | None:
        return self.commit[:7] if self.commit else None


def resolve_side(spec: str, config: Config, *, cwd: Path | None = None) -> Side:
    """Turn one command-line side into a loaded ICP, or raise an error that says why not."""
    cwd = cwd or Path.cwd()
    path = cwd / spec
    if path.is_file():
        return file_side(path, label=spec)
    quarter = QUARTER_SPEC.match(spec)
    if quarter:
        return quarter_side(quarter["id"], quarter["quarter"], config)
    if ":" in spec:
        rev, _, name = spec.partition(":")
        return revision_side(rev, name, cwd, label=spec)
    raise UsageError(
        f"{spec!r} is not a file, a REV:path or an ICP_ID@YYYY-Qn "
        "(e.g. icps/acme.yaml, main:icps/acme.yaml, acme@2026-Q3)"
    )


def file_side(path: Path, *, label: str) -> Side:
    icp, doc = read_icp(path.read_bytes(), label)
    commit = file_commit(path)
    return Side(label, icp, doc, path, commit=commit, on_disk=True)


def revision_side(rev: str, name: str, cwd: Path, *, label: str | None = None) -> Side:
    """`name` is read from `rev` the way git reads `rev:name` (from the top, or ./relative)."""
    top = require_repo(cwd)
    commit = require_commit(cwd, rev)
    raw = file_at(cwd, commit, name)
    if raw is None:
        raise InputError(f"{name} does not exist in {rev} ({commit[:7]})")
    where = cwd / name if name.startswith(("./", "../")) else top / name
    label = label or f"{rev}:{name}"
    icp, doc = read_icp(raw, label)
    info = git_fields(cwd, "log", "-1", "-z", "--format=%aI%x00%an", commit) or []
    date, author = [*info, "", ""][:2]
    return Side(
        label,
        icp,
        doc,
        where.resolve(),
        commit=commit,
        date=dt.datetime.fromisoformat(date) if date else None,
        author=author or None,
    )


def quarter_side(icp_id: str, quarter: str, config: Config) -> Side:
    path = find_icp_file(icp_id, config)
    history = tracked_history(path)
    versions: list[str] = []
    newer: Revision | None = None
    for revision in history.revisions:  # newest first
        version = revision.get("version")
        if version == quarter:
            side = revision_to_side(revision, path, label=f"{icp_id}@{quarter}")
            # The quarter lasts until the commit that gave the ICP its next version.
            last = resolve_commit(path.parent, f"{newer.commit}^" if newer else "HEAD")
            return replace(side, companions_at=last)
        newer = revision
        if version and version not in versions:
            versions.append(version)
    known = ", ".join(versions) or "none readable"
    raise InputError(f"{icp_id} has no commit with version {quarter} (versions in git: {known})")


def revision_to_side(revision: Revision, path: Path, *, label: str) -> Side:
    if revision.raw is None:
        raise InputError(f"{label}: cannot read {revision.path} in {revision.short}")
    icp, doc = read_icp(revision.raw, f"{label} ({revision.short}:{revision.path})")
    return Side(
        label,
        icp,
        doc,
        path,
        commit=revision.commit,
        date=revision.date,
        author=revision.author,
    )


def find_icp_file(icp_id: str, config: Config) -> Path:
    """The file of ICP `icp_id` under the configured paths (ids equal file names)."""
    from icpkit.project.discovery import discover

    roots = [config.root / p for p in config.paths]
    existing = [r for r in roots if r.exists()]
    candidates = [p for p in discover(existing, config) if p.stem == icp_id] if existing else []
    if not candidates:
        shown = ", ".join(str(r) for r in roots)
        raise InputError(f"no ICP file named {icp_id}.yaml under {shown}")
    return candidates[0]


def tracked_history(path: Path) -> FileHistory:
    """The file's git history, or an error when git cannot give all of it."""
    require_repo(path.parent)
    history = file_history(path)
    if not history.tracked:
        raise InputError(f"{path} is not tracked by git: commit it to give it a history")
    if history.shallow:
        raise InputError(f"cannot read the history of {path.name}: {SHALLOW_HINT}")
    return history


def require_repo(folder: Path) -> Path:
    top = repo_root(folder)
    if top is None:
        raise InputError(f"{folder} is not in a git repository, so it has no revisions")
    return top


def require_commit(folder: Path, rev: str) -> str:
    commit = resolve_commit(folder, rev)
    if commit is not None:
        return commit
    if is_shallow(folder):
        raise InputError(f"unknown revision {rev!r}: {SHALLOW_HINT}")
    raise InputError(f"unknown revision {rev!r}: not a branch, tag or commit in this repository")
