"""An `Audience` as files: LinkedIn targeting as a sheet (one row per facet value), and the
generic audience JSON (format `icpkit-audience/1`, schema in `audience.schema.json`) for
6sense, Bombora or Demandbase-style tools.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pandas as pd

from icpkit.export.audience import Audience, Facets, SizeBucket, size_text
from icpkit.format.display import country_name
from icpkit.format.model import Attribute, Form

AUDIENCE_FORMAT = "icpkit-audience/1"
TARGETING_COLUMNS = ("facet", "action", "value", "linkedin_id", "icp_value", "note")
SIZE, LOCATIONS, INDUSTRIES = "Company size", "Locations", "Company industries"


def audience_schema() -> dict[str, Any]:
    text = resources.files("icpkit.export").joinpath("audience.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def targeting_sheet(found: Audience) -> pd.DataFrame:
    """LinkedIn Campaign Manager's facets, one row per value to include or exclude, with the
    values no facet could take (an unmapped industry, an anti-ICP signal) said as rows too."""
    rows = _rows(found.include, "include", None)
    for entry in found.anti_icp:
        if entry.facets is None:
            rows.append(("", "not-expressed", "", "", entry.anti.id, entry.why_not or ""))
        else:
            rows += _rows(entry.facets, "exclude", entry.anti.id)
    return pd.DataFrame(rows, columns=list(TARGETING_COLUMNS), dtype="object")


def _rows(facets: Facets, action: str, anti: str | None) -> list[tuple[str, ...]]:
    because = f"anti-ICP {anti}" if anti else ""
    span = size_text(*facets.size_range) if facets.size_range else ""
    rows: list[tuple[str, ...]] = [
        (SIZE, action, b.bucket.label, b.bucket.urn, span, _joined(because, _partly(b)))
        for b in facets.size
    ]
    rows += [
        (LOCATIONS, action, country_name(code) or code, code.upper(), code, because)
        for code in facets.countries
    ]
    for industry in facets.industries:
        if not industry.linkedin:
            note = _joined(because, "no LinkedIn industry in the mapping file")
            rows.append((INDUSTRIES, "unmapped", "", "", industry.icp_value, note))
        rows += [
            (INDUSTRIES, action, n, "", industry.icp_value, because) for n in industry.linkedin
        ]
    return rows


def _partly(bucket: SizeBucket) -> str:
    if bucket.covered is None:
        return ""
    low, high = bucket.covered
    return f"partly: only {size_text(low, high)} of {bucket.bucket.label}"


def _joined(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def audience_json(found: Audience) -> str:
    """The documented JSON (see docs/guide/activate.md), keys in a stable order."""
    icp = found.icp
    data = {
        "format": AUDIENCE_FORMAT,
        "icp": {"id": icp.id, "name": icp.name, "version": icp.version},
        "fields": {
            "company_size": found.fields.size,
            "country": found.fields.country,
            "industry": found.fields.industry,
        },
        "include": {
            **_facets(found.include),
            "criteria": [_criterion(c.attribute) for c in found.criteria],
        },
        "exclude": [
            {"anti_icp": e.anti.id, "reason": e.anti.reason, **_facets(e.facets)}
            for e in found.anti_icp
            if e.facets is not None
        ],
        "not_expressed": [
            {"anti_icp": e.anti.id, "reason": e.anti.reason, "why": e.why_not}
            for e in found.anti_icp
            if e.facets is None
        ],
        "warnings": list(found.warnings),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _facets(facets: Facets) -> dict[str, Any]:
    low, high = facets.size_range or (None, None)
    return {
        "company_size": {
            "min": _plain(low),
            "max": _plain(high),
            "linkedin_staff_count_ranges": [_bucket(b) for b in facets.size],
        },
        "countries": [{"code": c, "name": country_name(c)} for c in facets.countries],
        "industries": [
            {"icp_value": i.icp_value, "linkedin": list(i.linkedin)} for i in facets.industries
        ],
    }


def _bucket(item: SizeBucket) -> dict[str, Any]:
    bucket = item.bucket
    found: dict[str, Any] = {
        "range": bucket.label,
        "min": bucket.low,
        "max": bucket.high,
        "urn": bucket.urn,
        "partial": item.partial,
    }
    if item.covered is not None:
        found["covered"] = {"min": item.covered[0], "max": item.covered[1]}
    return found


def _criterion(attribute: Attribute) -> dict[str, Any]:
    match = attribute.match
    found: dict[str, Any] = {
        "field": attribute.field,
        "layer": attribute.layer,
        "weight": _plain(attribute.weight),
    }
    if match.form is Form.RANGE:
        found |= {"min": _plain(match.min), "max": _plain(match.max)}
    else:
        found[match.form.value] = list(match.values)
    return found


def _plain(value: float | None) -> int | float | None:
    """Whole numbers as integers, so 200 reads 200, not 200.0."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value
