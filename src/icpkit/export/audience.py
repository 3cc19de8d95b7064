"""An ICP's criteria as ad-platform targeting facets: company size, countries, industries,
and the anti-ICP as exclusions. Read from the ICP file alone; pandas-free.

LinkedIn sizes companies in nine fixed staff-count buckets, so an ICP's employee range
rarely lines up with them: every bucket that overlaps the range is targeted, and those that
only partly overlap it are said, with the part they share. An anti-ICP size range excludes
only the buckets wholly inside it: excluding a bucket it only touches would cut accounts
the ICP wants. Industries go through a mapping the user keeps (ICP value -> LinkedIn
industry names); a value it does not map is a warning, never dropped quietly. An anti-ICP
entry with several conditions (all must hold) or a signal cannot be one facet exclusion:
platforms exclude facet by facet, so it is listed as not expressed, with why.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from icpkit.format.display import country_name
from icpkit.format.model import AntiIcp, Attribute, Condition, Form, Icp, Match
from icpkit.text import number


@dataclass(frozen=True)
class Bucket:
    """One of LinkedIn's company-size buckets (the staffCountRange targeting facet)."""

    low: int
    high: int | None  # None: no upper bound (10,001+)

    @property
    def label(self) -> str:
        """As Campaign Manager lists it: 1, 2-10 ... 1,001-5,000, 10,001+."""
        if self.high is None:
            return f"{number(self.low)}+"
        return size_text(self.low, self.high)

    @property
    def urn(self) -> str:
        # The Marketing API writes the open bucket's top as the largest 32-bit integer.
        return f"urn:li:staffCountRange:({self.low},{self.high or 2147483647})"


BUCKETS = tuple(
    Bucket(low, high)
    for low, high in (
        (1, 1), (2, 10), (11, 50), (51, 200), (201, 500), (501, 1000), (1001, 5000),
        (5001, 10000), (10001, None),
    )
)  # fmt: skip


@dataclass(frozen=True)
class SizeBucket:
    bucket: Bucket
    # The part of the bucket the range covers, when it is not the whole bucket.
    covered: tuple[int, int | None] | None = None

    @property
    def partial(self) -> bool:
        return self.covered is not None


@dataclass(frozen=True)
class Industry:
    icp_value: str
    linkedin: tuple[str, ...]  # empty: the mapping file does not map it


@dataclass(frozen=True)
class Facets:
    """One side of the targeting (include or exclude)."""

    size: tuple[SizeBucket, ...] = ()
    # The employee range these buckets stand for, as the ICP writes it.
    size_range: tuple[float | None, float | None] | None = None
    countries: tuple[str, ...] = ()
    industries: tuple[Industry, ...] = ()


@dataclass(frozen=True)
class Criterion:
    """An ICP attribute that is none of the three facets (revenue, tech stack, intent ...)."""

    attribute: Attribute


@dataclass(frozen=True)
class AntiEntry:
    """An anti-ICP entry: the facets it excludes, or why no facet can say it."""

    anti: AntiIcp
    facets: Facets | None
    why_not: str | None = None


@dataclass(frozen=True)
class FacetFields:
    """Which ICP fields are the size, country and industry facets."""

    size: str = "employees"
    country: str = "country"
    industry: str = "industry"


@dataclass(frozen=True)
class Audience:
    icp: Icp
    fields: FacetFields
    include: Facets
    criteria: tuple[Criterion, ...]
    anti_icp: tuple[AntiEntry, ...]
    warnings: tuple[str, ...] = field(default_factory=tuple)


def audience(
    icp: Icp, industries: Mapping[str, Sequence[str]], fields: FacetFields | None = None
) -> Audience:
    """The ICP's targeting: its ideal values as inclusions (partial credit is not targeting),
    its anti-ICP as exclusions where one facet can say it."""
    fields = fields or FacetFields()
    mapping = {key.strip().casefold(): tuple(value) for key, value in industries.items()}
    warnings: list[str] = []
    include = _include(icp, fields, mapping, warnings)
    entries = _exclude(icp, fields, mapping, warnings)
    facet_fields = {fields.size, fields.country, fields.industry}
    criteria = tuple(Criterion(a) for a in icp.attributes if a.field not in facet_fields)
    return Audience(icp, fields, include, criteria, tuple(entries), tuple(warnings))


def _include(
    icp: Icp, fields: FacetFields, mapping: Mapping[str, tuple[str, ...]], warnings: list[str]
) -> Facets:
    size, countries, industries = icp.attribute(fields.size), icp.attribute(fields.country), (
        icp.attribute(fields.industry)
    )  # fmt: skip
    buckets: tuple[SizeBucket, ...] = ()
    span = None
    if size is None:
        warnings.append(f"ICP {icp.id} has no {fields.size} attribute: no company-size facet")
    elif size.match.form is not Form.RANGE:
        warnings.append(
            f"ICP {icp.id}: {fields.size} is matched by {size.match.form.value}, not a range: "
            "no company-size facet"
        )
    else:
        buckets = overlapping(size.match.min, size.match.max)
        span = (size.match.min, size.match.max)
    return Facets(
        size=buckets,
        size_range=span,
        countries=_values(icp, countries, fields.country, warnings),
        industries=_industries(icp, industries, fields.industry, mapping, "targeted", warnings),
    )


