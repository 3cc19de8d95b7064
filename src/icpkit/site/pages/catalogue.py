"""The home page: every ICP, how fresh it is, and how well it predicts wins."""

from __future__ import annotations

from icpkit.findings import Severity
from icpkit.format.model import Status
from icpkit.site.markup import join, table, text
from icpkit.site.pages import changes, compare, customers
from icpkit.site.pages.common import ICP_PAGES, icp_page, rel, stale_badge, top_band_text
from icpkit.site.pages.figures import auc_cell, deal_window
from icpkit.site.project import SiteData, SiteIcp
from icpkit.text import plural

_GROUPS = (
    (Status.ACTIVE, "Active"),
    (Status.DRAFT, "Drafts"),
    (Status.RETIRED, "Retired"),
)
_HEADERS = [
    "ICP",
    "Owner",
    "Last reviewed",
    "AUC",
    "Top-band win rate",
    "Churn (good or better)",
    "Checks",
]


def _checks(entry: SiteIcp) -> str:
    errors = sum(1 for f in entry.findings if f.severity is Severity.ERROR)
    warnings = sum(1 for f in entry.findings if f.severity is Severity.WARNING)
    if not errors and not warnings:
        return "clean"
    return join([plural(errors, "error") if errors else "", plural(warnings, "warning")], ", ")


def _auc(entry: SiteIcp) -> str:
    """The AUC, every gate the ICP fails beside it, and the deals it was measured on."""
    if entry.backtest is None:
        return auc_cell(None)
    window = f"<small>{text(deal_window(entry.backtest, counted=True))}</small>"
    return join([auc_cell(entry.backtest), window])


def _row(entry: SiteIcp, page: str, icp_dir: str) -> list[str]:
    icp = entry.icp
    link = rel(page, icp_page(icp_dir, icp.id))
    # Every ICP in use carries the badge, hidden until stale: the script shows it on the day.
    reviewed = join([text(icp.last_reviewed.isoformat()), stale_badge(entry)], " ")
    kind = f"<small>{text(icp.tier.value)} · {text(icp.version)}</small>"
    return [
        f"[{text(icp.name)}]({link})<br>{kind}",
        text(icp.owner),
        reviewed,
        _auc(entry),
        text(top_band_text(entry.backtest)),
        customers.catalogue_cell(entry.backtest),
        text(_checks(entry)),
    ]


def body(data: SiteData, page: str, icp_dir: str) -> str:
    """The catalogue without a title, so a hand-written home page can hold it."""
    if not data.icps:
        return "No ICP files found yet: add one under `icps/` (see `icp init`).\n"
    counts = [
        f"{sum(1 for e in data.icps if e.icp.status is status)} {status.value}"
        for status, _ in _GROUPS
        if any(e.icp.status is status for e in data.icps)
    ]
    out = [
        f"{plural(len(data.icps), 'ICP')} ({', '.join(counts)}). Each is a YAML file checked "
        "on every pull request; AUC and the top band's win rate come from backtesting it "
        "against closed deals (an ICP failing a backtest gate says so beside its AUC), churn "
        "from the customers it brought in (where it names them).\n"
    ]
    for status, label in _GROUPS:
        group = [e for e in data.icps if e.icp.status is status]
        if not group:
            continue
        out.append(f"## {label}\n")
        out.append(table(_HEADERS, [_row(e, page, icp_dir) for e in group], align="lllrrrl"))
    out += compare.section(data.icps, page, icp_dir)
    out += changes.section(data, page, icp_dir)
    out.append("## At a glance\n")
    for entry in data.icps:
        links = " · ".join(
            f"[{title}]({rel(page, icp_page(icp_dir, entry.id, name))})"
            for name, title in ICP_PAGES
        )
        out.append(f"### {text(entry.icp.name)}\n\n{text(entry.icp.summary)}\n\n{links}\n")
    return "\n".join(out)


def render(data: SiteData, page: str, icp_dir: str, title: str) -> str:
    return f"# {text(title)}\n\n{body(data, page, icp_dir)}"
