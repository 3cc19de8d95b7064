from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.options import MAX_RANGE_RATIO, SIZE_FIELDS
from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation
from icpkit.format.model import Form
from icpkit.text import number


@rule(
    "ICP009",
    "range-too-wide",
    severity="error",
    category="specificity",
    added="0.1.0",
    options=[SIZE_FIELDS, MAX_RANGE_RATIO],
)
def range_too_wide(ctx: IcpContext) -> Iterator[Violation]:
    """A company-size range spans more than ten times its minimum.

    ## What it does
    For size fields, reports a range whose `max` is more than `max-range-ratio` (default
    10) times its `min`, such as 100-10,000 employees.

    ## Why is this bad?
    A 100-person company and a 10,000-person one buy differently: other buyers, other
    cycles, other deal sizes. A range that wide is the total addressable market, not the
    ideal customer; it makes every account score well and the score mean nothing. Narrow
    it to where wins concentrate, or split it into two ICPs.

    ## Example
    ```yaml
    firmographics:
      employees: {min: 100, max: 10000, weight: 25}
      revenue_usd: {min: 20000000, max: 200000000, weight: 15}
      industry: {in: [saas, fintech], weight: 15}
      country: {in: [US, GB], weight: 5}
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
    limit = ctx.option(MAX_RANGE_RATIO)
    for attr in ctx.icp.attributes:
        low, high = attr.match.min, attr.match.max
        if attr.field not in ctx.option(SIZE_FIELDS) or attr.match.form is not Form.RANGE:
            continue
        if low is None or high is None or low <= 0 or high < low:
            continue  # vague-size-range reports these
        if high / low > limit:
            yield Violation(
                (*attr.path, "max"),
                f"`{attr.field}` {number(low)}-{number(high)} spans {high / low:.0f}x; keep a "
                f"size range within {limit:g}x (max-range-ratio) or split the segment",
            )
