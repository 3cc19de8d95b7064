"""An ICP file's past, read from git: every commit that touched it and the file as it was.

The site's history page shows it; `icp history` and `icp diff ID@QUARTER` read the same;
what changed between versions is `icpkit.diff.history`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from icpkit.format.loader import load_bytes
from icpkit.vcs.git import file_at, git_fields, has_edits, is_shallow, is_tracked, repo_root

_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True)
class Revision:
    commit: str
    date: dt.datetime
    author: str
    subject: str
    path: str  # the file's path in that commit, relative to the repository (renames differ)
    data: dict[str, Any] | None  # the YAML mapping, or None when it did not parse
    raw: bytes | None = None  # the file's bytes in that commit

    @property
    def short(self) -> str:
        return self.commit[:7]

    def get(self, key: str) -> str | None:
        value = (self.data or {}).get(key)
        return None if value is None else str(value)


@dataclass(frozen=True)
class FileHistory:
    """Newest first. `tracked` is False outside git; `shallow` means commits are missing."""

    revisions: tuple[Revision, ...]
    tracked: bool
    shallow: bool
    dirty: bool


@dataclass(frozen=True)
class VersionSpan:
    """The commits during which the file's `version` field held one value."""

    version: str
    revisions: tuple[Revision, ...]  # newest first

    @property
    def first(self) -> Revision:
        return self.revisions[-1]

    @property
    def last(self) -> Revision:
        return self.revisions[0]

    @property
    def authors(self) -> tuple[str, ...]:
        return tuple(sorted({r.author for r in self.revisions}))


def _parse(raw: bytes | None, name: str) -> dict[str, Any] | None:
    """The data as `icp check` reads it (`NO` stays Norway), or None when unreadable."""
    if raw is None:
        return None
    doc = load_bytes(raw, Path(name))
    return doc.data if doc.readable and isinstance(doc.data, dict) else None


def file_history(path: Path) -> FileHistory:
    """Every commit that changed `path`, following renames, with the file at each."""
    path = path.resolve()
    folder = path.parent
    top = repo_root(folder)
    tracked = is_tracked(path)
    if top is None or not tracked:
        return FileHistory((), tracked=False, shallow=False, dirty=False)
    shallow = is_shallow(folder)
    dirty = has_edits(path)
    # NUL between fields and after each path: a subject or author may hold any other
    # character (a record separator, a CR), and git quotes the paths it prints by line.
    fields = git_fields(
        folder,
        "log",
        "--follow",
        "--name-only",
        "-z",
        "--format=%H%x00%aI%x00%an%x00%s",
        "--",
        path.name,
    )
    revisions = []
    for commit, date, author, subject, name in _commits(fields or []):
        raw = file_at(top, commit, name) if name else None
        revisions.append(
            Revision(
                commit=commit,
                date=dt.datetime.fromisoformat(date),
                author=author,
                subject=subject,
                path=name,
                data=_parse(raw, name),
                raw=raw,
            )
        )
    return FileHistory(tuple(revisions), tracked=True, shallow=shallow, dirty=dirty)


def _commits(fields: list[str]) -> list[tuple[str, str, str, str, str]]:
    """(commit, date, author, subject, path) from `git log -z --name-only` fields: four
    format fields, then the path with a newline before it (none for a merge)."""
    out = []
    index = 0
    while index + 4 <= len(fields):
        if not fields[index]:  # what git puts between commits that touched no path
            index += 1
            continue
        commit, date, author, subject = fields[index : index + 4]
        index += 4
        name = ""
        if index < len(fields) and fields[index].startswith("\n"):
            name = fields[index][1:]
            index += 1
        if commit and set(commit) <= _HEX:
            out.append((commit, date, author, subject, name))
    return out


def version_spans(revisions: tuple[Revision, ...]) -> tuple[VersionSpan, ...]:
    """Consecutive commits grouped by the `version` they carry, newest span first."""
    spans: list[tuple[str, list[Revision]]] = []
    for revision in revisions:
        version = revision.get("version") or "(no version)"
        if spans and spans[-1][0] == version:
            spans[-1][1].append(revision)
        else:
            spans.append((version, [revision]))
    return tuple(VersionSpan(v, tuple(r)) for v, r in spans)
