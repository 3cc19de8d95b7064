"""Compare ICP versions: the semantic diff, its effect on deal scores, and git sides."""

from __future__ import annotations

from icpkit.diff.change import Category, Change, Kind
from icpkit.diff.changes import diff

__all__ = ["Category", "Change", "Kind", "diff"]
