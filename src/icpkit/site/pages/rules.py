"""The rule catalogue: one page per rule, from the docstring `icp rules ID` prints."""

from __future__ import annotations

from icpkit.checks import RULES, AnyRule
from icpkit.checks.rule import Category, Scope
from icpkit.site.markup import prose, table, text
from icpkit.site.pages.common import rel, rule_page

_SCOPES = {
    Scope.DOCUMENT: "the YAML file as written",
    Scope.ICP: "one ICP",
    Scope.PROJECT: "all ICPs of the project together",
    Scope.BASELINE: "the baseline file",
    Scope.OVERRIDES: "an ICP's overrides file",
    Scope.ORPHAN_OVERRIDES: "an overrides file no ICP reads",
}


def render_index(rules_dir: str) -> str:
    page = f"{rules_dir}/index.md"
    sections = []
    for category in Category:
        rows = [
            [
                f"[{r.id}]({rel(page, rule_page(rules_dir, r.id))})",
                text(r.name),
                text(r.severity.value),
                prose(r.summary),
                "yes" if r.options else "",
            ]
            for r in RULES
            if r.category is category
        ]
        if rows:
            sections.append(
                f"## {category.title}\n\n{category.purpose}\n\n"
                + table(["ID", "Name", "Severity", "Checks", "Options"], rows)
            )
    return (
        "# Rules\n\n"
        "What `icp check` looks for, grouped by the kind of defect. Every finding links to "
        "its rule's page here. Change a rule's severity or turn it off in `[tool.icp]`; "
        "silence one finding with a `# icp: disable=ID` comment and a reason. A rule with "
        "options says on its page which `[tool.icp]` keys change what it reports.\n\n"
        + "\n".join(sections)
    )


def render(rule: AnyRule) -> str:
    """The docstring is icpkit's own Markdown, written for this page: trusted as is."""
    lines = rule.doc.splitlines()
    summary, rest = (lines[0], "\n".join(lines[1:]).strip()) if lines else ("", "")
    return (
        f"# {rule.id} {rule.name}\n\n"
        f"{summary}\n\n"
        f"Default severity: **{rule.severity.value}**. Category: **{rule.category.value}**. "
        f"Looks at {_SCOPES[rule.scope]}. Added in **v{rule.added}**.\n\n"
        f"{rest}\n\n"
        "## Configure\n\n"
        "```toml\n"
        "[tool.icp]\n"
        f'severity = {{ {rule.id} = "info" }}  # or "error", "warning"\n'
        f'disable = ["{rule.id}"]             # or by name: "{rule.name}"\n'
        "```\n\n"
        "Or silence one finding where it is, with a reason:\n\n"
        "```yaml\n"
        f'# icp: disable={rule.id} reason="why this is fine here"\n'
        "```\n"
    )
