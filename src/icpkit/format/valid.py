"""Loading one ICP for the commands that need a valid one (score, site, diff)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from icpkit.errors import InputError
from icpkit.findings import Violation
from icpkit.format import invariants, schema
from icpkit.format.loader import Document, load_bytes, load_file
from icpkit.format.model import Icp, build_icp
from icpkit.paths import display_path


def load_icp(path: Path) -> Icp:
    """Load a schema-valid ICP, or raise InputError naming the first problem's place."""
    if not path.is_file():
        raise InputError(f"ICP file not found: {path}")
    return valid_icp(load_file(path), hint=f"run `icp check {path}`")


def read_icp(raw: bytes, name: str) -> tuple[Icp, Document]:
    """An ICP from bytes (a file as it was in some commit); `name` is how errors cite it."""
    doc = load_bytes(raw, Path(name))
    return valid_icp(doc, hint="check it out and run `icp check` on it"), doc


def valid_icp(doc: Document, *, hint: str) -> Icp:
    """The ICP, or InputError: unreadable, not schema-valid, or breaking an invariant."""
    problems = [v for _, v in doc.violations]
    if doc.readable:
        problems += schema.validate(doc)
    _refuse(doc, problems, hint)
    icp = build_icp(doc.data)
    _refuse(doc, invariants.problems(icp, doc), hint)
    return icp


def _refuse(doc: Document, problems: list[Violation], hint: str) -> None:
    if problems:
        first = problems[0]
        mark = first.mark or doc.locate(first.path)
        more = f" (and {len(problems) - 1} more; {hint})" if len(problems) > 1 else ""
        raise InputError(f"{doc.path}:{mark.line}:{mark.column}: {first.message}{more}")


def unique_ids(loaded: Iterable[tuple[Path, Icp]]) -> None:
    """Refuse two files with one ICP id: scores, site pages and history are keyed by it."""
    first: dict[str, Path] = {}
    for path, icp in loaded:
        owner = first.setdefault(icp.id, path)
        if owner.resolve() != path.resolve():
            raise InputError(
                f"id `{icp.id}` is used by both {display_path(owner)} and {display_path(path)}: "
                "scores, site pages and history are keyed by the id, so one would replace "
                "the other; give each ICP its own id (rule ICP025)"
            )
