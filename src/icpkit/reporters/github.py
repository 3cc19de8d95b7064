from __future__ import annotations

from icpkit.checks.runner import Report
from icpkit.findings import Severity
from icpkit.reporters.common import summary

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter:
    """GitHub Actions workflow commands, which GitHub shows as annotations on the lines.

    GitHub shows only the first few annotations of each kind per step, so the most severe
    come first.
    """

    def render(self, report: Report) -> str:
        ordered = sorted(report.findings, key=lambda f: (-f.severity.rank, f.sort_key))
        lines = [
            f"::{_COMMAND[f.severity]} file={_property(f.file)},line={f.line},col={f.column},"
            f"title={_property(f'{f.rule_id} {f.rule_name}')}::{_data(f.message)}"
            for f in ordered
        ]
        lines.append(summary(report))
        return "\n".join(lines) + "\n"
