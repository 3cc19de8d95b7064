"""What every command may assume of a schema-valid ICP beyond what JSON Schema can say.

The scorers key triggers and anti-ICP entries by id and attributes by field: two triggers
with one id, or one field in two sections, made pandas drop points that DuckDB counted
(70 against 85 for the same account) and two anti-ICP entries with one id crashed the
scorer. `icp check` reports these through rules ICP033-ICP035; the commands that need a
valid ICP (`icpkit.format.valid.valid_icp`) refuse them, so nothing past loading meets them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from icpkit.findings import JsonPath, Violation
from icpkit.format.loader import Document
from icpkit.format.model import Icp


def duplicate_trigger_ids(icp: Icp, doc: Document) -> Iterator[Violation]:
    yield from _repeats(
        doc,
        ((t.id, (*t.path, "id")) for t in icp.triggers),
        lambda key, line: (
            f"trigger id `{key}` is used twice (first at line {line}): give each trigger its "
            "own id, which its points, the `triggers` column and the questions refer to"
        ),
    )


def duplicate_anti_icp_ids(icp: Icp, doc: Document) -> Iterator[Violation]:
    yield from _repeats(
        doc,
        ((a.id, (*a.path, "id")) for a in icp.anti_icp),
        lambda key, line: (
            f"anti-ICP id `{key}` is used twice (first at line {line}): give each entry its "
            "own id, which the disqualifier column and the questions name"
        ),
    )


def fields_in_two_sections(icp: Icp, doc: Document) -> Iterator[Violation]:
    first: dict[str, str] = {}
    for attribute in icp.attributes:
        layer = first.setdefault(attribute.field, attribute.layer)
        if layer != attribute.layer:
            line = doc.locate((layer, attribute.field)).line
            yield Violation(
                attribute.path,
                f"`{attribute.field}` is also scored under {layer} (line {line}): score a "
                "field in one section only, so that its points count once",
            )


def problems(icp: Icp, doc: Document) -> list[Violation]:
    """Every broken invariant, in file order of the sections that hold them."""
    return [
        *duplicate_trigger_ids(icp, doc),
        *duplicate_anti_icp_ids(icp, doc),
        *fields_in_two_sections(icp, doc),
    ]


def _repeats(
    doc: Document, keyed: Iterable[tuple[str, JsonPath]], message: Callable[[str, int], str]
) -> Iterator[Violation]:
    first: dict[str, JsonPath] = {}
    for key, path in keyed:
        seen = first.setdefault(key, path)
        if seen != path:
            yield Violation(path, message(key, doc.locate(seen).line))
