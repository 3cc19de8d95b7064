"""An ICP's changelog: the semantic diff between consecutive versions of its file in git."""

from __future__ import annotations

from dataclasses import dataclass

from icpkit.diff.change import Change
from icpkit.diff.changes import diff
from icpkit.vcs.history import FileHistory, Revision, VersionSpan, version_spans


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
