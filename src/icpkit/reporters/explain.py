"""A score explained for a person: each attribute and trigger with its value and points."""

from __future__ import annotations

import textwrap

from icpkit.reporters.registry import register
from icpkit.reporters.surprises import flat
from icpkit.scorer.explain import Explanation, Line
from icpkit.text import number, percent

VALUE_WIDTH = 28
RULE_WIDTH = 36


def render_explanation(item: Explanation) -> str:
    commit = f" @ {item.icp_commit[:12]}" if item.icp_commit else ""
    out = [
        f"{flat(item.name)}: {number(item.score)}/100, {item.band} "
        f"({item.icp_id} {item.icp_version}{commit})"
    ]
    if item.disqualifier:
        out.append(f"  disqualified by anti-ICP {item.disqualifier}: {item.disqualifier_reason}")
    if item.status == "insufficient_data":
        out.append(
            f"  insufficient data: {percent(item.unknown_share)} of the weight is on unknown fields"
        )
    labels = [
        line.name if line.kind == "attribute" else f"trigger {line.name}" for line in item.lines
    ]
    fields = ["    " + c.field for anti in item.anti_icp for c in anti.conditions]
    width = max(len(label) for label in [*labels, *fields, "signal"])
    out.append(
        f"  {'signal':<{width}}  {'value':<{VALUE_WIDTH}}  {'rule':<{RULE_WIDTH}}  "
        f"{'result':<14}  points"
    )
    for label, line in zip(labels, item.lines, strict=True):
        # The `triggers` cell is the same list on every trigger line: shown by none.
        value = "" if line.kind == "trigger" else line.value
        value = value or ("(unknown)" if line.result == "unknown" else "")
        rule, *more = _rule_lines(line)
        out.append(
            f"  {label:<{width}}  {_fit(value, VALUE_WIDTH)}  {_fit(rule, RULE_WIDTH)}  "
            f"{line.result:<14}  {number(round(line.points, 2))} / {number(line.weight)}"
        )
        out += [f"  {'':<{width}}  {'':<{VALUE_WIDTH}}  {part}" for part in more]
    out += _anti_lines(item, width)
    if item.others:
        shown = ", ".join(f"{icp} {number(score)} ({band})" for icp, score, band in item.others)
        out.append(f"  other ICPs: {shown}")
    return "\n".join(out) + "\n"


def _rule_lines(line: Line) -> list[str]:
    # A trigger's conditions are its whole definition: wrapped, never cut short.
    if line.kind == "trigger-when" and len(line.rule) > RULE_WIDTH:
        return textwrap.wrap(line.rule, RULE_WIDTH)
    return [line.rule]


def _fit(text: str, width: int) -> str:
    return (text if len(text) <= width else text[: width - 3] + "...").ljust(width)


def _anti_lines(item: Explanation, width: int) -> list[str]:
    if not item.anti_icp:
        return []
    out = ["  anti-ICP"]
    for anti in item.anti_icp:
        out.append(f"    {anti.id}: {anti.result}")
        if anti.signal and not anti.conditions:
            out.append(f"      signal: {anti.signal}")
        for c in anti.conditions:
            value = c.value or ("(unknown)" if c.result == "unknown" else "")
            out.append(
                f"  {'    ' + c.field:<{width}}  {_fit(value, VALUE_WIDTH)}  "
                f"{_fit(c.rule, RULE_WIDTH)}  {c.result}"
            )
    return out


register(Explanation, "text", render_explanation)
