"""`icp init`: a new ICP repository that passes `icp check` the moment it is written."""

from __future__ import annotations

import re
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Template

from icpkit.errors import UsageError
from icpkit.fileio import atomic_write_text
from icpkit.format.model import quarter_of
from icpkit.format.schema import schema_text
from icpkit.project.settings import today
from icpkit.version import __version__

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Wheels built from package-data globs skip dotfiles, so templates store `.github` as
# `dot-github` and the prefix becomes a dot again on write.
_DOT = "dot-"
_VERBATIM = (".csv",)


def _walk(root: Traversable, prefix: str = "") -> list[tuple[str, str]]:
    files: list[tuple[str, str]] = []
    for item in sorted(root.iterdir(), key=lambda t: t.name):
        name = f"{prefix}{item.name}"
        if item.is_dir():
            files.extend(_walk(item, f"{name}/"))
        elif not item.name.endswith((".pyc", ".pyo")):
            files.append((name, item.read_text(encoding="utf-8")))
    return files


def scaffold(
    directory: Path, *, icp_id: str = "example-icp", codeowners: bool = True
) -> list[Path]:
    """Write the template repository into `directory`; refuse if any file already exists.
    `codeowners`: with `.github/CODEOWNERS` asking sales, marketing and customer success
    to sign off changes to `icps/` (placeholder teams the user edits)."""
    if not _SLUG.match(icp_id):
        raise UsageError(f"--id {icp_id!r} must be a slug: lowercase letters, digits, dashes")
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory} exists and is not a folder")
    day = today()
    values = {
        "icp_id": icp_id,
        "quarter": quarter_of(day),
        "today": day.isoformat(),
        "owner": "revenue-marketing@example.com",
        "project": directory.resolve().name,
        "icpkit_version": __version__,
    }
    planned: list[tuple[Path, str]] = []
    for name, text in _walk(resources.files("icpkit.project") / "templates" / "repo"):
        parts = [
            ("." + p.removeprefix(_DOT) if p.startswith(_DOT) else p).replace("__ID__", icp_id)
            for p in name.split("/")
        ]
        # Data files are copied as they are: a CRM export's "$25K" is not a placeholder.
        if not name.endswith(_VERBATIM):
            text = Template(text).substitute(values)
        planned.append((directory.joinpath(*parts), text))
    if codeowners:
        owners = (resources.files("icpkit.project") / "templates" / "CODEOWNERS").read_text(
            encoding="utf-8"
        )
        planned.append((directory / ".github" / "CODEOWNERS", owners))
    # Editors validate ICP files against this copy (see the yaml-language-server comment).
    planned.append((directory / "schema" / "icp.schema.json", schema_text()))
    overrides = schema_text("overrides.schema.json")
    planned.append((directory / "schema" / "overrides.schema.json", overrides))
    existing = [str(path) for path, _ in planned if path.exists()]
    if existing:
        raise UsageError(
            "refusing to overwrite existing files: " + ", ".join(existing) + "; nothing was written"
        )
    for path, text in planned:
        atomic_write_text(path, text)
    return [path for path, _ in planned]
