from __future__ import annotations

import click

from icpkit.checks.runner import Report
from icpkit.findings import Severity
from icpkit.reporters.common import summary

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


class TextReporter:
    """`file:line:col: severity [ID] message (name)`: the line editors and CI parse."""

    def __init__(self, *, color: bool = False) -> None:
        self.color = color

    def render(self, report: Report) -> str:
        lines = []
        for f in report.findings:
            where = f"{f.file}:{f.line}:{f.column}:"
            level = f.severity.value
            if self.color:
                where = click.style(where, bold=True)
                level = click.style(level, fg=_COLOURS[f.severity])
            lines.append(f"{where} {level} [{f.rule_id}] {f.message} ({f.rule_name})")
        lines.append(summary(report))
        return "\n".join(lines) + "\n"
