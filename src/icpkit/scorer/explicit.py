"""Explicit beats default: a value an ICP names for a field is data there, not a missing marker.

The default unknown markers (`unknown`, `n/a`, `none` ...) blank a cell before any rule
reads it. An ICP that writes `budget: {in: [Unknown]}` or an anti-ICP `when:
{competitor: {in: [None]}}` means the word itself; blanking it would make that rule
silently never match. So, per field, the markers the field's own rules name (compared as
markers are, case-insensitively) stay values. Pure, no pandas: the pandas reader and the
SQL compiler both ask here, so they read cells alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

from icpkit.format.model import Form, Icp, Match
from icpkit.project.mapping import DataMapping


def rule_matches(icp: Icp) -> Iterator[tuple[str, Match]]:
    """Every (field, match) the ICP tests a cell with: attributes, partials, and the `when`
    of anti-ICPs and triggers."""
    for attribute in icp.attributes:
        yield attribute.field, attribute.match
        for partial in attribute.partial:
            yield attribute.field, partial.match
    for when in (*(a.when for a in icp.anti_icp), *(t.when for t in icp.triggers)):
        for condition in when:
            yield condition.field, condition.match


def named_values(icps: Iterable[Icp]) -> dict[str, frozenset[str]]:
    """Field -> the category and list values its rules name, lower-cased."""
    named: dict[str, set[str]] = {}
    for icp in icps:
        for name, match in rule_matches(icp):
            if match.form is not Form.RANGE:
                named.setdefault(name, set()).update(v.strip().lower() for v in match.values)
    return {name: frozenset(values) for name, values in named.items()}


def kept_markers(icps: Iterable[Icp], mapping: DataMapping) -> dict[str, frozenset[str]]:
    """Field -> the unknown markers its rules name, which therefore read as values there.

    Not on numeric fields (a range reads them): a word is no number, so keeping it would
    only turn a missing value into an unreadable one."""
    icps = list(icps)
    numeric = {n for icp in icps for n, m in rule_matches(icp) if m.form is Form.RANGE}
    markers = frozenset(m.lower() for m in mapping.unknown_values)
    kept = {
        name: values & markers for name, values in named_values(icps).items() if name not in numeric
    }
    return {name: values for name, values in kept.items() if values}


def field_markers(
    mapping: DataMapping, kept: Mapping[str, frozenset[str]], name: str
) -> tuple[str, ...]:
    """The unknown markers that blank a cell of `name`: the mapping's, less those kept."""
    keep = kept.get(name, frozenset())
    return tuple(m for m in mapping.unknown_values if m.lower() not in keep)


def spellings(markers: Iterable[str]) -> frozenset[str]:
    """The cell spellings a marker matches: as given, upper case and title case.

    Matching the usual spellings avoids lower-casing every cell of every column."""
    given = frozenset(markers)
    return given | {m.upper() for m in given} | {m.title() for m in given}


def reads_alike(icp: Icp, together: Sequence[Icp], mapping: DataMapping) -> bool:
    """Whether `icp` reads each of its fields as it would alone when prepared `together`.

    Several ICPs share one prepared table; when another names a marker that this one does
    not, this one must be scored from a table of its own, or its unknowns would change."""
    own, union = kept_markers([icp], mapping), kept_markers(together, mapping)
    fields = {name for name, _ in rule_matches(icp)}
    return all(own.get(f, frozenset()) == union.get(f, frozenset()) for f in fields)
