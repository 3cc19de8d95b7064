from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks._helpers import overlaps
from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation


@rule("ICP016", "partial-overlaps-ideal", severity="error", category="scoring", added="0.1.0")
def partial_overlaps_ideal(ctx: IcpContext) -> Iterator[Violation]:
    """A partial-credit range overlaps the ideal range it is meant to sit beside.

    ## What it does
    Reports `partial` entries whose range intersects the attribute's ideal range, or
    whose values repeat the ideal values.

    ## Why is this bad?
    Partial credit describes the adjacent, less ideal band. When it overlaps the ideal
    one, the same account qualifies twice and nobody can tell which credit the scorer
    gave; usually a bound was mistyped (199 written as 1999).

    ## Example
    ```yaml
    firmographics:
      employees: {min: 200, max: 2000, weight: 25, partial: [{min: 80, max: 500, credit: 0.4}]}
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
            if overlaps(attr.match, partial.match):
                yield Violation(
                    partial.path,
                    f"`{attr.field}` partial {partial.match.describe()} overlaps the ideal "
                    f"{attr.match.describe()}; partial credit is for adjacent values only",
                )
