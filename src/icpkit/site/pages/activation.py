"""The ICP's `activation:` in words, for the playbook, the profile and the battle card:
each band's queue and SLA, and the ABM tiers. Every text comes through `markup.text`."""

from __future__ import annotations

from icpkit.format.model import AbmTier, Icp, Route
from icpkit.site.markup import table, text
from icpkit.text import number

# The outcome bands beside the score bands, in the order the pages list them.
OUTCOMES = ("poor", "disqualified", "unknown")
TIERS_NOTE = (
    "Accounts are ranked strong first, then by score, highest first, ties in the file's "
    "order; each takes the first tier it qualifies for. Disqualified accounts and those "
    "with too little data are never ranked."
)


def route_of(icp: Icp, band: str) -> Route | None:
    return icp.activation.route(band) if icp.activation else None


def sla(hours: float | None) -> str:
    """`within 4 h`; `no SLA` where the route sets none."""
    return "no SLA" if hours is None else f"within {number(hours)} h"


def route_text(icp: Icp, band: str) -> str:
    """`senior-ae, within 4 h`, escaped; "" where the band has no route."""
    found = route_of(icp, band)
    return text(f"{found.queue}, {sla(found.sla_hours)}") if found else ""


def tier_rule(tier: AbmTier) -> str:
    """Which accounts a tier takes: `the top 50, good or better`."""
    parts = []
    if tier.top is not None:
        parts.append(f"ranked in the top {number(tier.top)}")
    if tier.min_band is not None:
        parts.append(tier.min_band if tier.min_band == "strong" else f"{tier.min_band} or better")
    return ", ".join(parts) if parts else "every ranked account"


def tiers(icp: Icp) -> str:
    """The ABM tiers as a table and how accounts reach them; "" without tiers."""
    found = icp.activation.abm_tiers if icp.activation else ()
    if not found:
        return ""
    rows = [[text(t.name), text(tier_rule(t))] for t in found]
    return table(["ABM tier", "Accounts"], rows) + f"\n{text(TIERS_NOTE)}\n"


def tiers_line(icp: Icp) -> str:
    """The tiers on one line, for the card: `1:1: top 25, strong · 1:many: ...`."""
    found = icp.activation.abm_tiers if icp.activation else ()
    return " · ".join(f"{t.name}: {tier_rule(t)}" for t in found)
