"""What every check reporter says the same way: the summary line and rule help links."""

from __future__ import annotations

from icpkit.checks.runner import Report
from icpkit.findings import Severity
from icpkit.text import plural


def summary(report: Report) -> str:
    files = plural(len(report.files), "file")
    hidden = f"; {len(report.suppressed)} suppressed" if report.suppressed else ""
    if not report.findings:
        return f"All checks passed: {files} checked, no findings{hidden}."
    parts = [
        plural(report.count(s), s.value) if s is not Severity.INFO else f"{report.count(s)} info"
        for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        if report.count(s)
    ]
    return (
        f"Found {plural(len(report.findings), 'finding')} ({', '.join(parts)}) in "
        f"{report.files_with_findings} of {files}{hidden}."
    )


def help_url(report: Report, rule_id: str) -> str:
    return f"{report.docs_url.rstrip('/')}/{rule_id}/" if report.docs_url else ""
