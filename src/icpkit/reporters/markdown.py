"""Markdown for pull-request comments, job summaries and history, and `icp check`'s table.

CRM values, ICP text, file names, commit subjects and authors come from whoever writes a
PR or a CRM record, and GitHub shows the Markdown to the whole team. Each such value goes
through `cell` (text) or `code` (an identifier), so it reads as the characters it holds and
never becomes a link, an image, an @-mention, HTML, or a new line or block.
"""

from __future__ import annotations

import re

from icpkit.checks.runner import Report
from icpkit.reporters.common import help_url, summary

# Line breaks of every kind (CR, LF, U+2028 ...) and control characters would start a new
# line or block, or hide text: each run becomes one space.
_BREAKS = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")
# ASCII punctuation with a meaning anywhere in a line: emphasis, links, images and
# footnotes (all need `[`, so `(`, `)` and `!` alone are inert), HTML and autolinks, code,
# headings and issue links, table cells, strikethrough, character references, math. A `>`
# closes HTML or an autolink only after an escaped `<`, so it needs care only at the start.
_INLINE = re.compile(r"[\\`*_\[\]<#|~&$]")
# What starts a block at the start of a line only: a list item, a quote, a setext underline.
_LINE_START = re.compile(r"^(?:([-+=>])|(\d+)([.)]))")
# GitHub links these after rendering, so a backslash cannot stop them; a zero-width space
# (as a character reference, visible in the raw text) splits them, as Renovate does:
# @-mentions and e-mail links, #123 and GH-123 issue links, bare `https://` and `www.` URLs.
_LINKISH = re.compile(r"@|(?<=\\#)(?=\d)|:(?=//)|(?i:(?<![a-z0-9])(?:www(?=\.)|gh(?=-\d)))")
_ZWSP = "&#8203;"
_CODE_SPAN = re.compile(r"`([^`]+)`")


def cell(value: object) -> str:
    """Any value as inert Markdown text: one line, safe anywhere, table cells included.

    Text between a pair of backticks (how messages quote an id or a value) stays inline
    code, which is inert; everything else is escaped."""
    flat = _BREAKS.sub(" ", str(value)).strip()
    out, start = [], 0
    for span in _CODE_SPAN.finditer(flat):
        out += [_escaped(flat[start : span.start()], start == 0), code(span.group(1))]
        start = span.end()
    out.append(_escaped(flat[start:], start == 0))
    return "".join(out)


def code(value: object) -> str:
    """An identifier as inline code. Inside backticks Markdown is inert, so only a value
    holding a backtick or a table pipe needs the escaped form, in a `<code>` element."""
    flat = _BREAKS.sub(" ", str(value)).strip()
    if flat and "`" not in flat and "|" not in flat:
        return f"`{flat}`"
    return f"<code>{_escaped(flat, False)}</code>"


def _escaped(text: str, line_start: bool) -> str:
    escaped = _INLINE.sub(lambda m: "\\" + m.group(), text)
    if line_start:
        escaped = _LINE_START.sub(_escape_line_start, escaped)
    return _LINKISH.sub(lambda m: m.group() + _ZWSP, escaped)


def _escape_line_start(found: re.Match[str]) -> str:
    marker, digits, dot = found.groups()
    return f"\\{marker}" if marker else f"{digits}\\{dot}"


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
                    f"| {f.severity.value} | {code(f'{f.file}:{f.line}:{f.column}')} | "
                    f"{rule} {cell(f.rule_name)} | {cell(f.message)} |"
                )
        return "\n".join(out) + "\n"
