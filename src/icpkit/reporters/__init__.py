"""Reporters turn results into text for people, editors and CI. Chosen with `--format`.

`registry` holds every renderer by result type and format; this package registers the
formats of `icp check`'s Report, and each other reporter module registers its own.
"""

from __future__ import annotations

from typing import Protocol

from icpkit.checks.runner import Report
from icpkit.reporters.github import GithubReporter
from icpkit.reporters.json import JsonReporter
from icpkit.reporters.junit import JunitReporter
from icpkit.reporters.markdown import MarkdownReporter
from icpkit.reporters.registry import Renderer, formats_for, register, render
from icpkit.reporters.sarif import SarifReporter
from icpkit.reporters.text import TextReporter

__all__ = ["Reporter", "formats_for", "render"]


class Reporter(Protocol):
    def render(self, report: Report) -> str: ...


def _text(report: Report, *, color: bool = False) -> str:
    return TextReporter(color=color).render(report)


def _plain(reporter: type[Reporter]) -> Renderer:
    # Only text is ever coloured; the others take the option so one call renders any format.
    def render_plain(report: Report, *, color: bool = False) -> str:
        return reporter().render(report)

    return render_plain


register(Report, "text", _text)
for _name, _reporter in (
    ("json", JsonReporter),
    ("github", GithubReporter),
    ("sarif", SarifReporter),
    ("markdown", MarkdownReporter),
    ("junit", JunitReporter),
):
    register(Report, _name, _plain(_reporter))
