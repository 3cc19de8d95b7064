"""The backtest's surprises, as text and Markdown (JSON carries the dataclasses as they are).

Deal ids, accounts and values come from a CRM export: text flattens them to one line
without control characters, Markdown escapes them with `cell` and `code`.
"""

from __future__ import annotations

import re

from icpkit.reporters.markdown import cell, code
from icpkit.scorer.explain import ConditionLine, Line
from icpkit.scorer.surprises import Shared, Surprise, Surprises
from icpkit.text import money, number, percent, plural

DRIVERS = 3  # lines per deal in a report; JSON holds them all
_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")

TITLE = "surprises: wins it did not predict, losses it expected to win"
GROUPS = {"wins": "surprise wins", "losses": "surprise losses"}


def flat(value: object) -> str:
    """A CRM value on one terminal line: no line break or escape sequence survives."""
    return _CONTROL.sub(" ", str(value)).strip()


def driver_text(line: Line, won: bool) -> str:
    """`employees 8,797 out of fit (-20)`: a line of `--explain`, with the points a win
    missed or a loss earned on it."""
    moved = line.points - max(line.weight, 0.0) if won else line.points
    label = line.name if line.kind == "attribute" else f"trigger {line.name}"
    # A trigger's value is the whole `triggers` cell, the same on every trigger line.
    value = "" if line.kind == "trigger" else (line.value or "(unknown)")
    return " ".join(p for p in (label, value, line.result, f"({_signed(round(moved, 2))})") if p)


def _signed(value: float) -> str:
    return f"+{number(value)}" if value > 0 else number(value)


def condition_text(condition: ConditionLine) -> str:
    value = condition.value or "(unknown)"
    return f"{condition.field} {value} {condition.rule}: {condition.result}"


def why(surprise: Surprise) -> str:
    """What drove the score: the anti-ICP's conditions, else the first few lines."""
    if surprise.disqualifier:
        return "; ".join(condition_text(c) for c in surprise.conditions)
    won = surprise.outcome == "won"
    shown = [driver_text(line, won) for line in surprise.drivers[:DRIVERS]]
    more = len(surprise.drivers) - DRIVERS
    return "; ".join(shown) + (f"; {more} more" if more > 0 else "")


def threshold_text(found: Surprises) -> str:
    """Which values the table lists, after "values" (or "Values")."""
    return (
        f"held by {found.min_shared} or more and {percent(found.min_share)} or more of a "
        f"group's surprises, {found.min_ratio:g}x as often as by all closed deals or more"
    )


def lists(found: Surprises) -> list[tuple[str, tuple[Surprise, ...]]]:
    """Each list with its heading: low-scoring wins, strong losses, each anti-ICP's wins."""
    out = [
        (
            f"{plural(found.wins_total, 'win')} scoring weak or poor"
            + _shown(found.wins_total, len(found.wins), "lowest score first"),
            found.wins,
        ),
        (
            f"{plural(found.losses_total, 'loss', 'losses')} scoring strong"
            + _shown(found.losses_total, len(found.losses), "highest score first"),
            found.losses,
        ),
    ]
    for group in found.disqualified:
        out.append(
            (
                f"{plural(group.wins, 'win')} disqualified by anti-ICP {group.id} "
                f"({group.reason}): is the anti-ICP wrong?"
                + _shown(group.wins, len(group.deals), "largest first"),
                group.deals,
            )
        )
    return out


def _shown(total: int, shown: int, order: str) -> str:
    return f", top {shown} ({order})" if total > shown else ""


def shared_cells(row: Shared) -> tuple[str, str, str, str, str, str]:
    return (
        GROUPS[row.group],
        row.field,
        row.value,
        f"{row.surprises} ({percent(row.surprise_share)})",
        f"{row.closed} ({percent(row.closed_share)})",
        f"{row.ratio:.1f}x",
    )


SHARED_HEADERS = ("group", "field", "value", "surprises", "closed deals", "ratio")


def text_lines(found: Surprises | None) -> list[str]:
    """The surprises section of `icp backtest`'s text report; nothing when not asked for."""
    if found is None:
        return []
    out = ["", f"  {TITLE}"]
    for heading, deals in lists(found):
        if not deals and "disqualified" in heading:
            continue
        out.append(f"    {flat(heading)}")
        for s in deals:
            name = flat(s.deal) + (f" ({flat(s.account)})" if s.account else "")
            amount = "" if s.amount_usd is None else f", {money(s.amount_usd, found.currency)}"
            out.append(f"      {name}: {number(s.score)} {s.band}{amount}: {flat(why(s))}")
    out.append(f"    what the surprises share (values {threshold_text(found)})")
    if not found.shared:
        out.append("      nothing: no value is held that much more often")
        return out
    rows = [[flat(c) for c in shared_cells(row)] for row in found.shared]
    widths = [max(len(c) for c in column) + 2 for column in zip(SHARED_HEADERS, *rows, strict=True)]
    for cells in (list(SHARED_HEADERS), *rows):
        line = "".join(f"{c:<{w}}" for c, w in zip(cells, widths, strict=True))
        out.append(f"      {line.rstrip()}")
    return out


def markdown_lines(found: Surprises | None) -> list[str]:
    """The surprises section of the Markdown report, every CRM value escaped."""
    if found is None:
        return []
    out = ["", "<details><summary>Surprises: wins it did not predict, losses it expected to "
           "win</summary>"]  # fmt: skip
    for heading, deals in lists(found):
        if not deals and "disqualified" in heading:
            continue
        out += ["", f"**{cell(heading)}**", ""]
        if not deals:
            continue
        out += ["| Deal | Account | Score | Band | Amount | What drove the score |"]
        out.append("|---|---|---:|---|---:|---|")
        for s in deals:
            out.append(
                f"| {code(s.deal)} | {cell(s.account)} | {number(s.score)} | {s.band} | "
                f"{money(s.amount_usd, found.currency)} | {cell(why(s))} |"
            )
    out += ["", f"What the surprises share (values {cell(threshold_text(found))}):", ""]
    if found.shared:
        out.append("| Group | Field | Value | Surprises | Closed deals | Ratio |")
        out.append("|---|---|---|---:|---:|---:|")
        for r in found.shared:
            group, name, value, inside, closed, ratio = shared_cells(r)
            cells = (group, cell(name), cell(value), inside, closed, ratio)
            out.append("| " + " | ".join(cells) + " |")
    else:
        out.append("No value is held that much more often.")
    out += ["", "</details>"]
    return out
