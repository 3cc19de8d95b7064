from __future__ import annotations

import html

from icpkit.checks.runner import Report
from icpkit.reporters.common import help_url, summary


def cell(text: str) -> str:
    """Text safe inside a GitHub table cell: no HTML, no pipes, no line breaks."""
    return html.escape(text, quote=False).replace("|", "\\|").replace("\n", " ")


class MarkdownReporter:
    """A table for a pull-request comment or a job summary."""

    def render(self, report: Report) -> str:
        out = [f"### icp check\n\n{cell(summary(report))}\n"]
        if report.findings:
            out.append("| Severity | Location | Rule | Message |")
            out.append("|---|---|---|---|")
            for f in report.findings:
                url = help_url(report, f.rule_id)
                rule = f"[{f.rule_id}]({url})" if url else f.rule_id
                out.append(
                    f"| {f.severity.value} | `{cell(f.file)}:{f.line}:{f.column}` | "
                    f"{rule} {f.rule_name} | {cell(f.message)} |"
                )
        return "\n".join(out) + "\n"
