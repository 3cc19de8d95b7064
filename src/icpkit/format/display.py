"""How a value from an ICP or a data file reads to people: `c-level` -> C-level,
`series-b` -> Series B, `linkedin` -> LinkedIn, `GB` in a country field -> United Kingdom.

The ICP's own `display:` map wins; then the names of the format's own vocabularies
(seniority, buying role, channel, funding stage), then country names from CLDR (through
Babel) for fields that hold countries, then known acronyms. Anything else reads as
written: a value nobody named is shown, never guessed at.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

_KNOWN = {
    # seniority and buying roles (the format's enums)
    "c-level": "C-level",
    "vp": "VP",
    "director": "Director",
    "manager": "Manager",
    "champion": "Champion",
    "user": "User",
    "influencer": "Influencer",
    "blocker": "Blocker",
    "individual-contributor": "Individual contributor",
    "economic-buyer": "Economic buyer",
    "technical-evaluator": "Technical evaluator",
    # reachability channels
    "linkedin": "LinkedIn",
    "outbound-email": "Outbound email",
    "cold-call": "Cold call",
    "paid-search": "Paid search",
    "paid-social": "Paid social",
    "content-seo": "Content and SEO",
    "review-sites": "Review sites",
    "product-led": "Product-led",
    # funding stages
    "pre-seed": "Pre-seed",
    "growth-equity": "Growth equity",
    "pe-backed": "PE-backed",
    "ipo": "IPO",
    # software and tools people spell their own way
    "salesforce": "Salesforce",
    "hubspot": "HubSpot",
    "netsuite": "NetSuite",
    "sap": "SAP",
    "saas": "SaaS",
    "fintech": "Fintech",
    "healthtech": "Healthtech",
    "martech": "Martech",
}
_ACRONYMS = frozenset(
    [
        "erp",
        "crm",
        "cpq",
        "bi",
        "hr",
        "it",
        "ai",
        "ml",
        "api",
        "b2b",
        "b2c",
        "smb",
        "emea",
        "apac",
        "latam",
        "dach",
        "uk",
        "eu",
        "arr",
        "mrr",
        "usd",
        "roi",
        "kpi",
        "sla",
        "gtm",
        "abm",
    ]
)
_SERIES = re.compile(r"series-([a-z])(\+|-plus)?")
_WORD = re.compile(r"[a-z0-9]+|[^a-z0-9]+", re.I)


def is_country_field(name: str) -> bool:
    """`country`, `hq_country`, `billing_country`: the fields whose codes name countries."""
    return name == "country" or name.endswith("_country") or name.startswith("country_")


@functools.cache
def _territories() -> Mapping[str, str]:
    from babel import Locale  # CLDR data is loaded only when a country is shown

    return dict(Locale("en").territories)


def country_name(code: str) -> str | None:
    """`GB` -> United Kingdom; None for what is not an ISO 3166 alpha-2 code."""
    if not re.fullmatch(r"[A-Za-z]{2}", code):
        return None
    return _territories().get(code.upper())


def known_name(value: str, field_name: str | None = None) -> str | None:
    """The format's own name for a value, or None when nothing here names it."""
    key = value.strip().casefold()
    if field_name is not None and is_country_field(field_name):
        found = country_name(value.strip())
        if found is not None:
            return found
    if key in _KNOWN:
        return _KNOWN[key]
    series = _SERIES.fullmatch(key)
    if series:
        return f"Series {series.group(1).upper()}{'+' if series.group(2) else ''}"
    if key in _ACRONYMS:
        return key.upper()
    return None


def acronyms(text: str) -> str:
    """Words of a label that are acronyms in capitals: "Erp system" -> "ERP system"."""
    return "".join(
        w.upper() if w.casefold() in _ACRONYMS and w.isalpha() else w for w in _WORD.findall(text)
    )


@dataclass(frozen=True)
class Names:
    """One ICP's way of naming values: its `display:` map over the known names."""

    own: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str]]) -> Names:
        return cls({k.strip().casefold(): v for k, v in pairs})

    def value(self, value: object, field_name: str | None = None) -> str:
        shown = str(value)
        own = self.own.get(shown.strip().casefold())
        if own is not None:
            return own
        return known_name(shown, field_name) or shown

    def values(self, values: Iterable[object], field_name: str | None = None) -> list[str]:
        return [self.value(v, field_name) for v in values]


# Known names only: for what has no ICP of its own to name values (a data file, say).
DEFAULT_NAMES = Names()
