from __future__ import annotations

import json
from typing import Any

from icpkit.checks.runner import Report
from icpkit.findings import Finding, Severity
from icpkit.version import __version__


def _row(finding: Finding) -> dict[str, Any]:
    row: dict[str, Any] = {
        "file": finding.file,
        "line": finding.line,
        "column": finding.column,
        "rule": finding.rule_id,
        "name": finding.rule_name,
        "severity": finding.severity.value,
        "message": finding.message,
        "path": finding.json_path,
    }
    if finding.suppressed_by:
        row["suppressed_by"] = finding.suppressed_by
    return row


class JsonReporter:
    """Machine-readable findings with a summary; stable keys, sorted findings."""

    def render(self, report: Report) -> str:
        payload = {
            "tool": "icpkit",
            "version": __version__,
            "summary": {
                "files": len(report.files),
                "findings": len(report.findings),
                "errors": report.count(Severity.ERROR),
                "warnings": report.count(Severity.WARNING),
                "info": report.count(Severity.INFO),
                "suppressed": len(report.suppressed),
                "fail_on": report.fail_on.value,
                "failed": report.failed,
            },
            "files": list(report.files),
            "findings": [_row(f) for f in report.findings],
            "suppressed": [_row(f) for f in report.suppressed],
        }
        return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
