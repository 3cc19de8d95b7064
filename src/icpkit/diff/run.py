"""What `icp diff` does, as library calls: two sides (or a branch) in, a report out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from icpkit.diff.change import Category, Change, Kind
from icpkit.diff.changes import diff
from icpkit.diff.impact import Impact, impact
from icpkit.diff.overrides import override_changes
from icpkit.errors import InputError, UsageError
from icpkit.format.overrides import SUFFIX as OVERRIDES_SUFFIX
from icpkit.paths import relative_path
from icpkit.project.overrides import overrides_path_of
from icpkit.project.settings import Config
from icpkit.scorer.deals import deal_files, read_deals
from icpkit.scorer.tables import table_exists
from icpkit.vcs.git import git_fields, is_shallow, run_git
from icpkit.vcs.sides import (
    SHALLOW_HINT,
    Side,
    file_side,
    find_icp_file,
    require_commit,
    require_repo,
    resolve_side,
    revision_side,
)


@dataclass(frozen=True)
class IcpDiff:
    """One ICP compared across two versions; a side is None when the file was added or removed."""

    old: Side | None
    new: Side | None
    changes: tuple[Change, ...]
    impact: Impact | None = None
    note: str | None = None  # why there is no impact, when there is none

    @property
    def icp_id(self) -> str:
        side = self.new or self.old
        assert side is not None
        return side.icp.id

    @property
    def status(self) -> str:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "changed" if self.changes else "unchanged"

    def count(self, category: Category) -> int:
        return sum(c.category is category for c in self.changes)


@dataclass(frozen=True)
class DiffReport:
    diffs: tuple[IcpDiff, ...]
    base: str | None = None  # the revision `--base` compared against

    @property
    def changed(self) -> bool:
        return any(d.status != "unchanged" for d in self.diffs)


def compare(
    old: Side | None,
    new: Side | None,
    *,
    config: Config,
    deals: Path | None = None,
    with_impact: bool = True,
) -> IcpDiff:
    """Diff two versions of one ICP and, when there are deals, score them with both."""
    if old is not None and new is not None and old.icp.id != new.icp.id:
        raise InputError(
            f"{old.label} and {new.label} are different ICPs ({old.icp.id} and {new.icp.id}); "
            "diff two versions of the same ICP"
        )
    listed = [_located(c, old, new) for c in diff(old.data, new.data)] if old and new else []
    # An ICP added or removed with its overrides lists them too: sales signs them off.
    listed += override_changes(old, new, config)
    changes = tuple(sorted(listed, key=lambda c: c.category.rank))  # stable: file order kept
    if not with_impact or old is None or new is None:
        return IcpDiff(old, new, changes)
    if changes and all(c.category is Category.OVERRIDE for c in changes):
        # Both versions of the model are one: scoring the deals twice could only say that
        # nothing moved, which reads as "the override does nothing".
        note = "only the overrides changed: the model scores these deals as before"
        return IcpDiff(
            old, new, changes, note=f"{note} (`icp backtest` reports overridden accounts)"
        )
    files = deal_files(new.icp, config, deals=deals) or deal_files(old.icp, config, deals=deals)
    if files is None:
        note = "no deals to score: set validation.deals in the ICP or pass --deals"
        return IcpDiff(old, new, changes, note=note)
    for path, what in ((files.deals, "deals"), (files.accounts, "accounts")):
        if path is not None and not table_exists(path):
            shown = relative_path(path, config.root)
            return IcpDiff(old, new, changes, note=f"{what} file not found: {shown}")
    try:
        found = impact(old.icp, new.icp, files, config=config)
    except InputError as exc:
        # The change replaced the data as well as the ICP (a first real export): the old
        # version reads columns the new deals lack. Only the new side's own problem stops.
        read_deals(files, [new.icp], config)
        why = str(exc).splitlines()[0]
        note = f"impact not computed: the version before cannot be scored on these deals ({why})"
        return IcpDiff(old, new, changes, note=note)
    return IcpDiff(old, new, changes, impact=found)


def _located(change: Change, old: Side, new: Side) -> Change:
    """The change with its line: in the new file, or in the old one for a removal."""
    doc = old.doc if change.kind is Kind.REMOVED else new.doc
    return replace(change, line=doc.locate(change.path).line)


def diff_base(
    base: str,
    *,
    config: Config,
    deals: Path | None = None,
    with_impact: bool = True,
    cwd: Path | None = None,
) -> DiffReport:
    """Every ICP changed since the branch left `base` (committed or not), old vs now."""
    cwd = cwd or Path.cwd()
    top = require_repo(cwd)
    require_commit(cwd, base)
    fork = run_git(cwd, "merge-base", base, "HEAD")
    if not fork:
        if is_shallow(cwd):
            raise InputError(f"cannot find where this branch left {base}: {SHALLOW_HINT}")
        raise InputError(f"{base} and HEAD share no history: cannot tell what this branch changed")
    # Against the working tree, so local edits show before they are committed; a file not
    # yet added to git is as new as one committed on the branch.
    status = git_fields(top, "diff", "--name-status", "-z", "-M", fork, "--") or []
    for name in git_fields(top, "ls-files", "--others", "--exclude-standard", "-z") or []:
        status += ["A", name]
    pairs = _changed_icps(status, top, config)
    pairs += _overridden_icps(status, pairs, top, config)
    if any(new_name for _, new_name in pairs):
        # As score, backtest and the site do: two files with one id are refused (ICP025).
        from icpkit.scorer.loaded import load_icps

        load_icps([config.root / p for p in config.paths if (config.root / p).exists()], config)
    sides = []
    for old_name, new_name in pairs:
        old = revision_side(fork, old_name, top, label=f"{base}:{old_name}") if old_name else None
        new = file_side(top / new_name, label=new_name) if new_name else None
        sides.append((old, new))
    diffs = [
        compare(old, new, config=config, deals=deals, with_impact=with_impact)
        for old, new in _moved(sides)
    ]
    return DiffReport(tuple(diffs), base=base)


def _moved(sides: list[tuple[Side | None, Side | None]]) -> list[tuple[Side | None, Side | None]]:
    """A removed and an added ICP with one id paired as one moved file: git pairs a rename
    only once both paths are in its index, and a file moved with `mv` is not yet."""
    added = {new.icp.id: new for old, new in sides if old is None and new is not None}
    removed = {old.icp.id for old, new in sides if new is None and old is not None}
    out: list[tuple[Side | None, Side | None]] = []
    for old, new in sides:
        if old is not None and new is None and old.icp.id in added:
            out.append((old, added[old.icp.id]))
        elif not (old is None and new is not None and new.icp.id in removed):
            out.append((old, new))
    return out


def diff_sides(
    sides: Sequence[str],
    *,
    base: str | None,
    config: Config,
    deals: Path | None = None,
    with_impact: bool = True,
) -> DiffReport:
    """`icp diff`: two sides (each a file, REV:path or ID@QUARTER), or every ICP changed
    since the branch left `base`."""
    if base is not None:
        if sides:
            raise UsageError("give either --base REV or two sides (OLD NEW), not both")
        return diff_base(base, config=config, deals=deals, with_impact=with_impact)
    if len(sides) != 2:
        raise UsageError("give two sides to compare (OLD NEW), or --base REV")
    old, new = (resolve_side(spec, config) for spec in sides)
    return DiffReport((compare(old, new, config=config, deals=deals, with_impact=with_impact),))


def _changed_icps(
    status: list[str], top: Path, config: Config
) -> list[tuple[str | None, str | None]]:
    """(old path, new path) of each changed ICP file, from `git diff --name-status -z`:
    a status, then one path (two for a rename or copy), each field NUL-terminated."""
    roots = [relative_path(config.root / p, top) for p in config.paths]
    pairs: list[tuple[str | None, str | None]] = []
    fields = iter(status)
    for field in fields:
        code = field[:1]
        old = next(fields, "")
        new = next(fields, "") if code in "RC" else old
        if code == "A":
            old_name, new_name = None, new
        elif code == "D":
            old_name, new_name = old, None
        else:
            old_name, new_name = old, new
        names = [n for n in (old_name, new_name) if n]
        if any(_is_icp(n, roots) for n in names):
            pairs.append((old_name, new_name))
    return pairs


def _overridden_icps(
    status: list[str], pairs: list[tuple[str | None, str | None]], top: Path, config: Config
) -> list[tuple[str | None, str | None]]:
    """(path, path) of each ICP whose overrides file changed while the ICP did not: its
    diff then lists the entries that changed (`diff.overrides`)."""
    seen = {name for pair in pairs for name in pair if name}
    out: list[tuple[str | None, str | None]] = []
    for name in _names(status):
        if not name.endswith(OVERRIDES_SUFFIX):
            continue
        icp_id = PurePosixPath(name).name.removesuffix(OVERRIDES_SUFFIX)
        try:
            path = find_icp_file(icp_id, config)
        except (InputError, UsageError):
            # No such ICP now, or an ICP folder left empty (discover's UsageError): the
            # removed ICP's own pair says so. `icp check` reports the settings.
            continue
        own = overrides_path_of(icp_id, path, config)
        icp_name = relative_path(path, top)
        if own.resolve() != (top / name).resolve() or icp_name in seen:
            continue  # another ICP's folder, or the ICP's own diff reads it already
        seen.add(icp_name)
        out.append((icp_name, icp_name))
    return out


def _names(status: list[str]) -> list[str]:
    """Every path `git diff --name-status -z` names, old and new ones of a rename alike."""
    names: list[str] = []
    fields = iter(status)
    for field in fields:
        names.append(next(fields, ""))
        if field[:1] in "RC":
            names.append(next(fields, ""))
    return [n for n in names if n]


def _is_icp(name: str, roots: Sequence[str]) -> bool:
    if not name.endswith((".yaml", ".yml")) or name.endswith(OVERRIDES_SUFFIX):
        return False
    return any(r in ("", ".") or name == r or name.startswith(r.rstrip("/") + "/") for r in roots)
