"""Small helpers the rules share: the texts a reader sees, size-range presence, overlaps."""

from __future__ import annotations

import math
from collections.abc import Iterator

from icpkit.findings import JsonPath
from icpkit.format.model import Form, Icp, Match
from icpkit.scorer.override_facts import OverrideFacts


def criteria_texts(icp: Icp) -> Iterator[tuple[JsonPath, str]]:
    """Texts that state who the customer is (not playbook copy, which may sell)."""
    yield ("name",), icp.name
    yield ("summary",), icp.summary
    for key, items in (
        ("psychographics", icp.psychographics),
        ("jobs_to_be_done", icp.jobs_to_be_done),
        ("alternatives", tuple(a.text for a in icp.alternatives)),
    ):
        for i, text in enumerate(items):
            yield (key, i), text
    for attr in icp.attributes:
        if attr.match.form is not Form.RANGE:
            for i, value in enumerate(attr.match.values):
                yield (*attr.path, attr.match.form.value, i), value
    for trigger in icp.triggers:
        yield (*trigger.path, "event"), trigger.event


def has_size_range(icp: Icp, size_fields: tuple[str, ...]) -> bool:
    return any(
        a.field in size_fields
        and a.match.form is Form.RANGE
        and a.match.min is not None
        and a.match.max is not None
        for a in icp.attributes
    )


def overlaps(a: Match, b: Match) -> bool:
    """Whether some value satisfies both matches (ranges intersect or values are shared)."""
    if a.form is Form.RANGE and b.form is Form.RANGE:
        a_low = -math.inf if a.min is None else a.min
        a_high = math.inf if a.max is None else a.max
        b_low = -math.inf if b.min is None else b.min
        b_high = math.inf if b.max is None else b.max
        return a_low <= b_high and b_low <= a_high
    if a.form is Form.RANGE or b.form is Form.RANGE:
        return False
    return bool(a.folded & b.folded)


def facts_missing(facts: OverrideFacts | None, missing: str) -> str:
    """Why an overrides rule cannot measure the data: no reader was given, the data could
    not be read, or else `missing` (the file the ICP does not name)."""
    if facts is None:
        return "no data reader was given (icp check reads the data)"
    return facts.failed or missing
