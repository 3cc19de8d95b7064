"""The active ICPs side by side: who each targets, what sets it off, how well it predicts.

One column per ICP, one row per question a marketer or a sales leader asks when choosing
between them. A Markdown table, so the theme scrolls it inside its own box at phone width.
"""

from __future__ import annotations

from collections.abc import Callable

from icpkit.format.describe import describe_match
from icpkit.format.model import Attribute, Icp, Status
from icpkit.site.markup import badge, join, table, text
from icpkit.site.pages.common import STATUS_KIND, icp_page, rel, stale_badge, top_band_text
from icpkit.site.pages.figures import auc_cell, deal_window
from icpkit.site.pages.status import review_age
from icpkit.site.project import SiteIcp

NOT_SET = "not set"
KEY_TRIGGERS = 3  # the heaviest; the profile lists them all
_SIZE = ("employees", "headcount", "revenue")
_REGION = ("country", "countries", "region", "regions", "geo")
_INDUSTRY = ("industry", "industries", "vertical", "verticals", "sector", "sectors")


def _named(icp: Icp, words: tuple[str, ...]) -> list[Attribute]:
    """Attributes whose field is one of `words`, or ends in one (`hq_country`)."""
    return [a for a in icp.attributes if any(w in a.field.split("_") for w in words)]


def _ideal(icp: Icp, words: tuple[str, ...]) -> str:
    found = _named(icp, words)
    return join(text(describe_match(a.field, a.match, icp.names)) for a in found) or text(NOT_SET)


def _persona(icp: Icp) -> str:
    if not icp.personas:
        return text(NOT_SET)
    first = icp.personas[0]  # personas are listed most important first
    detail = ", ".join(icp.names.value(p) for p in (first.seniority, first.buying_role) if p)
    return join([text(first.role), f"<small>{text(detail)}</small>" if detail else ""])


def _triggers(icp: Icp) -> str:
    if not icp.triggers:
        return text(NOT_SET)
    heaviest = sorted(icp.triggers, key=lambda t: -t.weight)[:KEY_TRIGGERS]
    lines = [text(t.event) for t in heaviest]
    more = len(icp.triggers) - len(heaviest)
    if more:
        lines.append(f"<small>and {more} more on its profile</small>")
    return join(lines)


def _backtest(entry: SiteIcp) -> str:
    result = entry.backtest
    # Not the reason itself: it is written for the ICP's author (`validation.deals`).
    return text(deal_window(result, counted=True) if result else "not backtested")


def _status(entry: SiteIcp) -> str:
    icp = entry.icp
    return (
        f"{badge(icp.status.value, STATUS_KIND[icp.status])} <small>{text(icp.tier.value)}</small>"
    )


def _freshness(entry: SiteIcp) -> str:
    icp = entry.icp
    reviewed = f"reviewed {text(icp.last_reviewed.isoformat())}"
    return join([reviewed, f"<small>{review_age(entry)}</small>", stale_badge(entry)])


ROWS: tuple[tuple[str, Callable[[SiteIcp], str]], ...] = (
    ("Size", lambda e: _ideal(e.icp, _SIZE)),
    ("Region", lambda e: _ideal(e.icp, _REGION)),
    ("Industry", lambda e: _ideal(e.icp, _INDUSTRY)),
    ("Primary persona", lambda e: _persona(e.icp)),
    ("Key triggers", lambda e: _triggers(e.icp)),
    ("Top-band win rate", lambda e: text(top_band_text(e.backtest))),
    ("AUC", lambda e: auc_cell(e.backtest)),
    ("Backtested on", _backtest),
    ("Status", _status),
    ("Freshness", _freshness),
)


def section(icps: tuple[SiteIcp, ...], page: str, icp_dir: str) -> list[str]:
    """The comparison of the active ICPs, under its own heading."""
    active = [e for e in icps if e.icp.status is Status.ACTIVE]
    out = ["## Side by side\n"]
    if not active:
        return [*out, "No ICP is active, so there is nothing to compare.\n"]
    headers = [""] + [f"[{text(e.icp.name)}]({rel(page, icp_page(icp_dir, e.id))})" for e in active]
    rows = [[f"**{text(label)}**", *(cell(e) for e in active)] for label, cell in ROWS]
    return [
        *out,
        "The active ICPs: whom each targets, what sets a purchase off (the heaviest "
        "triggers), and how well its score has predicted wins.\n",
        table(headers, rows),
    ]
