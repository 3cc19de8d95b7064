"""Which ICP files a command reads: the paths named, or the project's `paths` setting."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from icpkit.errors import UsageError
from icpkit.format.overrides import SUFFIX as OVERRIDES_SUFFIX
from icpkit.paths import display_path
from icpkit.project.settings import Config, inside, outside_message

ICP_SUFFIXES = (".yaml", ".yml")
# What an overrides file may be misnamed as: read by no ICP, so reported, not checked as one.
MISSPELT_SUFFIX = ".overrides.yml"


@dataclass(frozen=True)
class Found:
    """What `icp check` reads: the ICP files, and the overrides files named or found
    below the folders named (each checked with the ICP that reads it, or reported)."""

    icps: list[Path]
    overrides: list[Path]
    named: frozenset[Path]  # the overrides files named directly, resolved


def discover(paths: Sequence[str | Path], config: Config) -> list[Path]:
    """Files named directly, and *.yaml / *.yml below folders (hidden folders skipped),
    except overrides files (`<id>.overrides.yaml`).
    A link inside the project to a file or folder outside it is refused (see `_escapes`)."""
    found = discover_with_overrides(paths, config)
    if found.overrides and not found.icps:
        raise UsageError(
            f"{display_path(found.overrides[0])} is an overrides file, read with its ICP: "
            "name the ICP file (or its folder) instead"
        )
    return found.icps


def discover_with_overrides(paths: Sequence[str | Path], config: Config) -> Found:
    """As `discover`, keeping the overrides files apart instead of dropping them; naming
    only overrides files is not an error here (a pre-commit hook names what changed)."""
    targets = [Path(p) for p in paths] or [config.root / p for p in config.paths]
    files: list[Path] = []
    named: set[Path] = set()
    for target in targets:
        if _escapes(target, config):
            raise UsageError(outside_message(display_path(target), target.name, target))
        if target.is_file():
            files.append(target)
            named.add(target.resolve())
        elif target.is_dir():
            files.extend(_below(target, config))
        else:
            raise UsageError(f"path not found: {display_path(target)}")
    unique = list(dict.fromkeys(files))
    # An overrides file is read with its ICP (project.overrides), never as an ICP itself.
    overrides = [p for p in unique if is_overrides_name(p.name)]
    icps = [p for p in unique if not is_overrides_name(p.name)]
    return Found(icps, overrides, frozenset(p.resolve() for p in overrides) & named)


def is_overrides_name(name: str) -> bool:
    """`<id>.overrides.yaml`, or the `.yml` spelling no ICP reads (ICP055 says so)."""
    return name.endswith((OVERRIDES_SUFFIX, MISSPELT_SUFFIX))


def overrides_near(icp_paths: Sequence[Path], config: Config) -> list[Path]:
    """The overrides files in the folders these ICPs read theirs from (`overrides-dir`, or
    each one's own folder): where a file left by a renamed ICP is. Hidden files and links
    leading out of the project are left out, as a folder search leaves them."""
    folders = (
        [config.overrides_dir]
        if config.overrides_dir is not None
        else list(dict.fromkeys(p.parent for p in icp_paths))
    )
    found = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if (
                is_overrides_name(path.name)
                and not path.name.startswith(".")
                and path.is_file()
                and not _escapes(path, config, folder.resolve())
            ):
                found.append(path)
    return found


def _below(target: Path, config: Config) -> list[Path]:
    found = sorted(
        p
        for p in target.rglob("*")
        if p.suffix in ICP_SUFFIXES
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(target).parts)
    )
    if not found:
        raise UsageError(f"no ICP files (*.yaml, *.yml) in {display_path(target)}")
    for path in found:
        if _escapes(path, config, target.resolve()):
            raise UsageError(outside_message(display_path(path), path.name, path))
    return found


def _escapes(path: Path, config: Config, folder: Path | None = None) -> bool:
    """Whether `path` (named inside the project, or found in `folder`) leads outside both the
    project and the folder: an ICP file that is a link to ~/.ssh/id_rsa would otherwise be
    read and quoted in findings. A file named outside the project is the user's own choice."""
    if inside(path, config.root, config.allow_outside):
        return False
    if folder is not None:
        return not inside(path, folder)
    lexical = Path(os.path.normpath(path.absolute()))
    roots = (Path(os.path.normpath(config.root.absolute())), config.root.resolve())
    return any(lexical.is_relative_to(root) for root in roots)
