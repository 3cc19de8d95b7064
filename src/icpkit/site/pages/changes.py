"""What changed this quarter, across every ICP: the semantic diff of each ICP file from the
quarter's start to its latest commit, from git, with a link to the ICP's history page.

The quarter is the build date's (`ICP_TODAY` pins it), so the section is reproducible.
"""

from __future__ import annotations

import datetime as dt

from icpkit.diff.change import Change
from icpkit.diff.history import revision_changes
from icpkit.diff.wording import count_text
from icpkit.site.markup import bullets, join, text
from icpkit.site.pages.common import icp_page, rel
from icpkit.site.project import SiteData, SiteIcp
from icpkit.text import plural
from icpkit.vcs.history import Revision

SHOWN = 8  # changes listed per ICP; its history page has them all


def quarter(day: dt.date) -> tuple[str, dt.date]:
    """`2026-Q4` and the day it began, for the quarter `day` falls in."""
    index = (day.month - 1) // 3
    return f"{day.year}-Q{index + 1}", dt.date(day.year, 3 * index + 1, 1)


def _in_quarter(entry: SiteIcp, start: dt.date, today: dt.date) -> list[Revision]:
    return [r for r in entry.history.revisions if start <= r.date.date() <= today]


def _before(entry: SiteIcp, start: dt.date) -> Revision | None:
    """The file as the quarter found it: its last commit before the quarter began."""
    return next((r for r in entry.history.revisions if r.date.date() < start), None)


def _item(entry: SiteIcp, commits: list[Revision], start: dt.date, link: str) -> str:
    newest, older = commits[0], _before(entry, start)
    changes: tuple[Change, ...] = revision_changes(older, newest) if older else ()
    authors = ", ".join(sorted({r.author for r in commits}))
    dates = sorted({r.date.date().isoformat() for r in commits})
    when = dates[0] if len(dates) == 1 else f"{dates[0]} to {dates[-1]}"
    if older is None:
        what = "shallow clone, so older commits are missing" if entry.history.shallow else "added"
    else:
        what = count_text(changes, none="no changes to the content")
    version = newest.get("version")
    was = older.get("version") if older is not None else None
    if version and was and was != version:
        version = f"{was} to {version}"
    shown = f", version {text(version)}" if version else ""
    head = (
        f"**[{text(entry.icp.name)}]({link})**{shown}: "
        f"{text(plural(len(commits), 'commit'))} ({text(when)}) by {text(authors)}; "
        f"{text(what)}"
    )
    if entry.history.dirty:
        head += text("; uncommitted edits not counted")
    lines = [f"{text(c.category.value.capitalize())}: {text(c.summary)}" for c in changes[:SHOWN]]
    if len(changes) > SHOWN:
        lines.append(text(f"and {len(changes) - SHOWN} more on its history page"))
    return head + "".join(f"\n    - {line}" for line in lines)


def section(data: SiteData, page: str, icp_dir: str) -> list[str]:
    """The quarter's changes to each ICP, linked to its history page; says so when none."""
    label, start = quarter(data.today)
    out = [f"## What changed in {label}\n"]
    tracked = [e for e in data.icps if e.history.tracked]
    if not tracked:
        return [*out, "No ICP file is tracked in git, so there is no history to show.\n"]
    items, unchanged = [], []
    for entry in tracked:
        commits = _in_quarter(entry, start, data.today)
        if not commits:
            unchanged.append(text(entry.icp.name))
            continue
        link = rel(page, icp_page(icp_dir, entry.id, "history.md"))
        items.append(_item(entry, commits, start, link))
    out.append(
        f"Commits to the ICP files from {start.isoformat()} to {data.today.isoformat()}, "
        "and what they changed since the quarter began.\n"
    )
    if not items:
        out.append("No changes this quarter.\n")
    else:
        out.append(bullets(items))
    if items and unchanged:
        out.append(f"No changes this quarter: {join(unchanged, ', ')}.\n")
    untracked = [text(e.icp.name) for e in data.icps if not e.history.tracked]
    if untracked:
        out.append(f"Not tracked in git, so not shown: {join(untracked, ', ')}.\n")
    return out
