"""`icp history` reports: an ICP's versions, who made them, and what each changed."""

from __future__ import annotations

import json
from typing import Any

from icpkit.diff.history import HistoryView, VersionChange
from icpkit.diff.wording import count_text
from icpkit.reporters.diff import change_data
from icpkit.reporters.markdown import cell, code
from icpkit.reporters.registry import register
from icpkit.text import plural
from icpkit.vcs.history import Revision


def _span_dates(version: VersionChange) -> str:
    first, last = version.span.first.date.date(), version.span.last.date.date()
    return first.isoformat() if first == last else f"{first.isoformat()}..{last.isoformat()}"


def _headline(view: HistoryView) -> str:
    revisions = view.history.revisions
    since = revisions[-1].date.date().isoformat() if revisions else "-"
    return (
        f"{view.icp_id}: {plural(len(revisions), 'commit')} over "
        f"{plural(len(view.versions), 'version')} since {since} ({view.path})"
    )


def _since(version: VersionChange) -> str:
    if version.previous is None:
        return "The first version."
    return f"Since {version.previous.version}: {count_text(version.changes)}."


def render_text(view: HistoryView) -> str:
    out = [_headline(view)]
    if view.history.dirty:
        out.append("(the file has uncommitted edits, not shown)")
    for version in view.versions:
        span = version.span
        out += [
            "",
            f"{span.version}  {_span_dates(version)}  {', '.join(span.authors)}  "
            f"{plural(len(span.revisions), 'commit')}",
            f"  {_since(version)}",
        ]
        out += [f"    {c.category.value:<7}  {c.summary}" for c in version.changes]
        out.append("  Commits:")
        out += [f"    {r.short}  {_commit_line(r)}" for r in span.revisions]
    return "\n".join(out) + "\n"


def _commit_line(revision: Revision) -> str:
    return f"{revision.date.date().isoformat()}  {revision.author}  {revision.subject}"


def render_json(view: HistoryView) -> str:
    data: dict[str, Any] = {
        "icp_id": view.icp_id,
        "path": view.path,
        "dirty": view.history.dirty,
        "versions": [
            {
                "version": v.span.version,
                "previous": v.previous.version if v.previous else None,
                "first_date": v.span.first.date.isoformat(),
                "last_date": v.span.last.date.isoformat(),
                "authors": list(v.span.authors),
                "commits": [
                    {
                        "commit": r.commit,
                        "date": r.date.isoformat(),
                        "author": r.author,
                        "subject": r.subject,
                        "path": r.path,
                    }
                    for r in v.span.revisions
                ],
                "changes": [change_data(c) for c in v.changes],
            }
            for v in view.versions
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_markdown(view: HistoryView) -> str:
    out = [f"### History of {code(view.icp_id)}", "", cell(_headline(view))]
    for version in view.versions:
        span = version.span
        out += [
            "",
            f"#### {cell(span.version)} ({_span_dates(version)}, {cell(', '.join(span.authors))})",
            "",
            cell(_since(version)),
        ]
        if version.changes:
            out += ["", "| Class | Change |", "|---|---|"]
            out += [f"| {c.category.value} | {cell(c.summary)} |" for c in version.changes]
        out += ["", "<details><summary>Commits</summary>", ""]
        out += [f"- {code(r.short)} {cell(_commit_line(r))}" for r in span.revisions]
        out += ["", "</details>"]
    return "\n".join(out) + "\n"


register(HistoryView, "text", render_text)
register(HistoryView, "json", render_json)
register(HistoryView, "markdown", render_markdown)
