"""An ICP file's past, read from git: every commit that touched it and the file as it was.

The site's history page shows it; `icp history` and `icp diff ID@QUARTER` read the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from icpkit.git import run_git

_FIELD, _RECORD = "\x1f", "\x1e"


@dataclass(frozen=True)
class Revision:
    commit: str
    date: dt.datetime
    author: str
    subject: str
    path: str  # the file's path in that commit, relative to the repository (renames differ)
    data: dict[str, Any] | None  # the YAML mapping, or None when it did not parse

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


def _parse(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


def file_history(path: Path) -> FileHistory:
    """Every commit that changed `path`, following renames, with the file at each."""
    path = path.resolve()
    folder = path.parent
    top = run_git(folder, "rev-parse", "--show-toplevel")
    tracked = run_git(folder, "ls-files", "--error-unmatch", "--", path.name) is not None
    if top is None or not tracked:
        return FileHistory((), tracked=False, shallow=False, dirty=False)
    shallow = run_git(folder, "rev-parse", "--is-shallow-repository") == "true"
    dirty = bool(run_git(folder, "status", "--porcelain", "--", path.name))
    log = run_git(
        folder,
        "log",
        "--follow",
        "--name-only",
        f"--format={_RECORD}%H{_FIELD}%aI{_FIELD}%an{_FIELD}%s",
        "--",
        path.name,
        strip=False,
    )
    revisions = []
    for record in (log or "").split(_RECORD):
        if not record.strip():
            continue
        head, _, names = record.partition("\n")
        commit, date, author, subject = head.split(_FIELD, 3)
        name = next((n for n in names.splitlines() if n.strip()), "")
        text = run_git(Path(top), "show", f"{commit}:{name}", strip=False) if name else None
        revisions.append(
            Revision(
                commit=commit,
                date=dt.datetime.fromisoformat(date),
                author=author,
                subject=subject,
                path=name,
                data=_parse(text),
            )
        )
    return FileHistory(tuple(revisions), tracked=True, shallow=shallow, dirty=dirty)


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


def changed_sections(older: Revision | None, newer: Revision) -> tuple[str, ...]:
    """Top-level keys whose value differs: a coarse summary until the semantic diff."""
    before, after = (older.data if older else None) or {}, newer.data or {}
    keys = list(after) + [k for k in before if k not in after]
    return tuple(k for k in keys if before.get(k) != after.get(k))
