"""Each side's overrides file, read where the side's ICP was read (the disk, or the side's
commit), so `icp diff` shows a change to an account's forced band as it shows a change to
the ICP. Without this an overrides-only pull request read as "no changes"."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from icpkit.diff.change import Category, Change, Kind
from icpkit.diff.changes import diff_overrides
from icpkit.format.loader import Document, load_bytes, load_file
from icpkit.paths import relative_path
from icpkit.project.overrides import overrides_path
from icpkit.project.settings import Config
from icpkit.vcs.git import file_at, repo_root
from icpkit.vcs.sides import Side


@dataclass(frozen=True)
class SideOverrides:
    label: str  # `icps/acme.overrides.yaml`, or `1a2b3c4:icps/acme.overrides.yaml`
    doc: Document


def side_overrides(side: Side, config: Config) -> SideOverrides | None:
    """The side's overrides file as read (problems and all: `icp check` reports them);
    None when the side has none."""
    path = overrides_path(side.icp, side.path, config)
    if side.on_disk or side.commit is None:
        if not path.is_file():
            return None
        return SideOverrides(
            relative_path(path, config.root), load_file(path, max_bytes=config.max_file_bytes)
        )
    top = repo_root(config.root)
    if top is None or not path.resolve().is_relative_to(top.resolve()):
        return None
    name = path.resolve().relative_to(top.resolve()).as_posix()
    raw = file_at(top, side.commit, name)
    if raw is None:
        return None
    return SideOverrides(f"{side.short}:{name}", load_bytes(raw, Path(name)))


def override_changes(old: Side, new: Side, config: Config) -> list[Change]:
    """The entries added, removed or changed between the two sides' overrides files, each
    with its line in the file it is in (the older one for a removal)."""
    before, after = side_overrides(old, config), side_overrides(new, config)
    if before is not None and after is not None and before.doc.text == after.doc.text:
        return []
    broken = [side for side in (after, before) if side is not None and not side.doc.readable]
    if broken:
        # Comparing entries with a file that cannot be read would call every entry of the
        # other side added or removed: say that it cannot be read instead.
        return [_unreadable(broken[0])]
    changes = diff_overrides(before.doc.data if before else None, after.doc.data if after else None)
    located = []
    for change in changes:
        found = before if change.kind is Kind.REMOVED else after
        assert found is not None  # a removal has an old file, anything else a new one
        line = found.doc.locate(change.path).line
        located.append(replace(change, line=line, file=found.label))
    return located


def _unreadable(found: SideOverrides) -> Change:
    problem = found.doc.violations[0][1] if found.doc.violations else None
    mark = (problem.mark or found.doc.locate(problem.path)) if problem else None
    why = problem.message if problem else "it holds no entries"
    summary = f"overrides file cannot be read ({why}): entries not compared; see `icp check`"
    return Change(
        Kind.CHANGED,
        Category.OVERRIDE,
        ("overrides",),
        None,
        found.label,
        ("overrides",),
        summary=summary,
        line=mark.line if mark else None,
        file=found.label,
    )
