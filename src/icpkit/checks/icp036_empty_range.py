from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.options import SIZE_FIELDS
from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import JsonPath, Violation
from icpkit.format.model import Form, Match
from icpkit.text import number


@rule(
    "ICP036",
    "empty-range",
    severity="error",
    category="scoring",
    added="0.1.0",
    options=[SIZE_FIELDS],
)
def empty_range(ctx: IcpContext) -> Iterator[Violation]:
    """A range whose `min` is above its `max` matches nothing.

    ## What it does
    Reports every range with `min` above `max`: in an attribute (size fields are ICP008's),
    its partial credit, a trigger's `when` and an anti-ICP's `when`.

    ## Why is this bad?
    No value is at least 5,000 and at most 10 at once, so the rule never holds: an attribute
    never earns its points, a trigger never fires, an anti-ICP never disqualifies. Nothing
    else says so, since a backtest reads a rule that never matches as one that found no
    account. It is almost always the two bounds typed the wrong way round, or a missing zero.

    ## Example
    ```yaml
    anti_icp:
      - {id: too-small, when: {employees: {min: 49, max: 1}},
         reason: No one owns the problem; these accounts churn within a year}
      - {id: build-in-house, signal: Insists on building everything in-house,
         reason: Not a buyer; evaluations end in a build decision}
    ```

    ## Use instead
    ```yaml
    anti_icp:
      - {id: too-small, when: {employees: {min: 1, max: 49}},
         reason: No one owns the problem; these accounts churn within a year}
      - {id: build-in-house, signal: Insists on building everything in-house,
         reason: Not a buyer; evaluations end in a build decision}
    ```
    """
    for attr in ctx.icp.attributes:
        if attr.field not in ctx.option(SIZE_FIELDS):
            yield from _check(attr.match, attr.path, f"attribute `{attr.field}`")
        for partial in attr.partial:
            yield from _check(partial.match, partial.path, f"partial credit of `{attr.field}`")
    for trigger in ctx.icp.triggers:
        for condition in trigger.when:
            where = f"trigger `{trigger.id}` condition on `{condition.field}`"
            yield from _check(condition.match, condition.path, where)
    for anti in ctx.icp.anti_icp:
        for condition in anti.when:
            where = f"anti-ICP `{anti.id}` condition on `{condition.field}`"
            yield from _check(condition.match, condition.path, where)


def _check(match: Match, path: JsonPath, where: str) -> Iterator[Violation]:
    low, high = match.min, match.max
    if match.form is Form.RANGE and low is not None and high is not None and low > high:
        yield Violation(
            (*path, "min"),
            f"{where}: min {number(low)} is above max {number(high)}, so it matches nothing; "
            "swap the bounds",
        )
