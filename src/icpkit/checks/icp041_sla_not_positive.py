from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation
from icpkit.text import number


@rule("ICP041", "sla-not-positive", severity="error", category="scoring", added="0.1.0")
def sla_not_positive(ctx: IcpContext) -> Iterator[Violation]:
    """A route's `sla_hours` is zero or negative.

    ## What it does
    Reports every route in `activation.routes` whose `sla_hours` is not above 0.

    ## Why is this bad?
    The SLA is the promise marketing and sales agree on: a strong-fit lead is worked
    within so many hours. No team can work an account in zero or minus four hours, so the
    CRM flags every such account as late the moment it arrives and the SLA report stops
    meaning anything. It is usually a unit slip (minutes or days typed as hours) or a
    placeholder; leave `sla_hours` out where there is no SLA.

    ## Example
    ```yaml
    activation:
      routes:
        strong: {queue: senior-ae, sla_hours: 0}
    ```

    ## Use instead
    ```yaml
    activation:
      routes:
        strong: {queue: senior-ae, sla_hours: 4}
    ```
    """
    activation = ctx.icp.activation
    for route in activation.routes if activation else ():
        if route.sla_hours is not None and route.sla_hours <= 0:
            yield Violation(
                (*route.path, "sla_hours"),
                f"route `{route.band}` has sla_hours {number(route.sla_hours)}: an SLA is a "
                "number of hours above 0; leave it out where there is none",
            )
