"""Small helpers the rules share: the texts a reader sees, and size-range presence."""

from __future__ import annotations

from collections.abc import Iterator

from icpkit.findings import JsonPath
from icpkit.model import Form, Icp


def criteria_texts(icp: Icp) -> Iterator[tuple[JsonPath, str]]:
    """Texts that state who the customer is (not playbook copy, which may sell)."""
    yield ("name",), icp.name
    yield ("summary",), icp.summary
    for key, items in (
        ("psychographics", icp.psychographics),
        ("jobs_to_be_done", icp.jobs_to_be_done),
        ("alternatives", icp.alternatives),
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
