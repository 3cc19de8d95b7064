"""Status on every ICP page and its printout: a draft or retired ICP cannot pass for an
active one, and a printed page says which version it shows, whose it is and when it was built.

Ages are written twice over: as absolute dates with the day they were counted on ("as of"),
which stay true on paper and without script, and as `data-icp-since` dates the site's script
(assets/icpkit.js) turns into ages on the day the page is read, so a page nobody rebuilt does
not go on saying "12 days ago" for months.
"""

from __future__ import annotations

import datetime as dt

from icpkit.format.model import Status
from icpkit.site.markup import badge, css_string, text
from icpkit.site.pages.common import STATUS_KIND, stale_badge
from icpkit.site.project import SiteIcp
from icpkit.text import plural

BANNERS = {
    Status.DRAFT: (
        "Draft",
        "this ICP is not approved yet. Do not target, qualify or route leads with it.",
    ),
    Status.RETIRED: (
        "Retired",
        "this ICP is no longer in use. It is kept for reference; do not work leads with it.",
    ),
}


def age(since: dt.date, as_of: dt.date) -> str:
    """Days since `since`: counted on `as_of` in the page, recounted by the script on view."""
    days = (as_of - since).days
    if days < 0:  # a review dated ahead (ICP022 reports it); the script leaves it alone
        counted = f"{plural(-days, 'day')} ahead"
    else:
        counted = f"{plural(days, 'day')} ago" if days else "today"
    return (
        f'<time class="icp-age" datetime="{since.isoformat()}" '
        f'data-icp-since="{since.isoformat()}">'
        f"{text(f'{counted} as of {as_of.isoformat()}')}</time>"
    )


def review_age(entry: SiteIcp) -> str:
    """The age of the ICP's last review, as of the day the build counted it on."""
    reviewed = entry.icp.last_reviewed
    return age(reviewed, reviewed + dt.timedelta(days=entry.age_days))


def banner(entry: SiteIcp) -> str:
    """A box above the title of a draft or retired ICP's pages, on screen and on paper."""
    found = BANNERS.get(entry.icp.status)
    if found is None:
        return ""
    word, why = found
    kind = STATUS_KIND[entry.icp.status]
    return (
        f'<div class="icp-banner icp-banner--{kind}" role="note">'
        f"<strong>{text(word)}</strong>: {text(why)}</div>\n"
    )


def facts(entry: SiteIcp, built: dt.date) -> str:
    """One line: status, version, owner, last review with its age, and the build date."""
    icp = entry.icp
    parts = [
        badge(icp.status.value, STATUS_KIND[icp.status], title="status"),
        f"version {text(icp.version)}",
        f"owner {text(icp.owner)}",
        f"last reviewed {text(icp.last_reviewed.isoformat())} ({review_age(entry)})",
        f"built {text(built.isoformat())}",
    ]
    # Each fact in one piece: a line may break between them, never inside a date.
    shown = " · ".join(f"<span>{part}</span>" for part in parts)
    stale = stale_badge(entry)
    return f'<p class="icp-status">{shown}{f" {stale}" if stale else ""}</p>\n'


def _source(entry: SiteIcp) -> str:
    out = entry.source
    if entry.history.revisions:
        out += f" at {entry.history.revisions[0].short}"
    if entry.history.dirty:
        out += " with uncommitted edits"
    return out


def print_frame(entry: SiteIcp, title: str, built: dt.date) -> str:
    """The header and footer of every printed sheet: the page's margin boxes, filled in by
    a style rule of its own (no element can repeat on each sheet without covering text)."""
    icp = entry.icp
    status = icp.status.value.upper()
    boxes = {
        "top-left": f"{icp.name} · {title}",
        "top-right": f"{status} · version {icp.version}",
        "bottom-left": f"{status} · owner {icp.owner} · last reviewed "
        f"{icp.last_reviewed.isoformat()} · built {built.isoformat()} from {_source(entry)}",
    }
    rules = "".join(f"@{box}{{content:{css_string(value)}}}" for box, value in boxes.items())
    return f'<style class="icp-print">@page{{{rules}}}</style>\n'


def header(entry: SiteIcp, title: str, built: dt.date) -> str:
    """What opens each of an ICP's pages, before its own title."""
    return print_frame(entry, title, built) + banner(entry) + facts(entry, built) + "\n"
