"""Reporters turn a Report into text for people, editors and CI. Chosen with `--format`."""

from __future__ import annotations

from typing import Protocol

from icpkit.checks.runner import Report
from icpkit.reporters.github import GithubReporter
from icpkit.reporters.json import JsonReporter
from icpkit.reporters.junit import JunitReporter
from icpkit.reporters.markdown import MarkdownReporter
from icpkit.reporters.sarif import SarifReporter
from icpkit.reporters.text import TextReporter


class Reporter(Protocol):
    def render(self, report: Report) -> str: ...


REPORTERS: dict[str, type[TextReporter] | type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "github": GithubReporter,
    "sarif": SarifReporter,
    "markdown": MarkdownReporter,
    "junit": JunitReporter,
}


def render(report: Report, fmt: str, *, color: bool = False) -> str:
    if fmt == "text":
        return TextReporter(color=color).render(report)
    reporter: Reporter = REPORTERS[fmt]()
    return reporter.render(report)
