from __future__ import annotations

from icpkit.checks.runner import Report
from icpkit.findings import Finding, Severity
from icpkit.reporters.common import summary

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
# GitHub shows at most 10 annotations of each kind per step (and 50 per job); the rest
# are dropped without a word, so we say how many there were.
PER_STEP_LIMIT = 10


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter:
    """GitHub Actions workflow commands, which GitHub shows as annotations on the lines.

    Most severe first, at most ten of each kind: the findings beyond that are printed as
    plain log lines, so nothing is lost, and one notice says how many were not annotated.
    """

    def render(self, report: Report) -> str:
        ordered = sorted(report.findings, key=lambda f: (-f.severity.rank, f.sort_key))
        lines: list[str] = []
        used = dict.fromkeys(Severity, 0)
        left_out = 0
        for finding in ordered:
            if used[finding.severity] < PER_STEP_LIMIT:
                used[finding.severity] += 1
                lines.append(_command(finding))
            else:
                left_out += 1
                lines.append(_plain(finding))
        if left_out:
            lines.append(
                f"::notice title=icp check::{left_out} more findings than GitHub annotates in "
                "one step; they are in the log above (`icp check --format markdown` for a table)"
            )
        lines.append(summary(report))
        return "\n".join(lines) + "\n"


def _command(f: Finding) -> str:
    return (
        f"::{_COMMAND[f.severity]} file={_property(f.file)},line={f.line},col={f.column},"
        f"title={_property(f'{f.rule_id} {f.rule_name}')}::{_data(f.message)}"
    )


def _plain(f: Finding) -> str:
    return f"{f.file}:{f.line}:{f.column}: {f.severity.value} [{f.rule_id}] {_data(f.message)}"
