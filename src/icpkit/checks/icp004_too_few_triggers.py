from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation
from icpkit.project.options import integer
from icpkit.text import plural

MIN_TRIGGERS = integer("min-triggers", 2, "Fewest buying triggers an ICP names.", minimum=1)


@rule(
    "ICP004",
    "too-few-triggers",
    severity="error",
    category="specificity",
    added="0.1.0",
    options=[MIN_TRIGGERS],
)
def too_few_triggers(ctx: IcpContext) -> Iterator[Violation]:
    """The ICP names fewer than two buying triggers.

    ## What it does
    Counts the entries under `triggers` and reports when there are fewer than two
    (`min-triggers` in the project settings).

    ## Why is this bad?
    Firmographics say who *could* buy; triggers say who is ready *now*. An ICP without
    them produces lists, not pipeline: thousands of lookalike accounts with no reason to
    call this quarter. The practice is at least two events that create urgency, such as a
    new executive in the role or a funding round.

    ## Example
    ```yaml
    triggers:
      - {id: new-sales-leader, event: New VP Sales or CRO hired, window_days: 60,
         detect: LinkedIn job-change alerts, weight: 30}
    ```

    ## Use instead
    ```yaml
    triggers:
      - {id: new-sales-leader, event: New VP Sales or CRO hired, window_days: 60,
         detect: LinkedIn job-change alerts, weight: 15}
      - {id: series-b-plus, event: Closed a Series B or later round, window_days: 180,
         detect: Crunchbase funding feed, weight: 15}
    ```
    """
    count = len(ctx.icp.triggers)
    needed = ctx.option(MIN_TRIGGERS)
    if count < needed:
        yield Violation(
            ("triggers",),
            f"{plural(count, 'buying trigger')}; name at least {needed} events "
            "that make an account ready to buy now (a new executive, a funding round ...)",
        )
