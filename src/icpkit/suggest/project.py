"""Where `icp suggest` writes its draft, and which of the project's ICPs it compares with."""

from __future__ import annotations

from pathlib import Path

from icpkit.errors import UsageError
from icpkit.paths import display_path
from icpkit.project.settings import Config


def draft_id(deals: Path, icp_id: str | None, draft: Path | None) -> str:
    """The draft's id: given, else the draft file's name, else `<deals>-suggested`. The id
    is the file name (ICP024), so the file names it when --id does not."""
    if icp_id:
        return icp_id
    if draft is not None:
        return draft.name.split(".")[0]
    return f"{deals.name.split('.')[0].lower().replace('_', '-')}-suggested"


def draft_path(name: str, draft: Path | None, config: Config, *, force: bool) -> Path:
    """The file to write: given, else `<name>.yaml` in the first ICP folder (or here);
    an existing file only with `force`."""
    if draft is None:
        folder = config.root / config.paths[0] if config.paths else Path.cwd()
        draft = (folder if folder.is_dir() else Path.cwd()) / f"{name}.yaml"
    if draft.exists() and not force:
        raise UsageError(f"{display_path(draft)} exists; pass --force to replace it, or --draft")
    return draft


def current_for(deals: Path, config: Config, draft: Path) -> Path | None:
    """The project's ICP backtested on these deals, if exactly one is (an earlier draft at
    the path being written does not count)."""
    from icpkit.format.valid import load_icp
    from icpkit.project.discovery import discover

    found = []
    try:
        paths = discover([config.root / p for p in config.paths], config)
    except UsageError:  # no ICP in the project yet: nothing to compare with
        return None
    for path in paths:
        try:
            icp = load_icp(path)
        except Exception:
            continue
        named = icp.validation.deals
        if path.resolve() == draft.resolve():
            continue
        if named and (config.root / named).resolve() == deals.resolve():
            found.append(path)
    return found[0] if len(found) == 1 else None
