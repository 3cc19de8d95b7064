from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.options import SIZE_FIELDS
from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation
from icpkit.format.model import Form
from icpkit.text import number


@rule(
    "ICP008",
    "vague-size-range",
    severity="error",
    category="specificity",
    added="0.1.0",
    options=[SIZE_FIELDS],
)
def vague_size_range(ctx: IcpContext) -> Iterator[Violation]:
    """A company-size field is not a concrete numeric range.

    ## What it does
    For size fields (`employees`, `revenue_usd`, `arr_usd`; see `size-fields`), reports a
    range given in words (`in: [mid-market]`), a range missing `min` or `max`, a minimum
    of zero, and a minimum above the maximum.

    ## Why is this bad?
    "Mid-market" means 50 employees to one team and 5,000 to another. A range with one
    open end includes every company above or below it. Sales cannot build a list from
    either, and the scorer cannot score it. Write the numbers: "200-2,000 employees".

    ## Example
    ```yaml
    firmographics:
      employees: {min: 200, weight: 25}
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
    for attr in ctx.icp.attributes:
        if attr.field not in ctx.option(SIZE_FIELDS):
            continue
        match = attr.match
        if match.form is not Form.RANGE:
            yield Violation(
                (*attr.path, match.form.value),
                f"`{attr.field}` is given in words ({', '.join(match.values)}); "
                "write a numeric range with `min` and `max`",
            )
            continue
        missing = [b for b, v in (("min", match.min), ("max", match.max)) if v is None]
        if missing:
            yield Violation(
                (*attr.path, missing[0]),
                f"`{attr.field}` has no `{'` or `'.join(missing)}`; an open-ended size range "
                "takes in every company beyond it: give both bounds",
            )
        elif match.min is not None and match.max is not None and match.min > match.max:
            yield Violation(
                (*attr.path, "min"),
                f"`{attr.field}` min {number(match.min)} is above max {number(match.max)}",
            )
        if match.min is not None and match.min <= 0:
            yield Violation(
                (*attr.path, "min"),
                f"`{attr.field}` min {number(match.min)} is no lower bound; "
                "name the smallest size that fits",
            )
