from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation
from icpkit.text import plural

MIN_DIMENSIONS = 3


@rule("ICP029", "too-few-dimensions", severity="warning", category="specificity", added="0.1.0")
def too_few_dimensions(ctx: IcpContext) -> Iterator[Violation]:
    """The firmographics score fewer than three dimensions.

    ## What it does
    Counts the firmographic attributes that carry weight and reports fewer than three.

    ## Why is this bad?
    A single-dimension profile ("enterprise SaaS") spans companies from $10M to $10B with
    different buyers, budgets and processes. A usable scorecard separates accounts on at
    least three or four dimensions, such as size, revenue, industry and geography.

    ## Example
    ```yaml
    firmographics:
      employees: {min: 200, max: 2000, weight: 45}
      industry: {in: [saas, fintech], weight: 15}
    ```

    ## Use instead
    ```yaml
    firmographics:
      employees: {min: 200, max: 2000, weight: 25}
      revenue_usd: {min: 20000000, max: 200000000, weight: 15}
      industry: {in: [saas, fintech], weight: 15}
      country: {in: [US, GB], weight: 5}
    ```
    """
    scored = [a for a in ctx.icp.firmographics if a.weight > 0]
    if len(scored) < MIN_DIMENSIONS:
        yield Violation(
            ("firmographics",),
            f"only {plural(len(scored), 'scored firmographic dimension')}; "
            f"score at least {MIN_DIMENSIONS} (size, revenue, industry, geography ...)",
        )
