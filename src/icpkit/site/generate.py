"""Every generated page of the site as text, keyed by its path in the docs folder.

Pure and deterministic: the same ICP files, deals, git history and date give the same
bytes, so a site build can be compared, cached and reproduced.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from importlib import resources

from icpkit.checks import RULES
from icpkit.site import robots
from icpkit.site.pages import backtest, card, catalogue, history, playbook, profile, rules, status
from icpkit.site.pages.common import ICP_PAGES, icp_page, rule_page
from icpkit.site.project import SiteData

STYLESHEET = "assets/icpkit.css"
SCRIPT = "assets/icpkit.js"  # recounts ages on the day a page is read (pages.status)


@dataclass(frozen=True)
class Layout:
    """Where generated pages go; the defaults match the rule help links icpkit prints."""

    catalogue: str = "index.md"
    icp_dir: str = "icps"
    rules_dir: str | None = "rules"
    title: str = "Ideal Customer Profiles"
    repo_url: str | None = None
    noindex: bool = False  # ask search engines to stay away (robots.py)


def _asset(name: str) -> str:
    return (resources.files("icpkit.site") / "assets" / name).read_text(encoding="utf-8")


def stylesheet() -> str:
    return _asset("icpkit.css")


def _front_matter(title: str) -> str:
    # Material prints `title` into <title> unescaped; JSON quoting keeps the YAML valid.
    return f"---\ntitle: {json.dumps(html.escape(title))}\n---\n\n"


def generate(data: SiteData, layout: Layout) -> dict[str, str]:
    pages = {
        layout.catalogue: catalogue.render(data, layout.catalogue, layout.icp_dir, layout.title),
        STYLESHEET: stylesheet(),
        SCRIPT: _asset("icpkit.js"),
    }
    if layout.noindex:
        pages[robots.ROBOTS_FILE] = robots.ROBOTS_TXT
    for entry in data.icps:
        page = icp_page(layout.icp_dir, entry.id)
        bodies = {
            "index.md": profile.render(entry, page, layout.rules_dir),
            "playbook.md": playbook.render(entry),
            "card.md": card.render(entry),
            "backtest.md": backtest.render(entry),
            "history.md": history.render(entry, layout.repo_url),
        }
        for name, title in ICP_PAGES:
            pages[icp_page(layout.icp_dir, entry.id, name)] = (
                _front_matter(f"{entry.icp.name} · {title}")
                + status.header(entry, title, data.today)
                + bodies[name]
            )
    if layout.rules_dir:
        pages[f"{layout.rules_dir}/index.md"] = rules.render_index(layout.rules_dir)
        for rule in RULES:
            pages[rule_page(layout.rules_dir, rule.id)] = rules.render(rule)
    return pages
