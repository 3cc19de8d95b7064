"""The history page: an ICP's versions across quarters, read from git."""

from __future__ import annotations

from icpkit.history import changed_sections, version_spans
from icpkit.site.markup import attr, code, join, table, text
from icpkit.site.project import SiteIcp

SHALLOW_NOTE = (
    "This site was built from a shallow git clone, so older versions are missing. "
    "Check out the full history (`fetch-depth: 0` in `actions/checkout`) to see them all.\n"
)


def _commit(sha: str, repo_url: str | None) -> str:
    if repo_url:
        url = attr(f"{repo_url.rstrip('/')}/commit/{sha}")
        return f'<a href="{url}"><code>{sha[:7]}</code></a>'
    return code(sha[:7])


def render(entry: SiteIcp, repo_url: str | None) -> str:
    icp = entry.icp
    history = entry.history
    out = [f"# History: {text(icp.name)}\n"]
    if not history.tracked:
        out.append(f"{code(entry.source)} is not tracked in git yet, so it has no history.\n")
        return "\n".join(out)
    if history.shallow:
        out.append(f'<div class="admonition warning"><p>{text(SHALLOW_NOTE)}</p></div>\n')
    if history.dirty:
        out.append(f"{code(entry.source)} has uncommitted edits; this site shows them.\n")
    revisions = history.revisions
    spans = version_spans(revisions)
    if revisions:
        first = revisions[-1]
        out.append(
            f"{len(revisions)} commits over {len(spans)} versions since "
            f"{first.date.date().isoformat()}.\n"
        )
    out += [
        "## Versions\n",
        table(
            ["Version", "Status", "First commit", "Last commit", "Commits", "Authors"],
            [
                [
                    text(s.version),
                    text(s.last.get("status") or ""),
                    text(s.first.date.date().isoformat()),
                    text(s.last.date.date().isoformat()),
                    str(len(s.revisions)),
                    text(", ".join(s.authors)),
                ]
                for s in spans
            ],
            align="lllrrl",
        ),
        "## Changes\n",
        "Sections of the file each commit changed, newest first.\n",
    ]
    rows = []
    for i, revision in enumerate(revisions):
        older = revisions[i + 1] if i + 1 < len(revisions) else None
        sections = changed_sections(older, revision)
        what = "added" if older is None else ", ".join(sections) or "layout only"
        rows.append(
            [
                text(revision.date.date().isoformat()),
                _commit(revision.commit, repo_url),
                text(revision.author),
                text(revision.get("version") or ""),
                join([text(revision.subject), f"<small>{text(what)}</small>"]),
            ]
        )
    out.append(table(["Date", "Commit", "Author", "Version", "Change"], rows))
    return "\n".join(out)
