"""Loading one ICP for the commands that need a valid one (score, site, diff)."""

from __future__ import annotations

from pathlib import Path

from icpkit import schema
from icpkit.errors import InputError
from icpkit.loader import load_file
from icpkit.model import Icp, build_icp


def load_icp(path: Path) -> Icp:
    """Load a schema-valid ICP, or raise InputError naming the first problem's place."""
    if not path.is_file():
        raise InputError(f"ICP file not found: {path}")
    doc = load_file(path)
    problems = [v for _, v in doc.violations]
    if doc.readable:
        problems += schema.validate(doc)
    if problems:
        first = problems[0]
        mark = first.mark or doc.locate(first.path)
        more = (
            f" (and {len(problems) - 1} more; run `icp check {path}`)" if len(problems) > 1 else ""
        )
        raise InputError(f"{path}:{mark.line}:{mark.column}: {first.message}{more}")
    return build_icp(doc.data)
