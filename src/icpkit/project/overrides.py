"""Where an ICP's overrides file is, and reading it for a command that applies it.

`<id>.overrides.yaml` beside the ICP file, or in the `overrides-dir` folder of
`[tool.icp]` (say, a folder sales owns in CODEOWNERS). No file: no overrides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from icpkit.errors import UsageError
from icpkit.format.loader import Document
from icpkit.format.model import Icp
from icpkit.format.overrides import SUFFIX, Overrides, load_overrides, require_valid
from icpkit.format.schema import is_icp_id
from icpkit.project.discovery import MISSPELT_SUFFIX, discover
from icpkit.project.settings import Config


@dataclass(frozen=True)
class OverridesReader:
    """An ICP file of the project, and the overrides file it reads (whether it exists)."""

    icp_id: str
    icp_path: Path
    overrides: Path


def overrides_path(icp: Icp, icp_path: Path, config: Config) -> Path:
    return overrides_path_of(icp.id, icp_path, config)


def overrides_path_of(icp_id: str, icp_path: Path, config: Config) -> Path:
    folder = config.overrides_dir if config.overrides_dir is not None else icp_path.parent
    return folder / f"{icp_id}{SUFFIX}"


def find_overrides(icp: Icp, icp_path: Path, config: Config) -> Overrides | None:
    """The ICP's overrides file as read, problems and all; None when it has none."""
    path = overrides_path(icp, icp_path, config)
    if not path.is_file():
        return None
    return load_overrides(path, icp.id, max_bytes=config.max_file_bytes)


def read_overrides(icp: Icp, icp_path: Path, config: Config) -> Overrides | None:
    """The ICP's overrides, for a command that applies them: InputError at the first
    problem (file:line:col); None when it has none."""
    found = find_overrides(icp, icp_path, config)
    return require_valid(found) if found is not None else None


def overrides_id(path: Path) -> str:
    """The ICP id an overrides file is named for: `<id>.overrides.yaml` (or `.yml`)."""
    return path.name.removesuffix(SUFFIX).removesuffix(MISSPELT_SUFFIX)


def overrides_readers(
    config: Config, also: Iterable[Path], load: Callable[[Path], Document]
) -> list[OverridesReader]:
    """Every ICP file of the project (below each folder of its `paths`) and of `also`,
    with the overrides file each reads: what tells an overrides file no ICP reads from one
    read by an ICP this run did not check. A file whose id cannot be read (broken YAML, an
    id the schema refuses) is taken at its file name's word, so its overrides file is not
    called an orphan for it."""
    files = list(also)
    for folder in config.paths:
        try:
            files += discover([config.root / folder], config)
        except UsageError:
            continue  # a folder missing or empty: `icp check` names it when it reads it
    unique: dict[Path, Path] = {}
    for path in files:
        unique.setdefault(path.resolve(), path)
    readers = []
    for path in unique.values():
        data = load(path).data
        icp_id = data.get("id") if isinstance(data, dict) else None
        if not is_icp_id(icp_id):
            icp_id = path.stem
        if is_icp_id(icp_id):
            readers.append(OverridesReader(icp_id, path, overrides_path_of(icp_id, path, config)))
    return readers
