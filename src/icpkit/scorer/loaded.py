"""The ICPs a command scores or backtests: each with its file and the ruler its results are
stamped with, and the files their validation names. Pandas-free, so `icp compile` and the
SQL engine load ICPs as `icp score` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from icpkit.errors import InputError, UsageError
from icpkit.format.model import Icp, Status, Tier
from icpkit.format.valid import load_icp, unique_ids
from icpkit.project.discovery import discover
from icpkit.project.settings import Config, inside, outside_message
from icpkit.scorer.contract import Ruler
from icpkit.vcs.git import file_commit


@dataclass(frozen=True)
class Loaded:
    icp: Icp
    path: Path
    ruler: Ruler

    @classmethod
    def of(cls, icp: Icp, path: Path, commit: str | None) -> Loaded:
        """The one way to build one: the ruler takes the ICP's own id and version, so the
        two cannot disagree; `commit` is where the ICP was read from (None: not in git)."""
        return cls(icp, path, Ruler(icp.id, icp.version, commit))

    @classmethod
    def read(cls, path: Path, icp: Icp | None = None) -> Loaded:
        """The ICP file at `path` as it is on disk (`icp` when already loaded from it), with
        the commit that last touched it."""
        return cls.of(icp if icp is not None else load_icp(path), path, file_commit(path))


def load_icps(paths: Sequence[Path], config: Config) -> list[tuple[Loaded, bool]]:
    """Each ICP with whether it was named explicitly (folders hold implicit ones)."""
    found: list[tuple[Loaded, bool]] = []
    sources = list(paths) or [config.root / p for p in config.paths]
    for source in sources:
        explicit = source.is_file()
        for path in discover([source], config):
            found.append((Loaded.read(path), explicit))
    if not found:
        raise UsageError(f"no ICP files found in {', '.join(str(s) for s in sources)}")
    unique_ids((item.path, item.icp) for item, _ in found)
    return found


def scoring_icps(paths: Sequence[Path], config: Config) -> list[Loaded]:
    """The ICPs `icp score` scores with: retired ones only when named, primary ones first,
    since they win ties: they are where the team wants its pipeline to come from."""
    loaded = [
        item
        for item, explicit in load_icps(paths, config)
        if explicit or item.icp.status is not Status.RETIRED
    ]
    loaded.sort(key=lambda item: item.icp.tier is not Tier.PRIMARY)
    return loaded


def project_file(icp: Icp, config: Config, key: str, named: str) -> Path:
    """A file the ICP's validation names, relative to the project root, that must resolve
    inside it (or in an allow-outside folder): ICPs come from PR authors. Paths given on
    the command line are the user's own and are not checked."""
    path = config.root / named
    if not inside(path, config.root, config.allow_outside):
        raise InputError(outside_message(f"ICP {icp.id}: validation.{key}", named, path))
    return path
