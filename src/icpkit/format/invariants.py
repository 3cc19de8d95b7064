"""What every command may assume of a schema-valid ICP beyond what JSON Schema can say.

The scorers key triggers and anti-ICP entries by id and attributes by field: two triggers
with one id, or one field in two sections, made pandas drop points that DuckDB counted
(70 against 85 for the same account) and two anti-ICP entries with one id crashed the
scorer. A field that a range reads as a number and another rule as text compared its
text form, which each engine writes its own way (`1000.0` in pandas, `1000` in
PostgreSQL, `8.1873268E7` in Spark). `icp check` reports these through rules
ICP033-ICP035 and ICP038; the commands that need a valid ICP
(`icpkit.format.valid.valid_icp`) refuse them, so nothing past loading meets them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from icpkit.findings import JsonPath, Violation
from icpkit.format.loader import Document
from icpkit.format.model import Form, Icp, Match


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


def numbers_tested_as_text(icp: Icp, doc: Document) -> Iterator[Violation]:
    """A value test (`in`, `any`, `all`) on a field a range elsewhere reads as a number."""
    tests = list(_tests(icp))
    ranges: dict[str, JsonPath] = {}
    for field, match, path in tests:
        if match.form is Form.RANGE:
            ranges.setdefault(field, path)
    for field, match, path in tests:
        if field in ranges and match.form is not Form.RANGE:
            line = doc.locate(ranges[field]).line
            named = ", ".join(match.values)
            yield Violation(
                path,
                f"`{field}` is a number (a range reads it at line {line}), so "
                f"`{match.form.value}: [{named}]` would compare the number's text, which "
                "each engine writes its own way (1000.0, 1000, 1.0E3); test it with a "
                "range such as {min: 1000, max: 1000}, or give the text its own field",
            )


def problems(icp: Icp, doc: Document) -> list[Violation]:
    """Every broken invariant, in file order of the sections that hold them."""
    return [
        *duplicate_trigger_ids(icp, doc),
        *duplicate_anti_icp_ids(icp, doc),
        *fields_in_two_sections(icp, doc),
        *numbers_tested_as_text(icp, doc),
    ]


def _tests(icp: Icp) -> Iterator[tuple[str, Match, JsonPath]]:
    """Every rule the ICP applies to a field, with where it is written."""
    for attribute in icp.attributes:
        yield attribute.field, attribute.match, attribute.path
        for partial in attribute.partial:
            yield attribute.field, partial.match, partial.path
    conditions = [c for t in icp.triggers for c in t.when]
    conditions += [c for a in icp.anti_icp for c in a.when]
    for condition in conditions:
        yield condition.field, condition.match, condition.path


def _repeats(
    doc: Document, keyed: Iterable[tuple[str, JsonPath]], message: Callable[[str, int], str]
) -> Iterator[Violation]:
    first: dict[str, JsonPath] = {}
    for key, path in keyed:
        seen = first.setdefault(key, path)
        if seen != path:
            yield Violation(path, message(key, doc.locate(seen).line))