def overlapping(low: float | None, high: float | None) -> tuple[SizeBucket, ...]:
    """The buckets a staff count between `low` and `high` (inclusive) falls in, each with the
    part it covers where it does not cover the whole bucket."""
    first = 1 if low is None else max(1, math.ceil(low))
    last = None if high is None else math.floor(high)
    found = []
    for bucket in BUCKETS:
        if (last is not None and bucket.low > last) or (
            bucket.high is not None and bucket.high < first
        ):
            continue
        top = (
            bucket.high if last is None else last if bucket.high is None else min(last, bucket.high)
        )
        part = (max(first, bucket.low), top)
        whole = part == (bucket.low, bucket.high)
        found.append(SizeBucket(bucket, None if whole else part))
    return tuple(found)


def _values(
    icp: Icp, attribute: Attribute | None, name: str, warnings: list[str]
) -> tuple[str, ...]:
    if attribute is None:
        warnings.append(f"ICP {icp.id} has no {name} attribute: no location facet")
        return ()
    if attribute.match.form is Form.RANGE:
        warnings.append(f"ICP {icp.id}: {name} is a range, not a list of countries")
        return ()
    for code in attribute.match.values:
        if country_name(code) is None:
            warnings.append(
                f"ICP {icp.id}: {name} value {code!r} is not an ISO 3166 country code; "
                "it is passed on as written"
            )
    return attribute.match.values


def _industries(
    icp: Icp,
    attribute: Attribute | Condition | None,
    name: str,
    mapping: Mapping[str, tuple[str, ...]],
    purpose: str,
    warnings: list[str],
) -> tuple[Industry, ...]:
    if attribute is None:
        if purpose == "targeted":
            warnings.append(f"ICP {icp.id} has no {name} attribute: no industry facet")
        return ()
    if attribute.match.form is Form.RANGE:
        warnings.append(f"ICP {icp.id}: {name} is a range, not a list of industries")
        return ()
    found = tuple(
        Industry(value, mapping.get(value.strip().casefold(), ()))
        for value in attribute.match.values
    )
    missing = [i.icp_value for i in found if not i.linkedin]
    if missing:
        warnings.append(
            f"ICP {icp.id}: no LinkedIn industry for {name} {', '.join(missing)} in the "
            f"industries mapping: not {purpose} (add it to the mapping file)"
        )
    return found


def _exclude(
    icp: Icp, fields: FacetFields, mapping: Mapping[str, tuple[str, ...]], warnings: list[str]
) -> list[AntiEntry]:
    entries: list[AntiEntry] = []
    for anti in icp.anti_icp:
        why = _why_not(anti, fields)
        if why is not None:
            entries.append(AntiEntry(anti, None, why))
            warnings.append(f"ICP {icp.id}: anti-ICP {anti.id} is not excluded: {why}")
            continue
        condition = anti.when[0]
        if condition.field == fields.size:
            facets = Facets(
                size=_excluded_sizes(icp, anti, condition.match, warnings),
                size_range=(condition.match.min, condition.match.max),
            )
        elif condition.field == fields.country:
            facets = Facets(countries=condition.match.values)
        else:
            found = _industries(icp, condition, condition.field, mapping, "excluded", warnings)
            facets = Facets(industries=found)
        entries.append(AntiEntry(anti, facets))
    return entries


def _why_not(anti: AntiIcp, fields: FacetFields) -> str | None:
    if not anti.when:
        return "it is a signal (found in conversation), not a field a platform targets"
    if len(anti.when) > 1:
        return (
            "its conditions must all hold, and platforms exclude each facet on its own "
            "(excluding each would cut more than the anti-ICP)"
        )
    condition = anti.when[0]
    if condition.field not in (fields.size, fields.country, fields.industry):
        return f"{condition.field} is not a targeting facet (size, country or industry)"
    range_field = condition.field == fields.size
    if range_field != (condition.match.form is Form.RANGE):
        return f"{condition.field} is matched by {condition.match.form.value}"
    return None


def _excluded_sizes(
    icp: Icp, anti: AntiIcp, match: Match, warnings: list[str]
) -> tuple[SizeBucket, ...]:
    touched = overlapping(match.min, match.max)
    partly = [b for b in touched if b.partial]
    if partly:
        names = ", ".join(b.bucket.label for b in partly)
        warnings.append(
            f"ICP {icp.id}: anti-ICP {anti.id} ({size_text(match.min, match.max)} employees) "
            f"only partly covers the {names} bucket, which is not excluded"
        )
    return tuple(b for b in touched if not b.partial)


def size_text(low: float | None, high: float | None) -> str:
    if low is None and high is None:
        return "any size"
    if low is None:
        return f"up to {number(high or 0)}"
    if high is None:
        return f"{number(low)} or more"
    return number(low) if low == high else f"{number(low)}-{number(high)}"
