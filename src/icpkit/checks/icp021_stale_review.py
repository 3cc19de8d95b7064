from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.options import STALE_AFTER_DAYS
from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation
from icpkit.format.model import Status


@rule(
    "ICP021",
    "stale-review",
    severity="warning",
    category="freshness",
    added="0.1.0",
    options=[STALE_AFTER_DAYS],
)
def stale_review(ctx: IcpContext) -> Iterator[Violation]:
    """The ICP has not been reviewed for more than a quarter.

    ## What it does
    Reports a `last_reviewed` date more than 120 days ago (`stale-after-days`). Retired
    ICPs are left alone.

    ## Why is this bad?
    Markets move, products add use cases, and the wins of last year stop describing the
    wins of this one. The practice is a quarterly review against recent deals; an ICP
    nobody has looked at for two quarters is a guess about the past.

    ## Example
    ```yaml
    last_reviewed: 2025-01-15
    ```

    ## Use instead
    ```yaml
    last_reviewed: 2026-11-02
    ```
    """
    if ctx.icp.status is Status.RETIRED:
        return
    age = (ctx.settings.today - ctx.icp.last_reviewed).days
    if age > ctx.option(STALE_AFTER_DAYS):
        yield Violation(
            ("last_reviewed",),
            f"last reviewed {ctx.icp.last_reviewed.isoformat()}, {age} days ago; review it "
            f"against recent deals (stale after {ctx.option(STALE_AFTER_DAYS)} days)",
        )
