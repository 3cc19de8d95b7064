from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation


@rule("ICP015", "partial-credit-out-of-range", severity="error", category="scoring", added="0.1.0")
def partial_credit_out_of_range(ctx: IcpContext) -> Iterator[Violation]:
    """A partial-credit entry gives 0, all, or more than all of the weight.

    ## What it does
    Reports `partial` entries whose `credit` is not strictly between 0 and 1.

    ## Why is this bad?
    Partial credit is for adjacent ranges that are possible but less ideal ("50-199
    employees: a marginal fit"). A credit of 0 is the same as leaving the range out; a
    credit of 1 or more makes the adjacent range as good as, or better than, the ideal one.

    ## Example
    ```yaml
    firmographics:
      employees: {min: 200, max: 2000, weight: 25, partial: [{min: 80, max: 199, credit: 1.5}]}
      revenue_usd: {min: 20000000, max: 200000000, weight: 15}
      industry: {in: [saas, fintech], weight: 15}
      country: {in: [US, GB], weight: 5}
    ```

    ## Use instead
    ```yaml
    firmographics:
      employees: {min: 200, max: 2000, weight: 25, partial: [{min: 80, max: 199, credit: 0.4}]}
      revenue_usd: {min: 20000000, max: 200000000, weight: 15}
      industry: {in: [saas, fintech], weight: 15}
      country: {in: [US, GB], weight: 5}
    ```
    """
    for attr in ctx.icp.attributes:
        for partial in attr.partial:
            if not 0 < partial.credit < 1:
                yield Violation(
                    (*partial.path, "credit"),
                    f"`{attr.field}` partial credit {partial.credit:g} must be between 0 and 1 "
                    "(a share of the weight)",
                )
