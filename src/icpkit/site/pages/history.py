"""The history page: an ICP's versions across quarters and what each changed, from git."""

from __future__ import annotations

from icpkit.diff.change import Change
from icpkit.diff.history import changelog, revision_changes
from icpkit.diff.wording import count_text
from icpkit.site.markup import attr, code, join, prose, table, text
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


def counts(changes: tuple[Change, ...]) -> str:
    return count_text(changes, none="no changes to the content")


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
    versions = changelog(history)
    if revisions:
        first = revisions[-1]
        out.append(
            f"{len(revisions)} commits over {len(versions)} versions since "
            f"{first.date.date().isoformat()}.\n"
        )
    out += [
        "## Versions\n",
        table(
            ["Version", "Status", "First commit", "Last commit", "Commits", "Authors"],
            [
                [
                    text(v.span.version),
                    text(v.span.last.get("status") or ""),
                    text(v.span.first.date.date().isoformat()),
                    text(v.span.last.date.date().isoformat()),
                    str(len(v.span.revisions)),
                    text(", ".join(v.span.authors)),
                ]
                for v in versions
            ],
            align="lllrrl",
        ),
        "## Changelog\n",
        "What each version changed since the one before it, newest first. Scoring changes "
        "move scores; gate changes move the validation thresholds.\n",
    ]
    for version in versions:
        if version.previous is None:
            out.append(f"### {text(version.span.version)}\n\nThe first version.\n")
            continue
        out.append(
            f"### {text(version.span.version)}\n\n"
            f"Since {text(version.previous.version)}: {text(counts(version.changes))}.\n"
        )
        if version.changes:
            out.append(
                table(
                    ["Class", "Change"],
                    [[text(c.category.value), prose(c.summary)] for c in version.changes],
                )
            )
    rows = []
    for i, revision in enumerate(revisions):
        older = revisions[i + 1] if i + 1 < len(revisions) else None
        what = "added" if older is None else counts(revision_changes(older, revision))
        rows.append(
            [
                text(revision.date.date().isoformat()),
                _commit(revision.commit, repo_url),
                text(revision.author),
                text(revision.get("version") or ""),
                join([text(revision.subject), f"<small>{text(what)}</small>"]),
            ]
        )
    out += ["## Commits\n", table(["Date", "Commit", "Author", "Version", "Change"], rows)]
    return "\n".join(out)
