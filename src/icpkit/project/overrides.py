"""Where an ICP's overrides file is, and reading it for a command that applies it.

`<id>.overrides.yaml` beside the ICP file, or in the `overrides-dir` folder of
`[tool.icp]` (say, a folder sales owns in CODEOWNERS). No file: no overrides.
"""

from __future__ import annotations

from pathlib import Path

from icpkit.format.model import Icp
from icpkit.format.overrides import SUFFIX, Overrides, load_overrides, require_valid
from icpkit.project.settings import Config


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
