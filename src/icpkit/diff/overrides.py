"""Each side's overrides file, read where the side's ICP was read (the disk, or the side's
commit), so `icp diff` shows a change to an account's forced band as it shows a change to
the ICP. Without this an overrides-only pull request read as "no changes"."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from icpkit.diff.change import Category, Change, Kind
from icpkit.diff.changes import diff_overrides
from icpkit.findings import Violation
from icpkit.format import schema
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
    icp_id: str


def side_overrides(side: Side, config: Config) -> SideOverrides | None:
    """The side's overrides file as read (problems and all: `icp check` reports them);
    None when the side has none."""
    path = overrides_path(side.icp, side.path, config)
    if side.on_disk or side.commit is None:
        if not path.is_file():
            return None
        return SideOverrides(
            relative_path(path, config.root),
            load_file(path, max_bytes=config.max_file_bytes),
            side.icp.id,
        )
    commit = side.companions_at or side.commit
    top = repo_root(config.root)
    if top is None or not path.resolve().is_relative_to(top.resolve()):
        return None
    name = path.resolve().relative_to(top.resolve()).as_posix()
    raw = file_at(top, commit, name)
    if raw is None:
        return None
    return SideOverrides(f"{commit[:7]}:{name}", load_bytes(raw, Path(name)), side.icp.id)


def override_changes(old: Side | None, new: Side | None, config: Config) -> list[Change]:
    """The entries added, removed or changed between the two sides' overrides files (a
    side None: an ICP added or removed), each with its line in the file it is in (the
    older one for a removal)."""
    before = side_overrides(old, config) if old is not None else None
    after = side_overrides(new, config) if new is not None else None
    if before is not None and after is not None and before.doc.text == after.doc.text:
        return []
    if after is not None and (why := _broken(after)):
        # `icp score` refuses this file, and comparing its entries would call every old
        # one removed: say that it is invalid instead.
        return [_invalid(after, why, "entries not compared")]
    problems = []
    if before is not None and (why := _broken(before)):
        # Every entry of the new side then reads as added: none goes unseen.
        then = "each entry now reads as added" if after is not None else "entries not compared"
        problems.append(_invalid(before, why, then))
        before = None
    changes = diff_overrides(before.doc.data if before else None, after.doc.data if after else None)
    located = []
    for change in changes:
        found = before if change.kind is Kind.REMOVED else after
        assert found is not None  # a removal has an old file, anything else a new one
        line = found.doc.locate(change.path).line
        located.append(replace(change, line=line, file=found.label))
    return problems + located


def _broken(found: SideOverrides | None) -> Violation | None:
    """What makes the whole file unusable (YAML, a key twice, a wrong `format` or a
    missing `overrides` list, as `icp check` says), not a problem in one entry."""
    if found is None:
        return None
    doc = found.doc
    if doc.violations:
        return doc.violations[0][1]
    if not doc.readable:
        return Violation((), "it holds no overrides")
    for problem in schema.validate(doc, schema.OVERRIDES_SCHEMA):
        if problem.path[:1] != ("overrides",) or len(problem.path) == 1:
            return problem
    named = doc.data.get("icp") if isinstance(doc.data, dict) else None
    if isinstance(named, str) and named != found.icp_id:
        return Violation(("icp",), f"`icp` is {named!r}, but the file is {found.icp_id!r}'s")
    return None


def _invalid(found: SideOverrides, problem: Violation, then: str) -> Change:
    mark = problem.mark or found.doc.locate(problem.path)
    summary = f"overrides file is invalid ({problem.message}): {then}; see `icp check`"
    return Change(
        Kind.CHANGED,
        Category.OVERRIDE,
        ("overrides",),
        None,
        problem.message,
        ("overrides",),
        summary=summary,
        line=mark.line,
        file=found.label,
    )
