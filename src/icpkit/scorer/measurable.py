"""What an ICP cannot measure on a set of deals: rules whose column the deals lack.

A trigger scored without a `triggers` column, or an attribute whose column is listed in
`absent-fields`, earns nothing on every deal: the score is quietly capped below 100 and
the rule's backtest line is empty. An anti-ICP condition on such a column never holds.
Saying so, with the points at stake, is the difference between "this rule does not
predict wins" and "this rule was never tried".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from icpkit.format.model import Condition, Icp
from icpkit.project.mapping import TRIGGERS
from icpkit.text import number

ATTRIBUTE, TRIGGER, ANTI_ICP = "attribute", "trigger", "anti-icp"
ABSENT, EMPTY = "absent", "empty"


@dataclass(frozen=True)
class Unmeasured:
    """One rule the deals cannot test: `why` is `absent` (no column) or `empty` (no value)."""

    kind: str
    name: str
    column: str
    weight: float  # the points it would earn at most (0 for an anti-ICP)
    why: str


def unmeasured(icp: Icp, deals: pd.DataFrame) -> tuple[Unmeasured, ...]:
    """Attributes, triggers and anti-ICPs whose column is missing or holds no known value."""
    found: list[Unmeasured] = []
    for attribute in icp.attributes:
        why = _why(deals, attribute.field)
        if why:
            found.append(
                Unmeasured(ATTRIBUTE, attribute.field, attribute.field, attribute.weight, why)
            )
    # An empty triggers cell means "no trigger", so only a missing column is unmeasurable.
    if TRIGGERS not in deals.columns:
        found += [
            Unmeasured(TRIGGER, t.id, TRIGGERS, t.weight, ABSENT) for t in icp.column_triggers
        ]
    for trigger in icp.triggers:
        blind = _blind(deals, trigger.when)
        if blind:
            found.append(Unmeasured(TRIGGER, trigger.id, blind[0], trigger.weight, blind[1]))
    for anti in icp.anti_icp:
        blind = _blind(deals, anti.when)
        if blind:
            found.append(Unmeasured(ANTI_ICP, anti.id, blind[0], 0.0, blind[1]))
    return tuple(found)


def _blind(deals: pd.DataFrame, conditions: Sequence[Condition]) -> tuple[str, str] | None:
    """The first condition's field that cannot be read, and why: all must hold, so one
    unreadable field leaves the rule unmeasurable."""
    blind = ((c.field, _why(deals, c.field)) for c in conditions)
    return next(((f, w) for f, w in blind if w), None)


def score_cap(icp: Icp, missing: Sequence[Unmeasured]) -> float:
    """The highest score a deal can reach when the `missing` rules earn nothing."""
    lost = {(m.kind, m.name) for m in missing}
    reachable = sum(
        a.weight for a in icp.attributes if a.weight > 0 and (ATTRIBUTE, a.field) not in lost
    )
    reachable += sum(t.weight for t in icp.triggers if t.weight > 0 and (TRIGGER, t.id) not in lost)
    return min(100.0, reachable)


def describe(item: Unmeasured, cap: float) -> str:
    """`trigger `rfp` (15 pts) cannot be measured on these deals: they have no `triggers`
    column; scores are capped at 85`."""
    if item.kind == ANTI_ICP:
        return f"{blind_text(item)}; it never disqualifies"
    effect = (
        f"scores are capped at {number(cap)}"
        if item.weight > 0
        else "it never takes points away"
        if item.weight < 0
        else "it carries no weight"
    )
    return f"{blind_text(item)}; {effect}"


def blind_text(item: Unmeasured) -> str:
    """What cannot be measured and why, without the consequence."""
    where = (
        f"they have no `{item.column}` column"
        if item.why == ABSENT
        else f"their `{item.column}` column holds no known value"
    )
    if item.kind == ANTI_ICP:
        label = f"anti-ICP `{item.name}`"
    else:
        label = f"{item.kind} `{item.name}` ({number(item.weight)} pts)"
    return f"{label} cannot be measured on these deals: {where}"


def _why(deals: pd.DataFrame, name: str) -> str:
    if name not in deals.columns:
        return ABSENT
    if len(deals) and not deals[name].notna().any():
        return EMPTY
    return ""
