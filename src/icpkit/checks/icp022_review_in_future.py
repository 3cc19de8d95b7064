from __future__ import annotations

from collections.abc import Iterator

from icpkit.checks.rule import IcpContext, rule
from icpkit.findings import Violation


@rule("ICP022", "review-in-future", severity="error", category="freshness", added="0.1.0")
def review_in_future(ctx: IcpContext) -> Iterator[Violation]:
    """`last_reviewed` is a date that has not happened yet.

    ## What it does
    Reports a `last_reviewed` date later than today.

    ## Why is this bad?
    A review date in the future is a typo (2062 for 2026) or a promise, and either way it
    switches off the staleness check for years.

    ## Example
    ```yaml
    last_reviewed: 2062-11-02
    ```

    ## Use instead
    ```yaml
    last_reviewed: 2026-11-02
    ```
    """
    if ctx.icp.last_reviewed > ctx.settings.today:
        yield Violation(
            ("last_reviewed",),
            f"last reviewed {ctx.icp.last_reviewed.isoformat()} is in the future "
            f"(today is {ctx.settings.today.isoformat()})",
        )
