from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation
from icpkit.format import invariants


@rule("ICP033", "duplicate-trigger-id", severity="error", category="validity", added="0.1.0")
def duplicate_trigger_id(ctx: IcpContext) -> Iterator[Violation]:
    """Two triggers share an `id`.

    ## What it does
    Reports every trigger after the first whose `id` another trigger already uses. `icp
    score`, `icp backtest`, `icp compile` and the site refuse such an ICP.

    ## Why is this bad?
    A trigger's id is how the `triggers` column of your data, the points columns of every
    score and the qualification questions name it. Two triggers with one id cannot both be
    found: one engine would count the first and drop the second's points, the other count
    both, and a rep reading the score could not tell which event it saw. It is usually a
    trigger copied as a template and not renamed.

    ## Example
    ```yaml
    triggers:
      - {id: new-sales-leader, event: New VP Sales or CRO hired, window_days: 60,
         detect: LinkedIn job-change alerts, weight: 15}
      - {id: new-sales-leader, event: Closed a Series B or later round, window_days: 180,
         detect: Crunchbase funding feed, weight: 15}
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
    yield from invariants.duplicate_trigger_ids(ctx.icp, ctx.doc)
