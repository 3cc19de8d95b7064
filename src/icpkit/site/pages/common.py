"""Pieces several pages share: where pages live, badges, headline figures."""

from __future__ import annotations

import posixpath

from icpkit.format.describe import describe_conditions, field_label
from icpkit.format.display import Names
from icpkit.format.model import Alternative, Icp, Objection, Status, Trigger
from icpkit.scorer.backtest import BacktestResult
from icpkit.site.markup import badge, join, text
from icpkit.site.project import SiteIcp
from icpkit.text import number, percent, plural

ICP_PAGES = (
    ("index.md", "Profile"),
    ("playbook.md", "Sales playbook"),
    ("card.md", "Battle card"),
    ("backtest.md", "Backtest"),
    ("history.md", "History"),
)
STATUS_KIND = {Status.ACTIVE: "active", Status.DRAFT: "draft", Status.RETIRED: "retired"}


def icp_page(icp_dir: str, icp_id: str, name: str = "index.md") -> str:
    return f"{icp_dir}/{icp_id}/{name}"


def rule_page(rules_dir: str, rule_id: str) -> str:
    return f"{rules_dir}/{rule_id}.md"


def rel(source: str, target: str) -> str:
    """A link from the page at `source` to `target`, both relative to the docs folder."""
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


def badges(entry: SiteIcp) -> str:
    """What the status line above the title (pages.status) does not show: the tier."""
    return badge(entry.icp.tier.value, entry.icp.tier.value, title="tier")


def stale_badge(entry: SiteIcp) -> str:
    """The stale badge of an ICP still in use: shown when stale at build time, and carrying
    its review date so the site's script shows or updates it on the day the page is read."""
    if entry.icp.status is Status.RETIRED:
        return ""
    reviewed = entry.icp.last_reviewed.isoformat()
    return badge(
        f"stale: {entry.age_days} days",
        "stale",
        title=f"last reviewed {reviewed}; ICPs are reviewed every quarter",
        data={"icp-stale-since": reviewed, "icp-stale-after": entry.stale_after},
        hidden=not entry.stale,
    )


def top_band_text(result: BacktestResult | None) -> str:
    row = result.top_band if result else None
    if row is None:
        return "-"
    return f"{percent(row.win_rate, 1)} ({row.band}, {plural(row.deals, 'deal')})"


def counted(count: int, word: str) -> str:
    """`1 deal`, `1,350 deals`: a count in a sentence on the site, thousands grouped."""
    return f"{number(count)} {word if count == 1 else word + 's'}"


def count_cell(count: int, rate: float | None) -> str:
    """Deals and their win rate, as a table on the site shows them: `1,204 (40%)`."""
    return f"{number(count)} ({percent(rate)})" if count else "0"


def signal_name(icp: Icp, name: str) -> str:
    """What every page calls an attribute or a trigger: its `label`, or its trigger's event.

    The profile, the playbook and the backtest name a field the same way."""
    attribute = icp.attribute(name)
    if attribute is not None:
        return field_label(attribute.field, attribute.label)
    trigger = next((t for t in icp.triggers if t.id == name), None)
    if trigger is not None:
        return f"Trigger: {trigger.event}"
    return field_label(name)


def objection(said: Objection) -> str:
    """An objection, and the answer sales gives where the ICP has one."""
    if said.response is None:
        return text(said.text)
    return f"{text(said.text)}<br><small>Answer: {text(said.response)}</small>"


def alternative(used: Alternative) -> str:
    """What they use today, and how sales wins against it where the ICP says."""
    if used.how_we_win is None:
        return text(used.text)
    return f"{text(used.text)}<br><small>How we win: {text(used.how_we_win)}</small>"


def detection(trigger: Trigger, names: Names | None = None) -> str:
    """Where a trigger is seen: its `detect` source, and its `when` read from the data."""
    read = (
        "From the data: " + text(describe_conditions(trigger.when, names)) if trigger.when else ""
    )
    return join([read, text(trigger.detect or "")])
