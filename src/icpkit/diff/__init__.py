"""Compare ICP versions: the semantic diff, its wording, the changelog and the effect on
deal scores (the two sides compared come from `icpkit.vcs.sides`)."""

from __future__ import annotations

from icpkit.diff.change import Category, Change, Kind
from icpkit.diff.changes import diff

__all__ = ["Category", "Change", "Kind", "diff"]
