from __future__ import annotations

import re
from collections.abc import Iterator

from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation

_WEAK = re.compile(
    r"\b(might|may) (want|need|be interested)"
    r"|\bcould (use|benefit)"
    r"|\b(have|has|with) (the |a |some )?budget\b"
    r"|\binterested in\b"
    r"|\bwants? to (grow|scale|improve|succeed)"
    r"|\bneeds? (our|a better|a new) (product|solution|tool)"
    r"|\b(is|are) a good fit\b"
    r"|\blooking for (a )?solutions?\b",
    re.IGNORECASE,
)
MAX_WINDOW_DAYS = 365


@rule("ICP006", "weak-trigger", severity="warning", category="specificity", added="0.1.0")
def weak_trigger(ctx: IcpContext) -> Iterator[Violation]:
    """A trigger describes a mood or a trait, not an event.

    ## What it does
    Reports triggers whose `event` reads like "they might want it" or "they have the
    budget", and triggers whose readiness window is longer than a year.

    ## Why is this bad?
    Strong triggers are things that happen on a date and cause buying activity: a new
    executive, a funding round, a migration, a regulatory deadline. "They might want it"
    is true of every account and predicts nothing; a window of years is a trait, and
    traits belong with the firmographics.

    ## Example
    ```yaml
    triggers:
      - {id: has-budget, event: They have the budget for new tools, window_days: 90,
         detect: Discovery call, weight: 15}
      - {id: series-b-plus, event: Closed a Series B or later round, window_days: 180,
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
    for trigger in ctx.icp.triggers:
        found = _WEAK.search(trigger.event)
        if found:
            yield Violation(
                (*trigger.path, "event"),
                f"trigger `{trigger.id}` is not an event ({found.group(0)!r}); name something "
                "that happens on a date and creates urgency",
            )
        if trigger.window_days is not None and trigger.window_days > MAX_WINDOW_DAYS:
            yield Violation(
                (*trigger.path, "window_days"),
                f"trigger `{trigger.id}` keeps an account ready for {trigger.window_days} days; "
                f"past {MAX_WINDOW_DAYS} days it is a trait, not a trigger",
            )
