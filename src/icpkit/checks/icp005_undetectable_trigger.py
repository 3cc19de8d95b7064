from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation


@rule("ICP005", "undetectable-trigger", severity="error", category="specificity", added="0.1.0")
def undetectable_trigger(ctx: IcpContext) -> Iterator[Violation]:
    """A trigger has no `window_days`, or neither a `detect` source nor a `when` condition.

    ## What it does
    Reports each trigger that does not say how long the event keeps an account ready
    (`window_days`) or where the team will see it happen: a `detect` source, or a `when`
    condition that reads it from the export's own columns (which is detection itself).

    ## Why is this bad?
    A trigger nobody can detect is a wish, and one without a window never expires: a VP
    Sales hired two years ago is no longer a reason to call. Naming the source (job-change
    alerts, a funding feed, intent data) is what turns a trigger into a play.

    ## Example
    ```yaml
    triggers:
      - {id: new-sales-leader, event: New VP Sales or CRO hired, weight: 15}
      - {id: series-b-plus, event: Closed a Series B or later round, window_days: 180,
         detect: Crunchbase funding feed, weight: 15}
    ```

    ## Use instead
    ```yaml
    triggers:
      - {id: new-sales-leader, event: New VP Sales or CRO hired, window_days: 60,
         detect: LinkedIn job-change alerts, weight: 15}
      - {id: series-b-plus, event: Closed a Series B or later round, window_days: 180,
         when: {funding_round_months: {max: 6}}, weight: 15}
    ```
    """
    for trigger in ctx.icp.triggers:
        if trigger.window_days is None:
            yield Violation(
                (*trigger.path, "window_days"),
                f"trigger `{trigger.id}` has no `window_days`: say how long the event keeps "
                "an account ready to buy",
            )
        if trigger.detect is None and not trigger.when:
            yield Violation(
                (*trigger.path, "detect"),
                f"trigger `{trigger.id}` has no `detect`: name the data source where the "
                "team sees it happen, or read it from your data with `when`",
            )
