"""An ICP's changelog: the semantic diff between consecutive versions of its file in git."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from icpkit.diff.change import Change
from icpkit.diff.changes import diff
from icpkit.paths import display_path
from icpkit.project.settings import Config
from icpkit.vcs.history import FileHistory, Revision, VersionSpan, version_spans
from icpkit.vcs.sides import find_icp_file, tracked_history


@dataclass(frozen=True)
class VersionChange:
    """One version of the changelog: what changed since the version before it."""

    span: VersionSpan
    previous: VersionSpan | None
    changes: tuple[Change, ...]  # previous version's last commit -> this version's last


def changelog(history: FileHistory) -> tuple[VersionChange, ...]:
    """The diffs between consecutive versions, newest first."""
    spans = version_spans(history.revisions)
    entries = []
    for index, span in enumerate(spans):
        previous = spans[index + 1] if index + 1 < len(spans) else None
        changes = revision_changes(previous.last if previous else None, span.last)
        entries.append(VersionChange(span, previous, changes))
    return tuple(entries)


def revision_changes(older: Revision | None, newer: Revision) -> tuple[Change, ...]:
    """The semantic diff between two commits of the file (nothing for the first commit)."""
    if older is None or older.data is None or newer.data is None:
        return ()
    return tuple(diff(older.data, newer.data))


@dataclass(frozen=True)
class HistoryView:
    icp_id: str
    path: str
    history: FileHistory

    @cached_property
    def versions(self) -> tuple[VersionChange, ...]:
        # Each version diffs its predecessor: compute once, however often it is read.
        return changelog(self.history)


def icp_history(icp: str, config: Config) -> HistoryView:
    """`icp history ICP`: ICP is a file, or an id looked up under the configured paths."""
    given = Path(icp)
    path = given if given.is_file() else find_icp_file(icp, config)
    return HistoryView(path.stem, display_path(path), tracked_history(path))
